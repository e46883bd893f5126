//! The review forms' handlers: confirm a semester, review a site, moderate a review, answer
//! one.

use super::posted::{Fields, Posted, refused, serde_fields};
use super::routes::Routes;
use super::{redirect, with_query};
use crate::reviews::{ReviewError, Reviews};
use app::domain::accounts;
use app::domain::reviews::{
    AnswerForm, ModerationForm, ReviewForm, ReviewNotice as Notice, ReviewProblem as Problem, SemesterForm, fields,
    paths,
};
use app::domain::stages::paths as stage_paths;
use axum::extract::{Path, State};
use axum::response::Response;

#[derive(Debug, Clone)]
pub struct ReviewState {
    pub reviews: Reviews,
}

serde_fields!(ReviewForm, AnswerForm, ModerationForm, SemesterForm);

fn problem(error: &ReviewError) -> &'static str {
    match error {
        ReviewError::Invalid(problem) => problem.code(),
        ReviewError::Database(_) => {
            tracing::error!(%error, "review action failed");
            accounts::Problem::Unavailable.code()
        }
    }
}

/// A site's page with `pairs` in its query, at its reviews: where their forms' outcomes show.
fn site_reviews(site: i64, pairs: &[(&str, &str)]) -> String {
    format!("{}#{}", with_query(&stage_paths::SITE.of(site), pairs), paths::ANCHOR)
}

/// A site's page, at its reviews, with `key` = `code`.
fn at_site(site: i64, key: &str, code: &str) -> Response {
    redirect(&site_reviews(site, &[(key, code)]))
}

fn number(raw: &str) -> Option<i64> {
    raw.parse::<i64>().ok()
}

fn not_found() -> Response {
    redirect(&with_query(accounts::paths::ACCOUNT, &[("erreur", Problem::NotFound.code())]))
}

/// POST /terrains-de-stage/{id}/semestres
pub async fn confirm(
    State(state): State<ReviewState>,
    Path(site): Path<String>,
    posted: Posted<SemesterForm>,
) -> Response {
    let Some(site) = number(&site) else { return not_found() };
    let page = site_reviews(site, &[]);
    let (user, form) = or_redirect!(posted.signed(&page));
    match state.reviews.confirm(user, site, &form).await {
        Ok(()) => at_site(site, "info", Notice::Confirmed.code()),
        // The address typed comes back into the declaration form.
        Err(error) => refused(&page, problem(&error), &form.kept()),
    }
}

/// POST /terrains-de-stage/{id}/avis
pub async fn review(
    State(state): State<ReviewState>,
    Path(site): Path<String>,
    posted: Posted<ReviewForm>,
) -> Response {
    let Some(site) = number(&site) else { return not_found() };
    let page = site_reviews(site, &[]);
    let (user, form) = or_redirect!(posted.signed(&page));
    match state.reviews.submit(user, site, &form).await {
        Ok(_) => at_site(site, "info", Notice::Sent.code()),
        Err(error) => refused(&page, problem(&error), &form.kept()),
    }
}

/// POST /avis/{id}/moderation
pub async fn moderate(
    State(state): State<ReviewState>,
    Path(review): Path<String>,
    posted: Posted<ModerationForm>,
) -> Response {
    let Some(review) = number(&review) else { return not_found() };
    // The reason typed comes back with an error, into the form of the same review.
    let page = with_query(paths::MODERATION, &[(fields::REVIEW, &review.to_string())]);
    let (user, form) = or_redirect!(posted.signed(&page));
    match state.reviews.moderate(user, review, &form).await {
        Ok(true) => redirect(&with_query(paths::MODERATION, &[("info", Notice::Published.code())])),
        Ok(false) => redirect(&with_query(paths::MODERATION, &[("info", Notice::Refused.code())])),
        Err(error) => refused(&page, problem(&error), &form.kept()),
    }
}

/// POST /avis/{id}/reponse
pub async fn answer(
    State(state): State<ReviewState>,
    Path(review): Path<String>,
    posted: Posted<AnswerForm>,
) -> Response {
    let Some(review) = number(&review) else { return not_found() };
    let site = match state.reviews.site_of(review).await {
        Ok(Some(site)) => site,
        Ok(None) => return not_found(),
        Err(error) => return redirect(&with_query(accounts::paths::ACCOUNT, &[("erreur", problem(&error.into()))])),
    };
    // The answer typed comes back with an error, into the form of the same review.
    let page = site_reviews(site, &[(fields::REVIEW, &review.to_string())]);
    let (user, form) = or_redirect!(posted.signed(&page));
    match state.reviews.answer(user, review, &form).await {
        Ok(site) => at_site(site, "info", Notice::Answered.code()),
        Err(error) => refused(&page, problem(&error), &form.kept()),
    }
}

pub fn routes(reviews: Reviews) -> Routes {
    Routes::new()
        .post(paths::SEMESTERS.pattern(), confirm)
        .post(paths::REVIEW.pattern(), review)
        .post(paths::MODERATE.pattern(), moderate)
        .post(paths::ANSWER.pattern(), answer)
        .with_state(ReviewState { reviews })
}
