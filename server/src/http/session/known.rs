//! The sessions looked up lately, kept in memory while the accounts' data version stays.
//!
//! A signed-in page served from the page cache needs no other query than the versions' read,
//! which the requests of one instant share; looking the session up made one more, per request,
//! and halved the pages served per second (`.ci/bench`, 7 December 2026). Any change of a
//! person or a session (sign-in, sign-out, a new name or address, a verified address, moderator
//! rights, closed sessions) changes the accounts' version in its own transaction (migration
//! 0037), and every request reads the versions after it arrived: a session closed through any
//! server is closed for the next request on every server, as without this memory.

use crate::accounts::SessionUser;
use std::collections::HashMap;
use std::sync::Mutex;

/// At most this many sessions are held; then the memory starts again from empty (a burst of
/// unknown tokens cannot make it grow).
const MOST: usize = 10_000;

#[derive(Debug, Default)]
pub struct KnownSessions {
    inner: Mutex<Known>,
}

#[derive(Debug, Default)]
struct Known {
    /// The accounts' version every held answer is valid at.
    version: i64,
    /// By token digest: the person, or None for a token no open session has.
    answers: HashMap<String, Option<SessionUser>>,
}

impl Known {
    /// Whether answers at `version` may be read and kept: the held ones are dropped when the
    /// version has moved on; a request whose read is older than the latest one gets nothing.
    fn at(&mut self, version: i64) -> bool {
        if version > self.version {
            self.answers.clear();
            self.version = version;
        }
        version == self.version
    }
}

impl KnownSessions {
    /// The answer for the session of `digest` at accounts' `version`, if one is held: Some(None)
    /// when that session is unknown or ended by `now`.
    pub fn get(&self, digest: &str, version: i64, now: i64) -> Option<Option<SessionUser>> {
        let mut known = self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if !known.at(version) {
            return None;
        }
        let answer = known.answers.get(digest)?;
        Some(answer.as_ref().filter(|user| user.expires_at > now).cloned())
    }

    /// Keeps the database's answer for `digest`, read after the versions at `version` were.
    pub fn keep(&self, digest: String, version: i64, answer: Option<SessionUser>) {
        let mut known = self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if !known.at(version) {
            return;
        }
        if known.answers.len() >= MOST {
            known.answers.clear();
        }
        known.answers.insert(digest, answer);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claire(expires_at: i64) -> SessionUser {
        SessionUser {
            id: 1,
            email: "claire@exemple.fr".into(),
            display_name: "Claire".into(),
            verified: true,
            csrf_token: "c".repeat(64),
            moderator: false,
            expires_at,
        }
    }

    #[test]
    fn an_answer_holds_while_the_version_stays_and_the_session_lasts() {
        let known = KnownSessions::default();
        assert_eq!(known.get("d", 5, 100), None, "nothing held yet");
        known.keep("d".into(), 5, Some(claire(200)));
        known.keep("unknown".into(), 5, None);
        assert_eq!(known.get("d", 5, 100), Some(Some(claire(200))));
        assert_eq!(known.get("unknown", 5, 100), Some(None), "an unknown token is remembered too");
        assert_eq!(known.get("d", 5, 200), Some(None), "ended at its expiry");
        // Any change of accounts: every answer goes.
        assert_eq!(known.get("d", 6, 100), None);
        assert_eq!(known.get("unknown", 6, 100), None);
    }

    #[test]
    fn a_read_older_than_the_latest_neither_reads_nor_keeps() {
        let known = KnownSessions::default();
        known.keep("d".into(), 7, Some(claire(200)));
        assert_eq!(known.get("d", 6, 100), None);
        known.keep("e".into(), 6, Some(claire(200)));
        assert_eq!(known.get("e", 7, 100), None, "an answer read at version 6 is not kept for 7");
        assert_eq!(known.get("d", 7, 100), Some(Some(claire(200))), "the older read dropped nothing");
    }

    #[test]
    fn the_memory_is_bounded() {
        let known = KnownSessions::default();
        for i in 0..MOST + 1 {
            known.keep(i.to_string(), 1, None);
        }
        let held = known.inner.lock().unwrap().answers.len();
        assert!(held <= MOST, "{held}");
        assert_eq!(known.get(&MOST.to_string(), 1, 0), Some(None), "the last one kept");
    }
}
