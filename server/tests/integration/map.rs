//! The map: its layers (real polygons and structures of the import, compressed, revalidated by
//! ETag), the offers layer following the board's filters, the area filter of the board, the
//! server functions of its popup and list, and the pages that show it.

use crate::helpers::*;
use crate::offers::remplacement;
use crate::seeds::World;
use app::domain::map::MapLayers;
use app::domain::offers::{BoardQuery, OfferForm};
use app::domain::territory::StructureKind;
use app::model::Bounds;
use serde_json::Value;

/// The target of the issue: every commune polygon of the region in at most 700 KB on the wire.
const COMMUNES_MAX_BYTES: usize = 700 * 1024;

async fn get(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> reqwest::Response {
    let mut request = app.client.get(format!("{}{path}", app.address));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.expect("request")
}

/// The features of a GeoJSON answer, whatever its encoding.
async fn features(response: reqwest::Response) -> Vec<Value> {
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/geo+json");
    let encoding = response.headers().get("content-encoding").map(|v| v.to_str().unwrap().to_owned());
    let bytes = response.bytes().await.unwrap().to_vec();
    let plain = match encoding.as_deref() {
        Some("br") => {
            let mut out = Vec::new();
            brotli::BrotliDecompress(&mut bytes.as_slice(), &mut out).unwrap();
            out
        }
        Some("gzip") => {
            let mut out = Vec::new();
            std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(bytes.as_slice()), &mut out).unwrap();
            out
        }
        None => bytes,
        Some(other) => panic!("unexpected encoding {other}"),
    };
    let json: Value = serde_json::from_slice(&plain).expect("GeoJSON");
    assert_eq!(json["type"], "FeatureCollection");
    json["features"].as_array().unwrap().clone()
}

fn with<'a>(features: &'a [Value], key: &str, value: &str) -> &'a Value {
    features.iter().find(|f| f["properties"][key] == value).unwrap_or_else(|| panic!("no feature {key}={value}"))
}

#[tokio::test]
async fn the_commune_layer_holds_every_commune_with_its_zoning_and_apl_compressed_and_cacheable() {
    let app = spawn_app().await;
    let response = get(&app, "/carte/couches/communes.geojson", &[("accept-encoding", "gzip, deflate, br")]).await;
    assert_eq!(response.headers()["content-encoding"], "br");
    // Kept by browsers and shared caches, checked by ETag at each use: an import changes it.
    assert_eq!(response.headers()["cache-control"], "public, no-cache");
    let etag = response.headers()["etag"].to_str().unwrap().to_owned();
    let size = response.headers().get("content-length").map(|v| v.to_str().unwrap().parse::<usize>().unwrap());
    let communes = features(response).await;
    assert_eq!(communes.len(), 4446, "every commune of the import");
    let rodez = with(&communes, "c", "12202");
    assert_eq!(rodez["properties"]["n"], "Rodez");
    assert_eq!(rodez["properties"]["z"], "ZAC");
    assert_eq!(rodez["properties"]["a"], 4.27);
    assert_eq!(rodez["properties"]["p"], "/communes/12202-rodez");
    assert!(matches!(rodez["geometry"]["type"].as_str(), Some("Polygon" | "MultiPolygon")));
    if let Some(size) = size {
        assert!(size <= COMMUNES_MAX_BYTES, "{size} bytes compressed");
    }

    // gzip for a client without brotli, the same content (same validator).
    let gzip = get(&app, "/carte/couches/communes.geojson", &[("accept-encoding", "gzip")]).await;
    assert_eq!(gzip.headers()["content-encoding"], "gzip");
    assert_eq!(gzip.headers()["etag"].to_str().unwrap(), etag);
    assert_eq!(features(gzip).await.len(), 4446);
    // A client holding this version gets 304 and no body.
    let again = get(&app, "/carte/couches/communes.geojson", &[("if-none-match", &etag)]).await;
    assert_eq!(again.status(), 304);
    assert!(again.bytes().await.unwrap().is_empty());
    // …and so does one that got it through a proxy that compressed it and weakened its ETag
    // (nginx does), as it sends it back.
    let weak = format!("W/{etag}");
    assert_eq!(get(&app, "/carte/couches/communes.geojson", &[("if-none-match", &weak)]).await.status(), 304);
}

#[tokio::test]
async fn departements_and_structures_are_layers_of_the_import() {
    let app = spawn_app().await;
    let departements = features(get(&app, "/carte/couches/departements.geojson", &[]).await).await;
    assert_eq!(departements.len(), 13);
    assert_eq!(with(&departements, "c", "12")["properties"]["n"], "Aveyron");
    let structures = features(get(&app, "/carte/couches/structures.geojson", &[]).await).await;
    assert_eq!(structures.len(), 969);
    let kinds: std::collections::HashSet<&str> =
        structures.iter().map(|s| s["properties"]["t"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["msp", "centre_sante", "etablissement_sante"].into_iter().collect());
    let msp = structures.iter().find(|s| s["properties"]["n"] == "MSP FAUBOURG - 4 SAISONS - RODEZ").unwrap();
    assert_eq!(msp["properties"]["t"], "msp");
    assert_eq!(msp["geometry"]["type"], "Point");
}

#[tokio::test]
async fn the_region_is_first_a_picture_drawn_from_the_import() {
    let app = spawn_app().await;
    let response = get(&app, "/carte/couches/apercu.svg", &[("accept-encoding", "br")]).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "image/svg+xml");
    assert_eq!(response.headers()["content-encoding"], "br");
    assert_eq!(response.headers()["cache-control"], "public, no-cache");
    let etag = response.headers()["etag"].to_str().unwrap().to_owned();
    let wire = response.bytes().await.unwrap();
    let mut plain = Vec::new();
    brotli::BrotliDecompress(&mut &wire[..], &mut plain).unwrap();
    let svg = String::from_utf8(plain).unwrap();
    // Light enough to come before a phone's first gesture: a fraction of the live map's weight.
    assert!(wire.len() < 200 * 1024, "{} bytes in brotli", wire.len());
    assert!(svg.starts_with(r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 2000 "#));
    assert!(svg.contains("viewBox=\"0 0 2000 1452\""), "Occitanie, in Web Mercator, as the live map draws it");
    // A fill per class of the zoning and for the unclassified, the départements' outlines.
    for colour in ["#b2182b", "#ef8a62", "#fddbc7", "#eceff1"] {
        assert!(svg.contains(&format!(r#"<path fill="{colour}""#)), "{colour}");
    }
    assert_eq!(svg.matches("<path ").count(), 5);
    // The largest town of each of the 13 départements, named.
    assert_eq!(svg.matches("<text ").count(), 13);
    for town in ["Toulouse", "Montpellier", "Rodez", "Perpignan", "Mende"] {
        assert!(svg.contains(&format!(">{town}</text>")), "{town}");
    }
    let again = get(&app, "/carte/couches/apercu.svg", &[("if-none-match", &etag)]).await;
    assert_eq!(again.status(), 304);
    // The phone's drawing: the same map, larger names, less detail.
    let narrow = get(&app, "/carte/couches/apercu-petit.svg", &[]).await;
    assert_eq!(narrow.headers()["content-type"], "image/svg+xml");
    let narrow = narrow.text().await.unwrap();
    let proportions = |svg: &str| {
        let view_box = svg.split("viewBox=\"").nth(1).unwrap().split('"').next().unwrap();
        let numbers: Vec<f64> = view_box.split(' ').map(|n| n.parse().unwrap()).collect();
        numbers[3] / numbers[2]
    };
    assert!((proportions(&narrow) - proportions(&svg)).abs() < 0.01, "the same frame");
    assert_eq!(narrow.matches("<text ").count(), 13);
    assert!(narrow.len() < svg.len() * 3 / 4, "{} bytes against {}", narrow.len(), svg.len());

    // The region's maps show it and the button that brings the live map; others do not.
    for path in ["/carte", "/", "/offres"] {
        let (_, html) = app.page(path).await;
        assert!(html.contains(r#"<img src="/carte/couches/apercu.svg""#), "{path}");
        assert!(html.contains(r#"class="map-preview""#), "{path}");
        assert!(html.contains(r#"srcset="/carte/couches/apercu-petit.svg""#), "{path}");
        assert!(html.contains(r#"data-maplibre-on="demande""#), "{path}");
        assert!(html.contains("Ouvrir la carte interactive"), "{path}");
    }
    let (_, html) = app.page("/communes/12202-rodez").await;
    assert!(!html.contains("map-preview") && html.contains(r#"data-maplibre-on="approche""#));
}

/// Two verified-commune offers in Rodez (a remplacement and a stage) and one in Millau.
async fn three_offers(app: &TestApp) -> (i64, i64, i64) {
    let world = World::of(app).await;
    let owner = world.user("mairie@rodez.example", "Mairie").await;
    let organisation = world.organisation(owner, "commune", "Mairie de Rodez", "12202", true).await;
    let rodez = world.published(owner, organisation, &remplacement()).await;
    let millau = OfferForm { commune: "12145".into(), title: "Remplacement à Millau".into(), ..remplacement() };
    let millau = world.published(owner, organisation, &millau).await;
    let draft = world.offers.create(owner, organisation, &remplacement()).await.unwrap();
    app.indexed().await;
    (rodez, millau, draft)
}

fn paths(features: &[Value]) -> Vec<String> {
    let mut out: Vec<String> = features.iter().map(|f| f["properties"]["p"].as_str().unwrap().to_owned()).collect();
    out.sort();
    out
}

#[tokio::test]
async fn the_offers_layer_follows_the_boards_filters_and_area() {
    let app = spawn_app().await;
    let (rodez, millau, draft) = three_offers(&app).await;
    let all = features(get(&app, "/carte/couches/offres.geojson", &[]).await).await;
    assert_eq!(all.len(), 2, "published offers only, not the draft {draft}");
    let at_rodez =
        all.iter().find(|f| f["properties"]["p"].as_str().unwrap().starts_with(&format!("/offres/{rodez}-"))).unwrap();
    assert_eq!(at_rodez["properties"]["v"], "Rodez");
    assert_eq!(at_rodez["properties"]["k"], "Remplacement");
    let [lon, lat] = [0, 1].map(|i| at_rodez["geometry"]["coordinates"][i].as_f64().unwrap());
    assert!((lon - 2.57).abs() < 0.05 && (lat - 44.35).abs() < 0.05, "{lon},{lat}");

    // The board's query string: a filter, and an area around Millau only.
    let none = features(get(&app, "/carte/couches/offres.geojson?type=stage", &[]).await).await;
    assert!(none.is_empty());
    let zone = Bounds::new(2.9, 43.95, 3.3, 44.25).unwrap();
    let inside = features(get(&app, &format!("/carte/couches/offres.geojson?zone={zone}"), &[]).await).await;
    assert_eq!(paths(&inside).len(), 1);
    assert!(paths(&inside)[0].starts_with(&format!("/offres/{millau}-")));
    // Unreadable filters are left out, as on the board: never an error.
    let lenient = get(&app, "/carte/couches/offres.geojson?zone=n%27importe+quoi&type=%00&rayon=-1", &[]).await;
    assert_eq!(features(lenient).await.len(), 2);
    let response = get(&app, "/carte/couches/offres.geojson", &[]).await;
    let etag = response.headers()["etag"].to_str().unwrap().to_owned();
    assert_eq!(get(&app, "/carte/couches/offres.geojson", &[("if-none-match", &etag)]).await.status(), 304);

    // "Chercher dans cette zone": the board keeps the area in its address and form.
    let (status, html) = app.page(&format!("/offres?zone={zone}")).await;
    assert_eq!(status, 200);
    assert!(html.contains(&format!("/offres/{millau}-")) && !html.contains(&format!("/offres/{rodez}-")));
    assert!(html.contains(&format!("name=\"zone\" value=\"{zone}\"")), "the form keeps the area");
    let (status, html) = app.page("/offres?zone=3,44,2,45").await;
    assert_eq!(status, 200);
    assert!(html.contains("Zone « 3,44,2,45 » illisible"), "a French note, the filter left out");
    assert!(html.contains(&format!("/offres/{millau}-")) && html.contains(&format!("/offres/{rodez}-")));
}

async fn server_fn(app: &TestApp, endpoint: &str, body: Value) -> Value {
    let response =
        app.client.post(format!("{}/_srv/{endpoint}", app.address)).json(&body).send().await.expect("request");
    assert_eq!(response.status(), 200, "{endpoint}");
    response.json().await.unwrap()
}

#[tokio::test]
async fn the_popup_the_frame_and_the_list_say_what_the_map_shows() {
    let app = spawn_app().await;
    let (rodez, _millau, _) = three_offers(&app).await;

    let response =
        app.client.post(format!("{}/_srv/carte-commune", app.address)).form(&[("code", "12202")]).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let commune: Value = response.json().await.unwrap();
    assert_eq!(commune["name"], "Rodez");
    assert_eq!(commune["zonage"], "Zac");
    assert_eq!(commune["open_offers"], 1);
    assert_eq!(commune["path"], "/communes/12202-rodez");
    for code in ["99999", "abc", "<script>"] {
        let response = app
            .client
            .post(format!("{}/_srv/carte-commune", app.address))
            .form(&[("code", code)])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.json::<Value>().await.unwrap(), Value::Null, "{code}");
    }

    let frame = server_fn(&app, "carte-cadre", serde_json::json!({ "focus": { "Commune": "12202" } })).await;
    let bounds: Bounds = serde_json::from_value(frame["bounds"].clone()).unwrap();
    assert!(bounds.contains(2.575, 44.35) && bounds.east - bounds.west < 0.3, "{bounds:?}");
    assert_eq!(frame["departements"].as_array().unwrap().len(), 13);
    let region = server_fn(&app, "carte-cadre", serde_json::json!({ "focus": "Region" })).await;
    let region: Bounds = serde_json::from_value(region["bounds"].clone()).unwrap();
    assert!(region.contains(1.44, 43.6) && region.contains(4.0, 44.0) && region.contains(-0.2, 43.0), "{region:?}");
    let epci = server_fn(&app, "carte-cadre", serde_json::json!({ "focus": { "Epci": "241200187" } })).await;
    assert!(serde_json::from_value::<Bounds>(epci["bounds"].clone()).unwrap().contains(2.575, 44.35));
    let unknown = server_fn(&app, "carte-cadre", serde_json::json!({ "focus": { "Departement": "75" } })).await;
    assert_eq!(unknown, Value::Null);
    // The first list comes with the frame when asked (the page renders it before the map moves).
    assert_eq!(frame["list"], Value::Null);
    let with_list = server_fn(
        &app,
        "carte-cadre",
        serde_json::json!({ "focus": { "Commune": "12202" }, "list": BoardQuery::default() }),
    )
    .await;
    assert_eq!(with_list["list"]["offers_total"], 1);

    let around_rodez = Bounds::new(2.4, 44.25, 2.7, 44.45).unwrap();
    let everything = MapLayers::default();
    let list = server_fn(
        &app,
        "carte-liste",
        serde_json::json!({ "query": BoardQuery::default(), "zone": around_rodez, "layers": everything }),
    )
    .await;
    assert_eq!(list["offers_total"], 1);
    assert!(list["offers"][0]["path"].as_str().unwrap().starts_with(&format!("/offres/{rodez}-")));
    let all_structures = list["structures_total"].as_u64().unwrap();
    assert!(all_structures >= 1);
    assert!(list["structures"].as_array().unwrap().iter().any(|s| s["name"] == "MSP FAUBOURG - 4 SAISONS - RODEZ"));
    assert!(list["zonage"].as_array().unwrap().iter().any(|z| z[0] == "Zac"));
    let stations = list["stations"].as_array().unwrap();
    assert!(stations.iter().any(|s| s["name"] == "Rodez" && s["class"] == "B"), "{stations:?}");

    // The layers shown drive the list and its counts: the maisons de santé alone, no offers, no stations.
    let msp_only =
        MapLayers { offers: false, structures: vec![StructureKind::Msp], interns: Vec::new(), stations: false };
    let list = server_fn(
        &app,
        "carte-liste",
        serde_json::json!({ "query": BoardQuery::default(), "zone": around_rodez, "layers": msp_only }),
    )
    .await;
    assert_eq!(list["offers_total"], 0);
    assert_eq!(list["offers"], serde_json::json!([]));
    assert_eq!(list["stations"], serde_json::json!([]));
    let msp = list["structures_total"].as_u64().unwrap();
    assert!(msp >= 1 && msp < all_structures, "{msp} of {all_structures}");
    assert!(list["structures"].as_array().unwrap().iter().all(|s| s["kind"] == "Msp"));
    let none = MapLayers { structures: Vec::new(), ..MapLayers::default() };
    let list = server_fn(
        &app,
        "carte-liste",
        serde_json::json!({ "query": BoardQuery::default(), "zone": around_rodez, "layers": none }),
    )
    .await;
    assert_eq!(list["structures_total"], 0);
}

#[tokio::test]
async fn the_map_names_places_from_the_import_and_shows_the_stations() {
    let app = spawn_app().await;
    let places = features(get(&app, "/carte/couches/lieux.geojson", &[]).await).await;
    let departements: Vec<&Value> = places.iter().filter(|p| p["properties"]["k"] == "d").collect();
    assert_eq!(departements.len(), 13);
    let aveyron = departements.iter().find(|d| d["properties"]["n"] == "Aveyron").unwrap();
    let [lon, lat] = [0, 1].map(|i| aveyron["geometry"]["coordinates"][i].as_f64().unwrap());
    assert!((1.8..3.4).contains(&lon) && (43.7..44.9).contains(&lat), "inside the Aveyron: {lon}, {lat}");
    let communes: Vec<&Value> = places.iter().filter(|p| p["properties"]["k"] == "c").collect();
    assert_eq!(communes.len(), 4446);
    assert_eq!(communes[0]["properties"]["n"], "Toulouse", "the most populous first");
    let populations: Vec<i64> = communes.iter().map(|c| c["properties"]["h"].as_i64().unwrap()).collect();
    assert!(populations.windows(2).all(|w| w[0] >= w[1]));

    let stations = features(get(&app, "/carte/couches/gares.geojson", &[]).await).await;
    assert_eq!(stations.len(), 245);
    let rodez = stations.iter().find(|s| s["properties"]["n"] == "Rodez").unwrap();
    assert_eq!(rodez["properties"]["g"], "B");
    assert_eq!(rodez["properties"]["p"], "/communes/12202-rodez");
    assert_eq!(rodez["properties"]["l"], "gare régionale");
}

#[tokio::test]
async fn the_map_as_text_lists_a_departement_whole() {
    let app = spawn_app().await;
    let (rodez, millau, _) = three_offers(&app).await;
    let (status, html) = app.page("/carte/liste").await;
    assert_eq!(status, 200);
    assert!(html.contains("La carte en liste") && html.contains("/carte/liste?departement=12"));
    let (status, html) = app.page("/carte/liste?departement=12").await;
    assert_eq!(status, 200);
    assert!(html.contains(r#"aria-current="page""#));
    for shown in [
        "Communes selon le zonage médecins de l",
        "MSP FAUBOURG - 4 SAISONS - RODEZ",
        "/communes/12202-rodez",
        "gare régionale (classe B)",
        "Offres ouvertes (2)",
    ] {
        assert!(html.contains(shown), "{shown}");
    }
    assert!(html.contains(&format!("/offres/{rodez}-")) && html.contains(&format!("/offres/{millau}-")));
    // The board's filters apply to its offers, and go along from one département to another.
    let (_, html) = app.page("/carte/liste?departement=12&type=installation").await;
    assert!(!html.contains(&format!("/offres/{rodez}-")), "the remplacement is not an installation");
    assert!(html.contains("/carte/liste?departement=48&amp;type=installation"));
    // A code the region does not have: the list of départements, nothing else.
    let (status, html) = app.page("/carte/liste?departement=75").await;
    assert_eq!(status, 200);
    assert!(!html.contains("Offres ouvertes") && html.contains("/carte/liste?departement=12"));
}

#[tokio::test]
async fn pages_show_the_map_with_its_list_and_legend_without_javascript() {
    let app = spawn_app().await;
    three_offers(&app).await;
    for (path, title) in [
        ("/", "Carte : zonage, structures de santé et offres"),
        ("/departements/12-aveyron", "Carte : Aveyron"),
        ("/epci/241200187-ca-rodez-agglomeration", "Carte : CA Rodez Agglomération"),
        ("/communes/12202-rodez", "Carte : Rodez et ses environs"),
        ("/carte", "Occitanie"),
    ] {
        let (status, html) = app.page(path).await;
        assert_eq!(status, 200, "{path}");
        assert!(html.contains(title), "{path}: {title}");
        // The map is an island: the page loads the islands, which load MapLibre when it nears.
        assert!(html.contains("<leptos-island data-component=\"MapIsland_"), "{path}: the map's island");
        assert!(html.contains("<script type=\"module\">"), "{path}: the islands' loader");
        assert!(html.contains("id=\"carte-canvas\""), "{path}");
        assert!(html.contains("Dans la zone affichée") && html.contains("Légende"), "{path}: the list and the legend");
        assert!(html.contains("Chercher dans cette zone"), "{path}");
    }
    let (_, html) = app.page("/communes/12202-rodez").await;
    assert!(html.contains("MSP FAUBOURG - 4 SAISONS - RODEZ"));
    assert!(html.contains("Remplacement d&#x27;été à Rodez") || html.contains("Remplacement d'été à Rodez"));
    // Beside the board: the map without a second list; elsewhere no island, no script.
    let (_, html) = app.page("/offres?type=remplacement").await;
    assert!(html.contains("Les offres sur la carte") && !html.contains("Dans la zone affichée"));
    assert!(html.contains("href=\"/carte?type=remplacement\""));
    let (_, html) = app.page("/connexion").await;
    assert!(!html.contains("<leptos-island") && !html.contains("<script type=\"module\">"));
}
