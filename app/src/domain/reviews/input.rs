//! The review forms as posted (every field text, so that nothing typed is lost on an error)
//! and their validation.

use super::dto::{Criterion, Scores};
use super::problems::ReviewProblem as P;
use crate::domain::offers::Semester;
use serde::{Deserialize, Serialize};

/// Shortest and longest review, in characters.
pub const BODY_MIN: usize = 30;
pub const BODY_MAX: usize = 3000;

/// A review as posted: a score per criterion (« 1 » to « 5 »; housing may be « sans_objet »),
/// the text, and the semester it is about.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReviewForm {
    pub semestre: String,
    pub encadrement: String,
    pub autonomie: String,
    pub diversite: String,
    pub ambiance: String,
    pub logement: String,
    pub charge: String,
    pub avis: String,
}

/// A valid review, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReview {
    pub semester: i64,
    pub scores: Scores,
    pub body: String,
}

impl NewReview {
    /// The score of `criterion`.
    pub fn score(&self, criterion: Criterion) -> Option<i64> {
        self.scores.iter().find(|(c, _)| *c == criterion).and_then(|(_, s)| *s)
    }
}

impl ReviewForm {
    /// What was chosen for `criterion` (« 1 » to « 5 », « sans_objet », or nothing).
    pub fn score(&self, criterion: Criterion) -> &str {
        match criterion {
            Criterion::Supervision => &self.encadrement,
            Criterion::Autonomy => &self.autonomie,
            Criterion::Variety => &self.diversite,
            Criterion::Atmosphere => &self.ambiance,
            Criterion::Housing => &self.logement,
            Criterion::Workload => &self.charge,
        }
    }

    /// The typed review, or the first problem in the form's order.
    pub fn validate(&self) -> Result<NewReview, P> {
        let semester = self.semestre.trim().parse::<i64>().map_err(|_| P::Semester)?;
        let mut scores = Vec::new();
        for &criterion in Criterion::ALL {
            let raw = self.score(criterion).trim();
            let score = match raw.parse::<i64>() {
                Ok(n) if (1..=5).contains(&n) => Some(n),
                _ if criterion == Criterion::Housing && raw == "sans_objet" => None,
                _ => return Err(P::Score),
            };
            scores.push((criterion, score));
        }
        let body = self.avis.trim();
        if !(BODY_MIN..=BODY_MAX).contains(&body.chars().count()) {
            return Err(P::Body);
        }
        Ok(NewReview { semester, scores, body: body.to_owned() })
    }
}

/// The site's answer to a review.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AnswerForm {
    pub reponse: String,
}

impl AnswerForm {
    pub fn validate(&self) -> Result<String, P> {
        let answer = self.reponse.trim();
        if !(10..=2000).contains(&answer.chars().count()) {
            return Err(P::Answer);
        }
        Ok(answer.to_owned())
    }
}

/// The moderation's decision: `publier`, or `refuser` with a reason.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ModerationForm {
    pub decision: String,
    pub motif: String,
}

impl ModerationForm {
    /// Some(reason) to refuse, None to publish.
    pub fn validate(&self) -> Result<Option<String>, P> {
        match self.decision.trim() {
            "publier" => Ok(None),
            "refuser" => {
                let reason = self.motif.trim();
                if !(5..=300).contains(&reason.chars().count()) {
                    return Err(P::Reason);
                }
                Ok(Some(reason.to_owned()))
            }
            _ => Err(P::Decision),
        }
    }
}

/// A semester the site confirms: from an accepted application (`candidature`), or declared
/// for the account of `email`, with its season and year.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SemesterForm {
    pub candidature: String,
    pub email: String,
    pub semestre: String,
    pub annee: String,
}

/// What a semester form asks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SemesterRequest {
    Application(i64),
    Declared { email: String, season: Semester, year: i64 },
}

impl SemesterForm {
    /// The request; `this_year` bounds the year (no semester more than 6 years back or next
    /// year on).
    pub fn validate(&self, this_year: i64) -> Result<SemesterRequest, P> {
        if !self.candidature.trim().is_empty() {
            return self.candidature.trim().parse().map(SemesterRequest::Application).map_err(|_| P::Application);
        }
        let email = self.email.trim();
        if !email.contains('@') || email.chars().count() > 254 {
            return Err(P::Account);
        }
        let season = Semester::from_code(self.semestre.trim()).ok_or(P::SemesterDate)?;
        let year = self
            .annee
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|y| (this_year - 6..=this_year + 1).contains(y))
            .ok_or(P::SemesterDate)?;
        Ok(SemesterRequest::Declared { email: email.to_owned(), season, year })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> ReviewForm {
        ReviewForm {
            semestre: "7".into(),
            encadrement: "5".into(),
            autonomie: "4".into(),
            diversite: "4".into(),
            ambiance: "5".into(),
            logement: "sans_objet".into(),
            charge: "3".into(),
            avis: "Deux maîtres de stage disponibles, des visites variées, une équipe accueillante.".into(),
        }
    }

    #[test]
    fn a_review_has_five_scores_housing_perhaps_and_a_text() {
        let review = form().validate().unwrap();
        assert_eq!(review.semester, 7);
        assert_eq!(review.score(Criterion::Supervision), Some(5));
        assert_eq!(review.score(Criterion::Housing), None);
        assert_eq!(
            ReviewForm { logement: "2".into(), ..form() }.validate().unwrap().score(Criterion::Housing),
            Some(2)
        );
    }

    #[test]
    fn each_field_has_its_problem() {
        for (form, problem) in [
            (ReviewForm { semestre: "".into(), ..form() }, P::Semester),
            (ReviewForm { encadrement: "6".into(), ..form() }, P::Score),
            (ReviewForm { autonomie: "".into(), ..form() }, P::Score),
            (ReviewForm { charge: "sans_objet".into(), ..form() }, P::Score),
            (ReviewForm { avis: "Bien.".into(), ..form() }, P::Body),
        ] {
            assert_eq!(form.validate(), Err(problem), "{form:?}");
        }
        assert_eq!(ModerationForm { decision: "refuser".into(), motif: "".into() }.validate(), Err(P::Reason));
        assert_eq!(ModerationForm { decision: "publier".into(), motif: "".into() }.validate(), Ok(None));
        assert_eq!(ModerationForm { decision: "effacer".into(), motif: "".into() }.validate(), Err(P::Decision));
        assert_eq!(AnswerForm { reponse: "Merci".into() }.validate(), Err(P::Answer));
    }

    #[test]
    fn a_semester_comes_from_an_application_or_is_declared_for_an_account() {
        let declared = SemesterForm {
            email: "lea@exemple.fr".into(),
            semestre: "mai".into(),
            annee: "2026".into(),
            ..Default::default()
        };
        assert_eq!(
            declared.validate(2026),
            Ok(SemesterRequest::Declared { email: "lea@exemple.fr".into(), season: Semester::Mai, year: 2026 })
        );
        assert_eq!(SemesterForm { annee: "2010".into(), ..declared.clone() }.validate(2026), Err(P::SemesterDate));
        assert_eq!(SemesterForm { email: "lea".into(), ..declared }.validate(2026), Err(P::Account));
        let from = SemesterForm { candidature: "12".into(), ..Default::default() };
        assert_eq!(from.validate(2026), Ok(SemesterRequest::Application(12)));
    }
}
