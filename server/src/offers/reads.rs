//! What offer pages read: one offer, the editor's form, an organisation's offers. Drafts are
//! for the organisation's members only; everything else about an offer is public.

use super::{FIELD_COLUMNS, Offers, now};
use app::api::account::SignedIn;
use app::api::offer::{
    Housing, OfferCard, OfferEditor, OfferFields, OfferForm, OfferKind, OfferMode, OfferPlace, OfferService,
    OfferState, OfferStatus, OfferView, OnCall, OrganisationOffers, Pay, PayKind, Publisher, Secretariat, Semester,
    Specialty, offer_path,
};
use app::api::organisation::{OrganisationKind, OrganisationStatus, ServiceError};
use app::model::{Day, Finess, InseeCode, Zonage};
use sqlx::Row;
use sqlx::any::AnyRow;

/// A stored value that does not read back (a bug or a hand-edited row): logged, and the offer
/// is treated as unreadable rather than shown half.
fn corrupt(column: &str) -> sqlx::Error {
    sqlx::Error::Decode(format!("offre : valeur illisible dans la colonne {column}").into())
}

fn choice<T>(row: &AnyRow, index: usize, column: &str, parse: fn(&str) -> Option<T>) -> Result<T, sqlx::Error> {
    let code: String = row.try_get(index)?;
    parse(&code).ok_or_else(|| corrupt(column))
}

fn optional_day(row: &AnyRow, index: usize) -> Result<Option<Day>, sqlx::Error> {
    let raw: Option<String> = row.try_get(index)?;
    raw.map(|raw| Day::parse(&raw).map_err(|_| corrupt("date"))).transpose()
}

/// `OfferFields` from the row's columns `FIELD_COLUMNS`, starting at `at`, followed by
/// `expires_at` (for the end of publication).
fn fields(row: &AnyRow, at: usize) -> Result<OfferFields, sqlx::Error> {
    let i = |n: usize| at + n;
    let mode: Option<String> = row.try_get(i(1))?;
    let finess: Option<String> = row.try_get(i(6))?;
    let semester: Option<String> = row.try_get(i(14))?;
    let semester_year: Option<i64> = row.try_get(i(15))?;
    let expires_at: Option<i64> = row.try_get(i(FIELD_COLUMNS.len()))?;
    Ok(OfferFields {
        kind: choice(row, i(0), "kind", OfferKind::from_code)?,
        mode: mode.map(|m| OfferMode::from_code(&m).ok_or_else(|| corrupt("mode"))).transpose()?,
        title: row.try_get(i(2))?,
        description: row.try_get(i(3))?,
        specialty: choice(row, i(4), "specialty", Specialty::from_code)?,
        commune: InseeCode::parse(&row.try_get::<String, _>(i(5))?).map_err(|_| corrupt("commune_code"))?,
        finess: finess.map(|f| Finess::parse(&f).map_err(|_| corrupt("finess"))).transpose()?,
        start: optional_day(row, i(7))?,
        end: optional_day(row, i(8))?,
        days_per_week: row.try_get(i(9))?,
        patient_count: row.try_get(i(10))?,
        handover_plan: row.try_get(i(11))?,
        half_days_liberal: row.try_get(i(12))?,
        half_days_salaried: row.try_get(i(13))?,
        semester: match (semester, semester_year) {
            (Some(s), Some(y)) => Some((Semester::from_code(&s).ok_or_else(|| corrupt("semester"))?, y)),
            _ => None,
        },
        supervisors: row.try_get(i(16))?,
        faculty: row.try_get(i(17))?,
        transport: row.try_get(i(18))?,
        pay: Pay {
            kind: choice(row, i(19), "pay_kind", PayKind::from_code)?,
            min: row.try_get(i(20))?,
            max: row.try_get(i(21))?,
        },
        on_call: choice(row, i(22), "on_call", OnCall::from_code)?,
        secretariat: choice(row, i(23), "secretariat", Secretariat::from_code)?,
        software: row.try_get(i(24))?,
        housing: choice(row, i(25), "housing", Housing::from_code)?,
        practice_provided: row.try_get::<i64, _>(i(26))? == 1,
        equipment_provided: row.try_get::<i64, _>(i(27))? == 1,
        perks: row.try_get(i(28))?,
        team_size: row.try_get(i(29))?,
        // The last day of publication is the day before the end.
        publish_until: Day::of_unix(expires_at.unwrap_or_else(now) - 1),
    })
}

/// Columns of one offer with its place and publisher: the id, `FIELD_COLUMNS` from index 1,
/// then from n = 1 + FIELD_COLUMNS.len(): expires_at (n), status, published_at, updated_at,
/// example, organisation_id (n + 5), its name, kind, status, the commune's name (n + 9), slug,
/// département code and name, zoning (n + 13) and the structure's name (n + 14).
pub(super) fn offer_select() -> String {
    let columns: Vec<String> = FIELD_COLUMNS.iter().map(|c| format!("o.{c}")).collect();
    format!(
        "SELECT o.id, {}, o.expires_at, o.status, o.published_at, o.updated_at, o.example, o.organisation_id,
                g.name, g.kind, g.status, c.name, c.slug, c.departement_code, d.name, c.zonage, h.name
         FROM offers o
         JOIN organisations g ON g.id = o.organisation_id
         JOIN communes c ON c.code = o.commune_code
         JOIN departements d ON d.code = c.departement_code
         LEFT JOIN health_structures h ON h.finess = o.finess",
        columns.join(", ")
    )
}

/// An offer read with `offer_select`.
pub(super) fn view(row: &AnyRow, manageable: bool, public_url: &str) -> Result<OfferView, sqlx::Error> {
    let fields = fields(row, 1)?;
    let n = 1 + FIELD_COLUMNS.len();
    let id: i64 = row.try_get(0)?;
    let expires_at: Option<i64> = row.try_get(n)?;
    let status = choice(row, n + 1, "status", OfferStatus::from_code)?;
    let organisation_kind = choice(row, n + 7, "organisations.kind", OrganisationKind::from_code)?;
    let verified = row.try_get::<String, _>(n + 8)? == OrganisationStatus::Verified.code();
    let commune_name: String = row.try_get(n + 9)?;
    let commune_slug: String = row.try_get(n + 10)?;
    let zonage: Option<String> = row.try_get(n + 13)?;
    let place = OfferPlace {
        commune_code: fields.commune.to_string(),
        commune_path: format!("/communes/{}-{commune_slug}", fields.commune),
        commune_name,
        departement_code: row.try_get(n + 11)?,
        departement_name: row.try_get(n + 12)?,
        zonage: zonage.as_deref().and_then(Zonage::from_code),
        structure: row.try_get(n + 14)?,
    };
    let path = offer_path(id, &fields.title);
    Ok(OfferView {
        id,
        url: format!("{public_url}{path}"),
        path,
        place,
        publisher: Publisher {
            id: row.try_get(n + 5)?,
            name: row.try_get(n + 6)?,
            kind_label: organisation_kind.label().to_owned(),
            verified,
        },
        state: OfferState::of(status, expires_at, now()),
        published_at: row.try_get(n + 2)?,
        expires_at,
        updated_at: row.try_get(n + 3)?,
        example: row.try_get::<i64, _>(n + 4)? == 1,
        manageable,
        publishable: verified,
        fit: None,
        fields,
    })
}

/// The line of a list for an offer page's data.
pub(crate) fn card(view: &OfferView) -> OfferCard {
    OfferCard {
        id: view.id,
        path: view.path.clone(),
        title: view.fields.title.clone(),
        kind: view.fields.kind,
        mode: view.fields.mode,
        specialty: view.fields.specialty,
        commune_name: view.place.commune_name.clone(),
        departement_code: view.place.departement_code.clone(),
        zonage: view.place.zonage,
        publisher: view.publisher.name.clone(),
        start: view.fields.start,
        end: view.fields.end,
        pay: view.fields.pay,
        housing: view.fields.housing,
        state: view.state,
        example: view.example,
        published_at: view.published_at,
    }
}

fn failed(error: sqlx::Error) -> ServiceError {
    ServiceError(error.to_string())
}

impl Offers {
    async fn member(&self, organisation: i64, user: i64) -> Result<bool, sqlx::Error> {
        let found: Option<i64> =
            sqlx::query_scalar("SELECT organisation_id FROM memberships WHERE organisation_id = $1 AND user_id = $2")
                .bind(organisation)
                .bind(user)
                .fetch_optional(&self.db.pool)
                .await?;
        Ok(found.is_some())
    }

    /// One offer as `viewer` may see it.
    pub async fn read(&self, viewer: Option<i64>, id: i64) -> Result<Option<OfferView>, sqlx::Error> {
        let sql = format!("{} WHERE o.id = $1", offer_select());
        let Some(row) = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&self.db.pool).await? else {
            return Ok(None);
        };
        let organisation: i64 = row.try_get(1 + FIELD_COLUMNS.len() + 5)?;
        let manageable = match viewer {
            Some(user) => self.member(organisation, user).await?,
            None => false,
        };
        let mut offer = view(&row, manageable, &self.public_url)?;
        if offer.state == OfferState::Draft && !manageable {
            return Ok(None);
        }
        if let Some(user) = viewer {
            offer.fit = self.fit(user, id).await?;
        }
        Ok(Some(offer))
    }

    /// How offer `id` fits the wishes of `user`, if they said what they look for.
    async fn fit(&self, user: i64, id: i64) -> Result<Option<app::api::candidate::Match>, sqlx::Error> {
        let Some((wishes, place)) = crate::candidates::wishes_of(&self.db, user).await? else {
            return Ok(None);
        };
        let sql = format!(
            "SELECT {} FROM offers o JOIN organisations g ON g.id = o.organisation_id
             JOIN communes c ON c.code = o.commune_code JOIN departements d ON d.code = c.departement_code
             WHERE o.id = $1",
            crate::candidates::FACT_COLUMNS
        );
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_one(&self.db.pool).await?;
        Ok(crate::candidates::facts_from(&row, 0)?
            .map(|facts| app::api::candidate::score(&facts, &wishes, place.as_ref())))
    }

    /// The form for a new offer of `organisation`, or to edit `offer`, for a member.
    pub async fn read_editor(
        &self,
        user: i64,
        organisation: Option<i64>,
        offer: Option<i64>,
    ) -> Result<Option<OfferEditor>, sqlx::Error> {
        let (organisation, form, offer_id) = match offer {
            Some(id) => match self.read(Some(user), id).await? {
                Some(view) if view.manageable => (view.publisher.id, OfferForm::of(&view.fields), Some(id)),
                _ => return Ok(None),
            },
            None => {
                let Some(organisation) = organisation else { return Ok(None) };
                (organisation, OfferForm::default(), None)
            }
        };
        if !self.member(organisation, user).await? {
            return Ok(None);
        }
        let row = sqlx::query("SELECT name, status, commune_code FROM organisations WHERE id = $1")
            .bind(organisation)
            .fetch_one(&self.db.pool)
            .await?;
        let form = match offer_id {
            // An ended publication is not a date one may keep: empty, it means the default.
            Some(_) if Day::parse(&form.publish_until).is_ok_and(|d| d < Day::of_unix(now()).plus_days(1)) => {
                OfferForm { publish_until: String::new(), ..form }
            }
            Some(_) => form,
            // A new offer starts where the organisation is, for general practice.
            None => OfferForm {
                commune: row.try_get::<Option<String>, _>(2)?.unwrap_or_default(),
                specialty: Specialty::MedecineGenerale.code().to_owned(),
                ..form
            },
        };
        Ok(Some(OfferEditor {
            organisation_id: organisation,
            organisation_name: row.try_get(0)?,
            organisation_verified: row.try_get::<String, _>(1)? == OrganisationStatus::Verified.code(),
            offer_id,
            form,
        }))
    }

    /// An organisation's offers, newest first, for a member.
    pub async fn read_organisation_offers(
        &self,
        user: i64,
        organisation: i64,
    ) -> Result<Option<OrganisationOffers>, sqlx::Error> {
        if !self.member(organisation, user).await? {
            return Ok(None);
        }
        let verified: String = sqlx::query_scalar("SELECT status FROM organisations WHERE id = $1")
            .bind(organisation)
            .fetch_one(&self.db.pool)
            .await?;
        let sql = format!("{} WHERE o.organisation_id = $1 ORDER BY o.id DESC", offer_select());
        let offers = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(organisation)
            .fetch_all(&self.db.pool)
            .await?
            .iter()
            .map(|row| view(row, true, &self.public_url).map(|v| card(&v)))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Some(OrganisationOffers {
            organisation_id: organisation,
            verified: verified == OrganisationStatus::Verified.code(),
            offers,
        }))
    }
}

#[async_trait::async_trait]
impl OfferService for Offers {
    #[tracing::instrument(skip_all, fields(offer = id))]
    async fn offer(&self, viewer: Option<SignedIn>, id: i64) -> Result<Option<OfferView>, ServiceError> {
        self.read(viewer.map(|v| v.0), id).await.map_err(failed)
    }

    async fn board(
        &self,
        viewer: Option<SignedIn>,
        query: app::api::offer::BoardQuery,
    ) -> Result<app::api::offer::BoardPage, ServiceError> {
        self.read_board_for(viewer.map(|v| v.0), &query).await.map_err(|e| ServiceError(e.to_string()))
    }

    #[tracing::instrument(skip_all)]
    async fn editor(
        &self,
        user: SignedIn,
        organisation: Option<i64>,
        offer: Option<i64>,
    ) -> Result<Option<OfferEditor>, ServiceError> {
        self.read_editor(user.0, organisation, offer).await.map_err(failed)
    }

    #[tracing::instrument(skip_all, fields(organisation))]
    async fn organisation_offers(
        &self,
        user: SignedIn,
        organisation: i64,
    ) -> Result<Option<OrganisationOffers>, ServiceError> {
        self.read_organisation_offers(user.0, organisation).await.map_err(failed)
    }
}
