//! The search contract, run against each engine: tantivy, and a real Meilisearch (meili.rs).
//! The same cases, unchanged, for both: accents and
//! stems, the typo budget, prefixes, facets and their counts, filters, radius and distance
//! order, period overlap, expiry, highlights, stable pages, replace and delete.
//!
//! The documents stand on real communes of the imported data (Rodez, Millau, Saint-Affrique,
//! Toulouse, Montpellier, Béziers, Mende), at their real coordinates.

use crate::helpers::*;
use crate::meili::MeiliServer;
use server::db::Database;
use server::search::documents::{self, Scope};
use server::search::{Changes, Collection, Document, Facet, Near, SearchEngine, SearchQuery, SearchResults, Sort};
use std::collections::HashMap;

const RODEZ: &str = "12202";
const MILLAU: &str = "12145";
const SAINT_AFFRIQUE: &str = "12208";
const TOULOUSE: &str = "31555";
const MONTPELLIER: &str = "34172";
const BEZIERS: &str = "34032";
const MENDE: &str = "48095";

/// The engine a case runs on: every case is one test per engine, named after it
/// (`search_engine::tantivy::…`, `search_engine::meilisearch::…`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Tantivy,
    Meilisearch,
}

/// What an engine lives on (its directory, its Meilisearch server), kept as long as it is used.
struct Held {
    _dir: tempfile::TempDir,
    _server: Option<MeiliServer>,
}

/// A new, empty engine of `kind`.
async fn open(kind: Kind) -> (SearchEngine, Held) {
    let dir = tempfile::tempdir().unwrap();
    match kind {
        Kind::Tantivy => (SearchEngine::open(dir.path(), None).unwrap(), Held { _dir: dir, _server: None }),
        Kind::Meilisearch => {
            let (settings, server) = crate::meili::settings("conformance").await;
            (SearchEngine::open(dir.path(), Some(&settings)).unwrap(), Held { _dir: dir, _server: server })
        }
    }
}

/// The real communes of the cases, read from the imported data.
async fn communes() -> (HashMap<String, Document>, TestDb) {
    let test_db = imported_db().await;
    let db = Database::connect(&test_db.url).await.unwrap();
    let codes: Vec<String> =
        [RODEZ, MILLAU, SAINT_AFFRIQUE, TOULOUSE, MONTPELLIER, BEZIERS, MENDE].iter().map(|c| c.to_string()).collect();
    let found = documents::communes(&db, Scope::Keys(&codes)).await.unwrap();
    db.pool.close().await;
    (found.into_iter().map(|(code, doc)| (code, doc.unwrap())).collect(), test_db)
}

/// An offer document at `commune`.
struct Offer {
    id: i64,
    title: &'static str,
    body: &'static str,
    commune: &'static str,
    kind: &'static str,
    specialty: &'static str,
    housing: &'static str,
    published_at: i64,
    period: (Option<i64>, Option<i64>),
    expires_at: Option<i64>,
}

impl Default for Offer {
    fn default() -> Self {
        Self {
            id: 0,
            title: "",
            body: "",
            commune: RODEZ,
            kind: "remplacement",
            specialty: "medecine_generale",
            housing: "non",
            published_at: 1_700_000_000,
            period: (None, None),
            expires_at: None,
        }
    }
}

fn offer(communes: &HashMap<String, Document>, o: Offer) -> Document {
    let commune = &communes[o.commune];
    let mut facets = vec![
        (Facet::Kind, o.kind.to_owned()),
        (Facet::Specialty, o.specialty.to_owned()),
        (Facet::Housing, o.housing.to_owned()),
        (Facet::Departement, commune.facet(Facet::Departement).unwrap().to_owned()),
    ];
    if let Some(zonage) = commune.facet(Facet::Zonage) {
        facets.push((Facet::Zonage, zonage.to_owned()));
    }
    Document {
        collection: Collection::Offers,
        id: o.id.to_string(),
        title: o.title.to_owned(),
        body: o.body.to_owned(),
        place: format!("{} {}", commune.title, commune.place),
        facets,
        location: commune.location,
        published_at: o.published_at,
        expires_at: o.expires_at,
        start_day: o.period.0,
        end_day: o.period.1,
        popularity: 0,
        seq: o.id,
    }
}

/// The offers most cases search.
fn offers(communes: &HashMap<String, Document>) -> Vec<Document> {
    let o = |id, title, body, commune, kind| Offer {
        id,
        title,
        body,
        commune,
        kind,
        published_at: 1_700_000_000 + id,
        ..Offer::default()
    };
    vec![
        offer(
            communes,
            o(
                1,
                "Médecin généraliste en MSP à Rodez",
                "Maison de santé pluriprofessionnelle, secrétariat sur place.",
                RODEZ,
                "installation",
            ),
        ),
        offer(
            communes,
            o(
                2,
                "Remplacement de médecine générale",
                "Cabinet de groupe au centre-ville, patientèle fidèle.",
                RODEZ,
                "remplacement",
            ),
        ),
        offer(
            communes,
            o(3, "Remplacement régulier à Millau", "Deux jours par semaine, logement fourni.", MILLAU, "remplacement"),
        ),
        offer(
            communes,
            o(
                4,
                "Collaboration en cabinet",
                "Un cabinet de deux médecins cherche un troisième associé.",
                SAINT_AFFRIQUE,
                "installation",
            ),
        ),
        offer(
            communes,
            o(5, "Salariat en centre de santé", "Centre de santé municipal, médecins salariés.", TOULOUSE, "salariat"),
        ),
        offer(
            communes,
            o(6, "Stage SASPAS", "Maîtres de stage universitaires, transport pris en charge.", MONTPELLIER, "stage"),
        ),
        offer(
            communes,
            o(7, "Pédiatre à Béziers", "Exercice mixte entre l'hôpital et le cabinet.", BEZIERS, "exercice_mixte"),
        ),
        offer(
            communes,
            o(
                8,
                "Installation en Lozère",
                "Succession d'un médecin généraliste qui part à la retraite.",
                MENDE,
                "installation",
            ),
        ),
    ]
}

async fn with_documents(engine: &SearchEngine, documents: Vec<Document>) {
    engine.clear().await.unwrap();
    engine.apply(Changes { upserts: documents, deletes: Vec::new() }).await.unwrap();
}

async fn find(engine: &SearchEngine, collection: Collection, query: SearchQuery) -> SearchResults {
    let query = SearchQuery {
        page: query.page.max(1),
        per_page: if query.per_page == 0 { 50 } else { query.per_page },
        ..query
    };
    engine.search(collection, &query).await.unwrap()
}

fn text(text: &str) -> SearchQuery {
    SearchQuery { text: text.to_owned(), ..SearchQuery::default() }
}

fn ids(found: &SearchResults) -> Vec<&str> {
    found.hits.iter().map(|h| h.id.as_str()).collect()
}

/// A fresh engine of `kind` holding the communes and the offers.
async fn loaded(kind: Kind) -> (SearchEngine, HashMap<String, Document>, Held, TestDb) {
    let (communes, db) = communes().await;
    let (engine, held) = open(kind).await;
    let mut all: Vec<Document> = communes.values().cloned().collect();
    all.extend(offers(&communes));
    with_documents(&engine, all).await;
    (engine, communes, held, db)
}

async fn accents_case_and_word_forms_do_not_matter(kind: Kind) {
    let (engine, _communes, _held, _db) = loaded(kind).await;
    for query in ["medecin generaliste", "MÉDECIN GÉNÉRALISTE", "médecins généralistes"] {
        let found = find(&engine, Collection::Offers, text(query)).await;
        assert!(ids(&found).contains(&"1"), "{query}: {:?}", ids(&found));
    }
    // « médecine » (offer 2) and « médecin » (offers 1 and 8) share their stem.
    let found = find(&engine, Collection::Offers, text("médecine")).await;
    for id in ["1", "2", "8"] {
        assert!(ids(&found).contains(&id), "médecine → {id}: {:?}", ids(&found));
    }
    let found = find(&engine, Collection::Communes, text("beziers")).await;
    assert_eq!(ids(&found).first(), Some(&BEZIERS));
}

async fn one_typo_is_forgiven_from_five_letters_and_two_from_nine(kind: Kind) {
    let (engine, _communes, _held, _db) = loaded(kind).await;
    // The word with typos comes first: only the last word is read as a prefix.
    let first = |found: &SearchResults| found.hits.first().map(|h| h.id.clone());
    let found = find(&engine, Collection::Communes, text("rodes aveyron")).await;
    assert_eq!(first(&found).as_deref(), Some(RODEZ), "one typo in five letters");
    let found = find(&engine, Collection::Communes, text("bziers herault")).await;
    assert_eq!(first(&found).as_deref(), Some(BEZIERS), "one typo in six letters");
    let found = find(&engine, Collection::Communes, text("montplier herault")).await;
    assert_eq!(first(&found).as_deref(), Some(MONTPELLIER), "two typos in nine letters");
    let found = find(&engine, Collection::Communes, text("bzirs herault")).await;
    assert!(!ids(&found).contains(&BEZIERS), "two typos in five letters are too many: {:?}", ids(&found));
    let found = find(&engine, Collection::Communes, text("mnteplier herault")).await;
    assert!(!ids(&found).contains(&MONTPELLIER), "three typos are too many: {:?}", ids(&found));
}

async fn the_last_word_is_a_prefix_while_typing(kind: Kind) {
    let (engine, _communes, _held, _db) = loaded(kind).await;
    let typing = |t: &str| SearchQuery { prefix: true, ..text(t) };
    let found = find(&engine, Collection::Communes, typing("montpel")).await;
    assert_eq!(ids(&found).first(), Some(&MONTPELLIER));
    let found = find(&engine, Collection::Communes, typing("saint affr")).await;
    assert_eq!(ids(&found).first(), Some(&SAINT_AFFRIQUE));
    let found = find(&engine, Collection::Communes, typing("st affrique")).await;
    assert_eq!(ids(&found).first(), Some(&SAINT_AFFRIQUE), "« st » is « saint »");
    let found = find(&engine, Collection::Communes, typing("1200")).await;
    assert_eq!(ids(&found), [RODEZ], "the start of Rodez' postal code");
}

async fn facet_counts_equal_the_number_of_matching_documents(kind: Kind) {
    let (engine, _communes, _held, _db) = loaded(kind).await;
    let all = Facet::ALL.to_vec();
    let found = find(&engine, Collection::Offers, SearchQuery { facets: all.clone(), ..SearchQuery::default() }).await;
    assert_eq!(found.total, 8);
    for facet in [Facet::Kind, Facet::Specialty, Facet::Departement, Facet::Housing] {
        let (_, counts) = found.facets.iter().find(|(f, _)| *f == facet).unwrap();
        assert_eq!(counts.iter().map(|(_, n)| n).sum::<usize>(), found.total, "{facet:?}: {counts:?}");
    }
    assert_eq!(found.count(Facet::Kind, "installation"), 3);
    assert_eq!(found.count(Facet::Kind, "remplacement"), 2);
    assert_eq!(found.count(Facet::Departement, "12"), 4);
    // Counted over the matches, with the filters applied.
    let query =
        SearchQuery { filters: vec![(Facet::Departement, vec!["12".to_owned()])], facets: all, ..text("remplacement") };
    let found = find(&engine, Collection::Offers, query).await;
    assert_eq!(found.total, 2, "{:?}", ids(&found));
    assert_eq!(found.count(Facet::Kind, "remplacement"), 2);
    assert_eq!(found.count(Facet::Departement, "12"), 2);
    assert_eq!(found.count(Facet::Departement, "31"), 0);
}

async fn filters_combine_with_and_and_values_with_or(kind: Kind) {
    let (engine, _communes, _held, _db) = loaded(kind).await;
    let filters = |filters: Vec<(Facet, Vec<&str>)>| SearchQuery {
        filters: filters.into_iter().map(|(f, v)| (f, v.into_iter().map(str::to_owned).collect())).collect(),
        sort: Sort::Newest,
        ..SearchQuery::default()
    };
    let found = find(&engine, Collection::Offers, filters(vec![(Facet::Kind, vec!["installation"])])).await;
    assert_eq!(ids(&found), ["8", "4", "1"], "newest first");
    let query = filters(vec![(Facet::Kind, vec!["installation"]), (Facet::Departement, vec!["12"])]);
    assert_eq!(ids(&find(&engine, Collection::Offers, query).await), ["4", "1"]);
    let query = filters(vec![(Facet::Departement, vec!["31", "34"])]);
    assert_eq!(ids(&find(&engine, Collection::Offers, query).await), ["7", "6", "5"]);
    let query = filters(vec![(Facet::Kind, vec!["assistanat"])]);
    assert_eq!(find(&engine, Collection::Offers, query).await.total, 0);
    let query = SearchQuery { filters: vec![(Facet::Departement, vec!["48".to_owned()])], ..SearchQuery::default() };
    assert_eq!(ids(&find(&engine, Collection::Communes, query).await), [MENDE]);
}

async fn a_radius_keeps_what_is_near_and_sorts_by_distance(kind: Kind) {
    let (engine, communes, _held, _db) = loaded(kind).await;
    let (lat, lon) = communes[MILLAU].location.unwrap();
    let query =
        SearchQuery { near: Some(Near { lat, lon, radius_km: 30.0 }), sort: Sort::Nearest, ..SearchQuery::default() };
    let found = find(&engine, Collection::Offers, query).await;
    assert_eq!(ids(&found), ["3", "4"], "Millau, then Saint-Affrique; Rodez is farther than 30 km");
    let distances: Vec<f64> = found.hits.iter().map(|h| h.distance_km.unwrap()).collect();
    assert!(distances[0] < 1.0 && distances[1] <= 30.0 && distances[0] <= distances[1], "{distances:?}");
    let found = find(
        &engine,
        Collection::Communes,
        SearchQuery { near: Some(Near { lat, lon, radius_km: 30.0 }), ..SearchQuery::default() },
    )
    .await;
    for hit in &found.hits {
        let (x, y) = communes[hit.id.as_str()].location.unwrap();
        assert!(app::model::distance_km(lat, lon, x, y) <= 30.0, "{} is farther than 30 km", hit.id);
    }
    assert_eq!(ids(&found).len(), 2, "{:?}", ids(&found));
}

async fn an_area_keeps_what_is_inside_it(kind: Kind) {
    let (engine, communes, _held, _db) = loaded(kind).await;
    // South of Aveyron: Millau and Saint-Affrique are inside, Rodez (44.35° N) is not.
    let zone = app::model::Bounds::new(2.8, 43.9, 3.2, 44.2).unwrap();
    let query = SearchQuery { within: Some(zone), sort: Sort::Newest, ..SearchQuery::default() };
    let found = find(&engine, Collection::Offers, query).await;
    let mut found_ids = ids(&found);
    found_ids.sort();
    assert_eq!(found_ids, ["3", "4"]);
    for hit in &found.hits {
        assert!(hit.distance_km.is_none(), "an area alone gives no distance");
    }
    let query = SearchQuery { within: Some(zone), ..SearchQuery::default() };
    for hit in find(&engine, Collection::Communes, query).await.hits {
        let (lat, lon) = communes[hit.id.as_str()].location.unwrap();
        assert!(zone.contains(lon, lat), "{} is outside the area", hit.id);
    }
}

async fn periods_overlap_and_expired_documents_are_left_out(kind: Kind) {
    let (communes, _db) = communes().await;
    let (engine, _held) = open(kind).await;
    let july = 20_635; // 2026-07-01, in days since 1970-01-01
    let period = |id, start, end| {
        offer(&communes, Offer { id, title: "Remplacement d'été", period: (start, end), ..Offer::default() })
    };
    let mut docs = vec![
        period(1, Some(july), Some(july + 61)),
        period(2, Some(july + 92), Some(july + 120)),
        period(3, None, Some(july + 10)),
        period(4, Some(july + 200), None),
        period(5, None, None),
    ];
    docs.push(offer(
        &communes,
        Offer { id: 6, title: "Remplacement d'été", expires_at: Some(1_000), ..Offer::default() },
    ));
    with_documents(&engine, docs).await;
    let overlap = |from, to| SearchQuery {
        overlap: Some((from, to)),
        open_at: Some(2_000),
        sort: Sort::Newest,
        ..SearchQuery::default()
    };
    let mut found = ids(&find(&engine, Collection::Offers, overlap(Some(july + 30), Some(july + 40))).await)
        .iter()
        .map(|s| s.to_string())
        .collect::<Vec<_>>();
    found.sort();
    assert_eq!(found, ["1", "5"], "July–August and the open-ended one");
    let mut found = ids(&find(&engine, Collection::Offers, overlap(None, Some(july))).await)
        .iter()
        .map(|s| s.to_string())
        .collect::<Vec<_>>();
    found.sort();
    assert_eq!(found, ["1", "3", "5"]);
    let all = find(&engine, Collection::Offers, SearchQuery { open_at: Some(2_000), ..SearchQuery::default() }).await;
    assert_eq!(all.total, 5, "offer 6 expired at 1000");
    let all = find(&engine, Collection::Offers, SearchQuery { open_at: Some(500), ..SearchQuery::default() }).await;
    assert_eq!(all.total, 6);
}

async fn matches_are_highlighted_in_the_title_and_the_snippet(kind: Kind) {
    let (engine, _communes, _held, _db) = loaded(kind).await;
    let found = find(&engine, Collection::Offers, text("rodez maison")).await;
    let hit = found.hits.iter().find(|h| h.id == "1").expect("offer 1");
    assert!(hit.title.contains(&("Rodez".to_owned(), true)), "{:?}", hit.title);
    let title: String = hit.title.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(title, "Médecin généraliste en MSP à Rodez");
    assert!(hit.snippet.iter().any(|(t, marked)| *marked && t == "Maison"), "{:?}", hit.snippet);
}

async fn pages_are_stable_and_cover_every_match_once(kind: Kind) {
    let (communes, _db) = communes().await;
    let (engine, _held) = open(kind).await;
    // The same date for all: only the last tie-break orders them.
    let docs: Vec<Document> = (1..=45)
        .map(|id| {
            offer(&communes, Offer { id, title: "Remplacement", published_at: 1_700_000_000, ..Offer::default() })
        })
        .collect();
    with_documents(&engine, docs).await;
    for sort in [Sort::Newest, Sort::Relevance] {
        let query = |page, per_page| SearchQuery { page, per_page, sort, ..text("remplacement") };
        let whole = ids(&find(&engine, Collection::Offers, query(1, 100)).await)
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>();
        assert_eq!(whole.len(), 45);
        let mut paged = Vec::new();
        for page in 1..=5 {
            let found = find(&engine, Collection::Offers, query(page, 10)).await;
            assert_eq!(found.total, 45);
            paged.extend(ids(&found).iter().map(|s| s.to_string()));
        }
        assert_eq!(paged, whole, "{sort:?}");
    }
}

async fn a_document_is_replaced_by_its_id_and_deleted(kind: Kind) {
    let (engine, communes, _held, _db) = loaded(kind).await;
    let moved =
        offer(&communes, Offer { id: 3, title: "Remplacement régulier à Mende", commune: MENDE, ..Offer::default() });
    engine.apply(Changes { upserts: vec![moved], deletes: vec![(Collection::Offers, "5".to_owned())] }).await.unwrap();
    assert_eq!(find(&engine, Collection::Offers, SearchQuery::default()).await.total, 7);
    assert!(find(&engine, Collection::Offers, text("millau")).await.hits.is_empty());
    assert_eq!(ids(&find(&engine, Collection::Offers, text("remplacement mende")).await), ["3"]);
    assert!(!ids(&find(&engine, Collection::Offers, text("salariat")).await).contains(&"5"));
    // Collections are apart: an offer never answers a commune search.
    assert!(find(&engine, Collection::Communes, text("remplacement")).await.hits.is_empty());
}

async fn health_structures_are_found_by_name_and_counted_by_type(kind: Kind) {
    let test_db = imported_db().await;
    let db = Database::connect(&test_db.url).await.unwrap();
    let mut structures: Vec<Document> = Vec::new();
    for code in [RODEZ, MILLAU, TOULOUSE] {
        structures
            .extend(documents::structures(&db, Scope::Commune(code)).await.unwrap().into_iter().filter_map(|(_, d)| d));
    }
    let msp_in_millau = structures
        .iter()
        .filter(|d| d.facet(Facet::StructureType) == Some("msp") && d.place.to_lowercase().contains("millau"))
        .count();
    assert!(structures.len() > 10 && msp_in_millau > 0, "real structures of the FINESS file");
    let (engine, _held) = open(kind).await;
    with_documents(&engine, structures.clone()).await;
    let counted = SearchQuery { facets: vec![Facet::StructureType, Facet::Departement], ..SearchQuery::default() };
    let found = find(&engine, Collection::Structures, counted.clone()).await;
    assert_eq!(found.total, structures.len());
    for kind in ["msp", "centre_sante", "etablissement_sante"] {
        let expected = structures.iter().filter(|d| d.facet(Facet::StructureType) == Some(kind)).count();
        assert_eq!(found.count(Facet::StructureType, kind), expected, "{kind}");
    }
    let query =
        SearchQuery { filters: vec![(Facet::StructureType, vec!["msp".to_owned()])], ..text("maison de sante millau") };
    let found = find(&engine, Collection::Structures, query).await;
    assert_eq!(found.total, msp_in_millau, "{:?}", ids(&found));
}

#[tokio::test]
async fn the_embedded_index_survives_a_restart_and_knows_when_it_is_whole() {
    let (communes, _db) = communes().await;
    let dir = tempfile::tempdir().unwrap();
    {
        let engine = SearchEngine::open(dir.path(), None).unwrap();
        assert!(engine.is_fresh().await.unwrap());
        with_documents(&engine, offers(&communes)).await;
        engine.mark_built().await.unwrap();
    }
    let engine = SearchEngine::open(dir.path(), None).unwrap();
    assert!(!engine.is_fresh().await.unwrap(), "rebuilt once, whole since");
    assert_eq!(find(&engine, Collection::Offers, SearchQuery::default()).await.total, 8);
    engine.clear().await.unwrap();
    drop(engine);
    let engine = SearchEngine::open(dir.path(), None).unwrap();
    assert!(engine.is_fresh().await.unwrap(), "a cleared index is to be rebuilt");
}

/// Each case as one test per engine.
macro_rules! on_each_engine {
    ($($case:ident),* $(,)?) => {
        mod tantivy {
            $(#[tokio::test]
            async fn $case() {
                super::$case(super::Kind::Tantivy).await;
            })*
        }
        mod meilisearch {
            $(#[tokio::test]
            async fn $case() {
                super::$case(super::Kind::Meilisearch).await;
            })*
        }
    };
}

on_each_engine!(
    accents_case_and_word_forms_do_not_matter,
    one_typo_is_forgiven_from_five_letters_and_two_from_nine,
    the_last_word_is_a_prefix_while_typing,
    facet_counts_equal_the_number_of_matching_documents,
    filters_combine_with_and_and_values_with_or,
    a_radius_keeps_what_is_near_and_sorts_by_distance,
    an_area_keeps_what_is_inside_it,
    matches_are_highlighted_in_the_title_and_the_snippet,
    a_document_is_replaced_by_its_id_and_deleted,
    periods_overlap_and_expired_documents_are_left_out,
    pages_are_stable_and_cover_every_match_once,
    health_structures_are_found_by_name_and_counted_by_type,
);
