//! Territory codes as validated newtypes: a value of one of these types is always well formed,
//! so the services behind them never see garbage from a URL.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Why a code was refused, in words a user can read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    #[error("le code commune INSEE « {0} » n'est pas valide (5 caractères, par exemple 12202)")]
    Insee(String),
    #[error("le code département « {0} » n'est pas valide (par exemple 12 ou 2A)")]
    Departement(String),
    #[error("le numéro SIREN « {0} » n'est pas valide (9 chiffres)")]
    Siren(String),
}

/// A commune's INSEE code (COG): two characters of département (digits, or 2A/2B for Corsica)
/// then three digits; overseas codes are 97x + two digits, which fits the same shape.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct InseeCode(String);

impl InseeCode {
    pub fn parse(raw: &str) -> Result<Self, CodeError> {
        let raw = raw.trim();
        let bytes = raw.as_bytes();
        let corsica = bytes.len() == 5 && bytes[0] == b'2' && matches!(bytes[1], b'A' | b'B');
        let well_formed = bytes.len() == 5
            && (bytes.iter().all(u8::is_ascii_digit) || (corsica && bytes[2..].iter().all(u8::is_ascii_digit)));
        if well_formed { Ok(Self(raw.to_owned())) } else { Err(CodeError::Insee(raw.to_owned())) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A département code: "01".."95", "2A", "2B", or "971".."976".
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct DepartementCode(String);

impl DepartementCode {
    pub fn parse(raw: &str) -> Result<Self, CodeError> {
        let raw = raw.trim();
        let ok = match raw.len() {
            2 => raw == "2A" || raw == "2B" || (raw.bytes().all(|b| b.is_ascii_digit()) && raw != "00" && raw != "20"),
            3 => raw.starts_with("97") && raw.bytes().all(|b| b.is_ascii_digit()),
            _ => false,
        };
        if ok { Ok(Self(raw.to_owned())) } else { Err(CodeError::Departement(raw.to_owned())) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A SIREN number (9 digits), which identifies an EPCI.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Siren(String);

impl Siren {
    pub fn parse(raw: &str) -> Result<Self, CodeError> {
        let raw = raw.trim();
        if raw.len() == 9 && raw.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Self(raw.to_owned()))
        } else {
            Err(CodeError::Siren(raw.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

macro_rules! display_as_str {
    ($($t:ty),*) => {$(
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    )*};
}
display_as_str!(InseeCode, DepartementCode, Siren);

/// The last segment of a territory address, "12202-rodez": the code decides, the slug is for
/// humans and may be wrong or missing (the page then redirects to the right one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TerritoryKey {
    pub code: String,
    pub slug: String,
}

impl TerritoryKey {
    pub fn split(segment: &str) -> Self {
        match segment.split_once('-') {
            Some((code, slug)) => Self { code: code.to_owned(), slug: slug.to_owned() },
            None => Self { code: segment.to_owned(), slug: String::new() },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn insee_codes() {
        assert!(InseeCode::parse("12202").is_ok());
        assert!(InseeCode::parse("09001").is_ok());
        assert!(InseeCode::parse("2A004").is_ok());
        assert!(InseeCode::parse("1220").is_err());
        assert!(InseeCode::parse("122022").is_err());
        assert!(InseeCode::parse("12a02").is_err());
        assert!(InseeCode::parse("2C004").is_err());
        assert!(InseeCode::parse("").is_err());
    }

    #[test]
    fn departement_codes() {
        for ok in ["09", "12", "2A", "2B", "974"] {
            assert!(DepartementCode::parse(ok).is_ok(), "{ok}");
        }
        for bad in ["", "1", "00", "20", "123", "2C", "aa"] {
            assert!(DepartementCode::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn sirens() {
        assert!(Siren::parse("200067940").is_ok());
        assert!(Siren::parse("20006794").is_err());
        assert!(Siren::parse("20006794x").is_err());
    }

    #[test]
    fn keys_split_on_the_first_dash() {
        let key = TerritoryKey::split("12202-rodez");
        assert_eq!((key.code.as_str(), key.slug.as_str()), ("12202", "rodez"));
        let key = TerritoryKey::split("12211-saint-affrique");
        assert_eq!(key.slug, "saint-affrique");
        assert_eq!(TerritoryKey::split("12202").slug, "");
    }
}
