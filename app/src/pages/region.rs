use super::home::DepartementTable;
use crate::components::{Breadcrumb, HealthSummaryView, OutcomesLink, Seo, TerritoryMap, home_crumb, territory_ld};
use crate::domain::map::MapFocus;
use crate::domain::territory::get_region;
use crate::format;
use leptos::prelude::*;

#[component]
pub fn RegionPage() -> impl IntoView {
    super::territory_page(
        |k| get_region(k.code, k.slug),
        |located| {
            let canonical = located.url(&located.page.path);
            let page = located.page;
            let ld = territory_ld("AdministrativeArea", &page.name, &canonical, &page.code, Vec::new());
            view! {
                <Seo
                    title=format!("Médecins en {} : zonage et accès aux soins", page.name)
                    description=format!(
                        "{} habitants, {} communes : zonage ARS, APL des médecins généralistes et structures de santé de la région {}.",
                        format::int(page.summary.population), page.summary.communes, page.name
                    )
                    canonical
                    json_ld=ld
                />
                <Breadcrumb trail=vec![home_crumb()] here=page.name.clone()/>
                <h1>"Région " {page.name.clone()}</h1>
                <OutcomesLink path=page.path.clone()/>
                <HealthSummaryView summary=page.summary/>
                <TerritoryMap focus=MapFocus::Region title=format!("Carte : {}", page.name)/>
                <section aria-labelledby="departements">
                    <h2 id="departements">"Départements"</h2>
                    <DepartementTable rows=page.departements/>
                </section>
            }
        },
    )
}
