//! The board: open offers (published, not past their end) matching the filters, newest first,
//! or nearest first around a commune. The database filters on everything but the exact
//! distance, which is measured here on the few rows inside the bounding box.

use super::reads::{card, offer_select, view};
use super::{Offers, now};
use app::api::offer::{BoardEntry, BoardPage, BoardQuery, PER_PAGE};
use app::model::distance_km;
use sqlx::Row;

/// A value to bind, in the order of the placeholders.
enum Bind {
    Text(String),
    Int(i64),
    Real(f64),
}

/// An offer on the board: its id, distance from the commune searched around, fit.
type Found = (i64, Option<f64>, Option<app::api::candidate::Match>);

/// Km per degree of latitude; a degree of longitude is this times cos(latitude).
const KM_PER_DEGREE: f64 = 111.2;

impl Offers {
    /// The ids of every open offer matching `query`, newest first (for alerts).
    pub async fn matching_ids(&self, query: &BoardQuery) -> Result<Vec<i64>, sqlx::Error> {
        Ok(self.find(query, None).await?.0.into_iter().map(|(id, _, _)| id).collect())
    }

    /// One page of the board, as an anonymous visitor sees it.
    pub async fn read_board(&self, query: &BoardQuery) -> Result<BoardPage, sqlx::Error> {
        self.read_board_for(None, query).await
    }

    /// Every open offer matching `query`, newest first (nearest first around a commune, best
    /// fit first when asked and `wishes` are known); with the name of the commune searched
    /// around and the notes on what the filters left out.
    async fn find(
        &self,
        query: &BoardQuery,
        wishes: Option<&(app::api::candidate::Wishes, Option<app::api::candidate::Place>)>,
    ) -> Result<(Vec<Found>, Option<String>, Vec<String>), sqlx::Error> {
        let pool = &self.db.pool;
        let mut notes = Vec::new();
        let mut center = None;
        let mut around_name = None;
        if let Some(code) = &query.around {
            let row = sqlx::query("SELECT name, lat, lon FROM communes WHERE code = $1")
                .bind(code.to_string())
                .fetch_optional(pool)
                .await?;
            match row {
                Some(row) => {
                    around_name = Some(row.try_get::<String, _>(0)?);
                    center = Some((row.try_get::<f64, _>(1)?, row.try_get::<f64, _>(2)?));
                }
                None => notes.push(format!(
                    "Aucune commune du portail n'a le code INSEE « {code} » : le filtre de distance est ignoré."
                )),
            }
        }

        let mut conditions = vec!["o.status = 'publiee'".to_owned(), "o.expires_at > $1".to_owned()];
        let mut binds = vec![Bind::Int(now())];
        let mut add = |condition: &str, values: Vec<Bind>| {
            let mut condition = condition.to_owned();
            for value in values {
                binds.push(value);
                condition = condition.replacen('?', &format!("${}", binds.len()), 1);
            }
            conditions.push(condition);
        };
        if let Some(kind) = query.kind {
            add("o.kind = ?", vec![Bind::Text(kind.code().to_owned())]);
        }
        if let Some(specialty) = query.specialty {
            add("o.specialty = ?", vec![Bind::Text(specialty.code().to_owned())]);
        }
        if let Some(departement) = &query.departement {
            add("c.departement_code = ?", vec![Bind::Text(departement.as_str().to_owned())]);
        }
        if let Some(zonage) = query.zonage {
            add("c.zonage = ?", vec![Bind::Text(zonage.code().to_owned())]);
        }
        if query.housing {
            add("o.housing IN ('oui', 'aide')", vec![]);
        }
        // Dates meet the period: an offer without an end goes on, one without a start is open now.
        if let Some(from) = query.from {
            add("(o.end_date IS NULL OR o.end_date >= ?)", vec![Bind::Text(from.to_string())]);
        }
        if let Some(to) = query.to {
            add("(o.start_date IS NULL OR o.start_date <= ?)", vec![Bind::Text(to.to_string())]);
        }
        let radius = f64::from(query.radius());
        if let Some((lat, lon)) = center {
            let dlat = radius / KM_PER_DEGREE;
            let dlon = radius / (KM_PER_DEGREE * lat.to_radians().cos().max(0.1));
            add(
                "c.lat BETWEEN ? AND ? AND c.lon BETWEEN ? AND ?",
                vec![Bind::Real(lat - dlat), Bind::Real(lat + dlat), Bind::Real(lon - dlon), Bind::Real(lon + dlon)],
            );
        }
        let sql = format!(
            "SELECT o.id, c.lat, c.lon, {} FROM offers o JOIN communes c ON c.code = o.commune_code
                 JOIN organisations g ON g.id = o.organisation_id JOIN departements d ON d.code = c.departement_code
             WHERE {} ORDER BY o.published_at DESC, o.id DESC",
            crate::candidates::FACT_COLUMNS,
            conditions.join(" AND ")
        );
        let mut select = sqlx::query(sqlx::AssertSqlSafe(sql));
        for value in binds {
            select = match value {
                Bind::Text(text) => select.bind(text),
                Bind::Int(n) => select.bind(n),
                Bind::Real(x) => select.bind(x),
            };
        }
        let mut matches: Vec<Found> = Vec::new();
        for row in select.fetch_all(pool).await? {
            let id: i64 = row.try_get(0)?;
            let distance = match center {
                Some((lat, lon)) => {
                    let km = distance_km(lat, lon, row.try_get(1)?, row.try_get(2)?);
                    if km > radius {
                        continue;
                    }
                    Some(km)
                }
                None => None,
            };
            let fit = match wishes {
                Some((wishes, place)) => crate::candidates::facts_from(&row, 3)?
                    .map(|facts| app::api::candidate::score(&facts, wishes, place.as_ref())),
                None => None,
            };
            matches.push((id, distance, fit));
        }
        // The sorts are stable: newest first among equals.
        if query.by_fit && wishes.is_some() {
            matches.sort_by_key(|m| std::cmp::Reverse(m.2.as_ref().map_or(0, |fit| fit.score)));
        } else if center.is_some() {
            matches.sort_by(|a, b| a.1.partial_cmp(&b.1).unwrap_or(std::cmp::Ordering::Equal));
        }
        Ok((matches, around_name, notes))
    }

    /// One page of the board for `viewer`: with how each offer fits their wishes when they
    /// said what they look for, best fit first if the query asks.
    #[tracing::instrument(skip_all)]
    pub async fn read_board_for(&self, viewer: Option<i64>, query: &BoardQuery) -> Result<BoardPage, sqlx::Error> {
        let pool = &self.db.pool;
        let wishes = match viewer {
            Some(user) => crate::candidates::wishes_of(&self.db, user).await?,
            None => None,
        };
        let (matches, around_name, mut notes) = self.find(query, wishes.as_ref()).await?;
        if query.by_fit && wishes.is_none() {
            notes.push(
                "Pour trier les offres selon ce qui vous correspond, dites ce que vous recherchez (Mon compte → Ce que je recherche)."
                    .to_owned(),
            );
        }
        let total = matches.len();
        let pages = total.div_ceil(PER_PAGE).max(1);
        let page = query.page.clamp(1, pages);
        let shown = &matches[(page - 1) * PER_PAGE..(page * PER_PAGE).min(total)];
        let entries = self.cards(shown).await?;
        let departements = sqlx::query("SELECT code, name FROM departements ORDER BY code")
            .fetch_all(pool)
            .await?
            .iter()
            .map(|row| Ok((row.try_get(0)?, row.try_get(1)?)))
            .collect::<Result<_, sqlx::Error>>()?;
        Ok(BoardPage {
            entries,
            total,
            page,
            pages,
            around_name,
            notes,
            departements,
            site_url: self.public_url.clone(),
        })
    }

    /// The cards of `shown`, in its order.
    async fn cards(&self, shown: &[Found]) -> Result<Vec<BoardEntry>, sqlx::Error> {
        if shown.is_empty() {
            return Ok(Vec::new());
        }
        let placeholders: Vec<String> = (1..=shown.len()).map(|i| format!("${i}")).collect();
        let sql = format!("{} WHERE o.id IN ({})", offer_select(), placeholders.join(", "));
        let mut select = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (id, _, _) in shown {
            select = select.bind(*id);
        }
        let mut cards: Vec<_> = select
            .fetch_all(&self.db.pool)
            .await?
            .iter()
            .map(|row| view(row, false, &self.public_url).map(|v| card(&v)))
            .collect::<Result<_, _>>()?;
        Ok(shown
            .iter()
            .filter_map(|(id, distance, fit)| {
                let at = cards.iter().position(|c| c.id == *id)?;
                Some(BoardEntry { card: cards.swap_remove(at), distance_km: *distance, fit: fit.clone() })
            })
            .collect())
    }
}
