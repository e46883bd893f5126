//! Candidates' wishes (what they are looking for) and the ranking of opted-in candidates for
//! an organisation's offer. Matching itself is `app::api::candidate::score`, a pure function;
//! this module reads what it needs from the database.

use crate::db::Database;
use crate::offers::now;
use app::api::account::SignedIn;
use app::api::candidate::{
    CandidateService, OfferFacts, Place, RankedCandidate, Window, Wishes, WishesForm, WishesProblem, score,
};
use app::api::offer::{Housing, OfferKind, Specialty};
use app::api::organisation::ServiceError;
use app::model::{Day, DepartementCode, InseeCode, Zonage};
use sqlx::Row;
use sqlx::any::AnyRow;

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
}

const WISHES_COLUMNS: &str = "w.specialty, w.kinds, w.availability, w.departements, w.around_commune,
    w.radius_km, w.group_practice, w.salaried, w.mixed, w.part_time, w.needs_housing, w.needs_spouse_job,
    w.needs_childcare, w.visible, c.name, c.lat, c.lon";

/// Wishes and the place searched around, from `WISHES_COLUMNS` starting at `at`; None when a
/// stored value no longer reads (shown as "not filled in" rather than failing the page).
fn wishes_from(row: &AnyRow, at: usize) -> Result<Option<(Wishes, Option<Place>)>, sqlx::Error> {
    let i = |n: usize| at + n;
    let flag = |n: usize| -> Result<bool, sqlx::Error> { Ok(row.try_get::<i64, _>(i(n))? == 1) };
    let specialty: String = row.try_get(i(0))?;
    let kinds: String = row.try_get(i(1))?;
    let departements: String = row.try_get(i(3))?;
    let around: Option<String> = row.try_get(i(4))?;
    let Some(specialty) = Specialty::from_code(&specialty) else { return Ok(None) };
    let kinds: Vec<OfferKind> = kinds.split(',').filter_map(OfferKind::from_code).collect();
    let wishes = Wishes {
        specialty,
        kinds,
        availability: Window::read_stored(&row.try_get::<String, _>(i(2))?),
        departements: departements.split(',').filter_map(|d| DepartementCode::parse(d).ok()).collect(),
        around: around.as_deref().and_then(|a| InseeCode::parse(a).ok()),
        radius_km: row.try_get::<Option<i64>, _>(i(5))?.and_then(|km| u32::try_from(km).ok()),
        group_practice: flag(6)?,
        salaried: flag(7)?,
        mixed: flag(8)?,
        part_time: flag(9)?,
        needs_housing: flag(10)?,
        needs_spouse_job: flag(11)?,
        needs_childcare: flag(12)?,
        visible: flag(13)?,
    };
    let place = match row.try_get::<Option<String>, _>(i(14))? {
        Some(name) => Some(Place { name, lat: row.try_get(i(15))?, lon: row.try_get(i(16))? }),
        None => None,
    };
    Ok(Some((wishes, place)))
}

/// The wishes of `user` and the place they search around, if they said what they look for.
pub async fn wishes_of(db: &Database, user: i64) -> Result<Option<(Wishes, Option<Place>)>, sqlx::Error> {
    let sql = format!(
        "SELECT {WISHES_COLUMNS} FROM candidate_wishes w LEFT JOIN communes c ON c.code = w.around_commune
         WHERE w.user_id = $1"
    );
    match sqlx::query(sqlx::AssertSqlSafe(sql)).bind(user).fetch_optional(&db.pool).await? {
        Some(row) => wishes_from(&row, 0),
        None => Ok(None),
    }
}

/// What matching needs of an offer, from its stored codes (see `offers::board` and
/// `offers::reads`, which select these columns).
#[allow(clippy::too_many_arguments)]
pub fn facts(
    kind: &str,
    specialty: &str,
    start: Option<String>,
    end: Option<String>,
    housing: &str,
    place: (String, String, String, f64, f64, Option<String>),
    team: bool,
    days_per_week: Option<i64>,
) -> Option<OfferFacts> {
    let (commune_name, departement_code, departement_name, lat, lon, zonage) = place;
    let kind = OfferKind::from_code(kind)?;
    Some(OfferFacts {
        kind,
        specialty: Specialty::from_code(specialty)?,
        start: start.and_then(|d| Day::parse(&d).ok()),
        end: end.and_then(|d| Day::parse(&d).ok()),
        housing: Housing::from_code(housing)?,
        commune_name,
        departement_code,
        departement_name,
        lat,
        lon,
        zonage: zonage.as_deref().and_then(Zonage::from_code),
        team,
        part_time: kind == OfferKind::ExerciceMixte || days_per_week.is_some_and(|d| d < 5),
    })
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

/// The SQL columns of an offer that `facts` takes, in order, over `offers o`, `communes c`,
/// `departements d` and `organisations g`.
pub const FACT_COLUMNS: &str = "o.kind, o.specialty, o.start_date, o.end_date, o.housing, c.name, c.departement_code,
    d.name, c.lat, c.lon, c.zonage, g.kind, o.finess, o.days_per_week, o.team_size";

/// `facts` of a row holding `FACT_COLUMNS` from `at`.
pub fn facts_from(row: &AnyRow, at: usize) -> Result<Option<OfferFacts>, sqlx::Error> {
    let i = |n: usize| at + n;
    let finess: Option<String> = row.try_get(i(12))?;
    let organisation_kind: String = row.try_get(i(11))?;
    Ok(facts(
        &row.try_get::<String, _>(i(0))?,
        &row.try_get::<String, _>(i(1))?,
        row.try_get(i(2))?,
        row.try_get(i(3))?,
        &row.try_get::<String, _>(i(4))?,
        (
            row.try_get(i(5))?,
            row.try_get(i(6))?,
            row.try_get(i(7))?,
            row.try_get(i(8))?,
            row.try_get(i(9))?,
            row.try_get(i(10))?,
        ),
        in_team(&organisation_kind, finess.as_deref(), row.try_get(i(14))?),
        row.try_get(i(13))?,
    ))
}

impl Candidates {
    pub fn new(db: Database) -> Self {
        Self { db }
    }

    /// The wishes of `user`, if any.
    pub async fn get(&self, user: i64) -> Result<Option<Wishes>, sqlx::Error> {
        Ok(wishes_of(&self.db, user).await?.map(|(wishes, _)| wishes))
    }

    /// Checks the form against the rules and the reference data, and writes the wishes of `user`.
    #[tracing::instrument(skip_all, fields(user))]
    pub async fn save(&self, user: i64, form: &WishesForm) -> Result<Wishes, CandidateError> {
        let wishes = form.validate().map_err(CandidateError::Invalid)?;
        let mut tx = self.db.begin_write().await?;
        if let Some(code) = &wishes.around {
            let known: Option<String> = sqlx::query_scalar("SELECT code FROM communes WHERE code = $1")
                .bind(code.to_string())
                .fetch_optional(&mut *tx)
                .await?;
            if known.is_none() {
                return Err(CandidateError::Invalid(WishesProblem::Around));
            }
        }
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
        .bind(now())
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
        let Some(row) =
            sqlx::query(sqlx::AssertSqlSafe(sql)).bind(user).bind(offer).fetch_optional(&self.db.pool).await?
        else {
            return Ok(None);
        };
        let Some(facts) = facts_from(&row, 0)? else { return Ok(Some(Vec::new())) };
        let sql = format!(
            "SELECT u.display_name, u.email, p.status, p.specialty, p.thesis_defended, p.internship_year, {WISHES_COLUMNS}
             FROM candidate_wishes w
             JOIN users u ON u.id = w.user_id
             LEFT JOIN people p ON p.user_id = w.user_id
             LEFT JOIN communes c ON c.code = w.around_commune
             WHERE w.visible = 1 AND w.user_id <> $1"
        );
        let mut ranked = Vec::new();
        for row in sqlx::query(sqlx::AssertSqlSafe(sql)).bind(user).fetch_all(&self.db.pool).await? {
            let Some((wishes, place)) = wishes_from(&row, 6)? else { continue };
            let profile = match row.try_get::<Option<String>, _>(2)? {
                Some(status) => {
                    let label = app::api::profile::Status::from_code(&status).map(|s| s.label()).unwrap_or("Candidat");
                    let specialty: Option<String> = row.try_get(3)?;
                    Some(match specialty {
                        Some(specialty) => format!("{label}, {specialty}"),
                        None => label.to_owned(),
                    })
                }
                None => None,
            };
            ranked.push(RankedCandidate {
                name: row.try_get(0)?,
                email: row.try_get(1)?,
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
    async fn wishes(&self, user: SignedIn) -> Result<Option<Wishes>, ServiceError> {
        self.get(user.0).await.map_err(|error| ServiceError(error.to_string()))
    }

    async fn for_offer(&self, user: SignedIn, offer: i64) -> Result<Option<Vec<RankedCandidate>>, ServiceError> {
        Candidates::for_offer(self, user.0, offer).await.map_err(|error| ServiceError(error.to_string()))
    }
}
