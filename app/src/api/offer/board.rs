//! The board's filters, as they live in the address (`/offres?type=remplacement&dep=12&…`), and
//! what the board shows. Unreadable filter values are dropped with a French note rather than
//! failing the page: a shared link with one stale value still lists offers.

use super::choices::{OfferKind, Specialty};
use super::dto::OfferCard;
use crate::model::{Bounds, Day, DepartementCode, InseeCode, Zonage};
use serde::{Deserialize, Serialize};

/// Offers per page.
pub const PER_PAGE: usize = 20;
/// The radius around a commune when the address does not say, in km.
pub const DEFAULT_RADIUS_KM: u32 = 30;
/// The largest radius, in km (the width of Occitanie).
pub const MAX_RADIUS_KM: u32 = 300;
/// The longest text searched, in characters.
pub const MAX_TEXT: usize = 200;

/// The board's filters; the names are those of the address.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardQuery {
    /// Words to look for (`q`): in titles, descriptions, places and organisations, forgiving
    /// typos and accents.
    pub text: Option<String>,
    pub kind: Option<OfferKind>,
    pub specialty: Option<Specialty>,
    pub departement: Option<DepartementCode>,
    pub zonage: Option<Zonage>,
    /// Offers around this commune, within `radius_km`.
    pub around: Option<InseeCode>,
    pub radius_km: Option<u32>,
    /// Offers inside this area (`zone=ouest,sud,est,nord`): what the map showed when the
    /// visitor asked to search there.
    pub zone: Option<Bounds>,
    /// Offers whose dates meet the period from `from` to `to`.
    pub from: Option<Day>,
    pub to: Option<Day>,
    /// Housing provided or help to find some.
    pub housing: bool,
    /// Best fit to the visitor's wishes first (`tri=pertinence`), rather than newest first.
    pub by_fit: bool,
    /// 1-based.
    pub page: usize,
}

impl BoardQuery {
    /// Reads the filters from the address' parameters, with a French note for each value
    /// that could not be read (and is left out).
    pub fn read(get: impl Fn(&str) -> Option<String>) -> (Self, Vec<String>) {
        let mut notes = Vec::new();
        let value = |name: &str| get(name).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
        let mut note = |text: String| notes.push(text);
        // Long enough for any real search, short enough to stay a search.
        let text = value("q").map(|q| q.chars().take(MAX_TEXT).collect::<String>());
        let kind = value("type").and_then(|v| {
            let kind = OfferKind::from_code(&v);
            if kind.is_none() {
                note(format!("Type d'offre « {v} » inconnu : ce filtre est ignoré."));
            }
            kind
        });
        let specialty = value("specialite").and_then(|v| {
            let specialty = Specialty::from_code(&v);
            if specialty.is_none() {
                note(format!("Spécialité « {v} » inconnue : ce filtre est ignoré."));
            }
            specialty
        });
        let departement = value("dep").and_then(|v| match DepartementCode::parse(&v) {
            Ok(code) => Some(code),
            Err(_) => {
                note(format!("« {v} » n'est pas un numéro de département : ce filtre est ignoré."));
                None
            }
        });
        let zonage = value("zonage").and_then(|v| {
            let zonage = Zonage::from_code(&v.to_uppercase());
            if zonage.is_none() {
                note(format!("Zonage « {v} » inconnu (ZIP, ZAC ou ZAR) : ce filtre est ignoré."));
            }
            zonage
        });
        let around = value("autour").and_then(|v| match InseeCode::parse(&v) {
            Ok(code) => Some(code),
            Err(_) => {
                note(format!("« {v} » n'est pas un code INSEE de commune : le filtre de distance est ignoré."));
                None
            }
        });
        let radius_km = value("rayon").and_then(|v| match v.trim_end_matches("km").trim().parse::<u32>() {
            Ok(km) if (1..=MAX_RADIUS_KM).contains(&km) => Some(km),
            _ => {
                note(format!(
                    "Rayon « {v} » illisible : {DEFAULT_RADIUS_KM} km sont retenus (de 1 à {MAX_RADIUS_KM} km)."
                ));
                None
            }
        });
        let zone = value("zone").and_then(|v| match Bounds::parse(&v) {
            Ok(zone) => Some(zone),
            Err(error) => {
                note(format!("Zone « {v} » illisible ({error}) : ce filtre est ignoré."));
                None
            }
        });
        let mut day = |name: &str, label: &str| {
            value(name).and_then(|v| match Day::parse(&v) {
                Ok(day) => Some(day),
                Err(_) => {
                    note(format!("La date {label} « {v} » n'est pas une date (AAAA-MM-JJ) : elle est ignorée."));
                    None
                }
            })
        };
        let from = day("du", "de début");
        let to = day("au", "de fin");
        let housing = matches!(value("logement").as_deref(), Some("oui"));
        let by_fit = matches!(value("tri").as_deref(), Some("pertinence"));
        let page = value("page").and_then(|v| v.parse::<usize>().ok()).filter(|p| *p >= 1).unwrap_or(1);
        (
            Self {
                text,
                kind,
                specialty,
                departement,
                zonage,
                around,
                radius_km,
                zone,
                from,
                to,
                housing,
                by_fit,
                page,
            },
            notes,
        )
    }

    /// The radius to use around `around`.
    pub fn radius(&self) -> u32 {
        self.radius_km.unwrap_or(DEFAULT_RADIUS_KM)
    }

    /// The address' parameters of these filters, in a stable order, page last (and left out
    /// when it is the first).
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        if let Some(text) = &self.text {
            pairs.push(("q", text.clone()));
        }
        if let Some(kind) = self.kind {
            pairs.push(("type", kind.code().to_owned()));
        }
        if let Some(specialty) = self.specialty {
            pairs.push(("specialite", specialty.code().to_owned()));
        }
        if let Some(departement) = &self.departement {
            pairs.push(("dep", departement.as_str().to_owned()));
        }
        if let Some(zonage) = self.zonage {
            pairs.push(("zonage", zonage.code().to_owned()));
        }
        if let Some(around) = &self.around {
            pairs.push(("autour", around.to_string()));
            if let Some(km) = self.radius_km {
                pairs.push(("rayon", km.to_string()));
            }
        }
        if let Some(zone) = self.zone {
            pairs.push(("zone", zone.to_string()));
        }
        if let Some(from) = self.from {
            pairs.push(("du", from.to_string()));
        }
        if let Some(to) = self.to {
            pairs.push(("au", to.to_string()));
        }
        if self.housing {
            pairs.push(("logement", "oui".to_owned()));
        }
        if self.by_fit {
            pairs.push(("tri", "pertinence".to_owned()));
        }
        if self.page > 1 {
            pairs.push(("page", self.page.to_string()));
        }
        pairs
    }

    /// The address' query string of these filters on the first page, without `?` (what alerts
    /// save and what the map's offers follow).
    pub fn query_string(&self) -> String {
        self.href(1).split_once('?').map(|(_, q)| q.to_owned()).unwrap_or_default()
    }

    /// `/offres?…` of these filters at `page`.
    pub fn href(&self, page: usize) -> String {
        let query = Self { page, ..self.clone() }
            .pairs()
            .into_iter()
            .map(|(k, v)| format!("{k}={}", crate::components::encode_query_value(&v)))
            .collect::<Vec<_>>()
            .join("&");
        if query.is_empty() { super::paths::BOARD.to_owned() } else { format!("{}?{query}", super::paths::BOARD) }
    }
}

/// One offer of the board, with its distance when the board is around a commune.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BoardEntry {
    pub card: OfferCard,
    pub distance_km: Option<f64>,
    /// How the offer fits the visitor's wishes, when they said what they look for.
    pub fit: Option<crate::api::candidate::Match>,
    /// With words searched: the title cut into pieces, `true` where a word matched.
    pub title_marks: Vec<(String, bool)>,
    /// With words searched: a few words of the description around the first match.
    pub snippet: Vec<(String, bool)>,
}

/// How many matching offers have each value of a filter (over every page).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardFacets {
    /// (code, offers), most frequent first; values without offers are left out.
    pub kind: Vec<(String, usize)>,
    pub specialty: Vec<(String, usize)>,
    pub departement: Vec<(String, usize)>,
    pub zonage: Vec<(String, usize)>,
    /// Offers with housing provided or help to find some.
    pub housing: usize,
}

impl BoardFacets {
    /// The count of `code` in `counts` (0 when absent).
    pub fn of(counts: &[(String, usize)], code: &str) -> usize {
        counts.iter().find(|(c, _)| c == code).map_or(0, |(_, n)| *n)
    }
}

/// A page of the board.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BoardPage {
    pub entries: Vec<BoardEntry>,
    /// Open offers matching the filters, on every page.
    pub total: usize,
    /// The page shown (the last one when the address asked for a page past the end).
    pub page: usize,
    pub pages: usize,
    /// The name of the commune of `autour`, when it is one of ours.
    pub around_name: Option<String>,
    /// What was left out of the filters, in French.
    pub notes: Vec<String>,
    /// The départements of the portal (code, name), for the filter.
    pub departements: Vec<(String, String)>,
    /// The matching offers per value of each filter.
    pub facets: BoardFacets,
    /// The portal's public origin, for the canonical link.
    pub site_url: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn read(pairs: &[(&str, &str)]) -> (BoardQuery, Vec<String>) {
        let map: HashMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        BoardQuery::read(|name| map.get(name).cloned())
    }

    #[test]
    fn filters_read_back_from_their_own_address() {
        let (query, notes) = read(&[
            ("q", "médecin généraliste"),
            ("type", "remplacement"),
            ("specialite", "medecine_generale"),
            ("dep", "12"),
            ("zonage", "zip"),
            ("autour", "12202"),
            ("rayon", "40"),
            ("zone", "1.5,43.2,3.1,44.9"),
            ("du", "2027-07-01"),
            ("au", "2027-08-31"),
            ("logement", "oui"),
            ("tri", "pertinence"),
            ("page", "2"),
        ]);
        assert!(notes.is_empty(), "{notes:?}");
        assert_eq!(query.zonage, Some(Zonage::Zip));
        assert_eq!(query.radius(), 40);
        let href = query.href(3);
        assert_eq!(
            href,
            "/offres?q=m%C3%A9decin%20g%C3%A9n%C3%A9raliste&type=remplacement&specialite=medecine_generale&dep=12&zonage=ZIP&autour=12202&rayon=40&zone=1.5000%2C43.2000%2C3.1000%2C44.9000&du=2027-07-01&au=2027-08-31&logement=oui&tri=pertinence&page=3"
        );
        let pairs: Vec<(String, String)> = query.pairs().into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
        let map: HashMap<String, String> = pairs.into_iter().collect();
        assert_eq!(BoardQuery::read(|name| map.get(name).cloned()).0, query);
        assert_eq!(BoardQuery::default().href(1), "/offres");
    }

    #[test]
    fn unreadable_values_are_dropped_with_a_note() {
        let (query, notes) = read(&[
            ("type", "cdi"),
            ("dep", "1"),
            ("autour", "12000x"),
            ("rayon", "-3"),
            ("du", "demain"),
            ("zone", "3,44,2,45"),
            ("page", "0"),
        ]);
        assert_eq!(query, BoardQuery { page: 1, ..BoardQuery::default() });
        assert_eq!(notes.len(), 6, "{notes:?}");
        assert!(notes[0].contains("cdi"));
    }
}
