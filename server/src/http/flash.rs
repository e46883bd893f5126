//! What a person typed into a refused form comes back to its page without passing through the
//! address bar: an address lands in the browser's history, in the server's and proxies' logs,
//! and a profile's RPPS number or an application letter has no business there.
//!
//! `posted::back` hands the typed pairs to this layer in one parameter (`TYPED`) of the
//! redirect it builds; on the way out, the layer stores them (table `form_flashes`) for the
//! session that posted, and the redirect carries only their random id (`FLASH`). When that
//! session opens the address, the layer puts the pairs back into the request's query, for
//! the page to read as before; anyone else, or later than `flashes::TTL_SECS`, gets the page
//! as it is. Such a page is never cached (`Flashed`).

use crate::accounts::{self, flashes::Flashes};
use app::domain::accounts::Viewer;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, Uri, header};
use axum::middleware::Next;
use axum::response::Response;
use std::sync::Arc;

/// The parameter by which `posted::back` hands the typed pairs to this layer; it never
/// leaves the server.
pub(crate) const TYPED: &str = "saisie-a-garder";
/// The parameter of a redirect's address that names the stored pairs.
pub const FLASH: &str = "saisie";

/// Marks a request whose page may show what someone typed: the page cache leaves it alone.
#[derive(Debug, Clone, Copy)]
pub struct Flashed;

/// The middleware, inside the session layer (the typed pairs are the posting session's) and
/// outside the page cache.
pub async fn keep_typed(State(flashes): State<Arc<Flashes>>, mut request: Request, next: Next) -> Response {
    let owner = request.extensions().get::<Viewer>().map(|viewer| accounts::digest(&viewer.csrf));
    if matches!(*request.method(), Method::GET | Method::HEAD)
        && let Some(id) = param(request.uri().query().unwrap_or_default(), FLASH)
    {
        request.extensions_mut().insert(Flashed);
        if let Some(owner) = &owner {
            match flashes.read(&id, owner).await {
                Ok(Some(typed)) => {
                    if let Some(uri) = with_typed(request.uri(), &typed) {
                        *request.uri_mut() = uri;
                    }
                }
                Ok(None) => {}
                // The page still renders, without what was typed.
                Err(error) => tracing::error!(%error, "typed form values could not be read"),
            }
        }
    }
    let mut response = next.run(request).await;
    if response.status().is_redirection()
        && let Some(location) = response.headers().get(header::LOCATION).and_then(|l| l.to_str().ok())
        && let Some((location, typed)) = take(location, TYPED)
    {
        // Rather lost than in the address: without a session, or should the database fail,
        // the page comes back empty.
        let stored = match &owner {
            Some(owner) => flashes.keep(owner, &typed).await.map_err(|error| {
                tracing::error!(%error, "typed form values could not be kept");
            }),
            None => Err(()),
        };
        let location = match stored {
            Ok(id) => added(&location, FLASH, &id),
            Err(()) => location,
        };
        if let Ok(value) = HeaderValue::from_str(&location) {
            response.headers_mut().insert(header::LOCATION, value);
        }
    }
    response
}

/// The value of `name` in `query`.
fn param(query: &str, name: &str) -> Option<String> {
    serde_urlencoded::from_str::<Vec<(String, String)>>(query)
        .ok()?
        .into_iter()
        .find_map(|(key, value)| (key == name).then_some(value))
}

/// `location` without its parameter `name`, and that parameter's value.
fn take(location: &str, name: &str) -> Option<(String, String)> {
    let (address, fragment) = location.split_once('#').map_or((location, None), |(a, f)| (a, Some(f)));
    let (path, query) = address.split_once('?')?;
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).ok()?;
    let value = pairs.iter().find_map(|(key, value)| (key == name).then(|| value.clone()))?;
    let rest: Vec<_> = pairs.into_iter().filter(|(key, _)| key != name).collect();
    let mut location = super::with_query(path, &rest.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect::<Vec<_>>());
    if let Some(fragment) = fragment {
        location = format!("{location}#{fragment}");
    }
    Some((location, value))
}

/// `location` with `name=value` added to its query (before any fragment).
fn added(location: &str, name: &str, value: &str) -> String {
    let (address, fragment) = location.split_once('#').map_or((location, None), |(a, f)| (a, Some(f)));
    let pair = serde_urlencoded::to_string([(name, value)]).unwrap_or_default();
    let separator = if address.contains('?') { '&' } else { '?' };
    match fragment {
        Some(fragment) => format!("{address}{separator}{pair}#{fragment}"),
        None => format!("{address}{separator}{pair}"),
    }
}

/// `uri` with the typed pairs (urlencoded) in its query, in place of `FLASH` and of its own
/// pairs of the same names.
fn with_typed(uri: &Uri, typed: &str) -> Option<Uri> {
    let own: Vec<(String, String)> = serde_urlencoded::from_str(uri.query().unwrap_or_default()).ok()?;
    let typed: Vec<(String, String)> = serde_urlencoded::from_str(typed).ok()?;
    let pairs: Vec<(&str, &str)> = own
        .iter()
        .filter(|(key, _)| key != FLASH && !typed.iter().any(|(k, _)| k == key))
        .chain(typed.iter())
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    super::with_query(uri.path(), &pairs).parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_typed_pairs_leave_the_address_and_come_back_to_the_request() {
        let location = "/compte/profil?erreur=rpps-invalide&saisie-a-garder=statut%3Dinstalle%26rpps%3D1234#profil";
        let (rest, typed) = take(location, TYPED).unwrap();
        assert_eq!(rest, "/compte/profil?erreur=rpps-invalide#profil");
        assert_eq!(typed, "statut=installe&rpps=1234");
        assert_eq!(added(&rest, FLASH, "abc"), "/compte/profil?erreur=rpps-invalide&saisie=abc#profil");
        assert_eq!(added("/connexion", FLASH, "abc"), "/connexion?saisie=abc");
        assert!(take("/compte?erreur=x", TYPED).is_none());

        let uri: Uri = "/moderation?erreur=motif&organisation=5&saisie=abc&motif=ancien".parse().unwrap();
        let back = with_typed(&uri, "motif=Pi%C3%A8ce+manquante").unwrap();
        assert_eq!(back.to_string(), "/moderation?erreur=motif&organisation=5&motif=Pi%C3%A8ce+manquante");
    }
}
