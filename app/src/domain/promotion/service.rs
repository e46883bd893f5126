//! The server side of territory pages and of the guichet unique: the read service the server
//! crate implements, and the glue the server functions share. Writes go to the server's
//! form handlers.

use super::dto::*;
use crate::domain::ServiceError;
use crate::domain::accounts::SignedIn;
use leptos::prelude::*;
use std::sync::Arc;

pub(super) use crate::domain::service::{private_read, signed_in, unavailable};

#[async_trait::async_trait]
pub trait PromotionService: Send + Sync {
    /// The published page of the verified collectivité of a territory (`commune`, `epci`,
    /// `departement` and its code), if it has one, and who answers its guichet unique.
    async fn published(&self, kind: &str, code: &str) -> Result<PublicPromotion, ServiceError>;
    /// The territories that have a referent, by département.
    async fn guichets(&self) -> Result<GuichetsPage, ServiceError>;
    /// The editor of an organisation's page, for its members; None for anybody else.
    async fn editor(&self, user: SignedIn, organisation: i64) -> Result<Option<PromotionEditor>, ServiceError>;
    /// The cases the person opened, and those of their organisations.
    async fn cases(&self, user: SignedIn) -> Result<CasesPage, ServiceError>;
    /// One case, for its requester and the members of its organisation; None otherwise.
    async fn case(&self, user: SignedIn, id: i64) -> Result<Option<CaseDetail>, ServiceError>;
}

pub fn provide_promotion_service(service: Arc<dyn PromotionService>) {
    crate::domain::service::provide(service);
}

pub(super) fn promotions() -> Result<Arc<dyn PromotionService>, ServerFnError> {
    crate::domain::service::get("service des pages de territoire")
}
