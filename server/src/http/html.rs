//! The pages Leptos renders, finished before they leave: the islands' loader in the `<head>` of
//! each page that holds an island (and of no other), and valid HTML, which two things Leptos
//! writes are not:
//!
//! - Between adjacent text nodes, and for an empty slot, it writes `<!>`, which the HTML parser
//!   reads as an empty comment but reports as a "bogus comment". `<!---->` is the same empty
//!   comment, written validly: the document the browser builds is identical, so the islands'
//!   hydration, which walks those comments, finds what it expects.
//! - After `</html>` it appends a `<script>` of resource data for a hydrating page. Islands
//!   take their data as props and hydrate nothing else, so the script carries nothing they
//!   read (the islands' loader defines the globals it would have set), and it would need a
//!   per-request nonce to run: it is dropped.

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The largest page the tidying reads; Leptos' pages are far smaller (the largest, a
/// département's, is about 200 KB).
const MAX_PAGE: usize = 16 * 1024 * 1024;

/// The islands' loader script (its text: `app::components::loader_script`).
#[derive(Clone)]
pub struct IslandsLoader(pub std::sync::Arc<str>);

/// The middleware, on the pages' router: every `text/html` answer is finished.
pub async fn finish(State(loader): State<IslandsLoader>, request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let is_html = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("text/html"));
    if !is_html {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = match to_bytes(body, MAX_PAGE).await {
        Ok(bytes) => bytes,
        Err(error) => {
            tracing::error!(%error, "page body could not be read");
            return axum::http::StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let page = with_loader(tidy_html(&String::from_utf8_lossy(&bytes)), &loader.0);
    parts.headers.remove(CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(page))
}

/// `html` with the islands' `loader` at the end of its `<head>` when it holds an island.
pub fn with_loader(mut html: String, loader: &str) -> String {
    if html.contains("<leptos-island ")
        && let Some(at) = html.find("</head>")
    {
        html.insert_str(at, &format!("<script type=\"module\">{loader}</script>"));
    }
    html
}

/// `html` with its `<!>` markers written `<!---->` and nothing after `</html>`. Attribute
/// values, comments and the text of `<script>` and `<style>` are copied as they are: only
/// markup is rewritten (text between tags never holds a raw `<`, which Leptos escapes).
pub fn tidy_html(html: &str) -> String {
    let end = html.rfind("</html>").map_or(html.len(), |at| at + "</html>".len());
    let html = &html[..end];
    let mut out = String::with_capacity(html.len() + html.len() / 64);
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        if let Some(after) = rest.strip_prefix("<!>") {
            out.push_str("<!---->");
            rest = after;
            continue;
        }
        let taken = if rest.starts_with("<!--") {
            rest.find("-->").map_or(rest.len(), |close| close + "-->".len())
        } else if let Some(element) = raw_text_element(rest) {
            // The start tag, then everything up to the element's end tag.
            let body = tag_end(rest);
            find_ignore_case(&rest[body..], &format!("</{element}")).map_or(rest.len(), |close| body + close)
        } else {
            tag_end(rest)
        };
        out.push_str(&rest[..taken]);
        rest = &rest[taken..];
    }
    out.push_str(rest);
    out
}

/// `script` or `style` when `at` opens one of those elements (whose text is not markup).
fn raw_text_element(at: &str) -> Option<&'static str> {
    ["script", "style"].into_iter().find(|name| {
        let tag = &at.as_bytes()[1..];
        tag.len() > name.len()
            && tag[..name.len()].eq_ignore_ascii_case(name.as_bytes())
            && matches!(tag[name.len()], b'>' | b' ' | b'\t' | b'\n' | b'\r' | b'/')
    })
}

/// The length of the tag that starts `at` (`<` to `>`, quoted attribute values skipped).
fn tag_end(at: &str) -> usize {
    let mut quote = None;
    for (i, c) in at.char_indices().skip(1) {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return i + 1,
            _ => {}
        }
    }
    at.len()
}

fn find_ignore_case(haystack: &str, needle: &str) -> Option<usize> {
    let needle = needle.as_bytes();
    haystack.as_bytes().windows(needle.len()).position(|window| window.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::{tidy_html, with_loader};

    #[test]
    fn the_loader_goes_in_the_head_of_pages_with_islands_only() {
        let island = "<html><head><title>T</title></head><body><leptos-island data-component=\"A\"></leptos-island><leptos-island data-component=\"B\"></leptos-island></body></html>";
        assert_eq!(
            with_loader(island.to_owned(), "go()"),
            island.replace("</head>", "<script type=\"module\">go()</script></head>")
        );
        let plain = "<html><head><title>T</title></head><body><p>leptos-island</p></body></html>";
        assert_eq!(with_loader(plain.to_owned(), "go()"), plain);
    }

    #[test]
    fn markers_become_valid_empty_comments() {
        assert_eq!(tidy_html("<p>a<!>b</p><!>"), "<p>a<!---->b</p><!---->");
        assert_eq!(tidy_html("<p>a<!----->b</p>"), "<p>a<!----->b</p>");
    }

    #[test]
    fn what_follows_the_document_goes() {
        let page = "<!DOCTYPE html><html><body><p>x</p></body></html><script>__RESOLVED_RESOURCES=[];</script>";
        assert_eq!(tidy_html(page), "<!DOCTYPE html><html><body><p>x</p></body></html>");
    }

    #[test]
    fn attributes_comments_scripts_and_styles_are_left_as_they_are() {
        let page = concat!(
            r#"<leptos-island data-props="{&quot;t&quot;:&quot;<!>&quot;}"><b title='<!>'>x</b></leptos-island>"#,
            "<!-- <!> --><script type=\"application/ld+json\">{\"a\":\"<!>\"}</script>",
            "<SCRIPT>if (a <!> b) {}</SCRIPT><style>p::before{content:\"<!>\"}</style><!>",
        );
        let tidied = tidy_html(page);
        assert_eq!(tidied, page.strip_suffix("<!>").unwrap().to_owned() + "<!---->");
    }

    #[test]
    fn a_page_without_markers_is_unchanged() {
        let page = "<!DOCTYPE html><html lang=\"fr\"><head><title>T</title></head><body><a href=\"/?a=1&amp;b=2\">é</a></body></html>";
        assert_eq!(tidy_html(page), page);
    }
}
