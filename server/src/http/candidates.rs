//! The wishes form's handler ("Ce que je recherche"): signed in, with the form token, then the
//! candidates service; back to the form with everything typed on an error.

use super::posted::{Fields, Posted, back, serde_fields};
use super::routes::Routes;
use super::{redirect, with_query};
use crate::candidates::{CandidateError, Candidates};
use app::domain::accounts::{Notice, Problem, paths};
use app::domain::candidates::WishesForm;
use axum::extract::State;
use axum::response::Response;

#[derive(Debug, Clone)]
pub struct CandidateState {
    pub candidates: Candidates,
}

serde_fields!(WishesForm);

/// POST /compte/recherche
pub async fn save_wishes(State(state): State<CandidateState>, posted: Posted<WishesForm>) -> Response {
    let (user, wishes) = or_redirect!(posted.signed(paths::WISHES));
    let code = match state.candidates.save(user, &wishes).await {
        Ok(_) => return redirect(&with_query(paths::ACCOUNT, &[("info", Notice::WishesSaved.code())])),
        Err(CandidateError::Invalid(problem)) => problem.code(),
        Err(error @ CandidateError::Database(_)) => {
            tracing::error!(%error, "wishes save failed");
            Problem::Unavailable.code()
        }
    };
    redirect(&back(paths::WISHES, code, &wishes.kept()))
}

pub fn routes(candidates: Candidates) -> Routes {
    Routes::new().post(paths::WISHES, save_wishes).with_state(CandidateState { candidates })
}
