//! The server side of the reviews' pages.

use super::dto::*;
use crate::domain::ServiceError;
use crate::domain::accounts::SignedIn;
use leptos::prelude::*;
use std::sync::Arc;

pub(super) use crate::domain::service::{signed_in, unavailable};

#[async_trait::async_trait]
pub trait ReviewService: Send + Sync {
    /// A site's reviews for `viewer`; None when there is no such open site.
    async fn site(&self, viewer: Option<SignedIn>, site: i64) -> Result<Option<SiteReviews>, ServiceError>;
    /// The reviews waiting for the moderation; None for anybody but a moderator.
    async fn pending(&self, user: SignedIn) -> Result<Option<Vec<PendingReview>>, ServiceError>;
}

pub fn provide_review_service(service: Arc<dyn ReviewService>) {
    crate::domain::service::provide(service);
}

pub(super) fn reviews() -> Result<Arc<dyn ReviewService>, ServerFnError> {
    crate::domain::service::get("service des avis")
}
