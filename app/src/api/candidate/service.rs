//! The server side of the candidate pages: the read service the server crate implements.

use super::{RankedCandidate, Wishes};
use crate::api::account::SignedIn;
use crate::api::organisation::ServiceError;
use leptos::prelude::*;
use std::sync::Arc;

/// Reads candidates' wishes, and ranks opted-in candidates for an offer.
#[async_trait::async_trait]
pub trait CandidateService: Send + Sync {
    /// What `user` is looking for, if they said.
    async fn wishes(&self, user: SignedIn) -> Result<Option<Wishes>, ServiceError>;
    /// The opted-in candidates ranked for `offer`; None unless `user` is a member of its
    /// organisation and moderation verified it.
    async fn for_offer(&self, user: SignedIn, offer: i64) -> Result<Option<Vec<RankedCandidate>>, ServiceError>;
}

pub fn provide_candidate_service(service: Arc<dyn CandidateService>) {
    provide_context(service);
}

pub(super) fn candidates() -> Result<Arc<dyn CandidateService>, ServerFnError> {
    use_context::<Arc<dyn CandidateService>>()
        .ok_or_else(|| ServerFnError::new("service des candidats absent du contexte"))
}

pub(super) fn signed_in() -> Option<SignedIn> {
    use_context::<http::request::Parts>().and_then(|parts| parts.extensions.get::<SignedIn>().copied())
}

pub(super) fn unavailable(error: ServiceError) -> ServerFnError {
    tracing::error!(%error, "candidate service failed");
    ServerFnError::new("Le service est momentanément indisponible. Réessayez dans un instant.")
}
