//! What the organisation pages read: the server's implementation of
//! `app::api::organisation::OrganisationService`. Each read checks what the user may see.

use super::{Organisations, require_moderator, role_of};
use crate::accounts;
use crate::mail;
use app::api::account::SignedIn;
use app::api::organisation::*;
use app::api::territory::paths as territory_paths;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

/// The columns `organisation_row` reads, from `organisations o` with the reference tables
/// joined as below.
const COLUMNS: &str = "o.id, o.kind, o.name, o.status, o.rejection_reason, o.created_at, o.verified_at,
    o.commune_code, c.name, c.slug, o.epci_siren, e.name, e.slug, o.departement_code, d.name, d.slug,
    o.finess, h.name, hc.name, hc.code, hc.slug";
const JOINS: &str = "LEFT JOIN communes c ON c.code = o.commune_code
    LEFT JOIN epcis e ON e.siren = o.epci_siren
    LEFT JOIN departements d ON d.code = o.departement_code
    LEFT JOIN health_structures h ON h.finess = o.finess
    LEFT JOIN communes hc ON hc.code = h.commune_code";

/// An organisation's own columns, with its reference as the reference data names it.
struct OrganisationRow {
    id: i64,
    kind: OrganisationKind,
    name: String,
    status: OrganisationStatus,
    rejection_reason: Option<String>,
    created_at: i64,
    verified_at: Option<i64>,
    reference: Option<ReferenceView>,
    code: String,
}

fn decode_error(what: &str, value: &str) -> sqlx::Error {
    sqlx::Error::Decode(format!("{what} inconnu en base : {value}").into())
}

fn organisation_row(r: &AnyRow) -> Result<OrganisationRow, sqlx::Error> {
    let kind: String = r.try_get(1)?;
    let status: String = r.try_get(3)?;
    let place = |code: usize, name: usize, slug: usize, path: fn(&str, &str) -> String, label: &str| {
        let code: Option<String> = r.try_get(code)?;
        let name: Option<String> = r.try_get(name)?;
        let slug: Option<String> = r.try_get(slug)?;
        Ok::<_, sqlx::Error>(code.map(|code| ReferenceView {
            label: label.to_owned(),
            path: slug.map(|slug| path(&code, &slug)),
            code,
            name,
        }))
    };
    let commune = place(7, 8, 9, territory_paths::commune, "Code INSEE")?;
    let epci = place(10, 11, 12, territory_paths::epci, "SIREN")?;
    let departement = place(13, 14, 15, territory_paths::departement, "Département")?;
    let finess = {
        let code: Option<String> = r.try_get(16)?;
        let name: Option<String> = r.try_get(17)?;
        let commune_name: Option<String> = r.try_get(18)?;
        let commune: Option<String> = r.try_get(19)?;
        let slug: Option<String> = r.try_get(20)?;
        code.map(|code| ReferenceView {
            label: "FINESS".to_owned(),
            name: name.map(|name| match commune_name {
                Some(commune) => format!("{name} ({commune})"),
                None => name,
            }),
            path: commune.zip(slug).map(|(commune, slug)| territory_paths::commune(&commune, &slug)),
            code,
        })
    };
    let reference = commune.or(epci).or(departement).or(finess);
    Ok(OrganisationRow {
        id: r.try_get(0)?,
        kind: OrganisationKind::from_code(&kind).ok_or_else(|| decode_error("type", &kind))?,
        name: r.try_get(2)?,
        status: OrganisationStatus::from_code(&status).ok_or_else(|| decode_error("statut", &status))?,
        rejection_reason: r.try_get(4)?,
        created_at: r.try_get(5)?,
        verified_at: r.try_get(6)?,
        code: reference.as_ref().map(|r| r.code.clone()).unwrap_or_default(),
        reference,
    })
}

fn role(code: &str) -> Result<Role, sqlx::Error> {
    Role::from_code(code).ok_or_else(|| decode_error("rôle", code))
}

impl Organisations {
    /// The organisations `user` belongs to, by name.
    pub async fn mine(&self, user: i64) -> Result<Vec<OrganisationSummary>, sqlx::Error> {
        sqlx::query(
            "SELECT o.id, o.kind, o.name, o.status, m.role
             FROM memberships m JOIN organisations o ON o.id = m.organisation_id
             WHERE m.user_id = $1 ORDER BY o.name, o.id",
        )
        .bind(user)
        .fetch_all(&self.db.pool)
        .await?
        .iter()
        .map(|r| {
            let kind: String = r.try_get(1)?;
            let status: String = r.try_get(3)?;
            Ok(OrganisationSummary {
                id: r.try_get(0)?,
                kind: OrganisationKind::from_code(&kind).ok_or_else(|| decode_error("type", &kind))?,
                name: r.try_get(2)?,
                status: OrganisationStatus::from_code(&status).ok_or_else(|| decode_error("statut", &status))?,
                role: role(&r.try_get::<String, _>(4)?)?,
            })
        })
        .collect()
    }

    /// One organisation as `user` may see it: its members see the members, its owners also
    /// their addresses and the open invitations, moderators everything but the invitations;
    /// anybody else gets None.
    pub async fn detail(&self, user: i64, organisation: i64) -> Result<Option<OrganisationDetail>, sqlx::Error> {
        let mut conn = self.db.pool.acquire().await?;
        let my_role = role_of(&mut conn, organisation, user).await?;
        let moderator = match my_role {
            Some(_) => false,
            None => require_moderator(&mut conn, user).await.is_ok(),
        };
        if my_role.is_none() && !moderator {
            return Ok(None);
        }
        let sql = format!("SELECT {COLUMNS} FROM organisations o {JOINS} WHERE o.id = $1");
        let Some(row) = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(organisation).fetch_optional(&mut *conn).await?
        else {
            return Ok(None);
        };
        let row = organisation_row(&row)?;
        let sees_addresses = moderator || my_role == Some(Role::Owner);
        let members = sqlx::query(
            "SELECT u.id, u.display_name, u.email, m.role, m.created_at
             FROM memberships m JOIN users u ON u.id = m.user_id
             WHERE m.organisation_id = $1 ORDER BY m.role DESC, u.display_name, u.id",
        )
        .bind(organisation)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| {
            let id: i64 = r.try_get(0)?;
            Ok(Member {
                user_id: id,
                display_name: r.try_get(1)?,
                email: if sees_addresses { Some(r.try_get(2)?) } else { None },
                role: role(&r.try_get::<String, _>(3)?)?,
                since: r.try_get(4)?,
                is_me: id == user,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
        let invitations =
            if my_role == Some(Role::Owner) { open_invitations(&mut conn, organisation).await? } else { Vec::new() };
        Ok(Some(OrganisationDetail {
            id: row.id,
            kind: row.kind,
            name: row.name,
            reference: row.reference,
            status: row.status,
            rejection_reason: row.rejection_reason,
            created_at: row.created_at,
            verified_at: row.verified_at,
            my_role,
            members,
            invitations,
            code: row.code,
        }))
    }

    /// What the link of an invitation mail leads to; None for a link that is not one of ours.
    pub async fn invitation(&self, token: &str) -> Result<Option<InvitationView>, sqlx::Error> {
        let row = sqlx::query(
            "SELECT i.organisation_id, o.name, o.kind, i.email, u.display_name, i.role, i.accepted_at, i.expires_at
             FROM invitations i JOIN organisations o ON o.id = i.organisation_id
             LEFT JOIN users u ON u.id = i.invited_by
             WHERE i.token_hash = $1",
        )
        .bind(accounts::digest(token))
        .fetch_optional(&self.db.pool)
        .await?;
        let Some(r) = row else { return Ok(None) };
        let kind: String = r.try_get(2)?;
        let state = if r.try_get::<Option<i64>, _>(6)?.is_some() {
            InvitationState::Accepted
        } else if r.try_get::<i64, _>(7)? <= super::now() {
            InvitationState::Closed
        } else {
            InvitationState::Open
        };
        Ok(Some(InvitationView {
            organisation_id: r.try_get(0)?,
            organisation: r.try_get(1)?,
            kind: OrganisationKind::from_code(&kind).ok_or_else(|| decode_error("type", &kind))?,
            email: r.try_get(3)?,
            inviter: r.try_get(4)?,
            role: role(&r.try_get::<String, _>(5)?)?,
            state,
        }))
    }

    /// The moderation page for a moderator; None for anybody else.
    pub async fn moderation(&self, user: i64) -> Result<Option<ModerationPage>, sqlx::Error> {
        let mut conn = self.db.pool.acquire().await?;
        match require_moderator(&mut conn, user).await {
            Ok(_) => {}
            Err(super::OrganisationError::Database(error)) => return Err(error),
            Err(_) => return Ok(None),
        }
        let queue = queue(&mut conn).await?;
        let log = log(&mut conn).await?;
        drop(conn);
        let failed_mails = mail::failed_mails(&self.db)
            .await?
            .into_iter()
            .map(|m| FailedMailRow {
                id: m.id,
                recipient: m.recipient,
                subject: m.subject,
                template: m.template,
                queued_at: m.created_at / 1000,
                attempts: m.attempts,
                last_error: m.last_error,
            })
            .collect();
        Ok(Some(ModerationPage { queue, log, failed_mails }))
    }
}

async fn open_invitations(conn: &mut AnyConnection, organisation: i64) -> Result<Vec<PendingInvitation>, sqlx::Error> {
    sqlx::query(
        "SELECT id, email, role, expires_at FROM invitations
         WHERE organisation_id = $1 AND accepted_at IS NULL AND expires_at > $2 ORDER BY created_at DESC, id DESC",
    )
    .bind(organisation)
    .bind(super::now())
    .fetch_all(conn)
    .await?
    .iter()
    .map(|r| {
        Ok(PendingInvitation {
            id: r.try_get(0)?,
            email: r.try_get(1)?,
            role: role(&r.try_get::<String, _>(2)?)?,
            expires_at: r.try_get(3)?,
        })
    })
    .collect()
}

/// Organisations waiting for moderation, oldest first, each with the other organisations of
/// the same kind and reference (a duplicate, or someone claiming a territory that already has
/// its organisation).
async fn queue(conn: &mut AnyConnection) -> Result<Vec<QueuedOrganisation>, sqlx::Error> {
    let sql = format!(
        "SELECT {COLUMNS}, u.display_name, u.email, u.email_verified_at
         FROM organisations o {JOINS} LEFT JOIN users u ON u.id = o.created_by
         WHERE o.status = $1 ORDER BY o.created_at, o.id"
    );
    let rows =
        sqlx::query(sqlx::AssertSqlSafe(sql)).bind(OrganisationStatus::Pending.code()).fetch_all(&mut *conn).await?;
    let mut queue = Vec::with_capacity(rows.len());
    for r in &rows {
        let row = organisation_row(r)?;
        let same_reference = if row.reference.is_some() {
            sqlx::query(
                "SELECT o.name, o.status FROM organisations o, organisations q
                 WHERE q.id = $1 AND o.id <> q.id AND o.kind = q.kind AND o.status <> 'refusee'
                   AND (o.commune_code = q.commune_code OR o.epci_siren = q.epci_siren
                        OR o.departement_code = q.departement_code OR o.finess = q.finess)
                 ORDER BY o.id",
            )
            .bind(row.id)
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(|r| {
                let status: String = r.try_get(1)?;
                let status = OrganisationStatus::from_code(&status).map_or(status.clone(), |s| s.label().to_owned());
                Ok(format!("{} ({status})", r.try_get::<String, _>(0)?))
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()?
        } else {
            Vec::new()
        };
        queue.push(QueuedOrganisation {
            id: row.id,
            kind: row.kind,
            name: row.name,
            reference: row.reference,
            created_at: row.created_at,
            creator_name: r.try_get(21)?,
            creator_email: r.try_get(22)?,
            creator_verified: r.try_get::<Option<i64>, _>(23)?.is_some(),
            same_reference,
        });
    }
    Ok(queue)
}

async fn log(conn: &mut AnyConnection) -> Result<Vec<LogEntry>, sqlx::Error> {
    sqlx::query(
        "SELECT l.created_at, l.actor_email, l.action, l.organisation_id, o.name, l.reason
         FROM moderation_log l JOIN organisations o ON o.id = l.organisation_id
         ORDER BY l.created_at DESC, l.id DESC LIMIT $1",
    )
    .bind(LOG_LIMIT)
    .fetch_all(conn)
    .await?
    .iter()
    .map(|r| {
        let action: String = r.try_get(2)?;
        Ok(LogEntry {
            at: r.try_get(0)?,
            actor_email: r.try_get(1)?,
            action: ModerationAction::from_code(&action).ok_or_else(|| decode_error("action", &action))?,
            organisation_id: r.try_get(3)?,
            organisation: r.try_get(4)?,
            reason: r.try_get(5)?,
        })
    })
    .collect()
}

fn failed(error: sqlx::Error) -> ServiceError {
    ServiceError(format!("database: {error}"))
}

#[async_trait::async_trait]
impl OrganisationService for Organisations {
    #[tracing::instrument(skip_all)]
    async fn mine(&self, user: SignedIn) -> Result<Vec<OrganisationSummary>, ServiceError> {
        Organisations::mine(self, user.0).await.map_err(failed)
    }

    #[tracing::instrument(skip_all, fields(organisation = id))]
    async fn organisation(&self, user: SignedIn, id: i64) -> Result<Option<OrganisationDetail>, ServiceError> {
        self.detail(user.0, id).await.map_err(failed)
    }

    #[tracing::instrument(skip_all)]
    async fn invitation(&self, token: &str) -> Result<Option<InvitationView>, ServiceError> {
        Organisations::invitation(self, token).await.map_err(failed)
    }

    #[tracing::instrument(skip_all)]
    async fn moderation(&self, user: SignedIn) -> Result<Option<ModerationPage>, ServiceError> {
        Organisations::moderation(self, user.0).await.map_err(failed)
    }
}
