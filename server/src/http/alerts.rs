//! The alert forms' handlers: save the board's filters as an alert (signed in, with the form
//! token), delete one's alert, and the one-click unsubscribe link of the mails.

use super::posted::{Button, Fields, Pairs, Posted, deserialize};
use super::{redirect, with_query};
use crate::offers::alerts::{AlertError, Alerts};
use app::domain::accounts;
use app::domain::alerts::{AlertNotice, AlertProblem, paths};
use app::domain::offers::paths as offer_paths;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::Deserialize;

#[derive(Debug, Clone)]
pub struct AlertState {
    pub alerts: Alerts,
}

/// The board's filters (its query string) and how often to mail.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AlertPost {
    recherche: String,
    frequence: String,
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
    let page = board(&posted.fields.recherche, &[]);
    let (user, post) = or_redirect!(posted.signed(&page));
    match state.alerts.create(user, &post.recherche, &post.frequence).await {
        Ok(_) => redirect(&board(&post.recherche, &[("info", AlertNotice::Created.code())])),
        Err(error) => redirect(&board(&post.recherche, &[("erreur", code(&error))])),
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

/// GET /alertes/desabonnement?jeton=…: one click from the mail, no sign-in needed (the link
/// is the proof); it only ever deletes that alert.
pub async fn unsubscribe(State(state): State<AlertState>, Query(link): Query<LinkQuery>) -> Response {
    match state.alerts.unsubscribe(&link.jeton).await {
        Ok(()) => redirect(&with_query(offer_paths::BOARD, &[("info", AlertNotice::Deleted.code())])),
        Err(error) => redirect(&with_query(offer_paths::BOARD, &[("erreur", code(&error))])),
    }
}

pub fn routes(alerts: Alerts) -> axum::Router {
    use axum::routing::{get, post};
    axum::Router::new()
        .route(paths::CREATE, post(create))
        .route(paths::DELETE.pattern(), post(delete))
        .route(paths::UNSUBSCRIBE, get(unsubscribe))
        .with_state(AlertState { alerts })
}
