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
//!
//! And French spacing in what the page shows (`app::format::spaced`): the portal's own texts
//! are written with their non-breaking spaces, but what people type (titles, names, long texts,
//! the alternative text of a photo) comes with plain ones, and is shown in many places. Spacing
//! it here, once for every page, means no place can forget it; what a person edits (the text
//! of a `<textarea>`), and `<pre>` and `<code>`, stay as typed. The map's island, which writes
//! its lists and popups in the browser, spaces them itself.

use app::format::spaced_into;
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
    let page = with_loader(finish_html(&String::from_utf8_lossy(&bytes)), &loader.0);
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

/// `html` with its `<!>` markers written `<!---->`, nothing after `</html>`, and French spacing
/// in its text and in the attributes a reader sees (`SHOWN`). Comments and the text of
/// `<script>` and `<style>` are copied as they are, and the text of `<textarea>`, `<pre>` and
/// `<code>` too (text between tags never holds a raw `<`, which Leptos escapes).
pub fn finish_html(html: &str) -> String {
    let end = html.rfind("</html>").map_or(html.len(), |at| at + "</html>".len());
    let html = &html[..end];
    let mut out = String::with_capacity(html.len() + html.len() / 64);
    let mut rest = html;
    // The element whose text is kept as typed, while inside one.
    let mut verbatim: Option<&'static str> = None;
    while let Some(at) = rest.find('<') {
        match verbatim {
            Some(_) => out.push_str(&rest[..at]),
            None => spaced_into(&mut out, &rest[..at]),
        }
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
            let taken = tag_end(rest);
            let tag = &rest[..taken];
            verbatim = match verbatim {
                None => opened(tag, &VERBATIM),
                Some(element) if closes(tag, element) => None,
                inside => inside,
            };
            push_tag(&mut out, tag);
            rest = &rest[taken..];
            continue;
        };
        out.push_str(&rest[..taken]);
        rest = &rest[taken..];
    }
    match verbatim {
        Some(_) => out.push_str(rest),
        None => spaced_into(&mut out, rest),
    }
    out
}

/// The elements whose text stays as typed: what a person edits, and code.
const VERBATIM: [&str; 3] = ["textarea", "pre", "code"];

/// The attributes whose values a reader sees or hears (a tooltip, an image's description, a
/// label, a field's example, a page's description).
const SHOWN: [&str; 5] = [" title=\"", " alt=\"", " aria-label=\"", " placeholder=\"", " content=\""];

/// `tag` written at the end of `out`, with French spacing in the values of its `SHOWN`
/// attributes (Leptos writes every value in double quotes, a quote within as `&quot;`).
fn push_tag(out: &mut String, tag: &str) {
    let mut rest = tag;
    while let Some((at, name)) = SHOWN.iter().filter_map(|name| Some((rest.find(name)?, name))).min() {
        let value = at + name.len();
        let end = rest[value..].find('"').map_or(rest.len(), |end| value + end);
        out.push_str(&rest[..value]);
        spaced_into(out, &rest[value..end]);
        rest = &rest[end..];
    }
    out.push_str(rest);
}

/// The one of `elements` that the start tag `tag` opens, if any.
fn opened(tag: &str, elements: &[&'static str]) -> Option<&'static str> {
    let name = tag.strip_prefix('<')?;
    elements.iter().copied().find(|element| named(name, element))
}

/// Whether `tag` is the end tag of `element`.
fn closes(tag: &str, element: &str) -> bool {
    tag.strip_prefix("</").is_some_and(|name| named(name, element))
}

/// Whether `name` (what follows `<` or `</`) starts with the element name `element`, whole.
fn named(name: &str, element: &str) -> bool {
    let name = name.as_bytes();
    name.len() > element.len()
        && name[..element.len()].eq_ignore_ascii_case(element.as_bytes())
        && matches!(name[element.len()], b'>' | b' ' | b'\t' | b'\n' | b'\r' | b'/')
}

/// `script` or `style` when `at` opens one of those elements (whose text is not markup).
fn raw_text_element(at: &str) -> Option<&'static str> {
    opened(at, &["script", "style"])
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
    use super::{finish_html, with_loader};

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
        assert_eq!(finish_html("<p>a<!>b</p><!>"), "<p>a<!---->b</p><!---->");
        assert_eq!(finish_html("<p>a<!----->b</p>"), "<p>a<!----->b</p>");
    }

    #[test]
    fn what_follows_the_document_goes() {
        let page = "<!DOCTYPE html><html><body><p>x</p></body></html><script>__RESOLVED_RESOURCES=[];</script>";
        assert_eq!(finish_html(page), "<!DOCTYPE html><html><body><p>x</p></body></html>");
    }

    #[test]
    fn attributes_comments_scripts_and_styles_are_left_as_they_are() {
        let page = concat!(
            r#"<leptos-island data-props="{&quot;t&quot;:&quot;<!>&quot;}"><b title='<!>'>x</b></leptos-island>"#,
            "<!-- <!> --><script type=\"application/ld+json\">{\"a\":\"<!>\"}</script>",
            "<SCRIPT>if (a <!> b) {}</SCRIPT><style>p::before{content:\"<!>\"}</style><!>",
        );
        let tidied = finish_html(page);
        assert_eq!(tidied, page.strip_suffix("<!>").unwrap().to_owned() + "<!---->");
    }

    #[test]
    fn text_and_shown_attributes_get_french_spacing_what_is_edited_or_code_does_not() {
        let page = concat!(
            r#"<html><head><title>Été : Rodez</title><meta name="description" content="Prix : 5 €"></head>"#,
            r#"<body><h1>« Oui » !</h1><img src="/a.jpg?x=1 :2" alt="Vue : lac"><a href="/b" title="Voir : b">b</a>"#,
            r#"<p>Dit<!> : rien</p><input value="A : b" placeholder="Ex. : Rodez"><textarea name="t">Logement : oui</textarea>"#,
            r#"<pre>a : b</pre><p>Code <code>x ? y : z</code> ; fin</p><script>a ? b : c</script></body></html>"#,
        );
        assert_eq!(
            finish_html(page),
            concat!(
                "<html><head><title>Été\u{a0}: Rodez</title><meta name=\"description\" content=\"Prix\u{a0}: 5 €\"></head>",
                "<body><h1>«\u{a0}Oui\u{a0}»\u{a0}!</h1><img src=\"/a.jpg?x=1 :2\" alt=\"Vue\u{a0}: lac\"><a href=\"/b\" title=\"Voir\u{a0}: b\">b</a>",
                "<p>Dit<!---->\u{a0}: rien</p><input value=\"A : b\" placeholder=\"Ex.\u{a0}: Rodez\"><textarea name=\"t\">Logement : oui</textarea>",
                "<pre>a : b</pre><p>Code <code>x ? y : z</code>\u{a0}; fin</p><script>a ? b : c</script></body></html>",
            )
        );
    }

    #[test]
    fn a_page_without_markers_is_unchanged() {
        let page = "<!DOCTYPE html><html lang=\"fr\"><head><title>T</title></head><body><a href=\"/?a=1&amp;b=2\">é</a></body></html>";
        assert_eq!(finish_html(page), page);
    }
}
