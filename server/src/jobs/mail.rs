//! The mail worker: claims due mails from the outbox one at a time, sends them, and records
//! the outcome. A failed attempt is retried with exponential backoff until `max_attempts`,
//! then the mail is marked failed and kept for the administrators (`mail::failed_mails`).
//!
//! Delivery is at least once: a worker that dies between the SMTP acceptance and the update
//! that records it leaves a lease that expires, and the mail is sent again.

use crate::db::Database;
use crate::mail::{self, Mailer};
use std::time::Duration;
use tokio::sync::watch;

/// How the worker paces itself. The defaults suit production; tests shorten them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailWorkerConfig {
    /// The pause between two passes over the outbox.
    pub poll_interval: Duration,
    /// The wait after the first failed attempt; it doubles after each further failure.
    pub backoff_base: Duration,
    /// The longest wait between two attempts.
    pub backoff_max: Duration,
    /// Attempts after which a mail is marked failed.
    pub max_attempts: u32,
    /// How long a claimed mail stays reserved to its worker: far longer than one SMTP
    /// exchange, so it only expires when the worker died.
    pub lease: Duration,
}

impl Default for MailWorkerConfig {
    /// One minute, doubling up to one hour, ten attempts: a mail is given up about four hours
    /// after its first attempt, long enough to ride out a relay outage.
    fn default() -> Self {
        Self {
            poll_interval: Duration::from_secs(5),
            backoff_base: Duration::from_secs(60),
            backoff_max: Duration::from_secs(3600),
            max_attempts: 10,
            lease: Duration::from_secs(600),
        }
    }
}

impl MailWorkerConfig {
    /// The wait after the `failures`-th failed attempt (1 for the first): base × 2^(failures−1),
    /// at most `backoff_max`.
    pub fn backoff(&self, failures: u32) -> Duration {
        let factor = 2u32.saturating_pow(failures.saturating_sub(1));
        self.backoff_base.saturating_mul(factor).min(self.backoff_max)
    }
}

/// What one pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct DrainReport {
    /// Mails delivered.
    pub sent: usize,
    /// Failed attempts that will be tried again.
    pub retried: usize,
    /// Mails given up on during this pass.
    pub failed: usize,
}

/// One pass: sends every mail due when the pass starts, each at most once, then returns.
/// Safe to run from several workers at once: each mail goes to one of them.
pub async fn drain_once(db: &Database, mailer: &Mailer, config: &MailWorkerConfig) -> Result<DrainReport, sqlx::Error> {
    drain(db, mailer, config, || false).await
}

#[tracing::instrument(skip_all, fields(transport = mailer.kind()))]
async fn drain(
    db: &Database,
    mailer: &Mailer,
    config: &MailWorkerConfig,
    stop: impl Fn() -> bool,
) -> Result<DrainReport, sqlx::Error> {
    // Only mails due at the start are taken, and a failed one is due again strictly later,
    // so a pass ends even with a zero backoff.
    let started = mail::now_ms();
    let lease = millis(config.lease);
    let mut report = DrainReport::default();
    if !mail::any_due(db, started, started).await? {
        return Ok(report);
    }
    while !stop() {
        let now = mail::now_ms();
        let Some(claimed) = mail::claim(db, started, now, now + lease).await? else { break };
        let attempts = claimed.attempts + 1;
        match mailer.send(&claimed.mail).await {
            Ok(()) => {
                mail::record_sent(db, claimed.id, attempts, mail::now_ms()).await?;
                tracing::info!(mail_id = claimed.id, template = claimed.mail.template(), attempts, "mail sent");
                report.sent += 1;
            }
            Err(error) => {
                let give_up = error.is_permanent() || attempts >= i64::from(config.max_attempts);
                let failures = u32::try_from(attempts).unwrap_or(u32::MAX);
                let retry_at = (mail::now_ms() + millis(config.backoff(failures))).max(started + 1);
                mail::record_failure(db, claimed.id, attempts, &error.to_string(), retry_at, give_up).await?;
                if give_up {
                    tracing::error!(mail_id = claimed.id, attempts, %error, "mail given up");
                    report.failed += 1;
                } else {
                    tracing::warn!(mail_id = claimed.id, attempts, %error, "mail not sent, will retry");
                    report.retried += 1;
                }
            }
        }
    }
    Ok(report)
}

fn millis(duration: Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}

/// The worker loop: a pass, then a pause, until `stop` turns true (or its sender is gone).
#[tracing::instrument(skip_all, fields(transport = mailer.kind()))]
pub(crate) async fn run(db: Database, mailer: Mailer, config: MailWorkerConfig, mut stop: watch::Receiver<bool>) {
    tracing::info!(poll_ms = config.poll_interval.as_millis() as u64, "mail worker started");
    loop {
        match drain(&db, &mailer, &config, || *stop.borrow()).await {
            Ok(report) if report != DrainReport::default() => {
                tracing::info!(sent = report.sent, retried = report.retried, failed = report.failed, "outbox pass");
            }
            Ok(_) => {}
            // The database may be briefly unreachable: the next pass tries again.
            Err(error) => tracing::error!(%error, "outbox pass interrupted"),
        }
        tokio::select! {
            changed = stop.changed() => if changed.is_err() || *stop.borrow() { break },
            () = tokio::time::sleep(config.poll_interval) => {}
        }
    }
    tracing::info!("mail worker stopped");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_backoff_doubles_from_the_base_up_to_the_cap() {
        let config = MailWorkerConfig::default();
        let minutes: Vec<u64> = (1..=10).map(|n| config.backoff(n).as_secs() / 60).collect();
        assert_eq!(minutes, [1, 2, 4, 8, 16, 32, 60, 60, 60, 60]);
        assert_eq!(config.backoff(u32::MAX), config.backoff_max);
        let zero = MailWorkerConfig { backoff_base: Duration::ZERO, ..config };
        assert_eq!(zero.backoff(3), Duration::ZERO);
    }
}
