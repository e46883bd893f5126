//! Candidates: what they are looking for (their wishes), how offers and candidates fit
//! (matching, a pure function with its reasons), and the opted-in candidates an organisation
//! sees for its offers.

mod matching;
#[cfg(feature = "ssr")]
mod service;
mod wishes;

pub use matching::{Match, OfferFacts, Place, Reason, score};
#[cfg(feature = "ssr")]
pub use service::{CandidateService, provide_candidate_service};
pub use wishes::{MAX_DEPARTEMENTS, MAX_WINDOWS, Window, Wishes, WishesForm, WishesProblem};

use crate::domain::organisations::Access;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// An opted-in candidate as a recruiter sees them for one offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RankedCandidate {
    pub name: String,
    /// They opted in to be seen by verified recruiters: their address is how to reach them.
    pub email: String,
    /// "Médecin remplaçant, Médecine générale"; None when the profile is not filled in.
    pub profile: Option<String>,
    pub fit: Match,
}

/// What the signed-in person is looking for, as the form to change it (None: not said yet, or
/// signed out).
#[server(prefix = "/_srv", endpoint = "ma-recherche")]
pub async fn get_my_wishes() -> Result<Option<WishesForm>, ServerFnError> {
    let Some(user) = service::signed_in() else {
        return Ok(None);
    };
    service::candidates()?.wishes_form(user).await.map_err(service::unavailable)
}

/// The opted-in candidates ranked for an offer, for the members of its (verified) organisation.
#[server(prefix = "/_srv", endpoint = "candidats-offre")]
pub async fn get_offer_candidates(offer: String) -> Result<Access<Vec<RankedCandidate>>, ServerFnError> {
    let Some(user) = service::signed_in() else {
        return Ok(Access::SignInRequired);
    };
    let Some(offer) = crate::domain::offers::id_of(&offer) else {
        return Ok(Access::NotFound);
    };
    let ranked = service::candidates()?.for_offer(user, offer).await.map_err(service::unavailable)?;
    Ok(ranked.map_or(Access::NotFound, Access::Granted))
}
