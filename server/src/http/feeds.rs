//! GET /flux/offres.atom and /flux/offres.rss (the board's filters in the query),
//! /export/offres.csv (the same filters) and /export/aides.csv.

use crate::aids::Aids;
use crate::feeds;
use crate::offers::Offers;
use app::domain::offers::{BoardQuery, paths as offer_paths};
use app::domain::open_data::paths as open_paths;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

/// Newest offers in the feed.
pub const FEED_ENTRIES: usize = 50;

#[derive(Debug, Clone)]
pub struct FeedState {
    pub offers: Offers,
    pub aids: Aids,
}

fn unavailable(error: impl std::fmt::Display) -> Response {
    tracing::error!(%error, "feed failed");
    (StatusCode::SERVICE_UNAVAILABLE, "Flux momentanément indisponible, réessayez dans un instant.\n").into_response()
}

/// The board's filters from the address; unreadable values are left out, as on the board.
fn board_query(params: &[(String, String)]) -> BoardQuery {
    let (mut query, _) = BoardQuery::from_pairs(params);
    query.page = 1;
    // Newest first, whatever the board's order: a feed lists what is new.
    query.order = None;
    query
}

/// What the feed is of, in words: "remplacement, Aveyron (12)".
fn title(query: &BoardQuery) -> String {
    let mut parts = Vec::new();
    parts.extend(query.kinds_words());
    parts.extend(query.departements_words());
    if let Some(text) = &query.text {
        parts.push(format!("« {text} »"));
    }
    match parts.is_empty() {
        true => "Nouvelles offres — Médecins & Territoires".to_owned(),
        false => format!("Nouvelles offres ({}) — Médecins & Territoires", parts.join(", ")),
    }
}

/// The two feed formats.
#[derive(Clone, Copy)]
enum Format {
    Atom,
    Rss,
}

impl Format {
    fn path(self) -> &'static str {
        match self {
            Format::Atom => open_paths::OFFERS_ATOM,
            Format::Rss => open_paths::OFFERS_RSS,
        }
    }

    fn media_type(self) -> &'static str {
        match self {
            Format::Atom => "application/atom+xml; charset=utf-8",
            Format::Rss => "application/rss+xml; charset=utf-8",
        }
    }
}

async fn offers_feed(state: FeedState, params: Vec<(String, String)>, format: Format) -> Response {
    let query = board_query(&params);
    let cards = match state.offers.newest_cards(&query, Some(FEED_ENTRIES)).await {
        Ok(cards) => cards,
        Err(error) => return unavailable(error),
    };
    let site = state.offers.public_url();
    let filters = query.query_string();
    let suffix = if filters.is_empty() { String::new() } else { format!("?{filters}") };
    let (title, self_url) = (title(&query), format!("{site}{}{suffix}", format.path()));
    let page_url = format!("{site}{}{suffix}", offer_paths::BOARD);
    let now = state.offers.clock().now();
    let body = match format {
        Format::Atom => feeds::atom(&cards, site, &title, &self_url, &page_url, now),
        Format::Rss => feeds::rss(&cards, site, &title, &self_url, &page_url, now),
    };
    ([(header::CONTENT_TYPE, format.media_type())], body).into_response()
}

pub async fn offers_atom(State(state): State<FeedState>, Query(params): Query<Vec<(String, String)>>) -> Response {
    offers_feed(state, params, Format::Atom).await
}

pub async fn offers_rss(State(state): State<FeedState>, Query(params): Query<Vec<(String, String)>>) -> Response {
    offers_feed(state, params, Format::Rss).await
}

fn csv(body: String, name: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
        ],
        body,
    )
        .into_response()
}

pub async fn offers_csv(State(state): State<FeedState>, Query(params): Query<Vec<(String, String)>>) -> Response {
    match state.offers.newest_cards(&board_query(&params), None).await {
        Ok(cards) => csv(feeds::offers_csv(&cards, state.offers.public_url()), "offres-medecins-territoires.csv"),
        Err(error) => unavailable(error),
    }
}

pub async fn aids_csv(State(state): State<FeedState>) -> Response {
    match state.aids.catalogue().await {
        Ok(aids) => csv(feeds::aids_csv(&aids), "aides-medecins-territoires.csv"),
        Err(error) => unavailable(error),
    }
}

pub fn routes(offers: Offers, aids: Aids) -> axum::Router {
    use axum::routing::get;
    axum::Router::new()
        .route(open_paths::OFFERS_ATOM, get(offers_atom))
        .route(open_paths::OFFERS_RSS, get(offers_rss))
        .route(open_paths::OFFERS_CSV, get(offers_csv))
        .route(open_paths::AIDS_CSV, get(aids_csv))
        .with_state(FeedState { offers, aids })
}
