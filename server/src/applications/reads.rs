//! What application pages read. A candidate reads their own applications; a member of an
//! organisation those to its offers; nobody reads anything else. A CV's bytes are read only
//! by `Applications::cv`, never with a list.

use super::{Applications, Side};
use crate::db::rows::{Code, Flag, table, typed};
use app::domain::ServiceError;
use app::domain::accounts::SignedIn;
use app::domain::applications::{
    ApplicationCard, ApplicationService, ApplicationStatus, ApplicationView, ApplyScope, ApplySection, ApplyState,
    ReceivedApplications, StatusEvent, ThreadMessage, median,
};
use app::domain::offers::offer_path;

/// Shown for the author of a message or a change whose account was deleted.
pub(super) const DELETED: &str = "compte supprimé";

/// An application with its offer, organisation and candidate, read as a `CardRow`.
const CARD_SELECT: &str = "
    SELECT a.id, o.id AS offer_id, o.title AS offer_title, g.name AS organisation_name,
           u.display_name AS candidate_name, a.status, a.created_at, a.updated_at,
           CASE WHEN a.cv_size IS NULL THEN 0 ELSE 1 END AS has_cv, g.id AS organisation_id, a.message,
           a.cv_name, a.cv_size, a.candidate_id
    FROM applications a
    JOIN offers o ON o.id = a.offer_id
    JOIN organisations g ON g.id = o.organisation_id
    JOIN users u ON u.id = a.candidate_id";

#[derive(sqlx::FromRow)]
struct CardRow {
    id: i64,
    offer_id: i64,
    offer_title: String,
    organisation_name: String,
    candidate_name: String,
    status: Code<ApplicationStatus>,
    created_at: i64,
    updated_at: i64,
    has_cv: Flag,
    organisation_id: i64,
    message: String,
    cv_name: Option<String>,
    cv_size: Option<i64>,
    candidate_id: i64,
}

table!(CardRow, "applications");

impl CardRow {
    fn card(&self) -> ApplicationCard {
        ApplicationCard {
            id: self.id,
            offer_path: offer_path(self.offer_id, &self.offer_title),
            offer_title: self.offer_title.clone(),
            organisation_name: self.organisation_name.clone(),
            candidate_name: self.candidate_name.clone(),
            status: self.status.0,
            created_at: self.created_at,
            updated_at: self.updated_at,
            has_cv: self.has_cv.0,
        }
    }
}

async fn cards(db: &crate::db::Database, clause: &str, bound: i64) -> Result<Vec<CardRow>, sqlx::Error> {
    let sql = format!("{CARD_SELECT} {clause}");
    sqlx::query(sqlx::AssertSqlSafe(sql)).bind(bound).try_map(typed::<CardRow>).fetch_all(&db.pool).await
}

/// A message of an application's thread.
#[derive(sqlx::FromRow)]
struct MessageRow {
    /// None once the author's account is deleted.
    author: Option<String>,
    from_organisation: Flag,
    body: String,
    created_at: i64,
}

table!(MessageRow, "application_messages");

/// A change of an application's status.
#[derive(sqlx::FromRow)]
struct EventRow {
    actor: Option<String>,
    from_status: Option<Code<ApplicationStatus>>,
    to_status: Code<ApplicationStatus>,
    created_at: i64,
}

table!(EventRow, "application_events");

/// Who an application's reader is: its candidate, and whether they belong to its organisation.
#[derive(sqlx::FromRow)]
struct Sides {
    candidate_id: i64,
    member: Flag,
}

table!(Sides, "applications");

/// What one person may do with one offer.
#[derive(sqlx::FromRow)]
struct ScopeRow {
    email_verified_at: Option<i64>,
    member: Flag,
    applied: Option<i64>,
    applied_status: Option<Code<ApplicationStatus>>,
}

table!(ScopeRow, "users");

fn failed(error: impl std::fmt::Display) -> ServiceError {
    ServiceError(error.to_string())
}

impl Applications {
    /// Who `user` is to application `id`, if anybody.
    pub(super) async fn side(&self, user: i64, id: i64) -> Result<Option<Side>, sqlx::Error> {
        let sides = sqlx::query(
            "SELECT a.candidate_id,
                    CASE WHEN EXISTS (SELECT 1 FROM memberships m
                                      WHERE m.organisation_id = o.organisation_id AND m.user_id = $2)
                         THEN 1 ELSE 0 END AS member
             FROM applications a JOIN offers o ON o.id = a.offer_id WHERE a.id = $1",
        )
        .bind(id)
        .bind(user)
        .try_map(typed::<Sides>)
        .fetch_optional(&self.db.pool)
        .await?;
        let Some(sides) = sides else { return Ok(None) };
        Ok(if sides.candidate_id == user {
            Some(Side::Candidate)
        } else if sides.member.0 {
            Some(Side::Organisation)
        } else {
            None
        })
    }

    /// The applications of `user`, newest first.
    pub async fn read_mine(&self, user: i64) -> Result<Vec<ApplicationCard>, sqlx::Error> {
        let rows = cards(&self.db, "WHERE a.candidate_id = $1 ORDER BY a.created_at DESC, a.id DESC", user).await?;
        Ok(rows.iter().map(CardRow::card).collect())
    }

    /// The applications to `organisation`'s offers, newest first, for a member.
    pub async fn read_received(
        &self,
        user: i64,
        organisation: i64,
    ) -> Result<Option<ReceivedApplications>, sqlx::Error> {
        let name: Option<String> = sqlx::query_scalar(
            "SELECT g.name FROM organisations g JOIN memberships m ON m.organisation_id = g.id
             WHERE g.id = $1 AND m.user_id = $2",
        )
        .bind(organisation)
        .bind(user)
        .fetch_optional(&self.db.pool)
        .await?;
        let Some(organisation_name) = name else { return Ok(None) };
        let rows =
            cards(&self.db, "WHERE o.organisation_id = $1 ORDER BY a.created_at DESC, a.id DESC", organisation).await?;
        let applications = rows.iter().map(CardRow::card).collect();
        Ok(Some(ReceivedApplications { organisation_id: organisation, organisation_name, applications }))
    }

    /// One application with its thread and history, for its candidate or a member; a
    /// member's first reading marks it read (before it is read back, so the page shows it).
    pub async fn read_application(
        &self,
        user: i64,
        id: i64,
    ) -> Result<Option<ApplicationView>, super::ApplicationError> {
        let Some(side) = self.side(user, id).await? else {
            return Ok(None);
        };
        // Checked first, so that later readings do not take the write lock (nor touch updated_at).
        let current: String = sqlx::query_scalar("SELECT status FROM applications WHERE id = $1")
            .bind(id)
            .fetch_one(&self.db.pool)
            .await?;
        if side == Side::Organisation && current == ApplicationStatus::Envoyee.code() {
            self.mark_read(user, id).await?;
        }
        let Some(row) = cards(&self.db, "WHERE a.id = $1", id).await?.pop() else {
            return Ok(None);
        };
        let thread = sqlx::query(
            "SELECT u.display_name AS author, m.from_organisation, m.body, m.created_at
             FROM application_messages m LEFT JOIN users u ON u.id = m.author_id
             WHERE m.application_id = $1 ORDER BY m.id",
        )
        .bind(id)
        .try_map(typed::<MessageRow>)
        .fetch_all(&self.db.pool)
        .await?
        .into_iter()
        .map(|m| ThreadMessage {
            author: m.author.unwrap_or_else(|| DELETED.to_owned()),
            from_organisation: m.from_organisation.0,
            body: m.body,
            created_at: m.created_at,
        })
        .collect();
        let history = sqlx::query(
            "SELECT u.display_name AS actor, e.from_status, e.to_status, e.created_at
             FROM application_events e LEFT JOIN users u ON u.id = e.actor_id
             WHERE e.application_id = $1 ORDER BY e.id",
        )
        .bind(id)
        .try_map(typed::<EventRow>)
        .fetch_all(&self.db.pool)
        .await?
        .into_iter()
        .map(|e| StatusEvent {
            actor: e.actor.unwrap_or_else(|| DELETED.to_owned()),
            from: e.from_status.map(|s| s.0),
            to: e.to_status.0,
            created_at: e.created_at,
        })
        .collect();
        // What the candidate declared of themselves, read where the profile page reads it.
        let profile = crate::people::People::new(self.db.clone()).get(row.candidate_id).await?;
        Ok(Some(ApplicationView {
            card: row.card(),
            profile,
            organisation_id: row.organisation_id,
            message: row.message,
            cv: row.cv_name.zip(row.cv_size),
            thread,
            history,
            as_organisation: side == Side::Organisation,
        }))
    }

    /// The median time, in seconds, from an application to the organisation's first response,
    /// over the applications to its offers that got one.
    pub async fn median_response(&self, organisation: i64) -> Result<Option<i64>, sqlx::Error> {
        let delays: Vec<i64> = sqlx::query_scalar(
            "SELECT a.first_response_at - a.created_at FROM applications a JOIN offers o ON o.id = a.offer_id
             WHERE o.organisation_id = $1 AND a.first_response_at IS NOT NULL",
        )
        .bind(organisation)
        .fetch_all(&self.db.pool)
        .await?;
        Ok(median(delays))
    }

    /// The « Postuler » section of offer `offer` for `viewer`.
    pub async fn read_apply_section(
        &self,
        viewer: Option<i64>,
        offer: i64,
    ) -> Result<Option<ApplySection>, sqlx::Error> {
        // A draft is, to whoever may not see it, what an unknown offer is.
        let Some(found) = crate::offers::reads::visible(&self.db, viewer, offer).await? else { return Ok(None) };
        let organisation = found.organisation_id;
        let state = match viewer {
            _ if !found.open(self.clock.now()) => ApplyState::Closed,
            None => ApplyState::SignInRequired,
            Some(user) => self.scope(user, organisation, offer).await?.into(),
        };
        Ok(Some(ApplySection {
            offer_id: offer,
            state,
            median_response_secs: self.median_response(organisation).await?,
        }))
    }

    async fn scope(&self, user: i64, organisation: i64, offer: i64) -> Result<ApplyScope, sqlx::Error> {
        let row = sqlx::query(
            "SELECT u.email_verified_at,
                    CASE WHEN EXISTS (SELECT 1 FROM memberships m WHERE m.organisation_id = $2 AND m.user_id = u.id)
                         THEN 1 ELSE 0 END AS member,
                    a.id AS applied, a.status AS applied_status
             FROM users u LEFT JOIN applications a ON a.offer_id = $3 AND a.candidate_id = u.id
             WHERE u.id = $1",
        )
        .bind(user)
        .bind(organisation)
        .bind(offer)
        .try_map(typed::<ScopeRow>)
        .fetch_one(&self.db.pool)
        .await?;
        Ok(ApplyScope {
            verified: row.email_verified_at.is_some(),
            member: row.member.0,
            applied: row.applied,
            withdrawn: row.applied_status.is_some_and(|status| status.0 == ApplicationStatus::Retiree),
        })
    }
}

#[async_trait::async_trait]
impl ApplicationService for Applications {
    #[tracing::instrument(skip_all)]
    async fn mine(&self, user: SignedIn) -> Result<Vec<ApplicationCard>, ServiceError> {
        self.read_mine(user.0).await.map_err(failed)
    }

    #[tracing::instrument(skip_all, fields(application = id))]
    async fn application(&self, user: SignedIn, id: i64) -> Result<Option<ApplicationView>, ServiceError> {
        self.read_application(user.0, id).await.map_err(failed)
    }

    #[tracing::instrument(skip_all, fields(organisation))]
    async fn received(&self, user: SignedIn, organisation: i64) -> Result<Option<ReceivedApplications>, ServiceError> {
        self.read_received(user.0, organisation).await.map_err(failed)
    }

    #[tracing::instrument(skip_all, fields(offer))]
    async fn apply_section(&self, viewer: Option<SignedIn>, offer: i64) -> Result<Option<ApplySection>, ServiceError> {
        self.read_apply_section(viewer.map(|v| v.0), offer).await.map_err(failed)
    }
}
