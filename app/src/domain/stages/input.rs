//! The stage site form as posted (every field text, so that nothing typed is lost on an error)
//! and its validation into typed fields. What needs the database (the commune as a person
//! names it, the organisation's kind) is the server's to check.

use super::dto::{Faculty, StageActivity, StageLevel};
use super::problems::StageProblem as P;
use crate::domain::offers::Specialty;
use crate::model::InseeCode;
use serde::{Deserialize, Serialize};

/// Most interns a site takes a semester.
pub const CAPACITY_MAX: i64 = 20;
/// Most supervisors a site lists.
pub const SUPERVISORS_MAX: usize = 20;
/// Longest presentation, in characters.
pub const DESCRIPTION_MAX: usize = 3000;

/// The form's fields, as text; the checkboxes' values joined by commas.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StageSiteForm {
    pub nom: String,
    pub commune: String,
    pub specialite: String,
    pub faculte: String,
    pub niveaux: String,
    pub places: String,
    pub maitres_de_stage: String,
    pub activites: String,
    pub description: String,
}

/// A valid site, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewStageSite {
    pub name: String,
    pub commune: InseeCode,
    pub specialty: Specialty,
    pub faculty: Faculty,
    pub levels: Vec<StageLevel>,
    pub capacity: i64,
    pub supervisors: Vec<String>,
    pub activities: Vec<StageActivity>,
    pub description: String,
}

/// The codes of a comma-joined list, each one known, without repeats, in the list's order.
fn codes<T: Copy + PartialEq>(joined: &str, all: &[T], code: fn(T) -> &'static str) -> Option<Vec<T>> {
    let given: Vec<&str> = joined.split(',').map(str::trim).filter(|c| !c.is_empty()).collect();
    if given.iter().any(|c| !all.iter().any(|v| code(*v) == *c)) {
        return None;
    }
    Some(all.iter().copied().filter(|v| given.contains(&code(*v))).collect())
}

impl StageSiteForm {
    /// The typed site, or the first problem in the form's order.
    pub fn validate(&self) -> Result<NewStageSite, P> {
        let name = self.nom.trim();
        if !(3..=120).contains(&name.chars().count()) {
            return Err(P::Name);
        }
        let commune = InseeCode::parse(self.commune.trim()).map_err(|_| P::Commune)?;
        let specialty = Specialty::from_code(self.specialite.trim()).ok_or(P::Specialty)?;
        let faculty = Faculty::from_code(self.faculte.trim()).ok_or(P::Faculty)?;
        let levels =
            codes(&self.niveaux, StageLevel::ALL, StageLevel::code).filter(|l| !l.is_empty()).ok_or(P::Levels)?;
        let capacity =
            self.places.trim().parse::<i64>().ok().filter(|n| (1..=CAPACITY_MAX).contains(n)).ok_or(P::Capacity)?;
        let supervisors: Vec<String> = self
            .maitres_de_stage
            .lines()
            .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|line| !line.is_empty())
            .collect();
        if supervisors.is_empty()
            || supervisors.len() > SUPERVISORS_MAX
            || supervisors.iter().any(|s| !(3..=80).contains(&s.chars().count()))
        {
            return Err(P::Supervisors);
        }
        let activities = codes(&self.activites, StageActivity::ALL, StageActivity::code).ok_or(P::Activities)?;
        let description = self.description.trim();
        if !(20..=DESCRIPTION_MAX).contains(&description.chars().count()) {
            return Err(P::Description);
        }
        Ok(NewStageSite {
            name: name.to_owned(),
            commune,
            specialty,
            faculty,
            levels,
            capacity,
            supervisors,
            activities,
            description: description.to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> StageSiteForm {
        StageSiteForm {
            nom: "Maison de santé du Bassin".into(),
            commune: "12089".into(),
            specialite: "medecine_generale".into(),
            faculte: "toulouse".into(),
            niveaux: "saspas,niveau1".into(),
            places: "2".into(),
            maitres_de_stage: "Dr Anne Roux\n\n  Dr   Paul Vidal \n".into(),
            activites: "visites,consultations_seul".into(),
            description: "Deux maîtres de stage, une équipe de douze professionnels.".into(),
        }
    }

    #[test]
    fn a_complete_form_gives_a_site_with_its_lists_in_order_and_names_tidied() {
        let site = form().validate().unwrap();
        assert_eq!(site.levels, vec![StageLevel::Niveau1, StageLevel::Saspas]);
        assert_eq!(site.activities, vec![StageActivity::ConsultationsSeul, StageActivity::Visites]);
        assert_eq!(site.supervisors, vec!["Dr Anne Roux", "Dr Paul Vidal"]);
        assert_eq!(site.capacity, 2);
    }

    #[test]
    fn each_field_has_its_problem() {
        let cases: Vec<(StageSiteForm, P)> = vec![
            (StageSiteForm { nom: "MS".into(), ..form() }, P::Name),
            (StageSiteForm { commune: "Rodez".into(), ..form() }, P::Commune),
            (StageSiteForm { specialite: "chirurgie".into(), ..form() }, P::Specialty),
            (StageSiteForm { faculte: "paris".into(), ..form() }, P::Faculty),
            (StageSiteForm { niveaux: String::new(), ..form() }, P::Levels),
            (StageSiteForm { niveaux: "niveau1,externat".into(), ..form() }, P::Levels),
            (StageSiteForm { places: "0".into(), ..form() }, P::Capacity),
            (StageSiteForm { places: "21".into(), ..form() }, P::Capacity),
            (StageSiteForm { places: "deux".into(), ..form() }, P::Capacity),
            (StageSiteForm { maitres_de_stage: " \n ".into(), ..form() }, P::Supervisors),
            (StageSiteForm { maitres_de_stage: "Dr".into(), ..form() }, P::Supervisors),
            (StageSiteForm { maitres_de_stage: "Dr Nom\n".repeat(21), ..form() }, P::Supervisors),
            (StageSiteForm { activites: "astreintes".into(), ..form() }, P::Activities),
            (StageSiteForm { description: "Trop court.".into(), ..form() }, P::Description),
        ];
        for (form, problem) in cases {
            assert_eq!(form.validate(), Err(problem), "{form:?}");
        }
    }

    #[test]
    fn no_activity_is_a_site_where_the_intern_only_follows_the_supervisor() {
        assert_eq!(StageSiteForm { activites: String::new(), ..form() }.validate().unwrap().activities, vec![]);
    }
}
