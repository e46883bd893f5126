//! The scripts that load and start the wasm bundle: Leptos's own `HydrationScripts` (leptos
//! 0.8), less one fault. Leptos writes the Content Security Policy nonce into the
//! `crossorigin` attribute of its two preload links, a value HTML does not allow (the Nu Html
//! Checker refuses it; browsers read it as "anonymous"). Here that attribute says "anonymous",
//! so the browser does what it did before and the page is valid.

use leptos::nonce::use_nonce;
use leptos::prelude::*;

/// Leptos's loader (its src/hydration/hydration_script.js, which hydrates at once): loads the
/// JS glue, which loads the wasm, then hydrates.
const LOADER: &str = "(function (root, pkg_path, output_name, wasm_output_name) {\
    import(`${root}/${pkg_path}/${output_name}.js`).then(mod => {\
        mod.default({module_or_path: `${root}/${pkg_path}/${wasm_output_name}.wasm`}).then(() => {\
            mod.hydrate();\
        });\
    });\
})";

/// Preloads of the bundle, and the loader under the page's nonce.
#[component]
pub fn HydrationScripts(options: LeptosOptions) -> impl IntoView {
    let js = options.output_name.to_string();
    // As Leptos names them: cargo-leptos sets LEPTOS_OUTPUT_NAME at build time and names the
    // wasm after it; without it, wasm-bindgen's own `_bg` name.
    let wasm = if option_env!("LEPTOS_OUTPUT_NAME").is_some() { js.clone() } else { format!("{js}_bg") };
    let pkg = options.site_pkg_dir.to_string();
    view! {
        <link rel="modulepreload" href=format!("/{pkg}/{js}.js") crossorigin="anonymous"/>
        <link rel="preload" href=format!("/{pkg}/{wasm}.wasm") r#as="fetch" r#type="application/wasm" crossorigin="anonymous"/>
        <script type="module" nonce=use_nonce()>{format!("{LOADER}(\"\", {pkg:?}, {js:?}, {wasm:?});")}</script>
    }
}
