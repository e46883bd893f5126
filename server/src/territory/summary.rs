//! Health-care figures over a set of communes (a region, a département, an EPCI).

use crate::db::Database;
use crate::db::rows::{Code, table, typed};
use app::domain::territory::{APL_THRESHOLD, HealthSummary, StructureKind, ZonageShare};
use app::model::Zonage;
use sqlx::AssertSqlSafe;

/// A set of communes, as a condition on the `communes c` table and its one parameter.
#[derive(Debug, Clone)]
pub enum Scope {
    Region(String),
    Departement(String),
    Epci(String),
    Commune(String),
}

impl Scope {
    pub fn condition(&self) -> &'static str {
        match self {
            Scope::Region(_) => "c.departement_code IN (SELECT code FROM departements WHERE region_code = $1)",
            Scope::Departement(_) => "c.departement_code = $1",
            Scope::Epci(_) => "c.epci_siren = $1",
            Scope::Commune(_) => "c.code = $1",
        }
    }

    pub fn param(&self) -> String {
        match self {
            Scope::Region(code) | Scope::Departement(code) | Scope::Epci(code) | Scope::Commune(code) => code.clone(),
        }
    }
}

/// Communes and their population, of a whole scope or of one zoning in it.
#[derive(sqlx::FromRow)]
struct Count {
    communes: i64,
    population: i64,
}

table!(Count, "communes");

#[derive(sqlx::FromRow)]
struct ZonageCount {
    zonage: Option<Code<Zonage>>,
    #[sqlx(flatten)]
    count: Count,
}

table!(ZonageCount, "communes");

#[derive(sqlx::FromRow)]
struct KindCount {
    kind: Code<StructureKind>,
    structures: i64,
}

table!(KindCount, "health_structures");

#[derive(sqlx::FromRow)]
struct YearApl {
    year: i64,
    apl: f64,
}

table!(YearApl, "apl");

pub async fn load(db: &Database, scope: &Scope) -> Result<HealthSummary, sqlx::Error> {
    let condition = scope.condition();
    let totals = sqlx::query(AssertSqlSafe(format!(
        "SELECT CAST(COUNT(*) AS BIGINT) AS communes, CAST(COALESCE(SUM(c.population), 0) AS BIGINT) AS population
         FROM communes c WHERE {condition}"
    )))
    .bind(scope.param())
    .try_map(typed::<Count>)
    .fetch_one(&db.pool)
    .await?;

    let mut zonage: Vec<ZonageShare> = sqlx::query(AssertSqlSafe(format!(
        "SELECT c.zonage, CAST(COUNT(*) AS BIGINT) AS communes, CAST(SUM(c.population) AS BIGINT) AS population
         FROM communes c WHERE {condition} GROUP BY c.zonage"
    )))
    .bind(scope.param())
    .try_map(typed::<ZonageCount>)
    .fetch_all(&db.pool)
    .await?
    .into_iter()
    .map(|z| ZonageShare { zonage: z.zonage.map(|z| z.0), communes: z.count.communes, population: z.count.population })
    .collect();
    // ZIP, ZAC, ZAR, then unclassified.
    zonage.sort_by_key(|z| z.zonage.map_or(usize::MAX, |z| Zonage::ALL.iter().position(|a| *a == z).unwrap_or(0)));

    let apl = weighted_apl(db, scope).await?;
    let apl_of = |year: i64| apl.iter().find(|(y, _)| *y == year).map(|(_, v)| *v);

    let under = sqlx::query(AssertSqlSafe(format!(
        "SELECT CAST(COUNT(*) AS BIGINT) AS communes, CAST(COALESCE(SUM(c.population), 0) AS BIGINT) AS population
         FROM communes c JOIN apl a ON a.commune_code = c.code
         WHERE {condition} AND a.year = $2 AND a.apl < $3"
    )))
    .bind(scope.param())
    .bind(2023_i64)
    .bind(APL_THRESHOLD)
    .try_map(typed::<Count>)
    .fetch_one(&db.pool)
    .await?
    .population;

    let structures = sqlx::query(AssertSqlSafe(format!(
        "SELECT s.kind, CAST(COUNT(*) AS BIGINT) AS structures
         FROM health_structures s JOIN communes c ON c.code = s.commune_code
         WHERE {condition} GROUP BY s.kind"
    )))
    .bind(scope.param())
    .try_map(typed::<KindCount>)
    .fetch_all(&db.pool)
    .await?;
    let count_of = |kind: StructureKind| structures.iter().find(|k| k.kind.0 == kind).map_or(0, |k| k.structures);

    Ok(HealthSummary {
        communes: totals.communes,
        population: totals.population,
        zonage,
        apl_2022: apl_of(2022),
        apl_2023: apl_of(2023),
        population_under_threshold: under,
        msp: count_of(StructureKind::Msp),
        centres_sante: count_of(StructureKind::CentreSante),
        etablissements: count_of(StructureKind::Etablissement),
    })
}

/// The APL of the scope per year, oldest first: DREES aggregates APL as the mean weighted by
/// standardised population.
pub async fn weighted_apl(db: &Database, scope: &Scope) -> Result<Vec<(i64, f64)>, sqlx::Error> {
    let years = sqlx::query(AssertSqlSafe(format!(
        "SELECT a.year, SUM(a.apl * a.population_standardised) / SUM(a.population_standardised) AS apl
         FROM apl a JOIN communes c ON c.code = a.commune_code
         WHERE {} AND a.population_standardised > 0 GROUP BY a.year ORDER BY a.year",
        scope.condition()
    )))
    .bind(scope.param())
    .try_map(typed::<YearApl>)
    .fetch_all(&db.pool)
    .await?;
    Ok(years.into_iter().map(|y| (y.year, y.apl)).collect())
}
