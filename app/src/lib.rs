//! The Leptos UI of Médecins & Territoires, compiled twice: into the server (feature `ssr`),
//! which renders every page, and into WebAssembly (feature `hydrate`), which holds only the
//! islands: the widgets that need the browser (`components::islands`).

// The hydrate build computes the layout of each page's whole view type; the API reference page
// (`pages::open_api`) nests deeper than the default limit of 128 allows.
#![recursion_limit = "256"]

pub mod app;
pub mod components;
pub mod domain;
pub mod format;
#[cfg(feature = "hydrate")]
pub mod maplibre;
pub mod model;
pub mod pages;

/// Entry point of the wasm bundle, called by the islands' loader before it hydrates each
/// island of the page (and marks the body `data-hydrated` once they all are).
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
