//! A candidate's profile: who they are as a doctor or an intern. Validated here, on both sides,
//! so the form and the server apply the same rules.

#[cfg(feature = "ssr")]
mod service;

#[cfg(feature = "ssr")]
pub use service::{ProfileService, provide_profile_service};

use crate::model::Rpps;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Where a person stands in their medical career.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Status {
    Interne,
    DocteurJunior,
    Remplacant,
    Installe,
    RetraiteActif,
}

impl Status {
    pub const ALL: [Status; 5] =
        [Status::Interne, Status::DocteurJunior, Status::Remplacant, Status::Installe, Status::RetraiteActif];

    /// Stored in the database and sent by forms.
    pub fn code(self) -> &'static str {
        match self {
            Status::Interne => "interne",
            Status::DocteurJunior => "docteur_junior",
            Status::Remplacant => "remplacant",
            Status::Installe => "installe",
            Status::RetraiteActif => "retraite_actif",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Interne => "Interne",
            Status::DocteurJunior => "Docteur junior",
            Status::Remplacant => "Médecin remplaçant",
            Status::Installe => "Médecin installé",
            Status::RetraiteActif => "Médecin retraité actif",
        }
    }

    /// Interns and docteurs juniors are still attached to a faculty.
    pub fn in_training(self) -> bool {
        matches!(self, Status::Interne | Status::DocteurJunior)
    }

    /// Whether an RPPS number is required. Every doctor allowed to practise on their own has
    /// one; a remplaçant who has not defended the thesis practises under a licence, and may
    /// give it or not.
    pub fn requires_rpps(self, thesis_defended: bool) -> bool {
        match self {
            Status::Interne | Status::DocteurJunior => false,
            Status::Remplacant => thesis_defended,
            Status::Installe | Status::RetraiteActif => true,
        }
    }
}

/// Longest internship in general medicine since the 2023 reform: four years.
pub const MAX_INTERN_YEAR: i64 = 4;

/// A valid profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub status: Status,
    /// University (faculté de médecine), for interns and docteurs juniors.
    pub faculty: Option<String>,
    /// Year of internship, for interns.
    pub year: Option<i64>,
    /// DES or specialty, for example "Médecine générale".
    pub specialty: String,
    /// For remplaçants: whether the thesis is defended (thésé).
    pub thesis_defended: bool,
    pub rpps: Option<Rpps>,
}

/// The profile form as typed; every field a string, as a form sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProfileInput {
    pub statut: String,
    pub faculte: String,
    pub annee: String,
    pub specialite: String,
    /// "oui" when the box is ticked; absent otherwise.
    pub these: String,
    pub rpps: String,
}

codes! {
    /// What is wrong with a profile form.
    ProfileProblem {
        StatusMissing = "statut" => "Choisissez votre situation : interne, docteur junior, remplaçant, installé ou retraité actif.",
        FacultyMissing = "faculte" => "Indiquez votre faculté de médecine (2 à 80 caractères).",
        YearInvalid = "annee" => "L'année d'internat est un nombre de 1 à 4.",
        SpecialtyMissing = "specialite" => "Indiquez votre DES ou votre spécialité (2 à 80 caractères), par exemple « Médecine générale ».",
        RppsMissing = "rpps-manquant" => "Indiquez votre numéro RPPS (11 chiffres, sur votre carte CPS) : il est demandé aux médecins thésés.",
        RppsInvalid = "rpps-invalide" => "Ce numéro RPPS n'est pas valide : il compte 11 chiffres dont le dernier est une clé de contrôle. Vérifiez-le sur votre carte CPS.",
        RppsTaken = "rpps-pris" => "Ce numéro RPPS est déjà associé à un autre compte. Si c'est le vôtre, écrivez-nous.",
    }
}

field_problem!(ProfileProblem);

impl ProfileProblem {
    /// The profile form's field it concerns (`statut`: the group of choices).
    pub fn field(self) -> Option<&'static str> {
        use ProfileProblem as P;
        Some(match self {
            P::StatusMissing => "statut",
            P::FacultyMissing => "faculte",
            P::YearInvalid => "annee",
            P::SpecialtyMissing => "specialite",
            P::RppsMissing | P::RppsInvalid | P::RppsTaken => "rpps",
        })
    }
}

fn text(raw: &str) -> Option<String> {
    let text = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    (2..=80).contains(&text.chars().count()).then_some(text)
}

impl Profile {
    /// Checks a profile form; the fields that do not apply to the chosen status are dropped.
    pub fn parse(input: &ProfileInput) -> Result<Self, ProfileProblem> {
        let status = Status::from_code(input.statut.trim()).ok_or(ProfileProblem::StatusMissing)?;
        let faculty =
            if status.in_training() { Some(text(&input.faculte).ok_or(ProfileProblem::FacultyMissing)?) } else { None };
        let year = if status == Status::Interne {
            let year = input.annee.trim().parse::<i64>().map_err(|_| ProfileProblem::YearInvalid)?;
            if !(1..=MAX_INTERN_YEAR).contains(&year) {
                return Err(ProfileProblem::YearInvalid);
            }
            Some(year)
        } else {
            None
        };
        let specialty = text(&input.specialite).ok_or(ProfileProblem::SpecialtyMissing)?;
        let thesis_defended = status == Status::Remplacant && input.these == "oui";
        let rpps = match input.rpps.trim() {
            "" if status.requires_rpps(thesis_defended) => return Err(ProfileProblem::RppsMissing),
            "" => None,
            raw => Some(Rpps::parse(raw).map_err(|_| ProfileProblem::RppsInvalid)?),
        };
        Ok(Self { status, faculty, year, specialty, thesis_defended, rpps })
    }

    /// The form filled with this profile, to edit it.
    pub fn to_input(&self) -> ProfileInput {
        ProfileInput {
            statut: self.status.code().to_owned(),
            faculte: self.faculty.clone().unwrap_or_default(),
            annee: self.year.map(|y| y.to_string()).unwrap_or_default(),
            specialite: self.specialty.clone(),
            these: if self.thesis_defended { "oui".to_owned() } else { String::new() },
            rpps: self.rpps.as_ref().map(|r| r.to_string()).unwrap_or_default(),
        }
    }

    /// "Interne en 2ᵉ année, Médecine générale, Université de Toulouse".
    pub fn summary(&self) -> String {
        let mut parts = vec![match (self.status, self.year) {
            (Status::Interne, Some(1)) => "Interne en 1ʳᵉ année".to_owned(),
            (Status::Interne, Some(year)) => format!("Interne en {year}ᵉ année"),
            (Status::Remplacant, _) if self.thesis_defended => "Médecin remplaçant thésé".to_owned(),
            (Status::Remplacant, _) => "Médecin remplaçant non thésé".to_owned(),
            (status, _) => status.label().to_owned(),
        }];
        parts.push(self.specialty.clone());
        parts.extend(self.faculty.clone());
        parts.join(", ")
    }
}

/// The signed-in person's profile, if they filled it in.
#[server(prefix = "/_srv", endpoint = "mon-profil")]
pub async fn get_my_profile() -> Result<Option<Profile>, ServerFnError> {
    service::my_profile().await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(statut: &str, faculte: &str, annee: &str, specialite: &str, these: &str, rpps: &str) -> ProfileInput {
        ProfileInput {
            statut: statut.into(),
            faculte: faculte.into(),
            annee: annee.into(),
            specialite: specialite.into(),
            these: these.into(),
            rpps: rpps.into(),
        }
    }

    #[test]
    fn an_intern_gives_faculty_year_and_des_and_no_rpps_is_asked() {
        let p = Profile::parse(&input("interne", " Université de  Toulouse ", "2", "Médecine générale", "oui", ""))
            .unwrap();
        assert_eq!(p.faculty.as_deref(), Some("Université de Toulouse"));
        assert_eq!((p.year, p.thesis_defended, p.rpps.clone()), (Some(2), false, None));
        assert_eq!(p.summary(), "Interne en 2ᵉ année, Médecine générale, Université de Toulouse");
        for (year, ok) in [("0", false), ("4", true), ("5", false), ("deux", false), ("", false)] {
            let r = Profile::parse(&input("interne", "Montpellier", year, "Médecine générale", "", ""));
            assert_eq!(r.is_ok(), ok, "{year}");
        }
        assert_eq!(
            Profile::parse(&input("interne", "", "1", "Médecine générale", "", "")),
            Err(ProfileProblem::FacultyMissing)
        );
    }

    #[test]
    fn doctors_who_practise_alone_give_a_valid_rpps() {
        assert_eq!(
            Profile::parse(&input("installe", "", "", "Médecine générale", "", "")),
            Err(ProfileProblem::RppsMissing)
        );
        assert_eq!(
            Profile::parse(&input("installe", "", "", "Médecine générale", "", "10000000008")),
            Err(ProfileProblem::RppsInvalid)
        );
        let p = Profile::parse(&input("retraite_actif", "Toulouse", "3", "Médecine générale", "", "100 000 000 09"))
            .unwrap();
        assert_eq!((p.faculty, p.year, p.rpps.unwrap().as_str().to_owned()), (None, None, "10000000009".to_owned()));
        // A remplaçant needs one only once thésé.
        assert!(Profile::parse(&input("remplacant", "", "", "Médecine générale", "", "")).is_ok());
        assert_eq!(
            Profile::parse(&input("remplacant", "", "", "Médecine générale", "oui", "")),
            Err(ProfileProblem::RppsMissing)
        );
    }

    #[test]
    fn status_and_specialty_are_required_and_the_form_reads_back() {
        assert_eq!(Profile::parse(&input("", "", "", "", "", "")), Err(ProfileProblem::StatusMissing));
        assert_eq!(Profile::parse(&input("chirurgien", "", "", "x", "", "")), Err(ProfileProblem::StatusMissing));
        assert_eq!(Profile::parse(&input("remplacant", "", "", " ", "", "")), Err(ProfileProblem::SpecialtyMissing));
        let p = Profile::parse(&input("remplacant", "", "", "Médecine générale", "oui", "10101234564")).unwrap();
        assert_eq!(Profile::parse(&p.to_input()), Ok(p));
    }
}
