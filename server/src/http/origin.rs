//! A second lock against cross-site request forgery, beside the form tokens: a state-changing
//! request (anything but GET, HEAD and OPTIONS) that a browser says comes from another site is
//! refused before any handler runs. It also covers server functions, which carry no form token.

use axum::extract::Request;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};

/// Whether the browser told us the request was made by a page of another site.
fn cross_site(headers: &HeaderMap) -> bool {
    // Sent by every current browser; "same-origin", "same-site", "none" (typed URL) are fine.
    // When present it is the browser's own answer, which a proxy rewriting Host cannot blur.
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return site == "cross-site";
    }
    // Older browsers: compare the Origin's host with the Host the request was sent to.
    let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    match (origin, host) {
        // Privacy-sensitive contexts send "null": no page of ours does.
        (Some("null"), _) => true,
        (Some(origin), Some(host)) => origin.split_once("://").map(|(_, rest)| rest) != Some(host),
        _ => false,
    }
}

/// Writes that may come from anywhere: the one-click unsubscribe of alert mails, which a
/// webmail may post from its own site (RFC 8058); its token is the proof, and it can only
/// ever delete the one alert it names.
const FROM_ANYWHERE: [&str; 1] = [app::domain::alerts::paths::UNSUBSCRIBE];

/// The middleware.
pub async fn refuse_cross_site_writes(request: Request, next: Next) -> Response {
    let reads = matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let open = FROM_ANYWHERE.contains(&request.uri().path());
    if !reads && !open && cross_site(request.headers()) {
        tracing::warn!(path = %request.uri().path(), "cross-site write refused");
        let page = "<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\"><title>Demande refusée</title></head>\
                    <body><h1>Demande refusée</h1><p>Cette demande venait d'un autre site : par sécurité, rien n'a été fait. \
                    Revenez sur <a href=\"/\">Médecins &amp; Territoires</a> et recommencez depuis ses pages.</p></body></html>";
        return (StatusCode::FORBIDDEN, Html(page)).into_response();
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn requests_from_another_site_are_recognised() {
        assert!(cross_site(&headers(&[("sec-fetch-site", "cross-site")])));
        assert!(cross_site(&headers(&[("origin", "https://evil.example"), ("host", "medecins.example")])));
        assert!(cross_site(&headers(&[("origin", "null"), ("host", "medecins.example")])));
        assert!(!cross_site(&headers(&[
            ("sec-fetch-site", "same-origin"),
            ("origin", "https://medecins.example"),
            ("host", "medecins.example")
        ])));
        assert!(!cross_site(&headers(&[("origin", "http://127.0.0.1:3000"), ("host", "127.0.0.1:3000")])));
        // No header at all: not a browser page of another site (curl, tests, server to server).
        assert!(!cross_site(&headers(&[])));
    }
}
