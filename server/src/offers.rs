//! Offers: posted by members of an organisation, published once moderation has verified the
//! organisation, listed until their publication ends or they are filled.
//!
//! The life of an offer: brouillon → publiee → pourvue or retiree; brouillon → retiree. A
//! published offer past `expires_at` is expired without a write (see `OfferState`), and
//! renewing it publishes it again. Seven days before the end, the members get a mail asking
//! whether the offer is still open.
//!
//! Every write takes the acting user and checks, inside its transaction, that they belong to
//! the organisation of the offer: to anybody else the offer does not exist. Write
//! transactions start by touching the offer's row, which serialises the changes of one offer.

/// The one definition, in SQL, of an offer open to visitors: published and not past its end
/// at the instant bound as parameter `$at`, for the offers table named `alias` in the query
/// (`Visible::open` and `OfferState::of` say the same in Rust). A literal, for `concat!`:
/// `concat!("SELECT … FROM offers o WHERE ", open_offer!("o", "$2"))`.
macro_rules! open_offer {
    ($alias:literal, $at:literal) => {
        concat!($alias, ".status = 'publiee' AND ", $alias, ".expires_at > ", $at)
    };
}
pub(crate) use open_offer;

pub mod alerts;
mod board;
pub mod reads;

pub use board::BoardError;

use crate::clock::Clock;
use crate::db::rows::{Code, table, typed};
use crate::db::{Database, Query};
use crate::mail::{self, OutgoingMail, Template};
use crate::organisations::closure::is_closed;
use crate::organisations::{Recipient, Whom, recipients};
use crate::search::Indexer;
use crate::territory::queries::FormCommune;
use app::domain::offers::{DEFAULT_PUBLICATION_DAYS, OfferFields, OfferForm, OfferProblem, OfferStatus, offer_path};
use app::domain::organisations::OrganisationStatus;
use app::model::Day;
use sqlx::Row;

/// How long before the end of publication the members are asked to reconfirm.
pub const REMINDER_BEFORE: i64 = 7 * 86_400;

/// What can go wrong with an offer; form problems carry the code of their French sentence.
#[derive(Debug, thiserror::Error)]
pub enum OfferError {
    #[error("offre refusée : {}", .0.message())]
    Invalid(OfferProblem),
    #[error("le service est momentanément indisponible, réessayez dans un instant")]
    Database(#[from] sqlx::Error),
    #[error("le service est momentanément indisponible, réessayez dans un instant")]
    Mail(#[from] mail::MailError),
}

impl From<OfferProblem> for OfferError {
    fn from(problem: OfferProblem) -> Self {
        Self::Invalid(problem)
    }
}

/// The offers service.
#[derive(Debug, Clone)]
pub struct Offers {
    db: Database,
    /// What "now" is (the system's time, or a test's).
    clock: Clock,
    /// Public origin, for links in mails.
    public_url: String,
    /// The board's search engine, and its indexer.
    search: Indexer,
}

type Tx = sqlx::Transaction<'static, sqlx::Any>;

/// When a publication "until `day`" ends: the end of that day.
fn end_of(day: Day) -> i64 {
    day.plus_days(1).unix()
}

/// Whether `user` belongs to `organisation` (any role).
async fn is_member(tx: &mut Tx, organisation: i64, user: i64) -> Result<bool, sqlx::Error> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT organisation_id FROM memberships WHERE organisation_id = $1 AND user_id = $2")
            .bind(organisation)
            .bind(user)
            .fetch_optional(&mut **tx)
            .await?;
    Ok(found.is_some())
}

async fn organisation_verified(tx: &mut Tx, organisation: i64) -> Result<bool, sqlx::Error> {
    let status: Option<String> = sqlx::query_scalar("SELECT status FROM organisations WHERE id = $1")
        .bind(organisation)
        .fetch_optional(&mut **tx)
        .await?;
    Ok(status.as_deref() == Some(OrganisationStatus::Verified.code()))
}

/// Withdraws every published or drafted offer of `closing`'s organisation: their pages say
/// « retirée », and the search outbox hears of it through its triggers.
pub(crate) async fn close_all(
    conn: &mut sqlx::AnyConnection,
    closing: &crate::organisations::closure::Closing<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE offers SET status = $1, closed_at = $2 WHERE organisation_id = $3 AND status IN ($4, $5)")
        .bind(OfferStatus::Retiree.code())
        .bind(closing.at)
        .bind(closing.organisation)
        .bind(OfferStatus::Brouillon.code())
        .bind(OfferStatus::Publiee.code())
        .execute(conn)
        .await?;
    Ok(())
}

/// Takes the offer's row for this transaction and returns its organisation and status, if
/// `user` is a member of that organisation; NotFound otherwise.
async fn lock(tx: &mut Tx, offer: i64, user: i64, at: i64) -> Result<(i64, OfferStatus), OfferError> {
    #[derive(sqlx::FromRow)]
    struct Locked {
        organisation_id: i64,
        status: Code<OfferStatus>,
    }
    table!(Locked, "offers");
    let row = sqlx::query("UPDATE offers SET updated_at = $1 WHERE id = $2 RETURNING organisation_id, status")
        .bind(at)
        .bind(offer)
        .try_map(typed::<Locked>)
        .fetch_optional(&mut **tx)
        .await?;
    let Some(Locked { organisation_id: organisation, status }) = row else {
        return Err(OfferProblem::NotFound.into());
    };
    if !is_member(tx, organisation, user).await? {
        return Err(OfferProblem::NotFound.into());
    }
    Ok((organisation, status.0))
}

/// Takes the offer's row for a publication by `user`, who must be a member of a verified
/// organisation, the offer being in status `from`.
async fn lock_to_publish(tx: &mut Tx, offer: i64, user: i64, from: OfferStatus, at: i64) -> Result<(), OfferError> {
    let (organisation, status) = lock(tx, offer, user, at).await?;
    if status != from {
        return Err(OfferProblem::WrongStatus.into());
    }
    if is_closed(tx, organisation).await? {
        return Err(OfferProblem::OrganisationClosed.into());
    }
    if !organisation_verified(tx, organisation).await? {
        return Err(OfferProblem::OrganisationUnverified.into());
    }
    Ok(())
}

/// The commune, the FINESS number and the stage site an offer names exist; the stage site is
/// an open one of `organisation`'s.
async fn check_references(tx: &mut Tx, organisation: i64, fields: &OfferFields) -> Result<(), OfferError> {
    let commune: Option<String> = sqlx::query_scalar("SELECT code FROM communes WHERE code = $1")
        .bind(fields.commune.to_string())
        .fetch_optional(&mut **tx)
        .await?;
    if commune.is_none() {
        return Err(OfferProblem::CommuneUnknown.into());
    }
    if let Some(finess) = &fields.finess {
        let known: Option<String> = sqlx::query_scalar("SELECT finess FROM health_structures WHERE finess = $1")
            .bind(finess.to_string())
            .fetch_optional(&mut **tx)
            .await?;
        if known.is_none() {
            return Err(OfferProblem::FinessUnknown.into());
        }
    }
    if let Some(site) = fields.stage_site {
        let own: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM stage_sites WHERE id = $1 AND organisation_id = $2 AND withdrawn_at IS NULL",
        )
        .bind(site)
        .bind(organisation)
        .fetch_optional(&mut **tx)
        .await?;
        if own.is_none() {
            return Err(OfferProblem::StageSite.into());
        }
    }
    Ok(())
}

/// The columns of `OfferFields`, in the order `bind_fields` binds them from `$1`.
const FIELD_COLUMNS: [&str; 31] = [
    "kind",
    "mode",
    "title",
    "description",
    "specialty",
    "commune_code",
    "finess",
    "start_date",
    "end_date",
    "days_per_week",
    "patient_count",
    "handover_plan",
    "half_days_liberal",
    "half_days_salaried",
    "semester",
    "semester_year",
    "supervisors",
    "faculty",
    "transport",
    "pay_kind",
    "pay_min",
    "pay_max",
    "on_call",
    "secretariat",
    "software",
    "housing",
    "practice_provided",
    "equipment_provided",
    "perks",
    "team_size",
    "stage_site_id",
];

fn bind_fields<'q>(query: Query<'q>, f: &OfferFields) -> Query<'q> {
    query
        .bind(f.kind.code())
        .bind(f.mode.map(|m| m.code()))
        .bind(f.title.clone())
        .bind(f.description.clone())
        .bind(f.specialty.code())
        .bind(f.commune.to_string())
        .bind(f.finess.as_ref().map(ToString::to_string))
        .bind(f.start.map(|d| d.to_string()))
        .bind(f.end.map(|d| d.to_string()))
        .bind(f.days_per_week)
        .bind(f.patient_count)
        .bind(f.handover_plan.clone())
        .bind(f.half_days_liberal)
        .bind(f.half_days_salaried)
        .bind(f.semester.map(|(s, _)| s.code()))
        .bind(f.semester.map(|(_, y)| y))
        .bind(f.supervisors.clone())
        .bind(f.faculty.clone())
        .bind(f.transport.clone())
        .bind(f.pay.kind.code())
        .bind(f.pay.min)
        .bind(f.pay.max)
        .bind(f.on_call.code())
        .bind(f.secretariat.code())
        .bind(f.software.clone())
        .bind(f.housing.code())
        .bind(i64::from(f.practice_provided))
        .bind(i64::from(f.equipment_provided))
        .bind(f.perks.clone())
        .bind(f.team_size)
        .bind(f.stage_site)
}

impl Offers {
    /// The service over `db`, searching with `search`; links in mails start with `public_url`.
    pub fn new(db: Database, public_url: String, search: Indexer) -> Self {
        Self { db, clock: Clock::system(), public_url, search }
    }

    /// The same service reading `clock` (a test's, which moves).
    pub fn with_clock(self, clock: Clock) -> Self {
        Self { clock, ..self }
    }

    /// The alerts of saved searches over the same database.
    pub fn alerts(&self) -> crate::offers::alerts::Alerts {
        crate::offers::alerts::Alerts::new(self.clone())
    }

    pub fn database(&self) -> &Database {
        &self.db
    }

    pub fn public_url(&self) -> &str {
        &self.public_url
    }

    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// The indexer of the board's search engine.
    pub fn indexer(&self) -> &Indexer {
        &self.search
    }

    /// The form with its commune as the program keeps it: by its code (a person names it:
    /// « Rodez », « Aigues-Vives (30) », a postal code). Words that fit several communes are
    /// refused; unknown ones are left for the form's checks to name.
    async fn commune_coded(&self, form: &OfferForm) -> Result<OfferForm, OfferError> {
        match crate::territory::queries::form_commune(&self.db, &form.commune).await? {
            FormCommune::One(code) => Ok(OfferForm { commune: code, ..form.clone() }),
            FormCommune::Several => Err(OfferProblem::CommuneInvalid.into()),
            FormCommune::Unknown => Ok(form.clone()),
        }
    }

    /// Saves a new offer of `organisation` as a draft (members only); returns its id.
    #[tracing::instrument(skip_all, fields(user, organisation))]
    pub async fn create(&self, user: i64, organisation: i64, form: &OfferForm) -> Result<i64, OfferError> {
        let form = &self.commune_coded(form).await?;
        let fields = form.validate(self.clock.today())?;
        let mut tx = self.db.begin_write().await?;
        if !is_member(&mut tx, organisation, user).await? {
            return Err(OfferProblem::NotFound.into());
        }
        if is_closed(&mut tx, organisation).await? {
            return Err(OfferProblem::OrganisationClosed.into());
        }
        check_references(&mut tx, organisation, &fields).await?;
        let at = self.clock.now();
        let placeholders: Vec<String> = (1..=FIELD_COLUMNS.len()).map(|i| format!("${i}")).collect();
        let n = FIELD_COLUMNS.len();
        let sql = format!(
            "INSERT INTO offers ({}, organisation_id, status, created_by, created_at, updated_at, expires_at)
             VALUES ({}, ${}, ${}, ${}, ${}, ${}, ${}) RETURNING id",
            FIELD_COLUMNS.join(", "),
            placeholders.join(", "),
            n + 1,
            n + 2,
            n + 3,
            n + 4,
            n + 4,
            n + 5,
        );
        let id: i64 = bind_fields(sqlx::query(sqlx::AssertSqlSafe(sql)), &fields)
            .bind(organisation)
            .bind(OfferStatus::Brouillon.code())
            .bind(user)
            .bind(at)
            .bind(end_of(fields.publish_until))
            .fetch_one(&mut *tx)
            .await?
            .try_get("id")?;
        tx.commit().await?;
        tracing::info!(offer = id, "offer drafted");
        Ok(id)
    }

    /// Saves the changes to a draft or published offer (members only). A new end of
    /// publication asks for a new reminder.
    #[tracing::instrument(skip_all, fields(user, offer))]
    pub async fn update(&self, user: i64, offer: i64, form: &OfferForm) -> Result<(), OfferError> {
        let form = &self.commune_coded(form).await?;
        let fields = form.validate(self.clock.today())?;
        let mut tx = self.db.begin_write().await?;
        let (organisation, status) = lock(&mut tx, offer, user, self.clock.now()).await?;
        if !matches!(status, OfferStatus::Brouillon | OfferStatus::Publiee) {
            return Err(OfferProblem::WrongStatus.into());
        }
        check_references(&mut tx, organisation, &fields).await?;
        let n = FIELD_COLUMNS.len();
        let assignments: Vec<String> =
            FIELD_COLUMNS.iter().enumerate().map(|(i, column)| format!("{column} = ${}", i + 1)).collect();
        let sql = format!(
            "UPDATE offers SET {},
                 reminder_sent_at = CASE WHEN expires_at = ${} THEN reminder_sent_at ELSE NULL END,
                 expires_at = ${}
             WHERE id = ${}",
            assignments.join(", "),
            n + 1,
            n + 1,
            n + 2,
        );
        bind_fields(sqlx::query(sqlx::AssertSqlSafe(sql)), &fields)
            .bind(end_of(fields.publish_until))
            .bind(offer)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Publishes a draft (members of a verified organisation only). A draft whose end of
    /// publication has passed meanwhile is published for the default length.
    #[tracing::instrument(skip_all, fields(user, offer))]
    pub async fn publish(&self, user: i64, offer: i64) -> Result<(), OfferError> {
        let mut tx = self.db.begin_write().await?;
        lock_to_publish(&mut tx, offer, user, OfferStatus::Brouillon, self.clock.now()).await?;
        let at = self.clock.now();
        let default_end = end_of(Day::of_unix(at).plus_days(DEFAULT_PUBLICATION_DAYS));
        sqlx::query(
            "UPDATE offers SET status = $1, published_at = $2,
                 expires_at = CASE WHEN expires_at IS NULL OR expires_at <= $2 THEN $3 ELSE expires_at END
             WHERE id = $4",
        )
        .bind(OfferStatus::Publiee.code())
        .bind(at)
        .bind(default_end)
        .bind(offer)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        tracing::info!(offer, "offer published");
        Ok(())
    }

    /// Publishes an offer again for the default length from today: an open one before it
    /// ends, or an expired one (members of a verified organisation only).
    #[tracing::instrument(skip_all, fields(user, offer))]
    pub async fn renew(&self, user: i64, offer: i64) -> Result<(), OfferError> {
        let mut tx = self.db.begin_write().await?;
        lock_to_publish(&mut tx, offer, user, OfferStatus::Publiee, self.clock.now()).await?;
        let end = end_of(self.clock.today().plus_days(DEFAULT_PUBLICATION_DAYS));
        sqlx::query("UPDATE offers SET expires_at = $1, reminder_sent_at = NULL WHERE id = $2")
            .bind(end)
            .bind(offer)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Marks a published offer filled (members only): it leaves every list, its page says so.
    #[tracing::instrument(skip_all, fields(user, offer))]
    pub async fn fill(&self, user: i64, offer: i64) -> Result<(), OfferError> {
        self.close(user, offer, &[OfferStatus::Publiee], OfferStatus::Pourvue).await
    }

    /// Withdraws a draft or a published offer (members only).
    #[tracing::instrument(skip_all, fields(user, offer))]
    pub async fn withdraw(&self, user: i64, offer: i64) -> Result<(), OfferError> {
        self.close(user, offer, &[OfferStatus::Brouillon, OfferStatus::Publiee], OfferStatus::Retiree).await
    }

    async fn close(&self, user: i64, offer: i64, from: &[OfferStatus], to: OfferStatus) -> Result<(), OfferError> {
        let mut tx = self.db.begin_write().await?;
        let (_, status) = lock(&mut tx, offer, user, self.clock.now()).await?;
        if !from.contains(&status) {
            return Err(OfferProblem::WrongStatus.into());
        }
        sqlx::query("UPDATE offers SET status = $1, closed_at = $2 WHERE id = $3")
            .bind(to.code())
            .bind(self.clock.now())
            .bind(offer)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        tracing::info!(offer, status = to.code(), "offer closed");
        Ok(())
    }

    /// Asks the members of each organisation whose offer ends within `REMINDER_BEFORE` of `at`
    /// whether it is still open: one mail per member and offer, queued with the mark that it
    /// went, so that each end of publication is reminded once. Returns the offers reminded.
    #[tracing::instrument(skip_all)]
    pub async fn remind_expiring(&self, at: i64) -> Result<usize, OfferError> {
        let mut tx = self.db.begin_write().await?;
        #[derive(sqlx::FromRow)]
        struct Due {
            id: i64,
            title: String,
            organisation_id: i64,
            expires_at: i64,
        }
        table!(Due, "offers");
        let due = sqlx::query(concat!(
            "SELECT id, title, organisation_id, expires_at FROM offers WHERE ",
            open_offer!("offers", "$1"),
            " AND reminder_sent_at IS NULL AND expires_at <= $2 ORDER BY id LIMIT 200",
        ))
        .bind(at)
        .bind(at + REMINDER_BEFORE)
        .try_map(typed::<Due>)
        .fetch_all(&mut *tx)
        .await?;
        for Due { id, title, organisation_id: organisation, expires_at } in &due {
            let (id, expires_at) = (*id, *expires_at);
            let members = recipients(&mut tx, *organisation, Whom::Members).await?;
            let link = format!("{}{}", self.public_url, offer_path(id, title));
            // The last day of publication, the day before the end.
            let last_day = Day::of_unix(expires_at - 1).french();
            for Recipient { email, display_name: name } in &members {
                let mail = OutgoingMail::new(
                    email,
                    Template::OffreAReconfirmer,
                    &[("nom", name), ("offre", title), ("date", &last_day), ("lien", &link)],
                )?;
                mail::enqueue(&mut tx, &mail).await?;
            }
            sqlx::query("UPDATE offers SET reminder_sent_at = $1 WHERE id = $2")
                .bind(at)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(due.len())
    }
}
