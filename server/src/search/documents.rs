//! What the index holds, read from the database: the documents of published offers, health
//! structures and communes, and the changes an outbox row stands for.
//!
//! An offer's document carries facts of its commune (zonage, place names) and of its
//! organisation (name): a change to either is also a change to its offers.

use super::{Changes, Collection, Document, Facet};
use crate::db::Database;
use app::api::offer::{OfferKind, OfferMode, Specialty};
use app::api::territory::StructureKind;
use app::model::Day;
use sqlx::Row;
use sqlx::any::AnyRow;

/// What an outbox row names (the `entity` column).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Entity {
    Offer,
    Structure,
    Commune,
    Organisation,
}

impl Entity {
    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "offer" => Some(Entity::Offer),
            "structure" => Some(Entity::Structure),
            "commune" => Some(Entity::Commune),
            "organisation" => Some(Entity::Organisation),
            _ => None,
        }
    }
}

/// Which rows to read.
#[derive(Debug, Clone, Copy)]
pub enum Scope<'a> {
    /// These keys (offer ids, FINESS numbers or INSEE codes).
    Keys(&'a [String]),
    /// Those of a commune.
    Commune(&'a str),
    /// An organisation's offers.
    Organisation(i64),
    /// The next `limit` rows after this key, in key order (for a rebuild).
    After(&'a str, usize),
}

const OFFER_SELECT: &str = "SELECT o.id, o.title, o.description, o.kind, o.mode, o.specialty, o.housing, o.start_date,
        o.end_date, o.published_at, o.expires_at, o.status, c.code, c.name, c.postal_codes, c.departement_code,
        c.zonage, c.lat, c.lon, d.name, g.name, g.kind, o.finess, o.team_size
     FROM offers o JOIN communes c ON c.code = o.commune_code JOIN departements d ON d.code = c.departement_code
          JOIN organisations g ON g.id = o.organisation_id";

const STRUCTURE_SELECT: &str = "SELECT s.finess, s.name, s.kind, s.category, s.address, s.postal_code, s.city, s.lat,
        s.lon, c.code, c.name, c.departement_code, c.zonage, d.name
     FROM health_structures s JOIN communes c ON c.code = s.commune_code
          JOIN departements d ON d.code = c.departement_code";

const COMMUNE_SELECT: &str = "SELECT c.code, c.name, c.postal_codes, c.departement_code, c.zonage, c.lat, c.lon,
        c.population, d.name
     FROM communes c JOIN departements d ON d.code = c.departement_code";

/// The WHERE, ORDER BY and LIMIT of `scope` on a table whose key column is `key`, commune
/// column `commune` and organisation column `organisation` (if it has one), with the values
/// to bind.
fn condition(scope: Scope<'_>, key: &str, commune: &str, organisation: Option<&str>) -> (String, Vec<String>) {
    match scope {
        Scope::Keys(keys) => {
            let marks: Vec<String> = (1..=keys.len()).map(|i| format!("${i}")).collect();
            (format!("WHERE {key} IN ({}) ORDER BY {key}", marks.join(", ")), keys.to_vec())
        }
        Scope::Commune(code) => (format!("WHERE {commune} = $1 ORDER BY {key}"), vec![code.to_owned()]),
        Scope::Organisation(id) => match organisation {
            Some(column) => (format!("WHERE {column} = {id} ORDER BY {key}"), Vec::new()),
            None => ("WHERE 1 = 0".to_owned(), Vec::new()),
        },
        Scope::After(after, limit) => {
            (format!("WHERE {key} > $1 ORDER BY {key} LIMIT {limit}"), vec![after.to_owned()])
        }
    }
}

async fn rows(db: &Database, select: &str, condition: (String, Vec<String>)) -> Result<Vec<AnyRow>, sqlx::Error> {
    let sql = format!("{select} {}", condition.0);
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
    for value in condition.1 {
        query = query.bind(value);
    }
    query.fetch_all(&db.pool).await
}

/// Offers of `scope`, as (id, its document when the offer is published; None otherwise).
pub async fn offers(db: &Database, scope: Scope<'_>) -> Result<Vec<(String, Option<Document>)>, sqlx::Error> {
    // Offer ids are integers: compared as such (and written into the SQL only once parsed).
    let scope_sql = match scope {
        Scope::Keys(keys) => {
            let ids: Vec<String> = keys.iter().filter_map(|k| k.parse::<i64>().ok()).map(|n| n.to_string()).collect();
            if ids.is_empty() {
                return Ok(Vec::new());
            }
            (format!("WHERE o.id IN ({}) ORDER BY o.id", ids.join(", ")), Vec::new())
        }
        Scope::After(after, limit) => {
            let after = after.parse::<i64>().unwrap_or(0);
            (format!("WHERE o.id > {after} ORDER BY o.id LIMIT {limit}"), Vec::new())
        }
        other => condition(other, "o.id", "o.commune_code", Some("o.organisation_id")),
    };
    rows(db, OFFER_SELECT, scope_sql).await?.iter().map(offer).collect()
}

fn day_number(text: Option<String>) -> Option<i64> {
    text.and_then(|t| Day::parse(&t).ok()).map(|day| day.unix().div_euclid(86_400))
}

fn offer(row: &AnyRow) -> Result<(String, Option<Document>), sqlx::Error> {
    let id: i64 = row.try_get(0)?;
    let status: String = row.try_get(11)?;
    if status != "publiee" {
        return Ok((id.to_string(), None));
    }
    let kind: String = row.try_get(3)?;
    let mode: Option<String> = row.try_get(4)?;
    let specialty: String = row.try_get(5)?;
    let description: String = row.try_get(2)?;
    let organisation: String = row.try_get(20)?;
    let labels = [
        OfferKind::from_code(&kind).map(OfferKind::label),
        mode.as_deref().and_then(OfferMode::from_code).map(OfferMode::label),
        Specialty::from_code(&specialty).map(Specialty::label),
    ];
    let body = std::iter::once(description.as_str())
        .chain(labels.into_iter().flatten())
        .chain(std::iter::once(organisation.as_str()))
        .collect::<Vec<_>>()
        .join(" — ");
    let commune_code: String = row.try_get(12)?;
    let commune: String = row.try_get(13)?;
    let postal_codes: String = row.try_get(14)?;
    let departement: String = row.try_get(15)?;
    let departement_name: String = row.try_get(19)?;
    let zonage: Option<String> = row.try_get(16)?;
    let housing: String = row.try_get(6)?;
    let in_team = crate::candidates::in_team(
        &row.try_get::<String, _>(21)?,
        row.try_get::<Option<String>, _>(22)?.as_deref(),
        row.try_get(23)?,
    );
    let mut facets = vec![
        (Facet::Kind, kind),
        (Facet::Specialty, specialty),
        (Facet::Departement, departement.clone()),
        (Facet::Housing, housing),
        (Facet::Team, if in_team { "oui" } else { "non" }.to_owned()),
    ];
    if let Some(zonage) = zonage {
        facets.push((Facet::Zonage, zonage));
    }
    let document = Document {
        collection: Collection::Offers,
        id: id.to_string(),
        title: row.try_get(1)?,
        body,
        place: format!("{commune} {} {commune_code} {departement_name} {departement}", postal_codes.replace(';', " ")),
        facets,
        location: Some((row.try_get(17)?, row.try_get(18)?)),
        published_at: row.try_get::<Option<i64>, _>(9)?.unwrap_or_default(),
        expires_at: row.try_get(10)?,
        start_day: day_number(row.try_get(7)?),
        end_day: day_number(row.try_get(8)?),
        popularity: 0,
        seq: id,
    };
    Ok((id.to_string(), Some(document)))
}

/// Health structures of `scope`, as (FINESS, document).
pub async fn structures(db: &Database, scope: Scope<'_>) -> Result<Vec<(String, Option<Document>)>, sqlx::Error> {
    rows(db, STRUCTURE_SELECT, condition(scope, "s.finess", "s.commune_code", None))
        .await?
        .iter()
        .map(|row| {
            let finess: String = row.try_get(0)?;
            let kind: String = row.try_get(2)?;
            let category: String = row.try_get(3)?;
            let address: String = row.try_get(4)?;
            let label = StructureKind::from_code(&kind).map(StructureKind::label).unwrap_or_default();
            let (postal, city, commune): (String, String, String) =
                (row.try_get(5)?, row.try_get(6)?, row.try_get(10)?);
            let (departement, departement_name): (String, String) = (row.try_get(11)?, row.try_get(13)?);
            let code: String = row.try_get(9)?;
            let mut facets = vec![(Facet::StructureType, kind.clone()), (Facet::Departement, departement.clone())];
            if let Some(zonage) = row.try_get::<Option<String>, _>(12)? {
                facets.push((Facet::Zonage, zonage));
            }
            let document = Document {
                collection: Collection::Structures,
                id: finess.clone(),
                title: row.try_get(1)?,
                body: format!("{label} — {category} — {address}"),
                place: format!("{commune} {city} {postal} {code} {departement_name} {departement}"),
                facets,
                location: Some((row.try_get(7)?, row.try_get(8)?)),
                published_at: 0,
                expires_at: None,
                start_day: None,
                end_day: None,
                popularity: 0,
                seq: key_number(&finess),
            };
            Ok((finess, Some(document)))
        })
        .collect()
}

/// Communes of `scope`, as (INSEE code, document).
pub async fn communes(db: &Database, scope: Scope<'_>) -> Result<Vec<(String, Option<Document>)>, sqlx::Error> {
    rows(db, COMMUNE_SELECT, condition(scope, "c.code", "c.code", None))
        .await?
        .iter()
        .map(|row| {
            let code: String = row.try_get(0)?;
            let postal_codes: String = row.try_get(2)?;
            let departement: String = row.try_get(3)?;
            let departement_name: String = row.try_get(8)?;
            let mut facets = vec![(Facet::Departement, departement.clone())];
            if let Some(zonage) = row.try_get::<Option<String>, _>(4)? {
                facets.push((Facet::Zonage, zonage));
            }
            let document = Document {
                collection: Collection::Communes,
                id: code.clone(),
                title: row.try_get(1)?,
                body: String::new(),
                place: format!("{} {code} {departement_name} {departement}", postal_codes.replace(';', " ")),
                facets,
                location: Some((row.try_get(5)?, row.try_get(6)?)),
                published_at: 0,
                expires_at: None,
                start_day: None,
                end_day: None,
                popularity: row.try_get(7)?,
                seq: key_number(&code),
            };
            Ok((code, Some(document)))
        })
        .collect()
}

/// A stable number for a text key (Corsican INSEE codes and FINESS numbers have letters):
/// FNV-1a, which unlike the standard hasher gives the same number in every process.
fn key_number(key: &str) -> i64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in key.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    (hash >> 1) as i64
}

/// Puts what `found` says into `changes`: a document to write, or the id to remove; keys
/// asked for but not found are removed too (their row was deleted).
fn record(changes: &mut Changes, collection: Collection, asked: &[String], found: Vec<(String, Option<Document>)>) {
    for key in asked {
        if !found.iter().any(|(k, _)| k == key) {
            changes.deletes.push((collection, key.clone()));
        }
    }
    for (key, document) in found {
        match document {
            Some(document) => changes.upserts.push(document),
            None => changes.deletes.push((collection, key)),
        }
    }
}

/// The changes that the outbox rows `entries` stand for, read now from the database.
pub async fn changes_for(db: &Database, entries: &[(Entity, String)]) -> Result<Changes, sqlx::Error> {
    let keys = |entity: Entity| -> Vec<String> {
        let mut keys: Vec<String> = entries.iter().filter(|(e, _)| *e == entity).map(|(_, k)| k.clone()).collect();
        keys.sort();
        keys.dedup();
        keys
    };
    let mut changes = Changes::default();
    let offer_keys = keys(Entity::Offer);
    if !offer_keys.is_empty() {
        record(&mut changes, Collection::Offers, &offer_keys, offers(db, Scope::Keys(&offer_keys)).await?);
    }
    let structure_keys = keys(Entity::Structure);
    if !structure_keys.is_empty() {
        let found = structures(db, Scope::Keys(&structure_keys)).await?;
        record(&mut changes, Collection::Structures, &structure_keys, found);
    }
    for code in keys(Entity::Commune) {
        record(
            &mut changes,
            Collection::Communes,
            std::slice::from_ref(&code),
            communes(db, Scope::Keys(std::slice::from_ref(&code))).await?,
        );
        record(&mut changes, Collection::Offers, &[], offers(db, Scope::Commune(&code)).await?);
        record(&mut changes, Collection::Structures, &[], structures(db, Scope::Commune(&code)).await?);
    }
    for id in keys(Entity::Organisation) {
        if let Ok(id) = id.parse::<i64>() {
            record(&mut changes, Collection::Offers, &[], offers(db, Scope::Organisation(id)).await?);
        }
    }
    // A document written twice in one batch (an offer and its commune changed): the last wins,
    // and both are the same current row anyway.
    Ok(changes)
}
