//! The server side of territory pages: the service trait the server crate implements, and the
//! glue the server functions share.

use super::dto::*;
use crate::domain::ServiceError;
use crate::model::{DepartementCode, InseeCode, Siren};
use leptos::prelude::*;
use std::sync::Arc;

pub(super) use crate::domain::service::unavailable;

/// Read access to territories and their figures.
#[async_trait::async_trait]
pub trait TerritoryService: Send + Sync {
    async fn home(&self) -> Result<HomePage, ServiceError>;
    async fn region(&self, code: &str) -> Result<Option<RegionPage>, ServiceError>;
    async fn departement(&self, code: &DepartementCode) -> Result<Option<DepartementPage>, ServiceError>;
    async fn epci(&self, siren: &Siren) -> Result<Option<EpciPage>, ServiceError>;
    async fn commune(&self, code: &InseeCode) -> Result<Option<CommunePage>, ServiceError>;
    async fn search_communes(&self, query: &str, limit: usize) -> Result<Vec<CommuneHit>, ServiceError>;
    /// The outcomes of the territory `kind` (region, departement, epci, commune) with `code`.
    async fn outcomes(&self, kind: &str, code: &str) -> Result<Option<OutcomesPage>, ServiceError>;
}

/// The public origin of the site ("https://example.org"), for canonical links.
#[derive(Debug, Clone)]
pub struct SiteUrl(pub String);

/// Puts the service and the site URL in the reactive context of a request.
pub fn provide_territory_service(service: Arc<dyn TerritoryService>, site_url: SiteUrl) {
    provide_context(service);
    provide_context(site_url);
}

pub(super) fn territories() -> Result<Arc<dyn TerritoryService>, ServerFnError> {
    crate::domain::service::get("service des territoires")
}

/// Has a canonical address.
pub trait Addressed {
    fn path(&self) -> &str;
}

macro_rules! addressed {
    ($($t:ty),*) => {$(
        impl Addressed for $t {
            fn path(&self) -> &str { &self.path }
        }
    )*};
}
addressed!(RegionPage, DepartementPage, EpciPage, CommunePage, OutcomesPage);

/// Found at the asked address, found elsewhere, or not found.
pub(super) fn locate<T: Addressed>(page: Option<T>, asked_path: &str) -> Lookup<T> {
    match page {
        None => Lookup::NotFound,
        Some(page) if page.path() != asked_path => Lookup::Moved { path: page.path().to_owned() },
        Some(page) => Lookup::Found(located(page)),
    }
}

pub(super) fn located<T>(page: T) -> Located<T> {
    let site_url = use_context::<SiteUrl>().map(|s| s.0).unwrap_or_default();
    Located { site_url, page }
}
