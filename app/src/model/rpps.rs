//! The RPPS number (Répertoire partagé des professionnels de santé) that identifies a doctor.

use serde::{Deserialize, Serialize};
use std::fmt;

/// An RPPS number: 11 digits whose last one is a Luhn check digit over the first ten.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Rpps(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RppsError {
    #[error("le numéro RPPS doit compter 11 chiffres (vous en avez saisi {0})")]
    Length(usize),
    #[error("le numéro RPPS ne contient que des chiffres")]
    NotDigits,
    #[error("le numéro RPPS « {0} » n'est pas valide : vérifiez-le sur votre carte CPS")]
    CheckDigit(String),
}

impl Rpps {
    /// Accepts the number as people type it: spaces and dots between digit groups are ignored.
    pub fn parse(raw: &str) -> Result<Self, RppsError> {
        let digits: String = raw.chars().filter(|c| !c.is_whitespace() && *c != '.').collect();
        if !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(RppsError::NotDigits);
        }
        if digits.len() != 11 {
            return Err(RppsError::Length(digits.len()));
        }
        if !luhn_valid(&digits) {
            return Err(RppsError::CheckDigit(digits));
        }
        Ok(Self(digits))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Luhn (mod 10): from the rightmost digit, double every second digit, subtract 9 from the
/// doubles over 9, and the sum must end in 0.
pub(super) fn luhn_valid(digits: &str) -> bool {
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                let twice = d * 2;
                if twice > 9 { twice - 9 } else { twice }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

impl fmt::Display for Rpps {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Rpps {
    type Error = RppsError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Rpps> for String {
    fn from(value: Rpps) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_number_with_its_check_digit_is_accepted_as_typed() {
        // 1000000000: only the leading 1 counts (not doubled, it sits at an even place from the
        // right), so the check digit is 9.
        assert_eq!(Rpps::parse("10000000009").unwrap().as_str(), "10000000009");
        assert_eq!(Rpps::parse(" 100 000 000 09 ").unwrap().as_str(), "10000000009");
        assert_eq!(Rpps::parse("10.000.000.009").unwrap().as_str(), "10000000009");
        // Check digit computed by hand (and by a separate Python script).
        assert_eq!(Rpps::parse("10101234564").unwrap().to_string(), "10101234564");
    }

    #[test]
    fn one_wrong_digit_or_swapped_neighbours_are_caught() {
        assert_eq!(Rpps::parse("10000000008"), Err(RppsError::CheckDigit("10000000008".into())));
        // "10101234564" with its fifth and sixth digits swapped.
        assert!(Rpps::parse("10102134564").is_err());
    }

    #[test]
    fn wrong_length_or_letters_say_what_is_wrong() {
        assert_eq!(Rpps::parse("1234"), Err(RppsError::Length(4)));
        assert_eq!(Rpps::parse(""), Err(RppsError::Length(0)));
        assert_eq!(Rpps::parse("1000000000A"), Err(RppsError::NotDigits));
        assert_eq!(Rpps::parse("100000000090"), Err(RppsError::Length(12)));
    }

    #[test]
    fn deserialising_checks_the_number_too() {
        assert!(serde_json::from_str::<Rpps>("\"10000000009\"").is_ok());
        assert!(serde_json::from_str::<Rpps>("\"10000000008\"").is_err());
    }
}
