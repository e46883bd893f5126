//! Territory promotion pages and the guichet unique (see `app::domain::promotion`).
//!
//! A page belongs to a collectivité (commune, EPCI, département): its members write revisions,
//! preview them and, once moderation has verified the collectivité, publish one; every write
//! checks membership inside its transaction. What they write is Markdown, rendered and cleaned
//! by `markdown` whenever it is shown. Cases (`cases`) go to the referent the published
//! revision names.

mod cases;
pub(crate) use cases::close_all;
mod content;
mod guichets;
pub mod markdown;
pub mod photos;

pub use content::validate;

use crate::clock::Clock;
use crate::db::Database;
use crate::db::rows::{Code, Flag, JsonText, table, typed};
use app::domain::ServiceError;
use app::domain::accounts::SignedIn;
use app::domain::organisations::{OrganisationKind, OrganisationStatus};
use app::domain::promotion::{
    CaseDetail, CasesPage, GuichetHere, GuichetsPage, MemberChoice, PageContent, PhotoView, Promotion, PromotionEditor,
    PromotionProblem, PublicPromotion, ReferentView, RenderedSection, RevisionRow, Section, TestimonialView,
};
use app::domain::territory::{TerritoryRef, paths as territory_paths};
use sqlx::AnyConnection;

/// Photos a page keeps at most (its gallery; portraits of testimonials apart).
pub const PHOTOS_MAX: i64 = 24;

#[derive(Debug, thiserror::Error)]
pub enum PromotionError {
    #[error("{}", .0.message())]
    Invalid(PromotionProblem),
    #[error("le service est momentanément indisponible, réessayez dans un instant")]
    Database(#[from] sqlx::Error),
    #[error("le service est momentanément indisponible, réessayez dans un instant")]
    Mail(#[from] crate::mail::MailError),
}

impl From<PromotionProblem> for PromotionError {
    fn from(problem: PromotionProblem) -> Self {
        Self::Invalid(problem)
    }
}

type Tx = sqlx::Transaction<'static, sqlx::Any>;

/// What a page's organisation is, as its member sees it.
struct Collectivite {
    name: String,
    verified: bool,
    /// A demonstration organisation (`server exemples`).
    example: bool,
    territory: Option<TerritoryRef>,
}

/// The organisation, when `user` is a member of it and it is a collectivité.
async fn collectivite_of(
    conn: &mut AnyConnection,
    organisation: i64,
    user: i64,
) -> Result<Option<Collectivite>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT o.name, o.kind, o.status, o.example,
                c.code AS c_code, c.slug AS c_slug, c.name AS c_name,
                e.siren AS e_code, e.slug AS e_slug, e.name AS e_name,
                d.code AS d_code, d.slug AS d_slug, d.name AS d_name
         FROM organisations o
         JOIN memberships m ON m.organisation_id = o.id AND m.user_id = $2
         LEFT JOIN communes c ON c.code = o.commune_code
         LEFT JOIN epcis e ON e.siren = o.epci_siren
         LEFT JOIN departements d ON d.code = o.departement_code
         WHERE o.id = $1 AND o.kind IN ('commune', 'epci', 'departement')",
    )
    .bind(organisation)
    .bind(user)
    .try_map(typed::<CollectiviteRow>)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let link = |code: Option<String>, slug: Option<String>, name: Option<String>, path: fn(&str, &str) -> String| match (
        code, slug, name,
    ) {
        (Some(code), Some(slug), Some(name)) => Some(TerritoryRef { name, path: path(&code, &slug) }),
        _ => None,
    };
    let territory = match row.kind.0 {
        OrganisationKind::Commune => link(row.c_code, row.c_slug, row.c_name, territory_paths::commune),
        OrganisationKind::Epci => link(row.e_code, row.e_slug, row.e_name, territory_paths::epci),
        _ => link(row.d_code, row.d_slug, row.d_name, territory_paths::departement),
    };
    Ok(Some(Collectivite {
        name: row.name,
        verified: row.status.0 == OrganisationStatus::Verified,
        example: row.example.0,
        territory,
    }))
}

/// A collectivité with the territory it stands for (`c_`: its commune, `e_`: its EPCI, `d_`:
/// its département; one of them).
#[derive(sqlx::FromRow)]
struct CollectiviteRow {
    name: String,
    kind: Code<OrganisationKind>,
    status: Code<OrganisationStatus>,
    example: Flag,
    c_code: Option<String>,
    c_slug: Option<String>,
    c_name: Option<String>,
    e_code: Option<String>,
    e_slug: Option<String>,
    e_name: Option<String>,
    d_code: Option<String>,
    d_slug: Option<String>,
    d_name: Option<String>,
}

table!(CollectiviteRow, "organisations");

async fn members(conn: &mut AnyConnection, organisation: i64) -> Result<Vec<MemberChoice>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct MemberRow {
        id: i64,
        display_name: String,
    }
    table!(MemberRow, "memberships");
    let rows = sqlx::query(
        "SELECT u.id, u.display_name FROM memberships m JOIN users u ON u.id = m.user_id
         WHERE m.organisation_id = $1 ORDER BY u.display_name",
    )
    .bind(organisation)
    .try_map(typed::<MemberRow>)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|r| MemberChoice { user_id: r.id, name: r.display_name }).collect())
}

/// Marks as changed the published pages of the organisations `user` is leaving (`organisation`
/// only, or all of theirs), before their memberships go: the referent a page names may be
/// them, and the pages that show it (the territory's, the list of the guichets) keep in the
/// page cache until their data changes (a referent who is no longer a member is not shown).
pub(crate) async fn member_leaving(
    conn: &mut AnyConnection,
    user: i64,
    organisation: Option<i64>,
    at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE territory_pages SET updated_at = $1
         WHERE published_revision_id IS NOT NULL AND ($3 = -1 OR organisation_id = $3)
           AND organisation_id IN (SELECT organisation_id FROM memberships WHERE user_id = $2)",
    )
    .bind(at)
    .bind(user)
    .bind(organisation.unwrap_or(-1))
    .execute(conn)
    .await?;
    Ok(())
}

/// The page of an organisation, created on first use; its id.
async fn page_id(tx: &mut Tx, organisation: i64, at: i64) -> Result<i64, sqlx::Error> {
    sqlx::query(
        "INSERT INTO territory_pages (organisation_id, created_at, updated_at) VALUES ($1, $2, $2)
         ON CONFLICT (organisation_id) DO UPDATE SET updated_at = excluded.updated_at",
    )
    .bind(organisation)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    sqlx::query_scalar("SELECT id FROM territory_pages WHERE organisation_id = $1")
        .bind(organisation)
        .fetch_one(&mut **tx)
        .await
}

async fn existing_page(conn: &mut AnyConnection, organisation: i64) -> Result<Option<(i64, Option<i64>)>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct PageRow {
        id: i64,
        published_revision_id: Option<i64>,
    }
    table!(PageRow, "territory_pages");
    let row = sqlx::query("SELECT id, published_revision_id FROM territory_pages WHERE organisation_id = $1")
        .bind(organisation)
        .try_map(typed::<PageRow>)
        .fetch_optional(conn)
        .await?;
    Ok(row.map(|r| (r.id, r.published_revision_id)))
}

async fn revision_content(
    conn: &mut AnyConnection,
    page: i64,
    revision: i64,
) -> Result<Option<(PageContent, i64)>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct RevisionContent {
        content: JsonText<PageContent>,
        created_at: i64,
    }
    table!(RevisionContent, "territory_revisions");
    let row = sqlx::query("SELECT content, created_at FROM territory_revisions WHERE id = $1 AND page_id = $2")
        .bind(revision)
        .bind(page)
        .try_map(typed::<RevisionContent>)
        .fetch_optional(conn)
        .await?;
    Ok(row.map(|r| (r.content.0, r.created_at)))
}

async fn photos_of(conn: &mut AnyConnection, page: i64) -> Result<Vec<PhotoView>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, alt, credit, width, height FROM territory_photos WHERE page_id = $1 AND testimonial_id IS NULL ORDER BY id",
    )
    .bind(page)
    .try_map(typed::<PhotoRow>)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(PhotoRow::view).collect())
}

#[derive(sqlx::FromRow)]
struct PhotoRow {
    id: i64,
    alt: String,
    credit: String,
    width: i64,
    height: i64,
}

table!(PhotoRow, "territory_photos");

impl PhotoRow {
    fn view(self) -> PhotoView {
        PhotoView { id: self.id, alt: self.alt, credit: self.credit, width: self.width, height: self.height }
    }
}

async fn testimonials_of(conn: &mut AnyConnection, page: i64) -> Result<Vec<TestimonialView>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct TestimonialRow {
        id: i64,
        name: String,
        role: String,
        quote: String,
        consent_at: i64,
    }
    table!(TestimonialRow, "territory_testimonials");
    let rows = sqlx::query(
        "SELECT id, name, role, quote, consent_at FROM territory_testimonials WHERE page_id = $1 ORDER BY id",
    )
    .bind(page)
    .try_map(typed::<TestimonialRow>)
    .fetch_all(&mut *conn)
    .await?;
    let mut list = Vec::with_capacity(rows.len());
    for r in rows {
        let portrait =
            sqlx::query("SELECT id, alt, credit, width, height FROM territory_photos WHERE testimonial_id = $1")
                .bind(r.id)
                .try_map(typed::<PhotoRow>)
                .fetch_optional(&mut *conn)
                .await?;
        list.push(TestimonialView {
            id: r.id,
            name: r.name,
            role: r.role,
            quote_html: markdown::render(&r.quote),
            photo: portrait.map(PhotoRow::view),
            consent_at: r.consent_at,
        });
    }
    Ok(list)
}

/// A revision as the public sees it.
async fn rendered(
    conn: &mut AnyConnection,
    (organisation, name, example): (i64, String, bool),
    page: i64,
    content: &PageContent,
    revised_at: i64,
) -> Result<Promotion, sqlx::Error> {
    let referent = match content.referent_id {
        Some(user) => {
            let name: Option<String> = sqlx::query_scalar(
                "SELECT u.display_name FROM users u JOIN memberships m ON m.user_id = u.id
                 WHERE u.id = $1 AND m.organisation_id = $2",
            )
            .bind(user)
            .bind(organisation)
            .fetch_optional(&mut *conn)
            .await?;
            name.map(|name| ReferentView { name, role: content.referent_role.clone() })
        }
        None => None,
    };
    Ok(Promotion {
        organisation_id: organisation,
        organisation_name: name,
        example,
        presentation_html: markdown::render(&content.presentation),
        sections: Section::ALL
            .iter()
            .filter(|s| !content.section(**s).is_empty())
            .map(|s| RenderedSection {
                code: s.code().to_owned(),
                label: s.label().to_owned(),
                html: markdown::render(content.section(*s)),
            })
            .collect(),
        video_url: (!content.video_url.is_empty()).then(|| content.video_url.clone()),
        photos: photos_of(conn, page).await?,
        testimonials: testimonials_of(conn, page).await?,
        referent,
        revised_at,
    })
}

/// The territory-page service.
#[derive(Debug, Clone)]
pub struct Promotions {
    db: Database,
    /// What "now" is (the system's time, or a test's).
    clock: Clock,
    public_url: String,
}

impl Promotions {
    pub fn new(db: Database, public_url: String) -> Self {
        Self { db, clock: Clock::system(), public_url }
    }

    /// The same service reading `clock` (a test's, which moves).
    pub fn with_clock(self, clock: Clock) -> Self {
        Self { clock, ..self }
    }

    /// The published page of the territory `kind`/`code`, from its verified collectivité (the
    /// one published last, should there be two).
    pub async fn published_page(&self, kind: &str, code: &str) -> Result<Option<Promotion>, sqlx::Error> {
        let column = match kind {
            "commune" => "commune_code",
            "epci" => "epci_siren",
            "departement" => "departement_code",
            _ => return Ok(None),
        };
        let sql = format!(
            "SELECT o.id, o.name, o.example, p.id AS page, p.published_revision_id FROM organisations o
             JOIN territory_pages p ON p.organisation_id = o.id
             WHERE o.kind = $1 AND o.{column} = $2 AND o.status = 'verifiee' AND p.published_revision_id IS NOT NULL
             ORDER BY p.published_at DESC LIMIT 1"
        );
        let mut conn = self.db.pool.acquire().await?;
        #[derive(sqlx::FromRow)]
        struct Published {
            id: i64,
            name: String,
            example: Flag,
            page: i64,
            published_revision_id: i64,
        }
        table!(Published, "territory_pages");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(kind.to_owned())
            .bind(code.to_owned())
            .try_map(typed::<Published>)
            .fetch_optional(&mut *conn)
            .await?;
        let Some(Published { id: organisation, name, example, page, published_revision_id: revision }) = row else {
            return Ok(None);
        };
        let Some((content, at)) = revision_content(&mut conn, page, revision).await? else { return Ok(None) };
        Ok(Some(rendered(&mut conn, (organisation, name, example.0), page, &content, at).await?))
    }

    /// What the page of the territory `kind`/`code` shows of its collectivité: its published
    /// page, and who answers its guichet unique (its own referent, the nearest above, or
    /// nobody yet).
    pub async fn public_promotion(&self, kind: &str, code: &str) -> Result<PublicPromotion, sqlx::Error> {
        let page = self.published_page(kind, code).await?;
        let guichet = if page.as_ref().is_some_and(|p| p.referent.is_some()) {
            GuichetHere::Own
        } else if let Some(above) = self.guichet_above(kind, code).await? {
            GuichetHere::Above(above)
        } else {
            GuichetHere::Nowhere { elsewhere: self.guichets_count().await? }
        };
        Ok(PublicPromotion { page, guichet })
    }

    async fn read_editor(&self, user: i64, organisation: i64) -> Result<Option<PromotionEditor>, sqlx::Error> {
        let mut conn = self.db.pool.acquire().await?;
        let Some(org) = collectivite_of(&mut conn, organisation, user).await? else { return Ok(None) };
        let Some(territory) = org.territory.clone() else { return Ok(None) };
        let members = members(&mut conn, organisation).await?;
        let mut editor = PromotionEditor {
            organisation_id: organisation,
            organisation_name: org.name.clone(),
            territory,
            verified: org.verified,
            content: PageContent::default(),
            preview: None,
            latest_revision: None,
            latest_published: false,
            members,
            photos: Vec::new(),
            testimonials: Vec::new(),
            revisions: Vec::new(),
        };
        let Some((page, published)) = existing_page(&mut conn, organisation).await? else { return Ok(Some(editor)) };
        #[derive(sqlx::FromRow)]
        struct Revision {
            id: i64,
            created_at: i64,
            author_name: String,
            note: Option<String>,
        }
        table!(Revision, "territory_revisions");
        let rows = sqlx::query(
            "SELECT id, created_at, author_name, note FROM territory_revisions WHERE page_id = $1 ORDER BY id DESC LIMIT 50",
        )
        .bind(page)
        .try_map(typed::<Revision>)
        .fetch_all(&mut *conn)
        .await?;
        editor.revisions = rows
            .into_iter()
            .map(|r| RevisionRow {
                id: r.id,
                created_at: r.created_at,
                author: r.author_name,
                note: r.note,
                published: Some(r.id) == published,
            })
            .collect();
        editor.photos = photos_of(&mut conn, page).await?;
        editor.testimonials = testimonials_of(&mut conn, page).await?;
        if let Some(latest) = editor.revisions.first().map(|r| r.id)
            && let Some((content, at)) = revision_content(&mut conn, page, latest).await?
        {
            editor.preview =
                Some(rendered(&mut conn, (organisation, org.name, org.example), page, &content, at).await?);
            editor.content = content;
            editor.latest_revision = Some(latest);
            editor.latest_published = Some(latest) == published;
        }
        Ok(Some(editor))
    }

    /// Who may write: a member of the collectivité; the page's id.
    async fn writable(&self, tx: &mut Tx, user: i64, organisation: i64) -> Result<(i64, Collectivite), PromotionError> {
        let Some(org) = collectivite_of(tx, organisation, user).await? else {
            return Err(PromotionProblem::NotFound.into());
        };
        if crate::organisations::closure::is_closed(tx, organisation).await? {
            return Err(PromotionProblem::OrganisationClosed.into());
        }
        let page = page_id(tx, organisation, self.clock.now()).await?;
        Ok((page, org))
    }

    async fn author_name(tx: &mut Tx, user: i64) -> Result<String, sqlx::Error> {
        sqlx::query_scalar("SELECT display_name FROM users WHERE id = $1").bind(user).fetch_one(&mut **tx).await
    }

    async fn add_revision(
        tx: &mut Tx,
        page: i64,
        user: i64,
        content: &PageContent,
        note: Option<String>,
        at: i64,
    ) -> Result<i64, sqlx::Error> {
        let author = Self::author_name(tx, user).await?;
        let json = serde_json::to_string(content).unwrap_or_default();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO territory_revisions (page_id, content, author_id, author_name, note, created_at)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(page)
        .bind(json)
        .bind(user)
        .bind(author)
        .bind(note)
        .bind(at)
        .fetch_one(&mut **tx)
        .await?;
        Ok(id)
    }

    /// Saves a new revision (not published): its id, and what could not be kept as typed.
    #[tracing::instrument(skip_all, fields(user, organisation))]
    pub async fn save(
        &self,
        user: i64,
        organisation: i64,
        typed: &PageContent,
    ) -> Result<(i64, Option<PromotionProblem>), PromotionError> {
        let mut tx = self.db.begin_write().await?;
        let (page, _) = self.writable(&mut tx, user, organisation).await?;
        let member_ids: Vec<i64> = members(&mut tx, organisation).await?.iter().map(|m| m.user_id).collect();
        let (content, problem) = validate(typed, &member_ids);
        let id = Self::add_revision(&mut tx, page, user, &content, None, self.clock.now()).await?;
        tx.commit().await?;
        Ok((id, problem))
    }

    async fn point_at(tx: &mut Tx, page: i64, revision: i64, at: i64) -> Result<(), sqlx::Error> {
        sqlx::query(
            "UPDATE territory_pages SET published_revision_id = $1, published_at = $2, updated_at = $2 WHERE id = $3",
        )
        .bind(revision)
        .bind(at)
        .bind(page)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    /// Publishes one of the page's revisions (members of a verified collectivité).
    #[tracing::instrument(skip_all, fields(user, organisation, revision))]
    pub async fn publish(&self, user: i64, organisation: i64, revision: i64) -> Result<(), PromotionError> {
        let mut tx = self.db.begin_write().await?;
        let (page, org) = self.writable(&mut tx, user, organisation).await?;
        if !org.verified {
            return Err(PromotionProblem::Unverified.into());
        }
        if revision_content(&mut tx, page, revision).await?.is_none() {
            return Err(PromotionProblem::Revision.into());
        }
        Self::point_at(&mut tx, page, revision, self.clock.now()).await?;
        tx.commit().await?;
        tracing::info!(page, revision, "territory page published");
        Ok(())
    }

    /// Publishes a copy of an earlier revision as a new one: the history only grows.
    #[tracing::instrument(skip_all, fields(user, organisation, revision))]
    pub async fn restore(&self, user: i64, organisation: i64, revision: i64) -> Result<(), PromotionError> {
        let mut tx = self.db.begin_write().await?;
        let (page, org) = self.writable(&mut tx, user, organisation).await?;
        if !org.verified {
            return Err(PromotionProblem::Unverified.into());
        }
        let Some((content, at)) = revision_content(&mut tx, page, revision).await? else {
            return Err(PromotionProblem::Revision.into());
        };
        let note = format!("restauration de la version du {}", app::format::date_time(at));
        let copy = Self::add_revision(&mut tx, page, user, &content, Some(note), self.clock.now()).await?;
        Self::point_at(&mut tx, page, copy, self.clock.now()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Adds a photo to the gallery (members); the upload is checked and re-encoded first.
    #[tracing::instrument(skip_all, fields(user, organisation))]
    pub async fn add_photo(
        &self,
        user: i64,
        organisation: i64,
        bytes: Vec<u8>,
        alt: &str,
        credit: &str,
    ) -> Result<i64, PromotionError> {
        let alt = content::bounded(alt, 3, 250, PromotionProblem::PhotoAlt)?;
        let credit = content::bounded(credit, 0, 120, PromotionProblem::PhotoCredit)?;
        let processed = process_off_thread(bytes).await?;
        let mut tx = self.db.begin_write().await?;
        let (page, _) = self.writable(&mut tx, user, organisation).await?;
        let count: i64 = sqlx::query_scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM territory_photos WHERE page_id = $1 AND testimonial_id IS NULL",
        )
        .bind(page)
        .fetch_one(&mut *tx)
        .await?;
        if count >= PHOTOS_MAX {
            return Err(PromotionProblem::TooManyPhotos.into());
        }
        let id = insert_photo(&mut tx, page, None, processed, (&alt, &credit), user, self.clock.now()).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Removes a photo of the page (members).
    pub async fn remove_photo(&self, user: i64, organisation: i64, photo: i64) -> Result<(), PromotionError> {
        let mut tx = self.db.begin_write().await?;
        let (page, _) = self.writable(&mut tx, user, organisation).await?;
        let done =
            sqlx::query("DELETE FROM territory_photos WHERE id = $1 AND page_id = $2 AND testimonial_id IS NULL")
                .bind(photo)
                .bind(page)
                .execute(&mut *tx)
                .await?;
        if done.rows_affected() == 0 {
            return Err(PromotionProblem::PhotoNotFound.into());
        }
        tx.commit().await?;
        Ok(())
    }

    /// Adds an ambassador's testimonial, only with their recorded consent (members).
    #[allow(clippy::too_many_arguments)]
    #[tracing::instrument(skip_all, fields(user, organisation))]
    pub async fn add_testimonial(
        &self,
        user: i64,
        organisation: i64,
        name: &str,
        role: &str,
        quote: &str,
        consent: bool,
        portrait: Option<(Vec<u8>, String)>,
    ) -> Result<i64, PromotionError> {
        let name = content::bounded(name, 2, 80, PromotionProblem::TestimonialName)?;
        let role = content::bounded(role, 2, 120, PromotionProblem::TestimonialRole)?;
        let quote = content::bounded(quote, 20, 2000, PromotionProblem::TestimonialQuote)?;
        if !consent {
            return Err(PromotionProblem::TestimonialConsent.into());
        }
        let portrait = match portrait {
            Some((bytes, alt)) if !bytes.is_empty() => {
                let alt = if alt.trim().is_empty() { format!("Portrait de {name}") } else { alt };
                let alt = content::bounded(&alt, 3, 250, PromotionProblem::PhotoAlt)?;
                Some((process_off_thread(bytes).await?, alt))
            }
            _ => None,
        };
        let mut tx = self.db.begin_write().await?;
        let (page, _) = self.writable(&mut tx, user, organisation).await?;
        let at = self.clock.now();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO territory_testimonials (page_id, name, role, quote, consent_at, consent_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $5) RETURNING id",
        )
        .bind(page)
        .bind(name)
        .bind(role)
        .bind(quote)
        .bind(at)
        .bind(user)
        .fetch_one(&mut *tx)
        .await?;
        if let Some((processed, alt)) = portrait {
            insert_photo(&mut tx, page, Some(id), processed, (&alt, ""), user, self.clock.now()).await?;
        }
        tx.commit().await?;
        Ok(id)
    }

    /// Removes a testimonial and its portrait (members).
    pub async fn remove_testimonial(
        &self,
        user: i64,
        organisation: i64,
        testimonial: i64,
    ) -> Result<(), PromotionError> {
        let mut tx = self.db.begin_write().await?;
        let (page, _) = self.writable(&mut tx, user, organisation).await?;
        sqlx::query("DELETE FROM territory_photos WHERE testimonial_id = $1 AND page_id = $2")
            .bind(testimonial)
            .bind(page)
            .execute(&mut *tx)
            .await?;
        let done = sqlx::query("DELETE FROM territory_testimonials WHERE id = $1 AND page_id = $2")
            .bind(testimonial)
            .bind(page)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(PromotionProblem::TestimonialNotFound.into());
        }
        tx.commit().await?;
        Ok(())
    }

    /// A photo's JPEG bytes: for anybody once its page is published, for the page's members
    /// before (the preview).
    pub async fn photo(&self, viewer: Option<i64>, id: i64, thumbnail: bool) -> Result<Option<Vec<u8>>, sqlx::Error> {
        let column = if thumbnail { "ph.thumbnail" } else { "ph.image" };
        let sql = format!(
            "SELECT {column} FROM territory_photos ph JOIN territory_pages p ON p.id = ph.page_id
             WHERE ph.id = $1 AND (p.published_revision_id IS NOT NULL
                OR EXISTS (SELECT 1 FROM memberships m WHERE m.organisation_id = p.organisation_id AND m.user_id = $2))"
        );
        sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .bind(viewer.unwrap_or(-1))
            .fetch_optional(&self.db.pool)
            .await
    }
}

async fn process_off_thread(bytes: Vec<u8>) -> Result<photos::Processed, PromotionError> {
    match tokio::task::spawn_blocking(move || photos::process(&bytes)).await {
        Ok(result) => Ok(result?),
        Err(error) => {
            tracing::error!(%error, "photo processing panicked");
            Err(PromotionProblem::PhotoType.into())
        }
    }
}

async fn insert_photo(
    tx: &mut Tx,
    page: i64,
    testimonial: Option<i64>,
    processed: photos::Processed,
    (alt, credit): (&str, &str),
    user: i64,
    at: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO territory_photos (page_id, testimonial_id, image, thumbnail, width, height, alt, credit, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(page)
    .bind(testimonial)
    .bind(processed.image)
    .bind(processed.thumbnail)
    .bind(i64::from(processed.width))
    .bind(i64::from(processed.height))
    .bind(alt.to_owned())
    .bind(credit.to_owned())
    .bind(user)
    .bind(at)
    .fetch_one(&mut **tx)
    .await
}

fn failed(error: sqlx::Error) -> ServiceError {
    ServiceError(error.to_string())
}

#[async_trait::async_trait]
impl app::domain::promotion::PromotionService for Promotions {
    async fn published(&self, kind: &str, code: &str) -> Result<PublicPromotion, ServiceError> {
        self.public_promotion(kind, code).await.map_err(failed)
    }

    async fn guichets(&self) -> Result<GuichetsPage, ServiceError> {
        self.guichets_page().await.map_err(failed)
    }

    async fn editor(&self, user: SignedIn, organisation: i64) -> Result<Option<PromotionEditor>, ServiceError> {
        self.read_editor(user.0, organisation).await.map_err(failed)
    }

    async fn cases(&self, user: SignedIn) -> Result<CasesPage, ServiceError> {
        self.read_cases(user.0).await.map_err(failed)
    }

    async fn case(&self, user: SignedIn, id: i64) -> Result<Option<CaseDetail>, ServiceError> {
        self.read_case(user.0, id).await.map_err(failed)
    }
}
