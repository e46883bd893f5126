//! The aids catalogue (`aides.json`) and the quartiers prioritaires (`qpv-occitanie-2015.csv`),
//! read and checked like the other reference files.

use super::reader::{Rejects, read_csv};
use super::tables::{Row, Value};
use app::domain::aids::{
    AidCategory, AidProfile, AidPurpose, AidZone, AmountUnit, Exercise, Funder, ScopeKind, join_codes,
};
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
            return Err(format!("code de quartier « {code} » invalide (QP suivi de 6 caractères attendu)"));
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
    departements: Vec<String>,
    profiles: Vec<String>,
    purposes: Vec<String>,
    exercise: Vec<String>,
    excludes: Vec<String>,
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
/// region, départements known ones, exclusions aids of the file, stated on both sides; the
/// file is JSON (an array), so positions are 1-based indexes in it.
pub fn read_aids(
    dir: &Path,
    regions: &HashSet<String>,
    departements: &HashSet<String>,
    rejects: &mut Rejects,
) -> Vec<Row> {
    let text = match std::fs::read_to_string(dir.join(AIDS_JSON)) {
        Ok(text) => text,
        Err(error) => {
            rejects.add(AIDS_JSON, 0, format!("fichier illisible : {error}"));
            return Vec::new();
        }
    };
    let entries: Vec<serde_json::Value> = match serde_json::from_str(&text) {
        Ok(entries) => entries,
        Err(error) => {
            rejects.add(AIDS_JSON, error.line() as u64, format!("JSON invalide : {error}"));
            return Vec::new();
        }
    };
    let mut seen = HashSet::new();
    let mut rows = Vec::new();
    // (position, slug, the slugs it excludes), checked once every slug is known.
    let mut exclusions = Vec::new();
    for (index, value) in entries.into_iter().enumerate() {
        let position = index as u64 + 1;
        let entry = serde_json::from_value::<AidEntry>(value).map_err(|e| format!("aide n° {position} : {e}"));
        let row = entry.and_then(|entry| {
            let excludes = (entry.slug.clone(), entry.excludes.clone());
            aid_row(entry, regions, departements).map(|row| (row, excludes))
        });
        match row {
            Ok((row, (slug, excludes))) => {
                if seen.insert(slug.clone()) {
                    rows.push(row);
                    exclusions.push((position, slug, excludes));
                } else {
                    rejects.add(AIDS_JSON, position, format!("aide « {slug} » en double"));
                }
            }
            Err(reason) => rejects.add(AIDS_JSON, position, reason),
        }
    }
    for (position, slug, excludes) in &exclusions {
        for other in excludes {
            let stated_back = exclusions.iter().any(|(_, s, back)| s == other && back.contains(slug));
            if other == slug || !seen.contains(other) {
                rejects.add(
                    AIDS_JSON,
                    *position,
                    format!("aide « {slug} » : exclut « {other} », qui n'est pas une autre aide du fichier"),
                );
            } else if !stated_back {
                rejects.add(
                    AIDS_JSON,
                    *position,
                    format!("aide « {slug} » : exclut « {other} », qui doit l'exclure aussi"),
                );
            }
        }
    }
    rows
}

fn aid_row(e: AidEntry, regions: &HashSet<String>, departements: &HashSet<String>) -> Result<Row, String> {
    let slug_ok =
        !e.slug.is_empty() && e.slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !slug_ok {
        return Err(format!("identifiant « {} » invalide (minuscules, chiffres et tirets)", e.slug));
    }
    let at = |what: &str| format!("aide « {} » : {what}", e.slug);
    let known = |ok: bool, what: &str| if ok { Ok(()) } else { Err(at(what)) };
    known(Funder::from_code(&e.funder).is_some(), &format!("financeur « {} » inconnu", e.funder))?;
    known(AidCategory::from_code(&e.category).is_some(), &format!("catégorie « {} » inconnue", e.category))?;
    let unit =
        AmountUnit::from_code(&e.amount_unit).ok_or_else(|| at(&format!("unité « {} » inconnue", e.amount_unit)))?;
    match (e.amount_eur, unit) {
        (Some(amount), AmountUnit::Once | AmountUnit::Month | AmountUnit::Year) if amount > 0 => {}
        (None, AmountUnit::None) => {}
        _ => return Err(at("un montant positif va avec une unité (once, month, year), pas de montant avec « none »")),
    }
    let zones =
        codes(&e.zones, AidZone::from_code, AidZone::code).map_err(|c| at(&format!("zone « {c} » inconnue")))?;
    let profiles = codes(&e.profiles, AidProfile::from_code, AidProfile::code)
        .map_err(|c| at(&format!("profil « {c} » inconnu")))?;
    let exercise = codes(&e.exercise, Exercise::from_code, Exercise::code)
        .map_err(|c| at(&format!("type d'exercice « {c} » inconnu")))?;
    let purposes = codes(&e.purposes, AidPurpose::from_code, AidPurpose::code)
        .map_err(|c| at(&format!("objet « {c} » inconnu")))?;
    if purposes.is_empty() {
        return Err(at(
            "dire ce que l'aide finance (purposes) : le simulateur n'additionne que les aides d'un même objet",
        ));
    }
    if let Some(unknown) = e.departements.iter().find(|d| !departements.contains(*d)) {
        return Err(at(&format!("département « {unknown} » inconnu")));
    }
    let scope =
        ScopeKind::from_code(&e.scope.kind).ok_or_else(|| at(&format!("portée « {} » inconnue", e.scope.kind)))?;
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
        Value::Text(e.departements.join(",")),
        Value::Text(purposes),
        Value::Text(e.excludes.join(",")),
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

#[cfg(test)]
mod tests {
    //! The catalogue as written (server/data/aides.json): its structured fields must say what
    //! its texts say, since the simulator reads only the fields.

    use super::*;

    fn catalogue() -> Vec<AidEntry> {
        serde_json::from_str(include_str!("../../data/aides.json")).expect("the catalogue reads")
    }

    /// Name, summary and conditions, lower-cased.
    fn text(aid: &AidEntry) -> String {
        format!("{} {} {}", aid.name, aid.summary, aid.conditions).to_lowercase()
    }

    /// Occitanie's départements, code and name, longest names first (so that "Tarn" is not
    /// found inside "Tarn-et-Garonne").
    fn departements() -> Vec<(String, String)> {
        let mut found: Vec<(String, String)> = include_str!("../../data/communes-occitanie.csv")
            .lines()
            .skip(1)
            .map(|l| {
                let f: Vec<&str> = l.split(',').collect();
                (f[2].to_owned(), f[3].to_owned())
            })
            .collect();
        found.sort();
        found.dedup();
        found.sort_by_key(|(_, name)| std::cmp::Reverse(name.len()));
        found
    }

    #[test]
    fn every_zone_profile_and_purpose_of_an_aid_is_in_its_text() {
        let words = |code: &str| -> &[&str] {
            match code {
                "ZIP" => &["zip"],
                "ZAC" => &["zac"],
                "ZAR" => &["zar"],
                "QPV" => &["qpv", "quartier prioritaire"],
                "montagne" => &["montagne"],
                "interne" => &["interne"],
                // A docteur junior is a student of the 3e cycle, in its last year.
                "docteur_junior" => &["docteur junior", "docteurs juniors", "3e cycle"],
                "remplacant" => &["remplaçant"],
                "installe_recent" => &["installation", "s'installe", "installés", "crée ou reprend"],
                "installe" => &["installé", "cabinet", "exercer", "exerçant", "se regroupent"],
                "msu" => &["maître de stage", "maîtres de stage"],
                "installation" => &["installation", "s'installe", "crée ou reprend"],
                "cabinet_secondaire" => &["cabinet secondaire", "site distinct"],
                "exercice" => &["exercer", "installés", "exerçant"],
                "remplacement" => &["remplaçant"],
                "stage" => &["stage"],
                "etudes" => &["études", "étudiant"],
                "accueil_interne" => &["accueille un étudiant", "étudiant accueilli"],
                "accueil_docteur_junior" => &["accueillir un docteur junior", "accueille un docteur junior"],
                "maison_sante" => &["maisons de santé", "maison ou d'un centre de santé"],
                other => panic!("no words known for « {other} »: add them here"),
            }
        };
        for aid in catalogue() {
            let text = text(&aid);
            for code in aid.zones.iter().chain(&aid.profiles).chain(&aid.purposes) {
                assert!(words(code).iter().any(|w| text.contains(w)), "{}: « {code} » is not in its text", aid.slug);
            }
        }
    }

    #[test]
    fn the_departements_an_aid_names_are_the_ones_it_lists() {
        let departements = departements();
        for aid in catalogue() {
            let mut text = format!("{} {}", aid.name, aid.conditions);
            let mut named = Vec::new();
            for (code, name) in &departements {
                if text.contains(name.as_str()) {
                    named.push(code.clone());
                    text = text.replace(name.as_str(), "");
                }
            }
            named.sort();
            let mut listed = aid.departements.clone();
            listed.sort();
            assert_eq!(named, listed, "{}: départements named in its text, and listed", aid.slug);
        }
    }

    /// "Non cumulable avec …" in an aid's conditions is an exclusion in its fields, and an
    /// exclusion is written in the conditions: only contracts no longer in force (the CAIM,
    /// replaced on 1 January 2026 by the installation aids) are named without being listed.
    #[test]
    fn exclusions_are_the_ones_the_conditions_state() {
        const ENDED: &[&str] = &["(CAIM)"];
        for aid in catalogue() {
            let conditions = aid.conditions.to_lowercase();
            let states = conditions.contains("non cumulable");
            let only_ended = ENDED.iter().any(|e| aid.conditions.contains(e));
            assert_eq!(states && !only_ended, !aid.excludes.is_empty(), "{}: « non cumulable » and excludes", aid.slug);
        }
    }

    /// The amount is one the amount's text states, or the sum of the first ones it states
    /// ("600 € … + 1 200 € …" is 1 800 €).
    #[test]
    fn amounts_are_the_ones_their_text_states() {
        for aid in catalogue() {
            let Some(amount) = aid.amount_eur else { continue };
            let digits: String =
                aid.amount_text.chars().filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}')).collect();
            let stated: Vec<i64> = digits
                .split('€')
                .filter_map(|before| {
                    let tail: String = before.chars().rev().take_while(char::is_ascii_digit).collect();
                    tail.chars().rev().collect::<String>().parse().ok()
                })
                .collect();
            let sums: Vec<i64> = stated.iter().scan(0, |sum, a| Some(*sum + a).inspect(|s| *sum = *s)).collect();
            assert!(stated.contains(&amount) || sums.contains(&amount), "{}: {amount} in {stated:?}", aid.slug);
        }
    }

    fn import(entries: serde_json::Value) -> Result<Vec<Row>, Vec<String>> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(AIDS_JSON), entries.to_string()).unwrap();
        let mut rejects = Rejects::default();
        let regions = HashSet::from(["76".to_owned()]);
        let departements = HashSet::from(["12".to_owned(), "32".to_owned()]);
        let rows = read_aids(dir.path(), &regions, &departements, &mut rejects);
        if rejects.0.is_empty() { Ok(rows) } else { Err(rejects.0.iter().map(|r| r.reason.clone()).collect()) }
    }

    #[test]
    fn the_import_refuses_rules_it_cannot_apply() {
        let entries: Vec<serde_json::Value> = serde_json::from_str(include_str!("../../data/aides.json")).unwrap();
        let pair = || serde_json::Value::Array(entries.iter().take(2).cloned().collect());
        assert_eq!(import(pair()).map(|rows| rows.len()), Ok(2));
        let refused = |change: &dyn Fn(&mut serde_json::Value), expected: &str| {
            let mut file = pair();
            change(&mut file);
            let reasons = import(file).expect_err(expected);
            assert!(reasons.iter().any(|r| r.contains(expected)), "{reasons:?} should say {expected}");
        };
        refused(&|f| f[0]["purposes"] = serde_json::json!([]), "ce que l'aide finance");
        refused(&|f| f[0]["purposes"] = serde_json::json!(["vacances"]), "objet « vacances » inconnu");
        refused(&|f| f[0]["departements"] = serde_json::json!(["75"]), "département « 75 » inconnu");
        let other = entries[1]["slug"].clone();
        refused(&|f| f[0]["excludes"] = serde_json::json!([other]), "qui doit l'exclure aussi");
        refused(&|f| f[0]["excludes"] = serde_json::json!(["nulle-part"]), "qui n'est pas une autre aide");
    }
}
