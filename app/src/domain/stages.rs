//! Stage sites: the places where interns do a semester, declared by a verified health structure
//! or practice, with the faculty that approves them, the levels they take, their supervisors
//! (maîtres de stage universitaires), their capacity and what an intern does there. They show
//! on their own page, on their commune's page and beside the stage offers that point to them.

mod dto;
mod input;
mod problems;
#[cfg(feature = "ssr")]
mod service;

pub use dto::*;
pub use input::{NewStageSite, StageSiteForm};
pub use problems::{StageNotice, StageProblem};
#[cfg(feature = "ssr")]
pub use service::{StageService, provide_stage_service};

use crate::domain::organisations::Access;
use leptos::prelude::*;

/// One stage site; None when there is no such site, or it was withdrawn and the viewer is not
/// a member of its organisation.
#[server(prefix = "/_srv", endpoint = "terrain-de-stage")]
pub async fn get_stage_site(id: String) -> Result<Option<StageSiteView>, ServerFnError> {
    let Ok(id) = id.trim().parse::<i64>() else { return Ok(None) };
    service::stages()?.site(service::signed_in(), id).await.map_err(service::unavailable)
}

/// The stage sites of a commune (its page).
#[server(prefix = "/_srv", endpoint = "terrains-de-stage-commune")]
pub async fn get_commune_stage_sites(code: String) -> Result<Vec<StageSiteRow>, ServerFnError> {
    let Ok(code) = crate::model::InseeCode::parse(&code) else { return Ok(Vec::new()) };
    service::stages()?.in_commune(code.as_str()).await.map_err(service::unavailable)
}

/// The open stage sites whose name, organisation, commune, specialty, faculty or levels hold
/// every word of `q` (as a word's start, accents and case aside): the search page's.
#[server(prefix = "/_srv", endpoint = "terrains-de-stage-recherche")]
pub async fn search_stage_sites(q: String) -> Result<Vec<StageSiteRow>, ServerFnError> {
    if q.trim().is_empty() || q.chars().count() > crate::model::PLACE_MAX {
        return Ok(Vec::new());
    }
    service::stages()?.search(&q).await.map_err(service::unavailable)
}

/// Most stage sites a search lists.
pub const SEARCH_LIMIT: usize = 20;

/// `/internes`: the open stage sites, of one faculty, level and specialty when chosen (an
/// unknown code chooses nothing), the latest stage offers and the housing.
#[server(prefix = "/_srv", endpoint = "internes")]
pub async fn get_interns_page(
    faculte: String,
    niveau: String,
    specialite: String,
) -> Result<InternsPage, ServerFnError> {
    let filter = SiteFilter::read(|name| match name {
        "faculte" => Some(faculte.clone()),
        "niveau" => Some(niveau.clone()),
        "specialite" => Some(specialite.clone()),
        _ => None,
    });
    service::stages()?.interns(filter).await.map_err(service::unavailable)
}

/// An organisation's stage sites, for its members, with the form of a new one.
#[server(prefix = "/_srv", endpoint = "terrains-de-stage-organisation")]
pub async fn get_organisation_stage_sites(
    organisation: String,
) -> Result<Access<OrganisationStageSites>, ServerFnError> {
    let stages = service::stages()?;
    service::private_read(&organisation, |user, id| stages.organisation_sites(user, id)).await
}

pub mod paths {
    use crate::domain::Address;

    /// The interns' page (query: faculte, niveau).
    pub const INTERNS: &str = "/internes";
    /// One stage site.
    pub const SITE: Address = Address("/terrains-de-stage/{id}");
    /// POST: withdraw a site (members of its organisation).
    pub const WITHDRAW: Address = Address("/terrains-de-stage/{id}/retrait");
    /// GET: an organisation's sites and the form; POST: declare one (members).
    pub const ORGANISATION: Address = Address("/organisations/{id}/terrains-de-stage");
}

/// Form field names.
pub mod fields {
    pub const NAME: &str = "nom";
    pub const COMMUNE: &str = "commune";
    pub const SPECIALTY: &str = "specialite";
    pub const FACULTY: &str = "faculte";
    /// A checkbox per level: one pair each.
    pub const LEVELS: &str = "niveaux";
    pub const CAPACITY: &str = "places";
    /// One name a line.
    pub const SUPERVISORS: &str = "maitres_de_stage";
    /// A checkbox per activity: one pair each.
    pub const ACTIVITIES: &str = "activites";
    pub const DESCRIPTION: &str = "description";
}
