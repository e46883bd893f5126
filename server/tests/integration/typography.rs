//! French typography on every page: a non-breaking space before « ; : ! ? » and « » », after
//! « « », and between a number and « € » or « % », so that a phone never starts a line with a
//! colon or leaves a guillemet alone at the end of one. The public pages are found as a visitor
//! finds them, by following links from the home page over the example data, typed as people
//! type (`as_typed`); then a person's own pages, an organisation's pages for its owner, and the
//! moderation's.

use crate::browser::Browser;
use crate::helpers::*;
use crate::offers::remplacement;
use crate::seeds::{MODERATOR, SITE, World};
use app::domain::offers::OfferForm;
use app::domain::promotion::PageContent;
use server::accounts::Accounts;
use std::collections::{BTreeSet, VecDeque};

/// A bound on the walk, which reads one page of each kind (some thirty).
const PAGES: usize = 90;

#[tokio::test]
async fn no_page_breaks_a_line_before_french_punctuation() {
    let app = spawn_app().await;
    server::demo::seed(&app.db, &Accounts::new(app.db.clone(), SITE.to_owned()), false, 20).await.unwrap();
    app.indexed().await;
    as_typed(&app).await;

    let mut faults = Vec::new();
    let mut seen = BTreeSet::from([kind_of("/")]);
    let mut kinds = BTreeSet::new();
    let mut queue = VecDeque::from(["/".to_owned()]);
    let mut read = 0;
    while let Some(path) = queue.pop_front() {
        if read == PAGES {
            break;
        }
        let (status, html) = app.page(&path).await;
        assert!(status < 500, "{path}: {status}");
        if status != 200 {
            continue; // a page for signed-in people, read below as one of them
        }
        read += 1;
        kinds.insert(kind_of(&path));
        faults.extend(breakable(&html).into_iter().map(|text| format!("{path}: «{text}»")));
        for link in links(&html) {
            // One page of each kind: the walk reaches every kind sooner.
            if seen.insert(kind_of(&link)) {
                queue.push_back(link);
            }
        }
    }
    for kind in ["offres/*", "communes/*", "departements/*", "epci/*", "evenements/*", "aides", "internes", "api"] {
        assert!(kinds.contains(kind), "the walk did not reach /{kind}: {kinds:?}");
    }

    // A person's own pages, an organisation's pages for its owner, and the moderation's.
    let w = World::of(&app).await;
    let mut browser = Browser::new(&app);
    browser.confirmed("claire@mairie-rodez.fr", "Claire Roux").await;
    let (mairie, page) = browser.create_organisation("commune", "Mairie de Rodez", "12202").await;
    w.organisations.approve(w.moderator, mairie).await.unwrap();
    let mut moderator = Browser::signed_in(&app, MODERATOR).await;
    let own = [
        "/compte",
        "/compte/profil",
        "/compte/recherche",
        "/compte/alertes",
        "/candidatures",
        "/organisations/nouvelle",
    ];
    let organisation = ["", "/offres/nouvelle?type=remplacement", "/territoire", "/evenements", "/aides"];
    let pages = own.iter().map(|path| path.to_string()).chain(organisation.iter().map(|path| format!("{page}{path}")));
    for path in pages {
        let answer = browser.get(&path).await;
        assert_eq!(answer.status, 200, "{path}");
        faults.extend(breakable(&answer.body).into_iter().map(|text| format!("{path}: «{text}»")));
    }
    for path in ["/moderation", "/moderation/aides", "/moderation/avis"] {
        let answer = moderator.get(path).await;
        assert_eq!(answer.status, 200, "{path}");
        faults.extend(breakable(&answer.body).into_iter().map(|text| format!("{path}: «{text}»")));
    }
    assert!(faults.is_empty(), "a plain space where French wants a non-breaking one:\n{}", faults.join("\n"));
}

/// The columns that hold what people type and the portal shows: titles, names, long texts.
/// Their example data is written with French spacing, as the portal's own texts are; people
/// type plain spaces.
const TYPED: [(&str, &str); 32] = [
    ("offers", "title"),
    ("offers", "description"),
    ("offers", "handover_plan"),
    ("offers", "supervisors"),
    ("offers", "transport"),
    ("offers", "software"),
    ("offers", "perks"),
    ("events", "title"),
    ("events", "description"),
    ("events", "place"),
    ("organisations", "name"),
    ("intern_housing", "title"),
    ("intern_housing", "contact"),
    ("intern_housing", "details"),
    ("stage_sites", "name"),
    ("stage_sites", "supervisors"),
    ("stage_sites", "description"),
    ("stage_reviews", "body"),
    ("stage_reviews", "answer"),
    ("territory_testimonials", "name"),
    ("territory_testimonials", "role"),
    ("territory_testimonials", "quote"),
    ("territory_photos", "alt"),
    ("territory_photos", "credit"),
    ("cases", "subject"),
    ("case_messages", "body"),
    ("applications", "message"),
    ("application_messages", "body"),
    ("users", "display_name"),
    ("aids", "name"),
    ("aids", "summary"),
    ("aids", "conditions"),
];

/// Ends every typed text of the example data with « ?» after a plain space, as a person would
/// type it, so that the walk finds any place that shows typed text without French spacing (the
/// aids catalogue is the portal's own text: only the local aids are typed).
async fn as_typed(app: &TestApp) {
    for (table, column) in TYPED {
        let only_local = if table == "aids" { " AND origin = 'local'" } else { "" };
        let sql = format!("UPDATE {table} SET {column} = {column} || ' ?' WHERE {column} <> ''{only_local}");
        sqlx::query(sqlx::AssertSqlSafe(sql.clone()))
            .execute(&app.db.pool)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
    // A territory's page: its texts are stored together, as JSON.
    let revisions: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, content FROM territory_revisions").fetch_all(&app.db.pool).await.unwrap();
    for (id, content) in revisions {
        let mut content: PageContent = serde_json::from_str(&content).unwrap();
        let texts = content.sections.values_mut().chain([&mut content.presentation, &mut content.referent_role]);
        texts.filter(|text| !text.is_empty()).for_each(|text| text.push_str(" ?"));
        sqlx::query("UPDATE territory_revisions SET content = $1 WHERE id = $2")
            .bind(serde_json::to_string(&content).unwrap())
            .bind(id)
            .execute(&app.db.pool)
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn an_offer_typed_with_plain_spaces_is_shown_with_french_spacing() {
    let app = spawn_app().await;
    let w = World::of(&app).await;
    let claire = w.confirmed_user("claire@mairie-rodez.fr", "Claire Roux").await;
    let mairie = w.organisation(claire, "commune", "Mairie de Rodez", "12202", true).await;
    let typed = "Logement : fourni ; voiture utile ? « Oui » !";
    let form = OfferForm { title: "Remplacement : été à Rodez".into(), description: typed.into(), ..remplacement() };
    let offer = w.published(claire, mairie, &form).await;
    app.indexed().await;

    let (status, html) = app.page(&format!("/offres/{offer}-remplacement-ete-a-rodez")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Logement\u{a0}: fourni\u{a0}; voiture utile\u{a0}? «\u{a0}Oui\u{a0}»\u{a0}!"), "{html}");
    assert!(html.contains("<h1 id=\"offre-titre\">Remplacement\u{a0}: été à Rodez</h1>"), "{html}");
    assert!(breakable(&html).is_empty(), "{:?}", breakable(&html));
    // In the board's list too, searched or not.
    for board in ["/offres", "/offres?q=remplacement"] {
        let (_, html) = app.page(board).await;
        assert!(html.contains("\u{a0}: été à Rodez") && !html.contains(" : été"), "{board}: {html}");
    }
    // What was typed is kept as typed: the spacing is the page's, and the form that edits the
    // offer gives back what was typed.
    let edit =
        Browser::signed_in(&app, "claire@mairie-rodez.fr").await.get(&format!("/offres/{offer}/modification")).await;
    assert!(edit.body.contains(&format!(">{typed}</textarea>")), "{}", edit.body);
    let stored: (String, String) = sqlx::query_as("SELECT title, description FROM offers WHERE id = $1")
        .bind(offer)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(stored, (form.title, form.description));
}

#[test]
fn the_check_finds_plain_spaces_in_text_and_in_attributes_only() {
    let html = "<p>Adresse : <b>ici</b> ; « oui »</p><a title=\"Carte : Rodez\">x</a>\
                <script>a ? b : c</script><p>Prix\u{a0}: 5\u{a0}€, «\u{a0}bien\u{a0}»\u{a0}!</p>\
                <p>En % pour un salaire, 70 %</p><p>En € pour un loyer</p>";
    assert_eq!(breakable(html), ["Adresse : ", " ; « oui »", "Carte : Rodez", "En % pour un salaire, 70 %"]);
}

/// What kind of page an address is, its numbered segments left out ("/offres/12-x" is
/// "offres/*"): one page of each kind is read.
fn kind_of(path: &str) -> String {
    let path = path.split('?').next().unwrap_or_default().trim_start_matches('/');
    let segments = path.split('/').map(|s| if s.starts_with(|c: char| c.is_ascii_digit()) { "*" } else { s });
    segments.collect::<Vec<_>>().join("/")
}

/// The portal's own pages this page links to (not the API, feeds, files or other sites).
fn links(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|link| link.starts_with('/') && !link.starts_with("//"))
        .map(|link| link.split('#').next().unwrap_or_default().replace("&amp;", "&"))
        .filter(|link| {
            !["/api/", "/flux", "/export", "/pkg", "/carte/couches", "/sitemap", "/deconnexion", "/favicon"]
                .iter()
                .any(|skip| link.starts_with(skip))
                && !link.contains('.')
                && !link.is_empty()
        })
        .collect()
}

/// The texts of `html` a reader sees (text between tags, and the title, label, alternative
/// text, placeholder and description attributes) that hold a breakable space where French
/// wants a non-breaking one.
fn breakable(html: &str) -> Vec<String> {
    let mut texts = Vec::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        texts.push(rest[..open].to_owned());
        let tag_end = rest[open..].find('>').map_or(rest.len(), |end| open + end + 1);
        let tag = &rest[open..tag_end];
        for attribute in ["title=\"", "aria-label=\"", "alt=\"", "placeholder=\"", "content=\""] {
            if let Some(at) = tag.find(attribute) {
                texts.push(tag[at + attribute.len()..].split('"').next().unwrap_or_default().to_owned());
            }
        }
        rest = &rest[tag_end..];
        // Scripts and styles are not text.
        for (start, end) in [("<script", "</script>"), ("<style", "</style>")] {
            if tag.starts_with(start) {
                rest = rest.find(end).map_or("", |at| &rest[at..]);
            }
        }
    }
    texts.push(rest.to_owned());
    texts.into_iter().filter(|text| wants_non_breaking(text)).collect()
}

/// Whether `text` holds a plain space before « ; : ! ? » », after « « », or between a number
/// and « € » or « % » (« en % » names the unit: it may break).
fn wants_non_breaking(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    chars.windows(2).enumerate().any(|(at, pair)| match pair {
        [' ', ';' | ':' | '!' | '?' | '»'] | ['«', ' '] => true,
        [' ', '€' | '%'] => at > 0 && chars[at - 1].is_ascii_digit(),
        _ => false,
    })
}
