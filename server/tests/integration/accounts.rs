//! The accounts service against a real database (SQLite, or PostgreSQL with
//! TEST_DATABASE=postgres): sign-up, verification link, sign-in, sessions, rate limiting, reset.

use crate::helpers::*;
use server::accounts::{AccountError, Accounts, SESSION_TTL, SIGN_IN_MAX_FAILURES};
use server::clock::Clock;
use server::db::Database;
use sqlx::Row;
use std::time::Duration;

const SITE: &str = "https://medecins-territoires.example";

async fn accounts() -> (Accounts, Database, TestDb) {
    let test_db = empty_db().await;
    let db = Database::connect(&test_db.url).await.unwrap();
    (Accounts::new(db.clone(), SITE.to_owned()), db, test_db)
}

/// The mails queued for `to`, oldest first, as (template, text body).
async fn mails_to(db: &Database, to: &str) -> Vec<(String, String)> {
    sqlx::query("SELECT template, body_text FROM mail_outbox WHERE recipient = $1 ORDER BY id")
        .bind(to.to_owned())
        .fetch_all(&db.pool)
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect()
}

/// The token of the link `{SITE}{path}?jeton=...` in a mail body.
fn token_in(body: &str, path: &str) -> String {
    let start = format!("{SITE}{path}?jeton=");
    let at = body.find(&start).unwrap_or_else(|| panic!("no link to {path} in {body}")) + start.len();
    body[at..].chars().take_while(char::is_ascii_hexdigit).collect()
}

async fn count(db: &Database, table: &str) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT CAST(COUNT(*) AS BIGINT) FROM {table}")))
        .fetch_one(&db.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn sign_up_queues_a_verification_link_that_works_once() {
    let (accounts, db, _t) = accounts().await;
    let id = accounts.sign_up(" Claire.Martin@Exemple.FR ", "Claire  Martin", "une longue phrase").await.unwrap();

    let mails = mails_to(&db, "Claire.Martin@exemple.fr").await;
    assert_eq!(mails.len(), 1, "{mails:?}");
    assert_eq!(mails[0].0, "verification");
    assert!(mails[0].1.contains("Claire Martin"));
    let token = token_in(&mails[0].1, "/compte/verification");
    assert_eq!(token.len(), 64);

    let session = accounts.sign_in("claire.martin@exemple.fr", "une longue phrase").await.unwrap();
    let user = accounts.session_user(&session.token).await.unwrap().unwrap();
    assert_eq!((user.id, user.verified, user.display_name.as_str()), (id, false, "Claire Martin"));

    assert_eq!(accounts.verify_email(&token).await.unwrap(), id);
    assert!(accounts.session_user(&session.token).await.unwrap().unwrap().verified);
    assert!(matches!(accounts.verify_email(&token).await, Err(AccountError::BadLink)));
    assert!(matches!(accounts.verify_email("0000").await, Err(AccountError::BadLink)));
}

#[tokio::test]
async fn a_lost_verification_link_is_sent_again_at_most_every_ten_minutes() {
    let (accounts, db, _t) = accounts().await;
    let clock = Clock::adjustable();
    let accounts = accounts.with_clock(clock.clone());
    let id = accounts.sign_up("claire@exemple.fr", "Claire", "une longue phrase").await.unwrap();
    let first = mails_to(&db, "claire@exemple.fr").await;
    assert!(first[0].1.contains("est ouvert") && first[0].1.contains("48 heures"), "{}", first[0].1);
    assert!(!first[0].1.contains("activer votre compte"), "the account already works: {}", first[0].1);

    assert!(matches!(accounts.resend_verification(id).await, Err(AccountError::LinkJustSent)));
    clock.advance(Duration::from_secs(9 * 60));
    assert!(matches!(accounts.resend_verification(id).await, Err(AccountError::LinkJustSent)));
    assert_eq!(mails_to(&db, "claire@exemple.fr").await.len(), 1, "refused: nothing sent");
    clock.advance(Duration::from_secs(2 * 60));
    accounts.resend_verification(id).await.unwrap();
    let mails = mails_to(&db, "claire@exemple.fr").await;
    assert_eq!(mails.len(), 2);
    let (old, new) = (token_in(&mails[0].1, "/compte/verification"), token_in(&mails[1].1, "/compte/verification"));
    assert_ne!(old, new);
    // Either link confirms the address, until one has.
    assert_eq!(accounts.verify_email(&new).await.unwrap(), id);
    clock.advance(Duration::from_secs(3600));
    assert!(matches!(accounts.resend_verification(id).await, Err(AccountError::AlreadyVerified)));
    assert_eq!(mails_to(&db, "claire@exemple.fr").await.len(), 2);
}

#[tokio::test]
async fn bad_sign_up_input_is_refused_in_french_and_changes_nothing() {
    let (accounts, db, _t) = accounts().await;
    for (email, name, password, expected) in [
        ("pas-une-adresse", "Claire", "une longue phrase", "n'est pas valide"),
        ("claire@exemple.fr", "C", "une longue phrase", "nom affiché"),
        ("claire@exemple.fr", "Claire", "court", "au moins 10 caractères"),
        ("claire@exemple.fr", "Claire", "claire@exemple.fr", "adresse e-mail"),
    ] {
        let error = accounts.sign_up(email, name, password).await.unwrap_err();
        assert!(error.to_string().contains(expected), "{email} {name} {password}: {error}");
    }
    assert_eq!(count(&db, "users").await, 0);
    assert_eq!(count(&db, "mail_outbox").await, 0);

    accounts.sign_up("claire@exemple.fr", "Claire", "une longue phrase").await.unwrap();
    let again = accounts.sign_up("CLAIRE@exemple.fr", "Autre", "une autre phrase").await;
    assert!(matches!(again, Err(AccountError::EmailTaken)), "{again:?}");
    assert_eq!((count(&db, "users").await, count(&db, "mail_outbox").await), (1, 1));
}

#[tokio::test]
async fn sign_in_does_not_tell_unknown_addresses_from_wrong_passwords() {
    let (accounts, _db, _t) = accounts().await;
    accounts.sign_up("paul@exemple.fr", "Paul", "une longue phrase").await.unwrap();
    let wrong = accounts.sign_in("paul@exemple.fr", "pas la bonne").await.unwrap_err();
    let unknown = accounts.sign_in("personne@exemple.fr", "une longue phrase").await.unwrap_err();
    let malformed = accounts.sign_in("n'importe quoi", "x").await.unwrap_err();
    assert!(matches!(wrong, AccountError::BadCredentials));
    assert_eq!(wrong.to_string(), unknown.to_string());
    assert_eq!(wrong.to_string(), malformed.to_string());
    assert_eq!(wrong.to_string(), "adresse e-mail ou mot de passe incorrect");
}

#[tokio::test]
async fn sessions_are_stored_in_the_database_and_closed_by_sign_out_or_by_time() {
    let (accounts, db, _t) = accounts().await;
    let clock = Clock::adjustable();
    let accounts = accounts.with_clock(clock.clone());
    accounts.sign_up("ines@exemple.fr", "Inès", "une longue phrase").await.unwrap();
    let first = accounts.sign_in("ines@exemple.fr", "une longue phrase").await.unwrap();
    let second = accounts.sign_in("ines@exemple.fr", "une longue phrase").await.unwrap();
    // A second service on the same database (a second server instance) knows the session.
    let other_instance = Accounts::new(db.clone(), SITE.to_owned());
    let user = other_instance.session_user(&first.token).await.unwrap().unwrap();
    assert_eq!(user.email, "ines@exemple.fr");
    assert_eq!(user.csrf_token.len(), 64);
    // The database holds digests, not the tokens of the cookies.
    let stored: Vec<String> = sqlx::query_scalar("SELECT token_hash FROM sessions").fetch_all(&db.pool).await.unwrap();
    assert!(!stored.contains(&first.token));

    accounts.sign_out(&first.token).await.unwrap();
    assert!(accounts.session_user(&first.token).await.unwrap().is_none());
    assert!(accounts.session_user(&second.token).await.unwrap().is_some());

    // A session lasts SESSION_TTL, then it is over on every instance.
    clock.advance(SESSION_TTL - Duration::from_secs(60));
    assert!(accounts.session_user(&second.token).await.unwrap().is_some());
    clock.advance(Duration::from_secs(61));
    assert!(accounts.session_user(&second.token).await.unwrap().is_none(), "expired");
    assert!(other_instance.with_clock(clock).session_user(&second.token).await.unwrap().is_none());
}

#[tokio::test]
async fn repeated_failures_lock_sign_in_for_that_address_only() {
    let (accounts, _db, _t) = accounts().await;
    accounts.sign_up("jean@exemple.fr", "Jean", "une longue phrase").await.unwrap();
    accounts.sign_up("lea@exemple.fr", "Léa", "une longue phrase").await.unwrap();
    for _ in 0..SIGN_IN_MAX_FAILURES {
        assert!(matches!(accounts.sign_in("jean@exemple.fr", "mauvais").await, Err(AccountError::BadCredentials)));
    }
    let locked = accounts.sign_in("jean@exemple.fr", "une longue phrase").await.unwrap_err();
    assert!(matches!(locked, AccountError::RateLimited { minutes: 15 }), "{locked:?}");
    assert!(locked.to_string().contains("réessayez dans 15 minutes"));
    assert!(accounts.sign_in("lea@exemple.fr", "une longue phrase").await.is_ok());
}

#[tokio::test]
async fn password_reset_by_mail_sets_a_new_password_and_closes_sessions() {
    let (accounts, db, _t) = accounts().await;
    accounts.sign_up("marc@exemple.fr", "Marc", "ancienne phrase").await.unwrap();
    let old_session = accounts.sign_in("marc@exemple.fr", "ancienne phrase").await.unwrap();

    // Same answer, and no mail, for an address without an account.
    accounts.request_password_reset("inconnu@exemple.fr").await.unwrap();
    assert_eq!(count(&db, "mail_outbox").await, 1);

    accounts.request_password_reset("MARC@exemple.fr").await.unwrap();
    let mails = mails_to(&db, "marc@exemple.fr").await;
    assert_eq!(mails.last().unwrap().0, "reinitialisation");
    let token = token_in(&mails.last().unwrap().1, "/compte/nouveau-mot-de-passe");

    let short = accounts.reset_password(&token, "court").await.unwrap_err();
    assert!(short.to_string().contains("au moins 10"), "{short}");
    // A refused password does not spend the link.
    accounts.reset_password(&token, "nouvelle phrase").await.unwrap();
    assert!(matches!(accounts.reset_password(&token, "encore une autre").await, Err(AccountError::BadLink)));

    assert!(accounts.session_user(&old_session.token).await.unwrap().is_none());
    assert!(matches!(accounts.sign_in("marc@exemple.fr", "ancienne phrase").await, Err(AccountError::BadCredentials)));
    let user = accounts.sign_in("marc@exemple.fr", "nouvelle phrase").await.unwrap();
    assert!(accounts.session_user(&user.token).await.unwrap().unwrap().verified, "the link proved the address");
}

#[tokio::test]
async fn an_expired_link_is_refused() {
    let (accounts, db, _t) = accounts().await;
    accounts.sign_up("zoe@exemple.fr", "Zoé", "une longue phrase").await.unwrap();
    let token = token_in(&mails_to(&db, "zoe@exemple.fr").await[0].1, "/compte/verification");
    sqlx::query("UPDATE account_tokens SET expires_at = 1").execute(&db.pool).await.unwrap();
    assert!(matches!(accounts.verify_email(&token).await, Err(AccountError::BadLink)));
}

#[tokio::test]
async fn a_password_change_needs_the_current_one_and_closes_the_other_sessions() {
    let (accounts, _db, _t) = accounts().await;
    let id = accounts.sign_up("ana@exemple.fr", "Ana", "ancienne phrase").await.unwrap();
    let here = accounts.sign_in("ana@exemple.fr", "ancienne phrase").await.unwrap();
    let elsewhere = accounts.sign_in("ana@exemple.fr", "ancienne phrase").await.unwrap();

    let wrong = accounts.change_password(id, "pas la bonne", "nouvelle phrase", &here.token).await;
    assert!(matches!(wrong, Err(AccountError::WrongPassword)), "{wrong:?}");
    let short = accounts.change_password(id, "ancienne phrase", "court", &here.token).await;
    assert!(matches!(short, Err(AccountError::Password(_))), "{short:?}");
    assert!(accounts.session_user(&elsewhere.token).await.unwrap().is_some(), "refusals change nothing");

    accounts.change_password(id, "ancienne phrase", "nouvelle phrase", &here.token).await.unwrap();
    assert!(accounts.session_user(&here.token).await.unwrap().is_some());
    assert!(accounts.session_user(&elsewhere.token).await.unwrap().is_none());
    assert!(accounts.sign_in("ana@exemple.fr", "nouvelle phrase").await.is_ok());
}

#[tokio::test]
async fn an_address_changes_only_when_the_link_sent_to_it_is_opened() {
    let (accounts, db, _t) = accounts().await;
    let id = accounts.sign_up("old@exemple.fr", "Olga", "une longue phrase").await.unwrap();
    accounts.sign_up("pris@exemple.fr", "Pierre", "une longue phrase").await.unwrap();

    for (password, address, expected) in [
        ("mauvais", "new@exemple.fr", "mot de passe actuel"),
        ("une longue phrase", "OLD@exemple.fr", "déjà l'adresse"),
        ("une longue phrase", "pris@exemple.fr", "existe déjà"),
        ("une longue phrase", "pas une adresse", "n'est pas valide"),
    ] {
        let error = accounts.request_email_change(id, password, address).await.unwrap_err();
        assert!(error.to_string().contains(expected), "{address}: {error}");
    }
    accounts.request_email_change(id, "une longue phrase", "New@Exemple.fr").await.unwrap();
    let mails = mails_to(&db, "New@exemple.fr").await;
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].0, "changement-email");
    // Until the link is opened, the old address still signs in.
    assert!(accounts.sign_in("old@exemple.fr", "une longue phrase").await.is_ok());

    let token = token_in(&mails[0].1, "/compte/changement-email");
    assert_eq!(accounts.confirm_email_change(&token).await.unwrap(), id);
    assert!(accounts.sign_in("new@exemple.fr", "une longue phrase").await.is_ok());
    assert!(matches!(accounts.sign_in("old@exemple.fr", "une longue phrase").await, Err(AccountError::BadCredentials)));
    assert!(matches!(accounts.confirm_email_change(&token).await, Err(AccountError::BadLink)));
    // A verification or reset link is no e-mail change link.
    let verify = token_in(&mails_to(&db, "old@exemple.fr").await[0].1, "/compte/verification");
    assert!(matches!(accounts.confirm_email_change(&verify).await, Err(AccountError::BadLink)));
}

#[tokio::test]
async fn profiles_are_validated_saved_replaced_and_rpps_numbers_kept_unique() {
    use app::domain::profiles::{ProfileInput, ProfileProblem, Status};
    use server::people::{People, PeopleError};
    let (accounts, db, _t) = accounts().await;
    let people = People::new(db.clone());
    let claire = accounts.sign_up("claire@exemple.fr", "Claire", "une longue phrase").await.unwrap();
    let paul = accounts.sign_up("paul@exemple.fr", "Paul", "une longue phrase").await.unwrap();
    assert_eq!(people.get(claire).await.unwrap(), None);

    let intern = ProfileInput {
        statut: "interne".into(),
        faculte: "Université de Montpellier".into(),
        annee: "3".into(),
        specialite: "Médecine générale".into(),
        ..Default::default()
    };
    people.save(claire, &intern).await.unwrap();
    assert_eq!(people.get(claire).await.unwrap().unwrap().year, Some(3));

    let installed = ProfileInput {
        statut: "installe".into(),
        specialite: "Médecine générale".into(),
        rpps: "10101234564".into(),
        ..Default::default()
    };
    people.save(claire, &installed).await.unwrap();
    let saved = people.get(claire).await.unwrap().unwrap();
    assert_eq!((saved.status, saved.year, saved.faculty), (Status::Installe, None, None));
    assert_eq!(saved.rpps.unwrap().as_str(), "10101234564");

    let taken = people.save(paul, &installed).await.unwrap_err();
    assert!(matches!(taken, PeopleError::Invalid(ProfileProblem::RppsTaken)), "{taken:?}");
    let invalid = people.save(paul, &ProfileInput { rpps: "10101234565".into(), ..installed.clone() }).await;
    assert!(matches!(invalid, Err(PeopleError::Invalid(ProfileProblem::RppsInvalid))));
    assert_eq!(people.get(paul).await.unwrap(), None, "a refused form saves nothing");
}
