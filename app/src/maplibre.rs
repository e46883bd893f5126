//! Thin bindings to MapLibre GL JS (the `maplibregl` global of its classic build, which map
//! pages load from our origin): only what the map component calls. Options and expressions
//! cross as JSON (see `json`). What can throw is bound with `catch`: an exception must not
//! unwind through the wasm module (it would leave the page's state half-updated).

use wasm_bindgen::prelude::*;

#[wasm_bindgen(js_namespace = maplibregl)]
extern "C" {
    pub type Map;

    /// Throws without WebGL, among others: the page then keeps its list.
    #[wasm_bindgen(constructor, catch)]
    pub fn new(options: &JsValue) -> Result<Map, JsValue>;

    #[wasm_bindgen(method)]
    pub fn on(this: &Map, event: &str, handler: &js_sys::Function);

    /// A handler for the event's next occurrence only.
    #[wasm_bindgen(method)]
    pub fn once(this: &Map, event: &str, handler: &js_sys::Function);

    /// An event on the features of one layer.
    #[wasm_bindgen(method, js_name = on)]
    pub fn on_layer(this: &Map, event: &str, layer: &str, handler: &js_sys::Function);

    #[wasm_bindgen(method, js_name = addControl)]
    pub fn add_control(this: &Map, control: &JsValue, position: &str);

    #[wasm_bindgen(method, catch, js_name = setPaintProperty)]
    pub fn set_paint_property(this: &Map, layer: &str, name: &str, value: &JsValue) -> Result<(), JsValue>;

    #[wasm_bindgen(method, catch, js_name = setLayoutProperty)]
    pub fn set_layout_property(this: &Map, layer: &str, name: &str, value: &JsValue) -> Result<(), JsValue>;

    #[wasm_bindgen(method, catch, js_name = panBy)]
    pub fn pan_by(this: &Map, offset: &JsValue, options: &JsValue) -> Result<(), JsValue>;

    #[wasm_bindgen(method, js_name = getContainer)]
    pub fn get_container(this: &Map) -> web_sys::HtmlElement;

    #[wasm_bindgen(method, catch, js_name = setFilter)]
    pub fn set_filter(this: &Map, layer: &str, filter: &JsValue) -> Result<(), JsValue>;

    #[wasm_bindgen(method, js_name = getBounds)]
    pub fn get_bounds(this: &Map) -> LngLatBounds;

    #[wasm_bindgen(method, catch, js_name = fitBounds)]
    pub fn fit_bounds(this: &Map, bounds: &JsValue, options: &JsValue) -> Result<(), JsValue>;

    #[wasm_bindgen(method, catch, js_name = easeTo)]
    pub fn ease_to(this: &Map, options: &JsValue) -> Result<(), JsValue>;

    #[wasm_bindgen(method, js_name = getCenter)]
    pub fn get_center(this: &Map) -> LngLat;

    #[wasm_bindgen(method, js_name = getZoom)]
    pub fn get_zoom(this: &Map) -> f64;

    #[wasm_bindgen(method, js_name = getSource)]
    pub fn get_source(this: &Map, id: &str) -> Option<GeoJsonSource>;

    #[wasm_bindgen(method, catch, js_name = queryRenderedFeatures)]
    pub fn query_rendered_features(this: &Map, point: &JsValue, options: &JsValue) -> Result<js_sys::Array, JsValue>;

    #[wasm_bindgen(method, js_name = getCanvas)]
    pub fn get_canvas(this: &Map) -> web_sys::HtmlElement;

    #[wasm_bindgen(method)]
    pub fn remove(this: &Map);

    pub type LngLatBounds;

    #[wasm_bindgen(method, js_name = getWest)]
    pub fn west(this: &LngLatBounds) -> f64;
    #[wasm_bindgen(method, js_name = getSouth)]
    pub fn south(this: &LngLatBounds) -> f64;
    #[wasm_bindgen(method, js_name = getEast)]
    pub fn east(this: &LngLatBounds) -> f64;
    #[wasm_bindgen(method, js_name = getNorth)]
    pub fn north(this: &LngLatBounds) -> f64;

    pub type LngLat;

    #[wasm_bindgen(method, getter)]
    pub fn lng(this: &LngLat) -> f64;
    #[wasm_bindgen(method, getter)]
    pub fn lat(this: &LngLat) -> f64;

    pub type GeoJsonSource;

    #[wasm_bindgen(method, catch, js_name = setData)]
    pub fn set_data(this: &GeoJsonSource, data: &JsValue) -> Result<(), JsValue>;

    /// A promise of the zoom at which a cluster splits.
    #[wasm_bindgen(method, js_name = getClusterExpansionZoom)]
    pub fn get_cluster_expansion_zoom(this: &GeoJsonSource, cluster: f64) -> Later;

    pub type Popup;

    #[wasm_bindgen(constructor)]
    pub fn new(options: &JsValue) -> Popup;

    #[wasm_bindgen(method, js_name = setLngLat)]
    pub fn set_lng_lat(this: &Popup, at: &JsValue) -> Popup;

    #[wasm_bindgen(method, js_name = setDOMContent)]
    pub fn set_dom_content(this: &Popup, node: &web_sys::Node) -> Popup;

    #[wasm_bindgen(method, js_name = addTo)]
    pub fn add_to(this: &Popup, map: &Map) -> Popup;

    #[wasm_bindgen(method)]
    pub fn remove(this: &Popup);

    #[wasm_bindgen(method, js_name = getElement)]
    pub fn get_element(this: &Popup) -> Option<web_sys::HtmlElement>;

    pub type NavigationControl;

    #[wasm_bindgen(constructor)]
    pub fn new(options: &JsValue) -> NavigationControl;
}

#[wasm_bindgen]
extern "C" {
    /// A JavaScript promise, read with a callback.
    pub type Later;

    #[wasm_bindgen(method)]
    pub fn then(this: &Later, on_done: &js_sys::Function);
}

/// Whether the MapLibre script has run (pages load it with `defer`, hydration may come first).
pub fn loaded() -> bool {
    js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("maplibregl")).is_ok_and(|v| v.is_object())
}

/// A JSON value as the JavaScript object MapLibre expects.
pub fn json(value: &serde_json::Value) -> JsValue {
    js_sys::JSON::parse(&value.to_string()).unwrap_or(JsValue::NULL)
}

/// `object.key`, or undefined.
pub fn get(object: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(object, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}
