//! The server side of offer pages: the read service the server crate implements, and the
//! glue the server functions share. Writes go to the server's form handlers.

use super::board::{BoardPage, BoardQuery};
use super::dto::*;
use crate::api::account::SignedIn;
use crate::api::organisation::ServiceError;
use leptos::prelude::*;
use std::sync::Arc;

/// Read access to offers. Each method checks what the visitor may see.
#[async_trait::async_trait]
pub trait OfferService: Send + Sync {
    /// One offer; drafts only for members of the publishing organisation.
    async fn offer(&self, viewer: Option<SignedIn>, id: i64) -> Result<Option<OfferView>, ServiceError>;
    /// The form for a new offer of `organisation`, or for editing `offer`; None when `user`
    /// is not a member of the organisation concerned (or it does not exist).
    async fn editor(
        &self,
        user: SignedIn,
        organisation: Option<i64>,
        offer: Option<i64>,
    ) -> Result<Option<OfferEditor>, ServiceError>;
    /// A page of open offers matching `query`.
    async fn board(&self, viewer: Option<SignedIn>, query: BoardQuery) -> Result<BoardPage, ServiceError>;
    /// An organisation's offers, for its members; None for anybody else.
    async fn organisation_offers(
        &self,
        user: SignedIn,
        organisation: i64,
    ) -> Result<Option<OrganisationOffers>, ServiceError>;
}

/// Puts the service in the reactive context of a request.
pub fn provide_offer_service(service: Arc<dyn OfferService>) {
    provide_context(service);
}

pub(super) fn offers() -> Result<Arc<dyn OfferService>, ServerFnError> {
    use_context::<Arc<dyn OfferService>>().ok_or_else(|| ServerFnError::new("service des offres absent du contexte"))
}

/// The signed-in person of this request, if any (the session layer put them there).
pub(super) fn signed_in() -> Option<SignedIn> {
    use_context::<http::request::Parts>().and_then(|parts| parts.extensions.get::<SignedIn>().copied())
}

pub(super) fn unavailable(error: ServiceError) -> ServerFnError {
    tracing::error!(%error, "offer service failed");
    ServerFnError::new("Le service est momentanément indisponible. Réessayez dans un instant.")
}
