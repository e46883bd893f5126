use crate::components::{CommuneSearch, HealthSummaryView, Seo, SourceNote, TerritoryMap, json_ld, unavailable_view};
use crate::domain::map::MapFocus;
use crate::domain::offers::{BoardQuery, OfferKind};
use crate::domain::organisations::paths as organisation_paths;
use crate::domain::territory::{DepartementRow, get_home};
use crate::format;
use crate::model::sources;
use leptos::prelude::*;

#[component]
pub fn HomePage() -> impl IntoView {
    let home = Resource::new(|| (), |_| get_home());
    view! {
        <Suspense fallback=super::loading>
            {move || Suspend::new(async move {
                match home.await {
                    Ok(located) => {
                        let canonical = located.url("/");
                        let site_url = located.site_url.clone();
                        let page = located.page;
                        let ld = json_ld(serde_json::json!({
                            "@context": "https://schema.org",
                            "@type": "WebSite",
                            "name": crate::app::SITE_NAME,
                            "url": canonical,
                            "inLanguage": "fr-FR",
                            "potentialAction": {
                                "@type": "SearchAction",
                                "target": format!("{site_url}/recherche?q={{q}}"),
                                "query-input": "required name=q",
                            },
                        }));
                        view! {
                            <Seo
                                title="S'installer comme médecin en Occitanie".to_owned()
                                description=format!(
                                    "Zonage, accès aux soins, maisons de santé : les {} communes d'Occitanie vues par les médecins qui cherchent où exercer.",
                                    page.summary.communes
                                )
                                canonical
                                json_ld=ld
                            />
                            <section class="hero">
                                <h1>"Trouver où exercer, accueillir les médecins"</h1>
                                <p class="lead">
                                    "Médecins & Territoires rassemble ce qu'un jeune médecin, un remplaçant ou un interne veut savoir "
                                    "d'un territoire avant de s'y installer : zonage de l'ARS, accès aux soins, maisons et centres de santé. "
                                    "Communes, maisons de santé et médecins qui cherchent un successeur y trouvent les médecins."
                                </p>
                                <Visitors/>
                                <CommuneSearch/>
                            </section>
                            <HealthSummaryView summary=page.summary.clone()/>
                            <TerritoryMap focus=MapFocus::Region title="Carte : zonage, structures de santé et offres"/>
                            <section aria-labelledby="departements">
                                <h2 id="departements">
                                    "Les 13 départements de la région "
                                    <a href=page.region.path.clone()>{page.region.name.clone()}</a>
                                </h2>
                                <DepartementTable rows=page.departements/>
                            </section>
                        }
                        .into_any()
                    }
                    Err(error) => unavailable_view(error),
                }
            })}
        </Suspense>
    }
}

/// The three visitors the portal is for, each one click from what they came for: the board
/// of their kind of offer, or the way to publish for a collectivité or a structure (sign in or
/// create an account, then the organisation's form).
#[component]
fn Visitors() -> impl IntoView {
    let board = |kind| BoardQuery { kinds: vec![kind], ..BoardQuery::default() }.href(1);
    view! {
        <nav class="visitors" aria-label="Je suis…">
            <ul>
                // One span in each link: its words wrap as a sentence, not as flex items.
                <li><a href=board(OfferKind::Remplacement)><span>"Je cherche un " <strong>"remplacement"</strong></span></a></li>
                <li><a href=board(OfferKind::Installation)><span>"Je cherche une " <strong>"installation"</strong></span></a></li>
                <li><a href=board(OfferKind::Stage)><span>"Je cherche un " <strong>"stage"</strong></span></a></li>
                <li class="recruiter">
                    <a href=organisation_paths::NEW>
                        <span>"Je suis une " <strong>"collectivité"</strong> " ou une " <strong>"structure de santé"</strong></span>
                    </a>
                </li>
            </ul>
        </nav>
    }
}

/// Départements with their main figures (also used on the region page).
#[component]
pub fn DepartementTable(rows: Vec<DepartementRow>) -> impl IntoView {
    let rows = rows
        .into_iter()
        .map(|d| {
            let zip = if d.population == 0 { 0.0 } else { d.population_zip as f64 * 100.0 / d.population as f64 };
            view! {
                <tr>
                    <th scope="row"><a href=d.link.path>{d.code} " — " {d.link.name}</a></th>
                    <td class="num">{format::int(d.population)}</td>
                    <td class="num">{format::int(d.communes)}</td>
                    <td class="num"><crate::components::AplValue apl=d.apl_2023/></td>
                    <td class="num">{format::percent(zip)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="data">
            <caption>"Population, accès aux généralistes et zonage par département"</caption>
            <thead>
                <tr>
                    <th scope="col">"Département"</th>
                    <th scope="col" class="num">"Habitants"</th>
                    <th scope="col" class="num">"Communes"</th>
                    <th scope="col" class="num">"APL 2023"</th>
                    <th scope="col" class="num">"Habitants en ZIP"</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
        <SourceNote source=sources::DREES_APL_2023/>
    }
}
