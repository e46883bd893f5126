//! Organisations: collectivités, health structures, doctors' own practices and institutions,
//! each with members (owners and members), invitations by e-mail, and moderation.
//!
//! A new organisation is "en attente" until a moderator (ARS, URPS or ordre staff appointed
//! by the operator) verifies or refuses it; every moderation action is written to an
//! append-only log in the same transaction, and the owners hear of it by mail (queued in that
//! transaction too).
//!
//! Every method that changes something takes the acting user and checks, inside its
//! transaction, that they may: nobody touches an organisation they do not belong to. Write
//! transactions start by touching the organisation's row, which serialises the changes of one
//! organisation on both engines (a row lock on PostgreSQL, the write lock on SQLite), so two
//! owners leaving at the same moment cannot leave it without an owner.

pub(crate) mod closure;
mod questions;
mod reads;
mod reference;

pub use reference::{Described, Reference};

use crate::accounts;
use crate::clock::Clock;
use crate::db::Database;
use crate::db::rows::{Code, table, typed};
use crate::mail::{self, OutgoingMail, Template};
use app::domain::organisations::{
    ANSWER_MAX_CHARS, ModerationAction, OrganisationFamily, OrganisationStatus, QUESTION_MAX_CHARS, REASON_MAX_CHARS,
    ReferenceKind, Role, paths,
};
use app::model::{CodeError, Email, EmailError, FinessError};
use sqlx::AnyConnection;
use std::time::Duration;

/// How long an invitation link works (the mail says until when).
pub const INVITATION_TTL: Duration = Duration::from_secs(7 * 24 * 3600);
/// An invitation lives only while its sender is an owner of its organisation and the
/// organisation is open: it dies when the sender leaves, loses the owner role or deletes the
/// account (`invited_by` then empties), and when the organisation closes. SQL on the table
/// `invitations`, which the queries that use it do not alias.
pub(crate) const SENDER_STILL_OWNER: &str = "EXISTS (SELECT 1 FROM memberships sender
    JOIN organisations live ON live.id = sender.organisation_id AND live.closed_at IS NULL
    WHERE sender.organisation_id = invitations.organisation_id AND sender.user_id = invitations.invited_by
    AND sender.role = 'owner')";
/// Invitations one organisation may send within `INVITATION_WINDOW` (the mails carry a name the
/// organisation chose: the limit keeps the portal from being used to send spam).
pub const INVITATION_MAX: i64 = 20;
/// The window of `INVITATION_MAX`.
pub const INVITATION_WINDOW: Duration = Duration::from_secs(24 * 3600);

/// Everything that can go wrong with an organisation, each with the French sentence shown to
/// the person; database failures are logged and shown as a generic apology.
#[derive(Debug, thiserror::Error)]
pub enum OrganisationError {
    #[error("choisissez le type d'organisation")]
    Kind,
    #[error(
        "le nom de l'organisation doit compter entre 2 et {} caractères",
        app::domain::organisations::NAME_MAX_CHARS
    )]
    Name,
    #[error("indiquez {}", missing(*.0))]
    CodeMissing(ReferenceKind),
    #[error("{0}")]
    Code(#[from] CodeError),
    #[error("aucune commune du portail n'a le code INSEE « {0} » (le portail couvre pour l'instant l'Occitanie)")]
    UnknownCommune(String),
    #[error("« {code} » est un code postal ; le code INSEE est différent : {}", labels(communes))]
    PostalCode {
        code: String,
        /// The communes of that postal code: (INSEE code, "Rodez (12202)").
        communes: Vec<(String, String)>,
    },
    #[error("aucune intercommunalité du portail n'a le numéro SIREN « {0} »")]
    UnknownEpci(String),
    #[error("le portail ne couvre pas le département « {0} »")]
    UnknownDepartement(String),
    #[error("{0}")]
    Finess(#[from] FinessError),
    #[error("le numéro FINESS {finess} est celui de « {name} » ({registered}) : choisissez le type qui lui correspond")]
    FinessOtherKind { finess: String, name: String, registered: &'static str },
    #[error("ce type d'organisation n'a pas de code à indiquer : laissez le champ vide")]
    CodeNotExpected,
    #[error("cette organisation n'existe pas, ou vous n'en êtes pas membre")]
    NotFound,
    #[error("seuls les propriétaires de l'organisation peuvent faire cela")]
    OwnersOnly,
    #[error("cette action est réservée aux modérateurs")]
    ModeratorsOnly,
    #[error("{0}")]
    Email(#[from] EmailError),
    #[error("choisissez le rôle : membre ou propriétaire")]
    Role,
    #[error("cette personne est déjà membre de l'organisation")]
    AlreadyMember,
    #[error("confirmez d'abord votre adresse e-mail : elle est nécessaire pour envoyer des invitations")]
    UnverifiedInviter,
    #[error("trop d'invitations envoyées pour cette organisation ces dernières 24 heures : réessayez demain")]
    TooManyInvitations,
    #[error(
        "cette invitation n'est plus valable (elle a expiré, a déjà servi, a été remplacée par une plus récente, ou la personne qui l'a envoyée n'est plus responsable de l'organisation) : demandez-en une nouvelle"
    )]
    BadInvitation,
    #[error("cette invitation est adressée à {invited} : connectez-vous avec le compte de cette adresse")]
    WrongInvitee { invited: String },
    #[error("cette personne n'est pas membre de l'organisation")]
    NotAMember,
    #[error(
        "une organisation garde toujours au moins un propriétaire : nommez d'abord quelqu'un d'autre propriétaire, ou fermez l'organisation"
    )]
    LastOwner,
    #[error("cette organisation est fermée : elle ne publie plus, n'invite plus et ne se modifie plus")]
    Closed,
    #[error("cochez la case qui confirme la fermeture : elle ne se défait pas")]
    ClosureUnconfirmed,
    #[error(
        "le message de fermeture doit compter au plus {} caractères",
        app::domain::organisations::CLOSING_MESSAGE_MAX_CHARS
    )]
    ClosingMessageTooLong,
    #[error("cette organisation a un propriétaire : c'est à lui de la fermer ou de la confier")]
    HasOwner,
    #[error("indiquez le motif du refus : il est envoyé aux propriétaires de l'organisation")]
    ReasonMissing,
    #[error("le motif du refus doit compter au plus {REASON_MAX_CHARS} caractères")]
    ReasonTooLong,
    #[error("cette organisation n'est plus en attente : elle a déjà été traitée")]
    AlreadyDecided,
    #[error("écrivez la question : elle est envoyée aux propriétaires de l'organisation")]
    QuestionMissing,
    #[error("la question doit compter au plus {QUESTION_MAX_CHARS} caractères")]
    QuestionTooLong,
    #[error("écrivez votre réponse à la question de la modération")]
    AnswerMissing,
    #[error("la réponse doit compter au plus {ANSWER_MAX_CHARS} caractères")]
    AnswerTooLong,
    #[error(
        "la modération n'attend pas de réponse : aucune question n'est posée, ou vous avez déjà répondu à la dernière"
    )]
    NothingToAnswer,
    #[error("une organisation vérifiée ne se modifie plus ici : contactez la modération de votre région")]
    NotEditable,
    #[error("ce courriel n'est plus en échec : il a déjà été renvoyé, ou il n'existe pas")]
    MailNotFailed,
    #[error("aucun compte n'a l'adresse « {0} » : la personne doit d'abord créer son compte sur le portail")]
    NoSuchAccount(String),
    #[error("le service est momentanément indisponible, réessayez dans un instant")]
    Database(#[from] sqlx::Error),
    #[error("le service est momentanément indisponible, réessayez dans un instant")]
    Mail(#[from] mail::MailError),
}

fn missing(kind: ReferenceKind) -> &'static str {
    match kind {
        ReferenceKind::Commune => "le code INSEE de la commune",
        ReferenceKind::Epci => "le numéro SIREN de l'intercommunalité",
        ReferenceKind::Departement => "le numéro du département",
        ReferenceKind::OptionalFiness | ReferenceKind::None => "le code",
    }
}

/// What `remove_member` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Removal {
    /// The acting user removed someone else.
    Removed,
    /// The acting user left.
    Left,
}

/// The organisations service.
#[derive(Debug, Clone)]
pub struct Organisations {
    db: Database,
    /// What "now" is (the system's time, or a test's).
    clock: Clock,
    /// Public origin, for links in mails.
    public_url: String,
}

type Tx = sqlx::Transaction<'static, sqlx::Any>;

/// A moderator's decision: as logged, the organisation's new status, the owners' mail.
type Decision = (ModerationAction, OrganisationStatus, Template);
const APPROVAL: Decision = (ModerationAction::Approve, OrganisationStatus::Verified, Template::OrganisationVerifiee);
const REFUSAL: Decision = (ModerationAction::Reject, OrganisationStatus::Refused, Template::OrganisationRefusee);

/// Takes the organisation's row for this transaction (see the module documentation); false
/// when there is no such organisation.
async fn lock(tx: &mut Tx, organisation: i64, at: i64) -> Result<bool, sqlx::Error> {
    let touched = sqlx::query("UPDATE organisations SET updated_at = $1 WHERE id = $2")
        .bind(at)
        .bind(organisation)
        .execute(&mut **tx)
        .await?;
    Ok(touched.rows_affected() == 1)
}

/// The role of `user` in `organisation`, if a member.
async fn role_of(conn: &mut AnyConnection, organisation: i64, user: i64) -> Result<Option<Role>, sqlx::Error> {
    let role: Option<Code<Role>> =
        sqlx::query_scalar("SELECT role FROM memberships WHERE organisation_id = $1 AND user_id = $2")
            .bind(organisation)
            .bind(user)
            .fetch_optional(conn)
            .await?;
    Ok(role.map(|role| role.0))
}

/// Whether `user` is a moderator (inside the caller's transaction when given one).
pub(crate) async fn is_moderator(conn: &mut AnyConnection, user: i64) -> Result<bool, sqlx::Error> {
    match require_moderator(conn, user).await {
        Ok(_) => Ok(true),
        Err(OrganisationError::Database(error)) => Err(error),
        Err(_) => Ok(false),
    }
}

/// Whether `user` belongs to `organisation`, whatever their role.
pub(crate) async fn is_member(conn: &mut AnyConnection, organisation: i64, user: i64) -> Result<bool, sqlx::Error> {
    Ok(role_of(conn, organisation, user).await?.is_some())
}

/// What the writes of an organisation's stage sites and housing need to know of it.
#[derive(sqlx::FromRow)]
pub(crate) struct Standing {
    pub name: String,
    kind: Code<app::domain::organisations::OrganisationKind>,
    status: Code<OrganisationStatus>,
    closed_at: Option<i64>,
}

table!(Standing, "organisations");

impl Standing {
    /// Verified, open, and of one of `families`.
    fn verified_of(&self, families: &[OrganisationFamily]) -> bool {
        families.contains(&self.kind.0.family())
            && self.status.0 == OrganisationStatus::Verified
            && self.closed_at.is_none()
    }

    /// A verified structure or practice declares stage sites; collectivités and institutions
    /// do not take interns.
    pub fn may_declare_stage_sites(&self) -> bool {
        self.verified_of(&[OrganisationFamily::Structure, OrganisationFamily::Cabinet])
    }

    /// A verified collectivité, structure or practice publishes housing for interns; an
    /// institution (ARS, CPAM, ordre) houses nobody.
    pub fn may_publish_housing(&self) -> bool {
        self.verified_of(&[
            OrganisationFamily::Collectivite,
            OrganisationFamily::Structure,
            OrganisationFamily::Cabinet,
        ])
    }
}

/// The organisation, for one of its members; None for anybody else or no such organisation.
pub(crate) async fn standing(
    conn: &mut AnyConnection,
    organisation: i64,
    user: i64,
) -> Result<Option<Standing>, sqlx::Error> {
    if !is_member(conn, organisation, user).await? {
        return Ok(None);
    }
    sqlx::query("SELECT name, kind, status, closed_at FROM organisations WHERE id = $1")
        .bind(organisation)
        .try_map(typed::<Standing>)
        .fetch_optional(conn)
        .await
}

/// Owners only; to anybody else who is not a member, the organisation does not exist.
async fn require_owner(conn: &mut AnyConnection, organisation: i64, user: i64) -> Result<(), OrganisationError> {
    match role_of(conn, organisation, user).await? {
        Some(Role::Owner) => Ok(()),
        Some(Role::Member) => Err(OrganisationError::OwnersOnly),
        None => Err(OrganisationError::NotFound),
    }
}

/// The moderator's address, for the log; an error for anybody who is not a moderator.
async fn require_moderator(conn: &mut AnyConnection, user: i64) -> Result<String, OrganisationError> {
    let email: Option<String> = sqlx::query_scalar("SELECT email FROM users WHERE id = $1 AND moderator")
        .bind(user)
        .fetch_optional(conn)
        .await?;
    email.ok_or(OrganisationError::ModeratorsOnly)
}

async fn owner_count(conn: &mut AnyConnection, organisation: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM memberships WHERE organisation_id = $1 AND role = 'owner'")
        .bind(organisation)
        .fetch_one(conn)
        .await
}

async fn log(
    conn: &mut AnyConnection,
    organisation: i64,
    actor: (i64, &str),
    action: ModerationAction,
    reason: Option<&str>,
    at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO moderation_log (organisation_id, actor_id, actor_email, action, reason, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(organisation)
    .bind(actor.0)
    .bind(actor.1.to_owned())
    .bind(action.code())
    .bind(reason.map(str::to_owned))
    .bind(at)
    .execute(conn)
    .await?;
    Ok(())
}

/// A refusal's reason as it will be mailed (see `written`).
fn reason(raw: &str) -> Result<String, OrganisationError> {
    written(raw, REASON_MAX_CHARS, OrganisationError::ReasonMissing, OrganisationError::ReasonTooLong)
}

/// A text of the moderation (a reason, a question, an answer) as it will be mailed and logged:
/// trimmed, lines kept, other control characters blanked; `missing` when there is nothing,
/// `too_long` past `max` characters.
fn written(
    raw: &str,
    max: usize,
    missing: OrganisationError,
    too_long: OrganisationError,
) -> Result<String, OrganisationError> {
    let text = raw.trim().replace("\r\n", "\n");
    if text.is_empty() {
        return Err(missing);
    }
    if text.chars().count() > max {
        return Err(too_long);
    }
    Ok(text.chars().map(|c| if c.is_control() && c != '\n' { ' ' } else { c }).collect())
}

impl Organisations {
    /// The service over `db`; links in mails start with `public_url`.
    pub fn new(db: Database, public_url: String) -> Self {
        Self { db, clock: Clock::system(), public_url }
    }

    /// The same service reading `clock` (a test's, which moves).
    pub fn with_clock(self, clock: Clock) -> Self {
        Self { clock, ..self }
    }

    /// A transaction holding the organisation (two changes to it follow each other: the
    /// owner count checked at the end is the one that lands); NotFound when there is none.
    async fn locked(&self, organisation: i64) -> Result<Tx, OrganisationError> {
        let mut tx = self.db.pool.begin().await?;
        if !lock(&mut tx, organisation, self.clock.now()).await? {
            return Err(OrganisationError::NotFound);
        }
        Ok(tx)
    }

    /// The same, for one of its owners only.
    async fn as_owner(&self, organisation: i64, user: i64) -> Result<Tx, OrganisationError> {
        let mut tx = self.locked(organisation).await?;
        require_owner(&mut tx, organisation, user).await?;
        Ok(tx)
    }

    /// Checks an organisation's form against the rules and the reference data.
    pub async fn describe(&self, kind: &str, name: &str, code: &str) -> Result<Described, OrganisationError> {
        let mut conn = self.db.pool.acquire().await?;
        reference::describe(&mut conn, kind, name, code).await
    }

    /// Creates an organisation, "en attente" of moderation, with `user` as its owner.
    #[tracing::instrument(skip_all, fields(user))]
    pub async fn create(&self, user: i64, kind: &str, name: &str, code: &str) -> Result<i64, OrganisationError> {
        let described = self.describe(kind, name, code).await?;
        let [commune, epci, departement, finess] = described.reference.columns();
        let at = self.clock.now();
        let mut tx = self.db.pool.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO organisations
                 (kind, name, commune_code, epci_siren, departement_code, finess, status, created_by, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
        )
        .bind(described.kind.code())
        .bind(described.name)
        .bind(commune)
        .bind(epci)
        .bind(departement)
        .bind(finess)
        .bind(OrganisationStatus::Pending.code())
        .bind(user)
        .bind(at)
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query("INSERT INTO memberships (organisation_id, user_id, role, created_at) VALUES ($1, $2, $3, $4)")
            .bind(id)
            .bind(user)
            .bind(Role::Owner.code())
            .bind(at)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        tracing::info!(organisation = id, "organisation created");
        Ok(id)
    }

    /// Corrects an organisation not yet verified (owners only); it goes back to "en attente",
    /// and a refused one is logged as submitted again.
    #[tracing::instrument(skip_all, fields(user, organisation))]
    pub async fn update(
        &self,
        user: i64,
        organisation: i64,
        kind: &str,
        name: &str,
        code: &str,
    ) -> Result<(), OrganisationError> {
        let mut tx = self.as_owner(organisation, user).await?;
        if closure::is_closed(&mut tx, organisation).await? {
            return Err(OrganisationError::Closed);
        }
        let Code(status): Code<OrganisationStatus> =
            sqlx::query_scalar("SELECT status FROM organisations WHERE id = $1")
                .bind(organisation)
                .fetch_one(&mut *tx)
                .await?;
        if status == OrganisationStatus::Verified {
            return Err(OrganisationError::NotEditable);
        }
        let described = reference::describe(&mut tx, kind, name, code).await?;
        let [commune, epci, departement, finess] = described.reference.columns();
        sqlx::query(
            "UPDATE organisations SET kind = $1, name = $2, commune_code = $3, epci_siren = $4, departement_code = $5,
                 finess = $6, status = $7, rejection_reason = NULL
             WHERE id = $8",
        )
        .bind(described.kind.code())
        .bind(described.name)
        .bind(commune)
        .bind(epci)
        .bind(departement)
        .bind(finess)
        .bind(OrganisationStatus::Pending.code())
        .bind(organisation)
        .execute(&mut *tx)
        .await?;
        if status == OrganisationStatus::Refused {
            let email: String =
                sqlx::query_scalar("SELECT email FROM users WHERE id = $1").bind(user).fetch_one(&mut *tx).await?;
            log(
                &mut tx,
                organisation,
                (user, &email),
                app::domain::organisations::ModerationAction::Resubmit,
                None,
                self.clock.now(),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Invites `email` into the organisation with `role` (owners only, with a confirmed
    /// address); the mail is queued in the same transaction. A newer invitation of the same
    /// address replaces the older one.
    #[tracing::instrument(skip_all, fields(user, organisation))]
    pub async fn invite(&self, user: i64, organisation: i64, email: &str, role: &str) -> Result<(), OrganisationError> {
        let email = Email::parse(email)?;
        let role = Role::from_code(role.trim()).ok_or(OrganisationError::Role)?;
        let key = email.as_str().to_lowercase();
        let mut tx = self.as_owner(organisation, user).await?;
        if closure::is_closed(&mut tx, organisation).await? {
            return Err(OrganisationError::Closed);
        }
        #[derive(sqlx::FromRow)]
        struct Inviter {
            display_name: String,
            email_verified_at: Option<i64>,
        }
        table!(Inviter, "users");
        let inviter = sqlx::query("SELECT display_name, email_verified_at FROM users WHERE id = $1")
            .bind(user)
            .try_map(typed::<Inviter>)
            .fetch_one(&mut *tx)
            .await?;
        let inviter_name = inviter.display_name;
        if inviter.email_verified_at.is_none() {
            return Err(OrganisationError::UnverifiedInviter);
        }
        let member: Option<i64> = sqlx::query_scalar(
            "SELECT u.id FROM memberships m JOIN users u ON u.id = m.user_id
             WHERE m.organisation_id = $1 AND u.email_key = $2",
        )
        .bind(organisation)
        .bind(key.clone())
        .fetch_optional(&mut *tx)
        .await?;
        if member.is_some() {
            return Err(OrganisationError::AlreadyMember);
        }
        let at = self.clock.now();
        let recent: i64 = sqlx::query_scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM invitations WHERE organisation_id = $1 AND created_at > $2",
        )
        .bind(organisation)
        .bind(at - INVITATION_WINDOW.as_secs() as i64)
        .fetch_one(&mut *tx)
        .await?;
        if recent >= INVITATION_MAX {
            return Err(OrganisationError::TooManyInvitations);
        }
        // Closed rather than deleted: they still count against the limit above.
        sqlx::query(
            "UPDATE invitations SET expires_at = $1
             WHERE organisation_id = $2 AND email_key = $3 AND accepted_at IS NULL AND expires_at > $1",
        )
        .bind(at)
        .bind(organisation)
        .bind(key.clone())
        .execute(&mut *tx)
        .await?;
        let token = accounts::new_token();
        sqlx::query(
            "INSERT INTO invitations (organisation_id, email, email_key, token_hash, role, invited_by, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(organisation)
        .bind(email.to_string())
        .bind(key)
        .bind(accounts::digest(&token))
        .bind(role.code())
        .bind(user)
        .bind(at)
        .bind(at + INVITATION_TTL.as_secs() as i64)
        .execute(&mut *tx)
        .await?;
        let name: String = sqlx::query_scalar("SELECT name FROM organisations WHERE id = $1")
            .bind(organisation)
            .fetch_one(&mut *tx)
            .await?;
        let link = format!("{}{}?jeton={token}", self.public_url, paths::INVITATION);
        let until = app::model::Day::of_unix(at + INVITATION_TTL.as_secs() as i64).french();
        let mail = OutgoingMail::new(
            email.as_str(),
            Template::Invitation,
            &[("organisation", &name), ("invitant", &inviter_name), ("lien", &link), ("echeance", &until)],
        )?;
        mail::enqueue(&mut tx, &mail).await?;
        tx.commit().await?;
        tracing::info!(organisation, "invitation sent");
        Ok(())
    }

    /// Withdraws an invitation not yet accepted (owners only): its link stops working.
    #[tracing::instrument(skip_all, fields(user, organisation))]
    pub async fn cancel_invitation(
        &self,
        user: i64,
        organisation: i64,
        invitation: i64,
    ) -> Result<(), OrganisationError> {
        let mut tx = self.as_owner(organisation, user).await?;
        let at = self.clock.now();
        let closed = sqlx::query(sqlx::AssertSqlSafe(format!(
            "UPDATE invitations SET expires_at = $1
             WHERE id = $2 AND organisation_id = $3 AND accepted_at IS NULL AND expires_at > $1 AND {SENDER_STILL_OWNER}"
        )))
        .bind(at)
        .bind(invitation)
        .bind(organisation)
        .execute(&mut *tx)
        .await?;
        if closed.rows_affected() == 0 {
            return Err(OrganisationError::BadInvitation);
        }
        tx.commit().await?;
        Ok(())
    }

    /// Accepts an invitation for the signed-in `user`, whose address must be the invited one
    /// (whatever its case), while its sender is still an owner; returns the organisation.
    /// Following the link also proves the address, so an unconfirmed one becomes confirmed.
    #[tracing::instrument(skip_all, fields(user))]
    pub async fn accept_invitation(&self, user: i64, token: &str) -> Result<i64, OrganisationError> {
        let at = self.clock.now();
        let mut tx = self.db.pool.begin().await?;
        #[derive(sqlx::FromRow)]
        struct Accepted {
            organisation_id: i64,
            email: String,
            email_key: String,
            role: Code<Role>,
        }
        table!(Accepted, "invitations");
        let Accepted { organisation_id: organisation, email: invited, email_key: invited_key, role } =
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "UPDATE invitations SET accepted_at = $1, accepted_by = $2
                 WHERE token_hash = $3 AND accepted_at IS NULL AND expires_at > $1 AND {SENDER_STILL_OWNER}
                 RETURNING organisation_id, email, email_key, role"
            )))
            .bind(at)
            .bind(user)
            .bind(accounts::digest(token.trim()))
            .try_map(typed::<Accepted>)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(OrganisationError::BadInvitation)?;
        let role = role.0;
        let key: String =
            sqlx::query_scalar("SELECT email_key FROM users WHERE id = $1").bind(user).fetch_one(&mut *tx).await?;
        if key != invited_key {
            // Rolled back: the invitation stays open for the right person.
            return Err(OrganisationError::WrongInvitee { invited });
        }
        lock(&mut tx, organisation, self.clock.now()).await?;
        sqlx::query(
            "INSERT INTO memberships (organisation_id, user_id, role, created_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (organisation_id, user_id) DO NOTHING",
        )
        .bind(organisation)
        .bind(user)
        .bind(role.code())
        .bind(at)
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE users SET email_verified_at = $1 WHERE id = $2 AND email_verified_at IS NULL")
            .bind(at)
            .bind(user)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        tracing::info!(organisation, "invitation accepted");
        Ok(organisation)
    }

    /// Removes `member` from the organisation: owners remove anyone, everyone may leave. The
    /// last owner can do neither to themself.
    #[tracing::instrument(skip_all, fields(user, organisation))]
    pub async fn remove_member(&self, user: i64, organisation: i64, member: i64) -> Result<Removal, OrganisationError> {
        let mut tx = self.locked(organisation).await?;
        let removal = if member == user {
            if role_of(&mut tx, organisation, user).await?.is_none() {
                return Err(OrganisationError::NotFound);
            }
            Removal::Left
        } else {
            require_owner(&mut tx, organisation, user).await?;
            Removal::Removed
        };
        crate::promotion::member_leaving(&mut tx, member, Some(organisation), self.clock.now()).await?;
        let removed = sqlx::query("DELETE FROM memberships WHERE organisation_id = $1 AND user_id = $2")
            .bind(organisation)
            .bind(member)
            .execute(&mut *tx)
            .await?;
        if removed.rows_affected() == 0 {
            return Err(OrganisationError::NotAMember);
        }
        // A closed organisation answers for nothing any more: its last owner may leave it.
        if owner_count(&mut tx, organisation).await? == 0 && !closure::is_closed(&mut tx, organisation).await? {
            return Err(OrganisationError::LastOwner);
        }
        tx.commit().await?;
        Ok(removal)
    }

    /// Makes `member` an owner or a plain member (owners only); an organisation keeps at least
    /// one owner.
    #[tracing::instrument(skip_all, fields(user, organisation))]
    pub async fn change_role(
        &self,
        user: i64,
        organisation: i64,
        member: i64,
        role: &str,
    ) -> Result<(), OrganisationError> {
        let role = Role::from_code(role.trim()).ok_or(OrganisationError::Role)?;
        let mut tx = self.as_owner(organisation, user).await?;
        let changed = sqlx::query("UPDATE memberships SET role = $1 WHERE organisation_id = $2 AND user_id = $3")
            .bind(role.code())
            .bind(organisation)
            .bind(member)
            .execute(&mut *tx)
            .await?;
        if changed.rows_affected() == 0 {
            return Err(OrganisationError::NotAMember);
        }
        if owner_count(&mut tx, organisation).await? == 0 {
            return Err(OrganisationError::LastOwner);
        }
        tx.commit().await?;
        Ok(())
    }

    /// Verifies an organisation waiting for moderation (moderators only); its owners are told
    /// by mail, and the action is logged.
    #[tracing::instrument(skip_all, fields(user, organisation))]
    pub async fn approve(&self, user: i64, organisation: i64) -> Result<(), OrganisationError> {
        let link = format!("{}{}", self.public_url, paths::ORGANISATION.of(organisation));
        self.moderate(user, organisation, APPROVAL, None, ("lien", &link)).await?;
        tracing::info!(organisation, "organisation verified");
        Ok(())
    }

    /// Refuses an organisation waiting for moderation, with a reason mailed to its owners
    /// (moderators only); the action is logged.
    #[tracing::instrument(skip_all, fields(user, organisation))]
    pub async fn reject(&self, user: i64, organisation: i64, reason_text: &str) -> Result<(), OrganisationError> {
        let reason = reason(reason_text)?;
        self.moderate(user, organisation, REFUSAL, Some(&reason), ("motif", &reason)).await?;
        tracing::info!(organisation, "organisation refused");
        Ok(())
    }

    /// A moderator's decision: the organisation leaves "en attente", the action is logged and
    /// each owner gets the decision's mail, with `detail` (the link, or the reason).
    async fn moderate(
        &self,
        user: i64,
        organisation: i64,
        (action, status, template): Decision,
        reason: Option<&str>,
        detail: (&str, &str),
    ) -> Result<(), OrganisationError> {
        let at = self.clock.now();
        let mut tx = self.db.pool.begin().await?;
        // The decision first, for the lock; then whether it was the user's to make (checked
        // before any answer about the organisation, which non-moderators must not learn).
        let decided = self.decide(&mut tx, organisation, status, reason, at).await;
        let moderator = require_moderator(&mut tx, user).await?;
        let name = decided?;
        log(&mut tx, organisation, (user, &moderator), action, reason, at).await?;
        for Recipient { email, display_name: owner } in recipients(&mut tx, organisation, Whom::Owners).await? {
            let mail = OutgoingMail::new(&email, template, &[("nom", &owner), ("organisation", &name), detail])?;
            mail::enqueue(&mut tx, &mail).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Moves an organisation out of "en attente", first thing in the transaction (so that two
    /// moderators deciding at once do not both succeed); returns its name.
    async fn decide(
        &self,
        tx: &mut Tx,
        organisation: i64,
        status: OrganisationStatus,
        reason: Option<&str>,
        at: i64,
    ) -> Result<String, OrganisationError> {
        let verified_at = (status == OrganisationStatus::Verified).then_some(at);
        let name: Option<String> = sqlx::query_scalar(
            "UPDATE organisations SET status = $1, rejection_reason = $2, verified_at = $3, updated_at = $4
             WHERE id = $5 AND status = $6 RETURNING name",
        )
        .bind(status.code())
        .bind(reason.map(str::to_owned))
        .bind(verified_at)
        .bind(at)
        .bind(organisation)
        .bind(OrganisationStatus::Pending.code())
        .fetch_optional(&mut **tx)
        .await?;
        if let Some(name) = name {
            return Ok(name);
        }
        let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM organisations WHERE id = $1")
            .bind(organisation)
            .fetch_optional(&mut **tx)
            .await?;
        Err(if exists.is_some() { OrganisationError::AlreadyDecided } else { OrganisationError::NotFound })
    }

    /// Puts a mail the worker gave up on back in the outbox, to be sent at once (moderators
    /// only: the moderation page lists the failed mails).
    #[tracing::instrument(skip_all, fields(user, mail_id))]
    pub async fn requeue_mail(&self, user: i64, mail_id: i64) -> Result<(), OrganisationError> {
        let mut tx = self.db.begin_write().await?;
        require_moderator(&mut tx, user).await?;
        if !mail::requeue_failed(&mut tx, mail_id).await? {
            return Err(OrganisationError::MailNotFailed);
        }
        tx.commit().await?;
        tracing::info!(mail_id, "failed mail requeued by a moderator");
        Ok(())
    }

    /// Appoints (or, with `moderator` false, removes) a moderator: the operator's command
    /// `server moderateur`. Returns the person's display name.
    pub async fn set_moderator(&self, email: &str, moderator: bool) -> Result<String, OrganisationError> {
        let email = Email::parse(email)?;
        let name: Option<String> =
            sqlx::query_scalar("UPDATE users SET moderator = $1 WHERE email_key = $2 RETURNING display_name")
                .bind(moderator)
                .bind(email.as_str().to_lowercase())
                .fetch_optional(&self.db.pool)
                .await?;
        name.ok_or_else(|| OrganisationError::NoSuchAccount(email.to_string()))
    }

    /// Whether `user` is a moderator.
    pub async fn is_moderator(&self, user: i64) -> Result<bool, sqlx::Error> {
        let mut conn = self.db.pool.acquire().await?;
        is_moderator(&mut conn, user).await
    }
}

/// Someone to write to: an address and the name to greet.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Recipient {
    pub email: String,
    pub display_name: String,
}

table!(Recipient, "users");

/// Who, among an organisation's members, a mail goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Whom {
    Members,
    Owners,
}

/// The members of `organisation` (or its owners only) to write to, in the order they joined.
pub async fn recipients(
    conn: &mut AnyConnection,
    organisation: i64,
    whom: Whom,
) -> Result<Vec<Recipient>, sqlx::Error> {
    sqlx::query(
        "SELECT u.email, u.display_name FROM memberships m JOIN users u ON u.id = m.user_id
         WHERE m.organisation_id = $1 AND ($2 = '' OR m.role = $2) ORDER BY u.id",
    )
    .bind(organisation)
    .bind(if whom == Whom::Owners { Role::Owner.code() } else { "" })
    .try_map(typed::<Recipient>)
    .fetch_all(conn)
    .await
}

/// The address and name of `user`.
pub async fn recipient(conn: &mut AnyConnection, user: i64) -> Result<Recipient, sqlx::Error> {
    sqlx::query("SELECT email, display_name FROM users WHERE id = $1")
        .bind(user)
        .try_map(typed::<Recipient>)
        .fetch_one(conn)
        .await
}

/// "Rodez (12202), Onet-le-Château (12176)".
fn labels(communes: &[(String, String)]) -> String {
    communes.iter().map(|(_, label)| label.as_str()).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusal_reasons_are_required_bounded_and_keep_their_lines() {
        assert!(matches!(reason("  \n "), Err(OrganisationError::ReasonMissing)));
        assert!(matches!(reason(&"x".repeat(REASON_MAX_CHARS + 1)), Err(OrganisationError::ReasonTooLong)));
        assert_eq!(reason(" Pièce manquante.\r\nMerci. ").unwrap(), "Pièce manquante.\nMerci.");
        assert_eq!(reason("a\u{7}b").unwrap(), "a b");
    }

    #[test]
    fn missing_codes_are_named() {
        assert_eq!(
            OrganisationError::CodeMissing(ReferenceKind::Epci).to_string(),
            "indiquez le numéro SIREN de l'intercommunalité"
        );
    }
}
