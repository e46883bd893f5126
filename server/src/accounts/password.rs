//! The rules a new password must follow.

/// A password that passed the rules, as typed (never trimmed: spaces are characters too).
pub struct NewPassword(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("le mot de passe doit compter au moins {MIN_CHARS} caractères")]
    TooShort,
    #[error("le mot de passe doit compter au plus {MAX_CHARS} caractères")]
    TooLong,
    #[error("le mot de passe ne peut pas être votre adresse e-mail")]
    IsEmail,
}

/// Length is what makes a password hard to guess; composition rules mostly make people write
/// them down (ANSSI and NIST recommendations).
pub const MIN_CHARS: usize = 10;
/// Argon2 accepts more, but a longer "password" is almost surely a paste mistake.
pub const MAX_CHARS: usize = 128;

impl NewPassword {
    pub fn parse(raw: &str, email: &str) -> Result<Self, PasswordError> {
        let chars = raw.chars().count();
        if chars < MIN_CHARS {
            return Err(PasswordError::TooShort);
        }
        if chars > MAX_CHARS {
            return Err(PasswordError::TooLong);
        }
        if raw.trim().eq_ignore_ascii_case(email.trim()) {
            return Err(PasswordError::IsEmail);
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_is_the_rule() {
        assert_eq!(NewPassword::parse("court", "a@b.fr").err(), Some(PasswordError::TooShort));
        assert_eq!(NewPassword::parse(&"x".repeat(129), "a@b.fr").err(), Some(PasswordError::TooLong));
        assert!(NewPassword::parse("une phrase de passe", "a@b.fr").is_ok());
        // Characters, not bytes: ten accented letters are enough.
        assert!(NewPassword::parse("éééééééééé", "a@b.fr").is_ok());
    }

    #[test]
    fn the_email_is_not_a_password() {
        assert_eq!(NewPassword::parse("Marie@Exemple.fr", "marie@exemple.fr").err(), Some(PasswordError::IsEmail));
    }
}
