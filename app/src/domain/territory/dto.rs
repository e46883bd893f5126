//! Wire types of territory pages.

use crate::model::Zonage;
use serde::{Deserialize, Serialize};

/// The answer to "show me territory X at this address".
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Lookup<T> {
    /// The address is the canonical one.
    Found(Located<T>),
    /// The code exists but the slug is not the right one: go to `path`.
    Moved {
        path: String,
    },
    NotFound,
}

/// A page with the public origin of the site ("https://example.org"), for canonical links.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Located<T> {
    pub site_url: String,
    pub page: T,
}

impl<T> Located<T> {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.site_url, path)
    }
}

/// A link to another territory page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TerritoryRef {
    pub name: String,
    pub path: String,
}

impl TerritoryRef {
    /// As a step of a page's breadcrumb: (label, address).
    pub fn crumb(&self) -> (String, String) {
        (self.name.clone(), self.path.clone())
    }
}

/// How many communes, and how many inhabitants, fall in one zoning class.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ZonageShare {
    /// None: the commune is missing from the ARS file.
    pub zonage: Option<Zonage>,
    pub communes: i64,
    pub population: i64,
}

/// Health-care access figures over a set of communes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HealthSummary {
    pub population: i64,
    pub communes: i64,
    pub zonage: Vec<ZonageShare>,
    /// APL weighted by standardised population, as DREES recommends for aggregates.
    pub apl_2022: Option<f64>,
    pub apl_2023: Option<f64>,
    /// Inhabitants of communes whose APL 2023 is under the usual 2.5 threshold.
    pub population_under_threshold: i64,
    pub msp: i64,
    pub centres_sante: i64,
    pub etablissements: i64,
}

impl HealthSummary {
    pub fn share_of_population(&self, part: i64) -> f64 {
        if self.population == 0 { 0.0 } else { part as f64 * 100.0 / self.population as f64 }
    }

    pub fn zonage_population(&self, zonage: Zonage) -> i64 {
        self.zonage.iter().filter(|z| z.zonage == Some(zonage)).map(|z| z.population).sum()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HomePage {
    pub region: TerritoryRef,
    pub summary: HealthSummary,
    pub departements: Vec<DepartementRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DepartementRow {
    pub code: String,
    pub link: TerritoryRef,
    pub population: i64,
    pub communes: i64,
    pub apl_2023: Option<f64>,
    pub population_zip: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegionPage {
    pub code: String,
    pub name: String,
    pub path: String,
    pub summary: HealthSummary,
    pub departements: Vec<DepartementRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EpciRow {
    pub link: TerritoryRef,
    pub kind: String,
    pub population: i64,
    pub communes: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommuneRow {
    pub code: String,
    pub link: TerritoryRef,
    pub population: i64,
    pub zonage: Option<Zonage>,
    pub apl_2023: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DepartementPage {
    pub code: String,
    pub name: String,
    pub path: String,
    pub region: TerritoryRef,
    pub summary: HealthSummary,
    pub epcis: Vec<EpciRow>,
    pub communes: Vec<CommuneRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EpciPage {
    pub siren: String,
    pub name: String,
    pub path: String,
    /// "Communauté de communes", "Communauté d'agglomération", ...
    pub kind: String,
    /// Population of the whole EPCI, including communes outside the region.
    pub population_totale: i64,
    pub communes_total: i64,
    pub region: TerritoryRef,
    pub departements: Vec<TerritoryRef>,
    /// Figures over the EPCI's communes in the region.
    pub summary: HealthSummary,
    pub communes: Vec<CommuneRow>,
    pub structures: Vec<Structure>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum StructureKind {
    Msp,
    CentreSante,
    Etablissement,
}

impl StructureKind {
    pub const ALL: &[StructureKind] = &[Self::Msp, Self::CentreSante, Self::Etablissement];

    pub fn code(self) -> &'static str {
        match self {
            StructureKind::Msp => "msp",
            StructureKind::CentreSante => "centre_sante",
            StructureKind::Etablissement => "etablissement_sante",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|k| k.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            StructureKind::Msp => "Maison de santé pluriprofessionnelle",
            StructureKind::CentreSante => "Centre de santé",
            StructureKind::Etablissement => "Établissement de santé",
        }
    }
}

/// A health structure from FINESS.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Structure {
    pub finess: String,
    pub name: String,
    pub kind: StructureKind,
    /// FINESS category, e.g. "Centre Hospitalier (C.H.)".
    pub category: String,
    pub address: String,
    pub commune: TerritoryRef,
    /// Distance from the commune's centre, when listed as "nearby".
    pub distance_km: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AplYear {
    pub year: i64,
    pub apl: f64,
    pub apl_under65: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommunePage {
    pub code: String,
    pub name: String,
    pub path: String,
    pub postal_codes: Vec<String>,
    pub population: i64,
    pub surface_km2: f64,
    pub lat: f64,
    pub lon: f64,
    pub region: TerritoryRef,
    pub departement: TerritoryRef,
    pub epci: Option<TerritoryRef>,
    pub zonage: Option<Zonage>,
    /// Oldest first.
    pub apl: Vec<AplYear>,
    pub structures_here: Vec<Structure>,
    /// Structures of other communes within `NEARBY_KM`, nearest first.
    pub structures_nearby: Vec<Structure>,
    /// The APL of its département and of its region, to compare with.
    pub apl_around: Vec<AplAverage>,
    /// The nearest passenger stations.
    pub stations: Option<NearestStations>,
}

/// The APL of a set of communes (weighted by standardised population), per year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AplAverage {
    pub name: String,
    /// Oldest first.
    pub years: Vec<(i64, f64)>,
}

choices! {
    /// How busy a passenger station is (SNCF's « segment DRG »): A more than 250 000
    /// travellers a year, B more than 100 000, C fewer.
    StationClass {
        A = "A" => "gare nationale",
        B = "B" => "gare régionale",
        C = "C" => "gare locale",
    }
}

impl StationClass {
    /// A and B: the stations with many trains, those a family choosing where to live asks for.
    pub fn major(self) -> bool {
        matches!(self, StationClass::A | StationClass::B)
    }
}

/// A passenger station and how far it is, as the crow flies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NearStation {
    pub name: String,
    pub class: StationClass,
    /// The commune it is in.
    pub commune: TerritoryRef,
    pub km: f64,
}

/// The nearest station of a place, and the nearest of class A or B (the same one when the
/// nearest is A or B; None only without any station in the data).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NearestStations {
    pub any: NearStation,
    pub major: Option<NearStation>,
}

/// Radius of "structures nearby" on a commune page.
pub const NEARBY_KM: f64 = 15.0;

/// APL under this value marks a commune as "sous-dotée" (DREES usual threshold).
pub const APL_THRESHOLD: f64 = 2.5;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommuneHit {
    pub code: String,
    pub link: TerritoryRef,
    pub postal_codes: Vec<String>,
    pub departement: String,
    pub population: i64,
}

/// One month of the portal's activity on a territory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonthOutcome {
    /// "décembre 2026".
    pub label: String,
    pub published: i64,
    pub filled: i64,
    pub applications: i64,
}

/// `/…/bilan`: what the portal did on a territory, from its own data, over the last twelve
/// months (the current one included). Example offers are left out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutcomesPage {
    pub territory: TerritoryRef,
    /// "le département", "l'intercommunalité", "la commune", "la région".
    pub kind_label: String,
    pub path: String,
    pub from: crate::model::Day,
    pub to: crate::model::Day,
    pub months: Vec<MonthOutcome>,
    pub published: i64,
    pub filled: i64,
    pub applications: i64,
    /// Offers open today.
    pub open_now: i64,
    /// Median days from publication to "pourvue", over the offers filled in the period.
    pub median_days_to_fill: Option<i64>,
    /// Requests to the guichet unique of the territory's own collectivité.
    pub cases: i64,
    /// Events held on the territory (ended, not cancelled).
    pub events_held: i64,
}
