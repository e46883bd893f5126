//! Reviews of stage sites: only an intern whose semester the site confirmed (from an accepted
//! application, or declared for the intern's account) reviews it, once a semester; the
//! moderation publishes or refuses with a reason the intern reads; nothing shows before three
//! published reviews, and then without names, semesters or dates; the site answers once.
//! Each refusal says why in French and writes nothing.

use crate::browser::*;
use crate::helpers::*;
use crate::seeds::{MODERATOR, PASSWORD, SITE, World, next_year};
use app::domain::reviews::{ModerationForm, ReviewForm, SemesterForm};
use server::reviews::Reviews;

fn site_form() -> app::domain::stages::StageSiteForm {
    app::domain::stages::StageSiteForm {
        nom: "Maison de santé du Bassin".into(),
        commune: "12089".into(),
        specialite: "medecine_generale".into(),
        faculte: "toulouse".into(),
        niveaux: "saspas".into(),
        places: "2".into(),
        maitres_de_stage: "Dr Anne Roux".into(),
        activites: String::new(),
        description: "Une équipe de douze professionnels et une patientèle rurale.".into(),
    }
}

fn declared(email: &str) -> SemesterForm {
    SemesterForm {
        email: email.into(),
        semestre: "mai".into(),
        annee: (next_year() - 1).to_string(),
        ..Default::default()
    }
}

fn review(semester: i64, supervision: &str, text: &str) -> ReviewForm {
    ReviewForm {
        semestre: semester.to_string(),
        encadrement: supervision.into(),
        autonomie: "4".into(),
        diversite: "4".into(),
        ambiance: "5".into(),
        logement: "sans_objet".into(),
        charge: "3".into(),
        avis: text.into(),
    }
}

async fn semester_of(app: &TestApp, user: i64) -> i64 {
    sqlx::query_scalar("SELECT MAX(id) FROM stage_semesters WHERE user_id = $1")
        .bind(user)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

async fn count(app: &TestApp, table: &str) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT CAST(COUNT(*) AS BIGINT) FROM {table}")))
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn only_an_intern_whose_semester_the_site_confirmed_reviews_it_once() {
    let app = spawn_app().await;
    let w = World::of(&app).await;
    let applications = server::applications::Applications::new(app.db.clone(), SITE.to_owned());
    let anne = w.confirmed_user("anne@msp-bassin.example", "Dr Anne Roux").await;
    let msp = w.organisation(anne, "msp", "MSP du Bassin", "", true).await;
    let lea = w.confirmed_user("lea@exemple.fr", "Léa Interne").await;
    w.confirmed_user("paul@exemple.fr", "Paul Inconnu").await;
    let site = server::stages::Stages::new(app.db.clone()).declare(anne, msp, &site_form()).await.unwrap();
    let offer = w.published(anne, msp, &crate::stages::stage_offer(&site.to_string())).await;
    let page = format!("/terrains-de-stage/{site}");
    let review_path = format!("{page}/avis");
    let semesters = format!("{page}/semestres");

    // Léa applied; not yet accepted, she may not review, and the site cannot confirm.
    let application = applications.apply(lea, offer, "Bonjour, je cherche un SASPAS.", None).await.unwrap();
    let mut lea_browser = Browser::signed_in(&app, "lea@exemple.fr").await;
    let html = lea_browser.get(&page).await.body;
    assert!(says(&html, "Seuls les internes dont le terrain a confirmé le semestre"), "{html}");
    let text = "Deux maîtres de stage disponibles, des visites variées, une équipe accueillante.";
    let fields = |semester: &str| {
        vec![
            ("semestre", semester.to_owned()),
            ("encadrement", "5".to_owned()),
            ("autonomie", "4".to_owned()),
            ("diversite", "4".to_owned()),
            ("ambiance", "5".to_owned()),
            ("logement", "sans_objet".to_owned()),
            ("charge", "3".to_owned()),
            ("avis", text.to_owned()),
        ]
    };
    let posted = fields("1");
    let posted: Vec<(&str, &str)> = posted.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let answer = lea_browser.submit("/compte", &review_path, &posted).await;
    assert!(answer.location.contains("erreur=avis-semestre"), "{}", answer.location);
    assert!(says(&lea_browser.get(&answer.location).await.body, "Seul un interne dont le terrain a confirmé"));
    let mut anne_browser = Browser::signed_in(&app, "anne@msp-bassin.example").await;
    let refused = anne_browser.submit(&page, &semesters, &[("candidature", &application.to_string())]).await;
    assert!(refused.location.contains("erreur=semestre-candidature"), "{}", refused.location);
    assert_eq!(count(&app, "stage_semesters").await, 0);

    // Accepted: the site sees her and confirms; a stranger cannot.
    applications
        .change_status(anne, application, app::domain::applications::ApplicationStatus::Acceptee)
        .await
        .unwrap();
    let html = anne_browser.get(&page).await.body;
    assert!(says(&html, "Léa Interne") && says(&html, "Confirmer le semestre"), "{html}");
    let mut paul = Browser::signed_in(&app, "paul@exemple.fr").await;
    let refused = paul.submit("/compte", &semesters, &[("candidature", &application.to_string())]).await;
    assert!(refused.location.contains("erreur=semestre-terrain"), "{}", refused.location);
    assert!(!says(&paul.get(&page).await.body, "Léa Interne"), "a stranger sees no intern");
    let answer = anne_browser.submit(&page, &semesters, &[("candidature", &application.to_string())]).await;
    assert_eq!(answer.location, format!("{page}?info=semestre-confirme#avis"));
    let again = anne_browser.submit(&page, &semesters, &[("candidature", &application.to_string())]).await;
    assert!(again.location.contains("erreur=semestre-deja"), "{}", again.location);
    assert_eq!(count(&app, "stage_semesters").await, 1);
    // Declared for an account, or refused when there is none.
    let nobody = [("email", "personne@exemple.fr"), ("semestre", "mai"), ("annee", "2025")];
    let refused = anne_browser.submit(&page, &semesters, &nobody).await;
    assert!(refused.location.contains("erreur=semestre-compte"), "{}", refused.location);
    assert_eq!(count(&app, "stage_semesters").await, 1);
    let html = anne_browser.get(&refused.location).await.body;
    crate::forms::refused_field(&html, "semestre-email", "Aucun compte du portail n'a cette adresse e-mail");
    // What was typed comes back into the declaration form, not through the address.
    assert!(refused.location.ends_with("#avis") && !refused.location.contains("personne"), "{}", refused.location);
    assert!(html.contains("value=\"personne@exemple.fr\"") && html.contains("value=\"2025\""), "{html}");
    assert!(html.contains("<option selected value=\"mai\""), "the season typed is chosen again: {html}");

    // Now Léa reviews it, once.
    let html = lea_browser.get(&page).await.body;
    assert!(says(&html, "Donner votre avis") && says(&html, "Semestre de novembre"), "{html}");
    let semester = semester_of(&app, lea).await.to_string();
    let short = [("semestre", semester.as_str()), ("encadrement", "5"), ("avis", "Bien.")];
    let refused = lea_browser.submit(&page, &review_path, &short).await;
    assert!(refused.location.contains("erreur=avis-note"), "{}", refused.location);
    assert_eq!(count(&app, "stage_reviews").await, 0);
    let mut posted = fields(&semester);
    posted.last_mut().unwrap().1 = "Bien.".to_owned();
    let posted: Vec<(&str, &str)> = posted.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let refused = lea_browser.submit(&page, &review_path, &posted).await;
    assert!(refused.location.contains("erreur=avis-texte"), "{}", refused.location);
    let html = lea_browser.get(&refused.location).await.body;
    crate::forms::refused_field(&html, "avis-texte", "Votre avis doit compter entre 30 et");
    // The review typed comes back whole: scores, semester and text.
    assert!(refused.location.ends_with("#avis"), "{}", refused.location);
    assert!(html.contains(">Bien.</textarea>"), "{html}");
    assert!(html.contains(&format!("<option selected value=\"{semester}\"")), "{html}");
    assert!(html.contains("<option value=\"5\" selected"), "{html}");
    assert_eq!(count(&app, "stage_reviews").await, 0);
    let posted = fields(&semester);
    let posted: Vec<(&str, &str)> = posted.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let answer = lea_browser.submit(&page, &review_path, &posted).await;
    assert_eq!(answer.location, format!("{page}?info=avis-envoye#avis"));
    let stored: (String, i64, Option<i64>) =
        sqlx::query_as("SELECT status, supervision, housing FROM stage_reviews").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(stored, ("en_attente".to_owned(), 5, None));
    let again = lea_browser.submit("/compte", &review_path, &posted).await;
    assert!(again.location.contains("erreur=avis-semestre"), "{}", again.location);
    assert_eq!(count(&app, "stage_reviews").await, 1);
    assert!(says(&lea_browser.get(&page).await.body, "Votre avis : En attente de modération"));
}

#[tokio::test]
async fn reviews_show_from_three_published_without_names_and_the_site_answers_once() {
    let app = spawn_app().await;
    let w = World::of(&app).await;
    let reviews = Reviews::new(app.db.clone());
    let anne = w.confirmed_user("anne@msp-bassin.example", "Dr Anne Roux").await;
    let msp = w.organisation(anne, "msp", "MSP du Bassin", "", true).await;
    let site = server::stages::Stages::new(app.db.clone()).declare(anne, msp, &site_form()).await.unwrap();
    let page = format!("/terrains-de-stage/{site}");
    let (mut ids, mut users) = (Vec::new(), Vec::new());
    for (i, (email, name, supervision)) in [
        ("lea@exemple.fr", "Léa Interne", "5"),
        ("hugo@exemple.fr", "Hugo Interne", "4"),
        ("ines@exemple.fr", "Inès Interne", "1"),
        ("jules@exemple.fr", "Jules Interne", "4"),
    ]
    .into_iter()
    .enumerate()
    {
        let user = w.confirmed_user(email, name).await;
        reviews.confirm(anne, site, &declared(email)).await.unwrap();
        let text = format!("Avis numéro {i} : un semestre formateur, des maîtres de stage présents.");
        ids.push(reviews.submit(user, site, &review(semester_of(&app, user).await, supervision, &text)).await.unwrap());
        users.push(user);
    }
    let publish = ModerationForm { decision: "publier".into(), motif: String::new() };

    // Only moderators decide; a refusal needs its reason.
    let mut anne_browser = Browser::signed_in(&app, "anne@msp-bassin.example").await;
    let moderate = format!("/avis/{}/moderation", ids[0]);
    let refused = anne_browser.submit(&page, &moderate, &[("decision", "publier")]).await;
    assert!(refused.location.contains("erreur=avis-introuvable"), "{}", refused.location);
    let mut moderator = Browser::signed_in(&app, MODERATOR).await;
    let list = moderator.get("/moderation/avis").await.body;
    assert!(says(&list, "Avis numéro 0") && says(&list, "Maison de santé du Bassin"), "{list}");
    let refused = moderator.submit("/moderation/avis", &moderate, &[("decision", "refuser"), ("motif", "Nom")]).await;
    assert!(refused.location.contains("erreur=avis-motif"), "{}", refused.location);
    // The reason typed comes back into the form of that review only.
    let again = moderator.get(&refused.location).await.body;
    assert_eq!(again.matches(">Nom</textarea>").count(), 1, "{again}");
    let other = anne_browser.get("/moderation/avis").await;
    assert_eq!(other.status, 404, "moderators only");
    assert!(!says(&other.body, "Avis numéro 0"));
    let answer = moderator.submit("/moderation/avis", &moderate, &[("decision", "publier")]).await;
    assert_eq!(answer.location, "/moderation/avis?info=avis-publie");
    reviews.moderate(w.moderator, ids[1], &publish).await.unwrap();
    let reason = ModerationForm { decision: "refuser".into(), motif: "Un nom de patient est cité.".into() };
    reviews.moderate(w.moderator, ids[2], &reason).await.unwrap();

    // Two published: nothing shows, to the site either; it cannot answer.
    let (_, html) = app.page(&page).await;
    assert!(says(&html, "quand le terrain en a 3 publiés (2 pour l'instant)"), "{html}");
    let api: serde_json::Value = app.get(&format!("/api/v1/terrains-de-stage/{site}")).await.json().await.unwrap();
    assert!(api.get("avis").is_none(), "no figure before three: {api}");
    assert!(!says(&html, "Avis numéro"), "{html}");
    assert!(!says(&anne_browser.get(&page).await.body, "Avis numéro"));
    let early = anne_browser
        .submit(&page, &format!("/avis/{}/reponse", ids[0]), &[("reponse", "Merci pour votre avis !")])
        .await;
    assert!(early.location.contains("erreur=avis-introuvable"), "{}", early.location);
    // The refused intern reads the reason.
    let mut ines = Browser::signed_in(&app, "ines@exemple.fr").await;
    assert!(says(&ines.get(&page).await.body, "Un nom de patient est cité."));

    // The third: averages and texts, without names, semesters or dates.
    reviews.moderate(w.moderator, ids[3], &publish).await.unwrap();
    let (_, html) = app.page(&page).await;
    assert!(says(&html, "3 avis publiés"), "{html}");
    assert!(html.contains("data-average=\"encadrement\">4,3 / 5 (3 avis)"), "(5 + 4 + 4) / 3: {html}");
    assert!(html.contains("data-average=\"logement\">pas de note"), "{html}");
    for i in [0, 1, 3] {
        assert!(says(&html, &format!("Avis numéro {i}")), "{html}");
    }
    assert!(!says(&html, "Avis numéro 2"), "a refused review is not shown");
    for name in ["Léa", "Hugo", "Jules", "Semestre de mai", &(next_year() - 1).to_string()] {
        assert!(!says(&html, name), "« {name} » identifies someone: {html}");
    }

    // The interns' page, the map and the API give the mean of every score: (4,2 + 4 + 4) / 3.
    let (_, interns) = app.page("/internes").await;
    assert!(says(&interns, "Avis des internes : 4,1 / 5 (3 avis)"), "{interns}");
    let (_, layer) = app.page("/carte/couches/internes.geojson").await;
    assert!(layer.contains("Avis des internes : 4,1 / 5 (3 avis)"), "{layer}");
    let api: serde_json::Value = app.get(&format!("/api/v1/terrains-de-stage/{site}")).await.json().await.unwrap();
    assert_eq!((api["avis"]["moyenne"].as_f64(), api["avis"]["nombre"].as_i64()), (Some(4.1), Some(3)), "{api}");

    // The site answers once, publicly; a refused answer comes back into its review's form.
    let answer_path = format!("/avis/{}/reponse", ids[1]);
    let short = anne_browser.submit(&page, &answer_path, &[("reponse", "Merci.")]).await;
    assert!(short.location.contains("erreur=avis-reponse") && short.location.ends_with("#avis"), "{}", short.location);
    let html = anne_browser.get(&short.location).await.body;
    assert_eq!(html.matches(">Merci.</textarea>").count(), 1, "{html}");
    let answer =
        anne_browser.submit(&page, &answer_path, &[("reponse", "Merci, nous avons changé les horaires.")]).await;
    assert_eq!(answer.location, format!("{page}?info=avis-repondu#avis"));
    let (_, html) = app.page(&page).await;
    assert!(says(&html, "Réponse du terrain") && says(&html, "nous avons changé les horaires"), "{html}");
    let again = anne_browser.submit(&page, &answer_path, &[("reponse", "Une seconde réponse, refusée.")]).await;
    assert!(again.location.contains("erreur=avis-deja-repondu"), "{}", again.location);
    let mut stranger = Browser::signed_in(&app, "lea@exemple.fr").await;
    let refused = stranger
        .submit("/compte", &format!("/avis/{}/reponse", ids[3]), &[("reponse", "Je réponds à la place du terrain.")])
        .await;
    assert!(refused.location.contains("erreur=avis-introuvable"), "{}", refused.location);
    let answered: i64 =
        sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM stage_reviews WHERE answer IS NOT NULL")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(answered, 1);

    // Reviews go with the account that wrote them.
    w.accounts.delete_account(users[3], PASSWORD).await.unwrap();
    let (_, html) = app.page(&page).await;
    assert!(says(&html, "(2 pour l'instant)") && !says(&html, "Avis numéro 3"), "{html}");
}
