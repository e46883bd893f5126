//! The reference files and how each becomes rows, with the checks between files (every APL,
//! zoning or FINESS line must name a known commune, every commune a known EPCI...).

use super::aids::{read_aids, read_qpv};
use super::reader::{Reject, Rejects, read_csv, read_geojson};
use super::tables::{self, Row, Table, Value};
use app::model::{DepartementCode, InseeCode, Siren, Zonage, search_form, slugify};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

pub const COMMUNES_CSV: &str = "communes-occitanie.csv";
pub const EPCI_CSV: &str = "epci-occitanie.csv";
pub const ZONAGE_CSV: &str = "zonage-mg-occitanie.csv";
pub const APL_CSV: &str = "apl-mg-occitanie-communes2026.csv";
pub const FINESS_CSV: &str = "etablissements-sante-occitanie-finess2021.csv";
pub const REGION_GEOJSON: &str = "region-occitanie-light.geojson";
pub const DEPARTEMENTS_GEOJSON: &str = "departements-occitanie-light.geojson";
pub const COMMUNES_GEOJSON: &str = "communes-occitanie-light.geojson";
pub const STATIONS_CSV: &str = "gares-voyageurs-occitanie.csv";

/// Every table's rows, in insertion order.
pub type ReferenceData = Vec<(&'static Table, Vec<Row>)>;

/// Reads and cross-checks every file; any reject means nothing is imported.
pub fn read_all(dir: &Path) -> Result<ReferenceData, Vec<Reject>> {
    let mut rejects = Rejects::default();

    let regions = read_geojson(dir, REGION_GEOJSON, &mut rejects);
    let region_rows: Vec<Row> = regions
        .iter()
        .filter_map(|f| {
            let row = (|| {
                let code = f.text("reg")?;
                let name = f.text("nom")?;
                Ok::<_, String>(vec![
                    Value::Text(code),
                    Value::Text(name.clone()),
                    Value::Text(slugify(&name)),
                    Value::Int(f.int("population")?),
                ])
            })();
            row.map_err(|reason| rejects.add(REGION_GEOJSON, f.position, reason)).ok()
        })
        .collect();
    let region_codes: HashSet<String> = region_rows.iter().map(|r| text(&r[0])).collect();

    let departements = read_geojson(dir, DEPARTEMENTS_GEOJSON, &mut rejects);
    let mut departement_rows = Vec::new();
    for f in &departements {
        let row = (|| {
            let code = DepartementCode::parse(&f.text("dep")?).map_err(|e| e.to_string())?;
            let region = f.text("reg")?;
            if !region_codes.contains(&region) {
                return Err(format!("région « {region} » absente de {REGION_GEOJSON}"));
            }
            let name = f.text("dep_nom")?;
            Ok(vec![
                Value::Text(code.to_string()),
                Value::Text(name.clone()),
                Value::Text(slugify(&name)),
                Value::Text(region),
                Value::Int(f.int("population")?),
            ])
        })();
        match row {
            Ok(row) => departement_rows.push(row),
            Err(reason) => rejects.add(DEPARTEMENTS_GEOJSON, f.position, reason),
        }
    }
    let departement_codes: HashSet<String> = departement_rows.iter().map(|r| text(&r[0])).collect();

    let epci_rows = read_csv(
        dir,
        EPCI_CSV,
        &[
            "siren",
            "nom",
            "type",
            "mode_financement",
            "population_totale",
            "population_municipale",
            "nb_communes",
            "nb_communes_occitanie",
        ],
        &mut rejects,
        |r| {
            let siren = Siren::parse(&r.text("siren")?).map_err(|e| e.to_string())?;
            let name = r.text("nom")?;
            let kind = r.text("type")?;
            if !matches!(kind.as_str(), "CC" | "CA" | "CU" | "METRO") {
                return Err(format!("type d'EPCI « {kind} » inconnu (CC, CA, CU ou METRO attendu)"));
            }
            Ok(vec![
                Value::Text(siren.to_string()),
                Value::Text(name.clone()),
                Value::Text(slugify(&name)),
                Value::Text(kind),
                Value::Text(r.text("mode_financement")?),
                Value::Int(r.int("population_totale")?),
                Value::Int(r.int("population_municipale")?),
                Value::Int(r.int("nb_communes")?),
                Value::Int(r.int("nb_communes_occitanie")?),
            ])
        },
    );
    let epci_sirens: HashSet<String> = epci_rows.iter().map(|r| text(&r[0])).collect();
    // A file with rejected lines gives an incomplete set of codes: references to it are not
    // checked then, so that one bad line is reported once, not once per dependent line.
    let epcis_complete = !rejected(&rejects, EPCI_CSV);
    let departements_complete = !rejected(&rejects, DEPARTEMENTS_GEOJSON);

    // Zoning first: it is a column of the communes table.
    let mut zonage_by_commune: HashMap<String, Option<String>> = HashMap::new();
    let mut zonage_lines: HashMap<String, u64> = HashMap::new();
    read_csv(dir, ZONAGE_CSV, &["code_commune", "zonage_mg"], &mut rejects, |r| {
        let code = InseeCode::parse(&r.text("code_commune")?).map_err(|e| e.to_string())?;
        let zonage = match r.optional("zonage_mg")? {
            None => None,
            Some(z) => Some(
                Zonage::from_code(&z)
                    .ok_or_else(|| format!("zonage « {z} » inconnu (ZIP, ZAC ou ZAR attendu)"))?
                    .code()
                    .to_owned(),
            ),
        };
        if zonage_by_commune.insert(code.to_string(), zonage).is_some() {
            return Err(format!("commune {code} en double"));
        }
        zonage_lines.insert(code.to_string(), r.line);
        Ok(())
    });

    let mut seen = HashSet::new();
    let commune_rows = read_csv(
        dir,
        COMMUNES_CSV,
        &[
            "code",
            "nom",
            "dep",
            "reg",
            "codes_postaux",
            "population",
            "siren",
            "epci",
            "lat",
            "lon",
            "lat_int",
            "lon_int",
            "surface_km2",
        ],
        &mut rejects,
        |r| {
            let code = InseeCode::parse(&r.text("code")?).map_err(|e| e.to_string())?;
            if !seen.insert(code.to_string()) {
                return Err(format!("commune {code} en double"));
            }
            let name = r.text("nom")?;
            let dep = r.text("dep")?;
            if departements_complete && !departement_codes.contains(&dep) {
                return Err(format!("département « {dep} » absent de {DEPARTEMENTS_GEOJSON}"));
            }
            let epci = r.optional("epci")?;
            if let Some(siren) = &epci
                && epcis_complete
                && !epci_sirens.contains(siren)
            {
                return Err(format!("EPCI « {siren} » absent de {EPCI_CSV}"));
            }
            let postal_codes = r.text("codes_postaux")?;
            if !postal_codes.split(';').all(|p| p.len() == 5 && p.bytes().all(|b| b.is_ascii_digit())) {
                return Err(format!("codes postaux « {postal_codes} » mal formés"));
            }
            let population = r.int("population")?;
            if population < 0 {
                return Err(format!("population négative ({population})"));
            }
            Ok(vec![
                Value::Text(code.to_string()),
                Value::Text(name.clone()),
                Value::Text(slugify(&name)),
                Value::Text(search_form(&name)),
                Value::Text(dep),
                Value::OptText(epci),
                Value::Text(r.text("siren")?),
                Value::Text(postal_codes),
                Value::Int(population),
                Value::Real(r.real_in("lat", 41.0, 46.0)?),
                Value::Real(r.real_in("lon", -1.0, 5.5)?),
                Value::Real(r.real_in("lat_int", 41.0, 46.0)?),
                Value::Real(r.real_in("lon_int", -1.0, 5.5)?),
                Value::Real(r.real_in("surface_km2", 0.0, 10_000.0)?),
                Value::OptText(zonage_by_commune.get(code.as_str()).cloned().flatten()),
            ])
        },
    );
    let communes: HashSet<String> = commune_rows.iter().map(|r| text(&r[0])).collect();
    let communes_complete = !rejected(&rejects, COMMUNES_CSV);
    if communes_complete {
        let mut unknown: Vec<_> = zonage_lines.iter().filter(|(c, _)| !communes.contains(*c)).collect();
        unknown.sort_by_key(|(_, line)| **line);
        for (code, line) in unknown {
            rejects.add(ZONAGE_CSV, *line, format!("commune {code} absente de {COMMUNES_CSV}"));
        }
    }
    let known_commune = |code: &InseeCode| {
        if !communes_complete || communes.contains(code.as_str()) {
            Ok(())
        } else {
            Err(format!("commune {code} absente de {COMMUNES_CSV}"))
        }
    };

    let mut apl_seen = HashSet::new();
    let apl_rows: Vec<Row> = read_csv(
        dir,
        APL_CSV,
        &[
            "code_commune",
            "apl_mg_2022",
            "apl_mg_moins65_2022",
            "pop_standardisee_2020",
            "pop_totale_2020",
            "apl_mg_2023",
            "apl_mg_moins65_2023",
            "pop_standardisee_2021",
            "pop_totale_2021",
        ],
        &mut rejects,
        |r| {
            let code = InseeCode::parse(&r.text("code_commune")?).map_err(|e| e.to_string())?;
            known_commune(&code)?;
            if !apl_seen.insert(code.to_string()) {
                return Err(format!("commune {code} en double"));
            }
            // Each APL vintage is measured on the population of two years before.
            let mut rows = Vec::with_capacity(2);
            for (year, population_year) in [(2022, 2020), (2023, 2021)] {
                rows.push(vec![
                    Value::Text(code.to_string()),
                    Value::Int(year),
                    Value::Real(r.real_in(&format!("apl_mg_{year}"), 0.0, 100.0)?),
                    Value::Real(r.real_in(&format!("apl_mg_moins65_{year}"), 0.0, 100.0)?),
                    Value::Real(r.real_in(&format!("pop_standardisee_{population_year}"), 0.0, 1e7)?),
                    Value::Int(r.int(&format!("pop_totale_{population_year}"))?),
                ]);
            }
            Ok(rows)
        },
    )
    .into_iter()
    .flatten()
    .collect();

    let mut finess_seen = HashSet::new();
    let structure_rows = read_csv(
        dir,
        FINESS_CSV,
        &[
            "type",
            "finess_et",
            "finess_ej",
            "nom",
            "categorie_code",
            "categorie",
            "adresse",
            "code_postal",
            "ville",
            "telephone",
            "date_ouverture",
            "maj_finess",
            "lat",
            "lon",
            "code_commune",
        ],
        &mut rejects,
        |r| {
            let finess = r.text("finess_et")?;
            if finess.len() != 9 {
                return Err(format!("numéro FINESS « {finess} » mal formé (9 caractères)"));
            }
            if !finess_seen.insert(finess.clone()) {
                return Err(format!("établissement {finess} en double"));
            }
            let kind = r.text("type")?;
            if app::domain::territory::StructureKind::from_code(&kind).is_none() {
                return Err(format!("type « {kind} » inconnu (msp, centre_sante ou etablissement_sante attendu)"));
            }
            let commune = InseeCode::parse(&r.text("code_commune")?).map_err(|e| e.to_string())?;
            known_commune(&commune)?;
            Ok(vec![
                Value::Text(finess),
                Value::Text(r.text("finess_ej")?),
                Value::Text(kind),
                Value::Text(r.text("nom")?),
                Value::Text(r.text("categorie_code")?),
                Value::Text(r.text("categorie")?),
                Value::Text(r.optional("adresse")?.unwrap_or_default()),
                Value::Text(r.text("code_postal")?),
                Value::Text(r.text("ville")?),
                Value::OptText(r.optional("telephone")?),
                Value::OptText(r.optional("date_ouverture")?),
                Value::OptText(r.optional("maj_finess")?),
                Value::Real(r.real_in("lat", 41.0, 46.0)?),
                Value::Real(r.real_in("lon", -1.0, 5.5)?),
                Value::Text(commune.to_string()),
            ])
        },
    );

    let mut geometry_rows = Vec::new();
    for f in &regions {
        if let Ok(code) = f.text("reg") {
            geometry_rows.push(geometry("region", code, &f.geometry));
        }
    }
    for f in &departements {
        if let Ok(code) = f.text("dep") {
            geometry_rows.push(geometry("departement", code, &f.geometry));
        }
    }
    let mut outlined = BTreeMap::new();
    for f in read_geojson(dir, COMMUNES_GEOJSON, &mut rejects) {
        let code = match f.text("code").and_then(|c| InseeCode::parse(&c).map_err(|e| e.to_string())) {
            Ok(code) => code,
            Err(reason) => {
                rejects.add(COMMUNES_GEOJSON, f.position, reason);
                continue;
            }
        };
        if let Err(reason) = known_commune(&code) {
            rejects.add(COMMUNES_GEOJSON, f.position, reason);
        } else if outlined.insert(code.to_string(), f.geometry).is_some() {
            rejects.add(COMMUNES_GEOJSON, f.position, format!("commune {code} en double"));
        }
    }
    geometry_rows.extend(outlined.into_iter().map(|(code, g)| geometry("commune", code, &g)));

    let mut station_seen = HashSet::new();
    let station_rows = read_csv(
        dir,
        STATIONS_CSV,
        &["nom", "trigramme", "segment_drg", "lat", "lon", "code_commune", "codes_uic"],
        &mut rejects,
        |r| {
            let code = r.text("trigramme")?;
            if code.len() != 3 || !code.chars().all(|c| c.is_ascii_uppercase()) {
                return Err(format!("trigramme « {code} » mal formé (trois lettres majuscules)"));
            }
            if !station_seen.insert(code.clone()) {
                return Err(format!("gare {code} en double"));
            }
            let class = r.text("segment_drg")?;
            if app::domain::territory::StationClass::from_code(&class).is_none() {
                return Err(format!("classe de gare « {class} » inconnue (A, B ou C attendu)"));
            }
            let commune = InseeCode::parse(&r.text("code_commune")?).map_err(|e| e.to_string())?;
            known_commune(&commune)?;
            Ok(vec![
                Value::Text(code),
                Value::Text(r.text("nom")?),
                Value::Text(class),
                Value::Real(r.real_in("lat", 41.0, 46.0)?),
                Value::Real(r.real_in("lon", -1.0, 5.5)?),
                Value::Text(commune.to_string()),
                Value::Text(r.text("codes_uic")?),
            ])
        },
    );

    let qpv_rows = read_qpv(dir, known_commune, &mut rejects);
    let aid_rows = read_aids(dir, &region_codes, &departement_codes, &mut rejects);

    if !rejects.0.is_empty() {
        return Err(rejects.0);
    }
    Ok(vec![
        (&tables::REGIONS, region_rows),
        (&tables::DEPARTEMENTS, departement_rows),
        (&tables::EPCIS, epci_rows),
        (&tables::COMMUNES, commune_rows),
        (&tables::APL, apl_rows),
        (&tables::HEALTH_STRUCTURES, structure_rows),
        (&tables::GEOMETRIES, geometry_rows),
        (&tables::QPV, qpv_rows),
        (&tables::STATIONS, station_rows),
        (&tables::AIDS, aid_rows),
    ])
}

fn rejected(rejects: &Rejects, file: &str) -> bool {
    rejects.0.iter().any(|r| r.file == file)
}

fn geometry(kind: &str, code: String, geojson: &str) -> Row {
    vec![Value::Text(kind.to_owned()), Value::Text(code), Value::Text(geojson.to_owned())]
}

fn text(value: &Value) -> String {
    match value {
        Value::Text(s) => s.clone(),
        other => format!("{other:?}"),
    }
}
