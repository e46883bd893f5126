//! The server side of application pages: the read service the server crate implements, and
//! the glue the server functions share. Writes go to the server's form handlers.

use super::dto::*;
use crate::domain::ServiceError;
use crate::domain::accounts::SignedIn;
use leptos::prelude::*;
use std::sync::Arc;

pub(super) use crate::domain::service::{private_read, signed_in, unavailable};

/// Read access to applications. Each method checks what the visitor may see: a candidate
/// their own applications, a member those their organisation received, nobody else anything.
#[async_trait::async_trait]
pub trait ApplicationService: Send + Sync {
    /// The applications of `user`, newest first.
    async fn mine(&self, user: SignedIn) -> Result<Vec<ApplicationCard>, ServiceError>;
    /// One application for its candidate or a member of the organisation; None for anybody
    /// else. A member's first reading marks it read.
    async fn application(&self, user: SignedIn, id: i64) -> Result<Option<ApplicationView>, ServiceError>;
    /// The applications `organisation` received, for its members; None for anybody else.
    async fn received(&self, user: SignedIn, organisation: i64) -> Result<Option<ReceivedApplications>, ServiceError>;
    /// The « Postuler » section of an offer's page; None when there is no such offer.
    async fn apply_section(&self, viewer: Option<SignedIn>, offer: i64) -> Result<Option<ApplySection>, ServiceError>;
}

/// Puts the service in the reactive context of a request.
pub fn provide_application_service(service: Arc<dyn ApplicationService>) {
    crate::domain::service::provide(service);
}

pub(super) fn applications() -> Result<Arc<dyn ApplicationService>, ServerFnError> {
    crate::domain::service::get("service des candidatures")
}
