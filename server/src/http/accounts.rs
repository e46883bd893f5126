//! The account forms' handlers: each checks the form token, calls the accounts service,
//! sets or clears the session cookie and redirects (303) to a page that says what happened —
//! the same with or without JavaScript. Nothing typed is lost on an error except passwords.

use super::posted::{Button, Fields, Pairs, Posted, deserialize, refused, serde_fields};
use super::routes::Routes;
use super::session::{SESSION_COOKIE, SessionState, SessionToken, set_cookie, sign_in_location};
use super::{redirect, with_query};
use crate::accounts::{AccountError, NewSession, PasswordError, SESSION_TTL};
use crate::people::PeopleError;
use app::domain::accounts::{AccountForm as Form, Notice, Problem, SignedIn, fields, paths};
use app::domain::profiles::ProfileInput;
use app::model::EmailError;
use axum::Extension;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

/// Every account form's fields (named as in `app::domain::accounts::fields`); a missing field is
/// an empty one, so that the service answers it with a French sentence.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AccountForm {
    nom: String,
    email: String,
    mot_de_passe: String,
    jeton: String,
    suite: String,
    mot_de_passe_actuel: String,
}

impl Fields for AccountForm {
    fn read(pairs: Pairs) -> Option<Self> {
        deserialize(&pairs)
    }

    /// Everything typed but the passwords.
    fn kept(&self) -> Pairs {
        [
            (fields::NAME, &self.nom),
            (fields::EMAIL, &self.email),
            (fields::TOKEN, &self.jeton),
            (fields::NEXT, &self.suite),
        ]
        .into_iter()
        .filter(|(_, value)| !value.is_empty())
        .map(|(key, value)| (key.to_owned(), value.clone()))
        .collect()
    }
}

impl AccountForm {
    /// What a refused form of the account page keeps: what was typed (never a password) and
    /// which form it was, so that the page marks that form's field.
    fn kept_for(&self, form: Form) -> Pairs {
        let mut kept = self.kept();
        kept.push((fields::FORM.to_owned(), form.code().to_owned()));
        kept
    }
}

serde_fields!(ProfileInput);

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LinkQuery {
    jeton: String,
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
        AccountError::AlreadyVerified => Problem::AlreadyVerified,
        AccountError::LinkJustSent => Problem::LinkJustSent,
        AccountError::Database(_) | AccountError::Mail(_) => {
            tracing::error!(%error, "account action failed");
            Problem::Unavailable
        }
    }
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
pub async fn sign_up(State(state): State<SessionState>, posted: Posted<AccountForm>) -> Response {
    let form = or_redirect!(posted.checked(paths::SIGN_UP));
    if let Err(error) = state.accounts.sign_up(&form.email, &form.nom, &form.mot_de_passe).await {
        return refused(paths::SIGN_UP, problem(&error).code(), &form.kept());
    }
    match state.accounts.sign_in(&form.email, &form.mot_de_passe).await {
        Ok(session) => signed_in(&state, session, &with_query(paths::ACCOUNT, &[("info", Notice::Welcome.code())])),
        Err(error) => refused(paths::SIGN_IN, problem(&error).code(), &[(fields::EMAIL.to_owned(), form.email)]),
    }
}

/// POST /connexion
pub async fn sign_in(State(state): State<SessionState>, posted: Posted<AccountForm>) -> Response {
    let form = or_redirect!(posted.checked(paths::SIGN_IN));
    match state.accounts.sign_in(&form.email, &form.mot_de_passe).await {
        Ok(session) => signed_in(&state, session, safe_next(&form.suite)),
        Err(error) => refused(paths::SIGN_IN, problem(&error).code(), &form.kept()),
    }
}

/// POST /deconnexion: closes this browser's session.
pub async fn sign_out(
    State(state): State<SessionState>,
    Extension(SessionToken(token)): Extension<SessionToken>,
    posted: Posted<Button>,
) -> Response {
    or_redirect!(posted.checked(paths::ACCOUNT));
    if let Some(token) = token
        && let Err(error) = state.accounts.sign_out(&token).await
    {
        return refused(paths::ACCOUNT, problem(&error).code(), &[]);
    }
    let mut response = notice(paths::SIGN_IN, Notice::SignedOut);
    response.headers_mut().append(header::SET_COOKIE, set_cookie(&state, SESSION_COOKIE, "", Some(0)));
    response
}

/// POST /compte/nom
pub async fn rename(State(state): State<SessionState>, posted: Posted<AccountForm>) -> Response {
    let (user_id, form) = or_redirect!(posted.signed(paths::ACCOUNT));
    match state.accounts.rename(user_id, &form.nom).await {
        Ok(()) => notice(paths::ACCOUNT, Notice::Renamed),
        Err(error) => refused(paths::ACCOUNT, problem(&error).code(), &form.kept_for(Form::Rename)),
    }
}

/// POST /compte/mot-de-passe-oublie: the same answer whether the address has an account or not.
pub async fn forgot_password(State(state): State<SessionState>, posted: Posted<AccountForm>) -> Response {
    let form = or_redirect!(posted.checked(paths::FORGOT_PASSWORD));
    match state.accounts.request_password_reset(&form.email).await {
        Ok(()) => notice(paths::FORGOT_PASSWORD, Notice::ResetSent),
        Err(error) => refused(paths::FORGOT_PASSWORD, problem(&error).code(), &form.kept()),
    }
}

/// POST /compte/nouveau-mot-de-passe: sets the password of the link's account; every session
/// of the account is closed, this browser's cookie too.
pub async fn new_password(State(state): State<SessionState>, posted: Posted<AccountForm>) -> Response {
    let form = or_redirect!(posted.checked(paths::NEW_PASSWORD));
    match state.accounts.reset_password(&form.jeton, &form.mot_de_passe).await {
        Ok(_) => {
            let mut response = notice(paths::SIGN_IN, Notice::PasswordChanged);
            response.headers_mut().append(header::SET_COOKIE, set_cookie(&state, SESSION_COOKIE, "", Some(0)));
            response
        }
        Err(AccountError::BadLink) => refused(paths::FORGOT_PASSWORD, Problem::BadLink.code(), &[]),
        Err(error) => refused(paths::NEW_PASSWORD, problem(&error).code(), &form.kept()),
    }
}

/// GET /compte/verification?jeton=…: the link of the verification mail.
pub async fn verify_email(State(state): State<SessionState>, Query(query): Query<LinkQuery>) -> Response {
    match state.accounts.verify_email(&query.jeton).await {
        Ok(_) => notice(paths::ACCOUNT, Notice::Verified),
        Err(error) => refused(paths::ACCOUNT, problem(&error).code(), &[]),
    }
}

/// POST /compte/verification/renvoi: a new link for an address not confirmed yet.
pub async fn resend_verification(State(state): State<SessionState>, posted: Posted<Button>) -> Response {
    let (user_id, Button) = or_redirect!(posted.signed(paths::ACCOUNT));
    match state.accounts.resend_verification(user_id).await {
        Ok(()) => notice(paths::ACCOUNT, Notice::VerificationSent),
        Err(error) => refused(paths::ACCOUNT, problem(&error).code(), &[]),
    }
}

/// POST /compte/profil
pub async fn save_profile(State(state): State<SessionState>, posted: Posted<ProfileInput>) -> Response {
    let (user_id, profile) = or_redirect!(posted.signed(paths::PROFILE));
    match state.people.save(user_id, &profile).await {
        Ok(_) => notice(paths::ACCOUNT, Notice::ProfileSaved),
        Err(PeopleError::Invalid(problem)) => refused(paths::PROFILE, problem.code(), &profile.kept()),
        Err(PeopleError::Database(error)) => {
            tracing::error!(%error, "profile save failed");
            refused(paths::PROFILE, Problem::Unavailable.code(), &profile.kept())
        }
    }
}

/// POST /compte/mot-de-passe
pub async fn change_password(
    State(state): State<SessionState>,
    Extension(SessionToken(token)): Extension<SessionToken>,
    posted: Posted<AccountForm>,
) -> Response {
    let (user_id, form) = or_redirect!(posted.signed(paths::ACCOUNT));
    // Signed in means a session cookie came with the request.
    let token = token.unwrap_or_default();
    match state.accounts.change_password(user_id, &form.mot_de_passe_actuel, &form.mot_de_passe, &token).await {
        Ok(()) => notice(paths::ACCOUNT, Notice::PasswordUpdated),
        Err(error) => refused(paths::ACCOUNT, problem(&error).code(), &form.kept_for(Form::Password)),
    }
}

/// POST /compte/email: sends the confirmation link to the new address.
pub async fn change_email(State(state): State<SessionState>, posted: Posted<AccountForm>) -> Response {
    let (user_id, form) = or_redirect!(posted.signed(paths::ACCOUNT));
    match state.accounts.request_email_change(user_id, &form.mot_de_passe_actuel, &form.email).await {
        Ok(()) => notice(paths::ACCOUNT, Notice::EmailChangeSent),
        Err(error) => refused(paths::ACCOUNT, problem(&error).code(), &form.kept_for(Form::Email)),
    }
}

/// GET /compte/changement-email?jeton=…: the link of the e-mail change mail.
pub async fn confirm_email(State(state): State<SessionState>, Query(query): Query<LinkQuery>) -> Response {
    match state.accounts.confirm_email_change(&query.jeton).await {
        Ok(_) => notice(paths::ACCOUNT, Notice::EmailChanged),
        Err(error) => refused(paths::ACCOUNT, problem(&error).code(), &[]),
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
        Err(error) => refused(paths::ACCOUNT, problem(&error).code(), &[]),
    }
}

/// POST /compte/suppression: erases the account after the password is typed again.
pub async fn delete_account(State(state): State<SessionState>, posted: Posted<AccountForm>) -> Response {
    let (user_id, form) = or_redirect!(posted.signed(paths::ACCOUNT));
    match state.accounts.delete_account(user_id, &form.mot_de_passe_actuel).await {
        Ok(()) => {
            let mut response = notice(paths::ACCOUNT, Notice::AccountDeleted);
            response.headers_mut().append(header::SET_COOKIE, set_cookie(&state, SESSION_COOKIE, "", Some(0)));
            response
        }
        Err(error) => refused(paths::ACCOUNT, problem(&error).code(), &form.kept_for(Form::Delete)),
    }
}

/// The account forms and links.
pub fn routes(sessions: SessionState) -> Routes {
    Routes::new()
        .post(paths::SIGN_UP, sign_up)
        .post(paths::SIGN_IN, sign_in)
        .post(paths::SIGN_OUT, sign_out)
        .post(paths::FORGOT_PASSWORD, forgot_password)
        .post(paths::NEW_PASSWORD, new_password)
        .get(paths::VERIFY, verify_email)
        .post(paths::RESEND_VERIFICATION, resend_verification)
        .post(paths::PROFILE, save_profile)
        .post(paths::RENAME, rename)
        .post(paths::CHANGE_PASSWORD, change_password)
        .post(paths::CHANGE_EMAIL, change_email)
        .get(paths::CONFIRM_EMAIL, confirm_email)
        .get(paths::MY_DATA, my_data)
        .post(paths::DELETE_ACCOUNT, delete_account)
        .with_state(sessions)
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
