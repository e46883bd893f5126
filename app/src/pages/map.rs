//! /carte: the whole region on one map, with the board's filters in the address (the same
//! query string as /offres), and the list of what the area shows; /carte/liste: the same
//! content as text, a département at a time.

use crate::components::{Seo, SourceNote, TerritoryMap, unavailable_view};
use crate::domain::map::{MapFocus, MapText, MapTextPage as MapTextPageData, get_map_text, paths};
use crate::domain::offers::BoardQuery;
use crate::model::{DepartementCode, sources};
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
        // Short: on a phone the map must start within the first screen.
        <p class="lead">
            "Le zonage des médecins, les structures de santé, les gares et les offres ouvertes, commune par commune. "
            <a href=paths::MAP_TEXT>"La même chose en liste"</a> "."
        </p>
        <TerritoryMap focus=MapFocus::Region title="Occitanie" query explore=true/>
        <p class="muted">"Les offres suivent les filtres du " <a href=board>"tableau des offres"</a> "."</p>
    }
}

/// /carte/liste: the map as text, a département at a time, for people who cannot use the map
/// (a screen reader, a browser without WebGL). Everything the map's layers show there: the
/// communes by zoning, the open offers of the board's filters, the health structures, the
/// stations and the interns' places, each linked to its page.
#[component]
pub fn MapTextPage() -> impl IntoView {
    let (departement, query) = use_query_map()
        .with_untracked(|q| (q.get("departement"), BoardQuery::read(|name| q.get_all(name).unwrap_or_default()).0));
    let board_query = query.clone();
    let page = Resource::new(move || (departement.clone(), query.clone()), |(d, q)| get_map_text(d, q));
    view! {
        <Seo
            title="La carte en liste : zonage, offres, structures de santé et gares par département".to_owned()
            description="Tout ce que montre la carte, en texte, département par département : les communes selon le zonage de l'ARS, les offres ouvertes, les maisons et centres de santé, les gares.".to_owned()
            canonical=paths::MAP_TEXT.to_owned()
        />
        <h1>"La carte en liste"</h1>
        <p class="lead">
            "Ce que montre la " <a href=paths::MAP>"carte"</a> ", en texte, un département à la fois : les communes selon "
            "le zonage de l'ARS, les offres ouvertes, les structures de santé, les gares et les lieux pour les internes."
        </p>
        <Suspense fallback=|| view! { <p class="loading">"Chargement…"</p> }>
            {move || {
                let board_query = board_query.clone();
                Suspend::new(async move {
                    match page.await {
                        Ok(page) => view! { <MapText page query=board_query/> }.into_any(),
                        Err(error) => unavailable_view(error),
                    }
                })
            }}
        </Suspense>
    }
}

/// The address of the text page for `departement`, with the board's filters of `query`.
fn text_href(departement: &str, query: &BoardQuery) -> String {
    let filters = BoardQuery { departements: Vec::new(), zone: None, page: 1, ..query.clone() }.query_string();
    let mut href = format!("{}?departement={departement}", paths::MAP_TEXT);
    if !filters.is_empty() {
        href.push('&');
        href.push_str(&filters);
    }
    href
}

#[component]
fn MapText(page: MapTextPageData, query: BoardQuery) -> impl IntoView {
    let chosen_code = page.chosen.as_ref().map(|c| c.departement.code.clone());
    let choices = page
        .departements
        .iter()
        .map(|d| {
            let current = (chosen_code.as_deref() == Some(d.code.as_str())).then_some("page");
            view! { <li><a href=text_href(&d.code, &query) aria-current=current>{format!("{} — {}", d.code, d.name)}</a></li> }
        })
        .collect_view();
    let body = page.chosen.map(|text| view! { <DepartementText text query=query.clone()/> });
    view! {
        <nav aria-label="Départements" class="map-text-departements">
            <ul>{choices}</ul>
        </nav>
        {body}
    }
    .into_any()
}

#[component]
fn DepartementText(text: MapText, query: BoardQuery) -> impl IntoView {
    let name = text.departement.name.clone();
    let zonage = text
        .zonage
        .into_iter()
        .map(|(class, communes)| {
            let label = class.map_or("Non classées (hors zonage de l'ARS)", |z| z.label());
            let count = communes.len();
            let names = communes
                .into_iter()
                .enumerate()
                .map(|(i, c)| view! { {(i > 0).then_some(", ")}<a href=c.path>{c.name}</a> })
                .collect_view();
            let count = if count == 1 { "1 commune".to_owned() } else { format!("{count} communes") };
            view! { <details><summary>{format!("{label} : {count}")}</summary><p>{names}</p></details> }
        })
        .collect_view();
    let offers_count = text.offers.len();
    let offers = text
        .offers
        .into_iter()
        .map(|o| view! { <li><a href=o.path>{o.title}</a>{format!(" — {}, {}", o.kind, o.commune)}</li> })
        .collect_view();
    let board = BoardQuery {
        departements: DepartementCode::parse(&text.departement.code).into_iter().collect(),
        zone: None,
        page: 1,
        ..query
    }
    .href(1);
    let structures_count = text.structures.len();
    let structures = text
        .structures
        .into_iter()
        .map(|s| view! { <li>{s.name}{format!(" — {}, ", s.kind.label())}<a href=s.commune_path>{s.commune}</a></li> })
        .collect_view();
    let stations_count = text.stations.len();
    let stations = text
        .stations
        .into_iter()
        .map(|g| view! { <li>{g.name}{format!(" — {} (classe {}), ", g.class.label(), g.class.code())}<a href=g.commune_path>{g.commune}</a></li> })
        .collect_view();
    let interns = (!text.interns.is_empty()).then(|| {
        let items = text
            .interns
            .into_iter()
            .map(|o| view! { <li><a href=o.path>{o.title}</a>{format!(" — {}, {}", o.kind, o.commune)}</li> })
            .collect_view();
        view! { <h3>"Pour les internes"</h3> <ul>{items}</ul> }
    });
    view! {
        <section class="map-text" aria-labelledby="carte-texte">
            <h2 id="carte-texte">{name}</h2>
            <h3>"Communes selon le zonage médecins de l'ARS"</h3>
            {zonage}
            <SourceNote source=sources::ARS_ZONAGE/>
            <h3>{format!("Offres ouvertes ({offers_count})")}</h3>
            {if offers_count == 0 {
                view! { <p>"Aucune offre ouverte ne correspond aux filtres dans ce département."</p> }.into_any()
            } else {
                view! { <ul>{offers}</ul> }.into_any()
            }}
            <p><a href=board>"Ces offres sur le tableau des offres, avec tous les filtres"</a></p>
            <h3>{format!("Structures de santé ({structures_count})")}</h3>
            <ul>{structures}</ul>
            <h3>{format!("Gares ({stations_count})")}</h3>
            <ul>{stations}</ul>
            <SourceNote source=sources::SNCF_STATIONS/>
            {interns}
        </section>
    }
    .into_any()
}
