//! The retention pass (`jobs::retention`) against a real database: it deletes ended sessions,
//! used or expired mail links, old sign-in failures and old sent or failed mails, each only
//! once its time has come, and nothing that still serves.

use crate::helpers::*;
use server::accounts::{Accounts, AccountsPurged, SESSION_TTL};
use server::clock::Clock;
use server::db::Database;
use server::jobs::retention::{self, Purged};
use std::time::Duration;

const SITE: &str = "https://medecins-territoires.example";
const PASSWORD: &str = "une longue phrase";

async fn count(db: &Database, sql: &str) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT CAST(COUNT(*) AS BIGINT) FROM {sql}")))
        .fetch_one(&db.pool)
        .await
        .unwrap()
}

fn accounts_purged(sessions: u64, tokens: u64, sign_in_failures: u64) -> AccountsPurged {
    AccountsPurged { sessions, tokens, sign_in_failures }
}

#[tokio::test]
async fn each_kind_of_row_goes_when_its_time_has_come_and_not_before() {
    let test_db = empty_db().await;
    let db = Database::connect(&test_db.url).await.unwrap();
    let clock = Clock::adjustable();
    let accounts = Accounts::new(db.clone(), SITE.to_owned()).with_clock(clock.clone());

    accounts.sign_up("claire@exemple.fr", "Claire", PASSWORD).await.unwrap();
    let session = accounts.sign_in("claire@exemple.fr", PASSWORD).await.unwrap();
    accounts.request_password_reset("claire@exemple.fr").await.unwrap();
    for _ in 0..3 {
        assert!(accounts.sign_in("paul@exemple.fr", "pas le bon").await.is_err());
    }
    assert_eq!(count(&db, "account_tokens").await, 2, "verification and reset links");
    assert_eq!(count(&db, "sign_in_failures").await, 3);

    // Everything still serves.
    assert_eq!(retention::purge(&db, &clock).await.unwrap(), Purged::default());

    // A used link goes at the next pass; the others wait for their end.
    let token: String = sqlx::query_scalar("SELECT token_hash FROM account_tokens WHERE purpose = 'verify'")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    sqlx::query("UPDATE account_tokens SET used_at = $1 WHERE token_hash = $2")
        .bind(clock.now())
        .bind(token)
        .execute(&db.pool)
        .await
        .unwrap();
    let purged = retention::purge(&db, &clock).await.unwrap();
    assert_eq!(purged.accounts, accounts_purged(0, 1, 0));

    // Two hours on, the reset link (one hour) has expired; the failures are kept a day.
    clock.advance(Duration::from_secs(2 * 3600));
    assert_eq!(retention::purge(&db, &clock).await.unwrap().accounts, accounts_purged(0, 1, 0));
    assert_eq!(count(&db, "account_tokens").await, 0);
    clock.advance(Duration::from_secs(23 * 3600));
    assert_eq!(retention::purge(&db, &clock).await.unwrap().accounts, accounts_purged(0, 0, 3));

    // The session lasts its thirty days, then goes.
    assert!(accounts.session_user(&session.token).await.unwrap().is_some());
    clock.advance(SESSION_TTL);
    assert_eq!(retention::purge(&db, &clock).await.unwrap().accounts, accounts_purged(1, 0, 0));
    assert_eq!(count(&db, "sessions").await, 0);
    assert_eq!(count(&db, "users").await, 1, "the account itself stays");

    // Mails: sent ones are kept 30 days, failed ones 90; a pending one is never touched.
    sqlx::query("DELETE FROM mail_outbox").execute(&db.pool).await.unwrap();
    let now = clock.now_ms();
    let day = 86_400_000_i64;
    for (status, created, sent) in [
        ("sent", now - 40 * day, Some(now - 31 * day)),
        ("sent", now - 40 * day, Some(now - 29 * day)),
        ("failed", now - 91 * day, None),
        ("failed", now - 89 * day, None),
        ("pending", now - 200 * day, None),
    ] {
        sqlx::query(
            "INSERT INTO mail_outbox (recipient, subject, body_text, body_html, template, created_at, status,
                                      attempts, next_attempt_at, sent_at)
             VALUES ('claire@exemple.fr', 's', 't', 'h', 'verification', $1, $2, 1, $1, $3)",
        )
        .bind(created)
        .bind(status)
        .bind(sent)
        .execute(&db.pool)
        .await
        .unwrap();
    }
    // What was typed into a refused form waits a quarter of an hour for its page.
    for (id, age) in [("ancienne", 16 * 60), ("recente", 14 * 60)] {
        sqlx::query("INSERT INTO form_flashes (id, owner, typed, created_at) VALUES ($1, 'x', 'rpps=1', $2)")
            .bind(id)
            .bind(clock.now() - age)
            .execute(&db.pool)
            .await
            .unwrap();
    }
    let purged = retention::purge(&db, &clock).await.unwrap();
    assert_eq!(purged, Purged { accounts: AccountsPurged::default(), mails: 2, typed: 1 });
    let left: Vec<String> = sqlx::query_scalar("SELECT id FROM form_flashes").fetch_all(&db.pool).await.unwrap();
    assert_eq!(left, ["recente"]);
    let mut left: Vec<(String, i64)> =
        sqlx::query_as("SELECT status, created_at FROM mail_outbox").fetch_all(&db.pool).await.unwrap();
    left.sort();
    assert_eq!(
        left,
        [
            ("failed".to_owned(), now - 89 * day),
            ("pending".to_owned(), now - 200 * day),
            ("sent".to_owned(), now - 40 * day)
        ]
    );
}
