//! When people leave an organisation (issue 26): its last owner cannot leave it behind with
//! something online or in progress; closing it takes everything offline and answers everyone
//! concerned, in one step; moderators take over or close what was already left without owner
//! (SQLite, or PostgreSQL with TEST_DATABASE=postgres).

use crate::access::scene;
use crate::browser::*;
use crate::helpers::*;
use crate::seeds::{MODERATOR, PASSWORD, World};
use server::accounts::AccountError;
use server::organisations::OrganisationError;
use sqlx::Row;

const CLOSING: &str = "La commune confie désormais l'accueil des médecins à l'intercommunalité du Bassin.";

async fn one(app: &TestApp, sql: &str, id: i64) -> Option<String> {
    sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
        .bind(id)
        .fetch_optional(&app.db.pool)
        .await
        .unwrap()
        .map(|row| row.try_get::<Option<String>, _>(0).unwrap().unwrap_or_default())
}

async fn is_set(app: &TestApp, sql: &str, id: i64) -> bool {
    let value: Option<i64> =
        sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_owned())).bind(id).fetch_one(&app.db.pool).await.unwrap();
    value.is_some()
}

/// The queued mails to `to` of `template`, as their text.
async fn mails(app: &TestApp, to: &str, template: &str) -> Vec<String> {
    sqlx::query_scalar("SELECT body_text FROM mail_outbox WHERE recipient = $1 AND template = $2 ORDER BY id")
        .bind(to.to_owned())
        .bind(template.to_owned())
        .fetch_all(&app.db.pool)
        .await
        .unwrap()
}

/// Claire is the only owner of a commune with two members, a published offer Léa applied to,
/// a drafted one, an event Léa registered for, an aid, a published territory page, a guichet
/// case of Léa's, interns' housing and Paul's pending invitation; and of a maison de santé
/// with a stage site. She cannot leave the portal; the page says what closing would take
/// offline; closing through its form does all of it and answers everyone; then handing the
/// maison de santé on lets her go.
#[tokio::test]
async fn the_last_owner_closes_her_commune_and_everyone_concerned_is_answered() {
    let app = spawn_app().await;
    let w = World::of(&app).await;
    let s = scene(&app, &w).await;
    let o = &w.organisations;

    let refused = w.accounts.delete_account(s.claire, PASSWORD).await;
    assert!(matches!(&refused, Err(AccountError::SoleOwner { .. })), "{refused:?}");
    assert!(matches!(o.remove_member(s.claire, s.organisation, s.claire).await, Err(OrganisationError::LastOwner)));
    assert!(OrganisationError::LastOwner.to_string().contains("fermez l'organisation"));

    // Only its owners close it; the moderation only what has no owner left.
    assert!(matches!(o.close(s.marc, s.organisation, "", true).await, Err(OrganisationError::OwnersOnly)));
    assert!(matches!(o.close(s.lea, s.organisation, "", true).await, Err(OrganisationError::NotFound)));
    assert!(matches!(o.close_ownerless(w.moderator, s.organisation, "", true).await, Err(OrganisationError::HasOwner)));
    assert!(matches!(
        o.close_ownerless(s.claire, s.organisation, "", true).await,
        Err(OrganisationError::ModeratorsOnly)
    ));
    assert!(matches!(o.take_over(w.moderator, s.organisation).await, Err(OrganisationError::HasOwner)));

    // Her page says what closing concerns today.
    let mut claire = Browser::new(&app);
    let signed_in = claire
        .submit("/connexion", "/connexion", &[("email", "claire@decazeville.example"), ("mot_de_passe", PASSWORD)])
        .await;
    assert_eq!(signed_in.status, 303);
    let page = format!("/organisations/{}", s.organisation);
    let html = claire.get(&page).await.body;
    assert!(says(&html, "Fermer l'organisation"), "{html}");
    // The scene has a published offer and two drafts.
    for line in
        ["3 offres (publiées ou en brouillon)", "1 candidature en cours", "1 événement à venir", "1 aide publiée"]
    {
        assert!(says(&html, line), "{line} in {html}");
    }

    // Without the box ticked, nothing happens, and the message typed comes back.
    let action = format!("/organisations/{}/fermeture", s.organisation);
    let unticked = claire.submit(&page, &action, &[("message", CLOSING)]).await;
    assert_eq!(unticked.status, 303);
    assert!(unticked.location.starts_with(&format!("{page}?erreur=fermeture-a-confirmer")), "{}", unticked.location);
    assert!(unticked.location.contains("saisie=") && !unticked.location.contains("message="), "{}", unticked.location);
    let again = claire.get(&unticked.location).await.body;
    assert!(again.contains("accueil des médecins"), "the message typed comes back");
    crate::forms::refused_field(&again, "fermeture-confirmation", "Cochez la case qui confirme la fermeture");
    assert_eq!(one(&app, "SELECT status FROM offers WHERE id = $1", s.draft).await.as_deref(), Some("brouillon"));
    assert!(!is_set(&app, "SELECT closed_at FROM organisations WHERE id = $1", s.organisation).await);

    let closed = claire.submit(&page, &action, &[("message", CLOSING), ("confirmation", "oui")]).await;
    assert_eq!(closed.location, format!("{page}?info=fermeture-effectuee"));
    assert!(is_set(&app, "SELECT closed_at FROM organisations WHERE id = $1", s.organisation).await);

    // Offers withdrawn, and their pages say so.
    let open: i64 = sqlx::query_scalar(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM offers WHERE organisation_id = $1 AND status IN ('brouillon', 'publiee')",
    )
    .bind(s.organisation)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(open, 0);
    let offer: i64 = sqlx::query_scalar("SELECT offer_id FROM applications WHERE id = $1")
        .bind(s.application)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let offer_page = Browser::new(&app).get(&app::domain::offers::offer_path(offer, "x")).await;
    let offer_page =
        if offer_page.status / 100 == 3 { Browser::new(&app).get(&offer_page.location).await } else { offer_page };
    assert!(says(&offer_page.body, "Cette offre a été retirée"), "{}", offer_page.body);

    // Léa's application: answered « refusée », with the message in its thread, and a mail.
    assert_eq!(
        one(&app, "SELECT status FROM applications WHERE id = $1", s.application).await.as_deref(),
        Some("refusee")
    );
    let thread = one(
        &app,
        "SELECT body FROM application_messages WHERE application_id = $1 AND from_organisation = 1 ORDER BY id DESC",
        s.application,
    )
    .await
    .unwrap();
    assert!(thread.contains(CLOSING) && thread.contains("Mairie de Decazeville"), "{thread}");
    let told = mails(&app, "lea@exemple.fr", "candidature-close").await;
    assert_eq!(told.len(), 1);
    assert!(told[0].contains(CLOSING), "{}", told[0]);

    // The event: cancelled, Léa told.
    assert!(is_set(&app, "SELECT cancelled_at FROM events WHERE id = $1", s.event).await);
    let told = mails(&app, "lea@exemple.fr", "evenement-annule").await;
    assert_eq!(told.len(), 1);
    assert!(told[0].contains("Journée d'accueil") && told[0].contains(CLOSING), "{}", told[0]);

    // The guichet case: closed with the message, signed by the commune; Léa told.
    assert_eq!(one(&app, "SELECT status FROM cases WHERE id = $1", s.case).await.as_deref(), Some("clos"));
    let signed =
        one(&app, "SELECT author_name FROM case_messages WHERE case_id = $1 ORDER BY id DESC", s.case).await.unwrap();
    assert_eq!(signed, "Mairie de Decazeville");
    assert!(mails(&app, "lea@exemple.fr", "dossier-message").await.iter().any(|m| m.contains(CLOSING)));

    // The aid, the housing, the territory page: offline.
    assert!(is_set(&app, "SELECT withdrawn_at FROM aids WHERE id = $1", s.aid).await);
    assert!(is_set(&app, "SELECT withdrawn_at FROM intern_housing WHERE id = $1", s.housing).await);
    assert!(
        !is_set(&app, "SELECT published_revision_id FROM territory_pages WHERE organisation_id = $1", s.organisation)
            .await
    );
    let commune = Browser::new(&app).get(&app::domain::territory::paths::commune("12089", "decazeville")).await;
    let commune = if commune.status / 100 == 3 { Browser::new(&app).get(&commune.location).await } else { commune };
    assert!(!says(&commune.body, "Bienvenue."), "the territory page is unpublished");
    // The maison de santé is another organisation: its stage site stays.
    assert!(!is_set(&app, "SELECT withdrawn_at FROM stage_sites WHERE id = $1", s.stage_site).await);

    // The members are told; Paul's invitation is dead.
    for member in ["marc@exemple.fr", "nina@exemple.fr"] {
        assert_eq!(mails(&app, member, "organisation-fermee").await.len(), 1, "{member}");
    }
    assert!(mails(&app, "claire@decazeville.example", "organisation-fermee").await.is_empty());
    let paul = w.confirmed_user("paul@exemple.fr", "Paul").await;
    let token = crate::personal_data::invitation_token(&app.db, "paul@exemple.fr").await;
    assert!(matches!(o.accept_invitation(paul, &token).await, Err(OrganisationError::BadInvitation)));

    // Logged for the moderators, with the message.
    let page = o.moderation(w.moderator).await.unwrap().unwrap();
    let entry = page.log.iter().find(|e| e.organisation_id == s.organisation).unwrap();
    assert_eq!(entry.action, app::domain::organisations::ModerationAction::Close);
    assert_eq!(entry.reason.as_deref(), Some(CLOSING));
    assert!(page.ownerless.iter().all(|x| x.id != s.organisation));

    // A closed organisation publishes, invites and is closed nothing more.
    let detail = o.detail(s.claire, s.organisation).await.unwrap().unwrap();
    assert!(detail.closed_at.is_some() && detail.in_progress.is_none());
    let drafted = w.offers.create(s.claire, s.organisation, &crate::offers::remplacement()).await;
    assert!(
        matches!(
            drafted,
            Err(server::offers::OfferError::Invalid(app::domain::offers::OfferProblem::OrganisationClosed))
        ),
        "{drafted:?}"
    );
    assert!(matches!(
        o.invite(s.claire, s.organisation, "ines@exemple.fr", "owner").await,
        Err(OrganisationError::Closed)
    ));
    assert!(matches!(o.close(s.claire, s.organisation, "", true).await, Err(OrganisationError::Closed)));
    let html = claire.get(&format!("/organisations/{}", s.organisation)).await.body;
    assert!(says(&html, "Cette organisation est fermée") && !says(&html, "Publier une offre"), "{html}");

    // Still the only owner of the maison de santé and its stage site: she hands it on to Marc.
    let refused = w.accounts.delete_account(s.claire, PASSWORD).await;
    assert!(matches!(&refused, Err(AccountError::SoleOwner { organisation }) if organisation == "MSP de Decazeville"));
    o.invite(s.claire, s.structure, "marc@exemple.fr", "owner").await.unwrap();
    let token = crate::personal_data::invitation_token(&app.db, "marc@exemple.fr").await;
    o.accept_invitation(s.marc, &token).await.unwrap();
    w.accounts.delete_account(s.claire, PASSWORD).await.unwrap();
    // The closed commune keeps its members, without owner: nothing for the moderators to do.
    assert!(o.moderation(w.moderator).await.unwrap().unwrap().ownerless.iter().all(|x| x.id != s.organisation));
    o.remove_member(s.marc, s.organisation, s.marc).await.unwrap();
}

/// Data from before the last owner was kept from leaving: organisations with members and an
/// offer but no owner. The moderators see them; one takes the first over (and may then invite
/// its new owner), another closes the second, which answers its candidate.
#[tokio::test]
async fn a_moderator_takes_over_or_closes_an_organisation_left_without_owner() {
    let app = spawn_app().await;
    let w = World::of(&app).await;
    let o = &w.organisations;
    let applications = server::applications::Applications::new(app.db.clone(), crate::seeds::SITE.to_owned());
    let claire = w.confirmed_user("claire@msp.example", "Claire").await;
    let lea = w.confirmed_user("lea@exemple.fr", "Dr Léa Martin").await;
    let first = w.organisation(claire, "msp", "MSP du Lévézou", "", true).await;
    let second = w.organisation(claire, "centre_sante", "Centre de santé de Réquista", "", true).await;
    let offer = w.published(claire, second, &crate::offers::remplacement()).await;
    let application = applications.apply(lea, offer, "Bonjour, je suis disponible en août.", None).await.unwrap();
    // As the portal allowed before: the owner's membership went, the organisations stayed.
    sqlx::query("DELETE FROM memberships WHERE user_id = $1").bind(claire).execute(&app.db.pool).await.unwrap();

    let page = o.moderation(w.moderator).await.unwrap().unwrap();
    let listed: Vec<_> = page.ownerless.iter().map(|x| (x.name.as_str(), x.in_progress.offers)).collect();
    assert_eq!(listed, [("Centre de santé de Réquista", 1), ("MSP du Lévézou", 0)]);
    assert!(page.ownerless[0].in_progress.lines().contains(&"1 candidature en cours".to_owned()));

    // Nobody else.
    assert!(matches!(o.take_over(lea, first).await, Err(OrganisationError::ModeratorsOnly)));
    assert!(matches!(o.close_ownerless(lea, second, "", true).await, Err(OrganisationError::ModeratorsOnly)));

    o.take_over(w.moderator, first).await.unwrap();
    let detail = o.detail(w.moderator, first).await.unwrap().unwrap();
    assert_eq!(detail.my_role, Some(app::domain::organisations::Role::Owner));
    assert!(matches!(o.take_over(w.moderator, first).await, Err(OrganisationError::HasOwner)));

    assert!(matches!(
        o.close_ownerless(w.moderator, second, "", false).await,
        Err(OrganisationError::ClosureUnconfirmed)
    ));
    // Through the page: the box left unticked is refused, and the message typed comes back
    // into this organisation's form only, never through the address.
    let message = "Le centre ferme ; la maison de santé de Réquista reprend les remplacements.";
    let mut moderator = Browser::signed_in(&app, MODERATOR).await;
    let close = format!("/moderation/{second}/fermeture");
    let unticked = moderator.submit("/moderation", &close, &[("message", message)]).await;
    let expected = format!("/moderation?erreur=fermeture-a-confirmer&organisation={second}&saisie=");
    assert!(unticked.location.starts_with(&expected) && !unticked.location.contains("maison"), "{}", unticked.location);
    let again = moderator.get(&unticked.location).await.body;
    crate::forms::refused_field(
        &again,
        &format!("fermeture-confirmation-{second}"),
        "Cochez la case qui confirme la fermeture",
    );
    let form = &again[again.find(&format!("id=\"fermeture-message-{second}\"")).unwrap()..];
    assert!(form[..form.find("</textarea>").unwrap()].ends_with(message), "the message is back in its form");
    assert_eq!(again.matches(message).count(), 1, "in no other organisation's form");
    assert!(o.moderation(w.moderator).await.unwrap().unwrap().ownerless.iter().any(|x| x.id == second));
    o.close_ownerless(w.moderator, second, "", true).await.unwrap();
    assert_eq!(one(&app, "SELECT status FROM offers WHERE id = $1", offer).await.as_deref(), Some("retiree"));
    assert_eq!(
        one(&app, "SELECT status FROM applications WHERE id = $1", application).await.as_deref(),
        Some("refusee")
    );
    let told = mails(&app, "lea@exemple.fr", "candidature-close").await;
    assert_eq!(told.len(), 1);
    assert!(told[0].contains("Centre de santé de Réquista"), "{}", told[0]);

    let page = o.moderation(w.moderator).await.unwrap().unwrap();
    assert!(page.ownerless.is_empty());
    let actions: Vec<_> = page
        .log
        .iter()
        .filter(|e| e.organisation_id == first || e.organisation_id == second)
        .map(|e| (e.organisation_id, e.action.code(), e.reason.clone().unwrap_or_default()))
        .collect();
    assert!(actions.contains(&(first, "take_over", String::new())), "{actions:?}");
    assert!(
        actions.iter().any(|(id, action, reason)| *id == second && *action == "close" && reason.contains("modération")),
        "{actions:?}"
    );
    assert!(matches!(o.close_ownerless(w.moderator, second, "", true).await, Err(OrganisationError::Closed)));
}

/// Alone in an organisation with nothing online, its owner leaves the portal: the
/// organisation closes with her, and nobody can join it with an invitation she sent.
#[tokio::test]
async fn an_organisation_left_empty_by_its_owner_closes_with_her() {
    let w = World::new().await;
    let claire = w.confirmed_user("claire@msp.example", "Claire").await;
    let msp = w.organisation(claire, "msp", "MSP du Lévézou", "", false).await;
    w.organisations.invite(claire, msp, "paul@exemple.fr", "owner").await.unwrap();
    let token = crate::personal_data::invitation_token(&w.db, "paul@exemple.fr").await;
    w.accounts.delete_account(claire, PASSWORD).await.unwrap();
    let closed: Option<i64> = sqlx::query_scalar("SELECT closed_at FROM organisations WHERE id = $1")
        .bind(msp)
        .fetch_one(&w.db.pool)
        .await
        .unwrap();
    assert!(closed.is_some());
    let paul = w.confirmed_user("paul@exemple.fr", "Paul").await;
    assert!(matches!(w.organisations.accept_invitation(paul, &token).await, Err(OrganisationError::BadInvitation)));
}
