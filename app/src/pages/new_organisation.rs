use crate::components::{CsrfField, OrganisationFields, OrganisationOutcome, SignInFirst, provide_refusal};
use crate::domain::organisations::{OrganisationProblem, fields, paths};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;

/// The communes of a postal code typed where the INSEE code is asked ("code:label;…", kept
/// with the refusal): one button each, which sends the form with that commune.
fn postal_code_choices(kept: &str) -> Option<impl IntoView + use<>> {
    let choices: Vec<(String, String)> = kept
        .split(';')
        .filter_map(|choice| choice.split_once(':'))
        .map(|(code, label)| (code.to_owned(), label.to_owned()))
        .collect();
    (!choices.is_empty()).then(|| {
        let buttons = choices
            .into_iter()
            .map(|(code, label)| {
                view! { <button type="submit" class="secondary" name=fields::CHOSEN_COMMUNE value=code>{label}</button> }
            })
            .collect_view();
        view! {
            <fieldset>
                <legend>"Les communes de ce code postal : choisissez la vôtre"</legend>
                {buttons}
            </fieldset>
        }
    })
}

/// Creates an organisation: kind, name, and the code that ties it to the reference data.
/// Posts to the server's handler; it comes back here with an error and what was typed.
#[component]
pub fn NewOrganisationPage() -> impl IntoView {
    provide_refusal::<OrganisationProblem>();
    let query = use_query_map();
    let typed = move |field: &str| query.with_untracked(|q| q.get(field)).unwrap_or_default();
    let (kind, name, code) = (typed(fields::KIND), typed(fields::NAME), typed(fields::CODE));
    let choices = typed(fields::POSTAL_CODE_COMMUNES);
    view! {
        <Title text="Créer une organisation — Médecins & Territoires"/>
        <Meta name="robots" content="noindex"/>
        <h1>"Créer une organisation"</h1>
        <p class="lead">
            "Une organisation publie des offres et présente son territoire ou sa structure. Elle reste "
            "« en attente de vérification » jusqu'à ce que la modération (ARS, URPS, ordre) la vérifie ; "
            "vous en êtes le propriétaire et pouvez inviter d'autres membres."
        </p>
        <OrganisationOutcome/>
        {super::with_viewer(move |viewer| match viewer.user {
            None => view! { <SignInFirst what="créer une organisation" back=paths::NEW/> }.into_any(),
            Some(_) => view! {
                <form class="stacked" method="post" action=paths::NEW>
                    <CsrfField csrf=viewer.csrf/>
                    <OrganisationFields kind=kind.clone() name=name.clone() code=code.clone()/>
                    <button type="submit">"Créer l'organisation"</button>
                    // After the main button: Enter in a field sends the form as typed.
                    {postal_code_choices(&choices)}
                </form>
            }.into_any(),
        })}
    }
}
