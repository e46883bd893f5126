//! `/api`: the reference of the open JSON API, rendered from its OpenAPI document.

use crate::components::{Seo, unavailable_view};
use crate::domain::events::paths as event_paths;
use crate::domain::open_data::paths as open;
use crate::domain::open_data::{ApiGroup, ApiOperation, ApiReference, get_api_reference};
use leptos::prelude::*;

#[component]
pub fn OpenApiPage() -> impl IntoView {
    let reference = Resource::new(|| (), |_| get_api_reference());
    view! {
        <Seo
            title="API ouverte : offres, territoires, aides en JSON".to_owned()
            description="L'API JSON en lecture seule de Médecins & Territoires : offres, territoires, structures de santé, aides et événements, décrits par un document OpenAPI.".to_owned()
            canonical=open::OPEN_API.to_owned()
        />
        <h1>"API ouverte"</h1>
        <Suspense fallback=super::loading>
            {move || Suspend::new(async move {
                match reference.await {
                    Ok(reference) => reference_view(reference).into_any(),
                    Err(error) => unavailable_view(error),
                }
            })}
        </Suspense>
    }
}

fn reference_view(r: ApiReference) -> impl IntoView {
    let contents = r
        .groups
        .iter()
        .map(|g| view! { <li><a href=format!("#{}", g.tag)>{g.tag.clone()}</a> " — " {g.description.clone()}</li> })
        .collect_view();
    view! {
        <p class="lead">{r.description.clone()}</p>
        <ul>
            <li>"Adresse de base : " <code>{r.base_url.clone()}</code></li>
            <li>
                "Document OpenAPI " {r.version.clone()} " (pour générer un client ou tester) : "
                <a href=r.document_url.clone()><code>{r.document_url.clone()}</code></a>
            </li>
            <li>"Lecture seule, sans compte ni clé ; toute page web peut l'interroger (en-têtes CORS)."</li>
            <li>
                "Listes par pages : " <code>"page"</code> " (à partir de 1) et " <code>"par_page"</code>
                " (20 par défaut, 100 au plus) ; chaque réponse donne " <code>"total"</code> ", " <code>"pages"</code>
                " et les adresses " <code>"suivante"</code> " et " <code>"precedente"</code> "."
            </li>
            <li>
                "Un paramètre illisible reçoit une réponse 400 et un objet " <code>"{\"erreur\": \"…\"}"</code>
                " qui dit en français ce qui est attendu ; un identifiant inconnu, une réponse 404."
            </li>
            <li>"Identifiants stables : numéro d'offre et d'événement, code INSEE, code de département, SIREN, FINESS, identifiant d'aide."</li>
            <li>{r.license.clone()}</li>
        </ul>
        <p>
            "Les offres existent aussi en flux Atom et RSS (" <a href=open::OFFERS_ATOM>{open::OFFERS_ATOM}</a> ", "
            <a href=open::OFFERS_RSS>{open::OFFERS_RSS}</a> ") et en CSV (" <a href=open::OFFERS_CSV>{open::OFFERS_CSV}</a>
            "), avec les mêmes filtres ; les nouveaux terrains de stage (" <a href=open::STAGE_SITES_ATOM>{open::STAGE_SITES_ATOM}</a>
            ", " <a href=open::STAGE_SITES_RSS>{open::STAGE_SITES_RSS}</a> ", filtres " <code>"faculte"</code> ", "
            <code>"niveau"</code> ", " <code>"specialite"</code> ", " <code>"departement"</code>
            ") et les nouveaux logements pour internes (" <a href=open::HOUSING_ATOM>{open::HOUSING_ATOM}</a> ", "
            <a href=open::HOUSING_RSS>{open::HOUSING_RSS}</a> ", filtre " <code>"departement"</code>
            ") en flux Atom et RSS ; les aides en CSV (" <a href=open::AIDS_CSV>{open::AIDS_CSV}</a>
            ") et les événements en iCalendar (" <a href=event_paths::EVENTS_ICS>{event_paths::EVENTS_ICS}</a> ")."
        </p>
        <nav aria-label="Ressources de l'API"><ul>{contents}</ul></nav>
        {r.groups.into_iter().map(group_view).collect_view()}
    }
}

fn group_view(g: ApiGroup) -> impl IntoView {
    view! {
        <section class="api-group" aria-labelledby=g.tag.clone()>
            <h2 id=g.tag.clone()>{g.tag.clone()}</h2>
            <p>{g.description.clone()}</p>
            {g.operations.into_iter().map(operation_view).collect_view()}
        </section>
    }
}

fn operation_view(op: ApiOperation) -> impl IntoView {
    let parameters = (!op.parameters.is_empty()).then(|| {
        let rows = op
            .parameters
            .iter()
            .map(|p| {
                view! {
                    <tr>
                        <th scope="row"><code>{p.name.clone()}</code></th>
                        <td>{p.location.clone()} {p.required.then_some(", obligatoire")}</td>
                        <td>{p.accepts.clone()}</td>
                        <td>{p.description.clone()}</td>
                    </tr>
                }
            })
            .collect_view();
        let caption = format!("Paramètres de {}", op.path);
        let region = caption.clone();
        // Four columns do not fit a phone: the table scrolls in its box, which the keyboard
        // reaches too.
        view! {
            <div class="table-scroll" tabindex="0" role="region" aria-label=region>
            <table class="data">
                <caption>{caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">"Nom"</th>
                        <th scope="col">"Où"</th>
                        <th scope="col">"Valeurs"</th>
                        <th scope="col">"Rôle"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
            </div>
        }
    });
    let responses = op
        .responses
        .iter()
        .map(|(status, text)| view! { <li><strong>{status.clone()}</strong> " : " {text.clone()}</li> })
        .collect_view();
    view! {
        <article class="api-operation">
            <h3><code>{op.method.clone()} " " {op.path.clone()}</code></h3>
            <p>{op.summary.clone()}</p>
            {parameters}
            <p>"Réponse : " {op.answer.clone()} "."</p>
            <ul>{responses}</ul>
        </article>
    }
}
