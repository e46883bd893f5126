//! The housing form as posted (every field text, so that nothing typed is lost on an error)
//! and its validation into typed fields. What needs the database (the commune as a person names
//! it, the organisation's kind) is the server's to check.

use super::dto::HousingKind;
use super::problems::HousingProblem as P;
use crate::model::{Day, InseeCode};
use serde::{Deserialize, Serialize};

/// Highest rent, in euros a month.
pub const RENT_MAX: i64 = 2000;
/// Most interns a housing takes.
pub const PLACES_MAX: i64 = 20;
/// Longest details, in characters.
pub const DETAILS_MAX: usize = 2000;

/// The form's fields, as text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct HousingForm {
    pub titre: String,
    pub commune: String,
    pub secteur: String,
    pub nature: String,
    pub loyer: String,
    pub meuble: String,
    pub du: String,
    pub au: String,
    pub places: String,
    pub contact: String,
    pub details: String,
}

/// A valid housing, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewHousing {
    pub title: String,
    pub commune: InseeCode,
    pub area: String,
    pub kind: HousingKind,
    pub rent: i64,
    pub furnished: bool,
    pub from: Day,
    pub until: Option<Day>,
    pub places: i64,
    pub contact: String,
    pub details: String,
}

/// Words that name a street in a French address.
const STREET_WORDS: &[&str] = &[
    "rue",
    "avenue",
    "av",
    "bd",
    "boulevard",
    "chemin",
    "impasse",
    "allée",
    "allee",
    "place",
    "route",
    "quai",
    "cours",
    "lotissement",
    "square",
    "passage",
    "résidence",
    "residence",
    "rte",
    "chem",
];

/// Whether `text` gives a street address: a number then a street word (« 12 rue des Lilas »,
/// « 3 bis, avenue … »). The area a housing shows must not: the public never gets the exact
/// address.
pub fn looks_like_an_address(text: &str) -> bool {
    // A house number: digits, perhaps a letter (« 12b »); « bis » and « ter » are skipped.
    let number = |w: &str| {
        w.len() <= 5
            && w.starts_with(|c: char| c.is_ascii_digit())
            && w.trim_end_matches(|c: char| c.is_ascii_alphabetic()).chars().all(|c| c.is_ascii_digit())
    };
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .filter(|w| !matches!(w.as_str(), "bis" | "ter"))
        .collect();
    words.windows(2).any(|pair| number(&pair[0]) && STREET_WORDS.contains(&pair[1].as_str()))
}

fn tidy(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl HousingForm {
    /// The typed housing, or the first problem in the form's order; `today` bounds the end.
    pub fn validate(&self, today: Day) -> Result<NewHousing, P> {
        let title = tidy(&self.titre);
        if !(3..=120).contains(&title.chars().count()) {
            return Err(P::Title);
        }
        let commune = InseeCode::parse(self.commune.trim()).map_err(|_| P::Commune)?;
        let area = tidy(&self.secteur);
        if !(3..=120).contains(&area.chars().count()) {
            return Err(P::Area);
        }
        if looks_like_an_address(&area) {
            return Err(P::AreaIsAnAddress);
        }
        let kind = HousingKind::from_code(self.nature.trim()).ok_or(P::Kind)?;
        let rent = self.loyer.trim().parse::<i64>().ok().filter(|n| (0..=RENT_MAX).contains(n)).ok_or(P::Rent)?;
        let furnished = match self.meuble.trim() {
            "oui" => true,
            "non" => false,
            _ => return Err(P::Furnished),
        };
        let from = Day::parse(&self.du).map_err(|_| P::From)?;
        let until = match self.au.trim() {
            "" => None,
            raw => Some(Day::parse(raw).ok().filter(|until| *until > from && *until >= today).ok_or(P::Until)?),
        };
        let places =
            self.places.trim().parse::<i64>().ok().filter(|n| (1..=PLACES_MAX).contains(n)).ok_or(P::Places)?;
        let contact = self.contact.trim();
        if !(5..=300).contains(&contact.chars().count()) {
            return Err(P::Contact);
        }
        let details = self.details.trim();
        if details.chars().count() > DETAILS_MAX {
            return Err(P::Details);
        }
        Ok(NewHousing {
            title,
            commune,
            area,
            kind,
            rent,
            furnished,
            from,
            until,
            places,
            contact: contact.to_owned(),
            details: details.to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Day {
        Day::parse("2026-12-05").unwrap()
    }

    fn form() -> HousingForm {
        HousingForm {
            titre: "  Studio   des internes ".into(),
            commune: "12089".into(),
            secteur: "Centre-bourg, à 300 m de la maison de santé".into(),
            nature: "studio".into(),
            loyer: "0".into(),
            meuble: "oui".into(),
            du: "2027-05-01".into(),
            au: "2027-10-31".into(),
            places: "2".into(),
            contact: "Mairie de Decazeville, 05 65 43 00 00".into(),
            details: String::new(),
        }
    }

    #[test]
    fn a_complete_form_gives_a_housing() {
        let housing = form().validate(today()).unwrap();
        assert_eq!(housing.title, "Studio des internes");
        assert_eq!(housing.rent, 0);
        assert!(housing.furnished);
        assert_eq!(housing.until, Some(Day::parse("2027-10-31").unwrap()));
        assert_eq!(HousingForm { au: String::new(), ..form() }.validate(today()).unwrap().until, None);
    }

    #[test]
    fn each_field_has_its_problem() {
        let cases: Vec<(HousingForm, P)> = vec![
            (HousingForm { titre: "St".into(), ..form() }, P::Title),
            (HousingForm { commune: "Decazeville".into(), ..form() }, P::Commune),
            (HousingForm { secteur: " ".into(), ..form() }, P::Area),
            (HousingForm { secteur: "12 rue des Lilas".into(), ..form() }, P::AreaIsAnAddress),
            (HousingForm { nature: "yourte".into(), ..form() }, P::Kind),
            (HousingForm { loyer: "-1".into(), ..form() }, P::Rent),
            (HousingForm { loyer: "2001".into(), ..form() }, P::Rent),
            (HousingForm { loyer: "gratuit".into(), ..form() }, P::Rent),
            (HousingForm { meuble: String::new(), ..form() }, P::Furnished),
            (HousingForm { du: "01/05/2027".into(), ..form() }, P::From),
            (HousingForm { au: "2027-04-30".into(), ..form() }, P::Until),
            (HousingForm { du: "2026-01-01".into(), au: "2026-06-30".into(), ..form() }, P::Until),
            (HousingForm { places: "0".into(), ..form() }, P::Places),
            (HousingForm { places: "21".into(), ..form() }, P::Places),
            (HousingForm { contact: "Tél".into(), ..form() }, P::Contact),
            (HousingForm { details: "x".repeat(DETAILS_MAX + 1), ..form() }, P::Details),
        ];
        for (form, problem) in cases {
            assert_eq!(form.validate(today()), Err(problem), "{form:?}");
        }
    }

    #[test]
    fn a_street_address_is_told_from_an_area() {
        for address in [
            "12 rue des Lilas",
            "3 bis, avenue Jean Jaurès",
            "Résidence du parc, 4 allée des Tilleuls",
            "7 place de la Mairie",
            "12B Rue Droite",
        ] {
            assert!(looks_like_an_address(address), "{address}");
        }
        for area in [
            "Centre-bourg, à 300 m de la maison de santé",
            "Hameau de Vialarels",
            "À 2 km de la gare, quartier du Centre",
            "Rue principale du village",
            "Route de Rodez, à la sortie du bourg",
        ] {
            assert!(!looks_like_an_address(area), "{area}");
        }
    }
}
