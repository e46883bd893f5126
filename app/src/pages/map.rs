//! /carte: the whole region on one map, with the board's filters in the address (the same
//! query string as /offres), and the list of what the area shows.

use crate::components::{Seo, TerritoryMap};
use crate::domain::map::MapFocus;
use crate::domain::offers::BoardQuery;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn MapPage() -> impl IntoView {
    let query = use_query_map().with_untracked(|q| BoardQuery::read(|name| q.get_all(name).unwrap_or_default()).0);
    let board = BoardQuery { page: 1, ..query.clone() }.href(1);
    view! {
        <Seo
            title="Carte des offres, du zonage et des structures de santé en Occitanie".to_owned()
            description="Les communes d'Occitanie selon le zonage de l'ARS ou l'accès aux généralistes, les maisons et centres de santé, et les offres ouvertes aux médecins.".to_owned()
            canonical="/carte".to_owned()
        />
        <h1>"Carte"</h1>
        <p class="lead">
            "Le zonage de l'ARS ou l'accès aux médecins généralistes commune par commune, les maisons de santé, centres "
            "de santé et établissements, et les offres ouvertes. Les filtres sont ceux du "
            <a href=board>"tableau des offres"</a> "."
        </p>
        <TerritoryMap focus=MapFocus::Region title="Occitanie" query/>
    }
}
