//! Wire types of the reviews, and the closed lists they are made of.

use serde::{Deserialize, Serialize};

choices! {
    /// What an intern scores, from 1 to 5 (5 is best: for the workload, « bien dosée »).
    Criterion {
        Supervision = "encadrement" => "Encadrement",
        Autonomy = "autonomie" => "Autonomie",
        Variety = "diversite" => "Diversité des actes",
        Atmosphere = "ambiance" => "Ambiance de l'équipe",
        Housing = "logement" => "Logement",
        Workload = "charge" => "Charge de travail (5 : bien dosée)",
    }
}

choices! {
    /// Where a review stands.
    ReviewStatus {
        Pending = "en_attente" => "En attente de modération",
        Published = "publie" => "Publié",
        Refused = "refuse" => "Refusé par la modération",
    }
}

/// Published reviews a site needs before any is shown.
pub const THRESHOLD: usize = 3;

/// One score of a review: None when the intern left it out (housing only).
pub type Scores = Vec<(Criterion, Option<i64>)>;

/// The average of a criterion over the published reviews that score it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Average {
    pub criterion: Criterion,
    /// None when no review scores it.
    pub value: Option<f64>,
    pub count: usize,
}

/// The averages of `reviews`' scores, criterion by criterion, in the list's order.
pub fn averages(reviews: &[Scores]) -> Vec<Average> {
    Criterion::ALL
        .iter()
        .map(|&criterion| {
            let given: Vec<i64> = reviews
                .iter()
                .filter_map(|scores| scores.iter().find(|(c, _)| *c == criterion).and_then(|(_, s)| *s))
                .collect();
            let value = (!given.is_empty()).then(|| given.iter().sum::<i64>() as f64 / given.len() as f64);
            Average { criterion, value, count: given.len() }
        })
        .collect()
}

/// A published review as the public reads it: no name, no semester, no date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublicReview {
    pub id: i64,
    pub scores: Scores,
    pub body: String,
    /// The site's answer, once given.
    pub answer: Option<String>,
}

/// A semester at the site, in a list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SemesterLine {
    pub id: i64,
    /// « Semestre de novembre 2026 ».
    pub label: String,
}

/// What the viewer may do about reviewing the site.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum MyReview {
    SignedOut,
    /// Signed in, without a semester the site confirmed.
    NoSemester,
    /// Semesters they may review (each once).
    MayReview(Vec<SemesterLine>),
    /// They reviewed every confirmed semester: the last review's state, and the moderation's
    /// reason when refused.
    Reviewed {
        status: ReviewStatus,
        reason: Option<String>,
    },
}

/// An accepted application to one of the site's stage offers, whose semester the site may
/// confirm.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ToConfirm {
    pub application: i64,
    pub intern: String,
    pub semester: String,
}

/// What the site's members see besides the public.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SiteSide {
    pub to_confirm: Vec<ToConfirm>,
    /// Semesters confirmed so far.
    pub confirmed: usize,
}

/// A site's reviews, for one viewer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SiteReviews {
    pub site: i64,
    /// Published reviews.
    pub published: usize,
    /// Empty below `THRESHOLD`.
    pub averages: Vec<Average>,
    /// Empty below `THRESHOLD`; in an order that says nothing of their dates.
    pub reviews: Vec<PublicReview>,
    pub mine: MyReview,
    /// For the site's members.
    pub site_side: Option<SiteSide>,
}

/// A review waiting for the moderation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PendingReview {
    pub id: i64,
    pub site: String,
    pub site_path: String,
    pub scores: Scores,
    pub body: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn averages_count_only_the_reviews_that_score_a_criterion() {
        let scores = |housing: Option<i64>, others: i64| -> Scores {
            Criterion::ALL.iter().map(|&c| (c, if c == Criterion::Housing { housing } else { Some(others) })).collect()
        };
        let all = averages(&[scores(Some(4), 5), scores(None, 2), scores(Some(1), 5)]);
        let supervision = all.iter().find(|a| a.criterion == Criterion::Supervision).unwrap();
        assert_eq!((supervision.value, supervision.count), (Some(4.0), 3));
        let housing = all.iter().find(|a| a.criterion == Criterion::Housing).unwrap();
        assert_eq!((housing.value, housing.count), (Some(2.5), 2));
        let none = averages(&[scores(None, 3)]);
        assert_eq!(none.iter().find(|a| a.criterion == Criterion::Housing).unwrap().value, None);
    }
}
