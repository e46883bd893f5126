//! Search over published offers, health structures and communes: an index derived from the
//! database, never the reverse. Two engines behind one contract, and nothing in between:
//! tantivy in-process (the embedded default, its index in the data directory) and Meilisearch
//! through meilisearch-sdk when MEILI_URL is set.
//!
//! Both engines get the same documents (`Document`, built from the database by `documents`)
//! and the same questions (`SearchQuery`), and answer alike (`SearchResults`): the
//! conformance suite in `tests/integration/search_engine.rs` runs against each. The words of a
//! query are read once, here (`text::query_words`): accents folded, French stop words dropped,
//! "st" read as "saint", each searched in one form (`text::searched_form`); each engine then
//! applies the same typo rule (`text::typos`: 1 typo from 5 letters, 2 from 9, a different
//! first letter costs one more, as in Meilisearch) and prefix matching on the last word, and
//! ranks by the same rules (see the README's search section for the whole contract).

pub mod documents;
mod embedded;
pub mod fallback;
pub mod indexer;
mod meili;
pub mod text;
mod typo_automaton;

pub use embedded::Embedded;
pub use indexer::{INDEXED, Indexer};
pub use meili::{Meili, MeiliSettings};

use std::path::Path;
use std::sync::Arc;

/// What is indexed; each collection is searched on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Collection {
    Offers,
    Structures,
    Communes,
}

impl Collection {
    pub const ALL: [Collection; 3] = [Collection::Offers, Collection::Structures, Collection::Communes];

    pub fn name(self) -> &'static str {
        match self {
            Collection::Offers => "offers",
            Collection::Structures => "structures",
            Collection::Communes => "communes",
        }
    }
}

/// A filterable field, counted per value on request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Facet {
    /// Offer kind (installation, remplacement…).
    Kind,
    Specialty,
    Departement,
    Zonage,
    /// Offer housing: oui, aide, non.
    Housing,
    /// Health structure kind (msp, centre_sante, etablissement_sante).
    StructureType,
    /// An offer practised in a team: oui, non (`candidates::in_team`).
    Team,
    /// How far the offer's commune is from the nearest passenger station, and from the
    /// nearest of class A or B: the distance it is filed under (`StationNear::bucket`).
    Station,
    MajorStation,
}

impl Facet {
    pub const ALL: [Facet; 9] = [
        Facet::Kind,
        Facet::Specialty,
        Facet::Departement,
        Facet::Zonage,
        Facet::Housing,
        Facet::StructureType,
        Facet::Team,
        Facet::Station,
        Facet::MajorStation,
    ];

    /// The field's name in both engines.
    pub fn field(self) -> &'static str {
        match self {
            Facet::Kind => "kind",
            Facet::Specialty => "specialty",
            Facet::Departement => "departement",
            Facet::Zonage => "zonage",
            Facet::Housing => "housing",
            Facet::StructureType => "structure_type",
            Facet::Team => "team",
            Facet::Station => "station",
            Facet::MajorStation => "major_station",
        }
    }
}

/// One thing to find, as both engines index it.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub collection: Collection,
    /// The id within the collection: an offer's number, a FINESS number, an INSEE code.
    pub id: String,
    /// The name or title: matched first, highlighted.
    pub title: String,
    /// The text: matched, and cropped around the match for the snippet.
    pub body: String,
    /// Where: commune names, postal and INSEE codes, département; matched, never shown.
    pub place: String,
    /// At most one value per facet.
    pub facets: Vec<(Facet, String)>,
    /// (latitude, longitude).
    pub location: Option<(f64, f64)>,
    /// Unix seconds (offers), 0 for the others: the "newest" order.
    pub published_at: i64,
    /// Unix seconds after which an offer is no longer open; None: never.
    pub expires_at: Option<i64>,
    /// Days since 1970-01-01 of the period an offer covers; None: open-ended on that side.
    pub start_day: Option<i64>,
    pub end_day: Option<i64>,
    /// Larger first among equally relevant hits (a commune's population).
    pub popularity: i64,
    /// A unique number in the collection, the last tie-break: results never swap places
    /// between two pages.
    pub seq: i64,
}

impl Document {
    pub fn facet(&self, facet: Facet) -> Option<&str> {
        self.facets.iter().find(|(f, _)| *f == facet).map(|(_, v)| v.as_str())
    }

    /// The stems of the words of its title, body and place, which both engines index beside
    /// the words (see `text::searched_form`).
    pub fn stems(&self) -> String {
        text::stems(&format!("{} {} {}", self.title, self.body, self.place))
    }
}

/// Results within this distance of a point.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Near {
    pub lat: f64,
    pub lon: f64,
    pub radius_km: f64,
}

/// The order of the hits. Every order ends with `seq`, descending.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// Best match first, then most popular, then newest (without text: popular, newest).
    #[default]
    Relevance,
    /// Most recently published first.
    Newest,
    /// Nearest to `near` first, then newest; needs `near`.
    Nearest,
}

/// A question to one collection. Filters combine with AND; several values of one facet with OR.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SearchQuery {
    pub text: String,
    /// Prefix matching on the last word, for as-you-type search.
    pub prefix: bool,
    pub filters: Vec<(Facet, Vec<String>)>,
    pub near: Option<Near>,
    /// Only documents placed inside this area (what a map shows).
    pub within: Option<app::model::Bounds>,
    /// Documents whose period meets [from, to] (days since 1970-01-01), either end open.
    pub overlap: Option<(Option<i64>, Option<i64>)>,
    /// Only documents not expired at this unix time.
    pub open_at: Option<i64>,
    pub sort: Sort,
    /// 1-based page of `per_page` hits.
    pub page: usize,
    pub per_page: usize,
    /// Facets to count over every matching document.
    pub facets: Vec<Facet>,
}

/// A piece of text, highlighted (`true`) where it matched the query.
pub type Marked = Vec<(String, bool)>;

#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub id: String,
    /// Distance from `near`, when the query has one.
    pub distance_km: Option<f64>,
    pub title: Marked,
    /// A few words of the body around the first match (its beginning without a match).
    pub snippet: Marked,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct SearchResults {
    /// Documents matching, on every page.
    pub total: usize,
    pub hits: Vec<Hit>,
    /// For each facet asked: (value, documents) of every value found, most frequent first.
    pub facets: Vec<(Facet, Vec<(String, usize)>)>,
}

impl SearchResults {
    /// Matching documents with `value` for `facet` (0 when it was not counted or not found).
    pub fn count(&self, facet: Facet, value: &str) -> usize {
        self.facets
            .iter()
            .find(|(f, _)| *f == facet)
            .and_then(|(_, counts)| counts.iter().find(|(v, _)| v == value))
            .map_or(0, |(_, n)| *n)
    }
}

/// Facet counts as both engines give them: the most frequent value first, then by value.
fn most_frequent_first(mut values: Vec<(String, usize)>) -> Vec<(String, usize)> {
    values.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    values
}

/// A change for the index: documents to put (replacing those of the same id) or to remove.
#[derive(Debug, Clone, Default)]
pub struct Changes {
    pub upserts: Vec<Document>,
    pub deletes: Vec<(Collection, String)>,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.upserts.is_empty() && self.deletes.is_empty()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The engine cannot be reached or refused to work; the change is kept and retried.
    #[error("moteur de recherche indisponible : {0}")]
    Unavailable(String),
    /// The embedded index is held by another process (a running server).
    #[error(
        "l'index de recherche « {0} » est utilisé par un autre processus (un serveur en marche ?) : arrêtez-le d'abord"
    )]
    Locked(String),
    #[error("erreur de l'index de recherche : {0}")]
    Index(String),
}

/// The search engine in use. Cheap to clone: both variants share their state.
#[derive(Clone)]
pub enum SearchEngine {
    Embedded(Arc<Embedded>),
    Meilisearch(Arc<Meili>),
}

impl std::fmt::Debug for SearchEngine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.kind())
    }
}

impl SearchEngine {
    /// Meilisearch when `meili` is given, otherwise tantivy in `data_dir/index`.
    pub fn open(data_dir: &Path, meili: Option<&MeiliSettings>) -> Result<Self, SearchError> {
        match meili {
            Some(settings) => Ok(Self::Meilisearch(Arc::new(Meili::new(settings)?))),
            None => Ok(Self::Embedded(Arc::new(Embedded::open(&data_dir.join("index"))?))),
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            SearchEngine::Embedded(_) => "tantivy",
            SearchEngine::Meilisearch(_) => "meilisearch",
        }
    }

    /// Its name among the readers of the search outbox: the same for every server that
    /// shares this index.
    pub fn reader_name(&self) -> String {
        match self {
            SearchEngine::Embedded(engine) => engine.reader_name().to_owned(),
            SearchEngine::Meilisearch(engine) => engine.reader_name(),
        }
    }

    /// True when the index was just created (or its format changed) and must be rebuilt
    /// from the database.
    pub async fn is_fresh(&self) -> Result<bool, SearchError> {
        match self {
            SearchEngine::Embedded(engine) => Ok(engine.is_fresh()),
            SearchEngine::Meilisearch(engine) => engine.is_fresh().await,
        }
    }

    /// Whether the index is still the one this process set up (an embedded index is its own;
    /// a Meilisearch index may have been deleted behind our back: it must then be rebuilt).
    pub async fn intact(&self) -> Result<bool, SearchError> {
        match self {
            SearchEngine::Embedded(_) => Ok(true),
            SearchEngine::Meilisearch(engine) => engine.intact().await,
        }
    }

    /// Records that a rebuild went to its end: `is_fresh` is false from now on, here and
    /// after a restart.
    pub async fn mark_built(&self) -> Result<(), SearchError> {
        match self {
            SearchEngine::Embedded(engine) => engine.mark_built(),
            SearchEngine::Meilisearch(engine) => engine.mark_built().await,
        }
    }

    /// Applies `changes` durably: when this returns Ok, a restart keeps them.
    pub async fn apply(&self, changes: Changes) -> Result<(), SearchError> {
        if changes.is_empty() {
            return Ok(());
        }
        match self {
            SearchEngine::Embedded(engine) => {
                let engine = engine.clone();
                blocking(move || engine.apply(changes)).await
            }
            SearchEngine::Meilisearch(engine) => engine.apply(changes).await,
        }
    }

    /// Removes every document of every collection.
    pub async fn clear(&self) -> Result<(), SearchError> {
        match self {
            SearchEngine::Embedded(engine) => {
                let engine = engine.clone();
                blocking(move || engine.clear()).await
            }
            SearchEngine::Meilisearch(engine) => engine.clear().await,
        }
    }

    pub async fn search(&self, collection: Collection, query: &SearchQuery) -> Result<SearchResults, SearchError> {
        match self {
            SearchEngine::Embedded(engine) => {
                let (engine, query) = (engine.clone(), query.clone());
                blocking(move || engine.search(collection, &query)).await
            }
            SearchEngine::Meilisearch(engine) => engine.search(collection, query).await,
        }
    }
}

/// tantivy works synchronously (and uses its own threads to index): off the async workers.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, SearchError> + Send + 'static,
) -> Result<T, SearchError> {
    tokio::task::spawn_blocking(work).await.map_err(|e| SearchError::Index(e.to_string()))?
}
