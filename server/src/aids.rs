//! Aids: the catalogue (imported from server/data/aides.json), the local aids verified
//! collectivités publish on their territory, their moderation, and the simulator built on the
//! pure rules of `eligibility`.
//!
//! Every write takes the acting user and checks inside its transaction that they may: a
//! member of the verified collectivité for its own aids, a moderator for any withdrawal.

pub mod eligibility;
mod local;

pub use local::LocalAid;

use crate::clock::Clock;
use crate::db::Database;
use crate::db::Query;
use crate::db::rows::{Code, CodeList, Flag, table, typed};
use crate::organisations::is_moderator;
use app::domain::ServiceError;
use app::domain::accounts::SignedIn;
use app::domain::aids::{
    Aid, AidCategory, AidDepartement, AidLink, AidPlace, AidProblem, AidProfile, AidPurpose, AidScope, AidZone,
    AidsPage, AmountUnit, Exercise, Funder, LocalAidEditor, LocalAidForm, ModerationAids, OrganisationAids,
    ProfileAids, Publisher, ScopeKind, Simulation,
};
use app::domain::organisations::{OrganisationKind, OrganisationStatus};
use app::domain::territory::{TerritoryRef, paths as territory_paths};
use app::model::{Day, InseeCode, PlaceName, Zonage};
use sqlx::Row;
use std::collections::HashMap;

#[derive(Debug, thiserror::Error)]
pub enum AidError {
    #[error("{}", .0.message())]
    Invalid(AidProblem),
    #[error("le service est momentanément indisponible, réessayez dans un instant")]
    Database(#[from] sqlx::Error),
}

impl From<AidProblem> for AidError {
    fn from(problem: AidProblem) -> Self {
        Self::Invalid(problem)
    }
}

/// A local aid's identifier: its number and the words of its name ("local-12-aide-au-logement"),
/// or "aide" when the name has no letter or digit to keep (the open API's pattern wants one).
fn local_slug(id: i64, name: &str) -> String {
    let words = app::model::slugify(name);
    format!("local-{id}-{}", if words.is_empty() { "aide" } else { words.as_str() })
}

/// Every column `aid_of` reads, with the names of the scope and of the publisher.
const SELECT: &str = "SELECT a.id, a.slug, a.name, a.funder, a.category, a.amount_eur, a.amount_unit, a.amount_text,
        a.summary, a.conditions, a.zones, a.departements, a.profiles, a.purposes, a.exercise, a.excludes,
        a.commitment, a.commitment_years,
        a.scope_kind, a.scope_code, a.source_url, a.valid_from, a.valid_to, a.checked_on, a.organisation_id,
        o.name AS publisher, o.example AS publisher_example,
        CASE a.scope_kind
            WHEN 'region' THEN (SELECT name FROM regions WHERE code = a.scope_code)
            WHEN 'departement' THEN (SELECT name FROM departements WHERE code = a.scope_code)
            WHEN 'epci' THEN (SELECT name FROM epcis WHERE siren = a.scope_code)
            WHEN 'commune' THEN (SELECT name FROM communes WHERE code = a.scope_code)
        END AS scope_name,
        a.withdrawn_at, a.verified_on
    FROM aids a LEFT JOIN organisations o ON o.id = a.organisation_id";

/// A stored aid as `SELECT` reads it.
#[derive(sqlx::FromRow)]
struct AidRow {
    id: i64,
    slug: String,
    name: String,
    funder: Code<Funder>,
    category: Code<AidCategory>,
    amount_eur: Option<i64>,
    amount_unit: Code<AmountUnit>,
    amount_text: String,
    summary: String,
    conditions: String,
    zones: CodeList<AidZone>,
    /// Codes, named by `name_references`.
    departements: String,
    profiles: CodeList<AidProfile>,
    purposes: CodeList<AidPurpose>,
    exercise: CodeList<Exercise>,
    /// Slugs, named by `name_references`.
    excludes: String,
    commitment: Option<String>,
    commitment_years: Option<i64>,
    scope_kind: Code<ScopeKind>,
    scope_code: Option<String>,
    source_url: String,
    valid_from: Option<Code<Day>>,
    valid_to: Option<Code<Day>>,
    checked_on: Code<Day>,
    organisation_id: Option<i64>,
    publisher: Option<String>,
    publisher_example: Option<Flag>,
    scope_name: Option<String>,
    withdrawn_at: Option<i64>,
    verified_on: Option<Code<Day>>,
}

table!(AidRow, "aids");

fn list(raw: &str) -> impl Iterator<Item = String> + '_ {
    raw.split(',').map(str::trim).filter(|c| !c.is_empty()).map(str::to_owned)
}

impl AidRow {
    /// The aid. The départements and excluded aids it names carry their codes as names until
    /// `name_references` reads theirs.
    fn aid(self) -> Aid {
        let scope_kind = self.scope_kind.0;
        Aid {
            id: self.id,
            slug: self.slug,
            name: self.name,
            funder: self.funder.0,
            category: self.category.0,
            amount_eur: self.amount_eur,
            amount_unit: self.amount_unit.0,
            amount_text: self.amount_text,
            summary: self.summary,
            conditions: self.conditions,
            zones: self.zones.0,
            departements: list(&self.departements).map(|code| AidDepartement { name: code.clone(), code }).collect(),
            profiles: self.profiles.0,
            purposes: self.purposes.0,
            exercise: self.exercise.0,
            excludes: list(&self.excludes).map(|slug| AidLink { name: slug.clone(), slug }).collect(),
            commitment: self.commitment,
            commitment_years: self.commitment_years,
            scope: AidScope {
                kind: scope_kind,
                code: self.scope_code,
                name: match scope_kind {
                    ScopeKind::National => "France entière".to_owned(),
                    _ => self.scope_name.unwrap_or_default(),
                },
            },
            source_url: self.source_url,
            valid_from: self.valid_from.map(|d| d.0),
            valid_to: self.valid_to.map(|d| d.0),
            checked_on: self.checked_on.0,
            publisher: self.organisation_id.zip(self.publisher).map(|(organisation_id, name)| Publisher {
                organisation_id,
                name,
                example: self.publisher_example.is_some_and(|flag| flag.0),
            }),
            withdrawn: self.withdrawn_at.is_some(),
            verified_on: self.verified_on.map(|d| d.0),
        }
    }
}

/// The aids `SELECT` + `clause` finds.
async fn aids_where(
    conn: &mut sqlx::AnyConnection,
    clause: &str,
    bind: impl FnOnce(Query<'_>) -> Query<'_>,
) -> Result<Vec<Aid>, sqlx::Error> {
    let query = bind(sqlx::query(sqlx::AssertSqlSafe(format!("{SELECT} {clause}"))));
    Ok(query.try_map(typed::<AidRow>).fetch_all(conn).await?.into_iter().map(AidRow::aid).collect())
}

/// Names the départements and the excluded aids `aids` refer to by code. Excluded aids are
/// named from the list itself when it holds them (the whole catalogue does); the database is
/// asked only for what it lacks.
async fn name_references(conn: &mut sqlx::AnyConnection, aids: &mut [Aid]) -> Result<(), sqlx::Error> {
    let pairs = |sql: &'static str| sqlx::query_as::<_, (String, String)>(sql);
    let departements: HashMap<String, String> = if aids.iter().any(|a| !a.departements.is_empty()) {
        pairs("SELECT code, name FROM departements").fetch_all(&mut *conn).await?.into_iter().collect()
    } else {
        HashMap::new()
    };
    let mut names: HashMap<String, String> = aids.iter().map(|a| (a.slug.clone(), a.name.clone())).collect();
    if aids.iter().flat_map(|a| &a.excludes).any(|x| !names.contains_key(&x.slug)) {
        names = pairs("SELECT slug, name FROM aids").fetch_all(&mut *conn).await?.into_iter().collect();
    }
    for aid in aids {
        for d in &mut aid.departements {
            d.name = departements.get(&d.code).cloned().unwrap_or_else(|| d.code.clone());
        }
        for other in &mut aid.excludes {
            other.name = names.get(&other.slug).cloned().unwrap_or_else(|| other.slug.clone());
        }
    }
    Ok(())
}

/// The territory a collectivité's aids cover, and who funds them.
fn collectivite_scope(kind: &str) -> Option<(ScopeKind, Funder, &'static str)> {
    match kind {
        "commune" => Some((ScopeKind::Commune, Funder::Commune, "commune_code")),
        "epci" => Some((ScopeKind::Epci, Funder::Epci, "epci_siren")),
        "departement" => Some((ScopeKind::Departement, Funder::Departement, "departement_code")),
        _ => None,
    }
}

/// The aids service.
#[derive(Debug, Clone)]
pub struct Aids {
    db: Database,
    /// What "now" is (the system's time, or a test's).
    clock: Clock,
}

type Tx = sqlx::Transaction<'static, sqlx::Any>;

impl Aids {
    pub fn new(db: Database) -> Self {
        Self { db, clock: Clock::system() }
    }

    /// The same service reading `clock` (a test's, which moves).
    pub fn with_clock(self, clock: Clock) -> Self {
        Self { clock, ..self }
    }

    /// Every aid, withdrawn ones included, national ones first.
    pub async fn catalogue(&self) -> Result<Vec<Aid>, sqlx::Error> {
        let mut conn = self.db.pool.acquire().await?;
        let order = "ORDER BY CASE a.origin WHEN 'catalogue' THEN 0 ELSE 1 END, a.name";
        let mut aids = aids_where(&mut conn, order, |q| q).await?;
        name_references(&mut conn, &mut aids).await?;
        Ok(aids)
    }

    async fn aid(&self, conn: &mut sqlx::AnyConnection, id: i64) -> Result<Option<Aid>, sqlx::Error> {
        Ok(aids_where(conn, "WHERE a.id = $1", |q| q.bind(id)).await?.pop())
    }

    /// What the rules know of a commune, and a link to its page; None for an unknown code.
    pub async fn place(&self, code: &InseeCode) -> Result<Option<(AidPlace, TerritoryRef)>, sqlx::Error> {
        #[derive(sqlx::FromRow)]
        struct PlaceRow {
            code: String,
            name: String,
            slug: String,
            departement_code: String,
            region_code: String,
            epci_siren: Option<String>,
            zonage: Option<Code<Zonage>>,
        }
        table!(PlaceRow, "communes");
        let row = sqlx::query(
            "SELECT c.code, c.name, c.slug, c.departement_code, d.region_code, c.epci_siren, c.zonage
             FROM communes c JOIN departements d ON d.code = c.departement_code WHERE c.code = $1",
        )
        .bind(code.as_str().to_owned())
        .try_map(typed::<PlaceRow>)
        .fetch_optional(&self.db.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let qpv: Vec<String> = sqlx::query_scalar("SELECT name FROM qpv WHERE commune_code = $1 ORDER BY name")
            .bind(code.as_str().to_owned())
            .fetch_all(&self.db.pool)
            .await?;
        let link = TerritoryRef { path: territory_paths::commune(&row.code, &row.slug), name: row.name };
        let place = AidPlace {
            commune: row.code,
            departement: row.departement_code,
            region: row.region_code,
            epci: row.epci_siren,
            zonage: row.zonage.map(|z| z.0),
            qpv,
        };
        Ok(Some((place, link)))
    }

    /// The simulator's answer for a commune and a profile (every profile when None).
    pub async fn simulate(
        &self,
        code: &InseeCode,
        profile: Option<AidProfile>,
    ) -> Result<Option<Simulation>, sqlx::Error> {
        let Some((place, link)) = self.place(code).await? else { return Ok(None) };
        let catalogue = self.catalogue().await?;
        Ok(Some(simulation(&catalogue, place, link, profile, self.clock.today())))
    }

    async fn profile_of(&self, user: i64) -> Result<Option<AidProfile>, sqlx::Error> {
        let status: Option<Code<app::domain::profiles::Status>> =
            sqlx::query_scalar("SELECT status FROM people WHERE user_id = $1")
                .bind(user)
                .fetch_optional(&self.db.pool)
                .await?;
        Ok(status.map(|status| AidProfile::of_status(status.0)))
    }

    async fn read_page(
        &self,
        viewer: Option<i64>,
        asked: Option<AidProfile>,
        commune: &str,
    ) -> Result<AidsPage, sqlx::Error> {
        let (profile, from_account) = match (asked, viewer) {
            (Some(profile), _) => (Some(profile), false),
            (None, Some(user)) => {
                let profile = self.profile_of(user).await?;
                (profile, profile.is_some())
            }
            (None, None) => (None, false),
        };
        let catalogue = self.catalogue().await?;
        let today = self.clock.today();
        let commune = commune.trim().to_owned();
        let mut page = AidsPage {
            profile,
            profile_from_account: from_account,
            commune: commune.clone(),
            commune_problem: None,
            simulation: None,
            catalogue: catalogue.iter().filter(|a| !a.withdrawn).cloned().collect(),
            today,
        };
        if commune.is_empty() {
            return Ok(page);
        }
        // As people name it: by name, « Nom (dép) » or postal code (and, for links written
        // before names, by INSEE code).
        let found = match PlaceName::parse(&commune) {
            Some(typed) => crate::territory::queries::commune_named(&self.db, &typed).await?,
            None => None,
        };
        let Some(found) = found else {
            page.commune_problem = Some(format!(
                "Aucune commune du portail ne s'appelle « {commune} » ni n'a ce code postal (le portail couvre pour \
                 l'instant l'Occitanie) : vérifiez l'orthographe, ou choisissez parmi les suggestions."
            ));
            return Ok(page);
        };
        page.commune_problem = found.note;
        let code = InseeCode::parse(&found.code).map_err(|e| sqlx::Error::Decode(e.to_string().into()))?;
        if let Some((place, link)) = self.place(&code).await? {
            page.simulation = Some(simulation(&catalogue, place, link, profile, today));
        }
        Ok(page)
    }

    /// The organisation's name, kind, whether it is verified, and the code of its territory,
    /// when `user` is a member.
    async fn membership(
        &self,
        conn: &mut sqlx::AnyConnection,
        user: i64,
        organisation: i64,
    ) -> Result<Option<(String, String, bool, Option<String>)>, sqlx::Error> {
        #[derive(sqlx::FromRow)]
        struct Member {
            name: String,
            kind: Code<OrganisationKind>,
            status: Code<OrganisationStatus>,
            territory: Option<String>,
        }
        table!(Member, "organisations");
        let row = sqlx::query(
            "SELECT o.name, o.kind, o.status, COALESCE(o.commune_code, o.epci_siren, o.departement_code) AS territory
             FROM organisations o JOIN memberships m ON m.organisation_id = o.id
             WHERE o.id = $1 AND m.user_id = $2",
        )
        .bind(organisation)
        .bind(user)
        .try_map(typed::<Member>)
        .fetch_optional(conn)
        .await?;
        Ok(row.map(|m| (m.name, m.kind.0.code().to_owned(), m.status.0 == OrganisationStatus::Verified, m.territory)))
    }

    async fn read_organisation_aids(
        &self,
        user: i64,
        organisation: i64,
    ) -> Result<Option<OrganisationAids>, sqlx::Error> {
        let mut conn = self.db.pool.acquire().await?;
        let Some((name, kind, verified, territory)) = self.membership(&mut conn, user, organisation).await? else {
            return Ok(None);
        };
        let mut aids =
            aids_where(&mut conn, "WHERE a.organisation_id = $1 ORDER BY a.name", |q| q.bind(organisation)).await?;
        name_references(&mut conn, &mut aids).await?;
        let scope = match (collectivite_scope(&kind), territory) {
            (Some((kind, _, _)), Some(code)) => Some(scope_named(&mut conn, kind, code).await?),
            _ => None,
        };
        let may_publish = scope.is_some() && verified;
        let combinable = combinable(&mut conn, organisation, None).await?;
        Ok(Some(OrganisationAids {
            organisation_id: organisation,
            organisation_name: name,
            may_publish,
            scope,
            aids,
            combinable,
            today: self.clock.today(),
        }))
    }

    async fn read_moderation(&self, user: i64) -> Result<Option<ModerationAids>, sqlx::Error> {
        let mut conn = self.db.pool.acquire().await?;
        if !is_moderator(&mut conn, user).await? {
            return Ok(None);
        }
        let order = "WHERE a.origin = 'local' ORDER BY a.withdrawn_at IS NOT NULL, a.updated_at DESC";
        let mut aids = aids_where(&mut conn, order, |q| q).await?;
        name_references(&mut conn, &mut aids).await?;
        Ok(Some(ModerationAids { aids, today: self.clock.today() }))
    }

    /// The organisation's kind and territory, for a member of a verified collectivité.
    async fn publisher(
        &self,
        tx: &mut Tx,
        user: i64,
        organisation: i64,
    ) -> Result<(ScopeKind, Funder, String), AidError> {
        let Some((_, kind, verified, territory)) = self.membership(tx, user, organisation).await? else {
            return Err(AidProblem::NotFound.into());
        };
        if crate::organisations::closure::is_closed(tx, organisation).await? {
            return Err(AidProblem::OrganisationClosed.into());
        }
        match (collectivite_scope(&kind), territory) {
            (Some((scope, funder, _)), Some(code)) if verified => Ok((scope, funder, code)),
            _ => Err(AidProblem::NotCollectivite.into()),
        }
    }

    /// Publishes a local aid of `organisation` on its territory (members of a verified
    /// collectivité); its id.
    #[tracing::instrument(skip_all, fields(user, organisation))]
    pub async fn publish(&self, user: i64, organisation: i64, form: &LocalAidForm) -> Result<i64, AidError> {
        let aid = LocalAid::validate(form)?;
        let mut tx = self.db.begin_write().await?;
        let (scope, funder, code) = self.publisher(&mut tx, user, organisation).await?;
        check_exclusions(&mut tx, &aid, organisation, None).await?;
        let at = self.clock.now();
        // The slug must be unique before the id is known: a provisional one, then the final.
        let provisional = format!("local-{organisation}-{at}-{}", crate::accounts::secret::new_token());
        let id: i64 = bind_local(
            sqlx::query(
                "INSERT INTO aids (name, category, amount_eur, amount_unit, amount_text, summary, conditions, zones,
                    profiles, commitment, commitment_years, source_url, valid_from, valid_to, purposes, excludes,
                    slug, funder, exercise, scope_kind, scope_code, checked_on, origin, organisation_id, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, '', $19, $20, $21, 'local', $22, $23, $23)
                 RETURNING id",
            ),
            &aid,
        )
        .bind(provisional)
        .bind(funder.code())
        .bind(scope.code())
        .bind(code)
        .bind(self.clock.today().to_string())
        .bind(organisation)
        .bind(at)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        sqlx::query("UPDATE aids SET slug = $1 WHERE id = $2")
            .bind(local_slug(id, &aid.name))
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        tracing::info!(aid = id, "local aid published");
        Ok(id)
    }

    /// The organisation of a local aid, when `user` may change it (a member of it).
    async fn editable(&self, tx: &mut Tx, user: i64, aid: i64) -> Result<i64, AidError> {
        let organisation: Option<Option<i64>> = sqlx::query_scalar("SELECT organisation_id FROM aids WHERE id = $1")
            .bind(aid)
            .fetch_optional(&mut **tx)
            .await?;
        let Some(Some(organisation)) = organisation else {
            return Err(AidProblem::NotFound.into());
        };
        self.publisher(tx, user, organisation).await?;
        Ok(organisation)
    }

    /// Saves the changes to a local aid (members of its verified collectivité): declared anew
    /// today, its source to be checked again by the moderation.
    #[tracing::instrument(skip_all, fields(user, aid))]
    pub async fn update(&self, user: i64, aid: i64, form: &LocalAidForm) -> Result<(), AidError> {
        let validated = LocalAid::validate(form)?;
        let mut tx = self.db.begin_write().await?;
        let organisation = self.editable(&mut tx, user, aid).await?;
        check_exclusions(&mut tx, &validated, organisation, Some(aid)).await?;
        bind_local(
            sqlx::query(
                "UPDATE aids SET name = $1, category = $2, amount_eur = $3, amount_unit = $4, amount_text = $5,
                    summary = $6, conditions = $7, zones = $8, profiles = $9, commitment = $10, commitment_years = $11,
                    source_url = $12, valid_from = $13, valid_to = $14, purposes = $15, excludes = $16, checked_on = $17,
                    updated_at = $18, verified_on = NULL
                 WHERE id = $19",
            ),
            &validated,
        )
        .bind(self.clock.today().to_string())
        .bind(self.clock.now())
        .bind(aid)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Withdraws an aid: members of its collectivité for a local aid, moderators for any aid
    /// (a moderator gives the reason, kept with the aid).
    #[tracing::instrument(skip_all, fields(user, aid))]
    pub async fn withdraw(&self, user: i64, aid: i64, reason: &str) -> Result<(), AidError> {
        let mut tx = self.db.begin_write().await?;
        let moderator = is_moderator(&mut tx, user).await?;
        let reason = if moderator {
            let reason = reason.trim();
            if !(5..=500).contains(&reason.chars().count()) {
                return Err(AidProblem::ReasonMissing.into());
            }
            if self.aid(&mut tx, aid).await?.is_none() {
                return Err(AidProblem::NotFound.into());
            }
            format!("Retirée par la modération : {reason}")
        } else {
            self.editable(&mut tx, user, aid).await?;
            "Retirée par la collectivité".to_owned()
        };
        sqlx::query("UPDATE aids SET withdrawn_at = $1, withdrawn_reason = $2, updated_at = $1 WHERE id = $3")
            .bind(self.clock.now())
            .bind(reason)
            .bind(aid)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Puts a withdrawn aid back (moderators only).
    #[tracing::instrument(skip_all, fields(user, aid))]
    pub async fn restore(&self, user: i64, aid: i64) -> Result<(), AidError> {
        let mut tx = self.db.begin_write().await?;
        if !is_moderator(&mut tx, user).await? || self.aid(&mut tx, aid).await?.is_none() {
            return Err(AidProblem::NotFound.into());
        }
        sqlx::query("UPDATE aids SET withdrawn_at = NULL, withdrawn_reason = NULL, updated_at = $1 WHERE id = $2")
            .bind(self.clock.now())
            .bind(aid)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records that a moderator checked a local aid's source today (moderators only; a
    /// catalogue aid has no such step, nor a withdrawn one).
    #[tracing::instrument(skip_all, fields(user, aid))]
    pub async fn verify(&self, user: i64, aid: i64) -> Result<(), AidError> {
        let mut tx = self.db.begin_write().await?;
        let local = match self.aid(&mut tx, aid).await? {
            Some(found) => found.publisher.is_some() && !found.withdrawn,
            None => false,
        };
        if !is_moderator(&mut tx, user).await? || !local {
            return Err(AidProblem::NotFound.into());
        }
        sqlx::query("UPDATE aids SET verified_on = $1 WHERE id = $2")
            .bind(self.clock.today().to_string())
            .bind(aid)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A local aid as its form shows it, for a member of its collectivité.
    async fn read_local_aid(&self, user: i64, aid: i64) -> Result<Option<LocalAidEditor>, sqlx::Error> {
        let mut conn = self.db.pool.acquire().await?;
        let Some(stored) = self.aid(&mut conn, aid).await? else { return Ok(None) };
        let Some(publisher) = &stored.publisher else { return Ok(None) };
        if self.membership(&mut conn, user, publisher.organisation_id).await?.is_none() {
            return Ok(None);
        }
        let combinable = combinable(&mut conn, publisher.organisation_id, Some(aid)).await?;
        Ok(Some(LocalAidEditor {
            aid_id: aid,
            organisation_id: publisher.organisation_id,
            withdrawn: stored.withdrawn,
            form: form_of(&stored),
            combinable,
        }))
    }
}

/// The stored values of a local aid as its form's fields.
fn form_of(aid: &Aid) -> LocalAidForm {
    let join = |codes: Vec<&str>| codes.join(",");
    LocalAidForm {
        nom: aid.name.clone(),
        categorie: aid.category.code().to_owned(),
        montant: aid.amount_eur.map(|a| a.to_string()).unwrap_or_default(),
        unite: aid.amount_unit.code().to_owned(),
        montant_texte: aid.amount_text.clone(),
        resume: aid.summary.clone(),
        conditions: aid.conditions.clone(),
        zones: join(aid.zones.iter().map(|z| z.code()).collect()),
        profils: join(aid.profiles.iter().map(|p| p.code()).collect()),
        objets: join(aid.purposes.iter().map(|p| p.code()).collect()),
        exclusions: join(aid.excludes.iter().map(|x| x.slug.as_str()).collect()),
        engagement: aid.commitment.clone().unwrap_or_default(),
        engagement_annees: aid.commitment_years.map(|y| y.to_string()).unwrap_or_default(),
        source: aid.source_url.clone(),
        debut: aid.valid_from.map(|d| d.to_string()).unwrap_or_default(),
        fin: aid.valid_to.map(|d| d.to_string()).unwrap_or_default(),
    }
}

type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>;

/// The aids a local aid of `organisation` may be declared not combinable with: those of the
/// catalogue and the collectivité's own (but `itself`), withdrawn ones left out, by name.
async fn combinable(
    conn: &mut sqlx::AnyConnection,
    organisation: i64,
    itself: Option<i64>,
) -> Result<Vec<AidLink>, sqlx::Error> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT slug, name FROM aids
         WHERE withdrawn_at IS NULL AND (origin = 'catalogue' OR organisation_id = $1) AND id <> $2
         ORDER BY origin DESC, name",
    )
    .bind(organisation)
    .bind(itself.unwrap_or(0))
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|(slug, name)| AidLink { slug, name }).collect())
}

/// Every aid `aid` excludes is one it may name (`combinable`): nothing else is stored.
async fn check_exclusions(tx: &mut Tx, aid: &LocalAid, organisation: i64, itself: Option<i64>) -> Result<(), AidError> {
    if aid.excludes.is_empty() {
        return Ok(());
    }
    let known: Vec<String> = combinable(tx, organisation, itself).await?.into_iter().map(|a| a.slug).collect();
    if aid.excludes.split(',').all(|slug| known.iter().any(|k| k == slug)) {
        Ok(())
    } else {
        Err(AidProblem::Exclusion.into())
    }
}

/// Binds $1..$16 in the order of the INSERT and UPDATE above.
fn bind_local<'q>(query: AnyQuery<'q>, aid: &LocalAid) -> AnyQuery<'q> {
    query
        .bind(aid.name.clone())
        .bind(aid.category.code())
        .bind(aid.amount_eur)
        .bind(aid.amount_unit.code())
        .bind(aid.amount_text.clone())
        .bind(aid.summary.clone())
        .bind(aid.conditions.clone())
        .bind(aid.zones.clone())
        .bind(aid.profiles.clone())
        .bind(aid.commitment.clone())
        .bind(aid.commitment_years)
        .bind(aid.source_url.clone())
        .bind(aid.valid_from.map(|d| d.to_string()))
        .bind(aid.valid_to.map(|d| d.to_string()))
        .bind(aid.purposes.clone())
        .bind(aid.excludes.clone())
}

async fn scope_named(conn: &mut sqlx::AnyConnection, kind: ScopeKind, code: String) -> Result<AidScope, sqlx::Error> {
    let sql = match kind {
        ScopeKind::Commune => "SELECT name FROM communes WHERE code = $1",
        ScopeKind::Epci => "SELECT name FROM epcis WHERE siren = $1",
        ScopeKind::Departement => "SELECT name FROM departements WHERE code = $1",
        ScopeKind::Region => "SELECT name FROM regions WHERE code = $1",
        ScopeKind::National => return Ok(AidScope { kind, code: None, name: "France entière".to_owned() }),
    };
    let name: Option<String> = sqlx::query_scalar(sql).bind(code.clone()).fetch_optional(conn).await?;
    Ok(AidScope { kind, name: name.unwrap_or_else(|| code.clone()), code: Some(code) })
}

/// The simulation of `profile` in `place`, from the rules.
pub fn simulation(
    catalogue: &[Aid],
    place: AidPlace,
    link: TerritoryRef,
    profile: Option<AidProfile>,
    today: Day,
) -> Simulation {
    let applicable = eligibility::applicable(catalogue, &place, profile, today);
    let totals = eligibility::totals(&applicable, profile);
    let by_profile = match profile {
        Some(_) => Vec::new(),
        None => AidProfile::ALL
            .iter()
            .map(|p| ProfileAids {
                profile: *p,
                slugs: applicable
                    .iter()
                    .filter(|a| eligibility::fits(&a.aid, Some(*p)))
                    .map(|a| a.aid.slug.clone())
                    .collect(),
            })
            .filter(|group| !group.slugs.is_empty())
            .collect(),
    };
    let checked_on = applicable.iter().map(|a| a.aid.checked_on).min();
    Simulation {
        commune: link,
        commune_code: place.commune,
        zonage: place.zonage,
        qpv: place.qpv,
        profile,
        applicable,
        totals,
        by_profile,
        checked_on,
        today,
    }
}

fn failed(error: sqlx::Error) -> ServiceError {
    ServiceError(error.to_string())
}

#[async_trait::async_trait]
impl app::domain::aids::AidService for Aids {
    async fn aids_page(
        &self,
        viewer: Option<SignedIn>,
        profile: Option<AidProfile>,
        commune: &str,
    ) -> Result<AidsPage, ServiceError> {
        self.read_page(viewer.map(|v| v.0), profile, commune).await.map_err(failed)
    }

    async fn commune_aids(&self, code: &InseeCode) -> Result<Option<Simulation>, ServiceError> {
        self.simulate(code, None).await.map_err(failed)
    }

    async fn organisation_aids(
        &self,
        user: SignedIn,
        organisation: i64,
    ) -> Result<Option<OrganisationAids>, ServiceError> {
        self.read_organisation_aids(user.0, organisation).await.map_err(failed)
    }

    async fn local_aid(&self, user: SignedIn, aid: i64) -> Result<Option<LocalAidEditor>, ServiceError> {
        self.read_local_aid(user.0, aid).await.map_err(failed)
    }

    async fn moderation_aids(&self, user: SignedIn) -> Result<Option<ModerationAids>, ServiceError> {
        self.read_moderation(user.0).await.map_err(failed)
    }
}

/// Withdraws every aid of `closing`'s organisation still published.
pub(crate) async fn withdraw_all(
    conn: &mut sqlx::AnyConnection,
    closing: &crate::organisations::closure::Closing<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE aids SET withdrawn_at = $1, withdrawn_reason = 'Retirée : la collectivité a fermé son espace sur le portail',
             updated_at = $1
         WHERE organisation_id = $2 AND withdrawn_at IS NULL",
    )
    .bind(closing.at)
    .bind(closing.organisation)
    .execute(conn)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::local_slug;

    #[test]
    fn a_local_aid_is_named_by_its_number_and_words() {
        assert_eq!(local_slug(12, "Aide au logement des internes"), "local-12-aide-au-logement-des-internes");
        assert_eq!(local_slug(13, "« ! »"), "local-13-aide");
    }
}
