//! The map's look, in one place: the colours of zoning, APL classes, structures and offers,
//! the MapLibre style built from them, and the legend that names them. The legend and the map
//! read the same tables, so they cannot disagree.

use crate::domain::map::{InternPoint, paths};
use crate::domain::territory::{APL_THRESHOLD, StructureKind};
use crate::model::Zonage;
use serde_json::{Value, json};

/// What colours the communes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Colouring {
    #[default]
    Zonage,
    Apl,
}

/// Communes that no class covers (no zoning, no APL figure).
pub const NONE: &str = "#eceff1";
pub const ZONAGE: [(Zonage, &str); 3] = [(Zonage::Zip, "#b2182b"), (Zonage::Zac, "#ef8a62"), (Zonage::Zar, "#fddbc7")];
/// APL classes: (lower bound, colour, label), from the lowest access up. 2.5 is the threshold
/// of under-served areas the DREES uses.
pub const APL: [(f64, &str, &str); 4] = [
    (0.0, "#b2182b", "moins de 2,5 : sous-dotée"),
    (APL_THRESHOLD, "#ef8a62", "de 2,5 à 3,5"),
    (3.5, "#fddbc7", "de 3,5 à 4,5"),
    (4.5, "#92c5de", "4,5 et plus"),
];
pub const STRUCTURES: [(StructureKind, &str); 3] = [
    (StructureKind::Msp, "#1b7837"),
    (StructureKind::CentreSante, "#5e3c99"),
    (StructureKind::Etablissement, "#2166ac"),
];
pub const OFFER: &str = "#0b5d5e";
/// The interns' points (their code in the layer's `k`) and their colours.
pub const INTERNS: [(InternPoint, &str); 2] = [(InternPoint::Site, "#c51b7d"), (InternPoint::Housing, "#b35806")];
pub const OUTLINE: &str = "#37474f";
/// Stations: (class code, radius in pixels at zoom 10). Class C (local) appears from zoom 8.
pub const STATIONS: [(&str, f64); 3] = [("A", 7.0), ("B", 6.0), ("C", 4.0)];
pub const STATION: &str = "#263238";

/// MapLibre's glyphs (signed distance fields by ranges of 256 characters), built from Open Sans
/// by .ci/lib.sh (`ensure_glyphs`) and served from our origin like MapLibre itself.
pub const GLYPHS: &str = "/vendor/glyphes/{fontstack}/{range}.pbf";
const REGULAR: &str = "open-sans-regular";
const SEMIBOLD: &str = "open-sans-semibold";
/// The smallest commune named at each zoom (population), from the region (zoom below 7) to
/// the valleys (11 and more: every commune). Filters read the zoom at whole levels.
const NAMED_FROM: [(u8, i64); 5] = [(7, 15_000), (8, 5_000), (9, 1_500), (10, 500), (11, 0)];
const NAMED_AT_REGION: i64 = 40_000;

/// The label of communes without a class, per colouring.
pub fn none_label(colouring: Colouring) -> &'static str {
    match colouring {
        Colouring::Zonage => "Non classée",
        Colouring::Apl => "Pas de donnée",
    }
}

/// The `fill-color` expression of the communes.
pub fn commune_fill(colouring: Colouring) -> Value {
    match colouring {
        Colouring::Zonage => {
            let mut expr = vec![json!("match"), json!(["coalesce", ["get", "z"], ""])];
            for (zonage, colour) in ZONAGE {
                expr.push(json!(zonage.code()));
                expr.push(json!(colour));
            }
            expr.push(json!(NONE));
            Value::Array(expr)
        }
        Colouring::Apl => {
            let mut expr = vec![json!("step"), json!(["coalesce", ["get", "a"], -1]), json!(NONE)];
            for (from, colour, _) in APL {
                expr.push(json!(from));
                expr.push(json!(colour));
            }
            Value::Array(expr)
        }
    }
}

/// The filter of the structures layer showing only `kinds`.
pub fn structure_filter(kinds: &[StructureKind]) -> Value {
    let codes: Vec<&str> = kinds.iter().map(|k| k.code()).collect();
    json!(["in", ["get", "t"], ["literal", codes]])
}

/// The filter of the interns' layer showing only `kinds`.
pub fn interns_filter(kinds: &[InternPoint]) -> Value {
    let codes: Vec<&str> = kinds.iter().map(|k| k.code()).collect();
    json!(["in", ["get", "k"], ["literal", codes]])
}

fn interns_colour() -> Value {
    let mut expr = vec![json!("match"), json!(["get", "k"])];
    for (kind, colour) in INTERNS {
        expr.push(json!(kind.code()));
        expr.push(json!(colour));
    }
    expr.push(json!(OUTLINE));
    Value::Array(expr)
}

fn structure_colour() -> Value {
    let mut expr = vec![json!("match"), json!(["get", "t"])];
    for (kind, colour) in STRUCTURES {
        expr.push(json!(kind.code()));
        expr.push(json!(colour));
    }
    expr.push(json!(OUTLINE));
    Value::Array(expr)
}

/// The filter of the communes' names: the most populous at the region's zoom, then smaller
/// ones at each zoom in.
fn named_communes() -> Value {
    let mut step = vec![json!("step"), json!(["zoom"]), json!(NAMED_AT_REGION)];
    for (zoom, population) in NAMED_FROM {
        step.push(json!(zoom));
        step.push(json!(population));
    }
    json!(["all", ["==", ["get", "k"], "c"], [">=", ["get", "h"], Value::Array(step)]])
}

/// The filter of the outlined commune (none: nothing outlined).
pub fn outline_filter(code: Option<&str>) -> Value {
    json!(["==", ["get", "c"], code.unwrap_or("")])
}

/// The filter of the stations layer: A and B everywhere, C (local) from zoom 8.
fn stations_shown() -> Value {
    json!(["any", ["!=", ["get", "g"], "C"], [">=", ["zoom"], 8]])
}

fn station_radius() -> Value {
    let mut expr = vec![json!("match"), json!(["get", "g"])];
    for (class, radius) in STATIONS {
        expr.push(json!(class));
        expr.push(json!(radius));
    }
    expr.push(json!(3));
    json!(["interpolate", ["linear"], ["zoom"], 6, ["*", 0.6, Value::Array(expr.clone())], 10, Value::Array(expr)])
}

/// Names drawn over everything else, white-haloed so that they read on every colour.
const HALO: &str = "#ffffff";

/// The whole style: our sources and glyphs at `origin`, no tiles or sprites from anywhere.
/// Place names come from our own data. MapLibre places names from the top layer down, and in
/// a layer by rising `symbol-sort-key`, dropping a name that would overlap one already
/// placed: the communes' names (on top) go first, most populous first, then the départements'
/// where room is left.
pub fn style(origin: &str, colouring: Colouring, offers_query: &str, focus: Option<&str>) -> Value {
    let source = |path: &str| json!({ "type": "geojson", "data": format!("{origin}{path}") });
    json!({
        "version": 8,
        "glyphs": format!("{origin}{GLYPHS}"),
        "sources": {
            "communes": source(paths::COMMUNES),
            "departements": source(paths::DEPARTEMENTS),
            "lieux": source(paths::PLACES),
            "gares": source(paths::STATIONS),
            "structures": source(paths::STRUCTURES),
            "internes": source(paths::INTERNS),
            "offres": {
                "type": "geojson",
                "data": offers_url(origin, offers_query),
                "cluster": true,
                "clusterRadius": 40,
                "clusterMaxZoom": 12,
            },
        },
        "layers": [
            { "id": "fond", "type": "background", "paint": { "background-color": "#f7f9fa" } },
            { "id": "communes", "type": "fill", "source": "communes",
              "paint": { "fill-color": commune_fill(colouring), "fill-opacity": 0.85 } },
            { "id": "communes-contours", "type": "line", "source": "communes", "minzoom": 7.5,
              "paint": { "line-color": "#ffffff", "line-width": 0.5 } },
            { "id": "departements", "type": "line", "source": "departements",
              "paint": { "line-color": OUTLINE, "line-width": 1.5 } },
            { "id": "commune-choisie", "type": "line", "source": "communes",
              "filter": outline_filter(focus),
              "paint": { "line-color": "#000000", "line-width": 3 } },
            { "id": "structures", "type": "circle", "source": "structures",
              "paint": { "circle-color": structure_colour(), "circle-radius": ["interpolate", ["linear"], ["zoom"], 6, 3, 12, 7],
                         "circle-stroke-color": "#ffffff", "circle-stroke-width": 1 } },
            { "id": "internes", "type": "circle", "source": "internes",
              "paint": { "circle-color": interns_colour(), "circle-radius": ["interpolate", ["linear"], ["zoom"], 6, 5, 12, 8],
                         "circle-stroke-color": "#ffffff", "circle-stroke-width": 2 } },
            { "id": "offres-groupes", "type": "circle", "source": "offres", "filter": ["has", "point_count"],
              "paint": { "circle-color": OFFER, "circle-opacity": 0.9, "circle-stroke-color": "#ffffff", "circle-stroke-width": 2,
                         "circle-radius": ["step", ["get", "point_count"], 10, 10, 14, 50, 19, 200, 24] } },
            { "id": "offres", "type": "circle", "source": "offres", "filter": ["!", ["has", "point_count"]],
              "paint": { "circle-color": OFFER, "circle-radius": 7, "circle-stroke-color": "#ffffff", "circle-stroke-width": 2 } },
            { "id": "gares", "type": "circle", "source": "gares", "filter": stations_shown(),
              "paint": { "circle-color": "#ffffff", "circle-radius": station_radius(),
                         "circle-stroke-color": STATION, "circle-stroke-width": 2.5 } },
            { "id": "noms-departements", "type": "symbol", "source": "lieux", "maxzoom": 8.5,
              "filter": ["==", ["get", "k"], "d"],
              "layout": { "text-field": ["get", "n"], "text-font": [SEMIBOLD],
                          "text-size": ["interpolate", ["linear"], ["zoom"], 5, 10, 7, 13],
                          "text-transform": "uppercase", "text-letter-spacing": 0.05, "text-max-width": 7 },
              "paint": { "text-color": OUTLINE, "text-halo-color": HALO, "text-halo-width": 2 } },
            { "id": "noms-communes", "type": "symbol", "source": "lieux", "filter": named_communes(),
              "layout": { "text-field": ["get", "n"], "text-font": [REGULAR],
                          "text-size": ["interpolate", ["linear"], ["get", "h"], 0, 11, 20_000, 13, 200_000, 16],
                          "symbol-sort-key": ["-", ["get", "h"]], "text-max-width": 8, "text-padding": 3 },
              "paint": { "text-color": "#1c262b", "text-halo-color": HALO, "text-halo-width": 1.6 } },
        ],
    })
}

/// The offers layer for the board's query string (without `?`).
pub fn offers_url(origin: &str, query: &str) -> String {
    if query.is_empty() { format!("{origin}{}", paths::OFFERS) } else { format!("{origin}{}?{query}", paths::OFFERS) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zoning_colours_follow_the_legend() {
        let fill = commune_fill(Colouring::Zonage);
        let expr = fill.as_array().unwrap();
        assert_eq!(expr[0], "match");
        assert_eq!(expr[2], "ZIP");
        assert_eq!(expr[3], ZONAGE[0].1);
        assert_eq!(expr.last().unwrap(), NONE);
    }

    #[test]
    fn apl_classes_step_up_from_no_data() {
        let fill = commune_fill(Colouring::Apl);
        let expr = fill.as_array().unwrap();
        assert_eq!(expr[0], "step");
        assert_eq!(expr[2], NONE, "a commune without APL (coalesced to -1) is grey");
        let bounds: Vec<f64> = expr[3..].iter().step_by(2).map(|v| v.as_f64().unwrap()).collect();
        assert_eq!(bounds, [0.0, 2.5, 3.5, 4.5]);
        assert!(bounds.windows(2).all(|w| w[0] < w[1]), "steps must rise");
    }

    #[test]
    fn communes_are_named_from_the_largest_down_as_one_zooms_in() {
        let filter = named_communes();
        let step = filter[2][2].as_array().unwrap();
        assert_eq!(step[..3], [json!("step"), json!(["zoom"]), json!(NAMED_AT_REGION)]);
        let thresholds: Vec<i64> = step[3..].iter().skip(1).step_by(2).map(|v| v.as_i64().unwrap()).collect();
        assert!(thresholds.windows(2).all(|w| w[0] > w[1]), "smaller towns as one zooms in");
        assert_eq!(thresholds.last(), Some(&0), "every commune is named at last");
        let zooms: Vec<i64> = step[3..].iter().step_by(2).map(|v| v.as_i64().unwrap()).collect();
        assert!(zooms.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn the_style_uses_only_our_origin() {
        let style = style("https://portail.example", Colouring::Zonage, "type=stage", Some("12202"));
        let text = style.to_string();
        assert!(!text.contains("sprite") && !text.contains("tiles"));
        assert_eq!(style["glyphs"], "https://portail.example/vendor/glyphes/{fontstack}/{range}.pbf");
        for (_, source) in style["sources"].as_object().unwrap() {
            assert!(source["data"].as_str().unwrap().starts_with("https://portail.example/carte/couches/"));
        }
        assert_eq!(
            style["sources"]["offres"]["data"],
            "https://portail.example/carte/couches/offres.geojson?type=stage"
        );
        assert_eq!(structure_filter(&[StructureKind::Msp]), json!(["in", ["get", "t"], ["literal", ["msp"]]]));
        assert_eq!(interns_filter(&[InternPoint::Housing]), json!(["in", ["get", "k"], ["literal", ["logement"]]]));
        assert_eq!(style["sources"]["internes"]["data"], "https://portail.example/carte/couches/internes.geojson");
    }
}
