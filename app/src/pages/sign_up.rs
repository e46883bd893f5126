use crate::components::{CsrfField, Field, FormOutcome, provide_refusal};
use crate::domain::accounts::{Problem, fields, paths};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;

/// Account creation: name, e-mail, password. Posts to the server's sign-up handler.
#[component]
pub fn SignUpPage() -> impl IntoView {
    provide_refusal::<Problem>();
    // What the visitor typed before an error sent them back here (never the password).
    let query = use_query_map();
    let typed = move |field: &str| query.with_untracked(|q| q.get(field)).unwrap_or_default();
    let (name, email) = (typed(fields::NAME), typed(fields::EMAIL));
    view! {
        <Title text="Créer un compte — Médecins & Territoires"/>
        <Meta name="robots" content="noindex"/>
        <h1>"Créer un compte"</h1>
        <p class="lead">
            "Un compte sert à publier et suivre des offres, à candidater et à recevoir des alertes. "
            "Tout ce qui est public sur le portail se lit sans compte."
        </p>
        <FormOutcome/>
        {super::with_viewer(move |viewer| match viewer.user {
            Some(user) => view! {
                <p>"Vous êtes déjà connecté(e) en tant que " {user.display_name} ". "
                <a href=paths::ACCOUNT>"Voir mon compte"</a></p>
            }.into_any(),
            None => view! {
                <form class="stacked" method="post" action=paths::SIGN_UP>
                    <CsrfField csrf=viewer.csrf/>
                    <Field id="nom" label="Nom affiché" clone:name let:aria>
                        <input id="nom" name=fields::NAME type="text" autocomplete="name" required minlength="2" maxlength="80" value=name.clone() aria-invalid=aria.invalid aria-describedby=aria.describedby/>
                    </Field>
                    <Field id="email" label="Adresse e-mail" clone:email let:aria>
                        <input id="email" name=fields::EMAIL type="email" autocomplete="email" required value=email.clone() aria-invalid=aria.invalid aria-describedby=aria.describedby/>
                    </Field>
                    <Field id="mot_de_passe" label="Mot de passe"
                        hint="Au moins 10 caractères. Une phrase facile à retenir fait un bon mot de passe." let:aria>
                        <input id="mot_de_passe" name=fields::PASSWORD type="password" autocomplete="new-password"
                            required minlength="10" maxlength="128" aria-invalid=aria.invalid aria-describedby=aria.describedby/>
                    </Field>
                    <button type="submit">"Créer mon compte"</button>
                </form>
                <p>"Déjà inscrit(e) ? " <a href=paths::SIGN_IN>"Se connecter"</a></p>
            }.into_any(),
        })}
    }
}
