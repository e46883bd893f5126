//! Saved searches and their e-mail alerts: each new matching offer announced once, never a
//! filled or expired one, at the chosen frequency, and the one-click unsubscribe link.

use crate::browser::*;
use crate::helpers::*;
use crate::seeds::*;
use app::domain::offers::OfferForm;
use server::offers::alerts::{AlertError, Alerts, Saved};
use sqlx::Row;

/// A world of its own for each test, with a verified mairie of Rodez that publishes.
struct Fixture {
    world: World,
    alerts: Alerts,
    owner: i64,
    organisation: i64,
}

impl std::ops::Deref for Fixture {
    type Target = World;
    fn deref(&self) -> &World {
        &self.world
    }
}

async fn fixture() -> Fixture {
    let world = World::new().await;
    let owner = world.user("mairie@exemple.fr", "Mairie").await;
    let organisation = world.organisation(owner, "commune", "Mairie de Rodez", "12202", true).await;
    Fixture { alerts: world.offers.alerts(), world, owner, organisation }
}

fn offer(commune: &str, title: &str, kind: &str) -> OfferForm {
    let year = next_year();
    let salaried = kind == "salariat";
    OfferForm {
        kind: kind.into(),
        mode: if salaried { String::new() } else { "ponctuel".into() },
        title: title.into(),
        description: "Cabinet de groupe de trois médecins, patientèle variée, visites à domicile possibles.".into(),
        specialty: "medecine_generale".into(),
        commune: commune.into(),
        start: format!("{year}-07-01"),
        end: format!("{year}-07-31"),
        days_per_week: "4".into(),
        pay_kind: if salaried { "salaire".into() } else { "retrocession".into() },
        pay_min: if salaried { "6000".into() } else { "75".into() },
        on_call: "volontaire".into(),
        secretariat: "sur_place".into(),
        software: "Weda".into(),
        housing: "oui".into(),
        ..OfferForm::default()
    }
}

impl Fixture {
    async fn publish(&self, form: OfferForm) -> i64 {
        self.published(self.owner, self.organisation, &form).await
    }

    /// The text of the alert mails to `to`, oldest first.
    async fn alert_mails(&self, to: &str) -> Vec<String> {
        sqlx::query("SELECT body_text FROM mail_outbox WHERE template = 'alerte-offres' AND recipient = $1 ORDER BY id")
            .bind(to.to_owned())
            .fetch_all(&self.db.pool)
            .await
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect()
    }

    /// Moves the saved searches' clock back, as if they had been saved `seconds` ago.
    async fn age(&self, seconds: i64) {
        sqlx::query("UPDATE saved_searches SET created_at = created_at - $1, last_sent_at = last_sent_at - $1")
            .bind(seconds)
            .execute(&self.db.pool)
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn each_new_matching_offer_is_announced_once_and_never_a_closed_one() {
    let f = fixture().await;
    let ines = f.accounts.sign_up("ines@exemple.fr", "Inès", PASSWORD).await.unwrap();
    let before = f.publish(offer("12202", "Remplacement publié avant l'alerte", "remplacement")).await;
    indexed(f.offers.indexer()).await;
    f.alerts.create(ines, "offres", "type=remplacement&dep=12", "immediate").await.unwrap();
    // Offers that were already on the board are not news.
    indexed(f.offers.indexer()).await;
    assert_eq!(f.alerts.send_due(now()).await.unwrap(), 0);

    let rodez = f.publish(offer("12202", "Remplacement à Rodez", "remplacement")).await;
    let _toulouse = f.publish(offer("31555", "Remplacement à Toulouse", "remplacement")).await;
    let _salaried = f.publish(offer("12202", "Médecin salarié à Rodez", "salariat")).await;
    let filled = f.publish(offer("12208", "Remplacement déjà pourvu", "remplacement")).await;
    f.offers.fill(f.owner, filled).await.unwrap();

    indexed(f.offers.indexer()).await;
    assert_eq!(f.alerts.send_due(now()).await.unwrap(), 1);
    let mails = f.alert_mails("ines@exemple.fr").await;
    assert_eq!(mails.len(), 1);
    let mail = &mails[0];
    assert!(mail.contains("Remplacement à Rodez") && mail.contains(&format!("{SITE}/offres/{rodez}-")), "{mail}");
    for absent in ["Toulouse", "salarié", "pourvu", "publié avant"] {
        assert!(!mail.contains(absent), "{absent}: {mail}");
    }
    assert!(mail.contains(&format!("{SITE}/offres?type=remplacement&dep=12")), "{mail}");
    let _ = before;
    // Mail programs offer « se désabonner » from the header: the same link as in the text.
    let token: String =
        sqlx::query_scalar("SELECT unsubscribe_token FROM saved_searches").fetch_one(&f.db.pool).await.unwrap();
    let header: Option<String> =
        sqlx::query_scalar("SELECT list_unsubscribe FROM mail_outbox WHERE template = 'alerte-offres'")
            .fetch_one(&f.db.pool)
            .await
            .unwrap();
    let link = format!("{SITE}/alertes/desabonnement?jeton={token}");
    assert_eq!(header.as_deref(), Some(link.as_str()));
    assert!(mail.contains(&link), "{mail}");

    // An alert on several kinds and départements announces an offer of any of them.
    let paul = f.accounts.sign_up("paul@exemple.fr", "Paul", PASSWORD).await.unwrap();
    indexed(f.offers.indexer()).await;
    f.alerts.create(paul, "offres", "type=stage&type=salariat&dep=48&dep=12", "immediate").await.unwrap();
    let _toulouse_salaried = f.publish(offer("31555", "Médecin salarié à Toulouse", "salariat")).await;
    let mende = f.publish(offer("48095", "Médecin salarié à Mende", "salariat")).await;
    indexed(f.offers.indexer()).await;
    assert_eq!(f.alerts.send_due(now()).await.unwrap(), 1);
    let mails = f.alert_mails("paul@exemple.fr").await;
    assert_eq!(mails.len(), 1);
    assert!(mails[0].contains(&format!("{SITE}/offres/{mende}-")) && !mails[0].contains("Toulouse"), "{}", mails[0]);
    assert!(mails[0].contains("Salariat ou stage d'interne · Aveyron ou Lozère"), "{}", mails[0]);
    assert_eq!(f.alert_mails("ines@exemple.fr").await.len(), 1, "not hers: neither a replacement nor a new one");

    // Never twice.
    indexed(f.offers.indexer()).await;
    assert_eq!(f.alerts.send_due(now()).await.unwrap(), 0);
    // An expired offer is not announced either.
    let expired = f.publish(offer("12202", "Remplacement expiré", "remplacement")).await;
    sqlx::query("UPDATE offers SET expires_at = $1 WHERE id = $2")
        .bind(now() - 1)
        .bind(expired)
        .execute(&f.db.pool)
        .await
        .unwrap();
    indexed(f.offers.indexer()).await;
    assert_eq!(f.alerts.send_due(now()).await.unwrap(), 0);
    assert_eq!(f.alert_mails("ines@exemple.fr").await.len(), 1);
}

#[tokio::test]
async fn daily_and_weekly_alerts_wait_their_turn() {
    let f = fixture().await;
    let ines = f.accounts.sign_up("ines@exemple.fr", "Inès", PASSWORD).await.unwrap();
    indexed(f.offers.indexer()).await;
    f.alerts.create(ines, "offres", "", "quotidienne").await.unwrap();
    let paul = f.accounts.sign_up("paul@exemple.fr", "Paul", PASSWORD).await.unwrap();
    indexed(f.offers.indexer()).await;
    f.alerts.create(paul, "offres", "type=remplacement", "hebdomadaire").await.unwrap();
    f.age(10).await;
    f.publish(offer("12202", "Remplacement à Rodez", "remplacement")).await;

    indexed(f.offers.indexer()).await;
    assert_eq!(f.alerts.send_due(now()).await.unwrap(), 0, "not a day old yet");
    f.age(86_400).await;
    indexed(f.offers.indexer()).await;
    assert_eq!(f.alerts.send_due(now()).await.unwrap(), 1, "the daily one");
    assert_eq!(f.alert_mails("ines@exemple.fr").await.len(), 1);
    f.age(6 * 86_400).await;
    indexed(f.offers.indexer()).await;
    assert_eq!(f.alerts.send_due(now()).await.unwrap(), 1, "the weekly one; the daily has nothing new");
    assert_eq!(f.alert_mails("paul@exemple.fr").await.len(), 1);
}

#[tokio::test]
async fn alerts_are_their_owner_s_and_the_mail_link_unsubscribes_in_one_click() {
    let f = fixture().await;
    let ines = f.accounts.sign_up("ines@exemple.fr", "Inès", PASSWORD).await.unwrap();
    let paul = f.accounts.sign_up("paul@exemple.fr", "Paul", PASSWORD).await.unwrap();
    indexed(f.offers.indexer()).await;
    assert!(matches!(f.alerts.create(ines, "offres", "type=stage", "parfois").await, Err(AlertError::Invalid(_))));
    indexed(f.offers.indexer()).await;
    let id = f.alerts.create(ines, "offres", "type=stage&dep=xx&page=3", "immediate").await.unwrap().id;
    let mine = f.alerts.list(ines).await.unwrap();
    assert_eq!(
        (mine.len(), mine[0].label.as_str(), mine[0].href.as_str()),
        (1, "Stage d'interne", "/offres?type=stage")
    );
    assert!(f.alerts.list(paul).await.unwrap().is_empty());
    assert!(matches!(f.alerts.delete(paul, id).await, Err(AlertError::Invalid(_))), "not Paul's");
    let departements = ["09", "11", "12", "30", "31", "32", "34", "46", "48", "65", "66", "81", "82"];
    let searches: Vec<String> = ["remplacement", "installation"]
        .iter()
        .flat_map(|kind| departements.iter().map(move |dep| format!("type={kind}&dep={dep}")))
        .collect();
    for search in &searches[..19] {
        indexed(f.offers.indexer()).await;
        assert!(matches!(f.alerts.create(ines, "offres", search, "hebdomadaire").await, Ok(Saved { new: true, .. })));
    }
    indexed(f.offers.indexer()).await;
    assert!(
        matches!(f.alerts.create(ines, "offres", &searches[19], "hebdomadaire").await, Err(AlertError::Invalid(_))),
        "20 at most"
    );

    let token: String = sqlx::query_scalar("SELECT unsubscribe_token FROM saved_searches WHERE id = $1")
        .bind(id)
        .fetch_one(&f.db.pool)
        .await
        .unwrap();
    assert!(matches!(f.alerts.unsubscribe("pas-un-jeton").await, Err(AlertError::Invalid(_))));
    f.alerts.unsubscribe(&token).await.unwrap();
    assert_eq!(f.alerts.list(ines).await.unwrap().len(), 19);
    assert!(matches!(f.alerts.unsubscribe(&token).await, Err(AlertError::Invalid(_))), "once");
}

#[tokio::test]
async fn the_board_s_alert_form_and_the_unsubscribe_link_work_without_javascript() {
    let app = spawn_app().await;
    let mut browser = Browser::new(&app);
    let (_, board) = app.page("/offres?type=remplacement").await;
    assert!(says(&board, "Connectez-vous") && says(&board, "pour recevoir par e-mail"));

    browser.sign_up("ines@exemple.fr", "Inès").await;
    let page = "/offres?type=remplacement&dep=12";
    let form = browser.get(page).await;
    assert!(form.body.contains("name=\"recherche\" value=\"type=remplacement&amp;dep=12\""), "{}", form.body);
    let fields = [("recherche", "type=remplacement&dep=12"), ("frequence", "jamais")];
    let refused = browser.submit(page, "/offres/alertes", &fields).await;
    assert_eq!(refused.location, "/offres?type=remplacement&dep=12&erreur=alerte-frequence");
    assert!(says(&browser.get(&refused.location).await.body, "Choisissez la fréquence"));
    let forged = browser.post("/offres/alertes", &[("recherche", "type=stage"), ("frequence", "immediate")]).await;
    assert!(forged.location.contains("erreur=formulaire-expire"), "{}", forged.location);
    let rows = || async {
        sqlx::query_scalar::<_, i64>("SELECT CAST(COUNT(*) AS BIGINT) FROM saved_searches")
            .fetch_one(&app.db.pool)
            .await
            .unwrap()
    };
    assert_eq!(rows().await, 0);

    let created = browser
        .submit(page, "/offres/alertes", &[("recherche", "type=remplacement&dep=12"), ("frequence", "immediate")])
        .await;
    assert_eq!(created.location, "/offres?type=remplacement&dep=12&info=alerte-creee");
    let mine = browser.get("/compte/alertes").await;
    assert!(says(&mine.body, "Remplacement · Aveyron"), "{}", mine.body);

    let token: String =
        sqlx::query_scalar("SELECT unsubscribe_token FROM saved_searches").fetch_one(&app.db.pool).await.unwrap();
    // No session needed: the link is enough, as in a mail opened anywhere. Opening it changes
    // nothing (a mail scanner follows every link): the page names the alert and asks.
    let link = format!("/alertes/desabonnement?jeton={token}");
    let (status, page) = app.page(&link).await;
    assert_eq!(status, 200);
    assert!(says(&page, "Remplacement · Aveyron") && says(&page, "Me désabonner"), "{page}");
    assert!(page.contains(&format!("name=\"jeton\" value=\"{token}\"")), "{page}");
    assert!(page.contains("content=\"no-referrer\""), "{page}");
    assert_eq!(rows().await, 1);
    let mut stranger = Browser::new(&app);
    let done = stranger.post("/alertes/desabonnement", &[("jeton", &token)]).await;
    assert_eq!((done.status, done.location.as_str()), (303, "/offres?info=alerte-supprimee"));
    assert_eq!(rows().await, 0);
    let again = stranger.post("/alertes/desabonnement", &[("jeton", &token)]).await;
    assert_eq!(again.location, "/offres?erreur=alerte-lien");
    let (status, page) = app.page(&link).await;
    assert_eq!(status, 200);
    assert!(says(&page, "ne correspond à aucune alerte"), "{page}");
}

/// Tapping « Créer l'alerte » twice on the same search makes one alert, whose frequency the
/// second tap sets; the confirmation says how often the alert will write; its owner changes
/// the frequency from « Mes alertes », nobody else does, and a frequency it does not know
/// changes nothing.
#[tokio::test]
async fn a_search_is_one_alert_and_its_frequency_can_change() {
    let app = spawn_app().await;
    let mut ines = Browser::new(&app);
    ines.sign_up("ines@exemple.fr", "Inès").await;
    let page = "/offres?type=remplacement&dep=12";
    let weekly = [("recherche", "type=remplacement&dep=12"), ("frequence", "hebdomadaire")];
    let created = ines.submit(page, "/offres/alertes", &weekly).await;
    assert_eq!(created.location, "/offres?type=remplacement&dep=12&info=alerte-creee-hebdomadaire");
    assert!(says(&ines.get(&created.location).await.body, "au plus un e-mail par semaine"));
    // The same search, its filters in another order: the same alert, now daily.
    let again = [("recherche", "dep=12&type=remplacement"), ("frequence", "quotidienne")];
    let twice = ines.submit(page, "/offres/alertes", &again).await;
    assert_eq!(twice.location, "/offres?dep=12&type=remplacement&info=alerte-existante");
    let stored = || async {
        sqlx::query_as::<_, (i64, String)>("SELECT id, frequency FROM saved_searches")
            .fetch_all(&app.db.pool)
            .await
            .unwrap()
    };
    let alerts = stored().await;
    assert_eq!(alerts.len(), 1, "{alerts:?}");
    let (id, frequency) = alerts[0].clone();
    assert_eq!(frequency, "quotidienne");

    let mine = ines.get("/compte/alertes").await.body;
    let action = format!("/compte/alertes/{id}/frequence");
    assert!(mine.contains(&format!("action=\"{action}\"")), "{mine}");
    let changed = ines.submit("/compte/alertes", &action, &[("frequence", "immediate")]).await;
    assert_eq!(changed.location, "/compte/alertes?info=alerte-frequence-changee");
    assert_eq!(stored().await[0].1, "immediate");
    let unknown = ines.submit("/compte/alertes", &action, &[("frequence", "parfois")]).await;
    assert_eq!(unknown.location, "/compte/alertes?erreur=alerte-frequence");
    assert_eq!(stored().await[0].1, "immediate");

    let mut paul = Browser::new(&app);
    paul.sign_up("paul@exemple.fr", "Paul").await;
    // (Paul has no alert: the token of another of his pages.)
    let refused = paul.submit("/compte", &action, &[("frequence", "hebdomadaire")]).await;
    assert_eq!(refused.location, "/compte/alertes?erreur=alerte-introuvable");
    assert_eq!(stored().await[0].1, "immediate", "not Paul's");
}

#[tokio::test]
async fn a_mail_program_unsubscribes_in_one_click_with_a_post_from_anywhere() {
    let app = spawn_app().await;
    let mut browser = Browser::new(&app);
    browser.sign_up("ines@exemple.fr", "Inès").await;
    let searches = ["type=remplacement", "type=stage"];
    for search in searches {
        browser.submit("/offres", "/offres/alertes", &[("recherche", search), ("frequence", "immediate")]).await;
    }
    let alerts = || async {
        sqlx::query_scalar::<_, String>("SELECT query FROM saved_searches ORDER BY id")
            .fetch_all(&app.db.pool)
            .await
            .unwrap()
    };
    assert_eq!(alerts().await, searches);
    let pool = &app.db.pool;
    let token = |search: &'static str| async move {
        sqlx::query_scalar::<_, String>("SELECT unsubscribe_token FROM saved_searches WHERE query = $1")
            .bind(search)
            .fetch_one(pool)
            .await
            .unwrap()
    };
    // RFC 8058: a POST to the address of List-Unsubscribe with this body, no cookie, no form
    // token, from the mail provider (or from a webmail's page on another site).
    let one_click = |token: String, content_type: String, body: String| {
        app.client
            .post(format!("{}/alertes/desabonnement?jeton={token}", app.address))
            .header("content-type", content_type)
            .header("sec-fetch-site", "cross-site")
            .header("origin", "https://webmail.example")
            .body(body)
            .send()
    };
    let form = || ("application/x-www-form-urlencoded".to_owned(), "List-Unsubscribe=One-Click".to_owned());
    let (content_type, body) = form();
    let wrong = one_click("pas-un-jeton".to_owned(), content_type, body).await.unwrap();
    assert_eq!(wrong.status().as_u16(), 404);
    assert_eq!(alerts().await.len(), 2);

    let (content_type, body) = form();
    let answer = one_click(token("type=remplacement").await, content_type, body).await.unwrap();
    assert_eq!(answer.status().as_u16(), 200);
    assert!(answer.text().await.unwrap().contains("Désabonnement effectué"));
    assert_eq!(alerts().await, ["type=stage"]);

    // The RFC's own example is multipart.
    let boundary = "---FormBoundaryjWmhtjORrn";
    let multipart = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"List-Unsubscribe\"\r\n\r\nOne-Click\r\n--{boundary}--\r\n"
    );
    let content_type = format!("multipart/form-data; boundary={boundary}");
    let answer = one_click(token("type=stage").await, content_type, multipart).await.unwrap();
    assert_eq!(answer.status().as_u16(), 200);
    assert!(alerts().await.is_empty());

    // Any other write from another site is still refused.
    let forged = app
        .client
        .post(format!("{}/offres/alertes", app.address))
        .header("sec-fetch-site", "cross-site")
        .form(&[("recherche", "type=stage"), ("frequence", "immediate")])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status().as_u16(), 403);
}

/// A stage site of the MSP du Bassin, for `faculty` and `level`.
fn stage_site(name: &str, commune: &str, faculty: &str, level: &str) -> app::domain::stages::StageSiteForm {
    app::domain::stages::StageSiteForm {
        nom: name.into(),
        commune: commune.into(),
        specialite: "medecine_generale".into(),
        faculte: faculty.into(),
        niveaux: level.into(),
        places: "1".into(),
        maitres_de_stage: "Dr Anne Roux".into(),
        activites: String::new(),
        description: "Une équipe de douze professionnels et une patientèle rurale.".into(),
    }
}

#[tokio::test]
async fn an_interns_alert_tells_of_each_new_stage_site_of_its_choice_once() {
    let f = fixture().await;
    let stages = server::stages::Stages::new(f.db.clone());
    let anne = f.confirmed_user("anne@msp-bassin.example", "Dr Anne Roux").await;
    let msp = f.organisation(anne, "msp", "MSP du Bassin", "", true).await;
    let declare = |name: &'static str, faculty: &'static str, level: &'static str| {
        let stages = stages.clone();
        async move { stages.declare(anne, msp, &stage_site(name, "12089", faculty, level)).await.unwrap() }
    };
    declare("Maison de santé du Bassin", "toulouse", "saspas").await;
    let lea = f.accounts.sign_up("lea@exemple.fr", "Léa", PASSWORD).await.unwrap();
    let unknown = f.alerts.create(lea, "stages", "faculte=toulouse", "immediate").await;
    assert!(matches!(unknown, Err(AlertError::Invalid(app::domain::alerts::AlertProblem::Subject))), "{unknown:?}");
    f.alerts.create(lea, "terrains", "?faculte=toulouse&niveau=saspas&specialite=yoga", "immediate").await.unwrap();
    let mine = f.alerts.list(lea).await.unwrap();
    assert_eq!(
        (mine[0].label.as_str(), mine[0].href.as_str(), mine[0].subject),
        (
            "Nouveaux terrains de stage · faculté Toulouse · SASPAS",
            "/internes?faculte=toulouse&niveau=saspas",
            app::domain::alerts::AlertSubject::StageSites
        )
    );
    assert_eq!(f.alerts.send_due(now()).await.unwrap(), 0, "the sites declared before are not news");

    let figeac = declare("Cabinet de Figeac", "toulouse", "saspas").await;
    declare("Cabinet de Montpellier", "montpellier_nimes", "saspas").await;
    declare("Cabinet du niveau 1", "toulouse", "niveau1").await;
    let withdrawn = declare("Cabinet retiré", "toulouse", "saspas").await;
    stages.withdraw(anne, withdrawn).await.unwrap();
    assert_eq!(f.alerts.send_due(now()).await.unwrap(), 1);
    let mails: Vec<String> = sqlx::query_scalar(
        "SELECT body_text FROM mail_outbox WHERE template = 'alerte-terrains' AND recipient = 'lea@exemple.fr'",
    )
    .fetch_all(&f.db.pool)
    .await
    .unwrap();
    assert_eq!(mails.len(), 1);
    let mail = &mails[0];
    assert!(mail.contains("• Cabinet de Figeac — Decazeville (12), faculté Toulouse, SASPAS"), "{mail}");
    assert!(mail.contains(&format!("{SITE}/terrains-de-stage/{figeac}")), "{mail}");
    assert!(mail.contains(&format!("{SITE}/internes?faculte=toulouse&niveau=saspas")), "{mail}");
    for absent in ["Bassin", "Montpellier", "niveau 1", "retiré"] {
        assert!(!mail.contains(absent), "{absent}: {mail}");
    }
    let header: Option<String> =
        sqlx::query_scalar("SELECT list_unsubscribe FROM mail_outbox WHERE template = 'alerte-terrains'")
            .fetch_one(&f.db.pool)
            .await
            .unwrap();
    assert!(header.is_some_and(|link| mail.contains(&link)));
    assert_eq!(f.alerts.send_due(now()).await.unwrap(), 0, "once");
    // The offers' alerts do not announce sites, nor the sites' alerts offers.
    f.publish(offer("12202", "Remplacement à Rodez", "remplacement")).await;
    indexed(f.offers.indexer()).await;
    assert_eq!(f.alerts.send_due(now()).await.unwrap(), 0);
}

#[tokio::test]
async fn the_interns_page_saves_its_choices_as_an_alert_of_new_sites_without_javascript() {
    let app = spawn_app().await;
    let (_, page) = app.page("/internes?faculte=toulouse").await;
    assert!(says(&page, "pour recevoir par e-mail les nouveaux terrains de stage de ce choix"), "{page}");
    let mut browser = Browser::new(&app);
    browser.sign_up("lea@exemple.fr", "Léa").await;
    let page = "/internes?faculte=toulouse";
    let form = browser.get(page).await.body;
    assert!(says(&form, "Nouveaux terrains de stage · faculté Toulouse"), "{form}");
    assert!(
        form.contains("name=\"sujet\" value=\"terrains\"") && form.contains("value=\"faculte=toulouse\""),
        "{form}"
    );
    let fields = [("recherche", "faculte=toulouse"), ("sujet", "terrains"), ("frequence", "immediate")];
    let created = browser.submit(page, "/offres/alertes", &fields).await;
    assert_eq!(created.location, "/internes?faculte=toulouse&info=alerte-terrains-creee");
    assert!(says(
        &browser.get(&created.location).await.body,
        "dès qu'un nouveau terrain de stage de ce choix sera déclaré"
    ));
    let mine = browser.get("/compte/alertes").await.body;
    assert!(
        says(&mine, "Nouveaux terrains de stage · faculté Toulouse") && says(&mine, "dès qu'un terrain est déclaré")
    );
    assert!(mine.contains("href=\"/flux/terrains-de-stage.atom?faculte=toulouse\""), "{mine}");
    assert!(mine.contains("href=\"/internes?faculte=toulouse\""), "{mine}");
    // A frequency not offered is refused on the page the form was on, and nothing is saved.
    let fields = [("recherche", "faculte=toulouse"), ("sujet", "terrains"), ("frequence", "parfois")];
    let refused = browser.submit(page, "/offres/alertes", &fields).await;
    assert_eq!(refused.location, "/internes?faculte=toulouse&erreur=alerte-frequence");
    let count: i64 = sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM saved_searches")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(count, 1);
}

/// Alerts saved before places were named said them by their codes (« département 12 », « à
/// moins de 30 km de 12202 »); the import writes their words again from their search, and
/// leaves the words that are right as they are.
#[tokio::test]
async fn the_import_names_the_places_of_alerts_saved_with_their_codes() {
    let f = fixture().await;
    let ines = f.accounts.sign_up("ines@exemple.fr", "Inès", PASSWORD).await.unwrap();
    let board = f.alerts.create(ines, "offres", "type=remplacement&dep=12&commune=12202&rayon=30", "immediate").await;
    let board = board.unwrap().id;
    let sites = f.alerts.create(ines, "terrains", "faculte=toulouse", "immediate").await.unwrap().id;
    let label = |id: i64| {
        let pool = &f.db.pool;
        async move {
            sqlx::query_scalar::<_, String>("SELECT label FROM saved_searches WHERE id = $1")
                .bind(id)
                .fetch_one(pool)
                .await
                .unwrap()
        }
    };
    let named = label(board).await;
    assert_eq!(named, "Remplacement · Aveyron · à moins de 30 km de Rodez");
    let sites_label = label(sites).await;

    // As such an alert was stored before.
    sqlx::query("UPDATE saved_searches SET label = $1 WHERE id = $2")
        .bind("Remplacement · département 12 · à moins de 30 km de 12202")
        .bind(board)
        .execute(&f.db.pool)
        .await
        .unwrap();
    let report = server::import::run(&f.db, &reference_data(), server::import::Progress::Hidden).await.unwrap();
    assert_eq!(report.relabelled_alerts, 1);
    assert!(report.to_string().contains("Alertes dont les lieux sont maintenant nommés : 1"), "{report}");
    assert_eq!(label(board).await, named);
    assert_eq!(label(sites).await, sites_label, "right words are left as they are");
    assert_eq!(server::offers::alerts::relabel(&f.db).await.unwrap(), 0);
}
