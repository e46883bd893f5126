//! The offer forms' handlers, built like the organisation ones: each checks that someone is
//! signed in and that the form carries its token, calls the offers service (which checks what
//! that person may do) and redirects (303) to a page that says what happened. A refused offer
//! form goes back with everything typed, so nothing is lost.

use super::posted::{Button, Confirmed, Fields, Posted, refused, serde_fields};
use super::routes::Routes;
use super::{redirect, with_query};
use crate::offers::{OfferError, Offers};
use app::domain::accounts;
use app::domain::offers::{OfferForm, OfferNotice as Notice, OfferProblem as Problem, paths};
use axum::extract::{Path, State};
use axum::response::Response;

/// What the handlers share.
#[derive(Debug, Clone)]
pub struct OfferState {
    pub offers: Offers,
}

serde_fields!(OfferForm);

/// The code shown for a service error; infrastructure failures are logged.
fn problem(error: &OfferError) -> &'static str {
    match error {
        OfferError::Invalid(problem) => problem.code(),
        OfferError::Database(_) | OfferError::Mail(_) => {
            tracing::error!(%error, "offer action failed");
            accounts::Problem::Unavailable.code()
        }
    }
}

fn to(path: &str, key: &str, code: &str) -> Response {
    redirect(&with_query(path, &[(key, code)]))
}

/// The id of an address; the error is where to go (the board, saying the offer is not there).
fn id(raw: &str) -> Result<i64, String> {
    raw.parse::<i64>().map_err(|_| with_query(paths::BOARD, &[("erreur", Problem::NotFound.code())]))
}

/// The offer's page, which redirects to its address with the slug.
fn offer_page(id: i64) -> String {
    format!("{}/{id}", paths::BOARD)
}

/// POST /organisations/{id}/offres/nouvelle: saves a draft.
pub async fn create(
    State(state): State<OfferState>,
    Path(organisation): Path<String>,
    posted: Posted<OfferForm>,
) -> Response {
    let organisation = or_redirect!(id(&organisation));
    let page = paths::NEW.of(organisation);
    let (user, offer) = or_redirect!(posted.signed(&page));
    match state.offers.create(user, organisation, &offer).await {
        Ok(id) => to(&offer_page(id), "info", Notice::Saved.code()),
        Err(error) => refused(&page, problem(&error), &offer.kept()),
    }
}

/// POST /offres/{id}/modification
pub async fn update(State(state): State<OfferState>, Path(offer): Path<String>, posted: Posted<OfferForm>) -> Response {
    let offer = or_redirect!(id(&offer));
    let page = paths::EDIT.of(offer);
    let (user, form) = or_redirect!(posted.signed(&page));
    match state.offers.update(user, offer, &form).await {
        Ok(()) => to(&offer_page(offer), "info", Notice::Updated.code()),
        Err(OfferError::Invalid(Problem::NotFound)) => to(paths::BOARD, "erreur", Problem::NotFound.code()),
        Err(error) => refused(&page, problem(&error), &form.kept()),
    }
}

/// What a button on an offer's page does.
#[derive(Debug, Clone, Copy)]
enum Action {
    Publish,
    Renew,
    Fill,
}

async fn act(state: OfferState, offer: String, posted: Posted<Button>, action: Action) -> Response {
    let offer = or_redirect!(id(&offer));
    let page = offer_page(offer);
    let (user, Button) = or_redirect!(posted.signed(&page));
    let (done, notice) = match action {
        Action::Publish => (state.offers.publish(user, offer).await, Notice::Published),
        Action::Renew => (state.offers.renew(user, offer).await, Notice::Renewed),
        Action::Fill => (state.offers.fill(user, offer).await, Notice::Filled),
    };
    settled(done, &page, notice)
}

/// Back to the offer's `page` with `notice`, or with what went wrong.
fn settled(done: Result<(), OfferError>, page: &str, notice: Notice) -> Response {
    match done {
        Ok(()) => to(page, "info", notice.code()),
        Err(OfferError::Invalid(Problem::NotFound)) => to(paths::BOARD, "erreur", Problem::NotFound.code()),
        Err(error) => to(page, "erreur", problem(&error)),
    }
}

macro_rules! action_handler {
    ($(#[$meta:meta])* $name:ident, $action:expr) => {
        $(#[$meta])*
        pub async fn $name(
            State(state): State<OfferState>,
            Path(offer): Path<String>,
            posted: Posted<Button>,
        ) -> Response {
            act(state, offer, posted, $action).await
        }
    };
}

action_handler!(
    /// POST /offres/{id}/publication
    publish,
    Action::Publish
);
action_handler!(
    /// POST /offres/{id}/prolongation
    renew,
    Action::Renew
);
action_handler!(
    /// POST /offres/{id}/pourvue
    fill,
    Action::Fill
);
/// POST /offres/{id}/retrait: only with the box of confirmation ticked.
pub async fn withdraw(
    State(state): State<OfferState>,
    Path(offer): Path<String>,
    posted: Posted<Confirmed>,
) -> Response {
    let offer = or_redirect!(id(&offer));
    let page = offer_page(offer);
    let (user, confirmed) = or_redirect!(posted.signed(&page));
    if let Some(back) = confirmed.unticked(&page) {
        return redirect(&back);
    }
    settled(state.offers.withdraw(user, offer).await, &page, Notice::Withdrawn)
}

pub fn routes(offers: Offers) -> Routes {
    Routes::new()
        .post(paths::NEW.pattern(), create)
        // The same parameter name as the pages' routes, or the router refuses the pair.
        .post(paths::EDIT.pattern(), update)
        .post(paths::PUBLISH.pattern(), publish)
        .post(paths::RENEW.pattern(), renew)
        .post(paths::FILL.pattern(), fill)
        .post(paths::WITHDRAW.pattern(), withdraw)
        .with_state(OfferState { offers })
}
