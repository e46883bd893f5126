//! Territories (region, départements, EPCI, communes) with their health-care figures.

mod dto;
pub mod listing;
#[cfg(feature = "ssr")]
mod service;

pub use dto::*;
#[cfg(feature = "ssr")]
pub use service::{SiteUrl, TerritoryService, provide_territory_service};

use leptos::prelude::*;

/// A département in words: its name as people know it (« Aveyron »), from `names` (code,
/// name); a code the portal does not have stays a code (« département 99 »).
pub fn departement_in_words(code: &crate::model::DepartementCode, names: &[(String, String)]) -> String {
    names
        .iter()
        .find(|(known, _)| known == code.as_str())
        .map_or_else(|| format!("département {}", code.as_str()), |(_, name)| name.clone())
}

/// Most suggestions the search box shows; the results page shows more.
pub const SUGGESTION_LIMIT: usize = 8;
pub const SEARCH_PAGE_LIMIT: usize = 50;

#[server(prefix = "/_srv", endpoint = "accueil")]
pub async fn get_home() -> Result<Located<HomePage>, ServerFnError> {
    let page = service::territories()?.home().await.map_err(service::unavailable)?;
    Ok(service::located(page))
}

#[server(prefix = "/_srv", endpoint = "region")]
pub async fn get_region(code: String, slug: String) -> Result<Lookup<RegionPage>, ServerFnError> {
    let svc = service::territories()?;
    let page = svc.region(code.trim()).await.map_err(service::unavailable)?;
    Ok(service::locate(page, &paths::region(&code, &slug)))
}

#[server(prefix = "/_srv", endpoint = "departement")]
pub async fn get_departement(code: String, slug: String) -> Result<Lookup<DepartementPage>, ServerFnError> {
    let Ok(parsed) = crate::model::DepartementCode::parse(&code) else {
        return Ok(Lookup::NotFound);
    };
    let svc = service::territories()?;
    let page = svc.departement(&parsed).await.map_err(service::unavailable)?;
    Ok(service::locate(page, &paths::departement(&code, &slug)))
}

#[server(prefix = "/_srv", endpoint = "epci")]
pub async fn get_epci(siren: String, slug: String) -> Result<Lookup<EpciPage>, ServerFnError> {
    let Ok(parsed) = crate::model::Siren::parse(&siren) else {
        return Ok(Lookup::NotFound);
    };
    let svc = service::territories()?;
    let page = svc.epci(&parsed).await.map_err(service::unavailable)?;
    Ok(service::locate(page, &paths::epci(&siren, &slug)))
}

#[server(prefix = "/_srv", endpoint = "commune")]
pub async fn get_commune(code: String, slug: String) -> Result<Lookup<CommunePage>, ServerFnError> {
    let Ok(parsed) = crate::model::InseeCode::parse(&code) else {
        return Ok(Lookup::NotFound);
    };
    let svc = service::territories()?;
    let page = svc.commune(&parsed).await.map_err(service::unavailable)?;
    Ok(service::locate(page, &paths::commune(&code, &slug)))
}

/// The outcomes page of a territory: `kind` is region, departement, epci or commune, `key` the
/// address segment ("12-aveyron").
#[server(prefix = "/_srv", endpoint = "bilan")]
pub async fn get_outcomes(kind: String, key: String) -> Result<Lookup<OutcomesPage>, ServerFnError> {
    let key = crate::model::TerritoryKey::split(&key);
    let asked = match kind.as_str() {
        "region" => paths::region(&key.code, &key.slug),
        "departement" => paths::departement(&key.code, &key.slug),
        "epci" => paths::epci(&key.code, &key.slug),
        "commune" => paths::commune(&key.code, &key.slug),
        _ => return Ok(Lookup::NotFound),
    };
    if key.code.len() > 9 || !key.code.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Ok(Lookup::NotFound);
    }
    let page = service::territories()?.outcomes(&kind, &key.code).await.map_err(service::unavailable)?;
    Ok(service::locate(page, &paths::outcomes(&asked)))
}

/// Communes whose name or postal code matches what the user typed, largest first.
#[server(prefix = "/_srv", endpoint = "recherche-communes")]
pub async fn search_communes(query: String, limit: usize) -> Result<Vec<CommuneHit>, ServerFnError> {
    let limit = limit.clamp(1, SEARCH_PAGE_LIMIT);
    service::territories()?.search_communes(&query, limit).await.map_err(service::unavailable)
}

/// The public addresses of territory pages (see DESIGN.md): code first, slug for humans.
pub mod paths {
    use crate::domain::Address;

    /// The home page.
    pub const HOME: &str = "/";
    /// The page of the portal's region.
    pub const REGION: &str = "/regions/76-occitanie";
    /// The search of communes by name or postal code.
    pub const SEARCH: &str = "/recherche";

    /// The pages of territories: `{key}` is the code, a hyphen and the slug ("12-aveyron").
    pub const REGION_PAGE: Address = Address("/regions/{key}");
    pub const DEPARTEMENT_PAGE: Address = Address("/departements/{key}");
    pub const EPCI_PAGE: Address = Address("/epci/{key}");
    pub const COMMUNE_PAGE: Address = Address("/communes/{key}");
    /// Their outcomes pages.
    pub const REGION_OUTCOMES: Address = Address("/regions/{key}/bilan");
    pub const DEPARTEMENT_OUTCOMES: Address = Address("/departements/{key}/bilan");
    pub const EPCI_OUTCOMES: Address = Address("/epci/{key}/bilan");
    pub const COMMUNE_OUTCOMES: Address = Address("/communes/{key}/bilan");

    pub fn region(code: &str, slug: &str) -> String {
        REGION_PAGE.of(format_args!("{code}-{slug}"))
    }
    pub fn departement(code: &str, slug: &str) -> String {
        DEPARTEMENT_PAGE.of(format_args!("{code}-{slug}"))
    }
    pub fn epci(siren: &str, slug: &str) -> String {
        EPCI_PAGE.of(format_args!("{siren}-{slug}"))
    }
    pub fn commune(code: &str, slug: &str) -> String {
        COMMUNE_PAGE.of(format_args!("{code}-{slug}"))
    }
    /// The outcomes page of the territory page at `path` (each `*_OUTCOMES` is its page's
    /// address and this last segment).
    pub fn outcomes(path: &str) -> String {
        format!("{path}/bilan")
    }
}
