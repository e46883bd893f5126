//! The portal's clock: unix time as the services read it (seconds; milliseconds for the mail
//! outbox, whose retries are finer). Each service holds one, given when the application is
//! built: the portal's is the system's; a test's can be moved forward, to see what a month
//! later brings (an offer that expires, a session that ends) without rewriting stored times.

use app::model::Day;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

#[derive(Debug, Clone, Default)]
pub struct Clock {
    /// Milliseconds added to the system's time; `None` for a clock that cannot move.
    ahead: Option<Arc<AtomicI64>>,
}

impl Clock {
    /// The system's time, as the portal runs.
    pub fn system() -> Self {
        Self::default()
    }

    /// The system's time plus whatever `advance` added, for tests; clones move together.
    pub fn adjustable() -> Self {
        Clock { ahead: Some(Arc::new(AtomicI64::new(0))) }
    }

    /// Moves an adjustable clock forward by `by`.
    ///
    /// # Panics
    /// On the system's clock: only a test moves time.
    pub fn advance(&self, by: Duration) {
        let ahead = self.ahead.as_ref().expect("only an adjustable clock moves");
        ahead.fetch_add(i64::try_from(by.as_millis()).unwrap_or(i64::MAX), Ordering::SeqCst);
    }

    /// Seconds since 1 January 1970 (UTC).
    pub fn now(&self) -> i64 {
        self.now_ms().div_euclid(1000)
    }

    /// Today's date (UTC), as the forms and the lists of dated things read it.
    pub fn today(&self) -> Day {
        Day::of_unix(self.now())
    }

    /// Milliseconds since 1 January 1970 (UTC).
    pub fn now_ms(&self) -> i64 {
        let ahead = self.ahead.as_ref().map_or(0, |ahead| ahead.load(Ordering::SeqCst));
        system_ms() + ahead
    }
}

/// A system clock set before 1970 reads as 1970: the portal's times are never negative.
fn system_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default().as_millis() as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_adjustable_clock_moves_with_its_clones_and_the_system_one_follows_the_system() {
        let clock = Clock::adjustable();
        let same = clock.clone();
        let before = clock.now();
        same.advance(Duration::from_secs(30 * 86_400));
        assert!(clock.now() - before >= 30 * 86_400 && clock.now() - before < 30 * 86_400 + 5);
        assert!((Clock::system().now() - before).abs() < 5);
        assert_eq!(clock.now(), clock.now_ms() / 1000);
    }
}
