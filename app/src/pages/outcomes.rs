//! `/…/bilan`: what the portal did on a territory, public figures from its own data over the
//! last twelve months, each chart followed by its table.

use crate::components::{BarChart, Breadcrumb, Seo, Series, home_crumb};
use crate::domain::territory::{OutcomesPage as Outcomes, get_outcomes};
use crate::format;
use leptos::prelude::*;

/// The outcomes of a territory of `kind` (region, departement, epci, commune), at `:key`.
#[component]
pub fn OutcomesPage(kind: &'static str) -> impl IntoView {
    super::territory_page(
        move |k| {
            get_outcomes(kind.to_owned(), if k.slug.is_empty() { k.code } else { format!("{}-{}", k.code, k.slug) })
        },
        |located| {
            let canonical = located.url(&located.page.path);
            let page = located.page;
            view! {
                <Seo
                    title=format!("Bilan du portail : {}", page.territory.name)
                    description=format!(
                        "Offres publiées et pourvues, délai médian pour pourvoir une offre, candidatures et demandes au guichet unique pour {} sur douze mois.",
                        page.territory.name
                    )
                    canonical
                />
                <OutcomesView page/>
            }
        },
    )
}

#[component]
fn OutcomesView(page: Outcomes) -> impl IntoView {
    let categories: Vec<String> = page.months.iter().map(|m| m.label.clone()).collect();
    let series = |label: &str, pick: fn(&crate::domain::territory::MonthOutcome) -> i64| Series {
        label: label.to_owned(),
        values: page.months.iter().map(|m| Some(pick(m) as f64)).collect(),
    };
    let offers = vec![series("Offres publiées", |m| m.published), series("Offres pourvues", |m| m.filled)];
    let applications = vec![series("Candidatures reçues", |m| m.applications)];
    let period = format!("du {} au {}", page.from.french(), page.to.french());
    let median = page
        .median_days_to_fill
        .map(|d| format!("{} jour{}", format::int(d), if d > 1 { "s" } else { "" }))
        .unwrap_or_else(|| "pas encore mesuré".to_owned());
    view! {
        <Breadcrumb trail=vec![home_crumb(), page.territory.crumb()] here="Bilan"/>
        <h1>"Bilan du portail : " {page.territory.name.clone()}</h1>
        <p class="lead">
            "Ce que le portail a permis pour " {page.kind_label.clone()} " " <a href=page.territory.path.clone()>{page.territory.name.clone()}</a>
            ", " {period.clone()} " : chiffres calculés à partir des données du portail, offres d'exemple exclues."
        </p>
        <div class="cards">
            <div class="card"><p class="figure" data-figure="publiees">{format::int(page.published)}</p><p class="label">{if page.published > 1 { "offres publiées" } else { "offre publiée" }}</p></div>
            <div class="card"><p class="figure" data-figure="pourvues">{format::int(page.filled)}</p><p class="label">{if page.filled > 1 { "offres pourvues" } else { "offre pourvue" }}</p></div>
            <div class="card"><p class="figure" data-figure="delai">{median}</p><p class="label">"délai médian entre la publication et « pourvue »"</p></div>
            <div class="card"><p class="figure" data-figure="candidatures">{format::int(page.applications)}</p><p class="label">{if page.applications > 1 { "candidatures" } else { "candidature" }}</p></div>
            <div class="card"><p class="figure" data-figure="ouvertes">{format::int(page.open_now)}</p><p class="label">{if page.open_now > 1 { "offres ouvertes aujourd'hui" } else { "offre ouverte aujourd'hui" }}</p></div>
            <div class="card"><p class="figure" data-figure="evenements">{format::int(page.events_held)}</p><p class="label">{if page.events_held > 1 { "événements tenus" } else { "événement tenu" }}</p></div>
            <div class="card"><p class="figure" data-figure="guichet">{format::int(page.cases)}</p><p class="label">{if page.cases > 1 { "demandes au guichet unique de la collectivité" } else { "demande au guichet unique de la collectivité" }}</p></div>
        </div>
        <BarChart id="offres-par-mois".to_owned() title=format!("Offres publiées et pourvues par mois, {period}") categories=categories.clone() series=offers digits=0/>
        <BarChart id="candidatures-par-mois".to_owned() title=format!("Candidatures reçues par mois, {period}") categories series=applications digits=0/>
        <p class="source">"Source : Médecins & Territoires, données du portail mises à jour en continu. Une offre compte le mois de sa publication, et le mois où elle est marquée pourvue."</p>
    }
}
