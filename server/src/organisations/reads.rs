//! What the organisation pages read: the server's implementation of
//! `app::domain::organisations::OrganisationService`. Each read checks what the user may see.

use super::questions::Reader;
use super::{Organisations, require_moderator, role_of};
use crate::accounts;
use crate::db::rows::{Code, Flag, table, typed};
use crate::mail;
use app::domain::ServiceError;
use app::domain::accounts::SignedIn;
use app::domain::organisations::*;
use app::domain::territory::paths as territory_paths;
use sqlx::AnyConnection;

/// The columns an `OrganisationRow` reads, from `organisations o` with the reference tables
/// joined as `JOINS` says.
const COLUMNS: &str = "o.id, o.kind, o.name, o.status, o.rejection_reason, o.created_at, o.verified_at, o.closed_at,
    o.commune_code, c.name AS commune_name, c.slug AS commune_slug,
    o.epci_siren, e.name AS epci_name, e.slug AS epci_slug,
    o.departement_code, d.name AS departement_name, d.slug AS departement_slug,
    o.finess, h.name AS structure_name, hc.name AS structure_commune_name, hc.code AS structure_commune,
    hc.slug AS structure_commune_slug";
const JOINS: &str = "LEFT JOIN communes c ON c.code = o.commune_code
    LEFT JOIN epcis e ON e.siren = o.epci_siren
    LEFT JOIN departements d ON d.code = o.departement_code
    LEFT JOIN health_structures h ON h.finess = o.finess
    LEFT JOIN communes hc ON hc.code = h.commune_code";

/// An organisation's own columns, with its reference as the reference data names it.
#[derive(sqlx::FromRow)]
struct OrganisationRow {
    id: i64,
    kind: Code<OrganisationKind>,
    name: String,
    status: Code<OrganisationStatus>,
    rejection_reason: Option<String>,
    created_at: i64,
    verified_at: Option<i64>,
    closed_at: Option<i64>,
    commune_code: Option<String>,
    commune_name: Option<String>,
    commune_slug: Option<String>,
    epci_siren: Option<String>,
    epci_name: Option<String>,
    epci_slug: Option<String>,
    departement_code: Option<String>,
    departement_name: Option<String>,
    departement_slug: Option<String>,
    finess: Option<String>,
    structure_name: Option<String>,
    structure_commune_name: Option<String>,
    structure_commune: Option<String>,
    structure_commune_slug: Option<String>,
}

table!(OrganisationRow, "organisations");

impl OrganisationRow {
    /// The territory or structure the organisation stands for, as the reference data names it.
    fn reference(&self) -> Option<ReferenceView> {
        let place = |code: &Option<String>,
                     name: &Option<String>,
                     slug: &Option<String>,
                     path: fn(&str, &str) -> String,
                     label: &str| {
            code.clone().map(|code| ReferenceView {
                label: label.to_owned(),
                path: slug.as_deref().map(|slug| path(&code, slug)),
                name: name.clone(),
                code,
            })
        };
        let finess = self.finess.clone().map(|code| ReferenceView {
            label: "FINESS".to_owned(),
            name: self.structure_name.clone().map(|name| match &self.structure_commune_name {
                Some(commune) => format!("{name} ({commune})"),
                None => name,
            }),
            path: self
                .structure_commune
                .as_deref()
                .zip(self.structure_commune_slug.as_deref())
                .map(|(commune, slug)| territory_paths::commune(commune, slug)),
            code,
        });
        place(&self.commune_code, &self.commune_name, &self.commune_slug, territory_paths::commune, "Code INSEE")
            .or_else(|| place(&self.epci_siren, &self.epci_name, &self.epci_slug, territory_paths::epci, "SIREN"))
            .or_else(|| {
                let (code, name, slug) = (&self.departement_code, &self.departement_name, &self.departement_slug);
                place(code, name, slug, territory_paths::departement, "Département")
            })
            .or(finess)
    }
}

/// One organisation of a person, with their role.
#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: i64,
    kind: Code<OrganisationKind>,
    name: String,
    status: Code<OrganisationStatus>,
    role: Code<Role>,
    closed_at: Option<i64>,
}

table!(SummaryRow, "memberships");

#[derive(sqlx::FromRow)]
struct MemberRow {
    id: i64,
    display_name: String,
    email: String,
    role: Code<Role>,
    created_at: i64,
}

table!(MemberRow, "memberships");

#[derive(sqlx::FromRow)]
struct InvitationRow {
    organisation_id: i64,
    organisation: String,
    kind: Code<OrganisationKind>,
    email: String,
    inviter: Option<String>,
    role: Code<Role>,
    accepted_at: Option<i64>,
    expires_at: i64,
    /// Its sender is still an owner of the organisation (`SENDER_STILL_OWNER`).
    sender_owner: Flag,
}

table!(InvitationRow, "invitations");

#[derive(sqlx::FromRow)]
struct PendingRow {
    id: i64,
    email: String,
    role: Code<Role>,
    expires_at: i64,
}

table!(PendingRow, "invitations");

/// An organisation waiting for moderation, with who asked for it.
#[derive(sqlx::FromRow)]
struct QueuedRow {
    #[sqlx(flatten)]
    organisation: OrganisationRow,
    creator_id: Option<i64>,
    creator_name: Option<String>,
    creator_email: Option<String>,
    creator_verified_at: Option<i64>,
}

table!(QueuedRow, "organisations");

/// Another organisation, named beside one waiting for moderation.
#[derive(sqlx::FromRow)]
struct RelatedRow {
    id: i64,
    kind: Code<OrganisationKind>,
    name: String,
    status: Code<OrganisationStatus>,
    closed_at: Option<i64>,
}

table!(RelatedRow, "organisations");

impl RelatedRow {
    fn view(self, role: Option<Role>) -> RelatedOrganisation {
        RelatedOrganisation {
            id: self.id,
            kind: self.kind.0,
            name: self.name,
            status: self.status.0,
            closed: self.closed_at.is_some(),
            role,
        }
    }
}

/// One of the requester's organisations, with their role.
#[derive(sqlx::FromRow)]
struct MembershipRow {
    #[sqlx(flatten)]
    organisation: RelatedRow,
    role: Code<Role>,
}

table!(MembershipRow, "memberships");

#[derive(sqlx::FromRow)]
struct LogRow {
    created_at: i64,
    actor_email: Option<String>,
    action: Code<ModerationAction>,
    organisation_id: i64,
    organisation: String,
    reason: Option<String>,
}

table!(LogRow, "moderation_log");

impl Organisations {
    /// The organisations `user` belongs to, by name.
    pub async fn mine(&self, user: i64) -> Result<Vec<OrganisationSummary>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT o.id, o.kind, o.name, o.status, m.role, o.closed_at
             FROM memberships m JOIN organisations o ON o.id = m.organisation_id
             WHERE m.user_id = $1 ORDER BY o.name, o.id",
        )
        .bind(user)
        .try_map(typed::<SummaryRow>)
        .fetch_all(&self.db.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| OrganisationSummary {
                id: r.id,
                kind: r.kind.0,
                name: r.name,
                status: r.status.0,
                role: r.role.0,
                closed_at: r.closed_at,
            })
            .collect())
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
        let Some(row) = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(organisation)
            .try_map(typed::<OrganisationRow>)
            .fetch_optional(&mut *conn)
            .await?
        else {
            return Ok(None);
        };
        let sees_addresses = moderator || my_role == Some(Role::Owner);
        let members = sqlx::query(
            "SELECT u.id, u.display_name, u.email, m.role, m.created_at
             FROM memberships m JOIN users u ON u.id = m.user_id
             WHERE m.organisation_id = $1 ORDER BY m.role DESC, u.display_name, u.id",
        )
        .bind(organisation)
        .try_map(typed::<MemberRow>)
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|m| Member {
            user_id: m.id,
            display_name: m.display_name,
            email: sees_addresses.then_some(m.email),
            role: m.role.0,
            since: m.created_at,
            is_me: m.id == user,
        })
        .collect();
        let invitations = if my_role == Some(Role::Owner) {
            open_invitations(&mut conn, organisation, self.clock.now()).await?
        } else {
            Vec::new()
        };
        let in_progress = if my_role == Some(Role::Owner) && row.closed_at.is_none() {
            Some(super::closure::in_progress(&mut conn, organisation, self.clock.now()).await?)
        } else {
            None
        };
        // The questions are the owners' to answer (they were mailed to them) and the
        // moderators' who asked.
        let exchange = match (moderator, my_role) {
            (true, _) => super::questions::exchange(&mut conn, organisation, Reader::Moderator).await?,
            (false, Some(Role::Owner)) => super::questions::exchange(&mut conn, organisation, Reader::Owner).await?,
            _ => Vec::new(),
        };
        let reference = row.reference();
        Ok(Some(OrganisationDetail {
            id: row.id,
            kind: row.kind.0,
            name: row.name,
            code: reference.as_ref().map(|r| r.code.clone()).unwrap_or_default(),
            reference,
            status: row.status.0,
            rejection_reason: row.rejection_reason,
            created_at: row.created_at,
            verified_at: row.verified_at,
            my_role,
            members,
            invitations,
            closed_at: row.closed_at,
            in_progress,
            exchange,
        }))
    }

    /// What the link of an invitation mail leads to; None for a link that is not one of ours.
    pub async fn invitation(&self, token: &str) -> Result<Option<InvitationView>, sqlx::Error> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT invitations.organisation_id, o.name AS organisation, o.kind, invitations.email,
                        u.display_name AS inviter, invitations.role, invitations.accepted_at, invitations.expires_at,
                        CASE WHEN {} THEN 1 ELSE 0 END AS sender_owner
                 FROM invitations JOIN organisations o ON o.id = invitations.organisation_id
                 LEFT JOIN users u ON u.id = invitations.invited_by
                 WHERE invitations.token_hash = $1",
            super::SENDER_STILL_OWNER
        )))
        .bind(accounts::digest(token))
        .try_map(typed::<InvitationRow>)
        .fetch_optional(&self.db.pool)
        .await?;
        let Some(r) = row else { return Ok(None) };
        let state = if r.accepted_at.is_some() {
            InvitationState::Accepted
        } else if r.expires_at <= self.clock.now() || !r.sender_owner.0 {
            InvitationState::Closed
        } else {
            InvitationState::Open
        };
        Ok(Some(InvitationView {
            organisation_id: r.organisation_id,
            organisation: r.organisation,
            kind: r.kind.0,
            email: r.email,
            inviter: r.inviter,
            role: r.role.0,
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
        let ownerless = super::closure::ownerless(&mut conn, self.clock.now()).await?;
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
        Ok(Some(ModerationPage { queue, log, failed_mails, ownerless }))
    }
}

async fn open_invitations(
    conn: &mut AnyConnection,
    organisation: i64,
    at: i64,
) -> Result<Vec<PendingInvitation>, sqlx::Error> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT id, email, role, expires_at FROM invitations
         WHERE organisation_id = $1 AND accepted_at IS NULL AND expires_at > $2 AND {}
         ORDER BY created_at DESC, id DESC",
        super::SENDER_STILL_OWNER
    )))
    .bind(organisation)
    .bind(at)
    .try_map(typed::<PendingRow>)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| PendingInvitation { id: r.id, email: r.email, role: r.role.0, expires_at: r.expires_at })
        .collect())
}

/// Organisations waiting for moderation, oldest first, each with the evidence a moderator
/// decides on: what the requester's mail domain says, the other organisations with the same
/// code (a duplicate, or someone claiming a territory that already has its organisation), the
/// requester's other organisations, and the questions asked and answered.
async fn queue(conn: &mut AnyConnection) -> Result<Vec<QueuedOrganisation>, sqlx::Error> {
    let sql = format!(
        "SELECT {COLUMNS}, o.created_by AS creator_id, u.display_name AS creator_name, u.email AS creator_email,
                u.email_verified_at AS creator_verified_at
         FROM organisations o {JOINS} LEFT JOIN users u ON u.id = o.created_by
         WHERE o.status = $1 ORDER BY o.created_at, o.id"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(OrganisationStatus::Pending.code())
        .try_map(typed::<QueuedRow>)
        .fetch_all(&mut *conn)
        .await?;
    let mut queue = Vec::with_capacity(rows.len());
    for queued in rows {
        let row = queued.organisation;
        let reference = row.reference();
        let domain = queued.creator_email.as_deref().and_then(|email| {
            // The names the reference data gives the organisation's place or structure.
            let names: Vec<&str> = [&row.commune_name, &row.epci_name, &row.departement_name, &row.structure_name]
                .into_iter()
                .chain([&row.structure_commune_name])
                .filter_map(|name| name.as_deref())
                .collect();
            mail_domain(email, &names, &row.name)
        });
        let mut same_code = same_code(conn, row.id).await?;
        let same_code_more = same_code.len() > SAME_CODE_LIMIT;
        same_code.truncate(SAME_CODE_LIMIT);
        let requester_organisations = match queued.creator_id {
            Some(creator) => organisations_of(conn, creator, row.id).await?,
            None => Vec::new(),
        };
        let exchange = super::questions::exchange(conn, row.id, Reader::Moderator).await?;
        queue.push(QueuedOrganisation {
            id: row.id,
            kind: row.kind.0,
            name: row.name,
            reference,
            created_at: row.created_at,
            creator_name: queued.creator_name,
            creator_email: queued.creator_email,
            creator_verified: queued.creator_verified_at.is_some(),
            domain,
            same_code,
            same_code_more,
            requester_organisations,
            exchange,
        });
    }
    Ok(queue)
}

/// The other organisations of any kind and status with the code of `organisation` (INSEE,
/// SIREN, département or FINESS), the same kind first: one more than `SAME_CODE_LIMIT` at most,
/// to tell that there are more.
async fn same_code(conn: &mut AnyConnection, organisation: i64) -> Result<Vec<RelatedOrganisation>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT o.id, o.kind, o.name, o.status, o.closed_at FROM organisations o, organisations q
         WHERE q.id = $1 AND o.id <> q.id
           AND (o.commune_code = q.commune_code OR o.epci_siren = q.epci_siren
                OR o.departement_code = q.departement_code OR o.finess = q.finess)
         ORDER BY CASE WHEN o.kind = q.kind THEN 0 ELSE 1 END, o.id
         LIMIT $2",
    )
    .bind(organisation)
    .bind(SAME_CODE_LIMIT as i64 + 1)
    .try_map(typed::<RelatedRow>)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|row| row.view(None)).collect())
}

/// The organisations `user` belongs to but `except`, by name, with their role.
async fn organisations_of(
    conn: &mut AnyConnection,
    user: i64,
    except: i64,
) -> Result<Vec<RelatedOrganisation>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT o.id, o.kind, o.name, o.status, o.closed_at, m.role
         FROM memberships m JOIN organisations o ON o.id = m.organisation_id
         WHERE m.user_id = $1 AND o.id <> $2 ORDER BY o.name, o.id",
    )
    .bind(user)
    .bind(except)
    .try_map(typed::<MembershipRow>)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|row| row.organisation.view(Some(row.role.0))).collect())
}

async fn log(conn: &mut AnyConnection) -> Result<Vec<LogEntry>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT l.created_at, l.actor_email, l.action, l.organisation_id, o.name AS organisation, l.reason
         FROM moderation_log l JOIN organisations o ON o.id = l.organisation_id
         ORDER BY l.created_at DESC, l.id DESC LIMIT $1",
    )
    .bind(LOG_LIMIT)
    .try_map(typed::<LogRow>)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| LogEntry {
            at: r.created_at,
            actor_email: r.actor_email,
            action: r.action.0,
            organisation_id: r.organisation_id,
            organisation: r.organisation,
            reason: r.reason,
        })
        .collect())
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
