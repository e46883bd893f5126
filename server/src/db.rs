//! The database: an embedded SQLite file by default, PostgreSQL when DATABASE_URL says so.
//!
//! Queries go through sqlx's `Any` driver and are written once in the SQL both engines share
//! (`$1` parameters, `ON CONFLICT`, explicit casts); the schema differs, so each backend has
//! its own migrations.

pub mod rows;

use crate::config::DatabaseUrl;

/// A query with its parameters bound or to bind.
pub type Query<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>;
use sqlx::AnyPool;
use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::migrate::Migrator;
use std::time::Duration;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

/// Each SQLite connection's page cache, 1 MiB (a negative size is in KiB) instead of SQLite's
/// 2 MB: eight connections fill theirs as the commune pages are visited, for pages the
/// system's file cache holds anyway, one read() away. Measured on 7 December (`.ci/load`):
/// 8 MB less at the server's highest, renders as fast; at 512 KiB a commune page rendered
/// 10 to 25 % slower.
const SQLITE_PAGE_CACHE: &str = "PRAGMA cache_size = -1024";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A pool of connections to the migrated database.
#[derive(Debug, Clone)]
pub struct Database {
    pub pool: AnyPool,
    pub backend: Backend,
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("impossible de créer le répertoire de la base « {path} » : {source}")]
    CreateDir { path: String, source: std::io::Error },
    #[error("connexion à la base de données impossible ({url}) : {source}")]
    Connect { url: String, source: sqlx::Error },
    #[error("échec des migrations : {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("erreur de la base de données : {0}")]
    Query(#[from] sqlx::Error),
}

impl Database {
    /// Connects, creating the SQLite file and its directory when missing, then migrates.
    pub async fn connect(url: &DatabaseUrl) -> Result<Self, DbError> {
        install_default_drivers();
        let backend = if url.is_postgres() { Backend::Postgres } else { Backend::Sqlite };
        if backend == Backend::Sqlite {
            create_sqlite_dir(url)?;
        }
        let pool = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { 8 } else { 16 })
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(move |connection, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        sqlx::query(SQLITE_PAGE_CACHE).execute(connection).await?;
                    }
                    Ok(())
                })
            })
            .connect(&url.0)
            .await
            .map_err(|source| DbError::Connect { url: url.redacted(), source })?;
        let db = Self { pool, backend };
        db.migrate().await?;
        Ok(db)
    }

    async fn migrate(&self) -> Result<(), DbError> {
        match self.backend {
            Backend::Sqlite => {
                // WAL lets readers go on while the import writes; the setting is kept in the file.
                sqlx::query("PRAGMA journal_mode = WAL").execute(&self.pool).await?;
                SQLITE_MIGRATIONS.run(&self.pool).await?;
            }
            Backend::Postgres => POSTGRES_MIGRATIONS.run(&self.pool).await?,
        }
        Ok(())
    }

    /// Begins a transaction that will write. On SQLite it takes the write lock at once
    /// (BEGIN IMMEDIATE): a transaction that reads first and writes later would otherwise fail
    /// with SQLITE_BUSY whenever another connection (the mail worker, another request) wrote
    /// in between, and no busy timeout can save it. PostgreSQL needs nothing special.
    pub async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.pool.begin().await,
        }
    }

    /// A trivial round trip, for health checks.
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        sqlx::query("SELECT 1").execute(&self.pool).await.map(|_| ())
    }
}

fn create_sqlite_dir(url: &DatabaseUrl) -> Result<(), DbError> {
    let Some(path) = url.sqlite_path() else {
        return Ok(());
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|source| DbError::CreateDir { path: dir.display().to_string(), source })?;
    }
    Ok(())
}
