//! The map's GeoJSON, written compactly: one-letter property names, no spaces, coordinates as
//! imported (4 decimals, about 10 m), and a layer's bytes with their compressed forms and ETag.

use super::{MapError, preview};
use crate::cache::store::{Encoding, etag};
use crate::db::Database;
use crate::db::rows::{Code, table, typed};
use crate::territory::records::{STRUCTURE, StructureRecord};
use crate::territory::stations::Stations;
use app::domain::map::InternPoint;
use app::domain::offers::{OfferKind, offer_path};
use app::model::{Bounds, Zonage};
use axum::http::HeaderValue;
use bytes::Bytes;
use serde_json::{Map, Value, json};
use sqlx::AssertSqlSafe;
use std::collections::HashSet;
use std::io::Write;

/// A layer's GeoJSON and what a cache needs: its ETag, and its compressed forms when they
/// were made once for every visitor (reference layers).
#[derive(Debug)]
pub struct Layer {
    /// A strong validator, quoted as the header wants it: the start of the bytes' SHA-256.
    pub etag: HeaderValue,
    /// Shared by every response that sends them: a visitor's copy is a reference, not 2 MB
    /// copied (200 visitors at once had 400 MB of copies of the communes' layer).
    pub json: Bytes,
    pub gzip: Option<Bytes>,
    pub brotli: Option<Bytes>,
}

impl Layer {
    /// Bytes left to the response compression (small layers, built per request).
    pub fn plain(json: Vec<u8>) -> Self {
        Self { etag: etag(&json), json: json.into(), gzip: None, brotli: None }
    }

    /// Bytes compressed now, at high settings, once for every later visitor.
    pub fn compressed(json: Vec<u8>) -> Self {
        let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        let gzip = gzip.write_all(&json).and_then(|()| gzip.finish()).ok().map(Bytes::from);
        let brotli = Some(crate::cache::store::brotli_once(&json));
        Self { etag: etag(&json), json: json.into(), gzip, brotli }
    }

    /// The bytes to send for `encoding`, and the encoding they are in.
    pub fn body(&self, encoding: Encoding) -> (Bytes, Encoding) {
        match (encoding, &self.brotli, &self.gzip) {
            (Encoding::Brotli, Some(bytes), _) => (bytes.clone(), Encoding::Brotli),
            (Encoding::Brotli | Encoding::Gzip, _, Some(bytes)) => (bytes.clone(), Encoding::Gzip),
            _ => (self.json.clone(), Encoding::Identity),
        }
    }
}

/// A FeatureCollection of features written one after the other.
struct Collection(Vec<u8>);

impl Collection {
    fn new() -> Self {
        Self(br#"{"type":"FeatureCollection","features":["#.to_vec())
    }

    /// One feature; `geometry` is GeoJSON text (as imported, already validated).
    fn push(&mut self, properties: &Value, geometry: &str) {
        if self.0.last() != Some(&b'[') {
            self.0.push(b',');
        }
        self.0.extend_from_slice(br#"{"type":"Feature","properties":"#);
        self.0.extend_from_slice(properties.to_string().as_bytes());
        self.0.extend_from_slice(br#","geometry":"#);
        self.0.extend_from_slice(geometry.as_bytes());
        self.0.push(b'}');
    }

    fn point(&mut self, properties: &Value, lon: f64, lat: f64) {
        self.push(properties, &json!({ "type": "Point", "coordinates": [round(lon), round(lat)] }).to_string());
    }

    fn finish(mut self) -> Vec<u8> {
        self.0.extend_from_slice(b"]}");
        self.0
    }
}

/// 5 decimals: about a metre, enough for a point on a regional map.
fn round(x: f64) -> f64 {
    (x * 100_000.0).round() / 100_000.0
}

/// Properties without the absent ones (a missing key reads as null in MapLibre's expressions).
fn properties(pairs: &[(&str, Value)]) -> Value {
    Value::Object(
        pairs.iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| ((*k).to_owned(), v.clone())).collect::<Map<_, _>>(),
    )
}

/// Every commune: code `c`, name `n`, path `p`, zoning `z`, latest APL `a`.
pub async fn communes(db: &Database) -> Result<Vec<u8>, MapError> {
    #[derive(sqlx::FromRow)]
    struct Shape {
        code: String,
        name: String,
        slug: String,
        zonage: Option<Code<Zonage>>,
        apl: Option<f64>,
        geojson: String,
    }
    table!(Shape, "communes");
    let rows = sqlx::query(
        "SELECT c.code, c.name, c.slug, c.zonage, a.apl, g.geojson
         FROM communes c
         JOIN geometries g ON g.kind = 'commune' AND g.code = c.code
         LEFT JOIN apl a ON a.commune_code = c.code AND a.year = (SELECT MAX(year) FROM apl)
         ORDER BY c.code",
    )
    .try_map(typed::<Shape>)
    .fetch_all(&db.pool)
    .await?;
    let mut out = Collection::new();
    for c in rows {
        let path = app::domain::territory::paths::commune(&c.code, &c.slug);
        let props = properties(&[
            ("c", json!(c.code)),
            ("n", json!(c.name)),
            ("p", json!(path)),
            ("z", json!(c.zonage.map(|z| z.0.code()))),
            ("a", c.apl.map_or(Value::Null, |a| json!((a * 100.0).round() / 100.0))),
        ]);
        out.push(&props, &c.geojson);
    }
    Ok(out.finish())
}

/// The picture of the whole region (`preview`), drawn for `size` on `bounds` (the region map's
/// frame): every commune with its zoning, the départements' outlines, and the most populous
/// town of each département.
pub async fn region_preview(db: &Database, size: preview::Size, bounds: Bounds) -> Result<Vec<u8>, MapError> {
    #[derive(sqlx::FromRow)]
    struct Shape {
        zonage: Option<Code<Zonage>>,
        geojson: String,
    }
    table!(Shape, "communes");
    let communes: Vec<preview::CommuneShape> = sqlx::query(
        "SELECT c.zonage, g.geojson FROM communes c
         JOIN geometries g ON g.kind = 'commune' AND g.code = c.code ORDER BY c.code",
    )
    .try_map(typed::<Shape>)
    .fetch_all(&db.pool)
    .await?
    .into_iter()
    .map(|c| preview::CommuneShape { zonage: c.zonage.map(|z| z.0), geometry: c.geojson })
    .collect();
    let departements: Vec<String> = departement_outlines(db).await?.into_iter().map(|d| d.geojson).collect();
    #[derive(sqlx::FromRow)]
    struct Town {
        name: String,
        lon_inside: f64,
        lat_inside: f64,
    }
    table!(Town, "communes");
    let towns = sqlx::query(
        "SELECT c.name, c.lon_inside, c.lat_inside FROM communes c
         WHERE c.population = (SELECT MAX(o.population) FROM communes o WHERE o.departement_code = c.departement_code)
         ORDER BY c.departement_code",
    )
    .try_map(typed::<Town>)
    .fetch_all(&db.pool)
    .await?
    .into_iter()
    .map(|t| preview::Town { name: t.name, lon: t.lon_inside, lat: t.lat_inside })
    .collect::<Vec<_>>();
    preview::svg(size, bounds, &communes, &departements, &towns)
}

/// A département with its outline (GeoJSON geometry).
#[derive(sqlx::FromRow)]
pub struct Outline {
    pub code: String,
    pub name: String,
    pub geojson: String,
}

table!(Outline, "geometries");

/// Every département's outline, by code.
pub async fn departement_outlines(db: &Database) -> Result<Vec<Outline>, sqlx::Error> {
    sqlx::query(
        "SELECT d.code, d.name, g.geojson FROM departements d
         JOIN geometries g ON g.kind = 'departement' AND g.code = d.code ORDER BY d.code",
    )
    .try_map(typed::<Outline>)
    .fetch_all(&db.pool)
    .await
}

/// Département outlines: code `c`, name `n`.
pub async fn departements(db: &Database) -> Result<Vec<u8>, MapError> {
    let rows = departement_outlines(db).await?;
    let mut out = Collection::new();
    for d in rows {
        out.push(&properties(&[("c", json!(d.code)), ("n", json!(d.name))]), &d.geojson);
    }
    Ok(out.finish())
}

/// The names the map writes, from our own data: each département (`k` = "d") at the mean of
/// its communes' inner points (inside it for the region's rather round départements), and each
/// commune (`k` = "c") at a point inside it with its population `h`, most populous first (the
/// map places labels in that order, and skips those that would overlap).
pub async fn places(db: &Database) -> Result<Vec<u8>, MapError> {
    #[derive(sqlx::FromRow)]
    struct Place {
        name: String,
        population: i64,
        lon: f64,
        lat: f64,
    }
    table!(Place, "communes");
    let departements = sqlx::query(
        "SELECT d.name, CAST(SUM(c.population) AS BIGINT) AS population, AVG(c.lon_inside) AS lon,
                AVG(c.lat_inside) AS lat
         FROM departements d JOIN communes c ON c.departement_code = d.code
         GROUP BY d.code, d.name ORDER BY d.code",
    )
    .try_map(typed::<Place>)
    .fetch_all(&db.pool)
    .await?;
    let communes = sqlx::query(
        "SELECT name, population, lon_inside AS lon, lat_inside AS lat FROM communes
         ORDER BY population DESC, code",
    )
    .try_map(typed::<Place>)
    .fetch_all(&db.pool)
    .await?;
    let mut out = Collection::new();
    for (kind, places) in [("d", departements), ("c", communes)] {
        for place in places {
            let props = properties(&[("k", json!(kind)), ("n", json!(place.name)), ("h", json!(place.population))]);
            out.point(&props, place.lon, place.lat);
        }
    }
    Ok(out.finish())
}

/// The SNCF passenger stations: name `n`, class `g` (A, B or C) and its label `l`, the
/// commune's name `v` and page `p`.
pub async fn stations(db: &Database) -> Result<Vec<u8>, MapError> {
    let rows = Stations::read(db).await?.into_vec();
    let mut out = Collection::new();
    for s in rows {
        let class = s.class();
        let props = properties(&[
            ("n", json!(s.name)),
            ("g", json!(class.code())),
            ("l", json!(class.label())),
            ("v", json!(s.commune_name)),
            ("p", json!(s.commune_path())),
        ]);
        out.point(&props, s.lon, s.lat);
    }
    Ok(out.finish())
}

/// FINESS structures: FINESS `f`, name `n`, kind `t` (msp, centre_sante, etablissement_sante),
/// address `a`, town `v`, the commune's page `p`.
pub async fn structures(db: &Database) -> Result<Vec<u8>, MapError> {
    let rows = sqlx::query(AssertSqlSafe(format!("{STRUCTURE} ORDER BY s.finess")))
        .try_map(typed::<StructureRecord>)
        .fetch_all(&db.pool)
        .await?;
    let mut out = Collection::new();
    for s in rows {
        let props = properties(&[
            ("f", json!(s.finess)),
            ("n", json!(s.name)),
            ("t", json!(s.kind.0.code())),
            ("a", json!(s.address)),
            ("v", json!(s.city)),
            ("p", json!(app::domain::territory::paths::commune(&s.commune_code, &s.commune_slug))),
        ]);
        out.point(&props, s.lon, s.lat);
    }
    Ok(out.finish())
}

/// The offers of `ids` (open ones, as the engine found them) on their communes: title `t`,
/// kind `k`, path `p`, town `v`, in the order of `ids`.
pub async fn offers(db: &Database, ids: &[i64]) -> Result<Vec<u8>, MapError> {
    let wanted: HashSet<i64> = ids.iter().copied().collect();
    let mut out = Collection::new();
    if wanted.is_empty() {
        return Ok(out.finish());
    }
    // Every published offer, then those the engine kept: one query whatever the number.
    #[derive(sqlx::FromRow)]
    struct Point {
        id: i64,
        title: String,
        kind: Code<OfferKind>,
        commune: String,
        lon: f64,
        lat: f64,
    }
    table!(Point, "offers");
    let rows = sqlx::query(
        "SELECT o.id, o.title, o.kind, c.name AS commune, c.lon, c.lat FROM offers o
         JOIN communes c ON c.code = o.commune_code WHERE o.status = 'publiee' ORDER BY o.id",
    )
    .try_map(typed::<Point>)
    .fetch_all(&db.pool)
    .await?;
    for o in rows {
        if !wanted.contains(&o.id) {
            continue;
        }
        let props = properties(&[
            ("p", json!(offer_path(o.id, &o.title))),
            ("t", json!(o.title)),
            ("k", json!(o.kind.0.label())),
            ("v", json!(o.commune)),
        ]);
        out.point(&props, o.lon, o.lat);
    }
    Ok(out.finish())
}

/// For interns, on `today`: the open stage sites and housing at their communes' centres, kind
/// `k` (`terrain` or `logement`), name `n`, path `p`, town `v`, what it is `d`.
pub async fn interns(db: &Database, today: app::model::Day) -> Result<Vec<u8>, MapError> {
    let mut conn = db.pool.acquire().await?;
    let sites = crate::stages::records::open(&mut conn, crate::stages::records::Filter::default(), i64::MAX, 0).await?;
    let housing = crate::housing::records::open(&mut conn, today, None, i64::MAX, 0).await?;
    let mut out = Collection::new();
    for s in sites {
        let rating = s.rating();
        let levels: Vec<&str> = s.levels.0.iter().map(|l| l.short()).collect();
        let props = properties(&[
            ("k", json!(InternPoint::Site.code())),
            ("n", json!(s.name)),
            ("p", json!(app::domain::stages::paths::SITE.of(s.id))),
            ("v", json!(s.commune)),
            ("d", json!(format!("Terrain de stage, faculté de {} : {}", s.faculty.0.short(), levels.join(", ")))),
            // Shown from three published reviews, as on the site's page.
            ("a", rating.map_or(Value::Null, |r| json!(format!("Avis des internes : {}", r.text())))),
        ]);
        out.point(&props, s.lon, s.lat);
    }
    for h in housing {
        let row = h.row(today);
        let props = properties(&[
            ("k", json!(InternPoint::Housing.code())),
            ("n", json!(row.title)),
            ("p", json!(app::domain::housing::paths::HOUSING.of(h.id))),
            ("v", json!(h.commune)),
            ("d", json!(format!("{} — {}", row.kind.label(), row.rent_text()))),
        ]);
        out.point(&props, h.lon, h.lat);
    }
    Ok(out.finish())
}

/// The bounds of a (multi)polygon given as GeoJSON text.
pub fn bounds_of(geojson: &str) -> Option<Bounds> {
    fn walk(value: &Value, points: &mut Vec<(f64, f64)>) {
        if let Value::Array(items) = value {
            match (items.first().and_then(Value::as_f64), items.get(1).and_then(Value::as_f64)) {
                (Some(lon), Some(lat)) => points.push((lon, lat)),
                _ => items.iter().for_each(|item| walk(item, points)),
            }
        }
    }
    let geometry: Value = serde_json::from_str(geojson).ok()?;
    let mut points = Vec::new();
    walk(geometry.get("coordinates")?, &mut points);
    Bounds::around(points)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compressed_layers_decompress_to_their_json() {
        let json = br#"{"type":"FeatureCollection","features":[]}"#.repeat(50);
        let layer = Layer::compressed(json.clone());
        let (gzip, encoding) = layer.body(Encoding::Gzip);
        assert_eq!(encoding, Encoding::Gzip);
        let mut plain = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&gzip[..]), &mut plain).unwrap();
        assert_eq!(plain, json);
        let (br, encoding) = layer.body(Encoding::Brotli);
        assert_eq!(encoding, Encoding::Brotli);
        let mut plain = Vec::new();
        brotli::BrotliDecompress(&mut &br[..], &mut plain).unwrap();
        assert_eq!(plain, json);
        assert!(br.len() < json.len() / 5);
        assert_eq!(Layer::plain(json.clone()).body(Encoding::Brotli), (Bytes::from(json.clone()), Encoding::Identity));
        assert_eq!(layer.etag, Layer::plain(json).etag, "the validator is the content's, not the encoding's");
    }

    #[test]
    fn bounds_of_a_multipolygon() {
        let geojson = r#"{"type":"MultiPolygon","coordinates":[[[[2.5,44.3],[2.6,44.3],[2.6,44.4],[2.5,44.3]]],[[[3.0,44.0],[3.1,44.0],[3.1,44.1],[3.0,44.0]]]]}"#;
        assert_eq!(bounds_of(geojson), Some(Bounds { west: 2.5, south: 44.0, east: 3.1, north: 44.4 }));
        assert_eq!(bounds_of("not json"), None);
        assert_eq!(bounds_of(r#"{"type":"Polygon","coordinates":[]}"#), None);
    }

    #[test]
    fn features_are_compact_and_skip_absent_properties() {
        let mut out = Collection::new();
        out.point(&properties(&[("n", json!("Rodez")), ("z", Value::Null)]), 2.575_123_4, 44.35);
        out.point(&properties(&[("n", json!("Millau \"centre\""))]), 3.08, 44.1);
        let text = String::from_utf8(out.finish()).unwrap();
        assert_eq!(
            text,
            r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"n":"Rodez"},"geometry":{"coordinates":[2.57512,44.35],"type":"Point"}},{"type":"Feature","properties":{"n":"Millau \"centre\""},"geometry":{"coordinates":[3.08,44.1],"type":"Point"}}]}"#
        );
        let parsed: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(parsed["features"].as_array().unwrap().len(), 2);
    }
}
