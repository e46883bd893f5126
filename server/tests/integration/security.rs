//! Security headers: on every kind of response, with a Content Security Policy that names the
//! islands' loader, the pages' one inline script, by its digest.

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
    assert!(csp_digest(policy).is_some(), "{what}: no script digest in {policy}");
    assert_eq!(header("x-content-type-options"), "nosniff", "{what}");
    assert_eq!(header("referrer-policy"), "strict-origin-when-cross-origin", "{what}");
    assert_eq!(header("x-frame-options"), "DENY", "{what}");
    assert_eq!(header("permissions-policy"), "camera=(), microphone=(), geolocation=()", "{what}");
    assert_eq!(header("strict-transport-security"), "max-age=31536000", "{what}");
}

/// The digest of the policy's script-src, which must also allow our own files, WebAssembly,
/// and nothing unsafe.
fn csp_digest(policy: &str) -> Option<String> {
    let script_src = policy.split("; ").find(|d| d.starts_with("script-src "))?;
    let sources: Vec<&str> = script_src.split(' ').skip(1).collect();
    let [digest, self_, wasm] = sources[..] else { return None };
    if self_ != "'self'" || wasm != "'wasm-unsafe-eval'" {
        return None;
    }
    let digest = digest.strip_prefix("'sha256-")?.strip_suffix('\'')?;
    (digest.len() == 44).then(|| digest.to_owned())
}

/// The inline scripts of a page that a browser would run (JSON-LD is data), as their text.
fn inline_scripts(html: &str) -> Vec<&str> {
    html.match_indices("<script")
        .filter_map(|(at, _)| {
            let open = at + html[at..].find('>')? + 1;
            let tag = &html[at..open];
            let close = open + html[open..].find("</script>")?;
            (attribute(tag, "type") != Some("application/ld+json") && attribute(tag, "src").is_none())
                .then(|| &html[open..close])
        })
        .collect()
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
            assert_eq!(response.headers()["content-type"], "text/css; charset=utf-8", "{path}");
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
async fn the_policy_allows_the_islands_loader_by_its_digest_and_pages_carry_no_other_script() {
    use base64::Engine;
    use sha2::Digest;
    let app = spawn_app().await;
    let mut policies = Vec::new();
    for (path, islands) in
        [("/", true), ("/communes/12202-rodez", true), ("/connexion", false), ("/une/page/qui/n-existe/pas", false)]
    {
        let response = app.get(path).await;
        let policy = response.headers()["content-security-policy"].to_str().expect("text").to_owned();
        let digest = csp_digest(&policy).unwrap_or_else(|| panic!("{path}: no digest in {policy}"));
        let html = response.text().await.expect("body");
        let scripts = inline_scripts(&html);
        if islands {
            // The loader, once, whatever the number of islands (the home page has two).
            assert_eq!(scripts.len(), 1, "{path}: {scripts:?}");
            let hashed = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(scripts[0].as_bytes()));
            assert_eq!(hashed, digest, "{path}: the loader is not the script the policy allows");
            assert!(html.contains("<leptos-island"), "{path}");
        } else {
            assert_eq!(scripts, Vec::<&str>::new(), "{path}: a page without island runs no script");
            assert!(!html.contains("<leptos-island") && !html.contains("<script src"), "{path}");
        }
        // Valid HTML: no `<!>` marker, nothing after the document.
        assert!(!html.contains("<!>"), "{path}: a bogus comment is left");
        assert!(html.trim_end().ends_with("</html>"), "{path}: something follows </html>");
        // JSON-LD is data: it needs no permission.
        if path.starts_with("/communes/") {
            assert!(html.contains("<script type=\"application/ld+json\">"), "{path}");
        }
        policies.push(policy);
    }
    policies.dedup();
    assert_eq!(policies.len(), 1, "the policy is the same for every page: {policies:?}");
}
