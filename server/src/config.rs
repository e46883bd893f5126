//! Typed configuration, read once from environment variables with defaults. Every variable is
//! documented in the README.

mod mail;

pub use mail::{DEFAULT_FROM, MailSettings, MailTransport, SmtpCredentials, SmtpSettings, SmtpTls};

use std::net::SocketAddr;
use std::path::PathBuf;

/// Everything the server needs to know about its environment.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Where the server listens (LEPTOS_SITE_ADDR, as cargo-leptos names it).
    pub site_addr: SocketAddr,
    /// Public origin used in canonical links and the sitemap (PUBLIC_URL).
    pub public_url: String,
    /// Where the embedded database and other local state live (DATA_DIR).
    pub data_dir: PathBuf,
    pub database_url: DatabaseUrl,
    /// The reference data to import (REFERENCE_DATA_DIR).
    pub reference_data_dir: PathBuf,
    /// Built site: wasm bundle, CSS and public assets (LEPTOS_SITE_ROOT).
    pub site_root: String,
    /// Name of the wasm/js/css bundle (LEPTOS_OUTPUT_NAME).
    pub output_name: String,
    pub log_format: LogFormat,
    /// How mail is sent (MAIL_TRANSPORT, SMTP_*, MAIL_FROM).
    pub mail: MailSettings,
    /// PORTAIL_MODE=production: refuses what only a demonstration may do (example data).
    pub production: bool,
    /// Meilisearch (MEILI_URL, MEILI_MASTER_KEY, MEILI_INDEX_PREFIX); None: the embedded
    /// tantivy index in DATA_DIR/index.
    pub meilisearch: Option<crate::search::MeiliSettings>,
    /// The page cache's budget in bytes for compressed pages (PAGE_CACHE_MB, in megabytes); an
    /// eighth more holds plain-text copies (server/src/cache.rs).
    pub page_cache_bytes: usize,
}

/// A database URL; `redacted` hides a password when it is shown.
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseUrl(pub String);

impl DatabaseUrl {
    pub fn is_postgres(&self) -> bool {
        self.0.starts_with("postgres://") || self.0.starts_with("postgresql://")
    }

    /// The file of a SQLite URL (`sqlite://path?mode=rwc`); None for PostgreSQL or memory.
    pub fn sqlite_path(&self) -> Option<std::path::PathBuf> {
        if self.is_postgres() {
            return None;
        }
        let path = self.0.trim_start_matches("sqlite://").trim_start_matches("sqlite:");
        let path = path.split('?').next().unwrap_or_default();
        (!path.is_empty() && path != ":memory:").then(|| std::path::PathBuf::from(path))
    }

    pub fn redacted(&self) -> String {
        match (self.0.find("://"), self.0.rfind('@')) {
            (Some(scheme), Some(at)) if at > scheme => {
                let userinfo = &self.0[scheme + 3..at];
                let user = userinfo.split(':').next().unwrap_or_default();
                format!("{}{}:***{}", &self.0[..scheme + 3], user, &self.0[at..])
            }
            _ => self.0.clone(),
        }
    }
}

impl std::fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.redacted())
    }
}

/// A secret value (a password): `Debug` prints stars, and only `expose` gives it out.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret read from the environment.
    pub fn new(value: String) -> Self {
        Self(value)
    }

    /// The secret itself, for the one place that needs it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{name} = « {value} » : {reason}")]
    Invalid { name: &'static str, value: String, reason: &'static str },
    /// A variable that other settings make necessary is not set.
    #[error("{name} n'est pas définie : {reason}")]
    Missing { name: &'static str, reason: &'static str },
}

impl Settings {
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok().filter(|v| !v.is_empty()))
    }

    /// Reads settings through `lookup`, so tests can configure without touching the process
    /// environment.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let get = |name: &str, default: &str| lookup(name).unwrap_or_else(|| default.to_owned());
        let site_addr_raw = get("LEPTOS_SITE_ADDR", "127.0.0.1:3000");
        let site_addr = site_addr_raw.parse().map_err(|_| ConfigError::Invalid {
            name: "LEPTOS_SITE_ADDR",
            value: site_addr_raw.clone(),
            reason: "adresse attendue sous la forme hôte:port, par exemple 127.0.0.1:3000",
        })?;
        let public_url = get("PUBLIC_URL", &format!("http://{site_addr}"));
        if !(public_url.starts_with("http://") || public_url.starts_with("https://")) {
            return Err(ConfigError::Invalid {
                name: "PUBLIC_URL",
                value: public_url,
                reason: "l'URL publique doit commencer par http:// ou https://",
            });
        }
        let data_dir = PathBuf::from(get("DATA_DIR", "data"));
        let database_url = DatabaseUrl(
            lookup("DATABASE_URL")
                .unwrap_or_else(|| format!("sqlite://{}?mode=rwc", data_dir.join("portail.db").display())),
        );
        if !(database_url.is_postgres() || database_url.0.starts_with("sqlite:")) {
            return Err(ConfigError::Invalid {
                name: "DATABASE_URL",
                value: database_url.redacted(),
                reason: "seules les bases sqlite:… et postgres://… sont prises en charge",
            });
        }
        let production = match get("PORTAIL_MODE", "developpement").as_str() {
            "production" => true,
            "developpement" | "demonstration" => false,
            other => {
                return Err(ConfigError::Invalid {
                    name: "PORTAIL_MODE",
                    value: other.to_owned(),
                    reason: "valeurs possibles : production, developpement, demonstration",
                });
            }
        };
        let log_format = match get("LOG_FORMAT", "text").as_str() {
            "text" => LogFormat::Text,
            "json" => LogFormat::Json,
            other => {
                return Err(ConfigError::Invalid {
                    name: "LOG_FORMAT",
                    value: other.to_owned(),
                    reason: "valeurs possibles : text, json",
                });
            }
        };
        let meilisearch = meilisearch(&lookup)?;
        // 24 MB: every page of the load test's mix and the most asked of the rest, within the
        // server's memory bound of 150 MB (README, `.ci/load`).
        let page_cache_mb = get("PAGE_CACHE_MB", "24");
        let page_cache_bytes = match page_cache_mb.parse::<usize>() {
            Ok(mb) if mb <= 64 * 1024 => mb * 1024 * 1024,
            _ => {
                return Err(ConfigError::Invalid {
                    name: "PAGE_CACHE_MB",
                    value: page_cache_mb,
                    reason: "un nombre de mégaoctets est attendu (0 : pas de cache des pages)",
                });
            }
        };
        Ok(Self {
            page_cache_bytes,
            meilisearch,
            site_addr,
            public_url: public_url.trim_end_matches('/').to_owned(),
            data_dir,
            database_url,
            reference_data_dir: PathBuf::from(get("REFERENCE_DATA_DIR", "server/data")),
            site_root: get("LEPTOS_SITE_ROOT", "target/site"),
            output_name: get("LEPTOS_OUTPUT_NAME", "portail"),
            log_format,
            mail: mail::from_lookup(&lookup)?,
            production,
        })
    }
}

fn meilisearch(lookup: &impl Fn(&str) -> Option<String>) -> Result<Option<crate::search::MeiliSettings>, ConfigError> {
    let key = lookup("MEILI_MASTER_KEY").map(Secret::new);
    let prefix = lookup("MEILI_INDEX_PREFIX").unwrap_or_else(|| "portail".to_owned());
    if !prefix.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
        return Err(ConfigError::Invalid {
            name: "MEILI_INDEX_PREFIX",
            value: prefix,
            reason: "lettres, chiffres, - et _ seulement (les noms d'index de Meilisearch)",
        });
    }
    let Some(url) = lookup("MEILI_URL") else {
        if key.is_some() {
            return Err(ConfigError::Missing {
                name: "MEILI_URL",
                reason: "MEILI_MASTER_KEY est donnée sans l'adresse du serveur Meilisearch",
            });
        }
        return Ok(None);
    };
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        return Err(ConfigError::Invalid {
            name: "MEILI_URL",
            value: url,
            reason: "l'adresse de Meilisearch commence par http:// ou https://",
        });
    }
    Ok(Some(crate::search::MeiliSettings { url: url.trim_end_matches('/').to_owned(), key, prefix }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn settings(vars: &[(&str, &str)]) -> Result<Settings, ConfigError> {
        let vars: HashMap<String, String> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Settings::from_lookup(|name| vars.get(name).cloned())
    }

    #[test]
    fn defaults_give_an_embedded_database_under_the_data_dir() {
        let s = settings(&[]).unwrap();
        assert_eq!(s.database_url.0, "sqlite://data/portail.db?mode=rwc");
        assert_eq!(s.public_url, "http://127.0.0.1:3000");
        assert_eq!(s.log_format, LogFormat::Text);
    }

    #[test]
    fn postgres_is_chosen_by_the_url_and_its_password_never_shown() {
        let s = settings(&[("DATABASE_URL", "postgres://app:secret@db:5432/portail")]).unwrap();
        assert!(s.database_url.is_postgres());
        assert_eq!(s.database_url.redacted(), "postgres://app:***@db:5432/portail");
        assert!(!format!("{s:?}").contains("secret"));
    }

    #[test]
    fn mail_settings_are_part_of_the_settings_and_the_smtp_password_never_shown() {
        let s = settings(&[
            ("MAIL_TRANSPORT", "smtp"),
            ("SMTP_HOST", "smtp.example.org"),
            ("SMTP_USERNAME", "portail"),
            ("SMTP_PASSWORD", "s3cr3t-smtp"),
        ])
        .unwrap();
        assert!(matches!(s.mail.transport, MailTransport::Smtp(_)));
        assert!(!format!("{s:?}").contains("s3cr3t-smtp"));
        assert_eq!(settings(&[]).unwrap().mail.transport, MailTransport::File);
    }

    #[test]
    fn bad_values_are_refused_with_a_reason() {
        assert!(settings(&[("LEPTOS_SITE_ADDR", "nowhere")]).is_err());
        assert!(settings(&[("DATABASE_URL", "mysql://x")]).is_err());
        assert!(settings(&[("LOG_FORMAT", "xml")]).is_err());
        assert!(settings(&[("PUBLIC_URL", "example.org")]).is_err());
        assert!(settings(&[("MAIL_TRANSPORT", "smtp")]).is_err());
        assert!(settings(&[("MEILI_URL", "localhost:7700")]).is_err());
        assert!(settings(&[("MEILI_MASTER_KEY", "k")]).is_err());
        assert!(settings(&[("MEILI_URL", "http://x:7700"), ("MEILI_INDEX_PREFIX", "a b")]).is_err());
    }

    #[test]
    fn meilisearch_is_chosen_by_its_url_and_its_key_never_shown() {
        assert!(settings(&[]).unwrap().meilisearch.is_none());
        let s = settings(&[("MEILI_URL", "http://127.0.0.1:7700/"), ("MEILI_MASTER_KEY", "m3ili-key")]).unwrap();
        let meili = s.meilisearch.clone().unwrap();
        assert_eq!(meili.url, "http://127.0.0.1:7700");
        assert_eq!(meili.prefix, "portail");
        assert!(!format!("{s:?}").contains("m3ili-key"));
    }
}
