//! Reading CSV records and GeoJSON features with errors that name the file, the line and the
//! reason, in French.

use std::collections::HashMap;
use std::path::Path;

/// One refused line of one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reject {
    pub file: String,
    /// 1-based line in the file (0 when the file cannot be opened).
    pub line: u64,
    pub reason: String,
}

const SHOWN: usize = 20;

pub fn describe(rejects: &[Reject]) -> String {
    let mut out = format!("import refusé : {} erreur(s), rien n'a été importé.", rejects.len());
    for r in rejects.iter().take(SHOWN) {
        // Line 0 stands for the file as a whole (missing, unreadable).
        match r.line {
            0 => out.push_str(&format!("\n  {} : {}", r.file, r.reason)),
            line => out.push_str(&format!("\n  {}, ligne {line} : {}", r.file, r.reason)),
        }
    }
    if rejects.len() > SHOWN {
        out.push_str(&format!("\n  … et {} autre(s)", rejects.len() - SHOWN));
    }
    out
}

/// Collects rejects while files are read.
#[derive(Debug, Default)]
pub struct Rejects(pub Vec<Reject>);

impl Rejects {
    pub fn add(&mut self, file: &str, line: u64, reason: impl Into<String>) {
        self.0.push(Reject { file: file.to_owned(), line, reason: reason.into() });
    }
}

/// A CSV record with access by column name.
pub struct Record<'a> {
    columns: &'a HashMap<String, usize>,
    record: csv::StringRecord,
    pub line: u64,
}

impl Record<'_> {
    fn raw(&self, name: &str) -> Result<&str, String> {
        let index = self.columns.get(name).ok_or_else(|| format!("colonne « {name} » absente"))?;
        Ok(self.record.get(*index).unwrap_or("").trim())
    }

    /// A field that may be empty.
    pub fn optional(&self, name: &str) -> Result<Option<String>, String> {
        let value = self.raw(name)?;
        Ok((!value.is_empty()).then(|| repaired(value)))
    }

    /// A field that must not be empty.
    pub fn text(&self, name: &str) -> Result<String, String> {
        self.optional(name)?.ok_or_else(|| format!("« {name} » est vide"))
    }

    pub fn int(&self, name: &str) -> Result<i64, String> {
        let value = self.text(name)?;
        value.parse().map_err(|_| format!("« {name} » = « {value} » n'est pas un nombre entier"))
    }

    pub fn real(&self, name: &str) -> Result<f64, String> {
        let value = self.text(name)?;
        match value.parse::<f64>() {
            Ok(x) if x.is_finite() => Ok(x),
            _ => Err(format!("« {name} » = « {value} » n'est pas un nombre")),
        }
    }

    /// A real number within bounds (coordinates, APL...).
    pub fn real_in(&self, name: &str, min: f64, max: f64) -> Result<f64, String> {
        let x = self.real(name)?;
        if (min..=max).contains(&x) {
            Ok(x)
        } else {
            Err(format!("« {name} » = {x} hors de l'intervalle attendu [{min} ; {max}]"))
        }
    }
}

/// Reads a whole CSV file; `parse` turns a record into a row or says why not. Missing columns
/// are reported once, on line 1.
pub fn read_csv<T>(
    dir: &Path,
    file: &str,
    required: &[&str],
    rejects: &mut Rejects,
    mut parse: impl FnMut(&Record) -> Result<T, String>,
) -> Vec<T> {
    let mut reader = match csv::ReaderBuilder::new().flexible(false).from_path(dir.join(file)) {
        Ok(reader) => reader,
        Err(error) => {
            rejects.add(file, 0, format!("fichier illisible : {error}"));
            return Vec::new();
        }
    };
    let columns: HashMap<String, usize> = match reader.headers() {
        Ok(headers) => headers.iter().enumerate().map(|(i, h)| (h.trim().to_owned(), i)).collect(),
        Err(error) => {
            rejects.add(file, 1, format!("en-tête illisible : {error}"));
            return Vec::new();
        }
    };
    let missing: Vec<_> = required.iter().filter(|c| !columns.contains_key(**c)).collect();
    if !missing.is_empty() {
        let names = missing.iter().map(|c| format!("« {c} »")).collect::<Vec<_>>().join(", ");
        rejects.add(file, 1, format!("colonne(s) absente(s) de l'en-tête : {names}"));
        return Vec::new();
    }
    let mut rows = Vec::new();
    for result in reader.records() {
        match result {
            Ok(record) => {
                let line = record.position().map(|p| p.line()).unwrap_or(0);
                let record = Record { columns: &columns, record, line };
                match parse(&record) {
                    Ok(row) => rows.push(row),
                    Err(reason) => rejects.add(file, line, reason),
                }
            }
            Err(error) => {
                let line = error.position().map(|p| p.line()).unwrap_or(0);
                let reason = match error.kind() {
                    csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
                        format!("{len} champs au lieu de {expected_len}")
                    }
                    csv::ErrorKind::Utf8 { .. } => "texte qui n'est pas de l'UTF-8".to_owned(),
                    _ => error.to_string(),
                };
                rejects.add(file, line, reason);
            }
        }
    }
    rows
}

/// One feature of a GeoJSON FeatureCollection: its properties and its geometry as JSON text.
pub struct Feature {
    /// 1-based position in the collection.
    pub position: u64,
    pub properties: serde_json::Map<String, serde_json::Value>,
    pub geometry: String,
}

impl Feature {
    pub fn text(&self, name: &str) -> Result<String, String> {
        match self.properties.get(name) {
            Some(serde_json::Value::String(s)) if !s.trim().is_empty() => Ok(s.trim().to_owned()),
            Some(serde_json::Value::Number(n)) => Ok(n.to_string()),
            _ => Err(format!("propriété « {name} » absente ou vide")),
        }
    }

    pub fn int(&self, name: &str) -> Result<i64, String> {
        self.properties
            .get(name)
            .and_then(serde_json::Value::as_i64)
            .ok_or_else(|| format!("propriété « {name} » absente ou non entière"))
    }
}

/// The line where each feature starts, when the file has one feature per line (as ours do);
/// otherwise None, and features are located by their position.
fn feature_lines(text: &str, count: usize) -> Option<Vec<u64>> {
    let lines: Vec<u64> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.trim_start().starts_with('{') && l.contains("\"Feature\""))
        .map(|(i, _)| i as u64 + 1)
        .collect();
    (lines.len() == count).then_some(lines)
}

/// Reads a FeatureCollection of (multi)polygons.
pub fn read_geojson(dir: &Path, file: &str, rejects: &mut Rejects) -> Vec<Feature> {
    let text = match std::fs::read_to_string(dir.join(file)) {
        Ok(text) => text,
        Err(error) => {
            rejects.add(file, 0, format!("fichier illisible : {error}"));
            return Vec::new();
        }
    };
    let root: serde_json::Value = match serde_json::from_str(&text) {
        Ok(root) => root,
        Err(error) => {
            rejects.add(file, error.line() as u64, format!("JSON invalide : {error}"));
            return Vec::new();
        }
    };
    let Some(features) = root.get("features").and_then(|f| f.as_array()) else {
        rejects.add(file, 1, "pas de tableau « features » : ce n'est pas une FeatureCollection");
        return Vec::new();
    };
    let lines = feature_lines(&text, features.len());
    let mut out = Vec::with_capacity(features.len());
    for (i, feature) in features.iter().enumerate() {
        let position = i as u64 + 1;
        let line = lines.as_ref().map_or(position, |lines| lines[i]);
        let properties = feature.get("properties").and_then(|p| p.as_object()).cloned();
        let geometry = feature.get("geometry").filter(|g| {
            matches!(g.get("type").and_then(|t| t.as_str()), Some("Polygon" | "MultiPolygon"))
                && g.get("coordinates").is_some_and(|c| c.is_array())
        });
        match (properties, geometry) {
            (Some(properties), Some(geometry)) => {
                out.push(Feature { position, properties, geometry: geometry.to_string() })
            }
            _ => rejects.add(
                file,
                line,
                format!("entité n°{position} : propriétés ou géométrie (Polygon, MultiPolygon) manquantes"),
            ),
        }
    }
    out
}

/// Windows-1252's characters for the C1 control codes U+0080 to U+009F, in order; '\0' where
/// Windows-1252 has none.
const WINDOWS_1252_C1: &str = "€\0‚ƒ„…†‡ˆ‰Š‹Œ\0Ž\0\0‘’“”•–—˜™š›œ\0žŸ";

/// Text as its source meant it. Some files were decoded from Windows-1252 as if it were
/// ISO-8859-1, which leaves C1 control codes where Windows-1252 has punctuation (FINESS writes
/// « MSP DU CHEMIN-BAS D\u{92}AVIGNON »): never text, and forbidden in HTML. Each becomes its
/// Windows-1252 character; the five codes it leaves undefined are dropped.
fn repaired(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c {
            '\u{80}'..='\u{9f}' => WINDOWS_1252_C1.chars().nth(c as usize - 0x80).filter(|c| *c != '\0'),
            c => Some(c),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::repaired;

    #[test]
    fn c1_control_codes_become_their_windows_1252_characters() {
        assert_eq!(repaired("MSP DU CHEMIN-BAS D\u{92}AVIGNON"), "MSP DU CHEMIN-BAS D’AVIGNON");
        assert_eq!(repaired("\u{93}oui\u{94} \u{96} \u{80}\u{81}"), "“oui” – €");
        assert_eq!(repaired("Saint-Affrique, « Rodez » 12 €"), "Saint-Affrique, « Rodez » 12 €");
    }
}
