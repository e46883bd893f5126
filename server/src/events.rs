//! Events: verified organisations (collectivités, structures, institutions) publish them; people
//! register within the capacity, then on a waiting list; a freed place goes to the first one
//! waiting. Each write touches the event's row first, which serialises the registrations of
//! one event on both engines (a row lock on PostgreSQL, the write lock on SQLite), so two last
//! registrations cannot both take the last place.

mod form;
pub mod ical;

pub use form::{NewEvent, validate};

use crate::db::Database;
use crate::organisations::is_member;
use crate::promotion::markdown;
use app::api::account::SignedIn;
use app::api::event::{
    CandidateLine, EventForm, EventKind, EventProblem, EventRow, EventView, EventsPage, Matches, OfferLink,
    OrganisationEvents, Registration,
};
use app::api::offer::offer_path;
use app::api::organisation::ServiceError;
use app::api::territory::{TerritoryRef, paths as territory_paths};
use sqlx::{AnyConnection, Row};
use std::time::{SystemTime, UNIX_EPOCH};

#[derive(Debug, thiserror::Error)]
pub enum EventError {
    #[error("{}", .0.message())]
    Invalid(EventProblem),
    #[error("le service est momentanément indisponible, réessayez dans un instant")]
    Database(#[from] sqlx::Error),
}

impl From<EventProblem> for EventError {
    fn from(problem: EventProblem) -> Self {
        Self::Invalid(problem)
    }
}

pub fn now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or_default()
}

type Tx = sqlx::Transaction<'static, sqlx::Any>;

const ROW: &str = "SELECT e.id, e.kind, e.title, o.name AS organisation, c.code AS commune_code, c.name AS commune,
        c.slug AS commune_slug, e.starts_at, e.ends_at, e.capacity, e.cancelled_at, e.description, e.place, e.organisation_id,
        (SELECT CAST(COUNT(*) AS BIGINT) FROM event_registrations r WHERE r.event_id = e.id AND r.status = 'inscrit') AS taken
    FROM events e JOIN organisations o ON o.id = e.organisation_id JOIN communes c ON c.code = e.commune_code";

fn row_of(r: &sqlx::any::AnyRow) -> Result<EventRow, sqlx::Error> {
    let code: String = r.try_get("commune_code")?;
    let capacity: i64 = r.try_get("capacity")?;
    let taken: i64 = r.try_get("taken")?;
    Ok(EventRow {
        id: r.try_get("id")?,
        kind: EventKind::from_code(&r.try_get::<String, _>("kind")?).unwrap_or(EventKind::Forum),
        title: r.try_get("title")?,
        organisation_name: r.try_get("organisation")?,
        commune: TerritoryRef {
            name: r.try_get("commune")?,
            path: territory_paths::commune(&code, &r.try_get::<String, _>("commune_slug")?),
        },
        starts_at: r.try_get("starts_at")?,
        ends_at: r.try_get("ends_at")?,
        places_left: (capacity - taken).max(0),
        cancelled: r.try_get::<Option<i64>, _>("cancelled_at")?.is_some(),
    })
}

/// The event's state for a write, its row touched first (see the module documentation).
struct Locked {
    organisation: i64,
    capacity: i64,
    starts_at: i64,
    cancelled: bool,
}

async fn lock(tx: &mut Tx, event: i64) -> Result<Locked, EventError> {
    let touched = sqlx::query("UPDATE events SET updated_at = $1 WHERE id = $2")
        .bind(now())
        .bind(event)
        .execute(&mut **tx)
        .await?;
    if touched.rows_affected() == 0 {
        return Err(EventProblem::NotFound.into());
    }
    let r = sqlx::query("SELECT organisation_id, capacity, starts_at, cancelled_at FROM events WHERE id = $1")
        .bind(event)
        .fetch_one(&mut **tx)
        .await?;
    Ok(Locked {
        organisation: r.try_get(0)?,
        capacity: r.try_get(1)?,
        starts_at: r.try_get(2)?,
        cancelled: r.try_get::<Option<i64>, _>(3)?.is_some(),
    })
}

async fn registration(conn: &mut AnyConnection, event: i64, user: i64) -> Result<Option<Registration>, sqlx::Error> {
    let row = sqlx::query("SELECT status, created_at FROM event_registrations WHERE event_id = $1 AND user_id = $2")
        .bind(event)
        .bind(user)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(row) = row else { return Ok(None) };
    let status: String = row.try_get(0)?;
    if status == "inscrit" {
        return Ok(Some(Registration::Registered));
    }
    let created: i64 = row.try_get(1)?;
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
    public_url: String,
}

impl Events {
    pub fn new(db: Database, public_url: String) -> Self {
        Self { db, public_url }
    }

    /// Publishes an event of `organisation` (members of a verified organisation that is not a
    /// doctor's own practice); its id.
    #[tracing::instrument(skip_all, fields(user, organisation))]
    pub async fn publish(&self, user: i64, organisation: i64, form: &EventForm) -> Result<i64, EventError> {
        let event = validate(form, now())?;
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
        let known: Option<String> = sqlx::query_scalar("SELECT code FROM communes WHERE code = $1")
            .bind(event.commune.as_str().to_owned())
            .fetch_optional(&mut *tx)
            .await?;
        if known.is_none() {
            return Err(EventProblem::Commune.into());
        }
        let at = now();
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
        let locked = lock(&mut tx, event).await?;
        if locked.cancelled || locked.starts_at <= now() {
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
        let status = if taken < locked.capacity { "inscrit" } else { "attente" };
        sqlx::query("INSERT INTO event_registrations (event_id, user_id, status, created_at) VALUES ($1, $2, $3, $4)")
            .bind(event)
            .bind(user)
            .bind(status)
            .bind(now())
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
        lock(&mut tx, event).await?;
        let Some(was) = registration(&mut tx, event, user).await? else {
            return Err(EventProblem::NotRegistered.into());
        };
        sqlx::query("DELETE FROM event_registrations WHERE event_id = $1 AND user_id = $2")
            .bind(event)
            .bind(user)
            .execute(&mut *tx)
            .await?;
        if was == Registration::Registered {
            let next: Option<i64> = sqlx::query_scalar(
                "SELECT user_id FROM event_registrations WHERE event_id = $1 AND status = 'attente'
                 ORDER BY created_at, user_id LIMIT 1",
            )
            .bind(event)
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(next) = next {
                sqlx::query("UPDATE event_registrations SET status = 'inscrit' WHERE event_id = $1 AND user_id = $2")
                    .bind(event)
                    .bind(next)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }

    /// Cancels the event (members of its organisation); it stays listed as cancelled.
    pub async fn cancel(&self, user: i64, event: i64) -> Result<(), EventError> {
        let mut tx = self.db.begin_write().await?;
        let locked = lock(&mut tx, event).await?;
        if !is_member(&mut tx, locked.organisation, user).await? {
            return Err(EventProblem::NotFound.into());
        }
        sqlx::query("UPDATE events SET cancelled_at = $1 WHERE id = $2 AND cancelled_at IS NULL")
            .bind(now())
            .bind(event)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Upcoming (not ended) events, soonest first, of one département or all.
    pub async fn read_upcoming(&self, departement: Option<&str>) -> Result<Vec<EventRow>, sqlx::Error> {
        let rows = match departement {
            Some(dep) => {
                let sql =
                    format!("{ROW} WHERE e.ends_at > $1 AND c.departement_code = $2 ORDER BY e.starts_at LIMIT 200");
                sqlx::query(sqlx::AssertSqlSafe(sql)).bind(now()).bind(dep.to_owned()).fetch_all(&self.db.pool).await?
            }
            None => {
                let sql = format!("{ROW} WHERE e.ends_at > $1 ORDER BY e.starts_at LIMIT 200");
                sqlx::query(sqlx::AssertSqlSafe(sql)).bind(now()).fetch_all(&self.db.pool).await?
            }
        };
        rows.iter().map(row_of).collect()
    }

    async fn read_event(&self, viewer: Option<i64>, id: i64) -> Result<Option<EventView>, sqlx::Error> {
        let mut conn = self.db.pool.acquire().await?;
        let sql = format!("{ROW} WHERE e.id = $1");
        let Some(r) = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&mut *conn).await? else {
            return Ok(None);
        };
        let row = row_of(&r)?;
        let capacity: i64 = r.try_get("capacity")?;
        let organisation: i64 = r.try_get("organisation_id")?;
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
        let past = row.ends_at <= now();
        let matches = match (viewer, mine) {
            (Some(user), Some(Registration::Registered)) if !past && !row.cancelled => {
                Some(self.matches(&mut conn, id, user, organisation).await?)
            }
            _ => None,
        };
        Ok(Some(EventView {
            registered: capacity - row.places_left,
            row,
            description_html: markdown::render(&r.try_get::<String, _>("description")?),
            place: r.try_get("place")?,
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
        let rows = sqlx::query(
            "SELECT u.display_name, r.status FROM event_registrations r JOIN users u ON u.id = r.user_id
             WHERE r.event_id = $1 ORDER BY r.status DESC, r.created_at, r.user_id",
        )
        .bind(event)
        .fetch_all(conn)
        .await?;
        let mut waiting = 0;
        rows.iter()
            .map(|r| {
                let status: String = r.try_get(1)?;
                let registration = if status == "inscrit" {
                    Registration::Registered
                } else {
                    waiting += 1;
                    Registration::Waiting(waiting)
                };
                Ok((r.try_get(0)?, registration))
            })
            .collect()
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
        let offers = sqlx::query(
            "SELECT o.id, o.title, g.name, c.name FROM offers o JOIN organisations g ON g.id = o.organisation_id
             JOIN communes c ON c.code = o.commune_code
             WHERE o.status = 'publiee' AND o.expires_at > $1 AND o.example = 0
               AND (o.organisation_id = $2 OR o.organisation_id IN (
                    SELECT m.organisation_id FROM memberships m JOIN event_registrations r ON r.user_id = m.user_id
                    WHERE r.event_id = $3 AND r.status = 'inscrit' AND r.user_id <> $4))
             ORDER BY o.published_at DESC LIMIT 30",
        )
        .bind(now())
        .bind(organiser)
        .bind(event)
        .bind(user)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| {
            let (id, title): (i64, String) = (r.try_get(0)?, r.try_get(1)?);
            Ok(OfferLink { path: offer_path(id, &title), title, organisation: r.try_get(2)?, commune: r.try_get(3)? })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
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
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(|r| {
                let status: String = r.try_get(1)?;
                Ok(CandidateLine {
                    name: r.try_get(0)?,
                    status: app::api::profile::Status::from_code(&status)
                        .map(|s| s.label().to_owned())
                        .unwrap_or(status),
                    specialty: r.try_get(2)?,
                })
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()?
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
        let sql = format!("{ROW} WHERE e.organisation_id = $1 ORDER BY e.starts_at DESC");
        let events = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(organisation).fetch_all(&mut *conn).await?;
        Ok(Some(OrganisationEvents {
            organisation_id: organisation,
            organisation_name: name,
            may_publish: kind != "cabinet" && status == "verifiee",
            events: events.iter().map(row_of).collect::<Result<_, _>>()?,
        }))
    }

    /// iCalendar of one event, or of every upcoming one (None for an unknown id).
    pub async fn ics(&self, id: Option<i64>) -> Result<Option<String>, sqlx::Error> {
        let rows = match id {
            Some(id) => {
                let sql = format!("{ROW} WHERE e.id = $1");
                sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_all(&self.db.pool).await?
            }
            None => {
                let sql = format!("{ROW} WHERE e.ends_at > $1 ORDER BY e.starts_at LIMIT 500");
                sqlx::query(sqlx::AssertSqlSafe(sql)).bind(now()).fetch_all(&self.db.pool).await?
            }
        };
        if id.is_some() && rows.is_empty() {
            return Ok(None);
        }
        let events: Vec<EventRow> = rows.iter().map(row_of).collect::<Result<_, _>>()?;
        // Description and place come with each row: no query per event.
        let details = rows
            .iter()
            .map(|r| Ok((r.try_get::<String, _>("description")?, r.try_get::<String, _>("place")?)))
            .collect::<Result<Vec<_>, sqlx::Error>>()?;
        let entries: Vec<ical::Entry> = events
            .iter()
            .zip(&details)
            .map(|(row, (description, place))| ical::Entry {
                row,
                place,
                description,
                url: format!("{}{}", self.public_url, app::api::event::paths::event(row.id)),
            })
            .collect();
        let host = self.public_url.split("://").nth(1).unwrap_or("localhost").split('/').next().unwrap_or("localhost");
        Ok(Some(ical::calendar(&entries, host, now())))
    }
}

fn failed(error: sqlx::Error) -> ServiceError {
    ServiceError(error.to_string())
}

#[async_trait::async_trait]
impl app::api::event::EventService for Events {
    async fn upcoming(&self, departement: Option<String>) -> Result<EventsPage, ServiceError> {
        let events = self.read_upcoming(departement.as_deref()).await.map_err(failed)?;
        let departements: Vec<(String, String)> = sqlx::query_as("SELECT code, name FROM departements ORDER BY code")
            .fetch_all(&self.db.pool)
            .await
            .map_err(failed)?;
        Ok(EventsPage { events, departement, departements })
    }

    async fn in_commune(&self, code: &str) -> Result<Vec<EventRow>, ServiceError> {
        let sql = format!("{ROW} WHERE e.ends_at > $1 AND e.commune_code = $2 ORDER BY e.starts_at LIMIT 20");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(now())
            .bind(code.to_owned())
            .fetch_all(&self.db.pool)
            .await
            .map_err(failed)?;
        rows.iter().map(row_of).collect::<Result<_, _>>().map_err(failed)
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
