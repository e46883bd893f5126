//! Aids for doctors and interns: the catalogue (national and regional aids with their sources,
//! and the local aids of collectivités), and the eligibility simulator that says which apply
//! in a commune for a profile. The rules themselves live in the server
//! (`server::aids::eligibility`), a pure function every page shares.

mod choices;
mod dto;
mod problems;
#[cfg(feature = "ssr")]
mod service;

pub use choices::*;
pub use dto::*;
pub use problems::{AidNotice, AidProblem};
#[cfg(feature = "ssr")]
pub use service::{AidService, provide_aid_service};

use crate::domain::organisations::Access;
use leptos::prelude::*;

/// `/aides`: the catalogue, and the simulation when a commune is given (`profil`, `commune`
/// as in the address; unknown values are ignored, a bad commune is explained).
#[server(prefix = "/_srv", endpoint = "aides")]
pub async fn get_aids(profile: String, commune: String) -> Result<AidsPage, ServerFnError> {
    let profile = AidProfile::from_code(profile.trim());
    service::aids()?.aids_page(service::signed_in(), profile, &commune).await.map_err(service::unavailable)
}

/// The aids that apply in a commune, for every profile: the "aides applicables" section of its page.
#[server(prefix = "/_srv", endpoint = "aides-commune")]
pub async fn get_commune_aids(code: String) -> Result<Option<Simulation>, ServerFnError> {
    let Ok(code) = crate::model::InseeCode::parse(&code) else {
        return Ok(None);
    };
    service::aids()?.commune_aids(&code).await.map_err(service::unavailable)
}

/// The local aids of an organisation, for its members.
#[server(prefix = "/_srv", endpoint = "aides-organisation")]
pub async fn get_organisation_aids(organisation: String) -> Result<Access<OrganisationAids>, ServerFnError> {
    let aids = service::aids()?;
    service::private_read(&organisation, |user, id| aids.organisation_aids(user, id)).await
}

/// A local aid's form, for the members of its collectivité.
#[server(prefix = "/_srv", endpoint = "aide-formulaire")]
pub async fn get_local_aid(aid: String) -> Result<Access<LocalAidEditor>, ServerFnError> {
    let aids = service::aids()?;
    service::private_read(&aid, |user, id| aids.local_aid(user, id)).await
}

/// Every local aid, for moderators.
#[server(prefix = "/_srv", endpoint = "aides-moderation")]
pub async fn get_moderation_aids() -> Result<Access<ModerationAids>, ServerFnError> {
    let Some(user) = service::signed_in() else {
        return Ok(Access::SignInRequired);
    };
    let aids = service::aids()?.moderation_aids(user).await.map_err(service::unavailable)?;
    Ok(aids.map_or(Access::ModeratorsOnly, Access::Granted))
}

/// Form field names besides those of `LocalAidForm`.
pub mod fields {
    pub const PROFILE: &str = "profil";
    pub const COMMUNE: &str = "commune";
    pub const REASON: &str = "motif";
    /// The query parameter naming the aid a refused withdrawal was about: its reason comes
    /// back into that aid's form only.
    pub const AID: &str = "aide";
}

/// Addresses of the pages and of the handlers their forms post to.
pub mod paths {
    use crate::domain::Address;

    /// The catalogue and the simulator (query: profil, commune).
    pub const AIDS: &str = "/aides";
    /// The moderation of local aids.
    pub const MODERATION: &str = "/moderation/aides";

    /// The simulator's answer for a commune (as people name it: « Decazeville (12) ») and
    /// profile.
    pub fn simulate(commune: &str, profile: Option<super::AidProfile>) -> String {
        let commune = crate::components::encode_query_value(commune);
        match profile {
            Some(profile) => format!("{AIDS}?profil={}&commune={commune}#simulation", profile.code()),
            None => format!("{AIDS}?commune={commune}#simulation"),
        }
    }
    /// One aid in the catalogue.
    pub fn aid(slug: &str) -> String {
        format!("{AIDS}#aide-{slug}")
    }
    /// GET: a collectivité's local aids and the form of a new one; POST: publish it (members).
    pub const ORGANISATION: Address = Address("/organisations/{id}/aides");
    /// GET: the form of a local aid; POST: save the changes (members).
    pub const EDIT: Address = Address("/aides/{aide}/modification");
    /// POST: withdraw (members of its collectivité, moderators).
    pub const WITHDRAW: Address = Address("/aides/{aide}/retrait");
    /// POST: put back a withdrawn aid (moderators).
    pub const RESTORE: Address = Address("/aides/{aide}/retablissement");
    /// POST: record that a local aid's source was checked (moderators).
    pub const VERIFY: Address = Address("/aides/{aide}/verification");
}
