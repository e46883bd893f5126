//! Territory pages read from the reference data: the server's implementation of
//! `app::domain::territory::TerritoryService`.

mod figures;
mod outcomes;
pub mod queries;
pub mod records;
pub mod stations;
mod summary;

use crate::clock::Clock;
use crate::db::Database;
use crate::search::{Collection, SearchEngine, SearchQuery};
use app::domain::ServiceError;
use app::domain::territory::*;
use app::model::{DepartementCode, InseeCode, Siren};
pub use figures::{ensure as ensure_figures, refresh as refresh_figures};
use summary::Scope;

/// Reads territories and their figures from the database; finds communes by name with the
/// search engine.
#[derive(Debug, Clone)]
pub struct Territories {
    db: Database,
    /// What "now" is (the system's time, or a test's).
    clock: Clock,
    search: SearchEngine,
}

impl Territories {
    pub fn new(db: Database, search: SearchEngine) -> Self {
        Self { db, clock: Clock::system(), search }
    }

    /// The same service reading `clock` (a test's, which moves).
    pub fn with_clock(self, clock: Clock) -> Self {
        Self { clock, ..self }
    }
}

fn failed(error: sqlx::Error) -> ServiceError {
    ServiceError(format!("database: {error}"))
}

#[async_trait::async_trait]
impl TerritoryService for Territories {
    #[tracing::instrument(skip_all)]
    async fn home(&self) -> Result<HomePage, ServiceError> {
        let region = queries::main_region(&self.db).await.map_err(failed)?;
        let summary = figures::summary(&self.db, &Scope::Region(region.0.clone())).await.map_err(failed)?;
        let departements = queries::departement_rows(&self.db, &region.0).await.map_err(failed)?;
        Ok(HomePage { region: region.1, summary, departements })
    }

    #[tracing::instrument(skip_all, fields(code))]
    async fn region(&self, code: &str) -> Result<Option<RegionPage>, ServiceError> {
        let Some((name, slug)) = queries::region(&self.db, code).await.map_err(failed)? else {
            return Ok(None);
        };
        let summary = figures::summary(&self.db, &Scope::Region(code.to_owned())).await.map_err(failed)?;
        let departements = queries::departement_rows(&self.db, code).await.map_err(failed)?;
        Ok(Some(RegionPage { code: code.to_owned(), name, path: paths::region(code, &slug), summary, departements }))
    }

    #[tracing::instrument(skip_all, fields(%code))]
    async fn departement(&self, code: &DepartementCode) -> Result<Option<DepartementPage>, ServiceError> {
        let Some(queries::Departement { name, slug, region }) =
            queries::departement(&self.db, code.as_str()).await.map_err(failed)?
        else {
            return Ok(None);
        };
        let scope = Scope::Departement(code.to_string());
        let summary = figures::summary(&self.db, &scope).await.map_err(failed)?;
        let epcis = queries::epcis_of_departement(&self.db, code.as_str()).await.map_err(failed)?;
        let communes = queries::commune_rows(&self.db, &scope).await.map_err(failed)?;
        Ok(Some(DepartementPage {
            code: code.to_string(),
            path: paths::departement(code.as_str(), &slug),
            name,
            region,
            summary,
            epcis,
            communes,
        }))
    }

    #[tracing::instrument(skip_all, fields(%siren))]
    async fn epci(&self, siren: &Siren) -> Result<Option<EpciPage>, ServiceError> {
        let Some(epci) = queries::epci(&self.db, siren.as_str()).await.map_err(failed)? else {
            return Ok(None);
        };
        let scope = Scope::Epci(siren.to_string());
        let summary = figures::summary(&self.db, &scope).await.map_err(failed)?;
        let communes = queries::commune_rows(&self.db, &scope).await.map_err(failed)?;
        let departements = queries::departements_of_epci(&self.db, siren.as_str()).await.map_err(failed)?;
        let region = queries::main_region(&self.db).await.map_err(failed)?.1;
        let structures = queries::structures_in(&self.db, &scope).await.map_err(failed)?;
        Ok(Some(EpciPage {
            siren: siren.to_string(),
            path: paths::epci(siren.as_str(), &epci.slug),
            name: epci.name,
            kind: epci.kind.0.label().to_owned(),
            population_totale: epci.population_totale,
            communes_total: epci.communes_total,
            region,
            departements,
            summary,
            communes,
            structures,
        }))
    }

    #[tracing::instrument(skip_all, fields(%code))]
    async fn commune(&self, code: &InseeCode) -> Result<Option<CommunePage>, ServiceError> {
        let Some(mut page) = queries::commune(&self.db, code.as_str()).await.map_err(failed)? else {
            return Ok(None);
        };
        page.apl = queries::apl_of(&self.db, code.as_str()).await.map_err(failed)?;
        page.structures_here =
            queries::structures_in(&self.db, &Scope::Commune(code.to_string())).await.map_err(failed)?;
        page.structures_nearby =
            queries::structures_near(&self.db, code.as_str(), page.lat, page.lon, NEARBY_KM).await.map_err(failed)?;
        let (dep_code, region_code): (String, String) = sqlx::query_as(
            "SELECT c.departement_code, d.region_code FROM communes c JOIN departements d ON d.code = c.departement_code
             WHERE c.code = $1",
        )
        .bind(code.as_str().to_owned())
        .fetch_one(&self.db.pool)
        .await
        .map_err(failed)?;
        let around = [
            (page.departement.name.clone(), Scope::Departement(dep_code)),
            (page.region.name.clone(), Scope::Region(region_code)),
        ];
        for (name, scope) in around {
            let years = figures::apl(&self.db, &scope).await.map_err(failed)?;
            page.apl_around.push(AplAverage { name, years });
        }
        page.stations = stations::nearest(&self.db, page.lat, page.lon).await.map_err(failed)?;
        Ok(Some(page))
    }

    #[tracing::instrument(skip_all)]
    async fn search_communes(&self, query: &str, limit: usize) -> Result<Vec<CommuneHit>, ServiceError> {
        if crate::search::text::query_words(query).is_empty() {
            return Ok(Vec::new());
        }
        // As the user types: the last word may be the start of a name or of a postal code.
        let question =
            SearchQuery { text: query.to_owned(), prefix: true, per_page: limit, page: 1, ..SearchQuery::default() };
        let found = self
            .search
            .search(Collection::Communes, &question)
            .await
            .map_err(|error| ServiceError(format!("search: {error}")))?;
        let codes: Vec<String> = found.hits.into_iter().map(|hit| hit.id).collect();
        queries::commune_hits(&self.db, &codes).await.map_err(failed)
    }

    async fn outcomes(&self, kind: &str, code: &str) -> Result<Option<OutcomesPage>, ServiceError> {
        outcomes::outcomes(&self.db, kind, code, self.clock.now()).await.map_err(failed)
    }
}

impl Territories {
    /// The address of every territory page: region, départements, EPCI, communes.
    pub async fn all_paths(&self) -> Result<Vec<String>, sqlx::Error> {
        queries::all_paths(&self.db).await
    }
}
