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
    /// A demonstration offer: marked « exemple ».
    pub example: bool,
}

/// `/internes`: the open stage sites chosen, and the latest stage offers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InternsPage {
    pub filter: SiteFilter,
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

/// The interns' page's choices (`faculte`, `niveau`, `specialite` in its address), which its
/// feed of new sites and its alerts follow too. An unknown code chooses nothing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteFilter {
    pub faculty: Option<Faculty>,
    pub level: Option<StageLevel>,
    pub specialty: Option<Specialty>,
}

impl SiteFilter {
    /// From the address' values (`get` gives the first value of a name, if any).
    pub fn read(get: impl Fn(&str) -> Option<String>) -> Self {
        let code = |name: &str| get(name).map(|v| v.trim().to_owned()).unwrap_or_default();
        SiteFilter {
            faculty: Faculty::from_code(&code("faculte")),
            level: StageLevel::from_code(&code("niveau")),
            specialty: Specialty::from_code(&code("specialite")),
        }
    }

    /// From a query string (`faculte=toulouse&niveau=saspas`).
    pub fn from_query(raw: &str) -> Self {
        let pairs: Vec<(String, String)> = raw
            .trim_start_matches('?')
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        Self::read(|name| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()))
    }

    /// The address' parameters of the choices made, without `?` (codes need no escaping).
    pub fn query_string(&self) -> String {
        let pairs = [
            ("faculte", self.faculty.map(Faculty::code)),
            ("niveau", self.level.map(StageLevel::code)),
            ("specialite", self.specialty.map(Specialty::code)),
        ];
        pairs.iter().filter_map(|(k, v)| v.map(|v| format!("{k}={v}"))).collect::<Vec<_>>().join("&")
    }

    /// The choices in words: "faculté Toulouse", "SASPAS", "médecine générale".
    pub fn words(&self) -> Vec<String> {
        let mut parts = Vec::new();
        parts.extend(self.faculty.map(|f| format!("faculté {}", f.short())));
        parts.extend(self.level.map(|l| l.short().to_owned()));
        parts.extend(self.specialty.map(|s| s.label().to_lowercase()));
        parts
    }
}

#[cfg(test)]
mod filter_tests {
    use super::*;

    #[test]
    fn the_interns_choices_read_back_from_their_query_string() {
        let filter = SiteFilter::from_query("?faculte=toulouse&niveau=saspas&specialite=inconnue");
        assert_eq!(
            filter,
            SiteFilter { faculty: Some(Faculty::Toulouse), level: Some(StageLevel::Saspas), specialty: None }
        );
        assert_eq!(filter.query_string(), "faculte=toulouse&niveau=saspas");
        assert_eq!(SiteFilter::from_query(&filter.query_string()), filter);
        assert_eq!(filter.words(), ["faculté Toulouse", "SASPAS"]);
        assert_eq!(SiteFilter::default().query_string(), "");
    }
}
