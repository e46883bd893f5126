//! The SQL behind territory pages, shared by SQLite and PostgreSQL.

use super::summary::Scope;
use crate::db::Database;
use app::api::territory::*;
use app::model::{Zonage, distance_km};
use sqlx::{AssertSqlSafe, Row, any::AnyRow};

fn link(name: String, path: String) -> TerritoryRef {
    TerritoryRef { name, path }
}

/// The region the portal covers (the first one imported), as (code, link).
pub async fn main_region(db: &Database) -> Result<(String, TerritoryRef), sqlx::Error> {
    let r = sqlx::query("SELECT code, name, slug FROM regions ORDER BY code LIMIT 1").fetch_one(&db.pool).await?;
    let code: String = r.try_get(0)?;
    let slug: String = r.try_get(2)?;
    Ok((code.clone(), link(r.try_get(1)?, paths::region(&code, &slug))))
}

pub async fn region(db: &Database, code: &str) -> Result<Option<(String, String)>, sqlx::Error> {
    sqlx::query("SELECT name, slug FROM regions WHERE code = $1")
        .bind(code.to_owned())
        .fetch_optional(&db.pool)
        .await?
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
        .transpose()
}

/// A département's name and slug, and the region it belongs to.
pub struct Departement {
    pub name: String,
    pub slug: String,
    pub region: TerritoryRef,
}

pub async fn departement(db: &Database, code: &str) -> Result<Option<Departement>, sqlx::Error> {
    sqlx::query(
        "SELECT d.name, d.slug, r.code, r.name, r.slug
         FROM departements d JOIN regions r ON r.code = d.region_code WHERE d.code = $1",
    )
    .bind(code.to_owned())
    .fetch_optional(&db.pool)
    .await?
    .map(|r| {
        let region_code: String = r.try_get(2)?;
        let region_slug: String = r.try_get(4)?;
        Ok(Departement {
            name: r.try_get(0)?,
            slug: r.try_get(1)?,
            region: link(r.try_get(3)?, paths::region(&region_code, &region_slug)),
        })
    })
    .transpose()
}

/// Départements of a region with their main figures (stored at import).
pub async fn departement_rows(db: &Database, region: &str) -> Result<Vec<DepartementRow>, sqlx::Error> {
    let figures = super::figures::departements_of(db, region).await?;
    let rows = sqlx::query("SELECT code, name, slug FROM departements WHERE region_code = $1 ORDER BY code")
        .bind(region.to_owned())
        .fetch_all(&db.pool)
        .await?;
    rows.iter()
        .map(|r| {
            let code: String = r.try_get(0)?;
            let slug: String = r.try_get(2)?;
            let summary = figures.iter().find(|(c, _)| *c == code).map(|(_, s)| s).ok_or(sqlx::Error::RowNotFound)?;
            Ok(DepartementRow {
                link: link(r.try_get(1)?, paths::departement(&code, &slug)),
                population: summary.population,
                communes: summary.communes,
                population_zip: summary.zonage_population(Zonage::Zip),
                apl_2023: summary.apl_2023,
                code,
            })
        })
        .collect()
}

pub struct Epci {
    pub name: String,
    pub slug: String,
    pub kind: String,
    pub population_totale: i64,
    pub communes_total: i64,
}

pub async fn epci(db: &Database, siren: &str) -> Result<Option<Epci>, sqlx::Error> {
    sqlx::query("SELECT name, slug, kind, population_totale, communes_total FROM epcis WHERE siren = $1")
        .bind(siren.to_owned())
        .fetch_optional(&db.pool)
        .await?
        .map(|r| {
            Ok(Epci {
                name: r.try_get(0)?,
                slug: r.try_get(1)?,
                kind: r.try_get(2)?,
                population_totale: r.try_get(3)?,
                communes_total: r.try_get(4)?,
            })
        })
        .transpose()
}

pub async fn epcis_of_departement(db: &Database, departement: &str) -> Result<Vec<EpciRow>, sqlx::Error> {
    sqlx::query(
        "SELECT e.siren, e.name, e.slug, e.kind, e.population_totale, e.communes_total
         FROM epcis e WHERE e.siren IN (SELECT epci_siren FROM communes WHERE departement_code = $1)
         ORDER BY e.name",
    )
    .bind(departement.to_owned())
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| {
        let siren: String = r.try_get(0)?;
        let slug: String = r.try_get(2)?;
        let kind: String = r.try_get(3)?;
        Ok(EpciRow {
            link: link(r.try_get(1)?, paths::epci(&siren, &slug)),
            kind: super::epci_kind_label(&kind).to_owned(),
            population: r.try_get(4)?,
            communes: r.try_get(5)?,
        })
    })
    .collect()
}

pub async fn departements_of_epci(db: &Database, siren: &str) -> Result<Vec<TerritoryRef>, sqlx::Error> {
    sqlx::query(
        "SELECT d.code, d.name, d.slug FROM departements d
         WHERE d.code IN (SELECT departement_code FROM communes WHERE epci_siren = $1) ORDER BY d.code",
    )
    .bind(siren.to_owned())
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| {
        let code: String = r.try_get(0)?;
        let slug: String = r.try_get(2)?;
        Ok(link(r.try_get(1)?, paths::departement(&code, &slug)))
    })
    .collect()
}

/// Communes of a scope, by name, with zoning and APL 2023.
pub async fn commune_rows(db: &Database, scope: &Scope) -> Result<Vec<CommuneRow>, sqlx::Error> {
    sqlx::query(AssertSqlSafe(format!(
        "SELECT c.code, c.name, c.slug, c.population, c.zonage, a.apl
         FROM communes c LEFT JOIN apl a ON a.commune_code = c.code AND a.year = 2023
         WHERE {} ORDER BY c.search_name",
        scope.condition()
    )))
    .bind(scope.param())
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| {
        let code: String = r.try_get(0)?;
        let slug: String = r.try_get(2)?;
        let zonage: Option<String> = r.try_get(4)?;
        Ok(CommuneRow {
            link: link(r.try_get(1)?, paths::commune(&code, &slug)),
            code,
            population: r.try_get(3)?,
            zonage: zonage.as_deref().and_then(Zonage::from_code),
            apl_2023: r.try_get(5)?,
        })
    })
    .collect()
}

/// The commune page without its APL and structures (loaded separately).
pub async fn commune(db: &Database, code: &str) -> Result<Option<CommunePage>, sqlx::Error> {
    let Some(r) = sqlx::query(
        "SELECT c.code, c.name, c.slug, c.postal_codes, c.population, c.surface_km2, c.lat, c.lon, c.zonage,
                d.code, d.name, d.slug, r.code, r.name, r.slug, e.siren, e.name, e.slug
         FROM communes c
         JOIN departements d ON d.code = c.departement_code
         JOIN regions r ON r.code = d.region_code
         LEFT JOIN epcis e ON e.siren = c.epci_siren
         WHERE c.code = $1",
    )
    .bind(code.to_owned())
    .fetch_optional(&db.pool)
    .await?
    else {
        return Ok(None);
    };
    let code: String = r.try_get(0)?;
    let slug: String = r.try_get(2)?;
    let postal_codes: String = r.try_get(3)?;
    let zonage: Option<String> = r.try_get(8)?;
    let (dep_code, dep_slug): (String, String) = (r.try_get(9)?, r.try_get(11)?);
    let (reg_code, reg_slug): (String, String) = (r.try_get(12)?, r.try_get(14)?);
    let epci: Option<String> = r.try_get(15)?;
    let epci = match epci {
        Some(siren) => {
            let slug: String = r.try_get(17)?;
            Some(link(r.try_get(16)?, paths::epci(&siren, &slug)))
        }
        None => None,
    };
    Ok(Some(CommunePage {
        path: paths::commune(&code, &slug),
        code,
        name: r.try_get(1)?,
        postal_codes: postal_codes.split(';').map(str::to_owned).collect(),
        population: r.try_get(4)?,
        surface_km2: r.try_get(5)?,
        lat: r.try_get(6)?,
        lon: r.try_get(7)?,
        zonage: zonage.as_deref().and_then(Zonage::from_code),
        departement: link(r.try_get(10)?, paths::departement(&dep_code, &dep_slug)),
        region: link(r.try_get(13)?, paths::region(&reg_code, &reg_slug)),
        epci,
        apl: Vec::new(),
        structures_here: Vec::new(),
        structures_nearby: Vec::new(),
        apl_around: Vec::new(),
    }))
}

pub async fn apl_of(db: &Database, code: &str) -> Result<Vec<AplYear>, sqlx::Error> {
    sqlx::query("SELECT year, apl, apl_under65 FROM apl WHERE commune_code = $1 ORDER BY year")
        .bind(code.to_owned())
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(|r| Ok(AplYear { year: r.try_get(0)?, apl: r.try_get(1)?, apl_under65: r.try_get(2)? }))
        .collect()
}

const STRUCTURE_COLUMNS: &str = "s.finess, s.name, s.kind, s.category, s.address, s.postal_code, s.city, s.lat, s.lon,
     c.code, c.name, c.slug";

fn structure(r: &AnyRow) -> Result<(Structure, f64, f64), sqlx::Error> {
    let kind: String = r.try_get(2)?;
    let address: String = r.try_get(4)?;
    let postal_code: String = r.try_get(5)?;
    let city: String = r.try_get(6)?;
    let code: String = r.try_get(9)?;
    let slug: String = r.try_get(11)?;
    let structure = Structure {
        finess: r.try_get(0)?,
        name: r.try_get(1)?,
        kind: StructureKind::from_code(&kind).unwrap_or(StructureKind::Etablissement),
        category: r.try_get(3)?,
        address: [address, format!("{postal_code} {city}")]
            .into_iter()
            .filter(|p| !p.trim().is_empty())
            .collect::<Vec<_>>()
            .join(", "),
        commune: link(r.try_get(10)?, paths::commune(&code, &slug)),
        distance_km: None,
    };
    Ok((structure, r.try_get(7)?, r.try_get(8)?))
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
    let mut structures: Vec<Structure> = sqlx::query(AssertSqlSafe(format!(
        "SELECT {STRUCTURE_COLUMNS} FROM health_structures s JOIN communes c ON c.code = s.commune_code WHERE {}",
        scope.condition()
    )))
    .bind(scope.param())
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(|r| structure(r).map(|(s, _, _)| s))
    .collect::<Result<_, _>>()?;
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
    let mut near: Vec<Structure> = sqlx::query(AssertSqlSafe(format!(
        "SELECT {STRUCTURE_COLUMNS} FROM health_structures s JOIN communes c ON c.code = s.commune_code
         WHERE s.lat BETWEEN $1 AND $2 AND s.lon BETWEEN $3 AND $4 AND s.commune_code <> $5"
    )))
    .bind(lat - dlat)
    .bind(lat + dlat)
    .bind(lon - dlon)
    .bind(lon + dlon)
    .bind(commune.to_owned())
    .fetch_all(&db.pool)
    .await?
    .iter()
    .map(structure)
    .filter_map(|result| match result {
        Ok((mut s, slat, slon)) => {
            let d = distance_km(lat, lon, slat, slon);
            (d <= radius_km).then(|| {
                s.distance_km = Some(d);
                Ok(s)
            })
        }
        Err(e) => Some(Err(e)),
    })
    .collect::<Result<_, _>>()?;
    near.sort_by(|a, b| a.distance_km.partial_cmp(&b.distance_km).unwrap_or(std::cmp::Ordering::Equal));
    Ok(near)
}

/// The communes of `codes`, in that order (codes not found are left out).
pub async fn commune_hits(db: &Database, codes: &[String]) -> Result<Vec<CommuneHit>, sqlx::Error> {
    if codes.is_empty() {
        return Ok(Vec::new());
    }
    let marks: Vec<String> = (1..=codes.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT c.code, c.name, c.slug, c.postal_codes, c.population, d.name
         FROM communes c JOIN departements d ON d.code = c.departement_code WHERE c.code IN ({})",
        marks.join(", ")
    );
    let mut query = sqlx::query(AssertSqlSafe(sql));
    for code in codes {
        query = query.bind(code.clone());
    }
    let mut hits = query
        .fetch_all(&db.pool)
        .await?
        .iter()
        .map(|r| {
            let code: String = r.try_get(0)?;
            let slug: String = r.try_get(2)?;
            let postal_codes: String = r.try_get(3)?;
            Ok(CommuneHit {
                link: link(r.try_get(1)?, paths::commune(&code, &slug)),
                code,
                postal_codes: postal_codes.split(';').map(str::to_owned).collect(),
                population: r.try_get(4)?,
                departement: r.try_get(5)?,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    hits.sort_by_key(|hit| codes.iter().position(|c| *c == hit.code));
    Ok(hits)
}

/// Builds a page address from a code and a slug (see `paths`).
type PathOf = fn(&str, &str) -> String;

/// Every territory page and its outcomes page (`…/bilan`).
pub async fn all_paths(db: &Database) -> Result<Vec<String>, sqlx::Error> {
    let mut paths = Vec::new();
    let sets: [(&str, PathOf); 4] = [
        ("SELECT code, slug FROM regions ORDER BY code", paths::region),
        ("SELECT code, slug FROM departements ORDER BY code", paths::departement),
        ("SELECT siren, slug FROM epcis ORDER BY siren", paths::epci),
        ("SELECT code, slug FROM communes ORDER BY code", paths::commune),
    ];
    for (sql, path) in sets {
        for r in sqlx::query(sql).fetch_all(&db.pool).await? {
            let code: String = r.try_get(0)?;
            let slug: String = r.try_get(1)?;
            let page = path(&code, &slug);
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
