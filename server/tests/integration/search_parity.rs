//! Parity of the two engines as a tested contract: on the same documents (300 example offers
//! over real organisations, every commune and health structure of the imported data), the same
//! queries give, on tantivy and on a real Meilisearch, the same total and the same hits in the
//! same order (the ranking contract of the README). The queries are what people type: words
//! with and without accents, plurals and other forms of a word, typos, words being typed,
//! commune names and postal codes, with filters, periods, a radius or an area. The board's
//! answer while the engine is down (`search::fallback`) is checked against them too.

use crate::helpers::*;
use app::domain::offers::StationNear;
use server::accounts::Accounts;
use server::db::Database;
use server::search::documents::{self, Scope};
use server::search::{Changes, Collection, Document, Facet, Near, SearchEngine, SearchQuery, Sort};

const SITE: &str = "https://medecins-territoires.example";

/// What people type on the board.
const OFFER_WORDS: &[&str] = &[
    "médecin",
    "medecin",
    "MÉDECINS",
    "médecine",
    "médecine générale",
    "medecine generale",
    "généraliste",
    "generalistes",
    "généralste",
    "pédiatre",
    "pédiatrie",
    "pediatrique",
    "gynéco",
    "gynécologie",
    "gynecologue",
    "hôpital",
    "hopitaux",
    "centre hospitalier",
    "remplacement",
    "remplacements",
    "remplacemnt",
    "remplacment",
    "installation",
    "instalation",
    "maison de santé",
    "maisons de sante",
    "msp",
    "centre de santé",
    "logement",
    "logé",
    "secrétariat",
    "secretaria",
    "collaboration",
    "stage",
    "saspas",
    "urgences",
    "psychiatre",
    "salariat",
    "temps partiel",
    "rodez",
    "rodes",
    "millau",
    "figeac",
    "saint affrique",
    "st gaudens",
    "montpellier",
    "montpelier",
    "beziers",
    "bziers",
    "lozère",
    "aveyron",
    "12000",
    "médecin rodez",
    "remplacement été",
    "méd",
    "gyn",
    "rem",
    "pédia",
    "montp",
    "edecin",
    "xyzzy",
];

/// What people type in the commune box.
const COMMUNE_WORDS: &[&str] = &[
    "rodez",
    "rodes",
    "saint",
    "st affrique",
    "montp",
    "villefranche",
    "castel",
    "sainte",
    "beziers",
    "béziers",
    "12",
    "81000",
    "cahors",
    "lourdes",
    "la grande motte",
];

async fn fill(engine: &SearchEngine, documents: &[Document]) {
    engine.clear().await.unwrap();
    for chunk in documents.chunks(2000) {
        engine.apply(Changes { upserts: chunk.to_vec(), deletes: Vec::new() }).await.unwrap();
    }
}

/// Differences between the engines' answers to `query`, in words.
async fn differences(
    tantivy: &SearchEngine,
    meili: &SearchEngine,
    collection: Collection,
    query: &SearchQuery,
) -> Option<String> {
    let a = tantivy.search(collection, query).await.unwrap();
    let b = meili.search(collection, query).await.unwrap();
    let ids = |r: &server::search::SearchResults| r.hits.iter().map(|h| h.id.clone()).collect::<Vec<_>>();
    let (ia, ib) = (ids(&a), ids(&b));
    if a.total == b.total && ia == ib && a.facets == b.facets && a.hits == b.hits {
        return None;
    }
    let only = |x: &[String], y: &[String]| x.iter().filter(|id| !y.contains(id)).take(8).cloned().collect::<Vec<_>>();
    Some(format!(
        "{collection:?} « {} » (prefix {}, {:?}, {} filtres) : tantivy {} / meilisearch {} ; \
         seulement tantivy {:?}, seulement meilisearch {:?}, même ordre : {}, mêmes facettes : {}, mêmes extraits : {}",
        query.text,
        query.prefix,
        query.sort,
        query.filters.len(),
        a.total,
        b.total,
        only(&ia, &ib),
        only(&ib, &ia),
        ia == ib,
        a.facets == b.facets,
        a.hits == b.hits
    ))
}

#[tokio::test]
async fn both_engines_give_the_same_matches_in_the_same_order() {
    let test_db = imported_db().await;
    let db = Database::connect(&test_db.url).await.unwrap();
    server::demo::seed(&db, &Accounts::new(db.clone(), SITE.to_owned()), false, 300).await.unwrap();
    let mut all: Vec<Document> = Vec::new();
    for found in [
        documents::offers(&db, Scope::After("", 100_000)).await.unwrap(),
        documents::communes(&db, Scope::After("", 100_000)).await.unwrap(),
        documents::structures(&db, Scope::After("", 100_000)).await.unwrap(),
    ] {
        all.extend(found.into_iter().filter_map(|(_, d)| d));
    }
    let offers = all.iter().filter(|d| d.collection == Collection::Offers).count();
    assert_eq!(offers, 300);
    let millau = all.iter().find(|d| d.collection == Collection::Communes && d.id == "12145").unwrap().location;
    let (lat, lon) = millau.unwrap();

    let dir = tempfile::tempdir().unwrap();
    let tantivy = SearchEngine::open(dir.path(), None).unwrap();
    let (settings, _server) = crate::meili::settings("parity").await;
    let meili = SearchEngine::open(dir.path(), Some(&settings)).unwrap();
    fill(&tantivy, &all).await;
    fill(&meili, &all).await;

    let whole = |text: &str, prefix: bool| SearchQuery {
        text: text.to_owned(),
        prefix,
        page: 1,
        per_page: 1000,
        facets: vec![Facet::Kind, Facet::Departement],
        ..SearchQuery::default()
    };
    let mut queries: Vec<(Collection, SearchQuery)> = Vec::new();
    for text in OFFER_WORDS {
        for prefix in [false, true] {
            queries.push((Collection::Offers, whole(text, prefix)));
        }
    }
    for text in COMMUNE_WORDS {
        queries.push((Collection::Communes, SearchQuery { per_page: 50, ..whole(text, true) }));
    }
    for text in ["maison de santé", "centre hospitalier rodez", "msp figeac", "clinique"] {
        queries.push((Collection::Structures, SearchQuery { facets: Vec::new(), ..whole(text, false) }));
    }
    // Filters, periods, a radius and an area, with and without words, in every order.
    let day = 20_700; // 2026-09-04, in days since 1970-01-01
    for text in ["", "remplacement", "médecin généraliste", "rem"] {
        for sort in [Sort::Relevance, Sort::Newest, Sort::Nearest] {
            let base = SearchQuery { sort, ..whole(text, true) };
            queries.push((
                Collection::Offers,
                SearchQuery {
                    filters: vec![(Facet::Kind, vec!["remplacement".into(), "installation".into()])],
                    ..base.clone()
                },
            ));
            queries.push((
                Collection::Offers,
                SearchQuery { filters: vec![(Facet::Departement, vec!["12".into()])], ..base.clone() },
            ));
            queries
                .push((Collection::Offers, SearchQuery { overlap: Some((Some(day), Some(day + 30))), ..base.clone() }));
            // Near a station, any or a busy one (the board's `gare`).
            for (facet, near) in [(Facet::Station, StationNear::Any10), (Facet::MajorStation, StationNear::Major20)] {
                queries
                    .push((Collection::Offers, SearchQuery { filters: vec![(facet, near.buckets())], ..base.clone() }));
            }
            queries.push((
                Collection::Offers,
                SearchQuery { near: Some(Near { lat, lon, radius_km: 60.0 }), ..base.clone() },
            ));
            let zone = app::model::Bounds::new(1.5, 43.5, 3.5, 44.9).unwrap();
            queries.push((Collection::Offers, SearchQuery { within: Some(zone), ..base.clone() }));
        }
    }

    let mut found = Vec::new();
    let offer_documents: Vec<Document> = all.iter().filter(|d| d.collection == Collection::Offers).cloned().collect();
    for (collection, query) in &queries {
        if let Some(difference) = differences(&tantivy, &meili, *collection, query).await {
            found.push(difference);
        }
        // What the board shows while the engine is down is the engines' answer when there
        // are no words.
        if *collection == Collection::Offers && query.text.is_empty() {
            let engine = tantivy.search(*collection, query).await.unwrap();
            let database = server::search::fallback::filtered(offer_documents.clone(), query);
            if engine != database {
                found.push(format!("repli sur la base, {query:?} : {} au lieu de {}", database.total, engine.total));
            }
        }
    }
    assert!(found.is_empty(), "{} requêtes sur {} diffèrent :\n{}", found.len(), queries.len(), found.join("\n"));
}
