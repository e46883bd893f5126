//! Applications to offers: a doctor with a confirmed address answers an open offer with a
//! message and, if they wish, a PDF CV (stored in the database, so that every server instance
//! serves it); then both sides write in the application's thread, and the organisation's
//! members move it along its pipeline (`ApplicationStatus`), the candidate may withdraw it.
//!
//! Every write takes the acting user and checks, inside its transaction, who they are to the
//! application: its candidate, a member of the organisation of its offer, or nobody (to whom
//! it does not exist). Each status change is a row of `application_events`; each message and
//! each change queues a mail to the other side in the same transaction. Write transactions
//! start by touching the application's row, which serialises the changes of one application.

mod news;
mod reads;

use crate::clock::Clock;
use crate::db::Database;
use crate::db::rows::{Code, table, typed};
use crate::mail::{self, OutgoingMail, Template};
use crate::organisations::closure::{About, Closing, Concerned};
use crate::organisations::{Recipient, Whom, recipient, recipients};
use app::domain::applications::{
    APPLICATIONS_PER_DAY, ApplicationProblem, ApplicationStatus, CV_MAX_BYTES, MESSAGE_MAX, MESSAGES_PER_HOUR, paths,
};
use app::domain::offers::OfferStatus;
use news::{News, Telling};
use sqlx::{AnyConnection, Row};

/// What can go wrong with an application; form problems carry the code of their French sentence.
#[derive(Debug, thiserror::Error)]
pub enum ApplicationError {
    #[error("candidature refusée : {}", .0.message())]
    Invalid(ApplicationProblem),
    #[error("le service est momentanément indisponible, réessayez dans un instant")]
    Database(#[from] sqlx::Error),
    #[error("le service est momentanément indisponible, réessayez dans un instant")]
    Mail(#[from] mail::MailError),
}

impl From<ApplicationProblem> for ApplicationError {
    fn from(problem: ApplicationProblem) -> Self {
        Self::Invalid(problem)
    }
}

/// The windows of the limits, in seconds.
const HOUR: i64 = 3_600;
const DAY: i64 = 24 * HOUR;

/// A CV that passed the checks: a PDF by its content, at most `CV_MAX_BYTES`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cv {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// How far from the end the `%%EOF` marker may be (writers add line ends, or a little junk).
const EOF_WINDOW: usize = 1_024;

impl Cv {
    /// Checks an uploaded file by its content, not its name: it must start with `%PDF-` and
    /// end (within the last kilobyte) with `%%EOF`. The name is kept for the download, reduced
    /// to a plain file name.
    pub fn parse(name: &str, bytes: Vec<u8>) -> Result<Self, ApplicationProblem> {
        if bytes.len() > CV_MAX_BYTES {
            return Err(ApplicationProblem::CvTooLarge);
        }
        let tail = &bytes[bytes.len().saturating_sub(EOF_WINDOW)..];
        if !bytes.starts_with(b"%PDF-") || !tail.windows(5).any(|w| w == b"%%EOF") {
            return Err(ApplicationProblem::CvNotPdf);
        }
        Ok(Self { name: file_name(name), bytes })
    }
}

/// The last component of an uploaded file's name, without control characters, at most 120
/// characters, ending in `.pdf`.
fn file_name(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let clean: String = base.chars().filter(|c| !c.is_control() && *c != '"').take(120).collect();
    let clean = clean.trim();
    if clean.is_empty() {
        "cv.pdf".to_owned()
    } else if clean.to_lowercase().ends_with(".pdf") {
        clean.to_owned()
    } else {
        format!("{clean}.pdf")
    }
}

/// A message as the forms post it: trimmed, required, at most `MESSAGE_MAX` characters.
fn message(raw: &str) -> Result<&str, ApplicationProblem> {
    let text = raw.trim();
    if text.is_empty() {
        Err(ApplicationProblem::MessageMissing)
    } else if text.chars().count() > MESSAGE_MAX {
        Err(ApplicationProblem::MessageTooLong)
    } else {
        Ok(text)
    }
}

/// The applications service.
#[derive(Debug, Clone)]
pub struct Applications {
    db: Database,
    /// What "now" is (the system's time, or a test's).
    clock: Clock,
    /// Public origin, for links in mails.
    public_url: String,
    /// How long a mail to a candidate waits for other changes to join it (`news`), in ms.
    grouping_ms: i64,
}

type Tx = sqlx::Transaction<'static, sqlx::Any>;

/// Who the acting user is to an application.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Candidate,
    Organisation,
}

/// An application taken for a write, as its acting user sees it.
struct Locked {
    side: Side,
    status: ApplicationStatus,
    organisation: i64,
    candidate: i64,
    offer_title: String,
}

async fn is_member(tx: &mut Tx, organisation: i64, user: i64) -> Result<bool, sqlx::Error> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT organisation_id FROM memberships WHERE organisation_id = $1 AND user_id = $2")
            .bind(organisation)
            .bind(user)
            .fetch_optional(&mut **tx)
            .await?;
    Ok(found.is_some())
}

/// Takes the application's row for this transaction; NotFound unless `user` is its candidate
/// or a member of its offer's organisation.
async fn lock(tx: &mut Tx, id: i64, user: i64, at: i64) -> Result<Locked, ApplicationError> {
    #[derive(sqlx::FromRow)]
    struct Touched {
        candidate_id: i64,
        status: Code<ApplicationStatus>,
        offer_id: i64,
    }
    table!(Touched, "applications");
    let row =
        sqlx::query("UPDATE applications SET updated_at = $1 WHERE id = $2 RETURNING candidate_id, status, offer_id")
            .bind(at)
            .bind(id)
            .try_map(typed::<Touched>)
            .fetch_optional(&mut **tx)
            .await?;
    let Some(Touched { candidate_id: candidate, status, offer_id }) = row else {
        return Err(ApplicationProblem::NotFound.into());
    };
    let offer = OfferOf::read(tx, offer_id).await?.ok_or(sqlx::Error::RowNotFound)?;
    let side = if candidate == user {
        Side::Candidate
    } else if is_member(tx, offer.organisation_id, user).await? {
        Side::Organisation
    } else {
        return Err(ApplicationProblem::NotFound.into());
    };
    Ok(Locked { side, status: status.0, organisation: offer.organisation_id, candidate, offer_title: offer.title })
}

/// A candidate's earlier application to the same offer.
#[derive(sqlx::FromRow)]
struct Earlier {
    id: i64,
    status: Code<ApplicationStatus>,
}

table!(Earlier, "applications");

/// A CV as stored: its file name, size and bytes, all three or none.
type CvColumns = (Option<String>, Option<i64>, Option<Vec<u8>>);

/// What an application needs of its offer.
#[derive(sqlx::FromRow)]
struct OfferOf {
    organisation_id: i64,
    status: Code<OfferStatus>,
    expires_at: Option<i64>,
    title: String,
}

table!(OfferOf, "offers");

impl OfferOf {
    async fn read(tx: &mut Tx, offer: i64) -> Result<Option<Self>, sqlx::Error> {
        sqlx::query("SELECT organisation_id, status, expires_at, title FROM offers WHERE id = $1")
            .bind(offer)
            .try_map(typed::<OfferOf>)
            .fetch_optional(&mut **tx)
            .await
    }
}

/// The members of `organisation`: (address, name).
async fn members(tx: &mut Tx, organisation: i64) -> Result<Vec<(String, String)>, sqlx::Error> {
    let members = recipients(tx, organisation, Whom::Members).await?;
    Ok(members.into_iter().map(|r| (r.email, r.display_name)).collect())
}

/// A user's address and name.
async fn person(tx: &mut Tx, user: i64) -> Result<(String, String), sqlx::Error> {
    let person = recipient(tx, user).await?;
    Ok((person.email, person.display_name))
}

/// Writes a change of status in the history; returns its id.
async fn record(
    conn: &mut AnyConnection,
    id: i64,
    actor: i64,
    from: Option<ApplicationStatus>,
    to: ApplicationStatus,
    at: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO application_events (application_id, actor_id, from_status, to_status, created_at)
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(id)
    .bind(actor)
    .bind(from.map(ApplicationStatus::code))
    .bind(to.code())
    .bind(at)
    .fetch_one(conn)
    .await
}

impl Applications {
    /// The service over `db`; links in mails start with `public_url`.
    pub fn new(db: Database, public_url: String) -> Self {
        Self { db, clock: Clock::system(), public_url, grouping_ms: 0 }
    }

    /// The same service grouping the changes of `delay` into one mail to the candidate
    /// (MAIL_GROUPING_SECONDS; none without it).
    pub fn with_grouping(self, delay: std::time::Duration) -> Self {
        Self { grouping_ms: i64::try_from(delay.as_millis()).unwrap_or(i64::MAX), ..self }
    }

    /// The same service reading `clock` (a test's, which moves).
    pub fn with_clock(self, clock: Clock) -> Self {
        Self { clock, ..self }
    }

    fn link(&self, id: i64) -> String {
        format!("{}{}", self.public_url, paths::APPLICATION.of(id))
    }

    /// Sends `user`'s application to `offer`: the person must have confirmed their address, the
    /// offer be open and not one of their organisation's, and they must not have applied
    /// already (but for an application they withdrew, sent again: `send_again`) nor sent
    /// `APPLICATIONS_PER_DAY` in the last 24 hours. The organisation's members get a mail.
    /// Returns the application's id.
    #[tracing::instrument(skip_all, fields(user, offer))]
    pub async fn apply(&self, user: i64, offer: i64, text: &str, cv: Option<Cv>) -> Result<i64, ApplicationError> {
        let text = message(text)?;
        let mut tx = self.db.begin_write().await?;
        let verified: Option<Option<i64>> = sqlx::query_scalar("SELECT email_verified_at FROM users WHERE id = $1")
            .bind(user)
            .fetch_optional(&mut *tx)
            .await?;
        if verified.flatten().is_none() {
            return Err(ApplicationProblem::EmailUnverified.into());
        }
        let sent: i64 = sqlx::query_scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM applications WHERE candidate_id = $1 AND created_at > $2",
        )
        .bind(user)
        .bind(self.clock.now() - DAY)
        .fetch_one(&mut *tx)
        .await?;
        if sent >= APPLICATIONS_PER_DAY {
            return Err(ApplicationProblem::TooManyApplications.into());
        }
        let Some(OfferOf { organisation_id: organisation, status, expires_at, title }) =
            OfferOf::read(&mut tx, offer).await?
        else {
            return Err(ApplicationProblem::OfferClosed.into());
        };
        let at = self.clock.now();
        if status.0 != OfferStatus::Publiee || expires_at.is_none_or(|end| end <= at) {
            return Err(ApplicationProblem::OfferClosed.into());
        }
        if is_member(&mut tx, organisation, user).await? {
            return Err(ApplicationProblem::OwnOrganisation.into());
        }
        let already = sqlx::query("SELECT id, status FROM applications WHERE offer_id = $1 AND candidate_id = $2")
            .bind(offer)
            .bind(user)
            .try_map(typed::<Earlier>)
            .fetch_optional(&mut *tx)
            .await?;
        let (cv_name, cv_size, cv_bytes) = match cv {
            Some(cv) => (Some(cv.name), Some(cv.bytes.len() as i64), Some(cv.bytes)),
            None => (None, None, None),
        };
        let id = match already {
            Some(Earlier { id, status }) if status.0 == ApplicationStatus::Retiree => {
                self.send_again(&mut tx, id, user, text, (cv_name, cv_size, cv_bytes), at).await?;
                id
            }
            Some(_) => return Err(ApplicationProblem::AlreadyApplied.into()),
            None => self.insert(&mut tx, offer, user, text, (cv_name, cv_size, cv_bytes), at).await?,
        };
        let (_, candidate) = person(&mut tx, user).await?;
        let link = self.link(id);
        for (email, name) in members(&mut tx, organisation).await? {
            let mail = OutgoingMail::new(
                &email,
                Template::CandidatureRecue,
                &[("nom", &name), ("offre", &title), ("candidat", &candidate), ("lien", &link)],
            )?;
            mail::enqueue(&mut tx, &mail).await?;
        }
        tx.commit().await?;
        tracing::info!(application = id, "application sent");
        Ok(id)
    }

    /// A new application row, and its first event.
    async fn insert(
        &self,
        tx: &mut Tx,
        offer: i64,
        user: i64,
        text: &str,
        (cv_name, cv_size, cv_bytes): CvColumns,
        at: i64,
    ) -> Result<i64, ApplicationError> {
        let inserted = sqlx::query(
            "INSERT INTO applications (offer_id, candidate_id, message, cv, cv_name, cv_size, status, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
        )
        .bind(offer)
        .bind(user)
        .bind(text.to_owned())
        .bind(cv_bytes)
        .bind(cv_name)
        .bind(cv_size)
        .bind(ApplicationStatus::Envoyee.code())
        .bind(at)
        .fetch_one(&mut **tx)
        .await;
        let id: i64 = match inserted {
            Ok(row) => row.try_get("id")?,
            // Two submissions at once: the second meets the unique constraint.
            Err(sqlx::Error::Database(error)) if error.is_unique_violation() => {
                return Err(ApplicationProblem::AlreadyApplied.into());
            }
            Err(error) => return Err(error.into()),
        };
        record(tx, id, user, None, ApplicationStatus::Envoyee, at).await?;
        Ok(id)
    }

    /// Sends again application `id`, which its candidate withdrew, while the offer is open: the
    /// new letter replaces the first (the thread keeps what was said), a new CV the old one (or
    /// the one sent first stays), and the history shows « retirée » then « envoyée », which the
    /// organisation sees. Once a day at most, so that withdrawing and sending again cannot
    /// become a way to mail the organisation over and over.
    async fn send_again(
        &self,
        tx: &mut Tx,
        id: i64,
        user: i64,
        text: &str,
        (cv_name, cv_size, cv_bytes): CvColumns,
        at: i64,
    ) -> Result<(), ApplicationError> {
        let resent: i64 = sqlx::query_scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM application_events
             WHERE application_id = $1 AND from_status = $2 AND to_status = $3 AND created_at > $4",
        )
        .bind(id)
        .bind(ApplicationStatus::Retiree.code())
        .bind(ApplicationStatus::Envoyee.code())
        .bind(at - DAY)
        .fetch_one(&mut **tx)
        .await?;
        if resent > 0 {
            return Err(ApplicationProblem::SentAgainToday.into());
        }
        sqlx::query(
            "UPDATE applications SET message = $2, cv = COALESCE($3, cv), cv_name = COALESCE($4, cv_name),
                    cv_size = COALESCE($5, cv_size), status = $6, updated_at = $7
             WHERE id = $1",
        )
        .bind(id)
        .bind(text.to_owned())
        .bind(cv_bytes)
        .bind(cv_name)
        .bind(cv_size)
        .bind(ApplicationStatus::Envoyee.code())
        .bind(at)
        .execute(&mut **tx)
        .await?;
        record(tx, id, user, Some(ApplicationStatus::Retiree), ApplicationStatus::Envoyee, at).await?;
        Ok(())
    }

    /// Adds `user`'s message to the thread (the candidate, or a member of the organisation),
    /// and mails the other side. An application with a final status takes no more messages,
    /// and one person writes at most `MESSAGES_PER_HOUR` an hour.
    #[tracing::instrument(skip_all, fields(user, application = id))]
    pub async fn post_message(&self, user: i64, id: i64, text: &str) -> Result<(), ApplicationError> {
        let text = message(text)?;
        let mut tx = self.db.begin_write().await?;
        let locked = lock(&mut tx, id, user, self.clock.now()).await?;
        if locked.status.is_final() {
            return Err(ApplicationProblem::ThreadClosed.into());
        }
        let at = self.clock.now();
        let written: i64 = sqlx::query_scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM application_messages WHERE author_id = $1 AND created_at > $2",
        )
        .bind(user)
        .bind(at - HOUR)
        .fetch_one(&mut *tx)
        .await?;
        if written >= MESSAGES_PER_HOUR {
            return Err(ApplicationProblem::TooManyMessages.into());
        }
        let from_organisation = locked.side == Side::Organisation;
        let message: i64 = sqlx::query_scalar(
            "INSERT INTO application_messages (application_id, author_id, from_organisation, body, created_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(id)
        .bind(user)
        .bind(i64::from(from_organisation))
        .bind(text.to_owned())
        .bind(at)
        .fetch_one(&mut *tx)
        .await?;
        if from_organisation {
            self.responded(&mut tx, id, at).await?;
            self.tell_candidate(&mut tx, id, &locked, News::Message(message)).await?;
            tx.commit().await?;
            return Ok(());
        }
        let (_, author) = person(&mut tx, user).await?;
        let link = self.link(id);
        for (email, name) in members(&mut tx, locked.organisation).await? {
            let mail = OutgoingMail::new(
                &email,
                Template::CandidatureMessage,
                &[
                    ("nom", &name),
                    ("offre", &locked.offer_title),
                    ("auteur", &author),
                    ("message", text),
                    ("lien", &link),
                ],
            )?;
            mail::enqueue(&mut tx, &mail).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Moves the application to `to` (members of the organisation, along the pipeline only);
    /// the candidate gets a mail.
    #[tracing::instrument(skip_all, fields(user, application = id))]
    pub async fn change_status(&self, user: i64, id: i64, to: ApplicationStatus) -> Result<(), ApplicationError> {
        let mut tx = self.db.begin_write().await?;
        let locked = lock(&mut tx, id, user, self.clock.now()).await?;
        if locked.side != Side::Organisation || !locked.status.organisation_may_move_to(to) {
            return Err(ApplicationProblem::WrongStatus.into());
        }
        let at = self.clock.now();
        let event = self.set_status(&mut tx, id, user, locked.status, to).await?;
        self.responded(&mut tx, id, at).await?;
        self.tell_candidate(&mut tx, id, &locked, News::Status(event)).await?;
        tx.commit().await?;
        tracing::info!(status = to.code(), "application moved");
        Ok(())
    }

    /// The candidate withdraws their application before a final status; the members get a mail.
    #[tracing::instrument(skip_all, fields(user, application = id))]
    pub async fn withdraw(&self, user: i64, id: i64) -> Result<(), ApplicationError> {
        let mut tx = self.db.begin_write().await?;
        let locked = lock(&mut tx, id, user, self.clock.now()).await?;
        if locked.side != Side::Candidate || !locked.status.candidate_may_withdraw() {
            return Err(ApplicationProblem::WrongStatus.into());
        }
        self.set_status(&mut tx, id, user, locked.status, ApplicationStatus::Retiree).await?;
        let (_, candidate) = person(&mut tx, user).await?;
        let link = self.link(id);
        for (email, name) in members(&mut tx, locked.organisation).await? {
            let mail = OutgoingMail::new(
                &email,
                Template::CandidatureRetiree,
                &[("nom", &name), ("offre", &locked.offer_title), ("candidat", &candidate), ("lien", &link)],
            )?;
            mail::enqueue(&mut tx, &mail).await?;
        }
        tx.commit().await?;
        tracing::info!("application withdrawn");
        Ok(())
    }

    async fn set_status(
        &self,
        tx: &mut Tx,
        id: i64,
        actor: i64,
        from: ApplicationStatus,
        to: ApplicationStatus,
    ) -> Result<i64, sqlx::Error> {
        sqlx::query("UPDATE applications SET status = $1 WHERE id = $2")
            .bind(to.code())
            .bind(id)
            .execute(&mut **tx)
            .await?;
        record(tx, id, actor, Some(from), to, self.clock.now()).await
    }

    /// Notes the organisation's first response (a message or a status change), once.
    async fn responded(&self, tx: &mut Tx, id: i64, at: i64) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE applications SET first_response_at = $1 WHERE id = $2 AND first_response_at IS NULL")
            .bind(at)
            .bind(id)
            .execute(&mut **tx)
            .await?;
        Ok(())
    }

    /// Tells the candidate of application `id` what its organisation did (`news`): grouped with
    /// the changes of the last moments into one mail.
    async fn tell_candidate(&self, tx: &mut Tx, id: i64, locked: &Locked, news: News) -> Result<(), ApplicationError> {
        let (email, name) = person(tx, locked.candidate).await?;
        let link = self.link(id);
        let telling = Telling {
            application: id,
            offer_title: &locked.offer_title,
            to: (&email, &name),
            link: &link,
            grouping_ms: self.grouping_ms,
        };
        news::tell_candidate(tx, &telling, news).await
    }

    /// Marks an application read when `user`, a member of its organisation, opens it while
    /// it is « envoyée »; the candidate gets a mail. Whether it changed.
    pub(crate) async fn mark_read(&self, user: i64, id: i64) -> Result<bool, ApplicationError> {
        let mut tx = self.db.begin_write().await?;
        let locked = lock(&mut tx, id, user, self.clock.now()).await?;
        if locked.side != Side::Organisation || locked.status != ApplicationStatus::Envoyee {
            return Ok(false);
        }
        let event = self.set_status(&mut tx, id, user, ApplicationStatus::Envoyee, ApplicationStatus::Lue).await?;
        self.tell_candidate(&mut tx, id, &locked, News::Status(event)).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// The CV of an application, for its candidate and the organisation's members: (file
    /// name, bytes); None for anybody else, or when there is none.
    #[tracing::instrument(skip_all, fields(user, application = id))]
    pub async fn cv(&self, user: i64, id: i64) -> Result<Option<(String, Vec<u8>)>, sqlx::Error> {
        if self.side(user, id).await?.is_none() {
            return Ok(None);
        }
        #[derive(sqlx::FromRow)]
        struct Cv {
            cv_name: String,
            cv: Vec<u8>,
        }
        table!(Cv, "applications");
        let found = sqlx::query("SELECT cv_name, cv FROM applications WHERE id = $1 AND cv IS NOT NULL")
            .bind(id)
            .try_map(typed::<Cv>)
            .fetch_optional(&self.db.pool)
            .await?;
        Ok(found.map(|found| (found.cv_name, found.cv)))
    }
}

/// Answers every open application to `closing`'s organisation's offers, whatever their offer's
/// state, with the final status « refusée » and the closing message in the thread (from the
/// organisation, written by whoever closes it); returns the candidates to tell.
pub(crate) async fn close_all(conn: &mut AnyConnection, closing: &Closing<'_>) -> Result<Vec<Concerned>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Open {
        id: i64,
        status: Code<ApplicationStatus>,
        title: String,
        email: String,
        display_name: String,
    }
    table!(Open, "applications");
    let open = sqlx::query(
        "SELECT a.id, a.status, f.title, u.email, u.display_name
         FROM applications a JOIN offers f ON f.id = a.offer_id JOIN users u ON u.id = a.candidate_id
         WHERE f.organisation_id = $1 AND a.status NOT IN ('acceptee', 'refusee', 'retiree') ORDER BY a.id",
    )
    .bind(closing.organisation)
    .try_map(typed::<Open>)
    .fetch_all(&mut *conn)
    .await?;
    let mut concerned = Vec::with_capacity(open.len());
    for application in open {
        let to = ApplicationStatus::Refusee;
        sqlx::query("UPDATE applications SET status = $1, updated_at = $2 WHERE id = $3")
            .bind(to.code())
            .bind(closing.at)
            .bind(application.id)
            .execute(&mut *conn)
            .await?;
        record(conn, application.id, closing.actor, Some(application.status.0), to, closing.at).await?;
        sqlx::query(
            "INSERT INTO application_messages (application_id, author_id, from_organisation, body, created_at)
             VALUES ($1, $2, 1, $3, $4)",
        )
        .bind(application.id)
        .bind(closing.actor)
        .bind(closing.message.to_owned())
        .bind(closing.at)
        .execute(&mut *conn)
        .await?;
        sqlx::query("UPDATE applications SET first_response_at = $1 WHERE id = $2 AND first_response_at IS NULL")
            .bind(closing.at)
            .bind(application.id)
            .execute(&mut *conn)
            .await?;
        concerned.push(Concerned {
            to: Recipient { email: application.email, display_name: application.display_name },
            about: About::Application { id: application.id, offer: application.title },
        });
    }
    Ok(concerned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cv_is_a_pdf_by_its_content_and_five_megabytes_at_most() {
        let pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".to_vec();
        assert_eq!(Cv::parse("C:\\Users\\moi\\CV Léa.pdf", pdf.clone()).unwrap().name, "CV Léa.pdf");
        assert_eq!(Cv::parse("../../cv", pdf.clone()).unwrap().name, "cv.pdf");
        // A Word document renamed .pdf: a zip file.
        let docx = b"PK\x03\x04\x14\x00\x06\x00word/document.xml".to_vec();
        assert_eq!(Cv::parse("cv.pdf", docx), Err(ApplicationProblem::CvNotPdf));
        let truncated = b"%PDF-1.4\n1 0 obj".to_vec();
        assert_eq!(Cv::parse("cv.pdf", truncated), Err(ApplicationProblem::CvNotPdf));
        let mut big = b"%PDF-1.4\n".to_vec();
        big.resize(CV_MAX_BYTES + 1, b' ');
        big.extend_from_slice(b"%%EOF");
        assert_eq!(Cv::parse("cv.pdf", big), Err(ApplicationProblem::CvTooLarge));
    }

    #[test]
    fn messages_are_required_and_bounded() {
        assert_eq!(message("  \n "), Err(ApplicationProblem::MessageMissing));
        assert_eq!(message(" Bonjour "), Ok("Bonjour"));
        assert_eq!(message(&"é".repeat(MESSAGE_MAX + 1)), Err(ApplicationProblem::MessageTooLong));
        assert!(message(&"é".repeat(MESSAGE_MAX)).is_ok());
    }
}
