//! The aids catalogue (`aides.json`) and the quartiers prioritaires (`qpv-occitanie-2015.csv`),
//! read and checked like the other reference files.

use super::reader::{Rejects, read_csv};
use super::tables::{Row, Value};
use app::api::aid::{AidCategory, AidProfile, AidZone, AmountUnit, Exercise, Funder, ScopeKind, join_codes};
use app::model::{Day, InseeCode};
use serde::Deserialize;
use std::collections::HashSet;
use std::path::Path;

pub const AIDS_JSON: &str = "aides.json";
pub const QPV_CSV: &str = "qpv-occitanie-2015.csv";

/// The QPV rows: code, name, commune (which must be known).
pub fn read_qpv(
    dir: &Path,
    known_commune: impl Fn(&InseeCode) -> Result<(), String>,
    rejects: &mut Rejects,
) -> Vec<Row> {
    let mut seen = HashSet::new();
    read_csv(dir, QPV_CSV, &["code_qp", "nom_qp", "code_commune"], rejects, |r| {
        let code = r.text("code_qp")?;
        if !code.starts_with("QP") || code.len() != 8 {
            return Err(format!("code de quartier « {code} » invalide (QP suivi de 6 caractères attendu)"));
        }
        if !seen.insert(code.clone()) {
            return Err(format!("quartier {code} en double"));
        }
        let commune = InseeCode::parse(&r.text("code_commune")?).map_err(|e| e.to_string())?;
        known_commune(&commune)?;
        Ok(vec![Value::Text(code), Value::Text(r.text("nom_qp")?), Value::Text(commune.to_string())])
    })
}

/// One aid of the file, as written there.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AidEntry {
    slug: String,
    name: String,
    funder: String,
    category: String,
    amount_eur: Option<i64>,
    amount_unit: String,
    amount_text: String,
    summary: String,
    conditions: String,
    zones: Vec<String>,
    profiles: Vec<String>,
    exercise: Vec<String>,
    commitment: Option<String>,
    commitment_years: Option<i64>,
    scope: ScopeEntry,
    source_url: String,
    valid_from: Option<String>,
    valid_to: Option<String>,
    checked_on: String,
    /// What the source says, for whoever checks the entry again; not shown.
    #[allow(dead_code)]
    evidence: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ScopeEntry {
    kind: String,
    code: Option<String>,
}

/// The catalogue rows, in `tables::AIDS` column order. Regional scopes must name a known
/// region; the file is JSON (an array), so positions are 1-based indexes in it.
pub fn read_aids(dir: &Path, regions: &HashSet<String>, rejects: &mut Rejects) -> Vec<Row> {
    let text = match std::fs::read_to_string(dir.join(AIDS_JSON)) {
        Ok(text) => text,
        Err(error) => {
            rejects.add(AIDS_JSON, 0, format!("fichier illisible : {error}"));
            return Vec::new();
        }
    };
    let entries: Vec<serde_json::Value> = match serde_json::from_str(&text) {
        Ok(entries) => entries,
        Err(error) => {
            rejects.add(AIDS_JSON, error.line() as u64, format!("JSON invalide : {error}"));
            return Vec::new();
        }
    };
    let mut seen = HashSet::new();
    let mut rows = Vec::new();
    for (index, value) in entries.into_iter().enumerate() {
        let position = index as u64 + 1;
        let row = serde_json::from_value::<AidEntry>(value)
            .map_err(|e| format!("aide n° {position} : {e}"))
            .and_then(|entry| aid_row(entry, regions));
        match row {
            Ok(row) => {
                let slug = match &row[0] {
                    Value::Text(slug) => slug.clone(),
                    _ => String::new(),
                };
                if seen.insert(slug.clone()) {
                    rows.push(row);
                } else {
                    rejects.add(AIDS_JSON, position, format!("aide « {slug} » en double"));
                }
            }
            Err(reason) => rejects.add(AIDS_JSON, position, reason),
        }
    }
    rows
}

fn aid_row(e: AidEntry, regions: &HashSet<String>) -> Result<Row, String> {
    let slug_ok =
        !e.slug.is_empty() && e.slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !slug_ok {
        return Err(format!("identifiant « {} » invalide (minuscules, chiffres et tirets)", e.slug));
    }
    let at = |what: &str| format!("aide « {} » : {what}", e.slug);
    let known = |ok: bool, what: &str| if ok { Ok(()) } else { Err(at(what)) };
    known(Funder::from_code(&e.funder).is_some(), &format!("financeur « {} » inconnu", e.funder))?;
    known(AidCategory::from_code(&e.category).is_some(), &format!("catégorie « {} » inconnue", e.category))?;
    let unit =
        AmountUnit::from_code(&e.amount_unit).ok_or_else(|| at(&format!("unité « {} » inconnue", e.amount_unit)))?;
    match (e.amount_eur, unit) {
        (Some(amount), AmountUnit::Once | AmountUnit::Month | AmountUnit::Year) if amount > 0 => {}
        (None, AmountUnit::None) => {}
        _ => return Err(at("un montant positif va avec une unité (once, month, year), pas de montant avec « none »")),
    }
    let zones =
        codes(&e.zones, AidZone::from_code, AidZone::code).map_err(|c| at(&format!("zone « {c} » inconnue")))?;
    let profiles = codes(&e.profiles, AidProfile::from_code, AidProfile::code)
        .map_err(|c| at(&format!("profil « {c} » inconnu")))?;
    let exercise = codes(&e.exercise, Exercise::from_code, Exercise::code)
        .map_err(|c| at(&format!("type d'exercice « {c} » inconnu")))?;
    let scope =
        ScopeKind::from_code(&e.scope.kind).ok_or_else(|| at(&format!("portée « {} » inconnue", e.scope.kind)))?;
    match (scope, e.scope.code.as_deref()) {
        (ScopeKind::National, None) => {}
        (ScopeKind::Region, Some(code)) if regions.contains(code) => {}
        _ => return Err(at("le catalogue ne contient que des aides nationales ou d'une région importée")),
    }
    if !e.source_url.starts_with("https://") {
        return Err(at("la source doit être une adresse https://"));
    }
    let day = |raw: &Option<String>| -> Result<Option<String>, String> {
        raw.as_deref().map(|d| Day::parse(d).map(|d| d.to_string()).map_err(|error| at(&error.to_string()))).transpose()
    };
    let (from, to) = (day(&e.valid_from)?, day(&e.valid_to)?);
    let checked = Day::parse(&e.checked_on).map_err(|error| at(&error.to_string()))?;
    for (label, text) in
        [("nom", &e.name), ("montant", &e.amount_text), ("résumé", &e.summary), ("conditions", &e.conditions)]
    {
        if text.trim().is_empty() {
            return Err(at(&format!("{label} vide")));
        }
    }
    Ok(vec![
        Value::Text(e.slug.clone()),
        Value::Text(e.name.trim().to_owned()),
        Value::Text(e.funder),
        Value::Text(e.category),
        Value::OptInt(e.amount_eur),
        Value::Text(unit.code().to_owned()),
        Value::Text(e.amount_text.trim().to_owned()),
        Value::Text(e.summary.trim().to_owned()),
        Value::Text(e.conditions.trim().to_owned()),
        Value::Text(zones),
        Value::Text(profiles),
        Value::Text(exercise),
        Value::OptText(e.commitment.filter(|c| !c.trim().is_empty())),
        Value::OptInt(e.commitment_years),
        Value::Text(scope.code().to_owned()),
        Value::OptText(e.scope.code),
        Value::Text(e.source_url),
        Value::OptText(from),
        Value::OptText(to),
        Value::Text(checked.to_string()),
    ])
}

/// The codes of a list, checked and joined as stored; the error is the unknown code.
fn codes<T: Copy>(
    raw: &[String],
    from: impl Fn(&str) -> Option<T>,
    code: impl Fn(T) -> &'static str,
) -> Result<String, String> {
    let values: Vec<T> = raw.iter().map(|c| from(c).ok_or_else(|| c.clone())).collect::<Result<_, _>>()?;
    Ok(join_codes(&values, code))
}
