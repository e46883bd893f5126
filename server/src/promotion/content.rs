//! The territory-page form checked into a revision's content, and the checks of the other
//! texts collectivités write (photo captions, testimonials, guichet messages).

use app::domain::promotion::{PRESENTATION_MAX, PageContent, PromotionProblem, SECTION_MAX, Section};

pub use crate::forms::bounded;

/// A video address: https, a host, no spaces; shown as a link, never embedded.
fn video(raw: &str) -> Result<String, PromotionProblem> {
    let url = raw.trim();
    if url.is_empty() {
        return Ok(String::new());
    }
    let host = url.strip_prefix("https://").and_then(|rest| rest.split('/').next()).unwrap_or_default();
    if host.len() < 4
        || !host.contains('.')
        || url.len() > 500
        || url.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(PromotionProblem::Video);
    }
    Ok(url.to_owned())
}

/// Characters `text` keeps within `max` (a form posted by a browser honours `maxlength`; one
/// that does not is cut rather than lost).
fn cut(text: String, max: usize) -> (String, bool) {
    match text.char_indices().nth(max) {
        Some((at, _)) => (text[..at].to_owned(), true),
        None => (text, false),
    }
}

/// The content as typed, made storable; `members` are who may be named referent. Nothing is
/// refused, so nothing typed is lost: what cannot be kept as is (a text too long, a video
/// address that is not one, a referent who is not a member) is cut or left out, and the first
/// such problem is returned with it, for the page to say.
pub fn validate(typed: &PageContent, members: &[i64]) -> (PageContent, Option<PromotionProblem>) {
    let mut problems = Vec::new();
    let mut text = |raw: &str, max: usize, problem: PromotionProblem| {
        let clean: String =
            raw.trim().replace("\r\n", "\n").chars().filter(|c| !c.is_control() || matches!(c, '\n' | '\t')).collect();
        let (kept, was_cut) = cut(clean, max);
        if was_cut {
            problems.push(problem);
        }
        kept
    };
    let presentation = text(&typed.presentation, PRESENTATION_MAX, PromotionProblem::TooLong);
    let mut sections = std::collections::BTreeMap::new();
    for section in Section::ALL {
        let kept = text(typed.section(*section), SECTION_MAX, PromotionProblem::TooLong);
        if !kept.is_empty() {
            sections.insert(section.code().to_owned(), kept);
        }
    }
    let referent_role = text(&typed.referent_role, 120, PromotionProblem::ReferentRole);
    let referent_id = match typed.referent_id {
        Some(referent) if !members.contains(&referent) => {
            problems.push(PromotionProblem::Referent);
            None
        }
        other => other,
    };
    let video_url = video(&typed.video_url).unwrap_or_else(|problem| {
        problems.push(problem);
        String::new()
    });
    let content = PageContent { presentation, sections, video_url, referent_id, referent_role };
    (content, problems.first().copied())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed() -> PageContent {
        let mut content = PageContent {
            presentation: "  Bienvenue à Decazeville.\r\n\r\nUne ville au cœur du bassin.  ".into(),
            video_url: "https://www.youtube.com/watch?v=abc".into(),
            referent_id: Some(7),
            referent_role: "Chargée de l'accueil des médecins".into(),
            ..PageContent::default()
        };
        content.sections.insert("ecoles".into(), "Trois écoles, un collège.".into());
        content.sections.insert("nature".into(), "   ".into());
        content.sections.insert("inconnue".into(), "ignorée".into());
        content
    }

    #[test]
    fn content_is_trimmed_and_empty_or_unknown_sections_dropped() {
        let (content, problem) = validate(&typed(), &[7, 9]);
        assert_eq!(problem, None);
        assert_eq!(content.presentation, "Bienvenue à Decazeville.\n\nUne ville au cœur du bassin.");
        assert_eq!(content.sections.keys().collect::<Vec<_>>(), ["ecoles"]);
    }

    #[test]
    fn what_cannot_be_kept_is_left_out_and_named_and_the_rest_kept() {
        let mut t = typed();
        t.referent_id = Some(8);
        let (content, problem) = validate(&t, &[7]);
        assert_eq!((content.referent_id, problem), (None, Some(PromotionProblem::Referent)));
        assert!(content.presentation.starts_with("Bienvenue"));
        for bad in ["javascript:alert(1)", "http://exemple.fr/video", "https://x", "https://exemple.fr/a b"] {
            let mut t = typed();
            t.video_url = bad.into();
            let (content, problem) = validate(&t, &[7]);
            assert_eq!((content.video_url.as_str(), problem), ("", Some(PromotionProblem::Video)), "{bad}");
            assert_eq!(content.section(Section::Ecoles), "Trois écoles, un collège.");
        }
        let mut t = typed();
        t.sections.insert("logement".into(), "é".repeat(SECTION_MAX + 1));
        let (content, problem) = validate(&t, &[7]);
        assert_eq!(
            (content.section(Section::Logement).chars().count(), problem),
            (SECTION_MAX, Some(PromotionProblem::TooLong))
        );
        let mut t = typed();
        t.referent_role = "r".repeat(121);
        assert_eq!(validate(&t, &[7]).1, Some(PromotionProblem::ReferentRole));
    }
}
