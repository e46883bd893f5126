//! Lists of communes and of health structures.

use crate::api::territory::{CommuneRow, Structure};
use crate::components::{AplValue, SourceNote, ZonageBadge};
use crate::format;
use crate::model::sources;
use leptos::prelude::*;

#[component]
pub fn CommuneTable(communes: Vec<CommuneRow>, caption: String) -> impl IntoView {
    let rows = communes
        .into_iter()
        .map(|c| {
            view! {
                <tr>
                    <th scope="row"><a href=c.link.path>{c.link.name}</a></th>
                    <td class="num">{format::int(c.population)}</td>
                    <td><ZonageBadge zonage=c.zonage/></td>
                    <td class="num"><AplValue apl=c.apl_2023/></td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="data">
            <caption>{caption}</caption>
            <thead>
                <tr>
                    <th scope="col">"Commune"</th>
                    <th scope="col" class="num">"Habitants"</th>
                    <th scope="col">"Zonage"</th>
                    <th scope="col" class="num">"APL 2023"</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
        <p class="source">
            "Sources : " {sources::INSEE_POPULATION.producer} " (population), "
            {sources::ARS_ZONAGE.producer} " (zonage, " {sources::ARS_ZONAGE.date} "), "
            {sources::DREES_APL_2023.producer} " (APL 2023)."
        </p>
    }
}

#[component]
pub fn StructureList(structures: Vec<Structure>, empty: &'static str) -> impl IntoView {
    if structures.is_empty() {
        return view! { <p>{empty}</p> }.into_any();
    }
    let items = structures
        .into_iter()
        .map(|s| {
            let distance = s.distance_km.map(|d| format!(" — à {} km", format::dec(d, 1)));
            view! {
                <li>
                    <strong>{s.name}</strong>
                    <span class="kind">" · " {s.kind.label()}</span>
                    <br/>
                    <span class="muted">
                        {s.category} " — " {s.address} ", " <a href=s.commune.path>{s.commune.name}</a>
                        {distance}
                    </span>
                </li>
            }
        })
        .collect_view();
    view! {
        <ul class="structures">{items}</ul>
        <SourceNote source=sources::FINESS/>
    }
    .into_any()
}
