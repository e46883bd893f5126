//! A collectivité writes its territory page: `/organisations/{id}/territoire` (the texts, the
//! referent, photos, testimonials, the history of revisions) and
//! `/organisations/{id}/territoire/apercu` (the latest revision as the public will see it,
//! with the button that publishes it). Forms post to the server's handlers.

use crate::components::{ConfirmedDisclosure, CsrfField, Field, PromotionOutcome, PromotionView, provide_refusal};
use crate::domain::accounts::Viewer;
use crate::domain::organisations::paths as organisation_paths;
use crate::domain::promotion::{
    PRESENTATION_MAX, PromotionEditor, PromotionProblem, SECTION_MAX, Section, fields, get_promotion_editor, paths,
};
use crate::format;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

/// Loads the editor of the `:id` organisation and renders it with `body`.
fn with_editor<V: IntoView + 'static>(
    here: crate::domain::Address,
    body: impl Fn(Viewer, PromotionEditor) -> V + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let params = use_params_map();
    let organisation = params.with_untracked(|p| p.get("id")).unwrap_or_default();
    super::with_access(here.of(&organisation), organisation, get_promotion_editor, body)
}

#[component]
pub fn PromotionEditorPage() -> impl IntoView {
    provide_refusal::<PromotionProblem>();
    view! {
        <Title text="Page du territoire — Médecins & Territoires"/>
        <Meta name="robots" content="noindex"/>
        <h1>"Page du territoire"</h1>
        <PromotionOutcome/>
        {with_editor(paths::EDITOR, |viewer, editor| editor_view(viewer, editor).into_any())}
    }
}

fn editor_view(viewer: Viewer, editor: PromotionEditor) -> impl IntoView {
    let organisation = editor.organisation_id;
    let csrf = viewer.csrf.clone();
    let content = editor.content.clone();
    // A refused video address comes back in the address, to be corrected.
    let video = use_query_map().with_untracked(|q| q.get(fields::VIDEO)).unwrap_or(content.video_url.clone());
    let state = match (editor.latest_revision, editor.latest_published) {
        (None, _) => {
            "La page n'a pas encore de version : écrivez-la, enregistrez, vérifiez l'aperçu puis publiez.".to_owned()
        }
        (Some(_), true) => "La dernière version est publiée.".to_owned(),
        (Some(_), false) => {
            "La dernière version enregistrée n'est pas publiée : vérifiez l'aperçu, puis publiez-la.".to_owned()
        }
    };
    let unverified = (!editor.verified).then(|| {
        view! { <p class="notice">"Votre collectivité est en attente de vérification : vous pouvez préparer la page, elle sera publiable une fois vérifiée."</p> }
    });
    let sections = Section::ALL
        .iter()
        .map(|section| {
            let name = format!("{}{}", fields::SECTION_PREFIX, section.code());
            let text = content.section(*section).to_owned();
            view! {
                <Field id=name.clone() label=section.label() let:aria>
                    <textarea id=name.clone() name=name.clone() maxlength=SECTION_MAX.to_string() rows="4"
                        aria-invalid=aria.invalid aria-describedby=aria.describedby>{text}</textarea>
                </Field>
            }
        })
        .collect_view();
    let referents = editor
        .members
        .iter()
        .map(|m| view! { <option value=m.user_id.to_string() selected=content.referent_id == Some(m.user_id)>{m.name.clone()}</option> })
        .collect_view();
    view! {
        <p class="lead">
            <a href=organisation_paths::ORGANISATION.of(organisation)>{editor.organisation_name.clone()}</a>
            " — la page apparaît sur " <a href=editor.territory.path.clone()>{editor.territory.name.clone()}</a> ". " {state}
        </p>
        {unverified}
        <p>{editor.latest_revision.map(|_| view! { <a class="button" href=paths::PREVIEW.of(organisation)>"Voir l'aperçu et publier"</a> })}</p>
        <section aria-labelledby="textes">
            <h2 id="textes">"Textes et référent"</h2>
            <p class="muted">"Écrivez en Markdown : **gras**, *italique*, listes avec « - », liens [texte](https://…). Le HTML est affiché tel quel, sans effet."</p>
            <form class="stacked wide" method="post" action=paths::EDITOR.of(organisation)>
                <CsrfField csrf=csrf.clone()/>
                <Field id="presentation" label="Présentation du territoire" let:aria>
                    <textarea id="presentation" name=fields::PRESENTATION maxlength=PRESENTATION_MAX.to_string() rows="8"
                        aria-invalid=aria.invalid aria-describedby=aria.describedby>{content.presentation.clone()}</textarea>
                </Field>
                <fieldset>
                    <legend>"Cadre de vie"</legend>
                    {sections}
                </fieldset>
                <Field id="video" label="Lien vers une vidéo de présentation (https://…)" let:aria>
                    <input id="video" name=fields::VIDEO type="url" maxlength="500" value=video
                        aria-invalid=aria.invalid aria-describedby=aria.describedby/>
                </Field>
                <Field id="referent" label="Référent du guichet unique"
                    hint="Il reçoit les demandes des médecins. Sans référent, la page du territoire renvoie au guichet le plus proche (intercommunalité, puis département)." let:aria>
                    <select id="referent" name=fields::REFERENT aria-invalid=aria.invalid aria-describedby=aria.describedby>
                        <option value="" selected=content.referent_id.is_none()>"— aucun pour l'instant —"</option>
                        {referents}
                    </select>
                </Field>
                <Field id="role_referent" label="Son rôle, tel qu'affiché" let:aria>
                    <input id="role_referent" name=fields::REFERENT_ROLE type="text" maxlength="120" value=content.referent_role.clone()
                        aria-invalid=aria.invalid aria-describedby=aria.describedby/>
                </Field>
                <button type="submit">"Enregistrer et prévisualiser"</button>
            </form>
        </section>
        {photos_view(&editor, csrf.clone())}
        {testimonials_view(&editor, csrf.clone())}
        {history_view(&editor, csrf)}
    }
}

fn photos_view(editor: &PromotionEditor, csrf: String) -> impl IntoView + use<> {
    let organisation = editor.organisation_id;
    let list = editor
        .photos
        .iter()
        .map(|photo| {
            let csrf = csrf.clone();
            view! {
                <li>
                    <img src=paths::thumbnail(photo.id) alt=photo.alt.clone() width="240"/>
                    <p>{photo.alt.clone()} {(!photo.credit.is_empty()).then(|| format!(" — © {}", photo.credit))}</p>
                    <ConfirmedDisclosure action=paths::REMOVE_PHOTO.of2(organisation, photo.id) csrf
                        id=format!("retrait-photo-{}", photo.id) summary="Retirer cette photo…"
                        confirm="Je confirme le retrait de cette photo." button="Retirer la photo"/>
                </li>
            }
        })
        .collect_view();
    view! {
        <section aria-labelledby="photos-titre" id="photos">
            <h2 id="photos-titre">"Photos"</h2>
            <ul class="photo-list">{list}</ul>
            <form class="stacked" method="post" action=paths::PHOTOS.of(organisation) enctype="multipart/form-data">
                <CsrfField csrf/>
                <Field id="photo" label="Photo" hint="JPEG, PNG ou WebP, 8 Mo au plus, 400 pixels de large au moins." let:aria>
                    <input id="photo" name=fields::PHOTO type="file" accept="image/jpeg,image/png,image/webp" required
                        aria-invalid=aria.invalid aria-describedby=aria.describedby/>
                </Field>
                <Field id="alt" label="Description de la photo (texte alternatif, obligatoire)" let:aria>
                    <input id="alt" name=fields::ALT type="text" required minlength="3" maxlength="250"
                        aria-invalid=aria.invalid aria-describedby=aria.describedby/>
                </Field>
                <Field id="credit" label="Crédit (facultatif)" let:aria>
                    <input id="credit" name=fields::CREDIT type="text" maxlength="120"
                        aria-invalid=aria.invalid aria-describedby=aria.describedby/>
                </Field>
                <button type="submit">"Ajouter la photo"</button>
            </form>
        </section>
    }
}

fn testimonials_view(editor: &PromotionEditor, csrf: String) -> impl IntoView + use<> {
    let organisation = editor.organisation_id;
    let list = editor
        .testimonials
        .iter()
        .map(|t| {
            let csrf = csrf.clone();
            view! {
                <li>
                    <blockquote inner_html=t.quote_html.clone()></blockquote>
                    <p><strong>{t.name.clone()}</strong> ", " {t.role.clone()}
                    <span class="muted">" — accord enregistré le " {format::date(t.consent_at)}</span></p>
                    <ConfirmedDisclosure action=paths::REMOVE_TESTIMONIAL.of2(organisation, t.id) csrf
                        id=format!("retrait-temoignage-{}", t.id) summary="Retirer ce témoignage…"
                        what="Le remettre demandera de nouveau l'accord écrit de la personne."
                        confirm="Je confirme le retrait de ce témoignage." button="Retirer le témoignage"/>
                </li>
            }
        })
        .collect_view();
    view! {
        <section aria-labelledby="temoignages-titre" id="temoignages">
            <h2 id="temoignages-titre">"Témoignages d'ambassadeurs"</h2>
            <ul class="testimonial-list">{list}</ul>
            <form class="stacked" method="post" action=paths::TESTIMONIALS.of(organisation) enctype="multipart/form-data">
                <CsrfField csrf/>
                <Field id="temoin-nom" label="Nom" let:aria>
                    <input id="temoin-nom" name=fields::NAME type="text" required maxlength="80"
                        aria-invalid=aria.invalid aria-describedby=aria.describedby/>
                </Field>
                <Field id="temoin-role" label="Rôle" hint="Par exemple « médecin généraliste installée en 2024 »." let:aria>
                    <input id="temoin-role" name=fields::ROLE type="text" required maxlength="120"
                        aria-invalid=aria.invalid aria-describedby=aria.describedby/>
                </Field>
                <Field id="temoin-texte" label="Témoignage (Markdown)" let:aria>
                    <textarea id="temoin-texte" name=fields::QUOTE required minlength="20" maxlength="2000" rows="4"
                        aria-invalid=aria.invalid aria-describedby=aria.describedby></textarea>
                </Field>
                <Field id="temoin-photo" label="Portrait (facultatif)" let:aria>
                    <input id="temoin-photo" name=fields::PHOTO type="file" accept="image/jpeg,image/png,image/webp"
                        aria-invalid=aria.invalid aria-describedby=aria.describedby/>
                </Field>
                <Field id="temoin-alt" label="Description du portrait" let:aria>
                    <input id="temoin-alt" name=fields::ALT type="text" maxlength="250"
                        aria-invalid=aria.invalid aria-describedby=aria.describedby/>
                </Field>
                <div class="check">
                    <input id="temoin-accord" name=fields::CONSENT type="checkbox" value="oui" required/>
                    <label for="temoin-accord">"La personne a donné son accord écrit pour la publication de son nom, de son rôle, de son témoignage et de son portrait."</label>
                </div>
                <button type="submit">"Ajouter le témoignage"</button>
            </form>
        </section>
    }
}

fn history_view(editor: &PromotionEditor, csrf: String) -> impl IntoView + use<> {
    let organisation = editor.organisation_id;
    let verified = editor.verified;
    let rows = editor
        .revisions
        .iter()
        .map(|r| {
            let restore = (!r.published && verified).then(|| {
                view! {
                    <form class="inline" method="post" action=paths::RESTORE.of(organisation)>
                        <CsrfField csrf=csrf.clone()/>
                        <input type="hidden" name=fields::REVISION value=r.id.to_string()/>
                        <button type="submit">"Restaurer cette version"</button>
                    </form>
                }
            });
            view! {
                <tr>
                    <td>{format::date_time(r.created_at)}</td>
                    <td>{r.author.clone()}</td>
                    <td>{r.note.clone().unwrap_or_default()} {r.published.then_some("publiée")}</td>
                    <td>{restore}</td>
                </tr>
            }
        })
        .collect_view();
    (!editor.revisions.is_empty()).then(|| {
        view! {
            <section aria-labelledby="historique">
                <h2 id="historique">"Historique des versions"</h2>
                <table class="data">
                    <caption class="visually-hidden">"Les versions enregistrées de la page, la plus récente d'abord"</caption>
                    <thead><tr><th scope="col">"Enregistrée le"</th><th scope="col">"Par"</th><th scope="col">"État"</th><th scope="col"><span class="visually-hidden">"Actions"</span></th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </section>
        }
    })
}

#[component]
pub fn PromotionPreviewPage() -> impl IntoView {
    view! {
        <Title text="Aperçu de la page du territoire — Médecins & Territoires"/>
        <Meta name="robots" content="noindex"/>
        <h1>"Aperçu de la page du territoire"</h1>
        <PromotionOutcome/>
        {with_editor(paths::PREVIEW, |viewer, editor| preview_view(viewer, editor).into_any())}
    }
}

fn preview_view(viewer: Viewer, editor: PromotionEditor) -> impl IntoView {
    let organisation = editor.organisation_id;
    let Some(preview) = editor.preview.clone() else {
        return view! { <p>"Rien à prévisualiser : " <a href=paths::EDITOR.of(organisation)>"écrivez la page"</a> " et enregistrez-la."</p> }
            .into_any();
    };
    let publish = match (editor.latest_revision, editor.latest_published, editor.verified) {
        (Some(_), true, _) => view! { <p class="form-notice">"Cette version est celle que le public voit."</p> }.into_any(),
        (Some(revision), false, true) => view! {
            <form class="inline" method="post" action=paths::PUBLISH.of(organisation)>
                <CsrfField csrf=viewer.csrf.clone()/>
                <input type="hidden" name=fields::REVISION value=revision.to_string()/>
                <button type="submit">"Publier cette version"</button>
            </form>
        }
        .into_any(),
        _ => view! { <p class="notice">"La page sera publiable une fois la collectivité vérifiée par la modération."</p> }.into_any(),
    };
    view! {
        <p class="lead">"Voici la page telle qu'elle apparaîtra sur " <a href=editor.territory.path.clone()>{editor.territory.name.clone()}</a> "."</p>
        // A div: the publish form is not allowed inside a paragraph (the browser would split it).
        <div class="actions">{publish} " " <a href=paths::EDITOR.of(organisation)>"Revenir à l'édition"</a></div>
        <div class="preview">
            <PromotionView promotion=preview/>
        </div>
    }
    .into_any()
}
