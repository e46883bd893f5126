//! The data versions the database carries (migration 0016) and the gate that reads them.
//!
//! Every request for a cached page needs the versions as they are *now*: a change committed
//! through another server a moment ago must show. Reading them per request would cost one
//! query each; instead, requests that arrive while a read is under way wait for the next
//! read, which starts after they arrived, so one query serves every request of that instant
//! and none is answered from a read older than itself.

use crate::clock::Clock;
use crate::db::Database;
use std::sync::{Arc, Mutex};
use tokio::sync::watch;

/// A kind of data; its version changes with any write to one of its tables. All but
/// `Accounts` are public data, what pages show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    /// The imported reference data: territories, APL, structures, zoning, outlines.
    Reference,
    Offers,
    /// Their names, kinds and territories show on offers, events and promotion pages.
    Organisations,
    Aids,
    /// Events and their registrations (seats left).
    Events,
    /// The territories' promotion pages.
    Promotion,
    /// What the outcome pages count: applications and cases.
    Outcomes,
    /// People and their sessions: no page's data, but what the session layer keeps in memory
    /// (server/src/http/session/known.rs) holds while it stays.
    Accounts,
}

impl Scope {
    pub const ALL: [Scope; 8] = [
        Scope::Reference,
        Scope::Offers,
        Scope::Organisations,
        Scope::Aids,
        Scope::Events,
        Scope::Promotion,
        Scope::Outcomes,
        Scope::Accounts,
    ];

    /// Its name in `data_versions`.
    pub fn code(self) -> &'static str {
        match self {
            Scope::Reference => "reference",
            Scope::Offers => "offers",
            Scope::Organisations => "organisations",
            Scope::Aids => "aids",
            Scope::Events => "events",
            Scope::Promotion => "promotion",
            Scope::Outcomes => "outcomes",
            Scope::Accounts => "accounts",
        }
    }

    /// Whether pages show this data. Written out for every scope, with no catch-all arm, so
    /// that a scope added later must say whether the territory pages depend on it.
    const fn is_public(self) -> bool {
        match self {
            Scope::Reference
            | Scope::Offers
            | Scope::Organisations
            | Scope::Aids
            | Scope::Events
            | Scope::Promotion
            | Scope::Outcomes => true,
            Scope::Accounts => false,
        }
    }

    fn of(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|scope| scope.code() == code)
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// The scopes a response depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Deps(u8);

impl Deps {
    /// A response that depends on no data (only on the program).
    pub const NONE: Deps = Deps(0);
    /// Every scope of public data: the territory pages, which show a little of everything.
    pub const PUBLIC: Deps = Deps::public();

    const fn public() -> Self {
        let mut bits = 0;
        let mut i = 0;
        while i < Scope::ALL.len() {
            if Scope::ALL[i].is_public() {
                bits |= 1 << Scope::ALL[i] as u8;
            }
            i += 1;
        }
        Deps(bits)
    }

    pub const fn of(scopes: &[Scope]) -> Self {
        let mut bits = 0;
        let mut i = 0;
        while i < scopes.len() {
            bits |= 1 << scopes[i] as u8;
            i += 1;
        }
        Deps(bits)
    }

    pub fn contains(self, scope: Scope) -> bool {
        self.0 & (1 << scope.index()) != 0
    }

    pub fn scopes(self) -> impl Iterator<Item = Scope> {
        Scope::ALL.into_iter().filter(move |scope| self.contains(*scope))
    }
}

/// The version of every scope at one instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Versions([i64; Scope::ALL.len()]);

impl Versions {
    pub fn of(&self, scope: Scope) -> i64 {
        self.0[scope.index()]
    }

    /// These versions, with `scope` at `version`.
    pub fn with(mut self, scope: Scope, version: i64) -> Self {
        self.0[scope.index()] = version;
        self
    }

    /// Whether no scope of `deps` changed from `self` to `now`.
    pub fn same_for(&self, now: &Versions, deps: Deps) -> bool {
        deps.scopes().all(|scope| self.of(scope) == now.of(scope))
    }
}

/// What the database said at one read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Snapshot {
    pub versions: Versions,
    /// When time alone next changes what pages show (unix seconds): an offer's publication
    /// ends, an event starts or ends, a new day begins (the board's dates, "today").
    pub deadline: i64,
}

/// The versions read for a request after it arrived, kept in its extensions by the first
/// layer that reads them (the session layer, for a signed-in person): the layers after it
/// use them rather than wait for another read.
#[derive(Debug, Clone, Copy)]
pub struct ReadForRequest(pub Snapshot);

#[derive(Debug, Clone, thiserror::Error)]
pub enum VersionError {
    #[error("lecture des versions des données : {0}")]
    Database(Arc<str>),
    #[error("version de données inconnue dans la base : {0}")]
    UnknownScope(String),
}

impl From<sqlx::Error> for VersionError {
    fn from(error: sqlx::Error) -> Self {
        VersionError::Database(error.to_string().into())
    }
}

/// Reads the versions: one read shared by the requests of that instant, most often a single
/// row (the count of changes) that says nothing changed.
#[derive(Debug, Clone)]
pub struct VersionGate {
    inner: Arc<Gate>,
}

#[derive(Debug)]
struct Gate {
    db: Database,
    /// The application's clock: a deadline passes by it.
    clock: Clock,
    turn: Mutex<Turn>,
    /// The latest read: its number and what it found.
    done: watch::Sender<Done>,
}

#[derive(Debug, Default)]
struct Turn {
    /// The number of the latest read sent to the database.
    started: u64,
    /// Whether the reader is at work (reading, or about to).
    running: bool,
    /// The latest read a request waits for.
    wanted: u64,
    /// The last snapshot read, with the count of changes it was read at: kept whole while the
    /// count stays, its deadline while the versions do not change.
    last: Option<(i64, Snapshot)>,
}

#[derive(Debug, Clone)]
struct Done {
    read: u64,
    found: Result<Snapshot, VersionError>,
}

impl VersionGate {
    pub fn new(db: Database, clock: Clock) -> Self {
        let (done, _) = watch::channel(Done { read: 0, found: Err(VersionError::Database("pas encore lu".into())) });
        Self { inner: Arc::new(Gate { db, clock, turn: Mutex::new(Turn::default()), done }) }
    }

    /// The clock the deadlines are read by.
    pub fn clock(&self) -> &Clock {
        &self.inner.clock
    }

    /// The versions as the database has them now: from a read started after this call.
    pub async fn current(&self) -> Result<Snapshot, VersionError> {
        // Subscribed before the read can finish, so its result cannot be missed.
        let mut done = self.inner.done.subscribe();
        let needed = {
            let mut turn = self.inner.turn.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            // The first read sent after this instant.
            turn.wanted = turn.started + 1;
            if !turn.running {
                turn.running = true;
                tokio::spawn(self.clone().reads());
            }
            turn.wanted
        };
        match done.wait_for(|done| done.read >= needed).await {
            Ok(done) => done.found.clone(),
            Err(_) => Err(VersionError::Database("lecteur des versions arrêté".into())),
        }
    }

    /// The versions for the request of `extensions`: those an earlier layer read for it, or a
    /// new read. (The extensions, not the request: a body is not `Sync`.)
    pub async fn for_request(&self, extensions: &axum::http::Extensions) -> Result<Snapshot, VersionError> {
        match extensions.get::<ReadForRequest>() {
            Some(ReadForRequest(snapshot)) => Ok(*snapshot),
            None => self.current().await,
        }
    }

    /// Reads, then reads again while requests wait for a later read. Each read first lets the
    /// requests already under way on this thread come and wait for it: under load one read then
    /// serves many of them, where starting at once served one or two (and each read is a
    /// hand-over to SQLite's thread and back).
    async fn reads(self) {
        loop {
            tokio::task::yield_now().await;
            let (read, last) = {
                let mut turn = self.inner.turn.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
                turn.started += 1;
                (turn.started, turn.last)
            };
            let found = read_snapshot(&self.inner.db, self.inner.clock.now(), last).await;
            if let Err(error) = &found {
                tracing::error!(%error, "data versions not read");
            }
            let again = {
                let mut turn = self.inner.turn.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
                if let Ok(counted) = &found {
                    turn.last = Some(*counted);
                }
                turn.running = turn.wanted > read;
                turn.running
            };
            self.inner.done.send_replace(Done { read, found: found.map(|(_, snapshot)| snapshot) });
            if !again {
                return;
            }
        }
    }
}

/// The versions, and the deadline, with the count of changes they were read at. Most reads
/// find nothing changed: one row (the count) tells so, where the versions are nine rows,
/// each a hand-over between SQLite's thread and the request's (a third of a cached page's
/// processor time under load, `perf`, 7 December 2026). The count is read first: a change
/// committed between the two reads makes the next read see a new count and read again.
async fn read_snapshot(
    db: &Database,
    now: i64,
    last: Option<(i64, Snapshot)>,
) -> Result<(i64, Snapshot), VersionError> {
    let counted = read_change_count(db).await?;
    if let Some((seen, snapshot)) = last
        && seen == counted
        && now < snapshot.deadline
    {
        return Ok((counted, snapshot));
    }
    let versions = read_versions(db).await?;
    let deadline = match last {
        Some((_, last)) if last.versions == versions && now < last.deadline => last.deadline,
        _ => next_deadline(db, now).await?,
    };
    Ok((counted, Snapshot { versions, deadline }))
}

/// The `*` row: every write to a scope's table adds one to it, in the write's transaction.
async fn read_change_count(db: &Database) -> Result<i64, VersionError> {
    let count = sqlx::query_scalar("SELECT version FROM data_versions WHERE scope = '*'").fetch_one(&db.pool).await?;
    Ok(count)
}

pub async fn read_versions(db: &Database) -> Result<Versions, VersionError> {
    #[derive(sqlx::FromRow)]
    struct Stored {
        scope: String,
        version: i64,
    }
    crate::db::rows::table!(Stored, "data_versions");
    let rows = sqlx::query("SELECT scope, version FROM data_versions")
        .try_map(crate::db::rows::typed::<Stored>)
        .fetch_all(&db.pool)
        .await?;
    let mut versions = Versions::default();
    for Stored { scope: code, version } in rows {
        match Scope::of(&code) {
            Some(scope) => versions = versions.with(scope, version),
            // The global counter: every scope's version is one of its values.
            None if code == "*" => {}
            None => return Err(VersionError::UnknownScope(code)),
        }
    }
    Ok(versions)
}

/// The first instant after `now` at which a page may change with no write: the end of a
/// publication, the start or end of an event, midnight (UTC, the board's days).
async fn next_deadline(db: &Database, now: i64) -> Result<i64, VersionError> {
    let next: Option<i64> = sqlx::query_scalar(concat!(
        "SELECT MIN(t) FROM (
             SELECT MIN(expires_at) AS t FROM offers WHERE ",
        crate::offers::open_offer!("offers", "$1"),
        "
             UNION ALL SELECT MIN(starts_at) FROM events WHERE starts_at > $1
             UNION ALL SELECT MIN(ends_at) FROM events WHERE ends_at > $1
         ) AS times",
    ))
    .bind(now)
    .fetch_one(&db.pool)
    .await?;
    let midnight = (now.div_euclid(86_400) + 1) * 86_400;
    Ok(next.map_or(midnight, |t| t.min(midnight)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deps_hold_their_scopes_only() {
        let deps = Deps::of(&[Scope::Offers, Scope::Aids]);
        assert_eq!(deps.scopes().collect::<Vec<_>>(), vec![Scope::Offers, Scope::Aids]);
        assert_eq!(Deps::PUBLIC.scopes().count(), Scope::ALL.len() - 1);
        assert!(!Deps::PUBLIC.contains(Scope::Accounts), "no page shows who is signed in");
        assert!(Deps::PUBLIC.contains(Scope::Reference) && Deps::PUBLIC.contains(Scope::Outcomes));
        assert_eq!(Deps::NONE.scopes().count(), 0);
        for scope in Scope::ALL {
            assert_eq!(Scope::of(scope.code()), Some(scope));
        }
    }

    #[test]
    fn versions_compare_on_the_scopes_depended_on() {
        let before = Versions::default().with(Scope::Offers, 3);
        let after = before.with(Scope::Aids, 9);
        assert!(before.same_for(&after, Deps::of(&[Scope::Offers, Scope::Reference])));
        assert!(!before.same_for(&after, Deps::of(&[Scope::Aids])));
        assert!(before.same_for(&after, Deps::NONE));
    }
}
