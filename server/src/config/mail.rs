//! Mail settings: how mail leaves the server (MAIL_TRANSPORT, SMTP_*) and who sends it
//! (MAIL_FROM).

use super::{ConfigError, Secret};
use lettre::message::Mailbox;

/// The sender used when MAIL_FROM is not set.
pub const DEFAULT_FROM: &str = "Médecins & Territoires <ne-pas-repondre@medecins-territoires.localhost>";

/// How mail is sent and from which address.
#[derive(Debug, Clone, PartialEq)]
pub struct MailSettings {
    /// MAIL_TRANSPORT and, for SMTP, the SMTP_* variables.
    pub transport: MailTransport,
    /// The From of every mail (MAIL_FROM).
    pub from: Mailbox,
    /// How long a mail to a candidate about their application waits for the organisation's
    /// next changes, to tell them all at once (MAIL_GROUPING_SECONDS, 120 by default; 0: each
    /// change its own mail).
    pub grouping: std::time::Duration,
}

/// Where mail goes. The in-memory transport of the tests is deliberately absent: it cannot be
/// chosen from the environment, so a deployment can never swallow its mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MailTransport {
    /// One .eml file per mail under DATA_DIR/mail: the embedded default, for development.
    File,
    /// A real SMTP relay.
    Smtp(SmtpSettings),
}

/// An SMTP relay and how to talk to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmtpSettings {
    /// Host name of the relay (SMTP_HOST), also the name its TLS certificate must carry.
    pub host: String,
    /// SMTP_PORT: 587 by default, 465 with SMTP_TLS=tls.
    pub port: u16,
    /// SMTP_USERNAME and SMTP_PASSWORD, given together or not at all.
    pub credentials: Option<SmtpCredentials>,
    /// SMTP_TLS.
    pub tls: SmtpTls,
}

/// A login on the SMTP relay; the password never shows in logs or `Debug`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmtpCredentials {
    /// SMTP_USERNAME.
    pub username: String,
    /// SMTP_PASSWORD.
    pub password: Secret,
}

/// How the SMTP connection is encrypted (SMTP_TLS).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpTls {
    /// Plain text, for a relay on the same machine or a test sink.
    None,
    /// A plain connection upgraded with STARTTLS, which the relay must offer (port 587).
    StartTls,
    /// TLS from the first byte (port 465).
    Tls,
}

const SMTP_VARIABLES: [&str; 5] = ["SMTP_HOST", "SMTP_PORT", "SMTP_USERNAME", "SMTP_PASSWORD", "SMTP_TLS"];

/// Reads the mail settings through `lookup` (see `Settings::from_lookup`).
pub fn from_lookup(lookup: &impl Fn(&str) -> Option<String>) -> Result<MailSettings, ConfigError> {
    let from_raw = lookup("MAIL_FROM").unwrap_or_else(|| DEFAULT_FROM.to_owned());
    let from = from_raw.parse().map_err(|_| ConfigError::Invalid {
        name: "MAIL_FROM",
        value: from_raw.clone(),
        reason: "adresse d'expéditeur attendue, par exemple « Médecins & Territoires <contact@example.org> »",
    })?;
    let transport = match lookup("MAIL_TRANSPORT").as_deref().unwrap_or("file") {
        "file" => {
            // An SMTP relay configured but not used would leave every mail in files nobody
            // reads: better to refuse to start.
            if SMTP_VARIABLES.iter().any(|name| lookup(name).is_some()) {
                return Err(ConfigError::Invalid {
                    name: "MAIL_TRANSPORT",
                    value: "file".to_owned(),
                    reason: "des variables SMTP_* sont définies mais les courriels iraient dans des fichiers : \
                             ajoutez MAIL_TRANSPORT=smtp, ou retirez les variables SMTP_*",
                });
            }
            MailTransport::File
        }
        "smtp" => MailTransport::Smtp(smtp(lookup)?),
        other => {
            return Err(ConfigError::Invalid {
                name: "MAIL_TRANSPORT",
                value: other.to_owned(),
                reason: "valeurs possibles : file, smtp",
            });
        }
    };
    let grouping_raw = lookup("MAIL_GROUPING_SECONDS").unwrap_or_else(|| "120".to_owned());
    let grouping = match grouping_raw.parse::<u64>() {
        Ok(seconds) if seconds <= 3_600 => std::time::Duration::from_secs(seconds),
        _ => {
            return Err(ConfigError::Invalid {
                name: "MAIL_GROUPING_SECONDS",
                value: grouping_raw,
                reason: "un nombre de secondes de 0 à 3 600 est attendu",
            });
        }
    };
    Ok(MailSettings { transport, from, grouping })
}

fn smtp(lookup: &impl Fn(&str) -> Option<String>) -> Result<SmtpSettings, ConfigError> {
    let host = lookup("SMTP_HOST").ok_or(ConfigError::Missing {
        name: "SMTP_HOST",
        reason: "le nom du serveur SMTP est obligatoire avec MAIL_TRANSPORT=smtp",
    })?;
    if host.contains("://") || host.contains('/') || host.chars().any(char::is_whitespace) {
        return Err(ConfigError::Invalid {
            name: "SMTP_HOST",
            value: host,
            reason: "nom d'hôte attendu, sans schéma ni port, par exemple smtp.example.org",
        });
    }
    let tls = match lookup("SMTP_TLS").as_deref().unwrap_or("starttls") {
        "none" => SmtpTls::None,
        "starttls" => SmtpTls::StartTls,
        "tls" => SmtpTls::Tls,
        other => {
            return Err(ConfigError::Invalid {
                name: "SMTP_TLS",
                value: other.to_owned(),
                reason: "valeurs possibles : none, starttls, tls",
            });
        }
    };
    let port = match lookup("SMTP_PORT") {
        None if tls == SmtpTls::Tls => 465,
        None => 587,
        Some(raw) => raw.parse().ok().filter(|port| *port != 0).ok_or(ConfigError::Invalid {
            name: "SMTP_PORT",
            value: raw,
            reason: "numéro de port attendu, entre 1 et 65535",
        })?,
    };
    let credentials = match (lookup("SMTP_USERNAME"), lookup("SMTP_PASSWORD")) {
        (None, None) => None,
        (Some(username), Some(password)) => Some(SmtpCredentials { username, password: Secret::new(password) }),
        (Some(_), None) => {
            return Err(ConfigError::Missing {
                name: "SMTP_PASSWORD",
                reason: "SMTP_USERNAME est défini : il faut aussi le mot de passe",
            });
        }
        (None, Some(_)) => {
            return Err(ConfigError::Missing {
                name: "SMTP_USERNAME",
                reason: "SMTP_PASSWORD est défini : il faut aussi l'identifiant",
            });
        }
    };
    if credentials.is_some() && tls == SmtpTls::None && !is_loopback(&host) {
        return Err(ConfigError::Invalid {
            name: "SMTP_TLS",
            value: "none".to_owned(),
            reason: "le mot de passe SMTP circulerait en clair sur le réseau : choisissez starttls ou tls",
        });
    }
    Ok(SmtpSettings { host, port, credentials, tls })
}

fn is_loopback(host: &str) -> bool {
    host == "localhost" || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn mail(vars: &[(&str, &str)]) -> Result<MailSettings, ConfigError> {
        let vars: HashMap<String, String> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        from_lookup(&|name: &str| vars.get(name).cloned())
    }

    fn smtp_settings(vars: &[(&str, &str)]) -> SmtpSettings {
        let mut all = vec![("MAIL_TRANSPORT", "smtp"), ("SMTP_HOST", "smtp.example.org")];
        all.extend_from_slice(vars);
        match mail(&all).unwrap().transport {
            MailTransport::Smtp(smtp) => smtp,
            MailTransport::File => panic!("smtp expected"),
        }
    }

    #[test]
    fn defaults_write_files_from_the_no_reply_address() {
        let s = mail(&[]).unwrap();
        assert_eq!(s.transport, MailTransport::File);
        assert_eq!(s.from.name.as_deref(), Some("Médecins & Territoires"));
        assert_eq!(s.from.email.to_string(), "ne-pas-repondre@medecins-territoires.localhost");
    }

    #[test]
    fn a_candidate_s_mails_wait_two_minutes_for_more_news_unless_told_otherwise() {
        assert_eq!(mail(&[]).unwrap().grouping, std::time::Duration::from_secs(120));
        assert_eq!(mail(&[("MAIL_GROUPING_SECONDS", "0")]).unwrap().grouping, std::time::Duration::ZERO);
        for wrong in ["-1", "deux", "7200"] {
            assert!(mail(&[("MAIL_GROUPING_SECONDS", wrong)]).is_err(), "{wrong}");
        }
    }

    #[test]
    fn smtp_defaults_to_starttls_on_port_587_without_login() {
        let s = smtp_settings(&[]);
        assert_eq!(s.host, "smtp.example.org");
        assert_eq!((s.port, s.tls), (587, SmtpTls::StartTls));
        assert_eq!(s.credentials, None);
    }

    #[test]
    fn implicit_tls_defaults_to_port_465_and_an_explicit_port_wins() {
        assert_eq!(smtp_settings(&[("SMTP_TLS", "tls")]).port, 465);
        let s = smtp_settings(&[("SMTP_TLS", "tls"), ("SMTP_PORT", "2465")]);
        assert_eq!((s.port, s.tls), (2465, SmtpTls::Tls));
        assert_eq!(smtp_settings(&[("SMTP_TLS", "none"), ("SMTP_PORT", "25")]).tls, SmtpTls::None);
    }

    #[test]
    fn credentials_are_read_and_the_password_never_shown() {
        let s = smtp_settings(&[("SMTP_USERNAME", "portail"), ("SMTP_PASSWORD", "s3cr3t-smtp")]);
        let credentials = s.credentials.clone().unwrap();
        assert_eq!(credentials.username, "portail");
        assert_eq!(credentials.password.expose(), "s3cr3t-smtp");
        assert!(!format!("{s:?}").contains("s3cr3t-smtp"), "{s:?}");
    }

    #[test]
    fn a_custom_sender_is_parsed() {
        let s = mail(&[("MAIL_FROM", "ARS Occitanie <contact@ars.example.org>")]).unwrap();
        assert_eq!(s.from.name.as_deref(), Some("ARS Occitanie"));
        assert_eq!(s.from.email.to_string(), "contact@ars.example.org");
    }

    fn refused(vars: &[(&str, &str)]) -> String {
        mail(vars).unwrap_err().to_string()
    }

    #[test]
    fn bad_values_are_refused_with_a_reason_in_french() {
        assert!(refused(&[("MAIL_TRANSPORT", "sendmail")]).contains("valeurs possibles : file, smtp"));
        assert!(refused(&[("MAIL_TRANSPORT", "smtp")]).starts_with("SMTP_HOST n'est pas définie"));
        let smtp = [("MAIL_TRANSPORT", "smtp"), ("SMTP_HOST", "smtp.example.org")];
        let with = |extra: (&'static str, &'static str)| {
            let mut vars = smtp.to_vec();
            vars.push(extra);
            refused(&vars)
        };
        assert!(with(("SMTP_PORT", "0")).contains("entre 1 et 65535"));
        assert!(with(("SMTP_PORT", "70000")).contains("entre 1 et 65535"));
        assert!(with(("SMTP_PORT", "submission")).contains("entre 1 et 65535"));
        assert!(with(("SMTP_TLS", "ssl")).contains("none, starttls, tls"));
        assert!(with(("SMTP_USERNAME", "portail")).starts_with("SMTP_PASSWORD n'est pas définie"));
        assert!(refused(&[("MAIL_TRANSPORT", "smtp"), ("SMTP_HOST", "smtp://relay")]).contains("sans schéma"));
        assert!(refused(&[("MAIL_FROM", "pas une adresse")]).contains("adresse d'expéditeur attendue"));
    }

    #[test]
    fn a_password_is_never_part_of_an_error() {
        let message = refused(&[("MAIL_TRANSPORT", "smtp"), ("SMTP_HOST", "h"), ("SMTP_PASSWORD", "s3cr3t-smtp")]);
        assert!(message.starts_with("SMTP_USERNAME n'est pas définie"), "{message}");
        assert!(!message.contains("s3cr3t-smtp"));
    }

    #[test]
    fn a_password_is_not_sent_in_clear_over_the_network() {
        let remote = [
            ("MAIL_TRANSPORT", "smtp"),
            ("SMTP_HOST", "smtp.example.org"),
            ("SMTP_TLS", "none"),
            ("SMTP_USERNAME", "portail"),
            ("SMTP_PASSWORD", "s3cr3t-smtp"),
        ];
        assert!(refused(&remote).contains("en clair"));
        let mut local = remote;
        local[1] = ("SMTP_HOST", "127.0.0.1");
        assert!(mail(&local).is_ok());
    }

    #[test]
    fn smtp_variables_without_the_smtp_transport_are_refused() {
        let message = refused(&[("SMTP_HOST", "smtp.example.org")]);
        assert!(message.contains("MAIL_TRANSPORT=smtp"), "{message}");
    }
}
