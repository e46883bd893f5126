//! Wire types of the housing pages, and the closed lists a housing is made of.

use crate::domain::territory::TerritoryRef;
use crate::model::Day;
use serde::{Deserialize, Serialize};

choices! {
    /// What is offered.
    HousingKind {
        Chambre = "chambre" => "Chambre (internat, foyer ou chez l'habitant)",
        Studio = "studio" => "Studio",
        Appartement = "appartement" => "Appartement",
        Colocation = "colocation" => "Logement partagé entre internes",
    }
}

/// The distances a list of housing nearby may reach, in km.
pub const RADII: [u32; 4] = [10, 20, 30, 50];
/// The distance when none, or one not in [`RADII`], is asked.
pub const DEFAULT_RADIUS: u32 = 20;

/// The distance of a list of housing nearby: one of [`RADII`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Radius(u32);

impl Radius {
    /// The distance `raw` asks for (« 30 » or « 30km »), or the default.
    pub fn read(raw: &str) -> Self {
        let km = raw.trim().trim_end_matches("km").trim().parse::<u32>().ok();
        Radius(km.filter(|km| RADII.contains(km)).unwrap_or(DEFAULT_RADIUS))
    }

    pub fn km(self) -> u32 {
        self.0
    }
}

/// A housing in a list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HousingRow {
    pub id: i64,
    pub title: String,
    pub organisation_name: String,
    pub commune: TerritoryRef,
    pub area: String,
    pub kind: HousingKind,
    /// Euros a month, charges included; 0 when free.
    pub rent: i64,
    pub furnished: bool,
    pub from: Day,
    pub until: Option<Day>,
    pub places: i64,
    /// Withdrawn or ended: out of the public lists.
    pub closed: bool,
    /// Published by a demonstration organisation: marked « exemple ».
    pub example: bool,
}

impl HousingRow {
    /// « Gratuit » or « 350 € par mois, charges comprises ».
    pub fn rent_text(&self) -> String {
        match self.rent {
            0 => "Gratuit".to_owned(),
            euros => format!("{} € par mois, charges comprises", crate::format::int(euros)),
        }
    }

    /// « À partir du 1 novembre 2026 » or « Du … au … ».
    pub fn dates_text(&self) -> String {
        match self.until {
            Some(until) => format!("Du {} au {}", self.from.french(), until.french()),
            None => format!("À partir du {}", self.from.french()),
        }
    }

    /// « 2 places, meublé ».
    pub fn places_text(&self) -> String {
        let places = match self.places {
            1 => "1 place".to_owned(),
            n => format!("{n} places"),
        };
        format!("{places}, {}", if self.furnished { "meublé" } else { "non meublé" })
    }
}

/// A housing near a place, with its distance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NearHousing {
    pub row: HousingRow,
    /// Between the communes' centres, rounded to the km.
    pub km: i64,
}

/// The open housing within a distance of a place, the nearest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HousingNear {
    pub radius: Radius,
    pub items: Vec<NearHousing>,
}

/// One housing, as the visitor may see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HousingView {
    pub row: HousingRow,
    pub organisation_id: i64,
    /// Who to contact: None for an anonymous visitor (shown once signed in).
    pub contact: Option<String>,
    /// The details, rendered from Markdown; empty when none.
    pub details_html: String,
    /// The viewer is a member of its organisation (may withdraw it).
    pub manager: bool,
}

/// An organisation's housing, for its members, with the form of a new one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrganisationHousing {
    pub organisation_id: i64,
    pub organisation_name: String,
    /// A verified collectivité, structure or practice: may publish housing.
    pub may_publish: bool,
    pub housing: Vec<HousingRow>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_radius_is_one_of_the_offered_distances() {
        assert_eq!(Radius::read("30").km(), 30);
        assert_eq!(Radius::read(" 50km ").km(), 50);
        assert_eq!(Radius::read("").km(), DEFAULT_RADIUS);
        assert_eq!(Radius::read("25").km(), DEFAULT_RADIUS);
        assert_eq!(Radius::read("100000").km(), DEFAULT_RADIUS);
        assert_eq!(Radius::read("-10").km(), DEFAULT_RADIUS);
    }
}
