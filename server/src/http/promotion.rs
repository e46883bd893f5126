//! The territory-page and guichet forms' handlers: signed in, the form's token, the service
//! (which checks what that person may do), then a redirect (303) to a page that says what
//! happened. Photos and testimonials post multipart forms, read within `PHOTO_BODY_LIMIT`; the
//! photos themselves are served from here.

use super::posted::{Confirmed, Fields, Pairs, Posted, Poster, refused, value};
use super::routes::Routes;
use super::session::sign_in_location;
use super::upload::{bounded_body, multipart};
use super::{redirect, with_query};
use crate::promotion::{PromotionError, Promotions};
use app::domain::accounts::{self, SignedIn, fields as account_fields};
use app::domain::promotion::{
    PHOTO_MAX_BYTES, PageContent, PromotionNotice as Notice, PromotionProblem as Problem, Section, fields, paths,
};
use axum::Extension;
use axum::extract::{Path, Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

/// The largest photo or testimonial form: the largest photo, and room for the texts.
pub const PHOTO_BODY_LIMIT: usize = PHOTO_MAX_BYTES + 64 * 1024;

#[derive(Debug, Clone)]
pub struct PromotionState {
    pub promotions: Promotions,
}

type UserExt = Option<Extension<SignedIn>>;

/// The page's content as posted; nothing comes back in the address after a refusal (the
/// editor shows the saved revision).
impl Fields for PageContent {
    fn read(pairs: Pairs) -> Option<Self> {
        Some(content_of(&pairs))
    }
    fn kept(&self) -> Pairs {
        Vec::new()
    }
}

/// A revision chosen by its number (to publish, to restore); a mangled number is no revision.
#[derive(Debug)]
pub struct RevisionPost(i64);

impl Fields for RevisionPost {
    fn read(pairs: Pairs) -> Option<Self> {
        Some(RevisionPost(value(&pairs, fields::REVISION).parse().unwrap_or(-1)))
    }
    fn kept(&self) -> Pairs {
        Vec::new()
    }
}

/// A message to a guichet: its subject (the first one only), its text, and the page it was
/// written on.
#[derive(Debug)]
pub struct Letter {
    subject: String,
    message: String,
    back: String,
}

impl Fields for Letter {
    fn read(pairs: Pairs) -> Option<Self> {
        Some(Letter {
            subject: value(&pairs, fields::SUBJECT).to_owned(),
            message: value(&pairs, fields::MESSAGE).to_owned(),
            back: value(&pairs, "retour").to_owned(),
        })
    }
    fn kept(&self) -> Pairs {
        [(fields::SUBJECT, &self.subject), (fields::MESSAGE, &self.message)]
            .into_iter()
            .filter(|(_, value)| !value.is_empty())
            .map(|(key, value)| (key.to_owned(), value.clone()))
            .collect()
    }
}

/// A case's new status.
#[derive(Debug)]
pub struct StatusPost(String);

impl Fields for StatusPost {
    fn read(pairs: Pairs) -> Option<Self> {
        Some(StatusPost(value(&pairs, fields::STATUS).to_owned()))
    }
    fn kept(&self) -> Pairs {
        Vec::new()
    }
}

fn problem(error: &PromotionError) -> &'static str {
    match error {
        PromotionError::Invalid(problem) => problem.code(),
        PromotionError::Database(_) | PromotionError::Mail(_) => {
            tracing::error!(%error, "territory page action failed");
            accounts::Problem::Unavailable.code()
        }
    }
}

fn to(path: &str, key: &str, code: &str) -> Response {
    redirect(&with_query(path, &[(key, code)]))
}

/// `path?key=code#anchor`: the query must come before the fragment.
fn to_anchor(path: &str, anchor: &str, key: &str, code: &str) -> Response {
    redirect(&format!("{}#{anchor}", with_query(path, &[(key, code)])))
}

fn id(raw: &str) -> Result<i64, String> {
    raw.parse::<i64>().map_err(|_| "/organisations".to_owned())
}

/// The page content as posted: one field per section ("rubrique-ecoles").
fn content_of(pairs: &[(String, String)]) -> PageContent {
    let mut content = PageContent {
        presentation: value(pairs, fields::PRESENTATION).to_owned(),
        video_url: value(pairs, fields::VIDEO).to_owned(),
        referent_id: value(pairs, fields::REFERENT).trim().parse().ok(),
        referent_role: value(pairs, fields::REFERENT_ROLE).to_owned(),
        ..PageContent::default()
    };
    for section in Section::ALL {
        let text = value(pairs, &format!("{}{}", fields::SECTION_PREFIX, section.code()));
        content.sections.insert(section.code().to_owned(), text.to_owned());
    }
    content
}

/// POST /organisations/{id}/territoire: saves a revision, then shows its preview, saying what
/// could not be kept as typed (a bad video address comes back in the address, to correct).
pub async fn save(
    State(state): State<PromotionState>,
    Path(organisation): Path<String>,
    posted: Posted<PageContent>,
) -> Response {
    let organisation = or_redirect!(id(&organisation));
    let page = paths::EDITOR.of(organisation);
    let (user, content) = or_redirect!(posted.signed(&page));
    match state.promotions.save(user, organisation, &content).await {
        Ok((_, None)) => to(&paths::PREVIEW.of(organisation), "info", Notice::Saved.code()),
        Ok((_, Some(kept_out))) => redirect(&with_query(
            &paths::EDITOR.of(organisation),
            &[("erreur", kept_out.code()), (fields::VIDEO, content.video_url.as_str())],
        )),
        Err(error) => to(&page, "erreur", problem(&error)),
    }
}

/// POST /organisations/{id}/territoire/publication
pub async fn publish(
    State(state): State<PromotionState>,
    Path(organisation): Path<String>,
    posted: Posted<RevisionPost>,
) -> Response {
    let organisation = or_redirect!(id(&organisation));
    let page = paths::PREVIEW.of(organisation);
    let (user, RevisionPost(revision)) = or_redirect!(posted.signed(&page));
    match state.promotions.publish(user, organisation, revision).await {
        Ok(()) => to(&paths::EDITOR.of(organisation), "info", Notice::Published.code()),
        Err(error) => to(&page, "erreur", problem(&error)),
    }
}

/// POST /organisations/{id}/territoire/restauration
pub async fn restore(
    State(state): State<PromotionState>,
    Path(organisation): Path<String>,
    posted: Posted<RevisionPost>,
) -> Response {
    let organisation = or_redirect!(id(&organisation));
    let page = paths::EDITOR.of(organisation);
    let (user, RevisionPost(revision)) = or_redirect!(posted.signed(&page));
    match state.promotions.restore(user, organisation, revision).await {
        Ok(()) => to(&page, "info", Notice::Restored.code()),
        Err(error) => to(&page, "erreur", problem(&error)),
    }
}

/// A signed-in person's multipart form from `page` with one file, within the photo limit, and
/// its token checked: the person and the form, or the answer (to sign in, or back to `page`).
async fn signed_upload(
    poster: &Poster,
    request: Request,
    page: &str,
    file: &str,
) -> Result<(i64, super::upload::Parts), Response> {
    if !poster.is_signed_in() {
        return Err(redirect(&sign_in_location(page)));
    }
    let form = upload(request, page, file).await?;
    let user = poster.check(form.text(account_fields::CSRF), page, &[]).map_err(|location| redirect(&location))?;
    Ok((user, form))
}

/// A multipart form with one file, within the photo limit; the error is where to go.
async fn upload(request: Request, page: &str, file: &str) -> Result<super::upload::Parts, Response> {
    let (parts, body) = request.into_parts();
    let bytes = match bounded_body(body, PHOTO_BODY_LIMIT).await {
        Ok(Some(bytes)) => bytes,
        Ok(None) => return Err(to_anchor(page, "photos", "erreur", Problem::PhotoTooLarge.code())),
        Err(error) => {
            tracing::warn!(%error, "photo form: body unreadable");
            return Err(to(page, "erreur", accounts::Problem::FormExpired.code()));
        }
    };
    multipart(parts, bytes, &[file]).await.map_err(|error| {
        tracing::warn!(%error, "photo form: malformed multipart body");
        to(page, "erreur", accounts::Problem::FormExpired.code())
    })
}

/// Back to the editor's section `anchor` (photos, testimonials), saying what was done or what
/// was wrong.
fn to_section<T>(page: &str, anchor: &str, outcome: Result<T, PromotionError>, done: Notice) -> Response {
    match outcome {
        Ok(_) => to_anchor(page, anchor, "info", done.code()),
        Err(error) => to_anchor(page, anchor, "erreur", problem(&error)),
    }
}

/// The organisation of the address, its editor's page and the person who uploads from it with
/// the form; or the answer.
async fn editor_upload(
    raw: &str,
    poster: &Poster,
    request: Request,
) -> Result<(i64, String, i64, super::upload::Parts), Response> {
    let organisation = id(raw).map_err(|location| redirect(&location))?;
    let page = paths::EDITOR.of(organisation);
    let (user, form) = signed_upload(poster, request, &page, fields::PHOTO).await?;
    Ok((organisation, page, user, form))
}

/// The organisation of the address, its editor's page and the person who removes something
/// from it (the id of the thing, -1 when unreadable: no such thing); or where to go.
/// A photo or testimonial's removal: the editor's page, the person, and the object; the box
/// must be ticked (what goes is gone: a testimonial needs the person's consent again).
fn editor_removal(raw: &(String, String), posted: Posted<Confirmed>) -> Result<(i64, String, i64, i64), String> {
    let organisation = id(&raw.0)?;
    let page = paths::EDITOR.of(organisation);
    let (user, confirmed) = posted.signed(&page)?;
    if let Some(back) = confirmed.unticked(&page) {
        return Err(back);
    }
    Ok((organisation, page, user, raw.1.parse().unwrap_or(-1)))
}

/// POST /organisations/{id}/territoire/photos (multipart: photo, alt, credit)
pub async fn add_photo(
    State(state): State<PromotionState>,
    poster: Poster,
    Path(organisation): Path<String>,
    request: Request,
) -> Response {
    let (organisation, page, user, mut form) = match editor_upload(&organisation, &poster, request).await {
        Ok(upload) => upload,
        Err(response) => return response,
    };
    let bytes = form.file(fields::PHOTO);
    let added =
        state.promotions.add_photo(user, organisation, bytes, form.text(fields::ALT), form.text(fields::CREDIT)).await;
    to_section(&page, "photos", added, Notice::PhotoAdded)
}

/// POST /organisations/{id}/territoire/photos/{photo}/suppression
pub async fn remove_photo(
    State(state): State<PromotionState>,
    Path(raw): Path<(String, String)>,
    posted: Posted<Confirmed>,
) -> Response {
    let (organisation, page, user, photo) = or_redirect!(editor_removal(&raw, posted));
    let removed = state.promotions.remove_photo(user, organisation, photo).await;
    to_section(&page, "photos", removed, Notice::PhotoRemoved)
}

/// POST /organisations/{id}/territoire/temoignages (multipart: nom, role, temoignage, accord,
/// photo, alt)
pub async fn add_testimonial(
    State(state): State<PromotionState>,
    poster: Poster,
    Path(organisation): Path<String>,
    request: Request,
) -> Response {
    let (organisation, page, user, mut form) = match editor_upload(&organisation, &poster, request).await {
        Ok(upload) => upload,
        Err(response) => return response,
    };
    let portrait = Some((form.file(fields::PHOTO), form.text(fields::ALT).to_owned()));
    let consent = form.text(fields::CONSENT) == "oui";
    let (name, role, quote) = (form.text(fields::NAME), form.text(fields::ROLE), form.text(fields::QUOTE));
    let added = state.promotions.add_testimonial(user, organisation, name, role, quote, consent, portrait).await;
    to_section(&page, "temoignages", added, Notice::TestimonialAdded)
}

/// POST /organisations/{id}/territoire/temoignages/{temoignage}/suppression
pub async fn remove_testimonial(
    State(state): State<PromotionState>,
    Path(raw): Path<(String, String)>,
    posted: Posted<Confirmed>,
) -> Response {
    let (organisation, page, user, testimonial) = or_redirect!(editor_removal(&raw, posted));
    let removed = state.promotions.remove_testimonial(user, organisation, testimonial).await;
    to_section(&page, "temoignages", removed, Notice::TestimonialRemoved)
}

/// GET /photos/{file}: "12.jpg" or "12-vignette.jpg".
pub async fn photo(State(state): State<PromotionState>, signed_in: UserExt, Path(file): Path<String>) -> Response {
    let not_found = || (StatusCode::NOT_FOUND, "Cette photo n'existe pas.\n").into_response();
    let Some(stem) = file.strip_suffix(".jpg") else { return not_found() };
    let (id, thumbnail) = match stem.strip_suffix("-vignette") {
        Some(id) => (id, true),
        None => (stem, false),
    };
    let Ok(id) = id.parse::<i64>() else { return not_found() };
    match state.promotions.photo(signed_in.map(|s| s.0.0), id, thumbnail).await {
        Ok(Some(bytes)) => {
            ([(header::CONTENT_TYPE, "image/jpeg"), (header::CACHE_CONTROL, "public, max-age=86400")], bytes)
                .into_response()
        }
        Ok(None) => not_found(),
        Err(error) => {
            tracing::error!(%error, "photo read failed");
            (StatusCode::SERVICE_UNAVAILABLE, "Photo momentanément indisponible.\n").into_response()
        }
    }
}

/// POST /organisations/{id}/contact: opens a case with the referent (signed in).
pub async fn contact(
    State(state): State<PromotionState>,
    Path(organisation): Path<String>,
    posted: Posted<Letter>,
) -> Response {
    let organisation = or_redirect!(id(&organisation));
    // The form is on the territory's public page, which the handler does not know: it says
    // where it came from, and only a path of this site is followed.
    let back = posted.fields.back.as_str();
    let back = if back.starts_with('/') && !back.starts_with("//") { back.to_owned() } else { "/".to_owned() };
    let (user, letter) = or_redirect!(posted.signed(&back));
    match state.promotions.contact(user, organisation, &letter.subject, &letter.message).await {
        Ok(case) => to(&paths::CASE.of(case), "info", Notice::CaseOpened.code()),
        Err(error) => redirect(&format!("{}#guichet", super::posted::back(&back, problem(&error), &letter.kept()))),
    }
}

/// POST /dossiers/{id}/messages
pub async fn reply(State(state): State<PromotionState>, Path(case): Path<String>, posted: Posted<Letter>) -> Response {
    let Ok(case) = case.parse::<i64>() else { return to(paths::CASES, "erreur", Problem::CaseNotFound.code()) };
    let page = paths::CASE.of(case);
    let (user, letter) = or_redirect!(posted.signed(&page));
    match state.promotions.reply(user, case, &letter.message).await {
        Ok(()) => to(&page, "info", Notice::MessageSent.code()),
        Err(PromotionError::Invalid(Problem::CaseNotFound)) => to(paths::CASES, "erreur", Problem::CaseNotFound.code()),
        Err(error) => refused(&page, problem(&error), &letter.kept()),
    }
}

/// POST /dossiers/{id}/statut
pub async fn set_status(
    State(state): State<PromotionState>,
    Path(case): Path<String>,
    posted: Posted<StatusPost>,
) -> Response {
    let Ok(case) = case.parse::<i64>() else { return to(paths::CASES, "erreur", Problem::CaseNotFound.code()) };
    let page = paths::CASE.of(case);
    let (user, StatusPost(status)) = or_redirect!(posted.signed(&page));
    match state.promotions.set_status(user, case, &status).await {
        Ok(()) => to(&page, "info", Notice::StatusChanged.code()),
        Err(PromotionError::Invalid(Problem::CaseNotFound)) => to(paths::CASES, "erreur", Problem::CaseNotFound.code()),
        Err(error) => to(&page, "erreur", problem(&error)),
    }
}

pub fn routes(promotions: Promotions) -> Routes {
    Routes::new()
        .post(paths::EDITOR.pattern(), save)
        .post(paths::PUBLISH.pattern(), publish)
        .post(paths::RESTORE.pattern(), restore)
        .post_up_to(paths::PHOTOS.pattern(), add_photo, PHOTO_BODY_LIMIT)
        .post(paths::REMOVE_PHOTO.pattern(), remove_photo)
        .post_up_to(paths::TESTIMONIALS.pattern(), add_testimonial, PHOTO_BODY_LIMIT)
        .post(paths::REMOVE_TESTIMONIAL.pattern(), remove_testimonial)
        .post(paths::CONTACT.pattern(), contact)
        .get(paths::PHOTO_FILE.pattern(), photo)
        .post(paths::CASE_MESSAGE.pattern(), reply)
        .post(paths::CASE_STATUS.pattern(), set_status)
        .with_state(PromotionState { promotions })
}
