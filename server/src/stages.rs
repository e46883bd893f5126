//! Stage sites: a verified health structure or practice declares the places where interns do a
//! semester; members of the organisation withdraw them. The public reads them on their page
//! and on their commune's page.

pub mod records;

use crate::clock::Clock;
use crate::db::Database;
use crate::organisations::{is_member, standing};
use crate::promotion::markdown;
use crate::territory::queries::FormCommune;
use app::domain::ServiceError;
use app::domain::accounts::SignedIn;
use app::domain::offers::offer_path;
use app::domain::stages::{
    InternsPage, OrganisationStageSites, SEARCH_LIMIT, SiteFilter, StageOfferLink, StageProblem, StageSiteForm,
    StageSiteRow, StageSiteView,
};
use records::StageSiteRecord;

#[derive(Debug, thiserror::Error)]
pub enum StageError {
    #[error("{}", .0.message())]
    Invalid(StageProblem),
    #[error("le service est momentanément indisponible, réessayez dans un instant")]
    Database(#[from] sqlx::Error),
}

impl From<StageProblem> for StageError {
    fn from(problem: StageProblem) -> Self {
        Self::Invalid(problem)
    }
}

/// The stage sites service.
#[derive(Debug, Clone)]
pub struct Stages {
    db: Database,
    /// What "now" is (the system's time, or a test's).
    clock: Clock,
}

impl Stages {
    pub fn new(db: Database) -> Self {
        Self { db, clock: Clock::system() }
    }

    /// The same service reading `clock` (a test's, which moves).
    pub fn with_clock(self, clock: Clock) -> Self {
        Self { clock, ..self }
    }

    /// Declares a stage site of `organisation` (members of a verified structure or practice);
    /// its id.
    #[tracing::instrument(skip_all, fields(user, organisation))]
    pub async fn declare(&self, user: i64, organisation: i64, form: &StageSiteForm) -> Result<i64, StageError> {
        // The commune as a person names it, kept by its code; never a guess among several.
        let form = &match crate::territory::queries::form_commune(&self.db, &form.commune).await? {
            FormCommune::One(code) => StageSiteForm { commune: code, ..form.clone() },
            FormCommune::Several | FormCommune::Unknown => StageSiteForm { commune: String::new(), ..form.clone() },
        };
        let site = form.validate()?;
        let mut tx = self.db.begin_write().await?;
        let Some(standing) = standing(&mut tx, organisation, user).await? else {
            return Err(StageProblem::NotFound.into());
        };
        if !standing.may_declare_stage_sites() {
            return Err(StageProblem::NotAllowed.into());
        }
        let at = self.clock.now();
        let join = |codes: Vec<&str>| codes.join(",");
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO stage_sites (organisation_id, name, commune_code, specialty, faculty, levels, capacity,
                supervisors, activities, description, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id",
        )
        .bind(organisation)
        .bind(site.name)
        .bind(site.commune.as_str().to_owned())
        .bind(site.specialty.code())
        .bind(site.faculty.code())
        .bind(join(site.levels.iter().map(|l| l.code()).collect()))
        .bind(site.capacity)
        .bind(site.supervisors.join("\n"))
        .bind(join(site.activities.iter().map(|a| a.code()).collect()))
        .bind(site.description)
        .bind(at)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        tracing::info!(site = id, "stage site declared");
        Ok(id)
    }

    /// Withdraws a site (members of its organisation): it leaves every public list; its page
    /// stays for the members.
    #[tracing::instrument(skip_all, fields(user, site))]
    pub async fn withdraw(&self, user: i64, site: i64) -> Result<(), StageError> {
        let mut tx = self.db.begin_write().await?;
        let organisation: Option<i64> =
            sqlx::query_scalar("SELECT organisation_id FROM stage_sites WHERE id = $1 AND withdrawn_at IS NULL")
                .bind(site)
                .fetch_optional(&mut *tx)
                .await?;
        let Some(organisation) = organisation else { return Err(StageProblem::NotFound.into()) };
        if !is_member(&mut tx, organisation, user).await? {
            return Err(StageProblem::NotFound.into());
        }
        let at = self.clock.now();
        sqlx::query("UPDATE stage_sites SET withdrawn_at = $1, updated_at = $1 WHERE id = $2")
            .bind(at)
            .bind(site)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn read_site(&self, viewer: Option<i64>, id: i64) -> Result<Option<StageSiteView>, sqlx::Error> {
        let mut conn = self.db.pool.acquire().await?;
        let Some(record) = records::one(&mut conn, id).await? else { return Ok(None) };
        let manager = match viewer {
            Some(user) => is_member(&mut conn, record.organisation_id, user).await?,
            None => false,
        };
        if record.withdrawn_at.is_some() && !manager {
            return Ok(None);
        }
        let offers = records::offers_of(&mut conn, id, self.clock.now()).await?;
        Ok(Some(view(&record, manager, offers)))
    }

    async fn read_organisation_sites(
        &self,
        user: i64,
        organisation: i64,
    ) -> Result<Option<OrganisationStageSites>, sqlx::Error> {
        let mut conn = self.db.pool.acquire().await?;
        let Some(standing) = standing(&mut conn, organisation, user).await? else { return Ok(None) };
        let sites = records::of_organisation(&mut conn, organisation).await?;
        Ok(Some(OrganisationStageSites {
            organisation_id: organisation,
            organisation_name: standing.name.clone(),
            may_declare: standing.may_declare_stage_sites(),
            sites: sites.iter().map(StageSiteRecord::row).collect(),
        }))
    }
}

fn view(record: &StageSiteRecord, manager: bool, offers: Vec<records::SiteOffer>) -> StageSiteView {
    StageSiteView {
        row: record.row(),
        commune_code: record.commune_code.clone(),
        organisation_id: record.organisation_id,
        description_html: markdown::render(&record.description),
        supervisors: record.supervisors(),
        activities: record.activities.0.clone(),
        offers: offers.into_iter().map(link).collect(),
        manager,
    }
}

fn link(offer: records::SiteOffer) -> StageOfferLink {
    StageOfferLink {
        path: offer_path(offer.id, &offer.title),
        title: offer.title,
        commune: offer.commune,
        example: offer.example.0,
    }
}

/// Whether every word of `q` starts a word of what the site says of itself (the region holds a
/// few hundred sites at most: read them all, match here, the same on both databases).
fn matches(site: &StageSiteRecord, q: &str) -> bool {
    let levels: Vec<&str> = site.levels.0.iter().map(|l| l.short()).collect();
    let text = app::model::search_form(&format!(
        "{} {} {} {} {} {}",
        site.name,
        site.organisation,
        site.commune,
        site.specialty.0.label(),
        site.faculty.0.short(),
        levels.join(" ")
    ));
    let words: Vec<&str> = text.split(' ').collect();
    let wanted = app::model::search_form(q);
    !wanted.is_empty() && wanted.split(' ').all(|w| words.iter().any(|word| word.starts_with(w)))
}

/// Stage offers on the interns' page.
const LATEST_OFFERS: i64 = 10;

fn failed(error: sqlx::Error) -> ServiceError {
    ServiceError(error.to_string())
}

#[async_trait::async_trait]
impl app::domain::stages::StageService for Stages {
    async fn site(&self, viewer: Option<SignedIn>, id: i64) -> Result<Option<StageSiteView>, ServiceError> {
        self.read_site(viewer.map(|v| v.0), id).await.map_err(failed)
    }

    async fn interns(&self, filter: SiteFilter) -> Result<InternsPage, ServiceError> {
        let mut conn = self.db.pool.acquire().await.map_err(failed)?;
        let sites = records::open(&mut conn, records::Filter::of(filter, None), i64::MAX, 0).await.map_err(failed)?;
        let offers = records::latest_stage_offers(&mut conn, self.clock.now(), LATEST_OFFERS).await.map_err(failed)?;
        let today = self.clock.today();
        let housing = crate::housing::records::open(&mut conn, today, None, i64::MAX, 0).await.map_err(failed)?;
        Ok(InternsPage {
            filter,
            sites: sites.iter().map(StageSiteRecord::row).collect(),
            offers: offers.into_iter().map(link).collect(),
            housing: housing.iter().map(|h| h.row(today)).collect(),
        })
    }

    async fn search(&self, q: &str) -> Result<Vec<StageSiteRow>, ServiceError> {
        let mut conn = self.db.pool.acquire().await.map_err(failed)?;
        let sites = records::open(&mut conn, records::Filter::default(), i64::MAX, 0).await.map_err(failed)?;
        Ok(sites.iter().filter(|s| matches(s, q)).take(SEARCH_LIMIT).map(StageSiteRecord::row).collect())
    }

    async fn in_commune(&self, code: &str) -> Result<Vec<StageSiteRow>, ServiceError> {
        let mut conn = self.db.pool.acquire().await.map_err(failed)?;
        let records = records::in_commune(&mut conn, code).await.map_err(failed)?;
        Ok(records.iter().map(StageSiteRecord::row).collect())
    }

    async fn organisation_sites(
        &self,
        user: SignedIn,
        organisation: i64,
    ) -> Result<Option<OrganisationStageSites>, ServiceError> {
        self.read_organisation_sites(user.0, organisation).await.map_err(failed)
    }
}

/// Withdraws every open site of `closing`'s organisation.
pub(crate) async fn withdraw_all(
    conn: &mut sqlx::AnyConnection,
    closing: &crate::organisations::closure::Closing<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE stage_sites SET withdrawn_at = $1, updated_at = $1 WHERE organisation_id = $2 AND withdrawn_at IS NULL",
    )
    .bind(closing.at)
    .bind(closing.organisation)
    .execute(conn)
    .await?;
    Ok(())
}
