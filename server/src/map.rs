//! The map: its GeoJSON layers built from the database, and the server side of the map's
//! server functions (where a map opens, what is in an area, a commune's popup).
//!
//! The reference layers (communes, départements, structures) change only with an import:
//! each is built once, compressed once (gzip and brotli) and kept while the reference data
//! keeps its version (server/src/cache), so a visit costs a copy of bytes. The offers layer follows the board's filters and is built per
//! request from the search engine's answer.

mod layers;
mod preview;

pub use layers::Layer;

use crate::cache::{Scope, VersionError, VersionGate};
use crate::db::Database;
use crate::db::rows::{Code, table, typed};
use crate::offers::{BoardError, Offers};
use crate::territory::records::{STRUCTURE, StructureRecord};
use crate::territory::stations::Stations;
use app::domain::ServiceError;
use app::domain::map::{
    InternPoint, LIST_LIMIT, MapCommune, MapDepartement, MapFocus, MapFrame, MapLayers, MapList, MapOffer, MapPreview,
    MapService, MapStation, MapStructure, MapText, MapTextPage, paths,
};
use app::domain::offers::{BoardQuery, OfferKind, offer_path};
use app::domain::territory::{TerritoryRef, paths as territory_paths};
use app::model::{Around, Bounds, DepartementCode, InseeCode, Zonage};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

#[derive(Debug, thiserror::Error)]
pub enum MapError {
    #[error("la carte est momentanément indisponible, réessayez dans un instant")]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Board(#[from] BoardError),
    #[error("la préparation d'une couche de la carte a échoué : {0}")]
    Build(String),
    #[error(transparent)]
    Versions(#[from] VersionError),
}

/// A health structure as the map's lists name it (the area's list, the map as text).
fn listed(structure: StructureRecord) -> MapStructure {
    MapStructure {
        kind: structure.kind.0,
        commune_path: territory_paths::commune(&structure.commune_code, &structure.commune_slug),
        name: structure.name,
        commune: structure.commune_name,
    }
}

/// A station of the list, with where it is.
struct PlacedStation {
    station: MapStation,
    lon: f64,
    lat: f64,
    departement: String,
}

/// The layers that change only with an import.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Reference {
    Communes,
    Departements,
    Structures,
    /// The names written on the map (départements and communes).
    Places,
    Stations,
    /// The picture of the region shown before the live map (SVG), for a computer's width…
    RegionPreview,
    /// …and for a phone's.
    RegionPreviewNarrow,
}

/// Something read from the reference data, and the version of the data it was read at.
struct Kept<T> {
    version: i64,
    value: Arc<T>,
}

impl<T> Kept<T> {
    /// The value, while the reference data is still at its version.
    fn fresh(&self, version: i64) -> Option<Arc<T>> {
        (self.version == version).then(|| self.value.clone())
    }
}

#[derive(Clone)]
pub struct Maps {
    db: Database,
    /// The offers shown, and the clock they are read by.
    offers: Offers,
    versions: VersionGate,
    layers: Arc<Mutex<HashMap<Reference, Kept<Layer>>>>,
    departements: Arc<Mutex<Option<Kept<Vec<MapDepartement>>>>>,
}

impl Maps {
    pub fn new(db: Database, offers: Offers, versions: VersionGate) -> Self {
        Self { db, offers, versions, layers: Arc::default(), departements: Arc::default() }
    }

    /// The version of the reference data now: read before what is built from it.
    async fn reference_version(&self) -> Result<i64, MapError> {
        Ok(self.versions.current().await?.versions.of(Scope::Reference))
    }

    /// A reference layer, built when missing or older than the reference data.
    pub async fn reference(&self, which: Reference) -> Result<Arc<Layer>, MapError> {
        let version = self.reference_version().await?;
        let cached = self.layers.lock().ok().and_then(|layers| layers.get(&which).and_then(|k| k.fresh(version)));
        if let Some(layer) = cached {
            return Ok(layer);
        }
        let json = match which {
            Reference::Communes => layers::communes(&self.db).await?,
            Reference::Departements => layers::departements(&self.db).await?,
            Reference::Structures => layers::structures(&self.db).await?,
            Reference::Places => layers::places(&self.db).await?,
            Reference::Stations => layers::stations(&self.db).await?,
            Reference::RegionPreview => {
                layers::region_preview(&self.db, preview::Size::WIDE, self.region().await?).await?
            }
            Reference::RegionPreviewNarrow => {
                layers::region_preview(&self.db, preview::Size::NARROW, self.region().await?).await?
            }
        };
        // Compressing 2 MB takes a fraction of a second: not on the async threads.
        let layer = tokio::task::spawn_blocking(move || Layer::compressed(json))
            .await
            .map_err(|error| MapError::Build(error.to_string()))?;
        let layer = Arc::new(layer);
        if let Ok(mut layers) = self.layers.lock() {
            layers.insert(which, Kept { version, value: layer.clone() });
        }
        Ok(layer)
    }

    /// The open offers matching the board's `query`, as points on their communes.
    /// The interns' layer: open stage sites and housing (a few hundred points at most, built
    /// per request: what is open depends on the day).
    pub async fn interns_layer(&self) -> Result<Layer, MapError> {
        let today = self.offers.clock().today();
        Ok(Layer::plain(layers::interns(&self.db, today).await?))
    }

    pub async fn offers_layer(&self, query: &BoardQuery) -> Result<Layer, MapError> {
        let ids = self.offers.matching_ids(query).await?;
        Ok(Layer::plain(layers::offers(&self.db, &ids).await?))
    }

    async fn departements(&self) -> Result<Arc<Vec<MapDepartement>>, MapError> {
        let version = self.reference_version().await?;
        let cached = self.departements.lock().ok().and_then(|d| d.as_ref().and_then(|k| k.fresh(version)));
        if let Some(list) = cached {
            return Ok(list);
        }
        let rows = layers::departement_outlines(&self.db).await?;
        let mut list = Vec::with_capacity(rows.len());
        for row in rows {
            if let Some(bounds) = layers::bounds_of(&row.geojson) {
                list.push(MapDepartement { code: row.code, name: row.name, bounds });
            }
        }
        let list = Arc::new(list);
        if let Ok(mut cached) = self.departements.lock() {
            *cached = Some(Kept { version, value: list.clone() });
        }
        Ok(list)
    }

    /// The union of the outlines of `kind` whose code matches the SQL condition.
    async fn outline(&self, sql: &'static str, key: &str) -> Result<Option<Bounds>, MapError> {
        let texts: Vec<String> = sqlx::query_scalar(sql).bind(key).fetch_all(&self.db.pool).await?;
        Ok(texts.iter().filter_map(|g| layers::bounds_of(g)).reduce(Bounds::union))
    }

    /// The region map's frame: its départements' bounds together. The region's picture is
    /// drawn on it, so that the live map replaces the picture in place.
    async fn region(&self) -> Result<Bounds, MapError> {
        self.departements()
            .await?
            .iter()
            .map(|d| d.bounds)
            .reduce(Bounds::union)
            .ok_or_else(|| MapError::Build("aucun contour de département : importer les données de référence".into()))
    }

    pub async fn frame(&self, focus: &MapFocus) -> Result<Option<MapFrame>, MapError> {
        let departements = self.departements().await?;
        let (bounds, commune) = match focus {
            MapFocus::Region => (departements.iter().map(|d| d.bounds).reduce(Bounds::union), None),
            MapFocus::Departement(code) => (departements.iter().find(|d| &d.code == code).map(|d| d.bounds), None),
            MapFocus::Epci(siren) => {
                let sql = "SELECT g.geojson FROM geometries g JOIN communes c ON g.kind = 'commune' AND g.code = c.code
                           WHERE c.epci_siren = $1";
                (self.outline(sql, siren).await?, None)
            }
            MapFocus::Commune(code) => {
                let sql = "SELECT geojson FROM geometries WHERE kind = 'commune' AND code = $1";
                (self.outline(sql, code).await?, Some(code.clone()))
            }
        };
        // The region's picture is drawn on its frame's bounds: the union of the départements'.
        let preview = (*focus == MapFocus::Region).then_some(MapPreview {
            wide: paths::REGION_PREVIEW.to_owned(),
            narrow: paths::REGION_PREVIEW_NARROW.to_owned(),
        });
        Ok(bounds.map(|bounds| MapFrame { bounds, commune, departements: departements.to_vec(), preview, list: None }))
    }

    /// What `zone` holds of the points in `layers` (the offers of `query`).
    pub async fn list(&self, query: &BoardQuery, zone: Bounds, layers: &MapLayers) -> Result<MapList, MapError> {
        let (offers, offers_total) = if layers.offers {
            let inside_zone = BoardQuery { zone: Some(zone), page: 1, ..query.clone() };
            let (ids, total) = self.offers.first_ids(&inside_zone, LIST_LIMIT).await?;
            (self.offer_rows(&ids).await?, total)
        } else {
            (Vec::new(), 0)
        };
        #[derive(sqlx::FromRow)]
        struct Count {
            zonage: Option<Code<Zonage>>,
            total: i64,
        }
        table!(Count, "communes");
        #[derive(sqlx::FromRow)]
        struct Total {
            total: i64,
        }
        table!(Total, "health_structures");
        // Codes of our own enum, never the visitor's text; none shown reads as no row.
        let kinds = layers.structures.iter().map(|k| format!("'{}'", k.code())).collect::<Vec<_>>().join(", ");
        let kinds = if kinds.is_empty() { "NULL".to_owned() } else { kinds };
        let inside = format!("s.lon BETWEEN $1 AND $2 AND s.lat BETWEEN $3 AND $4 AND s.kind IN ({kinds})");
        let in_zone = |sql: String| {
            sqlx::query(sqlx::AssertSqlSafe(sql)).bind(zone.west).bind(zone.east).bind(zone.south).bind(zone.north)
        };
        let structures = in_zone(format!(
            "{STRUCTURE} WHERE {inside} ORDER BY c.population DESC, s.name, s.finess LIMIT {LIST_LIMIT}"
        ))
        .try_map(typed::<StructureRecord>)
        .fetch_all(&self.db.pool)
        .await?
        .into_iter()
        .map(listed)
        .collect();
        let structures_total =
            in_zone(format!("SELECT CAST(COUNT(*) AS BIGINT) AS total FROM health_structures s WHERE {inside}"))
                .try_map(typed::<Total>)
                .fetch_one(&self.db.pool)
                .await?
                .total;
        let zonage = in_zone(
            "SELECT s.zonage, CAST(COUNT(*) AS BIGINT) AS total FROM communes s
             WHERE s.lon_inside BETWEEN $1 AND $2 AND s.lat_inside BETWEEN $3 AND $4
             GROUP BY s.zonage ORDER BY s.zonage"
                .to_owned(),
        )
        .try_map(typed::<Count>)
        .fetch_all(&self.db.pool)
        .await?
        .into_iter()
        .map(|c| (c.zonage.map(|z| z.0), c.total as usize))
        .collect();
        let interns = self.interns_in(zone, &layers.interns).await?;
        let mut stations = if layers.stations { self.stations_in(zone).await? } else { Vec::new() };
        let stations_total = stations.len();
        stations.truncate(LIST_LIMIT);
        Ok(MapList {
            offers,
            offers_total,
            structures,
            structures_total: structures_total as usize,
            zonage,
            interns,
            stations,
            stations_total,
        })
    }

    /// The passenger stations in `zone`, busiest class first.
    async fn stations_in(&self, zone: Bounds) -> Result<Vec<MapStation>, MapError> {
        let inside =
            |lon: f64, lat: f64| (zone.west..=zone.east).contains(&lon) && (zone.south..=zone.north).contains(&lat);
        Ok(self.stations().await?.into_iter().filter(|s| inside(s.lon, s.lat)).map(|s| s.station).collect())
    }

    /// Every passenger station with its place, busiest class first (a few hundred rows).
    async fn stations(&self) -> Result<Vec<PlacedStation>, MapError> {
        let stations = Stations::read(&self.db).await?.into_vec();
        Ok(stations
            .into_iter()
            .map(|s| PlacedStation {
                lon: s.lon,
                lat: s.lat,
                station: MapStation {
                    class: s.class(),
                    commune_path: s.commune_path(),
                    name: s.name,
                    commune: s.commune_name,
                },
                departement: s.departement_code,
            })
            .collect())
    }

    /// The open stage sites, then the housing, at communes whose centre is in `zone`.
    async fn interns_in(&self, zone: Bounds, shown: &[InternPoint]) -> Result<Vec<MapOffer>, MapError> {
        let inside =
            |lon: f64, lat: f64| (zone.west..=zone.east).contains(&lon) && (zone.south..=zone.north).contains(&lat);
        self.interns_where(shown, |_, lon, lat| inside(lon, lat)).await
    }

    /// The open stage sites, then the housing, of `shown` whose commune `keep` keeps (by its
    /// code and centre: longitude, latitude).
    async fn interns_where(
        &self,
        shown: &[InternPoint],
        keep: impl Fn(&str, f64, f64) -> bool,
    ) -> Result<Vec<MapOffer>, MapError> {
        let today = self.offers.clock().today();
        let mut conn = self.db.pool.acquire().await?;
        let sites =
            crate::stages::records::open(&mut conn, crate::stages::records::Filter::default(), i64::MAX, 0).await?;
        let housing = crate::housing::records::open(&mut conn, today, None, i64::MAX, 0).await?;
        let (sites_shown, housing_shown) = (shown.contains(&InternPoint::Site), shown.contains(&InternPoint::Housing));
        let sites =
            sites.into_iter().filter(|s| sites_shown && keep(&s.commune_code, s.lon, s.lat)).map(|s| MapOffer {
                path: app::domain::stages::paths::SITE.of(s.id),
                title: s.name,
                kind: "Terrain de stage".to_owned(),
                commune: s.commune,
            });
        let housing =
            housing.into_iter().filter(|h| housing_shown && keep(&h.commune_code, h.lon, h.lat)).map(|h| MapOffer {
                path: app::domain::housing::paths::HOUSING.of(h.id),
                title: h.title,
                kind: "Logement pour internes".to_owned(),
                commune: h.commune,
            });
        Ok(sites.chain(housing).collect())
    }

    /// The map as text for the département `code` (None, or a code the region does not have:
    /// only the départements to choose from), its offers those of the board's `query` there.
    pub async fn text(&self, code: Option<&str>, query: &BoardQuery) -> Result<MapTextPage, MapError> {
        let departements = self.departements().await?.to_vec();
        let Some(departement) = code.and_then(|code| departements.iter().find(|d| d.code == code)).cloned() else {
            return Ok(MapTextPage { departements, chosen: None });
        };
        let code = departement.code.clone();
        let there = BoardQuery {
            departements: DepartementCode::parse(&code).into_iter().collect(),
            zone: None,
            page: 1,
            ..query.clone()
        };
        let offers = self.offer_rows(&self.offers.matching_ids(&there).await?).await?;
        #[derive(sqlx::FromRow)]
        struct Place {
            code: String,
            name: String,
            slug: String,
            zonage: Option<Code<Zonage>>,
        }
        table!(Place, "communes");
        let communes = sqlx::query(
            "SELECT code, name, slug, zonage FROM communes WHERE departement_code = $1 ORDER BY name, code",
        )
        .bind(code.clone())
        .try_map(typed::<Place>)
        .fetch_all(&self.db.pool)
        .await?;
        let mut zonage: Vec<(Option<Zonage>, Vec<TerritoryRef>)> = Vec::new();
        for class in Zonage::ALL.iter().copied().map(Some).chain([None]) {
            let named: Vec<TerritoryRef> = communes
                .iter()
                .filter(|c| c.zonage.as_ref().map(|z| z.0) == class)
                .map(|c| TerritoryRef { name: c.name.clone(), path: territory_paths::commune(&c.code, &c.slug) })
                .collect();
            if !named.is_empty() {
                zonage.push((class, named));
            }
        }
        let structures = sqlx::query(sqlx::AssertSqlSafe(format!(
            "{STRUCTURE} WHERE c.departement_code = $1 ORDER BY c.name, s.name, s.finess"
        )))
        .bind(code.clone())
        .try_map(typed::<StructureRecord>)
        .fetch_all(&self.db.pool)
        .await?
        .into_iter()
        .map(listed)
        .collect();
        let in_departement: std::collections::HashSet<String> = communes.into_iter().map(|c| c.code).collect();
        let stations =
            self.stations().await?.into_iter().filter(|s| s.departement == code).map(|s| s.station).collect();
        let interns = self.interns_where(InternPoint::ALL, |commune, _, _| in_departement.contains(commune)).await?;
        Ok(MapTextPage {
            departements,
            chosen: Some(MapText { departement, offers, structures, zonage, stations, interns }),
        })
    }

    /// Title, kind, commune and path of each offer of `ids`, in that order.
    async fn offer_rows(&self, ids: &[i64]) -> Result<Vec<MapOffer>, MapError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        // Ids are numbers from the engine, never text from the visitor.
        let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
        #[derive(sqlx::FromRow)]
        struct Listed {
            id: i64,
            title: String,
            kind: Code<OfferKind>,
            commune: String,
        }
        table!(Listed, "offers");
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT o.id, o.title, o.kind, c.name AS commune FROM offers o JOIN communes c ON c.code = o.commune_code
             WHERE o.id IN ({list})"
        )))
        .try_map(typed::<Listed>)
        .fetch_all(&self.db.pool)
        .await?;
        let mut by_id = HashMap::new();
        for o in rows {
            let offer = MapOffer {
                path: offer_path(o.id, &o.title),
                title: o.title,
                kind: o.kind.0.label().to_owned(),
                commune: o.commune,
            };
            by_id.insert(o.id, offer);
        }
        Ok(ids.iter().filter_map(|id| by_id.remove(id)).collect())
    }

    pub async fn commune(&self, code: &InseeCode) -> Result<Option<MapCommune>, MapError> {
        #[derive(sqlx::FromRow)]
        struct Popup {
            name: String,
            slug: String,
            zonage: Option<Code<Zonage>>,
            apl: Option<f64>,
        }
        table!(Popup, "communes");
        let row = sqlx::query(
            "SELECT c.name, c.slug, c.zonage,
                 (SELECT a.apl FROM apl a WHERE a.commune_code = c.code ORDER BY a.year DESC LIMIT 1) AS apl
             FROM communes c WHERE c.code = $1",
        )
        .bind(code.to_string())
        .try_map(typed::<Popup>)
        .fetch_optional(&self.db.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let open: i64 = sqlx::query_scalar(concat!(
            "SELECT COUNT(*) FROM offers WHERE commune_code = $1 AND ",
            crate::offers::open_offer!("offers", "$2"),
        ))
        .bind(code.to_string())
        .bind(self.offers.clock().now())
        .fetch_one(&self.db.pool)
        .await?;
        let around = BoardQuery {
            around: Some(Around::Code(code.clone())),
            radius_km: Some(OFFERS_AROUND_KM),
            ..BoardQuery::default()
        };
        Ok(Some(MapCommune {
            path: territory_paths::commune(&code.to_string(), &row.slug),
            name: row.name,
            zonage: row.zonage.map(|z| z.0),
            apl: row.apl,
            open_offers: open as usize,
            offers_path: around.href(1),
        }))
    }
}

/// The popup's link to the board: offers of the commune and its neighbours.
pub const OFFERS_AROUND_KM: u32 = 10;

fn failed(error: MapError) -> ServiceError {
    ServiceError(error.to_string())
}

#[async_trait::async_trait]
impl MapService for Maps {
    async fn frame(&self, focus: MapFocus, list: Option<BoardQuery>) -> Result<Option<MapFrame>, ServiceError> {
        let Some(mut frame) = Maps::frame(self, &focus).await.map_err(failed)? else { return Ok(None) };
        if let Some(query) = list {
            frame.list = Some(Maps::list(self, &query, frame.bounds, &MapLayers::default()).await.map_err(failed)?);
        }
        Ok(Some(frame))
    }

    async fn list(&self, query: BoardQuery, zone: Bounds, layers: MapLayers) -> Result<MapList, ServiceError> {
        Maps::list(self, &query, zone, &layers).await.map_err(failed)
    }

    async fn text(&self, departement: Option<String>, query: BoardQuery) -> Result<MapTextPage, ServiceError> {
        Maps::text(self, departement.as_deref(), &query).await.map_err(failed)
    }

    async fn commune(&self, code: &InseeCode) -> Result<Option<MapCommune>, ServiceError> {
        Maps::commune(self, code).await.map_err(failed)
    }
}
