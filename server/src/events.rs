//! Events: verified organisations (collectivités, structures, institutions) publish them; people
//! register within the capacity, then on a waiting list; a freed place goes to the first one
//! waiting. Each write touches the event's row first, which serialises the registrations of
//! one event on both engines (a row lock on PostgreSQL, the write lock on SQLite), so two last
//! registrations cannot both take the last place.

mod form;
pub mod ical;
pub mod records;

pub use form::{NewEvent, validate};

use crate::clock::Clock;
use crate::db::Database;
use crate::db::rows::{Code, table, typed};
use crate::mail::{self, OutgoingMail, Template};
use crate::organisations::closure::{About, Closing, Concerned};
use crate::organisations::{Recipient, is_member};
use crate::promotion::markdown;
use crate::territory::queries::FormCommune;
use app::domain::ServiceError;
use app::domain::accounts::SignedIn;
use app::domain::events::{
    CandidateLine, EventForm, EventProblem, EventRow, EventView, EventsPage, Matches, OfferLink, OrganisationEvents,
    Registration,
};
use app::domain::offers::offer_path;
use records::{EventRecord, Listed, Listing};
use sqlx::AnyConnection;

#[derive(Debug, thiserror::Error)]
pub enum EventError {
    #[error("{}", .0.message())]
    Invalid(EventProblem),
    #[error("le service est momentanément indisponible, réessayez dans un instant")]
    Database(#[from] sqlx::Error),
    #[error("le service est momentanément indisponible, réessayez dans un instant")]
    Mail(#[from] mail::MailError),
}

impl From<EventProblem> for EventError {
    fn from(problem: EventProblem) -> Self {
        Self::Invalid(problem)
    }
}

type Tx = sqlx::Transaction<'static, sqlx::Any>;

/// The people registered for (or waiting at) the events that `condition` names (SQL on
/// `events e`, with `$1` its value) and that have not ended at `at` (`$2`), not cancelled.
async fn to_tell(
    conn: &mut AnyConnection,
    condition: &str,
    value: i64,
    at: i64,
) -> Result<Vec<(Recipient, i64, String, i64)>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Told {
        id: i64,
        title: String,
        starts_at: i64,
        email: String,
        display_name: String,
    }
    table!(Told, "event_registrations");
    let told = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT e.id, e.title, e.starts_at, u.email, u.display_name
         FROM events e JOIN event_registrations r ON r.event_id = e.id JOIN users u ON u.id = r.user_id
         WHERE {condition} AND e.cancelled_at IS NULL AND e.ends_at > $2 ORDER BY e.id, u.id"
    )))
    .bind(value)
    .bind(at)
    .try_map(typed::<Told>)
    .fetch_all(conn)
    .await?;
    Ok(told
        .into_iter()
        .map(|t| (Recipient { email: t.email, display_name: t.display_name }, t.id, t.title, t.starts_at))
        .collect())
}

/// Cancels every event of `closing`'s organisation that has not ended (they stay listed as
/// cancelled); returns the people registered or waiting, to tell.
pub(crate) async fn cancel_all(conn: &mut AnyConnection, closing: &Closing<'_>) -> Result<Vec<Concerned>, sqlx::Error> {
    let told = to_tell(conn, "e.organisation_id = $1", closing.organisation, closing.at).await?;
    sqlx::query(
        "UPDATE events SET cancelled_at = $1 WHERE organisation_id = $2 AND cancelled_at IS NULL AND ends_at > $1",
    )
    .bind(closing.at)
    .bind(closing.organisation)
    .execute(&mut *conn)
    .await?;
    Ok(told
        .into_iter()
        .map(|(to, id, title, starts_at)| Concerned { to, about: About::Event { id, title, starts_at } })
        .collect())
}

/// The event's state for a write, its row touched first (see the module documentation).
#[derive(sqlx::FromRow)]
struct Locked {
    organisation: i64,
    capacity: i64,
    starts_at: i64,
    cancelled_at: Option<i64>,
}

table!(Locked, "events");

async fn lock(tx: &mut Tx, event: i64, at: i64) -> Result<Locked, EventError> {
    let touched =
        sqlx::query("UPDATE events SET updated_at = $1 WHERE id = $2").bind(at).bind(event).execute(&mut **tx).await?;
    if touched.rows_affected() == 0 {
        return Err(EventProblem::NotFound.into());
    }
    let locked = sqlx::query(
        "SELECT organisation_id AS organisation, capacity, starts_at, cancelled_at FROM events WHERE id = $1",
    )
    .bind(event)
    .try_map(typed::<Locked>)
    .fetch_one(&mut **tx)
    .await?;
    Ok(locked)
}

#[derive(sqlx::FromRow)]
struct RegistrationRow {
    status: Code<Listed>,
    created_at: i64,
}

table!(RegistrationRow, "event_registrations");

async fn registration(conn: &mut AnyConnection, event: i64, user: i64) -> Result<Option<Registration>, sqlx::Error> {
    let row = sqlx::query("SELECT status, created_at FROM event_registrations WHERE event_id = $1 AND user_id = $2")
        .bind(event)
        .bind(user)
        .try_map(typed::<RegistrationRow>)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(RegistrationRow { status, created_at: created }) = row else { return Ok(None) };
    if status.0 == Listed::Registered {
        return Ok(Some(Registration::Registered));
    }
    let ahead: i64 = sqlx::query_scalar(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM event_registrations
         WHERE event_id = $1 AND status = 'attente' AND (created_at < $2 OR (created_at = $2 AND user_id < $3))",
    )
    .bind(event)
    .bind(created)
    .bind(user)
    .fetch_one(conn)
    .await?;
    Ok(Some(Registration::Waiting(ahead + 1)))
}

/// The events service.
#[derive(Debug, Clone)]
pub struct Events {
    db: Database,
    /// What "now" is (the system's time, or a test's).
    clock: Clock,
    public_url: String,
}

impl Events {
    pub fn new(db: Database, public_url: String) -> Self {
        Self { db, clock: Clock::system(), public_url }
    }

    /// The same service reading `clock` (a test's, which moves).
    pub fn with_clock(self, clock: Clock) -> Self {
        Self { clock, ..self }
    }

    /// Publishes an event of `organisation` (members of a verified organisation that is not a
    /// doctor's own practice); its id.
    #[tracing::instrument(skip_all, fields(user, organisation))]
    pub async fn publish(&self, user: i64, organisation: i64, form: &EventForm) -> Result<i64, EventError> {
        // The commune as a person names it, kept by its code; never a guess among several.
        let form = &match crate::territory::queries::form_commune(&self.db, &form.commune).await? {
            FormCommune::One(code) => EventForm { commune: code, ..form.clone() },
            FormCommune::Several => return Err(EventProblem::Commune.into()),
            FormCommune::Unknown => form.clone(),
        };
        let event = validate(form, self.clock.now())?;
        let mut tx = self.db.begin_write().await?;
        let kind: Option<(String, String)> = sqlx::query_as("SELECT kind, status FROM organisations WHERE id = $1")
            .bind(organisation)
            .fetch_optional(&mut *tx)
            .await?;
        if kind.is_none() || !is_member(&mut tx, organisation, user).await? {
            return Err(EventProblem::NotFound.into());
        }
        if kind.is_some_and(|(kind, status)| kind == "cabinet" || status != "verifiee") {
            return Err(EventProblem::NotAllowed.into());
        }
        if crate::organisations::closure::is_closed(&mut tx, organisation).await? {
            return Err(EventProblem::OrganisationClosed.into());
        }
        let known: Option<String> = sqlx::query_scalar("SELECT code FROM communes WHERE code = $1")
            .bind(event.commune.as_str().to_owned())
            .fetch_optional(&mut *tx)
            .await?;
        if known.is_none() {
            return Err(EventProblem::Commune.into());
        }
        let at = self.clock.now();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO events (organisation_id, kind, title, description, commune_code, place, starts_at, ends_at,
                capacity, created_by, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id",
        )
        .bind(organisation)
        .bind(event.kind.code())
        .bind(event.title)
        .bind(event.description)
        .bind(event.commune.as_str().to_owned())
        .bind(event.place)
        .bind(event.starts_at)
        .bind(event.ends_at)
        .bind(event.capacity)
        .bind(user)
        .bind(at)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Registers `user`: a place while there is one, else the waiting list. Registering again
    /// changes nothing and says where they stand.
    #[tracing::instrument(skip_all, fields(user, event))]
    pub async fn register(&self, user: i64, event: i64) -> Result<Registration, EventError> {
        let mut tx = self.db.begin_write().await?;
        let locked = lock(&mut tx, event, self.clock.now()).await?;
        if locked.cancelled_at.is_some() || locked.starts_at <= self.clock.now() {
            return Err(EventProblem::Over.into());
        }
        if let Some(current) = registration(&mut tx, event, user).await? {
            return Ok(current);
        }
        let taken: i64 = sqlx::query_scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM event_registrations WHERE event_id = $1 AND status = 'inscrit'",
        )
        .bind(event)
        .fetch_one(&mut *tx)
        .await?;
        let status = if taken < locked.capacity { Listed::Registered } else { Listed::Waiting }.code();
        sqlx::query("INSERT INTO event_registrations (event_id, user_id, status, created_at) VALUES ($1, $2, $3, $4)")
            .bind(event)
            .bind(user)
            .bind(status)
            .bind(self.clock.now())
            .execute(&mut *tx)
            .await?;
        let now_registered = registration(&mut tx, event, user).await?.unwrap_or(Registration::Registered);
        tx.commit().await?;
        Ok(now_registered)
    }

    /// Cancels `user`'s registration; a place freed goes to the first one waiting.
    #[tracing::instrument(skip_all, fields(user, event))]
    pub async fn unregister(&self, user: i64, event: i64) -> Result<(), EventError> {
        let mut tx = self.db.begin_write().await?;
        lock(&mut tx, event, self.clock.now()).await?;
        let Some(was) = registration(&mut tx, event, user).await? else {
            return Err(EventProblem::NotRegistered.into());
        };
        sqlx::query("DELETE FROM event_registrations WHERE event_id = $1 AND user_id = $2")
            .bind(event)
            .bind(user)
            .execute(&mut *tx)
            .await?;
        if was == Registration::Registered {
            give_place_to_first_waiting(&mut tx, event).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Cancels the event (members of its organisation); it stays listed as cancelled, and
    /// the people registered or waiting are told by mail (queued in the same transaction).
    pub async fn cancel(&self, user: i64, event: i64) -> Result<(), EventError> {
        let mut tx = self.db.begin_write().await?;
        let at = self.clock.now();
        let locked = lock(&mut tx, event, at).await?;
        if !is_member(&mut tx, locked.organisation, user).await? {
            return Err(EventProblem::NotFound.into());
        }
        let told = to_tell(&mut tx, "e.id = $1", event, at).await?;
        sqlx::query("UPDATE events SET cancelled_at = $1 WHERE id = $2 AND cancelled_at IS NULL")
            .bind(at)
            .bind(event)
            .execute(&mut *tx)
            .await?;
        for (to, id, title, starts_at) in told {
            let mail = OutgoingMail::new(
                &to.email,
                Template::EvenementAnnule,
                &[
                    ("nom", &to.display_name),
                    ("evenement", &title),
                    ("date", &app::model::Day::of_unix(starts_at).french()),
                    ("message", "L'organisation qui le proposait l'a annulé."),
                    ("lien", &format!("{}{}", self.public_url, app::domain::events::paths::EVENT.of(id))),
                ],
            )?;
            mail::enqueue(&mut tx, &mail).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Upcoming (not ended) events, soonest first, of one département or all.
    pub async fn read_upcoming(&self, departement: Option<&str>) -> Result<Vec<EventRow>, sqlx::Error> {
        let listing = Listing::Upcoming { now: self.clock.now(), departement, commune: None, kind: None };
        let mut conn = self.db.pool.acquire().await?;
        Ok(records::list(&mut conn, listing, 200, 0).await?.iter().map(EventRecord::row).collect())
    }

    async fn read_event(&self, viewer: Option<i64>, id: i64) -> Result<Option<EventView>, sqlx::Error> {
        let mut conn = self.db.pool.acquire().await?;
        let Some(record) = records::one(&mut conn, id).await? else {
            return Ok(None);
        };
        let row = record.row();
        let (capacity, organisation) = (record.capacity, record.organisation_id);
        let waiting: i64 = sqlx::query_scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM event_registrations WHERE event_id = $1 AND status = 'attente'",
        )
        .bind(id)
        .fetch_one(&mut *conn)
        .await?;
        let (mine, organiser) = match viewer {
            Some(user) => (registration(&mut conn, id, user).await?, is_member(&mut conn, organisation, user).await?),
            None => (None, false),
        };
        let registrants = if organiser { self.registrants(&mut conn, id).await? } else { Vec::new() };
        let past = row.ends_at <= self.clock.now();
        let matches = match (viewer, mine) {
            (Some(user), Some(Registration::Registered)) if !past && !row.cancelled => {
                Some(self.matches(&mut conn, id, user, organisation).await?)
            }
            _ => None,
        };
        Ok(Some(EventView {
            registered: capacity - row.places_left,
            row,
            description_html: markdown::render(&record.description),
            place: record.place,
            capacity,
            waiting,
            organisation_id: organisation,
            mine,
            signed_in: viewer.is_some(),
            organiser,
            registrants,
            matches,
            past,
        }))
    }

    async fn registrants(
        &self,
        conn: &mut AnyConnection,
        event: i64,
    ) -> Result<Vec<(String, Registration)>, sqlx::Error> {
        #[derive(sqlx::FromRow)]
        struct Registrant {
            display_name: String,
            status: Code<Listed>,
        }
        table!(Registrant, "event_registrations");
        let rows = sqlx::query(
            "SELECT u.display_name, r.status FROM event_registrations r JOIN users u ON u.id = r.user_id
             WHERE r.event_id = $1 ORDER BY r.status DESC, r.created_at, r.user_id",
        )
        .bind(event)
        .try_map(typed::<Registrant>)
        .fetch_all(conn)
        .await?;
        let mut waiting = 0;
        Ok(rows
            .into_iter()
            .map(|r| {
                let registration = match r.status.0 {
                    Listed::Registered => Registration::Registered,
                    Listed::Waiting => {
                        waiting += 1;
                        Registration::Waiting(waiting)
                    }
                };
                (r.display_name, registration)
            })
            .collect())
    }

    /// The open offers of the organisations present (the organiser's and those of the other
    /// registrants), and, for a registrant who belongs to an organisation, the other
    /// registrants who have a candidate profile.
    async fn matches(
        &self,
        conn: &mut AnyConnection,
        event: i64,
        user: i64,
        organiser: i64,
    ) -> Result<Matches, sqlx::Error> {
        #[derive(sqlx::FromRow)]
        struct Present {
            id: i64,
            title: String,
            organisation: String,
            commune: String,
        }
        table!(Present, "offers");
        #[derive(sqlx::FromRow)]
        struct Registrant {
            display_name: String,
            status: Code<app::domain::profiles::Status>,
            specialty: String,
        }
        table!(Registrant, "people");
        let offers = sqlx::query(concat!(
            "SELECT o.id, o.title, g.name AS organisation, c.name AS commune FROM offers o JOIN organisations g ON g.id = o.organisation_id
             JOIN communes c ON c.code = o.commune_code WHERE ",
            crate::offers::open_offer!("o", "$1"),
            " AND o.example = 0
               AND (o.organisation_id = $2 OR o.organisation_id IN (
                    SELECT m.organisation_id FROM memberships m JOIN event_registrations r ON r.user_id = m.user_id
                    WHERE r.event_id = $3 AND r.status = 'inscrit' AND r.user_id <> $4))
             ORDER BY o.published_at DESC LIMIT 30",
        ))
        .bind(self.clock.now())
        .bind(organiser)
        .bind(event)
        .bind(user)
        .try_map(typed::<Present>)
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|o| OfferLink {
            path: offer_path(o.id, &o.title),
            title: o.title,
            organisation: o.organisation,
            commune: o.commune,
        })
        .collect();
        let recruiter: Option<i64> =
            sqlx::query_scalar("SELECT organisation_id FROM memberships WHERE user_id = $1 LIMIT 1")
                .bind(user)
                .fetch_optional(&mut *conn)
                .await?;
        let candidates = if recruiter.is_some() {
            sqlx::query(
                "SELECT u.display_name, p.status, p.specialty FROM event_registrations r
                 JOIN users u ON u.id = r.user_id JOIN people p ON p.user_id = r.user_id
                 WHERE r.event_id = $1 AND r.status = 'inscrit' AND r.user_id <> $2 ORDER BY u.display_name",
            )
            .bind(event)
            .bind(user)
            .try_map(typed::<Registrant>)
            .fetch_all(&mut *conn)
            .await?
            .into_iter()
            .map(|r| CandidateLine {
                name: r.display_name,
                status: r.status.0.label().to_owned(),
                specialty: r.specialty,
            })
            .collect()
        } else {
            Vec::new()
        };
        Ok(Matches { offers, candidates })
    }

    async fn read_organisation_events(
        &self,
        user: i64,
        organisation: i64,
    ) -> Result<Option<OrganisationEvents>, sqlx::Error> {
        let mut conn = self.db.pool.acquire().await?;
        if !is_member(&mut conn, organisation, user).await? {
            return Ok(None);
        }
        let (name, kind, status): (String, String, String) =
            sqlx::query_as("SELECT name, kind, status FROM organisations WHERE id = $1")
                .bind(organisation)
                .fetch_one(&mut *conn)
                .await?;
        let events = records::list(&mut conn, Listing::Of { organisation }, i64::MAX, 0).await?;
        Ok(Some(OrganisationEvents {
            organisation_id: organisation,
            organisation_name: name,
            may_publish: kind != "cabinet" && status == "verifiee",
            events: events.iter().map(EventRecord::row).collect(),
        }))
    }

    /// iCalendar of one event, or of every upcoming one (None for an unknown id).
    pub async fn ics(&self, id: Option<i64>) -> Result<Option<String>, sqlx::Error> {
        let mut conn = self.db.pool.acquire().await?;
        let records = match id {
            Some(id) => records::one(&mut conn, id).await?.into_iter().collect(),
            None => {
                let upcoming =
                    Listing::Upcoming { now: self.clock.now(), departement: None, commune: None, kind: None };
                records::list(&mut conn, upcoming, 500, 0).await?
            }
        };
        if id.is_some() && records.is_empty() {
            return Ok(None);
        }
        let rows: Vec<EventRow> = records.iter().map(EventRecord::row).collect();
        let entries: Vec<ical::Entry> = rows
            .iter()
            .zip(&records)
            .map(|(row, record)| ical::Entry {
                row,
                place: &record.place,
                description: &record.description,
                url: format!("{}{}", self.public_url, app::domain::events::paths::EVENT.of(row.id)),
            })
            .collect();
        let host = self.public_url.split("://").nth(1).unwrap_or("localhost").split('/').next().unwrap_or("localhost");
        Ok(Some(ical::calendar(&entries, host, self.clock.now())))
    }
}

fn failed(error: sqlx::Error) -> ServiceError {
    ServiceError(error.to_string())
}

#[async_trait::async_trait]
impl app::domain::events::EventService for Events {
    async fn upcoming(&self, departement: Option<String>) -> Result<EventsPage, ServiceError> {
        let events = self.read_upcoming(departement.as_deref()).await.map_err(failed)?;
        let departements = crate::territory::queries::departement_names(&self.db).await.map_err(failed)?;
        Ok(EventsPage { events, departement, departements })
    }

    async fn in_commune(&self, code: &str) -> Result<Vec<EventRow>, ServiceError> {
        let listing = Listing::Upcoming { now: self.clock.now(), departement: None, commune: Some(code), kind: None };
        let mut conn = self.db.pool.acquire().await.map_err(failed)?;
        let records = records::list(&mut conn, listing, 20, 0).await.map_err(failed)?;
        Ok(records.iter().map(EventRecord::row).collect())
    }

    async fn event(&self, viewer: Option<SignedIn>, id: i64) -> Result<Option<EventView>, ServiceError> {
        self.read_event(viewer.map(|v| v.0), id).await.map_err(failed)
    }

    async fn organisation_events(
        &self,
        user: SignedIn,
        organisation: i64,
    ) -> Result<Option<OrganisationEvents>, ServiceError> {
        self.read_organisation_events(user.0, organisation).await.map_err(failed)
    }
}

/// Gives a place freed at `event` to the first one waiting, if any.
async fn give_place_to_first_waiting(tx: &mut sqlx::Transaction<'_, sqlx::Any>, event: i64) -> Result<(), sqlx::Error> {
    let next: Option<i64> = sqlx::query_scalar(
        "SELECT user_id FROM event_registrations WHERE event_id = $1 AND status = 'attente'
         ORDER BY created_at, user_id LIMIT 1",
    )
    .bind(event)
    .fetch_optional(&mut **tx)
    .await?;
    if let Some(next) = next {
        sqlx::query("UPDATE event_registrations SET status = 'inscrit' WHERE event_id = $1 AND user_id = $2")
            .bind(event)
            .bind(next)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Removes every registration of `user` (whose account goes), each place they held going to
/// the first one waiting, in the caller's transaction.
pub(crate) async fn free_places_of(tx: &mut sqlx::Transaction<'_, sqlx::Any>, user: i64) -> Result<(), sqlx::Error> {
    let held: Vec<i64> =
        sqlx::query_scalar("SELECT event_id FROM event_registrations WHERE user_id = $1 AND status = 'inscrit'")
            .bind(user)
            .fetch_all(&mut **tx)
            .await?;
    sqlx::query("DELETE FROM event_registrations WHERE user_id = $1").bind(user).execute(&mut **tx).await?;
    for event in held {
        give_place_to_first_waiting(tx, event).await?;
    }
    Ok(())
}
