//! Wire types of the aids pages.

use super::choices::*;
use crate::domain::territory::TerritoryRef;
use crate::model::{Day, Zonage};
use serde::{Deserialize, Serialize};

/// One aid, with everything a doctor needs to judge it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Aid {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub funder: Funder,
    pub category: AidCategory,
    pub amount_eur: Option<i64>,
    pub amount_unit: AmountUnit,
    pub amount_text: String,
    pub summary: String,
    pub conditions: String,
    /// Where in its scope, with `departements`; both empty: anywhere in its scope.
    pub zones: Vec<AidZone>,
    /// Whole départements where it applies whatever their zoning (the ARS aid of the Gers).
    pub departements: Vec<AidDepartement>,
    /// Empty: every profile.
    pub profiles: Vec<AidProfile>,
    /// What it is for. Every catalogue aid says it; empty only for a local aid published
    /// before the field existed, which is then never added to a total.
    pub purposes: Vec<AidPurpose>,
    /// Empty: every way of practising.
    pub exercise: Vec<Exercise>,
    /// The aids it cannot be combined with (the relation holds both ways).
    pub excludes: Vec<AidLink>,
    pub commitment: Option<String>,
    pub commitment_years: Option<i64>,
    pub scope: AidScope,
    pub source_url: String,
    pub valid_from: Option<Day>,
    pub valid_to: Option<Day>,
    pub checked_on: Day,
    /// The collectivité that published it, for a local aid.
    pub publisher: Option<Publisher>,
    /// For a local aid, the day a moderator checked its source; until then it is only declared
    /// by its collectivité. (A catalogue aid's source was checked on `checked_on`.)
    pub verified_on: Option<Day>,
    /// Withdrawn by its publisher or by the moderation: kept for the record, never applied.
    pub withdrawn: bool,
}

impl Aid {
    /// Over on `today`: its last day has passed.
    pub fn expired(&self, today: Day) -> bool {
        self.valid_to.is_some_and(|end| end < today)
    }

    /// Its amount and unit, when it has a fixed one.
    pub fn fixed_amount(&self) -> Option<(i64, AmountUnit)> {
        self.amount_eur.filter(|_| self.amount_unit != AmountUnit::None).map(|amount| (amount, self.amount_unit))
    }

    /// Not in force yet on `today`.
    pub fn upcoming(&self, today: Day) -> bool {
        self.valid_from.is_some_and(|start| start > today)
    }
}

/// A département an aid names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AidDepartement {
    pub code: String,
    pub name: String,
}

/// Another aid, named: its card is `#aide-{slug}` on the aids page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AidLink {
    pub slug: String,
    pub name: String,
}

/// Where an aid applies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AidScope {
    pub kind: ScopeKind,
    /// None for a national aid.
    pub code: Option<String>,
    /// "France entière", "Occitanie", "Aveyron", "Rodez"...
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Publisher {
    pub organisation_id: i64,
    pub name: String,
    /// A demonstration organisation (`server exemples`): the aid is marked « exemple ».
    pub example: bool,
}

/// How sure the simulator is that an aid applies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Verdict {
    /// Every condition the portal can check is met.
    Applies,
    /// The rest is met, but one condition depends on something the portal does not know (the
    /// district of the practice, the mountain classification): the sentence says what.
    ToCheck(String),
}

/// An aid that applies to a place (and a profile), with the verdict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Applicable {
    pub aid: Aid,
    pub verdict: Verdict,
}

/// What the rules know of a commune.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AidPlace {
    pub commune: String,
    pub departement: String,
    pub region: String,
    pub epci: Option<String>,
    pub zonage: Option<Zonage>,
    /// Names of the commune's quartiers prioritaires (2015 geography); empty when none.
    pub qpv: Vec<String>,
}

/// Sums of fixed amounts, by unit: adding a one-off grant to a monthly allowance would mean
/// nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AidTotals {
    pub once: i64,
    pub per_month: i64,
    pub per_year: i64,
}

impl AidTotals {
    /// What the amounts come to over a year: only to rank alternatives, never shown.
    pub fn over_a_year(&self) -> i64 {
        self.once + 12 * self.per_month + self.per_year
    }
}

/// Aids that surely apply and that one person can receive together, with their sum.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AidCombination {
    pub aids: Vec<AidLink>,
    pub totals: AidTotals,
}

/// What the aids of one purpose add up to for a profile. One option when they all combine;
/// several ("soit …, soit …"), best first, when some exclude each other.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PurposeTotals {
    pub purpose: AidPurpose,
    pub options: Vec<AidCombination>,
}

/// The aids open to one profile among those of a simulation, by slug.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileAids {
    pub profile: AidProfile,
    pub slugs: Vec<String>,
}

/// The simulator's answer for one commune and profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Simulation {
    pub commune: TerritoryRef,
    pub commune_code: String,
    pub zonage: Option<Zonage>,
    pub qpv: Vec<String>,
    /// None: every profile (a commune page).
    pub profile: Option<AidProfile>,
    pub applicable: Vec<Applicable>,
    /// By purpose; empty without a profile: aids of different profiles never add up.
    pub totals: Vec<PurposeTotals>,
    /// Without a profile (a commune page): for each profile, the aids of `applicable` open to
    /// it by the simulator's rule, so a page can show them profile by profile. Empty with one.
    pub by_profile: Vec<ProfileAids>,
    /// The oldest "checked on" day among the aids listed: the answer is up to date at that day.
    pub checked_on: Option<Day>,
    /// The day the rules were applied for.
    pub today: Day,
}

/// `/aides`: the simulator's form and answer, and the whole catalogue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AidsPage {
    /// The profile asked for, or the signed-in candidate's.
    pub profile: Option<AidProfile>,
    /// True when `profile` comes from the candidate's profile rather than the address.
    pub profile_from_account: bool,
    /// The commune code asked for, as typed.
    pub commune: String,
    /// Why the commune asked for could not be used.
    pub commune_problem: Option<String>,
    pub simulation: Option<Simulation>,
    /// Every aid, local ones included; withdrawn ones left out.
    pub catalogue: Vec<Aid>,
    pub today: Day,
}

/// The local-aid form, as typed (every field text, so that what was typed comes back after an
/// error).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LocalAidForm {
    pub nom: String,
    pub categorie: String,
    pub montant: String,
    pub unite: String,
    pub montant_texte: String,
    pub resume: String,
    pub conditions: String,
    /// Comma-joined zone codes (checkboxes post one field each; the handler joins them).
    pub zones: String,
    pub profils: String,
    /// Comma-joined purpose codes.
    pub objets: String,
    /// Comma-joined slugs of the aids it cannot be combined with.
    pub exclusions: String,
    pub engagement: String,
    pub engagement_annees: String,
    pub source: String,
    pub debut: String,
    pub fin: String,
}

/// The local aids of a collectivité, for its members, with the form of a new one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrganisationAids {
    pub organisation_id: i64,
    pub organisation_name: String,
    /// False for an organisation that is not a verified collectivité: it cannot publish aids.
    pub may_publish: bool,
    /// Where its aids apply.
    pub scope: Option<AidScope>,
    pub aids: Vec<Aid>,
    /// The aids a new one may be declared not combinable with: the catalogue's and the
    /// collectivité's own.
    pub combinable: Vec<AidLink>,
    pub today: Day,
}

/// Every local aid, for the moderation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModerationAids {
    pub aids: Vec<Aid>,
    pub today: Day,
}

/// A local aid's form, for a member of its collectivité.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LocalAidEditor {
    pub aid_id: i64,
    pub organisation_id: i64,
    pub withdrawn: bool,
    pub form: LocalAidForm,
    /// The aids it may be declared not combinable with (itself left out).
    pub combinable: Vec<AidLink>,
}
