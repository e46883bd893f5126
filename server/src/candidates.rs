//! Candidates' wishes (what they are looking for) and the ranking of opted-in candidates for
//! an organisation's offer. Matching itself is `app::domain::candidates::score`, a pure function;
//! this module reads what it needs from the database.

use crate::clock::Clock;
use crate::db::Database;
use crate::db::rows::{Code, CodeList, Flag, table, typed};
use app::domain::ServiceError;
use app::domain::accounts::SignedIn;
use app::domain::candidates::{
    CandidateService, OfferFacts, Place, RankedCandidate, Window, Wishes, WishesForm, WishesProblem, score,
};
use app::domain::offers::{Housing, OfferKind, Specialty};
use app::model::{Around, Day, DepartementCode, InseeCode, Zonage};

#[derive(Debug, thiserror::Error)]
pub enum CandidateError {
    #[error("{}", .0.message())]
    Invalid(WishesProblem),
    #[error("le service est momentanément indisponible, réessayez dans un instant")]
    Database(#[from] sqlx::Error),
}

/// The candidates service.
#[derive(Debug, Clone)]
pub struct Candidates {
    db: Database,
    /// What "now" is (the system's time, or a test's).
    clock: Clock,
}

const WISHES_COLUMNS: &str = "w.specialty, w.kinds, w.availability, w.departements, w.around_commune,
    w.radius_km, w.group_practice, w.salaried, w.mixed, w.part_time, w.needs_housing, w.needs_spouse_job,
    w.needs_childcare, w.visible, c.name AS around_name, c.lat AS around_lat, c.lon AS around_lon";

/// A candidate's wishes as `WISHES_COLUMNS` reads them, with the commune searched around.
#[derive(sqlx::FromRow)]
struct WishesRow {
    specialty: Code<Specialty>,
    kinds: CodeList<OfferKind>,
    /// Periods as `Window::read_stored` reads them.
    availability: String,
    departements: CodeList<DepartementCode>,
    around_commune: Option<Code<InseeCode>>,
    radius_km: Option<i64>,
    group_practice: Flag,
    salaried: Flag,
    mixed: Flag,
    part_time: Flag,
    needs_housing: Flag,
    needs_spouse_job: Flag,
    needs_childcare: Flag,
    visible: Flag,
    around_name: Option<String>,
    around_lat: Option<f64>,
    around_lon: Option<f64>,
}

table!(WishesRow, "candidate_wishes");

impl WishesRow {
    /// The wishes, and the place searched around.
    fn wishes(self) -> Result<(Wishes, Option<Place>), sqlx::Error> {
        let radius_km = self
            .radius_km
            .map(|km| u32::try_from(km).map_err(|_| out_of_range("candidate_wishes.radius_km", km)))
            .transpose()?;
        let wishes = Wishes {
            specialty: self.specialty.0,
            kinds: self.kinds.0,
            availability: Window::read_stored(&self.availability).map_err(|piece| sqlx::Error::ColumnDecode {
                index: "candidate_wishes.availability".to_owned(),
                source: format!("période inconnue « {piece} »").into(),
            })?,
            departements: self.departements.0,
            around: self.around_commune.map(|c| Around::Code(c.0)),
            radius_km,
            group_practice: self.group_practice.0,
            salaried: self.salaried.0,
            mixed: self.mixed.0,
            part_time: self.part_time.0,
            needs_housing: self.needs_housing.0,
            needs_spouse_job: self.needs_spouse_job.0,
            needs_childcare: self.needs_childcare.0,
            visible: self.visible.0,
        };
        let place = match (self.around_name, self.around_lat, self.around_lon) {
            (Some(name), Some(lat), Some(lon)) => Some(Place { name, lat, lon }),
            _ => None,
        };
        Ok((wishes, place))
    }
}

fn out_of_range(column: &str, value: i64) -> sqlx::Error {
    sqlx::Error::ColumnDecode { index: column.to_owned(), source: format!("valeur hors limites : {value}").into() }
}

/// The wishes of `user` and the place they search around, if they said what they look for.
pub async fn wishes_of(db: &Database, user: i64) -> Result<Option<(Wishes, Option<Place>)>, sqlx::Error> {
    let sql = format!(
        "SELECT {WISHES_COLUMNS} FROM candidate_wishes w LEFT JOIN communes c ON c.code = w.around_commune
         WHERE w.user_id = $1"
    );
    let row =
        sqlx::query(sqlx::AssertSqlSafe(sql)).bind(user).try_map(typed::<WishesRow>).fetch_optional(&db.pool).await?;
    row.map(WishesRow::wishes).transpose()
}

/// Whether an offer is practised in a team, from facts rather than its words: the structure
/// (a FINESS number is a maison de santé, a centre or an établissement; an organisation of
/// one of those kinds or a group practice), or the offer's own count of doctors, the post
/// included (`team_size`, 2 or more).
pub fn in_team(organisation_kind: &str, finess: Option<&str>, team_size: Option<i64>) -> bool {
    finess.is_some()
        || matches!(organisation_kind, "msp" | "centre_sante" | "hopital" | "cabinet_groupe")
        || team_size.is_some_and(|n| n >= 2)
}

/// The SQL columns of an offer that a `FactsRow` reads, over `offers o`, `communes c`,
/// `departements d` and `organisations g`.
pub const FACT_COLUMNS: &str = "o.kind, o.specialty, o.start_date, o.end_date, o.housing, c.name AS commune_name,
    c.departement_code, d.name AS departement_name, c.lat, c.lon, c.zonage, g.kind AS organisation_kind, o.finess,
    o.days_per_week, o.team_size";

/// What matching needs of an offer (`FACT_COLUMNS`).
#[derive(sqlx::FromRow)]
pub struct FactsRow {
    kind: Code<OfferKind>,
    specialty: Code<Specialty>,
    start_date: Option<Code<Day>>,
    end_date: Option<Code<Day>>,
    housing: Code<Housing>,
    commune_name: String,
    departement_code: String,
    departement_name: String,
    lat: f64,
    lon: f64,
    zonage: Option<Code<Zonage>>,
    organisation_kind: String,
    finess: Option<String>,
    days_per_week: Option<i64>,
    team_size: Option<i64>,
}

table!(FactsRow, "offers");

impl FactsRow {
    pub fn facts(self) -> OfferFacts {
        let kind = self.kind.0;
        OfferFacts {
            kind,
            specialty: self.specialty.0,
            start: self.start_date.map(|d| d.0),
            end: self.end_date.map(|d| d.0),
            housing: self.housing.0,
            team: in_team(&self.organisation_kind, self.finess.as_deref(), self.team_size),
            commune_name: self.commune_name,
            departement_code: self.departement_code,
            departement_name: self.departement_name,
            lat: self.lat,
            lon: self.lon,
            zonage: self.zonage.map(|z| z.0),
            part_time: kind == OfferKind::ExerciceMixte || self.days_per_week.is_some_and(|d| d < 5),
        }
    }
}

/// An opted-in candidate with their profile and wishes.
#[derive(sqlx::FromRow)]
struct CandidateRow {
    display_name: String,
    email: String,
    status: Option<Code<app::domain::profiles::Status>>,
    specialty_label: Option<String>,
    #[sqlx(flatten)]
    wishes: WishesRow,
}

table!(CandidateRow, "candidate_wishes");

impl Candidates {
    pub fn new(db: Database) -> Self {
        Self { db, clock: Clock::system() }
    }

    /// The same service reading `clock` (a test's, which moves).
    pub fn with_clock(self, clock: Clock) -> Self {
        Self { clock, ..self }
    }

    /// The wishes of `user`, if any.
    pub async fn get(&self, user: i64) -> Result<Option<Wishes>, sqlx::Error> {
        Ok(wishes_of(&self.db, user).await?.map(|(wishes, _)| wishes))
    }

    /// Checks the form against the rules and the reference data, and writes the wishes of `user`.
    #[tracing::instrument(skip_all, fields(user))]
    pub async fn save(&self, user: i64, form: &WishesForm) -> Result<Wishes, CandidateError> {
        let mut wishes = form.validate().map_err(CandidateError::Invalid)?;
        // The commune as the person named it, found in the reference data and kept by its code.
        let around = match &wishes.around {
            Some(Around::Named(place)) => Some(crate::territory::queries::commune_named(&self.db, place).await?),
            Some(Around::Code(code)) => Some(crate::territory::queries::commune_coded(&self.db, code).await?),
            None => None,
        };
        wishes.around = match around {
            Some(Some(commune)) => Some(Around::Code(
                InseeCode::parse(&commune.code).map_err(|_| CandidateError::Invalid(WishesProblem::Around))?,
            )),
            Some(None) => return Err(CandidateError::Invalid(WishesProblem::Around)),
            None => None,
        };
        let mut tx = self.db.begin_write().await?;
        for departement in &wishes.departements {
            let known: Option<String> = sqlx::query_scalar("SELECT code FROM departements WHERE code = $1")
                .bind(departement.as_str().to_owned())
                .fetch_optional(&mut *tx)
                .await?;
            if known.is_none() {
                return Err(CandidateError::Invalid(WishesProblem::Departements));
            }
        }
        let flag = |b: bool| i64::from(b);
        sqlx::query(
            "INSERT INTO candidate_wishes (user_id, specialty, kinds, availability, departements,
                 around_commune, radius_km, group_practice, salaried, mixed, part_time, needs_housing, needs_spouse_job,
                 needs_childcare, visible, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
             ON CONFLICT (user_id) DO UPDATE SET specialty = excluded.specialty, kinds = excluded.kinds,
                 availability = excluded.availability,
                 departements = excluded.departements, around_commune = excluded.around_commune,
                 radius_km = excluded.radius_km, group_practice = excluded.group_practice, salaried = excluded.salaried,
                 mixed = excluded.mixed, part_time = excluded.part_time, needs_housing = excluded.needs_housing,
                 needs_spouse_job = excluded.needs_spouse_job, needs_childcare = excluded.needs_childcare,
                 visible = excluded.visible, updated_at = excluded.updated_at",
        )
        .bind(user)
        .bind(wishes.specialty.code())
        .bind(wishes.kinds_codes())
        .bind(wishes.availability_stored())
        .bind(wishes.departements.iter().map(|d| d.as_str()).collect::<Vec<_>>().join(","))
        .bind(wishes.around.as_ref().map(ToString::to_string))
        .bind(wishes.radius_km.map(i64::from))
        .bind(flag(wishes.group_practice))
        .bind(flag(wishes.salaried))
        .bind(flag(wishes.mixed))
        .bind(flag(wishes.part_time))
        .bind(flag(wishes.needs_housing))
        .bind(flag(wishes.needs_spouse_job))
        .bind(flag(wishes.needs_childcare))
        .bind(flag(wishes.visible))
        .bind(self.clock.now())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(wishes)
    }

    /// The opted-in candidates ranked for `offer`, best first, for a member of its
    /// organisation once moderation has verified it; None for anybody else (or no such offer).
    #[tracing::instrument(skip_all, fields(user, offer))]
    pub async fn for_offer(&self, user: i64, offer: i64) -> Result<Option<Vec<RankedCandidate>>, sqlx::Error> {
        let sql = format!(
            "SELECT {FACT_COLUMNS} FROM offers o
             JOIN organisations g ON g.id = o.organisation_id
             JOIN communes c ON c.code = o.commune_code
             JOIN departements d ON d.code = c.departement_code
             JOIN memberships m ON m.organisation_id = g.id AND m.user_id = $1
             WHERE o.id = $2 AND g.status = 'verifiee'"
        );
        let Some(row) = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(user)
            .bind(offer)
            .try_map(typed::<FactsRow>)
            .fetch_optional(&self.db.pool)
            .await?
        else {
            return Ok(None);
        };
        let facts = row.facts();
        let sql = format!(
            "SELECT u.display_name, u.email, p.status, p.specialty AS specialty_label, {WISHES_COLUMNS}
             FROM candidate_wishes w
             JOIN users u ON u.id = w.user_id
             LEFT JOIN people p ON p.user_id = w.user_id
             LEFT JOIN communes c ON c.code = w.around_commune
             WHERE w.visible = 1 AND w.user_id <> $1"
        );
        let mut ranked = Vec::new();
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(user)
            .try_map(typed::<CandidateRow>)
            .fetch_all(&self.db.pool)
            .await?;
        for row in rows {
            let (wishes, place) = row.wishes.wishes()?;
            let profile = row.status.map(|status| {
                let label = status.0.label();
                match row.specialty_label {
                    Some(specialty) => format!("{label}, {specialty}"),
                    None => label.to_owned(),
                }
            });
            ranked.push(RankedCandidate {
                name: row.display_name,
                email: row.email,
                profile,
                fit: score(&facts, &wishes, place.as_ref()),
            });
        }
        // Best first; the sort is stable, so equal scores keep the database's order.
        ranked.sort_by_key(|c| std::cmp::Reverse(c.fit.score));
        ranked.truncate(100);
        Ok(Some(ranked))
    }
}

#[async_trait::async_trait]
impl CandidateService for Candidates {
    async fn wishes_form(&self, user: SignedIn) -> Result<Option<WishesForm>, ServiceError> {
        let failed = |error: sqlx::Error| ServiceError(error.to_string());
        let Some(wishes) = self.get(user.0).await.map_err(failed)? else { return Ok(None) };
        let mut form = wishes.to_form();
        if let Some(Around::Code(code)) = &wishes.around {
            let commune = crate::territory::queries::commune_coded(&self.db, code).await.map_err(failed)?;
            form.autour = commune.map(|commune| commune.label).unwrap_or_default();
        }
        Ok(Some(form))
    }

    async fn for_offer(&self, user: SignedIn, offer: i64) -> Result<Option<Vec<RankedCandidate>>, ServiceError> {
        Candidates::for_offer(self, user.0, offer).await.map_err(|error| ServiceError(error.to_string()))
    }
}
