//! The passenger stations of the reference data (`stations`, filled by the import) and the
//! nearest ones of a place, as the crow flies: the SQL of those reads. The table is small (a
//! few hundred rows): every station is read and measured, nearest first.

use crate::db::Database;
use crate::db::rows::{Code, table, typed};
use app::domain::territory::{NearStation, NearestStations, StationClass, TerritoryRef, paths};
use app::model::distance_km;

#[derive(Debug, sqlx::FromRow)]
struct StationRow {
    name: String,
    class: Code<StationClass>,
    lat: f64,
    lon: f64,
    commune_code: String,
    commune_name: String,
    commune_slug: String,
}

table!(StationRow, "stations");

impl StationRow {
    fn near(&self, km: f64) -> NearStation {
        NearStation {
            name: self.name.clone(),
            class: self.class.0,
            commune: TerritoryRef {
                name: self.commune_name.clone(),
                path: paths::commune(&self.commune_code, &self.commune_slug),
            },
            km,
        }
    }
}

/// Every station, read once to measure many places from (the search documents of offers).
pub struct Stations(Vec<StationRow>);

impl Stations {
    pub async fn read(db: &Database) -> Result<Self, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT s.name, s.class, s.lat, s.lon, s.commune_code, c.name AS commune_name, c.slug AS commune_slug
             FROM stations s JOIN communes c ON c.code = s.commune_code",
        )
        .try_map(typed::<StationRow>)
        .fetch_all(&db.pool)
        .await?;
        Ok(Self(rows))
    }

    /// The nearest station to the point (`lat`, `lon`), and the nearest of class A or B; None
    /// when the data has no station at all.
    pub fn nearest(&self, lat: f64, lon: f64) -> Option<NearestStations> {
        let measured = self.0.iter().map(|row| (distance_km(lat, lon, row.lat, row.lon), row));
        // Of two at the same distance, the busier one (A before B before C).
        let nearest = |(a, x): &(f64, &StationRow), (b, y): &(f64, &StationRow)| {
            a.total_cmp(b).then(x.class.0.code().cmp(y.class.0.code()))
        };
        let (km, row) = measured.clone().min_by(nearest)?;
        let major = measured.filter(|(_, row)| row.class.0.major()).min_by(nearest).map(|(km, row)| row.near(km));
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
