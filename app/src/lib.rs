//! The Leptos UI of Médecins & Territoires, compiled twice: into the server (feature `ssr`)
//! and into WebAssembly for hydration in the browser (feature `hydrate`).

// The hydrate build computes the layout of each page's whole view type; the API reference page
// (`pages::open_api`) nests deeper than the default limit of 128 allows.
#![recursion_limit = "256"]

pub mod api;
pub mod app;
pub mod components;
pub mod format;
#[cfg(feature = "hydrate")]
pub mod maplibre;
pub mod model;
pub mod pages;

/// Entry point of the wasm bundle.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
    // Lets browser tests (and curious people) know the page is interactive now.
    if let Some(body) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.body()) {
        let _ = body.set_attribute("data-hydrated", "true");
    }
}
