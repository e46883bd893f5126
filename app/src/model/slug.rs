//! Human-readable URL segments and search keys for French place names.

use deunicode::deunicode;

/// "Saint-Affrique" → "saint-affrique", "L'Isle-en-Dodon" → "l-isle-en-dodon".
pub fn slugify(name: &str) -> String {
    words(name).collect::<Vec<_>>().join("-")
}

/// The form a name or a query takes for matching: lowercase ASCII words separated by single
/// spaces, so "Béziers", "beziers" and "BEZIERS " all meet.
pub fn search_form(text: &str) -> String {
    words(text).collect::<Vec<_>>().join(" ")
}

fn words(text: &str) -> impl Iterator<Item = String> {
    deunicode(text)
        .to_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect::<Vec<_>>()
        .into_iter()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_drop_accents_and_punctuation() {
        assert_eq!(slugify("Rodez"), "rodez");
        assert_eq!(slugify("Saint-Affrique"), "saint-affrique");
        assert_eq!(slugify("L'Isle-en-Dodon"), "l-isle-en-dodon");
        assert_eq!(slugify("Béziers"), "beziers");
        assert_eq!(slugify("CC Cœur de Garonne"), "cc-coeur-de-garonne");
        assert_eq!(slugify("Occitanie"), "occitanie");
    }

    #[test]
    fn search_form_is_stable_under_case_and_spacing() {
        assert_eq!(search_form("  BÉZIERS "), "beziers");
        assert_eq!(search_form("saint-affrique"), "saint affrique");
        assert_eq!(search_form("%_'"), "");
    }
}
