//! The map page's state in its address, so that a link opens the same view: where the map
//! looks, what colours the communes, which points are hidden and which commune is outlined.
//! It lives in the fragment (`#vue=8.5/44.35/2.57&couleur=apl&masquer=gares,msp&lieu=12202`):
//! the fragment never reaches the server, so the page and its cache stay those of the board's
//! filters (the query string), which the map's offers follow.

use super::style::Colouring;
use crate::model::InseeCode;

/// Where the map looks: its centre and zoom.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct View {
    pub zoom: f64,
    pub lat: f64,
    pub lon: f64,
}

/// What the address says of the map; what it does not say keeps the page's defaults.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Shared {
    pub view: Option<View>,
    pub colouring: Option<Colouring>,
    /// Codes of the points hidden: `offres`, `gares`, structure kinds, interns' points.
    pub hidden: Vec<String>,
    /// The commune outlined (found with the place search).
    pub place: Option<InseeCode>,
}

/// The codes of the offers and the stations among the points hidden.
pub const OFFERS: &str = "offres";
pub const STATIONS: &str = "gares";

/// Reads `fragment` (with or without its `#`); a value that does not read is left out.
pub fn read(fragment: &str) -> Shared {
    let mut shared = Shared::default();
    for pair in fragment.trim_start_matches('#').split('&') {
        let Some((key, value)) = pair.split_once('=') else { continue };
        match key {
            "vue" => shared.view = read_view(value),
            "couleur" => {
                shared.colouring = match value {
                    "apl" => Some(Colouring::Apl),
                    "zonage" => Some(Colouring::Zonage),
                    _ => None,
                }
            }
            "masquer" => {
                shared.hidden = value
                    .split(',')
                    .filter(|code| !code.is_empty() && code.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'))
                    .map(str::to_owned)
                    .collect()
            }
            "lieu" => shared.place = InseeCode::parse(value).ok(),
            _ => {}
        }
    }
    shared
}

fn read_view(value: &str) -> Option<View> {
    let mut parts = value.split('/').map(|part| part.parse::<f64>().ok().filter(|x| x.is_finite()));
    let (zoom, lat, lon) = (parts.next()??, parts.next()??, parts.next()??);
    let fits = (0.0..=22.0).contains(&zoom) && (-85.0..=85.0).contains(&lat) && (-180.0..=180.0).contains(&lon);
    (fits && parts.next().is_none()).then_some(View { zoom, lat, lon })
}

/// The fragment of `shared`, with its `#` (empty when it says nothing).
pub fn write(shared: &Shared) -> String {
    let mut pairs = Vec::new();
    if let Some(View { zoom, lat, lon }) = shared.view {
        // Two decimals of zoom and five of degrees (about a metre): short, and enough.
        pairs.push(format!("vue={zoom:.2}/{lat:.5}/{lon:.5}"));
    }
    if shared.colouring == Some(Colouring::Apl) {
        pairs.push("couleur=apl".to_owned());
    }
    if !shared.hidden.is_empty() {
        pairs.push(format!("masquer={}", shared.hidden.join(",")));
    }
    if let Some(place) = &shared.place {
        pairs.push(format!("lieu={}", place.as_str()));
    }
    if pairs.is_empty() { String::new() } else { format!("#{}", pairs.join("&")) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_written_reads_back() {
        let shared = Shared {
            view: Some(View { zoom: 8.5, lat: 44.35, lon: 2.57 }),
            colouring: Some(Colouring::Apl),
            hidden: vec!["gares".into(), "msp".into()],
            place: Some(InseeCode::parse("12202").unwrap()),
        };
        let fragment = write(&shared);
        assert_eq!(fragment, "#vue=8.50/44.35000/2.57000&couleur=apl&masquer=gares,msp&lieu=12202");
        assert_eq!(read(&fragment), shared);
        assert_eq!(write(&Shared::default()), "");
    }

    #[test]
    fn what_does_not_read_is_left_out() {
        let shared = read("#vue=99/44/2&couleur=rouge&masquer=<b>,gares&lieu=xyz&carte=1&vue");
        assert_eq!(shared, Shared { hidden: vec!["gares".into()], ..Shared::default() });
        assert_eq!(read("vue=7/43.6/1.44/3").view, None, "a fourth number");
        assert_eq!(read("vue=7/NaN/1.44").view, None);
        assert_eq!(read("vue=7/43.6/1.44").view, Some(View { zoom: 7.0, lat: 43.6, lon: 1.44 }));
    }
}
