//! Housing for interns: a verified collectivité, structure or practice publishes accommodation
//! (the commune and an area, never the exact address); members of the organisation withdraw
//! it. The public reads it on its page, near stage sites and stage offers, and on the interns'
//! page; the contact is shown to signed-in people only.

pub mod records;

use crate::clock::Clock;
use crate::db::Database;
use crate::organisations::{is_member, standing};
use crate::promotion::markdown;
use crate::territory::queries::FormCommune;
use app::domain::ServiceError;
use app::domain::accounts::SignedIn;
use app::domain::housing::{
    HousingForm, HousingNear, HousingProblem, HousingView, NearHousing, OrganisationHousing, Radius,
};
use app::model::distance_km;

#[derive(Debug, thiserror::Error)]
pub enum HousingError {
    #[error("{}", .0.message())]
    Invalid(HousingProblem),
    #[error("le service est momentanément indisponible, réessayez dans un instant")]
    Database(#[from] sqlx::Error),
}

impl From<HousingProblem> for HousingError {
    fn from(problem: HousingProblem) -> Self {
        Self::Invalid(problem)
    }
}

/// The housing service.
#[derive(Debug, Clone)]
pub struct Housing {
    db: Database,
    /// What "now" is (the system's time, or a test's).
    clock: Clock,
}

impl Housing {
    pub fn new(db: Database) -> Self {
        Self { db, clock: Clock::system() }
    }

    /// The same service reading `clock` (a test's, which moves).
    pub fn with_clock(self, clock: Clock) -> Self {
        Self { clock, ..self }
    }

    /// Publishes a housing of `organisation` (members of a verified collectivité, structure or
    /// practice); its id.
    #[tracing::instrument(skip_all, fields(user, organisation))]
    pub async fn publish(&self, user: i64, organisation: i64, form: &HousingForm) -> Result<i64, HousingError> {
        // The commune as a person names it, kept by its code; never a guess among several.
        let form = &match crate::territory::queries::form_commune(&self.db, &form.commune).await? {
            FormCommune::One(code) => HousingForm { commune: code, ..form.clone() },
            FormCommune::Several | FormCommune::Unknown => HousingForm { commune: String::new(), ..form.clone() },
        };
        let housing = form.validate(self.clock.today())?;
        let mut tx = self.db.begin_write().await?;
        let Some(standing) = standing(&mut tx, organisation, user).await? else {
            return Err(HousingProblem::NotFound.into());
        };
        if !standing.may_publish_housing() {
            return Err(HousingProblem::NotAllowed.into());
        }
        let at = self.clock.now();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO intern_housing (organisation_id, title, commune_code, area, kind, rent, furnished,
                available_from, available_until, places, contact, details, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id",
        )
        .bind(organisation)
        .bind(housing.title)
        .bind(housing.commune.as_str().to_owned())
        .bind(housing.area)
        .bind(housing.kind.code())
        .bind(housing.rent)
        .bind(i64::from(housing.furnished))
        .bind(housing.from.to_string())
        .bind(housing.until.map(|d| d.to_string()))
        .bind(housing.places)
        .bind(housing.contact)
        .bind(housing.details)
        .bind(at)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        tracing::info!(housing = id, "intern housing published");
        Ok(id)
    }

    /// Withdraws a housing (members of its organisation): it leaves every public list; its
    /// page stays for the members.
    #[tracing::instrument(skip_all, fields(user, housing))]
    pub async fn withdraw(&self, user: i64, housing: i64) -> Result<(), HousingError> {
        let mut tx = self.db.begin_write().await?;
        let organisation: Option<i64> =
            sqlx::query_scalar("SELECT organisation_id FROM intern_housing WHERE id = $1 AND withdrawn_at IS NULL")
                .bind(housing)
                .fetch_optional(&mut *tx)
                .await?;
        let Some(organisation) = organisation else { return Err(HousingProblem::NotFound.into()) };
        if !is_member(&mut tx, organisation, user).await? {
            return Err(HousingProblem::NotFound.into());
        }
        let at = self.clock.now();
        sqlx::query("UPDATE intern_housing SET withdrawn_at = $1, updated_at = $1 WHERE id = $2")
            .bind(at)
            .bind(housing)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Marks the housing found past its end today: the board's housing filter stops counting
    /// it for the stage offers around (the clock's pass, every few minutes); how many.
    pub async fn lapse_ended(&self) -> Result<u64, sqlx::Error> {
        let mut tx = self.db.begin_write().await?;
        let lapsed = records::lapse_ended(&mut tx, self.clock.today(), self.clock.now()).await?;
        tx.commit().await?;
        Ok(lapsed)
    }

    async fn read_housing(&self, viewer: Option<i64>, id: i64) -> Result<Option<HousingView>, sqlx::Error> {
        let mut conn = self.db.pool.acquire().await?;
        let Some(record) = records::one(&mut conn, id).await? else { return Ok(None) };
        let manager = match viewer {
            Some(user) => is_member(&mut conn, record.organisation_id, user).await?,
            None => false,
        };
        let today = self.clock.today();
        if record.closed(today) && !manager {
            return Ok(None);
        }
        let details_html = if record.details.is_empty() { String::new() } else { markdown::render(&record.details) };
        Ok(Some(HousingView {
            row: record.row(today),
            organisation_id: record.organisation_id,
            contact: viewer.is_some().then(|| record.contact.clone()),
            details_html,
            manager,
        }))
    }

    /// The open housing within `radius` of the commune `code`, the nearest first (then by
    /// title): every open housing is read, the region holds a few hundred at most.
    pub async fn read_near(&self, code: &str, radius: Radius) -> Result<HousingNear, sqlx::Error> {
        let Some(centre) = crate::territory::records::commune(&self.db, code).await? else {
            return Ok(HousingNear { radius, items: Vec::new() });
        };
        let today = self.clock.today();
        let mut conn = self.db.pool.acquire().await?;
        let all = records::open(&mut conn, today, None, i64::MAX, 0).await?;
        let mut items: Vec<NearHousing> = all
            .iter()
            .map(|h| (h, distance_km(centre.lat, centre.lon, h.lat, h.lon)))
            .filter(|(_, km)| *km <= f64::from(radius.km()))
            .map(|(h, km)| NearHousing { row: h.row(today), km: km.round() as i64 })
            .collect();
        items.sort_by(|a, b| a.km.cmp(&b.km).then_with(|| a.row.title.cmp(&b.row.title)));
        Ok(HousingNear { radius, items })
    }

    async fn read_organisation_housing(
        &self,
        user: i64,
        organisation: i64,
    ) -> Result<Option<OrganisationHousing>, sqlx::Error> {
        let mut conn = self.db.pool.acquire().await?;
        let Some(standing) = standing(&mut conn, organisation, user).await? else { return Ok(None) };
        let housing = records::of_organisation(&mut conn, organisation).await?;
        let today = self.clock.today();
        Ok(Some(OrganisationHousing {
            organisation_id: organisation,
            organisation_name: standing.name.clone(),
            may_publish: standing.may_publish_housing(),
            housing: housing.iter().map(|h| h.row(today)).collect(),
        }))
    }
}

fn failed(error: sqlx::Error) -> ServiceError {
    ServiceError(error.to_string())
}

#[async_trait::async_trait]
impl app::domain::housing::HousingService for Housing {
    async fn housing(&self, viewer: Option<SignedIn>, id: i64) -> Result<Option<HousingView>, ServiceError> {
        self.read_housing(viewer.map(|v| v.0), id).await.map_err(failed)
    }

    async fn near(&self, code: &str, radius: Radius) -> Result<HousingNear, ServiceError> {
        self.read_near(code, radius).await.map_err(failed)
    }

    async fn organisation_housing(
        &self,
        user: SignedIn,
        organisation: i64,
    ) -> Result<Option<OrganisationHousing>, ServiceError> {
        self.read_organisation_housing(user.0, organisation).await.map_err(failed)
    }
}

/// Withdraws every open housing of `closing`'s organisation.
pub(crate) async fn withdraw_all(
    conn: &mut sqlx::AnyConnection,
    closing: &crate::organisations::closure::Closing<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE intern_housing SET withdrawn_at = $1, updated_at = $1 WHERE organisation_id = $2 AND withdrawn_at IS NULL")
        .bind(closing.at)
        .bind(closing.organisation)
        .execute(conn)
        .await?;
    Ok(())
}
