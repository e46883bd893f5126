//! Backups of the portal and their restoration. Everything people gave the portal lives in the
//! database, CVs and photos included, and so do the mails still to send; the search index is
//! rebuilt from it (`server reindex`) and the reference data re-imported at will. So a backup is
//! the database: on SQLite a consistent copy taken while the server runs (`VACUUM INTO`, a
//! snapshot of one read transaction); on PostgreSQL `pg_dump`'s custom format, a snapshot too.

use crate::config::DatabaseUrl;
use crate::db::{Backend, Database};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The first bytes of every SQLite database file.
const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("« {0} » existe déjà : choisissez un autre nom (une sauvegarde n'en écrase jamais une autre)")]
    Exists(PathBuf),
    #[error("« {0} » n'existe pas")]
    Missing(PathBuf),
    #[error("« {0} » n'est pas une sauvegarde SQLite du portail")]
    NotSqlite(PathBuf),
    #[error("« {0} » n'est pas une sauvegarde pg_dump (format custom) du portail")]
    NotPgDump(PathBuf),
    #[error("la base n'est pas un fichier SQLite : rien à sauvegarder ni à restaurer ainsi")]
    NoFile,
    #[error("{path} : {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("erreur de la base de données : {0}")]
    Database(#[from] sqlx::Error),
    #[error("{tool} a échoué ({status}) : {stderr}")]
    Tool { tool: &'static str, status: String, stderr: String },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> BackupError + '_ {
    move |source| BackupError::Io { path: path.to_owned(), source }
}

/// Writes a consistent copy of `db` (reached at `url`) to `file`, which must not exist; the
/// server may be running.
pub async fn backup(db: &Database, url: &DatabaseUrl, file: &Path) -> Result<(), BackupError> {
    if file.exists() {
        return Err(BackupError::Exists(file.to_owned()));
    }
    match db.backend {
        Backend::Sqlite => {
            let target = file.to_str().ok_or_else(|| BackupError::NotSqlite(file.to_owned()))?;
            sqlx::query("VACUUM INTO $1").bind(target.to_owned()).execute(&db.pool).await?;
        }
        Backend::Postgres => {
            let file = file.to_owned();
            let url = url.0.clone();
            tool("pg_dump", move |command| {
                command.args(["--format=custom", "--no-owner", "--no-privileges", "--file"]).arg(&file).arg(&url)
            })
            .await?;
        }
    }
    Ok(())
}

/// Replaces the database at `url` with the backup `file`. The server must be stopped: the
/// database is rewritten under it. Migrations and the search index come after (see `main`).
pub async fn restore(url: &DatabaseUrl, file: &Path) -> Result<(), BackupError> {
    if !file.exists() {
        return Err(BackupError::Missing(file.to_owned()));
    }
    if url.is_postgres() {
        let mut head = [0_u8; 5];
        read_head(file, &mut head)?;
        if &head != b"PGDMP" {
            return Err(BackupError::NotPgDump(file.to_owned()));
        }
        let (file, url) = (file.to_owned(), url.0.clone());
        // One transaction: a backup that cannot be restored whole leaves the database as it was.
        return tool("pg_restore", move |command| {
            command
                .args(["--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction", "--dbname"])
                .arg(&url)
                .arg(&file)
        })
        .await;
    }
    let target = url.sqlite_path().ok_or(BackupError::NoFile)?;
    let mut head = [0_u8; 16];
    read_head(file, &mut head)?;
    if &head != SQLITE_HEADER {
        return Err(BackupError::NotSqlite(file.to_owned()));
    }
    // Copied beside the database, then renamed over it: the database is either the old one or
    // the backup, never half of each. The old journal would replay onto the backup: it goes.
    let staged = target.with_extension("restauration");
    std::fs::copy(file, &staged).map_err(io(&staged))?;
    std::fs::File::open(&staged).and_then(|f| f.sync_all()).map_err(io(&staged))?;
    for suffix in ["-wal", "-shm"] {
        let mut journal = target.clone().into_os_string();
        journal.push(suffix);
        match std::fs::remove_file(&journal) {
            Err(error) if error.kind() != std::io::ErrorKind::NotFound => return Err(io(Path::new(&journal))(error)),
            _ => {}
        }
    }
    std::fs::rename(&staged, &target).map_err(io(&target))?;
    Ok(())
}

fn read_head(file: &Path, head: &mut [u8]) -> Result<(), BackupError> {
    use std::io::Read;
    let mut opened = std::fs::File::open(file).map_err(io(file))?;
    // A file shorter than a header is not a backup.
    if opened.read_exact(head).is_err() {
        head.fill(0);
    }
    Ok(())
}

/// Runs `name` (from PATH) set up by `args`, off the async workers.
async fn tool(
    name: &'static str,
    args: impl FnOnce(&mut Command) -> &mut Command + Send + 'static,
) -> Result<(), BackupError> {
    let output = tokio::task::spawn_blocking(move || args(&mut Command::new(name)).output())
        .await
        .map_err(|error| BackupError::Tool { tool: name, status: "interrompu".into(), stderr: error.to_string() })?
        .map_err(|error| BackupError::Tool { tool: name, status: "introuvable".into(), stderr: error.to_string() })?;
    if output.status.success() {
        Ok(())
    } else {
        let stderr = String::from_utf8_lossy(&output.stderr).trim().to_owned();
        Err(BackupError::Tool { tool: name, status: output.status.to_string(), stderr })
    }
}
