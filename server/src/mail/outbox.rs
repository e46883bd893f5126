//! The durable outbox: mails are rows of `mail_outbox`, written in the transaction of the
//! action that causes them and sent later by the worker (`jobs::mail`), so a mail exists if and
//! only if its action committed, and an SMTP outage delays mail without losing any.
//!
//! Times are unix milliseconds taken from the server's clock, so the SQL is the same on both
//! engines.

use super::transport::OutgoingMail;
use crate::clock::Clock;
use crate::db::rows::{table, typed};
use crate::db::{Backend, Database};
use sqlx::AnyConnection;

/// The outbox and its worker wait in real time: their retries are the system's milliseconds.
pub(crate) fn now_ms() -> i64 {
    Clock::system().now_ms()
}

/// Stores `mail` for sending, in the caller's transaction (`enqueue(&mut tx, &mail)`: a
/// transaction derefs to its connection), and returns its id. The worker sees it when the
/// transaction commits, and never if it rolls back.
#[tracing::instrument(skip_all, fields(template = mail.template()))]
pub async fn enqueue(conn: &mut AnyConnection, mail: &OutgoingMail) -> Result<i64, sqlx::Error> {
    enqueue_after(conn, mail, 0).await
}

/// As `enqueue`, the mail leaving no sooner than `wait_ms` from now: a mail that other news may
/// still join (`rewrite_waiting`).
pub async fn enqueue_after(conn: &mut AnyConnection, mail: &OutgoingMail, wait_ms: i64) -> Result<i64, sqlx::Error> {
    let now = now_ms();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO mail_outbox
             (recipient, subject, body_text, body_html, template, list_unsubscribe, created_at, status, attempts,
              next_attempt_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', 0, $8)
         RETURNING id",
    )
    .bind(mail.to().to_owned())
    .bind(mail.subject().to_owned())
    .bind(mail.text().to_owned())
    .bind(mail.html().to_owned())
    .bind(mail.template().to_owned())
    .bind(mail.list_unsubscribe().map(str::to_owned))
    .bind(now)
    .bind(now + wait_ms.max(0))
    .fetch_one(conn)
    .await?;
    tracing::debug!(mail_id = id, "mail queued");
    Ok(id)
}

/// Writes mail `id` again as `mail`, if it still waits: never tried, and no worker holds it.
/// False when it has left (or is leaving): the news it would have told goes in a new mail.
pub async fn rewrite_waiting(conn: &mut AnyConnection, id: i64, mail: &OutgoingMail) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE mail_outbox SET recipient = $2, subject = $3, body_text = $4, body_html = $5, template = $6
         WHERE id = $1 AND status = 'pending' AND attempts = 0 AND locked_until IS NULL",
    )
    .bind(id)
    .bind(mail.to().to_owned())
    .bind(mail.subject().to_owned())
    .bind(mail.text().to_owned())
    .bind(mail.html().to_owned())
    .bind(mail.template().to_owned())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A mail claimed by one worker, with the attempts made before this one.
pub(crate) struct Claimed {
    pub id: i64,
    pub attempts: i64,
    pub mail: OutgoingMail,
}

// One statement picks a due mail and takes a lease on it, so two workers never hold the same
// mail. On PostgreSQL, SKIP LOCKED makes a concurrent worker pass over the row being claimed
// instead of waiting for it, and the outer conditions are checked again on the row as it is
// once locked. SQLite runs each write statement alone, which gives the same guarantee.
const CLAIM_SQLITE: &str = "
    UPDATE mail_outbox SET locked_until = $3
    WHERE id = (SELECT id FROM mail_outbox
                WHERE status = 'pending' AND next_attempt_at <= $1
                  AND (locked_until IS NULL OR locked_until <= $2)
                ORDER BY next_attempt_at, id LIMIT 1)
      AND status = 'pending' AND (locked_until IS NULL OR locked_until <= $2)
    RETURNING id, attempts, created_at, recipient, subject, body_text, body_html, template, list_unsubscribe";
const CLAIM_POSTGRES: &str = "
    UPDATE mail_outbox SET locked_until = $3
    WHERE id = (SELECT id FROM mail_outbox
                WHERE status = 'pending' AND next_attempt_at <= $1
                  AND (locked_until IS NULL OR locked_until <= $2)
                ORDER BY next_attempt_at, id LIMIT 1
                FOR UPDATE SKIP LOCKED)
      AND status = 'pending' AND (locked_until IS NULL OR locked_until <= $2)
    RETURNING id, attempts, created_at, recipient, subject, body_text, body_html, template, list_unsubscribe";

/// Whether a mail is due at `due_before` and not leased at `now`: a read, so that an idle
/// worker never takes SQLite's write lock (an import may hold it for a while).
pub(crate) async fn any_due(db: &Database, due_before: i64, now: i64) -> Result<bool, sqlx::Error> {
    let due: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM mail_outbox
         WHERE status = 'pending' AND next_attempt_at <= $1 AND (locked_until IS NULL OR locked_until <= $2)
         LIMIT 1",
    )
    .bind(due_before)
    .bind(now)
    .fetch_optional(&db.pool)
    .await?;
    Ok(due.is_some())
}

/// Claims the oldest pending mail due at `due_before` and not leased at `now`, leasing it
/// until `lease_until`.
pub(crate) async fn claim(
    db: &Database,
    due_before: i64,
    now: i64,
    lease_until: i64,
) -> Result<Option<Claimed>, sqlx::Error> {
    let sql = match db.backend {
        Backend::Sqlite => CLAIM_SQLITE,
        Backend::Postgres => CLAIM_POSTGRES,
    };
    let claimed = sqlx::query(sql)
        .bind(due_before)
        .bind(now)
        .bind(lease_until)
        .try_map(typed::<ClaimedRow>)
        .fetch_optional(&db.pool)
        .await?;
    Ok(claimed.map(|r| Claimed {
        id: r.id,
        attempts: r.attempts,
        mail: OutgoingMail::stored(
            (r.id, r.created_at),
            r.recipient,
            r.subject,
            r.body_text,
            r.body_html,
            r.template,
            r.list_unsubscribe,
        ),
    }))
}

/// A claimed mail as `CLAIM_SQLITE` and `CLAIM_POSTGRES` return it.
#[derive(sqlx::FromRow)]
struct ClaimedRow {
    id: i64,
    attempts: i64,
    created_at: i64,
    recipient: String,
    subject: String,
    body_text: String,
    body_html: String,
    template: String,
    list_unsubscribe: Option<String>,
}

table!(ClaimedRow, "mail_outbox");

/// Marks a claimed mail as sent after its `attempts`-th attempt.
pub(crate) async fn record_sent(db: &Database, id: i64, attempts: i64, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE mail_outbox
         SET status = 'sent', sent_at = $1, attempts = $2, locked_until = NULL, last_error = NULL
         WHERE id = $3",
    )
    .bind(now)
    .bind(attempts)
    .bind(id)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// Records a failed attempt: the mail is tried again at `retry_at`, or given up when `give_up`.
pub(crate) async fn record_failure(
    db: &Database,
    id: i64,
    attempts: i64,
    error: &str,
    retry_at: i64,
    give_up: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE mail_outbox
         SET status = $1, attempts = $2, last_error = $3, next_attempt_at = $4, locked_until = NULL
         WHERE id = $5",
    )
    .bind(if give_up { "failed" } else { "pending" })
    .bind(attempts)
    .bind(error.to_owned())
    .bind(retry_at)
    .bind(id)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// A mail the worker gave up on.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct FailedMail {
    /// Its row in `mail_outbox`.
    pub id: i64,
    /// The To address.
    pub recipient: String,
    /// The subject line.
    pub subject: String,
    /// The template it was rendered from.
    pub template: String,
    /// When it was queued, in unix milliseconds.
    pub created_at: i64,
    /// How many times sending was tried.
    pub attempts: i64,
    /// What went wrong the last time.
    pub last_error: Option<String>,
}

/// Mails the worker gave up on, newest first.
pub async fn failed_mails(db: &Database) -> Result<Vec<FailedMail>, sqlx::Error> {
    sqlx::query(
        "SELECT id, recipient, subject, template, created_at, attempts, last_error
         FROM mail_outbox WHERE status = 'failed' ORDER BY created_at DESC, id DESC",
    )
    .try_map(typed::<FailedMail>)
    .fetch_all(&db.pool)
    .await
}

table!(FailedMail, "mail_outbox");

/// Puts mail `id` back in the queue if the worker gave up on it: pending, due now, with its
/// attempts counted from zero again (the full retry schedule starts over). False, and nothing
/// changed, when `id` is not a failed mail (already requeued, sent, or unknown).
///
/// In the caller's transaction, like `enqueue`, so that the caller checks who asks in it. The
/// last error stays until the next attempt replaces it or a delivery clears it.
pub async fn requeue_failed(conn: &mut AnyConnection, id: i64) -> Result<bool, sqlx::Error> {
    let requeued = sqlx::query(
        "UPDATE mail_outbox SET status = 'pending', attempts = 0, next_attempt_at = $1, locked_until = NULL
         WHERE id = $2 AND status = 'failed'",
    )
    .bind(now_ms())
    .bind(id)
    .execute(conn)
    .await?;
    Ok(requeued.rows_affected() == 1)
}

/// Deletes the mails sent before `sent_before` and those given up on before `failed_before`
/// (unix milliseconds): their bodies copy people's messages, which the portal keeps only where
/// they belong. Pending mails are never touched. Returns how many were deleted.
pub async fn purge(db: &Database, sent_before: i64, failed_before: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "DELETE FROM mail_outbox
         WHERE (status = 'sent' AND sent_at < $1) OR (status = 'failed' AND created_at < $2)",
    )
    .bind(sent_before)
    .bind(failed_before)
    .execute(&db.pool)
    .await?;
    Ok(done.rows_affected())
}

/// How many mails wait to be sent (due now or later).
pub async fn pending_count(db: &Database) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM mail_outbox WHERE status = 'pending'")
        .fetch_one(&db.pool)
        .await
}
