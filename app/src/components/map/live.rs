//! The live MapLibre map, in the browser only: made once the island is hydrated, its area near
//! the viewport and MapLibre's script loaded, then driven by the island's signals (colouring,
//! structures shown, offers' query, "zoom to") and feeding back the area it shows.

use super::address::{self, View};
use super::style;
use super::{
    ASKED, FILTERS_CHANGED, MAPLIBRE_CSS, MAPLIBRE_JS, MAPLIBRE_NEAR, MAPLIBRE_SCRIPT_ID, MapState, ON_REQUEST,
};
use crate::domain::map::{InternPoint, MapFrame, get_map_commune};
use crate::domain::offers::BoardQuery;
use crate::domain::territory::StructureKind;
use crate::format;
use crate::maplibre::{self, Map, NavigationControl, Popup, get, json};
use crate::model::Bounds;
use leptos::prelude::*;
use serde_json::json as j;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

/// Starts the map in `element` once it nears the viewport, or, for a map shown first as a
/// picture, once the visitor asks for it (`now`: at once): fetches MapLibre, then builds the
/// map, its effects and cleanup belonging to `owner` (the island's).
pub fn start_when_wanted(element: web_sys::HtmlElement, frame: MapFrame, state: MapState, owner: Owner, now: bool) {
    let go = {
        let element = element.clone();
        move || {
            load_maplibre();
            start(element, frame, state, owner);
        }
    };
    if now {
        // The picture's button asks for the live map (the islands' loader answers it at once).
        if let Some(button) = element.query_selector("[data-carte-ouvrir]").ok().flatten()
            && let Ok(button) = button.dyn_into::<web_sys::HtmlElement>()
        {
            button.click();
        }
    }
    if element.get_attribute("data-maplibre-on").as_deref() == Some(ON_REQUEST) {
        when_asked(&element, go);
    } else {
        when_near(&element, go);
    }
}

/// Runs `then` once the visitor has asked for the live map: the islands' loader owns the
/// button (it works before the islands' code has arrived), marks the area and tells it.
fn when_asked(element: &web_sys::HtmlElement, then: impl FnOnce() + 'static) {
    if element.has_attribute("data-maplibre-asked") {
        then();
        return;
    }
    let asked = Closure::once_into_js(then);
    let options = web_sys::AddEventListenerOptions::new();
    options.set_once(true);
    let _ =
        element.add_event_listener_with_callback_and_add_event_listener_options(ASKED, asked.unchecked_ref(), &options);
}

/// Runs `then` once `element` is within `MAPLIBRE_NEAR` of the viewport (at once in a browser without
/// IntersectionObserver).
fn when_near(element: &web_sys::Element, then: impl FnOnce() + 'static) {
    let then = std::rc::Rc::new(std::cell::Cell::new(Some(then)));
    let callback = Closure::<dyn FnMut(js_sys::Array, web_sys::IntersectionObserver)>::new({
        let then = then.clone();
        move |entries: js_sys::Array, observer: web_sys::IntersectionObserver| {
            let near = entries
                .iter()
                .any(|entry| entry.unchecked_into::<web_sys::IntersectionObserverEntry>().is_intersecting());
            if near {
                observer.disconnect();
                if let Some(then) = then.take() {
                    then();
                }
            }
        }
    });
    let options = web_sys::IntersectionObserverInit::new();
    options.set_root_margin(MAPLIBRE_NEAR);
    match web_sys::IntersectionObserver::new_with_options(callback.as_ref().unchecked_ref(), &options) {
        Ok(observer) => {
            observer.observe(element);
            // Kept as long as the page: it is called once, then the observer lets it go.
            callback.forget();
        }
        Err(_) => {
            if let Some(then) = then.take() {
                then();
            }
        }
    }
}

/// Adds MapLibre's stylesheet and script to the page, unless the islands' loader already has.
fn load_maplibre() {
    let document = document();
    if maplibre::loaded() || document.get_element_by_id(MAPLIBRE_SCRIPT_ID).is_some() {
        return;
    }
    let Some(head) = document.head() else { return };
    if let Ok(link) = document.create_element("link") {
        let _ = link.set_attribute("rel", "stylesheet");
        let _ = link.set_attribute("href", MAPLIBRE_CSS);
        let _ = head.append_child(&link);
    }
    if let Ok(script) = document.create_element("script") {
        let _ = script.set_attribute("id", MAPLIBRE_SCRIPT_ID);
        let _ = script.set_attribute("src", MAPLIBRE_JS);
        let _ = head.append_child(&script);
    }
}

/// Builds the map in `element` once MapLibre's script has run: at once if it has, else when
/// its script element says it has loaded. If it fails to load, the list and legend stay.
fn start(element: web_sys::HtmlElement, frame: MapFrame, state: MapState, owner: Owner) {
    if maplibre::loaded() {
        if element.is_connected() {
            owner.with(|| build(element, frame, state));
        }
        return;
    }
    let Some(script) = document().get_element_by_id(MAPLIBRE_SCRIPT_ID) else { return };
    let loaded = Closure::once_into_js(move || start(element, frame, state, owner));
    let options = web_sys::AddEventListenerOptions::new();
    options.set_once(true);
    let _ = script.add_event_listener_with_callback_and_add_event_listener_options(
        "load",
        loaded.unchecked_ref(),
        &options,
    );
}

/// Follows the board's search on the same page: its new filters come as `FILTERS_CHANGED`
/// events, whose detail is the board's query string.
pub fn follow_board_search(query: RwSignal<BoardQuery>) {
    let listener = Closure::<dyn FnMut(web_sys::CustomEvent)>::new(move |event: web_sys::CustomEvent| {
        let Some(search) = event.detail().as_string() else { return };
        if let Ok(params) = web_sys::UrlSearchParams::new_with_str(&search) {
            query.set(BoardQuery::read(|name| params.get_all(name).iter().filter_map(|v| v.as_string()).collect()).0);
        }
    });
    let _ = document().add_event_listener_with_callback(FILTERS_CHANGED, listener.as_ref().unchecked_ref());
    // The map lives as long as the page.
    listener.forget();
}

fn build(element: web_sys::HtmlElement, frame: MapFrame, state: MapState) {
    let origin = window().location().origin().unwrap_or_default();
    let b = frame.bounds;
    let initial_query = state.offers_query.get_untracked();
    let outlined = state.outlined.get_untracked();
    let mut options = j!({
        "style": style::style(&origin, state.colouring.get_untracked(), &initial_query, outlined.as_deref()),
        "bounds": [[b.west, b.south], [b.east, b.north]],
        "fitBoundsOptions": { "padding": 16 },
        "attributionControl": { "compact": false, "customAttribution": "IGN, INSEE, DREES, ARS Occitanie, FINESS" },
        "dragRotate": false,
        "pitchWithRotate": false,
        // Every text MapLibre puts in the page, in the page's language (the canvas's name too).
        "locale": {
            "Map.Title": "Carte interactive",
            "AttributionControl.ToggleAttribution": "Afficher ou masquer les sources",
            "AttributionControl.MapFeedback": "Signaler une erreur de la carte",
            "LogoControl.Title": "Logo de MapLibre",
            "Marker.Title": "Repère",
            "NavigationControl.ZoomIn": "Zoomer",
            "NavigationControl.ZoomOut": "Dézoomer",
            "Popup.Close": "Fermer",
        },
    });
    // A shared view (the page's address) rather than the frame.
    if let Some(view) = state.view.get_untracked() {
        options["center"] = j!([view.lon, view.lat]);
        options["zoom"] = j!(view.zoom);
        if let Some(options) = options.as_object_mut() {
            options.remove("bounds");
        }
    }
    let options = json(&options);
    let _ = js_sys::Reflect::set(&options, &JsValue::from_str("container"), &element);
    let created = Map::new(&options);
    let map = match created {
        Ok(map) => map,
        Err(error) => {
            // No WebGL, most often: the legend and the list below stay, as without JavaScript.
            leptos::logging::warn!("carte indisponible : {error:?}");
            let _ = element.set_attribute("data-carte", "indisponible");
            return;
        }
    };
    map.add_control(&NavigationControl::new(&json(&j!({ "showCompass": false }))).into(), "top-right");
    // For browser tests and the curious: the map of this element.
    let _ = js_sys::Reflect::set(&element, &JsValue::from_str("maplibreMap"), &map);

    let map = std::rc::Rc::new(map);
    // The list shows the frame's area until MapLibre has loaded; then it follows the map.
    let ready = std::rc::Rc::new(std::cell::Cell::new(false));
    on(&map, "load", {
        let element = element.clone();
        let map = map.clone();
        let ready = ready.clone();
        let owner = Owner::current();
        let origin = origin.clone();
        move |_| {
            // The style can be changed once it is loaded (MapLibre throws before).
            if let Some(owner) = &owner {
                owner.with(|| follow_controls(map.clone(), state, origin.clone(), initial_query.clone()));
            }
            ready.set(true);
            report_zone(&map, state);
            let _ = element.set_attribute("data-carte", "prete");
        }
    });
    // The picture stays under the map until MapLibre has drawn every source once (no blank
    // frame between them); then the style sheet hides it and its button.
    once(&map, "idle", {
        let element = element.clone();
        move |_| {
            let _ = element.set_attribute("data-carte-dessinee", "");
        }
    });
    on(&map, "moveend", {
        let map = map.clone();
        let ready = ready.clone();
        move |_| {
            if ready.get() {
                report_zone(&map, state);
            }
        }
    });
    on(&map, "click", {
        let map = map.clone();
        move |event| {
            if let Some((layer, feature)) = tapped(&map, &event) {
                open_popup(&map, layer, &feature, get(&event, "lngLat"));
            }
        }
    });
    for layer in TAPPABLE.iter().chain(&["communes"]) {
        for (event, cursor) in [("mouseenter", "pointer"), ("mouseleave", "")] {
            let map = map.clone();
            on_layer(&map.clone(), event, layer, move |_| {
                let _ = map.get_canvas().style().set_property("cursor", cursor);
            });
        }
    }

    on_cleanup({
        let map = send_wrapper::SendWrapper::new(map);
        move || map.remove()
    });
}

/// Tells the component which area the map shows (clamped to the world when zoomed far out).
fn report_zone(map: &Map, state: MapState) {
    let shown = map.get_bounds();
    let clamp = |x: f64, limit: f64| x.clamp(-limit, limit);
    if let Ok(zone) = Bounds::new(
        clamp(shown.west(), 180.0),
        clamp(shown.south(), 90.0),
        clamp(shown.east(), 180.0),
        clamp(shown.north(), 90.0),
    ) {
        state.zone.set(zone);
    }
    let centre = map.get_center();
    state.view.set(Some(View { zoom: map.get_zoom(), lat: centre.lat(), lon: centre.lng() }));
}

/// Keeps the map's state in the page's address as it changes (replacing the entry: moving
/// the map is not a page to go back to).
pub fn keep_in_address(state: MapState) {
    Effect::new(move |_| {
        let fragment = address::write(&state.shared());
        let location = window().location();
        if location.hash().unwrap_or_default() != fragment {
            let path = format!("{}{}", location.pathname().unwrap_or_default(), location.search().unwrap_or_default());
            let target = if fragment.is_empty() { path } else { format!("{path}{fragment}") };
            if let Ok(history) = window().history() {
                let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&target));
            }
        }
    });
}

/// Applies the component's controls to the map as they change. `drawn_query` is the offers'
/// query string the style was made with.
fn follow_controls(map: std::rc::Rc<Map>, state: MapState, origin: String, drawn_query: String) {
    // Each applies its control's current value at once (it may have changed while the map
    // loaded), then every change.
    Effect::new({
        let map = map.clone();
        move |_| {
            let fill = style::commune_fill(state.colouring.get());
            let _ = map.set_paint_property("communes", "fill-color", &json(&fill));
        }
    });
    Effect::new({
        let map = map.clone();
        move |_| {
            let kinds = state.structures.get();
            let _ = map.set_filter("structures", &json(&style::structure_filter(&kinds)));
        }
    });
    Effect::new({
        let map = map.clone();
        move |_| {
            let kinds = state.interns.get();
            let _ = map.set_filter("internes", &json(&style::interns_filter(&kinds)));
        }
    });
    Effect::new({
        let map = map.clone();
        move |_| {
            let outlined = state.outlined.get();
            let _ = map.set_filter("commune-choisie", &json(&style::outline_filter(outlined.as_deref())));
        }
    });
    let visible = |on: bool| JsValue::from_str(if on { "visible" } else { "none" });
    Effect::new({
        let map = map.clone();
        move |_| {
            let on = visible(state.offers.get());
            for layer in ["offres", "offres-groupes"] {
                let _ = map.set_layout_property(layer, "visibility", &on);
            }
        }
    });
    Effect::new({
        let map = map.clone();
        move |_| {
            let _ = map.set_layout_property("gares", "visibility", &visible(state.stations.get()));
        }
    });
    Effect::new({
        let map = map.clone();
        move |previous: Option<String>| {
            let query = state.offers_query.get();
            if previous.as_ref().unwrap_or(&drawn_query) != &query
                && let Some(source) = map.get_source("offres")
            {
                let _ = source.set_data(&JsValue::from_str(&style::offers_url(&origin, &query)));
            }
            query
        }
    });
    Effect::new({
        let map = map.clone();
        move |_| {
            if let Some(b) = state.fit.get() {
                let bounds = json(&j!([[b.west, b.south], [b.east, b.north]]));
                let _ = map.fit_bounds(&bounds, &json(&j!({ "padding": 16 })));
            }
        }
    });
}

/// Listens to `event`; the map lives as long as the page, so the listener is kept with it.
fn once(map: &Map, event: &str, handler: impl FnOnce(JsValue) + 'static) {
    map.once(event, Closure::once_into_js(handler).unchecked_ref());
}

fn on(map: &Map, event: &str, handler: impl FnMut(JsValue) + 'static) {
    let closure = Closure::<dyn FnMut(JsValue)>::new(handler);
    map.on(event, closure.as_ref().unchecked_ref());
    closure.forget();
}

fn on_layer(map: &Map, event: &str, layer: &str, handler: impl FnMut(JsValue) + 'static) {
    let closure = Closure::<dyn FnMut(JsValue)>::new(handler);
    map.on_layer(event, layer, closure.as_ref().unchecked_ref());
    closure.forget();
}

/// The point layers a tap opens, the first found winning: an offer is never covered by the
/// popup of a structure drawn beside it.
const TAPPABLE: [&str; 5] = ["offres-groupes", "offres", "internes", "structures", "gares"];
/// How far from a tap a point still counts (in CSS pixels): a fingertip is wider than a dot.
const TAP_SLACK: f64 = 10.0;

/// What a tap (`event`) is on: the first of `TAPPABLE` near it, else the commune under it.
fn tapped(map: &Map, event: &JsValue) -> Option<(&'static str, JsValue)> {
    let point = get(event, "point");
    let (x, y) = (get(&point, "x").as_f64()?, get(&point, "y").as_f64()?);
    let around = json(&j!([[x - TAP_SLACK, y - TAP_SLACK], [x + TAP_SLACK, y + TAP_SLACK]]));
    let near = map.query_rendered_features(&around, &json(&j!({ "layers": TAPPABLE }))).ok()?;
    let layer_of = |feature: &JsValue| get(&get(feature, "layer"), "id").as_string();
    for layer in TAPPABLE {
        if let Some(feature) = near.iter().find(|f| layer_of(f).as_deref() == Some(layer)) {
            return Some((layer, feature));
        }
    }
    let under = map.query_rendered_features(&point, &json(&j!({ "layers": ["communes"] }))).ok()?;
    (under.length() > 0).then(|| ("communes", under.get(0)))
}

fn property(feature: &JsValue, key: &str) -> Option<String> {
    get(&get(feature, "properties"), key).as_string()
}

/// Opens the popup of `feature` of `layer` at `at` (or zooms into a group of offers).
fn open_popup(map: &std::rc::Rc<Map>, layer: &str, feature: &JsValue, at: JsValue) {
    let text = |key| property(feature, key).unwrap_or_default();
    match layer {
        "offres-groupes" => zoom_into_group(map, feature),
        "offres" => {
            let content = popup_content(
                &text("t"),
                &[format!("{} — {}", text("k"), text("v"))],
                &[(text("p").as_str(), "Voir l'offre")],
            );
            show_popup(map, &at, &content);
        }
        "internes" => {
            let lines: Vec<String> = [property(feature, "d"), property(feature, "a"), property(feature, "v")]
                .into_iter()
                .flatten()
                .collect();
            let link = match InternPoint::from_code(&text("k")) {
                Some(InternPoint::Housing) => "Voir le logement",
                _ => "Voir le terrain de stage",
            };
            show_popup(map, &at, &popup_content(&text("n"), &lines, &[(text("p").as_str(), link)]));
        }
        "structures" => {
            let kind = StructureKind::from_code(&text("t")).map(StructureKind::label).unwrap_or_default();
            let content = popup_content(
                &text("n"),
                &[kind.to_owned(), format!("{}, {}", text("a"), text("v"))],
                &[(text("p").as_str(), "Page de la commune")],
            );
            show_popup(map, &at, &content);
        }
        "gares" => {
            let content = popup_content(
                &format!("Gare de {}", text("n")),
                &[format!("{} (classe {}) — {}", format::capitalised(&text("l")), text("g"), text("v"))],
                &[(text("p").as_str(), "Page de la commune")],
            );
            show_popup(map, &at, &content);
        }
        "communes" => {
            let Some(code) = property(feature, "c") else { return };
            let map = map.clone();
            leptos::task::spawn_local(async move {
                if let Ok(Some(commune)) = get_map_commune(code).await {
                    let zonage = commune.zonage.map_or("Non classée (hors zonage de l'ARS)", |z| z.label());
                    let apl = commune.apl.map_or("—".to_owned(), |a| format::dec(a, 2));
                    let offers = match commune.open_offers {
                        0 => "Aucune offre ouverte".to_owned(),
                        1 => "1 offre ouverte".to_owned(),
                        n => format!("{n} offres ouvertes"),
                    };
                    let content = popup_content(
                        &commune.name,
                        &[
                            format!("Zonage : {zonage}"),
                            format!("APL (consultations par habitant et par an) : {apl}"),
                            offers,
                        ],
                        &[
                            (commune.path.as_str(), "Page de la commune"),
                            (commune.offers_path.as_str(), "Offres alentour"),
                        ],
                    );
                    show_popup(&map, &at, &content);
                }
            });
        }
        _ => {}
    }
}

/// Zooms to where the group of offers `feature` splits.
fn zoom_into_group(map: &std::rc::Rc<Map>, feature: &JsValue) {
    let cluster = get(&get(feature, "properties"), "cluster_id").as_f64();
    let center = get(&get(feature, "geometry"), "coordinates");
    let (Some(cluster), Some(source)) = (cluster, map.get_source("offres")) else { return };
    let map = map.clone();
    let zoom_in = Closure::once_into_js(move |zoom: JsValue| {
        let zoom = zoom.as_f64().unwrap_or(map.get_zoom() + 2.0);
        let options = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&options, &"center".into(), &center);
        let _ = js_sys::Reflect::set(&options, &"zoom".into(), &zoom.into());
        let _ = map.ease_to(&options);
    });
    source.get_cluster_expansion_zoom(cluster).then(zoom_in.unchecked_ref());
}

/// A popup's content as DOM nodes (never HTML text: names come from data).
fn popup_content(title: &str, lines: &[String], links: &[(&str, &str)]) -> web_sys::Element {
    let doc = document();
    // Written in the browser, not by the server, which spaces its pages (titles people typed).
    let make = |tag: &str, text: &str| {
        let element = doc.create_element(tag).expect("a known tag");
        element.set_text_content(Some(&format::spaced(text)));
        element
    };
    let root = doc.create_element("div").expect("a known tag");
    root.set_class_name("map-popup");
    let _ = root.append_child(&make("strong", title));
    for line in lines {
        let _ = root.append_child(&make("p", line));
    }
    for (href, label) in links {
        let link = make("a", label);
        let _ = link.set_attribute("href", href);
        let p = doc.create_element("p").expect("a known tag");
        let _ = p.append_child(&link);
        let _ = root.append_child(&p);
    }
    root
}

/// Opens a popup at `at`, as wide as the map allows, then moves the map if the popup still
/// reaches past its edges (a point near a corner), so that its close button stays in view.
fn show_popup(map: &Map, at: &JsValue, content: &web_sys::Element) {
    let popup = Popup::new(&json(&j!({ "maxWidth": "min(20rem, calc(100% - 2rem))", "focusAfterOpen": true })))
        .set_lng_lat(at)
        .set_dom_content(content)
        .add_to(map);
    let Some(element) = popup.get_element() else { return };
    let (inner, outer) = (element.get_bounding_client_rect(), map.get_container().get_bounding_client_rect());
    const MARGIN: f64 = 8.0;
    let past = |low: f64, high: f64, from: f64, to: f64| {
        if low < from + MARGIN {
            low - from - MARGIN
        } else if high > to - MARGIN {
            (high - to + MARGIN).min(low - from - MARGIN)
        } else {
            0.0
        }
    };
    let dx = past(inner.left(), inner.right(), outer.left(), outer.right());
    let dy = past(inner.top(), inner.bottom(), outer.top(), outer.bottom());
    if dx != 0.0 || dy != 0.0 {
        let _ = map.pan_by(&json(&j!([dx, dy])), &json(&j!({ "duration": 200 })));
    }
}
