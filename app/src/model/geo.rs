//! Distances on the ground between two places given by latitude and longitude.

/// Great-circle distance (haversine), in km.
pub fn distance_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6371.0 * a.sqrt().asin()
}

/// A rectangle of longitudes and latitudes (WGS84 degrees), as the map shows an area and as
/// the board's `zone` filter reads it: `west,south,east,north`, the order of GeoJSON bounding
/// boxes. Always valid: west < east, south < north, inside the world.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Bounds {
    pub west: f64,
    pub south: f64,
    pub east: f64,
    pub north: f64,
}

// Never NaN (the constructors refuse it), so equality is reflexive: filters holding bounds can be Eq.
impl Eq for Bounds {}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BoundsError {
    #[error("une zone s'écrit ouest,sud,est,nord en degrés (quatre nombres séparés par des virgules)")]
    Format,
    #[error("la zone doit aller d'ouest en est et du sud au nord, sur la Terre")]
    Outside,
}

impl Bounds {
    pub fn new(west: f64, south: f64, east: f64, north: f64) -> Result<Self, BoundsError> {
        let inside = [west, east].iter().all(|x| (-180.0..=180.0).contains(x))
            && [south, north].iter().all(|y| (-90.0..=90.0).contains(y));
        if !inside || west >= east || south >= north {
            return Err(BoundsError::Outside);
        }
        Ok(Self { west, south, east, north })
    }

    /// Reads `west,south,east,north`.
    pub fn parse(text: &str) -> Result<Self, BoundsError> {
        let numbers: Vec<f64> = text
            .split(',')
            .map(|part| part.trim().parse::<f64>())
            .collect::<Result<_, _>>()
            .map_err(|_| BoundsError::Format)?;
        match numbers[..] {
            [west, south, east, north] if numbers.iter().all(|n| n.is_finite()) => Self::new(west, south, east, north),
            _ => Err(BoundsError::Format),
        }
    }

    /// The smallest rectangle holding every (lon, lat) of `points`; None without points.
    pub fn around(points: impl IntoIterator<Item = (f64, f64)>) -> Option<Self> {
        let mut out: Option<(f64, f64, f64, f64)> = None;
        for (lon, lat) in points {
            if !lon.is_finite() || !lat.is_finite() {
                continue;
            }
            out = Some(match out {
                None => (lon, lat, lon, lat),
                Some((w, s, e, n)) => (w.min(lon), s.min(lat), e.max(lon), n.max(lat)),
            });
        }
        // A single point (or a line) still gets an area: about 1 km each way.
        let (w, s, e, n) = out?;
        let pad = |lo: f64, hi: f64| if hi - lo < 0.01 { (lo - 0.005, hi + 0.005) } else { (lo, hi) };
        let ((w, e), (s, n)) = (pad(w, e), pad(s, n));
        Self::new(w.max(-180.0), s.max(-90.0), e.min(180.0), n.min(90.0)).ok()
    }

    /// A latitude's place on a Web Mercator map (the projection of MapLibre and of web maps),
    /// in the units of longitude: degrees at the equator.
    pub fn mercator_y(lat: f64) -> f64 {
        (std::f64::consts::FRAC_PI_4 + lat.to_radians() / 2.0).tan().ln().to_degrees()
    }

    /// The height of this area drawn `width` wide on a Web Mercator map.
    pub fn mercator_height(self, width: f64) -> f64 {
        width * (Self::mercator_y(self.north) - Self::mercator_y(self.south)) / (self.east - self.west)
    }

    /// The rectangle holding both.
    pub fn union(self, other: Self) -> Self {
        Self {
            west: self.west.min(other.west),
            south: self.south.min(other.south),
            east: self.east.max(other.east),
            north: self.north.max(other.north),
        }
    }

    pub fn contains(&self, lon: f64, lat: f64) -> bool {
        (self.west..=self.east).contains(&lon) && (self.south..=self.north).contains(&lat)
    }
}

/// `west,south,east,north` with 4 decimals (about 10 m), short enough for an address.
impl std::fmt::Display for Bounds {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:.4},{:.4},{:.4},{:.4}", self.west, self.south, self.east, self.north)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn web_mercator_stretches_latitudes_as_web_maps_do() {
        assert!(Bounds::mercator_y(0.0).abs() < 1e-12);
        // 45° north sits at ln(tan(67.5°)) radians: 50.5 "degrees" up.
        assert!((Bounds::mercator_y(45.0) - 50.498_987).abs() < 1e-5);
        // One degree square at 44° N is drawn taller than wide, by 1/cos(44°) roughly.
        let square = Bounds::new(1.0, 43.5, 2.0, 44.5).unwrap();
        assert!((square.mercator_height(1000.0) - 1000.0 / 44f64.to_radians().cos()).abs() < 1.0);
    }

    #[test]
    fn bounds_read_back_from_their_own_text() {
        let rodez = Bounds::parse("2.5, 44.3,2.6,44.4").unwrap();
        assert_eq!(rodez, Bounds { west: 2.5, south: 44.3, east: 2.6, north: 44.4 });
        assert_eq!(Bounds::parse(&rodez.to_string()), Ok(rodez));
        assert!(rodez.contains(2.57, 44.35));
        assert!(!rodez.contains(3.08, 44.1));
    }

    #[test]
    fn unreadable_or_inverted_bounds_are_refused() {
        for text in ["", "1,2,3", "1,2,3,4,5", "a,b,c,d", "NaN,1,2,3", "1,2,inf,4"] {
            assert_eq!(Bounds::parse(text), Err(BoundsError::Format), "{text}");
        }
        for text in ["3,44,2,45", "2,45,3,44", "-200,0,1,1", "0,-91,1,1"] {
            assert_eq!(Bounds::parse(text), Err(BoundsError::Outside), "{text}");
        }
    }

    #[test]
    fn bounds_around_points_and_their_union() {
        let b = Bounds::around([(2.0, 44.0), (3.0, 43.5), (2.5, 44.5)]).unwrap();
        assert_eq!(b, Bounds { west: 2.0, south: 43.5, east: 3.0, north: 44.5 });
        let point = Bounds::around([(2.0, 44.0)]).unwrap();
        assert!(point.west < 2.0 && point.east > 2.0 && point.contains(2.0, 44.0));
        assert_eq!(Bounds::around(std::iter::empty()), None);
        let u = b.union(Bounds { west: 1.0, south: 44.0, east: 1.5, north: 45.0 });
        assert_eq!(u, Bounds { west: 1.0, south: 43.5, east: 3.0, north: 45.0 });
    }
}
