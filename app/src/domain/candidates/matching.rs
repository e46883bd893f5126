//! How well an offer and a candidate fit, with the reasons in French: the same pure function
//! ranks offers for a candidate and opted-in candidates for an organisation.

use super::wishes::Wishes;
use crate::domain::offers::{Housing, OfferKind, Specialty};
use crate::model::{Day, Zonage, distance_km};
use serde::{Deserialize, Serialize};

/// What matching needs to know of an offer.
#[derive(Debug, Clone, PartialEq)]
pub struct OfferFacts {
    pub kind: OfferKind,
    pub specialty: Specialty,
    pub start: Option<Day>,
    pub end: Option<Day>,
    pub housing: Housing,
    pub commune_name: String,
    pub departement_code: String,
    pub departement_name: String,
    /// The commune's coordinates.
    pub lat: f64,
    pub lon: f64,
    pub zonage: Option<Zonage>,
    /// In a maison de santé, a centre or a hospital rather than alone.
    pub team: bool,
    /// Fewer than five days a week, or split between two settings.
    pub part_time: bool,
}

/// A commune a candidate searches around: its name and coordinates.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    pub name: String,
    pub lat: f64,
    pub lon: f64,
}

/// One reason, for or against.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reason {
    pub text: String,
    /// For (true) or against (false).
    pub good: bool,
}

/// A score out of 100 and its reasons, the weightiest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Match {
    pub score: u8,
    pub reasons: Vec<Reason>,
}

/// Radius when the candidate gave a commune but no radius, in km.
const DEFAULT_RADIUS_KM: f64 = 30.0;

/// How well `offer` fits a candidate with `wishes` who searches around `around` (the commune
/// of `wishes.around`, when it is one of ours).
pub fn score(offer: &OfferFacts, wishes: &Wishes, around: Option<&Place>) -> Match {
    let mut points: i32 = 0;
    let mut reasons: Vec<(i32, Reason)> = Vec::new();
    let mut reason = |weight: i32, good: bool, text: String| reasons.push((weight, Reason { text, good }));

    if offer.specialty == wishes.specialty {
        points += 25;
    } else {
        reason(30, false, format!("spécialité différente : {}", offer.specialty.label().to_lowercase()));
    }

    if wishes.kinds.contains(&offer.kind) {
        points += 20;
        reason(20, true, format!("{} : un type d'offre que vous cherchez", offer.kind.label().to_lowercase()));
    } else {
        reason(25, false, format!("{} : pas un type d'offre que vous cherchez", offer.kind.label().to_lowercase()));
    }

    // Where: near the commune, or in a département sought; nothing said means anywhere.
    let in_departement = wishes.departements.iter().any(|d| d.as_str() == offer.departement_code);
    let near = around.map(|place| {
        let km = distance_km(place.lat, place.lon, offer.lat, offer.lon);
        let radius = wishes.radius_km.map_or(DEFAULT_RADIUS_KM, f64::from);
        (km, radius, place)
    });
    match near {
        Some((km, radius, place)) if km <= radius => {
            points += 15 + (10.0 * (1.0 - km / radius)).round() as i32;
            let text = if km < 1.0 {
                format!("à {}", place.name)
            } else {
                format!("à {} km de {}", km.round() as i64, place.name)
            };
            reason(24, true, text);
        }
        _ if in_departement => {
            points += 20;
            reason(22, true, format!("dans le département recherché ({})", offer.departement_name));
        }
        Some((km, _, place)) => {
            reason(23, false, format!("à {} km de {}, hors de votre zone de recherche", km.round() as i64, place.name))
        }
        None if !wishes.departements.is_empty() => {
            reason(23, false, format!("hors de vos départements ({})", offer.departement_name))
        }
        None => points += 15,
    }

    // When: the offer's dates meet the candidate's availability.
    if !wishes.availability.is_empty() {
        if wishes.availability.iter().any(|window| window.meets(offer.start, offer.end)) {
            points += 10;
            reason(15, true, "dates compatibles".to_owned());
        } else {
            reason(21, false, "dates incompatibles avec vos disponibilités".to_owned());
        }
    } else {
        points += 5;
    }

    if wishes.needs_housing {
        match offer.housing {
            Housing::Oui => {
                points += 10;
                reason(18, true, "logement fourni".to_owned());
            }
            Housing::Aide => {
                points += 5;
                reason(12, true, "aide pour trouver un logement".to_owned());
            }
            Housing::Non => reason(16, false, "pas de logement proposé".to_owned()),
        }
    } else {
        points += 5;
    }

    if wishes.group_practice && offer.team {
        points += 5;
        reason(10, true, "exercice en équipe".to_owned());
    }
    if wishes.salaried && offer.kind == OfferKind::Salariat {
        points += 5;
        reason(9, true, "salariat".to_owned());
    }
    if wishes.mixed && offer.kind == OfferKind::ExerciceMixte {
        points += 5;
        reason(9, true, "exercice mixte".to_owned());
    }
    if wishes.part_time && offer.part_time {
        points += 5;
        reason(8, true, "temps partiel possible".to_owned());
    }
    // The Assurance Maladie's installation aids reward settling in libéral practice: they say
    // nothing to a replacement, a placement or a salaried post. Amounts are the catalogue's
    // (/aides), not repeated here where they would go stale.
    let settles = matches!(offer.kind, OfferKind::Installation | OfferKind::ExerciceMixte);
    match offer.zonage {
        Some(Zonage::Zip) if settles => reason(
            7,
            true,
            "zone d'intervention prioritaire (ZIP) : aide de l'Assurance Maladie à une première installation libérale"
                .to_owned(),
        ),
        Some(Zonage::Zac) if settles => reason(
            7,
            true,
            "zone d'action complémentaire (ZAC) : aide de l'Assurance Maladie à une première installation libérale"
                .to_owned(),
        ),
        _ => {}
    }

    reasons.sort_by_key(|(weight, _)| -weight);
    Match { score: points.clamp(0, 100) as u8, reasons: reasons.into_iter().map(|(_, r)| r).collect() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::candidates::WishesForm;

    fn wishes() -> Wishes {
        WishesForm {
            specialite: "medecine_generale".into(),
            type_remplacement: "oui".into(),
            disponible_du: "2027-06-15".into(),
            disponible_au: "2027-08-31".into(),
            autour: "12145".into(),
            rayon: "40".into(),
            logement: "oui".into(),
            exercice_groupe: "oui".into(),
            ..WishesForm::default()
        }
        .validate()
        .unwrap()
    }

    fn millau() -> Place {
        Place { name: "Millau".into(), lat: 44.0982, lon: 3.0776 }
    }

    /// A summer remplacement in Saint-Affrique (ZIP), with housing, in a maison de santé.
    fn saint_affrique() -> OfferFacts {
        OfferFacts {
            kind: OfferKind::Remplacement,
            specialty: Specialty::MedecineGenerale,
            start: Day::parse("2027-07-01").ok(),
            end: Day::parse("2027-07-31").ok(),
            housing: Housing::Oui,
            commune_name: "Saint-Affrique".into(),
            departement_code: "12".into(),
            departement_name: "Aveyron".into(),
            lat: 43.9581,
            lon: 2.8869,
            zonage: Some(Zonage::Zip),
            team: true,
            part_time: true,
        }
    }

    fn texts(m: &Match) -> Vec<&str> {
        m.reasons.iter().map(|r| r.text.as_str()).collect()
    }

    #[test]
    fn a_fitting_offer_scores_high_with_its_reasons() {
        let m = score(&saint_affrique(), &wishes(), Some(&millau()));
        assert!(m.score >= 80, "{m:?}");
        assert!(m.reasons.iter().all(|r| r.good), "{m:?}");
        assert_eq!(texts(&m)[0], "à 22 km de Millau");
        for expected in [
            "logement fourni",
            "dates compatibles",
            "exercice en équipe",
            "remplacement : un type d'offre que vous cherchez",
        ] {
            assert!(texts(&m).contains(&expected), "{expected}: {m:?}");
        }
        // A replacement gets no installation aid, wherever it is.
        assert!(!texts(&m).iter().any(|t| t.contains("installation")), "{m:?}");
    }

    #[test]
    fn zoning_aids_are_a_reason_only_for_offers_to_settle() {
        let zoning = |kind: OfferKind, zonage: Zonage| {
            let m = score(&OfferFacts { kind, zonage: Some(zonage), ..saint_affrique() }, &wishes(), Some(&millau()));
            m.reasons.into_iter().find(|r| r.text.contains("Assurance Maladie")).map(|r| r.text)
        };
        assert!(zoning(OfferKind::Installation, Zonage::Zip).is_some_and(|t| t.contains("(ZIP)")));
        assert!(zoning(OfferKind::ExerciceMixte, Zonage::Zac).is_some_and(|t| t.contains("(ZAC)")));
        assert_eq!(zoning(OfferKind::Installation, Zonage::Zar), None);
        for kind in [OfferKind::Remplacement, OfferKind::Stage, OfferKind::Salariat, OfferKind::Assistanat] {
            assert_eq!(zoning(kind, Zonage::Zip), None, "{kind:?}");
        }
    }

    #[test]
    fn each_mismatch_lowers_the_score_and_says_why() {
        let good = score(&saint_affrique(), &wishes(), Some(&millau())).score;
        let cases: [(OfferFacts, &str); 5] = [
            (OfferFacts { specialty: Specialty::Pediatrie, ..saint_affrique() }, "spécialité différente : pédiatrie"),
            (
                OfferFacts { kind: OfferKind::Salariat, ..saint_affrique() },
                "salariat : pas un type d'offre que vous cherchez",
            ),
            (OfferFacts { housing: Housing::Non, ..saint_affrique() }, "pas de logement proposé"),
            (
                OfferFacts { start: Day::parse("2027-10-01").ok(), end: None, ..saint_affrique() },
                "dates incompatibles avec vos disponibilités",
            ),
            (
                OfferFacts {
                    lat: 43.6045,
                    lon: 1.4440,
                    commune_name: "Toulouse".into(),
                    departement_code: "31".into(),
                    ..saint_affrique()
                },
                "à 142 km de Millau, hors de votre zone de recherche",
            ),
        ];
        for (offer, why) in cases {
            let m = score(&offer, &wishes(), Some(&millau()));
            assert!(m.score < good, "{why}: {m:?}");
            assert!(m.reasons.iter().any(|r| !r.good && r.text == why), "{why}: {m:?}");
        }
    }

    #[test]
    fn a_departement_sought_counts_when_no_commune_is_given() {
        let mut w = wishes();
        w.around = None;
        w.radius_km = None;
        w.departements = vec![crate::model::DepartementCode::parse("12").unwrap()];
        let m = score(&saint_affrique(), &w, None);
        assert!(texts(&m).contains(&"dans le département recherché (Aveyron)"), "{m:?}");
        let far =
            OfferFacts { departement_code: "31".into(), departement_name: "Haute-Garonne".into(), ..saint_affrique() };
        let m = score(&far, &w, None);
        assert!(texts(&m).contains(&"hors de vos départements (Haute-Garonne)"), "{m:?}");
        // Saying nothing of the place is no reason against.
        w.departements.clear();
        assert!(score(&far, &w, None).reasons.iter().all(|r| r.good || !r.text.contains("hors")));
    }

    #[test]
    fn the_score_stays_within_0_and_100() {
        let everything = Wishes { salaried: true, mixed: true, part_time: true, ..wishes() };
        for kind in OfferKind::ALL {
            let m = score(&OfferFacts { kind: *kind, ..saint_affrique() }, &everything, Some(&millau()));
            assert!(m.score <= 100);
        }
    }
}
