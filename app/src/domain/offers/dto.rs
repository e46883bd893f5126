//! Wire types of offers: the public page of one offer, the lines of a list, and the editor.

use super::choices::*;
use super::input::{OfferFields, OfferForm};
use crate::model::{Day, Zonage};
use serde::{Deserialize, Serialize};

/// Where an offer stands for a visitor, today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum OfferState {
    /// Not published yet: seen by the organisation's members only.
    Draft,
    /// Published and not expired: listed on the board.
    Open,
    /// Published, but its publication ended without being renewed.
    Expired,
    Filled,
    Withdrawn,
}

impl OfferState {
    /// The state of an offer with `status`, published until `expires_at` (unix seconds), at `now`.
    pub fn of(status: OfferStatus, expires_at: Option<i64>, now: i64) -> Self {
        match status {
            OfferStatus::Brouillon => Self::Draft,
            OfferStatus::Publiee if expires_at.is_some_and(|at| at <= now) => Self::Expired,
            OfferStatus::Publiee => Self::Open,
            OfferStatus::Pourvue => Self::Filled,
            OfferStatus::Retiree => Self::Withdrawn,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Draft => "brouillon",
            Self::Open => "publiée",
            Self::Expired => "expirée",
            Self::Filled => "pourvue",
            Self::Withdrawn => "retirée",
        }
    }

    /// Whether the offer is listed and can be answered.
    pub fn is_open(self) -> bool {
        self == Self::Open
    }
}

/// Where the offer is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OfferPlace {
    pub commune_code: String,
    pub commune_name: String,
    /// The commune's page, `/communes/{code}-{slug}`.
    pub commune_path: String,
    /// The commune's main postal code.
    pub postal_code: String,
    pub departement_code: String,
    pub departement_name: String,
    pub region_name: String,
    pub zonage: Option<Zonage>,
    /// The structure of the offer's FINESS number, when it has one.
    pub structure: Option<String>,
    /// A stage offer's site, while it is open.
    pub stage_site: Option<SiteLink>,
}

/// A stage site, named and linked from its offers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SiteLink {
    pub name: String,
    pub path: String,
}

/// Who publishes the offer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Publisher {
    pub id: i64,
    pub name: String,
    pub kind_label: String,
    pub verified: bool,
}

/// One offer as its page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OfferView {
    pub id: i64,
    /// `/offres/{id}-{slug}`.
    pub path: String,
    /// The absolute address of `path`, for the canonical link and JSON-LD.
    pub url: String,
    pub fields: OfferFields,
    pub place: OfferPlace,
    pub publisher: Publisher,
    pub state: OfferState,
    /// Unix seconds.
    pub published_at: Option<i64>,
    pub expires_at: Option<i64>,
    pub updated_at: i64,
    /// Demo data, marked as such.
    pub example: bool,
    /// The visitor belongs to the publishing organisation: sees drafts and the actions.
    pub manageable: bool,
    /// The publishing organisation is verified: a draft can be published.
    pub publishable: bool,
    /// How the offer fits the visitor's wishes, when they said what they look for.
    pub fit: Option<crate::domain::candidates::Match>,
    /// The stations nearest to its commune.
    pub stations: Option<crate::domain::territory::NearestStations>,
}

/// One line of a list of offers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OfferCard {
    pub id: i64,
    pub path: String,
    pub title: String,
    pub kind: OfferKind,
    pub mode: Option<OfferMode>,
    pub specialty: Specialty,
    pub commune_name: String,
    pub departement_code: String,
    pub zonage: Option<Zonage>,
    pub publisher: String,
    pub start: Option<Day>,
    pub end: Option<Day>,
    pub pay: super::input::Pay,
    pub housing: Housing,
    pub state: OfferState,
    pub example: bool,
    /// Unix seconds.
    pub published_at: Option<i64>,
}

/// The offer form of an organisation: a new offer, or one being edited.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OfferEditor {
    pub organisation_id: i64,
    pub organisation_name: String,
    pub organisation_verified: bool,
    /// None for a new offer.
    pub offer_id: Option<i64>,
    /// The values to show: the stored offer, or a new offer's defaults (the organisation's
    /// commune, general practice).
    pub form: OfferForm,
    /// The organisation's open stage sites, a stage offer's choices: (id, name).
    pub stage_sites: Vec<(i64, String)>,
}

/// An organisation's offers, for its members.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrganisationOffers {
    pub organisation_id: i64,
    pub verified: bool,
    pub offers: Vec<OfferCard>,
}

/// `/offres/{id}-{slug}` of an offer.
pub fn offer_path(id: i64, title: &str) -> String {
    super::paths::OFFER.of(format_args!("{id}-{}", crate::model::slugify(title)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_published_offer_expires_by_the_clock() {
        assert_eq!(OfferState::of(OfferStatus::Publiee, Some(100), 99), OfferState::Open);
        assert_eq!(OfferState::of(OfferStatus::Publiee, Some(100), 100), OfferState::Expired);
        assert_eq!(OfferState::of(OfferStatus::Pourvue, Some(100), 10), OfferState::Filled);
        assert_eq!(OfferState::of(OfferStatus::Brouillon, None, 10), OfferState::Draft);
        assert!(!OfferState::Expired.is_open());
    }
}
