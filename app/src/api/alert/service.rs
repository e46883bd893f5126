//! The server side of the alerts page: the read service the server crate implements.

use super::SavedSearch;
use crate::api::account::SignedIn;
use crate::api::organisation::ServiceError;
use leptos::prelude::*;
use std::sync::Arc;

#[async_trait::async_trait]
pub trait AlertService: Send + Sync {
    /// The alerts of `user`, newest first.
    async fn mine(&self, user: SignedIn) -> Result<Vec<SavedSearch>, ServiceError>;
}

pub fn provide_alert_service(service: Arc<dyn AlertService>) {
    provide_context(service);
}

pub(super) fn alerts() -> Result<Arc<dyn AlertService>, ServerFnError> {
    use_context::<Arc<dyn AlertService>>().ok_or_else(|| ServerFnError::new("service des alertes absent du contexte"))
}

pub(super) fn signed_in() -> Option<SignedIn> {
    use_context::<http::request::Parts>().and_then(|parts| parts.extensions.get::<SignedIn>().copied())
}

pub(super) fn unavailable(error: ServiceError) -> ServerFnError {
    tracing::error!(%error, "alert service failed");
    ServerFnError::new("Le service est momentanément indisponible. Réessayez dans un instant.")
}
