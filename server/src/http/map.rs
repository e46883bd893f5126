//! The map's layers as GeoJSON files, and the region's picture (SVG): reference layers
//! compressed once and revalidated by ETag, the offers layer built for the board's query
//! string of the request.

use crate::cache::store::{Encoding, client_holds};
use crate::map::{Layer, MapError, Maps, Reference};
use app::domain::map::paths;
use app::domain::offers::BoardQuery;
use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

const GEOJSON: &str = "application/geo+json";
const SVG: &str = "image/svg+xml";
/// Reference layers: revalidated at each use (an import changes them), cheap with the ETag.
const REFERENCE_CACHE: &str = "public, no-cache";
/// Offers change with every publication: revalidated at each use, cheap with the ETag.
const OFFERS_CACHE: &str = "no-cache";

pub fn routes(maps: Maps) -> Router {
    Router::new()
        .route(paths::COMMUNES, get(communes))
        .route(paths::DEPARTEMENTS, get(departements))
        .route(paths::STRUCTURES, get(structures))
        .route(paths::PLACES, get(places))
        .route(paths::STATIONS, get(stations))
        .route(paths::OFFERS, get(offers))
        .route(paths::INTERNS, get(interns))
        .route(paths::REGION_PREVIEW, get(region_preview))
        .route(paths::REGION_PREVIEW_NARROW, get(region_preview_narrow))
        .with_state(maps)
}

async fn communes(State(maps): State<Maps>, headers: HeaderMap) -> Response {
    reference(&maps, Reference::Communes, &headers).await
}

async fn departements(State(maps): State<Maps>, headers: HeaderMap) -> Response {
    reference(&maps, Reference::Departements, &headers).await
}

async fn structures(State(maps): State<Maps>, headers: HeaderMap) -> Response {
    reference(&maps, Reference::Structures, &headers).await
}

async fn places(State(maps): State<Maps>, headers: HeaderMap) -> Response {
    reference(&maps, Reference::Places, &headers).await
}

async fn stations(State(maps): State<Maps>, headers: HeaderMap) -> Response {
    reference(&maps, Reference::Stations, &headers).await
}

async fn region_preview(State(maps): State<Maps>, headers: HeaderMap) -> Response {
    reference(&maps, Reference::RegionPreview, &headers).await
}

async fn region_preview_narrow(State(maps): State<Maps>, headers: HeaderMap) -> Response {
    reference(&maps, Reference::RegionPreviewNarrow, &headers).await
}

async fn reference(maps: &Maps, which: Reference, headers: &HeaderMap) -> Response {
    let content_type = match which {
        Reference::RegionPreview | Reference::RegionPreviewNarrow => SVG,
        Reference::Communes
        | Reference::Departements
        | Reference::Structures
        | Reference::Places
        | Reference::Stations => GEOJSON,
    };
    match maps.reference(which).await {
        Ok(layer) => serve(&layer, headers, REFERENCE_CACHE, content_type),
        Err(error) => unavailable(error),
    }
}

/// GET /carte/couches/offres.geojson?<the board's filters>: unreadable filters are left out,
/// as on the board.
async fn offers(State(maps): State<Maps>, RawQuery(query): RawQuery, headers: HeaderMap) -> Response {
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(query.as_deref().unwrap_or_default()).unwrap_or_default();
    let (query, _notes) = BoardQuery::from_pairs(&pairs);
    match maps.offers_layer(&query).await {
        Ok(layer) => serve(&layer, &headers, OFFERS_CACHE, GEOJSON),
        Err(error) => unavailable(error),
    }
}

/// GET /carte/couches/internes.geojson
async fn interns(State(maps): State<Maps>, headers: HeaderMap) -> Response {
    match maps.interns_layer().await {
        Ok(layer) => serve(&layer, &headers, OFFERS_CACHE, GEOJSON),
        Err(error) => unavailable(error),
    }
}

fn unavailable(error: MapError) -> Response {
    tracing::error!(%error, "map layer failed");
    (StatusCode::SERVICE_UNAVAILABLE, "couche de la carte momentanément indisponible\n").into_response()
}

/// 304 when the client holds this version, else the bytes in the best encoding it accepts.
fn serve(layer: &Layer, headers: &HeaderMap, cache: &'static str, content_type: &'static str) -> Response {
    let mut out = HeaderMap::new();
    out.insert(header::ETAG, layer.etag.clone());
    out.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    out.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    if client_holds(headers, &layer.etag) {
        return (StatusCode::NOT_MODIFIED, out).into_response();
    }
    let accept = headers.get(header::ACCEPT_ENCODING).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let (bytes, encoding) = layer.body(Encoding::negotiate(accept));
    out.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Some(name) = encoding.header() {
        // The response compression leaves a body that already has an encoding alone.
        out.insert(header::CONTENT_ENCODING, HeaderValue::from_static(name));
    }
    (StatusCode::OK, out, bytes).into_response()
}
