//! Reviews of stage sites: the site confirms an intern's semester (from an accepted application
//! to one of its stage offers, or declared for the intern's account); the intern reviews it,
//! once a semester; the moderation publishes or refuses each review with its reason; the site
//! answers a published review once. Shown only from `THRESHOLD` published reviews, without
//! names, semesters or dates.

pub mod records;

use crate::clock::Clock;
use crate::db::Database;
use crate::organisations::{is_member, is_moderator};
use app::domain::ServiceError;
use app::domain::accounts::SignedIn;
use app::domain::reviews::{
    AnswerForm, Criterion, ModerationForm, MyReview, PendingReview, PublicReview, ReviewForm, ReviewProblem,
    ReviewStatus, SemesterForm, SemesterLine, SemesterRequest, SiteReviews, SiteSide, THRESHOLD, ToConfirm, averages,
};
use app::domain::stages::paths as stage_paths;
use records::ReviewRecord;
use sqlx::AnyConnection;

#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    #[error("{}", .0.message())]
    Invalid(ReviewProblem),
    #[error("le service est momentanément indisponible, réessayez dans un instant")]
    Database(#[from] sqlx::Error),
}

impl From<ReviewProblem> for ReviewError {
    fn from(problem: ReviewProblem) -> Self {
        Self::Invalid(problem)
    }
}

/// The organisation of the open site `site` (the stage sites' own read).
async fn site_organisation(conn: &mut AnyConnection, site: i64) -> Result<Option<i64>, sqlx::Error> {
    let site = crate::stages::records::one(conn, site).await?;
    Ok(site.filter(|s| s.withdrawn_at.is_none()).map(|s| s.organisation_id))
}

/// The reviews service.
#[derive(Debug, Clone)]
pub struct Reviews {
    db: Database,
    clock: Clock,
}

impl Reviews {
    pub fn new(db: Database) -> Self {
        Self { db, clock: Clock::system() }
    }

    pub fn with_clock(self, clock: Clock) -> Self {
        Self { clock, ..self }
    }

    /// Confirms a semester at `site` (members of its organisation): from an accepted
    /// application to one of its stage offers, or declared for an intern's account.
    #[tracing::instrument(skip_all, fields(user, site))]
    pub async fn confirm(&self, user: i64, site: i64, form: &SemesterForm) -> Result<(), ReviewError> {
        let this_year = self.clock.today().year();
        let request = form.validate(this_year)?;
        let mut tx = self.db.begin_write().await?;
        let Some(organisation) = site_organisation(&mut tx, site).await? else {
            return Err(ReviewProblem::Site.into());
        };
        if !is_member(&mut tx, organisation, user).await? {
            return Err(ReviewProblem::Site.into());
        }
        let (intern, season, year, application) = match request {
            SemesterRequest::Application(id) => {
                let Some(accepted) = records::accepted(&mut tx, site, id).await? else {
                    return Err(ReviewProblem::Application.into());
                };
                (accepted.candidate, accepted.season.0, accepted.year, Some(id))
            }
            SemesterRequest::Declared { email, season, year } => {
                let Some(intern) = crate::accounts::user_with_email(&mut tx, &email).await? else {
                    return Err(ReviewProblem::Account.into());
                };
                (intern, season, year, None)
            }
        };
        let exists: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM stage_semesters WHERE site_id = $1 AND user_id = $2 AND season = $3 AND year = $4",
        )
        .bind(site)
        .bind(intern)
        .bind(season.code())
        .bind(year)
        .fetch_optional(&mut *tx)
        .await?;
        if exists.is_some() {
            return Err(ReviewProblem::AlreadyConfirmed.into());
        }
        sqlx::query(
            "INSERT INTO stage_semesters (site_id, user_id, season, year, application_id, confirmed_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(site)
        .bind(intern)
        .bind(season.code())
        .bind(year)
        .bind(application)
        .bind(user)
        .bind(self.clock.now())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The review of `user` about one of their confirmed semesters at `site`: waits for the
    /// moderation.
    #[tracing::instrument(skip_all, fields(user, site))]
    pub async fn submit(&self, user: i64, site: i64, form: &ReviewForm) -> Result<i64, ReviewError> {
        let review = form.validate()?;
        let mut tx = self.db.begin_write().await?;
        if site_organisation(&mut tx, site).await?.is_none() {
            return Err(ReviewProblem::Semester.into());
        }
        let open = records::unreviewed_semesters(&mut tx, site, user).await?;
        if !open.iter().any(|s| s.id == review.semester) {
            return Err(ReviewProblem::Semester.into());
        }
        let score = |c: Criterion| review.score(c);
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO stage_reviews (site_id, user_id, semester_id, supervision, autonomy, variety, atmosphere,
                housing, workload, body, status, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
        )
        .bind(site)
        .bind(user)
        .bind(review.semester)
        .bind(score(Criterion::Supervision))
        .bind(score(Criterion::Autonomy))
        .bind(score(Criterion::Variety))
        .bind(score(Criterion::Atmosphere))
        .bind(score(Criterion::Housing))
        .bind(score(Criterion::Workload))
        .bind(review.body)
        .bind(ReviewStatus::Pending.code())
        .bind(self.clock.now())
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        tracing::info!(review = id, "stage review submitted");
        Ok(id)
    }

    /// Publishes or refuses a pending review (moderators); true when published.
    #[tracing::instrument(skip_all, fields(user, review))]
    pub async fn moderate(&self, user: i64, review: i64, form: &ModerationForm) -> Result<bool, ReviewError> {
        let decision = form.validate()?;
        let mut tx = self.db.begin_write().await?;
        if !is_moderator(&mut tx, user).await? {
            return Err(ReviewProblem::NotFound.into());
        }
        let status = if decision.is_some() { ReviewStatus::Refused } else { ReviewStatus::Published };
        let changed = sqlx::query(
            "UPDATE stage_reviews SET status = $1, reason = $2, moderated_by = $3, moderated_at = $4
             WHERE id = $5 AND status = 'en_attente'",
        )
        .bind(status.code())
        .bind(decision)
        .bind(user)
        .bind(self.clock.now())
        .bind(review)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed == 0 {
            return Err(ReviewProblem::NotFound.into());
        }
        tx.commit().await?;
        Ok(status == ReviewStatus::Published)
    }

    /// The site's public answer to a published review (members of its organisation, once, and
    /// only once the reviews are shown: before, the site would read what nobody else may).
    #[tracing::instrument(skip_all, fields(user, review))]
    pub async fn answer(&self, user: i64, review: i64, form: &AnswerForm) -> Result<i64, ReviewError> {
        let answer = form.validate()?;
        let mut tx = self.db.begin_write().await?;
        let Some(record) = records::one(&mut tx, review).await? else { return Err(ReviewProblem::NotFound.into()) };
        let Some(organisation) = site_organisation(&mut tx, record.site_id).await? else {
            return Err(ReviewProblem::NotFound.into());
        };
        let shown = records::published(&mut tx, record.site_id).await?.len() >= THRESHOLD;
        if record.status.0 != ReviewStatus::Published || !shown || !is_member(&mut tx, organisation, user).await? {
            return Err(ReviewProblem::NotFound.into());
        }
        if record.answer.is_some() {
            return Err(ReviewProblem::Answered.into());
        }
        sqlx::query("UPDATE stage_reviews SET answer = $1, answered_at = $2 WHERE id = $3 AND answer IS NULL")
            .bind(answer)
            .bind(self.clock.now())
            .bind(review)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(record.site_id)
    }

    /// The latest semester of `user` at `site` (the demonstration's).
    pub async fn last_semester(&self, user: i64, site: i64) -> Result<i64, sqlx::Error> {
        sqlx::query_scalar("SELECT MAX(id) FROM stage_semesters WHERE site_id = $1 AND user_id = $2")
            .bind(site)
            .bind(user)
            .fetch_one(&self.db.pool)
            .await
    }

    /// Publishes the reviews of an example site (`server exemples`): the demonstration has no
    /// moderator.
    pub async fn publish_examples(&self, site: i64) -> Result<(), sqlx::Error> {
        sqlx::query(
            "UPDATE stage_reviews SET status = 'publie', moderated_at = $1
             WHERE site_id = $2 AND status = 'en_attente'
               AND EXISTS (SELECT 1 FROM stage_sites s JOIN organisations o ON o.id = s.organisation_id
                           WHERE s.id = $2 AND o.example = 1)",
        )
        .bind(self.clock.now())
        .bind(site)
        .execute(&self.db.pool)
        .await?;
        Ok(())
    }

    /// The site of a review (for the redirect after a form), if there is one.
    pub async fn site_of(&self, review: i64) -> Result<Option<i64>, sqlx::Error> {
        let mut conn = self.db.pool.acquire().await?;
        Ok(records::one(&mut conn, review).await?.map(|r| r.site_id))
    }

    async fn read_site(&self, viewer: Option<i64>, site: i64) -> Result<Option<SiteReviews>, sqlx::Error> {
        let mut conn = self.db.pool.acquire().await?;
        let Some(organisation) = site_organisation(&mut conn, site).await? else { return Ok(None) };
        let published = records::published(&mut conn, site).await?;
        let shown = published.len() >= THRESHOLD;
        let (averages, reviews) = if shown {
            let scores: Vec<_> = published.iter().map(ReviewRecord::scores).collect();
            let mut reviews: Vec<PublicReview> = published
                .iter()
                .map(|r| PublicReview { id: r.id, scores: r.scores(), body: r.body.clone(), answer: r.answer.clone() })
                .collect();
            // An order that says nothing of when each was written (the site knows who was there
            // when): by a scramble of their numbers.
            reviews.sort_by_key(|r| scramble(r.id));
            (averages(&scores), reviews)
        } else {
            (Vec::new(), Vec::new())
        };
        let mine = match viewer {
            None => MyReview::SignedOut,
            Some(user) => {
                let open = records::unreviewed_semesters(&mut conn, site, user).await?;
                if !open.is_empty() {
                    MyReview::MayReview(open.iter().map(|s| SemesterLine { id: s.id, label: s.label() }).collect())
                } else {
                    match records::of_user(&mut conn, site, user).await?.into_iter().next() {
                        Some(last) => MyReview::Reviewed { status: last.status.0, reason: last.reason },
                        None => MyReview::NoSemester,
                    }
                }
            }
        };
        let member = match viewer {
            Some(user) => is_member(&mut conn, organisation, user).await?,
            None => false,
        };
        let site_side = match member {
            true => {
                let to_confirm = records::to_confirm(&mut conn, site)
                    .await?
                    .into_iter()
                    .map(|a| ToConfirm {
                        application: a.application,
                        semester: format!("{} {}", a.season.0.label(), a.year),
                        intern: a.intern,
                    })
                    .collect();
                let confirmed = records::confirmed_count(&mut conn, site).await?.max(0) as usize;
                Some(SiteSide { to_confirm, confirmed })
            }
            false => None,
        };
        Ok(Some(SiteReviews { site, published: published.len(), averages, reviews, mine, site_side }))
    }

    async fn read_pending(&self, user: i64) -> Result<Option<Vec<PendingReview>>, sqlx::Error> {
        let mut conn = self.db.pool.acquire().await?;
        if !is_moderator(&mut conn, user).await? {
            return Ok(None);
        }
        let pending = records::pending(&mut conn).await?;
        Ok(Some(
            pending
                .into_iter()
                .map(|r| PendingReview {
                    id: r.id,
                    site_path: stage_paths::SITE.of(r.site_id),
                    scores: r.scores(),
                    body: r.body,
                    site: r.site,
                })
                .collect(),
        ))
    }
}

/// A fixed permutation of review numbers (a multiplicative hash): stable from one visit to
/// the next, unrelated to the order of writing.
fn scramble(id: i64) -> u64 {
    (id as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(29)
}

fn failed(error: sqlx::Error) -> ServiceError {
    ServiceError(error.to_string())
}

#[async_trait::async_trait]
impl app::domain::reviews::ReviewService for Reviews {
    async fn site(&self, viewer: Option<SignedIn>, site: i64) -> Result<Option<SiteReviews>, ServiceError> {
        self.read_site(viewer.map(|v| v.0), site).await.map_err(failed)
    }

    async fn pending(&self, user: SignedIn) -> Result<Option<Vec<PendingReview>>, ServiceError> {
        self.read_pending(user.0).await.map_err(failed)
    }
}
