//! Saved searches and their e-mail alerts. A search is the board's query string; the worker
//! (`jobs::offers`) finds, for each search due, the open offers it matches that it has not
//! announced yet (those on the board when it was saved count as announced), and queues one
//! mail listing them in the same transaction that records them as announced: each offer is
//! announced once per search, and a filled or expired offer never (the board only matches
//! open offers). An alert of stage sites is the interns' page's choices: its mail lists the
//! open sites declared since the last it announced (the largest site number when it was saved,
//! then at each mail).

use super::Offers;
use crate::accounts::secret::new_token;
use crate::db::Database;
use crate::db::rows::{Code, table, typed};
use crate::mail::{self, OutgoingMail, Template};
use app::domain::ServiceError;
use app::domain::accounts::SignedIn;
use app::domain::alerts::{
    AlertProblem, AlertService, AlertSubject, Frequency, MAX_ALERTS, Names, SavedSearch, describe, describe_sites,
    paths,
};
use app::domain::offers::{BoardQuery, offer_path};
use app::domain::stages::{SiteFilter, paths as stage_paths};

#[derive(Debug, thiserror::Error)]
pub enum AlertError {
    #[error("{}", .0.message())]
    Invalid(AlertProblem),
    #[error("le service est momentanément indisponible, réessayez dans un instant")]
    Database(#[from] sqlx::Error),
    #[error("le service est momentanément indisponible, réessayez dans un instant")]
    Mail(#[from] mail::MailError),
    #[error("{0}")]
    Board(#[from] crate::offers::BoardError),
}

/// At most this many offers (or stage sites) in one mail; the link to the board shows the rest.
const OFFERS_PER_MAIL: usize = 20;

/// A saved search with the address and name of its owner.
const SEARCH_SELECT: &str =
    "SELECT s.id, s.subject, s.label, s.query, s.frequency, s.created_at, s.last_sent_at, s.unsubscribe_token,
        s.announced_site_id, u.email, u.display_name
    FROM saved_searches s JOIN users u ON u.id = s.user_id";

#[derive(sqlx::FromRow)]
struct SearchRow {
    id: i64,
    subject: Code<AlertSubject>,
    label: String,
    /// The board's query string, without the page (or the interns' page's choices).
    query: String,
    frequency: Code<Frequency>,
    created_at: i64,
    last_sent_at: Option<i64>,
    unsubscribe_token: String,
    /// The last stage site a site alert told of.
    announced_site_id: Option<i64>,
    email: String,
    display_name: String,
}

table!(SearchRow, "saved_searches");

impl SearchRow {
    /// The page of its filters: the board, or the interns' page.
    fn href(&self) -> String {
        let page = match self.subject.0 {
            AlertSubject::Offers => app::domain::offers::paths::BOARD,
            AlertSubject::StageSites => stage_paths::INTERNS,
        };
        if self.query.is_empty() { page.to_owned() } else { format!("{page}?{}", self.query) }
    }
}

/// An offer a search matches, and whether its mails announced it already.
#[derive(sqlx::FromRow)]
struct Announced {
    title: String,
    commune: String,
    departement_code: String,
    announced: i64,
}

table!(Announced, "offers");

/// What saving a search did: the alert, what it follows and how often it writes, and whether
/// it is new (else the person had it already, and only its frequency may have changed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Saved {
    pub id: i64,
    pub subject: AlertSubject,
    pub frequency: Frequency,
    pub new: bool,
}

/// Sets how often alert `id` of `user` writes; NotFound when it is not theirs.
async fn set_frequency(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    user: i64,
    id: i64,
    frequency: Frequency,
) -> Result<(), AlertError> {
    let done = sqlx::query("UPDATE saved_searches SET frequency = $3 WHERE id = $1 AND user_id = $2")
        .bind(id)
        .bind(user)
        .bind(frequency.code())
        .execute(&mut **tx)
        .await?;
    if done.rows_affected() == 0 {
        return Err(AlertError::Invalid(AlertProblem::NotFound));
    }
    Ok(())
}

/// The alerts service.
#[derive(Debug, Clone)]
pub struct Alerts {
    db: Database,
    offers: Offers,
    public_url: String,
}

/// A query string read back into the board's filters (unreadable values dropped).
fn parse_query(raw: &str) -> BoardQuery {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(raw.trim_start_matches('?')).unwrap_or_default();
    let (mut query, _) = BoardQuery::from_pairs(&pairs);
    query.page = 1;
    query.order = None;
    query
}

/// The canonical query string of `query` (without the page).
fn query_string(query: &BoardQuery) -> String {
    let href = query.href(1);
    href.split_once('?').map(|(_, q)| q.to_owned()).unwrap_or_default()
}

/// The words of an alert of the board: its places by their names as the portal has them
/// (« Aveyron », the commune as found), never their codes.
async fn board_label(
    db: &Database,
    query: &BoardQuery,
    departements: &[(String, String)],
) -> Result<String, sqlx::Error> {
    let around = match &query.around {
        Some(around) => crate::territory::queries::commune_around(db, around).await?.map(|commune| commune.label),
        None => None,
    };
    Ok(describe(query, Names { around: around.as_deref(), departements }))
}

/// Writes each alert's label again from its stored search, where the words differ: alerts
/// saved before places were named said « département 12 » or « à moins de 30 km de 12145 »,
/// and a name may change with the reference data. The import runs it after writing that
/// data. Returns how many labels changed.
#[tracing::instrument(skip_all)]
pub async fn relabel(db: &Database) -> Result<usize, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Labelled {
        id: i64,
        subject: Code<AlertSubject>,
        label: String,
        query: String,
    }
    table!(Labelled, "saved_searches");
    let all = sqlx::query("SELECT id, subject, label, query FROM saved_searches ORDER BY id")
        .try_map(typed::<Labelled>)
        .fetch_all(&db.pool)
        .await?;
    let departements = crate::territory::queries::departement_names(db).await?;
    let mut changed = 0;
    for alert in all {
        let label = match alert.subject.0 {
            AlertSubject::Offers => board_label(db, &parse_query(&alert.query), &departements).await?,
            AlertSubject::StageSites => describe_sites(&SiteFilter::from_query(&alert.query)),
        };
        if label != alert.label {
            sqlx::query("UPDATE saved_searches SET label = $1 WHERE id = $2")
                .bind(label)
                .bind(alert.id)
                .execute(&db.pool)
                .await?;
            changed += 1;
        }
    }
    Ok(changed)
}

impl Alerts {
    /// The alerts of the board of `offers`.
    pub fn new(offers: Offers) -> Self {
        Self { db: offers.database().clone(), public_url: offers.public_url().to_owned(), offers }
    }

    /// Saves `search` (a query string) as an alert of `user`: the board's filters, or with
    /// `subject` « terrains » the interns' page's choices of stage sites.
    #[tracing::instrument(skip_all, fields(user))]
    pub async fn create(&self, user: i64, subject: &str, search: &str, frequency: &str) -> Result<Saved, AlertError> {
        let subject = match subject.trim() {
            "" => AlertSubject::Offers,
            code => AlertSubject::from_code(code).ok_or(AlertError::Invalid(AlertProblem::Subject))?,
        };
        let frequency = Frequency::from_code(frequency.trim()).ok_or(AlertError::Invalid(AlertProblem::Frequency))?;
        let (query, label, current) = match subject {
            AlertSubject::Offers => {
                let query = parse_query(search);
                let departements = crate::territory::queries::departement_names(&self.db).await?;
                let label = board_label(&self.db, &query, &departements).await?;
                // What the board shows now is not news: recorded as already announced.
                let current = self.offers.matching_ids(&query).await?;
                (query_string(&query), label, current)
            }
            AlertSubject::StageSites => {
                let filter = SiteFilter::from_query(search);
                (filter.query_string(), describe_sites(&filter), Vec::new())
            }
        };
        let mut tx = self.db.begin_write().await?;
        // The same search saved twice is one alert: tapping « Créer l'alerte » again changes
        // only how often it writes (the unique index of 0034 holds against two taps at once).
        let existing: Option<i64> =
            sqlx::query_scalar("SELECT id FROM saved_searches WHERE user_id = $1 AND subject = $2 AND query = $3")
                .bind(user)
                .bind(subject.code())
                .bind(query.clone())
                .fetch_optional(&mut *tx)
                .await?;
        if let Some(id) = existing {
            set_frequency(&mut tx, user, id, frequency).await?;
            tx.commit().await?;
            return Ok(Saved { id, subject, frequency, new: false });
        }
        let count: i64 = sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM saved_searches WHERE user_id = $1")
            .bind(user)
            .fetch_one(&mut *tx)
            .await?;
        if count >= MAX_ALERTS {
            return Err(AlertError::Invalid(AlertProblem::TooMany));
        }
        // The sites declared so far are not news either.
        let announced_site = match subject {
            AlertSubject::StageSites => Some(crate::stages::records::last_id(&mut tx).await?),
            AlertSubject::Offers => None,
        };
        let id: Result<i64, sqlx::Error> = sqlx::query_scalar(
            "INSERT INTO saved_searches (user_id, subject, query, label, frequency, unsubscribe_token, created_at,
                announced_site_id)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(user)
        .bind(subject.code())
        .bind(query)
        .bind(label)
        .bind(frequency.code())
        .bind(new_token())
        .bind(self.offers.clock().now())
        .bind(announced_site)
        .fetch_one(&mut *tx)
        .await;
        let id: i64 = match id {
            Ok(id) => id,
            Err(sqlx::Error::Database(error)) if error.is_unique_violation() => {
                return Err(AlertError::Invalid(AlertProblem::AlreadySaved));
            }
            Err(error) => return Err(error.into()),
        };
        for offer in current {
            sqlx::query("INSERT INTO saved_search_offers (search_id, offer_id, sent_at) VALUES ($1, $2, $3)")
                .bind(id)
                .bind(offer)
                .bind(self.offers.clock().now())
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(Saved { id, subject, frequency, new: true })
    }

    /// Changes how often alert `id` of `user` writes; NotFound when it is not theirs.
    pub async fn change_frequency(&self, user: i64, id: i64, frequency: &str) -> Result<(), AlertError> {
        let frequency = Frequency::from_code(frequency.trim()).ok_or(AlertError::Invalid(AlertProblem::Frequency))?;
        let mut tx = self.db.begin_write().await?;
        set_frequency(&mut tx, user, id, frequency).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The alerts of `user`, newest first.
    pub async fn list(&self, user: i64) -> Result<Vec<SavedSearch>, sqlx::Error> {
        let searches =
            sqlx::query(sqlx::AssertSqlSafe(format!("{SEARCH_SELECT} WHERE s.user_id = $1 ORDER BY s.id DESC")))
                .bind(user)
                .try_map(typed::<SearchRow>)
                .fetch_all(&self.db.pool)
                .await?;
        Ok(searches
            .into_iter()
            .map(|s| SavedSearch {
                id: s.id,
                subject: s.subject.0,
                href: s.href(),
                label: s.label,
                query: s.query,
                frequency: s.frequency.0,
                created_at: s.created_at,
                last_sent_at: s.last_sent_at,
            })
            .collect())
    }

    /// Deletes alert `id` of `user`; NotFound when it is not theirs.
    pub async fn delete(&self, user: i64, id: i64) -> Result<(), AlertError> {
        let mut tx = self.db.begin_write().await?;
        sqlx::query("DELETE FROM saved_search_offers WHERE search_id IN (SELECT id FROM saved_searches WHERE id = $1 AND user_id = $2)")
            .bind(id)
            .bind(user)
            .execute(&mut *tx)
            .await?;
        let done = sqlx::query("DELETE FROM saved_searches WHERE id = $1 AND user_id = $2")
            .bind(id)
            .bind(user)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(AlertError::Invalid(AlertProblem::NotFound));
        }
        tx.commit().await?;
        Ok(())
    }

    /// The name of the alert an unsubscribe link's token belongs to, if any (whoever holds the
    /// link): the page the mail's link opens says which alert it stops before anything changes.
    pub async fn of_link(&self, token: &str) -> Result<Option<String>, sqlx::Error> {
        let token = token.trim();
        if token.is_empty() {
            return Ok(None);
        }
        sqlx::query_scalar("SELECT label FROM saved_searches WHERE unsubscribe_token = $1")
            .bind(token.to_owned())
            .fetch_optional(&self.db.pool)
            .await
    }

    /// Deletes the alert of an unsubscribe link's token (whoever holds the link).
    pub async fn unsubscribe(&self, token: &str) -> Result<(), AlertError> {
        let token = token.trim().to_owned();
        if token.is_empty() {
            return Err(AlertError::Invalid(AlertProblem::BadLink));
        }
        let mut tx = self.db.begin_write().await?;
        sqlx::query(
            "DELETE FROM saved_search_offers WHERE search_id IN (SELECT id FROM saved_searches WHERE unsubscribe_token = $1)",
        )
        .bind(token.clone())
        .execute(&mut *tx)
        .await?;
        let done = sqlx::query("DELETE FROM saved_searches WHERE unsubscribe_token = $1")
            .bind(token)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(AlertError::Invalid(AlertProblem::BadLink));
        }
        tx.commit().await?;
        Ok(())
    }

    /// Sends the alerts due at `at`: one mail per search with new offers. Returns the mails queued.
    #[tracing::instrument(skip_all)]
    pub async fn send_due(&self, at: i64) -> Result<usize, AlertError> {
        let searches = sqlx::query(sqlx::AssertSqlSafe(format!("{SEARCH_SELECT} ORDER BY s.id")))
            .try_map(typed::<SearchRow>)
            .fetch_all(&self.db.pool)
            .await?;
        let mut queued = 0;
        for s in searches {
            if at - s.last_sent_at.unwrap_or(s.created_at) < s.frequency.0.interval() {
                continue;
            }
            let sent = match s.subject.0 {
                AlertSubject::Offers => {
                    let to = (s.email.as_str(), s.display_name.as_str(), s.unsubscribe_token.as_str());
                    self.send_one(s.id, &s.query, &s.label, to, at).await?
                }
                AlertSubject::StageSites => self.send_sites(&s, at).await?,
            };
            if sent {
                queued += 1;
            }
        }
        Ok(queued)
    }

    /// The mail of one search, if it has new offers; false otherwise.
    async fn send_one(
        &self,
        id: i64,
        raw: &str,
        label: &str,
        (email, name, token): (&str, &str, &str),
        at: i64,
    ) -> Result<bool, AlertError> {
        let matching = self.offers.matching_ids(&parse_query(raw)).await?;
        if matching.is_empty() {
            return Ok(false);
        }
        let mut tx = self.db.begin_write().await?;
        // Not announced yet (what was on the board when the search was saved counts as announced).
        let mut new = Vec::new();
        for offer in matching {
            let row = sqlx::query(
                "SELECT o.title, c.name AS commune, c.departement_code,
                        (SELECT CAST(COUNT(*) AS BIGINT) FROM saved_search_offers s
                         WHERE s.search_id = $1 AND s.offer_id = o.id) AS announced
                 FROM offers o JOIN communes c ON c.code = o.commune_code WHERE o.id = $2",
            )
            .bind(id)
            .bind(offer)
            .try_map(typed::<Announced>)
            .fetch_one(&mut *tx)
            .await?;
            if row.announced > 0 {
                continue;
            }
            new.push((offer, row.title, row.commune, row.departement_code));
            if new.len() == OFFERS_PER_MAIL {
                break;
            }
        }
        if new.is_empty() {
            return Ok(false);
        }
        let list = new
            .iter()
            .map(|(offer, title, commune, dep)| {
                format!("• {title} — {commune} ({dep})\n  {}{}", self.public_url, offer_path(*offer, title))
            })
            .collect::<Vec<_>>()
            .join("\n");
        let board = if raw.is_empty() { "/offres".to_owned() } else { format!("/offres?{raw}") };
        sqlx::query("UPDATE saved_searches SET last_sent_at = $1 WHERE id = $2")
            .bind(at)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        for (offer, _, _, _) in &new {
            sqlx::query("INSERT INTO saved_search_offers (search_id, offer_id, sent_at) VALUES ($1, $2, $3)")
                .bind(id)
                .bind(*offer)
                .bind(at)
                .execute(&mut *tx)
                .await?;
        }
        // The mail's link opens a page that asks for confirmation; mail programs post to it.
        let unsubscribe = format!("{}{}?jeton={token}", self.public_url, paths::UNSUBSCRIBE);
        let mail = OutgoingMail::new(
            email,
            Template::AlerteOffres,
            &[
                ("nom", name),
                ("recherche", label),
                ("offres", &list),
                ("lien", &format!("{}{board}", self.public_url)),
                ("desabonnement", &unsubscribe),
            ],
        )?
        .with_list_unsubscribe(unsubscribe);
        mail::enqueue(&mut tx, &mail).await?;
        tx.commit().await?;
        Ok(true)
    }
}

impl Alerts {
    /// The mail of one alert of stage sites, if open sites were declared since the last it
    /// told of; false otherwise.
    async fn send_sites(&self, s: &SearchRow, at: i64) -> Result<bool, AlertError> {
        let filter = crate::stages::records::Filter::of(SiteFilter::from_query(&s.query), None);
        let mut tx = self.db.begin_write().await?;
        let after = s.announced_site_id.unwrap_or(0);
        let new = crate::stages::records::declared_after(&mut tx, filter, after, OFFERS_PER_MAIL as i64).await?;
        let Some(last) = new.iter().map(|site| site.id).max() else { return Ok(false) };
        let list = new
            .iter()
            .map(|site| {
                let levels: Vec<&str> = site.levels.0.iter().map(|l| l.short()).collect();
                format!(
                    "• {} — {} ({}), faculté {}, {}\n  {}{}",
                    site.name,
                    site.commune,
                    site.departement_code,
                    site.faculty.0.short(),
                    levels.join(", "),
                    self.public_url,
                    stage_paths::SITE.of(site.id)
                )
            })
            .collect::<Vec<_>>()
            .join("\n");
        sqlx::query("UPDATE saved_searches SET last_sent_at = $1, announced_site_id = $2 WHERE id = $3")
            .bind(at)
            .bind(last)
            .bind(s.id)
            .execute(&mut *tx)
            .await?;
        let unsubscribe = format!("{}{}?jeton={}", self.public_url, paths::UNSUBSCRIBE, s.unsubscribe_token);
        let mail = OutgoingMail::new(
            &s.email,
            Template::AlerteTerrains,
            &[
                ("nom", &s.display_name),
                ("recherche", &s.label),
                ("terrains", &list),
                ("lien", &format!("{}{}", self.public_url, s.href())),
                ("desabonnement", &unsubscribe),
            ],
        )?
        .with_list_unsubscribe(unsubscribe);
        mail::enqueue(&mut tx, &mail).await?;
        tx.commit().await?;
        Ok(true)
    }
}

#[async_trait::async_trait]
impl AlertService for Alerts {
    async fn mine(&self, user: SignedIn) -> Result<Vec<SavedSearch>, ServiceError> {
        self.list(user.0).await.map_err(|error| ServiceError(error.to_string()))
    }

    async fn of_link(&self, token: &str) -> Result<Option<String>, ServiceError> {
        Alerts::of_link(self, token).await.map_err(|error| ServiceError(error.to_string()))
    }
}
