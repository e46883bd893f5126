//! The housing forms' handlers: publish a housing for interns, withdraw one.

use super::posted::{Confirmed, Fields, Posted, refused, serde_fields};
use super::routes::Routes;
use super::{redirect, with_query};
use crate::housing::{Housing, HousingError};
use app::domain::accounts;
use app::domain::housing::{HousingForm, HousingNotice as Notice, HousingProblem as Problem, paths};
use axum::extract::{Path, State};
use axum::response::Response;

#[derive(Debug, Clone)]
pub struct HousingState {
    pub housing: Housing,
}

serde_fields!(HousingForm);

fn problem(error: &HousingError) -> &'static str {
    match error {
        HousingError::Invalid(problem) => problem.code(),
        HousingError::Database(_) => {
            tracing::error!(%error, "housing action failed");
            accounts::Problem::Unavailable.code()
        }
    }
}

fn not_found() -> Response {
    redirect(&with_query(accounts::paths::ACCOUNT, &[("erreur", Problem::NotFound.code())]))
}

/// POST /organisations/{id}/logements-internes
pub async fn publish(
    State(state): State<HousingState>,
    Path(organisation): Path<String>,
    posted: Posted<HousingForm>,
) -> Response {
    let Ok(organisation) = organisation.parse::<i64>() else { return not_found() };
    let page = paths::ORGANISATION.of(organisation);
    let (user, form) = or_redirect!(posted.signed(&page));
    match state.housing.publish(user, organisation, &form).await {
        Ok(housing) => redirect(&with_query(&paths::HOUSING.of(housing), &[("info", Notice::Published.code())])),
        Err(error) => refused(&page, problem(&error), &form.kept()),
    }
}

/// POST /logements-internes/{id}/retrait
pub async fn withdraw(
    State(state): State<HousingState>,
    Path(housing): Path<String>,
    posted: Posted<Confirmed>,
) -> Response {
    let Ok(housing) = housing.parse::<i64>() else { return not_found() };
    let page = paths::HOUSING.of(housing);
    let (user, confirmed) = or_redirect!(posted.signed(&page));
    if let Some(back) = confirmed.unticked(&page) {
        return redirect(&back);
    }
    match state.housing.withdraw(user, housing).await {
        Ok(()) => redirect(&with_query(&page, &[("info", Notice::Withdrawn.code())])),
        Err(error) => redirect(&with_query(&page, &[("erreur", problem(&error))])),
    }
}

pub fn routes(housing: Housing) -> Routes {
    Routes::new()
        .post(paths::ORGANISATION.pattern(), publish)
        .post(paths::WITHDRAW.pattern(), withdraw)
        .with_state(HousingState { housing })
}
