//! The reference page's content (`/api`), read from the OpenAPI document as JSON: the page shows
//! what the document says, so they cannot disagree.

use app::domain::open_data::{ApiGroup, ApiOperation, ApiParameter, ApiReference, OpenDataService};
use serde_json::Value;

/// The reference, made once from the document.
#[derive(Debug, Clone)]
pub struct Reference(ApiReference);

impl Reference {
    pub fn new(public_url: &str) -> Self {
        let document = serde_json::to_value(super::openapi(public_url)).unwrap_or(Value::Null);
        Self(reference(&document, public_url))
    }
}

impl OpenDataService for Reference {
    fn reference(&self) -> ApiReference {
        self.0.clone()
    }
}

fn text(value: &Value) -> String {
    value.as_str().unwrap_or_default().to_owned()
}

fn reference(doc: &Value, public_url: &str) -> ApiReference {
    let info = &doc["info"];
    let tags = doc["tags"].as_array().cloned().unwrap_or_default();
    let mut groups: Vec<ApiGroup> = tags
        .iter()
        .map(|t| ApiGroup { tag: text(&t["name"]), description: text(&t["description"]), operations: Vec::new() })
        .collect();
    // In the order of the handlers' list, which `paths` (a map) does not keep: lists before items.
    let mut paths: Vec<(&String, &Value)> = doc["paths"].as_object().map(|m| m.iter().collect()).unwrap_or_default();
    paths.sort_by_key(|(path, _)| (path.matches('/').count(), (*path).clone()));
    for (path, item) in paths {
        let Some(op) = item.get("get") else { continue };
        let tag = op["tags"][0].as_str().unwrap_or_default();
        let operation = ApiOperation {
            method: "GET".to_owned(),
            path: path.clone(),
            summary: [text(&op["summary"]), text(&op["description"])]
                .into_iter()
                .filter(|t| !t.is_empty())
                .collect::<Vec<_>>()
                .join(" "),
            parameters: op["parameters"].as_array().map(|ps| ps.iter().map(parameter).collect()).unwrap_or_default(),
            responses: op["responses"]
                .as_object()
                .map(|rs| rs.iter().map(|(status, r)| (status.clone(), text(&r["description"]))).collect())
                .unwrap_or_default(),
            answer: answer(&op["responses"]["200"]["content"]["application/json"]["schema"]),
        };
        match groups.iter_mut().find(|g| g.tag == tag) {
            Some(group) => group.operations.push(operation),
            None => {
                groups.push(ApiGroup { tag: tag.to_owned(), description: String::new(), operations: vec![operation] })
            }
        }
    }
    ApiReference {
        base_url: format!("{public_url}{}", super::BASE),
        document_url: format!("{public_url}{}/openapi.json", super::BASE),
        title: text(&info["title"]),
        description: text(&info["description"]),
        version: text(&doc["openapi"]),
        license: text(&info["license"]["name"]),
        groups,
    }
}

/// The schema of an answer in words: "Offre", or "une page de Offre".
fn answer(schema: &Value) -> String {
    let name = |reference: &Value| text(reference).rsplit('/').next().unwrap_or_default().to_owned();
    if schema.get("$ref").is_some() {
        let named = name(&schema["$ref"]);
        return match named.split_once('_') {
            Some(("Page", item)) => format!("une page d'éléments {item} (objet JSON)"),
            _ => format!("un objet {named} (JSON)"),
        };
    }
    match schema["properties"]["elements"]["items"].get("$ref") {
        Some(item) => format!("une page d'éléments {} (objet JSON)", name(item)),
        None => "un objet JSON".to_owned(),
    }
}

fn parameter(p: &Value) -> ApiParameter {
    let schema = &p["schema"];
    let accepts = if let Some(values) = schema["enum"].as_array() {
        let values: Vec<String> = values.iter().map(text).collect();
        format!("une de : {}", values.join(", "))
    } else if schema["format"] == "date" {
        "une date AAAA-MM-JJ".to_owned()
    } else if schema["type"] == "integer" {
        match (schema["minimum"].as_f64(), schema["maximum"].as_f64()) {
            (Some(min), Some(max)) => format!("un nombre entier de {min} à {max}"),
            _ => "un nombre entier".to_owned(),
        }
    } else if let Some(pattern) = schema["pattern"].as_str() {
        format!("texte de la forme {pattern}")
    } else if let Some(max) = schema["maxLength"].as_u64() {
        format!("texte de {max} caractères au plus")
    } else {
        "texte".to_owned()
    };
    let default = schema.get("default").filter(|d| !d.is_null()).map(|d| format!(" (par défaut : {d})"));
    ApiParameter {
        name: text(&p["name"]),
        location: if p["in"] == "path" { "chemin" } else { "requête" }.to_owned(),
        required: p["required"].as_bool().unwrap_or(false),
        accepts: format!("{accepts}{}", default.unwrap_or_default()),
        description: text(&p["description"]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_of_the_document_is_on_the_page() {
        let reference = Reference::new("https://medecins.example").0;
        let operations: Vec<&ApiOperation> = reference.groups.iter().flat_map(|g| &g.operations).collect();
        let document = serde_json::to_value(super::super::openapi("https://medecins.example")).unwrap();
        assert_eq!(operations.len(), document["paths"].as_object().unwrap().len());
        let offers = operations.iter().find(|o| o.path == "/api/v1/offres").unwrap();
        let kind = offers.parameters.iter().find(|p| p.name == "type").unwrap();
        assert!(kind.accepts.contains("remplacement"), "{kind:?}");
        assert!(offers.answer.contains("Offre"), "{}", offers.answer);
        assert!(offers.responses.iter().any(|(status, _)| status == "400"));
        assert_eq!(reference.base_url, "https://medecins.example/api/v1");
    }

    /// Client generators name a function after each operation: every operation has its own
    /// id (`openapi-spec-validator`, run by .ci/schemathesis, refuses the document otherwise).
    #[test]
    fn every_operation_has_an_id_of_its_own() {
        let document = serde_json::to_value(super::super::openapi("https://medecins.example")).unwrap();
        let mut ids: Vec<&str> = document["paths"]
            .as_object()
            .unwrap()
            .values()
            .flat_map(|path| path.as_object().unwrap().values())
            .map(|operation| operation["operationId"].as_str().expect("an operationId"))
            .collect();
        let count = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), count, "{ids:?}");
        assert!(ids.contains(&"listOffres") && ids.contains(&"getOffre"), "{ids:?}");
    }
}
