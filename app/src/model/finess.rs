//! The FINESS number (Fichier national des établissements sanitaires et sociaux) that
//! identifies a health structure.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A FINESS number: 9 characters, the département first (two digits, or 2A / 2B for Corsica),
/// then seven digits whose last is a Luhn check digit over the whole number (every number of
/// the imported FINESS file follows it). Corsican numbers have letters, so only their shape
/// is checked.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Finess(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FinessError {
    #[error("le numéro FINESS doit compter 9 caractères (vous en avez saisi {0})")]
    Length(usize),
    #[error("le numéro FINESS « {0} » n'est pas valide : 9 chiffres (2A ou 2B au début en Corse)")]
    Shape(String),
    #[error("le numéro FINESS « {0} » n'est pas valide (sa clé de contrôle ne correspond pas) : vérifiez-le")]
    CheckDigit(String),
}

impl Finess {
    /// Accepts the number as people type it: spaces between digit groups are ignored, and a
    /// lowercase Corsican prefix is raised.
    pub fn parse(raw: &str) -> Result<Self, FinessError> {
        let code: String = raw.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_uppercase();
        let chars = code.chars().count();
        if chars != 9 {
            return Err(FinessError::Length(chars));
        }
        let corsica = code.starts_with("2A") || code.starts_with("2B");
        let digits_from = if corsica { 2 } else { 0 };
        if !code.bytes().skip(digits_from).all(|b| b.is_ascii_digit()) {
            return Err(FinessError::Shape(code));
        }
        if !corsica && !super::rpps::luhn_valid(&code) {
            return Err(FinessError::CheckDigit(code));
        }
        Ok(Self(code))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Finess {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Finess {
    type Error = FinessError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Finess> for String {
    fn from(value: Finess) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_of_the_finess_file_are_accepted_as_typed() {
        // CH de Rodez, a centre de santé of Lavelanet.
        assert_eq!(Finess::parse("120000039").unwrap().as_str(), "120000039");
        assert_eq!(Finess::parse(" 090 004 433 ").unwrap().as_str(), "090004433");
        assert_eq!(Finess::parse("2a0000018").unwrap().as_str(), "2A0000018");
    }

    #[test]
    fn malformed_numbers_say_why() {
        assert_eq!(Finess::parse("12000003"), Err(FinessError::Length(8)));
        assert_eq!(Finess::parse(""), Err(FinessError::Length(0)));
        assert_eq!(Finess::parse("12000003x"), Err(FinessError::Shape("12000003X".into())));
        assert_eq!(Finess::parse("2C0000018"), Err(FinessError::Shape("2C0000018".into())));
        // One digit typed wrong: the check digit catches it.
        assert_eq!(Finess::parse("120000049"), Err(FinessError::CheckDigit("120000049".into())));
        assert_eq!(Finess::parse("éééééééééé"), Err(FinessError::Length(10)));
    }
}
