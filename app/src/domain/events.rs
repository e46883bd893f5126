//! Events that bring doctors and territories together (journées d'accueil, speed-dating,
//! forums): published by verified organisations, listed by territory, with registration
//! within a capacity and a waiting list, an iCalendar export, and, for registrants, the offers
//! and candidates among the others registered.

mod dto;
mod problems;
#[cfg(feature = "ssr")]
mod service;

pub use dto::*;
pub use problems::{EventNotice, EventProblem};
#[cfg(feature = "ssr")]
pub use service::{EventService, provide_event_service};

use crate::domain::organisations::Access;
use leptos::prelude::*;

/// The agenda: upcoming events, of one département (`dep`) or all.
#[server(prefix = "/_srv", endpoint = "evenements")]
pub async fn get_events(departement: String) -> Result<EventsPage, ServerFnError> {
    let departement = crate::model::DepartementCode::parse(&departement).ok().map(|d| d.as_str().to_owned());
    service::events()?.upcoming(departement).await.map_err(service::unavailable)
}

/// Upcoming events in a commune.
#[server(prefix = "/_srv", endpoint = "evenements-commune")]
pub async fn get_commune_events(code: String) -> Result<Vec<EventRow>, ServerFnError> {
    let Ok(code) = crate::model::InseeCode::parse(&code) else { return Ok(Vec::new()) };
    service::events()?.in_commune(code.as_str()).await.map_err(service::unavailable)
}

/// One event; None when there is no such event.
#[server(prefix = "/_srv", endpoint = "evenement")]
pub async fn get_event(id: String) -> Result<Option<EventView>, ServerFnError> {
    let Ok(id) = id.trim().parse::<i64>() else { return Ok(None) };
    service::events()?.event(service::signed_in(), id).await.map_err(service::unavailable)
}

/// An organisation's events, for its members.
#[server(prefix = "/_srv", endpoint = "evenements-organisation")]
pub async fn get_organisation_events(organisation: String) -> Result<Access<OrganisationEvents>, ServerFnError> {
    let events = service::events()?;
    service::private_read(&organisation, |user, id| events.organisation_events(user, id)).await
}

pub mod paths {
    use crate::domain::Address;

    /// The agenda (query: dep).
    pub const EVENTS: &str = "/evenements";
    /// Every upcoming event, as iCalendar.
    pub const EVENTS_ICS: &str = "/evenements.ics";

    pub const EVENT: Address = Address("/evenements/{id}");
    /// One event as iCalendar.
    pub const ICS: Address = Address("/evenements/{id}/agenda.ics");
    /// POST: register (signed in).
    pub const REGISTER: Address = Address("/evenements/{id}/inscription");
    /// POST: cancel one's registration.
    pub const UNREGISTER: Address = Address("/evenements/{id}/desinscription");
    /// POST: cancel the event (organisers).
    pub const CANCEL: Address = Address("/evenements/{id}/annulation");
    /// GET: an organisation's events and the form; POST: publish one (members).
    pub const ORGANISATION: Address = Address("/organisations/{id}/evenements");
}
