//! The portal's clock: unix time as every service reads it (seconds; milliseconds for the mail
//! outbox, whose retries are finer). One place, so that what "now" means is decided once.

use std::time::{SystemTime, UNIX_EPOCH};

/// Seconds since 1 January 1970 (UTC).
pub fn now() -> i64 {
    since_epoch().as_secs() as i64
}

/// Milliseconds since 1 January 1970 (UTC).
pub fn now_ms() -> i64 {
    since_epoch().as_millis() as i64
}

/// A clock set before 1970 reads as 1970: the portal's times are never negative.
fn since_epoch() -> std::time::Duration {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default()
}
