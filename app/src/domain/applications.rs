//! Applications to offers: a doctor answers an open offer with a message and, if they wish, a
//! PDF CV; the organisation's members and the candidate then share a thread, and the members
//! move the application along its pipeline (see `ApplicationStatus`).
//!
//! Pages read through the server functions below; forms post to plain handlers of the server,
//! which answer with a redirect carrying a code (`?erreur=…` or `?info=…`), as for offers.

mod dto;
mod problems;
#[cfg(feature = "ssr")]
mod service;

pub use dto::*;
pub use problems::{ApplicationNotice, ApplicationProblem};
#[cfg(feature = "ssr")]
pub use service::{ApplicationService, provide_application_service};

use crate::domain::organisations::Access;
use leptos::prelude::*;

/// The applications of the signed-in person.
#[server(prefix = "/_srv", endpoint = "mes-candidatures")]
pub async fn get_my_applications() -> Result<Access<Vec<ApplicationCard>>, ServerFnError> {
    let Some(user) = service::signed_in() else {
        return Ok(Access::SignInRequired);
    };
    let list = service::applications()?.mine(user).await.map_err(service::unavailable)?;
    Ok(Access::Granted(list))
}

/// One application with its thread, for its candidate and the organisation's members. A
/// member opening an application just sent marks it read.
#[server(prefix = "/_srv", endpoint = "candidature")]
pub async fn get_application(id: String) -> Result<Access<ApplicationView>, ServerFnError> {
    let applications = service::applications()?;
    service::private_read(&id, |user, id| applications.application(user, id)).await
}

/// The applications an organisation received, for its members.
#[server(prefix = "/_srv", endpoint = "candidatures-organisation")]
pub async fn get_received_applications(organisation: String) -> Result<Access<ReceivedApplications>, ServerFnError> {
    let applications = service::applications()?;
    service::private_read(&organisation, |user, id| applications.received(user, id)).await
}

/// What the « Postuler » section of an offer's page shows to the visitor, and the
/// organisation's median response time.
#[server(prefix = "/_srv", endpoint = "postuler")]
pub async fn get_apply_section(segment: String) -> Result<Option<ApplySection>, ServerFnError> {
    let Some(id) = crate::domain::offers::id_of(&segment) else {
        return Ok(None);
    };
    service::applications()?.apply_section(service::signed_in(), id).await.map_err(service::unavailable)
}

/// Form field names, shared by the pages and the handlers.
pub mod fields {
    pub const MESSAGE: &str = "message";
    pub const CV: &str = "cv";
    pub const STATUS: &str = "statut";
}

/// Addresses of the pages and of the handlers their forms post to.
pub mod paths {
    use crate::domain::Address;

    /// The signed-in person's applications.
    pub const MINE: &str = "/candidatures";

    /// POST (multipart): apply to an offer.
    pub const APPLY: Address = Address("/offres/{offre}/candidature");
    /// One application and its thread.
    pub const APPLICATION: Address = Address("/candidatures/{id}");
    /// POST: a message in the thread.
    pub const MESSAGE: Address = Address("/candidatures/{id}/messages");
    /// POST: a new status (members of the organisation).
    pub const STATUS: Address = Address("/candidatures/{id}/statut");
    /// POST: the candidate withdraws.
    pub const WITHDRAW: Address = Address("/candidatures/{id}/retrait");
    /// GET: the CV, as an attachment.
    pub const CV: Address = Address("/candidatures/{id}/cv");
    /// The applications an organisation received.
    pub const RECEIVED: Address = Address("/organisations/{id}/candidatures");
}
