//! `/guichet-unique`: the territories that have a referent, by département, each with its
//! level, its referent and a link to its page (where the form is); and the départements where
//! nobody answers yet, said plainly.

use crate::components::{ExampleBadge, Seo, unavailable_view};
use crate::domain::promotion::{DepartementGuichets, Guichet, GuichetsPage as Page, get_guichets, paths};
use crate::format;
use leptos::prelude::*;

#[component]
pub fn GuichetsPage() -> impl IntoView {
    let page = Resource::new(|| (), |_| get_guichets());
    view! {
        <Seo
            title="Guichet unique : les territoires qui ont un référent".to_owned()
            description="Les communes, intercommunalités et départements qui ont un référent pour accueillir les médecins : installation, logement, emploi du conjoint, écoles, aides.".to_owned()
            canonical=paths::GUICHETS.to_owned()
        />
        <h1>"Guichet unique : les territoires qui ont un référent"</h1>
        <p class="lead">
            "Un référent, membre de la collectivité, répond aux médecins, aux remplaçants et aux internes : "
            "installation, logement, emploi du conjoint, écoles, aides. On lui écrit depuis la page de son "
            "territoire (avec un compte). Une commune sans référent renvoie à celui de son intercommunalité, "
            "sinon à celui de son département."
        </p>
        <Suspense fallback=super::loading>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => listing(page).into_any(),
                    Err(error) => unavailable_view(error),
                }
            })}
        </Suspense>
    }
}

fn listing(page: Page) -> impl IntoView {
    let count = page.count();
    let (with, without): (Vec<DepartementGuichets>, Vec<DepartementGuichets>) =
        page.departements.into_iter().partition(|d| !d.guichets.is_empty());
    let summary = match count {
        0 => "Aucun territoire n'a encore de référent.".to_owned(),
        1 => "Un territoire a un référent.".to_owned(),
        n => format!("{} territoires ont un référent.", format::int(n as i64)),
    };
    let groups = with
        .into_iter()
        .map(|d| {
            let id = format!("guichets-{}", d.departement.path.rsplit('/').next().unwrap_or_default());
            let labelled_by = id.clone();
            view! {
                <section class="guichets" aria-labelledby=labelled_by>
                    <h2 id=id><a href=d.departement.path>{d.departement.name}</a></h2>
                    <ul class="guichet-list">{d.guichets.into_iter().map(item).collect_view()}</ul>
                </section>
            }
        })
        .collect_view();
    let without = (!without.is_empty()).then(|| {
        let names = without
            .into_iter()
            .enumerate()
            .map(|(i, d)| {
                view! { {(i > 0).then_some(", ")} <a href=d.departement.path>{d.departement.name}</a> }
            })
            .collect_view();
        view! {
            <section aria-labelledby="sans-referent">
                <h2 id="sans-referent">"Pas encore de référent"</h2>
                <p data-guichets="sans">"Aucun territoire n'y a encore de référent (ni le département, ni une intercommunalité, ni une commune) : " {names} "."</p>
            </section>
        }
    });
    view! {
        <p role="status" data-guichets="nombre">{summary}</p>
        {groups}
        {without}
    }
}

fn item(guichet: Guichet) -> impl IntoView {
    let role = (!guichet.referent.role.is_empty()).then(|| format!(", {}", guichet.referent.role));
    view! {
        <li data-guichet=guichet.level.code()>
            <a href=guichet.territory.path>{guichet.territory.name}</a>
            " " <span class="muted">"(" {guichet.level.label()} ")"</span>
            {guichet.example.then(|| view! { " " <ExampleBadge title="Page de démonstration"/> })}
            <br/>
            <span class="guichet-referent">{guichet.referent.name} {role}</span>
        </li>
    }
}
