//! The SQL of semesters and reviews: the site pages, the moderation and the services read
//! them here.

use crate::db::rows::{Code, table, typed};
use app::domain::offers::Semester;
use app::domain::reviews::{Criterion, ReviewStatus, Scores};
use sqlx::AnyConnection;

/// A semester an intern did at a site, as the site confirmed it.
#[derive(Debug, sqlx::FromRow)]
pub struct SemesterRecord {
    pub id: i64,
    pub season: Code<Semester>,
    pub year: i64,
}

table!(SemesterRecord, "stage_semesters");

impl SemesterRecord {
    pub fn label(&self) -> String {
        format!("{} {}", self.season.0.label(), self.year)
    }
}

/// One review.
#[derive(Debug, sqlx::FromRow)]
pub struct ReviewRecord {
    pub id: i64,
    pub site_id: i64,
    pub semester_id: i64,
    pub supervision: i64,
    pub autonomy: i64,
    pub variety: i64,
    pub atmosphere: i64,
    pub housing: Option<i64>,
    pub workload: i64,
    pub body: String,
    pub status: Code<ReviewStatus>,
    pub reason: Option<String>,
    pub answer: Option<String>,
    /// The site's name (the moderation's list).
    pub site: String,
}

table!(ReviewRecord, "stage_reviews");

impl ReviewRecord {
    pub fn scores(&self) -> Scores {
        vec![
            (Criterion::Supervision, Some(self.supervision)),
            (Criterion::Autonomy, Some(self.autonomy)),
            (Criterion::Variety, Some(self.variety)),
            (Criterion::Atmosphere, Some(self.atmosphere)),
            (Criterion::Housing, self.housing),
            (Criterion::Workload, Some(self.workload)),
        ]
    }
}

const REVIEW: &str = "SELECT r.id, r.site_id, r.semester_id, r.supervision, r.autonomy, r.variety, r.atmosphere,
        r.housing, r.workload, r.body, r.status, r.reason, r.answer, s.name AS site
    FROM stage_reviews r JOIN stage_sites s ON s.id = r.site_id";

/// The published reviews of `site`, by id (the page orders them otherwise).
pub async fn published(conn: &mut AnyConnection, site: i64) -> Result<Vec<ReviewRecord>, sqlx::Error> {
    let sql = format!("{REVIEW} WHERE r.site_id = $1 AND r.status = 'publie' ORDER BY r.id");
    sqlx::query(sqlx::AssertSqlSafe(sql)).bind(site).try_map(typed::<ReviewRecord>).fetch_all(conn).await
}

/// `user`'s reviews of `site`, latest first.
pub async fn of_user(conn: &mut AnyConnection, site: i64, user: i64) -> Result<Vec<ReviewRecord>, sqlx::Error> {
    let sql = format!("{REVIEW} WHERE r.site_id = $1 AND r.user_id = $2 ORDER BY r.id DESC");
    sqlx::query(sqlx::AssertSqlSafe(sql)).bind(site).bind(user).try_map(typed::<ReviewRecord>).fetch_all(conn).await
}

/// One review.
pub async fn one(conn: &mut AnyConnection, id: i64) -> Result<Option<ReviewRecord>, sqlx::Error> {
    let sql = format!("{REVIEW} WHERE r.id = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).try_map(typed::<ReviewRecord>).fetch_optional(conn).await
}

/// The reviews waiting for the moderation, oldest first.
pub async fn pending(conn: &mut AnyConnection) -> Result<Vec<ReviewRecord>, sqlx::Error> {
    let sql = format!("{REVIEW} WHERE r.status = 'en_attente' ORDER BY r.id");
    sqlx::query(sqlx::AssertSqlSafe(sql)).try_map(typed::<ReviewRecord>).fetch_all(conn).await
}

/// `user`'s confirmed semesters at `site` that no review of theirs is about yet.
pub async fn unreviewed_semesters(
    conn: &mut AnyConnection,
    site: i64,
    user: i64,
) -> Result<Vec<SemesterRecord>, sqlx::Error> {
    sqlx::query(
        "SELECT m.id, m.season, m.year FROM stage_semesters m
         WHERE m.site_id = $1 AND m.user_id = $2 AND NOT EXISTS (SELECT 1 FROM stage_reviews r WHERE r.semester_id = m.id)
         ORDER BY m.year DESC, m.season",
    )
    .bind(site)
    .bind(user)
    .try_map(typed::<SemesterRecord>)
    .fetch_all(conn)
    .await
}

/// How many semesters `site` has confirmed.
pub async fn confirmed_count(conn: &mut AnyConnection, site: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM stage_semesters WHERE site_id = $1")
        .bind(site)
        .fetch_one(conn)
        .await
}

/// An accepted application to one of a site's stage offers, with its semester.
#[derive(Debug, sqlx::FromRow)]
pub struct Accepted {
    pub application: i64,
    pub candidate: i64,
    pub intern: String,
    pub season: Code<Semester>,
    pub year: i64,
}

table!(Accepted, "applications");

const ACCEPTED: &str = "SELECT a.id AS application, a.candidate_id AS candidate, u.display_name AS intern,
        o.semester AS season, o.semester_year AS year
    FROM applications a JOIN offers o ON o.id = a.offer_id JOIN users u ON u.id = a.candidate_id
    WHERE o.stage_site_id = $1 AND a.status = 'acceptee' AND o.semester IS NOT NULL AND o.semester_year IS NOT NULL";

/// The accepted applications to `site`'s stage offers whose semester is not confirmed yet.
pub async fn to_confirm(conn: &mut AnyConnection, site: i64) -> Result<Vec<Accepted>, sqlx::Error> {
    let sql = format!(
        "{ACCEPTED} AND NOT EXISTS (SELECT 1 FROM stage_semesters m WHERE m.site_id = $1
            AND m.user_id = a.candidate_id AND m.season = o.semester AND m.year = o.semester_year)
         ORDER BY a.id"
    );
    sqlx::query(sqlx::AssertSqlSafe(sql)).bind(site).try_map(typed::<Accepted>).fetch_all(conn).await
}

/// The accepted application `application` to one of `site`'s stage offers.
pub async fn accepted(conn: &mut AnyConnection, site: i64, application: i64) -> Result<Option<Accepted>, sqlx::Error> {
    let sql = format!("{ACCEPTED} AND a.id = $2");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(site)
        .bind(application)
        .try_map(typed::<Accepted>)
        .fetch_optional(conn)
        .await
}
