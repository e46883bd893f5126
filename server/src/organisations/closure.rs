//! Closing an organisation, and what keeps it open.
//!
//! An organisation answers for what it publishes and for the people who wrote to it. So its
//! only owner cannot leave it behind while it has anything online or in progress
//! (`InProgress`): they hand ownership on, or close it. Closing takes everything offline and
//! answers everyone in one transaction: offers withdrawn (their pages say so), open
//! applications answered « refusée » with the closing message, future events cancelled with a
//! mail to each person registered, aids, stage sites and interns' housing withdrawn, the
//! territory page unpublished, open guichet cases closed with the message, invitations ended;
//! the members are told and moderators see it in their log. Each table's change is made by
//! its own module (`close_all`, `cancel_all`…); this one decides, and writes the mails.
//!
//! An organisation already left without an owner (before the last owner was kept from
//! leaving) is for moderators: they take it over (and then hand it on or close it), or close it.

use super::{OrganisationError, Organisations, Recipient, Tx, Whom, lock, log, owner_count, recipients};
use crate::db::rows::{Code, table, typed};
use crate::mail::{self, OutgoingMail, Template};
use app::domain::organisations::{
    CLOSING_MESSAGE_MAX_CHARS, InProgress, ModerationAction, OrganisationKind, OrganisationStatus,
    OwnerlessOrganisation, Role, paths,
};
use sqlx::AnyConnection;

/// The counts of `InProgress`, of the organisation bound as $1 at the time bound as $2.
const IN_PROGRESS: &str = "SELECT
    (SELECT CAST(COUNT(*) AS BIGINT) FROM offers WHERE organisation_id = $1 AND status IN ('brouillon', 'publiee'))
        AS offers,
    (SELECT CAST(COUNT(*) AS BIGINT) FROM applications a JOIN offers f ON f.id = a.offer_id
        WHERE f.organisation_id = $1 AND a.status NOT IN ('acceptee', 'refusee', 'retiree')) AS applications,
    (SELECT CAST(COUNT(*) AS BIGINT) FROM events WHERE organisation_id = $1 AND cancelled_at IS NULL AND ends_at > $2)
        AS events,
    (SELECT CAST(COUNT(*) AS BIGINT) FROM aids WHERE organisation_id = $1 AND withdrawn_at IS NULL) AS aids,
    (SELECT CAST(COUNT(*) AS BIGINT) FROM territory_pages WHERE organisation_id = $1 AND published_revision_id IS NOT NULL)
        AS territory_page,
    (SELECT CAST(COUNT(*) AS BIGINT) FROM stage_sites WHERE organisation_id = $1 AND withdrawn_at IS NULL) AS stage_sites,
    (SELECT CAST(COUNT(*) AS BIGINT) FROM intern_housing
        WHERE organisation_id = $1 AND withdrawn_at IS NULL AND lapsed_at IS NULL) AS housing,
    (SELECT CAST(COUNT(*) AS BIGINT) FROM cases WHERE organisation_id = $1 AND status <> 'clos') AS cases";

#[derive(sqlx::FromRow)]
struct InProgressRow {
    offers: i64,
    applications: i64,
    events: i64,
    aids: i64,
    territory_page: i64,
    stage_sites: i64,
    housing: i64,
    cases: i64,
}

table!(InProgressRow, "organisations");

/// What `organisation` has online or in progress at `at`.
pub(crate) async fn in_progress(
    conn: &mut AnyConnection,
    organisation: i64,
    at: i64,
) -> Result<InProgress, sqlx::Error> {
    let r =
        sqlx::query(IN_PROGRESS).bind(organisation).bind(at).try_map(typed::<InProgressRow>).fetch_one(conn).await?;
    Ok(InProgress {
        offers: r.offers,
        applications: r.applications,
        events: r.events,
        aids: r.aids,
        territory_page: r.territory_page,
        stage_sites: r.stage_sites,
        housing: r.housing,
        cases: r.cases,
    })
}

/// The first open organisation (by name) that `user` alone owns and that would be left with
/// nobody to answer for it: it has other members, or something online or in progress. The
/// caller holds the organisations' rows (see the module documentation of `organisations`).
pub(crate) async fn left_behind_by(
    conn: &mut AnyConnection,
    user: i64,
    at: i64,
) -> Result<Option<String>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Owned {
        id: i64,
        name: String,
        others: i64,
    }
    table!(Owned, "memberships");
    let owned = sqlx::query(
        "SELECT o.id, o.name,
                (SELECT CAST(COUNT(*) AS BIGINT) FROM memberships x
                 WHERE x.organisation_id = o.id AND x.user_id <> $1) AS others
         FROM memberships m JOIN organisations o ON o.id = m.organisation_id
         WHERE m.user_id = $1 AND m.role = 'owner' AND o.closed_at IS NULL
           AND NOT EXISTS (SELECT 1 FROM memberships x
                           WHERE x.organisation_id = o.id AND x.role = 'owner' AND x.user_id <> $1)
         ORDER BY o.name, o.id",
    )
    .bind(user)
    .try_map(typed::<Owned>)
    .fetch_all(&mut *conn)
    .await?;
    for organisation in owned {
        if organisation.others > 0 || !in_progress(conn, organisation.id, at).await?.is_empty() {
            return Ok(Some(organisation.name));
        }
    }
    Ok(None)
}

/// Closes the open organisations whose only member is `user`, who is leaving the portal: once
/// `left_behind_by` found none of them with anything to answer for, nobody could reopen or
/// use them (the caller deletes the account in the same transaction).
pub(crate) async fn close_left_by(conn: &mut AnyConnection, user: i64, at: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE organisations SET closed_at = $2
         WHERE closed_at IS NULL
           AND id IN (SELECT m.organisation_id FROM memberships m WHERE m.user_id = $1)
           AND NOT EXISTS (SELECT 1 FROM memberships x WHERE x.organisation_id = organisations.id AND x.user_id <> $1)",
    )
    .bind(user)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(())
}

/// What the modules need to answer for an organisation that closes.
pub(crate) struct Closing<'a> {
    pub organisation: i64,
    /// Its name, which signs the messages left in the guichet's threads.
    pub name: &'a str,
    /// Who closes it: the author of the messages left in the applications' threads and of the
    /// status changes.
    pub actor: i64,
    /// What each person concerned reads (see `told`).
    pub message: &'a str,
    pub at: i64,
}

/// Someone a module's part of a closure concerns, to be told by mail.
pub(crate) struct Concerned {
    pub to: Recipient,
    pub about: About,
}

/// What a person is told about.
pub(crate) enum About {
    /// Their application to an offer, now answered « refusée ».
    Application { id: i64, offer: String },
    /// An event they registered for (or wait for a place at), now cancelled.
    Event { id: i64, title: String, starts_at: i64 },
    /// Their guichet case, now closed.
    Case { id: i64, subject: String },
}

/// The closing message as mailed and left in threads: trimmed, lines kept, other control
/// characters replaced, at most `CLOSING_MESSAGE_MAX_CHARS`.
fn closing_message(raw: &str) -> Result<String, OrganisationError> {
    let message = raw.trim().replace("\r\n", "\n");
    if message.chars().count() > CLOSING_MESSAGE_MAX_CHARS {
        return Err(OrganisationError::ClosingMessageTooLong);
    }
    Ok(message.chars().map(|c| if c.is_control() && c != '\n' { ' ' } else { c }).collect())
}

/// The text each person concerned reads: the fact, then the organisation's own words if any.
fn told(organisation: &str, message: &str) -> String {
    let fact = format!("L'organisation « {organisation} » a fermé son espace sur Médecins & Territoires.");
    if message.is_empty() { fact } else { format!("{fact}\n\n{message}") }
}

/// Who closes: an owner; a moderator when the organisation has no owner.
enum Closer {
    Owner,
    Moderator,
}

impl Organisations {
    /// Closes `organisation` (its owners), once the person has `confirmed`: everything listed
    /// in the module documentation, in one transaction, with `message` (optional) sent to each
    /// person concerned.
    #[tracing::instrument(skip_all, fields(user, organisation))]
    pub async fn close(
        &self,
        user: i64,
        organisation: i64,
        message: &str,
        confirmed: bool,
    ) -> Result<(), OrganisationError> {
        let mut tx = self.as_owner(organisation, user).await?;
        self.closing(&mut tx, user, organisation, message, confirmed, Closer::Owner).await?;
        tx.commit().await?;
        tracing::info!(organisation, "organisation closed by an owner");
        Ok(())
    }

    /// The same, by a moderator, for an organisation that has no owner left.
    #[tracing::instrument(skip_all, fields(user, organisation))]
    pub async fn close_ownerless(
        &self,
        user: i64,
        organisation: i64,
        message: &str,
        confirmed: bool,
    ) -> Result<(), OrganisationError> {
        // A write transaction from its start (SQLite: the write lock now, not at the first
        // write, which another writer may hold by then), as who asks is read first.
        let mut tx = self.db.begin_write().await?;
        // Who asks first: to anybody else, the organisation's state is none of their business.
        super::require_moderator(&mut tx, user).await?;
        if !lock(&mut tx, organisation, self.clock.now()).await? {
            return Err(OrganisationError::NotFound);
        }
        if owner_count(&mut tx, organisation).await? > 0 {
            return Err(OrganisationError::HasOwner);
        }
        self.closing(&mut tx, user, organisation, message, confirmed, Closer::Moderator).await?;
        tx.commit().await?;
        tracing::info!(organisation, "ownerless organisation closed by a moderator");
        Ok(())
    }

    /// The closure itself, inside the caller's transaction, which holds the organisation.
    async fn closing(
        &self,
        tx: &mut Tx,
        user: i64,
        organisation: i64,
        message: &str,
        confirmed: bool,
        closer: Closer,
    ) -> Result<(), OrganisationError> {
        let at = self.clock.now();
        let name: Option<String> = sqlx::query_scalar(
            "UPDATE organisations SET closed_at = $1 WHERE id = $2 AND closed_at IS NULL RETURNING name",
        )
        .bind(at)
        .bind(organisation)
        .fetch_optional(&mut **tx)
        .await?;
        let Some(name) = name else { return Err(OrganisationError::Closed) };
        if !confirmed {
            return Err(OrganisationError::ClosureUnconfirmed);
        }
        let message = closing_message(message)?;
        let actor = super::recipient(tx, user).await?;
        let text = told(&name, &message);
        let closing = Closing { organisation, name: &name, actor: user, message: &text, at };
        let mut concerned = crate::applications::close_all(tx, &closing).await?;
        crate::offers::close_all(tx, &closing).await?;
        concerned.extend(crate::events::cancel_all(tx, &closing).await?);
        concerned.extend(crate::promotion::close_all(tx, &closing).await?);
        crate::aids::withdraw_all(tx, &closing).await?;
        crate::stages::withdraw_all(tx, &closing).await?;
        crate::housing::withdraw_all(tx, &closing).await?;
        sqlx::query(
            "UPDATE invitations SET expires_at = $1 WHERE organisation_id = $2 AND accepted_at IS NULL AND expires_at > $1",
        )
        .bind(at)
        .bind(organisation)
        .execute(&mut **tx)
        .await?;
        for person in concerned {
            let mail = self.mail_of(&name, &text, person)?;
            mail::enqueue(tx, &mail).await?;
        }
        let link = format!("{}{}", self.public_url, paths::ORGANISATION.of(organisation));
        for member in recipients(tx, organisation, Whom::Members).await? {
            if member.email == actor.email {
                continue;
            }
            let mail = OutgoingMail::new(
                &member.email,
                Template::OrganisationFermee,
                &[
                    ("nom", &member.display_name),
                    ("organisation", &name),
                    ("auteur", &actor.display_name),
                    ("lien", &link),
                ],
            )?;
            mail::enqueue(tx, &mail).await?;
        }
        let reason = match closer {
            Closer::Owner => message.clone(),
            Closer::Moderator => format!("Fermée par la modération (aucun propriétaire). {message}").trim().to_owned(),
        };
        let reason = (!reason.is_empty()).then_some(reason);
        log(tx, organisation, (user, &actor.email), ModerationAction::Close, reason.as_deref(), at).await?;
        Ok(())
    }

    /// The mail telling `person` what the closure of `name` means for them.
    fn mail_of(&self, name: &str, text: &str, person: Concerned) -> Result<OutgoingMail, OrganisationError> {
        let Concerned { to, about } = person;
        let url = &self.public_url;
        let mail = match about {
            About::Application { id, offer } => OutgoingMail::new(
                &to.email,
                Template::CandidatureClose,
                &[
                    ("nom", &to.display_name),
                    ("offre", &offer),
                    ("message", text),
                    ("lien", &format!("{url}{}", app::domain::applications::paths::APPLICATION.of(id))),
                ],
            )?,
            About::Event { id, title, starts_at } => OutgoingMail::new(
                &to.email,
                Template::EvenementAnnule,
                &[
                    ("nom", &to.display_name),
                    ("evenement", &title),
                    ("date", &app::model::Day::of_unix(starts_at).french()),
                    ("message", text),
                    ("lien", &format!("{url}{}", app::domain::events::paths::EVENT.of(id))),
                ],
            )?,
            About::Case { id, subject } => OutgoingMail::new(
                &to.email,
                Template::DossierMessage,
                &[
                    ("nom", &to.display_name),
                    ("organisation", name),
                    ("auteur", name),
                    ("objet", &subject),
                    ("message", text),
                    ("lien", &format!("{url}{}", app::domain::promotion::paths::CASE.of(id))),
                ],
            )?,
        };
        Ok(mail)
    }

    /// A moderator becomes owner of an open organisation that has no owner, to hand it on (by
    /// inviting an owner) or close it; logged.
    #[tracing::instrument(skip_all, fields(user, organisation))]
    pub async fn take_over(&self, user: i64, organisation: i64) -> Result<(), OrganisationError> {
        let mut tx = self.locked(organisation).await?;
        let moderator = super::require_moderator(&mut tx, user).await?;
        if owner_count(&mut tx, organisation).await? > 0 {
            return Err(OrganisationError::HasOwner);
        }
        if is_closed(&mut tx, organisation).await? {
            return Err(OrganisationError::Closed);
        }
        let at = self.clock.now();
        sqlx::query(
            "INSERT INTO memberships (organisation_id, user_id, role, created_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (organisation_id, user_id) DO UPDATE SET role = $3",
        )
        .bind(organisation)
        .bind(user)
        .bind(Role::Owner.code())
        .bind(at)
        .execute(&mut *tx)
        .await?;
        log(&mut tx, organisation, (user, &moderator), ModerationAction::TakeOver, None, at).await?;
        tx.commit().await?;
        tracing::info!(organisation, "organisation taken over by a moderator");
        Ok(())
    }
}

/// Whether `organisation` is closed (false when there is none): a closed organisation
/// publishes, declares and invites nothing any more.
pub(crate) async fn is_closed(conn: &mut AnyConnection, organisation: i64) -> Result<bool, sqlx::Error> {
    let closed: Option<i64> =
        sqlx::query_scalar("SELECT id FROM organisations WHERE id = $1 AND closed_at IS NOT NULL")
            .bind(organisation)
            .fetch_optional(conn)
            .await?;
    Ok(closed.is_some())
}

/// The open organisations that have no owner, with what they have online, for moderators.
pub(super) async fn ownerless(conn: &mut AnyConnection, at: i64) -> Result<Vec<OwnerlessOrganisation>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: i64,
        kind: Code<OrganisationKind>,
        name: String,
        status: Code<OrganisationStatus>,
        members: i64,
    }
    table!(Row, "organisations");
    let rows = sqlx::query(
        "SELECT o.id, o.kind, o.name, o.status,
                (SELECT CAST(COUNT(*) AS BIGINT) FROM memberships m WHERE m.organisation_id = o.id) AS members
         FROM organisations o
         WHERE o.closed_at IS NULL
           AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.organisation_id = o.id AND m.role = 'owner')
         ORDER BY o.name, o.id",
    )
    .try_map(typed::<Row>)
    .fetch_all(&mut *conn)
    .await?;
    let mut ownerless = Vec::with_capacity(rows.len());
    for row in rows {
        ownerless.push(OwnerlessOrganisation {
            in_progress: in_progress(conn, row.id, at).await?,
            id: row.id,
            kind: row.kind.0,
            name: row.name,
            status: row.status.0,
            members: row.members,
        });
    }
    Ok(ownerless)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closing_messages_are_optional_bounded_and_keep_their_lines() {
        assert_eq!(closing_message("  \n ").unwrap(), "");
        assert!(matches!(
            closing_message(&"x".repeat(CLOSING_MESSAGE_MAX_CHARS + 1)),
            Err(OrganisationError::ClosingMessageTooLong)
        ));
        assert_eq!(closing_message(" Merci.\r\nÀ bientôt. ").unwrap(), "Merci.\nÀ bientôt.");
        assert_eq!(
            told("MSP du Lot", ""),
            "L'organisation « MSP du Lot » a fermé son espace sur Médecins & Territoires."
        );
        assert!(told("MSP du Lot", "Merci.").ends_with("\n\nMerci."));
    }
}
