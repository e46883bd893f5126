//! The server side of the candidate pages: the read service the server crate implements.

use super::{RankedCandidate, WishesForm};
use crate::domain::ServiceError;
use crate::domain::accounts::SignedIn;
use leptos::prelude::*;
use std::sync::Arc;

pub(super) use crate::domain::service::{signed_in, unavailable};

/// Reads candidates' wishes, and ranks opted-in candidates for an offer.
#[async_trait::async_trait]
pub trait CandidateService: Send + Sync {
    /// What `user` is looking for, if they said, as the form to change it (the commune named
    /// as people name it).
    async fn wishes_form(&self, user: SignedIn) -> Result<Option<WishesForm>, ServiceError>;
    /// The opted-in candidates ranked for `offer`; None unless `user` is a member of its
    /// organisation and moderation verified it.
    async fn for_offer(&self, user: SignedIn, offer: i64) -> Result<Option<Vec<RankedCandidate>>, ServiceError>;
}

pub fn provide_candidate_service(service: Arc<dyn CandidateService>) {
    crate::domain::service::provide(service);
}

pub(super) fn candidates() -> Result<Arc<dyn CandidateService>, ServerFnError> {
    crate::domain::service::get("service des candidats")
}
