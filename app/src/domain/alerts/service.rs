//! The server side of the alerts page: the read service the server crate implements.

use super::SavedSearch;
use crate::domain::ServiceError;
use crate::domain::accounts::SignedIn;
use leptos::prelude::*;
use std::sync::Arc;

pub(super) use crate::domain::service::{signed_in, unavailable};

#[async_trait::async_trait]
pub trait AlertService: Send + Sync {
    /// The alerts of `user`, newest first.
    async fn mine(&self, user: SignedIn) -> Result<Vec<SavedSearch>, ServiceError>;
    /// The name of the alert an unsubscribe link's token belongs to.
    async fn of_link(&self, token: &str) -> Result<Option<String>, ServiceError>;
}

pub fn provide_alert_service(service: Arc<dyn AlertService>) {
    crate::domain::service::provide(service);
}

pub(super) fn alerts() -> Result<Arc<dyn AlertService>, ServerFnError> {
    crate::domain::service::get("service des alertes")
}
