//! Housing for interns: a verified collectivité, structure or practice publishes accommodation
//! for the interns of its area — the commune and an area, never the exact address (the contact
//! gives it, and is shown to signed-in people only), the rent or free, furnished or not, the
//! dates and the places. Stage sites' and stage offers' pages list the housing within a
//! distance the visitor chooses; the interns' page lists it all.

mod dto;
mod input;
mod problems;
#[cfg(feature = "ssr")]
mod service;

pub use dto::*;
pub use input::{HousingForm, NewHousing};
pub use problems::{HousingNotice, HousingProblem};
#[cfg(feature = "ssr")]
pub use service::{HousingService, provide_housing_service};

use crate::domain::organisations::Access;
use leptos::prelude::*;

/// One housing; None when there is no such housing, or it left the public lists (withdrawn or
/// ended) and the viewer is not a member of its organisation.
#[server(prefix = "/_srv", endpoint = "logement-interne")]
pub async fn get_housing(id: String) -> Result<Option<HousingView>, ServerFnError> {
    let Ok(id) = id.trim().parse::<i64>() else { return Ok(None) };
    service::housing()?.housing(service::signed_in(), id).await.map_err(service::unavailable)
}

/// The open housing within `km` (one of [`RADII`], else [`DEFAULT_RADIUS`]) of a commune, the
/// nearest first: what a stage site's or a stage offer's page lists.
#[server(prefix = "/_srv", endpoint = "logements-internes-proches")]
pub async fn get_housing_near(code: String, km: String) -> Result<HousingNear, ServerFnError> {
    let radius = Radius::read(&km);
    let Ok(code) = crate::model::InseeCode::parse(&code) else {
        return Ok(HousingNear { radius, items: Vec::new() });
    };
    service::housing()?.near(code.as_str(), radius).await.map_err(service::unavailable)
}

/// An organisation's housing, for its members, with the form of a new one.
#[server(prefix = "/_srv", endpoint = "logements-internes-organisation")]
pub async fn get_organisation_housing(organisation: String) -> Result<Access<OrganisationHousing>, ServerFnError> {
    let housing = service::housing()?;
    service::private_read(&organisation, |user, id| housing.organisation_housing(user, id)).await
}

pub mod paths {
    use crate::domain::Address;

    /// One housing.
    pub const HOUSING: Address = Address("/logements-internes/{id}");
    /// POST: withdraw a housing (members of its organisation).
    pub const WITHDRAW: Address = Address("/logements-internes/{id}/retrait");
    /// GET: an organisation's housing and the form; POST: publish one (members).
    pub const ORGANISATION: Address = Address("/organisations/{id}/logements-internes");
    /// The query parameter of the distance of the lists of housing nearby, in km.
    pub const RADIUS: &str = "logement_km";
    /// The anchor of those lists.
    pub const NEARBY: &str = "logements";
}

/// Form field names.
pub mod fields {
    pub const TITLE: &str = "titre";
    pub const COMMUNE: &str = "commune";
    /// The area: a quarter, a hamlet, a distance to a landmark; never the exact address.
    pub const AREA: &str = "secteur";
    pub const KIND: &str = "nature";
    /// Euros a month, charges included; 0 when free.
    pub const RENT: &str = "loyer";
    /// oui or non.
    pub const FURNISHED: &str = "meuble";
    pub const FROM: &str = "du";
    /// Optional.
    pub const UNTIL: &str = "au";
    pub const PLACES: &str = "places";
    pub const CONTACT: &str = "contact";
    /// Optional.
    pub const DETAILS: &str = "details";
}
