use crate::components::{CsrfField, Field, FormOutcome, provide_refusal};
use crate::domain::accounts::{Problem, fields, paths};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;

/// Asks for a password reset link by e-mail.
#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    provide_refusal::<Problem>();
    let email = use_query_map().with_untracked(|q| q.get(fields::EMAIL)).unwrap_or_default();
    view! {
        <Title text="Mot de passe oublié — Médecins & Territoires"/>
        <Meta name="robots" content="noindex"/>
        <h1>"Mot de passe oublié"</h1>
        <FormOutcome/>
        {super::with_viewer(move |viewer| view! {
            <form class="stacked" method="post" action=paths::FORGOT_PASSWORD>
                <CsrfField csrf=viewer.csrf/>
                <Field id="email" label="Adresse e-mail du compte" clone:email let:aria>
                    <input id="email" name=fields::EMAIL type="email" autocomplete="email" required value=email.clone() aria-invalid=aria.invalid aria-describedby=aria.describedby/>
                </Field>
                <button type="submit">"Recevoir un lien"</button>
            </form>
        })}
    }
}
