//! The SQL that reads housing for interns: its page, the lists nearby, the interns' page, an
//! organisation's list and the open API all read it here.

use crate::db::rows::{Code, Flag, table, typed};
use app::domain::housing::{HousingKind, HousingRow};
use app::domain::territory::{TerritoryRef, paths as territory_paths};
use app::model::Day;
use sqlx::AnyConnection;

/// One housing with its organisation and commune.
#[derive(Debug, sqlx::FromRow)]
pub struct HousingRecord {
    pub id: i64,
    pub title: String,
    pub organisation_id: i64,
    pub organisation: String,
    pub commune_code: String,
    pub commune: String,
    pub commune_slug: String,
    pub departement_code: String,
    /// The commune's centre: where the housing is placed (never its address).
    pub lat: f64,
    pub lon: f64,
    pub area: String,
    pub kind: Code<HousingKind>,
    pub rent: i64,
    pub furnished: Flag,
    pub available_from: Code<Day>,
    pub available_until: Option<Code<Day>>,
    pub places: i64,
    /// Shown to signed-in people only; never in the API.
    pub contact: String,
    /// Markdown, as the organisation wrote it; may be empty.
    pub details: String,
    pub withdrawn_at: Option<i64>,
    /// When it was published (unix seconds).
    pub created_at: i64,
    /// Its organisation is a demonstration one (`server exemples`).
    pub example: Flag,
}

table!(HousingRecord, "intern_housing");

impl HousingRecord {
    /// Withdrawn, or its end is before `today`.
    pub fn closed(&self, today: Day) -> bool {
        self.withdrawn_at.is_some() || self.available_until.as_ref().is_some_and(|until| until.0 < today)
    }

    /// The line of a list, as it stands on `today`.
    pub fn row(&self, today: Day) -> HousingRow {
        HousingRow {
            id: self.id,
            title: self.title.clone(),
            organisation_name: self.organisation.clone(),
            commune: TerritoryRef {
                name: self.commune.clone(),
                path: territory_paths::commune(&self.commune_code, &self.commune_slug),
            },
            area: self.area.clone(),
            kind: self.kind.0,
            rent: self.rent,
            furnished: self.furnished.0,
            from: self.available_from.0,
            until: self.available_until.as_ref().map(|d| d.0),
            places: self.places,
            closed: self.closed(today),
            example: self.example.0,
        }
    }
}

const SELECT: &str = "SELECT h.id, h.title, h.organisation_id, o.name AS organisation,
        c.code AS commune_code, c.name AS commune, c.slug AS commune_slug, c.departement_code, c.lat, c.lon,
        h.area, h.kind, h.rent, h.furnished, h.available_from, h.available_until, h.places, h.contact, h.details,
        h.withdrawn_at, h.created_at, o.example
    FROM intern_housing h JOIN organisations o ON o.id = h.organisation_id JOIN communes c ON c.code = h.commune_code";

/// Open on `$1` (a day, as ISO text): not withdrawn, not ended.
const OPEN: &str = "h.withdrawn_at IS NULL AND (h.available_until IS NULL OR h.available_until >= $1)";

/// One housing, withdrawn and ended ones too.
pub async fn one(conn: &mut AnyConnection, id: i64) -> Result<Option<HousingRecord>, sqlx::Error> {
    let sql = format!("{SELECT} WHERE h.id = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).try_map(typed::<HousingRecord>).fetch_optional(conn).await
}

/// The housing open on `today`, of one département when given, by département, commune then
/// title; `limit` of them from `offset`.
pub async fn open(
    conn: &mut AnyConnection,
    today: Day,
    departement: Option<&str>,
    limit: i64,
    offset: i64,
) -> Result<Vec<HousingRecord>, sqlx::Error> {
    let sql = format!(
        "{SELECT} WHERE {OPEN} AND ($2 = '' OR c.departement_code = $2)
         ORDER BY c.departement_code, c.name, h.title, h.id LIMIT $3 OFFSET $4"
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(today.to_string())
        .bind(departement.unwrap_or_default().to_owned())
        .bind(limit)
        .bind(offset)
        .try_map(typed::<HousingRecord>)
        .fetch_all(conn)
        .await
}

/// How many housing `open` holds.
pub async fn count_open(conn: &mut AnyConnection, today: Day, departement: Option<&str>) -> Result<i64, sqlx::Error> {
    let sql = format!(
        "SELECT CAST(COUNT(*) AS BIGINT) AS total FROM intern_housing h JOIN communes c ON c.code = h.commune_code
         WHERE {OPEN} AND ($2 = '' OR c.departement_code = $2)"
    );
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(today.to_string())
        .bind(departement.unwrap_or_default().to_owned())
        .fetch_one(conn)
        .await?;
    sqlx::Row::try_get(&row, "total")
}

/// The `limit` housing open on `today` (of one département when given) published last, the
/// newest first, demonstration ones left out (the feeds').
pub async fn newest(
    conn: &mut AnyConnection,
    today: Day,
    departement: Option<&str>,
    limit: i64,
) -> Result<Vec<HousingRecord>, sqlx::Error> {
    let sql = format!(
        "{SELECT} WHERE {OPEN} AND ($2 = '' OR c.departement_code = $2) AND o.example = 0
         ORDER BY h.created_at DESC, h.id DESC LIMIT $3"
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(today.to_string())
        .bind(departement.unwrap_or_default().to_owned())
        .bind(limit)
        .try_map(typed::<HousingRecord>)
        .fetch_all(conn)
        .await
}

/// An organisation's housing, open ones first.
pub async fn of_organisation(conn: &mut AnyConnection, organisation: i64) -> Result<Vec<HousingRecord>, sqlx::Error> {
    let sql = format!(
        "{SELECT} WHERE h.organisation_id = $1
         ORDER BY CASE WHEN h.withdrawn_at IS NULL THEN 0 ELSE 1 END, h.available_from DESC, h.id DESC"
    );
    sqlx::query(sqlx::AssertSqlSafe(sql)).bind(organisation).try_map(typed::<HousingRecord>).fetch_all(conn).await
}

/// Where the housing that the search index counts lies: (latitude, longitude) of the communes
/// of the housing neither withdrawn nor found past its end (`lapse_ended`). Its dates are not
/// read: the index changes when a row does, and the clock's pass makes the end such a change.
pub async fn indexed_places(conn: &mut AnyConnection) -> Result<Vec<(f64, f64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT c.lat, c.lon FROM intern_housing h JOIN communes c ON c.code = h.commune_code
         WHERE h.withdrawn_at IS NULL AND h.lapsed_at IS NULL",
    )
    .fetch_all(conn)
    .await
}

/// Marks at `at` the housing not withdrawn whose end is before `today`; how many. The triggers
/// of migration 0027 queue the stage offers around each for the search index.
pub async fn lapse_ended(conn: &mut AnyConnection, today: Day, at: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE intern_housing SET lapsed_at = $1
         WHERE lapsed_at IS NULL AND withdrawn_at IS NULL AND available_until IS NOT NULL AND available_until < $2",
    )
    .bind(at)
    .bind(today.to_string())
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}
