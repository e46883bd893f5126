//! The server side of the aids pages: the read service the server crate implements, and the
//! glue the server functions share. Writes go to the server's form handlers.

use super::choices::AidProfile;
use super::dto::*;
use crate::domain::ServiceError;
use crate::domain::accounts::SignedIn;
use crate::model::InseeCode;
use leptos::prelude::*;
use std::sync::Arc;

pub(super) use crate::domain::service::{private_read, signed_in, unavailable};

/// Read access to aids.
#[async_trait::async_trait]
pub trait AidService: Send + Sync {
    /// The catalogue, and the simulation for `commune` (as typed) and `profile` when a
    /// commune is given; without a profile, the signed-in candidate's is used.
    async fn aids_page(
        &self,
        viewer: Option<SignedIn>,
        profile: Option<AidProfile>,
        commune: &str,
    ) -> Result<AidsPage, ServiceError>;
    /// The aids that apply in a commune, for every profile (its page); None for an unknown code.
    async fn commune_aids(&self, code: &InseeCode) -> Result<Option<Simulation>, ServiceError>;
    /// A collectivité's local aids, for its members; None for anybody else.
    async fn organisation_aids(
        &self,
        user: SignedIn,
        organisation: i64,
    ) -> Result<Option<OrganisationAids>, ServiceError>;
    /// A local aid's form, for members of its collectivité; None for anybody else.
    async fn local_aid(&self, user: SignedIn, aid: i64) -> Result<Option<LocalAidEditor>, ServiceError>;
    /// Every local aid, for moderators; None for anybody else.
    async fn moderation_aids(&self, user: SignedIn) -> Result<Option<ModerationAids>, ServiceError>;
}

/// Puts the service in the reactive context of a request.
pub fn provide_aid_service(service: Arc<dyn AidService>) {
    crate::domain::service::provide(service);
}

pub(super) fn aids() -> Result<Arc<dyn AidService>, ServerFnError> {
    crate::domain::service::get("service des aides")
}
