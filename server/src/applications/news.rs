//! What the organisation does on an application, told to its candidate: one mail for the
//! changes of a few minutes. Opening an application (« lue »), answering it and inviting to an
//! interview within a minute made three mails in twenty seconds.
//!
//! Each change meant for the candidate (a status, a message) is a row of `application_news`,
//! written in the change's own transaction and tied to the mail that tells it. That mail waits
//! in the outbox for the grouping delay before it may leave; a change made while it waits joins
//! it, and the mail is written again with everything it tells: one change reads as before (the
//! status mail, the message mail), several as one list. A mail already taken by the worker is
//! never touched: the change goes in a new mail. Without a delay (0), every change is its own
//! mail, as before.

use super::reads::DELETED;
use super::{ApplicationError, Tx};
use crate::db::rows::{Code, table, typed};
use crate::mail::{self, OutgoingMail, Template};
use app::domain::applications::ApplicationStatus;

/// A change to tell: the status change (`application_events`) or the message
/// (`application_messages`) it is.
#[derive(Debug, Clone, Copy)]
pub(super) enum News {
    Status(i64),
    Message(i64),
}

impl News {
    fn ids(self) -> (Option<i64>, Option<i64>) {
        match self {
            News::Status(event) => (Some(event), None),
            News::Message(message) => (None, Some(message)),
        }
    }
}

/// Who is told what, and where to see it.
pub(super) struct Telling<'a> {
    pub application: i64,
    pub offer_title: &'a str,
    /// The candidate's address and name.
    pub to: (&'a str, &'a str),
    pub link: &'a str,
    /// How long a mail waits for other changes to join it, in milliseconds.
    pub grouping_ms: i64,
}

/// One change as a mail tells it.
#[derive(sqlx::FromRow)]
struct Told {
    /// The status moved to, for a status change.
    status: Option<Code<ApplicationStatus>>,
    /// The author's name (None once their account is deleted) and the text, for a message.
    author: Option<String>,
    body: Option<String>,
}

table!(Told, "application_news");

const TOLD_SELECT: &str = "SELECT e.to_status AS status, u.display_name AS author, m.body
     FROM application_news n
     LEFT JOIN application_events e ON e.id = n.event_id
     LEFT JOIN application_messages m ON m.id = n.message_id
     LEFT JOIN users u ON u.id = m.author_id";

/// Tells the candidate `news`: in the mail about this application that still waits, if there is
/// one, else in a new one that waits `grouping_ms` for others.
pub(super) async fn tell_candidate(tx: &mut Tx, telling: &Telling<'_>, news: News) -> Result<(), ApplicationError> {
    if telling.grouping_ms > 0
        && let Some(waiting) = waiting_mail(tx, telling.application).await?
    {
        insert(tx, waiting, news).await?;
        let told = told_in(tx, waiting).await?;
        if mail::rewrite_waiting(tx, waiting, &mail_of(telling, &told)?).await? {
            return Ok(());
        }
        // Taken by the worker meanwhile: this change goes in a mail of its own.
        let (event, message) = news.ids();
        sqlx::query("DELETE FROM application_news WHERE mail_id = $1 AND (event_id = $2 OR message_id = $3)")
            .bind(waiting)
            .bind(event)
            .bind(message)
            .execute(&mut **tx)
            .await?;
    }
    let told = told_of(tx, news).await?;
    let id = mail::enqueue_after(tx, &mail_of(telling, &[told])?, telling.grouping_ms).await?;
    insert(tx, id, news).await?;
    Ok(())
}

/// The mail about `application` that has not left and still waits for news (never tried, held by
/// no worker, its time not come), if any.
async fn waiting_mail(tx: &mut Tx, application: i64) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT n.mail_id FROM application_news n
         JOIN mail_outbox o ON o.id = n.mail_id
         LEFT JOIN application_events e ON e.id = n.event_id
         LEFT JOIN application_messages m ON m.id = n.message_id
         WHERE (e.application_id = $1 OR m.application_id = $1)
           AND o.status = 'pending' AND o.attempts = 0 AND o.locked_until IS NULL AND o.next_attempt_at > $2
         ORDER BY n.mail_id DESC LIMIT 1",
    )
    .bind(application)
    .bind(mail::now_ms())
    .fetch_optional(&mut **tx)
    .await
}

async fn insert(tx: &mut Tx, mail_id: i64, news: News) -> Result<(), sqlx::Error> {
    let (event, message) = news.ids();
    sqlx::query("INSERT INTO application_news (mail_id, event_id, message_id) VALUES ($1, $2, $3)")
        .bind(mail_id)
        .bind(event)
        .bind(message)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The changes mail `mail_id` tells, in the order they were made.
async fn told_in(tx: &mut Tx, mail_id: i64) -> Result<Vec<Told>, sqlx::Error> {
    let sql = format!("{TOLD_SELECT} WHERE n.mail_id = $1 ORDER BY n.id");
    sqlx::query(sqlx::AssertSqlSafe(sql)).bind(mail_id).try_map(typed::<Told>).fetch_all(&mut **tx).await
}

/// One change, before any mail tells it.
async fn told_of(tx: &mut Tx, news: News) -> Result<Told, sqlx::Error> {
    let sql = match news {
        News::Status(_) => {
            "SELECT e.to_status AS status, NULL AS author, NULL AS body
                            FROM application_events e WHERE e.id = $1"
        }
        News::Message(_) => {
            "SELECT NULL AS status, u.display_name AS author, m.body
                             FROM application_messages m LEFT JOIN users u ON u.id = m.author_id WHERE m.id = $1"
        }
    };
    let (event, message) = news.ids();
    sqlx::query(sql).bind(event.or(message)).try_map(typed::<Told>).fetch_one(&mut **tx).await
}

/// The mail telling `told`: one change as its own mail always read, several as one list.
fn mail_of(telling: &Telling<'_>, told: &[Told]) -> Result<OutgoingMail, ApplicationError> {
    let (email, name) = telling.to;
    let offer = telling.offer_title;
    let link = telling.link;
    let author = |t: &Told| t.author.clone().unwrap_or_else(|| DELETED.to_owned());
    let mail = match told {
        [Told { status: Some(status), .. }] => OutgoingMail::new(
            email,
            Template::CandidatureStatut,
            &[("nom", name), ("offre", offer), ("statut", status.0.label()), ("lien", link)],
        )?,
        [one @ Told { body: Some(body), .. }] => OutgoingMail::new(
            email,
            Template::CandidatureMessage,
            &[("nom", name), ("offre", offer), ("auteur", &author(one)), ("message", body), ("lien", link)],
        )?,
        several => {
            let lines: Vec<String> = several
                .iter()
                .map(|t| match (&t.status, &t.body) {
                    (Some(status), _) => format!("• Statut maintenant : {}", status.0.label()),
                    (None, body) => format!("• Message de {} : « {} »", author(t), body.as_deref().unwrap_or_default()),
                })
                .collect();
            OutgoingMail::new(
                email,
                Template::CandidatureNouvelles,
                &[("nom", name), ("offre", offer), ("nouvelles", &lines.join("\n")), ("lien", link)],
            )?
        }
    };
    Ok(mail)
}
