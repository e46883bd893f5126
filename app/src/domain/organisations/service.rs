//! The server side of organisation pages: the read service the server crate implements, and
//! the glue the server functions share. Writes do not go through here: forms post to the
//! server's handlers (see `super::paths`).

use super::dto::*;
use crate::domain::ServiceError;
use crate::domain::accounts::SignedIn;
use leptos::prelude::*;
use std::sync::Arc;

pub(super) use crate::domain::service::{private_read, signed_in, unavailable};

/// Read access to organisations. Each method checks what `user` may see.
#[async_trait::async_trait]
pub trait OrganisationService: Send + Sync {
    /// The organisations `user` belongs to.
    async fn mine(&self, user: SignedIn) -> Result<Vec<OrganisationSummary>, ServiceError>;
    /// One organisation, for its members and for moderators; None for anybody else.
    async fn organisation(&self, user: SignedIn, id: i64) -> Result<Option<OrganisationDetail>, ServiceError>;
    /// The invitation of a mailed link (whoever holds the link may read it).
    async fn invitation(&self, token: &str) -> Result<Option<InvitationView>, ServiceError>;
    /// The moderation queue, log and failed mails; None when `user` is not a moderator.
    async fn moderation(&self, user: SignedIn) -> Result<Option<ModerationPage>, ServiceError>;
}

/// Puts the service in the reactive context of a request.
pub fn provide_organisation_service(service: Arc<dyn OrganisationService>) {
    crate::domain::service::provide(service);
}

pub(super) fn organisations() -> Result<Arc<dyn OrganisationService>, ServerFnError> {
    crate::domain::service::get("service des organisations")
}
