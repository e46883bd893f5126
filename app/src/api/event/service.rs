//! The server side of the events pages.

use super::dto::*;
use crate::api::account::SignedIn;
use crate::api::organisation::ServiceError;
use leptos::prelude::*;
use std::sync::Arc;

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
    provide_context(service);
}

pub(super) fn events() -> Result<Arc<dyn EventService>, ServerFnError> {
    use_context::<Arc<dyn EventService>>()
        .ok_or_else(|| ServerFnError::new("service des événements absent du contexte"))
}

pub(super) fn signed_in() -> Option<SignedIn> {
    use_context::<http::request::Parts>().and_then(|parts| parts.extensions.get::<SignedIn>().copied())
}

pub(super) fn unavailable(error: ServiceError) -> ServerFnError {
    tracing::error!(%error, "event service failed");
    ServerFnError::new("Le service est momentanément indisponible. Réessayez dans un instant.")
}
