//! What the index holds, read from the database: the documents of published offers, health
//! structures and communes, and the changes an outbox row stands for.
//!
//! An offer's document carries facts of its commune (zonage, place names) and of its
//! organisation (name): a change to either is also a change to its offers. A stage offer's
//! also says whether interns' housing is open nearby: publishing, withdrawing or the end of a
//! housing queues the stage offers around it (migration 0027).

use super::{Changes, Collection, Document, Facet};
use crate::db::Database;
use crate::db::rows::{Code, Table, table, typed};
use crate::territory::records::{STRUCTURE, StructureRecord};
use crate::territory::stations::Stations;
use app::domain::offers::{Housing, OfferKind, OfferMode, OfferStatus, Specialty, StationNear, housing_facet};
use app::domain::territory::NearestStations;
use app::model::{Day, Zonage};

/// What an outbox row names (the `entity` column).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Entity {
    Offer,
    Structure,
    Commune,
    Organisation,
}

impl crate::db::rows::StoredCode for Entity {
    const WHAT: &'static str = "sorte de document à indexer";
    fn from_stored(code: &str) -> Option<Self> {
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
        o.end_date, o.published_at, o.expires_at, o.status, c.code AS commune_code, c.name AS commune, c.postal_codes,
        c.departement_code, c.zonage, c.lat, c.lon, d.name AS departement_name, g.name AS organisation,
        g.kind AS organisation_kind, o.finess, o.team_size
     FROM offers o JOIN communes c ON c.code = o.commune_code JOIN departements d ON d.code = c.departement_code
          JOIN organisations g ON g.id = o.organisation_id";

/// An offer as its document needs it.
#[derive(sqlx::FromRow)]
struct OfferRow {
    id: i64,
    title: String,
    description: String,
    kind: Code<OfferKind>,
    mode: Option<Code<OfferMode>>,
    specialty: Code<Specialty>,
    housing: Code<Housing>,
    start_date: Option<Code<Day>>,
    end_date: Option<Code<Day>>,
    published_at: Option<i64>,
    expires_at: Option<i64>,
    status: Code<OfferStatus>,
    commune_code: String,
    commune: String,
    postal_codes: String,
    departement_code: String,
    zonage: Option<Code<Zonage>>,
    lat: f64,
    lon: f64,
    departement_name: String,
    organisation: String,
    organisation_kind: String,
    finess: Option<String>,
    team_size: Option<i64>,
}

table!(OfferRow, "offers");

const COMMUNE_SELECT: &str = "SELECT c.code, c.name, c.postal_codes, c.departement_code, c.zonage, c.lat, c.lon,
        c.population, d.name AS departement_name
     FROM communes c JOIN departements d ON d.code = c.departement_code";

#[derive(sqlx::FromRow)]
struct CommuneRow {
    code: String,
    name: String,
    postal_codes: String,
    departement_code: String,
    zonage: Option<Code<Zonage>>,
    lat: f64,
    lon: f64,
    population: i64,
    departement_name: String,
}

table!(CommuneRow, "communes");

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

async fn rows<R>(db: &Database, select: &str, condition: (String, Vec<String>)) -> Result<Vec<R>, sqlx::Error>
where
    R: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Table + Send + Unpin,
{
    let sql = format!("{select} {}", condition.0);
    let query = condition.1.into_iter().fold(sqlx::query(sqlx::AssertSqlSafe(sql)), |query, value| query.bind(value));
    query.try_map(typed::<R>).fetch_all(&db.pool).await
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
    let found = rows::<OfferRow>(db, OFFER_SELECT, scope_sql).await?;
    // Interns' housing counts for published stage offers: read only when there is one.
    let stage = |row: &OfferRow| row.kind.0 == OfferKind::Stage && row.status.0 == OfferStatus::Publiee;
    let housing = if found.iter().any(stage) {
        let mut conn = db.pool.acquire().await?;
        crate::housing::records::indexed_places(&mut conn).await?
    } else {
        Vec::new()
    };
    let stations = if found.is_empty() { None } else { Some(Stations::read(db).await?) };
    Ok(found
        .into_iter()
        .map(|row| {
            let interns_nearby = stage(&row) && interns_housing_within(&housing, row.lat, row.lon);
            let near = stations.as_ref().and_then(|s| s.nearest(row.lat, row.lon));
            offer(row, interns_nearby, near)
        })
        .collect())
}

/// Whether one of `housing` (latitude, longitude) is within `INTERNS_HOUSING_KM` of a point.
fn interns_housing_within(housing: &[(f64, f64)], lat: f64, lon: f64) -> bool {
    let km = f64::from(app::domain::offers::INTERNS_HOUSING_KM);
    housing.iter().any(|(h_lat, h_lon)| app::model::distance_km(lat, lon, *h_lat, *h_lon) <= km)
}

fn day_number(day: Option<Code<Day>>) -> Option<i64> {
    day.map(|day| day.0.unix().div_euclid(86_400))
}

/// The document of an offer (None unless published); `interns_nearby`: interns' housing
/// counts for it (see `HousingWanted::Interns`); `stations`: the nearest to its commune's
/// centre (the figures of its page), which the station filter reads.
fn offer(row: OfferRow, interns_nearby: bool, stations: Option<NearestStations>) -> (String, Option<Document>) {
    let id = row.id;
    if row.status.0 != OfferStatus::Publiee {
        return (id.to_string(), None);
    }
    let labels = [Some(row.kind.0.label()), row.mode.map(|m| m.0.label()), Some(row.specialty.0.label())];
    let body = std::iter::once(row.description.as_str())
        .chain(labels.into_iter().flatten())
        .chain(std::iter::once(row.organisation.as_str()))
        .collect::<Vec<_>>()
        .join(" — ");
    let in_team = crate::candidates::in_team(&row.organisation_kind, row.finess.as_deref(), row.team_size);
    let mut facets = vec![
        (Facet::Kind, row.kind.0.code().to_owned()),
        (Facet::Specialty, row.specialty.0.code().to_owned()),
        (Facet::Departement, row.departement_code.clone()),
        (Facet::Housing, housing_facet(row.housing.0, interns_nearby)),
        (Facet::Team, if in_team { "oui" } else { "non" }.to_owned()),
        (Facet::Station, StationNear::bucket(stations.as_ref().map(|s| s.any.km), false)),
        (
            Facet::MajorStation,
            StationNear::bucket(stations.as_ref().and_then(|s| s.major.as_ref()).map(|s| s.km), true),
        ),
    ];
    if let Some(zonage) = row.zonage {
        facets.push((Facet::Zonage, zonage.0.code().to_owned()));
    }
    let (commune, commune_code, departement) = (&row.commune, &row.commune_code, &row.departement_code);
    let document = Document {
        collection: Collection::Offers,
        id: id.to_string(),
        place: format!(
            "{commune} {} {commune_code} {} {departement}",
            row.postal_codes.replace(';', " "),
            row.departement_name
        ),
        title: row.title,
        body,
        facets,
        location: Some((row.lat, row.lon)),
        published_at: row.published_at.unwrap_or_default(),
        expires_at: row.expires_at,
        start_day: day_number(row.start_date),
        end_day: day_number(row.end_date),
        popularity: 0,
        seq: id,
    };
    (id.to_string(), Some(document))
}

/// Health structures of `scope`, as (FINESS, document).
pub async fn structures(db: &Database, scope: Scope<'_>) -> Result<Vec<(String, Option<Document>)>, sqlx::Error> {
    let found = rows::<StructureRecord>(db, STRUCTURE, condition(scope, "s.finess", "s.commune_code", None)).await?;
    Ok(found
        .into_iter()
        .map(|s| {
            let kind = s.kind.0;
            let departement = &s.departement_code;
            let mut facets =
                vec![(Facet::StructureType, kind.code().to_owned()), (Facet::Departement, departement.clone())];
            if let Some(zonage) = s.zonage {
                facets.push((Facet::Zonage, zonage.0.code().to_owned()));
            }
            let document = Document {
                collection: Collection::Structures,
                id: s.finess.clone(),
                body: format!("{} — {} — {}", kind.label(), s.category, s.address),
                place: format!(
                    "{} {} {} {} {} {departement}",
                    s.commune_name, s.city, s.postal_code, s.commune_code, s.departement_name
                ),
                title: s.name,
                facets,
                location: Some((s.lat, s.lon)),
                published_at: 0,
                expires_at: None,
                start_day: None,
                end_day: None,
                popularity: 0,
                seq: key_number(&s.finess),
            };
            (s.finess, Some(document))
        })
        .collect())
}

/// Communes of `scope`, as (INSEE code, document).
pub async fn communes(db: &Database, scope: Scope<'_>) -> Result<Vec<(String, Option<Document>)>, sqlx::Error> {
    let found = rows::<CommuneRow>(db, COMMUNE_SELECT, condition(scope, "c.code", "c.code", None)).await?;
    Ok(found
        .into_iter()
        .map(|c| {
            let mut facets = vec![(Facet::Departement, c.departement_code.clone())];
            if let Some(zonage) = c.zonage {
                facets.push((Facet::Zonage, zonage.0.code().to_owned()));
            }
            let document = Document {
                collection: Collection::Communes,
                id: c.code.clone(),
                place: format!(
                    "{} {} {} {}",
                    c.postal_codes.replace(';', " "),
                    c.code,
                    c.departement_name,
                    c.departement_code
                ),
                title: c.name,
                body: String::new(),
                facets,
                location: Some((c.lat, c.lon)),
                published_at: 0,
                expires_at: None,
                start_day: None,
                end_day: None,
                popularity: c.population,
                seq: key_number(&c.code),
            };
            (c.code, Some(document))
        })
        .collect())
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
