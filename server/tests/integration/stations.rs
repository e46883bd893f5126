//! The nearest passenger stations on commune and offer pages, checked against distances this
//! test computes itself from the reference files (its own haversine, its own reading of the
//! CSV), not from the portal's code or database.

use crate::helpers::{reference_data, spawn_app};
use crate::offers::remplacement;
use crate::seeds::World;

/// (name, class, lat, lon) of every station, read from the reference file.
fn stations() -> Vec<(String, String, f64, f64)> {
    let text = std::fs::read_to_string(reference_data().join("gares-voyageurs-occitanie.csv")).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let at = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (name, class, lat, lon) = (at("nom"), at("segment_drg"), at("lat"), at("lon"));
    lines
        .map(|line| {
            let f: Vec<&str> = line.split(',').collect();
            (f[name].to_owned(), f[class].to_owned(), f[lat].parse().unwrap(), f[lon].parse().unwrap())
        })
        .collect()
}

/// The centre (lat, lon) of commune `code`, from the reference file.
fn centre(code: &str) -> (f64, f64) {
    let text = std::fs::read_to_string(reference_data().join("communes-occitanie.csv")).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let at = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (lat, lon) = (at("lat"), at("lon"));
    let line = lines.find(|l| l.starts_with(&format!("{code},"))).unwrap();
    // The postal codes and names hold no commas: plain split.
    let f: Vec<&str> = line.split(',').collect();
    (f[lat].parse().unwrap(), f[lon].parse().unwrap())
}

/// Great-circle distance on a sphere of radius 6 371 km, written out here.
fn crow_km((lat1, lon1): (f64, f64), (lat2, lon2): (f64, f64)) -> f64 {
    let (p1, p2, dp, dl) =
        (lat1.to_radians(), lat2.to_radians(), (lat2 - lat1).to_radians(), (lon2 - lon1).to_radians());
    let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().atan2((1.0 - h).sqrt())
}

/// The nearest station to commune `code`, of any class or of class A or B: its name and its
/// distance as the page writes it (« 12,3 km »).
fn expected(code: &str, major_only: bool) -> (String, String) {
    let here = centre(code);
    let (name, km) = stations()
        .into_iter()
        .filter(|(_, class, _, _)| !major_only || class == "A" || class == "B")
        .map(|(name, _, lat, lon)| (name, crow_km(here, (lat, lon))))
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .unwrap();
    (name, format!("{:.1} km", km).replace('.', ","))
}

/// The text of the element marked `data-gare="{which}"` in `html`, tags dropped (its own
/// elements' included).
fn said(html: &str, which: &str) -> String {
    let start = html.find(&format!("data-gare=\"{which}\"")).unwrap_or_else(|| panic!("no {which} station"));
    // A card of key figures ends with its `</div>`, a line of an offer's facts or a
    // sentence of the card with its `</dd>` or `</p>`.
    let tag = &html[html[..start].rfind('<').unwrap()..start];
    let ends: &[&str] = if tag.starts_with("<div") { &["</div>"] } else { &["</p>", "</dd>"] };
    let end = start + ends.iter().filter_map(|tag| html[start..].find(tag)).min().unwrap();
    let mut text = String::new();
    let mut inside = false;
    for c in html[start..end].chars() {
        match c {
            '<' => inside = true,
            '>' => inside = false,
            c if !inside => text.push(c),
            _ => {}
        }
    }
    text.replace("&#x27;", "'")
}

#[tokio::test]
async fn commune_pages_name_the_nearest_station_and_the_nearest_busy_one_at_the_right_distance() {
    let app = spawn_app().await;
    // Mende (a local station in town), Auch (a regional one), Toulouse (a national one) and
    // Saint-Chély-d'Apcher, far from any class A or B station.
    for (code, path) in [
        ("48095", "/communes/48095-mende"),
        ("32013", "/communes/32013-auch"),
        ("31555", "/communes/31555-toulouse"),
        ("48140", "/communes/48140-saint-chely-d-apcher"),
    ] {
        let (status, html) = app.page(path).await;
        assert_eq!(status, 200, "{path}");
        let (name, km) = expected(code, false);
        let nearest = said(&html, "proche");
        assert!(nearest.contains(&name) && nearest.contains(&km), "{path}: {nearest} (expected {name}, {km})");
        let (major, major_km) = expected(code, true);
        if major != name {
            let busy = said(&html, "grande");
            assert!(busy.contains(&major) && busy.contains(&major_km), "{path}: {busy} (expected {major}, {major_km})");
        } else {
            assert!(!html.contains("data-gare=\"grande\""), "{path}: the nearest is already a busy one");
        }
        assert!(html.contains("Gares de voyageurs"), "{path}: the source is named");
    }
}

#[tokio::test]
async fn an_offer_page_names_the_stations_nearest_to_its_commune_whose_page_lists_it_first() {
    let app = spawn_app().await;
    let w = World::of(&app).await;
    let claire = w.confirmed_user("claire@mende.example", "Claire Mairie").await;
    let commune = w.organisation(claire, "commune", "Mairie de Mende", "48095", true).await;
    let offer = w
        .published(claire, commune, &app::domain::offers::OfferForm { commune: "48095".into(), ..remplacement() })
        .await;
    // The offer's canonical address, where a wrong slug is sent.
    let moved = app.get(&format!("/offres/{offer}-x")).await;
    let canonical = moved.headers()["location"].to_str().unwrap().to_owned();
    let (status, html) = app.page(&canonical).await;
    assert_eq!(status, 200, "{canonical}");
    let (name, km) = expected("48095", false);
    let nearest = said(&html, "proche");
    assert!(nearest.contains(&name) && nearest.contains(&km), "{nearest}");
    let (major, major_km) = expected("48095", true);
    let busy = said(&html, "grande");
    assert!(busy.contains(&major) && busy.contains(&major_km), "{busy}");

    // The commune's page lists its open offers right after its key figures.
    let (_, commune) = app.page("/communes/48095-mende").await;
    let offers = commune.find("data-offres-ici=\"1\"").expect("one open offer listed");
    assert!(
        commune[offers..].contains("Remplacement d&#x27;été à Rodez")
            || commune[offers..].contains("Remplacement d'été à Rodez")
    );
    assert!(commune.find("id=\"chiffres-cles\"").unwrap() < offers && offers < commune.find("id=\"zonage\"").unwrap());
    let (_, elsewhere) = app.page("/communes/48140-saint-chely-d-apcher").await;
    assert!(elsewhere.contains("data-offres-ici=\"0\"") && elsewhere.contains("Aucune offre ouverte dans la commune"));
}

/// The ids of the offers the open API lists for `filter` (the board's own reading of it).
async fn listed(app: &crate::helpers::TestApp, filter: &str) -> Vec<i64> {
    let path = format!("/api/v1/offres?par_page=100&{filter}");
    let response = app.get(&path).await;
    assert_eq!(response.status(), 200, "{path}");
    let page: serde_json::Value = response.json().await.unwrap();
    let mut ids: Vec<i64> =
        page["elements"].as_array().unwrap().iter().map(|offer| offer["id"].as_i64().unwrap()).collect();
    ids.sort_unstable();
    ids
}

#[tokio::test]
async fn the_board_keeps_the_offers_near_a_station_as_measured_here() {
    let app = spawn_app().await;
    let w = World::of(&app).await;
    let claire = w.confirmed_user("claire@mende.example", "Claire Mairie").await;
    let commune = w.organisation(claire, "commune", "Mairie de Mende", "48095", true).await;
    // Towns with a station, a village far from any busy one, and places in between.
    let places = ["48095", "48146", "32107", "31555", "32013", "12202", "12145", "46042", "09122", "81065", "30189"];
    let mut offers = Vec::new();
    for code in places {
        let form = app::domain::offers::OfferForm {
            commune: code.into(),
            title: format!("Remplacement d'été, commune {code}"),
            ..remplacement()
        };
        offers.push((w.published(claire, commune, &form).await, code));
    }
    app.indexed().await;
    for near in app::domain::offers::StationNear::ALL {
        let expected: Vec<i64> = {
            let mut ids: Vec<i64> = offers
                .iter()
                .filter(|(_, code)| {
                    let here = centre(code);
                    stations()
                        .iter()
                        .filter(|(_, class, _, _)| !near.major() || class == "A" || class == "B")
                        .any(|(_, _, lat, lon)| crow_km(here, (*lat, *lon)) <= f64::from(near.km()))
                })
                .map(|(id, _)| *id)
                .collect();
            ids.sort_unstable();
            ids
        };
        assert_eq!(listed(&app, &format!("gare={}", near.code())).await, expected, "gare={}", near.code());
    }
    // The filter tells something: some offers are near a station and some are not.
    let (near, far) = (listed(&app, "gare=5").await, listed(&app, "gare=10-ab").await);
    assert!(!near.is_empty() && near.len() < offers.len(), "{near:?}");
    assert!(!far.is_empty() && far.len() < offers.len(), "{far:?}");

    // On the board, without JavaScript: the form's choice, the same offers, and the choice kept.
    let (status, html) = app.page("/offres?gare=10-ab").await;
    assert_eq!(status, 200);
    assert!(html.contains(r#"<option value="10-ab" selected"#), "the choice is shown as made");
    for (id, code) in &offers {
        let shown = html.contains(&format!("Remplacement d&#x27;été, commune {code}"))
            || html.contains(&format!("Remplacement d'été, commune {code}"));
        assert_eq!(shown, far.contains(id), "offer at {code}");
    }
    // A value the board does not know is said, and changes nothing.
    let (status, html) = app.page("/offres?gare=7").await;
    assert_eq!(status, 200);
    assert!(html.contains("Distance à une gare « 7 » inconnue"));
    let response = app.get("/api/v1/offres?gare=7").await;
    assert_eq!(response.status(), 400);
}
