//! Reviews of stage sites by the interns who were there. The site confirms a semester (from an
//! accepted application to one of its stage offers, or declared for an intern's account); only
//! then may that intern review it: six scores and a text, which the moderation publishes or
//! refuses with its reason. A site's reviews are shown, to everyone, its own members included,
//! only once it has `THRESHOLD` published ones: averages and texts, without names, semesters or
//! dates, in an order that says nothing of when they were written. The site may answer each
//! published review once, publicly.

mod dto;
mod input;
mod problems;
#[cfg(feature = "ssr")]
mod service;

pub use dto::*;
pub use input::{AnswerForm, ModerationForm, NewReview, ReviewForm, SemesterForm, SemesterRequest};
pub use problems::{ReviewNotice, ReviewProblem};
#[cfg(feature = "ssr")]
pub use service::{ReviewService, provide_review_service};

use crate::domain::organisations::Access;
use leptos::prelude::*;

/// A stage site's reviews as the viewer may see them, with what they may do.
#[server(prefix = "/_srv", endpoint = "avis-terrain")]
pub async fn get_site_reviews(site: String) -> Result<Option<SiteReviews>, ServerFnError> {
    let Ok(site) = site.trim().parse::<i64>() else { return Ok(None) };
    service::reviews()?.site(service::signed_in(), site).await.map_err(service::unavailable)
}

/// The reviews waiting for the moderation (moderators only).
#[server(prefix = "/_srv", endpoint = "avis-moderation")]
pub async fn get_pending_reviews() -> Result<Access<Vec<PendingReview>>, ServerFnError> {
    let Some(user) = service::signed_in() else { return Ok(Access::SignInRequired) };
    let pending = service::reviews()?.pending(user).await.map_err(service::unavailable)?;
    Ok(pending.map_or(Access::NotFound, Access::Granted))
}

pub mod fields {
    /// The query parameter naming the review a refused answer or decision was about: what
    /// was typed comes back into that review's form only.
    pub const REVIEW: &str = "avis-numero";
}

pub mod paths {
    use crate::domain::Address;

    /// POST: confirm or declare a semester at a site (members of its organisation).
    pub const SEMESTERS: Address = Address("/terrains-de-stage/{id}/semestres");
    /// POST: review a site (an intern with a confirmed semester there).
    pub const REVIEW: Address = Address("/terrains-de-stage/{id}/avis");
    /// POST: the site's public answer to a review (members, once).
    pub const ANSWER: Address = Address("/avis/{id}/reponse");
    /// POST: publish or refuse a review (moderators).
    pub const MODERATE: Address = Address("/avis/{id}/moderation");
    /// The reviews waiting for the moderation.
    pub const MODERATION: &str = "/moderation/avis";
    /// The anchor of a site page's reviews.
    pub const ANCHOR: &str = "avis";
}
