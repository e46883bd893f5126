//! The closed lists an offer is made of, each value with its code (in the database, forms and
//! addresses) and its French label.

use serde::{Deserialize, Serialize};

choices! {
    /// The pathway an offer is for.
    OfferKind {
        Installation = "installation" => "Installation libérale",
        Salariat = "salariat" => "Salariat",
        ExerciceMixte = "exercice_mixte" => "Exercice mixte",
        Remplacement = "remplacement" => "Remplacement",
        Stage = "stage" => "Stage d'interne",
        Assistanat = "assistanat" => "Assistanat",
    }
}

choices! {
    /// The variant within a kind (none for salariat and exercice mixte).
    OfferMode {
        Creation = "creation" => "Création",
        Succession = "succession" => "Succession",
        Association = "association" => "Association",
        Collaboration = "collaboration" => "Collaboration",
        Ponctuel = "ponctuel" => "Ponctuel",
        Regulier = "regulier" => "Régulier",
        Niveau1 = "niveau1" => "Stage de niveau 1",
        Saspas = "saspas" => "SASPAS",
        DocteurJunior = "docteur_junior" => "Docteur junior",
        Assistant = "assistant" => "Assistant",
        Adjoint = "adjoint" => "Médecin adjoint",
    }
}

impl OfferKind {
    /// The modes one must choose from for this kind; empty when the kind has none.
    pub fn modes(self) -> &'static [OfferMode] {
        use OfferMode as M;
        match self {
            OfferKind::Installation => &[M::Creation, M::Succession, M::Association, M::Collaboration],
            OfferKind::Remplacement => &[M::Ponctuel, M::Regulier],
            OfferKind::Stage => &[M::Niveau1, M::Saspas, M::DocteurJunior],
            OfferKind::Assistanat => &[M::Assistant, M::Adjoint],
            OfferKind::Salariat | OfferKind::ExerciceMixte => &[],
        }
    }

    /// The ways pay may be stated for this kind, in the order the form offers them; none is
    /// preselected. A rétrocession is a replacement's share of the fees it earns: a doctor who
    /// sets up their own practice earns honoraires, or takes over a practice's turnover.
    pub fn pay_kinds(self) -> &'static [PayKind] {
        use PayKind as K;
        match self {
            OfferKind::Installation => &[K::Honoraires, K::ChiffreAffaires, K::RevenuGaranti, K::ADiscuter],
            OfferKind::Remplacement => &[K::Retrocession, K::Salaire, K::RevenuGaranti, K::ADiscuter],
            OfferKind::ExerciceMixte => &[K::RevenuGaranti, K::Salaire, K::Honoraires, K::ADiscuter],
            OfferKind::Salariat | OfferKind::Stage | OfferKind::Assistanat => &[K::Salaire, K::ADiscuter],
        }
    }
}

choices! {
    /// Medical specialties offers are posted for; general practice first, the one most missing.
    Specialty {
        MedecineGenerale = "medecine_generale" => "Médecine générale",
        Pediatrie = "pediatrie" => "Pédiatrie",
        Gynecologie = "gynecologie" => "Gynécologie médicale",
        Psychiatrie = "psychiatrie" => "Psychiatrie",
        Geriatrie = "geriatrie" => "Gériatrie",
        Urgences = "urgences" => "Médecine d'urgence",
        Cardiologie = "cardiologie" => "Cardiologie",
        Dermatologie = "dermatologie" => "Dermatologie",
        Ophtalmologie = "ophtalmologie" => "Ophtalmologie",
        Radiologie = "radiologie" => "Radiologie",
        Autre = "autre" => "Autre spécialité",
    }
}

choices! {
    /// How the doctor is paid, or what activity to expect: the basis of the offer's figure.
    PayKind {
        Retrocession = "retrocession" => "Rétrocession d'honoraires",
        Salaire = "salaire" => "Salaire",
        RevenuGaranti = "revenu_garanti" => "Revenu garanti",
        Honoraires = "honoraires" => "Honoraires attendus",
        ChiffreAffaires = "chiffre_affaires" => "Chiffre d'affaires du cabinet repris",
        ADiscuter = "a_discuter" => "À discuter",
    }
}

impl PayKind {
    /// The unit of `pay_min` / `pay_max`; none for « à discuter », which states no figure.
    pub fn unit(self) -> Option<&'static str> {
        match self {
            PayKind::Retrocession => Some("%"),
            PayKind::Salaire | PayKind::RevenuGaranti => Some("€ brut par mois"),
            PayKind::Honoraires | PayKind::ChiffreAffaires => Some("€ par an"),
            PayKind::ADiscuter => None,
        }
    }

    /// The figures this basis accepts, in its unit.
    pub fn range(self) -> std::ops::RangeInclusive<i64> {
        match self {
            PayKind::Retrocession => 1..=100,
            PayKind::Salaire | PayKind::RevenuGaranti => 300..=60_000,
            PayKind::Honoraires | PayKind::ChiffreAffaires => 5_000..=3_000_000,
            PayKind::ADiscuter => 0..=0,
        }
    }
}

choices! {
    /// On-call duty (permanence des soins, PDSA).
    OnCall {
        Aucune = "aucune" => "Pas de garde",
        Volontaire = "volontaire" => "Gardes sur la base du volontariat",
        Obligatoire = "obligatoire" => "Gardes obligatoires",
    }
}

choices! {
    /// Who answers the phone and keeps the diary.
    Secretariat {
        Aucun = "aucun" => "Pas de secrétariat",
        SurPlace = "sur_place" => "Secrétariat sur place",
        ADistance = "a_distance" => "Secrétariat à distance",
    }
}

choices! {
    /// Whether housing comes with the offer.
    Housing {
        Non = "non" => "Pas de logement",
        Oui = "oui" => "Logement fourni",
        Aide = "aide" => "Aide à la recherche d'un logement",
    }
}

choices! {
    /// The internship semesters of French medical studies.
    Semester {
        Novembre = "novembre" => "Semestre de novembre",
        Mai = "mai" => "Semestre de mai",
    }
}

choices! {
    /// Where an offer stands. A published offer past its expiry date is expired without a write:
    /// see `OfferState`.
    OfferStatus {
        Brouillon = "brouillon" => "brouillon",
        Publiee = "publiee" => "publiée",
        Pourvue = "pourvue" => "pourvue",
        Retiree = "retiree" => "retirée",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_back() {
        for kind in OfferKind::ALL {
            assert_eq!(OfferKind::from_code(kind.code()), Some(*kind));
            for mode in kind.modes() {
                assert_eq!(OfferMode::from_code(mode.code()), Some(*mode));
            }
        }
        for specialty in Specialty::ALL {
            assert_eq!(Specialty::from_code(specialty.code()), Some(*specialty));
        }
        assert_eq!(OfferKind::from_code("autre"), None);
    }

    #[test]
    fn every_mode_belongs_to_exactly_one_kind() {
        for mode in OfferMode::ALL {
            let owners = OfferKind::ALL.iter().filter(|k| k.modes().contains(mode)).count();
            assert_eq!(owners, 1, "{mode:?}");
        }
    }

    #[test]
    fn a_rétrocession_is_a_replacements_pay_and_every_pathway_may_leave_pay_to_discuss() {
        for kind in OfferKind::ALL {
            assert_eq!(kind.pay_kinds().contains(&PayKind::Retrocession), *kind == OfferKind::Remplacement, "{kind:?}");
            assert_eq!(kind.pay_kinds().last(), Some(&PayKind::ADiscuter), "{kind:?}");
        }
        assert_eq!(PayKind::ADiscuter.unit(), None);
    }
}

choices! {
    /// How near a passenger station the offer's commune is (`gare`), as the crow flies from
    /// its centre: any station, or one with many trains (SNCF class A or B).
    StationNear {
        Any5 = "5" => "à moins de 5 km d'une gare",
        Any10 = "10" => "à moins de 10 km d'une gare",
        Any20 = "20" => "à moins de 20 km d'une gare",
        Major10 = "10-ab" => "à moins de 10 km d'une gare nationale ou régionale",
        Major20 = "20-ab" => "à moins de 20 km d'une gare nationale ou régionale",
        Major30 = "30-ab" => "à moins de 30 km d'une gare nationale ou régionale",
        Major50 = "50-ab" => "à moins de 50 km d'une gare nationale ou régionale",
    }
}

/// The distances the station filter offers (km), for any station and for class A or B ones.
/// The search engines file each offer under the first that its commune is within (see
/// `StationNear::bucket`): "within 20 km" is then "filed under 5, 10 or 20".
const ANY_STATION_KM: [u32; 3] = [5, 10, 20];
const MAJOR_STATION_KM: [u32; 4] = [10, 20, 30, 50];
/// Where an offer farther than every distance is filed.
const FARTHER: &str = "plus";

impl StationNear {
    pub fn km(self) -> u32 {
        match self {
            StationNear::Any5 => 5,
            StationNear::Any10 | StationNear::Major10 => 10,
            StationNear::Any20 | StationNear::Major20 => 20,
            StationNear::Major30 => 30,
            StationNear::Major50 => 50,
        }
    }

    /// The choice in a short list under « Gare à moins de » (« 10 km — gare A ou B »).
    pub fn short(self) -> String {
        if self.major() { format!("{} km — gare A ou B", self.km()) } else { format!("{} km", self.km()) }
    }

    /// Whether only stations of class A or B count.
    pub fn major(self) -> bool {
        !matches!(self, StationNear::Any5 | StationNear::Any10 | StationNear::Any20)
    }

    fn steps(major: bool) -> &'static [u32] {
        if major { &MAJOR_STATION_KM } else { &ANY_STATION_KM }
    }

    /// Where an offer `km` from the nearest station (of class A or B if `major`) is filed;
    /// None (no such station in the data) is filed as farther than every distance.
    pub fn bucket(km: Option<f64>, major: bool) -> String {
        km.and_then(|km| Self::steps(major).iter().find(|step| km <= f64::from(**step)))
            .map_or_else(|| FARTHER.to_owned(), u32::to_string)
    }

    /// The buckets this filter keeps: every distance up to its own.
    pub fn buckets(self) -> Vec<String> {
        Self::steps(self.major()).iter().filter(|step| **step <= self.km()).map(u32::to_string).collect()
    }
}

#[cfg(test)]
mod station_tests {
    use super::*;

    #[test]
    fn an_offer_is_kept_by_every_filter_at_or_beyond_its_distance() {
        for near in StationNear::ALL {
            for km in [0.0, 4.9, 5.0, 5.1, 9.99, 10.0, 19.0, 20.0, 20.5, 29.0, 31.0, 49.0, 50.0, 80.0] {
                let filed = StationNear::bucket(Some(km), near.major());
                let kept = near.buckets().contains(&filed);
                assert_eq!(kept, km <= f64::from(near.km()), "{near:?} at {km} km (filed under {filed})");
            }
            assert!(!near.buckets().contains(&StationNear::bucket(None, near.major())), "no station: never near");
        }
    }
}
