//! The account forms' handlers: each checks the form token, calls the accounts service,
//! sets or clears the session cookie and redirects (303) to a page that says what happened —
//! the same with or without JavaScript. Nothing typed is lost on an error except passwords.

use super::session::{SESSION_COOKIE, SessionState, SessionToken, form_author, set_cookie, sign_in_location};
use super::{redirect, with_query};
use crate::accounts::{AccountError, NewSession, PasswordError, SESSION_TTL};
use crate::people::PeopleError;
use app::api::account::{Notice, Problem, SignedIn, Viewer, fields, paths};
use app::api::profile::ProfileInput;
use app::model::EmailError;
use axum::Extension;
use axum::extract::{Form, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

/// Every account form's fields (named as in `app::api::account::fields`); a missing field is
/// an empty one, so that the service answers it with a French sentence.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AccountForm {
    csrf: String,
    nom: String,
    email: String,
    mot_de_passe: String,
    jeton: String,
    suite: String,
    mot_de_passe_actuel: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LinkQuery {
    jeton: String,
}

fn back(path: &str, problem: Problem, keep: &[(&str, &str)]) -> Response {
    let mut pairs = vec![("erreur", problem.code())];
    pairs.extend_from_slice(keep);
    redirect(&with_query(path, &pairs))
}

fn notice(path: &str, notice: Notice) -> Response {
    redirect(&with_query(path, &[("info", notice.code())]))
}

/// The sentence a person sees for a service error; infrastructure failures are logged.
fn problem(error: &AccountError) -> Problem {
    match error {
        AccountError::Email(EmailError::Empty) => Problem::EmailMissing,
        AccountError::Email(_) => Problem::EmailInvalid,
        AccountError::Password(PasswordError::TooShort) => Problem::PasswordTooShort,
        AccountError::Password(PasswordError::TooLong) => Problem::PasswordTooLong,
        AccountError::Password(PasswordError::IsEmail) => Problem::PasswordIsEmail,
        AccountError::Name => Problem::NameInvalid,
        AccountError::EmailTaken => Problem::EmailTaken,
        AccountError::BadCredentials => Problem::BadCredentials,
        AccountError::RateLimited { .. } => Problem::RateLimited,
        AccountError::BadLink => Problem::BadLink,
        AccountError::WrongPassword => Problem::WrongPassword,
        AccountError::SameEmail => Problem::SameEmail,
        AccountError::SoleOwner { .. } => Problem::SoleOwner,
        AccountError::Database(_) | AccountError::Mail(_) => {
            tracing::error!(%error, "account action failed");
            Problem::Unavailable
        }
    }
}

/// The form carries the token of this visitor's cookie or session.
fn csrf_ok(viewer: &Viewer, form: &AccountForm) -> bool {
    !form.csrf.is_empty() && form.csrf == viewer.csrf
}

/// A path of this site to go to after signing in; anything else (another site, "//host")
/// goes to the account page.
fn safe_next(next: &str) -> &str {
    let local = next.starts_with('/') && !next.starts_with("//") && !next.contains('\\');
    if local { next } else { paths::ACCOUNT }
}

fn signed_in(state: &SessionState, session: NewSession, location: &str) -> Response {
    let mut response = redirect(location);
    response
        .headers_mut()
        .append(header::SET_COOKIE, set_cookie(state, SESSION_COOKIE, &session.token, Some(SESSION_TTL.as_secs())));
    response
}

/// POST /inscription: creates the account (the verification mail is queued) and signs in.
pub async fn sign_up(
    State(state): State<SessionState>,
    Extension(viewer): Extension<Viewer>,
    Form(form): Form<AccountForm>,
) -> Response {
    let keep = [(fields::NAME, form.nom.as_str()), (fields::EMAIL, form.email.as_str())];
    if !csrf_ok(&viewer, &form) {
        return back(paths::SIGN_UP, Problem::FormExpired, &keep);
    }
    if let Err(error) = state.accounts.sign_up(&form.email, &form.nom, &form.mot_de_passe).await {
        return back(paths::SIGN_UP, problem(&error), &keep);
    }
    match state.accounts.sign_in(&form.email, &form.mot_de_passe).await {
        Ok(session) => signed_in(&state, session, &with_query(paths::ACCOUNT, &[("info", Notice::Welcome.code())])),
        Err(error) => back(paths::SIGN_IN, problem(&error), &[(fields::EMAIL, form.email.as_str())]),
    }
}

/// POST /connexion
pub async fn sign_in(
    State(state): State<SessionState>,
    Extension(viewer): Extension<Viewer>,
    Form(form): Form<AccountForm>,
) -> Response {
    let keep = [(fields::EMAIL, form.email.as_str()), (fields::NEXT, form.suite.as_str())];
    if !csrf_ok(&viewer, &form) {
        return back(paths::SIGN_IN, Problem::FormExpired, &keep);
    }
    match state.accounts.sign_in(&form.email, &form.mot_de_passe).await {
        Ok(session) => signed_in(&state, session, safe_next(&form.suite)),
        Err(error) => back(paths::SIGN_IN, problem(&error), &keep),
    }
}

/// POST /deconnexion: closes this browser's session.
pub async fn sign_out(
    State(state): State<SessionState>,
    Extension(viewer): Extension<Viewer>,
    Extension(SessionToken(token)): Extension<SessionToken>,
    Form(form): Form<AccountForm>,
) -> Response {
    if !csrf_ok(&viewer, &form) {
        return back(paths::ACCOUNT, Problem::FormExpired, &[]);
    }
    if let Some(token) = token
        && let Err(error) = state.accounts.sign_out(&token).await
    {
        return back(paths::ACCOUNT, problem(&error), &[]);
    }
    let mut response = notice(paths::SIGN_IN, Notice::SignedOut);
    response.headers_mut().append(header::SET_COOKIE, set_cookie(&state, SESSION_COOKIE, "", Some(0)));
    response
}

/// POST /compte/nom
pub async fn rename(
    State(state): State<SessionState>,
    Extension(viewer): Extension<Viewer>,
    signed_in: Option<Extension<SignedIn>>,
    Form(form): Form<AccountForm>,
) -> Response {
    let user_id = or_redirect!(form_author(signed_in, &viewer, &form.csrf, paths::ACCOUNT, &[]));
    match state.accounts.rename(user_id, &form.nom).await {
        Ok(()) => notice(paths::ACCOUNT, Notice::Renamed),
        Err(error) => back(paths::ACCOUNT, problem(&error), &[]),
    }
}

/// POST /compte/mot-de-passe-oublie: the same answer whether the address has an account or not.
pub async fn forgot_password(
    State(state): State<SessionState>,
    Extension(viewer): Extension<Viewer>,
    Form(form): Form<AccountForm>,
) -> Response {
    let keep = [(fields::EMAIL, form.email.as_str())];
    if !csrf_ok(&viewer, &form) {
        return back(paths::FORGOT_PASSWORD, Problem::FormExpired, &keep);
    }
    match state.accounts.request_password_reset(&form.email).await {
        Ok(()) => notice(paths::FORGOT_PASSWORD, Notice::ResetSent),
        Err(error) => back(paths::FORGOT_PASSWORD, problem(&error), &keep),
    }
}

/// POST /compte/nouveau-mot-de-passe: sets the password of the link's account; every session
/// of the account is closed, this browser's cookie too.
pub async fn new_password(
    State(state): State<SessionState>,
    Extension(viewer): Extension<Viewer>,
    Form(form): Form<AccountForm>,
) -> Response {
    let keep = [(fields::TOKEN, form.jeton.as_str())];
    if !csrf_ok(&viewer, &form) {
        return back(paths::NEW_PASSWORD, Problem::FormExpired, &keep);
    }
    match state.accounts.reset_password(&form.jeton, &form.mot_de_passe).await {
        Ok(_) => {
            let mut response = notice(paths::SIGN_IN, Notice::PasswordChanged);
            response.headers_mut().append(header::SET_COOKIE, set_cookie(&state, SESSION_COOKIE, "", Some(0)));
            response
        }
        Err(AccountError::BadLink) => back(paths::FORGOT_PASSWORD, Problem::BadLink, &[]),
        Err(error) => back(paths::NEW_PASSWORD, problem(&error), &keep),
    }
}

/// GET /compte/verification?jeton=…: the link of the verification mail.
pub async fn verify_email(State(state): State<SessionState>, Query(query): Query<LinkQuery>) -> Response {
    match state.accounts.verify_email(&query.jeton).await {
        Ok(_) => notice(paths::ACCOUNT, Notice::Verified),
        Err(error) => back(paths::ACCOUNT, problem(&error), &[]),
    }
}

/// The profile form: its own fields, and the form token.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ProfileForm {
    csrf: String,
    #[serde(flatten)]
    profile: ProfileInput,
}

/// POST /compte/profil
pub async fn save_profile(
    State(state): State<SessionState>,
    Extension(viewer): Extension<Viewer>,
    signed_in: Option<Extension<SignedIn>>,
    Form(form): Form<ProfileForm>,
) -> Response {
    let p = &form.profile;
    let keep = [
        ("statut", p.statut.as_str()),
        ("faculte", p.faculte.as_str()),
        ("annee", p.annee.as_str()),
        ("specialite", p.specialite.as_str()),
        ("these", p.these.as_str()),
        ("rpps", p.rpps.as_str()),
    ];
    let user_id = or_redirect!(form_author(signed_in, &viewer, &form.csrf, paths::PROFILE, &keep));
    match state.people.save(user_id, &form.profile).await {
        Ok(_) => notice(paths::ACCOUNT, Notice::ProfileSaved),
        Err(PeopleError::Invalid(problem)) => {
            redirect(&with_query(paths::PROFILE, &[&[("erreur", problem.code())][..], &keep[..]].concat()))
        }
        Err(PeopleError::Database(error)) => {
            tracing::error!(%error, "profile save failed");
            back(paths::PROFILE, Problem::Unavailable, &keep)
        }
    }
}

/// POST /compte/mot-de-passe
pub async fn change_password(
    State(state): State<SessionState>,
    Extension(viewer): Extension<Viewer>,
    Extension(SessionToken(token)): Extension<SessionToken>,
    signed_in: Option<Extension<SignedIn>>,
    Form(form): Form<AccountForm>,
) -> Response {
    let user_id = or_redirect!(form_author(signed_in, &viewer, &form.csrf, paths::ACCOUNT, &[]));
    // Signed in means a session cookie came with the request.
    let token = token.unwrap_or_default();
    match state.accounts.change_password(user_id, &form.mot_de_passe_actuel, &form.mot_de_passe, &token).await {
        Ok(()) => notice(paths::ACCOUNT, Notice::PasswordUpdated),
        Err(error) => back(paths::ACCOUNT, problem(&error), &[]),
    }
}

/// POST /compte/email: sends the confirmation link to the new address.
pub async fn change_email(
    State(state): State<SessionState>,
    Extension(viewer): Extension<Viewer>,
    signed_in: Option<Extension<SignedIn>>,
    Form(form): Form<AccountForm>,
) -> Response {
    let keep = [(fields::EMAIL, form.email.as_str())];
    let user_id = or_redirect!(form_author(signed_in, &viewer, &form.csrf, paths::ACCOUNT, &keep));
    match state.accounts.request_email_change(user_id, &form.mot_de_passe_actuel, &form.email).await {
        Ok(()) => notice(paths::ACCOUNT, Notice::EmailChangeSent),
        Err(error) => back(paths::ACCOUNT, problem(&error), &keep),
    }
}

/// GET /compte/changement-email?jeton=…: the link of the e-mail change mail.
pub async fn confirm_email(State(state): State<SessionState>, Query(query): Query<LinkQuery>) -> Response {
    match state.accounts.confirm_email_change(&query.jeton).await {
        Ok(_) => notice(paths::ACCOUNT, Notice::EmailChanged),
        Err(error) => back(paths::ACCOUNT, problem(&error), &[]),
    }
}

/// GET /compte/mes-donnees: everything we hold about the signed-in person, as a JSON file.
pub async fn my_data(State(state): State<SessionState>, signed_in: Option<Extension<SignedIn>>) -> Response {
    let Some(Extension(SignedIn(user_id))) = signed_in else {
        return redirect(&sign_in_location(paths::ACCOUNT));
    };
    match state.accounts.export(user_id).await {
        Ok(data) => {
            let body = serde_json::to_string_pretty(&data).unwrap_or_default();
            let mut response = body.into_response();
            let headers = response.headers_mut();
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json; charset=utf-8"));
            headers.insert(
                header::CONTENT_DISPOSITION,
                HeaderValue::from_static("attachment; filename=\"mes-donnees-medecins-territoires.json\""),
            );
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            response
        }
        Err(error) => back(paths::ACCOUNT, problem(&error), &[]),
    }
}

/// POST /compte/suppression: erases the account after the password is typed again.
pub async fn delete_account(
    State(state): State<SessionState>,
    Extension(viewer): Extension<Viewer>,
    signed_in: Option<Extension<SignedIn>>,
    Form(form): Form<AccountForm>,
) -> Response {
    let user_id = or_redirect!(form_author(signed_in, &viewer, &form.csrf, paths::ACCOUNT, &[]));
    match state.accounts.delete_account(user_id, &form.mot_de_passe_actuel).await {
        Ok(()) => {
            let mut response = notice(paths::ACCOUNT, Notice::AccountDeleted);
            response.headers_mut().append(header::SET_COOKIE, set_cookie(&state, SESSION_COOKIE, "", Some(0)));
            response
        }
        Err(error) => back(paths::ACCOUNT, problem(&error), &[]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        assert_eq!(safe_next("/communes/12202-rodez"), "/communes/12202-rodez");
        for outside in ["", "https://evil.example", "//evil.example", "/\\evil.example", "compte"] {
            assert_eq!(safe_next(outside), paths::ACCOUNT, "{outside}");
        }
    }

    #[test]
    fn redirects_carry_codes_and_kept_fields_encoded() {
        assert_eq!(
            with_query("/inscription", &[("erreur", "nom"), ("email", "a b&c@x.fr"), ("nom", "")]),
            "/inscription?erreur=nom&email=a+b%26c%40x.fr"
        );
        assert_eq!(with_query("/compte", &[]), "/compte");
    }
}
