//! What the read services behind the server functions share: their one error type, how a
//! server function finds its service in the request's context, who is asking, and what a
//! failure shows. Each feature's `service.rs` keeps only its own trait.

use crate::domain::accounts::SignedIn;
use crate::domain::organisations::Access;
use leptos::prelude::*;
use std::sync::Arc;

/// A failure of the infrastructure behind a service (database down…). Its text is logged,
/// never shown: users see a plain French message instead.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ServiceError(pub String);

/// Puts `service` in the reactive context of a request.
pub fn provide<S: ?Sized + Send + Sync + 'static>(service: Arc<S>) {
    provide_context(service);
}

/// The service of this request, provided by the server; `what` names it in the error
/// (« service des aides ») should the server have forgotten it.
pub fn get<S: ?Sized + Send + Sync + 'static>(what: &str) -> Result<Arc<S>, ServerFnError> {
    use_context::<Arc<S>>().ok_or_else(|| ServerFnError::new(format!("{what} absent du contexte")))
}

/// The signed-in person of this request, if any (the session layer put them there).
pub fn signed_in() -> Option<SignedIn> {
    use_context::<http::request::Parts>().and_then(|parts| parts.extensions.get::<SignedIn>().copied())
}

/// What a page shows when its service failed; the cause is logged.
pub fn unavailable(error: ServiceError) -> ServerFnError {
    tracing::error!(%error, "read service failed");
    ServerFnError::new("Le service est momentanément indisponible. Réessayez dans un instant.")
}

/// A private read of one thing whose id comes from the address: for the signed-in person only,
/// and `read`'s None (no such thing, or not one they may see: the two are not told apart) is
/// « not found », as is an id that is not a number.
pub async fn private_read<T, F>(raw_id: &str, read: impl FnOnce(SignedIn, i64) -> F) -> Result<Access<T>, ServerFnError>
where
    F: Future<Output = Result<Option<T>, ServiceError>>,
{
    let Some(user) = signed_in() else {
        return Ok(Access::SignInRequired);
    };
    let Ok(id) = raw_id.trim().parse::<i64>() else {
        return Ok(Access::NotFound);
    };
    Ok(read(user, id).await.map_err(unavailable)?.map_or(Access::NotFound, Access::Granted))
}
