//! Security headers: on every kind of response, with a Content Security Policy whose nonce is
//! the one on the page's scripts.

use crate::helpers::*;
use reqwest::Response;

/// Checks the headers every response must carry (the test site is published over https).
fn assert_secured(response: &Response, what: &str) {
    let header = |name: &str| {
        response.headers().get(name).unwrap_or_else(|| panic!("{what}: no {name} header")).to_str().expect("text")
    };
    let policy = header("content-security-policy");
    for directive in [
        "default-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "connect-src 'self'",
        "worker-src 'self' blob:",
        "child-src blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ] {
        assert!(policy.split("; ").any(|d| d == directive), "{what}: {directive} missing from {policy}");
    }
    assert!(csp_nonce(policy).is_some(), "{what}: no script nonce in {policy}");
    assert_eq!(header("x-content-type-options"), "nosniff", "{what}");
    assert_eq!(header("referrer-policy"), "strict-origin-when-cross-origin", "{what}");
    assert_eq!(header("x-frame-options"), "DENY", "{what}");
    assert_eq!(header("permissions-policy"), "camera=(), microphone=(), geolocation=()", "{what}");
    assert_eq!(header("strict-transport-security"), "max-age=31536000", "{what}");
}

/// The nonce of the policy's script-src, which must also allow WebAssembly and nothing unsafe.
fn csp_nonce(policy: &str) -> Option<String> {
    let script_src = policy.split("; ").find(|d| d.starts_with("script-src "))?;
    let sources: Vec<&str> = script_src.split(' ').skip(1).collect();
    let [self_, nonce, wasm] = sources[..] else { return None };
    if self_ != "'self'" || wasm != "'wasm-unsafe-eval'" {
        return None;
    }
    let nonce = nonce.strip_prefix("'nonce-")?.strip_suffix('\'')?;
    (nonce.len() >= 22).then(|| nonce.to_owned())
}

/// The opening tags of the page's `<script>` elements.
fn script_tags(html: &str) -> Vec<&str> {
    html.match_indices("<script").map(|(at, _)| &html[at..at + html[at..].find('>').expect("a closed tag")]).collect()
}

/// The value of attribute `name` in an opening tag.
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    Some(&tag[start..start + tag[start..].find('"')?])
}

#[tokio::test]
async fn every_kind_of_response_carries_the_security_headers() {
    // A built site of one file, to see a static file served.
    let site = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(site.path().join("pkg")).expect("pkg dir");
    std::fs::write(site.path().join("pkg/portail.css"), "body { margin: 0 }\n").expect("css");
    let site_root = site.path().display().to_string();
    let app = spawn_app_with(imported_db().await, &[("LEPTOS_SITE_ROOT", site_root.as_str())]).await;

    for (path, status) in [
        ("/", 200),
        ("/communes/12202-rodez", 200),
        ("/connexion", 200),
        ("/communes/12202-rodes", 301),
        ("/une/page/qui/n-existe/pas", 404),
        ("/communes/99999-nulle-part", 404),
        ("/pkg/portail.css", 200),
        ("/pkg/absent.js", 404),
        ("/healthz", 200),
        ("/robots.txt", 200),
        ("/sitemap.xml", 200),
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status().as_u16(), status, "{path}");
        assert_secured(&response, path);
        if path == "/pkg/portail.css" {
            // nosniff trusts the type: files must be sent with the right one.
            assert_eq!(response.headers()["content-type"], "text/css", "{path}");
            assert_eq!(response.text().await.expect("body"), "body { margin: 0 }\n");
        }
    }

    let server_fn = app
        .client
        .post(format!("{}/_srv/recherche-communes", app.address))
        .form(&[("query", "rod"), ("limit", "3")])
        .send()
        .await
        .expect("request");
    assert_eq!(server_fn.status().as_u16(), 200);
    assert_secured(&server_fn, "server function");

    // A form handler's redirect (no form token here: sent back to the form).
    let form = app.client.post(format!("{}/connexion", app.address)).form(&[("email", "x")]).send().await;
    let form = form.expect("request");
    assert_eq!(form.status().as_u16(), 303);
    assert_secured(&form, "form post");

    // Answers axum makes itself.
    let not_allowed = app.client.delete(format!("{}/healthz", app.address)).send().await.expect("request");
    assert_eq!(not_allowed.status().as_u16(), 405);
    assert_secured(&not_allowed, "method not allowed");
}

#[tokio::test]
async fn the_policy_nonce_is_the_one_on_the_page_scripts_and_new_for_each_response() {
    let app = spawn_app().await;
    let mut nonces = Vec::new();
    for path in ["/", "/communes/12202-rodez", "/communes/12202-rodez", "/une/page/qui/n-existe/pas"] {
        let response = app.get(path).await;
        let policy = response.headers()["content-security-policy"].to_str().expect("text").to_owned();
        let nonce = csp_nonce(&policy).unwrap_or_else(|| panic!("{path}: no nonce in {policy}"));
        let html = response.text().await.expect("body");
        let scripts = script_tags(&html);
        // The hydration module, and on async pages the streamed resource data.
        let executable: Vec<&str> =
            scripts.iter().copied().filter(|tag| attribute(tag, "type") != Some("application/ld+json")).collect();
        assert!(executable.iter().any(|tag| attribute(tag, "type") == Some("module")), "{path}: {scripts:?}");
        for tag in executable {
            assert_eq!(attribute(tag, "nonce"), Some(nonce.as_str()), "{path}: {tag}");
        }
        // JSON-LD is data: it has no nonce and needs none.
        if path.starts_with("/communes/") {
            assert!(scripts.contains(&"<script type=\"application/ld+json\""), "{path}: {scripts:?}");
        }
        nonces.push(nonce);
    }
    let mut distinct = nonces.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), nonces.len(), "a nonce was used twice: {nonces:?}");
}
