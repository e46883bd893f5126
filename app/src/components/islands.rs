//! The islands' loader. Pages are server-rendered HTML; the few widgets that need the browser
//! (the map, the board's search as you type, the commune suggestions) are Leptos islands. A
//! page that holds one loads the wasm bundle once the browser is idle and hydrates those
//! islands only; a page that holds none loads no script at all.
//!
//! The loader is an inline module script whose text is the same on every page of a build, so
//! the Content Security Policy allows it by its SHA-256 digest and a page's bytes do not depend
//! on the request. The server puts it in the `<head>` of every page that holds an island
//! (server/src/http/html.rs), once, however many islands the page holds.

use leptos::prelude::*;

/// Leptos's islands loader with the portal's changes (see the file).
const LOADER: &str = include_str!("islands/loader.js");

/// The loader's exact text for the bundle named by `options`: what the page carries and what
/// the policy hashes.
pub fn loader_script(options: &LeptosOptions) -> String {
    let js = options.output_name.to_string();
    // As Leptos names them: cargo-leptos sets LEPTOS_OUTPUT_NAME at build time and names the
    // wasm after it; without it, wasm-bindgen's own `_bg` name.
    let wasm = if option_env!("LEPTOS_OUTPUT_NAME").is_some() { js.clone() } else { format!("{js}_bg") };
    let pkg = options.site_pkg_dir.to_string();
    format!("{}(\"\", {pkg:?}, {js:?}, {wasm:?});", LOADER.trim_end())
}

/// Called by the shell at the start of every page: nothing is hydrated but the islands (whose
/// props carry their data), so the render writes no hydration data for the rest.
pub fn render_islands_only() {
    if let Some(context) = Owner::current_shared_context() {
        context.set_is_hydrating(false);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_loader_names_the_bundle_and_holds_nothing_the_html_parser_would_end_early() {
        let options = LeptosOptions::builder().output_name("portail").site_pkg_dir("pkg").build();
        let script = loader_script(&options);
        assert!(script.contains("(\"\", \"pkg\", \"portail\", \"portail"), "{script}");
        assert!(script.starts_with("((root, pkg_path") && script.ends_with("\");"), "{script}");
        assert!(!script.contains("</"), "a `</` could close the script element");
        assert!(!script.contains("<!--"), "a comment opener changes how the script is parsed");
    }
}
