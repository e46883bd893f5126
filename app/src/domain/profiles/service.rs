//! The server side of profiles: the read service the server crate implements.

use super::Profile;
use crate::domain::ServiceError;
use crate::domain::accounts::SignedIn;
use leptos::prelude::*;
use std::sync::Arc;

/// Reads profiles.
#[async_trait::async_trait]
pub trait ProfileService: Send + Sync {
    async fn profile(&self, user_id: i64) -> Result<Option<Profile>, ServiceError>;
}

pub fn provide_profile_service(service: Arc<dyn ProfileService>) {
    crate::domain::service::provide(service);
}

pub(super) async fn my_profile() -> Result<Option<Profile>, ServerFnError> {
    let Some(SignedIn(user_id)) = use_context::<http::request::Parts>().and_then(|p| p.extensions.get().copied())
    else {
        return Ok(None);
    };
    let service = use_context::<Arc<dyn ProfileService>>()
        .ok_or_else(|| ServerFnError::new("service des profils absent du contexte"))?;
    service.profile(user_id).await.map_err(|error| {
        tracing::error!(%error, "profile service failed");
        ServerFnError::new("Le service est momentanément indisponible. Réessayez dans un instant.")
    })
}
