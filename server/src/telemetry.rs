//! Structured logs with `tracing`: readable text by default, JSON lines for log collectors.

use crate::config::{LogFormat, Settings};
use tracing_subscriber::EnvFilter;

/// Installs the global subscriber; RUST_LOG filters (default: info for us, warn for others).
pub fn init(settings: &Settings) {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("warn,server=info,app=info,tower_http=info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    // A second init (tests) keeps the first subscriber.
    let _ = match settings.log_format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().try_init(),
    };
}
