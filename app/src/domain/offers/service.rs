//! The server side of offer pages: the read service the server crate implements, and the
//! glue the server functions share. Writes go to the server's form handlers.

use super::board::{BoardPage, BoardQuery};
use super::dto::*;
use crate::domain::ServiceError;
use crate::domain::accounts::SignedIn;
use leptos::prelude::*;
use std::sync::Arc;

pub(super) use crate::domain::service::{private_read, signed_in, unavailable};

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
    /// The open offers of one commune (its INSEE code), newest first.
    async fn commune_offers(&self, code: &str) -> Result<Vec<OfferCard>, ServiceError>;
    /// An organisation's offers, for its members; None for anybody else.
    async fn organisation_offers(
        &self,
        user: SignedIn,
        organisation: i64,
    ) -> Result<Option<OrganisationOffers>, ServiceError>;
}

/// Puts the service in the reactive context of a request.
pub fn provide_offer_service(service: Arc<dyn OfferService>) {
    crate::domain::service::provide(service);
}

pub(super) fn offers() -> Result<Arc<dyn OfferService>, ServerFnError> {
    crate::domain::service::get("service des offres")
}
