//! The wishes form's handler ("Ce que je recherche"): signed in, with the form token, then the
//! candidates service; back to the form with everything typed on an error.

use super::session::form_author;
use super::{as_pairs, redirect, typed_fields, with_query};
use crate::candidates::{CandidateError, Candidates};
use app::api::account::{Notice, Problem, SignedIn, Viewer, paths};
use app::api::candidate::WishesForm;
use axum::Extension;
use axum::extract::{Form, State};
use axum::response::Response;
use serde::Deserialize;

#[derive(Debug, Clone)]
pub struct CandidateState {
    pub candidates: Candidates,
}

/// The wishes form as posted: its token and the wishes.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct WishesPost {
    csrf: String,
    #[serde(flatten)]
    wishes: WishesForm,
}

/// POST /compte/recherche
pub async fn save_wishes(
    State(state): State<CandidateState>,
    Extension(viewer): Extension<Viewer>,
    signed_in: Option<Extension<SignedIn>>,
    Form(post): Form<WishesPost>,
) -> Response {
    let typed = typed_fields(&post.wishes);
    let keep = as_pairs(&typed);
    let user = or_redirect!(form_author(signed_in, &viewer, &post.csrf, paths::WISHES, &keep));
    let code = match state.candidates.save(user, &post.wishes).await {
        Ok(_) => return redirect(&with_query(paths::ACCOUNT, &[("info", Notice::WishesSaved.code())])),
        Err(CandidateError::Invalid(problem)) => problem.code(),
        Err(error @ CandidateError::Database(_)) => {
            tracing::error!(%error, "wishes save failed");
            Problem::Unavailable.code()
        }
    };
    let mut pairs = vec![("erreur", code)];
    pairs.extend(keep);
    redirect(&with_query(paths::WISHES, &pairs))
}

pub fn routes(candidates: Candidates) -> axum::Router {
    axum::Router::new().route(paths::WISHES, axum::routing::post(save_wishes)).with_state(CandidateState { candidates })
}
