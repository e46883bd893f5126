//! Offers: one model for every pathway (installation, salariat, exercice mixte, remplacement,
//! stage, assistanat), posted by verified organisations, listed on the board until they expire
//! or are filled.
//!
//! Pages read through the server functions below; forms post to plain handlers of the server,
//! which answer with a redirect carrying a code (`?erreur=…` or `?info=…`), as for accounts.

mod board;
mod choices;
mod dto;
mod input;
mod problems;
#[cfg(feature = "ssr")]
mod service;

pub use board::{
    BoardEntry, BoardFacets, BoardOrder, BoardPage, BoardQuery, DEFAULT_RADIUS_KM, HousingWanted, INTERNS_HOUSING_KM,
    MAX_RADIUS_KM, MAX_TEXT, PER_PAGE, housing_facet,
};
pub use choices::*;
pub use dto::*;
pub use input::*;
pub use problems::{OfferNotice, OfferProblem};
#[cfg(feature = "ssr")]
pub use service::{OfferService, provide_offer_service};

use crate::domain::organisations::Access;
use leptos::prelude::*;

/// The id at the start of an `{id}-{slug}` path segment.
pub fn id_of(segment: &str) -> Option<i64> {
    segment.split('-').next()?.trim().parse().ok()
}

/// One offer, for its page: None when there is no such offer, or it is a draft the visitor
/// may not see. Expired, filled and withdrawn offers are returned: their page says so.
#[server(prefix = "/_srv", endpoint = "offre")]
pub async fn get_offer(segment: String) -> Result<Option<OfferView>, ServerFnError> {
    let Some(id) = id_of(&segment) else {
        return Ok(None);
    };
    service::offers()?.offer(service::signed_in(), id).await.map_err(service::unavailable)
}

/// The offer form of an organisation: empty (`offer` None) or holding the offer to edit.
#[server(prefix = "/_srv", endpoint = "offre-formulaire")]
pub async fn get_offer_editor(
    organisation: String,
    offer: Option<String>,
) -> Result<Access<OfferEditor>, ServerFnError> {
    let Some(user) = service::signed_in() else {
        return Ok(Access::SignInRequired);
    };
    let organisation = organisation.trim().parse::<i64>().ok();
    let offer = match offer.as_deref().map(id_of) {
        Some(None) => return Ok(Access::NotFound),
        Some(Some(id)) => Some(id),
        None => None,
    };
    let editor = service::offers()?.editor(user, organisation, offer).await.map_err(service::unavailable)?;
    Ok(editor.map_or(Access::NotFound, Access::Granted))
}

/// The offers of an organisation, for its members (drafts included).
#[server(prefix = "/_srv", endpoint = "offres-organisation")]
pub async fn get_organisation_offers(organisation: String) -> Result<Access<OrganisationOffers>, ServerFnError> {
    let offers = service::offers()?;
    service::private_read(&organisation, |user, id| offers.organisation_offers(user, id)).await
}

/// The open offers of a commune, for its page (an unknown or malformed code: none).
#[server(prefix = "/_srv", endpoint = "offres-commune")]
pub async fn get_commune_offers(code: String) -> Result<Vec<OfferCard>, ServerFnError> {
    let Ok(code) = crate::model::InseeCode::parse(&code) else { return Ok(Vec::new()) };
    service::offers()?.commune_offers(code.as_str()).await.map_err(service::unavailable)
}

/// A page of the board: open offers matching the filters.
#[server(prefix = "/_srv", endpoint = "offres", input = leptos::server_fn::codec::Json)]
pub async fn get_board(query: BoardQuery) -> Result<BoardPage, ServerFnError> {
    service::offers()?.board(service::signed_in(), query).await.map_err(service::unavailable)
}

/// Form field names besides those of `OfferForm`.
pub mod fields {
    pub const ORGANISATION: &str = "organisation";
}

/// Addresses of the pages and of the handlers their forms post to.
pub mod paths {
    use crate::domain::Address;

    /// The board.
    pub const BOARD: &str = "/offres";

    /// The page of an offer: `{offre}` is its id, a hyphen and the slug of its title.
    pub const OFFER: Address = Address("/offres/{offre}");
    /// GET: the candidates who could suit an offer (members).
    pub const CANDIDATES: Address = Address("/offres/{offre}/candidats");

    /// GET: the form of a new offer; POST: save it as a draft (members).
    pub const NEW: Address = Address("/organisations/{id}/offres/nouvelle");
    /// GET: the form of an offer; POST: save the changes (members).
    pub const EDIT: Address = Address("/offres/{offre}/modification");
    /// POST: publish a draft (members of a verified organisation).
    pub const PUBLISH: Address = Address("/offres/{offre}/publication");
    /// POST: publish again for 60 days, an open or expired offer (members).
    pub const RENEW: Address = Address("/offres/{offre}/prolongation");
    /// POST: mark as filled (members).
    pub const FILL: Address = Address("/offres/{offre}/pourvue");
    /// POST: withdraw (members).
    pub const WITHDRAW: Address = Address("/offres/{offre}/retrait");
}
