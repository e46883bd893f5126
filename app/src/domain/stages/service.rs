//! The server side of the stage sites' pages.

use super::dto::*;
use crate::domain::ServiceError;
use crate::domain::accounts::SignedIn;
use leptos::prelude::*;
use std::sync::Arc;

pub(super) use crate::domain::service::{private_read, signed_in, unavailable};

#[async_trait::async_trait]
pub trait StageService: Send + Sync {
    /// One site, as `viewer` may see it.
    async fn site(&self, viewer: Option<SignedIn>, id: i64) -> Result<Option<StageSiteView>, ServiceError>;
    /// The interns' page: the open sites `filter` chooses, the latest stage offers and the
    /// housing.
    async fn interns(&self, filter: SiteFilter) -> Result<InternsPage, ServiceError>;
    /// The open sites matching the search `q`, at most `SEARCH_LIMIT`.
    async fn search(&self, q: &str) -> Result<Vec<StageSiteRow>, ServiceError>;
    /// The open sites of a commune.
    async fn in_commune(&self, code: &str) -> Result<Vec<StageSiteRow>, ServiceError>;
    /// An organisation's sites, for its members.
    async fn organisation_sites(
        &self,
        user: SignedIn,
        organisation: i64,
    ) -> Result<Option<OrganisationStageSites>, ServiceError>;
}

pub fn provide_stage_service(service: Arc<dyn StageService>) {
    crate::domain::service::provide(service);
}

pub(super) fn stages() -> Result<Arc<dyn StageService>, ServerFnError> {
    crate::domain::service::get("service des terrains de stage")
}
