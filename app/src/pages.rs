//! One module per route.

mod commune;
mod departement;
mod epci;
mod home;
mod region;
mod search;

pub use commune::CommunePage;
pub use departement::DepartementPage;
pub use epci::EpciPage;
pub use home::HomePage;
pub use region::RegionPage;
pub use search::SearchPage;

use crate::model::TerritoryKey;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// The `:key` segment of a territory address ("12202-rodez"), split into code and slug.
fn territory_key() -> Memo<TerritoryKey> {
    let params = use_params_map();
    Memo::new(move |_| TerritoryKey::split(&params.with(|p| p.get("key").unwrap_or_default())))
}

fn loading() -> impl IntoView {
    view! { <p class="loading">"Chargement…"</p> }
}
