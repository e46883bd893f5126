//! The open JSON API, `/api/v1`: read-only, for institutions (ARS, URPS, départements) and other
//! boards that reuse the offers and the territories' data. Every list is paged the same way
//! (`page`, `par_page`, links to the next and previous pages), every thing has a stable
//! identifier (an offer's or event's number, INSEE and département codes, SIREN, FINESS, an
//! aid's slug), every error is `{"erreur": "…"}` in French, and any site may read it (CORS).
//!
//! The OpenAPI document (`/api/v1/openapi.json`) is generated from these handlers and types by
//! utoipa; the page `/api` is rendered from that same document.

mod aids;
mod error;
mod events;
mod housing;
mod offers;
pub mod params;
pub mod reference;
mod stages;
mod structures;
mod territories;

pub use error::{ApiError, Erreur};

use crate::aids::Aids;
use crate::db::Database;
use crate::offers::Offers;
use axum::Router;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, Method, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use params::{Paging, Params};
use serde::Serialize;
use std::sync::Arc;
use tower_http::cors::{Any, CorsLayer};
use utoipa::{OpenApi, ToSchema};

/// Where the API lives.
pub const BASE: &str = "/api/v1";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Médecins & Territoires — API ouverte",
        version = "1",
        description = "Les offres (installation, remplacement, stage…), les territoires (région, départements, intercommunalités, communes avec leur zonage et leur APL), les structures de santé (FINESS), les aides, les événements, les terrains de stage et les logements pour internes du portail, en lecture seule. Toutes les listes se lisent par pages (`page`, `par_page`) ; chaque erreur est un objet `{\"erreur\": \"…\"}` en français.",
        license(name = "Données : Licence Ouverte 2.0 (Etalab) pour les données de référence ; code : AGPL-3.0-or-later"),
    ),
    paths(
        offers::list,
        offers::one,
        territories::regions,
        territories::departements,
        territories::departement,
        territories::epcis,
        territories::epci,
        territories::communes,
        territories::commune,
        structures::list,
        structures::one,
        aids::list,
        aids::one,
        events::list,
        events::one,
        stages::list,
        stages::one,
        housing::list,
        housing::one,
    ),
    tags(
        (name = "offres", description = "Les offres publiées sur la bourse."),
        (name = "territoires", description = "Région, départements, intercommunalités et communes, avec le zonage de l'ARS et l'APL de la DREES."),
        (name = "structures", description = "Maisons et centres de santé, établissements (FINESS)."),
        (name = "aides", description = "Le catalogue des aides à l'installation et aux études, et celles qui s'appliquent dans une commune."),
        (name = "evenements", description = "Journées d'accueil, job datings et forums à venir."),
        (name = "terrains-de-stage", description = "Les terrains où les internes font leurs semestres : faculté, niveaux, maîtres de stage, places."),
        (name = "logements-internes", description = "Les logements que collectivités et structures proposent aux internes : secteur (jamais l'adresse exacte), loyer, dates, places. Le contact se lit sur la page du logement, une fois connecté."),
    )
)]
struct ApiDoc;

/// The OpenAPI document, with the portal's address as its server (the paths start with `BASE`).
pub fn openapi(public_url: &str) -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    doc.servers = Some(vec![utoipa::openapi::Server::new(public_url)]);
    doc
}

/// What the handlers need.
#[derive(Clone)]
pub struct ApiState {
    pub db: Database,
    pub offers: Offers,
    pub aids: Aids,
    pub public_url: String,
    /// The OpenAPI document as served, made once.
    document: Arc<str>,
}

impl ApiState {
    pub fn new(db: Database, offers: Offers, aids: Aids, public_url: String) -> Self {
        let document = openapi(&public_url).to_pretty_json().unwrap_or_default().into();
        Self { db, offers, aids, public_url, document }
    }

    /// The absolute address of `path` (under `/api/v1`) with the query's parameters but the page.
    fn link(&self, path: &str, params: &Params) -> Link {
        Link { base: format!("{}{BASE}{path}", self.public_url), pairs: params.without_page() }
    }
}

/// A list's address, to which a page number is added.
struct Link {
    base: String,
    pairs: Vec<(String, String)>,
}

impl Link {
    fn page(&self, page: usize) -> String {
        let mut pairs = self.pairs.clone();
        pairs.push(("page".to_owned(), page.to_string()));
        format!("{}?{}", self.base, serde_urlencoded::to_string(&pairs).unwrap_or_default())
    }
}

/// A page of a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T: ToSchema> {
    pub elements: Vec<T>,
    /// This page's number, from 1.
    pub page: usize,
    pub par_page: usize,
    /// Elements on every page together.
    pub total: usize,
    /// Number of pages (at least 1).
    pub pages: usize,
    /// Address of the next page, null on the last.
    pub suivante: Option<String>,
    /// Address of the previous page, null on the first.
    pub precedente: Option<String>,
}

impl<T: ToSchema> Page<T> {
    fn new(elements: Vec<T>, total: usize, paging: Paging, link: &Link) -> Self {
        let pages = total.div_ceil(paging.per_page).max(1);
        Self {
            elements,
            page: paging.page,
            par_page: paging.per_page,
            total,
            pages,
            suivante: (paging.page < pages).then(|| link.page(paging.page + 1)),
            precedente: (paging.page > 1).then(|| link.page((paging.page - 1).min(pages))),
        }
    }

    /// The page `paging` of a list held whole in memory.
    fn of_all(mut all: Vec<T>, paging: Paging, link: &Link) -> Self {
        let total = all.len();
        let start = (paging.offset() as usize).min(total);
        let end = (start + paging.per_page).min(total);
        let elements = all.drain(start..end).collect();
        Self::new(elements, total, paging, link)
    }
}

/// A value of a closed list: its code and its French label.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Choix {
    #[schema(example = "remplacement")]
    pub code: String,
    #[schema(example = "Remplacement")]
    pub libelle: String,
}

fn choix(code: &str, label: &str) -> Choix {
    Choix { code: code.to_owned(), libelle: label.to_owned() }
}

/// The codes of a closed list.
fn codes<T: Copy>(all: &[T], code: impl Fn(T) -> &'static str) -> Vec<&'static str> {
    all.iter().map(|v| code(*v)).collect()
}

/// Unix seconds as RFC 3339 in UTC.
fn iso_time(unix: i64) -> String {
    crate::feeds::rfc3339(unix)
}

/// The largest numeric identifier (offers, events) the API reads.
const MAX_ID: usize = 1 << 53;

/// A numeric identifier from the path: digits, from 1 to `MAX_ID`.
fn identifier(raw: &str) -> Result<i64, ApiError> {
    let plain = !raw.is_empty() && raw.bytes().all(|b| b.is_ascii_digit()) && !raw.starts_with('0');
    match raw.parse::<usize>() {
        Ok(n) if plain && n <= MAX_ID => Ok(n as i64),
        _ => Err(ApiError::bad(format!(
            "« {} » n'est pas un identifiant (un nombre entier de 1 à {MAX_ID})",
            raw.chars().take(40).collect::<String>()
        ))),
    }
}

/// The query string, read by `Params` (a parameter given twice is refused in JSON, like the rest).
pub struct RawQuery(pub Params);

impl<S: Send + Sync> FromRequestParts<S> for RawQuery {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Params::parse(parts.uri.query()).map(RawQuery)
    }
}

async fn document(State(state): State<ApiState>) -> Response {
    let mut response = state.document.to_string().into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

async fn no_such_address() -> ApiError {
    ApiError::not_found("Cette adresse n'existe pas dans l'API : voir /api/v1/openapi.json.")
}

/// The API's routes, readable from any site.
pub fn routes(state: ApiState) -> Router {
    let cors = CorsLayer::new().allow_origin(Any).allow_methods([Method::GET, Method::HEAD]);
    Router::new()
        .route("/api/v1/openapi.json", get(document))
        .route("/api/v1/offres", get(offers::list))
        .route("/api/v1/offres/{id}", get(offers::one))
        .route("/api/v1/regions", get(territories::regions))
        .route("/api/v1/departements", get(territories::departements))
        .route("/api/v1/departements/{code}", get(territories::departement))
        .route("/api/v1/epci", get(territories::epcis))
        .route("/api/v1/epci/{siren}", get(territories::epci))
        .route("/api/v1/communes", get(territories::communes))
        .route("/api/v1/communes/{code}", get(territories::commune))
        .route("/api/v1/structures", get(structures::list))
        .route("/api/v1/structures/{finess}", get(structures::one))
        .route("/api/v1/aides", get(aids::list))
        .route("/api/v1/aides/{slug}", get(aids::one))
        .route("/api/v1/evenements", get(events::list))
        .route("/api/v1/evenements/{id}", get(events::one))
        .route("/api/v1/terrains-de-stage", get(stages::list))
        .route("/api/v1/terrains-de-stage/{id}", get(stages::one))
        .route("/api/v1/logements-internes", get(housing::list))
        .route("/api/v1/logements-internes/{id}", get(housing::one))
        .route("/api/v1", get(no_such_address))
        .route("/api/v1/{*rest}", get(no_such_address))
        .with_state(state)
        .layer(cors)
}
