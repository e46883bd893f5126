//! The offers' clock: every few minutes, asks the members of organisations whose offers end
//! within a week whether they are still open (`Offers::remind_expiring`). Two instances may
//! run it at once: each pass is one write transaction that marks what it mailed.

use crate::offers::{Offers, now};
use std::time::Duration;
use tokio::sync::watch;

/// The pause between two passes; a reminder a few minutes late is still a week early.
pub const INTERVAL: Duration = Duration::from_secs(15 * 60);

/// The worker loop: a pass, then a pause, until `stop` turns true (or its sender is gone).
pub(crate) async fn run(offers: Offers, mut stop: watch::Receiver<bool>) {
    loop {
        match offers.remind_expiring(now()).await {
            Ok(0) => {}
            Ok(reminded) => tracing::info!(reminded, "offers reminded before their end"),
            // The database may be briefly unreachable: the next pass tries again.
            Err(error) => tracing::error!(%error, "offer reminders interrupted"),
        }
        tokio::select! {
            changed = stop.changed() => if changed.is_err() || *stop.borrow() { break },
            () = tokio::time::sleep(INTERVAL) => {}
        }
    }
}
