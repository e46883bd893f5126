//! The server side of the housing pages.

use super::dto::*;
use crate::domain::ServiceError;
use crate::domain::accounts::SignedIn;
use leptos::prelude::*;
use std::sync::Arc;

pub(super) use crate::domain::service::{private_read, signed_in, unavailable};

#[async_trait::async_trait]
pub trait HousingService: Send + Sync {
    /// One housing, as `viewer` may see it.
    async fn housing(&self, viewer: Option<SignedIn>, id: i64) -> Result<Option<HousingView>, ServiceError>;
    /// The open housing within `radius` of the commune `code`, the nearest first.
    async fn near(&self, code: &str, radius: Radius) -> Result<HousingNear, ServiceError>;
    /// An organisation's housing, for its members.
    async fn organisation_housing(
        &self,
        user: SignedIn,
        organisation: i64,
    ) -> Result<Option<OrganisationHousing>, ServiceError>;
}

pub fn provide_housing_service(service: Arc<dyn HousingService>) {
    crate::domain::service::provide(service);
}

pub(super) fn housing() -> Result<Arc<dyn HousingService>, ServerFnError> {
    crate::domain::service::get("service des logements pour internes")
}
