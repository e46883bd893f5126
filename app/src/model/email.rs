//! E-mail addresses as people type them into forms.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A plausible e-mail address, trimmed, with its domain in lowercase. Whether it really
/// receives mail is checked by sending one (account verification), not here.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    #[error("saisissez votre adresse e-mail")]
    Empty,
    #[error("l'adresse e-mail est trop longue (254 caractères au plus)")]
    TooLong,
    #[error("l'adresse e-mail « {0} » n'est pas valide (par exemple prenom.nom@exemple.fr)")]
    Invalid(String),
}

impl Email {
    pub fn parse(raw: &str) -> Result<Self, EmailError> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(EmailError::Empty);
        }
        if raw.len() > 254 {
            return Err(EmailError::TooLong);
        }
        let invalid = || EmailError::Invalid(raw.to_owned());
        let (local, domain) = raw.rsplit_once('@').ok_or_else(invalid)?;
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..")
            && local.chars().all(|c| c.is_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c));
        let labels: Vec<&str> = domain.split('.').collect();
        let domain_ok = labels.len() >= 2
            && labels.iter().all(|l| {
                !l.is_empty()
                    && l.len() <= 63
                    && !l.starts_with('-')
                    && !l.ends_with('-')
                    && l.chars().all(|c| c.is_alphanumeric() || c == '-')
            });
        if !(local_ok && domain_ok) {
            return Err(invalid());
        }
        Ok(Self(format!("{local}@{}", domain.to_lowercase())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Email {
    type Error = EmailError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Email> for String {
    fn from(value: Email) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_addresses_are_kept_with_a_lowercase_domain() {
        assert_eq!(Email::parse(" Marie.Curie@Exemple.FR ").unwrap().as_str(), "Marie.Curie@exemple.fr");
        assert_eq!(
            Email::parse("dr+remplacement@mairie-rodez.fr").unwrap().as_str(),
            "dr+remplacement@mairie-rodez.fr"
        );
        assert!(Email::parse("élodie@médecins.fr").is_ok());
    }

    #[test]
    fn malformed_addresses_are_refused_with_a_reason() {
        assert_eq!(Email::parse("   "), Err(EmailError::Empty));
        for bad in [
            "marie",
            "marie@",
            "@exemple.fr",
            "marie@exemple",
            "marie curie@exemple.fr",
            "a..b@exemple.fr",
            "marie@-exemple.fr",
            "marie@exemple..fr",
            "<script>@x.fr",
        ] {
            assert_eq!(Email::parse(bad), Err(EmailError::Invalid(bad.to_owned())), "{bad}");
        }
        assert_eq!(Email::parse(&format!("{}@exemple.fr", "a".repeat(250))), Err(EmailError::TooLong));
    }
}
