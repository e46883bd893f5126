//! The board's filters, as they live in the address (`/offres?type=remplacement&dep=12&…`), and
//! what the board shows. Unreadable filter values are dropped with a French note rather than
//! failing the page: a shared link with one stale value still lists offers.
//!
//! Types, départements and housing take several values, as the filters' checkboxes send them
//! (`type=installation&type=remplacement`) or as a list (`type=installation,remplacement`, what
//! the open API documents): an offer matches when it has any of them.

use super::choices::{Housing, OfferKind, Specialty, StationNear};
use super::dto::OfferCard;
use crate::model::{Around, Bounds, Day, DepartementCode, InseeCode, PlaceName, Zonage};
use serde::{Deserialize, Serialize};

/// Offers per page.
pub const PER_PAGE: usize = 20;
/// The radius around a commune when the address does not say, in km.
pub const DEFAULT_RADIUS_KM: u32 = 30;
/// The largest radius, in km (the width of Occitanie).
pub const MAX_RADIUS_KM: u32 = 300;
/// The longest text searched, in characters.
pub const MAX_TEXT: usize = 200;

choices! {
    /// The board's orders (`tri`). Without one, the board picks: best fit for a visitor who
    /// said what they look for, nearest first around a commune, best match with words, newest
    /// first otherwise (`BoardPage::order`).
    BoardOrder {
        Fit = "pertinence" => "Celles qui me correspondent le mieux",
        Nearest = "distance" => "Les plus proches d'abord",
        Words = "mots" => "Les plus proches des mots cherchés",
        Newest = "recentes" => "Les plus récentes d'abord",
    }
}

choices! {
    /// What the housing filter asks (`logement`): an offer matches any of the choices ticked.
    /// Interns' housing counts for stage offers only (it is published for interns), when one
    /// is open within [`INTERNS_HOUSING_KM`] of the offer's commune (`housing::Radius`'s default,
    /// the distance a stage offer's page lists first). `logement=oui`, before the first two
    /// were told apart, means either of them.
    HousingWanted {
        Provided = "fourni" => "Logement fourni",
        Help = "aide" => "Aide à la recherche d'un logement",
        Interns = "internes" => "Logement pour internes à moins de 20 km",
    }
}

/// The distance within which interns' housing counts for a stage offer, in km (written out in
/// [`HousingWanted::Interns`]'s label).
pub const INTERNS_HOUSING_KM: u32 = crate::domain::housing::DEFAULT_RADIUS;

/// The value of an offer in the index's housing facet: its own housing's code, followed by
/// `+internes` when interns' housing counts for it. One value per offer, so that each choice
/// of the filter is a set of values (`HousingWanted::facet_values`) and choices add up.
pub fn housing_facet(housing: Housing, interns_nearby: bool) -> String {
    if interns_nearby { format!("{}+internes", housing.code()) } else { housing.code().to_owned() }
}

impl HousingWanted {
    /// The facet values of the offers this choice matches.
    pub fn facet_values(self) -> Vec<String> {
        match self {
            HousingWanted::Provided => [false, true].map(|near| housing_facet(Housing::Oui, near)).to_vec(),
            HousingWanted::Help => [false, true].map(|near| housing_facet(Housing::Aide, near)).to_vec(),
            HousingWanted::Interns => Housing::ALL.iter().map(|h| housing_facet(*h, true)).collect(),
        }
    }

    /// The offers this choice matches, from the count of each facet value.
    pub fn count(self, facet_counts: &[(String, usize)]) -> usize {
        let values = self.facet_values();
        facet_counts.iter().filter(|(value, _)| values.contains(value)).map(|(_, n)| n).sum()
    }

    /// In a sentence: "logement fourni", "aide au logement".
    pub fn words(self) -> &'static str {
        match self {
            HousingWanted::Provided => "logement fourni",
            HousingWanted::Help => "aide au logement",
            HousingWanted::Interns => "logement pour internes à moins de 20 km",
        }
    }
}

/// The board's filters; the names are those of the address.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardQuery {
    /// Words to look for (`q`): in titles, descriptions, places and organisations, forgiving
    /// typos and accents.
    pub text: Option<String>,
    /// Any of these kinds (`type`); none means every kind. In `OfferKind::ALL`'s order.
    pub kinds: Vec<OfferKind>,
    pub specialty: Option<Specialty>,
    /// In any of these départements (`dep`), in code order.
    pub departements: Vec<DepartementCode>,
    pub zonage: Option<Zonage>,
    /// Offers around this commune, within `radius_km`: by its code (`commune=12145`, the
    /// portal's own links) or as a person named it (`autour=Millau`, `autour=12100`).
    pub around: Option<Around>,
    pub radius_km: Option<u32>,
    /// Offers inside this area (`zone=ouest,sud,est,nord`): what the map showed when the
    /// visitor asked to search there.
    pub zone: Option<Bounds>,
    /// Offers whose dates meet the period from `from` to `to`.
    pub from: Option<Day>,
    pub to: Option<Day>,
    /// Offers with any of these (`logement`): housing provided, help to find one, interns'
    /// housing nearby. In `HousingWanted::ALL`'s order.
    pub housing: Vec<HousingWanted>,
    /// Only offers practised in a team (`equipe=oui`): a maison de santé, a centre, a hospital,
    /// a group practice, or several doctors by the offer's own count.
    pub team: bool,
    /// Only offers whose commune is near a passenger station (`gare`).
    pub station: Option<StationNear>,
    /// The order asked for (`tri`); None lets the board choose.
    pub order: Option<BoardOrder>,
    /// 1-based.
    pub page: usize,
}

impl BoardQuery {
    /// Reads the filters from the address' parameters (`get_all` gives every value of a
    /// name), with a French note for each value that could not be read (and is left out).
    pub fn read(get_all: impl Fn(&str) -> Vec<String>) -> (Self, Vec<String>) {
        let mut notes = Vec::new();
        let value = |name: &str| get_all(name).into_iter().map(|v| v.trim().to_owned()).find(|v| !v.is_empty());
        // Every value of a repeated parameter, each possibly a comma-separated list.
        let values = |name: &str| {
            get_all(name)
                .iter()
                .flat_map(|v| v.split(','))
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
                .collect::<Vec<_>>()
        };
        let mut note = |text: String| notes.push(text);
        // Long enough for any real search, short enough to stay a search.
        let text = value("q").map(|q| q.chars().take(MAX_TEXT).collect::<String>());
        let mut kinds = Vec::new();
        for v in values("type") {
            match OfferKind::from_code(&v) {
                Some(kind) => kinds.push(kind),
                None => note(format!("Type d'offre « {v} » inconnu : ce choix est ignoré.")),
            }
        }
        let specialty = value("specialite").and_then(|v| {
            let specialty = Specialty::from_code(&v);
            if specialty.is_none() {
                note(format!("Spécialité « {v} » inconnue : ce filtre est ignoré."));
            }
            specialty
        });
        let mut departements = Vec::new();
        for v in values("dep") {
            match DepartementCode::parse(&v) {
                Ok(code) => departements.push(code),
                Err(_) => note(format!("« {v} » n'est pas un numéro de département : ce choix est ignoré.")),
            }
        }
        let zonage = value("zonage").and_then(|v| {
            let zonage = Zonage::from_code(&v.to_uppercase());
            if zonage.is_none() {
                note(format!("Zonage « {v} » inconnu (ZIP, ZAC ou ZAR) : ce filtre est ignoré."));
            }
            zonage
        });
        let around = match (value("commune"), value("autour")) {
            (Some(code), _) => match InseeCode::parse(&code) {
                Ok(code) => Some(Around::Code(code)),
                Err(_) => {
                    note(format!("« {code} » n'est pas un code de commune : le filtre de distance est ignoré."));
                    None
                }
            },
            (None, Some(typed)) => match PlaceName::parse(&typed) {
                Some(place) => Some(Around::Named(place)),
                None => {
                    note(format!(
                        "« {typed} » ne nomme pas une commune (son nom ou son code postal) : le filtre de distance est ignoré."
                    ));
                    None
                }
            },
            (None, None) => None,
        };
        let radius_km = value("rayon").and_then(|v| match v.trim_end_matches("km").trim().parse::<u32>() {
            Ok(km) if (1..=MAX_RADIUS_KM).contains(&km) => Some(km),
            _ => {
                note(format!(
                    "Rayon « {v} » illisible : {DEFAULT_RADIUS_KM} km sont retenus (de 1 à {MAX_RADIUS_KM} km)."
                ));
                None
            }
        });
        let zone = value("zone").and_then(|v| match Bounds::parse(&v) {
            Ok(zone) => Some(zone),
            Err(error) => {
                note(format!("Zone « {v} » illisible ({error}) : ce filtre est ignoré."));
                None
            }
        });
        let mut day = |name: &str, label: &str| {
            value(name).and_then(|v| match Day::parse(&v) {
                Ok(day) => Some(day),
                Err(_) => {
                    note(format!("La date {label} « {v} » n'est pas une date (AAAA-MM-JJ) : elle est ignorée."));
                    None
                }
            })
        };
        let from = day("du", "de début");
        let to = day("au", "de fin");
        let mut housing = Vec::new();
        for v in values("logement") {
            match (HousingWanted::from_code(&v), v.as_str()) {
                (Some(wanted), _) => housing.push(wanted),
                (None, "oui") => housing.extend([HousingWanted::Provided, HousingWanted::Help]),
                // "No condition", as the open API's first version wrote it.
                (None, "non") => {}
                (None, _) => {
                    note(format!("Logement « {v} » inconnu (fourni, aide ou internes) : ce choix est ignoré."))
                }
            }
        }
        let team = match value("equipe").as_deref() {
            None => false,
            Some("oui") => true,
            Some(v) => {
                note(format!("Exercice en équipe « {v} » illisible (oui) : ce filtre est ignoré."));
                false
            }
        };
        let station = value("gare").and_then(|v| {
            let station = StationNear::from_code(&v);
            if station.is_none() {
                note(format!(
                    "Distance à une gare « {v} » inconnue (5, 10 ou 20 ; 10-ab, 20-ab, 30-ab ou 50-ab pour une gare \
                     nationale ou régionale) : ce filtre est ignoré."
                ));
            }
            station
        });
        let order = value("tri").and_then(|v| {
            let order = BoardOrder::from_code(&v);
            if order.is_none() {
                note(format!("Ordre « {v} » inconnu : le tableau choisit le sien."));
            }
            order
        });
        let page = value("page").and_then(|v| v.parse::<usize>().ok()).filter(|p| *p >= 1).unwrap_or(1);
        let query = Self {
            text,
            kinds,
            specialty,
            departements,
            zonage,
            around,
            radius_km,
            zone,
            from,
            to,
            housing,
            team,
            station,
            order,
            page,
        };
        (query.normalised(), notes)
    }

    /// Reads the filters from an address' pairs (a query string decoded).
    pub fn from_pairs(pairs: &[(String, String)]) -> (Self, Vec<String>) {
        Self::read(|name| pairs.iter().filter(|(k, _)| k == name).map(|(_, v)| v.clone()).collect())
    }

    /// The choices of each several-valued filter once, in a fixed order: one search, one address.
    fn normalised(mut self) -> Self {
        let rank = |all: &[OfferKind], kind: &OfferKind| all.iter().position(|k| k == kind);
        self.kinds.sort_by_key(|kind| rank(OfferKind::ALL, kind));
        self.kinds.dedup();
        self.departements.sort_by(|a, b| a.as_str().cmp(b.as_str()));
        self.departements.dedup();
        self.housing.sort_by_key(|h| HousingWanted::ALL.iter().position(|x| x == h));
        self.housing.dedup();
        self
    }

    /// The radius to use around `around`.
    pub fn radius(&self) -> u32 {
        self.radius_km.unwrap_or(DEFAULT_RADIUS_KM)
    }

    /// The kinds chosen, in words: "installation libérale ou remplacement" (None: every kind).
    pub fn kinds_words(&self) -> Option<String> {
        let labels: Vec<String> = self.kinds.iter().map(|k| k.label().to_lowercase()).collect();
        (!labels.is_empty()).then(|| labels.join(" ou "))
    }

    /// The départements chosen, in words: "Aveyron", "Aveyron ou Lozère", from `names`
    /// (code, name).
    pub fn departements_words(&self, names: &[(String, String)]) -> Option<String> {
        let named: Vec<String> =
            self.departements.iter().map(|code| crate::domain::territory::departement_in_words(code, names)).collect();
        (!named.is_empty()).then(|| named.join(" ou "))
    }

    /// Whether `kind` is one of the kinds chosen.
    pub fn has_kind(&self, kind: OfferKind) -> bool {
        self.kinds.contains(&kind)
    }

    /// Whether the département `code` is one of those chosen.
    pub fn has_departement(&self, code: &str) -> bool {
        self.departements.iter().any(|d| d.as_str() == code)
    }

    /// The address' parameters of these filters, in a stable order (a several-valued filter
    /// once per value, as the filters' form sends them), page last (and left out when it is
    /// the first).
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        if let Some(text) = &self.text {
            pairs.push(("q", text.clone()));
        }
        for kind in &self.kinds {
            pairs.push(("type", kind.code().to_owned()));
        }
        if let Some(specialty) = self.specialty {
            pairs.push(("specialite", specialty.code().to_owned()));
        }
        for departement in &self.departements {
            pairs.push(("dep", departement.as_str().to_owned()));
        }
        if let Some(zonage) = self.zonage {
            pairs.push(("zonage", zonage.code().to_owned()));
        }
        if let Some(around) = &self.around {
            pairs.push(match around {
                Around::Code(code) => ("commune", code.to_string()),
                Around::Named(place) => ("autour", place.to_string()),
            });
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
        for housing in &self.housing {
            pairs.push(("logement", housing.code().to_owned()));
        }
        if self.team {
            pairs.push(("equipe", "oui".to_owned()));
        }
        if let Some(station) = self.station {
            pairs.push(("gare", station.code().to_owned()));
        }
        if let Some(order) = self.order {
            pairs.push(("tri", order.code().to_owned()));
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
    pub fit: Option<crate::domain::candidates::Match>,
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
    /// By housing filter code (`HousingWanted`: fourni, aide, internes).
    pub housing: Vec<(String, usize)>,
    /// Offers practised in a team.
    pub team: usize,
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
    /// The commune searched around, when it is one of ours: its name, with its département
    /// when another commune of the region has the same (`place_label`).
    pub around_name: Option<String>,
    /// What was left out of the filters, in French.
    pub notes: Vec<String>,
    /// The départements of the portal (code, name), for the filter.
    pub departements: Vec<(String, String)>,
    /// The matching offers per value of each filter. For a several-valued filter (types,
    /// départements, housing), the counts are those of the other filters alone: what ticking
    /// one more box would add.
    pub facets: BoardFacets,
    /// The order the page is in.
    pub order: BoardOrder,
    /// The order without `tri`: what the board would choose for this visitor and filters.
    pub default_order: BoardOrder,
    /// The portal's public origin, for the canonical link.
    pub site_url: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(pairs: &[(&str, &str)]) -> (BoardQuery, Vec<String>) {
        let pairs: Vec<(String, String)> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        BoardQuery::from_pairs(&pairs)
    }

    #[test]
    fn filters_read_back_from_their_own_address() {
        let (query, notes) = read(&[
            ("q", "médecin généraliste"),
            ("type", "remplacement"),
            ("type", "installation"),
            ("specialite", "medecine_generale"),
            ("dep", "48"),
            ("dep", "12"),
            ("zonage", "zip"),
            ("commune", "12202"),
            ("rayon", "40"),
            ("zone", "1.5,43.2,3.1,44.9"),
            ("du", "2027-07-01"),
            ("au", "2027-08-31"),
            ("logement", "fourni"),
            ("equipe", "oui"),
            ("tri", "distance"),
            ("page", "2"),
        ]);
        assert!(notes.is_empty(), "{notes:?}");
        assert_eq!(query.zonage, Some(Zonage::Zip));
        assert_eq!(query.kinds, vec![OfferKind::Installation, OfferKind::Remplacement]);
        assert_eq!(query.housing, vec![HousingWanted::Provided]);
        assert_eq!(query.radius(), 40);
        let href = query.href(3);
        assert_eq!(
            href,
            "/offres?q=m%C3%A9decin%20g%C3%A9n%C3%A9raliste&type=installation&type=remplacement&specialite=medecine_generale&dep=12&dep=48&zonage=ZIP&commune=12202&rayon=40&zone=1.5000%2C43.2000%2C3.1000%2C44.9000&du=2027-07-01&au=2027-08-31&logement=fourni&equipe=oui&tri=distance&page=3"
        );
        let pairs: Vec<(String, String)> = query.pairs().into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
        assert_eq!(BoardQuery::from_pairs(&pairs).0, query);
        assert_eq!(BoardQuery::default().href(1), "/offres");
    }

    #[test]
    fn a_commune_is_named_as_people_name_it_or_by_the_portals_own_code() {
        let (query, notes) = read(&[("autour", " Millau "), ("rayon", "30")]);
        assert!(notes.is_empty(), "{notes:?}");
        assert_eq!(query.around, Some(Around::Named(PlaceName::parse("Millau").unwrap())));
        assert_eq!(query.href(1), "/offres?autour=Millau&rayon=30");
        // The code wins when a link has both: it is the portal's own.
        let (query, _) = read(&[("autour", "Millau"), ("commune", "12145")]);
        assert_eq!(query.around, Some(Around::Code(InseeCode::parse("12145").unwrap())));
        let (query, notes) = read(&[("autour", "--")]);
        assert_eq!((query.around, notes.len()), (None, 1));
    }

    #[test]
    fn lists_repeats_and_the_old_housing_value_read_as_one_search() {
        let (listed, notes) = read(&[("type", "remplacement,stage"), ("dep", "12, 48"), ("logement", "oui")]);
        assert!(notes.is_empty(), "{notes:?}");
        let (repeated, _) = read(&[
            ("type", "stage"),
            ("type", "remplacement"),
            ("type", "stage"),
            ("dep", "48"),
            ("dep", "12"),
            ("logement", "aide"),
            ("logement", "fourni"),
        ]);
        assert_eq!(listed, repeated);
        assert_eq!(listed.housing, vec![HousingWanted::Provided, HousingWanted::Help]);
        assert_eq!(listed.query_string(), "type=remplacement&type=stage&dep=12&dep=48&logement=fourni&logement=aide");
    }

    #[test]
    fn unreadable_values_are_dropped_with_a_note() {
        let (query, notes) = read(&[
            ("type", "cdi"),
            ("dep", "1"),
            ("commune", "12000x"),
            ("rayon", "-3"),
            ("du", "demain"),
            ("zone", "3,44,2,45"),
            ("logement", "sans"),
            ("equipe", "peut-être"),
            ("tri", "hasard"),
            ("page", "0"),
        ]);
        assert_eq!(query, BoardQuery { page: 1, ..BoardQuery::default() });
        assert_eq!(notes.len(), 9, "{notes:?}");
        assert!(notes[0].contains("cdi"));
        // One bad value among good ones leaves the good ones.
        let (query, notes) = read(&[("type", "remplacement,cdi")]);
        assert_eq!((query.kinds, notes.len()), (vec![OfferKind::Remplacement], 1));
    }

    #[test]
    fn each_housing_choice_is_a_set_of_facet_values_and_choices_add_up() {
        let (query, notes) = read(&[("logement", "internes,aide")]);
        assert!(notes.is_empty(), "{notes:?}");
        assert_eq!(query.housing, vec![HousingWanted::Help, HousingWanted::Interns]);
        assert_eq!(query.query_string(), "logement=aide&logement=internes");
        assert_eq!(housing_facet(Housing::Aide, false), "aide");
        assert_eq!(housing_facet(Housing::Non, true), "non+internes");
        // A stage offer that helps and has interns' housing nearby is found by either choice.
        let both = housing_facet(Housing::Aide, true);
        assert!(HousingWanted::Help.facet_values().contains(&both));
        assert!(HousingWanted::Interns.facet_values().contains(&both));
        assert!(!HousingWanted::Provided.facet_values().contains(&both));
        let counts = vec![("aide+internes".to_owned(), 2), ("non+internes".to_owned(), 3), ("oui".to_owned(), 5)];
        assert_eq!(
            HousingWanted::ALL.iter().map(|w| w.count(&counts)).collect::<Vec<_>>(),
            vec![5, 2, 5],
            "fourni, aide, internes"
        );
        // The distance the label and the words give is the one the index uses.
        let km = format!("à moins de {INTERNS_HOUSING_KM} km");
        assert!(HousingWanted::Interns.label().ends_with(&km) && HousingWanted::Interns.words().ends_with(&km));
    }
}
