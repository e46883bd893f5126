//! Keeps the index in line with the database: applies the search outbox (rows the triggers of
//! migration 0011 write in the transaction of each change), and rebuilds everything on demand
//! (`server reindex`) or when the index is new.
//!
//! The index is one reader of the outbox (migration 0015): a shared Meilisearch is one reader
//! for every server, each embedded tantivy index a reader of its own. A batch is applied, then
//! recorded as applied by this reader, and its rows are deleted once every reader has applied
//! them. When the engine is down the rows stay and the next pass applies them, so nothing is
//! lost; a crash between applying and recording applies a batch twice, which changes nothing
//! since a batch always writes the current rows. Passes are serialised within the process; on
//! PostgreSQL an advisory lock also serialises them across servers, so that two servers sharing
//! one Meilisearch never write an older state over a newer one, and the count of readers that
//! applied a row is never read half-written.

use super::documents::{self, Entity, Scope};
use super::{Changes, Collection, SearchEngine, SearchError};
use crate::cache::{Scope as DataScope, Versions};

/// The data the index is made of: offers, structures and communes, organisations' names.
pub const INDEXED: [DataScope; 3] = [DataScope::Reference, DataScope::Offers, DataScope::Organisations];
use crate::clock::Clock;
use crate::db::rows::{Code, table, typed};
use crate::db::{Backend, Database};
use indicatif::{ProgressBar, ProgressStyle};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::time::Duration;
use tokio::sync::{Mutex, Notify, watch};

/// Deletes the outbox rows that every reader has applied (only the applications of current
/// readers count: a forgotten reader's are gone with it).
const PRUNE: &str = "DELETE FROM search_outbox WHERE
    (SELECT COUNT(*) FROM search_applied a JOIN search_readers r ON r.name = a.reader WHERE a.outbox_id = search_outbox.id)
    >= (SELECT COUNT(*) FROM search_readers)";
/// Deletes the records of applications whose outbox row is gone.
const PRUNE_APPLIED: &str =
    "DELETE FROM search_applied WHERE NOT EXISTS (SELECT 1 FROM search_outbox o WHERE o.id = search_applied.outbox_id)";
/// Records that a reader is alive; it changes no row of a reader that was forgotten.
const SEEN: &str = "UPDATE search_readers SET seen_at = $1 WHERE name = $2";
/// Outbox rows per batch.
const BATCH: i64 = 500;
/// Documents per write during a rebuild.
const REBUILD_BATCH: usize = 1000;
/// Any number that is ours: the PostgreSQL advisory lock of the indexing pass.
const ADVISORY_LOCK: i64 = 0x6d74_7365_6172_6368;
/// A reader unseen for this long (seconds) is forgotten: a stopped instance must not keep the
/// outbox growing. Should it come back, its index is rebuilt.
const READER_TTL: i64 = 24 * 3600;
/// How often (seconds) a reader records that it is alive: not at every pass, which would write
/// to the database at every poll.
const SEEN_EVERY: i64 = 60;

#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error(transparent)]
    Search(#[from] SearchError),
    #[error("erreur de la base de données : {0}")]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Versions(#[from] crate::cache::VersionError),
}

/// How many documents a rebuild wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RebuildReport {
    pub offers: usize,
    pub structures: usize,
    pub communes: usize,
}

/// The indexing side of the search engine. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Indexer {
    db: Database,
    engine: SearchEngine,
    /// This index's name among the readers of the outbox.
    reader: Arc<str>,
    /// When this reader last recorded that it is alive (unix seconds; 0 before it registered).
    seen_at: Arc<AtomicI64>,
    /// One pass at a time in this process.
    pass: Arc<Mutex<()>>,
    /// Held while the first pass decides whether to rebuild.
    starting: Arc<Mutex<()>>,
    /// Set once the first pass (and the rebuild of a new index) is done.
    ready: Arc<AtomicBool>,
    /// Set while the engine refuses changes: writers then do not wait for it.
    failing: Arc<AtomicBool>,
    /// Searches that failed since start (see `search_failed`).
    failed_searches: Arc<AtomicU64>,
    wake: Arc<Notify>,
    /// The data versions read at the start of the last complete pass: the index holds every
    /// change they count (None while it is being built).
    indexed: Arc<std::sync::Mutex<Option<Versions>>>,
}

impl Indexer {
    pub fn new(db: Database, engine: SearchEngine) -> Self {
        Self {
            db,
            reader: engine.reader_name().into(),
            engine,
            seen_at: Arc::new(AtomicI64::new(0)),
            pass: Arc::new(Mutex::new(())),
            starting: Arc::new(Mutex::new(())),
            ready: Arc::new(AtomicBool::new(false)),
            failing: Arc::new(AtomicBool::new(false)),
            failed_searches: Arc::new(AtomicU64::new(0)),
            wake: Arc::new(Notify::new()),
            indexed: Arc::default(),
        }
    }

    pub fn engine(&self) -> &SearchEngine {
        &self.engine
    }

    /// This index's name among the readers of the search outbox.
    pub fn reader(&self) -> &str {
        &self.reader
    }

    /// Applies every outbox row committed before the call; returns the rows applied.
    #[tracing::instrument(skip_all, fields(engine = self.engine.kind()))]
    pub async fn drain_once(&self) -> Result<usize, IndexError> {
        let _pass = self.pass.lock().await;
        if !self.still_known().await? {
            // Forgotten while it was away: the worker's next pass rebuilds the index.
            tracing::warn!(reader = %self.reader, "search index forgotten by the outbox; it will be rebuilt");
            self.start_again();
            return Ok(0);
        }
        let intact = self.engine.intact().await;
        self.failing.store(intact.is_err(), Ordering::Relaxed);
        if !intact? {
            // Deleted behind our back (logged by the engine).
            self.start_again();
            return Ok(0);
        }
        // Read before the outbox: the outbox rows of every change these versions count were
        // committed with it (the same transactions), so the pass applies them all.
        let versions = crate::cache::read_versions(&self.db).await?;
        let mut applied = 0;
        loop {
            let done = self.apply_batch().await;
            self.failing.store(done.is_err(), Ordering::Relaxed);
            match done? {
                0 => break,
                n => applied += n,
            }
        }
        if self.ready.load(Ordering::Acquire) {
            self.set_indexed(Some(versions));
        }
        Ok(applied)
    }

    /// The index can no longer be trusted: the next start registers this reader again and
    /// rebuilds what needs it, and until then no page counts on the index.
    fn start_again(&self) {
        self.ready.store(false, Ordering::Release);
        self.set_indexed(None);
    }

    fn set_indexed(&self, versions: Option<Versions>) {
        *self.indexed.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = versions;
    }

    /// Whether the index holds every change that `versions` count of what it indexes (offers,
    /// structures and communes, organisations' names) and answers: what a page rendered from
    /// it at those versions needs before it is kept.
    pub fn holds(&self, versions: &Versions) -> bool {
        // A page rendered while the engine fails may show that it failed.
        if self.failing.load(Ordering::Relaxed) {
            return false;
        }
        let indexed = *self.indexed.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        indexed.is_some_and(|indexed| INDEXED.into_iter().all(|scope| indexed.of(scope) >= versions.of(scope)))
    }

    /// Waits, `limit` at most, until the index holds every change `versions` count; whether it
    /// does. A page rendered from the index at those versions then shows every change they
    /// count, even when the worker runs a moment behind a writer (a busy machine). Returns at
    /// once while the engine is down or a new index is being built.
    pub async fn holds_within(&self, versions: &Versions, limit: Duration) -> bool {
        if self.holds(versions) {
            return true;
        }
        if self.failing.load(Ordering::Relaxed) || !self.ready.load(Ordering::Acquire) {
            return false;
        }
        // A pass reads the versions when it starts, after these were read: it holds them after.
        let pass = async { self.drain_once().await.is_ok() && self.holds(versions) };
        tokio::time::timeout(limit, pass).await.unwrap_or(false)
    }

    /// One batch of the outbox that this reader has not applied, oldest first: read, applied,
    /// recorded; the rows every reader has applied are then deleted.
    async fn apply_batch(&self) -> Result<usize, IndexError> {
        let mut tx = self.db.pool.begin().await?;
        if self.db.backend == Backend::Postgres {
            sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(ADVISORY_LOCK).execute(&mut *tx).await?;
        }
        #[derive(sqlx::FromRow)]
        struct Entry {
            id: i64,
            entity: Code<Entity>,
            entity_key: String,
        }
        table!(Entry, "search_outbox");
        let rows = sqlx::query(
            "SELECT o.id, o.entity, o.entity_key FROM search_outbox o
             WHERE NOT EXISTS (SELECT 1 FROM search_applied a WHERE a.reader = $1 AND a.outbox_id = o.id)
             ORDER BY o.id LIMIT $2",
        )
        .bind(&*self.reader)
        .bind(BATCH)
        .try_map(typed::<Entry>)
        .fetch_all(&mut *tx)
        .await?;
        if rows.is_empty() {
            tx.commit().await?;
            return Ok(0);
        }
        let mut ids = Vec::with_capacity(rows.len());
        let mut entries = Vec::with_capacity(rows.len());
        for row in rows {
            ids.push(row.id);
            entries.push((row.entity.0, row.entity_key));
        }
        // Reading in the transaction would hold SQLite's lock: the current rows are what counts.
        let changes = documents::changes_for(&self.db, &entries).await?;
        self.engine.apply(changes).await?;
        // Only the rows read: one committed meanwhile with a smaller id is still to do. The ids
        // are the database's own integers, written in the statement as such.
        let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
        let values = ids.iter().map(|id| format!("($1, {id})")).collect::<Vec<_>>().join(", ");
        let mut write = self.db.begin_write().await?;
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO search_applied (reader, outbox_id) VALUES {values} ON CONFLICT DO NOTHING"
        )))
        .bind(&*self.reader)
        .execute(&mut *write)
        .await?;
        sqlx::query(sqlx::AssertSqlSafe(format!("{PRUNE} AND id IN ({list})"))).execute(&mut *write).await?;
        sqlx::query(sqlx::AssertSqlSafe(format!("{PRUNE_APPLIED} AND outbox_id IN ({list})")))
            .execute(&mut *write)
            .await?;
        write.commit().await?;
        tx.commit().await?;
        tracing::debug!(reader = %self.reader, ids = %list.replace(' ', ""), "search outbox rows applied");
        Ok(ids.len())
    }

    /// Adds this index to the readers of the outbox, or records that it is alive; forgets the
    /// readers unseen for `READER_TTL`. Returns whether it was a reader already: if not, the
    /// rows deleted before now never reached it, and the index must be rebuilt. Called before
    /// a rebuild reads the database, so that no row is deleted from then on before this index
    /// has applied it.
    async fn register(&self) -> Result<bool, IndexError> {
        let now = Clock::system().now();
        let mut write = self.db.begin_write().await?;
        let known = sqlx::query(SEEN).bind(now).bind(&*self.reader).execute(&mut *write).await?.rows_affected() > 0;
        if !known {
            sqlx::query("INSERT INTO search_readers (name, seen_at) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                .bind(&*self.reader)
                .bind(now)
                .execute(&mut *write)
                .await?;
        }
        let cutoff = now - READER_TTL;
        sqlx::query("DELETE FROM search_applied WHERE reader IN (SELECT name FROM search_readers WHERE seen_at < $1)")
            .bind(cutoff)
            .execute(&mut *write)
            .await?;
        let forgotten = sqlx::query("DELETE FROM search_readers WHERE seen_at < $1")
            .bind(cutoff)
            .execute(&mut *write)
            .await?
            .rows_affected();
        if forgotten > 0 {
            // What the remaining readers have all applied is waiting for nobody.
            tracing::info!(forgotten, "search outbox readers unseen for a day forgotten");
            sqlx::query(PRUNE).execute(&mut *write).await?;
            sqlx::query(PRUNE_APPLIED).execute(&mut *write).await?;
        }
        write.commit().await?;
        self.seen_at.store(now, Ordering::Relaxed);
        Ok(known)
    }

    /// Records that this reader is alive, at most every `SEEN_EVERY` seconds; false when it
    /// was forgotten meanwhile (unseen for `READER_TTL`: a suspended server). A heartbeat only
    /// updates: registering again here would make the forgotten reader known, and the start-up
    /// that follows would then trust an index that missed the rows pruned while it was away.
    async fn still_known(&self) -> Result<bool, IndexError> {
        let now = Clock::system().now();
        if now - self.seen_at.load(Ordering::Relaxed) < SEEN_EVERY {
            return Ok(true);
        }
        let known = sqlx::query(SEEN).bind(now).bind(&*self.reader).execute(&self.db.pool).await?.rows_affected() > 0;
        if known {
            self.seen_at.store(now, Ordering::Relaxed);
        }
        Ok(known)
    }

    /// Forgets when this reader last recorded that it is alive, as after a long suspension of
    /// the process: its next pass asks the database whether it is still a reader.
    #[doc(hidden)]
    pub fn forget_heartbeat(&self) {
        self.seen_at.store(0, Ordering::Relaxed);
    }

    /// Empties the index and writes every published offer, structure and commune again, with
    /// a progress bar on the terminal when `progress`. The outbox is left as it is: what it
    /// holds is applied afterwards, at worst a second time.
    #[tracing::instrument(skip_all, fields(engine = self.engine.kind()))]
    pub async fn rebuild(&self, progress: bool) -> Result<RebuildReport, IndexError> {
        let _pass = self.pass.lock().await;
        self.set_indexed(None);
        let total: i64 = sqlx::query_scalar(
            "SELECT CAST((SELECT COUNT(*) FROM offers WHERE status = 'publiee') + (SELECT COUNT(*) FROM health_structures)
                + (SELECT COUNT(*) FROM communes) AS BIGINT)",
        )
        .fetch_one(&self.db.pool)
        .await?;
        let bar = if progress { ProgressBar::new(total.max(0) as u64) } else { ProgressBar::hidden() };
        bar.set_style(
            ProgressStyle::with_template("{msg:<20} [{bar:40}] {pos}/{len} ({per_sec})")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        self.engine.clear().await?;
        let mut report = RebuildReport::default();
        for collection in Collection::ALL {
            bar.set_message(match collection {
                Collection::Offers => "offres",
                Collection::Structures => "structures de santé",
                Collection::Communes => "communes",
            });
            let mut after = String::new();
            loop {
                let scope = Scope::After(&after, REBUILD_BATCH);
                let found = match collection {
                    Collection::Offers => documents::offers(&self.db, scope).await?,
                    Collection::Structures => documents::structures(&self.db, scope).await?,
                    Collection::Communes => documents::communes(&self.db, scope).await?,
                };
                let Some((last, _)) = found.last() else { break };
                after = last.clone();
                let upserts: Vec<_> = found.into_iter().filter_map(|(_, document)| document).collect();
                let written = upserts.len();
                self.engine.apply(Changes { upserts, deletes: Vec::new() }).await?;
                bar.inc(written as u64);
                match collection {
                    Collection::Offers => report.offers += written,
                    Collection::Structures => report.structures += written,
                    Collection::Communes => report.communes += written,
                }
            }
        }
        self.engine.mark_built().await?;
        bar.finish_and_clear();
        tracing::info!(
            offers = report.offers,
            structures = report.structures,
            communes = report.communes,
            "index rebuilt"
        );
        Ok(report)
    }

    /// Rebuilds a new (or half-built) index, then applies the outbox: what is done first,
    /// once, by whoever comes first (the worker or a writer waiting for the index).
    async fn start(&self) -> Result<(), IndexError> {
        loop {
            let starting = self.starting.lock().await;
            if !self.ready.load(Ordering::Acquire) {
                let known = self.register().await?;
                if !known || self.engine.is_fresh().await? {
                    self.rebuild(false).await?;
                }
                self.ready.store(true, Ordering::Release);
            }
            drop(starting);
            self.drain_once().await?;
            // Not ready again: the pass found this reader forgotten (a suspended server); it
            // starts again, registered anew, from a rebuild.
            if self.ready.load(Ordering::Acquire) {
                return Ok(());
            }
        }
    }

    /// Records that a search failed (the engine down, an index gone): the pages rendered
    /// meanwhile are not kept, and a pass is asked for, which says whether it answers again.
    pub fn search_failed(&self) {
        self.failed_searches.fetch_add(1, Ordering::Relaxed);
        self.failing.store(true, Ordering::Relaxed);
        self.wake();
    }

    /// How many searches failed since start: a page rendered while this number changed may
    /// show what the board shows without the engine, and is not kept.
    pub fn failed_searches(&self) -> u64 {
        self.failed_searches.load(Ordering::Relaxed)
    }

    /// Asks the worker for a pass now rather than at its next poll.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// Waits until the index holds every change committed before the call, or `limit` has
    /// passed; returns whether it does. Writers call it so that the page they go to next
    /// shows what they wrote; it returns at once while the engine is down.
    pub async fn catch_up(&self, limit: Duration) -> bool {
        if self.failing.load(Ordering::Relaxed) {
            return false;
        }

        let caught_up = async { self.start().await.is_ok() };
        tokio::time::timeout(limit, caught_up).await.unwrap_or(false)
    }

    /// `catch_up` for a writer about to show its next page: returns at once while a new index
    /// is still being built (that is the worker's, and long).
    pub async fn after_write(&self, limit: Duration) -> bool {
        self.ready.load(Ordering::Acquire) && self.catch_up(limit).await
    }

    /// The worker loop: starts the index, then applies the outbox when woken or every
    /// `poll`, waiting longer (up to a minute) while the engine is down.
    pub async fn run(self, poll: Duration, mut stop: watch::Receiver<bool>) {
        let mut failures: u32 = 0;
        loop {
            let outcome = self.start().await;
            match outcome {
                Ok(()) => failures = 0,
                Err(error) => {
                    failures = failures.saturating_add(1);
                    self.failing.store(true, Ordering::Relaxed);
                    tracing::warn!(%error, failures, "search index not updated; retrying");
                }
            }
            let pause = if failures == 0 {
                poll
            } else {
                poll.saturating_mul(2u32.saturating_pow(failures.min(8))).min(Duration::from_secs(60))
            };
            tokio::select! {
                changed = stop.changed() => if changed.is_err() || *stop.borrow() { break },
                () = self.wake.notified() => {}
                () = tokio::time::sleep(pause) => {}
            }
        }
    }
}
