use crate::components::{CsrfField, Field, FormOutcome, provide_refusal};
use crate::domain::accounts::{Problem, fields, paths};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;

/// Chooses a new password, from the link of a reset mail (`?jeton=…`).
#[component]
pub fn NewPasswordPage() -> impl IntoView {
    provide_refusal::<Problem>();
    let token = use_query_map().with_untracked(|q| q.get(fields::TOKEN)).unwrap_or_default();
    view! {
        <Title text="Nouveau mot de passe — Médecins & Territoires"/>
        <Meta name="robots" content="noindex"/>
        // The address holds a secret: keep it out of other sites' logs.
        <Meta name="referrer" content="no-referrer"/>
        <h1>"Choisir un nouveau mot de passe"</h1>
        <FormOutcome/>
        {super::with_viewer(move |viewer| view! {
            <form class="stacked" method="post" action=paths::NEW_PASSWORD>
                <CsrfField csrf=viewer.csrf/>
                <input type="hidden" name=fields::TOKEN value=token.clone()/>
                <Field id="mot_de_passe" label="Nouveau mot de passe" hint="Au moins 10 caractères. Vos autres sessions seront fermées." let:aria>
                    <input id="mot_de_passe" name=fields::PASSWORD type="password" autocomplete="new-password"
                        required minlength="10" maxlength="128" aria-invalid=aria.invalid aria-describedby=aria.describedby/>
                </Field>
                <button type="submit">"Enregistrer"</button>
            </form>
        })}
    }
}
