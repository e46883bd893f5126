//! GET /flux/offres.atom and /flux/offres.rss (the board's filters in the query),
//! /flux/terrains-de-stage.atom|rss and /flux/logements-internes.atom|rss (the interns' page's
//! filters), /export/offres.csv (the board's filters) and /export/aides.csv.

use crate::aids::Aids;
use crate::db::Database;
use crate::feeds::{self, Channel, Entry};
use crate::offers::Offers;
use app::domain::offers::{BoardQuery, paths as offer_paths};
use app::domain::open_data::paths as open_paths;
use app::domain::stages::{SiteFilter, paths as stage_paths};
use app::model::DepartementCode;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

/// Newest offers in the feed.
pub const FEED_ENTRIES: usize = 50;

#[derive(Debug, Clone)]
pub struct FeedState {
    pub offers: Offers,
    pub aids: Aids,
    /// For the stage sites and the housing, read as the open API reads them.
    pub db: Database,
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

/// What the feed is of, in words: "remplacement, Aveyron", the départements named from
/// `departements` (code, name).
fn title(query: &BoardQuery, departements: &[(String, String)]) -> String {
    let mut parts = Vec::new();
    parts.extend(query.kinds_words());
    parts.extend(query.departements_words(departements));
    if let Some(text) = &query.text {
        parts.push(format!("« {text} »"));
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
    fn media_type(self) -> &'static str {
        match self {
            Format::Atom => "application/atom+xml; charset=utf-8",
            Format::Rss => "application/rss+xml; charset=utf-8",
        }
    }

    /// One of the two addresses of a feed, the first Atom's.
    fn pick(self, (atom, rss): (&'static str, &'static str)) -> &'static str {
        match self {
            Format::Atom => atom,
            Format::Rss => rss,
        }
    }
}

/// The feed of `entries` in `format`, at `path` and following `page` (both with `filters`,
/// a query string, when not empty).
fn feed(
    state: &FeedState,
    format: Format,
    (path, page): (&str, &str),
    filters: &str,
    (title, description): (&str, &str),
    entries: &[Entry],
) -> Response {
    let site = state.offers.public_url();
    let suffix = if filters.is_empty() { String::new() } else { format!("?{filters}") };
    let (self_url, page_url) = (format!("{site}{path}{suffix}"), format!("{site}{page}{suffix}"));
    let channel = Channel { title, description, self_url: &self_url, page_url: &page_url };
    let now = state.offers.clock().now();
    let body = match format {
        Format::Atom => feeds::atom(channel, entries, now),
        Format::Rss => feeds::rss(channel, entries, now),
    };
    ([(header::CONTENT_TYPE, format.media_type())], body).into_response()
}

async fn offers_feed(state: FeedState, params: Vec<(String, String)>, format: Format) -> Response {
    let query = board_query(&params);
    let cards = match state.offers.newest_cards(&query, Some(FEED_ENTRIES)).await {
        Ok(cards) => cards,
        Err(error) => return unavailable(error),
    };
    let (site, now) = (state.offers.public_url(), state.offers.clock().now());
    let entries: Vec<Entry> = cards.iter().map(|card| feeds::offer_entry(card, site, now)).collect();
    let path = format.pick((open_paths::OFFERS_ATOM, open_paths::OFFERS_RSS));
    let description = "Les nouvelles offres de Médecins & Territoires : installation, remplacement, stage.";
    let departements = match crate::territory::queries::departement_names(&state.db).await {
        Ok(departements) => departements,
        Err(error) => return unavailable(error),
    };
    let title = title(&query, &departements);
    feed(&state, format, (path, offer_paths::BOARD), &query.query_string(), (&title, description), &entries)
}

pub async fn offers_atom(State(state): State<FeedState>, Query(params): Query<Vec<(String, String)>>) -> Response {
    offers_feed(state, params, Format::Atom).await
}

pub async fn offers_rss(State(state): State<FeedState>, Query(params): Query<Vec<(String, String)>>) -> Response {
    offers_feed(state, params, Format::Rss).await
}

/// The first readable value of `name` in the address, as `read` reads it; unreadable values
/// are left out, as on the interns' page.
fn param<T>(params: &[(String, String)], name: &str, read: impl Fn(&str) -> Option<T>) -> Option<T> {
    params.iter().filter(|(k, _)| k == name).find_map(|(_, v)| read(v.trim()))
}

/// The département of an interns' feed in words: its name (« Lot »), as the offers' feed says
/// it; none without the filter.
async fn departement_words(db: &Database, code: Option<&DepartementCode>) -> Result<Vec<String>, sqlx::Error> {
    let Some(code) = code else { return Ok(Vec::new()) };
    let names = crate::territory::queries::departement_names(db).await?;
    Ok(vec![app::domain::territory::departement_in_words(code, &names)])
}

/// "Nouveaux terrains de stage (faculté Toulouse) — Médecins & Territoires".
fn titled(what: &str, words: Vec<String>) -> String {
    match words.is_empty() {
        true => format!("{what} — Médecins & Territoires"),
        false => format!("{what} ({}) — Médecins & Territoires", words.join(", ")),
    }
}

async fn stage_sites_feed(state: FeedState, params: Vec<(String, String)>, format: Format) -> Response {
    let chosen = SiteFilter::read(|name| params.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()));
    let departement = param(&params, "departement", |v| DepartementCode::parse(v).ok());
    let filter = crate::stages::records::Filter::of(chosen, departement.as_ref().map(DepartementCode::as_str));
    let found = match state.db.pool.acquire().await {
        Ok(mut conn) => crate::stages::records::newest(&mut conn, filter, FEED_ENTRIES as i64).await,
        Err(error) => Err(error),
    };
    let sites = match found {
        Ok(sites) => sites,
        Err(error) => return unavailable(error),
    };
    let site = state.offers.public_url();
    let entries: Vec<Entry> = sites.iter().map(|s| feeds::stage_site_entry(s, site)).collect();
    let path = format.pick((open_paths::STAGE_SITES_ATOM, open_paths::STAGE_SITES_RSS));
    let mut words = chosen.words();
    match departement_words(&state.db, departement.as_ref()).await {
        Ok(named) => words.extend(named),
        Err(error) => return unavailable(error),
    }
    let filters: Vec<String> = std::iter::once(chosen.query_string())
        .chain(departement.as_ref().map(|d| format!("departement={}", d.as_str())))
        .filter(|pair| !pair.is_empty())
        .collect();
    let filters = filters.join("&");
    let title = titled("Nouveaux terrains de stage", words);
    let description = "Les nouveaux terrains de stage pour internes déclarés sur Médecins & Territoires.";
    feed(&state, format, (path, stage_paths::INTERNS), &filters, (&title, description), &entries)
}

pub async fn stage_sites_atom(State(state): State<FeedState>, Query(params): Query<Vec<(String, String)>>) -> Response {
    stage_sites_feed(state, params, Format::Atom).await
}

pub async fn stage_sites_rss(State(state): State<FeedState>, Query(params): Query<Vec<(String, String)>>) -> Response {
    stage_sites_feed(state, params, Format::Rss).await
}

async fn housing_feed(state: FeedState, params: Vec<(String, String)>, format: Format) -> Response {
    let departement = param(&params, "departement", |v| DepartementCode::parse(v).ok());
    let today = state.offers.clock().today();
    let found = match state.db.pool.acquire().await {
        Ok(mut conn) => {
            let departement = departement.as_ref().map(DepartementCode::as_str);
            crate::housing::records::newest(&mut conn, today, departement, FEED_ENTRIES as i64).await
        }
        Err(error) => Err(error),
    };
    let homes = match found {
        Ok(homes) => homes,
        Err(error) => return unavailable(error),
    };
    let site = state.offers.public_url();
    let entries: Vec<Entry> = homes.iter().map(|h| feeds::housing_entry(h, site, today)).collect();
    let path = format.pick((open_paths::HOUSING_ATOM, open_paths::HOUSING_RSS));
    let words = match departement_words(&state.db, departement.as_ref()).await {
        Ok(words) => words,
        Err(error) => return unavailable(error),
    };
    let filters = departement.map(|d| format!("departement={}", d.as_str())).unwrap_or_default();
    let title = titled("Nouveaux logements pour internes", words);
    let description = "Les logements pour internes publiés par les collectivités et les structures de santé.";
    feed(&state, format, (path, stage_paths::INTERNS), &filters, (&title, description), &entries)
}

pub async fn housing_atom(State(state): State<FeedState>, Query(params): Query<Vec<(String, String)>>) -> Response {
    housing_feed(state, params, Format::Atom).await
}

pub async fn housing_rss(State(state): State<FeedState>, Query(params): Query<Vec<(String, String)>>) -> Response {
    housing_feed(state, params, Format::Rss).await
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

pub fn routes(offers: Offers, aids: Aids, db: Database) -> axum::Router {
    use axum::routing::get;
    axum::Router::new()
        .route(open_paths::OFFERS_ATOM, get(offers_atom))
        .route(open_paths::OFFERS_RSS, get(offers_rss))
        .route(open_paths::STAGE_SITES_ATOM, get(stage_sites_atom))
        .route(open_paths::STAGE_SITES_RSS, get(stage_sites_rss))
        .route(open_paths::HOUSING_ATOM, get(housing_atom))
        .route(open_paths::HOUSING_RSS, get(housing_rss))
        .route(open_paths::OFFERS_CSV, get(offers_csv))
        .route(open_paths::AIDS_CSV, get(aids_csv))
        .with_state(FeedState { offers, aids, db })
}
