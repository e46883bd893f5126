//! A collectivité's local aids: the list with the form of a new one
//! (`/organisations/{id}/aides`), one aid's form (`/aides/{id}/modification`), and the
//! moderation of every local aid (`/moderation/aides`). Forms post to the server's handlers.

use crate::components::{
    AidCard, AidOutcome, CsrfField, Field, LocalAidFields, provide_item_refusal, provide_refusal, typed_for, typed_form,
};
use crate::domain::accounts::Viewer;
use crate::domain::aids::{
    Aid, AidProblem, LocalAidEditor, LocalAidForm, ModerationAids, OrganisationAids, fields, get_local_aid,
    get_moderation_aids, get_organisation_aids, paths,
};
use crate::domain::organisations::paths as organisation_paths;
use crate::model::Day;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

#[component]
pub fn OrganisationAidsPage() -> impl IntoView {
    provide_refusal::<AidProblem>();
    let params = use_params_map();
    let organisation = params.with_untracked(|p| p.get("id")).unwrap_or_default();
    let here = paths::ORGANISATION.of(&organisation);
    view! {
        <Title text="Aides locales — Médecins & Territoires"/>
        <Meta name="robots" content="noindex"/>
        <h1>"Aides locales"</h1>
        <AidOutcome/>
        {super::with_access(here, organisation, get_organisation_aids, organisation_aids)}
    }
}

fn organisation_aids(viewer: Viewer, page: OrganisationAids) -> impl IntoView {
    let today = page.today;
    let organisation = page.organisation_id;
    let intro = match &page.scope {
        // The organisation's name is whatever it is called (« Mairie de … », « CH de … »): a
        // sentence cannot take it as a subject; the link before this text names it.
        Some(scope) => format!(
            "Les aides que votre organisation propose aux médecins de son territoire ({}) : elles apparaissent dans \
             le catalogue, le simulateur et sur les pages des communes concernées.",
            scope.name
        ),
        None => "Seules les collectivités (communes, intercommunalités, départements) publient des aides locales ; \
                 votre organisation n'en est pas une."
            .to_owned(),
    };
    // The placeholder stands instead of the list: a list holds nothing but its items.
    let list = if page.aids.is_empty() {
        view! { <p>"Aucune aide locale publiée pour l'instant."</p> }.into_any()
    } else {
        let items = page
            .aids
            .into_iter()
            .map(|aid| {
                let edit = paths::EDIT.of(aid.id);
                view! { <li><AidCard aid today/> <p><a href=edit>"Modifier ou retirer cette aide"</a></p></li> }
            })
            .collect_view();
        view! { <ul class="aid-list">{items}</ul> }.into_any()
    };
    let form = page.may_publish.then(|| {
        let typed = typed_form::<LocalAidForm>().unwrap_or_default();
        view! {
            <section aria-labelledby="nouvelle-aide">
                <h2 id="nouvelle-aide">"Publier une aide locale"</h2>
                <p class="muted">"Indiquez la délibération ou la page officielle qui l'établit : le lien est affiché avec l'aide."</p>
                <form class="stacked" method="post" action=paths::ORGANISATION.of(organisation)>
                    <CsrfField csrf=viewer.csrf.clone()/>
                    <LocalAidFields form=typed combinable=page.combinable.clone()/>
                    <button type="submit">"Publier l'aide"</button>
                </form>
            </section>
        }
    });
    let unverified = (page.scope.is_some() && !page.may_publish).then(|| {
        view! { <p class="notice">"Votre collectivité doit d'abord être vérifiée par la modération pour publier des aides."</p> }
    });
    view! {
        <p class="lead">
            <a href=organisation_paths::ORGANISATION.of(organisation)>{page.organisation_name.clone()}</a> " — " {intro}
        </p>
        {unverified}
        {list}
        {form}
    }
}

#[component]
pub fn EditAidPage() -> impl IntoView {
    provide_refusal::<AidProblem>();
    let params = use_params_map();
    let aid = params.with_untracked(|p| p.get("aide")).unwrap_or_default();
    let here = paths::EDIT.of(&aid);
    view! {
        <Title text="Modifier une aide locale — Médecins & Territoires"/>
        <Meta name="robots" content="noindex"/>
        <h1>"Modifier l'aide locale"</h1>
        <AidOutcome/>
        {super::with_access(here, aid, get_local_aid, aid_editor)}
    }
}

/// One local aid's form, and the button that withdraws it (back to this page).
fn aid_editor(viewer: Viewer, editor: LocalAidEditor) -> impl IntoView {
    let form = typed_form::<LocalAidForm>().unwrap_or(editor.form.clone());
    let withdrawn = editor.withdrawn.then(|| view! {
        <p class="notice">"Cette aide est retirée : elle n'est plus proposée. Seule la modération peut la rétablir."</p>
    });
    let withdraw = (!editor.withdrawn).then(|| {
        view! {
            <form class="inline" method="post" action=paths::WITHDRAW.of(editor.aid_id)>
                <CsrfField csrf=viewer.csrf.clone()/>
                <input type="hidden" name="retour" value=paths::EDIT.of(editor.aid_id)/>
                <button type="submit">"Retirer cette aide"</button>
            </form>
        }
    });
    view! {
        <p><a href=paths::ORGANISATION.of(editor.organisation_id)>"Les aides locales de la collectivité"</a></p>
        {withdrawn}
        <form class="stacked" method="post" action=paths::EDIT.of(editor.aid_id)>
            <CsrfField csrf=viewer.csrf.clone()/>
            <LocalAidFields form combinable=editor.combinable.clone()/>
            <button type="submit">"Enregistrer les modifications"</button>
        </form>
        {withdraw}
    }
}

#[component]
pub fn ModerationAidsPage() -> impl IntoView {
    // A refused withdrawal names its aid: the reason's field of that aid is marked.
    provide_item_refusal::<AidProblem>(fields::AID, |problem, aid| {
        (problem == AidProblem::ReasonMissing).then(|| format!("motif-{aid}"))
    });
    view! {
        <Title text="Modération des aides locales — Médecins & Territoires"/>
        <Meta name="robots" content="noindex"/>
        <h1>"Modération des aides locales"</h1>
        <AidOutcome/>
        {super::with_access(paths::MODERATION.to_owned(), (), |_| get_moderation_aids(), moderation_view)}
    }
}

fn moderation_view(viewer: Viewer, page: ModerationAids) -> impl IntoView {
    let today = page.today;
    if page.aids.is_empty() {
        return view! { <p>"Aucune aide locale publiée."</p> }.into_any();
    }
    let rows = page.aids.into_iter().map(|aid| moderation_row(aid, today, viewer.csrf.clone())).collect_view();
    view! {
        <p class="lead">"Les aides publiées par les collectivités vérifiées. Ouvrez la source de chacune : si elle dit ce que l'aide annonce, notez-la vérifiée (l'aide l'affiche, avec la date) ; sinon retirez l'aide en disant pourquoi. Une aide modifiée par sa collectivité est à vérifier de nouveau."</p>
        <ul class="aid-list">{rows}</ul>
    }
    .into_any()
}

/// The reason of a refused withdrawal (named as the form's field).
#[derive(Default, serde::Serialize, serde::Deserialize)]
#[serde(default)]
struct Withdrawal {
    motif: String,
}

fn moderation_row(aid: Aid, today: Day, csrf: String) -> impl IntoView {
    let id = aid.id;
    let verify = (!aid.withdrawn && aid.verified_on.is_none()).then(|| {
        view! {
            <form class="inline" method="post" action=paths::VERIFY.of(id)>
                <CsrfField csrf=csrf.clone()/>
                <button type="submit">"J'ai vérifié la source : elle dit ce que l'aide annonce"</button>
            </form>
        }
    });
    let action = if aid.withdrawn {
        view! {
            <form class="inline" method="post" action=paths::RESTORE.of(id)>
                <CsrfField csrf/>
                <input type="hidden" name="retour" value=paths::MODERATION/>
                <button type="submit">"Rétablir"</button>
            </form>
        }
        .into_any()
    } else {
        let reason_id = format!("motif-{id}");
        // A refused withdrawal gives its reason back, into this aid's form only.
        let typed = typed_for::<Withdrawal>(fields::AID, id);
        view! {
            <form class="stacked" method="post" action=paths::WITHDRAW.of(id)>
                <CsrfField csrf/>
                <input type="hidden" name="retour" value=paths::MODERATION/>
                <Field id=reason_id.clone() label="Motif du retrait" let:aria>
                    <input id=reason_id type="text" name=fields::REASON required minlength="5" maxlength="500" value=typed.motif
                        aria-invalid=aria.invalid aria-describedby=aria.describedby/>
                </Field>
                <button type="submit">"Retirer"</button>
            </form>
        }
        .into_any()
    };
    view! { <li><AidCard aid today/> {verify} {action}</li> }
}
