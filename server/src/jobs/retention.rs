//! What the portal keeps, and for how long: once an hour, a pass deletes what has outlived its
//! use (the README's « Conservation » table says what is kept and why). Every deletion is one
//! statement on rows that nothing reads any more, so a pass interrupted half-way loses nothing.

use crate::accounts::{self, AccountsPurged};
use crate::clock::Clock;
use crate::db::Database;
use crate::mail;
use std::time::Duration;
use tokio::sync::watch;

/// The pause between two passes.
pub const INTERVAL: Duration = Duration::from_secs(3600);
/// A sent mail is kept this long (to answer « did the mail go out? »), then deleted: its body
/// copies a message that lives in its thread.
pub const SENT_MAILS_KEPT: Duration = Duration::from_secs(30 * 86_400);
/// A mail given up on is kept this long, for the operators to see and requeue.
pub const FAILED_MAILS_KEPT: Duration = Duration::from_secs(90 * 86_400);

/// What one pass deleted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Purged {
    pub accounts: AccountsPurged,
    pub mails: u64,
    /// What people typed into refused forms, past its quarter of an hour.
    pub typed: u64,
}

/// One pass at `clock`'s time.
pub async fn purge(db: &Database, clock: &Clock) -> Result<Purged, sqlx::Error> {
    let now_ms = clock.now_ms();
    let ms = |kept: Duration| i64::try_from(kept.as_millis()).unwrap_or(i64::MAX);
    let accounts = accounts::purge_expired(db, clock.now()).await?;
    let mails = mail::purge(db, now_ms - ms(SENT_MAILS_KEPT), now_ms - ms(FAILED_MAILS_KEPT)).await?;
    let typed = accounts::flashes::purge(db, clock.now()).await?;
    Ok(Purged { accounts, mails, typed })
}

/// The worker loop: a pass, then a pause, until `stop` turns true (or its sender is gone).
pub(crate) async fn run(db: Database, clock: Clock, mut stop: watch::Receiver<bool>) {
    loop {
        match purge(&db, &clock).await {
            Ok(purged) if purged == Purged::default() => {}
            Ok(purged) => tracing::info!(?purged, "expired data deleted"),
            // The database may be briefly unreachable: the next pass tries again.
            Err(error) => tracing::error!(%error, "retention pass interrupted"),
        }
        tokio::select! {
            changed = stop.changed() => if changed.is_err() || *stop.borrow() { break },
            () = tokio::time::sleep(INTERVAL) => {}
        }
    }
}
