//! The map: the area it opens on, the list of what it shows (its text alternative, and the
//! page without JavaScript), and a commune's popup. Its layers are plain GeoJSON endpoints of
//! the server (`paths`), cached by the browser.

#[cfg(feature = "ssr")]
mod service;

#[cfg(feature = "ssr")]
pub use service::{MapService, provide_map_service};

use crate::domain::offers::BoardQuery;
use crate::domain::territory::{StationClass, StructureKind, TerritoryRef};
use crate::model::{Bounds, Zonage};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Most offers and structures the list names; it says how many more there are.
pub const LIST_LIMIT: usize = 20;

/// What a map is centred on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum MapFocus {
    /// The portal's region.
    Region,
    Departement(String),
    Epci(String),
    Commune(String),
}

/// Where a map opens, and the départements it can zoom to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MapFrame {
    pub bounds: Bounds,
    /// The commune to mark, when the map is centred on one.
    pub commune: Option<String>,
    pub departements: Vec<MapDepartement>,
    /// A picture of the opening area, shown until the live map is asked for (the region's:
    /// server/src/map/preview.rs).
    pub preview: Option<MapPreview>,
    /// What the opening area holds, when asked: the page renders it before any map moves.
    pub list: Option<MapList>,
}

/// The addresses of a map's picture, drawn for two widths (names readable on a phone).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MapPreview {
    pub wide: String,
    pub narrow: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MapDepartement {
    pub code: String,
    pub name: String,
    pub bounds: Bounds,
}

choices! {
    /// The interns' points of the map.
    InternPoint {
        Site = "terrain" => "Terrain de stage pour internes",
        Housing = "logement" => "Logement pour internes",
    }
}

/// The points the visitor has on: the list under the map and its counts describe those alone,
/// as the map draws them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MapLayers {
    pub offers: bool,
    pub structures: Vec<StructureKind>,
    pub interns: Vec<InternPoint>,
    pub stations: bool,
}

impl Default for MapLayers {
    /// Everything, as the map opens.
    fn default() -> Self {
        Self {
            offers: true,
            structures: StructureKind::ALL.to_vec(),
            interns: InternPoint::ALL.to_vec(),
            stations: true,
        }
    }
}

/// What is inside an area of the map, as text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MapList {
    /// Open offers matching the board's filters, newest first, at most `LIST_LIMIT`.
    pub offers: Vec<MapOffer>,
    pub offers_total: usize,
    /// Health structures, largest communes first, at most `LIST_LIMIT`.
    pub structures: Vec<MapStructure>,
    pub structures_total: usize,
    /// Communes of the area per zoning class (None: not classified).
    pub zonage: Vec<(Option<Zonage>, usize)>,
    /// For interns: the open stage sites, then the housing, of the area (few: all of them);
    /// `kind` says which.
    pub interns: Vec<MapOffer>,
    /// The passenger stations of the area, busiest class first, at most `LIST_LIMIT`.
    pub stations: Vec<MapStation>,
    pub stations_total: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MapStation {
    pub name: String,
    pub class: StationClass,
    pub commune: String,
    pub commune_path: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MapOffer {
    pub title: String,
    pub path: String,
    pub kind: String,
    pub commune: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MapStructure {
    pub name: String,
    pub kind: StructureKind,
    pub commune: String,
    pub commune_path: String,
}

/// The map as text, one département at a time (for people who cannot use the map: a screen
/// reader, no WebGL): everything its layers show there, without a limit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MapText {
    pub departement: MapDepartement,
    /// The open offers of the board's filters, newest first.
    pub offers: Vec<MapOffer>,
    /// By commune, then name.
    pub structures: Vec<MapStructure>,
    /// The communes of each zoning class (None: not classified), by name.
    pub zonage: Vec<(Option<Zonage>, Vec<TerritoryRef>)>,
    pub stations: Vec<MapStation>,
    pub interns: Vec<MapOffer>,
}

/// The map's text page: the départements to choose from, and the one chosen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MapTextPage {
    pub departements: Vec<MapDepartement>,
    pub chosen: Option<MapText>,
}

/// A commune's popup.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MapCommune {
    pub name: String,
    pub path: String,
    pub zonage: Option<Zonage>,
    pub apl: Option<f64>,
    pub open_offers: usize,
    /// The board filtered to this commune's offers.
    pub offers_path: String,
}

/// Where a map centred on `focus` opens, with the list of that area for the board's filters
/// `list` when given; None when there is no such territory.
#[server(prefix = "/_srv", endpoint = "carte-cadre", input = leptos::server_fn::codec::Json)]
pub async fn get_map_frame(focus: MapFocus, list: Option<BoardQuery>) -> Result<Option<MapFrame>, ServerFnError> {
    service::maps()?.frame(focus, list).await.map_err(service::unavailable)
}

/// The map as text for `departement` (None: only the list of départements), the offers
/// following the board's filters `query`.
#[server(prefix = "/_srv", endpoint = "carte-texte", input = leptos::server_fn::codec::Json)]
pub async fn get_map_text(departement: Option<String>, query: BoardQuery) -> Result<MapTextPage, ServerFnError> {
    service::maps()?.text(departement, query).await.map_err(service::unavailable)
}

/// What the map shows in `zone` for the board's filters `query`, of the points in `layers`.
#[server(prefix = "/_srv", endpoint = "carte-liste", input = leptos::server_fn::codec::Json)]
pub async fn get_map_list(query: BoardQuery, zone: Bounds, layers: MapLayers) -> Result<MapList, ServerFnError> {
    service::maps()?.list(query, zone, layers).await.map_err(service::unavailable)
}

/// A commune's popup; None for a code that is not one of ours.
#[server(prefix = "/_srv", endpoint = "carte-commune")]
pub async fn get_map_commune(code: String) -> Result<Option<MapCommune>, ServerFnError> {
    let Ok(code) = crate::model::InseeCode::parse(&code) else {
        return Ok(None);
    };
    service::maps()?.commune(&code).await.map_err(service::unavailable)
}

/// Addresses of the map and of its layers.
pub mod paths {
    /// The full map (same query string as the board).
    pub const MAP: &str = "/carte";
    /// The map as text, a département at a time (`departement=12`, and the board's filters).
    pub const MAP_TEXT: &str = "/carte/liste";
    /// Commune polygons with their zoning (`z`) and APL 2023 (`a`).
    pub const COMMUNES: &str = "/carte/couches/communes.geojson";
    /// Département outlines.
    pub const DEPARTEMENTS: &str = "/carte/couches/departements.geojson";
    /// FINESS structures, their kind in `t`.
    pub const STRUCTURES: &str = "/carte/couches/structures.geojson";
    /// The names the map writes: départements (`k` = `d`) and communes (`k` = `c`, population `h`).
    pub const PLACES: &str = "/carte/couches/lieux.geojson";
    /// SNCF passenger stations, their class in `g`.
    pub const STATIONS: &str = "/carte/couches/gares.geojson";
    /// Open offers matching the board's query string.
    pub const OFFERS: &str = "/carte/couches/offres.geojson";
    /// For interns: the open stage sites and housing, their kind in `k` (`terrain`, `logement`).
    pub const INTERNS: &str = "/carte/couches/internes.geojson";
    /// The picture of the region shown before the live map: communes by zoning (SVG), drawn
    /// for a computer's width and for a phone's.
    pub const REGION_PREVIEW: &str = "/carte/couches/apercu.svg";
    pub const REGION_PREVIEW_NARROW: &str = "/carte/couches/apercu-petit.svg";
}
