//! The figures of regions, départements and EPCI, computed once from the reference data (at
//! import, or at start when an older database has none) and read by the pages.

use super::summary::{self, Scope};
use crate::db::Database;
use crate::db::rows::{JsonText, table, typed};
use app::domain::territory::HealthSummary;

/// The territories that have figures, as the `kind` column names them; a commune's figures
/// are its own row of the reference data.
fn kind_of(scope: &Scope) -> Result<&'static str, sqlx::Error> {
    match scope {
        Scope::Region(_) => Ok("region"),
        Scope::Departement(_) => Ok("departement"),
        Scope::Epci(_) => Ok("epci"),
        Scope::Commune(_) => Err(sqlx::Error::RowNotFound),
    }
}

/// Computes the figures of every region, département and EPCI again, in one transaction:
/// pages never see half of them.
pub async fn refresh(db: &Database) -> Result<usize, sqlx::Error> {
    let mut scopes = Vec::new();
    for (sql, make) in [
        ("SELECT code FROM regions ORDER BY code", Scope::Region as fn(String) -> Scope),
        ("SELECT code FROM departements ORDER BY code", Scope::Departement),
        ("SELECT siren FROM epcis ORDER BY siren", Scope::Epci),
    ] {
        let codes: Vec<String> = sqlx::query_scalar(sql).fetch_all(&db.pool).await?;
        scopes.extend(codes.into_iter().map(make));
    }
    let mut rows = Vec::with_capacity(scopes.len());
    for scope in &scopes {
        let figures = summary::load(db, scope).await?;
        let apl = summary::weighted_apl(db, scope).await?;
        let encode = |e: serde_json::Error| sqlx::Error::Encode(e.into());
        rows.push((
            kind_of(scope)?,
            scope.param(),
            serde_json::to_string(&figures).map_err(encode)?,
            serde_json::to_string(&apl).map_err(encode)?,
        ));
    }
    let mut tx = db.pool.begin().await?;
    sqlx::query("DELETE FROM territory_figures").execute(&mut *tx).await?;
    for (kind, code, figures, apl) in &rows {
        sqlx::query("INSERT INTO territory_figures (kind, code, summary, apl) VALUES ($1, $2, $3, $4)")
            .bind(*kind)
            .bind(code)
            .bind(figures)
            .bind(apl)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(rows.len())
}

/// Computes the figures when there are none yet while territories exist (a database
/// imported before they were stored).
pub async fn ensure(db: &Database) -> Result<(), sqlx::Error> {
    let stored: i64 =
        sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM territory_figures").fetch_one(&db.pool).await?;
    let regions: i64 = sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM regions").fetch_one(&db.pool).await?;
    if stored == 0 && regions > 0 {
        let written = refresh(db).await?;
        tracing::info!(territories = written, "territory figures computed");
    }
    Ok(())
}

/// The stored figures of one territory: its summary and its APL per year, oldest first.
#[derive(sqlx::FromRow)]
struct Figures {
    code: String,
    summary: JsonText<HealthSummary>,
    apl: JsonText<Vec<(i64, f64)>>,
}

table!(Figures, "territory_figures");

/// The stored row of `scope`.
async fn row(db: &Database, scope: &Scope) -> Result<Figures, sqlx::Error> {
    // A territory without its figures: an import that did not finish; never shown as zeros.
    sqlx::query("SELECT code, summary, apl FROM territory_figures WHERE kind = $1 AND code = $2")
        .bind(kind_of(scope)?)
        .bind(scope.param())
        .try_map(typed::<Figures>)
        .fetch_one(&db.pool)
        .await
}

/// The stored figures of a region, département or EPCI.
pub async fn summary(db: &Database, scope: &Scope) -> Result<HealthSummary, sqlx::Error> {
    Ok(row(db, scope).await?.summary.0)
}

/// Its APL per year, oldest first.
pub async fn apl(db: &Database, scope: &Scope) -> Result<Vec<(i64, f64)>, sqlx::Error> {
    Ok(row(db, scope).await?.apl.0)
}

/// The stored figures of the départements of `region`, by code.
pub async fn departements_of(db: &Database, region: &str) -> Result<Vec<(String, HealthSummary)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT f.code, f.summary, f.apl FROM departements d
         JOIN territory_figures f ON f.kind = 'departement' AND f.code = d.code
         WHERE d.region_code = $1 ORDER BY d.code",
    )
    .bind(region.to_owned())
    .try_map(typed::<Figures>)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.into_iter().map(|f| (f.code, f.summary.0)).collect())
}
