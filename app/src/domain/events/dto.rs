//! Wire types of the events pages.

use crate::domain::territory::TerritoryRef;
use serde::{Deserialize, Serialize};

choices! {
    /// What kind of event.
    EventKind {
        JourneeAccueil = "journee_accueil" => "Journée d'accueil",
        JobDating = "job_dating" => "Speed-dating / job-dating",
        Forum = "forum" => "Forum",
    }
}

/// Where a person stands for an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Registration {
    /// Has a place.
    Registered,
    /// On the waiting list, at this position (1 = next).
    Waiting(i64),
}

/// An event in a list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventRow {
    pub id: i64,
    pub kind: EventKind,
    pub title: String,
    pub organisation_name: String,
    pub commune: TerritoryRef,
    pub starts_at: i64,
    pub ends_at: i64,
    pub places_left: i64,
    pub cancelled: bool,
    /// Published by a demonstration organisation: marked « exemple », not indexed.
    pub example: bool,
}

/// An offer of another registrant's organisation, open today.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OfferLink {
    pub title: String,
    pub organisation: String,
    pub commune: String,
    pub path: String,
}

/// Another registrant who has a candidate profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CandidateLine {
    pub name: String,
    pub status: String,
    pub specialty: String,
}

/// What a registrant may prepare before the event: the open offers of the organisations
/// present, and the candidates registered (shown to registrants who belong to an organisation).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Matches {
    pub offers: Vec<OfferLink>,
    pub candidates: Vec<CandidateLine>,
}

/// One event, as the visitor may see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventView {
    pub row: EventRow,
    pub description_html: String,
    pub place: String,
    pub capacity: i64,
    pub registered: i64,
    pub waiting: i64,
    pub organisation_id: i64,
    /// None when nobody is signed in or they are not registered.
    pub mine: Option<Registration>,
    pub signed_in: bool,
    /// The viewer belongs to the organisation that runs it (sees who registered).
    pub organiser: bool,
    /// For organisers: everybody registered, with their status.
    pub registrants: Vec<(String, Registration)>,
    /// For registrants with a place, before the event.
    pub matches: Option<Matches>,
    pub past: bool,
}

/// `/evenements`: the upcoming events, by département.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventsPage {
    pub events: Vec<EventRow>,
    pub departement: Option<String>,
    pub departements: Vec<(String, String)>,
}

/// The events of an organisation, for its members, with the form of a new one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrganisationEvents {
    pub organisation_id: i64,
    pub organisation_name: String,
    pub may_publish: bool,
    pub events: Vec<EventRow>,
}

/// The event form as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EventForm {
    #[serde(rename = "type")]
    pub kind: String,
    pub titre: String,
    pub description: String,
    pub commune: String,
    pub lieu: String,
    /// `<input type=datetime-local>`: "2027-03-15T14:00", in metropolitan France's time.
    pub debut: String,
    pub fin: String,
    pub places: String,
}
