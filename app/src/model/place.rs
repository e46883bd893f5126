//! A commune as people name it: by its name, by its name and département when several share it
//! (« Aigues-Vives (30) »), or by a postal code — never by the INSEE code, which nobody knows.
//! The portal's own links and the open API still say which commune by its code.

use super::codes::{DepartementCode, InseeCode};
use super::slug::slugify;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The longest name a person may type, in characters (the longest commune name of France has
/// 45).
pub const PLACE_MAX: usize = 80;

/// What a person typed to name a commune, read into what the server looks for.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PlaceName(String);

/// What a `PlaceName` asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlaceKey {
    /// Five digits: the communes this postal code serves.
    PostalCode(String),
    /// The commune's slug (its name's words), in one département when one was said.
    Name { slug: String, departement: Option<DepartementCode> },
}

impl PlaceName {
    /// The text as typed, trimmed, when it names something to look for and is not too long.
    pub fn parse(raw: &str) -> Option<Self> {
        let text = raw.trim();
        if text.chars().count() > PLACE_MAX {
            return None;
        }
        // Something to look for: a postal code, or a name with a letter or a digit. Not through
        // `key`, whose slug needs the transliteration tables (`deunicode`, 468 KB): the map's
        // island reads its address with this, and would carry them.
        let (name, _) = split_departement(text);
        name.chars().any(char::is_alphanumeric).then(|| Self(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// What to look for. A name's abbreviations of « saint » are written out, as in the
    /// names of the reference data (« St-Affrique » is Saint-Affrique).
    pub fn key(&self) -> PlaceKey {
        let text = self.0.as_str();
        if text.len() == 5 && text.bytes().all(|b| b.is_ascii_digit()) {
            return PlaceKey::PostalCode(text.to_owned());
        }
        let (name, departement) = split_departement(text);
        let slug = slugify(name)
            .split('-')
            .map(|word| match word {
                "st" => "saint",
                "ste" => "sainte",
                other => other,
            })
            .collect::<Vec<_>>()
            .join("-");
        PlaceKey::Name { slug, departement }
    }
}

/// « Nom (12) »: the name and the département in brackets at the end, as suggestions write it;
/// brackets that hold no département are part of the name.
fn split_departement(text: &str) -> (&str, Option<DepartementCode>) {
    match text.strip_suffix(')').and_then(|rest| rest.rsplit_once('(')) {
        Some((name, code)) => match DepartementCode::parse(code) {
            Ok(code) => (name, Some(code)),
            Err(_) => (text, None),
        },
        None => (text, None),
    }
}

impl fmt::Display for PlaceName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The commune a search is centred on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Around {
    /// By its INSEE code: the portal's own links (`commune=12145`) and the open API.
    Code(InseeCode),
    /// As a person typed it (`autour=Millau`); the server finds the commune.
    Named(PlaceName),
}

impl fmt::Display for Around {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Around::Code(code) => f.write_str(code.as_str()),
            Around::Named(name) => f.write_str(name.as_str()),
        }
    }
}

/// How a commune is named so that nobody mistakes it: its name, with its département when
/// another commune of the region has the same one.
pub fn place_label(name: &str, departement: &str, shared: bool) -> String {
    if shared { format!("{name} ({departement})") } else { name.to_owned() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(text: &str) -> PlaceKey {
        PlaceName::parse(text).unwrap().key()
    }

    fn name(slug: &str, departement: Option<&str>) -> PlaceKey {
        PlaceKey::Name { slug: slug.to_owned(), departement: departement.map(|d| DepartementCode::parse(d).unwrap()) }
    }

    #[test]
    fn a_place_is_a_postal_code_or_a_name_with_perhaps_its_departement() {
        assert_eq!(key(" 12100 "), PlaceKey::PostalCode("12100".into()));
        assert_eq!(key("Millau"), name("millau", None));
        assert_eq!(key("  MILLAU "), name("millau", None));
        assert_eq!(key("Aigues-Vives (30)"), name("aigues-vives", Some("30")));
        assert_eq!(key("aigues vives(11)"), name("aigues-vives", Some("11")));
        assert_eq!(key("St-Affrique"), name("saint-affrique", None));
        assert_eq!(key("Ste Croix Volvestre"), name("sainte-croix-volvestre", None));
        assert_eq!(key("Béziers"), name("beziers", None));
        // Brackets that hold no département are part of the name.
        assert_eq!(key("Rodez (centre)"), name("rodez-centre", None));
        assert_eq!(key("1210"), name("1210", None));
    }

    #[test]
    fn nothing_to_look_for_is_no_place() {
        for text in ["", "   ", "--", "(12)", "!?", "🙂"] {
            assert_eq!(PlaceName::parse(text), None, "{text}");
        }
        assert_eq!(PlaceName::parse(&"a".repeat(81)), None);
    }

    #[test]
    fn a_shared_name_carries_its_departement() {
        assert_eq!(place_label("Millau", "12", false), "Millau");
        assert_eq!(place_label("Aigues-Vives", "30", true), "Aigues-Vives (30)");
    }
}
