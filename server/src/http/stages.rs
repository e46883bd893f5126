//! The stage site forms' handlers: declare a site, withdraw one.

use super::posted::{Confirmed, Fields, Pairs, Posted, refused, typed_fields, value};
use super::routes::Routes;
use super::{redirect, with_query};
use crate::stages::{StageError, Stages};
use app::domain::accounts;
use app::domain::stages::{StageNotice as Notice, StageProblem as Problem, StageSiteForm, fields, paths};
use axum::extract::{Path, State};
use axum::response::Response;

#[derive(Debug, Clone)]
pub struct StageState {
    pub stages: Stages,
}

/// The form as posted: each ticked checkbox posts one pair, which `serde_urlencoded` cannot
/// gather into one field; their values are joined by commas.
pub struct SiteForm(StageSiteForm);

impl Fields for SiteForm {
    fn read(pairs: Pairs) -> Option<Self> {
        let joined =
            |key: &str| pairs.iter().filter(|(k, _)| k == key).map(|(_, v)| v.as_str()).collect::<Vec<_>>().join(",");
        Some(SiteForm(StageSiteForm {
            nom: value(&pairs, fields::NAME).to_owned(),
            commune: value(&pairs, fields::COMMUNE).to_owned(),
            specialite: value(&pairs, fields::SPECIALTY).to_owned(),
            faculte: value(&pairs, fields::FACULTY).to_owned(),
            niveaux: joined(fields::LEVELS),
            places: value(&pairs, fields::CAPACITY).to_owned(),
            maitres_de_stage: value(&pairs, fields::SUPERVISORS).to_owned(),
            activites: joined(fields::ACTIVITIES),
            description: value(&pairs, fields::DESCRIPTION).to_owned(),
        }))
    }

    fn kept(&self) -> Pairs {
        typed_fields(&self.0)
    }
}

fn problem(error: &StageError) -> &'static str {
    match error {
        StageError::Invalid(problem) => problem.code(),
        StageError::Database(_) => {
            tracing::error!(%error, "stage site action failed");
            accounts::Problem::Unavailable.code()
        }
    }
}

/// POST /organisations/{id}/terrains-de-stage
pub async fn declare(
    State(state): State<StageState>,
    Path(organisation): Path<String>,
    posted: Posted<SiteForm>,
) -> Response {
    let Ok(organisation) = organisation.parse::<i64>() else {
        return redirect(&with_query(accounts::paths::ACCOUNT, &[("erreur", Problem::NotFound.code())]));
    };
    let page = paths::ORGANISATION.of(organisation);
    let (user, form) = or_redirect!(posted.signed(&page));
    match state.stages.declare(user, organisation, &form.0).await {
        Ok(site) => redirect(&with_query(&paths::SITE.of(site), &[("info", Notice::Declared.code())])),
        Err(error) => refused(&page, problem(&error), &form.kept()),
    }
}

/// POST /terrains-de-stage/{id}/retrait
pub async fn withdraw(
    State(state): State<StageState>,
    Path(site): Path<String>,
    posted: Posted<Confirmed>,
) -> Response {
    let Ok(site) = site.parse::<i64>() else {
        return redirect(&with_query(accounts::paths::ACCOUNT, &[("erreur", Problem::NotFound.code())]));
    };
    let page = paths::SITE.of(site);
    let (user, confirmed) = or_redirect!(posted.signed(&page));
    if let Some(back) = confirmed.unticked(&page) {
        return redirect(&back);
    }
    match state.stages.withdraw(user, site).await {
        Ok(()) => redirect(&with_query(&page, &[("info", Notice::Withdrawn.code())])),
        Err(error) => redirect(&with_query(&page, &[("erreur", problem(&error))])),
    }
}

pub fn routes(stages: Stages) -> Routes {
    Routes::new()
        .post(paths::ORGANISATION.pattern(), declare)
        .post(paths::WITHDRAW.pattern(), withdraw)
        .with_state(StageState { stages })
}
