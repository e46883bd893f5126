//! Health-care figures of a territory, each with its source.

use crate::components::SourceNote;
use crate::domain::territory::{APL_THRESHOLD, HealthSummary};
use crate::format;
use crate::model::{Zonage, sources};
use leptos::prelude::*;

#[component]
pub fn ZonageBadge(zonage: Option<Zonage>) -> impl IntoView {
    match zonage {
        Some(z) => view! { <span class=format!("badge zonage-{}", z.css()) title=z.label()>{z.short_label()}</span> }
            .into_any(),
        None => {
            view! { <span class="badge" title="Commune absente du fichier de zonage">"non classée"</span> }.into_any()
        }
    }
}

/// An APL value, flagged when under the 2.5 threshold.
#[component]
pub fn AplValue(apl: Option<f64>) -> impl IntoView {
    match apl {
        Some(v) if v < APL_THRESHOLD => {
            view! { <span class="apl low" title="sous le seuil de 2,5 : zone sous-dotée">{format::dec(v, 2)} " ⚠"</span> }.into_any()
        }
        Some(v) => view! { <span class="apl">{format::dec(v, 2)}</span> }.into_any(),
        None => view! { <span class="apl">"—"</span> }.into_any(),
    }
}

/// Key figures over a set of communes.
#[component]
pub fn HealthSummaryView(summary: HealthSummary) -> impl IntoView {
    let zip_share = summary.share_of_population(summary.zonage_population(Zonage::Zip));
    let under = summary.share_of_population(summary.population_under_threshold);
    let apl_2023 = summary.apl_2023.map(|v| format::dec(v, 2)).unwrap_or_else(|| "—".into());
    let apl_2022 = summary.apl_2022.map(|v| format::dec(v, 2)).unwrap_or_else(|| "—".into());
    let zonage_rows = summary
        .zonage
        .iter()
        .map(|share| {
            let label = share.zonage.map(Zonage::label).unwrap_or("Non classée");
            view! {
                <tr>
                    <th scope="row">{label}</th>
                    <td class="num">{format::int(share.communes)}</td>
                    <td class="num">{format::int(share.population)}</td>
                    <td class="num">{format::percent(summary.share_of_population(share.population))}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section aria-labelledby="chiffres-cles">
            <h2 id="chiffres-cles">"Chiffres clés"</h2>
            <div class="cards">
                <div class="card">
                    <p class="figure">{format::int(summary.population)}</p>
                    <p class="label">"habitants dans " {format::int(summary.communes)} " communes"</p>
                    <SourceNote source=sources::INSEE_POPULATION/>
                </div>
                <div class="card">
                    <p class="figure">{apl_2023}</p>
                    <p class="label">
                        "consultations de généraliste accessibles par habitant et par an (APL 2023 ; "
                        {apl_2022} " en 2022)"
                    </p>
                    <SourceNote source=sources::DREES_APL_2023/>
                </div>
                <div class="card">
                    <p class="figure">{format::percent(under)}</p>
                    <p class="label">"des habitants vivent dans une commune sous-dotée (APL 2023 inférieure à 2,5)"</p>
                    <SourceNote source=sources::DREES_APL_2023/>
                </div>
                <div class="card">
                    <p class="figure">{format::percent(zip_share)}</p>
                    <p class="label">"des habitants vivent en zone d'intervention prioritaire (ZIP)"</p>
                    <SourceNote source=sources::ARS_ZONAGE/>
                </div>
                <div class="card">
                    <p class="figure">{format::int(summary.msp)}</p>
                    <p class="label">
                        "maisons de santé pluriprofessionnelles, " {format::int(summary.centres_sante)}
                        " centres de santé et " {format::int(summary.etablissements)} " établissements de santé"
                    </p>
                    <SourceNote source=sources::FINESS/>
                </div>
            </div>
            <h3>"Zonage des médecins généralistes"</h3>
            <table class="data">
                <caption>"Communes et habitants par zone"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Zone"</th>
                        <th scope="col" class="num">"Communes"</th>
                        <th scope="col" class="num">"Habitants"</th>
                        <th scope="col" class="num">"Part des habitants"</th>
                    </tr>
                </thead>
                <tbody>{zonage_rows}</tbody>
            </table>
            <SourceNote source=sources::ARS_ZONAGE/>
        </section>
    }
}
