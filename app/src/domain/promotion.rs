//! Territory promotion pages, which their verified collectivité writes (presentation, cadre de
//! vie, photos, a video, ambassadors' testimonials, the referent to contact) with a preview
//! and a history of revisions; and the guichet unique: a case opened with that referent,
//! followed by messages on both sides.

mod dto;
mod problems;
#[cfg(feature = "ssr")]
mod service;

pub use dto::*;
pub use problems::{PromotionNotice, PromotionProblem};
#[cfg(feature = "ssr")]
pub use service::{PromotionService, provide_promotion_service};

use crate::domain::organisations::Access;
use leptos::prelude::*;

/// Longest presentation, and longest section, in characters.
pub const PRESENTATION_MAX: usize = 20_000;
pub const SECTION_MAX: usize = 5_000;
/// Largest photo accepted, in bytes.
pub const PHOTO_MAX_BYTES: usize = 8 * 1024 * 1024;

/// The published page of a territory's collectivité (`kind`: commune, epci, departement) and
/// who answers its guichet unique; None for another kind.
#[server(prefix = "/_srv", endpoint = "page-territoire")]
pub async fn get_promotion(kind: String, code: String) -> Result<Option<PublicPromotion>, ServerFnError> {
    if !matches!(kind.as_str(), "commune" | "epci" | "departement") || code.len() > 9 {
        return Ok(None);
    }
    service::promotions()?.published(&kind, code.trim()).await.map(Some).map_err(service::unavailable)
}

/// The territories that have a referent, by département (`/guichet-unique`).
#[server(prefix = "/_srv", endpoint = "guichets")]
pub async fn get_guichets() -> Result<GuichetsPage, ServerFnError> {
    service::promotions()?.guichets().await.map_err(service::unavailable)
}

/// The editor of an organisation's territory page, for its members.
#[server(prefix = "/_srv", endpoint = "page-territoire-edition")]
pub async fn get_promotion_editor(organisation: String) -> Result<Access<PromotionEditor>, ServerFnError> {
    let promotions = service::promotions()?;
    service::private_read(&organisation, |user, id| promotions.editor(user, id)).await
}

/// The signed-in person's cases.
#[server(prefix = "/_srv", endpoint = "dossiers")]
pub async fn get_cases() -> Result<Access<CasesPage>, ServerFnError> {
    let Some(user) = service::signed_in() else {
        return Ok(Access::SignInRequired);
    };
    Ok(Access::Granted(service::promotions()?.cases(user).await.map_err(service::unavailable)?))
}

/// One case.
#[server(prefix = "/_srv", endpoint = "dossier")]
pub async fn get_case(id: String) -> Result<Access<CaseDetail>, ServerFnError> {
    let promotions = service::promotions()?;
    service::private_read(&id, |user, id| promotions.case(user, id)).await
}

/// Form field names.
pub mod fields {
    pub const PRESENTATION: &str = "presentation";
    pub const VIDEO: &str = "video";
    pub const REFERENT: &str = "referent";
    pub const REFERENT_ROLE: &str = "role_referent";
    /// Prefix of a section's field: "rubrique-ecoles".
    pub const SECTION_PREFIX: &str = "rubrique-";
    pub const REVISION: &str = "version";
    pub const PHOTO: &str = "photo";
    pub const ALT: &str = "alt";
    pub const CREDIT: &str = "credit";
    pub const NAME: &str = "nom";
    pub const ROLE: &str = "role";
    pub const QUOTE: &str = "temoignage";
    pub const CONSENT: &str = "accord";
    pub const SUBJECT: &str = "objet";
    pub const MESSAGE: &str = "message";
    pub const STATUS: &str = "statut";
}

/// Addresses of the pages and of the handlers their forms post to.
pub mod paths {
    use crate::domain::Address;

    pub const CASES: &str = "/dossiers";
    /// The public list of the territories that have a referent.
    pub const GUICHETS: &str = "/guichet-unique";

    /// GET: the editor; POST: save a new revision (members).
    pub const EDITOR: Address = Address("/organisations/{id}/territoire");
    /// GET: the latest revision as the public would see it, with the publish button.
    pub const PREVIEW: Address = Address("/organisations/{id}/territoire/apercu");
    /// POST: publish a revision (members of a verified collectivité).
    pub const PUBLISH: Address = Address("/organisations/{id}/territoire/publication");
    /// POST: publish an earlier revision again, as a new one.
    pub const RESTORE: Address = Address("/organisations/{id}/territoire/restauration");
    /// POST (multipart): add a photo.
    pub const PHOTOS: Address = Address("/organisations/{id}/territoire/photos");
    /// POST: remove a photo.
    pub const REMOVE_PHOTO: Address = Address("/organisations/{id}/territoire/photos/{photo}/suppression");
    /// POST (multipart): add a testimonial.
    pub const TESTIMONIALS: Address = Address("/organisations/{id}/territoire/temoignages");
    /// POST: remove a testimonial.
    pub const REMOVE_TESTIMONIAL: Address =
        Address("/organisations/{id}/territoire/temoignages/{temoignage}/suppression");
    /// GET: a photo, resized (JPEG).
    pub const PHOTO_FILE: Address = Address("/photos/{file}");
    pub fn photo(photo: i64) -> String {
        PHOTO_FILE.of(format_args!("{photo}.jpg"))
    }
    /// GET: its thumbnail.
    pub fn thumbnail(photo: i64) -> String {
        PHOTO_FILE.of(format_args!("{photo}-vignette.jpg"))
    }
    /// POST: open a case with the referent of an organisation (signed in).
    pub const CONTACT: Address = Address("/organisations/{id}/contact");
    pub const CASE: Address = Address("/dossiers/{id}");
    /// POST: add a message to a case.
    pub const CASE_MESSAGE: Address = Address("/dossiers/{id}/messages");
    /// POST: change a case's status (the collectivité's side).
    pub const CASE_STATUS: Address = Address("/dossiers/{id}/statut");
}
