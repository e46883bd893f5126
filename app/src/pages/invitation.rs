use crate::components::{CsrfField, OrganisationOutcome, encode_query_value, unavailable_view};
use crate::domain::accounts::{Viewer, fields as account_fields, get_viewer, paths as account_paths};
use crate::domain::organisations::{InvitationState, InvitationView, fields, get_invitation, paths};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;

/// The link of an invitation mail (`?jeton=…`): who invites to what, and the button to join
/// for the person signed in with the invited address.
#[component]
pub fn InvitationPage() -> impl IntoView {
    let token = use_query_map().with_untracked(|q| q.get(fields::TOKEN)).unwrap_or_default();
    let viewer = Resource::new(|| (), |_| get_viewer());
    let invitation = Resource::new(
        {
            let token = token.clone();
            move || token.clone()
        },
        get_invitation,
    );
    view! {
        <Title text="Invitation — Médecins & Territoires"/>
        <Meta name="robots" content="noindex"/>
        // The address holds a secret: keep it out of other sites' logs.
        <Meta name="referrer" content="no-referrer"/>
        <h1>"Invitation à rejoindre une organisation"</h1>
        <OrganisationOutcome/>
        <Suspense fallback=super::loading>
            {move || {
                let token = token.clone();
                Suspend::new(async move {
                    match (viewer.await, invitation.await) {
                        (Ok(viewer), Ok(Some(invitation))) => invitation_view(viewer, invitation, token).into_any(),
                        (Ok(_), Ok(None)) => view! {
                            <p>"Ce lien d'invitation n'est pas valable. Vérifiez que l'adresse est complète, "
                            "ou demandez une nouvelle invitation à l'organisation."</p>
                        }.into_any(),
                        (Err(error), _) | (_, Err(error)) => unavailable_view(error),
                    }
                })
            }}
        </Suspense>
    }
}

fn invitation_view(viewer: Viewer, invitation: InvitationView, token: String) -> impl IntoView {
    let inviter = invitation.inviter.clone().unwrap_or_else(|| "Un membre".to_owned());
    let here = format!("{}?{}={}", paths::INVITATION, fields::TOKEN, token);
    let summary = view! {
        <p>
            {inviter} " vous invite à rejoindre « " <strong>{invitation.organisation.clone()}</strong> " » ("
            {invitation.kind.label()} ") comme " {invitation.role.label()} ". "
            "L'invitation est adressée à " <strong>{invitation.email.clone()}</strong> "."
        </p>
    };
    let action = match (invitation.state, viewer.user) {
        (InvitationState::Accepted, _) => view! {
            <p>"Cette invitation a déjà été acceptée. "
            <a href=paths::ORGANISATION.of(invitation.organisation_id)>"Voir l'organisation"</a>
            " (si vous en êtes membre)."</p>
        }
        .into_any(),
        (InvitationState::Closed, _) => view! {
            <p>"Cette invitation n'est plus valable : elle a expiré, a été annulée ou remplacée par une plus récente, "
            "ou la personne qui l'a envoyée n'est plus responsable de l'organisation. "
            "Demandez-en une nouvelle à l'organisation."</p>
        }
        .into_any(),
        (InvitationState::Open, None) => {
            let sign_in = format!("{}?{}={}", account_paths::SIGN_IN, account_fields::NEXT, encode_query_value(&here));
            view! {
                <p>"Pour accepter, connectez-vous avec le compte de l'adresse " {invitation.email.clone()} ". "
                <a href=sign_in>"Se connecter"</a></p>
                <p>"Pas encore de compte ? " <a href=account_paths::SIGN_UP>"Créez-le"</a>
                " avec cette adresse, puis revenez à ce lien (celui de l'e-mail d'invitation)."</p>
            }
            .into_any()
        }
        (InvitationState::Open, Some(user)) if !user.email.eq_ignore_ascii_case(&invitation.email) => view! {
            <p class="form-problem" role="alert">
                "Vous êtes connecté(e) avec l'adresse " {user.email} ", mais l'invitation est adressée à "
                {invitation.email.clone()} " : déconnectez-vous, puis connectez-vous avec le compte de l'adresse invitée."
            </p>
            <form method="post" action=account_paths::SIGN_OUT>
                <CsrfField csrf=viewer.csrf/>
                <button type="submit">"Se déconnecter"</button>
            </form>
        }
        .into_any(),
        (InvitationState::Open, Some(_)) => view! {
            <form method="post" action=paths::INVITATION>
                <CsrfField csrf=viewer.csrf/>
                <input type="hidden" name=fields::TOKEN value=token/>
                <button type="submit">"Rejoindre l'organisation"</button>
            </form>
        }
        .into_any(),
    };
    view! { {summary} {action} }
}
