//! The event forms' handlers (publish, register, unregister, cancel) and the iCalendar files.

use super::posted::{Button, Confirmed, Fields, Posted, refused, serde_fields};
use super::routes::Routes;
use super::{redirect, with_query};
use crate::events::{EventError, Events};
use app::domain::accounts;
use app::domain::events::{EventForm, EventNotice as Notice, EventProblem as Problem, Registration, paths};
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

#[derive(Debug, Clone)]
pub struct EventState {
    pub events: Events,
}

serde_fields!(EventForm);

fn problem(error: &EventError) -> &'static str {
    match error {
        EventError::Invalid(problem) => problem.code(),
        EventError::Database(_) | EventError::Mail(_) => {
            tracing::error!(%error, "event action failed");
            accounts::Problem::Unavailable.code()
        }
    }
}

fn to(path: &str, key: &str, code: &str) -> Response {
    redirect(&with_query(path, &[(key, code)]))
}

fn id(raw: &str) -> Result<i64, String> {
    raw.parse::<i64>().map_err(|_| with_query(paths::EVENTS, &[("erreur", Problem::NotFound.code())]))
}

/// POST /organisations/{id}/evenements
pub async fn publish(
    State(state): State<EventState>,
    Path(organisation): Path<String>,
    posted: Posted<EventForm>,
) -> Response {
    let organisation = or_redirect!(id(&organisation));
    let page = paths::ORGANISATION.of(organisation);
    let (user, form) = or_redirect!(posted.signed(&page));
    match state.events.publish(user, organisation, &form).await {
        Ok(event) => to(&paths::EVENT.of(event), "info", Notice::Published.code()),
        Err(error) => refused(&page, problem(&error), &form.kept()),
    }
}

#[derive(Debug, Clone, Copy)]
enum Action {
    Register,
    Unregister,
}

async fn act(state: EventState, event: String, posted: Posted<Button>, action: Action) -> Response {
    let event = or_redirect!(id(&event));
    let page = paths::EVENT.of(event);
    let (user, Button) = or_redirect!(posted.signed(&page));
    let done = match action {
        Action::Register => state.events.register(user, event).await.map(|r| match r {
            Registration::Registered => Notice::Registered,
            Registration::Waiting(_) => Notice::Waiting,
        }),
        Action::Unregister => state.events.unregister(user, event).await.map(|()| Notice::Unregistered),
    };
    match done {
        Ok(notice) => to(&page, "info", notice.code()),
        Err(error) => to(&page, "erreur", problem(&error)),
    }
}

macro_rules! action_handler {
    ($(#[$meta:meta])* $name:ident, $action:expr) => {
        $(#[$meta])*
        pub async fn $name(
            State(state): State<EventState>,
            Path(event): Path<String>,
            posted: Posted<Button>,
        ) -> Response {
            act(state, event, posted, $action).await
        }
    };
}

action_handler!(
    /// POST /evenements/{id}/inscription
    register,
    Action::Register
);
action_handler!(
    /// POST /evenements/{id}/desinscription
    unregister,
    Action::Unregister
);
/// POST /evenements/{id}/annulation: the box ticked, as the registered are told and their
/// places gone for good.
pub async fn cancel(State(state): State<EventState>, Path(event): Path<String>, posted: Posted<Confirmed>) -> Response {
    let event = or_redirect!(id(&event));
    let page = paths::EVENT.of(event);
    let (user, confirmed) = or_redirect!(posted.signed(&page));
    if let Some(back) = confirmed.unticked(&page) {
        return redirect(&back);
    }
    match state.events.cancel(user, event).await {
        Ok(()) => to(&page, "info", Notice::Cancelled.code()),
        Err(error) => to(&page, "erreur", problem(&error)),
    }
}

fn calendar(found: Result<Option<String>, sqlx::Error>, name: &str) -> Response {
    match found {
        Ok(Some(ics)) => (
            [
                (header::CONTENT_TYPE, "text/calendar; charset=utf-8".to_owned()),
                (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
            ],
            ics,
        )
            .into_response(),
        Ok(None) => (StatusCode::NOT_FOUND, "Cet événement n'existe pas.\n").into_response(),
        Err(error) => {
            tracing::error!(%error, "calendar failed");
            (StatusCode::SERVICE_UNAVAILABLE, "Agenda momentanément indisponible.\n").into_response()
        }
    }
}

/// GET /evenements.ics
pub async fn all_ics(State(state): State<EventState>) -> Response {
    calendar(state.events.ics(None).await, "evenements-medecins-territoires.ics")
}

/// GET /evenements/{id}/agenda.ics
pub async fn one_ics(State(state): State<EventState>, Path(event): Path<String>) -> Response {
    let Ok(event) = event.parse::<i64>() else {
        return (StatusCode::NOT_FOUND, "Cet événement n'existe pas.\n").into_response();
    };
    calendar(state.events.ics(Some(event)).await, &format!("evenement-{event}.ics"))
}

pub fn routes(events: Events) -> Routes {
    Routes::new()
        .post(paths::ORGANISATION.pattern(), publish)
        .post(paths::REGISTER.pattern(), register)
        .post(paths::UNREGISTER.pattern(), unregister)
        .post(paths::CANCEL.pattern(), cancel)
        .get(paths::EVENTS_ICS, all_ics)
        .get(paths::ICS.pattern(), one_ics)
        .with_state(EventState { events })
}
