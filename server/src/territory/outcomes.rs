//! The outcomes of a territory, computed from the portal's own data: offers published and
//! filled per month, median time to fill, applications, events held, and requests to the
//! guichet unique of the territory's collectivité, over the last twelve months. Example offers are left out:
//! these are public figures.

use super::summary::Scope;
use crate::db::Database;
use crate::db::rows::{Code, table, typed};
use app::domain::applications::median;
use app::domain::offers::OfferStatus;
use app::domain::territory::{MonthOutcome, OutcomesPage, TerritoryRef, paths};
use app::model::Day;
use sqlx::AssertSqlSafe;

/// Months shown, the current one included.
pub const MONTHS: i64 = 12;

/// The territory's name and page; None for an unknown code.
async fn territory(db: &Database, kind: &str, code: &str) -> Result<Option<(TerritoryRef, &'static str)>, sqlx::Error> {
    let label = match kind {
        "region" => "la région",
        "departement" => "le département",
        "epci" => "l'intercommunalité",
        "commune" => "la commune",
        _ => return Ok(None),
    };
    Ok(super::queries::territory_link(db, kind, code).await?.map(|link| (link, label)))
}

/// A published offer's dates and state.
#[derive(sqlx::FromRow)]
struct Published {
    published_at: i64,
    closed_at: Option<i64>,
    status: Code<OfferStatus>,
    expires_at: Option<i64>,
}

table!(Published, "offers");

/// The index of the month of `at` (unix seconds) among the `MONTHS` from `first`, if inside.
fn month_of(at: i64, first: Day) -> Option<usize> {
    let day = Day::of_unix(at);
    (0..MONTHS).rev().find(|m| day >= first.month_start(*m)).map(|m| m as usize)
}

pub async fn outcomes(db: &Database, kind: &str, code: &str, now: i64) -> Result<Option<OutcomesPage>, sqlx::Error> {
    let Some((territory, kind_label)) = territory(db, kind, code).await? else { return Ok(None) };
    let scope = match kind {
        "region" => Scope::Region(code.to_owned()),
        "departement" => Scope::Departement(code.to_owned()),
        "epci" => Scope::Epci(code.to_owned()),
        _ => Scope::Commune(code.to_owned()),
    };
    let today = Day::of_unix(now);
    let first = today.month_start(-(MONTHS - 1));
    let since = first.unix();
    let condition = scope.condition();
    let offers = sqlx::query(AssertSqlSafe(format!(
        "SELECT o.published_at, o.closed_at, o.status, o.expires_at FROM offers o JOIN communes c ON c.code = o.commune_code
         WHERE {condition} AND o.example = 0 AND o.published_at IS NOT NULL"
    )))
    .bind(scope.param())
    .try_map(typed::<Published>)
    .fetch_all(&db.pool)
    .await?;
    let mut months: Vec<MonthOutcome> = (0..MONTHS)
        .map(|m| MonthOutcome { label: first.month_start(m).month_name(), published: 0, filled: 0, applications: 0 })
        .collect();
    let (mut open_now, mut delays) = (0, Vec::new());
    for offer in &offers {
        let (published, closed, status, expires) =
            (offer.published_at, offer.closed_at, offer.status.0, offer.expires_at);
        if let Some(m) = month_of(published, first) {
            months[m].published += 1;
        }
        if status == OfferStatus::Pourvue
            && let Some(closed) = closed
            && let Some(m) = month_of(closed, first)
        {
            months[m].filled += 1;
            delays.push((closed - published).max(0));
        }
        if status == OfferStatus::Publiee && expires.is_some_and(|e| e > now) {
            open_now += 1;
        }
    }
    let applications: Vec<i64> = sqlx::query_scalar(AssertSqlSafe(format!(
        "SELECT a.created_at FROM applications a JOIN offers o ON o.id = a.offer_id JOIN communes c ON c.code = o.commune_code
         WHERE {condition} AND o.example = 0 AND a.created_at >= $2"
    )))
    .bind(scope.param())
    .bind(since)
    .fetch_all(&db.pool)
    .await?;
    for at in applications {
        if let Some(m) = month_of(at, first) {
            months[m].applications += 1;
        }
    }
    let column = match kind {
        "region" => None,
        "departement" => Some("departement_code"),
        "epci" => Some("epci_siren"),
        _ => Some("commune_code"),
    };
    let cases: i64 = match column {
        Some(column) => {
            sqlx::query_scalar(AssertSqlSafe(format!(
                "SELECT CAST(COUNT(*) AS BIGINT) FROM cases k JOIN organisations g ON g.id = k.organisation_id
                 WHERE g.kind = $1 AND g.{column} = $2 AND k.created_at >= $3"
            )))
            .bind(kind.to_owned())
            .bind(code.to_owned())
            .bind(since)
            .fetch_one(&db.pool)
            .await?
        }
        None => 0,
    };
    let events_held: i64 = sqlx::query_scalar(AssertSqlSafe(format!(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM events e JOIN communes c ON c.code = e.commune_code
         WHERE {condition} AND e.cancelled_at IS NULL AND e.ends_at >= $2 AND e.ends_at <= $3"
    )))
    .bind(scope.param())
    .bind(since)
    .bind(now)
    .fetch_one(&db.pool)
    .await?;
    Ok(Some(OutcomesPage {
        path: paths::outcomes(&territory.path),
        territory,
        kind_label: kind_label.to_owned(),
        from: first,
        to: today,
        published: months.iter().map(|m| m.published).sum(),
        filled: months.iter().map(|m| m.filled).sum(),
        applications: months.iter().map(|m| m.applications).sum(),
        months,
        open_now,
        median_days_to_fill: median(delays).map(|secs| (secs + 43_200) / 86_400),
        cases,
        events_held,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_fall_in_their_month_or_outside_the_period() {
        let first = Day::parse("2026-01-01").unwrap();
        let at = |day: &str| Day::parse(day).unwrap().unix();
        assert_eq!(month_of(at("2026-01-01"), first), Some(0));
        assert_eq!(month_of(at("2026-02-28") + 86_399, first), Some(1));
        assert_eq!(month_of(at("2026-12-31"), first), Some(11));
        assert_eq!(month_of(at("2025-12-31"), first), None);
    }
}
