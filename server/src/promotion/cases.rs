//! The guichet unique: a signed-in person writes to the referent of a territory's published
//! page, which opens a case; both sides follow it with messages, each of which mails the other
//! side through the outbox, in the transaction that writes it. Any member of the collectivité
//! may answer (the referent may be away); only its side changes the status.

use super::{PromotionError, Promotions, content::bounded};
use crate::db::rows::{Code, Flag, table, typed};
use crate::mail::{self, OutgoingMail, Template};
use crate::organisations::closure::{About, Closing, Concerned};
use crate::organisations::{Recipient, is_member, recipient};
use app::domain::promotion::{
    CaseDetail, CaseMessage, CaseRow, CaseStatus, CasesPage, PageContent, PromotionProblem, paths,
};
use sqlx::AnyConnection;

/// Cases one person may open within a day (each mails a referent).
pub const CASES_PER_DAY: i64 = 10;
/// One person writes at most this many messages an hour in the cases (each reaches someone's
/// mailbox); `PromotionProblem::TooManyMessages` says the number.
pub const CASE_MESSAGES_PER_HOUR: i64 = 20;

type Tx = sqlx::Transaction<'static, sqlx::Any>;

/// A case as its participants see it, locked for this transaction.
struct Locked {
    organisation: i64,
    organisation_name: String,
    requester: i64,
    subject: String,
    status: CaseStatus,
    /// The viewer writes for the collectivité (a member of it), not as the requester.
    referent_side: bool,
}

/// The case, if `user` takes part in it; touching its row first serialises its writes.
async fn lock(tx: &mut Tx, case: i64, user: i64, at: i64) -> Result<Locked, PromotionError> {
    let touched =
        sqlx::query("UPDATE cases SET updated_at = $1 WHERE id = $2").bind(at).bind(case).execute(&mut **tx).await?;
    if touched.rows_affected() == 0 {
        return Err(PromotionProblem::CaseNotFound.into());
    }
    #[derive(sqlx::FromRow)]
    struct CaseOf {
        organisation_id: i64,
        organisation: String,
        requester_id: i64,
        subject: String,
        status: Code<CaseStatus>,
    }
    table!(CaseOf, "cases");
    let row = sqlx::query(
        "SELECT c.organisation_id, o.name AS organisation, c.requester_id, c.subject, c.status FROM cases c
         JOIN organisations o ON o.id = c.organisation_id WHERE c.id = $1",
    )
    .bind(case)
    .try_map(typed::<CaseOf>)
    .fetch_one(&mut **tx)
    .await?;
    let referent_side = is_member(tx, row.organisation_id, user).await?;
    if !referent_side && row.requester_id != user {
        return Err(PromotionProblem::CaseNotFound.into());
    }
    Ok(Locked {
        organisation: row.organisation_id,
        organisation_name: row.organisation,
        requester: row.requester_id,
        subject: row.subject,
        status: row.status.0,
        referent_side,
    })
}

async fn user_name(tx: &mut Tx, user: i64) -> Result<(String, String), sqlx::Error> {
    let person = recipient(tx, user).await?;
    Ok((person.display_name, person.email))
}

/// Unpublishes the territory page of `closing`'s organisation (its revisions stay) and closes
/// its open guichet cases with the closing message, signed with the organisation's name;
/// returns the requesters to tell.
pub(crate) async fn close_all(conn: &mut AnyConnection, closing: &Closing<'_>) -> Result<Vec<Concerned>, sqlx::Error> {
    sqlx::query(
        "UPDATE territory_pages SET published_revision_id = NULL, updated_at = $1
         WHERE organisation_id = $2 AND published_revision_id IS NOT NULL",
    )
    .bind(closing.at)
    .bind(closing.organisation)
    .execute(&mut *conn)
    .await?;
    #[derive(sqlx::FromRow)]
    struct Open {
        id: i64,
        subject: String,
        email: String,
        display_name: String,
    }
    table!(Open, "cases");
    let open = sqlx::query(
        "SELECT c.id, c.subject, u.email, u.display_name FROM cases c JOIN users u ON u.id = c.requester_id
         WHERE c.organisation_id = $1 AND c.status <> $2 ORDER BY c.id",
    )
    .bind(closing.organisation)
    .bind(CaseStatus::Clos.code())
    .try_map(typed::<Open>)
    .fetch_all(&mut *conn)
    .await?;
    let mut concerned = Vec::with_capacity(open.len());
    for case in open {
        add_message(conn, case.id, closing.actor, closing.name, true, closing.message, closing.at).await?;
        sqlx::query("UPDATE cases SET status = $1, updated_at = $2 WHERE id = $3")
            .bind(CaseStatus::Clos.code())
            .bind(closing.at)
            .bind(case.id)
            .execute(&mut *conn)
            .await?;
        concerned.push(Concerned {
            to: Recipient { email: case.email, display_name: case.display_name },
            about: About::Case { id: case.id, subject: case.subject },
        });
    }
    Ok(concerned)
}

async fn add_message(
    conn: &mut AnyConnection,
    case: i64,
    author: i64,
    name: &str,
    from_referent: bool,
    body: &str,
    at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO case_messages (case_id, author_id, author_name, from_referent, body, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(case)
    .bind(author)
    .bind(name.to_owned())
    .bind(i64::from(from_referent))
    .bind(body.to_owned())
    .bind(at)
    .execute(conn)
    .await?;
    Ok(())
}

impl Promotions {
    fn case_link(&self, case: i64) -> String {
        format!("{}{}", self.public_url, paths::CASE.of(case))
    }

    /// Opens a case with the referent of `organisation`'s published page (any signed-in
    /// person); the referent gets a mail. Its id.
    #[tracing::instrument(skip_all, fields(user, organisation))]
    pub async fn contact(
        &self,
        user: i64,
        organisation: i64,
        subject: &str,
        message: &str,
    ) -> Result<i64, PromotionError> {
        let subject = bounded(subject, 5, 150, PromotionProblem::Subject)?;
        let message = bounded(message, 10, 5000, PromotionProblem::Message)?;
        let mut tx = self.db.begin_write().await?;
        #[derive(sqlx::FromRow)]
        struct Published {
            name: String,
            content: String,
        }
        table!(Published, "territory_revisions");
        let published = sqlx::query(
            "SELECT o.name, r.content FROM organisations o
             JOIN territory_pages p ON p.organisation_id = o.id
             JOIN territory_revisions r ON r.id = p.published_revision_id
             WHERE o.id = $1 AND o.status = 'verifiee'",
        )
        .bind(organisation)
        .try_map(typed::<Published>)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(published) = published else { return Err(PromotionProblem::NoReferent.into()) };
        let organisation_name = published.name;
        let content: PageContent = serde_json::from_str(&published.content).map_err(|error| {
            sqlx::Error::ColumnDecode { index: "territory_revisions.content".to_owned(), source: Box::new(error) }
        })?;
        // The referent must still be a member: someone who left no longer answers.
        let referent = match content.referent_id {
            Some(referent) if is_member(&mut tx, organisation, referent).await? => referent,
            _ => return Err(PromotionProblem::NoReferent.into()),
        };
        let recent: i64 = sqlx::query_scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM cases WHERE requester_id = $1 AND created_at > $2",
        )
        .bind(user)
        .bind(self.clock.now() - 24 * 3600)
        .fetch_one(&mut *tx)
        .await?;
        if recent >= CASES_PER_DAY {
            return Err(PromotionProblem::TooManyCases.into());
        }
        let at = self.clock.now();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO cases (organisation_id, requester_id, referent_id, subject, status, created_at, updated_at)
             VALUES ($1, $2, $3, $4, 'nouveau', $5, $5) RETURNING id",
        )
        .bind(organisation)
        .bind(user)
        .bind(referent)
        .bind(subject.clone())
        .bind(at)
        .fetch_one(&mut *tx)
        .await?;
        let (author, _) = user_name(&mut tx, user).await?;
        add_message(&mut tx, id, user, &author, false, &message, self.clock.now()).await?;
        let (referent_name, referent_email) = user_name(&mut tx, referent).await?;
        let mail = OutgoingMail::new(
            &referent_email,
            Template::DossierNouveau,
            &[
                ("nom", &referent_name),
                ("organisation", &organisation_name),
                ("auteur", &author),
                ("objet", &subject),
                ("message", &message),
                ("lien", &self.case_link(id)),
            ],
        )?;
        mail::enqueue(&mut tx, &mail).await?;
        tx.commit().await?;
        tracing::info!(case = id, "case opened");
        Ok(id)
    }

    /// Adds a message to an open case; the other side hears of it by mail (the referent, or
    /// every member when the case has none any more; the requester). One person writes at
    /// most `CASE_MESSAGES_PER_HOUR` an hour.
    #[tracing::instrument(skip_all, fields(user, case))]
    pub async fn reply(&self, user: i64, case: i64, body: &str) -> Result<(), PromotionError> {
        let body = bounded(body, 10, 5000, PromotionProblem::Message)?;
        let mut tx = self.db.begin_write().await?;
        let locked = lock(&mut tx, case, user, self.clock.now()).await?;
        if locked.status == CaseStatus::Clos {
            return Err(PromotionProblem::CaseClosed.into());
        }
        let written: i64 = sqlx::query_scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM case_messages WHERE author_id = $1 AND created_at > $2",
        )
        .bind(user)
        .bind(self.clock.now() - 3600)
        .fetch_one(&mut *tx)
        .await?;
        if written >= CASE_MESSAGES_PER_HOUR {
            return Err(PromotionProblem::TooManyMessages.into());
        }
        let (author, _) = user_name(&mut tx, user).await?;
        add_message(&mut tx, case, user, &author, locked.referent_side, &body, self.clock.now()).await?;
        let recipients: Vec<i64> = if locked.referent_side {
            vec![locked.requester]
        } else {
            let referent: Option<i64> = sqlx::query_scalar(
                "SELECT c.referent_id FROM cases c JOIN memberships m
                 ON m.organisation_id = c.organisation_id AND m.user_id = c.referent_id WHERE c.id = $1",
            )
            .bind(case)
            .fetch_optional(&mut *tx)
            .await?
            .flatten();
            match referent {
                Some(referent) => vec![referent],
                None => {
                    sqlx::query_scalar("SELECT user_id FROM memberships WHERE organisation_id = $1")
                        .bind(locked.organisation)
                        .fetch_all(&mut *tx)
                        .await?
                }
            }
        };
        if locked.referent_side && locked.status == CaseStatus::Nouveau {
            sqlx::query("UPDATE cases SET status = 'en_cours' WHERE id = $1").bind(case).execute(&mut *tx).await?;
        }
        let link = self.case_link(case);
        for recipient in recipients.into_iter().filter(|r| *r != user) {
            let (name, email) = user_name(&mut tx, recipient).await?;
            let mail = OutgoingMail::new(
                &email,
                Template::DossierMessage,
                &[
                    ("nom", &name),
                    ("organisation", &locked.organisation_name),
                    ("auteur", &author),
                    ("objet", &locked.subject),
                    ("message", &body),
                    ("lien", &link),
                ],
            )?;
            mail::enqueue(&mut tx, &mail).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Changes the status (the collectivité's side only).
    pub async fn set_status(&self, user: i64, case: i64, status: &str) -> Result<(), PromotionError> {
        let status = CaseStatus::from_code(status.trim()).ok_or(PromotionProblem::CaseStatus)?;
        let mut tx = self.db.begin_write().await?;
        let locked = lock(&mut tx, case, user, self.clock.now()).await?;
        if !locked.referent_side {
            return Err(PromotionProblem::CaseNotFound.into());
        }
        sqlx::query("UPDATE cases SET status = $1 WHERE id = $2")
            .bind(status.code())
            .bind(case)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn read_cases(&self, user: i64) -> Result<CasesPage, sqlx::Error> {
        const SELECT: &str = "SELECT c.id, c.subject, c.status, c.updated_at, o.name AS organisation,
                q.display_name AS requester, r.display_name AS referent,
                (SELECT CAST(COUNT(*) AS BIGINT) FROM case_messages cm WHERE cm.case_id = c.id) AS messages
            FROM cases c JOIN organisations o ON o.id = c.organisation_id
            JOIN users q ON q.id = c.requester_id LEFT JOIN users r ON r.id = c.referent_id";
        #[derive(sqlx::FromRow)]
        struct Listed {
            id: i64,
            subject: String,
            status: Code<CaseStatus>,
            organisation: String,
            requester: String,
            referent: Option<String>,
            updated_at: i64,
            messages: i64,
        }
        table!(Listed, "cases");
        let line = |c: Listed| CaseRow {
            id: c.id,
            subject: c.subject,
            status: c.status.0,
            organisation_name: c.organisation,
            requester: c.requester,
            referent: c.referent,
            updated_at: c.updated_at,
            messages: c.messages,
        };
        let asked =
            sqlx::query(sqlx::AssertSqlSafe(format!("{SELECT} WHERE c.requester_id = $1 ORDER BY c.updated_at DESC")))
                .bind(user)
                .try_map(typed::<Listed>)
                .fetch_all(&self.db.pool)
                .await?;
        let received = sqlx::query(sqlx::AssertSqlSafe(format!(
            "{SELECT} WHERE c.organisation_id IN (SELECT organisation_id FROM memberships WHERE user_id = $1)
             ORDER BY CASE c.status WHEN 'clos' THEN 1 ELSE 0 END, c.updated_at DESC"
        )))
        .bind(user)
        .try_map(typed::<Listed>)
        .fetch_all(&self.db.pool)
        .await?;
        Ok(CasesPage {
            asked: asked.into_iter().map(line).collect(),
            received: received.into_iter().map(line).collect(),
            guichets: self.guichets_count().await?,
        })
    }

    pub async fn read_case(&self, user: i64, id: i64) -> Result<Option<CaseDetail>, sqlx::Error> {
        let mut conn = self.db.pool.acquire().await?;
        #[derive(sqlx::FromRow)]
        struct Case {
            subject: String,
            status: Code<CaseStatus>,
            created_at: i64,
            organisation_id: i64,
            requester_id: i64,
            organisation: String,
            requester: String,
            referent: Option<String>,
        }
        table!(Case, "cases");
        #[derive(sqlx::FromRow)]
        struct Message {
            author_name: String,
            from_referent: Flag,
            body: String,
            created_at: i64,
        }
        table!(Message, "case_messages");
        let row = sqlx::query(
            "SELECT c.subject, c.status, c.created_at, c.organisation_id, c.requester_id, o.name AS organisation,
                    q.display_name AS requester, r.display_name AS referent
             FROM cases c JOIN organisations o ON o.id = c.organisation_id
             JOIN users q ON q.id = c.requester_id LEFT JOIN users r ON r.id = c.referent_id WHERE c.id = $1",
        )
        .bind(id)
        .try_map(typed::<Case>)
        .fetch_optional(&mut *conn)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let referent_side = is_member(&mut conn, row.organisation_id, user).await?;
        if !referent_side && row.requester_id != user {
            return Ok(None);
        }
        let messages = sqlx::query(
            "SELECT author_name, from_referent, body, created_at FROM case_messages WHERE case_id = $1 ORDER BY id",
        )
        .bind(id)
        .try_map(typed::<Message>)
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|m| CaseMessage {
            author: m.author_name,
            from_referent: m.from_referent.0,
            body: m.body,
            created_at: m.created_at,
        })
        .collect();
        Ok(Some(CaseDetail {
            id,
            subject: row.subject,
            status: row.status.0,
            organisation_name: row.organisation,
            requester: row.requester,
            referent: row.referent,
            viewer_is_referent_side: referent_side,
            created_at: row.created_at,
            messages,
        }))
    }
}
