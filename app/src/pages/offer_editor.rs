//! Writing an offer: a new one (first its kind, then its form) and changes to one. Both post
//! to the server's handlers, which come back here with an error and everything typed.

use crate::components::{CsrfField, OfferFields, OfferOutcome, provide_refusal, typed_offer};
use crate::domain::offers::{OfferEditor, OfferForm, OfferKind, OfferProblem, get_offer_editor, paths};
use crate::domain::organisations::paths as organisation_paths;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

/// `/organisations/{id}/offres/nouvelle[?type=…]`.
#[component]
pub fn NewOfferPage() -> impl IntoView {
    let organisation = use_params_map().with_untracked(|p| p.get("id")).unwrap_or_default();
    // Choosing the kind is a link to this same page: pages are rendered on the server (only
    // islands run in the browser), so following it renders the page again with its query.
    let kind = use_query_map().with_untracked(|q| q.get("type")).and_then(|k| OfferKind::from_code(&k));
    let here = paths::NEW.of(&organisation);
    provide_refusal::<OfferProblem>();
    let load = |organisation| get_offer_editor(organisation, None);
    view! {
        <Title text="Publier une offre — Médecins & Territoires"/>
        <Meta name="robots" content="noindex"/>
        <h1>"Publier une offre"</h1>
        <OfferOutcome/>
        {super::with_access(here, organisation, load, move |viewer, editor| match kind {
            None => kind_choice(&editor).into_any(),
            Some(kind) => {
                let form = typed_offer().unwrap_or(editor.form.clone());
                editor_form(&editor, kind, form, viewer.csrf, paths::NEW.of(editor.organisation_id)).into_any()
            }
        })}
    }
}

/// `/offres/{id}/modification`.
#[component]
pub fn EditOfferPage() -> impl IntoView {
    let params = use_params_map();
    let offer = params.with_untracked(|p| p.get("offre")).unwrap_or_default();
    let here = paths::EDIT.of(&offer);
    provide_refusal::<OfferProblem>();
    view! {
        <Title text="Modifier une offre — Médecins & Territoires"/>
        <Meta name="robots" content="noindex"/>
        <h1>"Modifier l'offre"</h1>
        <OfferOutcome/>
        {super::with_access(here, offer, |offer| get_offer_editor(String::new(), Some(offer)), |viewer, editor| {
            let form = typed_offer().unwrap_or(editor.form.clone());
            let kind = OfferKind::from_code(&editor.form.kind).unwrap_or(OfferKind::Remplacement);
            let action = paths::EDIT.of(editor.offer_id.unwrap_or_default());
            editor_form(&editor, kind, form, viewer.csrf.clone(), action).into_any()
        })}
    }
}

/// The first step of a new offer: its kind, each a link (no JavaScript needed).
fn kind_choice(editor: &OfferEditor) -> impl IntoView {
    let base = paths::NEW.of(editor.organisation_id);
    let links = OfferKind::ALL
        .iter()
        .map(|kind| {
            let href = format!("{base}?type={}", kind.code());
            view! { <li><a href=href>{kind.label()}</a></li> }
        })
        .collect_view();
    view! {
        <p class="lead">"Pour " <a href=organisation_paths::ORGANISATION.of(editor.organisation_id)>{editor.organisation_name.clone()}</a>
            ". Quel type d'offre ?"</p>
        <ul class="choices">{links}</ul>
    }
}

fn editor_form(editor: &OfferEditor, kind: OfferKind, form: OfferForm, csrf: String, action: String) -> impl IntoView {
    let new = editor.offer_id.is_none();
    let unverified = (!editor.organisation_verified).then(|| {
        view! {
            <p class="notice">
                "Votre organisation est en attente de vérification : vous pouvez préparer l'offre dès maintenant, "
                "elle sera publiable une fois l'organisation vérifiée par la modération."
            </p>
        }
    });
    let change_kind = new.then(|| {
        view! { " " <a href=paths::NEW.of(editor.organisation_id)>"Changer de type"</a> }
    });
    view! {
        <p class="lead">
            {kind.label()} " — pour "
            <a href=organisation_paths::ORGANISATION.of(editor.organisation_id)>{editor.organisation_name.clone()}</a>
            "." {change_kind}
        </p>
        {unverified}
        <form class="stacked offer-form" method="post" action=action>
            <CsrfField csrf/>
            <OfferFields kind form stage_sites=editor.stage_sites.clone()/>
            <button type="submit">{if new { "Enregistrer le brouillon" } else { "Enregistrer les modifications" }}</button>
        </form>
    }
}
