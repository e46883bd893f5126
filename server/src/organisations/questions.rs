//! Moderation with evidence: before deciding on an organisation waiting for verification, a
//! moderator may ask its owners a question; they answer on its page. Both are lines of the
//! moderation log (actions `question` and `answer`, the text as the reason), the record of
//! what led to the decision; the question is mailed to the owners in the same transaction.
//! Neither changes the organisation's status: it keeps waiting.

use super::{
    OrganisationError, Organisations, Recipient, Tx, Whom, closure, lock, log, recipients, require_moderator,
    require_owner, written,
};
use crate::db::rows::{Code, table, typed};
use crate::mail::{self, OutgoingMail, Template};
use app::domain::organisations::{
    ANSWER_MAX_CHARS, ExchangeEntry, ExchangeSide, ModerationAction, OrganisationStatus, QUESTION_MAX_CHARS,
    awaiting_answer, paths,
};
use sqlx::AnyConnection;

/// A line of the exchange, as the log keeps it (migration 0032: its text is never NULL).
#[derive(sqlx::FromRow)]
struct ExchangeRow {
    created_at: i64,
    action: Code<ModerationAction>,
    actor_email: Option<String>,
    reason: String,
}

table!(ExchangeRow, "moderation_log");

/// Who reads the exchange: the moderators see who asked; the owners, that the moderation did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Reader {
    Moderator,
    Owner,
}

/// The questions and answers about `organisation`, oldest first.
pub(super) async fn exchange(
    conn: &mut AnyConnection,
    organisation: i64,
    reader: Reader,
) -> Result<Vec<ExchangeEntry>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT created_at, action, actor_email, reason FROM moderation_log
         WHERE organisation_id = $1 AND action IN ($2, $3) ORDER BY created_at, id",
    )
    .bind(organisation)
    .bind(ModerationAction::Question.code())
    .bind(ModerationAction::Answer.code())
    .try_map(typed::<ExchangeRow>)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            // The query reads questions and answers only.
            let side = match row.action.0 {
                ModerationAction::Question => ExchangeSide::Moderation,
                _ => ExchangeSide::Requester,
            };
            let author = match (side, reader) {
                (ExchangeSide::Moderation, Reader::Owner) => None,
                _ => row.actor_email,
            };
            ExchangeEntry { at: row.created_at, side, author, text: row.reason }
        })
        .collect())
}

/// The organisation's name, once it is known to wait for verification and to be open.
async fn waiting(tx: &mut Tx, organisation: i64) -> Result<String, OrganisationError> {
    #[derive(sqlx::FromRow)]
    struct Waiting {
        name: String,
        status: Code<OrganisationStatus>,
    }
    table!(Waiting, "organisations");
    let row = sqlx::query("SELECT name, status FROM organisations WHERE id = $1")
        .bind(organisation)
        .try_map(typed::<Waiting>)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(OrganisationError::NotFound)?;
    if closure::is_closed(tx, organisation).await? {
        return Err(OrganisationError::Closed);
    }
    if row.status.0 != OrganisationStatus::Pending {
        return Err(OrganisationError::AlreadyDecided);
    }
    Ok(row.name)
}

impl Organisations {
    /// A moderator asks the owners of an organisation waiting for verification a question:
    /// logged, and mailed to each owner with the way to answer; the organisation keeps waiting.
    #[tracing::instrument(skip_all, fields(user, organisation))]
    pub async fn ask(&self, user: i64, organisation: i64, question: &str) -> Result<(), OrganisationError> {
        let at = self.clock.now();
        let mut tx = self.db.pool.begin().await?;
        // The organisation's row first, for the lock; then whether the user is a moderator,
        // before any answer about the organisation, which others must not learn.
        let found = lock(&mut tx, organisation, at).await?;
        let moderator = require_moderator(&mut tx, user).await?;
        if !found {
            return Err(OrganisationError::NotFound);
        }
        let question = written(
            question,
            QUESTION_MAX_CHARS,
            OrganisationError::QuestionMissing,
            OrganisationError::QuestionTooLong,
        )?;
        let name = waiting(&mut tx, organisation).await?;
        log(&mut tx, organisation, (user, &moderator), ModerationAction::Question, Some(&question), at).await?;
        let link = format!("{}{}#question", self.public_url, paths::ORGANISATION.of(organisation));
        for Recipient { email, display_name } in recipients(&mut tx, organisation, Whom::Owners).await? {
            let values =
                [("nom", display_name.as_str()), ("organisation", &name), ("question", &question), ("lien", &link)];
            mail::enqueue(&mut tx, &OutgoingMail::new(&email, Template::ModerationQuestion, &values)?).await?;
        }
        tx.commit().await?;
        tracing::info!(organisation, "moderation asked the owners a question");
        Ok(())
    }

    /// An owner answers the moderation's last question about an organisation waiting for
    /// verification, once: logged, shown to the moderators in their queue.
    #[tracing::instrument(skip_all, fields(user, organisation))]
    pub async fn answer(&self, user: i64, organisation: i64, answer: &str) -> Result<(), OrganisationError> {
        let mut tx = self.locked(organisation).await?;
        require_owner(&mut tx, organisation, user).await?;
        waiting(&mut tx, organisation).await?;
        if !awaiting_answer(&exchange(&mut tx, organisation, Reader::Owner).await?) {
            return Err(OrganisationError::NothingToAnswer);
        }
        let answer =
            written(answer, ANSWER_MAX_CHARS, OrganisationError::AnswerMissing, OrganisationError::AnswerTooLong)?;
        let email: String =
            sqlx::query_scalar("SELECT email FROM users WHERE id = $1").bind(user).fetch_one(&mut *tx).await?;
        log(&mut tx, organisation, (user, &email), ModerationAction::Answer, Some(&answer), self.clock.now()).await?;
        tx.commit().await?;
        tracing::info!(organisation, "an owner answered the moderation");
        Ok(())
    }
}
