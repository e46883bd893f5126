//! What offer pages read: one offer, the editor's form, an organisation's offers. Drafts are
//! for the organisation's members only; everything else about an offer is public. Every read
//! of one offer by its id — its page, the open API, the « Postuler » section — asks `visible`
//! first, so that a draft is, to anyone who may not see it, what an unknown id is.

use super::{FIELD_COLUMNS, Offers};
use crate::db::rows::{Code, Flag, table, typed};
use app::domain::ServiceError;
use app::domain::accounts::SignedIn;
use app::domain::offers::{
    Housing, OfferCard, OfferEditor, OfferFields, OfferForm, OfferKind, OfferMode, OfferPlace, OfferService,
    OfferState, OfferStatus, OfferView, OnCall, OrganisationOffers, Pay, PayKind, Publisher, Secretariat, Semester,
    Specialty, offer_path,
};
use app::domain::organisations::{OrganisationKind, OrganisationStatus};
use app::model::{Day, Finess, InseeCode, Zonage};

/// What anyone may know of an offer they may see: whose it is and whether it is open.
#[derive(Debug, sqlx::FromRow)]
pub struct Visible {
    pub organisation_id: i64,
    pub status: Code<OfferStatus>,
    pub expires_at: Option<i64>,
    /// The viewer is a member of its organisation.
    pub member: Flag,
}

table!(Visible, "offers");

impl Visible {
    /// Published and not past its end at `now`.
    pub fn open(&self, now: i64) -> bool {
        self.status.0 == OfferStatus::Publiee && self.expires_at.is_some_and(|end| end > now)
    }
}

/// Offer `id` as `viewer` may know it: None when there is no such offer, or it is a draft and
/// the viewer is not a member of its organisation — the same answer, so that drafts cannot be
/// told from ids never used.
pub async fn visible(db: &crate::db::Database, viewer: Option<i64>, id: i64) -> Result<Option<Visible>, sqlx::Error> {
    let found = sqlx::query(
        "SELECT o.organisation_id, o.status, o.expires_at,
                CASE WHEN EXISTS (SELECT 1 FROM memberships m WHERE m.organisation_id = o.organisation_id
                                  AND m.user_id = $2) THEN 1 ELSE 0 END AS member
         FROM offers o WHERE o.id = $1",
    )
    .bind(id)
    .bind(viewer.unwrap_or(0))
    .try_map(typed::<Visible>)
    .fetch_optional(&db.pool)
    .await?;
    Ok(found.filter(|offer| offer.status.0 != OfferStatus::Brouillon || offer.member.0))
}

/// An offer's pay as stored (`pay_kind`, `pay_min`, `pay_max`), read only when its figures go
/// with its basis: a figure « à discuter », or none for a salary, is an error, not a pay.
#[derive(Debug)]
pub(super) struct StoredPay(Pay);

impl<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> for StoredPay {
    fn from_row(row: &'r sqlx::any::AnyRow) -> Result<Self, sqlx::Error> {
        use sqlx::Row;
        let kind: Code<PayKind> = row.try_get("pay_kind")?;
        let (min, max): (Option<i64>, Option<i64>) = (row.try_get("pay_min")?, row.try_get("pay_max")?);
        Pay::new(kind.0, min, max).map(StoredPay).ok_or_else(|| sqlx::Error::ColumnDecode {
            index: "pay_min".to_owned(),
            source: format!("rémunération « {} » et montants {min:?} à {max:?} incompatibles", kind.0.code()).into(),
        })
    }
}

/// The columns `FIELD_COLUMNS` of one offer, as stored.
#[derive(Debug, sqlx::FromRow)]
pub(super) struct FieldsRow {
    kind: Code<OfferKind>,
    mode: Option<Code<OfferMode>>,
    title: String,
    description: String,
    specialty: Code<Specialty>,
    commune_code: Code<InseeCode>,
    finess: Option<Code<Finess>>,
    start_date: Option<Code<Day>>,
    end_date: Option<Code<Day>>,
    days_per_week: Option<i64>,
    patient_count: Option<i64>,
    handover_plan: Option<String>,
    half_days_liberal: Option<i64>,
    half_days_salaried: Option<i64>,
    semester: Option<Code<Semester>>,
    semester_year: Option<i64>,
    supervisors: Option<String>,
    faculty: Option<String>,
    transport: Option<String>,
    #[sqlx(flatten)]
    pay: StoredPay,
    on_call: Code<OnCall>,
    secretariat: Code<Secretariat>,
    software: String,
    housing: Code<Housing>,
    practice_provided: Flag,
    equipment_provided: Flag,
    perks: Option<String>,
    team_size: Option<i64>,
    stage_site_id: Option<i64>,
}

impl FieldsRow {
    /// The offer's fields; `expires_at` gives the last day of publication (`now` for a draft).
    fn fields(self, expires_at: Option<i64>, now: i64) -> OfferFields {
        OfferFields {
            kind: self.kind.0,
            mode: self.mode.map(|m| m.0),
            title: self.title,
            description: self.description,
            specialty: self.specialty.0,
            commune: self.commune_code.0,
            finess: self.finess.map(|f| f.0),
            start: self.start_date.map(|d| d.0),
            end: self.end_date.map(|d| d.0),
            days_per_week: self.days_per_week,
            patient_count: self.patient_count,
            handover_plan: self.handover_plan,
            half_days_liberal: self.half_days_liberal,
            half_days_salaried: self.half_days_salaried,
            semester: self.semester.zip(self.semester_year).map(|(s, y)| (s.0, y)),
            supervisors: self.supervisors,
            faculty: self.faculty,
            stage_site: self.stage_site_id,
            transport: self.transport,
            pay: self.pay.0,
            on_call: self.on_call.0,
            secretariat: self.secretariat.0,
            software: self.software,
            housing: self.housing.0,
            practice_provided: self.practice_provided.0,
            equipment_provided: self.equipment_provided.0,
            perks: self.perks,
            team_size: self.team_size,
            // The last day of publication is the day before the end.
            publish_until: Day::of_unix(expires_at.unwrap_or(now) - 1),
        }
    }
}

/// One offer with its place and publisher, as `offer_select` reads it.
#[derive(Debug, sqlx::FromRow)]
pub(super) struct OfferRow {
    id: i64,
    #[sqlx(flatten)]
    fields: FieldsRow,
    expires_at: Option<i64>,
    status: Code<OfferStatus>,
    published_at: Option<i64>,
    updated_at: i64,
    example: Flag,
    organisation_id: i64,
    organisation_name: String,
    organisation_kind: Code<OrganisationKind>,
    organisation_status: Code<OrganisationStatus>,
    commune_name: String,
    commune_slug: String,
    /// Separated by ';', the main one first.
    commune_postal_codes: String,
    departement_code: String,
    departement_name: String,
    region_name: String,
    zonage: Option<Code<Zonage>>,
    structure_name: Option<String>,
    /// The stage site's name, while it is open.
    stage_site_name: Option<String>,
}

table!(OfferRow, "offers");

/// The query of one offer with its place and publisher, read as an `OfferRow`; a `WHERE`
/// clause follows.
pub(super) fn offer_select() -> String {
    let columns: Vec<String> = FIELD_COLUMNS.iter().map(|c| format!("o.{c}")).collect();
    format!(
        "SELECT o.id, {}, o.expires_at, o.status, o.published_at, o.updated_at, o.example, o.organisation_id,
                g.name AS organisation_name, g.kind AS organisation_kind, g.status AS organisation_status,
                c.name AS commune_name, c.slug AS commune_slug, c.postal_codes AS commune_postal_codes,
                c.departement_code, d.name AS departement_name, r.name AS region_name,
                c.zonage, h.name AS structure_name, s.name AS stage_site_name
         FROM offers o
         JOIN organisations g ON g.id = o.organisation_id
         JOIN communes c ON c.code = o.commune_code
         JOIN departements d ON d.code = c.departement_code
         JOIN regions r ON r.code = d.region_code
         LEFT JOIN health_structures h ON h.finess = o.finess
         LEFT JOIN stage_sites s ON s.id = o.stage_site_id AND s.withdrawn_at IS NULL",
        columns.join(", ")
    )
}

/// The offers `offer_select` + `clause` finds, with `bind` binding its parameters.
pub(super) async fn select_offers(
    db: &crate::db::Database,
    clause: &str,
    bind: impl FnOnce(super::Query<'_>) -> super::Query<'_>,
) -> Result<Vec<OfferRow>, sqlx::Error> {
    let sql = format!("{} {clause}", offer_select());
    let query = bind(sqlx::query(sqlx::AssertSqlSafe(sql)));
    query.try_map(typed::<OfferRow>).fetch_all(&db.pool).await
}

/// The pages of the offers open at `now` (example ones left out), for the sitemap.
pub async fn listed_paths(db: &crate::db::Database, now: i64) -> Result<Vec<String>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Listed {
        id: i64,
        title: String,
    }
    table!(Listed, "offers");
    let listed = sqlx::query(concat!(
        "SELECT id, title FROM offers WHERE ",
        super::open_offer!("offers", "$1"),
        " AND example = 0 ORDER BY id",
    ))
    .bind(now)
    .try_map(typed::<Listed>)
    .fetch_all(&db.pool)
    .await?;
    Ok(listed.into_iter().map(|o| offer_path(o.id, &o.title)).collect())
}

/// The offers of `ids` (in no particular order; an id not found is left out).
pub(super) async fn offers_by_id(db: &crate::db::Database, ids: &[i64]) -> Result<Vec<OfferRow>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
    let clause = format!("WHERE o.id IN ({})", placeholders.join(", "));
    select_offers(db, &clause, |query| ids.iter().fold(query, |query, id| query.bind(*id))).await
}

impl OfferRow {
    /// The offer's page, for a visitor who may manage it or not.
    pub(super) fn view(self, manageable: bool, public_url: &str, now: i64) -> OfferView {
        let fields = self.fields.fields(self.expires_at, now);
        let verified = self.organisation_status.0 == OrganisationStatus::Verified;
        let commune_code = fields.commune.to_string();
        let place = OfferPlace {
            commune_path: app::domain::territory::paths::commune(&commune_code, &self.commune_slug),
            commune_code,
            commune_name: self.commune_name,
            postal_code: self.commune_postal_codes.split(';').next().unwrap_or_default().to_owned(),
            departement_code: self.departement_code,
            departement_name: self.departement_name,
            region_name: self.region_name,
            zonage: self.zonage.map(|z| z.0),
            structure: self.structure_name,
            stage_site: fields.stage_site.zip(self.stage_site_name).map(|(id, name)| app::domain::offers::SiteLink {
                name,
                path: app::domain::stages::paths::SITE.of(id),
            }),
        };
        let path = offer_path(self.id, &fields.title);
        OfferView {
            id: self.id,
            url: format!("{public_url}{path}"),
            path,
            place,
            publisher: Publisher {
                id: self.organisation_id,
                name: self.organisation_name,
                kind_label: self.organisation_kind.0.label().to_owned(),
                verified,
            },
            state: OfferState::of(self.status.0, self.expires_at, now),
            published_at: self.published_at,
            expires_at: self.expires_at,
            updated_at: self.updated_at,
            example: self.example.0,
            manageable,
            publishable: verified,
            fit: None,
            stations: None,
            fields,
        }
    }
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
        let Some(visible) = visible(&self.db, viewer, id).await? else { return Ok(None) };
        let Some(row) = select_offers(&self.db, "WHERE o.id = $1", |q| q.bind(id)).await?.pop() else {
            return Ok(None);
        };
        let mut offer = row.view(visible.member.0, &self.public_url, self.clock.now());
        offer.stations = crate::territory::stations::near_commune(&self.db, &offer.place.commune_code).await?;
        if let Some(user) = viewer {
            offer.fit = self.fit(user, id).await?;
        }
        Ok(Some(offer))
    }

    /// How offer `id` fits the wishes of `user`, if they said what they look for.
    async fn fit(&self, user: i64, id: i64) -> Result<Option<app::domain::candidates::Match>, sqlx::Error> {
        let Some((wishes, place)) = crate::candidates::wishes_of(&self.db, user).await? else {
            return Ok(None);
        };
        let sql = format!(
            "SELECT {} FROM offers o JOIN organisations g ON g.id = o.organisation_id
             JOIN communes c ON c.code = o.commune_code JOIN departements d ON d.code = c.departement_code
             WHERE o.id = $1",
            crate::candidates::FACT_COLUMNS
        );
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .try_map(typed::<crate::candidates::FactsRow>)
            .fetch_one(&self.db.pool)
            .await?;
        Ok(Some(app::domain::candidates::score(&row.facts(), &wishes, place.as_ref())))
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
        #[derive(sqlx::FromRow)]
        struct OrganisationRow {
            name: String,
            status: Code<OrganisationStatus>,
            commune_code: Option<String>,
        }
        table!(OrganisationRow, "organisations");
        let row = sqlx::query("SELECT name, status, commune_code FROM organisations WHERE id = $1")
            .bind(organisation)
            .try_map(typed::<OrganisationRow>)
            .fetch_one(&self.db.pool)
            .await?;
        let form = match offer_id {
            // An ended publication is not a date one may keep: empty, it means the default.
            Some(_) if Day::parse(&form.publish_until).is_ok_and(|d| d < self.clock.today().plus_days(1)) => {
                OfferForm { publish_until: String::new(), ..form }
            }
            Some(_) => form,
            // A new offer starts where the organisation is, for general practice.
            None => OfferForm {
                commune: row.commune_code.unwrap_or_default(),
                specialty: Specialty::MedecineGenerale.code().to_owned(),
                ..form
            },
        };
        // The commune named as people name it: a code typed back would read as a postal code.
        let commune = match InseeCode::parse(&form.commune) {
            Ok(code) => crate::territory::queries::commune_coded(&self.db, &code).await?.map(|found| found.label),
            Err(_) => None,
        };
        let form = OfferForm { commune: commune.unwrap_or(form.commune), ..form };
        let mut conn = self.db.pool.acquire().await?;
        let stage_sites = crate::stages::records::of_organisation(&mut conn, organisation)
            .await?
            .into_iter()
            .filter(|site| site.withdrawn_at.is_none())
            .map(|site| (site.id, site.name))
            .collect();
        Ok(Some(OfferEditor {
            organisation_id: organisation,
            organisation_name: row.name,
            organisation_verified: row.status.0 == OrganisationStatus::Verified,
            offer_id,
            form,
            stage_sites,
        }))
    }

    /// The open offers of commune `code`, newest first.
    pub async fn read_commune_offers(&self, code: &str) -> Result<Vec<OfferCard>, sqlx::Error> {
        let now = self.clock.now();
        let rows = select_offers(
            &self.db,
            concat!(
                "WHERE o.commune_code = $1 AND ",
                super::open_offer!("o", "$2"),
                " ORDER BY o.published_at DESC, o.id DESC"
            ),
            |q| q.bind(code.to_owned()).bind(now),
        )
        .await?;
        Ok(rows.into_iter().map(|row| card(&row.view(false, &self.public_url, now))).collect())
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
        let offers =
            select_offers(&self.db, "WHERE o.organisation_id = $1 ORDER BY o.id DESC", |q| q.bind(organisation))
                .await?
                .into_iter()
                .map(|row| card(&row.view(true, &self.public_url, self.clock.now())))
                .collect();
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
        query: app::domain::offers::BoardQuery,
    ) -> Result<app::domain::offers::BoardPage, ServiceError> {
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

    async fn commune_offers(&self, code: &str) -> Result<Vec<OfferCard>, ServiceError> {
        self.read_commune_offers(code).await.map_err(failed)
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
