//! Security headers on every response: a Content Security Policy that lets run only the
//! islands' loader, named by its SHA-256 digest, and what it loads; and the headers that keep
//! browsers from sniffing types, leaking full addresses, framing the site or opening camera
//! and microphone.
//!
//! A digest rather than a per-request nonce: the loader's text is the same on every page of a
//! build, so a page's bytes are the same for every visitor and can be cached.

use axum::extract::{Request, State};
use axum::http::header::{
    CONTENT_SECURITY_POLICY, REFERRER_POLICY, STRICT_TRANSPORT_SECURITY, X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use axum::http::{HeaderMap, HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine;
use sha2::{Digest, Sha256};
use std::sync::Arc;

/// Anything no directive below names (fonts, manifests, media): our own origin only.
const DEFAULT_SRC: &str = "default-src 'self'";
/// Stylesheets are files from our origin (/pkg/portail.css, later maplibre-gl.css); no page
/// uses a `style` attribute or a `<style>` element, so no inline style is allowed.
const STYLE_SRC: &str = "style-src 'self'";
/// Our images, plus the data: and blob: URLs MapLibre GL JS makes for sprites and glyphs.
const IMG_SRC: &str = "img-src 'self' data: blob:";
/// fetch and XHR: server functions under /_srv, the wasm bundle, and MapLibre's style and
/// tiles, all served by us.
const CONNECT_SRC: &str = "connect-src 'self'";
/// MapLibre GL JS parses tiles in Web Workers: its worker file from our origin, or a blob: URL.
const WORKER_SRC: &str = "worker-src 'self' blob:";
/// Browsers without worker-src look workers up here (MapLibre's documentation asks for it);
/// frames fall back to it too, so no page can embed another site.
const CHILD_SRC: &str = "child-src blob:";
/// No plugins (<object>, <embed>).
const OBJECT_SRC: &str = "object-src 'none'";
/// An injected <base> cannot send the relative addresses (/pkg/..., /_srv/...) to another host.
const BASE_URI: &str = "base-uri 'self'";
/// Forms post only to us: an injected form cannot send a password elsewhere.
const FORM_ACTION: &str = "form-action 'self'";
/// No site may frame ours (clickjacking); the modern form of X-Frame-Options.
const FRAME_ANCESTORS: &str = "frame-ancestors 'none'";

/// Scripts: the islands' loader, the one inline script, by its digest; files from our origin
/// (the wasm bundle's JS glue, which the loader imports, and MapLibre, which the map island
/// adds to the page); and the compilation of the WebAssembly bundle ('wasm-unsafe-eval' allows
/// that, not `eval`). No 'strict-dynamic': it would not cover the loader's `import()`, and
/// with it browsers ignore 'self'. JSON-LD blocks are data, never executed, and need nothing.
fn script_src(loader_digest: &str) -> String {
    format!("script-src 'sha256-{loader_digest}' 'self' 'wasm-unsafe-eval'")
}

/// The SHA-256 digest of an inline script's text, in base64, as a policy names it.
pub fn script_digest(script: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(Sha256::digest(script.as_bytes()))
}

/// The whole policy, for the loader whose digest is `loader_digest`.
pub fn content_security_policy(loader_digest: &str) -> String {
    [
        DEFAULT_SRC,
        &script_src(loader_digest),
        STYLE_SRC,
        IMG_SRC,
        CONNECT_SRC,
        WORKER_SRC,
        CHILD_SRC,
        OBJECT_SRC,
        BASE_URI,
        FORM_ACTION,
        FRAME_ANCESTORS,
    ]
    .join("; ")
}

/// A served file is what its Content-Type says, never guessed from its bytes (a text answer
/// cannot turn into a script or a page).
const NOSNIFF: &str = "nosniff";
/// Other sites learn our origin from links, not the commune or account page a person was on.
const REFERRER: &str = "strict-origin-when-cross-origin";
/// For browsers that predate frame-ancestors.
const FRAME_OPTIONS: &str = "DENY";
/// Nothing here films, listens or locates. Geolocation is off too: the map shows territories
/// chosen by name or code and needs no position; a "locate me" control would switch it to
/// `geolocation=(self)` in the same change.
const PERMISSIONS: &str = "camera=(), microphone=(), geolocation=()";
/// Over https only (a browser ignores it over http, and it would break a plain-http test
/// deployment): one year. Without includeSubDomains, as other hosts of the domain are not ours
/// to decide for.
const HSTS: &str = "max-age=31536000";

/// Which headers this deployment sends.
#[derive(Debug, Clone)]
pub struct SecurityHeaders {
    policy: HeaderValue,
    /// Strict-Transport-Security, when the public address is https.
    hsts: bool,
}

impl SecurityHeaders {
    /// The headers for a site published at `public_url` (the PUBLIC_URL setting) whose pages
    /// carry the islands' loader `loader_script`.
    pub fn new(public_url: &str, loader_script: &str) -> Self {
        let policy = HeaderValue::from_str(&content_security_policy(&script_digest(loader_script)))
            .expect("a policy is ASCII text when its digest is base64");
        Self { policy, hsts: public_url.starts_with("https://") }
    }

    /// Sets every header on `headers`, replacing any earlier value.
    pub fn apply(&self, headers: &mut HeaderMap) {
        headers.insert(CONTENT_SECURITY_POLICY, self.policy.clone());
        headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static(NOSNIFF));
        headers.insert(REFERRER_POLICY, HeaderValue::from_static(REFERRER));
        headers.insert(X_FRAME_OPTIONS, HeaderValue::from_static(FRAME_OPTIONS));
        headers.insert(HeaderName::from_static("permissions-policy"), HeaderValue::from_static(PERMISSIONS));
        if self.hsts {
            headers.insert(STRICT_TRANSPORT_SECURITY, HeaderValue::from_static(HSTS));
        }
    }
}

/// The middleware: the headers on whatever answers: page, server function, file, redirect or
/// error.
pub async fn set_headers(State(headers): State<Arc<SecurityHeaders>>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    headers.apply(response.headers_mut());
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_allows_the_loader_by_its_digest_and_wasm_but_not_eval_or_inline_code() {
        let policy = content_security_policy("abc123");
        assert!(policy.contains("script-src 'sha256-abc123' 'self' 'wasm-unsafe-eval';"), "{policy}");
        assert!(!policy.contains("'unsafe-eval'") && !policy.contains("'unsafe-inline'"), "{policy}");
        assert!(policy.starts_with("default-src 'self'; "));
        assert!(policy.ends_with("; frame-ancestors 'none'"));
    }

    #[test]
    fn a_digest_is_the_base64_sha256_that_browsers_compute() {
        // echo -n 'alert(1)' | openssl dgst -sha256 -binary | base64
        assert_eq!(script_digest("alert(1)"), "bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI=");
    }

    #[test]
    fn strict_transport_security_is_sent_only_for_an_https_site() {
        let mut over_http = HeaderMap::new();
        SecurityHeaders::new("http://127.0.0.1:3000", "s").apply(&mut over_http);
        assert!(!over_http.contains_key(STRICT_TRANSPORT_SECURITY));
        assert_eq!(over_http[X_FRAME_OPTIONS], "DENY");
        assert_eq!(over_http[CONTENT_SECURITY_POLICY], content_security_policy(&script_digest("s")).as_str());

        let mut over_https = HeaderMap::new();
        SecurityHeaders::new("https://medecins-territoires.example", "s").apply(&mut over_https);
        assert_eq!(over_https[STRICT_TRANSPORT_SECURITY], "max-age=31536000");
    }
}
