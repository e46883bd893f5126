//! The server side of the events pages.

use super::dto::*;
use crate::domain::ServiceError;
use crate::domain::accounts::SignedIn;
use leptos::prelude::*;
use std::sync::Arc;

pub(super) use crate::domain::service::{private_read, signed_in, unavailable};

#[async_trait::async_trait]
pub trait EventService: Send + Sync {
    /// Upcoming events, of one département or all.
    async fn upcoming(&self, departement: Option<String>) -> Result<EventsPage, ServiceError>;
    /// Upcoming events in a commune (its page).
    async fn in_commune(&self, code: &str) -> Result<Vec<EventRow>, ServiceError>;
    /// One event, as `viewer` may see it.
    async fn event(&self, viewer: Option<SignedIn>, id: i64) -> Result<Option<EventView>, ServiceError>;
    /// An organisation's events, for its members.
    async fn organisation_events(
        &self,
        user: SignedIn,
        organisation: i64,
    ) -> Result<Option<OrganisationEvents>, ServiceError>;
}

pub fn provide_event_service(service: Arc<dyn EventService>) {
    crate::domain::service::provide(service);
}

pub(super) fn events() -> Result<Arc<dyn EventService>, ServerFnError> {
    crate::domain::service::get("service des événements")
}
