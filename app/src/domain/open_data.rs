//! The open API's reference, for its page (`/api`): what the OpenAPI document
//! (`/api/v1/openapi.json`) says, in a shape a page can show. The server builds it from the very
//! document it serves, so the page and the API never disagree.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The open data's addresses besides the REST API: feeds and exports (the board's filters in
/// their query).
pub mod paths {
    /// The page that presents the open API, the feeds and the exports.
    pub const OPEN_API: &str = "/api";
    pub const OFFERS_ATOM: &str = "/flux/offres.atom";
    pub const OFFERS_RSS: &str = "/flux/offres.rss";
    pub const OFFERS_CSV: &str = "/export/offres.csv";
    /// The newest stage sites (`faculte`, `niveau`, `specialite`, `departement` in the query).
    pub const STAGE_SITES_ATOM: &str = "/flux/terrains-de-stage.atom";
    pub const STAGE_SITES_RSS: &str = "/flux/terrains-de-stage.rss";
    /// The newest interns' housing (`departement` in the query).
    pub const HOUSING_ATOM: &str = "/flux/logements-internes.atom";
    pub const HOUSING_RSS: &str = "/flux/logements-internes.rss";
    pub const AIDS_CSV: &str = "/export/aides.csv";
}

/// The whole reference.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApiReference {
    /// The API's base address, e.g. `https://…/api/v1`.
    pub base_url: String,
    /// The OpenAPI document's address.
    pub document_url: String,
    pub title: String,
    pub description: String,
    pub version: String,
    pub license: String,
    pub groups: Vec<ApiGroup>,
}

/// The operations of one tag.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApiGroup {
    pub tag: String,
    pub description: String,
    pub operations: Vec<ApiOperation>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApiOperation {
    /// GET.
    pub method: String,
    /// `/api/v1/offres/{id}`.
    pub path: String,
    pub summary: String,
    pub parameters: Vec<ApiParameter>,
    /// (status, what it means).
    pub responses: Vec<(String, String)>,
    /// The name of the schema of a 200 answer ("Page d'Offre", "Commune").
    pub answer: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApiParameter {
    pub name: String,
    /// "chemin" or "requête".
    pub location: String,
    pub required: bool,
    /// What values are accepted, in words: "une de : …", "entier de 1 à 100", "date AAAA-MM-JJ".
    pub accepts: String,
    pub description: String,
}

/// `/api`: the reference of the open API.
#[server(prefix = "/_srv", endpoint = "api-reference")]
pub async fn get_api_reference() -> Result<ApiReference, ServerFnError> {
    use std::sync::Arc;
    let service = use_context::<Arc<dyn OpenDataService>>()
        .ok_or_else(|| ServerFnError::new("service de l'API absent du contexte"))?;
    Ok(service.reference())
}

/// What the server provides: the reference, made from its OpenAPI document.
#[cfg(feature = "ssr")]
pub trait OpenDataService: Send + Sync {
    fn reference(&self) -> ApiReference;
}

/// Puts the service in the reactive context of a request.
#[cfg(feature = "ssr")]
pub fn provide_open_data_service(service: std::sync::Arc<dyn OpenDataService>) {
    provide_context(service);
}
