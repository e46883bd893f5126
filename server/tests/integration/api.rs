//! The open API (`/api/v1`) and the feeds over HTTP, on the real imported data and the example
//! offers: pages and their links, the board's filters read strictly, stable identifiers, French
//! errors in JSON, CORS, the OpenAPI document and the page made from it.

use crate::helpers::*;
use crate::offers::remplacement;
use crate::seeds::World;
use serde_json::Value;
use server::accounts::Accounts;

const SITE: &str = "https://medecins-territoires.example";

async fn json(app: &TestApp, path: &str) -> (u16, Value) {
    let response = app.get(path).await;
    let status = response.status().as_u16();
    let kind = response.headers().get("content-type").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    assert!(kind.starts_with("application/json"), "{path}: {kind}");
    (status, response.json().await.expect("JSON"))
}

async fn ok(app: &TestApp, path: &str) -> Value {
    let (status, body) = json(app, path).await;
    assert_eq!(status, 200, "{path}: {body}");
    body
}

/// The French message of a refusal with `status`.
async fn refused(app: &TestApp, path: &str, status: u16) -> String {
    let (got, body) = json(app, path).await;
    assert_eq!(got, status, "{path}: {body}");
    body["erreur"].as_str().expect("erreur").to_owned()
}

fn elements(page: &Value) -> &Vec<Value> {
    page["elements"].as_array().expect("elements")
}

async fn with_examples() -> TestApp {
    let app = spawn_app().await;
    server::demo::seed(&app.db, &Accounts::new(app.db.clone(), SITE.to_owned()), false, 200).await.unwrap();
    app.indexed().await;
    app
}

#[tokio::test]
async fn offers_are_listed_by_pages_with_the_boards_filters() {
    let app = with_examples().await;

    let first = ok(&app, "/api/v1/offres?par_page=7").await;
    assert_eq!(first["total"], 200, "every open example offer");
    assert_eq!((first["page"].as_u64(), first["pages"].as_u64()), (Some(1), Some(29)));
    assert_eq!(elements(&first).len(), 7);
    assert!(first["precedente"].is_null());
    let next = first["suivante"].as_str().unwrap();
    assert_eq!(next, format!("{SITE}/api/v1/offres?par_page=7&page=2"));
    let second = ok(&app, next.trim_start_matches(SITE)).await;
    assert_eq!(second["precedente"], format!("{SITE}/api/v1/offres?par_page=7&page=1"));
    let ids = |page: &Value| elements(page).iter().map(|o| o["id"].as_i64().unwrap()).collect::<Vec<_>>();
    assert!(ids(&first).iter().all(|id| !ids(&second).contains(id)), "pages do not overlap");
    // A zone from east to west holds nothing.
    assert_eq!(ok(&app, "/api/v1/offres?zone=3,44,2,45").await["total"], 0);
    let past = ok(&app, "/api/v1/offres?par_page=100&page=3").await;
    assert!(elements(&past).is_empty() && past["suivante"].is_null());

    // Newest first, every one open, with its place and publisher.
    let offer = &elements(&first)[0];
    assert_eq!(offer["etat"], "ouverte");
    assert!(offer["adresse"].as_str().unwrap().starts_with(&format!("{SITE}/offres/{}-", offer["id"])));
    assert!(offer["commune"]["code"].as_str().unwrap().len() == 5);
    assert_eq!(offer["exemple"], true);

    // The board's filters, with the board's names and values.
    let replacements = ok(&app, "/api/v1/offres?type=remplacement&dep=12&par_page=100").await;
    assert!(!elements(&replacements).is_empty());
    for o in elements(&replacements) {
        assert_eq!(
            (o["type"]["code"].as_str(), o["commune"]["departement"].as_str()),
            (Some("remplacement"), Some("12"))
        );
    }
    let around = ok(&app, "/api/v1/offres?autour=12202&rayon=40&par_page=100").await;
    let distances: Vec<f64> = elements(&around).iter().map(|o| o["distance_km"].as_f64().unwrap()).collect();
    assert!(!distances.is_empty() && distances.iter().all(|km| *km <= 40.0), "{distances:?}");
    assert!(distances.windows(2).all(|w| w[0] <= w[1]), "nearest first: {distances:?}");
    // Words, as on the board: the first offer is found by its commune's name.
    let place = offer["commune"]["nom"].as_str().unwrap();
    let words = ok(&app, &format!("/api/v1/offres?q={}&par_page=100", place.replace(' ', "%20"))).await;
    assert!(elements(&words).iter().any(|o| o["id"] == offer["id"]), "{place}: {words}");

    // One offer by its identifier, the same as in the list.
    let id = offer["id"].as_i64().unwrap();
    let one = ok(&app, &format!("/api/v1/offres/{id}")).await;
    assert_eq!(one["titre"], offer["titre"]);
    assert!(one["remuneration"]["texte"].as_str().is_some_and(|t| !t.is_empty()));
}

#[tokio::test]
async fn bad_input_gets_a_french_message_in_json_and_nothing_else() {
    let app = spawn_app().await;
    for (path, words) in [
        ("/api/v1/offres?type=cdi", "séparée par des virgules de : installation, salariat"),
        ("/api/v1/offres?type=remplacement,,stage", "séparée par des virgules"),
        ("/api/v1/offres?dep=1", "numéro de département"),
        ("/api/v1/offres?dep=12&dep=31", "plusieurs fois"),
        ("/api/v1/offres?du=2027-02-30", "AAAA-MM-JJ"),
        ("/api/v1/offres?zone=3,44,2,95", "latitudes de -90 à 90"),
        ("/api/v1/offres?par_page=0", "de 1 à 100"),
        ("/api/v1/offres?page=%2B1", "nombre entier"),
        ("/api/v1/offres/abc", "identifiant"),
        ("/api/v1/offres/0", "identifiant"),
        ("/api/v1/communes/1220", "code INSEE"),
        ("/api/v1/communes?zonage=zip", "ZIP, ZAC, ZAR"),
        ("/api/v1/departements/20", "département"),
        ("/api/v1/epci/12345", "SIREN"),
        ("/api/v1/structures/12%27%20OR%201=1", "FINESS"),
        ("/api/v1/aides/Etat_CESP", "identifiant d'aide"),
        ("/api/v1/evenements?type=soiree", "valeurs possibles"),
    ] {
        let message = refused(&app, path, 400).await;
        assert!(message.contains(words), "{path}: {message}");
        assert!(message.ends_with('.'), "{message}");
    }
    for (path, words) in [
        ("/api/v1/offres/999999", "Aucune offre"),
        ("/api/v1/offres?autour=99999", "Aucune commune"),
        ("/api/v1/communes/99999", "Aucune commune"),
        ("/api/v1/departements/2A", "Aucun département"),
        ("/api/v1/aides/n-existe-pas", "Aucune aide"),
        ("/api/v1/evenements/7", "Aucun événement"),
        ("/api/v1/nulle-part", "n'existe pas"),
    ] {
        let message = refused(&app, path, 404).await;
        assert!(message.contains(words), "{path}: {message}");
    }
    // Nothing is written by the API.
    let response = app.client.post(format!("{}/api/v1/offres", app.address)).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 405);
}

#[tokio::test]
async fn territories_structures_aids_and_events_by_their_stable_identifiers() {
    let app = spawn_app().await;
    let regions = ok(&app, "/api/v1/regions").await;
    assert_eq!(regions["total"], 1);
    assert_eq!(elements(&regions)[0]["nom"], "Occitanie");
    let departements = ok(&app, "/api/v1/departements?region=76").await;
    assert_eq!(departements["total"], 13);
    let aveyron = ok(&app, "/api/v1/departements/12").await;
    assert_eq!((aveyron["nom"].as_str(), aveyron["communes"].as_i64()), (Some("Aveyron"), Some(285)));
    assert_eq!(aveyron["adresse"], format!("{SITE}/departements/12-aveyron"));

    let rodez = ok(&app, "/api/v1/communes/12202").await;
    assert_eq!((rodez["nom"].as_str(), rodez["zonage"].as_str()), (Some("Rodez"), Some("ZAC")));
    assert_eq!(rodez["epci"], "241200187");
    assert_eq!(rodez["codes_postaux"], serde_json::json!(["12000"]));
    let apl = rodez["apl"].as_array().unwrap();
    assert_eq!(apl.last().unwrap()["annee"], 2023);
    assert!((apl.last().unwrap()["apl"].as_f64().unwrap() - 4.27).abs() < 0.01, "{apl:?}");
    let aveyron_communes = ok(&app, "/api/v1/communes?departement=12&par_page=100&page=3").await;
    assert_eq!((aveyron_communes["total"].as_u64(), aveyron_communes["pages"].as_u64()), (Some(285), Some(3)));
    assert_eq!(elements(&aveyron_communes).len(), 85);
    assert!(
        elements(&aveyron_communes)
            .iter()
            .all(|c| c["departement"] == "12" && !c["apl"].as_array().unwrap().is_empty())
    );
    let big = ok(&app, "/api/v1/communes?zonage=ZIP&population_min=20000").await;
    assert!(elements(&big).iter().all(|c| c["zonage"] == "ZIP" && c["population"].as_i64().unwrap() >= 20_000));

    let epci = ok(&app, "/api/v1/epci/241200187").await;
    assert_eq!(epci["nom"], "CA Rodez Agglomération");
    assert_eq!(epci["departements"], serde_json::json!(["12"]));
    let epcis = ok(&app, "/api/v1/epci?departement=12&par_page=100").await;
    assert!(elements(&epcis).iter().any(|e| e["siren"] == "241200187"));

    let structures = ok(&app, "/api/v1/structures?commune=12202&par_page=100").await;
    assert!(elements(&structures).iter().any(|s| s["finess"] == "120783972"));
    let structure = ok(&app, "/api/v1/structures/120783972").await;
    assert_eq!(
        (structure["type"]["code"].as_str(), structure["commune"].as_str()),
        (Some("centre_sante"), Some("12202"))
    );
    let msp = ok(&app, "/api/v1/structures?departement=12&type=msp&par_page=100").await;
    assert!(msp["total"].as_u64().unwrap() > 0);
    assert!(elements(&msp).iter().all(|s| s["type"]["code"] == "msp"));

    let catalogue = ok(&app, "/api/v1/aides?par_page=100").await;
    assert_eq!(catalogue["total"], 19, "the aids of server/data/aides.json");
    let cesp = ok(&app, "/api/v1/aides/etat-cesp").await;
    assert!(cesp["source"].as_str().unwrap().starts_with("https://"));
    let interne = ok(&app, "/api/v1/aides?commune=12202&profil=interne&par_page=100").await;
    assert!(!elements(&interne).is_empty());
    for aid in elements(&interne) {
        assert!(["s_applique", "a_verifier"].contains(&aid["application"]["statut"].as_str().unwrap()), "{aid}");
        let profiles = aid["profils"].as_array().unwrap();
        assert!(profiles.is_empty() || profiles.contains(&Value::from("interne")), "{aid}");
    }
    // ZIP-only aids do not apply in Rodez (ZAC).
    assert!(
        !elements(&ok(&app, "/api/v1/aides?commune=12202&par_page=100").await)
            .iter()
            .any(|a| a["identifiant"] == "am-aide-installation-zip")
    );

    let events = ok(&app, "/api/v1/evenements").await;
    assert_eq!(events["total"], 0);
}

#[tokio::test]
async fn a_closed_offer_keeps_its_address_and_says_so_and_a_draft_is_not_there() {
    let app = spawn_app().await;
    let world = World::of(&app).await;
    let offers = &world.offers;
    let owner = world.user("mairie@rodez.example", "Mairie").await;
    let organisation = world.organisation(owner, "commune", "Mairie de Rodez", "12202", true).await;
    let draft = offers.create(owner, organisation, &remplacement()).await.unwrap();
    refused(&app, &format!("/api/v1/offres/{draft}"), 404).await;
    offers.publish(owner, draft).await.unwrap();
    app.indexed().await;
    assert_eq!(ok(&app, &format!("/api/v1/offres/{draft}")).await["etat"], "ouverte");
    assert_eq!(ok(&app, "/api/v1/offres").await["total"], 1);
    offers.withdraw(owner, draft).await.unwrap();
    app.indexed().await;
    assert_eq!(ok(&app, &format!("/api/v1/offres/{draft}")).await["etat"], "retiree");
    assert_eq!(ok(&app, "/api/v1/offres").await["total"], 0, "lists hold open offers only");
}

#[tokio::test]
async fn any_site_may_read_the_api_and_its_document_describes_every_address() {
    let app = spawn_app().await;
    let response = app
        .client
        .get(format!("{}/api/v1/regions", app.address))
        .header("Origin", "https://ars.example")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["access-control-allow-origin"], "*");
    let preflight = app
        .client
        .request(reqwest::Method::OPTIONS, format!("{}/api/v1/offres", app.address))
        .header("Origin", "https://ars.example")
        .header("Access-Control-Request-Method", "GET")
        .send()
        .await
        .unwrap();
    assert!(preflight.status().is_success(), "{}", preflight.status());
    assert_eq!(preflight.headers()["access-control-allow-origin"], "*");
    assert!(preflight.headers()["access-control-allow-methods"].to_str().unwrap().contains("GET"));
    // Pages are not opened to other sites.
    let page =
        app.client.get(format!("{}/offres", app.address)).header("Origin", "https://ars.example").send().await.unwrap();
    assert!(page.headers().get("access-control-allow-origin").is_none());

    let document = ok(&app, "/api/v1/openapi.json").await;
    assert!(document["openapi"].as_str().unwrap().starts_with("3."));
    assert_eq!(document["servers"][0]["url"], SITE);
    let paths = document["paths"].as_object().unwrap();
    assert_eq!(paths.len(), 19);
    // Every documented address answers (with its example identifier, or the list).
    for (path, item) in paths {
        let mut concrete = path.clone();
        for p in item["get"]["parameters"].as_array().unwrap() {
            if p["in"] == "path" {
                let example = &p["schema"]["examples"][0];
                let value = example.as_str().map(str::to_owned).unwrap_or_else(|| example.to_string());
                concrete = concrete.replace(&format!("{{{}}}", p["name"].as_str().unwrap()), &value);
            }
        }
        let (status, _) = json(&app, &concrete).await;
        // Offer 1, event 1, stage site 1 and housing 1 do not exist in a database without examples.
        let numbered = ["offres/", "evenements/", "terrains-de-stage/", "logements-internes/"];
        assert!(status == 200 || (status == 404 && numbered.iter().any(|n| path.contains(n))), "{concrete}: {status}");
    }
    let kind =
        paths["/api/v1/offres"]["get"]["parameters"].as_array().unwrap().iter().find(|p| p["name"] == "type").unwrap();
    // Several kinds at once: a comma-separated list of the kinds' codes.
    let pattern = kind["schema"]["pattern"].as_str().unwrap();
    assert!(pattern.starts_with("^(") && pattern.contains("|remplacement|") && pattern.ends_with(")*$"), "{pattern}");

    // The reference page is made from the document.
    let (status, html) = app.page("/api").await;
    assert_eq!(status, 200);
    for words in ["API ouverte", "/api/v1/communes/{code}", "/api/v1/openapi.json", "remplacement", "par_page"] {
        assert!(html.contains(words), "{words}");
    }
}

#[tokio::test]
async fn the_rss_feed_follows_the_boards_filters_like_the_atom_feed() {
    let app = with_examples().await;
    // Job engines read the feeds: the examples stay out of them…
    let rss = app.page("/flux/offres.rss?type=stage").await.1;
    assert_eq!(rss.matches("<item>").count(), 0, "{rss}");
    // …so the stage examples are made real ones here, to read the feed of many offers.
    sqlx::query("UPDATE offers SET example = 0 WHERE kind = 'stage'").execute(&app.db.pool).await.unwrap();
    let response = app.get("/flux/offres.rss?type=stage").await;
    assert_eq!(response.status().as_u16(), 200);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("application/rss+xml"));
    let rss = response.text().await.unwrap();
    assert!(rss.starts_with("<?xml") && rss.contains("<rss version=\"2.0\""), "{rss}");
    assert!(rss.contains(&format!("<atom:link href=\"{SITE}/flux/offres.rss?type=stage\"")));
    let items = rss.matches("<item>").count();
    assert!(items > 0 && items <= 50);
    assert_eq!(rss.matches("<category>Stage d&apos;interne</category>").count(), items);
    assert!(rss.contains("<pubDate>") && rss.contains(" +0000</pubDate>"));
    let atom = app.page("/flux/offres.atom?type=stage").await.1;
    assert_eq!(atom.matches("<entry>").count(), items, "the same offers in both");
}

/// Demonstration content is marked on its pages, which ask search engines not to index them
/// (their JSON-LD stays, to be inspected), and stays out of the sitemap and of the feeds and
/// exports job engines read.
#[tokio::test]
async fn examples_are_marked_unindexed_and_kept_out_of_the_sitemap_and_the_feeds() {
    let app = with_examples().await;
    const NOINDEX: &str = r#"name="robots" content="noindex""#;
    let pool = &app.db.pool;

    let (offer, title): (i64, String) =
        sqlx::query_as("SELECT id, title FROM offers ORDER BY id LIMIT 1").fetch_one(pool).await.unwrap();
    let (status, page) = app.page(&app::domain::offers::offer_path(offer, &title)).await;
    assert_eq!(status, 200);
    assert!(page.contains(NOINDEX) && page.contains("JobPosting") && page.contains(">exemple<"), "{page}");

    let events: Vec<i64> = sqlx::query_scalar("SELECT id FROM events ORDER BY id").fetch_all(pool).await.unwrap();
    assert_eq!(events.len(), 3);
    let page = app.page(&app::domain::events::paths::EVENT.of(events[0])).await.1;
    assert!(page.contains(NOINDEX) && page.contains(">exemple<"), "{page}");
    let agenda = app.page(app::domain::events::paths::EVENTS).await.1;
    assert_eq!(agenda.matches(">exemple<").count(), 3, "{agenda}");

    let (code, slug): (String, String) = sqlx::query_as(
        "SELECT c.code, c.slug FROM territory_pages p JOIN organisations o ON o.id = p.organisation_id
         JOIN communes c ON c.code = o.commune_code WHERE p.published_revision_id IS NOT NULL",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    let (status, commune) = app.page(&app::domain::territory::paths::commune(&code, &slug)).await;
    assert_eq!(status, 200);
    assert!(commune.contains(NOINDEX) && commune.contains("Vivre et exercer ici"), "{commune}");
    assert!(commune.contains("Page de démonstration"), "{commune}");
    // A commune without example content is indexed as before.
    let other = app.page("/communes/31555-toulouse").await.1;
    assert!(!other.contains(NOINDEX));

    let aids = app.page(app::domain::aids::paths::AIDS).await.1;
    assert!(
        aids.contains("Prime communale d&#x27;installation (exemple)")
            || aids.contains("Prime communale d'installation (exemple)")
    );
    assert!(aids.contains("Aide de démonstration"), "the local aids carry the mark");

    let sitemap = app.page("/sitemap.xml").await.1;
    assert!(!sitemap.contains(&format!("{SITE}/offres/{offer}-")) && !sitemap.contains("/evenements/"), "{sitemap}");
    assert_eq!(app.page("/flux/offres.atom").await.1.matches("<entry>").count(), 0);
    assert_eq!(app.page("/flux/offres.rss").await.1.matches("<item>").count(), 0);
    let csv = app.page("/export/offres.csv").await.1;
    assert_eq!(csv.lines().filter(|line| !line.trim().is_empty()).count(), 1, "the header alone: {csv}");
    // The open API says what they are.
    let first = ok(&app, "/api/v1/offres?par_page=1").await;
    assert_eq!(elements(&first)[0]["exemple"], true);
}

/// What job search engines read on every offer's page (the demonstration offers span every
/// kind and way of paying): where (postal code, locality, region, country), that one applies
/// here, the pay in a form they read, and until when.
#[tokio::test]
async fn every_offer_page_carries_a_job_posting_job_engines_can_read() {
    let app = with_examples().await;
    let offers: Vec<(i64, String, String)> =
        sqlx::query_as("SELECT id, title, pay_kind FROM offers ORDER BY id").fetch_all(&app.db.pool).await.unwrap();
    assert_eq!(offers.len(), 200);
    let mut kinds_of_pay = std::collections::BTreeSet::new();
    for (id, title, pay_kind) in offers {
        let path = app::domain::offers::offer_path(id, &title);
        let (status, html) = app.page(&path).await;
        assert_eq!(status, 200, "{path}");
        let posting = html
            .split(r#"<script type="application/ld+json">"#)
            .skip(1)
            .filter_map(|rest| rest.split("</script>").next())
            .map(|json| serde_json::from_str::<Value>(&json.replace("<\\/", "</")).expect("JSON-LD"))
            .find(|value| value["@type"] == "JobPosting")
            .unwrap_or_else(|| panic!("{path}: no JobPosting"));
        let address = &posting["jobLocation"]["address"];
        let postal = address["postalCode"].as_str().unwrap_or_default();
        assert!(postal.len() == 5 && postal.bytes().all(|b| b.is_ascii_digit()), "{path}: {address}");
        assert!(!address["addressLocality"].as_str().unwrap_or_default().is_empty(), "{path}: {address}");
        assert_eq!(address["addressRegion"], "Occitanie", "{path}");
        assert_eq!(address["addressCountry"], "FR", "{path}");
        assert_eq!(posting["directApply"], true, "{path}");
        let valid_through = posting["validThrough"].as_str().unwrap_or_default();
        let today = app::model::Day::of_unix(server::clock::Clock::system().now());
        assert!(app::model::Day::parse(valid_through).is_ok_and(|day| day >= today), "{path}: {valid_through}");
        let salary = &posting["baseSalary"];
        let said = posting["incentiveCompensation"].as_str().unwrap_or_default();
        if matches!(pay_kind.as_str(), "chiffre_affaires" | "a_discuter") {
            // Not what the doctor earns, or no figure: no salary is claimed.
            assert!(salary.is_null(), "{path}: {salary}");
            assert_eq!(!said.is_empty(), pay_kind == "chiffre_affaires", "{path}: {said}");
            kinds_of_pay.insert(pay_kind);
            continue;
        }
        assert_eq!((salary["@type"].as_str(), salary["currency"].as_str()), (Some("MonetaryAmount"), Some("EUR")));
        let value = &salary["value"];
        assert!(value["minValue"].as_i64().is_some_and(|min| min > 0), "{path}: {salary}");
        assert!(value["maxValue"].as_i64() >= value["minValue"].as_i64(), "{path}: {salary}");
        let unit = value["unitText"].as_str().unwrap_or_default();
        match pay_kind.as_str() {
            "retrocession" => {
                assert_eq!((unit, value["unitCode"].as_str()), ("PERCENT", Some("P1")), "{path}");
                assert!(value["maxValue"].as_i64().is_some_and(|max| max <= 100), "{path}: {salary}");
                assert!(said.starts_with("Rétrocession d'honoraires : "), "{path}: {said}");
            }
            "honoraires" => assert_eq!(unit, "YEAR", "{path}"),
            _ => assert_eq!(unit, "MONTH", "{path}"),
        }
        kinds_of_pay.insert(pay_kind);
    }
    assert_eq!(kinds_of_pay.len(), 6, "every way of paying is read: {kinds_of_pay:?}");
}
