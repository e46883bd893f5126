//! The nearest passenger stations of a commune or an offer: the nearest one and the nearest
//! with many trains (class A or B), each with its distance as the crow flies, and the source.

use crate::components::SourceNote;
use crate::domain::territory::{NearStation, NearestStations};
use crate::format;
use crate::model::sources;
use leptos::prelude::*;

/// « Mende (gare locale) — 1,2 km à vol d'oiseau », the station's commune when it is another
/// one.
fn station_line(station: NearStation) -> impl IntoView {
    let km = format::dec(station.km, 1);
    view! { {station_name(station)} " — " <span data-km>{km} " km"</span> " à vol d'oiseau" }
}

/// « Mende (gare locale) », with its commune when it is another one.
fn station_name(station: NearStation) -> impl IntoView {
    let commune = (station.commune.name != station.name)
        .then(|| view! { ", à " <a href=station.commune.path.clone()>{station.commune.name.clone()}</a> });
    view! { <strong>{station.name}</strong> " (" {station.class.label()} ")" {commune} }
}

/// The stations as a card of key figures (a commune page).
#[component]
pub fn StationsCard(stations: NearestStations) -> impl IntoView {
    let major = match (&stations.major, stations.any.class.major()) {
        (_, true) => view! { <p class="label">"C'est une gare nationale ou régionale."</p> }.into_any(),
        (Some(major), false) => view! {
            <p class="label" data-gare="grande">"Gare nationale ou régionale la plus proche : " {station_line(major.clone())}</p>
        }
        .into_any(),
        (None, false) => ().into_any(),
    };
    view! {
        <div class="card" data-figure="gares" data-gare="proche">
            <p class="figure">{format::dec(stations.any.km, 1)} " km"</p>
            <p class="label">"à vol d'oiseau jusqu'à la gare la plus proche : " {station_name(stations.any.clone())}</p>
            {major}
            <SourceNote source=sources::SNCF_STATIONS/>
        </div>
    }
    // Erased: the commune page's view type is deep enough already.
    .into_any()
}

/// The stations as lines of a list of facts (an offer page).
#[component]
pub fn StationsFacts(stations: NearestStations) -> impl IntoView {
    let major = stations.major.clone().filter(|_| !stations.any.class.major()).map(|major| {
        view! {
            <dt>"Grande gare la plus proche"</dt>
            <dd data-gare="grande">{station_line(major)}</dd>
        }
    });
    let source = sources::SNCF_STATIONS;
    view! {
        <dt>"Gare la plus proche"</dt>
        <dd data-gare="proche">{station_line(stations.any)}</dd>
        {major}
        <dd class="source">{format!("Source : {}, {} ({})", source.producer, source.dataset, source.date)}</dd>
    }
    .into_any()
}
