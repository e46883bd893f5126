//! The trail from a page's parents to the page, and the link from a territory to its outcomes.

use crate::domain::territory::paths as territory_paths;
use leptos::prelude::*;

/// One page above: its label and address.
pub type Crumb = (String, String);

/// The home page, first of a territory's trail.
pub fn home_crumb() -> Crumb {
    ("Accueil".to_owned(), territory_paths::HOME.to_owned())
}

#[component]
pub fn Breadcrumb(
    /// The pages above, outermost first.
    trail: Vec<Crumb>,
    /// The page's own name.
    #[prop(into)]
    here: String,
) -> impl IntoView {
    let trail = trail.into_iter().map(|(label, href)| view! { <li><a href=href>{label}</a></li> }).collect_view();
    view! {
        <nav aria-label="Fil d'Ariane" class="breadcrumb">
            <ol>
                {trail}
                <li aria-current="page">{here}</li>
            </ol>
        </nav>
    }
}

/// The link from a territory's page (at `path`) to what the portal did there.
#[component]
pub fn OutcomesLink(path: String) -> impl IntoView {
    view! {
        <p class="outcomes-link">
            <a href=territory_paths::outcomes(&path)>"Bilan du portail sur ce territoire : offres, candidatures, délais"</a>
        </p>
    }
}
