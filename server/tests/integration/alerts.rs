//! Saved searches and their e-mail alerts: each new matching offer announced once, never a
//! filled or expired one, at the chosen frequency, and the one-click unsubscribe link.

use crate::browser::*;
use crate::helpers::*;
use crate::seeds::*;
use app::domain::offers::OfferForm;
use server::offers::alerts::{AlertError, Alerts};
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
    f.alerts.create(ines, "type=remplacement&dep=12", "immediate").await.unwrap();
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

    // An alert on several kinds and départements announces an offer of any of them.
    let paul = f.accounts.sign_up("paul@exemple.fr", "Paul", PASSWORD).await.unwrap();
    indexed(f.offers.indexer()).await;
    f.alerts.create(paul, "type=stage&type=salariat&dep=48&dep=12", "immediate").await.unwrap();
    let _toulouse_salaried = f.publish(offer("31555", "Médecin salarié à Toulouse", "salariat")).await;
    let mende = f.publish(offer("48095", "Médecin salarié à Mende", "salariat")).await;
    indexed(f.offers.indexer()).await;
    assert_eq!(f.alerts.send_due(now()).await.unwrap(), 1);
    let mails = f.alert_mails("paul@exemple.fr").await;
    assert_eq!(mails.len(), 1);
    assert!(mails[0].contains(&format!("{SITE}/offres/{mende}-")) && !mails[0].contains("Toulouse"), "{}", mails[0]);
    assert!(mails[0].contains("Salariat ou stage d'interne · départements 12 ou 48"), "{}", mails[0]);
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
    f.alerts.create(ines, "", "quotidienne").await.unwrap();
    let paul = f.accounts.sign_up("paul@exemple.fr", "Paul", PASSWORD).await.unwrap();
    indexed(f.offers.indexer()).await;
    f.alerts.create(paul, "type=remplacement", "hebdomadaire").await.unwrap();
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
    assert!(matches!(f.alerts.create(ines, "type=stage", "parfois").await, Err(AlertError::Invalid(_))));
    indexed(f.offers.indexer()).await;
    let id = f.alerts.create(ines, "type=stage&dep=xx&page=3", "immediate").await.unwrap();
    let mine = f.alerts.list(ines).await.unwrap();
    assert_eq!(
        (mine.len(), mine[0].label.as_str(), mine[0].href.as_str()),
        (1, "Stage d'interne", "/offres?type=stage")
    );
    assert!(f.alerts.list(paul).await.unwrap().is_empty());
    assert!(matches!(f.alerts.delete(paul, id).await, Err(AlertError::Invalid(_))), "not Paul's");
    for _ in 0..19 {
        indexed(f.offers.indexer()).await;
        f.alerts.create(ines, "", "hebdomadaire").await.unwrap();
    }
    indexed(f.offers.indexer()).await;
    assert!(matches!(f.alerts.create(ines, "", "hebdomadaire").await, Err(AlertError::Invalid(_))), "20 at most");

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
    assert!(says(&mine.body, "Remplacement · département 12"), "{}", mine.body);

    let token: String =
        sqlx::query_scalar("SELECT unsubscribe_token FROM saved_searches").fetch_one(&app.db.pool).await.unwrap();
    // No session needed: the link is enough, as in a mail opened anywhere.
    let (status, _) = app.page(&format!("/alertes/desabonnement?jeton={token}")).await;
    assert_eq!(status, 303);
    assert_eq!(rows().await, 0);
    let answer = app.get(&format!("/alertes/desabonnement?jeton={token}")).await;
    assert_eq!(answer.headers()["location"], "/offres?erreur=alerte-lien");
}
