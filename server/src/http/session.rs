//! Who is behind each request: the session cookie is looked up once, here, and the answer
//! (an `app::domain::accounts::Viewer`, with the token forms must carry) is put in the request's
//! extensions for pages, server functions and form handlers.
//!
//! Anonymous visitors get their form token from a `csrf` cookie (double submit: a page of
//! another site can neither read the cookie nor guess its value); signed-in people use their
//! session's token.

mod known;

use super::with_query;
use crate::accounts::{self, AccountError, Accounts, SessionUser};
use crate::cache::{ReadForRequest, Scope, VersionGate};
use crate::people::People;
use app::domain::accounts::{Problem, SignedIn, Viewer, ViewerUser, fields, paths};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use std::sync::Arc;

pub const SESSION_COOKIE: &str = "session";
pub const CSRF_COOKIE: &str = "csrf";

/// What the session layer and the account handlers share.
#[derive(Debug, Clone)]
pub struct SessionState {
    pub accounts: Accounts,
    pub people: People,
    /// Cookies get the Secure flag when the site is served over https.
    pub secure_cookies: bool,
    /// The data versions, read once per request of a signed-in person.
    pub versions: VersionGate,
    /// The sessions looked up lately, valid while the accounts' version stays.
    pub known: Arc<known::KnownSessions>,
}

/// The raw session token of the request's cookie, for sign-out.
#[derive(Debug, Clone)]
pub struct SessionToken(pub Option<String>);

/// The value of cookie `name` in the request.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_owned())
}

/// Tokens are 64 hex characters; anything else in a cookie is ignored, never looked up.
fn well_formed(token: &str) -> bool {
    token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit())
}

/// A `Set-Cookie` value: HttpOnly and SameSite=Lax always, Secure over https; `max_age`
/// None makes a cookie for the browser session, Some(0) deletes it.
pub fn set_cookie(state: &SessionState, name: &str, value: &str, max_age: Option<u64>) -> HeaderValue {
    let mut cookie = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax");
    if let Some(seconds) = max_age {
        cookie.push_str(&format!("; Max-Age={seconds}"));
    }
    if state.secure_cookies {
        cookie.push_str("; Secure");
    }
    HeaderValue::from_str(&cookie).expect("cookie names and hex tokens are valid header text")
}

/// The middleware: finds the viewer, and gives a new anonymous visitor a form token.
pub async fn resolve_viewer(State(state): State<Arc<SessionState>>, mut request: Request, next: Next) -> Response {
    // Static files need no session.
    if super::assets::PREFIXES.iter().any(|prefix| request.uri().path().starts_with(prefix)) {
        return next.run(request).await;
    }
    let headers = request.headers();
    let session_token = cookie(headers, SESSION_COOKIE).filter(|t| well_formed(t));
    let user = match &session_token {
        Some(token) => match session_user(&state, token, &mut request).await {
            Ok(user) => user,
            Err(error) => {
                // The page still renders, anonymously; the failure is in the logs.
                tracing::error!(%error, "session lookup failed");
                None
            }
        },
        None => None,
    };
    let mut new_csrf = None;
    if let Some(user) = &user {
        request.extensions_mut().insert(SignedIn(user.id));
    }
    let headers = request.headers();
    let viewer = match user {
        Some(user) => Viewer {
            csrf: user.csrf_token,
            user: Some(ViewerUser {
                display_name: user.display_name,
                email: user.email,
                verified: user.verified,
                moderator: user.moderator,
            }),
        },
        None => {
            let csrf = cookie(headers, CSRF_COOKIE).filter(|t| well_formed(t)).unwrap_or_else(|| {
                let token = accounts::new_token();
                new_csrf = Some(token.clone());
                token
            });
            Viewer { user: None, csrf }
        }
    };
    request.extensions_mut().insert(viewer);
    request.extensions_mut().insert(SessionToken(session_token));
    let mut response = next.run(request).await;
    // Only pages carry forms: the open API, feeds, exports and map layers set no cookie, nor
    // do the pages the cache shares, which hold no form token.
    if let Some(token) = new_csrf
        && is_html(&response)
        && response.extensions().get::<crate::cache::Shared>().is_none()
    {
        response.headers_mut().append(header::SET_COOKIE, set_cookie(&state, CSRF_COOKIE, &token, None));
    }
    response
}

/// The person of session `token`: from memory while no person or session changed since it
/// was looked up, from the database otherwise. The versions read go into the request, for the
/// page cache after this layer.
async fn session_user(
    state: &SessionState,
    token: &str,
    request: &mut Request,
) -> Result<Option<SessionUser>, AccountError> {
    let digest = accounts::secret::digest(token);
    let Ok(snapshot) = state.versions.current().await else {
        // Not read (the gate logs why): the database answers, as it would anyway.
        return state.accounts.session_user_by_digest(&digest).await;
    };
    request.extensions_mut().insert(ReadForRequest(snapshot));
    let version = snapshot.versions.of(Scope::Accounts);
    if let Some(answer) = state.known.get(&digest, version, state.versions.clock().now()) {
        return Ok(answer);
    }
    let answer = state.accounts.session_user_by_digest(&digest).await?;
    state.known.keep(digest, version, answer.clone());
    Ok(answer)
}

/// `request` (a GET) as an anonymous visitor makes it, for the page cache to render the copy it
/// keeps for everyone: no session, no cookie, a form token of its own (a page that shows it
/// is not kept). It undoes what `resolve_viewer` adds for a signed-in person, so it lives here.
pub fn as_anonymous(request: &Request) -> Request {
    let mut anonymous = Request::new(axum::body::Body::empty());
    *anonymous.method_mut() = request.method().clone();
    *anonymous.uri_mut() = request.uri().clone();
    *anonymous.version_mut() = request.version();
    *anonymous.headers_mut() = request.headers().clone();
    anonymous.headers_mut().remove(header::COOKIE);
    *anonymous.extensions_mut() = request.extensions().clone();
    anonymous.extensions_mut().remove::<SignedIn>();
    anonymous.extensions_mut().insert(Viewer { user: None, csrf: accounts::new_token() });
    anonymous.extensions_mut().insert(SessionToken(None));
    anonymous
}

fn is_html(response: &Response) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("text/html"))
}

/// Where a signed-out visitor of `page` is sent: to sign in, then back to `page`.
pub fn sign_in_location(page: &str) -> String {
    with_query(paths::SIGN_IN, &[("erreur", Problem::SignInRequired.code()), (fields::NEXT, page)])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_found_among_others_and_malformed_tokens_ignored() {
        let mut headers = HeaderMap::new();
        headers.insert(header::COOKIE, HeaderValue::from_static("a=1; session=abc; csrf=x=y"));
        assert_eq!(cookie(&headers, "session").as_deref(), Some("abc"));
        assert_eq!(cookie(&headers, "csrf").as_deref(), Some("x=y"));
        assert_eq!(cookie(&headers, "absent"), None);
        assert!(!well_formed("abc"));
        assert!(!well_formed(&"g".repeat(64)));
        assert!(well_formed(&"a1".repeat(32)));
    }
}
