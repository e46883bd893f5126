//! The SQL that reads stage sites: their pages, their commune's page and an organisation's list
//! all read them here.

use crate::db::rows::{Code, CodeList, Flag, table, typed};
use crate::offers::open_offer;
use app::domain::offers::Specialty;
use app::domain::stages::{Faculty, Rating, SiteFilter, StageActivity, StageLevel, StageSiteRow};
use app::domain::territory::{TerritoryRef, paths as territory_paths};
use sqlx::AnyConnection;

/// One stage site with its organisation and commune.
#[derive(Debug, sqlx::FromRow)]
pub struct StageSiteRecord {
    pub id: i64,
    pub name: String,
    pub organisation_id: i64,
    pub organisation: String,
    pub commune_code: String,
    pub commune: String,
    pub commune_slug: String,
    pub departement_code: String,
    /// The commune's centre: where the map places the site.
    pub lat: f64,
    pub lon: f64,
    pub specialty: Code<Specialty>,
    pub faculty: Code<Faculty>,
    pub levels: CodeList<StageLevel>,
    pub capacity: i64,
    /// One name a line.
    pub supervisors: String,
    pub activities: CodeList<StageActivity>,
    /// Markdown, as the organisation wrote it.
    pub description: String,
    pub withdrawn_at: Option<i64>,
    /// When it was declared (unix seconds).
    pub created_at: i64,
    /// Its organisation is a demonstration one (`server exemples`).
    pub example: Flag,
    /// Its published reviews, and the mean of all their scores (None without any).
    pub reviews: i64,
    pub rating: Option<f64>,
}

table!(StageSiteRecord, "stage_sites");

impl StageSiteRecord {
    /// The line of a list.
    pub fn row(&self) -> StageSiteRow {
        StageSiteRow {
            id: self.id,
            name: self.name.clone(),
            organisation_name: self.organisation.clone(),
            commune: TerritoryRef {
                name: self.commune.clone(),
                path: territory_paths::commune(&self.commune_code, &self.commune_slug),
            },
            specialty: self.specialty.0,
            faculty: self.faculty.0,
            levels: self.levels.0.clone(),
            capacity: self.capacity,
            withdrawn: self.withdrawn_at.is_some(),
            example: self.example.0,
            rating: self.rating(),
        }
    }

    /// Its reviews' rating, once there are enough to be shown.
    pub fn rating(&self) -> Option<Rating> {
        Rating::of(self.rating, self.reviews)
    }

    pub fn supervisors(&self) -> Vec<String> {
        self.supervisors.lines().map(str::to_owned).collect()
    }
}

const SELECT: &str = "SELECT s.id, s.name, s.organisation_id, o.name AS organisation,
        c.code AS commune_code, c.name AS commune, c.slug AS commune_slug, c.departement_code, c.lat, c.lon,
        s.specialty, s.faculty, s.levels, s.capacity, s.supervisors, s.activities, s.description,
        s.withdrawn_at, s.created_at, o.example,
        (SELECT CAST(COUNT(*) AS BIGINT) FROM stage_reviews r WHERE r.site_id = s.id AND r.status = 'publie') AS reviews,
        (SELECT CAST(AVG(CAST(r.supervision + r.autonomy + r.variety + r.atmosphere + r.workload + COALESCE(r.housing, 0)
                AS DOUBLE PRECISION) / (CASE WHEN r.housing IS NULL THEN 5 ELSE 6 END)) AS DOUBLE PRECISION)
            FROM stage_reviews r WHERE r.site_id = s.id AND r.status = 'publie') AS rating
    FROM stage_sites s JOIN organisations o ON o.id = s.organisation_id JOIN communes c ON c.code = s.commune_code";

/// One site, withdrawn ones too.
pub async fn one(conn: &mut AnyConnection, id: i64) -> Result<Option<StageSiteRecord>, sqlx::Error> {
    let sql = format!("{SELECT} WHERE s.id = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).try_map(typed::<StageSiteRecord>).fetch_optional(conn).await
}

/// The open sites of a commune, by name.
pub async fn in_commune(conn: &mut AnyConnection, code: &str) -> Result<Vec<StageSiteRecord>, sqlx::Error> {
    let sql = format!("{SELECT} WHERE s.commune_code = $1 AND s.withdrawn_at IS NULL ORDER BY s.name, s.id");
    sqlx::query(sqlx::AssertSqlSafe(sql)).bind(code.to_owned()).try_map(typed::<StageSiteRecord>).fetch_all(conn).await
}

/// Which open sites a list holds: of one département, faculty, level and specialty when given.
#[derive(Debug, Clone, Copy, Default)]
pub struct Filter<'a> {
    pub departement: Option<&'a str>,
    pub faculty: Option<Faculty>,
    pub level: Option<StageLevel>,
    pub specialty: Option<Specialty>,
}

impl<'a> Filter<'a> {
    /// The interns' page's choices, in one département when given.
    pub fn of(filter: SiteFilter, departement: Option<&'a str>) -> Self {
        Filter { departement, faculty: filter.faculty, level: filter.level, specialty: filter.specialty }
    }

    const WHERE: &'static str = "WHERE s.withdrawn_at IS NULL AND ($1 = '' OR c.departement_code = $1)
        AND ($2 = '' OR s.faculty = $2) AND ($3 = '' OR (',' || s.levels || ',') LIKE $4)
        AND ($5 = '' OR s.specialty = $5)";

    fn bind<'q>(&self, query: crate::db::Query<'q>) -> crate::db::Query<'q> {
        let level = self.level.map_or("", StageLevel::code);
        query
            .bind(self.departement.unwrap_or_default().to_owned())
            .bind(self.faculty.map_or("", Faculty::code))
            .bind(level)
            .bind(format!("%,{level},%"))
            .bind(self.specialty.map_or("", Specialty::code))
    }
}

/// The open sites `filter` holds, by département then name, `limit` of them from `offset`.
pub async fn open(
    conn: &mut AnyConnection,
    filter: Filter<'_>,
    limit: i64,
    offset: i64,
) -> Result<Vec<StageSiteRecord>, sqlx::Error> {
    let sql = format!("{SELECT} {} ORDER BY c.departement_code, s.name, s.id LIMIT $6 OFFSET $7", Filter::WHERE);
    filter
        .bind(sqlx::query(sqlx::AssertSqlSafe(sql)))
        .bind(limit)
        .bind(offset)
        .try_map(typed::<StageSiteRecord>)
        .fetch_all(conn)
        .await
}

/// The `limit` open sites `filter` holds declared last, the newest first, demonstration ones
/// left out (the feeds', which job engines and other sites read).
pub async fn newest(
    conn: &mut AnyConnection,
    filter: Filter<'_>,
    limit: i64,
) -> Result<Vec<StageSiteRecord>, sqlx::Error> {
    let sql = format!("{SELECT} {} AND o.example = 0 ORDER BY s.created_at DESC, s.id DESC LIMIT $6", Filter::WHERE);
    filter
        .bind(sqlx::query(sqlx::AssertSqlSafe(sql)))
        .bind(limit)
        .try_map(typed::<StageSiteRecord>)
        .fetch_all(conn)
        .await
}

/// The open sites `filter` holds declared after site `after` (site numbers only grow), at most
/// `limit`, in the order of their declaration; demonstration ones left out (the alerts').
pub async fn declared_after(
    conn: &mut AnyConnection,
    filter: Filter<'_>,
    after: i64,
    limit: i64,
) -> Result<Vec<StageSiteRecord>, sqlx::Error> {
    let sql = format!("{SELECT} {} AND o.example = 0 AND s.id > $6 ORDER BY s.id LIMIT $7", Filter::WHERE);
    filter
        .bind(sqlx::query(sqlx::AssertSqlSafe(sql)))
        .bind(after)
        .bind(limit)
        .try_map(typed::<StageSiteRecord>)
        .fetch_all(conn)
        .await
}

/// The largest site number so far (0 before the first).
pub async fn last_id(conn: &mut AnyConnection) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) FROM stage_sites").fetch_one(conn).await
}

/// How many open sites `filter` holds.
pub async fn count_open(conn: &mut AnyConnection, filter: Filter<'_>) -> Result<i64, sqlx::Error> {
    let sql = format!(
        "SELECT CAST(COUNT(*) AS BIGINT) AS total FROM stage_sites s JOIN communes c ON c.code = s.commune_code {}",
        Filter::WHERE
    );
    let row = filter.bind(sqlx::query(sqlx::AssertSqlSafe(sql))).fetch_one(conn).await?;
    sqlx::Row::try_get(&row, "total")
}

/// An organisation's sites, withdrawn ones last.
pub async fn of_organisation(conn: &mut AnyConnection, organisation: i64) -> Result<Vec<StageSiteRecord>, sqlx::Error> {
    let sql = format!(
        "{SELECT} WHERE s.organisation_id = $1 ORDER BY CASE WHEN s.withdrawn_at IS NULL THEN 0 ELSE 1 END, s.name, s.id"
    );
    sqlx::query(sqlx::AssertSqlSafe(sql)).bind(organisation).try_map(typed::<StageSiteRecord>).fetch_all(conn).await
}

/// A published stage offer that points to a site.
#[derive(Debug, sqlx::FromRow)]
pub struct SiteOffer {
    pub id: i64,
    pub title: String,
    pub commune: String,
    /// A demonstration offer (`server exemples`): marked « exemple ».
    pub example: Flag,
}

table!(SiteOffer, "offers");

/// The stage offers open at `now` that point to `site`, latest first.
pub async fn offers_of(conn: &mut AnyConnection, site: i64, now: i64) -> Result<Vec<SiteOffer>, sqlx::Error> {
    sqlx::query(concat!(
        "SELECT o.id, o.title, c.name AS commune, o.example FROM offers o JOIN communes c ON c.code = o.commune_code
         WHERE o.stage_site_id = $1 AND ",
        open_offer!("o", "$2"),
        " ORDER BY o.published_at DESC, o.id DESC",
    ))
    .bind(site)
    .bind(now)
    .try_map(typed::<SiteOffer>)
    .fetch_all(conn)
    .await
}

/// The `limit` stage offers open at `now` published last.
pub async fn latest_stage_offers(
    conn: &mut AnyConnection,
    now: i64,
    limit: i64,
) -> Result<Vec<SiteOffer>, sqlx::Error> {
    sqlx::query(concat!(
        "SELECT o.id, o.title, c.name AS commune, o.example FROM offers o JOIN communes c ON c.code = o.commune_code
         WHERE o.kind = 'stage' AND ",
        open_offer!("o", "$1"),
        " ORDER BY o.published_at DESC, o.id DESC LIMIT $2",
    ))
    .bind(now)
    .bind(limit)
    .try_map(typed::<SiteOffer>)
    .fetch_all(conn)
    .await
}
