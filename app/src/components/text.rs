//! Text as people wrote it: its paragraphs and line breaks kept, and never read as HTML (the
//! view escapes it like any text).

use leptos::prelude::*;

/// The paragraphs of `text`, separated by one or more blank lines whatever the line ends
/// (browsers post CRLF); the lines within a paragraph stay, the `prewrap` style shows them.
pub fn paragraphs_of(text: &str) -> Vec<String> {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut paragraphs = Vec::new();
    let mut lines: Vec<&str> = Vec::new();
    for line in text.split('\n') {
        if line.trim().is_empty() {
            if !lines.is_empty() {
                paragraphs.push(lines.join("\n"));
                lines.clear();
            }
        } else {
            lines.push(line.trim_end());
        }
    }
    if !lines.is_empty() {
        paragraphs.push(lines.join("\n"));
    }
    paragraphs
}

/// `text` as paragraphs (see `paragraphs_of`).
#[component]
pub fn Paragraphs(#[prop(into)] text: String) -> impl IntoView {
    let paragraphs = paragraphs_of(&text);
    paragraphs.into_iter().map(|paragraph| view! { <p class="prewrap">{paragraph}</p> }).collect_view()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_survive_every_line_end_and_keep_their_lines() {
        let letter = "Madame, Monsieur,\r\n\r\nJe suis disponible en août.\r\nMon numéro : 06 00 00 00 00\r\n\r\n\r\nCordialement,\r\nDr Léa Martin\r\n";
        assert_eq!(
            paragraphs_of(letter),
            [
                "Madame, Monsieur,",
                "Je suis disponible en août.\nMon numéro : 06 00 00 00 00",
                "Cordialement,\nDr Léa Martin"
            ]
        );
        assert_eq!(paragraphs_of("Une ligne"), ["Une ligne"]);
        assert_eq!(paragraphs_of("  \n \r\n"), Vec::<String>::new());
        assert_eq!(paragraphs_of("<b>pas du HTML</b>"), ["<b>pas du HTML</b>"]);
    }
}
