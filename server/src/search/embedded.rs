//! The embedded engine: a tantivy index in the data directory, in this process.
//!
//! Text is indexed as one field (per collection) of folded words and their stems (title, body
//! and place): a query word matches the words within its typo budget, or starting like it
//! while typing, by the rule of `text::typos` and with the caps of Meilisearch (see
//! `derivations`), and scores by its typos (see `Embedded::query`).
//! Filters on facets are term queries; the numeric conditions (open at, period, distance)
//! and the facet counts are computed in one pass over the matching documents by `Gather`,
//! which then sorts them: at 50,000 offers that pass is far cheaper than a second query.

use super::text::{self, query_words, typo_budget};
use super::typo_automaton::Typos;
use super::{Changes, Collection, Document, Facet, Hit, SearchError, SearchQuery, SearchResults, Sort};
use app::model::distance_km;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, DisjunctionMaxQuery, Occur, Query, TermQuery, TermSetQuery,
};
use tantivy::schema::{FAST, Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions, Value};
use tantivy::{
    DocAddress, DocId, Index, IndexReader, IndexWriter, ReloadPolicy, Score, Searcher, SegmentReader, TantivyDocument,
    Term,
};

/// The file that says a rebuild went to its end.
const BUILT: &str = "complete";
/// The file that names this index as a reader of the search outbox (see `reader_name`).
const READER: &str = "reader";
const FOLDING: &str = "fr_folding";
/// The indexing memory budget: small documents, small batches.
const WRITER_MEMORY: usize = 32 * 1024 * 1024;
/// Documents whose period has no start or no end are indexed with these days.
const OPEN_START: i64 = i64::MIN / 2;
const OPEN_END: i64 = i64::MAX / 2;

struct Fields {
    /// "offers/123": what a document is replaced or deleted by.
    key: Field,
    collection: Field,
    id: Field,
    title: Field,
    body: Field,
    /// Per collection: title, body and place, their words and the stems of their words. A
    /// field of its own per collection, as Meilisearch has an index per collection: the words
    /// a query word derives to (and their caps, see `derivations`) are the collection's own.
    folds: Vec<(Collection, Field)>,
    facets: Vec<(Facet, Field)>,
    lat: Field,
    lon: Field,
    published_at: Field,
    expires_at: Field,
    start_day: Field,
    end_day: Field,
    popularity: Field,
    seq: Field,
}

impl Fields {
    fn fold(&self, collection: Collection) -> Field {
        self.folds.iter().find(|(c, _)| *c == collection).map(|(_, field)| *field).expect("a field per collection")
    }
}

fn schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let indexed = |tokenizer: &str| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default().set_tokenizer(tokenizer).set_index_option(IndexRecordOption::WithFreqs),
        )
    };
    let fields = Fields {
        key: builder.add_text_field("key", STRING),
        collection: builder.add_text_field("collection", STRING),
        id: builder.add_text_field("id", STRING | STORED),
        title: builder.add_text_field("title", STORED),
        body: builder.add_text_field("body", STORED),
        folds: Collection::ALL
            .iter()
            .map(|c| (*c, builder.add_text_field(&format!("fold_{}", c.name()), indexed(FOLDING))))
            .collect(),
        facets: Facet::ALL.iter().map(|f| (*f, builder.add_text_field(f.field(), STRING | FAST))).collect(),
        lat: builder.add_f64_field("lat", FAST),
        lon: builder.add_f64_field("lon", FAST),
        // Numbers are read per matching document (see `Gather`), never searched.
        published_at: builder.add_i64_field("published_at", FAST),
        expires_at: builder.add_i64_field("expires_at", FAST),
        start_day: builder.add_i64_field("start_day", FAST),
        end_day: builder.add_i64_field("end_day", FAST),
        popularity: builder.add_i64_field("popularity", FAST),
        seq: builder.add_i64_field("seq", FAST),
    };
    (builder.build(), fields)
}

/// The tantivy index and its single writer.
pub struct Embedded {
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    fields: Fields,
    /// Not (or no longer) known to hold the whole database: it must be rebuilt.
    fresh: AtomicBool,
    dir: PathBuf,
    reader_name: String,
}

/// "tantivy-" and 16 random hexadecimal digits: unique among the indexes of one database.
fn new_reader_name() -> String {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).expect("the operating system has no random source");
    format!("tantivy-{}", hex::encode(bytes))
}

fn index_error(error: impl std::fmt::Display) -> SearchError {
    SearchError::Index(error.to_string())
}

impl Embedded {
    /// Opens the index in `dir`, creating it when missing. An index of another format (an
    /// older schema) is derived data: it is replaced by an empty one, to be rebuilt.
    pub fn open(dir: &Path) -> Result<Self, SearchError> {
        let (schema, fields) = schema();
        std::fs::create_dir_all(dir).map_err(index_error)?;
        let existing = Index::open_in_dir(dir).ok().filter(|index| index.schema() == schema);
        let fresh = existing.is_none() || !dir.join(BUILT).exists();
        // The name outlives a change of format: the index stays the same reader.
        let reader_name = match std::fs::read_to_string(dir.join(READER)) {
            Ok(name) if !name.trim().is_empty() => name.trim().to_owned(),
            _ => new_reader_name(),
        };
        let index = match existing {
            Some(index) => index,
            None => {
                std::fs::remove_dir_all(dir).map_err(index_error)?;
                std::fs::create_dir_all(dir).map_err(index_error)?;
                Index::create_in_dir(dir, schema).map_err(index_error)?
            }
        };
        std::fs::write(dir.join(READER), &reader_name).map_err(index_error)?;
        index.tokenizers().register(FOLDING, text::folding());
        let writer = index.writer_with_num_threads(1, WRITER_MEMORY).map_err(|error| match error {
            tantivy::TantivyError::LockFailure(..) => SearchError::Locked(dir.display().to_string()),
            other => index_error(other),
        })?;
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into().map_err(index_error)?;
        Ok(Self {
            reader,
            writer: Mutex::new(writer),
            fields,
            fresh: AtomicBool::new(fresh),
            dir: dir.to_owned(),
            reader_name,
        })
    }

    /// This index's name among the readers of the search outbox: each instance of the server
    /// has an index of its own, which must get every update (see migration 0015).
    pub fn reader_name(&self) -> &str {
        &self.reader_name
    }

    pub fn is_fresh(&self) -> bool {
        self.fresh.load(Ordering::Acquire)
    }

    /// Records that the index holds the whole database (after a rebuild): a restart, even
    /// after a crash in the middle of a rebuild, then knows whether to rebuild.
    pub fn mark_built(&self) -> Result<(), SearchError> {
        std::fs::write(self.dir.join(BUILT), b"").map_err(index_error)?;
        self.fresh.store(false, Ordering::Release);
        Ok(())
    }

    fn key(collection: Collection, id: &str) -> String {
        format!("{}/{id}", collection.name())
    }

    fn document(&self, doc: &Document) -> TantivyDocument {
        let f = &self.fields;
        let mut out = TantivyDocument::default();
        out.add_text(f.key, Self::key(doc.collection, &doc.id));
        out.add_text(f.collection, doc.collection.name());
        out.add_text(f.id, &doc.id);
        out.add_text(f.title, &doc.title);
        out.add_text(f.body, &doc.body);
        let fold = f.fold(doc.collection);
        for text in [&doc.title, &doc.body, &doc.place] {
            out.add_text(fold, text);
        }
        out.add_text(fold, doc.stems());
        for (facet, field) in &f.facets {
            if let Some(value) = doc.facet(*facet) {
                out.add_text(*field, value);
            }
        }
        if let Some((lat, lon)) = doc.location {
            out.add_f64(f.lat, lat);
            out.add_f64(f.lon, lon);
        }
        out.add_i64(f.published_at, doc.published_at);
        out.add_i64(f.expires_at, doc.expires_at.unwrap_or(i64::MAX));
        out.add_i64(f.start_day, doc.start_day.unwrap_or(OPEN_START));
        out.add_i64(f.end_day, doc.end_day.unwrap_or(OPEN_END));
        out.add_i64(f.popularity, doc.popularity);
        out.add_i64(f.seq, doc.seq);
        out
    }

    fn writer(&self) -> Result<std::sync::MutexGuard<'_, IndexWriter>, SearchError> {
        self.writer.lock().map_err(|_| SearchError::Index("l'écriture de l'index a échoué plus tôt".to_owned()))
    }

    /// Replaces or removes documents and commits: once this returns, the change survives a crash.
    pub fn apply(&self, changes: Changes) -> Result<(), SearchError> {
        let mut writer = self.writer()?;
        for (collection, id) in &changes.deletes {
            writer.delete_term(Term::from_field_text(self.fields.key, &Self::key(*collection, id)));
        }
        for doc in &changes.upserts {
            writer.delete_term(Term::from_field_text(self.fields.key, &Self::key(doc.collection, &doc.id)));
            writer.add_document(self.document(doc)).map_err(index_error)?;
        }
        self.commit(&mut writer)
    }

    pub fn clear(&self) -> Result<(), SearchError> {
        self.fresh.store(true, Ordering::Release);
        match std::fs::remove_file(self.dir.join(BUILT)) {
            Err(error) if error.kind() != std::io::ErrorKind::NotFound => return Err(index_error(error)),
            _ => {}
        }
        let mut writer = self.writer()?;
        writer.delete_all_documents().map_err(index_error)?;
        self.commit(&mut writer)
    }

    fn commit(&self, writer: &mut IndexWriter) -> Result<(), SearchError> {
        if let Err(error) = writer.commit() {
            // What was not committed is dropped; the outbox still holds it.
            let _ = writer.rollback();
            return Err(index_error(error));
        }
        self.reader.reload().map_err(index_error)
    }

    /// The query of `text` and the filters (numeric conditions are `Gather`'s).
    fn query(
        &self,
        searcher: &Searcher,
        collection: Collection,
        query: &SearchQuery,
    ) -> tantivy::Result<Box<dyn Query>> {
        let f = &self.fields;
        // Filters score nothing: only the words' typos order the hits (a facet value's own
        // weight would otherwise rank one kind of offer above another).
        let unscored = |query: Box<dyn Query>| -> Box<dyn Query> { Box::new(ConstScoreQuery::new(query, 0.0)) };
        let mut must: Vec<(Occur, Box<dyn Query>)> = vec![(
            Occur::Must,
            unscored(Box::new(TermQuery::new(
                Term::from_field_text(f.collection, collection.name()),
                IndexRecordOption::Basic,
            ))),
        )];
        for (facet, values) in &query.filters {
            let Some((_, field)) = f.facets.iter().find(|(x, _)| x == facet) else { continue };
            let any: Vec<(Occur, Box<dyn Query>)> = values
                .iter()
                .map(|v| {
                    let term = TermQuery::new(Term::from_field_text(*field, v), IndexRecordOption::Basic);
                    (Occur::Should, Box::new(term) as Box<dyn Query>)
                })
                .collect();
            must.push((Occur::Must, unscored(Box::new(BooleanQuery::new(any)))));
        }
        let words = query_words(&query.text);
        let last = words.len().saturating_sub(1);
        let scored = query.sort == Sort::Relevance;
        let field = f.fold(collection);
        for (i, word) in words.iter().enumerate() {
            let by_typos = derivations(searcher, field, &text::searched_form(word), query.prefix && i == last)?;
            let terms = |words: &[String]| words.iter().map(|w| Term::from_field_text(field, w)).collect::<Vec<_>>();
            // Scored, each word gives 3 less its typos, the fewest of its matches: the sum
            // orders the hits by their typos, as Meilisearch's `typo` rule does.
            let word_query: Box<dyn Query> = if scored {
                let costs = (0u8..)
                    .zip(&by_typos)
                    .filter(|(_, words)| !words.is_empty())
                    .map(|(typos, words)| {
                        let set = Box::new(TermSetQuery::new(terms(words)));
                        Box::new(BoostQuery::new(set, f32::from(3 - typos))) as Box<dyn Query>
                    })
                    .collect();
                Box::new(DisjunctionMaxQuery::new(costs))
            } else {
                Box::new(TermSetQuery::new(terms(&by_typos.concat())))
            };
            must.push((Occur::Must, word_query));
        }
        if must.len() == 1 && words.is_empty() && query.filters.is_empty() {
            must.push((Occur::Must, Box::new(AllQuery)));
        }
        Ok(Box::new(BooleanQuery::new(must)))
    }

    pub fn search(&self, collection: Collection, query: &SearchQuery) -> Result<SearchResults, SearchError> {
        let searcher = self.reader.searcher();
        let gather = Gather { query, scored: query.sort == Sort::Relevance && !query_words(&query.text).is_empty() };
        let tantivy_query = self.query(&searcher, collection, query).map_err(index_error)?;
        let (mut found, counts) = searcher.search(&*tantivy_query, &gather).map_err(index_error)?;
        let total = found.len();
        let per_page = query.per_page.max(1);
        let start = (query.page.max(1) - 1).saturating_mul(per_page).min(total);
        let end = (start + per_page).min(total);
        sort(&mut found, query.sort, end);
        let mut highlighter = text::Highlighter::new(&query_words(&query.text), query.prefix);
        let mut hits = Vec::with_capacity(end - start);
        for record in &found[start..end] {
            let doc: TantivyDocument = searcher.doc(record.address).map_err(index_error)?;
            let stored = |field: Field| doc.get_first(field).and_then(|v| v.as_str()).unwrap_or_default().to_owned();
            let (title, snippet) = highlighter.title_and_snippet(&stored(self.fields.title), &stored(self.fields.body));
            hits.push(Hit { id: stored(self.fields.id), distance_km: record.distance, title, snippet });
        }
        let facets = query
            .facets
            .iter()
            .map(|facet| {
                let values =
                    counts.get(facet).map(|m| m.iter().map(|(v, n)| (v.clone(), *n)).collect()).unwrap_or_default();
                (*facet, super::most_frequent_first(values))
            })
            .collect();
        Ok(SearchResults { total, hits, facets })
    }
}

/// Meilisearch's caps on the words one query word derives to: beyond them, the next words in
/// alphabetical order are left out (limits.rs of milli). Kept here so that both engines find
/// the same documents for a short word being typed (« montp » derives to hundreds of words).
const MAX_ONE_TYPO_WORDS: usize = 150;
const MAX_TWO_TYPOS_WORDS: usize = 50;

/// The words of `field` that the searched form `form` matches, by the typos they cost (0, 1,
/// 2; see `text::typos`), in alphabetical (byte) order and capped as Meilisearch caps them.
fn derivations(searcher: &Searcher, field: Field, form: &str, prefix: bool) -> tantivy::Result<[Vec<String>; 3]> {
    let automaton = Typos::new(form, typo_budget(form), prefix);
    let mut words = BTreeSet::new();
    for segment in searcher.segment_readers() {
        let index = segment.inverted_index(field)?;
        let mut stream = index.terms().search(&automaton).into_stream()?;
        while stream.advance() {
            words.insert(stream.key().to_vec());
        }
    }
    let mut out: [Vec<String>; 3] = Default::default();
    for word in words {
        let Ok(word) = String::from_utf8(word) else { continue };
        let Some(typos) = text::typos(form, &word, prefix) else { continue };
        let cap = match typos {
            0 => usize::MAX,
            1 => MAX_ONE_TYPO_WORDS,
            _ => MAX_TWO_TYPOS_WORDS,
        };
        let class = &mut out[usize::from(typos.min(2))];
        if class.len() < cap {
            class.push(word);
        }
    }
    Ok(out)
}

/// A matching document, with what it is sorted by.
struct Found {
    score: Score,
    popularity: i64,
    published: i64,
    seq: i64,
    distance: Option<f64>,
    address: DocAddress,
}

/// Puts the first `until` documents of `order` in place, in order (the rest stays unsorted:
/// a page is all that is read, and tens of thousands of matches need not be sorted for it).
fn sort(found: &mut [Found], order: Sort, until: usize) {
    use std::cmp::Ordering;
    fn newest(a: &Found, b: &Found) -> Ordering {
        b.published.cmp(&a.published).then(b.seq.cmp(&a.seq))
    }
    let compare = |a: &Found, b: &Found| match order {
        Sort::Relevance => b
            .score
            .partial_cmp(&a.score)
            .unwrap_or(Ordering::Equal)
            .then(b.popularity.cmp(&a.popularity))
            .then_with(|| newest(a, b)),
        Sort::Newest => newest(a, b),
        Sort::Nearest => {
            let (x, y) = (a.distance.unwrap_or(f64::MAX), b.distance.unwrap_or(f64::MAX));
            x.partial_cmp(&y).unwrap_or(Ordering::Equal).then_with(|| newest(a, b))
        }
    };
    if until == 0 {
        return;
    }
    if until < found.len() {
        found.select_nth_unstable_by(until - 1, compare);
    }
    found[..until].sort_by(compare);
}

/// A rectangle holding every point within `near.radius_km` of `near`, a little wider than
/// needed (never narrower); None where it would wrap around a pole or the antimeridian.
fn around(near: super::Near) -> Option<app::model::Bounds> {
    // A degree of latitude is 111.19 km on the sphere of `distance_km`; 111 keeps a margin.
    let dlat = near.radius_km / 111.0;
    let widest = (near.lat.abs() + dlat).to_radians().cos();
    if !dlat.is_finite() || widest <= 0.01 {
        return None;
    }
    let dlon = dlat / widest;
    app::model::Bounds::new(near.lon - dlon, near.lat - dlat, near.lon + dlon, near.lat + dlat).ok()
}

/// Facet value → documents, per facet.
type Counts = HashMap<Facet, HashMap<String, usize>>;

/// Keeps the documents that meet the numeric conditions, with their sort keys, and counts
/// their facet values.
struct Gather<'q> {
    query: &'q SearchQuery,
    scored: bool,
}

struct GatherSegment {
    segment: u32,
    numbers: Numbers,
    near: Option<super::Near>,
    /// A rectangle holding the circle of `near`: most documents fail this cheap test before
    /// any trigonometry.
    near_box: Option<app::model::Bounds>,
    within: Option<app::model::Bounds>,
    open_at: Option<i64>,
    overlap: Option<(i64, i64)>,
    facets: Vec<(Facet, StrColumn, Vec<usize>)>,
    found: Vec<Found>,
}

struct Numbers {
    lat: Column<f64>,
    lon: Column<f64>,
    published: Column<i64>,
    expires: Column<i64>,
    start: Column<i64>,
    end: Column<i64>,
    popularity: Column<i64>,
    seq: Column<i64>,
}

impl Collector for Gather<'_> {
    type Fruit = (Vec<Found>, Counts);
    type Child = GatherSegment;

    fn for_segment(&self, segment: u32, reader: &SegmentReader) -> tantivy::Result<GatherSegment> {
        let fast = reader.fast_fields();
        // A segment where no document has a value has no column: read it as empty.
        let docs = reader.max_doc();
        let real = |name: &str| -> tantivy::Result<Column<f64>> {
            Ok(fast.column_opt(name)?.unwrap_or_else(|| Column::build_empty_column(docs)))
        };
        let int = |name: &str| -> tantivy::Result<Column<i64>> {
            Ok(fast.column_opt(name)?.unwrap_or_else(|| Column::build_empty_column(docs)))
        };
        let numbers = Numbers {
            lat: real("lat")?,
            lon: real("lon")?,
            published: int("published_at")?,
            expires: int("expires_at")?,
            start: int("start_day")?,
            end: int("end_day")?,
            popularity: int("popularity")?,
            seq: int("seq")?,
        };
        let mut facets = Vec::new();
        for facet in &self.query.facets {
            if let Some(column) = fast.str(facet.field())? {
                let terms = column.num_terms();
                facets.push((*facet, column, vec![0; terms]));
            }
        }
        let overlap = self.query.overlap.map(|(from, to)| (from.unwrap_or(OPEN_START), to.unwrap_or(OPEN_END)));
        Ok(GatherSegment {
            segment,
            numbers,
            near: self.query.near,
            near_box: self.query.near.and_then(around),
            within: self.query.within,
            open_at: self.query.open_at,
            overlap,
            facets,
            found: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        self.scored
    }

    fn merge_fruits(&self, fruits: Vec<(Vec<Found>, Counts)>) -> tantivy::Result<Self::Fruit> {
        let mut all = Vec::new();
        let mut counts = Counts::new();
        for (found, segment_counts) in fruits {
            all.extend(found);
            for (facet, values) in segment_counts {
                let merged = counts.entry(facet).or_default();
                for (value, n) in values {
                    *merged.entry(value).or_default() += n;
                }
            }
        }
        Ok((all, counts))
    }
}

impl SegmentCollector for GatherSegment {
    type Fruit = (Vec<Found>, Counts);

    fn collect(&mut self, doc: DocId, score: Score) {
        let n = &self.numbers;
        if let Some(at) = self.open_at
            && n.expires.first(doc).unwrap_or(i64::MAX) <= at
        {
            return;
        }
        if let Some((from, to)) = self.overlap
            && (n.end.first(doc).unwrap_or(OPEN_END) < from || n.start.first(doc).unwrap_or(OPEN_START) > to)
        {
            return;
        }
        if let Some(zone) = &self.within {
            let (Some(lat), Some(lon)) = (n.lat.first(doc), n.lon.first(doc)) else { return };
            if !zone.contains(lon, lat) {
                return;
            }
        }
        let distance = match self.near {
            Some(near) => {
                let (Some(lat), Some(lon)) = (n.lat.first(doc), n.lon.first(doc)) else { return };
                if self.near_box.is_some_and(|b| !b.contains(lon, lat)) {
                    return;
                }
                let km = distance_km(near.lat, near.lon, lat, lon);
                if km > near.radius_km {
                    return;
                }
                Some(km)
            }
            None => None,
        };
        for (_, column, counts) in &mut self.facets {
            for ord in column.term_ords(doc) {
                if let Some(count) = counts.get_mut(ord as usize) {
                    *count += 1;
                }
            }
        }
        self.found.push(Found {
            score,
            popularity: n.popularity.first(doc).unwrap_or_default(),
            published: n.published.first(doc).unwrap_or_default(),
            seq: n.seq.first(doc).unwrap_or_default(),
            distance,
            address: DocAddress::new(self.segment, doc),
        });
    }

    fn harvest(self) -> Self::Fruit {
        let mut counts = Counts::new();
        for (facet, column, ords) in self.facets {
            let values = counts.entry(facet).or_default();
            let mut value = String::new();
            for (ord, n) in ords.into_iter().enumerate().filter(|(_, n)| *n > 0) {
                value.clear();
                if column.ord_to_str(ord as u64, &mut value).unwrap_or(false) {
                    *values.entry(value.clone()).or_default() += n;
                }
            }
        }
        (self.found, counts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::model::distance_km;

    #[test]
    fn the_box_around_a_circle_holds_all_of_it() {
        for (lat, lon, radius_km) in [(44.1, 3.08, 30.0), (43.6, 1.44, 300.0), (-33.9, 151.2, 50.0), (60.0, 10.0, 10.0)]
        {
            let b = around(super::super::Near { lat, lon, radius_km }).unwrap();
            // Points on the circle, every 5 degrees of bearing, are inside the box.
            for step in 0..72 {
                let bearing = f64::from(step * 5).to_radians();
                let (dlat, dlon) = (bearing.cos() * radius_km / 111.19, bearing.sin() * radius_km / 111.19);
                let (y, x) = (lat + dlat * 0.999, lon + dlon * 0.999 / lat.to_radians().cos());
                if distance_km(lat, lon, y, x) <= radius_km {
                    assert!(b.contains(x, y), "({y}, {x}) within {radius_km} km of ({lat}, {lon}) is outside {b:?}");
                }
            }
        }
        assert_eq!(around(super::super::Near { lat: 89.9, lon: 0.0, radius_km: 100.0 }), None);
    }
}
