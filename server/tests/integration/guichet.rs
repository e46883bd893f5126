//! The guichet unique everywhere: a territory without a referent of its own offers the nearest
//! above it (a commune its intercommunalité's, then its département's), says plainly when
//! there is none, and `/guichet-unique` lists exactly the published pages that have a
//! referent; over the services and as a browser without JavaScript.

use crate::browser::*;
use crate::helpers::*;
use crate::seeds::{PASSWORD, SITE, World};
use app::domain::promotion::{Guichet, GuichetHere, GuichetLevel, PageContent};
use server::promotion::Promotions;

/// Decazeville and Aubin: communes of the CC Decazeville Communauté, in the Aveyron.
const DECAZEVILLE: &str = "/communes/12089-decazeville";
const AUBIN: &str = "/communes/12013-aubin";
const CC_DECAZEVILLE: &str = "200067064";

/// A collectivité (`kind`, its reference) of a new owner, verified, its page published with
/// that owner as referent (`role`), or without a referent when `role` is None.
async fn published(w: &World, promotions: &Promotions, (kind, reference): (&str, &str), role: Option<&str>) -> i64 {
    let email = format!("{kind}-{reference}@exemple.fr");
    let owner = w.confirmed_user(&email, &format!("Référent {reference}")).await;
    let organisation = w.organisation(owner, kind, &format!("Collectivité {reference}"), reference, true).await;
    publish(promotions, owner, organisation, role).await;
    organisation
}

async fn publish(promotions: &Promotions, owner: i64, organisation: i64, role: Option<&str>) {
    let content = PageContent {
        presentation: "Bienvenue.".into(),
        referent_id: role.map(|_| owner),
        referent_role: role.unwrap_or_default().into(),
        ..PageContent::default()
    };
    let (revision, problem) = promotions.save(owner, organisation, &content).await.unwrap();
    assert_eq!(problem, None);
    promotions.publish(owner, organisation, revision).await.unwrap();
}

async fn here(promotions: &Promotions, kind: &str, code: &str) -> GuichetHere {
    promotions.public_promotion(kind, code).await.unwrap().guichet
}

fn above(guichet: GuichetHere) -> Guichet {
    match guichet {
        GuichetHere::Above(guichet) => guichet,
        other => panic!("no guichet above: {other:?}"),
    }
}

/// A page's status and HTML, without the markers Leptos leaves between a text and what is
/// inserted into it (the sentences read whole).
async fn page(app: &TestApp, path: &str) -> (u16, String) {
    let (status, html) = app.page(path).await;
    (status, plain(&html))
}

fn plain(html: &str) -> String {
    html.replace("<!---->", "")
}

/// The guichet's section of a page, from its heading to the end of the section.
fn section(html: &str) -> &str {
    let start = html.find("id=\"guichet\"").unwrap_or_else(|| panic!("no guichet's section in {html}"));
    let end = html[start..].find("</section>").map_or(html.len(), |end| start + end);
    &html[start..end]
}

#[tokio::test]
async fn a_commune_without_a_referent_offers_its_epcis_then_its_departements_or_says_there_is_none() {
    let app = spawn_app().await;
    let w = World::of(&app).await;
    let promotions = Promotions::new(app.db.clone(), SITE.to_owned());

    // Nobody anywhere: said plainly, naming the territories above, with the way to the list.
    assert_eq!(here(&promotions, "commune", "12089").await, GuichetHere::Nowhere { elsewhere: 0 });
    let (status, html) = page(&app, DECAZEVILLE).await;
    assert_eq!(status, 200);
    let none = section(&html);
    assert!(says(none, "Pas encore de référent pour ce territoire"), "{none}");
    assert!(says(none, "CC Decazeville Communauté") && says(none, "Aveyron"), "{none}");
    assert!(none.contains("href=\"/guichet-unique\"") && !none.contains("<form"), "{none}");
    let (_, html) = page(&app, "/departements/12-aveyron").await;
    assert!(says(section(&html), "Pas encore de référent pour ce territoire."), "{html}");

    // The département has a referent: the commune and its intercommunalité offer it.
    let aveyron = published(&w, &promotions, ("departement", "12"), Some("Chargée de l'accueil des médecins")).await;
    let offered = above(here(&promotions, "commune", "12089").await);
    assert_eq!(
        (offered.organisation_id, offered.level, offered.territory.path.as_str()),
        (aveyron, GuichetLevel::Departement, "/departements/12-aveyron")
    );
    assert_eq!(offered.referent.role, "Chargée de l'accueil des médecins");
    assert_eq!(above(here(&promotions, "epci", CC_DECAZEVILLE).await).organisation_id, aveyron);
    assert_eq!(here(&promotions, "departement", "12").await, GuichetHere::Own);

    // Its intercommunalité has one too: the nearer wins, for each of its communes.
    let cc = published(&w, &promotions, ("epci", CC_DECAZEVILLE), Some("Chargé de mission santé")).await;
    for commune in ["12089", "12013"] {
        let offered = above(here(&promotions, "commune", commune).await);
        assert_eq!((offered.organisation_id, offered.level), (cc, GuichetLevel::Epci), "{commune}");
        assert_eq!(offered.departement.path, "/departements/12-aveyron");
    }
    assert_eq!(here(&promotions, "epci", CC_DECAZEVILLE).await, GuichetHere::Own);
    // Rodez, in another intercommunalité, still has the département's.
    assert_eq!(above(here(&promotions, "commune", "12202").await).organisation_id, aveyron);
    // The Gers has nobody: its communes say so, and how many territories have one.
    assert_eq!(here(&promotions, "commune", "32013").await, GuichetHere::Nowhere { elsewhere: 2 });
    let (_, html) = page(&app, "/communes/32013-auch").await;
    let none = section(&html);
    assert!(says(none, "Pas encore de référent pour ce territoire") && says(none, "Gers"), "{none}");
    assert!(says(none, "2 territoires ont déjà le leur"), "{none}");

    // A page of its own without a referent is shown, and the guichet above still answers.
    let mairie = published(&w, &promotions, ("commune", "12089"), None).await;
    let guichet = promotions.public_promotion("commune", "12089").await.unwrap();
    assert_eq!(guichet.page.map(|p| p.organisation_id), Some(mairie));
    assert_eq!(above(guichet.guichet).organisation_id, cc);
    let (_, html) = page(&app, DECAZEVILLE).await;
    assert!(says(&html, "Vivre et exercer ici"), "{html}");
    let offered = section(&html);
    assert!(says(offered, "Le guichet unique le plus proche") && says(offered, "CC Decazeville Communauté"));
    assert!(says(offered, "Chargé de mission santé") && says(offered, "intercommunalité"), "{offered}");
    // Its own referent, once named, takes over.
    let owner: i64 = sqlx::query_scalar("SELECT user_id FROM memberships WHERE organisation_id = $1")
        .bind(mairie)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    publish(&promotions, owner, mairie, Some("Maire adjointe")).await;
    assert_eq!(here(&promotions, "commune", "12089").await, GuichetHere::Own);
    let (_, html) = page(&app, DECAZEVILLE).await;
    assert!(says(section(&html), "Maire adjointe") && !says(&html, "Le guichet unique le plus proche"), "{html}");

    // From Aubin's page, a doctor writes to the intercommunalité's referent; the form comes back
    // to Aubin when it refuses, and the case is the intercommunalité's.
    w.confirmed_user("lea@exemple.fr", "Dr Léa Martin").await;
    let mut lea = Browser::new(&app);
    let signed =
        lea.submit("/connexion", "/connexion", &[("email", "lea@exemple.fr"), ("mot_de_passe", PASSWORD)]).await;
    assert_eq!(signed.status, 303);
    let aubin = plain(&lea.get(AUBIN).await.body);
    let form = section(&aubin);
    let action = format!("action=\"/organisations/{cc}/contact\"");
    assert!(form.contains(&action) && form.contains(&format!("value=\"{AUBIN}\"")), "{form}");
    let contact = format!("/organisations/{cc}/contact");
    let refused = lea.submit(AUBIN, &contact, &[("retour", AUBIN), ("objet", "Hé"), ("message", "Trop court")]).await;
    assert!(refused.location.starts_with(&format!("{AUBIN}?")) && refused.location.ends_with("#guichet"));
    let fields = [
        ("retour", AUBIN),
        ("objet", "Installation à Aubin"),
        ("message", "Bonjour, je cherche un cabinet près d'Aubin pour l'automne."),
    ];
    let opened = lea.submit(AUBIN, &contact, &fields).await;
    assert!(opened.location.starts_with("/dossiers/"), "{}", opened.location);
    let organisation: i64 =
        sqlx::query_scalar("SELECT organisation_id FROM cases").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(organisation, cc);
}

#[tokio::test]
async fn the_public_list_names_exactly_the_published_pages_whose_referent_is_a_member() {
    let app = spawn_app().await;
    let w = World::of(&app).await;
    let promotions = Promotions::new(app.db.clone(), SITE.to_owned());

    let (status, html) = page(&app, "/guichet-unique").await;
    assert_eq!(status, 200);
    assert!(says(&html, "Aucun territoire n'a encore de référent."), "{html}");

    // Listed: published with a referent.
    let decazeville = published(&w, &promotions, ("commune", "12089"), Some("Chargée de l'accueil")).await;
    let tarbes = published(&w, &promotions, ("commune", "65440"), Some("Référente santé")).await;
    let cc = published(&w, &promotions, ("epci", CC_DECAZEVILLE), Some("Chargé de mission santé")).await;
    // Not listed: published without a referent; saved, not published; a referent who left.
    published(&w, &promotions, ("commune", "12202"), None).await;
    let gers_owner = w.confirmed_user("gers@exemple.fr", "Département du Gers").await;
    let gers = w.organisation(gers_owner, "departement", "Département du Gers", "32", true).await;
    let draft =
        PageContent { referent_id: Some(gers_owner), presentation: "Bientôt.".into(), ..PageContent::default() };
    promotions.save(gers_owner, gers, &draft).await.unwrap();
    let millau_owner = w.confirmed_user("millau@exemple.fr", "Mairie de Millau").await;
    let millau = w.organisation(millau_owner, "commune", "Mairie de Millau", "12145", true).await;
    w.organisations.invite(millau_owner, millau, "paul@exemple.fr", "member").await.unwrap();
    let paul = w.confirmed_user("paul@exemple.fr", "Paul Accueil").await;
    let token = crate::personal_data::invitation_token(&app.db, "paul@exemple.fr").await;
    w.organisations.accept_invitation(paul, &token).await.unwrap();
    let content = PageContent { referent_id: Some(paul), presentation: "Bienvenue.".into(), ..PageContent::default() };
    let (revision, _) = promotions.save(millau_owner, millau, &content).await.unwrap();
    promotions.publish(millau_owner, millau, revision).await.unwrap();
    assert_eq!(promotions.guichets().await.unwrap().len(), 4, "Millau's referent is still a member");
    let (_, before) = page(&app, "/guichet-unique").await;
    assert!(says(&before, "Paul Accueil") && says(&before, "4 territoires ont un référent."), "{before}");
    // Once he leaves, the page kept in the cache is not served any more.
    w.organisations.remove_member(millau_owner, millau, paul).await.unwrap();

    // By département, communes before the intercommunalité.
    let listed: Vec<(i64, GuichetLevel, String)> = promotions
        .guichets()
        .await
        .unwrap()
        .into_iter()
        .map(|g| (g.organisation_id, g.level, g.departement.name))
        .collect();
    assert_eq!(
        listed,
        [
            (decazeville, GuichetLevel::Commune, "Aveyron".to_owned()),
            (cc, GuichetLevel::Epci, "Aveyron".to_owned()),
            (tarbes, GuichetLevel::Commune, "Hautes-Pyrénées".to_owned()),
        ]
    );
    assert_eq!(promotions.guichets_count().await.unwrap(), 3);
    let listing = promotions.guichets_page().await.unwrap();
    assert_eq!(listing.count(), 3);
    let gers_group = listing.departements.iter().find(|d| d.departement.name == "Gers").unwrap();
    assert!(gers_group.guichets.is_empty());

    // The public page: each with its level, its referent's role and a link to its page; the
    // départements without one named apart.
    let (status, html) = page(&app, "/guichet-unique").await;
    assert_eq!(status, 200);
    assert!(says(&html, "3 territoires ont un référent."), "{html}");
    for guichet in promotions.guichets().await.unwrap() {
        let (path, role) = (guichet.territory.path, guichet.referent.role);
        assert!(html.contains(&format!("href=\"{path}\"")) && says(&html, &role), "{path} in {html}");
    }
    assert!(html.contains(&format!("href=\"{DECAZEVILLE}\"")) && says(&html, "Référente santé"), "{html}");
    assert!(says(&html, "(intercommunalité)") && says(&html, "(commune)"), "{html}");
    for absent in ["/communes/12202-rodez", "/communes/12145-millau", "Paul Accueil"] {
        assert!(!html.contains(absent), "{absent} in {html}");
    }
    let without = html.split("data-guichets=\"sans\"").nth(1).expect("départements without a referent");
    let without = &without[..without.find("</p>").unwrap()];
    assert!(says(without, "Gers") && !says(without, "Aveyron") && !says(without, "Hautes-Pyrénées"), "{without}");

    // Linked from every page's footer, from the signed-in person's cases, and in the sitemap.
    let (_, home) = page(&app, "/").await;
    assert!(home.contains("href=\"/guichet-unique\""));
    let mut lea = Browser::new(&app);
    lea.confirmed("lea@exemple.fr", "Dr Léa Martin").await;
    let cases = plain(&lea.get("/dossiers").await.body);
    let link = cases.split("data-guichets=\"lien\"").nth(1).expect("the link to the list");
    assert!(says(link, "3 territoires ont un référent") && link.contains("href=\"/guichet-unique\""), "{link}");
    let (_, sitemap) = page(&app, "/sitemap.xml").await;
    assert!(sitemap.contains("/guichet-unique</loc>"), "{sitemap}");
}
