//! The passenger stations of the reference data (`stations`, filled by the import) and the
//! nearest ones of a place, as the crow flies: the SQL of those reads. The table is small (a
//! few hundred rows): every station is read and measured, nearest first.

use crate::db::Database;
use crate::db::rows::{Code, table, typed};
use app::domain::territory::{NearStation, NearestStations, StationClass, TerritoryRef, paths};
use app::model::distance_km;

/// A passenger station with its place and its commune: the one row every reader of
/// `stations` shares (the nearest stations, the map's layer, its lists).
#[derive(Debug, sqlx::FromRow)]
pub struct Station {
    pub name: String,
    class: Code<StationClass>,
    pub lat: f64,
    pub lon: f64,
    commune_code: String,
    pub commune_name: String,
    commune_slug: String,
    pub departement_code: String,
}

table!(Station, "stations");

impl Station {
    pub fn class(&self) -> StationClass {
        self.class.0
    }

    /// The address of the station's commune page.
    pub fn commune_path(&self) -> String {
        paths::commune(&self.commune_code, &self.commune_slug)
    }

    fn near(&self, km: f64) -> NearStation {
        NearStation {
            name: self.name.clone(),
            class: self.class(),
            commune: TerritoryRef { name: self.commune_name.clone(), path: self.commune_path() },
            km,
        }
    }
}

/// Every station, busiest class first, then by name: read once to measure many places from
/// (the search documents of offers) or to draw and list them (the map).
pub struct Stations(Vec<Station>);

impl Stations {
    pub async fn read(db: &Database) -> Result<Self, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT s.name, s.class, s.lat, s.lon, s.commune_code, c.name AS commune_name, c.slug AS commune_slug,
                    c.departement_code
             FROM stations s JOIN communes c ON c.code = s.commune_code ORDER BY s.class, s.name, s.code",
        )
        .try_map(typed::<Station>)
        .fetch_all(&db.pool)
        .await?;
        Ok(Self(rows))
    }

    pub fn into_vec(self) -> Vec<Station> {
        self.0
    }

    /// The nearest station to the point (`lat`, `lon`), and the nearest of class A or B; None
    /// when the data has no station at all.
    pub fn nearest(&self, lat: f64, lon: f64) -> Option<NearestStations> {
        let measured = self.0.iter().map(|row| (distance_km(lat, lon, row.lat, row.lon), row));
        // Of two at the same distance, the busier one (A before B before C).
        let nearest = |(a, x): &(f64, &Station), (b, y): &(f64, &Station)| {
            a.total_cmp(b).then(x.class().code().cmp(y.class().code()))
        };
        let (km, row) = measured.clone().min_by(nearest)?;
        let major = measured.filter(|(_, row)| row.class().major()).min_by(nearest).map(|(km, row)| row.near(km));
        Some(NearestStations { any: row.near(km), major })
    }
}

/// The nearest station to the point (`lat`, `lon`), and the nearest of class A or B.
pub async fn nearest(db: &Database, lat: f64, lon: f64) -> Result<Option<NearestStations>, sqlx::Error> {
    Ok(Stations::read(db).await?.nearest(lat, lon))
}

/// The stations nearest to the centre of commune `code` (None for an unknown commune).
pub async fn near_commune(db: &Database, code: &str) -> Result<Option<NearestStations>, sqlx::Error> {
    let centre: Option<(f64, f64)> = sqlx::query_as("SELECT lat, lon FROM communes WHERE code = $1")
        .bind(code.to_owned())
        .fetch_optional(&db.pool)
        .await?;
    match centre {
        Some((lat, lon)) => nearest(db, lat, lon).await,
        None => Ok(None),
    }
}
