//! The SQL behind territory pages, shared by SQLite and PostgreSQL.

use super::records::{STRUCTURE, StructureRecord};
use super::summary::Scope;
use crate::db::Database;
use crate::db::rows::{Code, StoredCode, table, typed};
use app::domain::territory::*;
use app::model::{Around, InseeCode, PlaceKey, PlaceName, Zonage, distance_km, place_label};
use sqlx::AssertSqlSafe;

fn link(name: String, path: String) -> TerritoryRef {
    TerritoryRef { name, path }
}

/// A territory's code, name and slug (an EPCI's code is its SIREN).
#[derive(sqlx::FromRow)]
struct Named {
    code: String,
    name: String,
    slug: String,
}

table!(Named, "territories");

impl Named {
    fn link(self, path: fn(&str, &str) -> String) -> TerritoryRef {
        link(self.name, path(&self.code, &self.slug))
    }
}

/// The kind of an EPCI, as the import checked it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EpciKind {
    Cc,
    Ca,
    Cu,
    Metro,
}

impl EpciKind {
    const ALL: [EpciKind; 4] = [EpciKind::Cc, EpciKind::Ca, EpciKind::Cu, EpciKind::Metro];

    pub fn code(self) -> &'static str {
        match self {
            EpciKind::Cc => "CC",
            EpciKind::Ca => "CA",
            EpciKind::Cu => "CU",
            EpciKind::Metro => "METRO",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            EpciKind::Cc => "Communauté de communes",
            EpciKind::Ca => "Communauté d'agglomération",
            EpciKind::Cu => "Communauté urbaine",
            EpciKind::Metro => "Métropole",
        }
    }
}

impl StoredCode for EpciKind {
    const WHAT: &'static str = "type d'EPCI";
    fn from_stored(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// The region the portal covers (the first one imported), as (code, link).
pub async fn main_region(db: &Database) -> Result<(String, TerritoryRef), sqlx::Error> {
    let region = sqlx::query("SELECT code, name, slug FROM regions ORDER BY code LIMIT 1")
        .try_map(typed::<Named>)
        .fetch_one(&db.pool)
        .await?;
    Ok((region.code.clone(), region.link(paths::region)))
}

pub async fn region(db: &Database, code: &str) -> Result<Option<(String, String)>, sqlx::Error> {
    let region = sqlx::query("SELECT code, name, slug FROM regions WHERE code = $1")
        .bind(code.to_owned())
        .try_map(typed::<Named>)
        .fetch_optional(&db.pool)
        .await?;
    Ok(region.map(|r| (r.name, r.slug)))
}

/// A département's name and slug, and the region it belongs to.
pub struct Departement {
    pub name: String,
    pub slug: String,
    pub region: TerritoryRef,
}

pub async fn departement(db: &Database, code: &str) -> Result<Option<Departement>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        name: String,
        slug: String,
        region_code: String,
        region_name: String,
        region_slug: String,
    }
    table!(Row, "departements");
    let found = sqlx::query(
        "SELECT d.name, d.slug, r.code AS region_code, r.name AS region_name, r.slug AS region_slug
         FROM departements d JOIN regions r ON r.code = d.region_code WHERE d.code = $1",
    )
    .bind(code.to_owned())
    .try_map(typed::<Row>)
    .fetch_optional(&db.pool)
    .await?;
    Ok(found.map(|d| Departement {
        region: link(d.region_name, paths::region(&d.region_code, &d.region_slug)),
        name: d.name,
        slug: d.slug,
    }))
}

/// The name and page of the territory `kind` ("region", "departement", "epci" or "commune")
/// of code `code`; None for another kind or an unknown code.
pub async fn territory_link(db: &Database, kind: &str, code: &str) -> Result<Option<TerritoryRef>, sqlx::Error> {
    let (sql, path): (&str, PathOf) = match kind {
        "region" => ("SELECT code, name, slug FROM regions WHERE code = $1", paths::region),
        "departement" => ("SELECT code, name, slug FROM departements WHERE code = $1", paths::departement),
        "epci" => ("SELECT siren AS code, name, slug FROM epcis WHERE siren = $1", paths::epci),
        "commune" => ("SELECT code, name, slug FROM communes WHERE code = $1", paths::commune),
        _ => return Ok(None),
    };
    let found = sqlx::query(sql).bind(code.to_owned()).try_map(typed::<Named>).fetch_optional(&db.pool).await?;
    Ok(found.map(|t| t.link(path)))
}

/// Every département's code and name, by code (the filters of lists).
pub async fn departement_names(db: &Database) -> Result<Vec<(String, String)>, sqlx::Error> {
    let all = sqlx::query("SELECT code, name, slug FROM departements ORDER BY code")
        .try_map(typed::<Named>)
        .fetch_all(&db.pool)
        .await?;
    Ok(all.into_iter().map(|d| (d.code, d.name)).collect())
}

/// Départements of a region with their main figures (stored at import).
pub async fn departement_rows(db: &Database, region: &str) -> Result<Vec<DepartementRow>, sqlx::Error> {
    let figures = super::figures::departements_of(db, region).await?;
    let rows = sqlx::query("SELECT code, name, slug FROM departements WHERE region_code = $1 ORDER BY code")
        .bind(region.to_owned())
        .try_map(typed::<Named>)
        .fetch_all(&db.pool)
        .await?;
    rows.into_iter()
        .map(|d| {
            let summary = figures.iter().find(|(c, _)| *c == d.code).map(|(_, s)| s).ok_or(sqlx::Error::RowNotFound)?;
            Ok(DepartementRow {
                population: summary.population,
                communes: summary.communes,
                population_zip: summary.zonage_population(Zonage::Zip),
                apl_2023: summary.apl_2023,
                code: d.code.clone(),
                link: d.link(paths::departement),
            })
        })
        .collect()
}

/// An EPCI with its kind and figures.
#[derive(sqlx::FromRow)]
pub struct Epci {
    pub siren: String,
    pub name: String,
    pub slug: String,
    pub kind: Code<EpciKind>,
    pub population_totale: i64,
    pub communes_total: i64,
}

table!(Epci, "epcis");

const EPCI_SELECT: &str = "SELECT e.siren, e.name, e.slug, e.kind, e.population_totale, e.communes_total FROM epcis e";

pub async fn epci(db: &Database, siren: &str) -> Result<Option<Epci>, sqlx::Error> {
    sqlx::query(AssertSqlSafe(format!("{EPCI_SELECT} WHERE e.siren = $1")))
        .bind(siren.to_owned())
        .try_map(typed::<Epci>)
        .fetch_optional(&db.pool)
        .await
}

pub async fn epcis_of_departement(db: &Database, departement: &str) -> Result<Vec<EpciRow>, sqlx::Error> {
    let epcis = sqlx::query(AssertSqlSafe(format!(
        "{EPCI_SELECT} WHERE e.siren IN (SELECT epci_siren FROM communes WHERE departement_code = $1) ORDER BY e.name"
    )))
    .bind(departement.to_owned())
    .try_map(typed::<Epci>)
    .fetch_all(&db.pool)
    .await?;
    Ok(epcis
        .into_iter()
        .map(|e| EpciRow {
            link: link(e.name, paths::epci(&e.siren, &e.slug)),
            kind: e.kind.0.label().to_owned(),
            population: e.population_totale,
            communes: e.communes_total,
        })
        .collect())
}

pub async fn departements_of_epci(db: &Database, siren: &str) -> Result<Vec<TerritoryRef>, sqlx::Error> {
    let found = sqlx::query(
        "SELECT d.code, d.name, d.slug FROM departements d
         WHERE d.code IN (SELECT departement_code FROM communes WHERE epci_siren = $1) ORDER BY d.code",
    )
    .bind(siren.to_owned())
    .try_map(typed::<Named>)
    .fetch_all(&db.pool)
    .await?;
    Ok(found.into_iter().map(|d| d.link(paths::departement)).collect())
}

/// Communes of a scope, by name, with zoning and APL 2023.
pub async fn commune_rows(db: &Database, scope: &Scope) -> Result<Vec<CommuneRow>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        code: String,
        name: String,
        slug: String,
        population: i64,
        zonage: Option<Code<Zonage>>,
        apl: Option<f64>,
    }
    table!(Row, "communes");
    let rows = sqlx::query(AssertSqlSafe(format!(
        "SELECT c.code, c.name, c.slug, c.population, c.zonage, a.apl
         FROM communes c LEFT JOIN apl a ON a.commune_code = c.code AND a.year = 2023
         WHERE {} ORDER BY c.search_name",
        scope.condition()
    )))
    .bind(scope.param())
    .try_map(typed::<Row>)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|c| CommuneRow {
            link: link(c.name, paths::commune(&c.code, &c.slug)),
            code: c.code,
            population: c.population,
            zonage: c.zonage.map(|z| z.0),
            apl_2023: c.apl,
        })
        .collect())
}

/// The commune page without its APL and structures (loaded separately).
pub async fn commune(db: &Database, code: &str) -> Result<Option<CommunePage>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        code: String,
        name: String,
        slug: String,
        postal_codes: String,
        population: i64,
        surface_km2: f64,
        lat: f64,
        lon: f64,
        zonage: Option<Code<Zonage>>,
        departement_code: String,
        departement_name: String,
        departement_slug: String,
        region_code: String,
        region_name: String,
        region_slug: String,
        epci_siren: Option<String>,
        epci_name: Option<String>,
        epci_slug: Option<String>,
    }
    table!(Row, "communes");
    let found = sqlx::query(
        "SELECT c.code, c.name, c.slug, c.postal_codes, c.population, c.surface_km2, c.lat, c.lon, c.zonage,
                d.code AS departement_code, d.name AS departement_name, d.slug AS departement_slug,
                r.code AS region_code, r.name AS region_name, r.slug AS region_slug,
                e.siren AS epci_siren, e.name AS epci_name, e.slug AS epci_slug
         FROM communes c
         JOIN departements d ON d.code = c.departement_code
         JOIN regions r ON r.code = d.region_code
         LEFT JOIN epcis e ON e.siren = c.epci_siren
         WHERE c.code = $1",
    )
    .bind(code.to_owned())
    .try_map(typed::<Row>)
    .fetch_optional(&db.pool)
    .await?;
    let Some(c) = found else {
        return Ok(None);
    };
    let epci = match (c.epci_siren, c.epci_name, c.epci_slug) {
        (Some(siren), Some(name), Some(slug)) => Some(link(name, paths::epci(&siren, &slug))),
        _ => None,
    };
    Ok(Some(CommunePage {
        path: paths::commune(&c.code, &c.slug),
        code: c.code,
        name: c.name,
        postal_codes: c.postal_codes.split(';').map(str::to_owned).collect(),
        population: c.population,
        surface_km2: c.surface_km2,
        lat: c.lat,
        lon: c.lon,
        zonage: c.zonage.map(|z| z.0),
        departement: link(c.departement_name, paths::departement(&c.departement_code, &c.departement_slug)),
        region: link(c.region_name, paths::region(&c.region_code, &c.region_slug)),
        epci,
        apl: Vec::new(),
        structures_here: Vec::new(),
        structures_nearby: Vec::new(),
        apl_around: Vec::new(),
        stations: None,
    }))
}

/// A commune found by what a person typed (`PlaceName`): where it is, how to name it so that
/// nobody mistakes it, and what to tell them when the words fitted several.
#[derive(Debug, Clone, PartialEq)]
pub struct NamedCommune {
    pub code: String,
    /// Its name, with its département when another commune of the region has the same.
    pub label: String,
    pub lat: f64,
    pub lon: f64,
    /// In French, when the words fitted several communes: which one was taken and how to ask
    /// for another.
    pub note: Option<String>,
}

/// The commune `place` names: by postal code, the most populous of the communes it serves
/// (or, for links written before names, the commune of that INSEE code); by name, the one of
/// that name (in the département said), the most populous when several share it.
pub async fn commune_named(db: &Database, place: &PlaceName) -> Result<Option<NamedCommune>, sqlx::Error> {
    let found: Vec<Candidate> = match place.key() {
        PlaceKey::PostalCode(postal) => {
            // postal_codes holds them separated by ';'.
            let served = sqlx::query(AssertSqlSafe(format!(
                "{COLUMNS} WHERE ';' || postal_codes || ';' LIKE $1 ORDER BY population DESC, code"
            )))
            .bind(format!("%;{postal};%"))
            .try_map(typed::<Candidate>)
            .fetch_all(&db.pool)
            .await?;
            match served.is_empty() {
                false => served,
                true => {
                    sqlx::query(AssertSqlSafe(format!("{COLUMNS} WHERE code = $1")))
                        .bind(postal)
                        .try_map(typed::<Candidate>)
                        .fetch_all(&db.pool)
                        .await?
                }
            }
        }
        PlaceKey::Name { slug, departement } => {
            sqlx::query(AssertSqlSafe(format!(
                "{COLUMNS} WHERE slug = $1 AND ($2 = '' OR departement_code = $2) ORDER BY population DESC, code"
            )))
            .bind(slug)
            .bind(departement.map(|d| d.as_str().to_owned()).unwrap_or_default())
            .try_map(typed::<Candidate>)
            .fetch_all(&db.pool)
            .await?
        }
    };
    let Some(first) = found.first() else { return Ok(None) };
    let label = label_of(db, first).await?;
    let note = (found.len() > 1).then(|| match place.key() {
        PlaceKey::PostalCode(postal) => format!(
            "Le code postal {postal} sert {} communes : la recherche se fait autour de {label}, la plus peuplée.",
            found.len()
        ),
        PlaceKey::Name { .. } => {
            let others: Vec<String> =
                found[1..].iter().map(|c| place_label(&c.name, &c.departement_code, true)).collect();
            format!(
                "Plusieurs communes s'appellent {} : la recherche se fait autour de {label}, la plus peuplée. Pour une autre, \
                 écrivez par exemple « {} ».",
                first.name, others[0]
            )
        }
    });
    Ok(Some(NamedCommune { code: first.code.clone(), label, lat: first.lat, lon: first.lon, note }))
}

/// What the commune field of a form that places something (an offer, an event) names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormCommune {
    /// One commune: its INSEE code.
    One(String),
    /// Several (a shared name, a postal code that serves several): a place is never a guess,
    /// the form is refused.
    Several,
    /// None: the form says so.
    Unknown,
}

pub async fn form_commune(db: &Database, typed: &str) -> Result<FormCommune, sqlx::Error> {
    let Some(place) = PlaceName::parse(typed) else { return Ok(FormCommune::Unknown) };
    Ok(match commune_named(db, &place).await? {
        Some(found) if found.note.is_none() => FormCommune::One(found.code),
        Some(_) => FormCommune::Several,
        None => FormCommune::Unknown,
    })
}

/// The commune a board is searched around, as a person named it or by its code.
pub async fn commune_around(db: &Database, around: &Around) -> Result<Option<NamedCommune>, sqlx::Error> {
    match around {
        Around::Named(place) => commune_named(db, place).await,
        Around::Code(code) => commune_coded(db, code).await,
    }
}

/// The commune of INSEE code `code`, named as `commune_named` names it.
pub async fn commune_coded(db: &Database, code: &InseeCode) -> Result<Option<NamedCommune>, sqlx::Error> {
    let found = sqlx::query(AssertSqlSafe(format!("{COLUMNS} WHERE code = $1")))
        .bind(code.as_str().to_owned())
        .try_map(typed::<Candidate>)
        .fetch_optional(&db.pool)
        .await?;
    let Some(commune) = found else { return Ok(None) };
    let label = label_of(db, &commune).await?;
    Ok(Some(NamedCommune { code: commune.code, label, lat: commune.lat, lon: commune.lon, note: None }))
}

/// A commune as `commune_named` reads it.
#[derive(sqlx::FromRow)]
struct Candidate {
    code: String,
    name: String,
    slug: String,
    departement_code: String,
    lat: f64,
    lon: f64,
}

table!(Candidate, "communes");

const COLUMNS: &str = "SELECT code, name, slug, departement_code, lat, lon FROM communes";

/// Its name, with its département when another commune of the region has the same.
async fn label_of(db: &Database, commune: &Candidate) -> Result<String, sqlx::Error> {
    let namesakes: i64 = sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM communes WHERE slug = $1")
        .bind(commune.slug.clone())
        .fetch_one(&db.pool)
        .await?;
    Ok(place_label(&commune.name, &commune.departement_code, namesakes > 1))
}

pub async fn apl_of(db: &Database, code: &str) -> Result<Vec<AplYear>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        year: i64,
        apl: f64,
        apl_under65: f64,
    }
    table!(Row, "apl");
    let rows = sqlx::query("SELECT year, apl, apl_under65 FROM apl WHERE commune_code = $1 ORDER BY year")
        .bind(code.to_owned())
        .try_map(typed::<Row>)
        .fetch_all(&db.pool)
        .await?;
    Ok(rows.into_iter().map(|r| AplYear { year: r.year, apl: r.apl, apl_under65: r.apl_under65 }).collect())
}

/// A structure as the pages show it.
fn structure(row: StructureRecord) -> Structure {
    Structure {
        finess: row.finess,
        name: row.name,
        kind: row.kind.0,
        category: row.category,
        address: [row.address, format!("{} {}", row.postal_code, row.city)]
            .into_iter()
            .filter(|p| !p.trim().is_empty())
            .collect::<Vec<_>>()
            .join(", "),
        commune: link(row.commune_name, paths::commune(&row.commune_code, &row.commune_slug)),
        distance_km: None,
    }
}

fn kind_rank(kind: StructureKind) -> u8 {
    match kind {
        StructureKind::Msp => 0,
        StructureKind::CentreSante => 1,
        StructureKind::Etablissement => 2,
    }
}

/// Structures located in the communes of a scope: MSP first, then centres, then hospitals.
pub async fn structures_in(db: &Database, scope: &Scope) -> Result<Vec<Structure>, sqlx::Error> {
    let rows = sqlx::query(AssertSqlSafe(format!("{STRUCTURE} WHERE {}", scope.condition())))
        .bind(scope.param())
        .try_map(typed::<StructureRecord>)
        .fetch_all(&db.pool)
        .await?;
    let mut structures: Vec<Structure> = rows.into_iter().map(structure).collect();
    structures.sort_by(|a, b| (kind_rank(a.kind), &a.name).cmp(&(kind_rank(b.kind), &b.name)));
    Ok(structures)
}

/// Structures of other communes within `radius_km` of a point, nearest first.
pub async fn structures_near(
    db: &Database,
    commune: &str,
    lat: f64,
    lon: f64,
    radius_km: f64,
) -> Result<Vec<Structure>, sqlx::Error> {
    // A bounding box cuts the candidates; the exact distance is computed here.
    let dlat = radius_km / 111.0;
    let dlon = radius_km / (111.0 * lat.to_radians().cos().max(0.1));
    let rows = sqlx::query(AssertSqlSafe(format!(
        "{STRUCTURE} WHERE s.lat BETWEEN $1 AND $2 AND s.lon BETWEEN $3 AND $4 AND s.commune_code <> $5"
    )))
    .bind(lat - dlat)
    .bind(lat + dlat)
    .bind(lon - dlon)
    .bind(lon + dlon)
    .bind(commune.to_owned())
    .try_map(typed::<StructureRecord>)
    .fetch_all(&db.pool)
    .await?;
    let mut near: Vec<Structure> = rows
        .into_iter()
        .filter_map(|row| {
            let d = distance_km(lat, lon, row.lat, row.lon);
            (d <= radius_km).then(|| Structure { distance_km: Some(d), ..structure(row) })
        })
        .collect();
    near.sort_by(|a, b| a.distance_km.partial_cmp(&b.distance_km).unwrap_or(std::cmp::Ordering::Equal));
    Ok(near)
}

/// The communes of `codes`, in that order (codes not found are left out).
pub async fn commune_hits(db: &Database, codes: &[String]) -> Result<Vec<CommuneHit>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        code: String,
        name: String,
        slug: String,
        postal_codes: String,
        population: i64,
        departement: String,
    }
    table!(Row, "communes");
    if codes.is_empty() {
        return Ok(Vec::new());
    }
    let marks: Vec<String> = (1..=codes.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT c.code, c.name, c.slug, c.postal_codes, c.population, d.name AS departement
         FROM communes c JOIN departements d ON d.code = c.departement_code WHERE c.code IN ({})",
        marks.join(", ")
    );
    let query = codes.iter().fold(sqlx::query(AssertSqlSafe(sql)), |query, code| query.bind(code.clone()));
    let mut hits: Vec<CommuneHit> = query
        .try_map(typed::<Row>)
        .fetch_all(&db.pool)
        .await?
        .into_iter()
        .map(|c| CommuneHit {
            link: link(c.name, paths::commune(&c.code, &c.slug)),
            code: c.code,
            postal_codes: c.postal_codes.split(';').map(str::to_owned).collect(),
            population: c.population,
            departement: c.departement,
        })
        .collect();
    hits.sort_by_key(|hit| codes.iter().position(|c| *c == hit.code));
    Ok(hits)
}

/// Builds a page address from a code and a slug (see `paths`).
type PathOf = fn(&str, &str) -> String;

/// Every territory page and its outcomes page (`…/bilan`).
pub async fn all_paths(db: &Database) -> Result<Vec<String>, sqlx::Error> {
    let mut paths = Vec::new();
    let sets: [(&str, PathOf); 4] = [
        ("SELECT code, name, slug FROM regions ORDER BY code", paths::region),
        ("SELECT code, name, slug FROM departements ORDER BY code", paths::departement),
        ("SELECT siren AS code, name, slug FROM epcis ORDER BY siren", paths::epci),
        ("SELECT code, name, slug FROM communes ORDER BY code", paths::commune),
    ];
    for (sql, path) in sets {
        for territory in sqlx::query(sql).try_map(typed::<Named>).fetch_all(&db.pool).await? {
            let page = path(&territory.code, &territory.slug);
            paths.push(paths::outcomes(&page));
            paths.push(page);
        }
    }
    Ok(paths)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rodez_to_toulouse_is_about_130_km() {
        let d = distance_km(44.3506, 2.5750, 43.6045, 1.4440);
        assert!((120.0..135.0).contains(&d), "{d}");
        assert_eq!(distance_km(44.0, 2.0, 44.0, 2.0), 0.0);
    }
}
