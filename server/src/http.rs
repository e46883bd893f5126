//! Plain HTTP endpoints beside the Leptos pages: health check, indexing files, the session,
//! origin and security-header layers, and the handlers of the account and organisation forms.

// Defined before the modules that use it (a macro is visible only after its definition).
/// The value of a check, or a redirect (303) to the address it gave.
macro_rules! or_redirect {
    ($check:expr) => {
        match $check {
            Ok(value) => value,
            Err(location) => return $crate::http::redirect(&location),
        }
    };
}

pub mod accounts;
pub mod aids;
pub mod alerts;
pub mod applications;
pub mod assets;
pub mod candidates;
pub mod events;
pub mod feeds;
pub mod flash;
pub mod housing;
pub mod html;
pub mod map;
pub mod offers;
pub mod organisations;
pub mod origin;
pub mod posted;
pub mod promotion;
pub mod reviews;
pub mod routes;
pub mod security;
pub mod session;
pub mod stages;
pub mod upload;

use crate::clock::Clock;
use crate::db::Database;
use crate::territory::Territories;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// A 303 to `location`: every form handler answers with one, so that reloading the page it
/// leads to does not post the form again.
pub(crate) fn redirect(location: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

/// `path?key=value&…`, values encoded, empty ones left out.
pub(crate) fn with_query(path: &str, pairs: &[(&str, &str)]) -> String {
    let pairs: Vec<_> = pairs.iter().filter(|(_, v)| !v.is_empty()).collect();
    match serde_urlencoded::to_string(&pairs) {
        Ok(query) if !query.is_empty() => format!("{path}?{query}"),
        _ => path.to_owned(),
    }
}

/// What the plain handlers need.
#[derive(Clone)]
pub struct HttpState {
    pub db: Database,
    pub territories: Territories,
    pub public_url: String,
    /// The application's clock: the sitemap lists what is open by it.
    pub clock: Clock,
}

/// GET /healthz: 200 when the database answers, 503 otherwise.
pub async fn healthz(State(state): State<HttpState>) -> Response {
    match state.db.ping().await {
        Ok(()) => (StatusCode::OK, "ok\n").into_response(),
        Err(error) => {
            tracing::error!(%error, "health check: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "base de données injoignable\n").into_response()
        }
    }
}

pub const ROBOTS: &str = "/robots.txt";
pub const SITEMAP: &str = "/sitemap.xml";

/// GET /robots.txt
pub async fn robots(State(state): State<HttpState>) -> Response {
    let body = format!(
        "User-agent: *\nAllow: /\nDisallow: {}\nDisallow: /_srv/\n\nSitemap: {}{SITEMAP}\n",
        app::domain::territory::paths::SEARCH,
        state.public_url
    );
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], body).into_response()
}

/// The pages of the open offers (example ones left out) and of the events not ended yet.
async fn live_paths(db: &Database, now: i64) -> Result<Vec<String>, sqlx::Error> {
    let mut paths = crate::offers::reads::listed_paths(db, now).await?;
    let mut conn = db.pool.acquire().await?;
    let events = crate::events::records::live_ids(&mut conn, now).await?;
    paths.extend(events.into_iter().map(|id| app::domain::events::paths::EVENT.of(id)));
    Ok(paths)
}

/// GET /sitemap.xml: the home page, the map, the board, the aids, the events, the API's
/// reference, the privacy page, the list of the guichets uniques, every territory page and its outcomes, and the pages of the
/// open offers and of the coming events.
pub async fn sitemap(State(state): State<HttpState>) -> Response {
    let found = async {
        let mut paths = state.territories.all_paths().await?;
        paths.extend(live_paths(&state.db, state.clock.now()).await?);
        Ok::<_, sqlx::Error>(paths)
    };
    let paths = match found.await {
        Ok(paths) => paths,
        Err(error) => {
            tracing::error!(%error, "sitemap: database failed");
            return (StatusCode::SERVICE_UNAVAILABLE, "sitemap momentanément indisponible\n").into_response();
        }
    };
    let mut xml = String::with_capacity(64 * (paths.len() + 1));
    xml.push_str(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let pages = [
        "/",
        app::domain::map::paths::MAP,
        app::domain::offers::paths::BOARD,
        app::domain::aids::paths::AIDS,
        app::domain::events::paths::EVENTS,
        app::domain::open_data::paths::OPEN_API,
        app::domain::accounts::paths::PRIVACY,
        app::domain::promotion::paths::GUICHETS,
    ];
    for path in pages.into_iter().map(str::to_owned).chain(paths) {
        // Paths are built from codes, ids and slugs ([a-z0-9-]), nothing to escape.
        xml.push_str(&format!("<url><loc>{}{}</loc></url>\n", state.public_url, path));
    }
    xml.push_str("</urlset>\n");
    ([(header::CONTENT_TYPE, "application/xml; charset=utf-8")], xml).into_response()
}
