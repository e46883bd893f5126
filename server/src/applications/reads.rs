//! What application pages read. A candidate reads their own applications; a member of an
//! organisation those to its offers; nobody reads anything else. A CV's bytes are read only
//! by `Applications::cv`, never with a list.

use super::{Applications, Side};
use app::api::account::SignedIn;
use app::api::application::{
    ApplicationCard, ApplicationService, ApplicationStatus, ApplicationView, ApplyScope, ApplySection, ApplyState,
    ReceivedApplications, StatusEvent, ThreadMessage, median,
};
use app::api::offer::{OfferStatus, offer_path};
use app::api::organisation::ServiceError;
use sqlx::Row;
use sqlx::any::AnyRow;

/// Shown for the author of a message or a change whose account was deleted.
const DELETED: &str = "compte supprimé";

/// The columns of an application's card: id, offer's id and title, organisation's name,
/// candidate's name, status, created_at, updated_at, whether there is a CV (index 8), then
/// the organisation's id (9), the message (10), the CV's name and size (11, 12).
const CARD_SELECT: &str = "
    SELECT a.id, o.id, o.title, g.name, u.display_name, a.status, a.created_at, a.updated_at,
           CASE WHEN a.cv_size IS NULL THEN 0 ELSE 1 END, g.id, a.message, a.cv_name, a.cv_size
    FROM applications a
    JOIN offers o ON o.id = a.offer_id
    JOIN organisations g ON g.id = o.organisation_id
    JOIN users u ON u.id = a.candidate_id";

fn status(row: &AnyRow, index: usize) -> Result<ApplicationStatus, sqlx::Error> {
    let code: String = row.try_get(index)?;
    ApplicationStatus::from_code(&code)
        .ok_or_else(|| sqlx::Error::Decode(format!("candidature : statut illisible « {code} »").into()))
}

fn card(row: &AnyRow) -> Result<ApplicationCard, sqlx::Error> {
    let offer_id: i64 = row.try_get(1)?;
    let title: String = row.try_get(2)?;
    Ok(ApplicationCard {
        id: row.try_get(0)?,
        offer_path: offer_path(offer_id, &title),
        offer_title: title,
        organisation_name: row.try_get(3)?,
        candidate_name: row.try_get(4)?,
        status: status(row, 5)?,
        created_at: row.try_get(6)?,
        updated_at: row.try_get(7)?,
        has_cv: row.try_get::<i64, _>(8)? == 1,
    })
}

fn failed(error: impl std::fmt::Display) -> ServiceError {
    ServiceError(error.to_string())
}

impl Applications {
    /// Who `user` is to application `id`, if anybody.
    pub(super) async fn side(&self, user: i64, id: i64) -> Result<Option<Side>, sqlx::Error> {
        let row = sqlx::query(
            "SELECT a.candidate_id,
                    CASE WHEN EXISTS (SELECT 1 FROM memberships m
                                      WHERE m.organisation_id = o.organisation_id AND m.user_id = $2)
                         THEN 1 ELSE 0 END
             FROM applications a JOIN offers o ON o.id = a.offer_id WHERE a.id = $1",
        )
        .bind(id)
        .bind(user)
        .fetch_optional(&self.db.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let candidate: i64 = row.try_get(0)?;
        let member: i64 = row.try_get(1)?;
        Ok(if candidate == user {
            Some(Side::Candidate)
        } else if member == 1 {
            Some(Side::Organisation)
        } else {
            None
        })
    }

    /// The applications of `user`, newest first.
    pub async fn read_mine(&self, user: i64) -> Result<Vec<ApplicationCard>, sqlx::Error> {
        let sql = format!("{CARD_SELECT} WHERE a.candidate_id = $1 ORDER BY a.created_at DESC, a.id DESC");
        sqlx::query(sqlx::AssertSqlSafe(sql)).bind(user).fetch_all(&self.db.pool).await?.iter().map(card).collect()
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
        let sql = format!("{CARD_SELECT} WHERE o.organisation_id = $1 ORDER BY a.created_at DESC, a.id DESC");
        let applications = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(organisation)
            .fetch_all(&self.db.pool)
            .await?
            .iter()
            .map(card)
            .collect::<Result<_, _>>()?;
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
        let sql = format!("{CARD_SELECT} WHERE a.id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_one(&self.db.pool).await?;
        let cv_name: Option<String> = row.try_get(11)?;
        let cv_size: Option<i64> = row.try_get(12)?;
        let thread = sqlx::query(
            "SELECT u.display_name, m.from_organisation, m.body, m.created_at
             FROM application_messages m LEFT JOIN users u ON u.id = m.author_id
             WHERE m.application_id = $1 ORDER BY m.id",
        )
        .bind(id)
        .fetch_all(&self.db.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(ThreadMessage {
                author: r.try_get::<Option<String>, _>(0)?.unwrap_or_else(|| DELETED.to_owned()),
                from_organisation: r.try_get::<i64, _>(1)? == 1,
                body: r.try_get(2)?,
                created_at: r.try_get(3)?,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
        let history = sqlx::query(
            "SELECT u.display_name, e.from_status, e.to_status, e.created_at
             FROM application_events e LEFT JOIN users u ON u.id = e.actor_id
             WHERE e.application_id = $1 ORDER BY e.id",
        )
        .bind(id)
        .fetch_all(&self.db.pool)
        .await?
        .iter()
        .map(|r| {
            let from: Option<String> = r.try_get(1)?;
            Ok(StatusEvent {
                actor: r.try_get::<Option<String>, _>(0)?.unwrap_or_else(|| DELETED.to_owned()),
                from: from.as_deref().and_then(ApplicationStatus::from_code),
                to: status(r, 2)?,
                created_at: r.try_get(3)?,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
        Ok(Some(ApplicationView {
            card: card(&row)?,
            organisation_id: row.try_get(9)?,
            message: row.try_get(10)?,
            cv: cv_name.zip(cv_size),
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
        let row = sqlx::query("SELECT organisation_id, status, expires_at FROM offers WHERE id = $1")
            .bind(offer)
            .fetch_optional(&self.db.pool)
            .await?;
        let Some(row) = row else { return Ok(None) };
        let organisation: i64 = row.try_get(0)?;
        let status: String = row.try_get(1)?;
        let expires_at: Option<i64> = row.try_get(2)?;
        let open = status == OfferStatus::Publiee.code() && expires_at.is_some_and(|end| end > super::now());
        let state = match viewer {
            _ if !open => ApplyState::Closed,
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
                         THEN 1 ELSE 0 END,
                    (SELECT a.id FROM applications a WHERE a.offer_id = $3 AND a.candidate_id = u.id)
             FROM users u WHERE u.id = $1",
        )
        .bind(user)
        .bind(organisation)
        .bind(offer)
        .fetch_one(&self.db.pool)
        .await?;
        Ok(ApplyScope {
            verified: row.try_get::<Option<i64>, _>(0)?.is_some(),
            member: row.try_get::<i64, _>(1)? == 1,
            applied: row.try_get(2)?,
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
