//! Where the guichet unique is: the territories whose verified collectivité's published page
//! names a referent who is still one of its members (the public list), and, for a territory
//! without one, the nearest above it — a commune's intercommunalité, then its département; an
//! intercommunalité's département. The SQL of those reads.

use super::Promotions;
use crate::db::Backend;
use crate::db::rows::{Code, Flag, table, typed};
use app::domain::promotion::{DepartementGuichets, Guichet, GuichetLevel, GuichetsPage, ReferentView};
use app::domain::territory::{TerritoryRef, paths as territory_paths};
use std::collections::HashMap;

/// The referent and their role as the published revision names them. The revision is JSON
/// text, read in SQL so that the referent joins the memberships in the same query (rather
/// than reading every page's whole content to keep a few ids); each engine says it in its own
/// words: SQLite's JSON functions, PostgreSQL's cast to `json`.
fn referent_fields(backend: Backend) -> (&'static str, &'static str) {
    match backend {
        Backend::Sqlite => ("json_extract(r.content, '$.referent_id')", "json_extract(r.content, '$.referent_role')"),
        Backend::Postgres => {
            ("CAST(CAST(r.content AS json) ->> 'referent_id' AS BIGINT)", "CAST(r.content AS json) ->> 'referent_role'")
        }
    }
}

/// The guichets whose collectivité matches `filter` (a condition on `o`, the organisation),
/// in `order`. A territory is named after the reference data; its département is the
/// commune's, the département itself, or, for an intercommunalité, the one where most of its
/// communes' inhabitants live (a few straddle two).
fn select(backend: Backend, filter: &str, order: &str) -> String {
    let (referent, role) = referent_fields(backend);
    format!(
        "SELECT o.id, o.name, o.kind, o.example, u.display_name AS referent, {role} AS role,
                COALESCE(c.code, e.siren, d.code) AS code, COALESCE(c.name, e.name, d.name) AS territory,
                COALESCE(c.slug, e.slug, d.slug) AS slug,
                g.code AS d_code, g.name AS d_name, g.slug AS d_slug,
                CASE o.kind WHEN 'commune' THEN 0 WHEN 'epci' THEN 1 ELSE 2 END AS level
         FROM organisations o
         JOIN territory_pages p ON p.organisation_id = o.id
         JOIN territory_revisions r ON r.id = p.published_revision_id
         JOIN memberships m ON m.organisation_id = o.id AND m.user_id = {referent}
         JOIN users u ON u.id = m.user_id
         LEFT JOIN communes c ON o.kind = 'commune' AND c.code = o.commune_code
         LEFT JOIN epcis e ON o.kind = 'epci' AND e.siren = o.epci_siren
         LEFT JOIN departements d ON o.kind = 'departement' AND d.code = o.departement_code
         JOIN departements g ON g.code = COALESCE(c.departement_code, d.code,
             (SELECT x.departement_code FROM communes x WHERE x.epci_siren = e.siren
              GROUP BY x.departement_code ORDER BY SUM(x.population) DESC, x.departement_code LIMIT 1))
         WHERE o.status = 'verifiee' AND o.kind IN ('commune', 'epci', 'departement') AND ({filter})
         ORDER BY {order}"
    )
}

/// One guichet (`d_`: its département).
#[derive(sqlx::FromRow)]
struct GuichetRow {
    id: i64,
    name: String,
    kind: Code<GuichetLevel>,
    example: Flag,
    referent: String,
    role: Option<String>,
    code: String,
    territory: String,
    slug: String,
    d_code: String,
    d_name: String,
    d_slug: String,
}

table!(GuichetRow, "territory_pages");

impl GuichetRow {
    fn guichet(self) -> Guichet {
        let level = self.kind.0;
        let path = match level {
            GuichetLevel::Commune => territory_paths::commune(&self.code, &self.slug),
            GuichetLevel::Epci => territory_paths::epci(&self.code, &self.slug),
            GuichetLevel::Departement => territory_paths::departement(&self.code, &self.slug),
        };
        Guichet {
            organisation_id: self.id,
            organisation_name: self.name,
            level,
            territory: TerritoryRef { name: self.territory, path },
            departement: TerritoryRef {
                path: territory_paths::departement(&self.d_code, &self.d_slug),
                name: self.d_name,
            },
            referent: ReferentView { name: self.referent, role: self.role.unwrap_or_default() },
            example: self.example.0,
        }
    }
}

impl Promotions {
    /// The nearest territory above the territory `kind`/`code` that has a referent: for a
    /// commune its intercommunalité's, then its département's; for an intercommunalité its
    /// département's (any of them, for one that straddles two); none above a département. Of
    /// two at the same level, the page published last.
    pub async fn guichet_above(&self, kind: &str, code: &str) -> Result<Option<Guichet>, sqlx::Error> {
        let filter = match kind {
            "commune" => {
                "(o.kind = 'epci' AND o.epci_siren = (SELECT epci_siren FROM communes WHERE code = $1))
                 OR (o.kind = 'departement' AND o.departement_code = (SELECT departement_code FROM communes WHERE code = $1))"
            }
            "epci" => {
                "o.kind = 'departement' AND o.departement_code IN (SELECT departement_code FROM communes WHERE epci_siren = $1)"
            }
            _ => return Ok(None),
        };
        let sql = select(self.db.backend, filter, "level, p.published_at DESC, o.id LIMIT 1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(code.to_owned())
            .try_map(typed::<GuichetRow>)
            .fetch_optional(&self.db.pool)
            .await?;
        Ok(row.map(GuichetRow::guichet))
    }

    /// Every territory that has a referent, by département, then level (communes first), then
    /// name.
    pub async fn guichets(&self) -> Result<Vec<Guichet>, sqlx::Error> {
        let sql = select(self.db.backend, "1 = 1", "d_code, level, territory, o.id");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).try_map(typed::<GuichetRow>).fetch_all(&self.db.pool).await?;
        Ok(rows.into_iter().map(GuichetRow::guichet).collect())
    }

    /// How many territories have a referent.
    pub async fn guichets_count(&self) -> Result<i64, sqlx::Error> {
        let sql =
            format!("SELECT CAST(COUNT(*) AS BIGINT) FROM ({}) AS listed", select(self.db.backend, "1 = 1", "o.id"));
        sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).fetch_one(&self.db.pool).await
    }

    /// The public list: every département of the reference data, each with its territories
    /// that have a referent (none, for some).
    pub async fn guichets_page(&self) -> Result<GuichetsPage, sqlx::Error> {
        let mut by_departement: HashMap<String, Vec<Guichet>> = HashMap::new();
        for guichet in self.guichets().await? {
            by_departement.entry(guichet.departement.path.clone()).or_default().push(guichet);
        }
        let departements = crate::territory::records::departements(&self.db, None)
            .await?
            .into_iter()
            .map(|d| {
                let path = territory_paths::departement(&d.code, &d.slug);
                let guichets = by_departement.remove(&path).unwrap_or_default();
                DepartementGuichets { departement: TerritoryRef { name: d.name, path }, guichets }
            })
            .collect();
        Ok(GuichetsPage { departements })
    }
}
