//! The territories of the reference data as the open API and the exports give them, one row
//! per territory: the SQL of those reads lives here, beside the pages' (`queries`).

use super::queries::EpciKind;
use crate::db::rows::{Code, table, typed};
use crate::db::{Database, Query};
use app::domain::territory::StructureKind;
use app::model::Zonage;
use sqlx::AssertSqlSafe;
use std::collections::HashMap;

#[derive(Debug, sqlx::FromRow)]
pub struct RegionRecord {
    pub code: String,
    pub name: String,
    pub slug: String,
    pub population: i64,
}

table!(RegionRecord, "regions");

pub async fn regions(db: &Database) -> Result<Vec<RegionRecord>, sqlx::Error> {
    sqlx::query("SELECT code, name, slug, population FROM regions ORDER BY code")
        .try_map(typed::<RegionRecord>)
        .fetch_all(&db.pool)
        .await
}

#[derive(Debug, sqlx::FromRow)]
pub struct DepartementRecord {
    pub code: String,
    pub name: String,
    pub slug: String,
    pub region_code: String,
    pub population: i64,
    /// Its communes in the portal's data.
    pub communes: i64,
}

table!(DepartementRecord, "departements");

const DEPARTEMENT: &str = "SELECT d.code, d.name, d.slug, d.region_code, d.population,
        (SELECT CAST(COUNT(*) AS BIGINT) FROM communes c WHERE c.departement_code = d.code) AS communes
    FROM departements d";

/// The départements of `region`, or all, by code.
pub async fn departements(db: &Database, region: Option<&str>) -> Result<Vec<DepartementRecord>, sqlx::Error> {
    sqlx::query(AssertSqlSafe(format!("{DEPARTEMENT} WHERE ($1 = '' OR d.region_code = $1) ORDER BY d.code")))
        .bind(region.unwrap_or_default().to_owned())
        .try_map(typed::<DepartementRecord>)
        .fetch_all(&db.pool)
        .await
}

pub async fn departement(db: &Database, code: &str) -> Result<Option<DepartementRecord>, sqlx::Error> {
    sqlx::query(AssertSqlSafe(format!("{DEPARTEMENT} WHERE d.code = $1")))
        .bind(code.to_owned())
        .try_map(typed::<DepartementRecord>)
        .fetch_optional(&db.pool)
        .await
}

#[derive(Debug, sqlx::FromRow)]
pub struct EpciRecord {
    pub siren: String,
    pub name: String,
    pub slug: String,
    pub kind: Code<EpciKind>,
    pub population_municipale: i64,
    /// Its communes in the portal's data.
    pub communes: i64,
    /// The départements of its communes, by code (read apart: `with_departements`).
    #[sqlx(skip)]
    pub departements: Vec<String>,
}

table!(EpciRecord, "epcis");

/// An EPCI with its count of communes; `departements` is filled by `with_departements`.
const EPCI: &str = "SELECT e.siren, e.name, e.slug, e.kind, e.population_municipale,
        (SELECT CAST(COUNT(*) AS BIGINT) FROM communes c WHERE c.epci_siren = e.siren) AS communes
    FROM epcis e";

/// EPCI with a commune in département `$1` (all when empty).
const EPCI_FILTER: &str =
    "WHERE ($1 = '' OR EXISTS (SELECT 1 FROM communes c WHERE c.epci_siren = e.siren AND c.departement_code = $1))";

/// The EPCI with a commune in `departement` (or all), by name: `limit` from `offset`, and how
/// many there are in all.
pub async fn epcis(
    db: &Database,
    departement: Option<&str>,
    limit: i64,
    offset: i64,
) -> Result<(Vec<EpciRecord>, i64), sqlx::Error> {
    let departement = departement.unwrap_or_default().to_owned();
    let total = count(db, &format!("SELECT CAST(COUNT(*) AS BIGINT) AS total FROM epcis e {EPCI_FILTER}"), |q| {
        q.bind(departement.clone())
    })
    .await?;
    let found = sqlx::query(AssertSqlSafe(format!("{EPCI} {EPCI_FILTER} ORDER BY e.name, e.siren LIMIT $2 OFFSET $3")))
        .bind(departement)
        .bind(limit)
        .bind(offset)
        .try_map(typed::<EpciRecord>)
        .fetch_all(&db.pool)
        .await?;
    Ok((with_departements(db, found).await?, total))
}

pub async fn epci(db: &Database, siren: &str) -> Result<Option<EpciRecord>, sqlx::Error> {
    let found = sqlx::query(AssertSqlSafe(format!("{EPCI} WHERE e.siren = $1")))
        .bind(siren.to_owned())
        .try_map(typed::<EpciRecord>)
        .fetch_optional(&db.pool)
        .await?;
    Ok(with_departements(db, found.into_iter().collect()).await?.pop())
}

/// `epcis` with the départements of their communes.
async fn with_departements(db: &Database, mut epcis: Vec<EpciRecord>) -> Result<Vec<EpciRecord>, sqlx::Error> {
    for epci in &mut epcis {
        epci.departements = sqlx::query_scalar(
            "SELECT DISTINCT departement_code FROM communes WHERE epci_siren = $1 ORDER BY departement_code",
        )
        .bind(epci.siren.clone())
        .fetch_all(&db.pool)
        .await?;
    }
    Ok(epcis)
}

#[derive(Debug, sqlx::FromRow)]
pub struct CommuneRecord {
    pub code: String,
    pub name: String,
    pub slug: String,
    pub departement_code: String,
    pub epci_siren: Option<String>,
    /// Separated by `;`.
    pub postal_codes: String,
    pub population: i64,
    pub lat: f64,
    pub lon: f64,
    pub surface_km2: f64,
    pub zonage: Option<Code<Zonage>>,
}

table!(CommuneRecord, "communes");

const COMMUNE: &str = "SELECT code, name, slug, departement_code, epci_siren, postal_codes, population, lat, lon,
        surface_km2, zonage FROM communes";

/// Which communes a list holds; an empty field does not filter.
#[derive(Debug, Clone, Default)]
pub struct CommuneFilter {
    pub departement: String,
    pub epci: String,
    pub zonage: Option<Zonage>,
    pub population_min: i64,
}

impl CommuneFilter {
    const WHERE: &str = "WHERE ($1 = '' OR departement_code = $1) AND ($2 = '' OR epci_siren = $2)
        AND ($3 = '' OR zonage = $3) AND population >= $4";

    fn bind<'q>(&self, query: Query<'q>) -> Query<'q> {
        query
            .bind(self.departement.clone())
            .bind(self.epci.clone())
            .bind(self.zonage.map_or("", Zonage::code))
            .bind(self.population_min)
    }
}

/// The communes of `filter` by INSEE code, `limit` from `offset`, and how many there are in all.
pub async fn communes(
    db: &Database,
    filter: &CommuneFilter,
    limit: i64,
    offset: i64,
) -> Result<(Vec<CommuneRecord>, i64), sqlx::Error> {
    let where_ = CommuneFilter::WHERE;
    let total =
        count(db, &format!("SELECT CAST(COUNT(*) AS BIGINT) AS total FROM communes {where_}"), |q| filter.bind(q))
            .await?;
    let sql = format!("{COMMUNE} {where_} ORDER BY code LIMIT $5 OFFSET $6");
    let found = filter
        .bind(sqlx::query(AssertSqlSafe(sql)))
        .bind(limit)
        .bind(offset)
        .try_map(typed::<CommuneRecord>)
        .fetch_all(&db.pool)
        .await?;
    Ok((found, total))
}

pub async fn commune(db: &Database, code: &str) -> Result<Option<CommuneRecord>, sqlx::Error> {
    sqlx::query(AssertSqlSafe(format!("{COMMUNE} WHERE code = $1")))
        .bind(code.to_owned())
        .try_map(typed::<CommuneRecord>)
        .fetch_optional(&db.pool)
        .await
}

/// One year of a commune's APL (DREES).
#[derive(Debug, sqlx::FromRow)]
pub struct AplRecord {
    pub commune_code: String,
    pub year: i64,
    pub apl: f64,
    pub apl_under65: f64,
}

table!(AplRecord, "apl");

/// The APL years of `codes`, oldest first, by commune.
pub async fn apl_of(db: &Database, codes: &[String]) -> Result<HashMap<String, Vec<AplRecord>>, sqlx::Error> {
    let mut out: HashMap<String, Vec<AplRecord>> = HashMap::new();
    if codes.is_empty() {
        return Ok(out);
    }
    let placeholders: Vec<String> = (1..=codes.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT commune_code, year, apl, apl_under65 FROM apl WHERE commune_code IN ({}) ORDER BY commune_code, year",
        placeholders.join(", ")
    );
    let select = codes.iter().fold(sqlx::query(AssertSqlSafe(sql)), |select, code| select.bind(code.clone()));
    for year in select.try_map(typed::<AplRecord>).fetch_all(&db.pool).await? {
        out.entry(year.commune_code.clone()).or_default().push(year);
    }
    Ok(out)
}

/// A health structure of FINESS as the open data gives it, with the commune and the
/// département it lies in: the one read of the table, for the pages, the open API and the search.
#[derive(Debug, sqlx::FromRow)]
pub struct StructureRecord {
    pub finess: String,
    pub finess_ej: String,
    pub name: String,
    pub kind: Code<StructureKind>,
    pub category: String,
    pub address: String,
    pub postal_code: String,
    pub city: String,
    pub phone: Option<String>,
    pub commune_code: String,
    pub lat: f64,
    pub lon: f64,
    pub opened_on: Option<String>,
    pub commune_name: String,
    pub commune_slug: String,
    pub zonage: Option<Code<Zonage>>,
    pub departement_code: String,
    pub departement_name: String,
}

table!(StructureRecord, "health_structures");

/// Reads `StructureRecord`s; a caller adds its `WHERE` (the structure is `s`, its commune `c`).
pub const STRUCTURE: &str = "SELECT s.finess, s.finess_ej, s.name, s.kind, s.category, s.address, s.postal_code,
        s.city, s.phone, s.commune_code, s.lat, s.lon, s.opened_on, c.name AS commune_name,
        c.slug AS commune_slug, c.zonage, c.departement_code, d.name AS departement_name
    FROM health_structures s JOIN communes c ON c.code = s.commune_code
         JOIN departements d ON d.code = c.departement_code";

/// Which structures a list holds; an empty field does not filter.
#[derive(Debug, Clone, Default)]
pub struct StructureFilter {
    pub commune: String,
    pub departement: String,
    pub kind: Option<StructureKind>,
}

impl StructureFilter {
    const WHERE: &str =
        "WHERE ($1 = '' OR s.commune_code = $1) AND ($2 = '' OR c.departement_code = $2) AND ($3 = '' OR s.kind = $3)";

    fn bind<'q>(&self, query: Query<'q>) -> Query<'q> {
        query.bind(self.commune.clone()).bind(self.departement.clone()).bind(self.kind.map_or("", StructureKind::code))
    }
}

/// The structures of `filter` by FINESS number, `limit` from `offset`, and how many in all.
pub async fn structures(
    db: &Database,
    filter: &StructureFilter,
    limit: i64,
    offset: i64,
) -> Result<(Vec<StructureRecord>, i64), sqlx::Error> {
    let where_ = StructureFilter::WHERE;
    let total = count(
        db,
        &format!(
            "SELECT CAST(COUNT(*) AS BIGINT) AS total FROM health_structures s
             JOIN communes c ON c.code = s.commune_code {where_}"
        ),
        |q| filter.bind(q),
    )
    .await?;
    let sql = format!("{STRUCTURE} {where_} ORDER BY s.finess LIMIT $4 OFFSET $5");
    let found = filter
        .bind(sqlx::query(AssertSqlSafe(sql)))
        .bind(limit)
        .bind(offset)
        .try_map(typed::<StructureRecord>)
        .fetch_all(&db.pool)
        .await?;
    Ok((found, total))
}

pub async fn structure(db: &Database, finess: &str) -> Result<Option<StructureRecord>, sqlx::Error> {
    sqlx::query(AssertSqlSafe(format!("{STRUCTURE} WHERE s.finess = $1")))
        .bind(finess.to_owned())
        .try_map(typed::<StructureRecord>)
        .fetch_optional(&db.pool)
        .await
}

/// The `total` column of `sql`'s one row.
async fn count(db: &Database, sql: &str, bind: impl FnOnce(Query<'_>) -> Query<'_>) -> Result<i64, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Total {
        total: i64,
    }
    table!(Total, "territories");
    let row = bind(sqlx::query(AssertSqlSafe(sql.to_owned()))).try_map(typed::<Total>).fetch_one(&db.pool).await?;
    Ok(row.total)
}
