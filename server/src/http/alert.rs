//! The alert forms' handlers: save the board's filters as an alert (signed in, with the form
//! token), delete one's alert, and the one-click unsubscribe link of the mails.

use super::session::form_author;
use super::{redirect, with_query};
use crate::offers::alerts::{AlertError, Alerts};
use app::api::account::{self, SignedIn, Viewer};
use app::api::alert::{AlertNotice, AlertProblem, paths};
use app::api::offer::paths as offer_paths;
use axum::Extension;
use axum::extract::{Form, Path, Query, State};
use axum::response::Response;
use serde::Deserialize;

#[derive(Debug, Clone)]
pub struct AlertState {
    pub alerts: Alerts,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AlertPost {
    csrf: String,
    recherche: String,
    frequence: String,
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
            account::Problem::Unavailable.code()
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
pub async fn create(
    State(state): State<AlertState>,
    Extension(viewer): Extension<Viewer>,
    signed_in: Option<Extension<SignedIn>>,
    Form(post): Form<AlertPost>,
) -> Response {
    let page = board(&post.recherche, &[]);
    let user = or_redirect!(form_author(signed_in, &viewer, &post.csrf, &page, &[]));
    match state.alerts.create(user, &post.recherche, &post.frequence).await {
        Ok(_) => redirect(&board(&post.recherche, &[("info", AlertNotice::Created.code())])),
        Err(error) => redirect(&board(&post.recherche, &[("erreur", code(&error))])),
    }
}

/// POST /compte/alertes/{id}/suppression
pub async fn delete(
    State(state): State<AlertState>,
    Extension(viewer): Extension<Viewer>,
    signed_in: Option<Extension<SignedIn>>,
    Path(id): Path<String>,
    Form(post): Form<AlertPost>,
) -> Response {
    let user = or_redirect!(form_author(signed_in, &viewer, &post.csrf, paths::MINE, &[]));
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
