//! Wire types of the stage sites' pages, and the closed lists a site is made of.

use crate::domain::housing::HousingRow;
use crate::domain::offers::Specialty;
use crate::domain::territory::TerritoryRef;
use serde::{Deserialize, Serialize};

choices! {
    /// The faculties that approve stage sites in the region: the universities of the reference
    /// data that train doctors (`forme_medecins`, see `Faculty::university`).
    Faculty {
        MontpellierNimes = "montpellier_nimes" => "Faculté de médecine Montpellier-Nîmes (Université de Montpellier)",
        Toulouse = "toulouse" => "Facultés de santé de Toulouse, Purpan et Rangueil (Université de Toulouse)",
    }
}

impl Faculty {
    /// The university's identifier (`id_paysage`) in the reference data
    /// (`etablissements-enseignement-superieur-occitanie.csv`).
    pub fn university(self) -> &'static str {
        match self {
            Faculty::MontpellierNimes => "evv7S",
            Faculty::Toulouse => "9hqpm",
        }
    }

    /// A short name, for lists.
    pub fn short(self) -> &'static str {
        match self {
            Faculty::MontpellierNimes => "Montpellier-Nîmes",
            Faculty::Toulouse => "Toulouse",
        }
    }
}

choices! {
    /// The levels of stage a site takes.
    StageLevel {
        Niveau1 = "niveau1" => "Stage de niveau 1 (stage praticien)",
        Saspas = "saspas" => "SASPAS (stage autonome en soins primaires ambulatoires supervisé)",
        DocteurJunior = "docteur_junior" => "Docteur junior",
    }
}

impl StageLevel {
    /// A short name, for lists.
    pub fn short(self) -> &'static str {
        match self {
            StageLevel::Niveau1 => "niveau 1",
            StageLevel::Saspas => "SASPAS",
            StageLevel::DocteurJunior => "docteur junior",
        }
    }
}

choices! {
    /// What an intern does at the site.
    StageActivity {
        ConsultationsSeul = "consultations_seul" => "Consultations seul, en supervision indirecte",
        Visites = "visites" => "Visites à domicile",
        Gardes = "gardes" => "Gardes et permanence des soins",
        Enseignement = "enseignement" => "Temps d'enseignement dédié (supervision, traces d'apprentissage)",
    }
}

/// A stage site in a list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StageSiteRow {
    pub id: i64,
    pub name: String,
    pub organisation_name: String,
    pub commune: TerritoryRef,
    pub specialty: Specialty,
    pub faculty: Faculty,
    pub levels: Vec<StageLevel>,
    /// Interns a semester.
    pub capacity: i64,
    pub withdrawn: bool,
    /// Declared by a demonstration organisation: marked « exemple ».
    pub example: bool,
    /// The interns' reviews, once there are enough to be shown.
    pub rating: Option<Rating>,
}

/// The mean of every score of a site's published reviews, shown from
/// `reviews::THRESHOLD` of them.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Rating {
    /// Out of 5.
    pub average: f64,
    pub reviews: i64,
}

impl Rating {
    /// The rating of `reviews` published reviews whose scores average `average`; None below
    /// the threshold.
    pub fn of(average: Option<f64>, reviews: i64) -> Option<Self> {
        let average = average?;
        (reviews >= crate::domain::reviews::THRESHOLD as i64).then_some(Rating { average, reviews })
    }

    /// « 4,2 / 5 (3 avis) ».
    pub fn text(self) -> String {
        format!("{} / 5 ({} avis)", crate::format::dec(self.average, 1), self.reviews)
    }
}

/// An open stage offer, in a list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StageOfferLink {
    pub title: String,
    pub path: String,
    pub commune: String,
}

/// `/internes`: the open stage sites chosen, and the latest stage offers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InternsPage {
    pub faculty: Option<Faculty>,
    pub level: Option<StageLevel>,
    pub specialty: Option<Specialty>,
    pub sites: Vec<StageSiteRow>,
    pub offers: Vec<StageOfferLink>,
    /// The housing for interns open today, by département and commune.
    pub housing: Vec<HousingRow>,
}

/// One stage site, as the visitor may see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StageSiteView {
    pub row: StageSiteRow,
    /// Its commune's INSEE code (the housing nearby is around it).
    pub commune_code: String,
    pub organisation_id: i64,
    pub description_html: String,
    pub supervisors: Vec<String>,
    pub activities: Vec<StageActivity>,
    /// Its published stage offers.
    pub offers: Vec<StageOfferLink>,
    /// The viewer is a member of its organisation (may withdraw it).
    pub manager: bool,
}

/// An organisation's stage sites, for its members, with the form of a new one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrganisationStageSites {
    pub organisation_id: i64,
    pub organisation_name: String,
    /// A verified structure or practice: may declare sites.
    pub may_declare: bool,
    pub sites: Vec<StageSiteRow>,
}
