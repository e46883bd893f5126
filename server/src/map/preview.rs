//! The region map as a picture drawn on the server (SVG): the communes coloured by their
//! zoning, the départements' outlines and the largest town of each, named.
//!
//! Why: the live map costs a phone some 200 KB of script, 420 KB of polygons and seconds of
//! processor before it shows anything. The picture is what a visitor of a region map sees
//! first, and all a visitor without JavaScript sees; the live map comes when asked for. It is
//! projected as the live map is (Web Mercator, the same bounds), so one replaces the other
//! without a jump.

use super::MapError;
use app::components::map_style::{NONE, OUTLINE, ZONAGE};
use app::model::{Bounds, Zonage};
use serde_json::Value;
use std::fmt::Write;

/// How finely a picture is drawn, for the width it is shown at: the same picture would have
/// unreadable names on a phone and needless detail there. Coordinates are whole units of the
/// picture, written relative to the previous point.
#[derive(Debug, Clone, Copy)]
pub struct Size {
    /// The picture's width in its own units.
    width: f64,
    /// How far (in units) a point may lie from the simplified outline.
    tolerance: f64,
    /// Height of the towns' names, in units.
    font: f64,
}

impl Size {
    /// For a map about 1000 px wide (a computer): half-pixel units, 17 px names.
    pub const WIDE: Size = Size { width: 2000.0, tolerance: 0.6, font: 34.0 };
    /// For a map about 350 px wide (a phone): units of under half a pixel, 11 px names.
    pub const NARROW: Size = Size { width: 800.0, tolerance: 0.6, font: 26.0 };
}

/// A commune as the picture needs it.
pub struct CommuneShape {
    pub zonage: Option<Zonage>,
    /// GeoJSON geometry (Polygon or MultiPolygon), as imported.
    pub geometry: String,
}

/// A town to name: its name and where it is.
pub struct Town {
    pub name: String,
    pub lon: f64,
    pub lat: f64,
}

/// Longitudes and latitudes to the picture's units.
struct Projection {
    west: f64,
    top: f64,
    scale: f64,
}

impl Projection {
    fn new(bounds: Bounds, width: f64) -> Self {
        Self { west: bounds.west, top: Bounds::mercator_y(bounds.north), scale: width / (bounds.east - bounds.west) }
    }

    fn point(&self, lon: f64, lat: f64) -> (f64, f64) {
        ((lon - self.west) * self.scale, (self.top - Bounds::mercator_y(lat)) * self.scale)
    }
}

/// The SVG of the area `bounds`: communes filled by zoning (white borders), the départements
/// outlined over them, a dot and a name for each town.
pub fn svg(
    size: Size,
    bounds: Bounds,
    communes: &[CommuneShape],
    departements: &[String],
    towns: &[Town],
) -> Result<Vec<u8>, MapError> {
    let projection = Projection::new(bounds, size.width);
    let (width, height) = (size.width, bounds.mercator_height(size.width).round());
    let mut out = String::with_capacity(512 * 1024);
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}">"#
    );
    // Presentation attributes rather than a style sheet: nothing for a Content Security Policy
    // to refuse. Strokes keep their width in screen pixels whatever the picture's size.
    let fills = std::iter::once((None, NONE)).chain(ZONAGE.iter().map(|(zonage, colour)| (Some(*zonage), *colour)));
    for (zonage, colour) in fills {
        let mut path = Path::new(size.tolerance);
        for commune in communes.iter().filter(|c| c.zonage == zonage) {
            path.geometry(&projection, &commune.geometry)?;
        }
        if !path.data.is_empty() {
            let _ = write!(
                out,
                r##"<path fill="{colour}" fill-rule="evenodd" stroke="#ffffff" stroke-width="0.4" vector-effect="non-scaling-stroke" d="{}"/>"##,
                path.data
            );
        }
    }
    let mut outlines = Path::new(size.tolerance);
    for geometry in departements {
        outlines.geometry(&projection, geometry)?;
    }
    let _ = write!(
        out,
        r#"<path fill="none" stroke="{OUTLINE}" stroke-width="1.2" stroke-linejoin="round" vector-effect="non-scaling-stroke" d="{}"/>"#,
        outlines.data
    );
    for town in towns {
        let (x, y) = projection.point(town.lon, town.lat);
        let (x, y) = (x.round(), y.round());
        // Names go right of their dot, or left of it near the right edge.
        let font = size.font;
        let (dot, halo, gap) = ((font / 5.0).round(), (font / 4.0).round(), (font * 0.4).round());
        let (anchor, dx) = if x > width * 0.85 { ("end", -gap) } else { ("start", gap) };
        let _ = write!(
            out,
            r##"<circle cx="{x}" cy="{y}" r="{dot}" fill="#263238" stroke="#ffffff" stroke-width="{}"/><text x="{}" y="{}" text-anchor="{anchor}" font-family="sans-serif" font-size="{font}" font-weight="bold" fill="#263238" stroke="#ffffff" stroke-width="{halo}" stroke-linejoin="round" paint-order="stroke">{}</text>"##,
            (dot / 2.0).round(),
            x + dx,
            (y + font / 3.0).round(),
            escape(&town.name)
        );
    }
    out.push_str("</svg>");
    Ok(out.into_bytes())
}

/// SVG path data, written as short as it reads: an absolute start per ring, then relative
/// whole-unit steps, a sign standing for the separator where it can.
struct Path {
    data: String,
    tolerance: f64,
}

impl Path {
    fn new(tolerance: f64) -> Self {
        Self { data: String::new(), tolerance }
    }

    fn geometry(&mut self, projection: &Projection, geojson: &str) -> Result<(), MapError> {
        let geometry: Value = serde_json::from_str(geojson)
            .map_err(|error| MapError::Build(format!("un contour n'est pas du GeoJSON : {error}")))?;
        let coordinates = geometry.get("coordinates").unwrap_or(&Value::Null);
        let polygons: Vec<&Value> = match geometry.get("type").and_then(Value::as_str) {
            Some("Polygon") => vec![coordinates],
            Some("MultiPolygon") => coordinates.as_array().map(|p| p.iter().collect()).unwrap_or_default(),
            other => return Err(MapError::Build(format!("un contour de type inattendu : {other:?}"))),
        };
        for ring in polygons.iter().filter_map(|p| p.as_array()).flatten() {
            let points: Vec<(f64, f64)> = ring
                .as_array()
                .map(|points| {
                    points
                        .iter()
                        .filter_map(|p| Some((p.get(0)?.as_f64()?, p.get(1)?.as_f64()?)))
                        .map(|(lon, lat)| projection.point(lon, lat))
                        .collect()
                })
                .unwrap_or_default();
            self.ring(&points);
        }
        Ok(())
    }

    /// One closed ring, simplified (Douglas–Peucker: a point goes when it lies within the
    /// tolerance of the line its neighbours kept draw); a ring smaller than a pixel is left
    /// out (the unclassified fill under it shows).
    fn ring(&mut self, points: &[(f64, f64)]) {
        let mut keep = vec![false; points.len()];
        if let (Some(first), Some(last)) = (keep.first_mut(), points.len().checked_sub(1)) {
            *first = true;
            keep[last] = true;
            // A closed ring starts and ends on the same point: split it at its farthest point,
            // so each half has two distinct ends.
            let far = (1..last).max_by(|&a, &b| {
                let d = |i: usize| (points[i].0 - points[0].0).hypot(points[i].1 - points[0].1);
                d(a).total_cmp(&d(b))
            });
            match far {
                Some(far) => {
                    keep[far] = true;
                    simplify(points, 0, far, self.tolerance, &mut keep);
                    simplify(points, far, last, self.tolerance, &mut keep);
                }
                None => simplify(points, 0, last, self.tolerance, &mut keep),
            }
        }
        let mut kept: Vec<(i64, i64)> = Vec::with_capacity(points.len());
        for (&(x, y), _) in points.iter().zip(&keep).filter(|(_, keep)| **keep) {
            let point = (x.round() as i64, y.round() as i64);
            if kept.last() != Some(&point) {
                kept.push(point);
            }
        }
        while kept.len() > 1 && kept.first() == kept.last() {
            kept.pop();
        }
        if kept.len() < 3 {
            return;
        }
        let (x0, y0) = kept[0];
        let _ = write!(self.data, "M{x0} {y0}l");
        let mut previous = (x0, y0);
        for (i, &(x, y)) in kept[1..].iter().enumerate() {
            let (dx, dy) = (x - previous.0, y - previous.1);
            if i > 0 && dx >= 0 {
                self.data.push(' ');
            }
            let _ = write!(self.data, "{dx}");
            if dy >= 0 {
                self.data.push(' ');
            }
            let _ = write!(self.data, "{dy}");
            previous = (x, y);
        }
        self.data.push('z');
    }
}

/// Douglas–Peucker between the kept points `from` and `to`.
fn simplify(points: &[(f64, f64)], from: usize, to: usize, tolerance: f64, keep: &mut [bool]) {
    if to <= from + 1 {
        return;
    }
    let ((ax, ay), (bx, by)) = (points[from], points[to]);
    let length = (bx - ax).hypot(by - ay);
    let distance = |&(x, y): &(f64, f64)| {
        if length == 0.0 {
            (x - ax).hypot(y - ay)
        } else {
            ((bx - ax) * (ay - y) - (ax - x) * (by - ay)).abs() / length
        }
    };
    let (farthest, d) = points[from + 1..to]
        .iter()
        .enumerate()
        .map(|(i, p)| (from + 1 + i, distance(p)))
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .unwrap_or((from, 0.0));
    if d > tolerance {
        keep[farthest] = true;
        simplify(points, from, farthest, tolerance, keep);
        simplify(points, farthest, to, tolerance, keep);
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bounds() -> Bounds {
        Bounds::new(1.0, 43.0, 2.0, 44.0).unwrap()
    }

    #[test]
    fn rings_are_relative_whole_steps_closed_and_tiny_ones_left_out() {
        let projection = Projection::new(bounds(), Size::WIDE.width);
        let mut path = Path::new(Size::WIDE.tolerance);
        let square = r#"{"type":"Polygon","coordinates":[[[1.0,44.0],[1.5,44.0],[1.5,43.5],[1.0,43.5],[1.0,44.0]]]}"#;
        path.geometry(&projection, square).unwrap();
        let height = (Bounds::mercator_y(44.0) - Bounds::mercator_y(43.5)) * Size::WIDE.width;
        assert_eq!(path.data, format!("M0 0l1000 0 0 {h}-1000 0z", h = height.round() as i64));
        let speck =
            r#"{"type":"MultiPolygon","coordinates":[[[[1.0,44.0],[1.0001,44.0],[1.0001,43.9999],[1.0,44.0]]]]}"#;
        let before = path.data.clone();
        path.geometry(&projection, speck).unwrap();
        assert_eq!(path.data, before, "a ring under a pixel draws nothing");
        assert!(path.geometry(&projection, r#"{"type":"Point","coordinates":[1,44]}"#).is_err());
        assert!(path.geometry(&projection, "pas du json").is_err());
    }

    #[test]
    fn the_picture_has_the_live_maps_proportions_and_names_its_towns() {
        let communes = [
            CommuneShape {
                zonage: Some(Zonage::Zip),
                geometry: r#"{"type":"Polygon","coordinates":[[[1.0,44.0],[1.5,44.0],[1.5,43.5],[1.0,44.0]]]}"#.into(),
            },
            CommuneShape {
                zonage: None,
                geometry: r#"{"type":"Polygon","coordinates":[[[1.5,43.5],[2.0,43.5],[2.0,43.0],[1.5,43.5]]]}"#.into(),
            },
        ];
        let towns = [Town { name: "Saint-Affrique & <environs>".into(), lon: 1.5, lat: 43.5 }];
        let svg = String::from_utf8(svg(Size::WIDE, bounds(), &communes, &[], &towns).unwrap()).unwrap();
        let height = bounds().mercator_height(2000.0).round();
        assert!(svg.starts_with(&format!(r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 2000 {height}""#)));
        assert!(svg.contains(r##"fill="#b2182b""##), "the ZIP commune in the ZIP colour");
        assert!(svg.contains(&format!(r#"fill="{NONE}""#)), "the unclassified one in the colour of none");
        assert!(!svg.contains(r##"fill="#ef8a62""##), "no path for a class without communes");
        assert!(svg.contains(">Saint-Affrique &amp; &lt;environs&gt;</text>"));
        assert!(svg.ends_with("</svg>"));
    }
}
