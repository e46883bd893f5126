//! What the board shows while the engine cannot answer: the query's filters, period, radius
//! and area read over the open offers as the database gives them (`documents::offers`), in the
//! engines' orders, with their counts. Only the words are left out: matching them is the
//! engines' work. Without words the answer is the engines' own (the parity test checks it).

use super::documents::{self, Scope};
use super::{Document, Hit, SearchQuery, SearchResults, Sort, text};
use crate::db::Database;
use app::model::distance_km;
use std::cmp::Ordering;
use std::collections::HashMap;

/// Offers read from the database per query.
const BATCH: usize = 1000;

/// The published offers of the database that meet `query`, its words left out.
pub async fn offers(db: &Database, query: &SearchQuery) -> Result<SearchResults, sqlx::Error> {
    let mut all = Vec::new();
    let mut after = String::new();
    loop {
        let found = documents::offers(db, Scope::After(&after, BATCH)).await?;
        let Some((last, _)) = found.last() else { break };
        after = last.clone();
        all.extend(found.into_iter().filter_map(|(_, document)| document));
    }
    Ok(filtered(all, query))
}

/// `documents` that meet the conditions of `query` other than its words, counted, ordered and
/// cut into its page as the engines do.
pub fn filtered(documents: Vec<Document>, query: &SearchQuery) -> SearchResults {
    let mut found: Vec<(Document, Option<f64>)> =
        documents.into_iter().filter_map(|document| meets(document, query)).collect();
    let facets = query
        .facets
        .iter()
        .map(|facet| {
            let mut counts: HashMap<&str, usize> = HashMap::new();
            for (document, _) in &found {
                if let Some(value) = document.facet(*facet) {
                    *counts.entry(value).or_default() += 1;
                }
            }
            (*facet, super::most_frequent_first(counts.into_iter().map(|(v, n)| (v.to_owned(), n)).collect()))
        })
        .collect();
    let newest = |a: &Document, b: &Document| b.published_at.cmp(&a.published_at).then(b.seq.cmp(&a.seq));
    match (query.sort, query.near) {
        (Sort::Nearest, Some(_)) => found.sort_by(|(a, x), (b, y)| {
            x.unwrap_or(f64::MAX)
                .partial_cmp(&y.unwrap_or(f64::MAX))
                .unwrap_or(Ordering::Equal)
                .then_with(|| newest(a, b))
        }),
        // Without words every match is as relevant: the most popular, then the newest.
        (Sort::Relevance, _) => {
            found.sort_by(|(a, _), (b, _)| b.popularity.cmp(&a.popularity).then_with(|| newest(a, b)))
        }
        _ => found.sort_by(|(a, _), (b, _)| newest(a, b)),
    }
    let total = found.len();
    let per_page = query.per_page.max(1);
    let start = (query.page.max(1) - 1).saturating_mul(per_page).min(total);
    let mut no_words = text::Highlighter::new(&[], false);
    let hits = found
        .into_iter()
        .skip(start)
        .take(per_page)
        .map(|(document, distance_km)| {
            let (title, snippet) = no_words.title_and_snippet(&document.title, &document.body);
            Hit { id: document.id, distance_km, title, snippet }
        })
        .collect();
    SearchResults { total, hits, facets }
}

/// `document` with its distance from the query's point, when it meets every condition but the
/// words.
fn meets(document: Document, query: &SearchQuery) -> Option<(Document, Option<f64>)> {
    for (facet, values) in &query.filters {
        let value = document.facet(*facet)?;
        if !values.iter().any(|v| v == value) {
            return None;
        }
    }
    if query.open_at.is_some_and(|at| document.expires_at.is_some_and(|expires| expires <= at)) {
        return None;
    }
    if let Some((from, to)) = query.overlap {
        let ends_before = from.is_some_and(|from| document.end_day.is_some_and(|end| end < from));
        let starts_after = to.is_some_and(|to| document.start_day.is_some_and(|start| start > to));
        if ends_before || starts_after {
            return None;
        }
    }
    if let Some(zone) = query.within {
        let (lat, lon) = document.location?;
        if !zone.contains(lon, lat) {
            return None;
        }
    }
    let distance = match query.near {
        Some(near) => {
            let (lat, lon) = document.location?;
            let km = distance_km(near.lat, near.lon, lat, lon);
            if km > near.radius_km {
                return None;
            }
            Some(km)
        }
        None => None,
    };
    Some((document, distance))
}
