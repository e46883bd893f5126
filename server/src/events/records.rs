//! The SQL that reads events: the pages, the calendar files, the feeds and the open API all
//! read them here.

use crate::db::rows::{Code, Flag, StoredCode, table, typed};
use app::domain::events::{EventKind, EventRow};
use app::domain::territory::{TerritoryRef, paths as territory_paths};
use sqlx::AnyConnection;

/// One event with its organiser, its commune and the places taken.
#[derive(Debug, sqlx::FromRow)]
pub struct EventRecord {
    pub id: i64,
    pub kind: Code<EventKind>,
    pub title: String,
    /// Markdown, as the organisation wrote it.
    pub description: String,
    pub place: String,
    pub organisation_id: i64,
    pub organisation: String,
    pub commune_code: String,
    pub commune: String,
    pub commune_slug: String,
    pub departement_code: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub capacity: i64,
    pub cancelled_at: Option<i64>,
    /// Registrations that hold a place (not those waiting).
    pub taken: i64,
    /// Its organisation is a demonstration one (`server exemples`).
    pub example: Flag,
}

table!(EventRecord, "events");

impl EventRecord {
    pub fn places_left(&self) -> i64 {
        (self.capacity - self.taken).max(0)
    }

    /// The line of a list.
    pub fn row(&self) -> EventRow {
        EventRow {
            id: self.id,
            kind: self.kind.0,
            title: self.title.clone(),
            organisation_name: self.organisation.clone(),
            commune: TerritoryRef {
                name: self.commune.clone(),
                path: territory_paths::commune(&self.commune_code, &self.commune_slug),
            },
            starts_at: self.starts_at,
            ends_at: self.ends_at,
            places_left: self.places_left(),
            cancelled: self.cancelled_at.is_some(),
            example: self.example.0,
        }
    }
}

/// Where a registration stands, as `event_registrations.status` stores it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listed {
    /// Holds a place.
    Registered,
    Waiting,
}

impl Listed {
    pub fn code(self) -> &'static str {
        match self {
            Listed::Registered => "inscrit",
            Listed::Waiting => "attente",
        }
    }
}

impl StoredCode for Listed {
    const WHAT: &'static str = "inscription à un événement";
    fn from_stored(code: &str) -> Option<Self> {
        [Listed::Registered, Listed::Waiting].into_iter().find(|l| l.code() == code)
    }
}

const SELECT: &str = "SELECT e.id, e.kind, e.title, e.description, e.place, e.organisation_id, o.name AS organisation,
        c.code AS commune_code, c.name AS commune, c.slug AS commune_slug, c.departement_code,
        e.starts_at, e.ends_at, e.capacity, e.cancelled_at,
        (SELECT CAST(COUNT(*) AS BIGINT) FROM event_registrations r WHERE r.event_id = e.id AND r.status = 'inscrit') AS taken,
        o.example
    FROM events e JOIN organisations o ON o.id = e.organisation_id JOIN communes c ON c.code = e.commune_code";

/// Which events a list holds, and in what order.
#[derive(Debug, Clone, Copy)]
pub enum Listing<'a> {
    /// Not ended at `now`, soonest first; of one département, one commune and one kind when
    /// given.
    Upcoming { now: i64, departement: Option<&'a str>, commune: Option<&'a str>, kind: Option<EventKind> },
    /// An organisation's, latest first.
    Of { organisation: i64 },
}

impl Listing<'_> {
    /// The `WHERE` clause, then the order.
    fn clauses(&self) -> (&'static str, &'static str) {
        match self {
            Listing::Upcoming { .. } => (
                "WHERE e.ends_at > $1 AND ($2 = '' OR c.departement_code = $2) AND ($3 = '' OR e.commune_code = $3)
                   AND ($4 = '' OR e.kind = $4)",
                "ORDER BY e.starts_at, e.id",
            ),
            Listing::Of { .. } => ("WHERE e.organisation_id = $1", "ORDER BY e.starts_at DESC, e.id DESC"),
        }
    }

    fn bind<'q>(&self, query: crate::db::Query<'q>) -> crate::db::Query<'q> {
        match *self {
            Listing::Upcoming { now, departement, commune, kind } => query
                .bind(now)
                .bind(departement.unwrap_or_default().to_owned())
                .bind(commune.unwrap_or_default().to_owned())
                .bind(kind.map_or("", EventKind::code)),
            Listing::Of { organisation } => query.bind(organisation),
        }
    }

    fn placeholders(&self) -> usize {
        match self {
            Listing::Upcoming { .. } => 4,
            Listing::Of { .. } => 1,
        }
    }
}

/// The events of `listing`, `limit` of them from `offset`.
pub async fn list(
    conn: &mut AnyConnection,
    listing: Listing<'_>,
    limit: i64,
    offset: i64,
) -> Result<Vec<EventRecord>, sqlx::Error> {
    let (filter, order) = listing.clauses();
    let n = listing.placeholders();
    let sql = format!("{SELECT} {filter} {order} LIMIT ${} OFFSET ${}", n + 1, n + 2);
    listing
        .bind(sqlx::query(sqlx::AssertSqlSafe(sql)))
        .bind(limit)
        .bind(offset)
        .try_map(typed::<EventRecord>)
        .fetch_all(conn)
        .await
}

/// How many events `listing` holds.
pub async fn count(conn: &mut AnyConnection, listing: Listing<'_>) -> Result<i64, sqlx::Error> {
    let (filter, _) = listing.clauses();
    let sql = format!(
        "SELECT CAST(COUNT(*) AS BIGINT) AS total FROM events e JOIN communes c ON c.code = e.commune_code {filter}"
    );
    let row = listing.bind(sqlx::query(sqlx::AssertSqlSafe(sql))).fetch_one(conn).await?;
    sqlx::Row::try_get(&row, "total")
}

/// One event, past or cancelled ones too.
pub async fn one(conn: &mut AnyConnection, id: i64) -> Result<Option<EventRecord>, sqlx::Error> {
    let sql = format!("{SELECT} WHERE e.id = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).try_map(typed::<EventRecord>).fetch_optional(conn).await
}

/// The events not ended at `now` and not cancelled, for the sitemap (demonstration ones left
/// out).
pub async fn live_ids(conn: &mut AnyConnection, now: i64) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT e.id FROM events e JOIN organisations o ON o.id = e.organisation_id
         WHERE e.ends_at > $1 AND e.cancelled_at IS NULL AND o.example = 0 ORDER BY e.id",
    )
    .bind(now)
    .fetch_all(conn)
    .await
}
