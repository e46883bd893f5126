use crate::components::{CsrfField, Field, FormOutcome, provide_refusal};
use crate::domain::accounts::{Problem, fields, paths};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;

/// Sign-in with e-mail and password.
#[component]
pub fn SignInPage() -> impl IntoView {
    provide_refusal::<Problem>();
    // Where to go back to after signing in; the server accepts only paths of this site.
    let query = use_query_map();
    let next = query.with_untracked(|q| q.get(fields::NEXT)).unwrap_or_default();
    let email = query.with_untracked(|q| q.get(fields::EMAIL)).unwrap_or_default();
    view! {
        <Title text="Se connecter — Médecins & Territoires"/>
        <Meta name="robots" content="noindex"/>
        <h1>"Se connecter"</h1>
        <FormOutcome/>
        {super::with_viewer(move |viewer| match viewer.user {
            Some(user) => view! {
                <p>"Vous êtes connecté(e) en tant que " {user.display_name} ". "
                <a href=paths::ACCOUNT>"Voir mon compte"</a></p>
            }.into_any(),
            None => view! {
                <form class="stacked" method="post" action=paths::SIGN_IN>
                    <CsrfField csrf=viewer.csrf/>
                    <input type="hidden" name=fields::NEXT value=next.clone()/>
                    <Field id="email" label="Adresse e-mail" clone:email let:aria>
                        <input id="email" name=fields::EMAIL type="email" autocomplete="username" required value=email.clone() aria-invalid=aria.invalid aria-describedby=aria.describedby/>
                    </Field>
                    <Field id="mot_de_passe" label="Mot de passe" let:aria>
                        <input id="mot_de_passe" name=fields::PASSWORD type="password" autocomplete="current-password" required aria-invalid=aria.invalid aria-describedby=aria.describedby/>
                    </Field>
                    <button type="submit">"Se connecter"</button>
                </form>
                <p><a href=paths::FORGOT_PASSWORD>"Mot de passe oublié ?"</a></p>
                <p>"Pas encore de compte ? " <a href=paths::SIGN_UP>"Créer un compte"</a></p>
            }.into_any(),
        })}
    }
}
