use crate::components::{
    Breadcrumb, CommuneTable, HealthSummaryView, OutcomesLink, Seo, SourceNote, TerritoryMap, TerritoryPromotion,
    home_crumb, territory_ld,
};
use crate::domain::map::MapFocus;
use crate::domain::territory::get_departement;
use crate::format;
use crate::model::sources;
use leptos::prelude::*;

#[component]
pub fn DepartementPage() -> impl IntoView {
    super::territory_page(
        |k| get_departement(k.code, k.slug),
        |located| {
            let canonical = located.url(&located.page.path);
            let region_url = located.url(&located.page.region.path);
            let page = located.page;
            let within = vec![(
                "containedInPlace",
                serde_json::json!({"@type": "AdministrativeArea", "name": page.region.name, "url": region_url}),
            )];
            let ld = territory_ld("AdministrativeArea", &page.name, &canonical, &page.code, within);
            let epcis = page
                .epcis
                .into_iter()
                .map(|e| view! {
                    <li>
                        <a href=e.link.path>{e.link.name}</a>
                        <span class="muted">" — " {e.kind} ", " {format::int(e.communes)} " communes, " {format::int(e.population)} " hab."</span>
                    </li>
                })
                .collect_view();
            view! {
                <Seo
                    title=format!("Médecins en {} ({}) : zonage et accès aux soins", page.name, page.code)
                    description=format!(
                        "{} ({}) : {} habitants, {} communes, zonage ARS, APL des généralistes, maisons et centres de santé.",
                        page.name, page.code, format::int(page.summary.population), page.summary.communes
                    )
                    canonical
                    json_ld=ld
                />
                <Breadcrumb trail=vec![home_crumb(), page.region.crumb()] here=page.name.clone()/>
                <h1>{page.name.clone()} " (" {page.code.clone()} ")"</h1>
                <TerritoryPromotion kind="departement" code=page.code.clone() here=page.path.clone()/>
                <OutcomesLink path=page.path.clone()/>
                <HealthSummaryView summary=page.summary/>
                <TerritoryMap focus=MapFocus::Departement(page.code.clone()) title=format!("Carte : {}", page.name)/>
                <section aria-labelledby="epci">
                    <h2 id="epci">"Intercommunalités"</h2>
                    <ul class="columns">{epcis}</ul>
                    <SourceNote source=sources::DGCL_EPCI/>
                </section>
                <section aria-labelledby="communes">
                    <h2 id="communes">"Communes"</h2>
                    <CommuneTable communes=page.communes caption=format!("Les communes du département {}", page.name) path=page.path.clone()/>
                </section>
            }
        },
    )
}
