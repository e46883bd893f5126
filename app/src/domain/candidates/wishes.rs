//! What a candidate is looking for: specialty, kinds of offers, when, where, how they want to
//! practise, what they need, and whether verified recruiters may see them. The form as posted
//! (text, so nothing typed is lost) and its validation.

use crate::domain::offers::{MAX_RADIUS_KM, OfferKind, Specialty};
use crate::model::{Around, Day, DepartementCode, PlaceName};
use serde::{Deserialize, Serialize};

/// At most this many départements in one search.
pub const MAX_DEPARTEMENTS: usize = 13;
/// At most this many periods of availability.
pub const MAX_WINDOWS: usize = 3;

/// A period of availability; at least one end is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Window {
    pub from: Option<Day>,
    pub to: Option<Day>,
}

impl Window {
    /// Whether the period from `start` to `end` (either open) meets this window.
    pub fn meets(self, start: Option<Day>, end: Option<Day>) -> bool {
        let starts_in_time = match (start, self.to) {
            (Some(start), Some(to)) => start <= to,
            _ => true,
        };
        let ends_in_time = match (end, self.from) {
            (Some(end), Some(from)) => end >= from,
            _ => true,
        };
        starts_in_time && ends_in_time
    }

    /// "2027-06-01..2027-08-31", "2027-06-01..", "..2027-08-31", as stored.
    pub fn stored(self) -> String {
        let side = |d: Option<Day>| d.map(|d| d.to_string()).unwrap_or_default();
        format!("{}..{}", side(self.from), side(self.to))
    }

    /// The windows of a stored text (empty: none); the first piece that is not a window
    /// the program wrote is the error.
    pub fn read_stored(text: &str) -> Result<Vec<Window>, String> {
        if text.is_empty() {
            return Ok(Vec::new());
        }
        text.split(';')
            .map(|piece| {
                let day = |s: &str| if s.is_empty() { Ok(None) } else { Day::parse(s).map(Some) };
                let window = piece.split_once("..").and_then(|(from, to)| {
                    let window = Window { from: day(from).ok()?, to: day(to).ok()? };
                    (window.from.is_some() || window.to.is_some()).then_some(window)
                });
                window.ok_or_else(|| piece.to_owned())
            })
            .collect()
    }
}

/// A candidate's wishes, valid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Wishes {
    pub specialty: Specialty,
    /// At least one.
    pub kinds: Vec<OfferKind>,
    /// When they are available: up to `MAX_WINDOWS` periods, either end open.
    pub availability: Vec<Window>,
    pub departements: Vec<DepartementCode>,
    /// Around a commune, within `radius_km`: by its code once stored, as the person named it
    /// in a form until the server finds it.
    pub around: Option<Around>,
    pub radius_km: Option<u32>,
    /// Preferences: group practice (MSP, centre), salaried, mixed, part-time.
    pub group_practice: bool,
    pub salaried: bool,
    pub mixed: bool,
    pub part_time: bool,
    /// Needs: housing, a job for a spouse, childcare.
    pub needs_housing: bool,
    pub needs_spouse_job: bool,
    pub needs_childcare: bool,
    /// Opted in: verified recruiters see the profile and these wishes, ranked for their offers.
    pub visible: bool,
}

/// The wishes form as posted; a ticked box sends "oui".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct WishesForm {
    pub specialite: String,
    pub type_installation: String,
    pub type_salariat: String,
    pub type_exercice_mixte: String,
    pub type_remplacement: String,
    pub type_stage: String,
    pub type_assistanat: String,
    pub disponible_du: String,
    pub disponible_au: String,
    pub disponible_du_2: String,
    pub disponible_au_2: String,
    pub disponible_du_3: String,
    pub disponible_au_3: String,
    /// Numbers separated by commas or spaces: "12, 81".
    pub departements: String,
    pub autour: String,
    pub rayon: String,
    pub exercice_groupe: String,
    pub salariat: String,
    pub mixte: String,
    pub temps_partiel: String,
    pub logement: String,
    pub emploi_conjoint: String,
    pub garde_enfants: String,
    pub visible: String,
}

codes! {
    /// What is wrong with a wishes form.
    WishesProblem {
        Specialty = "souhait-specialite" => "Choisissez votre spécialité.",
        Kinds = "souhait-types" => "Cochez au moins un type d'offre qui vous intéresse.",
        Dates = "souhait-dates" => "Les dates de disponibilité ne sont pas valides : des dates AAAA-MM-JJ, la fin de chaque période après son début.",
        Departements = "souhait-departements" => "Les départements sont des numéros séparés par des virgules (par exemple « 12, 81 »), 13 au plus.",
        Around = "souhait-commune" => "Nous ne trouvons pas la commune autour de laquelle vous cherchez : écrivez son nom (par exemple Millau) ou son code postal (12100), ou choisissez parmi les suggestions.",
        Radius = "souhait-rayon" => "Le rayon de recherche est un nombre de kilomètres, de 1 à 300.",
    }
}

field_problem!(WishesProblem);

impl WishesProblem {
    /// The wishes form's field it concerns (`types`: the group of kinds; `disponible_du`: the
    /// first period).
    pub fn field(self) -> Option<&'static str> {
        use WishesProblem as P;
        Some(match self {
            P::Specialty => "specialite",
            P::Kinds => "types",
            P::Dates => "disponible_du",
            P::Departements => "departements",
            P::Around => "autour",
            P::Radius => "rayon",
        })
    }
}

fn ticked(value: &str) -> bool {
    value == "oui"
}

fn tick(value: bool) -> String {
    if value { "oui".to_owned() } else { String::new() }
}

impl WishesForm {
    fn kind_boxes(&self) -> [(OfferKind, &String); 6] {
        [
            (OfferKind::Installation, &self.type_installation),
            (OfferKind::Salariat, &self.type_salariat),
            (OfferKind::ExerciceMixte, &self.type_exercice_mixte),
            (OfferKind::Remplacement, &self.type_remplacement),
            (OfferKind::Stage, &self.type_stage),
            (OfferKind::Assistanat, &self.type_assistanat),
        ]
    }

    /// Whether the box of `kind` is ticked.
    pub fn has_kind(&self, kind: OfferKind) -> bool {
        self.kind_boxes().iter().any(|(k, v)| *k == kind && ticked(v))
    }

    /// Checks the form. Whether the commune exists is the server's to check.
    pub fn validate(&self) -> Result<Wishes, WishesProblem> {
        let specialty = Specialty::from_code(self.specialite.trim()).ok_or(WishesProblem::Specialty)?;
        let kinds: Vec<OfferKind> = self.kind_boxes().iter().filter(|(_, v)| ticked(v)).map(|(k, _)| *k).collect();
        if kinds.is_empty() {
            return Err(WishesProblem::Kinds);
        }
        let day = |raw: &str| match raw.trim() {
            "" => Ok(None),
            raw => Day::parse(raw).map(Some).map_err(|_| WishesProblem::Dates),
        };
        let mut availability = Vec::new();
        for (from, to) in [
            (&self.disponible_du, &self.disponible_au),
            (&self.disponible_du_2, &self.disponible_au_2),
            (&self.disponible_du_3, &self.disponible_au_3),
        ] {
            let window = Window { from: day(from)?, to: day(to)? };
            if let (Some(from), Some(to)) = (window.from, window.to)
                && to < from
            {
                return Err(WishesProblem::Dates);
            }
            if window.from.is_some() || window.to.is_some() {
                availability.push(window);
            }
        }
        let mut departements = Vec::new();
        for part in self.departements.split([',', ' ', ';']).filter(|p| !p.trim().is_empty()) {
            let code = DepartementCode::parse(part).map_err(|_| WishesProblem::Departements)?;
            if !departements.contains(&code) {
                departements.push(code);
            }
        }
        if departements.len() > MAX_DEPARTEMENTS {
            return Err(WishesProblem::Departements);
        }
        let around = match self.autour.trim() {
            "" => None,
            raw => Some(Around::Named(PlaceName::parse(raw).ok_or(WishesProblem::Around)?)),
        };
        let radius_km = match self.rayon.trim().trim_end_matches("km").trim() {
            "" => None,
            raw => match raw.parse::<u32>() {
                Ok(km) if (1..=MAX_RADIUS_KM).contains(&km) => Some(km),
                _ => return Err(WishesProblem::Radius),
            },
        };
        Ok(Wishes {
            specialty,
            kinds,
            availability,
            departements,
            radius_km: radius_km.filter(|_| around.is_some()),
            around,
            group_practice: ticked(&self.exercice_groupe),
            salaried: ticked(&self.salariat),
            mixed: ticked(&self.mixte),
            part_time: ticked(&self.temps_partiel),
            needs_housing: ticked(&self.logement),
            needs_spouse_job: ticked(&self.emploi_conjoint),
            needs_childcare: ticked(&self.garde_enfants),
            visible: ticked(&self.visible),
        })
    }
}

impl Wishes {
    /// The form filled with these wishes, to edit them.
    pub fn to_form(&self) -> WishesForm {
        let has = |kind| tick(self.kinds.contains(&kind));
        let side = |i: usize, end: fn(&Window) -> Option<Day>| {
            self.availability.get(i).and_then(end).map(|d| d.to_string()).unwrap_or_default()
        };
        WishesForm {
            specialite: self.specialty.code().to_owned(),
            type_installation: has(OfferKind::Installation),
            type_salariat: has(OfferKind::Salariat),
            type_exercice_mixte: has(OfferKind::ExerciceMixte),
            type_remplacement: has(OfferKind::Remplacement),
            type_stage: has(OfferKind::Stage),
            type_assistanat: has(OfferKind::Assistanat),
            disponible_du: side(0, |w| w.from),
            disponible_au: side(0, |w| w.to),
            disponible_du_2: side(1, |w| w.from),
            disponible_au_2: side(1, |w| w.to),
            disponible_du_3: side(2, |w| w.from),
            disponible_au_3: side(2, |w| w.to),
            departements: self.departements.iter().map(|d| d.as_str()).collect::<Vec<_>>().join(", "),
            // A stored commune is named by the server (`CandidateService::wishes_form`): a code
            // typed back would read as a postal code.
            autour: match &self.around {
                Some(Around::Named(place)) => place.to_string(),
                Some(Around::Code(_)) | None => String::new(),
            },
            rayon: self.radius_km.map(|km| km.to_string()).unwrap_or_default(),
            exercice_groupe: tick(self.group_practice),
            salariat: tick(self.salaried),
            mixte: tick(self.mixed),
            temps_partiel: tick(self.part_time),
            logement: tick(self.needs_housing),
            emploi_conjoint: tick(self.needs_spouse_job),
            garde_enfants: tick(self.needs_childcare),
            visible: tick(self.visible),
        }
    }

    /// The windows of availability, as stored.
    pub fn availability_stored(&self) -> String {
        self.availability.iter().map(|w| w.stored()).collect::<Vec<_>>().join(";")
    }

    /// The kinds, comma-separated codes, as stored.
    pub fn kinds_codes(&self) -> String {
        self.kinds.iter().map(|k| k.code()).collect::<Vec<_>>().join(",")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> WishesForm {
        WishesForm {
            specialite: "medecine_generale".into(),
            type_remplacement: "oui".into(),
            type_installation: "oui".into(),
            disponible_du: "2027-06-01".into(),
            disponible_au: "2027-09-30".into(),
            departements: "12, 81 12".into(),
            autour: "12145".into(),
            rayon: "40 km".into(),
            logement: "oui".into(),
            visible: "oui".into(),
            ..WishesForm::default()
        }
    }

    #[test]
    fn wishes_read_and_write_back() {
        let wishes = form().validate().unwrap();
        assert_eq!(wishes.kinds, [OfferKind::Installation, OfferKind::Remplacement]);
        assert_eq!(wishes.departements.iter().map(|d| d.as_str()).collect::<Vec<_>>(), ["12", "81"]);
        assert_eq!((wishes.radius_km, wishes.needs_housing, wishes.visible), (Some(40), true, true));
        assert_eq!(wishes.to_form().validate(), Ok(wishes.clone()));
        assert_eq!(wishes.kinds_codes(), "installation,remplacement");
        assert_eq!(Window::read_stored(&wishes.availability_stored()), Ok(wishes.availability));
    }

    #[test]
    fn several_windows_of_availability_are_kept_in_order() {
        let form = WishesForm {
            disponible_du_2: "2027-12-20".into(),
            disponible_au_3: "2028-03-01".into(),
            disponible_du_3: String::new(),
            ..form()
        };
        let wishes = form.validate().unwrap();
        assert_eq!(wishes.availability.len(), 3);
        assert_eq!(wishes.availability_stored(), "2027-06-01..2027-09-30;2027-12-20..;..2028-03-01");
        assert_eq!(Window::read_stored(&wishes.availability_stored()), Ok(wishes.availability.clone()));
        assert_eq!(wishes.to_form().validate(), Ok(wishes));
        let winter = Window { from: Day::parse("2027-12-20").ok(), to: None };
        assert!(winter.meets(Day::parse("2028-01-01").ok(), None));
        assert!(!winter.meets(Day::parse("2027-07-01").ok(), Day::parse("2027-07-31").ok()));
        assert_eq!(Window::read_stored(""), Ok(vec![]));
        assert_eq!(
            Window::read_stored("2027-01-01.."),
            Ok(vec![Window { from: Day::parse("2027-01-01").ok(), to: None }])
        );
        for unknown in ["n'importe quoi", "..", "2027-01-01..;2027-13-01..", "2027-01-01"] {
            assert!(Window::read_stored(unknown).is_err(), "{unknown}");
        }
    }

    #[test]
    fn each_wrong_field_is_named() {
        let cases: [(WishesForm, WishesProblem); 8] = [
            (WishesForm { specialite: String::new(), ..form() }, WishesProblem::Specialty),
            (
                WishesForm { type_remplacement: String::new(), type_installation: String::new(), ..form() },
                WishesProblem::Kinds,
            ),
            (WishesForm { disponible_au: "2027-05-01".into(), ..form() }, WishesProblem::Dates),
            (WishesForm { disponible_du: "juin".into(), ..form() }, WishesProblem::Dates),
            (
                WishesForm { disponible_du_2: "2027-09-01".into(), disponible_au_2: "2027-08-01".into(), ..form() },
                WishesProblem::Dates,
            ),
            (WishesForm { departements: "12, Aveyron".into(), ..form() }, WishesProblem::Departements),
            (WishesForm { autour: "--".into(), ..form() }, WishesProblem::Around),
            (WishesForm { rayon: "1000".into(), ..form() }, WishesProblem::Radius),
        ];
        for (form, problem) in cases {
            assert_eq!(form.validate(), Err(problem), "{form:?}");
        }
    }
}
