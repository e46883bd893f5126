//! The offers' clock: every few minutes, asks the members of organisations whose offers end
//! within a week whether they are still open (`Offers::remind_expiring`), and sends the alerts
//! of saved searches that are due (`Alerts::send_due`). Each mail is queued in the write
//! transaction that marks what it announced, so a pass never mails the same thing twice. It
//! also marks interns' housing past its end (`Housing::lapse_ended`), which the board's
//! housing filter then stops counting near stage offers.

use crate::housing::Housing;
use crate::offers::Offers;
use std::time::Duration;
use tokio::sync::watch;

/// The pause between two passes: "immediate" alerts leave within five minutes.
pub const INTERVAL: Duration = Duration::from_secs(5 * 60);

/// The worker loop: a pass, then a pause, until `stop` turns true (or its sender is gone).
pub(crate) async fn run(offers: Offers, housing: Housing, mut stop: watch::Receiver<bool>) {
    let alerts = offers.alerts();
    loop {
        match housing.lapse_ended().await {
            Ok(0) => {}
            Ok(lapsed) => tracing::info!(lapsed, "interns' housing past its end"),
            Err(error) => tracing::error!(%error, "housing pass interrupted"),
        }
        match alerts.send_due(offers.clock().now()).await {
            Ok(0) => {}
            Ok(sent) => tracing::info!(sent, "saved-search alerts queued"),
            Err(error) => tracing::error!(%error, "alerts interrupted"),
        }
        match offers.remind_expiring(offers.clock().now()).await {
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
