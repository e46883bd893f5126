use crate::api::account::{Viewer, paths};
use crate::api::organisation::paths as organisation_paths;
use crate::components::{CsrfField, FormOutcome};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

/// The signed-in person's account.
#[component]
pub fn AccountPage() -> impl IntoView {
    view! {
        <Title text="Mon compte — Médecins & Territoires"/>
        <Meta name="robots" content="noindex"/>
        <h1>"Mon compte"</h1>
        <FormOutcome/>
        {super::with_viewer(account_view)}
    }
}

fn account_view(viewer: Viewer) -> AnyView {
    let Some(user) = viewer.user else {
        return view! {
            <p>"Vous n'êtes pas connecté(e). "
            <a href=paths::SIGN_IN>"Se connecter"</a> " ou " <a href=paths::SIGN_UP>"créer un compte"</a> "."</p>
        }
        .into_any();
    };
    let moderator = user.moderator;
    view! {
        <dl class="facts">
            <dt>"Nom affiché"</dt>
            <dd data-field="nom">{user.display_name}</dd>
            <dt>"Adresse e-mail"</dt>
            <dd data-field="email">
                {user.email} " "
                {if user.verified {
                    view! { <span class="badge ok">"confirmée"</span> }.into_any()
                } else {
                    view! {
                        <span class="badge todo">"à confirmer"</span>
                        <span class="muted">" : cliquez sur le lien de l'e-mail reçu à l'inscription."</span>
                    }.into_any()
                }}
            </dd>
        </dl>
        <ul class="account-links">
            <li><a href=organisation_paths::LIST>"Mes organisations"</a></li>
            {moderator.then(|| view! { <li><a href=organisation_paths::MODERATION>"Modération"</a></li> })}
        </ul>
        <form method="post" action=paths::SIGN_OUT>
            <CsrfField csrf=viewer.csrf/>
            <button type="submit">"Se déconnecter"</button>
        </form>
    }
    .into_any()
}
