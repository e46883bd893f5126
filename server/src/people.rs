//! Candidates' profiles (status, training, specialty, RPPS): the server's implementation of
//! `app::domain::profiles::ProfileService`, and the write behind the profile form.

use crate::clock::Clock;
use crate::db::Database;
use crate::db::rows::{Code, Flag, table, typed};
use app::domain::ServiceError;
use app::domain::profiles::{Profile, ProfileInput, ProfileProblem, ProfileService, Status};
use app::model::Rpps;

#[derive(Debug, thiserror::Error)]
pub enum PeopleError {
    #[error("{}", .0.message())]
    Invalid(ProfileProblem),
    #[error("erreur de la base de données : {0}")]
    Database(#[from] sqlx::Error),
}

/// Profiles in the database.
#[derive(Debug, Clone)]
pub struct People {
    db: Database,
    /// What "now" is (the system's time, or a test's).
    clock: Clock,
}

impl People {
    pub fn new(db: Database) -> Self {
        Self { db, clock: Clock::system() }
    }

    /// The same service reading `clock` (a test's, which moves).
    pub fn with_clock(self, clock: Clock) -> Self {
        Self { clock, ..self }
    }

    /// The profile of `user_id`, if they filled it in.
    pub async fn get(&self, user_id: i64) -> Result<Option<Profile>, sqlx::Error> {
        #[derive(sqlx::FromRow)]
        struct PersonRow {
            status: Code<Status>,
            faculty: Option<String>,
            internship_year: Option<i64>,
            specialty: String,
            thesis_defended: Flag,
            rpps: Option<Code<Rpps>>,
        }
        table!(PersonRow, "people");
        let row = sqlx::query(
            "SELECT status, faculty, internship_year, specialty, thesis_defended, rpps FROM people WHERE user_id = $1",
        )
        .bind(user_id)
        .try_map(typed::<PersonRow>)
        .fetch_optional(&self.db.pool)
        .await?;
        Ok(row.map(|row| Profile {
            status: row.status.0,
            faculty: row.faculty,
            year: row.internship_year,
            specialty: row.specialty,
            thesis_defended: row.thesis_defended.0,
            rpps: row.rpps.map(|r| r.0),
        }))
    }

    /// Checks the form and writes the profile of `user_id` (creating or replacing it).
    #[tracing::instrument(skip_all, fields(user_id))]
    pub async fn save(&self, user_id: i64, input: &ProfileInput) -> Result<Profile, PeopleError> {
        let profile = Profile::parse(input).map_err(PeopleError::Invalid)?;
        let now = self.clock.now();
        let rpps = profile.rpps.as_ref().map(|r| r.to_string());
        let mut tx = self.db.begin_write().await?;
        if let Some(rpps) = &rpps {
            let holder: Option<i64> =
                sqlx::query_scalar("SELECT user_id FROM people WHERE rpps = $1 AND user_id <> $2")
                    .bind(rpps.clone())
                    .bind(user_id)
                    .fetch_optional(&mut *tx)
                    .await?;
            if holder.is_some() {
                return Err(PeopleError::Invalid(ProfileProblem::RppsTaken));
            }
        }
        sqlx::query(
            "INSERT INTO people (user_id, status, faculty, internship_year, specialty, thesis_defended, rpps, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
             ON CONFLICT (user_id) DO UPDATE SET status = excluded.status, faculty = excluded.faculty,
                 internship_year = excluded.internship_year, specialty = excluded.specialty,
                 thesis_defended = excluded.thesis_defended, rpps = excluded.rpps, updated_at = excluded.updated_at",
        )
        .bind(user_id)
        .bind(profile.status.code())
        .bind(profile.faculty.clone())
        .bind(profile.year)
        .bind(profile.specialty.clone())
        .bind(i64::from(profile.thesis_defended))
        .bind(rpps)
        .bind(now)
        .execute(&mut *tx)
        .await
        // Two accounts saving one RPPS at the same moment: the second meets the unique key.
        .map_err(|error| match error.as_database_error() {
            Some(db) if db.is_unique_violation() => PeopleError::Invalid(ProfileProblem::RppsTaken),
            _ => PeopleError::Database(error),
        })?;
        tx.commit().await?;
        Ok(profile)
    }
}

#[async_trait::async_trait]
impl ProfileService for People {
    async fn profile(&self, user_id: i64) -> Result<Option<Profile>, ServiceError> {
        self.get(user_id).await.map_err(|error| ServiceError(format!("database: {error}")))
    }
}
