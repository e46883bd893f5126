//! The alert forms' handlers: save the board's filters as an alert (signed in, with the form
//! token), delete one's alert, and unsubscribe through the link of the mails.

use super::posted::{Button, Fields, Pairs, Posted, deserialize};
use super::routes::Routes;
use super::{redirect, with_query};
use crate::offers::alerts::{AlertError, Alerts, Saved};
use app::domain::accounts;
use app::domain::alerts::{AlertNotice, AlertProblem, AlertSubject, paths};
use app::domain::offers::paths as offer_paths;
use app::domain::stages::{SiteFilter, paths as stage_paths};
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

#[derive(Debug, Clone)]
pub struct AlertState {
    pub alerts: Alerts,
}

/// The board's filters (its query string), or the interns' page's choices with `sujet`
/// « terrains », and how often to mail.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AlertPost {
    recherche: String,
    sujet: String,
    frequence: String,
}

impl AlertPost {
    /// The page the form was on, with `extra`: the board with its filters, or the interns'
    /// page with its choices (re-read: never anything but one of these pages).
    fn page(&self, extra: &[(&str, &str)]) -> String {
        if self.sujet.trim() == AlertSubject::StageSites.code() {
            let choices = SiteFilter::from_query(&self.recherche).query_string();
            let pairs: Vec<(String, String)> = serde_urlencoded::from_str(&choices).unwrap_or_default();
            let mut all: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            all.extend_from_slice(extra);
            with_query(stage_paths::INTERNS, &all)
        } else {
            board(&self.recherche, extra)
        }
    }
}

impl Fields for AlertPost {
    fn read(pairs: Pairs) -> Option<Self> {
        deserialize(&pairs)
    }

    /// Nothing: the board the form goes back to already shows its filters.
    fn kept(&self) -> Pairs {
        Vec::new()
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LinkQuery {
    jeton: String,
}

fn code(error: &AlertError) -> &'static str {
    match error {
        AlertError::Invalid(problem) => problem.code(),
        AlertError::Database(_) | AlertError::Mail(_) | AlertError::Board(_) => {
            tracing::error!(%error, "alert action failed");
            accounts::Problem::Unavailable.code()
        }
    }
}

/// The board with the filters of `search` (a query string, re-encoded: never anything but a
/// page of the board), plus `extra`.
fn board(search: &str, extra: &[(&str, &str)]) -> String {
    let mut pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(search.trim_start_matches('?')).unwrap_or_default();
    pairs.retain(|(key, _)| key != "info" && key != "erreur");
    let mut all: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    all.extend_from_slice(extra);
    with_query(offer_paths::BOARD, &all)
}

/// POST /offres/alertes
pub async fn create(State(state): State<AlertState>, posted: Posted<AlertPost>) -> Response {
    let page = posted.fields.page(&[]);
    let (user, post) = or_redirect!(posted.signed(&page));
    match state.alerts.create(user, &post.sujet, &post.recherche, &post.frequence).await {
        Ok(saved) => {
            let notice = match saved {
                Saved { new: false, .. } => AlertNotice::AlreadySaved,
                Saved { subject, frequency, .. } => AlertNotice::created(subject, frequency),
            };
            redirect(&post.page(&[("info", notice.code())]))
        }
        Err(error) => redirect(&post.page(&[("erreur", code(&error))])),
    }
}

/// POST /compte/alertes/{id}/suppression
pub async fn delete(State(state): State<AlertState>, Path(id): Path<String>, posted: Posted<Button>) -> Response {
    let (user, Button) = or_redirect!(posted.signed(paths::MINE));
    let Ok(id) = id.parse::<i64>() else {
        return redirect(&with_query(paths::MINE, &[("erreur", AlertProblem::NotFound.code())]));
    };
    match state.alerts.delete(user, id).await {
        Ok(()) => redirect(&with_query(paths::MINE, &[("info", AlertNotice::Deleted.code())])),
        Err(error) => redirect(&with_query(paths::MINE, &[("erreur", code(&error))])),
    }
}

/// How often an alert writes, from « Mes alertes ».
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct FrequencyPost {
    frequence: String,
}

impl Fields for FrequencyPost {
    fn read(pairs: Pairs) -> Option<Self> {
        deserialize(&pairs)
    }

    /// Nothing: a choice in a list, which the page shows again as it is stored.
    fn kept(&self) -> Pairs {
        Vec::new()
    }
}

/// POST /compte/alertes/{id}/frequence
pub async fn change_frequency(
    State(state): State<AlertState>,
    Path(id): Path<String>,
    posted: Posted<FrequencyPost>,
) -> Response {
    let (user, post) = or_redirect!(posted.signed(paths::MINE));
    let Ok(id) = id.parse::<i64>() else {
        return redirect(&with_query(paths::MINE, &[("erreur", AlertProblem::NotFound.code())]));
    };
    match state.alerts.change_frequency(user, id, &post.frequence).await {
        Ok(()) => redirect(&with_query(paths::MINE, &[("info", AlertNotice::FrequencyChanged.code())])),
        Err(error) => redirect(&with_query(paths::MINE, &[("erreur", code(&error))])),
    }
}

/// Whether `body` is a mail program's one-click unsubscribe (RFC 8058), which posts to the
/// address of the mail's List-Unsubscribe header (the token in its query).
/// Form-encoded it reads `List-Unsubscribe=One-Click`; multipart (the RFC's own example), a
/// field `List-Unsubscribe` whose value is `One-Click`.
fn one_click(body: &str) -> bool {
    body.contains("List-Unsubscribe=One-Click")
        || (body.contains("name=\"List-Unsubscribe\"") && body.contains("One-Click"))
}

/// POST /alertes/desabonnement: the button of the link's page (`jeton` in the form) or a mail
/// program's one-click (`?jeton=` in the address, `List-Unsubscribe=One-Click` as the body,
/// form-encoded or multipart). No sign-in needed: the link is the proof, and it only ever
/// deletes that alert. A person is sent back to the board; a mail program gets a short answer.
pub async fn unsubscribe(State(state): State<AlertState>, Query(link): Query<LinkQuery>, body: Bytes) -> Response {
    let body = String::from_utf8_lossy(&body);
    let from_mail_program = one_click(&body);
    let posted: LinkQuery = serde_urlencoded::from_str(&body).unwrap_or_default();
    let token = if link.jeton.trim().is_empty() { posted.jeton } else { link.jeton };
    let outcome = state.alerts.unsubscribe(&token).await;
    match (from_mail_program, outcome) {
        (true, Ok(())) => (StatusCode::OK, "Désabonnement effectué : cette alerte n'écrira plus.").into_response(),
        (true, Err(AlertError::Invalid(problem))) => (StatusCode::NOT_FOUND, problem.message()).into_response(),
        (true, Err(error)) => {
            tracing::error!(%error, "one-click unsubscribe failed");
            (StatusCode::SERVICE_UNAVAILABLE, accounts::Problem::Unavailable.message()).into_response()
        }
        (false, Ok(())) => redirect(&with_query(offer_paths::BOARD, &[("info", AlertNotice::Deleted.code())])),
        (false, Err(error)) => redirect(&with_query(offer_paths::BOARD, &[("erreur", code(&error))])),
    }
}

pub fn routes(alerts: Alerts) -> Routes {
    Routes::new()
        .post(paths::CREATE, create)
        .post(paths::DELETE.pattern(), delete)
        .post(paths::FREQUENCY.pattern(), change_frequency)
        .post(paths::UNSUBSCRIBE, unsubscribe)
        .with_state(AlertState { alerts })
}
