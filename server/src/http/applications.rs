//! The application forms' handlers, built like the offer ones: each checks that someone is
//! signed in and that the form carries its token, calls the applications service (which
//! checks what that person may do) and redirects (303) to a page that says what happened.
//!
//! Applying posts a multipart form (message and CV). Its body is read here, up to
//! `BODY_LIMIT`: a larger one is read to its end (up to `DRAIN_LIMIT`) and discarded, so that
//! the browser, still sending, receives the page saying the CV is too large rather than a
//! broken connection.

use super::posted::{Confirmed, Fields, Kept, Pairs, Posted, Poster, deserialize, refused, serde_fields};
use super::routes::Routes;
use super::session::sign_in_location;
use super::{redirect, with_query};
use crate::applications::{ApplicationError, Applications, Cv};
use app::domain::accounts::{self, SignedIn};
use app::domain::applications::{
    ApplicationNotice as Notice, ApplicationProblem as Problem, ApplicationStatus, CV_MAX_BYTES, fields, paths,
};
use app::domain::offers::{OfferProblem, paths as offer_paths};
use axum::Extension;
use axum::body::Body;
use axum::extract::{FromRequest, Multipart, Path, Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

/// The largest application form accepted: the largest CV, and room for the message.
pub const BODY_LIMIT: usize = CV_MAX_BYTES + 256 * 1024;
/// A refused message comes back to its page (kept by the flash layer, never in the address)
/// up to this many bytes: one refused for its length too, for its author to shorten.
const KEEP_MAX: usize = 64 * 1024;

/// What the handlers share.
#[derive(Debug, Clone)]
pub struct ApplicationState {
    pub applications: Applications,
}

/// A message of the thread, as posted.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct MessagePost {
    message: String,
}

impl Fields for MessagePost {
    fn read(pairs: Pairs) -> Option<Self> {
        deserialize(&pairs)
    }

    fn kept(&self) -> Pairs {
        kept_message(&self.message)
    }
}

/// A new status, as posted by a member.
#[derive(Debug, Default, Deserialize, serde::Serialize)]
#[serde(default)]
pub struct StatusPost {
    statut: String,
}

serde_fields!(StatusPost);

type UserExt = Option<Extension<SignedIn>>;

/// The code shown for a service error; infrastructure failures are logged.
fn problem(error: &ApplicationError) -> &'static str {
    match error {
        ApplicationError::Invalid(problem) => problem.code(),
        ApplicationError::Database(_) | ApplicationError::Mail(_) => {
            tracing::error!(%error, "application action failed");
            accounts::Problem::Unavailable.code()
        }
    }
}

fn to(path: &str, key: &str, code: &str) -> Response {
    redirect(&with_query(path, &[(key, code)]))
}

/// What to keep of a refused message: all of it (trimmed), or nothing past `KEEP_MAX`.
fn kept_message(message: &str) -> Pairs {
    let message = message.trim();
    if message.is_empty() || message.len() > KEEP_MAX {
        return Vec::new();
    }
    vec![(fields::MESSAGE.to_owned(), message.to_owned())]
}

/// The offer's page, which redirects to its address with the slug.
fn offer_page(id: i64) -> String {
    format!("{}/{id}", offer_paths::BOARD)
}

/// The fields of the application form.
#[derive(Debug, Default)]
struct ApplyForm {
    csrf: String,
    message: String,
    cv_name: String,
    cv: Vec<u8>,
}

async fn read_form(
    parts: axum::http::request::Parts,
    bytes: Vec<u8>,
) -> Result<ApplyForm, axum::extract::multipart::MultipartError> {
    let request = Request::from_parts(parts, Body::from(bytes));
    let mut multipart = match Multipart::from_request(request, &()).await {
        Ok(multipart) => multipart,
        // Not a multipart body: as if nothing were posted.
        Err(_) => return Ok(ApplyForm::default()),
    };
    let mut form = ApplyForm::default();
    while let Some(field) = multipart.next_field().await? {
        match field.name().unwrap_or_default() {
            accounts::fields::CSRF => form.csrf = field.text().await?,
            fields::MESSAGE => form.message = field.text().await?,
            fields::CV => {
                form.cv_name = field.file_name().unwrap_or_default().to_owned();
                form.cv = field.bytes().await?.to_vec();
            }
            _ => {}
        }
    }
    Ok(form)
}

/// POST /offres/{id}/candidature (multipart): message, optional CV.
pub async fn apply(
    State(state): State<ApplicationState>,
    poster: Poster,
    Path(offer): Path<String>,
    request: Request,
) -> Response {
    let Ok(offer) = offer.parse::<i64>() else {
        return to(offer_paths::BOARD, "erreur", OfferProblem::NotFound.code());
    };
    let page = offer_page(offer);
    let (parts, body) = request.into_parts();
    let bytes = match super::upload::bounded_body(body, BODY_LIMIT).await {
        Ok(bytes) => bytes,
        Err(error) => {
            tracing::warn!(%error, "application form: body unreadable");
            return to(&page, "erreur", accounts::Problem::FormExpired.code());
        }
    };
    if !poster.is_signed_in() {
        return redirect(&sign_in_location(&page));
    }
    let Some(bytes) = bytes else {
        return to(&page, "erreur", Problem::CvTooLarge.code());
    };
    let form = match read_form(parts, bytes).await {
        Ok(form) => form,
        Err(error) => {
            tracing::warn!(%error, "application form: malformed multipart body");
            return to(&page, "erreur", accounts::Problem::FormExpired.code());
        }
    };
    let keep = kept_message(&form.message);
    let user = or_redirect!(poster.check(&form.csrf, &page, &keep));
    let back = |code: &str| refused(&page, code, &keep);
    // A file input left empty posts a part without a name or content.
    let cv = if form.cv.is_empty() && form.cv_name.is_empty() {
        None
    } else {
        match Cv::parse(&form.cv_name, form.cv) {
            Ok(cv) => Some(cv),
            Err(problem) => return back(problem.code()),
        }
    };
    match state.applications.apply(user, offer, &form.message, cv).await {
        Ok(id) => to(&paths::APPLICATION.of(id), "info", Notice::Sent.code()),
        Err(error) => back(problem(&error)),
    }
}

/// Where a refused action on application `id` goes: its page, or the list when the person may
/// not see it.
fn refusal(id: i64, error: &ApplicationError, keep: &Kept) -> Response {
    if matches!(error, ApplicationError::Invalid(Problem::NotFound)) {
        return to(paths::MINE, "erreur", Problem::NotFound.code());
    }
    refused(&paths::APPLICATION.of(id), problem(error), keep)
}

fn id(raw: &str) -> Result<i64, String> {
    raw.parse::<i64>().map_err(|_| with_query(paths::MINE, &[("erreur", Problem::NotFound.code())]))
}

/// POST /candidatures/{id}/messages
pub async fn post_message(
    State(state): State<ApplicationState>,
    Path(application): Path<String>,
    posted: Posted<MessagePost>,
) -> Response {
    let application = or_redirect!(id(&application));
    let page = paths::APPLICATION.of(application);
    let (user, post) = or_redirect!(posted.signed(&page));
    match state.applications.post_message(user, application, &post.message).await {
        Ok(()) => to(&page, "info", Notice::MessagePosted.code()),
        Err(error) => refusal(application, &error, &post.kept()),
    }
}

/// POST /candidatures/{id}/statut
pub async fn change_status(
    State(state): State<ApplicationState>,
    Path(application): Path<String>,
    posted: Posted<StatusPost>,
) -> Response {
    let application = or_redirect!(id(&application));
    let page = paths::APPLICATION.of(application);
    let (user, post) = or_redirect!(posted.signed(&page));
    let done = match ApplicationStatus::from_code(&post.statut) {
        Some(to) => state.applications.change_status(user, application, to).await,
        None => Err(Problem::WrongStatus.into()),
    };
    match done {
        Ok(()) => to(&page, "info", Notice::StatusChanged.code()),
        Err(error) => refusal(application, &error, &[]),
    }
}

/// POST /candidatures/{id}/retrait
pub async fn withdraw(
    State(state): State<ApplicationState>,
    Path(application): Path<String>,
    posted: Posted<Confirmed>,
) -> Response {
    let application = or_redirect!(id(&application));
    let page = paths::APPLICATION.of(application);
    let (user, confirmed) = or_redirect!(posted.signed(&page));
    if let Some(back) = confirmed.unticked(&page) {
        return redirect(&back);
    }
    match state.applications.withdraw(user, application).await {
        Ok(()) => to(&page, "info", Notice::Withdrawn.code()),
        Err(error) => refusal(application, &error, &[]),
    }
}

/// `filename` and `filename*` parameters for a Content-Disposition header: an ASCII fallback
/// and the UTF-8 name, percent-encoded (RFC 6266).
fn disposition(name: &str) -> String {
    let ascii: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() || "._- ".contains(c) { c } else { '_' }).collect();
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"._-".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") }
        })
        .collect();
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// GET /candidatures/{id}/cv: the CV as an attachment, for the candidate and the
/// organisation's members; 404 for anybody else.
pub async fn cv(
    State(state): State<ApplicationState>,
    signed_in: UserExt,
    Path(application): Path<String>,
) -> Response {
    let application = or_redirect!(id(&application));
    let Some(Extension(SignedIn(user))) = signed_in else {
        return redirect(&sign_in_location(&paths::APPLICATION.of(application)));
    };
    match state.applications.cv(user, application).await {
        Ok(Some((name, bytes))) => (
            [
                (header::CONTENT_TYPE, "application/pdf".to_owned()),
                (header::CONTENT_DISPOSITION, disposition(&name)),
                (header::CACHE_CONTROL, "private, no-store".to_owned()),
            ],
            bytes,
        )
            .into_response(),
        Ok(None) => (StatusCode::NOT_FOUND, "Ce CV n'existe pas, ou il ne vous concerne pas.\n").into_response(),
        Err(error) => {
            tracing::error!(%error, "CV download failed");
            (StatusCode::SERVICE_UNAVAILABLE, "Le service est momentanément indisponible.\n").into_response()
        }
    }
}

pub fn routes(applications: Applications) -> Routes {
    Routes::new()
        // The same parameter name as the pages' routes, or the router refuses the pair.
        .post_up_to(paths::APPLY.pattern(), apply, BODY_LIMIT)
        .post(paths::MESSAGE.pattern(), post_message)
        .post(paths::STATUS.pattern(), change_status)
        .post(paths::WITHDRAW.pattern(), withdraw)
        .get(paths::CV.pattern(), cv)
        .with_state(ApplicationState { applications })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_name_reaches_the_download_header_safely() {
        assert_eq!(
            disposition("CV Léa \"x\".pdf"),
            "attachment; filename=\"CV L_a _x_.pdf\"; filename*=UTF-8''CV%20L%C3%A9a%20%22x%22.pdf"
        );
    }
}
