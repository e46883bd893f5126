//! `/aides`: the eligibility simulator (profile and commune in the address, so an answer can
//! be shared) and the whole catalogue of aids, grouped by funder.

use crate::components::{AidCard, CommuneField, Seo, SimulationView, unavailable_view};
use crate::domain::aids::{Aid, AidProfile, AidsPage as Page, Funder, fields, get_aids, paths};
use crate::domain::open_data::paths as open_paths;
use crate::model::Day;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AidsPage() -> impl IntoView {
    let query = use_query_map();
    let asked = Memo::new(move |_| {
        query.with(|q| (q.get(fields::PROFILE).unwrap_or_default(), q.get(fields::COMMUNE).unwrap_or_default()))
    });
    let page = Resource::new(move || asked.get(), |(profile, commune)| get_aids(profile, commune));
    view! {
        <Seo
            title="Aides à l'installation des médecins et simulateur d'éligibilité".to_owned()
            description="Les aides de l'Assurance Maladie, de l'État, de l'ARS Occitanie, de la Région et des collectivités pour les internes, remplaçants et médecins qui s'installent, avec leurs conditions et leurs sources, et le simulateur par commune.".to_owned()
            canonical=paths::AIDS.to_owned()
        />
        <h1>"Aides à l'installation et à l'exercice"</h1>
        <p class="lead">
            "Plus de quinze dispositifs se superposent : ils sont réunis ici avec leurs montants, leurs conditions "
            "(zonage, profil, engagement) et un lien vers leur source officielle. Le simulateur dit lesquels s'appliquent "
            "dans une commune, pour votre situation."
        </p>
        <Suspense fallback=super::loading>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => page_view(page).into_any(),
                    Err(error) => unavailable_view(error),
                }
            })}
        </Suspense>
    }
}

fn page_view(page: Page) -> impl IntoView {
    let today = page.today;
    let from_account = page.profile_from_account.then(|| {
        view! { <p class="muted">"Profil pris dans votre compte ; choisissez-en un autre pour comparer."</p> }
    });
    let options = AidProfile::ALL
        .iter()
        .map(|p| view! { <option value=p.code() selected=page.profile == Some(*p)>{p.label()}</option> })
        .collect_view();
    let problem = page.commune_problem.clone().map(|p| view! { <p class="form-problem" role="alert">{p}</p> });
    let answer = page.simulation.clone().map(|simulation| view! { <SimulationView simulation/> });
    view! {
        <section id="simulation" aria-labelledby="simulateur">
            <h2 id="simulateur">"Simulateur d'éligibilité"</h2>
            <form class="stacked simulator" method="get" action=paths::AIDS>
                <label for="profil">"Vous êtes"</label>
                <select id="profil" name=fields::PROFILE>
                    <option value="" selected=page.profile.is_none()>"— tous les profils —"</option>
                    {options}
                </select>
                {from_account}
                <CommuneField id="commune".to_owned() name=fields::COMMUNE.to_owned() label="Commune envisagée".to_owned()
                    value=page.commune.clone()/>
                <button type="submit">"Voir les aides"</button>
            </form>
            {problem}
            {answer}
        </section>
        <Catalogue aids=page.catalogue today/>
    }
}

/// Every aid, grouped by funder, national ones before local ones within each group.
#[component]
fn Catalogue(aids: Vec<Aid>, today: Day) -> impl IntoView {
    let count = aids.len();
    let groups = Funder::ALL
        .iter()
        .filter_map(|funder| {
            let mine: Vec<Aid> = aids.iter().filter(|a| a.funder == *funder).cloned().collect();
            (!mine.is_empty()).then(|| {
                let id = format!("financeur-{}", funder.code());
                let labelled_by = id.clone();
                let cards = mine.into_iter().map(|aid| view! { <li><AidCard aid today/></li> }).collect_view();
                view! {
                    <section aria-labelledby=labelled_by>
                        <h3 id=id>{funder.label()}</h3>
                        <ul class="aid-list">{cards}</ul>
                    </section>
                }
            })
        })
        .collect_view();
    view! {
        <section aria-labelledby="catalogue">
            <h2 id="catalogue">"Catalogue des aides (" {count} ")"</h2>
            <p class="muted">
                "Chaque aide indique la date à laquelle ses conditions ont été vérifiées sur sa source. "
                "Les aides expirées restent affichées comme telles. "
                <a href=open_paths::AIDS_CSV>"Télécharger le catalogue (CSV)"</a>
            </p>
            {groups}
        </section>
    }
}
