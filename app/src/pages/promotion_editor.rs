//! A collectivité writes its territory page: `/organisations/{id}/territoire` (the texts, the
//! referent, photos, testimonials, the history of revisions) and
//! `/organisations/{id}/territoire/apercu` (the latest revision as the public will see it,
//! with the button that publishes it). Forms post to the server's handlers.

use crate::components::{CsrfField, PromotionOutcome, PromotionView, viewer_access_view};
use crate::domain::accounts::{Viewer, get_viewer};
use crate::domain::organisations::paths as organisation_paths;
use crate::domain::promotion::{
    PRESENTATION_MAX, PromotionEditor, SECTION_MAX, Section, fields, get_promotion_editor, paths,
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
    let here = here.of(&organisation);
    let viewer = Resource::new(|| (), |_| get_viewer());
    let editor = Resource::new(move || organisation.clone(), get_promotion_editor);
    view! {
        <Suspense fallback=super::loading>
            {move || {
                let (here, body) = (here.clone(), body.clone());
                Suspend::new(async move {
                    viewer_access_view(viewer.await, editor.await, here, body)
                })
            }}
        </Suspense>
    }
}

#[component]
pub fn PromotionEditorPage() -> impl IntoView {
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
            "La page n'a pas encore de version : écrivez-la, enregistrez, vérifiez l'aperçu puis publiez.".to_owned()
        }
        (Some(_), true) => "La dernière version est publiée.".to_owned(),
        (Some(_), false) => {
            "La dernière version enregistrée n'est pas publiée : vérifiez l'aperçu, puis publiez-la.".to_owned()
        }
    };
    let unverified = (!editor.verified).then(|| {
        view! { <p class="notice">"Votre collectivité est en attente de vérification : vous pouvez préparer la page, elle sera publiable une fois vérifiée."</p> }
    });
    let sections = Section::ALL
        .iter()
        .map(|section| {
            let name = format!("{}{}", fields::SECTION_PREFIX, section.code());
            view! {
                <label for=name.clone()>{section.label()}</label>
                <textarea id=name.clone() name=name maxlength=SECTION_MAX.to_string() rows="4">{content.section(*section).to_owned()}</textarea>
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
            <p class="muted">"Écrivez en Markdown : **gras**, *italique*, listes avec « - », liens [texte](https://…). Le HTML est affiché tel quel, sans effet."</p>
            <form class="stacked wide" method="post" action=paths::EDITOR.of(organisation)>
                <CsrfField csrf=csrf.clone()/>
                <label for="presentation">"Présentation du territoire"</label>
                <textarea id="presentation" name=fields::PRESENTATION maxlength=PRESENTATION_MAX.to_string() rows="8">{content.presentation.clone()}</textarea>
                <fieldset>
                    <legend>"Cadre de vie"</legend>
                    {sections}
                </fieldset>
                <label for="video">"Lien vers une vidéo de présentation (https://…)"</label>
                <input id="video" name=fields::VIDEO type="url" maxlength="500" value=video/>
                <label for="referent">"Référent du guichet unique (il reçoit les demandes des médecins)"</label>
                <select id="referent" name=fields::REFERENT>
                    <option value="" selected=content.referent_id.is_none()>"— aucun pour l'instant —"</option>
                    {referents}
                </select>
                <label for="role_referent">"Son rôle, tel qu'affiché"</label>
                <input id="role_referent" name=fields::REFERENT_ROLE type="text" maxlength="120" value=content.referent_role.clone()/>
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
                    <form class="inline" method="post" action=paths::REMOVE_PHOTO.of2(organisation, photo.id)>
                        <CsrfField csrf/>
                        <button type="submit">"Retirer cette photo"</button>
                    </form>
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
                <label for="photo">"Photo (JPEG, PNG ou WebP, 8 Mo au plus, 400 pixels de large au moins)"</label>
                <input id="photo" name=fields::PHOTO type="file" accept="image/jpeg,image/png,image/webp" required/>
                <label for="alt">"Description de la photo (texte alternatif, obligatoire)"</label>
                <input id="alt" name=fields::ALT type="text" required minlength="3" maxlength="250"/>
                <label for="credit">"Crédit (facultatif)"</label>
                <input id="credit" name=fields::CREDIT type="text" maxlength="120"/>
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
                    <form class="inline" method="post" action=paths::REMOVE_TESTIMONIAL.of2(organisation, t.id)>
                        <CsrfField csrf/>
                        <button type="submit">"Retirer ce témoignage"</button>
                    </form>
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
                <label for="temoin-nom">"Nom"</label>
                <input id="temoin-nom" name=fields::NAME type="text" required maxlength="80"/>
                <label for="temoin-role">"Rôle (par exemple « médecin généraliste installée en 2024 »)"</label>
                <input id="temoin-role" name=fields::ROLE type="text" required maxlength="120"/>
                <label for="temoin-texte">"Témoignage (Markdown)"</label>
                <textarea id="temoin-texte" name=fields::QUOTE required minlength="20" maxlength="2000" rows="4"></textarea>
                <label for="temoin-photo">"Portrait (facultatif)"</label>
                <input id="temoin-photo" name=fields::PHOTO type="file" accept="image/jpeg,image/png,image/webp"/>
                <label for="temoin-alt">"Description du portrait"</label>
                <input id="temoin-alt" name=fields::ALT type="text" maxlength="250"/>
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
        return view! { <p>"Rien à prévisualiser : " <a href=paths::EDITOR.of(organisation)>"écrivez la page"</a> " et enregistrez-la."</p> }
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
