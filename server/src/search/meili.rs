//! The Meilisearch engine, through meilisearch-sdk: one index per collection, named
//! `{prefix}_{collection}`, primary key `id`.
//!
//! Meilisearch does its own reading of text (accents folded, typos forgiven, prefix matching
//! on the last word), by the rule the embedded engine follows too (`text::typos`); what it
//! lacks is stemming, so each document also carries the stems of its words (`stems`), and the
//! query's words are sent in their searched form (`text::searched_form`): « médecins » finds
//! « médecine », « hôpitaux » « hôpital ». Hits are highlighted and cropped here, as the
//! embedded engine does, not by Meilisearch: the same words are marked whichever engine runs.
//! Everything Meilisearch does in the background (creating an index, changing its settings,
//! adding documents) is a task: this engine waits for each, so that a change reported as
//! applied is applied.
//!
//! A fourth index, `{prefix}_meta`, holds one document, "built", written when a rebuild went
//! to its end (`mark_built`) and removed when the indexes are emptied (`clear`): without it,
//! or with another `DOCUMENT_FORMAT`, the indexes are fresh and must be rebuilt.

use super::text::{self, query_words};
use super::{Changes, Collection, Document, Facet, Hit, SearchError, SearchQuery, SearchResults, Sort};
use app::model::distance_km;
use meilisearch_sdk::client::Client;
use meilisearch_sdk::errors::{Error as MeiliError, ErrorCode, ErrorType, MeilisearchError};
use meilisearch_sdk::indexes::Index;
use meilisearch_sdk::search::{MatchingStrategies, Selectors};
use meilisearch_sdk::settings::{
    FacetSortValue, FacetingSettings, MinWordSizeForTypos, PaginationSetting, Settings, TypoToleranceSettings,
};
use meilisearch_sdk::task_info::TaskInfo;
use meilisearch_sdk::tasks::Task;
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use tokio::sync::RwLock;

/// Where the Meilisearch server is, and how our indexes are named there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeiliSettings {
    pub url: String,
    pub key: Option<crate::config::Secret>,
    /// prefix of index uids, e.g. "portail" → "portail_offers"
    pub prefix: String,
}

/// The primary key of every index.
const PRIMARY_KEY: &str = "id";
/// The index of what this engine knows about the others, after the collections' names.
const META: &str = "meta";
/// The id, in `META`, of the document written when a rebuild went to its end.
const BUILT: &str = "built";
/// The shape of our documents: a change (a field added, a value read otherwise) is a new
/// number, and indexes built with another are rebuilt.
// 3: offers carry `team` (December 2026).
// 4: offers carry `station` and `major_station` (December 2026).
const DOCUMENT_FORMAT: u64 = 4;
/// Unix time of 2100-01-01, the expiry of what never expires: Meilisearch numbers are
/// doubles, this one is exact and later than any real offer.
const NEVER: i64 = 4_102_444_800;
/// Days given to a period open at its start or at its end.
const OPEN_START: i64 = -1_000_000;
const OPEN_END: i64 = 1_000_000;
/// More than the distance between any two points on Earth, in meters.
const EVERYWHERE_M: f64 = 20_100_000.0;
/// Documents sent per task, and ids per deletion: well below Meilisearch's payload limit.
const UPSERT_CHUNK: usize = 1000;
const DELETE_CHUNK: usize = 10_000;
/// One HTTP request, at most (reqwest has no timeout of its own).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// One task, at most, from enqueued to done (a change of settings reindexes everything).
const TASK_TIMEOUT: Duration = Duration::from_secs(300);
/// Polling a task: from this pause, doubled up to the next.
const FIRST_PAUSE: Duration = Duration::from_millis(10);
const LONGEST_PAUSE: Duration = Duration::from_millis(500);
/// How often the indexing passes check that our indexes were not deleted behind our back.
const INTACT_EVERY: Duration = Duration::from_secs(2);
/// The fields searched (their order ranks nothing: the ranking contract has no `attribute` rule).
const SEARCHABLE: [&str; 4] = ["title", "stems", "body", "place"];
/// What a hit is read from.
const RETRIEVED: [&str; 4] = ["id", "title", "body", "_geo"];

/// The Meilisearch engine: a client, and whether our indexes are ready.
pub struct Meili {
    client: Client,
    prefix: String,
    /// Indexes created and set up, once per process (retried while it fails, and again when
    /// one was deleted behind our back): each index's uid and creation time as seen then.
    ready: RwLock<Option<Vec<(String, String)>>>,
    /// When `intact` last asked the server.
    checked: std::sync::Mutex<Option<Instant>>,
    /// The indexes must be rebuilt from the database: one was missing, or no rebuild of
    /// the current format went to its end.
    fresh: AtomicBool,
}

impl std::fmt::Debug for Meili {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Meili").field("url", &self.client.get_host()).field("prefix", &self.prefix).finish()
    }
}

/// An error of the SDK: the request was refused as invalid (our fault, retrying will not
/// help), or the engine could not be reached or would not work.
fn engine_error(context: &str, error: MeiliError) -> SearchError {
    match &error {
        MeiliError::Meilisearch(e) if e.error_type == ErrorType::InvalidRequest => {
            SearchError::Index(format!("{context} : {}", e.error_message))
        }
        MeiliError::Meilisearch(e) if e.error_type == ErrorType::Auth => SearchError::Unavailable(format!(
            "{context} : Meilisearch refuse la clé donnée (MEILI_MASTER_KEY) : {}",
            e.error_message
        )),
        MeiliError::Meilisearch(e) => SearchError::Unavailable(format!("{context} : {}", e.error_message)),
        _ => SearchError::Unavailable(format!("{context} : {error}")),
    }
}

fn task_error(context: &str, error: &MeilisearchError) -> SearchError {
    SearchError::Index(format!("{context} : {} ({})", error.error_message, error_code(error)))
}

fn error_code(error: &MeilisearchError) -> String {
    serde_json::to_value(&error.error_code).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

impl Meili {
    /// Its name among the readers of the search outbox: one for every server that shares
    /// these indexes, so that each update is applied once in all (see migration 0015).
    pub fn reader_name(&self) -> String {
        format!("meilisearch {} {}", self.client.get_host(), self.prefix)
    }

    /// A client for the server at `settings.url`; nothing is asked of it yet.
    pub fn new(settings: &MeiliSettings) -> Result<Self, SearchError> {
        let url = settings.url.trim().trim_end_matches('/');
        if url.is_empty() {
            return Err(SearchError::Unavailable("adresse de Meilisearch vide".to_owned()));
        }
        let key = settings.key.as_ref().map(|key| key.expose().to_owned());
        let client = Client::new(url, key).map_err(|e| engine_error("client Meilisearch", e))?;
        Ok(Self {
            client,
            prefix: settings.prefix.trim().to_owned(),
            ready: RwLock::new(None),
            checked: std::sync::Mutex::new(None),
            fresh: AtomicBool::new(false),
        })
    }

    fn uid(&self, collection: Collection) -> String {
        index_uid(&self.prefix, collection.name())
    }

    fn meta(&self) -> Index {
        self.client.index(index_uid(&self.prefix, META))
    }

    fn index(&self, collection: Collection) -> Index {
        self.client.index(self.uid(collection))
    }

    /// True when the indexes must be filled from the database: one did not exist (it is
    /// created, with its settings), or no rebuild of the current format went to its end.
    pub async fn is_fresh(&self) -> Result<bool, SearchError> {
        self.ready().await?;
        Ok(self.fresh.load(Ordering::Acquire))
    }

    /// Records that a rebuild went to its end: `is_fresh` is false from now on, here and
    /// after a restart.
    pub async fn mark_built(&self) -> Result<(), SearchError> {
        self.ready().await?;
        let meta = self.meta();
        let context = format!("index « {} »", meta.uid);
        let marker = [json!({ "id": BUILT, "format": DOCUMENT_FORMAT })];
        let task = request(&context, meta.add_or_replace(&marker, Some(PRIMARY_KEY))).await?;
        self.wait_all(&[(context, task)]).await?;
        self.fresh.store(false, Ordering::Release);
        Ok(())
    }

    /// Whether the last rebuild went to its end, with documents of the current format.
    async fn built(&self) -> Result<bool, SearchError> {
        let meta = self.meta();
        let context = format!("index « {} »", meta.uid);
        match timed(&context, meta.get_document::<Value>(BUILT)).await? {
            Ok(marker) => Ok(marker.get("format").and_then(Value::as_u64) == Some(DOCUMENT_FORMAT)),
            Err(MeiliError::Meilisearch(e)) if e.error_code == ErrorCode::DocumentNotFound => Ok(false),
            Err(error) => Err(engine_error(&context, error)),
        }
    }

    /// Creates the missing indexes and sets the settings of all three, once per process.
    async fn ready(&self) -> Result<(), SearchError> {
        if self.ready.read().await.is_some() {
            return Ok(());
        }
        let mut ready = self.ready.write().await;
        if ready.is_none() {
            *ready = Some(self.prepare().await?);
        }
        Ok(())
    }

    /// Whether our indexes are still those this process set up: false when one was deleted
    /// (or deleted and made again) behind our back. It is then created again with its settings
    /// at the next use, and the indexes are fresh: to be rebuilt.
    /// Asked of the server at most every `INTACT_EVERY`.
    pub async fn intact(&self) -> Result<bool, SearchError> {
        {
            let mut checked = self.checked.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            if checked.is_some_and(|at| at.elapsed() < INTACT_EVERY) {
                return Ok(true);
            }
            *checked = Some(Instant::now());
        }
        let Some(seen) = self.ready.read().await.clone() else { return Ok(true) };
        for (uid, created) in seen {
            let context = format!("index « {uid} »");
            let now = match timed(&context, self.client.get_raw_index(&uid)).await? {
                Ok(info) => created_at(&info),
                Err(MeiliError::Meilisearch(e)) if e.error_code == ErrorCode::IndexNotFound => None,
                Err(error) => return Err(engine_error(&context, error)),
            };
            if now.as_deref() != Some(created.as_str()) {
                tracing::warn!(index = %uid, "Meilisearch index deleted behind our back: it is made again and rebuilt");
                *self.ready.write().await = None;
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Each index's uid and creation time, once every index exists with its settings.
    async fn prepare(&self) -> Result<Vec<(String, String)>, SearchError> {
        let mut uids: Vec<String> = Collection::ALL.iter().map(|c| self.uid(*c)).collect();
        uids.push(self.meta().uid);
        let mut seen = Vec::new();
        for uid in uids {
            let context = format!("index « {uid} »");
            let existing = match timed(&context, self.client.get_raw_index(&uid)).await? {
                Ok(info) => Some(info),
                Err(MeiliError::Meilisearch(e)) if e.error_code == ErrorCode::IndexNotFound => None,
                Err(error) => return Err(engine_error(&context, error)),
            };
            if let Some(info) = existing {
                seen.push((uid.clone(), created_at(&info).unwrap_or_default()));
                if let Some(key) = info.get("primaryKey").and_then(Value::as_str)
                    && key != PRIMARY_KEY
                {
                    return Err(SearchError::Index(format!(
                        "{context} : sa clé primaire est « {key} » et non « {PRIMARY_KEY} » ; supprimez-le, il sera recréé"
                    )));
                }
                continue;
            }
            let task = request(&context, self.client.create_index(&uid, Some(PRIMARY_KEY))).await?;
            match self.wait(&context, &task).await? {
                Ok(()) => {
                    tracing::info!(index = %uid, "meilisearch index created");
                    self.fresh.store(true, Ordering::Release);
                }
                // Created meanwhile by another process, which fills it.
                Err(error) if error.error_code == ErrorCode::IndexAlreadyExists => {}
                Err(error) => return Err(task_error(&context, &error)),
            }
            let info = request(&context, self.client.get_raw_index(&uid)).await?;
            seen.push((uid, created_at(&info).unwrap_or_default()));
        }
        let mut tasks = Vec::new();
        for collection in Collection::ALL {
            let index = self.index(collection);
            let context = format!("réglages de l'index « {} »", index.uid);
            let task = self.set_settings(&context, &index).await?;
            tasks.push((context, task));
        }
        self.wait_all(&tasks).await?;
        if !self.built().await? {
            self.fresh.store(true, Ordering::Release);
        }
        Ok(seen)
    }

    /// Sends our settings to `index`; a server older than `typoTolerance.disableOnNumbers`
    /// (Meilisearch 1.13) refuses it: it is sent again without it.
    async fn set_settings(&self, context: &str, index: &Index) -> Result<TaskInfo, SearchError> {
        let settings = index_settings(true);
        match timed(context, index.set_settings(&settings)).await? {
            Ok(task) => Ok(task),
            Err(MeiliError::Meilisearch(e)) if e.error_code == ErrorCode::InvalidSettingsTypoTolerance => {
                tracing::warn!(index = %index.uid, error = %e.error_message, "typo tolerance on numbers not supported, left as is");
                request(context, index.set_settings(&index_settings(false))).await
            }
            Err(error) => Err(engine_error(context, error)),
        }
    }

    /// Waits for `task` to be done: Ok(Err) when it failed, Err when it could not be followed
    /// or took too long (it may still be applied later).
    async fn wait(&self, context: &str, task: &TaskInfo) -> Result<Result<(), MeilisearchError>, SearchError> {
        let started = Instant::now();
        let mut pause = FIRST_PAUSE;
        loop {
            match request(context, self.client.get_task(task)).await? {
                Task::Succeeded { .. } => return Ok(Ok(())),
                Task::Failed { content } => return Ok(Err(content.error)),
                Task::Enqueued { .. } | Task::Processing { .. } => {}
            }
            if started.elapsed() >= TASK_TIMEOUT {
                return Err(SearchError::Unavailable(format!(
                    "{context} : la tâche Meilisearch n° {} n'est pas terminée après {} s",
                    task.task_uid,
                    TASK_TIMEOUT.as_secs()
                )));
            }
            tokio::time::sleep(pause).await;
            pause = (pause * 2).min(LONGEST_PAUSE);
        }
    }

    /// Waits for every task, in order; the first that failed is the error.
    async fn wait_all(&self, tasks: &[(String, TaskInfo)]) -> Result<(), SearchError> {
        for (context, task) in tasks {
            if let Err(error) = self.wait(context, task).await? {
                return Err(task_error(context, &error));
            }
        }
        Ok(())
    }

    /// Removes then puts documents, per collection, and waits until Meilisearch has done it.
    pub async fn apply(&self, changes: Changes) -> Result<(), SearchError> {
        self.ready().await?;
        // Enqueued all at once (Meilisearch batches consecutive tasks of an index), then
        // waited for: in each index, tasks run in the order they were enqueued.
        let mut tasks = Vec::new();
        for collection in Collection::ALL {
            let index = self.index(collection);
            let ids: Vec<&str> =
                changes.deletes.iter().filter(|(c, _)| *c == collection).map(|(_, id)| id.as_str()).collect();
            for chunk in ids.chunks(DELETE_CHUNK) {
                let context = format!("suppression dans l'index « {} »", index.uid);
                let task = request(&context, index.delete_documents(chunk)).await?;
                tasks.push((context, task));
            }
            let documents: Vec<Value> =
                changes.upserts.iter().filter(|d| d.collection == collection).map(document_json).collect();
            for chunk in documents.chunks(UPSERT_CHUNK) {
                let context = format!("écriture dans l'index « {} »", index.uid);
                let task = request(&context, index.add_or_replace(chunk, Some(PRIMARY_KEY))).await?;
                tasks.push((context, task));
            }
        }
        self.wait_all(&tasks).await
    }

    /// Removes every document of the three indexes, the mark of a finished rebuild first:
    /// a crash in the middle leaves the indexes fresh.
    pub async fn clear(&self) -> Result<(), SearchError> {
        self.ready().await?;
        self.fresh.store(true, Ordering::Release);
        let meta = self.meta();
        let context = format!("index « {} »", meta.uid);
        let task = request(&context, meta.delete_document(BUILT)).await?;
        self.wait_all(&[(context, task)]).await?;
        let mut tasks = Vec::new();
        for collection in Collection::ALL {
            let index = self.index(collection);
            let context = format!("vidage de l'index « {} »", index.uid);
            let task = request(&context, index.delete_all_documents()).await?;
            tasks.push((context, task));
        }
        self.wait_all(&tasks).await
    }

    pub async fn search(&self, collection: Collection, query: &SearchQuery) -> Result<SearchResults, SearchError> {
        self.ready().await?;
        // A facet filter without any value matches nothing, as in the embedded engine
        // (Meilisearch has no empty OR).
        if query.filters.iter().any(|(_, values)| values.is_empty()) {
            let facets = query.facets.iter().map(|facet| (*facet, Vec::new())).collect();
            return Ok(SearchResults { total: 0, hits: Vec::new(), facets });
        }
        let index = self.index(collection);
        let context = format!("recherche dans l'index « {} »", index.uid);
        let words = query_words(&query.text);
        let q = query_string(&words, query.prefix);
        let filter = filter_expression(query);
        let sort = sort_criteria(query);
        let sort: Vec<&str> = sort.iter().map(String::as_str).collect();
        let facets: Vec<&str> = query.facets.iter().map(|facet| facet.field()).collect();

        let mut search = index.search();
        if !q.is_empty() {
            search.with_query(&q).with_matching_strategy(MatchingStrategies::ALL);
        }
        if let Some(filter) = &filter {
            search.with_filter(filter);
        }
        if !sort.is_empty() {
            search.with_sort(&sort);
        }
        if !facets.is_empty() {
            search.with_facets(Selectors::Some(&facets));
        }
        search
            .with_page(query.page.max(1))
            .with_hits_per_page(query.per_page.max(1))
            .with_attributes_to_retrieve(Selectors::Some(&RETRIEVED));
        let found = request(&context, search.execute::<Map<String, Value>>()).await?;

        let mut highlighter = text::Highlighter::new(&words, query.prefix);
        let hits = found.hits.iter().map(|hit| read_hit(&hit.result, &mut highlighter, query.near.as_ref())).collect();
        let total = found.total_hits.or(found.estimated_total_hits).unwrap_or(found.hits.len());
        let facets = facet_counts(&query.facets, found.facet_distribution.as_ref());
        Ok(SearchResults { total, hits, facets })
    }
}

/// When an index was created, as Meilisearch tells it.
fn created_at(info: &Value) -> Option<String> {
    info.get("createdAt").and_then(Value::as_str).map(str::to_owned)
}

/// One request to Meilisearch, within `REQUEST_TIMEOUT`; its own error left to the caller.
async fn timed<T>(
    context: &str,
    call: impl Future<Output = Result<T, MeiliError>>,
) -> Result<Result<T, MeiliError>, SearchError> {
    tokio::time::timeout(REQUEST_TIMEOUT, call).await.map_err(|_| {
        SearchError::Unavailable(format!(
            "{context} : pas de réponse de Meilisearch en {} s",
            REQUEST_TIMEOUT.as_secs()
        ))
    })
}

/// One request to Meilisearch, within `REQUEST_TIMEOUT`.
async fn request<T>(context: &str, call: impl Future<Output = Result<T, MeiliError>>) -> Result<T, SearchError> {
    timed(context, call).await?.map_err(|error| engine_error(context, error))
}

/// The uid of the index `name` ("offers"…, "meta"): `{prefix}_{name}`.
fn index_uid(prefix: &str, name: &str) -> String {
    if prefix.is_empty() { name.to_owned() } else { format!("{prefix}_{name}") }
}

/// The settings of every index. `numbers_exact`: typos are not forgiven in numbers
/// (postal codes), as in the embedded engine; older servers do not know the setting.
fn index_settings(numbers_exact: bool) -> Settings {
    let mut filterable: Vec<&str> = Facet::ALL.iter().map(|facet| facet.field()).collect();
    filterable.extend(["_geo", "expires_at", "start_day", "end_day"]);
    Settings::new()
        .with_searchable_attributes(SEARCHABLE)
        .with_filterable_attributes(filterable)
        .with_sortable_attributes(["published_at", "popularity", "seq", "_geo"])
        // `sort` first: an explicit order (newest, nearest) is the order, as in the embedded
        // engine, and not a tie-break among equally relevant hits; without `sort` in the
        // query the rule does nothing. Then relevance, then popular and newest first.
        // The ranking contract both engines keep (README, « Recherche »): fewest typos,
        // then the most popular, the newest, the last published. `words` orders nothing
        // since every word must match.
        .with_ranking_rules(["sort", "words", "typo", "popularity:desc", "published_at:desc", "seq:desc"])
        .with_typo_tolerance(TypoToleranceSettings {
            enabled: Some(true),
            disable_on_attributes: Some(Vec::new()),
            disable_on_words: Some(Vec::new()),
            min_word_size_for_typos: Some(MinWordSizeForTypos { one_typo: Some(5), two_typos: Some(9) }),
            disable_on_numbers: numbers_exact.then_some(true),
        })
        .with_stop_words(stop_words())
        .with_pagination(PaginationSetting { max_total_hits: 100_000 })
        // Counted by frequency, so that the 500 values kept are the most frequent.
        .with_faceting(FacetingSettings {
            max_values_per_facet: 500,
            sort_facet_values_by: Some(BTreeMap::from([("*".to_owned(), FacetSortValue::Count)])),
        })
}

/// The French stop words, as written and accent-folded.
fn stop_words() -> Vec<String> {
    let mut all = BTreeSet::new();
    for word in text::STOP_WORDS {
        all.insert((*word).to_owned());
        all.extend(text::words(word));
    }
    all.into_iter().collect()
}

/// A document as Meilisearch stores it.
fn document_json(doc: &Document) -> Value {
    let mut out = Map::new();
    out.insert("id".to_owned(), json!(doc.id));
    out.insert("title".to_owned(), json!(doc.title));
    out.insert("body".to_owned(), json!(doc.body));
    out.insert("place".to_owned(), json!(doc.place));
    out.insert("stems".to_owned(), json!(doc.stems()));
    for (facet, value) in &doc.facets {
        out.insert(facet.field().to_owned(), json!(value));
    }
    // An invalid `_geo` fails the whole task: a document without a valid place has none.
    if let Some((lat, lon)) = doc.location
        && lat.is_finite()
        && lon.is_finite()
        && (-90.0..=90.0).contains(&lat)
        && (-180.0..=180.0).contains(&lon)
    {
        out.insert("_geo".to_owned(), json!({ "lat": lat, "lng": lon }));
    }
    out.insert("published_at".to_owned(), json!(doc.published_at));
    out.insert("expires_at".to_owned(), json!(doc.expires_at.unwrap_or(NEVER)));
    out.insert("start_day".to_owned(), json!(doc.start_day.unwrap_or(OPEN_START)));
    out.insert("end_day".to_owned(), json!(doc.end_day.unwrap_or(OPEN_END)));
    out.insert("popularity".to_owned(), json!(doc.popularity));
    out.insert("seq".to_owned(), json!(doc.seq));
    Value::Object(out)
}

/// The `q` of a search: the searched form of each word, the words apart by a comma. A comma
/// is a hard separator: Meilisearch then never reads two neighbouring words as one (« remplac
/// ete » as "remplacete", which is two typos from « remplacement »), which the embedded engine
/// does not do either. Meilisearch matches the last word as a prefix unless the query ends
/// with a separator: a final space turns prefix matching off (there is no parameter).
fn query_string(words: &[String], prefix: bool) -> String {
    let mut q = words.iter().map(|word| text::searched_form(word)).collect::<Vec<_>>().join(", ");
    if !q.is_empty() && !prefix {
        q.push(' ');
    }
    q
}

/// A string value in a filter, quoted and escaped.
fn quoted(value: &str) -> String {
    format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The filters of `query`, ANDed; None when there are none.
fn filter_expression(query: &SearchQuery) -> Option<String> {
    let mut all = Vec::new();
    for (facet, values) in &query.filters {
        let any: Vec<String> = values.iter().map(|v| format!("{} = {}", facet.field(), quoted(v))).collect();
        all.push(format!("({})", any.join(" OR ")));
    }
    if let Some(near) = query.near {
        let meters =
            if near.radius_km.is_nan() { EVERYWHERE_M } else { (near.radius_km * 1000.0).clamp(0.0, EVERYWHERE_M) };
        all.push(format!("_geoRadius({}, {}, {})", near.lat, near.lon, meters));
    }
    if let Some(zone) = query.within {
        // The north-east corner, then the south-west one, each as [lat, lng] (what Meilisearch
        // 1.50 reads; its older documentation named the other two corners).
        all.push(format!("_geoBoundingBox([{}, {}], [{}, {}])", zone.north, zone.east, zone.south, zone.west));
    }
    if let Some(at) = query.open_at {
        all.push(format!("expires_at > {at}"));
    }
    if let Some((from, to)) = query.overlap {
        if let Some(from) = from {
            all.push(format!("end_day >= {from}"));
        }
        if let Some(to) = to {
            all.push(format!("start_day <= {to}"));
        }
    }
    (!all.is_empty()).then(|| all.join(" AND "))
}

/// The `sort` of a search: none for relevance (the ranking rules order the hits).
fn sort_criteria(query: &SearchQuery) -> Vec<String> {
    let newest = || vec!["published_at:desc".to_owned(), "seq:desc".to_owned()];
    match (query.sort, query.near) {
        (Sort::Relevance, _) => Vec::new(),
        (Sort::Newest, _) | (Sort::Nearest, None) => newest(),
        (Sort::Nearest, Some(near)) => {
            let mut criteria = vec![format!("_geoPoint({}, {}):asc", near.lat, near.lon)];
            criteria.extend(newest());
            criteria
        }
    }
}

/// A number of a stored document, written as a number or as a string.
fn number(value: Option<&Value>) -> Option<f64> {
    match value? {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// One hit, read leniently (what is missing is empty), highlighted and cropped as the
/// embedded engine does.
fn read_hit(stored: &Map<String, Value>, highlighter: &mut text::Highlighter, near: Option<&super::Near>) -> Hit {
    let id = match stored.get("id") {
        Some(Value::String(id)) => id.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    };
    let plain = |field: &str| stored.get(field).and_then(Value::as_str).unwrap_or_default();
    let (title, snippet) = highlighter.title_and_snippet(plain("title"), plain("body"));
    // `_geoDistance` comes only with a `_geoPoint` sort: the distance is computed as the
    // embedded engine does, from the document's place.
    let distance_km = near.and_then(|near| {
        let geo = stored.get("_geo");
        match (number(geo.and_then(|g| g.get("lat"))), number(geo.and_then(|g| g.get("lng")))) {
            (Some(lat), Some(lon)) => Some(distance_km(near.lat, near.lon, lat, lon)),
            _ => number(stored.get("_geoDistance")).map(|meters| meters / 1000.0),
        }
    });
    Hit { id, distance_km, title, snippet }
}

/// The counts of each facet asked, in the order asked: most frequent first, then by value.
fn facet_counts(
    asked: &[Facet],
    distribution: Option<&std::collections::HashMap<String, std::collections::HashMap<String, usize>>>,
) -> Vec<(Facet, Vec<(String, usize)>)> {
    asked
        .iter()
        .map(|facet| {
            let values: Vec<(String, usize)> = distribution
                .and_then(|d| d.get(facet.field()))
                .map(|counts| counts.iter().filter(|(_, n)| **n > 0).map(|(v, n)| (v.clone(), *n)).collect())
                .unwrap_or_default();
            (*facet, super::most_frequent_first(values))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::Near;
    use std::collections::HashMap;

    fn document() -> Document {
        Document {
            collection: Collection::Offers,
            id: "42".to_owned(),
            title: "Médecins généralistes".to_owned(),
            body: "Remplacement à Rodez".to_owned(),
            place: "Rodez 12000".to_owned(),
            facets: vec![(Facet::Kind, "remplacement".to_owned()), (Facet::Departement, "12".to_owned())],
            location: Some((44.35, 2.57)),
            published_at: 1_700_000_000,
            expires_at: None,
            start_day: Some(19_700),
            end_day: None,
            popularity: 3,
            seq: 7,
        }
    }

    #[test]
    fn documents_carry_stems_facets_place_and_open_bounds() {
        let json = document_json(&document());
        assert_eq!(json["id"], "42");
        assert_eq!(json["title"], "Médecins généralistes");
        assert_eq!(json["stems"], text::stems("Médecins généralistes Remplacement à Rodez Rodez 12000"));
        assert_eq!(json["kind"], "remplacement");
        assert_eq!(json["departement"], "12");
        assert!(json.get("specialty").is_none());
        assert_eq!(json["_geo"], json!({ "lat": 44.35, "lng": 2.57 }));
        assert_eq!(json["published_at"], 1_700_000_000);
        assert_eq!(json["expires_at"], NEVER);
        assert_eq!(json["start_day"], 19_700);
        assert_eq!(json["end_day"], OPEN_END);
        assert_eq!(json["popularity"], 3);
        assert_eq!(json["seq"], 7);

        let mut doc = document();
        doc.location = Some((f64::NAN, 2.0));
        doc.start_day = None;
        doc.expires_at = Some(1_800_000_000);
        let json = document_json(&doc);
        assert!(json.get("_geo").is_none());
        assert_eq!(json["start_day"], OPEN_START);
        assert_eq!(json["expires_at"], 1_800_000_000);
    }

    #[test]
    fn filters_are_anded_and_values_escaped() {
        let query = SearchQuery {
            filters: vec![
                (Facet::Departement, vec!["12".to_owned(), "81".to_owned()]),
                (Facet::Specialty, vec![r#"a "b" \c"#.to_owned()]),
            ],
            near: Some(Near { lat: 44.35, lon: -2.5, radius_km: 12.5 }),
            open_at: Some(1_700_000_000),
            overlap: Some((Some(19_000), None)),
            ..SearchQuery::default()
        };
        assert_eq!(
            filter_expression(&query).unwrap(),
            r#"(departement = "12" OR departement = "81") AND (specialty = "a \"b\" \\c") AND _geoRadius(44.35, -2.5, 12500) AND expires_at > 1700000000 AND end_day >= 19000"#
        );
        let query = SearchQuery { overlap: Some((None, Some(20_000))), ..SearchQuery::default() };
        assert_eq!(filter_expression(&query).unwrap(), "start_day <= 20000");
        let query = SearchQuery { overlap: Some((Some(1), Some(2))), ..SearchQuery::default() };
        assert_eq!(filter_expression(&query).unwrap(), "end_day >= 1 AND start_day <= 2");
        assert_eq!(filter_expression(&SearchQuery::default()), None);
        let zone = app::model::Bounds::new(1.5, 43.2, 3.1, 44.9).unwrap();
        let query = SearchQuery { within: Some(zone), ..SearchQuery::default() };
        assert_eq!(filter_expression(&query).unwrap(), "_geoBoundingBox([44.9, 3.1], [43.2, 1.5])");
        let query = SearchQuery { near: Some(Near { lat: 1.0, lon: 2.0, radius_km: f64::NAN }), ..Default::default() };
        assert_eq!(filter_expression(&query).unwrap(), "_geoRadius(1, 2, 20100000)");
    }

    #[test]
    fn orders_become_sort_criteria() {
        let near = Near { lat: 44.35, lon: 2.57, radius_km: 10.0 };
        let sort = |sort, near| sort_criteria(&SearchQuery { sort, near, ..SearchQuery::default() });
        assert!(sort(Sort::Relevance, Some(near)).is_empty());
        assert_eq!(sort(Sort::Newest, None), ["published_at:desc", "seq:desc"]);
        assert_eq!(sort(Sort::Nearest, None), ["published_at:desc", "seq:desc"]);
        assert_eq!(sort(Sort::Nearest, Some(near)), ["_geoPoint(44.35, 2.57):asc", "published_at:desc", "seq:desc"]);
    }

    #[test]
    fn the_query_ends_with_a_space_without_prefix_matching() {
        let words = query_words("Médecin à st Affrique");
        assert_eq!(query_string(&words, true), "medecin, saint, affrique");
        assert_eq!(query_string(&words, false), "medecin, saint, affrique ");
        assert_eq!(query_string(&query_words("hôpitaux"), false), "hopital ", "the searched form");
        assert_eq!(query_string(&[], false), "");
    }

    #[test]
    fn hits_are_read_leniently_and_highlighted_here() {
        let stored: Map<String, Value> = serde_json::from_value(json!({
            "id": 42, "title": "Cabinet", "body": "Un cabinet à Rodez", "_geo": { "lat": "44.35", "lng": 2.57 }
        }))
        .unwrap();
        let near = Near { lat: 44.35, lon: 2.57, radius_km: 5.0 };
        let mut highlighter = text::Highlighter::new(&query_words("rodes"), false);
        let hit = read_hit(&stored, &mut highlighter, Some(&near));
        assert_eq!(hit.id, "42");
        assert_eq!(hit.title, vec![("Cabinet".to_owned(), false)]);
        assert_eq!(hit.snippet, vec![("Un cabinet à ".to_owned(), false), ("Rodez".to_owned(), true)]);
        assert!(hit.distance_km.unwrap().abs() < 1e-9);
        let hit = read_hit(&stored, &mut highlighter, None);
        assert_eq!(hit.distance_km, None);
        let bare: Map<String, Value> = serde_json::from_value(json!({ "id": "7", "_geoDistance": 1500 })).unwrap();
        let hit = read_hit(&bare, &mut highlighter, Some(&near));
        assert_eq!(hit.id, "7");
        assert!(hit.title.is_empty() && hit.snippet.is_empty());
        assert_eq!(hit.distance_km, Some(1.5));
    }

    #[test]
    fn facet_counts_follow_the_query_and_frequency() {
        let distribution = HashMap::from([(
            "departement".to_owned(),
            HashMap::from([("81".to_owned(), 2), ("12".to_owned(), 5), ("46".to_owned(), 2), ("48".to_owned(), 0)]),
        )]);
        let counts = facet_counts(&[Facet::Kind, Facet::Departement], Some(&distribution));
        assert_eq!(
            counts,
            vec![
                (Facet::Kind, vec![]),
                (Facet::Departement, vec![("12".to_owned(), 5), ("46".to_owned(), 2), ("81".to_owned(), 2)]),
            ]
        );
    }

    #[test]
    fn settings_cover_every_facet_and_stop_word() {
        let settings = serde_json::to_value(index_settings(true)).unwrap();
        let filterable = settings["filterableAttributes"].as_array().unwrap();
        for facet in Facet::ALL {
            assert!(filterable.contains(&json!(facet.field())), "{facet:?}");
        }
        assert!(filterable.contains(&json!("_geo")));
        assert_eq!(settings["searchableAttributes"], json!(SEARCHABLE));
        assert_eq!(settings["typoTolerance"]["minWordSizeForTypos"], json!({ "oneTypo": 5, "twoTypos": 9 }));
        assert_eq!(settings["typoTolerance"]["disableOnNumbers"], true);
        assert!(
            serde_json::to_value(index_settings(false)).unwrap()["typoTolerance"].get("disableOnNumbers").is_none()
        );
        assert_eq!(settings["pagination"]["maxTotalHits"], 100_000);
        assert_eq!(settings["faceting"]["maxValuesPerFacet"], 500);
        let stop = settings["stopWords"].as_array().unwrap();
        assert!(stop.contains(&json!("à")) && stop.contains(&json!("a")) && stop.contains(&json!("ou")));
        assert!(stop.contains(&json!("où")));
    }

    #[test]
    fn index_uids_carry_the_prefix() {
        assert_eq!(index_uid("portail", Collection::Offers.name()), "portail_offers");
        assert_eq!(index_uid("portail", META), "portail_meta");
        assert_eq!(index_uid("", Collection::Communes.name()), "communes");
    }
}
