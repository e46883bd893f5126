//! Stage sites: declared through the form by a verified structure, read on their page and on
//! their commune's page, refused to anybody else with a French message and nothing written,
//! withdrawn by their organisation; an unknown stored code is an error that names its table.

use crate::browser::*;
use crate::helpers::*;
use crate::seeds::World;

/// The form as a browser posts it: one pair per ticked box.
fn site_fields() -> Vec<(&'static str, &'static str)> {
    vec![
        ("nom", "Maison de santé du Bassin, médecine générale"),
        ("commune", "Decazeville"),
        ("specialite", "medecine_generale"),
        ("faculte", "toulouse"),
        ("niveaux", "niveau1"),
        ("niveaux", "saspas"),
        ("places", "2"),
        ("maitres_de_stage", "Dr Anne Roux\r\nDr Paul Vidal"),
        ("activites", "consultations_seul"),
        ("activites", "visites"),
        ("description", "Une équipe de douze professionnels, deux maîtres de stage, une patientèle rurale variée."),
    ]
}

/// A site as a service call declares it: one supervisor, one intern, no activity ticked.
fn site(name: &str, commune: &str, faculty: &str, levels: &str) -> app::domain::stages::StageSiteForm {
    app::domain::stages::StageSiteForm {
        nom: name.into(),
        commune: commune.into(),
        specialite: "medecine_generale".into(),
        faculte: faculty.into(),
        niveaux: levels.into(),
        places: "1".into(),
        maitres_de_stage: "Dr Anne Roux".into(),
        activites: String::new(),
        description: "Une équipe de douze professionnels et une patientèle rurale.".into(),
    }
}

/// Dr Anne Roux (anne@msp-bassin.example) and the verified maison de santé she owns.
async fn anne_s_msp(w: &World) -> (i64, i64) {
    let anne = w.confirmed_user("anne@msp-bassin.example", "Dr Anne Roux").await;
    (anne, w.organisation(anne, "msp", "MSP du Bassin", "", true).await)
}

async fn sites(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM stage_sites").fetch_one(&app.db.pool).await.unwrap()
}

#[tokio::test]
async fn a_verified_structure_declares_a_stage_site_that_its_commune_page_lists() {
    let app = spawn_app().await;
    let w = World::of(&app).await;
    let (_, msp) = anne_s_msp(&w).await;
    let mut browser = Browser::signed_in(&app, "anne@msp-bassin.example").await;
    let page = format!("/organisations/{msp}/terrains-de-stage");
    let form = browser.get(&page).await;
    assert_eq!(form.status, 200);
    assert!(says(&form.body, "Déclarer un terrain de stage") && says(&form.body, "Aucun terrain de stage"));
    assert!(form.body.contains("name=\"niveaux\"") && form.body.contains("value=\"docteur_junior\""));
    // The organisation's page leads there.
    assert!(browser.get(&format!("/organisations/{msp}")).await.body.contains(&format!("href=\"{page}\"")));

    let answer = browser.submit(&page, &page, &site_fields()).await;
    assert_eq!(answer.status, 303, "{}", answer.body);
    let id: i64 = sqlx::query_scalar("SELECT id FROM stage_sites").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(answer.location, format!("/terrains-de-stage/{id}?info=stage-declare"));
    let stored: (String, String, String, String, i64) =
        sqlx::query_as("SELECT commune_code, levels, activities, supervisors, capacity FROM stage_sites")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(
        stored,
        (
            "12089".to_owned(),
            "niveau1,saspas".to_owned(),
            "consultations_seul,visites".to_owned(),
            "Dr Anne Roux\nDr Paul Vidal".to_owned(),
            2
        )
    );

    // Its page, for anyone.
    let (status, html) = app.page(&format!("/terrains-de-stage/{id}")).await;
    assert_eq!(status, 200);
    for text in [
        "Maison de santé du Bassin, médecine générale",
        "Facultés de santé de Toulouse",
        "2 internes par semestre",
        "SASPAS (stage autonome",
        "Dr Paul Vidal",
        "Visites à domicile",
        "MSP du Bassin",
        "Aucune offre de stage ouverte",
    ] {
        assert!(says(&html, text), "« {text} » missing: {html}");
    }
    assert!(!says(&html, "Retirer ce terrain"), "only members may withdraw: {html}");
    // Its commune's page lists it; another commune's does not.
    let (_, commune) = app.page("/communes/12089-decazeville").await;
    assert!(says(&commune, "Terrains de stage pour les internes"), "{commune}");
    assert!(commune.contains(&format!("href=\"/terrains-de-stage/{id}\"")), "{commune}");
    let (_, rodez) = app.page("/communes/12202-rodez").await;
    assert!(!says(&rodez, "Terrains de stage pour les internes"));
    // And the organisation's list.
    assert!(browser.get(&page).await.body.contains(&format!("href=\"/terrains-de-stage/{id}\"")));
}

#[tokio::test]
async fn a_refused_site_says_why_keeps_what_was_typed_and_writes_nothing() {
    let app = spawn_app().await;
    let w = World::of(&app).await;
    let (_, msp) = anne_s_msp(&w).await;
    let mut browser = Browser::signed_in(&app, "anne@msp-bassin.example").await;
    let page = format!("/organisations/{msp}/terrains-de-stage");
    let with = |key: &'static str, value: &'static str| -> Vec<(&'static str, &'static str)> {
        let mut fields: Vec<_> = site_fields().into_iter().filter(|(k, _)| *k != key).collect();
        if !value.is_empty() {
            fields.push((key, value));
        }
        fields
    };
    for (fields, code, message) in [
        (with("nom", "MS"), "stage-nom", "entre 3 et 120 caractères"),
        // Several communes bear this name: never a guess.
        (with("commune", "Aigues-Vives"), "stage-commune", "ajoutez le département"),
        (with("commune", "Nulle-Part-sur-Mer"), "stage-commune", "Indiquez la commune"),
        (with("specialite", "chirurgie"), "stage-specialite", "Choisissez la spécialité"),
        (with("faculte", "paris"), "stage-faculte", "Montpellier-Nîmes ou Toulouse"),
        (with("niveaux", ""), "stage-niveaux", "au moins un niveau"),
        (with("places", "40"), "stage-places", "de 1 à 20"),
        (with("maitres_de_stage", " "), "stage-maitres", "un par ligne"),
        (with("activites", "astreintes"), "stage-activites", "n'est pas reconnue"),
        (with("description", "Court."), "stage-description", "entre 20 et 3 000"),
    ] {
        let answer = browser.submit(&page, &page, &fields).await;
        assert_eq!(answer.status, 303);
        assert!(answer.location.starts_with(&format!("{page}?erreur={code}")), "{code}: {}", answer.location);
        let back = browser.get(&answer.location).await.body;
        assert!(says(&back, message), "{code}: « {message} » missing");
        // What was typed comes back (the name, here, unless it was the problem).
        if code != "stage-nom" {
            assert!(back.contains("value=\"Maison de santé du Bassin, médecine générale\""), "{code}");
        }
        assert_eq!(sites(&app).await, 0, "{code}");
    }
    // Ticked boxes come back ticked.
    let answer = browser.submit(&page, &page, &with("places", "0")).await;
    let back = browser.get(&answer.location).await.body;
    assert!(back.contains("id=\"niveaux-saspas\" name=\"niveaux\" value=\"saspas\" checked"), "{back}");
    assert!(back.contains("id=\"activites-visites\" name=\"activites\" value=\"visites\" checked"), "{back}");
    assert!(!back.contains("value=\"docteur_junior\" checked"));
}

#[tokio::test]
async fn only_members_of_a_verified_structure_or_practice_declare_and_withdraw_sites() {
    let app = spawn_app().await;
    let w = World::of(&app).await;
    let (anne, msp) = anne_s_msp(&w).await;
    let claire = w.confirmed_user("claire@decazeville.example", "Claire Mairie").await;
    let commune = w.organisation(claire, "commune", "Mairie de Decazeville", "12089", true).await;
    let paul = w.confirmed_user("paul@exemple.fr", "Dr Paul Vidal").await;
    let pending = w.organisation(paul, "cabinet", "Cabinet du Dr Vidal", "12089", false).await;

    // A collectivité and an organisation still waiting for moderation may not; a stranger
    // learns nothing of the structure.
    for (email, organisation, code) in [
        ("claire@decazeville.example", commune, "stage-organisation"),
        ("paul@exemple.fr", pending, "stage-organisation"),
        ("paul@exemple.fr", msp, "stage-introuvable"),
    ] {
        let mut browser = Browser::signed_in(&app, email).await;
        let page = format!("/organisations/{organisation}/terrains-de-stage");
        let answer = browser.submit("/compte", &page, &site_fields()).await;
        assert!(answer.location.starts_with(&format!("{page}?erreur={code}")), "{email}: {}", answer.location);
    }
    assert_eq!(sites(&app).await, 0);
    let mut claire_browser = Browser::signed_in(&app, "claire@decazeville.example").await;
    let refused = claire_browser.get(&format!("/organisations/{commune}/terrains-de-stage")).await.body;
    assert!(says(&refused, "Une structure de santé ou un cabinet vérifiés peuvent déclarer"), "{refused}");
    assert!(!refused.contains("Déclarer le terrain de stage"));

    let stages = server::stages::Stages::new(app.db.clone());
    let form = site("Maison de santé du Bassin", "12089", "montpellier_nimes", "niveau1");
    let site = stages.declare(anne, msp, &form).await.unwrap();
    let site_page = format!("/terrains-de-stage/{site}");
    let withdraw = format!("{site_page}/retrait");

    // A stranger cannot withdraw it.
    let mut paul_browser = Browser::signed_in(&app, "paul@exemple.fr").await;
    let answer = paul_browser.submit("/compte", &withdraw, &[("confirmation", "oui")]).await;
    assert!(answer.location.contains("erreur=stage-introuvable"), "{}", answer.location);
    let withdrawn: Option<i64> =
        sqlx::query_scalar("SELECT withdrawn_at FROM stage_sites").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(withdrawn, None);

    // Its member does: it leaves the commune's page, and its page is the members' only.
    let mut anne_browser = Browser::signed_in(&app, "anne@msp-bassin.example").await;
    assert!(says(&anne_browser.get(&site_page).await.body, "Retirer ce terrain de stage"));
    let answer = anne_browser.submit(&site_page, &withdraw, &[("confirmation", "oui")]).await;
    assert_eq!(answer.location, format!("{site_page}?info=stage-retire"));
    let (_, commune_page) = app.page("/communes/12089-decazeville").await;
    assert!(!says(&commune_page, "Terrains de stage pour les internes"), "{commune_page}");
    assert_eq!(app.page(&site_page).await.0, 404);
    assert_eq!(paul_browser.get(&site_page).await.status, 404);
    let own = anne_browser.get(&site_page).await.body;
    assert!(says(&own, "Ce terrain de stage est retiré") && !says(&own, "Retirer ce terrain"), "{own}");
    // Withdrawing again says it is gone.
    let again = anne_browser.submit("/compte", &withdraw, &[("confirmation", "oui")]).await;
    assert!(again.location.contains("erreur=stage-introuvable"), "{}", again.location);
    assert_eq!(app.page("/terrains-de-stage/abc").await.0, 404);
}

#[tokio::test]
async fn a_stored_level_the_program_does_not_know_is_an_error_naming_its_table() {
    let app = spawn_app().await;
    let w = World::of(&app).await;
    let (anne, msp) = anne_s_msp(&w).await;
    let form = site("Maison de santé du Bassin", "12089", "toulouse", "saspas");
    let site = server::stages::Stages::new(app.db.clone()).declare(anne, msp, &form).await.unwrap();
    sqlx::query("UPDATE stage_sites SET levels = 'saspas,externat'").execute(&app.db.pool).await.unwrap();
    let mut conn = app.db.pool.acquire().await.unwrap();
    let error = server::stages::records::one(&mut conn, site).await.unwrap_err().to_string();
    assert!(error.contains("stage_sites.levels") && error.contains("externat"), "{error}");
}

/// The faculties are the reference data's universities that train doctors.
#[test]
fn the_faculties_are_the_universities_that_train_doctors_in_the_reference_data() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/etablissements-enseignement-superieur-occitanie.csv");
    let mut reader = csv::Reader::from_path(path).unwrap();
    let header = reader.headers().unwrap().clone();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (id, trains) = (column("id_paysage"), column("forme_medecins"));
    let mut universities: Vec<String> = reader
        .records()
        .map(Result::unwrap)
        .filter(|record| record.get(trains) == Some("oui"))
        .map(|record| record[id].to_owned())
        .collect();
    universities.sort();
    assert_eq!(universities.len(), 2, "Montpellier and Toulouse");
    let mut ours: Vec<String> = app::domain::stages::Faculty::ALL.iter().map(|f| f.university().to_owned()).collect();
    ours.sort();
    assert_eq!(ours, universities);
}

pub fn stage_offer(site: &str) -> app::domain::offers::OfferForm {
    let year = crate::seeds::next_year();
    app::domain::offers::OfferForm {
        kind: "stage".into(),
        mode: "saspas".into(),
        title: "SASPAS en maison de santé rurale".into(),
        description: "Un semestre en maison de santé, consultations seul et visites, deux maîtres de stage.".into(),
        specialty: "medecine_generale".into(),
        commune: "12089".into(),
        semester: "novembre".into(),
        semester_year: year.to_string(),
        supervisors: "Dr Anne Roux".into(),
        stage_site: site.into(),
        pay_kind: "salaire".into(),
        pay_min: "2000".into(),
        on_call: "aucune".into(),
        secretariat: "sur_place".into(),
        software: "Weda".into(),
        housing: "aide".into(),
        ..Default::default()
    }
}

#[tokio::test]
async fn a_stage_offer_points_to_one_of_its_organisation_s_open_sites() {
    let app = spawn_app().await;
    let w = World::of(&app).await;
    let stages = server::stages::Stages::new(app.db.clone());
    let (anne, msp) = anne_s_msp(&w).await;
    let paul = w.confirmed_user("paul@exemple.fr", "Dr Paul Vidal").await;
    let other = w.organisation(paul, "cabinet", "Cabinet du Dr Vidal", "12202", true).await;
    let form = |name: &str| site(name, "12089", "toulouse", "saspas");
    let site = stages.declare(anne, msp, &form("Maison de santé du Bassin")).await.unwrap();
    let elsewhere = stages.declare(paul, other, &form("Cabinet du Dr Vidal")).await.unwrap();

    // Another organisation's site, or no number at all: refused, nothing written.
    for wrong in [elsewhere.to_string(), "douze".to_owned()] {
        let refused = w.offers.create(anne, msp, &stage_offer(&wrong)).await;
        assert!(
            matches!(refused, Err(server::offers::OfferError::Invalid(app::domain::offers::OfferProblem::StageSite))),
            "{refused:?}"
        );
    }
    let offer = w.published(anne, msp, &stage_offer(&site.to_string())).await;
    let offer_path = app::domain::offers::offer_path(offer, "SASPAS en maison de santé rurale");

    // The offer names its site; the site lists the offer.
    let (_, html) = app.page(&offer_path).await;
    assert!(html.contains(&format!("href=\"/terrains-de-stage/{site}\">Maison de santé du Bassin</a>")), "{html}");
    let (_, html) = app.page(&format!("/terrains-de-stage/{site}")).await;
    assert!(html.contains(&format!("href=\"{offer_path}\"")), "{html}");
    // The editor offers the organisation's sites, this one chosen.
    let mut browser = Browser::signed_in(&app, "anne@msp-bassin.example").await;
    let editor = browser.get(&format!("/offres/{offer}/modification")).await.body;
    assert!(editor.contains(&format!("<option value=\"{site}\" selected")), "{editor}");
    assert!(!editor.contains(&format!("value=\"{elsewhere}\"")));

    // A withdrawn site is named no more.
    stages.withdraw(anne, site).await.unwrap();
    let (_, html) = app.page(&offer_path).await;
    assert!(!says(&html, "Terrain de stage"), "{html}");
}

async fn api(app: &TestApp, path: &str) -> (u16, serde_json::Value) {
    let response = app.get(path).await;
    (response.status().as_u16(), response.json().await.expect("JSON"))
}

#[tokio::test]
async fn the_open_api_lists_open_sites_by_faculty_level_and_departement() {
    let app = spawn_app().await;
    let w = World::of(&app).await;
    let stages = server::stages::Stages::new(app.db.clone());
    let (anne, msp) = anne_s_msp(&w).await;
    let form = |name: &str, commune: &str, faculty: &str, levels: &str| app::domain::stages::StageSiteForm {
        places: "2".into(),
        maitres_de_stage: "Dr Anne Roux\nDr Paul Vidal".into(),
        activites: "visites".into(),
        ..site(name, commune, faculty, levels)
    };
    let decazeville = stages.declare(anne, msp, &form("Bassin", "12089", "toulouse", "niveau1,saspas")).await.unwrap();
    let _lodeve = stages.declare(anne, msp, &form("Lodève", "34142", "montpellier_nimes", "saspas")).await.unwrap();
    let gone = stages.declare(anne, msp, &form("Ancien", "12089", "toulouse", "niveau1")).await.unwrap();
    stages.withdraw(anne, gone).await.unwrap();

    let names = |page: &serde_json::Value| -> Vec<String> {
        page["elements"].as_array().unwrap().iter().map(|s| s["nom"].as_str().unwrap().to_owned()).collect()
    };
    let (status, all) = api(&app, "/api/v1/terrains-de-stage").await;
    assert_eq!(status, 200, "{all}");
    assert_eq!((all["total"].as_i64(), names(&all)), (Some(2), vec!["Bassin".to_owned(), "Lodève".to_owned()]));
    for (query, expected) in [
        ("faculte=toulouse", vec!["Bassin"]),
        ("niveau=saspas", vec!["Bassin", "Lodève"]),
        // "niveau1" is not read inside another code.
        ("niveau=niveau1", vec!["Bassin"]),
        ("departement=34", vec!["Lodève"]),
        ("departement=34&faculte=toulouse", vec![]),
        ("specialite=medecine_generale&niveau=saspas", vec!["Bassin", "Lodève"]),
        ("specialite=pediatrie", vec![]),
    ] {
        let (status, page) = api(&app, &format!("/api/v1/terrains-de-stage?{query}")).await;
        assert_eq!(status, 200, "{query}: {page}");
        assert_eq!(names(&page), expected, "{query}");
    }
    let (_, one) = api(&app, &format!("/api/v1/terrains-de-stage/{decazeville}")).await;
    assert_eq!(one["faculte"]["code"], "toulouse");
    assert_eq!(one["niveaux"][1]["code"], "saspas");
    assert_eq!(one["maitres_de_stage"], serde_json::json!(["Dr Anne Roux", "Dr Paul Vidal"]));
    assert_eq!(one["commune"]["departement"], "12");
    assert_eq!(one["adresse"], format!("https://medecins-territoires.example/terrains-de-stage/{decazeville}"));
    // A withdrawn site is not there; bad parameters get a French message.
    let (status, body) = api(&app, &format!("/api/v1/terrains-de-stage/{gone}")).await;
    assert_eq!(status, 404);
    assert!(body["erreur"].as_str().unwrap().contains("Aucun terrain de stage ouvert"), "{body}");
    for query in ["faculte=paris", "niveau=externat", "departement=abc", "specialite=chirurgie"] {
        let (status, body) = api(&app, &format!("/api/v1/terrains-de-stage?{query}")).await;
        assert_eq!(status, 400, "{query}: {body}");
        assert!(body["erreur"].is_string(), "{body}");
    }
}

#[tokio::test]
async fn the_interns_page_lists_the_sites_of_a_faculty_and_level_and_the_latest_stage_offers() {
    let app = spawn_app().await;
    let w = World::of(&app).await;
    let stages = server::stages::Stages::new(app.db.clone());
    let (anne, msp) = anne_s_msp(&w).await;
    let form = |name: &str, faculty: &str, levels: &str| site(name, "12089", faculty, levels);
    let bassin = stages.declare(anne, msp, &form("Bassin", "toulouse", "niveau1")).await.unwrap();
    stages.declare(anne, msp, &form("Lodévois", "montpellier_nimes", "saspas")).await.unwrap();
    w.published(anne, msp, &stage_offer(&bassin.to_string())).await;

    let (status, html) = app.page("/internes").await;
    assert_eq!(status, 200);
    assert!(says(&html, "2 terrains de stage") && says(&html, "Bassin") && says(&html, "Lodévois"), "{html}");
    assert!(says(&html, "SASPAS en maison de santé rurale") && says(&html, "Decazeville"), "{html}");
    assert!(html.contains("href=\"/offres?type=stage\""));
    let (_, toulouse) = app.page("/internes?faculte=toulouse").await;
    assert!(says(&toulouse, "1 terrain de stage") && !says(&toulouse, "Lodévois"), "{toulouse}");
    assert!(toulouse.contains("<option value=\"toulouse\" selected"), "{toulouse}");
    let (_, saspas) = app.page("/internes?niveau=saspas").await;
    assert!(says(&saspas, "Lodévois") && !says(&saspas, ">Bassin<"), "{saspas}");
    let (_, general) = app.page("/internes?specialite=medecine_generale").await;
    assert!(says(&general, "2 terrains de stage"), "{general}");
    assert!(general.contains("<option value=\"medecine_generale\" selected"), "{general}");
    let (_, other) = app.page("/internes?specialite=pediatrie").await;
    assert!(says(&other, "0 terrain de stage"), "{other}");
    // A code nobody knows chooses nothing.
    let (status, unknown) = app.page("/internes?faculte=paris&niveau=externat&specialite=chirurgie").await;
    assert_eq!(status, 200);
    assert!(says(&unknown, "2 terrains de stage"), "{unknown}");
}

#[tokio::test]
async fn the_search_finds_open_sites_by_their_words_accents_and_case_aside() {
    let app = spawn_app().await;
    let w = World::of(&app).await;
    let stages = server::stages::Stages::new(app.db.clone());
    let (anne, msp) = anne_s_msp(&w).await;
    let bassin =
        stages.declare(anne, msp, &site("Maison de santé du Bassin", "12089", "toulouse", "saspas")).await.unwrap();
    let lodeve =
        stages.declare(anne, msp, &site("Pôle de santé", "34142", "montpellier_nimes", "niveau1")).await.unwrap();
    let gone = stages.declare(anne, msp, &site("Ancien cabinet", "12089", "toulouse", "saspas")).await.unwrap();
    stages.withdraw(anne, gone).await.unwrap();

    let (status, html) = app.page("/recherche?q=decazeville").await;
    assert_eq!(status, 200);
    assert!(says(&html, "Terrains de stage"), "{html}");
    assert!(html.contains(&format!("href=\"/terrains-de-stage/{bassin}\"")), "{html}");
    assert!(!html.contains(&format!("href=\"/terrains-de-stage/{gone}\"")), "a withdrawn site is not found");
    // Words are matched from their start, in any field, accents and case aside.
    for (q, found) in [("SASPAS bass", bassin), ("pole sante lodeve", lodeve), ("montpellier", lodeve)] {
        let (_, html) = app.page(&format!("/recherche?q={}", q.replace(' ', "+"))).await;
        assert!(html.contains(&format!("href=\"/terrains-de-stage/{found}\"")), "{q}: {html}");
    }
    let (_, html) = app.page("/recherche?q=assin").await;
    assert!(!says(&html, "Terrains de stage"), "a word is matched from its start: {html}");
}
