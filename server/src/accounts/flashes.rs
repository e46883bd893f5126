//! The table `form_flashes`: what a session typed into a refused form, kept a quarter of an
//! hour for that session's next page (`http::flash` moves it out of the address and back).

use crate::accounts;
use crate::clock::Clock;
use crate::db::Database;

/// How long typed pairs wait for their page (a reload within that time shows them again).
pub const TTL_SECS: i64 = 15 * 60;

/// The typed pairs of refused forms, per posting session, read at the application's clock.
#[derive(Clone)]
pub struct Flashes {
    db: Database,
    clock: Clock,
}

impl Flashes {
    pub fn new(db: Database, clock: Clock) -> Self {
        Self { db, clock }
    }

    /// Keeps `typed` for the session whose token digest is `owner`; its random id.
    pub async fn keep(&self, owner: &str, typed: &str) -> Result<String, sqlx::Error> {
        let id = accounts::new_token();
        let at = self.clock.now();
        purge(&self.db, at).await?;
        sqlx::query("INSERT INTO form_flashes (id, owner, typed, created_at) VALUES ($1, $2, $3, $4)")
            .bind(id.clone())
            .bind(owner.to_owned())
            .bind(typed.to_owned())
            .bind(at)
            .execute(&self.db.pool)
            .await?;
        Ok(id)
    }

    /// The pairs kept under `id` for `owner`, if still fresh.
    pub async fn read(&self, id: &str, owner: &str) -> Result<Option<String>, sqlx::Error> {
        sqlx::query_scalar("SELECT typed FROM form_flashes WHERE id = $1 AND owner = $2 AND created_at >= $3")
            .bind(id.to_owned())
            .bind(owner.to_owned())
            .bind(self.clock.now() - TTL_SECS)
            .fetch_optional(&self.db.pool)
            .await
    }
}

/// Deletes the typed pairs older than `TTL_SECS` at `at` (the retention pass; each `keep`
/// also does); how many.
pub async fn purge(db: &Database, at: i64) -> Result<u64, sqlx::Error> {
    let deleted =
        sqlx::query("DELETE FROM form_flashes WHERE created_at < $1").bind(at - TTL_SECS).execute(&db.pool).await?;
    Ok(deleted.rows_affected())
}
