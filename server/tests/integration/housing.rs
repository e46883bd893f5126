//! Housing for interns: published through the form by a verified collectivité, structure or
//! practice, shown without an address and with its contact to signed-in people only, listed
//! near stage sites and stage offers within the distance chosen, on the interns' page and in
//! the open API; refused to anybody else with a French message and nothing written; withdrawn
//! or ended, it leaves every public list.

use crate::browser::*;
use crate::helpers::*;
use crate::offers::remplacement;
use crate::seeds::{World, next_year};
use app::domain::housing::HousingForm;
use app::domain::offers::BoardQuery;

fn fields(from: &str) -> Vec<(&'static str, String)> {
    vec![
        ("titre", "Studio meublé des internes".into()),
        ("commune", "Decazeville".into()),
        ("secteur", "Centre-ville, à 300 m de la maison de santé".into()),
        ("nature", "studio".into()),
        ("loyer", "0".into()),
        ("meuble", "oui".into()),
        ("du", from.to_owned()),
        ("au", String::new()),
        ("places", "2".into()),
        ("contact", "Mairie de Decazeville, accueil des internes, 05 65 43 00 00".into()),
        ("details", "Wifi, lave-linge, **vélo** prêté.".into()),
    ]
}

/// A housing as a service call publishes it.
fn housing(title: &str, commune: &str) -> HousingForm {
    HousingForm {
        titre: title.into(),
        commune: commune.into(),
        secteur: "Centre-bourg".into(),
        nature: "chambre".into(),
        loyer: "250".into(),
        meuble: "oui".into(),
        du: format!("{}-05-01", next_year()),
        au: String::new(),
        places: "1".into(),
        contact: "Secrétariat, 05 65 00 00 00".into(),
        details: String::new(),
    }
}

/// A SASPAS site as a service call declares it.
fn site_form(name: &str, commune: &str) -> app::domain::stages::StageSiteForm {
    app::domain::stages::StageSiteForm {
        nom: name.into(),
        commune: commune.into(),
        specialite: "medecine_generale".into(),
        faculte: "toulouse".into(),
        niveaux: "saspas".into(),
        places: "1".into(),
        maitres_de_stage: "Dr Anne Roux".into(),
        activites: String::new(),
        description: "Une équipe de douze professionnels et une patientèle rurale.".into(),
    }
}

async fn count(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM intern_housing").fetch_one(&app.db.pool).await.unwrap()
}

#[tokio::test]
async fn a_verified_commune_publishes_housing_shown_without_its_address_and_with_its_contact_once_signed_in() {
    let app = spawn_app().await;
    let w = World::of(&app).await;
    let claire = w.confirmed_user("claire@decazeville.example", "Claire Mairie").await;
    let commune = w.organisation(claire, "commune", "Mairie de Decazeville", "12089", true).await;
    w.confirmed_user("lea@exemple.fr", "Dr Léa Martin").await;
    let mut browser = Browser::signed_in(&app, "claire@decazeville.example").await;
    let page = format!("/organisations/{commune}/logements-internes");
    let form = browser.get(&page).await;
    assert_eq!(form.status, 200);
    assert!(says(&form.body, "Publier un logement") && says(&form.body, "Aucun logement publié"), "{}", form.body);
    assert!(browser.get(&format!("/organisations/{commune}")).await.body.contains(&format!("href=\"{page}\"")));

    let from = format!("{}-05-01", next_year());
    let typed = fields(&from);
    let posted: Vec<(&str, &str)> = typed.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let answer = browser.submit(&page, &page, &posted).await;
    assert_eq!(answer.status, 303, "{}", answer.body);
    let id: i64 = sqlx::query_scalar("SELECT id FROM intern_housing").fetch_one(&app.db.pool).await.unwrap();
    let here = format!("/logements-internes/{id}");
    assert_eq!(answer.location, format!("{here}?info=logement-publie"));
    let stored: (String, String, i64, i64, String, Option<String>, i64) = sqlx::query_as(
        "SELECT commune_code, kind, rent, furnished, available_from, available_until, places FROM intern_housing",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(stored, ("12089".into(), "studio".into(), 0, 1, from.clone(), None, 2));

    // Anyone reads it, without the contact.
    let (status, html) = app.page(&here).await;
    assert_eq!(status, 200);
    for text in [
        "Studio meublé des internes",
        "Gratuit",
        "2 places, meublé",
        "Centre-ville, à 300 m de la maison de santé",
        "Mairie de Decazeville",
        "Connectez-vous",
    ] {
        assert!(says(&html, text), "« {text} » missing: {html}");
    }
    assert!(html.contains("<strong>vélo</strong>"), "the details are Markdown: {html}");
    assert!(!says(&html, "05 65 43 00 00") && !says(&html, "Retirer ce logement"), "{html}");
    // Signed in, anybody sees who to contact.
    let mut lea = Browser::signed_in(&app, "lea@exemple.fr").await;
    let seen = lea.get(&here).await.body;
    assert!(says(&seen, "accueil des internes, 05 65 43 00 00") && !says(&seen, "Retirer ce logement"), "{seen}");
    // The organisation's list has it.
    assert!(browser.get(&page).await.body.contains(&format!("href=\"{here}\"")));
}

#[tokio::test]
async fn stage_sites_offers_the_interns_page_and_the_api_list_the_housing_within_the_distance_chosen() {
    let app = spawn_app().await;
    let w = World::of(&app).await;
    let homes = server::housing::Housing::new(app.db.clone());
    let stages = server::stages::Stages::new(app.db.clone());
    let claire = w.confirmed_user("claire@decazeville.example", "Claire Mairie").await;
    let commune = w.organisation(claire, "commune", "Mairie de Decazeville", "12089", true).await;
    let anne = w.confirmed_user("anne@msp-bassin.example", "Dr Anne Roux").await;
    let msp = w.organisation(anne, "msp", "MSP du Bassin", "", true).await;
    let decazeville = homes.publish(claire, commune, &housing("Chambre à Decazeville", "12089")).await.unwrap();
    // Figeac is some 18 km from Decazeville, Rodez some 34 km.
    let figeac = homes.publish(anne, msp, &housing("Studio à Figeac", "46102")).await.unwrap();
    let bassin = stages.declare(anne, msp, &site_form("Maison de santé du Bassin", "12089")).await.unwrap();
    let rodez = stages.declare(anne, msp, &site_form("Cabinet de Rodez", "12202")).await.unwrap();

    // Around Decazeville (20 km by default): both, the nearest first.
    let (_, html) = app.page(&format!("/terrains-de-stage/{bassin}")).await;
    assert!(says(&html, "Logements pour les internes à proximité"), "{html}");
    let (near, far) = (html.find("Chambre à Decazeville").unwrap(), html.find("Studio à Figeac").unwrap());
    assert!(near < far, "the nearest first");
    assert!(html.contains("data-km=\"0\"") && html.contains("<option value=\"20\" selected"), "{html}");
    // Around Rodez: none within 20 km; Decazeville's within 50.
    let (_, html) = app.page(&format!("/terrains-de-stage/{rodez}")).await;
    assert!(says(&html, "Aucun logement pour internes publié à moins de 20 km"), "{html}");
    let (_, html) = app.page(&format!("/terrains-de-stage/{rodez}?logement_km=50")).await;
    assert!(says(&html, "Chambre à Decazeville") && html.contains("<option value=\"50\" selected"), "{html}");
    assert!(html.contains("data-km=\"34\"") || html.contains("data-km=\"33\""), "{html}");
    // A distance not offered is the default one.
    let (status, html) = app.page(&format!("/terrains-de-stage/{rodez}?logement_km=9999")).await;
    assert_eq!(status, 200);
    assert!(says(&html, "moins de 20 km"), "{html}");

    // A stage offer in Decazeville lists them too; other offers do not.
    let offer = w.published(anne, msp, &crate::stages::stage_offer(&bassin.to_string())).await;
    let (_, html) = app.page(&app::domain::offers::offer_path(offer, "SASPAS en maison de santé rurale")).await;
    assert!(says(&html, "Logements pour les internes à proximité") && says(&html, "Studio à Figeac"), "{html}");
    let other = w.published(claire, commune, &remplacement()).await;
    let (_, html) = app.page(&app::domain::offers::offer_path(other, &remplacement().title)).await;
    assert!(!says(&html, "Logements pour les internes à proximité"), "{html}");

    // The interns' page lists them all.
    let (_, html) = app.page("/internes").await;
    assert!(says(&html, "2 logements") && says(&html, "Studio à Figeac") && says(&html, "250 € par mois"), "{html}");

    // The API gives the public fields: never the contact.
    let response = app.get("/api/v1/logements-internes").await;
    assert_eq!(response.status().as_u16(), 200);
    let text = response.text().await.unwrap();
    assert!(!text.contains("05 65 00 00 00") && !text.contains("contact"), "{text}");
    let all: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(all["total"], 2, "{all}");
    let lot: serde_json::Value = app.get("/api/v1/logements-internes?departement=46").await.json().await.unwrap();
    assert_eq!(lot["elements"][0]["titre"], "Studio à Figeac", "{lot}");
    assert_eq!(lot["total"], 1);
    let one: serde_json::Value =
        app.get(&format!("/api/v1/logements-internes/{decazeville}")).await.json().await.unwrap();
    assert_eq!((one["loyer"].as_i64(), one["nature"]["code"].as_str()), (Some(250), Some("chambre")), "{one}");
    assert_eq!(one["adresse"], format!("https://medecins-territoires.example/logements-internes/{decazeville}"));
    let bad = app.get("/api/v1/logements-internes?departement=abc").await;
    assert_eq!(bad.status().as_u16(), 400);

    // Withdrawn, it leaves the lists and the API.
    homes.withdraw(anne, figeac).await.unwrap();
    let (_, html) = app.page(&format!("/terrains-de-stage/{bassin}")).await;
    assert!(!says(&html, "Studio à Figeac"), "{html}");
    assert_eq!(app.get(&format!("/api/v1/logements-internes/{figeac}")).await.status().as_u16(), 404);
    let (_, html) = app.page("/internes").await;
    assert!(says(&html, "1 logement,"), "{html}");
}

#[tokio::test]
async fn a_refused_housing_says_why_keeps_what_was_typed_and_writes_nothing() {
    let app = spawn_app().await;
    let w = World::of(&app).await;
    let claire = w.confirmed_user("claire@decazeville.example", "Claire Mairie").await;
    let commune = w.organisation(claire, "commune", "Mairie de Decazeville", "12089", true).await;
    let mut browser = Browser::signed_in(&app, "claire@decazeville.example").await;
    let page = format!("/organisations/{commune}/logements-internes");
    let from = format!("{}-05-01", next_year());
    let with = |key: &'static str, value: &str| -> Vec<(&'static str, String)> {
        fields(&from).into_iter().map(|(k, v)| if k == key { (k, value.to_owned()) } else { (k, v) }).collect()
    };
    for (fields, code, message) in [
        (with("titre", "St"), "logement-titre", "entre 3 et 120 caractères"),
        (with("commune", "Aigues-Vives"), "logement-commune", "ajoutez le département"),
        (with("secteur", "12 rue des Lilas"), "logement-adresse", "ne doit pas donner l'adresse exacte"),
        (with("nature", "yourte"), "logement-nature", "Choisissez le type de logement"),
        (with("loyer", "gratuit"), "logement-loyer", "de 0 (gratuit) à 2 000"),
        (with("meuble", ""), "logement-meuble", "meublé"),
        (with("du", "demain"), "logement-du", "AAAA-MM-JJ"),
        (with("au", "2001-01-01"), "logement-au", "ne pas être passée"),
        (with("places", "0"), "logement-places", "de 1 à 20"),
        (with("contact", "Tél"), "logement-contact", "Indiquez qui contacter"),
    ] {
        let posted: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let answer = browser.submit(&page, &page, &posted).await;
        assert_eq!(answer.status, 303);
        assert!(answer.location.starts_with(&format!("{page}?erreur={code}")), "{code}: {}", answer.location);
        let back = browser.get(&answer.location).await.body;
        assert!(says(&back, message), "{code}: « {message} » missing: {back}");
        if code != "logement-titre" {
            assert!(back.contains("value=\"Studio meublé des internes\""), "{code}: what was typed comes back");
        }
        assert_eq!(count(&app).await, 0, "{code}");
    }

    // An institution, an organisation still waiting for moderation, and a stranger.
    let paul = w.confirmed_user("paul@exemple.fr", "Dr Paul Vidal").await;
    let pending = w.organisation(paul, "cabinet", "Cabinet du Dr Vidal", "12089", false).await;
    let ars = w.organisation(paul, "ars", "ARS Occitanie", "", true).await;
    let posted: Vec<(&str, String)> = fields(&from);
    let posted: Vec<(&str, &str)> = posted.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let mut paul_browser = Browser::signed_in(&app, "paul@exemple.fr").await;
    for (organisation, code) in
        [(pending, "logement-organisation"), (ars, "logement-organisation"), (commune, "logement-introuvable")]
    {
        let page = format!("/organisations/{organisation}/logements-internes");
        let answer = paul_browser.submit("/compte", &page, &posted).await;
        assert!(answer.location.starts_with(&format!("{page}?erreur={code}")), "{code}: {}", answer.location);
    }
    assert_eq!(count(&app).await, 0);
    let refused = paul_browser.get(&format!("/organisations/{ars}/logements-internes")).await.body;
    assert!(says(&refused, "Une collectivité, une structure de santé ou un cabinet vérifiés"), "{refused}");
    assert!(!refused.contains("Publier le logement"));
}

#[tokio::test]
async fn only_its_members_withdraw_a_housing_and_an_ended_one_leaves_the_public_lists() {
    let app = spawn_app().await;
    let w = World::of(&app).await;
    let homes = server::housing::Housing::new(app.db.clone());
    let claire = w.confirmed_user("claire@decazeville.example", "Claire Mairie").await;
    let commune = w.organisation(claire, "commune", "Mairie de Decazeville", "12089", true).await;
    w.confirmed_user("paul@exemple.fr", "Dr Paul Vidal").await;
    let first = homes.publish(claire, commune, &housing("Chambre de la mairie", "12089")).await.unwrap();
    let second = homes.publish(claire, commune, &housing("Studio de la gare", "12089")).await.unwrap();
    let here = format!("/logements-internes/{first}");
    let withdraw = format!("{here}/retrait");

    let mut paul = Browser::signed_in(&app, "paul@exemple.fr").await;
    let answer = paul.submit("/compte", &withdraw, &[("confirmation", "oui")]).await;
    assert!(answer.location.contains("erreur=logement-introuvable"), "{}", answer.location);
    let withdrawn: Option<i64> = sqlx::query_scalar("SELECT withdrawn_at FROM intern_housing WHERE id = $1")
        .bind(first)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(withdrawn, None);

    let mut claire_browser = Browser::signed_in(&app, "claire@decazeville.example").await;
    assert!(says(&claire_browser.get(&here).await.body, "Retirer ce logement"));
    // Without the box ticked, nothing changes.
    let answer = claire_browser.submit(&here, &withdraw, &[]).await;
    assert_eq!(answer.location, format!("{here}?erreur=confirmation-manquante"));
    assert_eq!(app.page(&here).await.0, 200);
    let answer = claire_browser.submit(&here, &withdraw, &[("confirmation", "oui")]).await;
    assert_eq!(answer.location, format!("{here}?info=logement-retire"));
    assert_eq!(app.page(&here).await.0, 404);
    assert_eq!(paul.get(&here).await.status, 404);
    let own = claire_browser.get(&here).await.body;
    assert!(says(&own, "n'est plus proposé") && !says(&own, "Retirer ce logement"), "{own}");
    let again = claire_browser.submit("/compte", &withdraw, &[("confirmation", "oui")]).await;
    assert!(again.location.contains("erreur=logement-introuvable"), "{}", again.location);

    // A housing whose end has passed leaves the lists, as a withdrawn one does.
    sqlx::query("UPDATE intern_housing SET available_until = '2001-06-30' WHERE id = $1")
        .bind(second)
        .execute(&app.db.pool)
        .await
        .unwrap();
    let (_, interns) = app.page("/internes").await;
    assert!(says(&interns, "Aucun logement pour internes publié"), "{interns}");
    assert_eq!(app.page(&format!("/logements-internes/{second}")).await.0, 404);
    assert_eq!(app.get(&format!("/api/v1/logements-internes/{second}")).await.status().as_u16(), 404);
    assert_eq!(app.page("/logements-internes/abc").await.0, 404);
}

#[tokio::test]
async fn a_stored_kind_the_program_does_not_know_is_an_error_naming_its_table() {
    let app = spawn_app().await;
    let w = World::of(&app).await;
    let claire = w.confirmed_user("claire@decazeville.example", "Claire Mairie").await;
    let commune = w.organisation(claire, "commune", "Mairie de Decazeville", "12089", true).await;
    let id = server::housing::Housing::new(app.db.clone())
        .publish(claire, commune, &housing("Chambre de la mairie", "12089"))
        .await
        .unwrap();
    sqlx::query("UPDATE intern_housing SET kind = 'yourte'").execute(&app.db.pool).await.unwrap();
    let mut conn = app.db.pool.acquire().await.unwrap();
    let error = server::housing::records::one(&mut conn, id).await.unwrap_err().to_string();
    assert!(error.contains("intern_housing.kind") && error.contains("yourte"), "{error}");
}

/// The ids of the board's offers with the housing filter `housing`, in id order.
async fn board(app: &TestApp, w: &World, housing: &str) -> Vec<i64> {
    app.indexed().await;
    let (query, notes) = BoardQuery::from_pairs(&[("logement".to_owned(), housing.to_owned())]);
    assert!(notes.is_empty(), "{notes:?}");
    let mut ids: Vec<i64> = w.offers.read_board(&query).await.unwrap().entries.iter().map(|e| e.card.id).collect();
    ids.sort();
    ids
}

#[tokio::test]
async fn the_boards_housing_filter_counts_interns_housing_near_stage_offers_until_it_is_withdrawn_or_ends() {
    let app = spawn_app().await;
    let w = World::of(&app).await;
    let homes = server::housing::Housing::new(app.db.clone()).with_clock(w.clock.clone());
    let stages = server::stages::Stages::new(app.db.clone());
    let claire = w.confirmed_user("claire@figeac.example", "Claire Mairie").await;
    let commune = w.organisation(claire, "commune", "Mairie de Figeac", "46102", true).await;
    let anne = w.confirmed_user("anne@msp-bassin.example", "Dr Anne Roux").await;
    let msp = w.organisation(anne, "msp", "MSP du Bassin", "", true).await;
    let bassin = stages.declare(anne, msp, &site_form("Maison de santé du Bassin", "12089")).await.unwrap();
    // A stage in Decazeville without housing of its own, one in Rodez (some 50 km from Figeac)
    // and a remplacement in Decazeville: interns' housing counts for the first alone.
    let stage = |commune: &str| app::domain::offers::OfferForm {
        commune: commune.into(),
        housing: "non".into(),
        ..crate::stages::stage_offer(&bassin.to_string())
    };
    let decazeville = w.published(anne, msp, &stage("12089")).await;
    let rodez = w.published(anne, msp, &stage("12202")).await;
    let remplacement = w
        .published(
            anne,
            msp,
            &app::domain::offers::OfferForm { commune: "12089".into(), housing: "oui".into(), ..remplacement() },
        )
        .await;
    assert_eq!(board(&app, &w, "internes").await, Vec::<i64>::new());

    // Figeac is some 18 km from Decazeville.
    let today = app::model::Day::of_unix(w.clock.now());
    let (du, au) = (today.to_string(), today.plus_days(10).to_string());
    let studio = HousingForm { du, au, ..housing("Studio à Figeac", "46102") };
    let figeac = homes.publish(claire, commune, &studio).await.unwrap();
    assert_eq!(board(&app, &w, "internes").await, [decazeville]);
    assert_eq!(board(&app, &w, "fourni,internes").await, [decazeville, remplacement]);
    assert_eq!(board(&app, &w, "fourni").await, [remplacement]);
    // The page ticks the box and counts what it adds.
    let (status, html) = app.page("/offres?logement=internes").await;
    assert_eq!(status, 200);
    assert!(html.contains("value=\"internes\" checked"), "{html}");
    assert!(says(&html, "Logement pour internes à moins de 20 km (1)"), "{html}");
    assert!(says(&html, "SASPAS en maison de santé rurale") && says(&html, "1 offre"), "{html}");

    // Withdrawn, it counts no more; another, past its end, neither.
    homes.withdraw(claire, figeac).await.unwrap();
    assert_eq!(board(&app, &w, "internes").await, Vec::<i64>::new());
    let (du, au) = (today.to_string(), today.plus_days(3).to_string());
    homes.publish(claire, commune, &HousingForm { du, au, ..housing("Chambre à Figeac", "46102") }).await.unwrap();
    assert_eq!(board(&app, &w, "internes").await, [decazeville]);
    assert_eq!(homes.lapse_ended().await.unwrap(), 0, "not yet ended");
    w.clock.advance(std::time::Duration::from_secs(5 * 86_400));
    assert_eq!(homes.lapse_ended().await.unwrap(), 1);
    assert_eq!(homes.lapse_ended().await.unwrap(), 0, "once");
    assert_eq!(board(&app, &w, "internes").await, Vec::<i64>::new());
    assert_eq!(board(&app, &w, "aide,fourni").await, [remplacement], "{rodez} has no housing");
}

/// The box the triggers of migration 0027 queue stage offers within is wider than the distance
/// interns' housing counts at, as far north as France goes.
#[test]
fn the_box_of_the_search_triggers_holds_the_distance_of_interns_housing() {
    let km = f64::from(app::domain::offers::INTERNS_HOUSING_KM);
    for lat in [41.3, 43.6, 45.0, 51.1] {
        assert!(app::model::distance_km(lat, 2.0, lat + 0.2, 2.0) > km, "{lat}");
        assert!(app::model::distance_km(lat, 2.0, lat, 2.3) > km, "{lat}");
    }
}

#[tokio::test]
async fn feeds_give_the_newest_stage_sites_and_housing_with_the_interns_pages_filters() {
    let app = spawn_app().await;
    let w = World::of(&app).await;
    let homes = server::housing::Housing::new(app.db.clone());
    let stages = server::stages::Stages::new(app.db.clone());
    let anne = w.confirmed_user("anne@msp-bassin.example", "Dr Anne Roux").await;
    let msp = w.organisation(anne, "msp", "MSP du Bassin", "", true).await;
    let bassin = stages.declare(anne, msp, &site_form("Maison de santé du Bassin", "12089")).await.unwrap();
    let figeac = homes.publish(anne, msp, &housing("Studio à Figeac", "46102")).await.unwrap();

    let response = app.get("/flux/terrains-de-stage.atom?faculte=toulouse&niveau=saspas&specialite=inconnue").await;
    assert_eq!(response.status().as_u16(), 200);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("application/atom+xml"));
    let atom = response.text().await.unwrap();
    assert_eq!(atom.matches("<entry>").count(), 1, "{atom}");
    for text in [
        "<title>Nouveaux terrains de stage (faculté Toulouse, SASPAS) — Médecins &amp; Territoires</title>",
        &format!("<id>https://medecins-territoires.example/terrains-de-stage/{bassin}</id>"),
        "<title>Maison de santé du Bassin</title>",
        "Decazeville (12) · faculté Toulouse · SASPAS · 1 interne par semestre — déclaré par MSP du Bassin",
        // The filter that could not be read is left out of the feed's own address.
        "/flux/terrains-de-stage.atom?faculte=toulouse&amp;niveau=saspas\"",
    ] {
        assert!(atom.contains(text), "« {text} » missing: {atom}");
    }
    let aveyron = app.page("/flux/terrains-de-stage.atom?departement=12").await.1;
    assert!(aveyron.contains("<title>Nouveaux terrains de stage (Aveyron) — Médecins"), "{aveyron}");
    assert_eq!(aveyron.matches("<entry>").count(), 1, "{aveyron}");
    let other = app.page("/flux/terrains-de-stage.rss?faculte=montpellier_nimes").await.1;
    assert!(other.contains("<rss version=\"2.0\"") && other.matches("<item>").count() == 0, "{other}");

    let rss = app.get("/flux/logements-internes.rss?departement=46").await;
    assert!(rss.headers()["content-type"].to_str().unwrap().starts_with("application/rss+xml"));
    let rss = rss.text().await.unwrap();
    assert_eq!(rss.matches("<item>").count(), 1, "{rss}");
    assert!(
        rss.contains("<title>Nouveaux logements pour internes (Lot) — Médecins &amp; Territoires</title>"),
        "{rss}"
    );
    assert!(rss.contains("<title>Studio à Figeac</title>") && rss.contains("Figeac (46), Centre-bourg"), "{rss}");
    assert!(rss.contains("250 € par mois, charges comprises · 1 place, meublé"), "{rss}");
    assert!(!rss.contains("05 65 00 00 00"), "never the contact: {rss}");
    assert_eq!(app.page("/flux/logements-internes.atom?departement=12").await.1.matches("<entry>").count(), 0);

    // The interns' page leads to both, the sites' with its filters.
    let (_, html) = app.page("/internes?faculte=toulouse").await;
    assert!(html.contains("href=\"/flux/terrains-de-stage.atom?faculte=toulouse\""), "{html}");
    assert!(html.contains("href=\"/flux/logements-internes.atom\""), "{html}");

    // Withdrawn, they leave the feeds.
    homes.withdraw(anne, figeac).await.unwrap();
    stages.withdraw(anne, bassin).await.unwrap();
    assert_eq!(app.page("/flux/logements-internes.atom").await.1.matches("<entry>").count(), 0);
    assert_eq!(app.page("/flux/terrains-de-stage.atom").await.1.matches("<entry>").count(), 0);
}
