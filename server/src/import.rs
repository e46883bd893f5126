//! Import of the reference data (server/data) into the database.
//!
//! Two stages: every file is read and checked first, so a malformed file is reported with its
//! name, line and reason before anything is written; then each table is brought in line with
//! the files inside one transaction. Rows are compared with what the database holds, so a
//! second run writes nothing and says so.

mod aids;
mod files;
mod reader;
mod tables;
mod write;

pub use reader::Reject;
pub use write::{ImportReport, TableReport};

use crate::db::Database;
use std::path::Path;
use std::time::Instant;

/// Whether to draw a progress bar (only ever drawn on a terminal).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    Terminal,
    Hidden,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{}", reader::describe(.0))]
    Rejected(Vec<Reject>),
    #[error("erreur de la base de données pendant l'import, rien n'a été importé : {0}")]
    Database(#[from] sqlx::Error),
    #[error("données importées, mais le calcul des chiffres des territoires a échoué ; relancez l'import : {0}")]
    Figures(sqlx::Error),
    #[error("données importées, mais la réécriture des libellés des alertes a échoué ; relancez l'import : {0}")]
    Alerts(sqlx::Error),
}

/// Reads every file of `dir`, then writes the differences in one transaction.
#[tracing::instrument(skip_all, fields(dir = %dir.display()))]
pub async fn run(db: &Database, dir: &Path, progress: Progress) -> Result<ImportReport, ImportError> {
    let started = Instant::now();
    let data = files::read_all(dir).map_err(ImportError::Rejected)?;
    let mut report = write::sync(db, &data, progress).await?;
    // The figures of every territory follow the data they are computed from.
    let figures = if report.changes() > 0 {
        crate::territory::refresh_figures(db).await.map(|_| ())
    } else {
        crate::territory::ensure_figures(db).await
    };
    figures.map_err(ImportError::Figures)?;
    // The alerts name their places as this data names them.
    report.relabelled_alerts = crate::offers::alerts::relabel(db).await.map_err(ImportError::Alerts)?;
    report.elapsed = started.elapsed();
    tracing::info!(elapsed_ms = report.elapsed.as_millis() as u64, changes = report.changes(), "import done");
    Ok(report)
}
