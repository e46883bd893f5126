use crate::components::{
    Breadcrumb, CommuneTable, HealthSummaryView, OutcomesLink, Seo, SourceNote, StructureList, TerritoryMap,
    TerritoryPromotion, home_crumb, territory_ld,
};
use crate::domain::map::MapFocus;
use crate::domain::territory::get_epci;
use crate::format;
use crate::model::sources;
use leptos::prelude::*;

#[component]
pub fn EpciPage() -> impl IntoView {
    super::territory_page(
        |k| get_epci(k.code, k.slug),
        |located| {
            let canonical = located.url(&located.page.path);
            let page = located.page;
            let served =
                vec![("areaServed", serde_json::json!(page.departements.iter().map(|d| &d.name).collect::<Vec<_>>()))];
            let ld = territory_ld("GovernmentOrganization", &page.name, &canonical, &page.siren, served);
            let departements = page
                .departements
                .iter()
                .map(|d| view! { <li><a href=d.path.clone()>{d.name.clone()}</a></li> })
                .collect_view();
            let outside = page.communes_total - page.summary.communes;
            view! {
                <Seo
                    title=format!("Médecins : {} — zonage et accès aux soins", page.name)
                    description=format!(
                        "{} ({}) : {} communes, {} habitants, zonage ARS, APL des généralistes, maisons et centres de santé.",
                        page.name, page.kind, page.communes_total, format::int(page.population_totale)
                    )
                    canonical
                    json_ld=ld
                />
                <Breadcrumb
                    trail=[home_crumb(), page.region.crumb()].into_iter().chain(page.departements.first().map(|d| d.crumb())).collect()
                    here=page.name.clone()
                />
                <h1>{page.name.clone()}</h1>
                <p class="lead">
                    {page.kind.clone()} " — SIREN " {page.siren.clone()} " — " {format::int(page.communes_total)} " communes, "
                    {format::int(page.population_totale)} " habitants (population totale)."
                    {(outside > 0).then(|| format!(" {outside} de ses communes sont hors de la région : les chiffres ci-dessous portent sur ses communes d'Occitanie."))}
                </p>
                <SourceNote source=sources::DGCL_EPCI/>
                <div class="inline-list">"Départements : " <ul class="inline">{departements}</ul></div>
                <TerritoryPromotion kind="epci" code=page.siren.clone() here=page.path.clone() departements=page.departements.clone()/>
                <OutcomesLink path=page.path.clone()/>
                <HealthSummaryView summary=page.summary/>
                <TerritoryMap focus=MapFocus::Epci(page.siren.clone()) title=format!("Carte : {}", page.name)/>
                <section aria-labelledby="structures">
                    <h2 id="structures">"Structures de santé"</h2>
                    <StructureList structures=page.structures empty="Aucune structure de santé enregistrée dans FINESS pour ces communes."/>
                </section>
                <section aria-labelledby="communes">
                    <h2 id="communes">"Communes"</h2>
                    <CommuneTable communes=page.communes caption=format!("Les communes de {}", page.name) path=page.path.clone()/>
                </section>
            }
        },
    )
}
