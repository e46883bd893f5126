//! The page cache (server/src/cache): public pages served from memory, and never one stale.
//! Each test first fills the cache, then writes, then reads again: the next request shows
//! the change, on this server and on another one on the same database.

use crate::browser::Browser;
use crate::helpers::*;
use crate::offers::remplacement;
use crate::search_index::publisher;
use app::domain::offers::{OfferForm, offer_path};
use reqwest::header;
use server::import::{self, Progress};

/// Every public response an offer in Rodez shows on: its commune, département and region
/// pages, the board, the feeds and exports, the open API, the map's layer, the sitemap.
const LISTS: [&str; 9] = [
    "/communes/12202-rodez",
    "/departements/12-aveyron",
    "/regions/76-occitanie",
    "/offres",
    "/flux/offres.atom",
    "/export/offres.csv",
    "/api/v1/offres",
    "/carte/couches/offres.geojson",
    "/sitemap.xml",
];

fn form(title: &str) -> OfferForm {
    OfferForm { title: title.into(), ..remplacement() }
}

/// GETs `path` twice and checks that the second answer came from memory, and that a
/// conditional GET with the ETag of the first is answered 304. A page is kept once the search index holds
/// the data it was rendered from: the index's worker sees to it within a moment, the test at
/// once.
async fn cached(app: &TestApp, path: &str) -> String {
    app.indexed().await;
    let first = app.get(path).await;
    assert_eq!(first.status(), 200, "{path}");
    let etag = first.headers().get(header::ETAG).unwrap_or_else(|| panic!("{path}: no ETag")).clone();
    let body = first.text().await.unwrap();
    let again =
        app.client.get(format!("{}{path}", app.address)).header(header::IF_NONE_MATCH, etag).send().await.unwrap();
    assert_eq!(again.status(), 304, "{path}");
    assert_eq!(again.headers()["x-cache"], "hit", "{path}: not kept");
    body
}

async fn body(app: &TestApp, path: &str) -> String {
    let (status, body) = app.page(path).await;
    assert_eq!(status, 200, "{path}");
    body
}

#[tokio::test]
async fn an_offer_published_edited_filled_and_ended_shows_on_the_next_request_everywhere() {
    let app = spawn_app().await;
    let p = publisher(&app).await;
    for path in LISTS {
        assert!(!cached(&app, path).await.contains("Remplacement estival"), "{path}");
    }

    let id = p.offers.create(p.owner, p.organisation, &form("Remplacement estival à Rodez")).await.unwrap();
    p.offers.publish(p.owner, id).await.unwrap();
    // As after a form: the writer's next page waits for the search index (the board, the
    // maps' lists and the feeds come from it).
    app.indexed().await;
    let page = offer_path(id, "Remplacement estival à Rodez");
    for path in LISTS {
        let body = body(&app, path).await;
        assert!(body.contains("Remplacement estival") || body.contains(&page), "{path}: the new offer is missing");
    }
    assert!(cached(&app, &page).await.contains("Remplacement estival à Rodez"));

    p.offers.update(p.owner, id, &form("Remplacement automnal à Rodez")).await.unwrap();
    app.indexed().await;
    let renamed = offer_path(id, "Remplacement automnal à Rodez");
    for path in LISTS {
        let body = body(&app, path).await;
        assert!(!body.contains("Remplacement estival"), "{path}: the old title is still shown");
        assert!(body.contains("Remplacement automnal") || body.contains(&renamed), "{path}: the new title is missing");
    }
    let moved = app.get(&page).await;
    assert_eq!(moved.status(), 301, "the old address leads to the new one");
    assert!(cached(&app, &renamed).await.contains("Remplacement automnal à Rodez"));

    p.offers.fill(p.owner, id).await.unwrap();
    app.indexed().await;
    for path in LISTS {
        let body = body(&app, path).await;
        assert!(
            !body.contains("Remplacement automnal") && !body.contains(&renamed),
            "{path}: a filled offer is still listed"
        );
    }
    assert!(body(&app, &renamed).await.contains("Cette offre est pourvue"));

    // The end of a publication comes with time, not with a write: a page kept before it is
    // not served after it.
    let second = p.offers.create(p.owner, p.organisation, &form("Remplacement hivernal à Rodez")).await.unwrap();
    p.offers.publish(p.owner, second).await.unwrap();
    let ends = crate::seeds::now() + 3;
    sqlx::query("UPDATE offers SET expires_at = $1 WHERE id = $2")
        .bind(ends)
        .bind(second)
        .execute(&app.db.pool)
        .await
        .unwrap();
    app.indexed().await;
    for path in ["/communes/12202-rodez", "/offres", "/api/v1/offres"] {
        assert!(cached(&app, path).await.contains("Remplacement hivernal"), "{path}");
    }
    tokio::time::sleep(std::time::Duration::from_secs_f64((ends - crate::seeds::now()) as f64 + 1.2)).await;
    for path in ["/communes/12202-rodez", "/offres", "/api/v1/offres"] {
        assert!(!body(&app, path).await.contains("Remplacement hivernal"), "{path}: an ended offer is still listed");
    }
}

#[tokio::test]
async fn an_import_refreshes_every_territory_page() {
    let app = spawn_app().await;
    let paths = ["/communes/12202-rodez", "/departements/12-aveyron", "/api/v1/communes/12202"];
    let before: Vec<String> = futures_bodies(&app, &paths).await;
    // A figure changed in the reference data, as a new vintage would: every page shows it.
    sqlx::query("UPDATE communes SET name = 'Rodez-Nouvelle' WHERE code = '12202'")
        .execute(&app.db.pool)
        .await
        .unwrap();
    for path in paths {
        assert!(body(&app, path).await.contains("Rodez-Nouvelle"), "{path}");
    }
    // The import of the files puts the name back, and the pages follow.
    import::run(&app.db, &reference_data(), Progress::Hidden).await.unwrap();
    app.indexed().await;
    for (path, before) in paths.iter().zip(&before) {
        let now = body(&app, path).await;
        assert!(!now.contains("Rodez-Nouvelle"), "{path}");
        assert_eq!(&now, before, "{path}: as before the change");
    }
}

async fn futures_bodies(app: &TestApp, paths: &[&str]) -> Vec<String> {
    let mut bodies = Vec::new();
    for path in paths {
        bodies.push(cached(app, path).await);
    }
    bodies
}

#[tokio::test]
async fn a_change_through_one_server_is_seen_through_the_other_on_the_next_request() {
    let a = spawn_app().await;
    let b = spawn_beside(&a).await;
    let p = publisher(&a).await;
    let pages = ["/offres", "/communes/12202-rodez", "/api/v1/offres"];
    for path in pages {
        cached(&a, path).await;
        cached(&b, path).await;
    }
    let id = p.offers.create(p.owner, p.organisation, &form("Remplacement estival à Rodez")).await.unwrap();
    p.offers.publish(p.owner, id).await.unwrap();
    // The offer's page reads the database: B shows the offer at once.
    let page = offer_path(id, "Remplacement estival à Rodez");
    assert!(body(&b, &page).await.contains("Remplacement estival à Rodez"));
    // The board and the maps' lists come from each server's own index, which B brings up to
    // date by itself (its worker; here, at once).
    b.indexed().await;
    for path in pages {
        assert!(body(&b, path).await.contains("Remplacement estival"), "{path} through B");
    }
    // And the other way round.
    p.offers.withdraw(p.owner, id).await.unwrap();
    a.indexed().await;
    b.indexed().await;
    for path in pages {
        assert!(!body(&a, path).await.contains("Remplacement estival"), "{path} through A");
        assert!(!body(&b, path).await.contains("Remplacement estival"), "{path} through B");
    }
}

#[tokio::test]
async fn kept_pages_come_compressed_with_validators_and_no_cookie() {
    let app = spawn_app().await;
    let path = "/communes/12202-rodez";
    let plain = cached(&app, path).await;
    let fresh = app.get(path).await;
    assert_eq!(fresh.headers()[header::CACHE_CONTROL], "public, no-cache");
    assert!(fresh.headers().get(header::SET_COOKIE).is_none(), "a shared page sets no cookie");
    // Each encoding gives back the same page.
    for encoding in ["br", "gzip"] {
        assert_eq!(decoded(&app, path, encoding).await, plain, "{encoding}");
    }
    // A client without compression gets the same text, from a plain copy after the first time,
    // and never a copy older than the page: a change is on its next request too.
    for _ in 0..2 {
        let response = app.get(path).await;
        assert!(response.headers().get(header::CONTENT_ENCODING).is_none());
        assert_eq!(response.headers()["x-cache"], "hit");
        assert_eq!(response.text().await.unwrap(), plain);
    }
    sqlx::query("UPDATE communes SET name = 'Rodez-Nouvelle' WHERE code = '12202'")
        .execute(&app.db.pool)
        .await
        .unwrap();
    assert!(body(&app, path).await.contains("Rodez-Nouvelle"));
    assert!(body(&app, path).await.contains("Rodez-Nouvelle"), "its plain copy is the new text");
    // A page with a form of the visitor's (sign-in) is theirs: never shared.
    let sign_in = app.get("/connexion").await;
    assert!(sign_in.headers().get(header::SET_COOKIE).is_some());
    assert!(sign_in.headers().get(header::ETAG).is_none());
}

/// `path` asked in `encoding` (br or gzip), decoded here: the test client decodes nothing itself.
async fn decoded(app: &TestApp, path: &str, encoding: &str) -> String {
    let response = app
        .client
        .get(format!("{}{path}", app.address))
        .header(header::ACCEPT_ENCODING, encoding)
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()[header::CONTENT_ENCODING], encoding, "{path}");
    let bytes = response.bytes().await.unwrap();
    let mut decoded = Vec::new();
    match encoding {
        "br" => brotli::BrotliDecompress(&mut &bytes[..], &mut decoded).unwrap(),
        _ => {
            std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&bytes[..]), &mut decoded).map(|_| ()).unwrap()
        }
    }
    String::from_utf8(decoded).unwrap()
}

/// With no budget (PAGE_CACHE_MB=0, as `.ci/bench` measures renders) nothing is kept, and a
/// page is still sent in the encoding its client takes, with a validator.
#[tokio::test]
async fn without_a_budget_every_request_renders_and_gets_the_same_answers() {
    let app = spawn_app_with(imported_db().await, &[("PAGE_CACHE_MB", "0")]).await;
    app.indexed().await;
    let path = "/communes/12202-rodez";
    let first = app.get(path).await;
    assert_eq!(first.headers()["x-cache"], "miss");
    assert!(first.headers().get(header::CONTENT_ENCODING).is_none());
    let etag = first.headers()[header::ETAG].clone();
    let plain = first.text().await.unwrap();
    assert!(plain.contains("Rodez"));
    for encoding in ["br", "gzip"] {
        assert_eq!(decoded(&app, path, encoding).await, plain, "{encoding}");
    }
    let again =
        app.client.get(format!("{}{path}", app.address)).header(header::IF_NONE_MATCH, etag).send().await.unwrap();
    assert_eq!(again.status(), 304, "the same render has the same validator");
    assert_eq!(again.headers()["x-cache"], "miss", "rendered again, not kept");
}

#[tokio::test]
async fn signed_in_visitors_see_their_own_header() {
    let app = spawn_app().await;
    cached(&app, "/communes/12202-rodez").await;
    let mut browser = Browser::new(&app);
    browser.sign_up("claire@exemple.fr", "Claire").await;
    let cookie = browser.cookie_header();
    let as_claire =
        |path: &str| app.client.get(format!("{}{path}", app.address)).header(header::COOKIE, cookie.clone());
    // A commune page differs for her only by the header: the kept copy, with her links.
    let page = as_claire("/communes/12202-rodez").send().await.unwrap();
    assert_eq!(page.headers()["x-cache"], "hit");
    assert_eq!(page.headers()[header::CACHE_CONTROL], "private, no-cache");
    let body = page.text().await.unwrap();
    assert!(body.contains(r#"<a href="/compte">Mon compte</a>"#), "the signed-in header");
    assert!(!body.contains("Se connecter") && !body.contains("Créer un compte"));
    // Her copy is kept too, compressed once, with a validator of its own.
    let compressed = as_claire("/communes/12202-rodez").header(header::ACCEPT_ENCODING, "br").send().await.unwrap();
    assert_eq!(compressed.headers()["x-cache"], "hit");
    assert_eq!(compressed.headers()[header::CONTENT_ENCODING], "br");
    assert_eq!(compressed.headers()[header::CACHE_CONTROL], "private, no-cache");
    let etag = compressed.headers()[header::ETAG].clone();
    let mut decoded = Vec::new();
    brotli::BrotliDecompress(&mut &compressed.bytes().await.unwrap()[..], &mut decoded).unwrap();
    assert_eq!(String::from_utf8(decoded).unwrap(), body);
    assert_ne!(etag, app.get("/communes/12202-rodez").await.headers()[header::ETAG], "not the anonymous copy's");
    let unchanged =
        as_claire("/communes/12202-rodez").header(header::IF_NONE_MATCH, etag.clone()).send().await.unwrap();
    assert_eq!(unchanged.status(), 304);
    // A change of what the page shows reaches her copy on the next request.
    sqlx::query("UPDATE communes SET name = 'Rodez-Nouvelle' WHERE code = '12202'")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let changed = as_claire("/communes/12202-rodez").header(header::IF_NONE_MATCH, etag).send().await.unwrap();
    assert_eq!(changed.status(), 200, "her copy is stale once the anonymous one is");
    let changed = changed.text().await.unwrap();
    assert!(changed.contains("Rodez-Nouvelle") && changed.contains(r#"<a href="/compte">Mon compte</a>"#));
    // Data is the same for everyone; the board has her alert form: rendered for her.
    cached(&app, "/api/v1/offres").await;
    assert_eq!(as_claire("/api/v1/offres").send().await.unwrap().headers()["x-cache"], "hit");
    cached(&app, "/offres").await;
    let board = as_claire("/offres").send().await.unwrap();
    assert!(board.headers().get("x-cache").is_none());
    assert!(board.text().await.unwrap().contains(r#"action="/offres/alertes""#), "her alert form");
}

#[tokio::test]
async fn a_page_only_signed_in_people_visit_is_kept_for_them_too() {
    let app = spawn_app().await;
    app.indexed().await;
    let mut browser = Browser::new(&app);
    browser.sign_up("claire@exemple.fr", "Claire").await;
    let cookie = browser.cookie_header();
    let as_claire =
        || app.client.get(format!("{}/communes/12202-rodez", app.address)).header(header::COOKIE, cookie.clone());
    // No anonymous visitor came: her first visit renders the page as one would get it, keeps
    // it, and gives her that copy with her header; her next visit comes from memory.
    let first = as_claire().send().await.unwrap();
    assert_eq!(first.status(), 200);
    assert!(first.headers().get(header::SET_COOKIE).is_none(), "her session lives on, untouched");
    let first = first.text().await.unwrap();
    assert!(first.contains(r#"<a href="/compte">Mon compte</a>"#) && !first.contains("Se connecter"));
    let again = as_claire().send().await.unwrap();
    assert_eq!(again.headers()["x-cache"], "hit");
    assert_eq!(again.text().await.unwrap(), first);
    // The copy kept is the anonymous page: no trace of her.
    let anonymous = app.get("/communes/12202-rodez").await;
    assert_eq!(anonymous.headers()["x-cache"], "hit");
    let anonymous = anonymous.text().await.unwrap();
    assert!(anonymous.contains("Se connecter") && !anonymous.contains("Mon compte"));
    assert!(!anonymous.contains("Claire") && !anonymous.contains("claire@exemple.fr"));
    // Once the data changes, her next visit renders it again, for everyone.
    sqlx::query("UPDATE communes SET name = 'Rodez-Nouvelle' WHERE code = '12202'")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let changed = as_claire().send().await.unwrap().text().await.unwrap();
    assert!(changed.contains("Rodez-Nouvelle") && changed.contains(r#"<a href="/compte">Mon compte</a>"#));
    assert_eq!(app.get("/communes/12202-rodez").await.headers()["x-cache"], "hit");
}

/// The account page as the holder of `cookie` gets it from `app`.
async fn account_page(app: &TestApp, cookie: &str) -> (u16, String) {
    let page = app.client.get(format!("{}/compte", app.address)).header(header::COOKIE, cookie).send().await.unwrap();
    (page.status().as_u16(), page.text().await.unwrap())
}

/// The session layer keeps the sessions it looked up in memory (server/src/http/session/known.rs)
/// while no person or session changes: whatever changes one, through any server or straight in
/// the database, shows on the next request of every server.
#[tokio::test]
async fn a_session_changed_through_one_server_is_seen_through_the_other_on_the_next_request() {
    let a = spawn_app().await;
    let b = spawn_beside(&a).await;
    let mut browser = Browser::new(&a);
    browser.sign_up("claire@exemple.fr", "Claire").await;
    let cookie = browser.cookie_header();
    // B looks her session up, then knows it.
    for _ in 0..2 {
        let (status, page) = account_page(&b, &cookie).await;
        assert_eq!(status, 200);
        assert!(page.contains("Claire") && page.contains("claire@exemple.fr"));
    }
    // A change of her account: B's next page has it.
    sqlx::query("UPDATE users SET display_name = 'Claire Dupont' WHERE email = 'claire@exemple.fr'")
        .execute(&a.db.pool)
        .await
        .unwrap();
    assert!(account_page(&b, &cookie).await.1.contains("Claire Dupont"), "renamed");
    // Signed out through A: B's next request is anonymous.
    let signed_out = browser.submit("/compte", "/deconnexion", &[]).await;
    assert_eq!(signed_out.status, 303);
    let (status, page) = account_page(&b, &cookie).await;
    assert_eq!(status, 401, "the session closed through A is closed on B");
    assert!(page.contains("Connectez-vous"));
    assert_eq!(account_page(&a, &cookie).await.0, 401);
    // A session known to B ends at its time there too.
    let again = Browser::signed_in(&a, "claire@exemple.fr").await;
    let cookie = again.cookie_header();
    assert_eq!(account_page(&b, &cookie).await.0, 200);
    b.clock.advance(server::accounts::SESSION_TTL + std::time::Duration::from_secs(1));
    assert_eq!(account_page(&b, &cookie).await.0, 401, "expired");
}

/// `n` as pages write it: groups of three digits.
fn grouped(n: i64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(c);
    }
    fr(&out)
}

#[tokio::test]
async fn territory_figures_are_computed_at_import_not_per_request() {
    let app = spawn_app().await;
    let stored: i64 = sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM territory_figures")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let territories: i64 = sqlx::query_scalar(
        "SELECT CAST((SELECT COUNT(*) FROM regions) + (SELECT COUNT(*) FROM departements) + (SELECT COUNT(*) FROM epcis) AS BIGINT)",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(stored, territories, "one row of figures per region, département and EPCI");

    let population = || async {
        sqlx::query_scalar::<_, i64>(
            "SELECT CAST(SUM(population) AS BIGINT) FROM communes WHERE departement_code = '12'",
        )
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
    };
    let imported = population().await;
    assert!(cached(&app, "/departements/12-aveyron").await.contains(&grouped(imported)));
    // A change of the communes alone does not move the département's figures: they are read,
    // not computed, by the page…
    sqlx::query("UPDATE communes SET population = population + 1000 WHERE code = '12202'")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let page = body(&app, "/departements/12-aveyron").await;
    assert!(page.contains(&grouped(imported)) && !page.contains(&grouped(imported + 1000)));
    // …until they are computed again, as an import does.
    server::territory::refresh_figures(&app.db).await.unwrap();
    assert!(body(&app, "/departements/12-aveyron").await.contains(&grouped(imported + 1000)));
    import::run(&app.db, &reference_data(), Progress::Hidden).await.unwrap();
    assert_eq!(population().await, imported);
    assert!(body(&app, "/departements/12-aveyron").await.contains(&grouped(imported)), "the import put both back");
}

#[tokio::test]
async fn the_sites_files_are_compressed_once_and_revalidated_by_etag() {
    let site = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(site.path().join("vendor/lib")).unwrap();
    let script = "function carte() { return 42; }\n".repeat(2_000);
    std::fs::write(site.path().join("vendor/lib/lib.js"), &script).unwrap();
    let root = site.path().display().to_string();
    let app = spawn_app_with(empty_db().await, &[("LEPTOS_SITE_ROOT", root.as_str())]).await;
    let url = format!("{}/vendor/lib/lib.js", app.address);

    let response = app.client.get(&url).header(header::ACCEPT_ENCODING, "gzip, deflate, br").send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()[header::CONTENT_ENCODING], "br");
    assert_eq!(response.headers()[header::CONTENT_TYPE], "text/javascript; charset=utf-8");
    assert!(response.headers().get(header::SET_COOKIE).is_none(), "a file sets no cookie");
    let etag = response.headers()[header::ETAG].clone();
    let body = response.bytes().await.unwrap();
    let mut plain = Vec::new();
    brotli::BrotliDecompress(&mut &body[..], &mut plain).unwrap();
    assert_eq!(plain, script.as_bytes());

    let gzip = app.client.get(&url).header(header::ACCEPT_ENCODING, "gzip").send().await.unwrap();
    assert_eq!(gzip.headers()[header::CONTENT_ENCODING], "gzip");
    let plain = app.client.get(&url).send().await.unwrap();
    assert!(plain.headers().get(header::CONTENT_ENCODING).is_none());
    assert_eq!(plain.text().await.unwrap(), script);

    let again = app.client.get(&url).header(header::IF_NONE_MATCH, etag.clone()).send().await.unwrap();
    assert_eq!(again.status(), 304);

    // A new build writes the file again: the next request has its bytes and a new ETag.
    std::fs::write(site.path().join("vendor/lib/lib.js"), "let nouveau = true;").unwrap();
    let changed = app.client.get(&url).header(header::IF_NONE_MATCH, etag.clone()).send().await.unwrap();
    assert_eq!(changed.status(), 200);
    assert_ne!(changed.headers()[header::ETAG], etag);
    assert_eq!(changed.text().await.unwrap(), "let nouveau = true;");

    for path in ["/vendor/lib/absent.js", "/vendor/%2e%2e/%2e%2e/etc/passwd", "/pkg/.env"] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 404, "{path}");
    }
}
