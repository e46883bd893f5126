//! One way in for every form. `Posted<T>` reads, once, who posts (what the session layer put
//! in the request), the form's token and its fields as a `T`; the handler then names the page
//! the form belongs to, and `signed` (a signed-in person's form) or `checked` (a form of the
//! signed-out pages: sign-up, sign-in, password reset) gives the go-ahead, or the address to
//! send the person to instead: to sign in and back, or back to the page saying « formulaire
//! expiré » with what was typed.
//!
//! Multipart forms (a CV, a photo) are read by their handlers within a size limit; they take
//! the `Poster` alone and check its token the same way.

use super::session::sign_in_location;
use super::with_query;
use app::domain::accounts::{Problem, SignedIn, Viewer, fields};
use axum::extract::{Form, FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;
use std::convert::Infallible;

/// A form's posted pairs, in their order.
pub type Pairs = Vec<(String, String)>;

/// The pairs that go back to a page with a refused form.
pub type Kept = [(String, String)];

/// What a form type says about itself.
pub trait Fields: Sized {
    /// The fields of the posted pairs (the token is read apart); `None` for a body no browser
    /// would post (a field given twice where one is expected).
    fn read(pairs: Pairs) -> Option<Self>;
    /// What goes back to the page when the form is refused: what was typed, never a secret.
    fn kept(&self) -> Pairs;
}

/// `Fields` for form types read by serde: every non-empty field comes back.
macro_rules! serde_fields {
    ($($form:ty),+ $(,)?) => {$(
        impl $crate::http::posted::Fields for $form {
            fn read(pairs: $crate::http::posted::Pairs) -> Option<Self> {
                $crate::http::posted::deserialize(&pairs)
            }
            fn kept(&self) -> $crate::http::posted::Pairs {
                $crate::http::posted::typed_fields(self)
            }
        }
    )+};
}
pub(crate) use serde_fields;

/// Every non-empty field of a form, as the pairs that bring it back to its page after a
/// refusal (the pages read them back into the same form type).
pub(crate) fn typed_fields<T: serde::Serialize>(form: &T) -> Pairs {
    let encoded = serde_urlencoded::to_string(form).unwrap_or_default();
    serde_urlencoded::from_str::<Pairs>(&encoded)
        .unwrap_or_default()
        .into_iter()
        .filter(|(_, value)| !value.is_empty())
        .collect()
}

/// The pairs read into a serde form type.
pub(crate) fn deserialize<T: DeserializeOwned>(pairs: &[(String, String)]) -> Option<T> {
    serde_urlencoded::from_str(&serde_urlencoded::to_string(pairs).ok()?).ok()
}

/// The value of the first pair named `key`, or "".
pub(crate) fn value<'a>(pairs: &'a [(String, String)], key: &str) -> &'a str {
    pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str()).unwrap_or_default()
}

/// A form that is a button only: what it does is in its address.
#[derive(Debug, Default)]
pub struct Button;

impl Fields for Button {
    fn read(_: Pairs) -> Option<Self> {
        Some(Button)
    }
    fn kept(&self) -> Pairs {
        Vec::new()
    }
}

/// A destructive action's form: a button and the box « je confirme », ticked or not. The
/// browser asks for the box (it is `required`, without JavaScript too); the server checks it
/// again, as it checks everything.
#[derive(Debug, Default)]
pub struct Confirmed {
    ticked: bool,
    /// The box's id on the page (`fields::CONFIRMED_BOX`).
    at: String,
}

impl Confirmed {
    /// Where to send the person back to when the box was left unticked (`unconfirmed`); `None`
    /// when it was ticked.
    pub fn unticked(&self, page: &str) -> Option<String> {
        (!self.ticked).then(|| unconfirmed(page, &self.at))
    }
}

/// Back to `page` saying that its confirmed action's box was left unticked, and naming that box
/// (`fields::CONFIRMED_BOX`) so that the page marks it, if `at` is one of the ids the pages
/// write (lowercase letters, digits and dashes); a forged one is dropped, never echoed.
pub(crate) fn unconfirmed(page: &str, at: &str) -> String {
    let id = at.len() <= 64
        && !at.is_empty()
        && at.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    let named = [(fields::CONFIRMED_BOX, if id { at } else { "" })];
    back_naming(page, Problem::Unconfirmed.code(), &named, &[])
}

impl Fields for Confirmed {
    fn read(pairs: Pairs) -> Option<Self> {
        let ticked = !value(&pairs, fields::CONFIRMATION).trim().is_empty();
        Some(Confirmed { ticked, at: value(&pairs, fields::CONFIRMED_BOX).to_owned() })
    }
    fn kept(&self) -> Pairs {
        Vec::new()
    }
}

/// Who posts: the signed-in person, if any, and the token their forms must carry.
#[derive(Debug, Clone)]
pub struct Poster {
    user: Option<i64>,
    token: String,
}

impl Poster {
    pub fn is_signed_in(&self) -> bool {
        self.user.is_some()
    }

    /// The go-ahead for a signed-in person's form posted with `token` from `page`: their id.
    ///
    /// Signed in first: a signed-out visitor goes to sign in and comes back to `page`, whatever
    /// the form carried (a stale page's token is no reason to lose the way back). Then the
    /// token: without this session's, back to `page` with « formulaire expiré » and `kept`,
    /// nothing done.
    pub fn check(&self, token: &str, page: &str, kept: &Kept) -> Result<i64, String> {
        let user = self.user.ok_or_else(|| sign_in_location(page))?;
        self.check_token(token, page, kept)?;
        Ok(user)
    }

    /// The go-ahead for a form anyone may post (the signed-out pages' forms): its token only.
    pub fn check_token(&self, token: &str, page: &str, kept: &Kept) -> Result<(), String> {
        if token.is_empty() || token != self.token {
            return Err(back(page, Problem::FormExpired.code(), kept));
        }
        Ok(())
    }
}

/// `page` with `erreur=code` first, then what its address already says (a page may have a
/// query), then the kept pairs for the flash layer: they never reach the browser's address
/// (`flash::keep_typed` stores them, puts their id in their place, and gives them back to the
/// page, where they replace its own pairs of the same name).
pub(crate) fn back(page: &str, code: &str, kept: &Kept) -> String {
    back_naming(page, code, &[], kept)
}

/// `back`, with `named` added to the address: what the page must know that is not typed text
/// (the id of a box to mark); an empty value is left out.
fn back_naming(page: &str, code: &str, named: &[(&str, &str)], kept: &Kept) -> String {
    // A page's anchor (`…#avis`) stays at the end, after the query.
    let (page, anchor) = page.split_once('#').map_or((page, String::new()), |(page, a)| (page, format!("#{a}")));
    let (path, query) = page.split_once('?').unwrap_or((page, ""));
    let own: Pairs = serde_urlencoded::from_str(query).unwrap_or_default();
    let mut pairs = vec![("erreur", code)];
    pairs.extend(own.iter().filter(|(key, _)| key != "erreur").map(|(k, v)| (k.as_str(), v.as_str())));
    pairs.extend_from_slice(named);
    let typed = serde_urlencoded::to_string(kept).unwrap_or_default();
    if !typed.is_empty() {
        pairs.push((super::flash::TYPED, &typed));
    }
    with_query(path, &pairs) + &anchor
}

/// The redirect (303) of a refused form: `back(page, code, kept)`.
pub(crate) fn refused(page: &str, code: &str, kept: &Kept) -> Response {
    super::redirect(&back(page, code, kept))
}

impl<S: Send + Sync> FromRequestParts<S> for Poster {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        // The session layer puts both in every request but those of static files; without
        // them no token can match.
        let user = parts.extensions.get::<SignedIn>().map(|signed_in| signed_in.0);
        let token = parts.extensions.get::<Viewer>().map(|viewer| viewer.csrf.clone()).unwrap_or_default();
        Ok(Poster { user, token })
    }
}

/// A posted form: who posts it, the token it carries and its fields.
#[derive(Debug)]
pub struct Posted<T> {
    poster: Poster,
    token: String,
    pub fields: T,
}

impl<T: Fields> Posted<T> {
    /// The signed-in person's id and the fields, or where to go instead (see `Poster::check`).
    pub fn signed(self, page: &str) -> Result<(i64, T), String> {
        let user = self.poster.check(&self.token, page, &self.fields.kept())?;
        Ok((user, self.fields))
    }

    /// The fields of a form anyone may post, or back to `page` when its token is not right.
    pub fn checked(self, page: &str) -> Result<T, String> {
        self.poster.check_token(&self.token, page, &self.fields.kept())?;
        Ok(self.fields)
    }
}

impl<S: Send + Sync, T: Fields + Send> FromRequest<S> for Posted<T> {
    type Rejection = Response;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = request.into_parts();
        let poster = Poster::from_request_parts(&mut parts, state).await.unwrap_or_else(|never| match never {});
        let request = Request::from_parts(parts, body);
        let Form(pairs) = Form::<Pairs>::from_request(request, state).await.map_err(IntoResponse::into_response)?;
        let token = value(&pairs, fields::CSRF).to_owned();
        let fields = T::read(pairs)
            .ok_or_else(|| (StatusCode::UNPROCESSABLE_ENTITY, "Ce formulaire est illisible.\n").into_response())?;
        Ok(Posted { poster, token, fields })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kept() -> Pairs {
        vec![("email".to_owned(), "x@exemple.fr".to_owned())]
    }

    #[test]
    fn forms_need_a_session_first_then_its_token() {
        let token = "a".repeat(64);
        let anonymous = Poster { user: None, token: token.clone() };
        // Signed out: to sign in and back, whether the token is right or not.
        for csrf in ["", "faux", token.as_str()] {
            assert_eq!(
                anonymous.check(csrf, "/compte/profil", &kept()),
                Err("/connexion?erreur=connexion-requise&suite=%2Fcompte%2Fprofil".to_owned())
            );
        }
        let me = Poster { user: Some(7), token: token.clone() };
        for csrf in ["", "faux"] {
            assert_eq!(
                me.check(csrf, "/compte", &kept()),
                Err("/compte?erreur=formulaire-expire&saisie-a-garder=email%3Dx%2540exemple.fr".to_owned())
            );
        }
        assert_eq!(me.check(&token, "/compte", &kept()), Ok(7));
        // The signed-out pages' forms need the token only.
        assert_eq!(anonymous.check_token(&token, "/inscription", &kept()), Ok(()));
        assert_eq!(
            anonymous.check_token("", "/inscription", &kept()),
            Err("/inscription?erreur=formulaire-expire&saisie-a-garder=email%3Dx%2540exemple.fr".to_owned())
        );
    }

    #[test]
    fn a_page_with_a_query_keeps_it_and_the_typed_pairs_go_to_the_flash_layer() {
        let kept = vec![("jeton".to_owned(), "abc".to_owned())];
        assert_eq!(
            back("/organisations/invitation?jeton=abc&erreur=ancienne", "formulaire-expire", &kept),
            "/organisations/invitation?erreur=formulaire-expire&jeton=abc&saisie-a-garder=jeton%3Dabc"
        );
        assert_eq!(
            back("/moderation?organisation=5", "formulaire-expire", &[]),
            "/moderation?erreur=formulaire-expire&organisation=5"
        );
    }

    #[test]
    fn an_unticked_box_is_named_in_the_address_and_a_forged_name_is_dropped() {
        assert_eq!(
            unconfirmed("/stages/4?vue=1#avis", "retrait-avis-2"),
            "/stages/4?erreur=confirmation-manquante&vue=1&case=retrait-avis-2#avis"
        );
        let long = "a".repeat(65);
        for forged in ["\"><script>", "Retrait", "", long.as_str()] {
            assert_eq!(unconfirmed("/stages/4#avis", forged), "/stages/4?erreur=confirmation-manquante#avis");
        }
    }

    #[derive(Debug, Default, serde::Deserialize, serde::Serialize)]
    #[serde(default)]
    struct Letter {
        nom: String,
        message: String,
    }
    serde_fields!(Letter);

    #[test]
    fn serde_forms_read_their_fields_ignore_the_token_and_keep_what_was_typed() {
        let pairs: Pairs = [("csrf", "t"), ("nom", "Léa"), ("message", ""), ("autre", "x")]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let letter = Letter::read(pairs).unwrap();
        assert_eq!(letter.nom, "Léa");
        assert_eq!(letter.kept(), vec![("nom".to_owned(), "Léa".to_owned())]);
        let twice: Pairs = vec![("nom".into(), "a".into()), ("nom".into(), "b".into())];
        assert!(Letter::read(twice).is_none(), "a field given twice is not a browser's form");
    }
}
