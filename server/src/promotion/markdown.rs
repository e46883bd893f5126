//! What collectivités write (presentation, cadre de vie, testimonials) is Markdown, turned into
//! HTML here and only here. Two locks: raw HTML in the source is shown as text, never passed
//! through (pulldown-cmark would), and the result is cleaned by ammonia with a short list of
//! tags and only http, https and mailto links, so no script, no event handler and no
//! `javascript:` address can reach a page.

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::collections::HashSet;

/// The tags a page may hold, and for links only `href`.
const TAGS: &[&str] =
    &["p", "br", "strong", "em", "del", "ul", "ol", "li", "blockquote", "a", "h3", "h4", "h5", "h6", "code"];

/// Safe HTML for `markdown`. Headings move down two levels (`#` becomes `<h3>`): the page
/// around them already has its h1 and h2.
pub fn render(markdown: &str) -> String {
    let parser = Parser::new_ext(markdown, Options::ENABLE_STRIKETHROUGH).map(|event| match event {
        // Raw HTML is shown as what it is: text.
        Event::Html(html) | Event::InlineHtml(html) => Event::Text(html),
        Event::Start(Tag::Heading { level, id, classes, attrs }) => {
            Event::Start(Tag::Heading { level: lower(level), id, classes, attrs })
        }
        Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(lower(level))),
        // Images would load from anywhere: their description is kept as text.
        Event::Start(Tag::Image { .. }) | Event::End(TagEnd::Image) => Event::Text(CowStr::Borrowed("")),
        other => other,
    });
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, parser);
    clean(&html)
}

fn lower(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 => HeadingLevel::H3,
        HeadingLevel::H2 => HeadingLevel::H4,
        HeadingLevel::H3 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    }
}

fn clean(html: &str) -> String {
    ammonia::Builder::default()
        .tags(TAGS.iter().copied().collect::<HashSet<_>>())
        .generic_attributes(HashSet::new())
        .tag_attributes([("a", ["href"].into_iter().collect::<HashSet<_>>())].into_iter().collect())
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .link_rel(Some("noopener noreferrer nofollow"))
        .clean(html)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::render;

    #[test]
    fn markdown_becomes_the_usual_html() {
        let html = render(
            "# Vivre ici\n\nUne **école**, un *collège* et [la mairie](https://mairie.example.fr).\n\n- marché le jeudi\n",
        );
        assert!(html.contains("<h3>Vivre ici</h3>"), "{html}");
        assert!(html.contains("<strong>école</strong>") && html.contains("<em>collège</em>"), "{html}");
        assert!(
            html.contains(r#"<a href="https://mairie.example.fr" rel="noopener noreferrer nofollow">la mairie</a>"#),
            "{html}"
        );
        assert!(html.contains("<li>marché le jeudi</li>"), "{html}");
    }

    #[test]
    fn scripts_and_javascript_links_are_inert() {
        let hostile = [
            "<script>alert('x')</script>",
            "Bonjour <script>document.cookie</script> !",
            "[clic](javascript:alert(1))",
            "[clic](JaVaScRiPt:alert(1))",
            "<a href=\"javascript:alert(1)\">clic</a>",
            "<img src=x onerror=alert(1)>",
            "![photo](javascript:alert(1))",
            "<iframe src=\"https://evil.example\"></iframe>",
            "<p onclick=\"alert(1)\">texte</p>",
            "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        ];
        for source in hostile {
            let html = render(source).to_lowercase();
            // Text cannot open a tag ("<" is escaped), so every "<" here starts a real tag.
            for tag in html.split('<').skip(1).map(|rest| rest.split('>').next().unwrap_or_default()) {
                let name = tag.split([' ', '/']).find(|w| !w.is_empty()).unwrap_or_default();
                assert!(
                    ["p", "a", "strong", "em", "del", "ul", "ol", "li", "blockquote", "code", "br"].contains(&name),
                    "{source} → {html}"
                );
                assert!(
                    !tag.contains("javascript:") && !tag.contains("data:") && !tag.contains(" on"),
                    "{source} → {html}"
                );
            }
        }
        // Raw HTML shows as text: the reader sees what was typed, escaped.
        assert!(render("<script>alert('x')</script>").contains("&lt;script&gt;"));
    }
}
