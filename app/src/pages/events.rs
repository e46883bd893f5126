//! Events: the agenda (`/evenements`, by département), one event with registration and what
//! to prepare (`/evenements/{id}`), and an organisation's events with the form of a new one
//! (`/organisations/{id}/evenements`).

use crate::components::{
    Breadcrumb, CommonCodes, CommuneField, ConfirmedAction, CsrfField, ExampleBadge, Field, FieldNote, NotFound,
    NotIndexedIf, Seo, encode_query_value, outcome, provide_refusal, typed_form, unavailable_view,
};
use crate::domain::accounts::{self, Viewer, fields as account_fields, paths as account_paths};
use crate::domain::events::{
    EventForm, EventKind, EventNotice, EventProblem, EventRow, EventView, EventsPage as Page, OrganisationEvents,
    Registration, get_event, get_events, get_organisation_events, paths,
};
use crate::domain::organisations::paths as organisation_paths;
use crate::format;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

/// What the redirect after an event form said.
#[component]
fn EventOutcome() -> impl IntoView {
    outcome::<EventProblem, EventNotice>(CommonCodes::Said)
}

const EXAMPLE_EVENT: &str = "Événement de démonstration, pas un vrai événement";

fn when(row: &EventRow) -> String {
    if format::date(row.starts_at) == format::date(row.ends_at) {
        let end = format::date_time(row.ends_at);
        let end_time = end.rsplit(" à ").next().unwrap_or_default().to_owned();
        format!("{} – {end_time}", format::date_time(row.starts_at))
    } else {
        format!("du {} au {}", format::date_time(row.starts_at), format::date_time(row.ends_at))
    }
}

/// An event in a list.
pub fn event_item(row: EventRow) -> impl IntoView {
    let state = if row.cancelled {
        "annulé".to_owned()
    } else if row.places_left == 0 {
        "complet : liste d'attente".to_owned()
    } else {
        format!(
            "{} place{} libre{}",
            row.places_left,
            if row.places_left > 1 { "s" } else { "" },
            if row.places_left > 1 { "s" } else { "" }
        )
    };
    view! {
        <li class="event-item">
            <a href=paths::EVENT.of(row.id)><strong>{row.title.clone()}</strong></a>
            <span class="badge badge-light">{row.kind.label()}</span>
            {row.example.then(|| view! { <ExampleBadge title=EXAMPLE_EVENT/> })}
            <br/>
            {when(&row)} " — " <a href=row.commune.path.clone()>{row.commune.name.clone()}</a>
            " — " {row.organisation_name.clone()} " — " <span data-places=row.places_left.to_string()>{state}</span>
        </li>
    }
}

#[component]
pub fn EventsPage() -> impl IntoView {
    let query = use_query_map();
    let departement = Memo::new(move |_| query.with(|q| q.get("dep").unwrap_or_default()));
    let page = Resource::new(move || departement.get(), get_events);
    view! {
        <Seo
            title="Événements : journées d'accueil, speed-dating, forums".to_owned()
            description="Les journées d'accueil, speed-dating et forums où médecins, internes, communes et maisons de santé se rencontrent, par département.".to_owned()
            canonical=paths::EVENTS.to_owned()
        />
        <h1>"Événements"</h1>
        <p class="lead">"Journées d'accueil, speed-dating et forums : les occasions de rencontrer les territoires et les équipes qui recrutent."</p>
        <p><a href=paths::EVENTS_ICS>"Ajouter tous les événements à mon agenda (iCalendar)"</a></p>
        <Suspense fallback=super::loading>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => agenda(page).into_any(),
                    Err(error) => unavailable_view(error),
                }
            })}
        </Suspense>
    }
}

fn agenda(page: Page) -> impl IntoView {
    let options = page
        .departements
        .iter()
        .map(|(code, name)| view! { <option value=code.clone() selected=page.departement.as_deref() == Some(code.as_str())>{format!("{name} ({code})")}</option> })
        .collect_view();
    let list = if page.events.is_empty() {
        view! { <p role="status">"Aucun événement à venir ici pour l'instant."</p> }.into_any()
    } else {
        view! { <ul class="event-list">{page.events.into_iter().map(event_item).collect_view()}</ul> }.into_any()
    };
    view! {
        <form class="filters" method="get" action=paths::EVENTS>
            // The label with its list in one cell of the grid: apart, they sat side by side.
            <div>
                <Field id="dep" label="Département" let:aria>
                    <select id="dep" name="dep" aria-invalid=aria.invalid aria-describedby=aria.describedby>
                        <option value="" selected=page.departement.is_none()>"— toute l'Occitanie —"</option>
                        {options}
                    </select>
                </Field>
            </div>
            <div class="actions"><button type="submit">"Filtrer"</button></div>
        </form>
        {list}
    }
}

#[component]
pub fn EventPage() -> impl IntoView {
    let params = use_params_map();
    let id = params.with_untracked(|p| p.get("id")).unwrap_or_default();
    let viewer = Resource::new(|| (), |_| accounts::get_viewer());
    let event = Resource::new(move || id.clone(), get_event);
    view! {
        <EventOutcome/>
        <Suspense fallback=super::loading>
            {move || Suspend::new(async move {
                match (viewer.await, event.await) {
                    (Ok(viewer), Ok(Some(event))) => event_view(viewer, event).into_any(),
                    (Ok(_), Ok(None)) => view! { <NotFound/> }.into_any(),
                    (Err(error), _) | (_, Err(error)) => unavailable_view(error),
                }
            })}
        </Suspense>
    }
}

fn event_view(viewer: Viewer, event: EventView) -> impl IntoView {
    let id = event.row.id;
    let here = paths::EVENT.of(id);
    let state = if event.row.cancelled {
        Some("Cet événement est annulé.")
    } else if event.past {
        Some("Cet événement est passé.")
    } else {
        None
    };
    let action = match (event.signed_in, event.mine, state.is_some()) {
        (_, _, true) => None,
        (false, _, _) => {
            let sign_in = format!("{}?{}={}", account_paths::SIGN_IN, account_fields::NEXT, encode_query_value(&here));
            Some(view! { <p><a class="button" href=sign_in>"Se connecter pour s'inscrire"</a></p> }.into_any())
        }
        (true, None, _) => Some(
            view! {
                <form class="inline" method="post" action=paths::REGISTER.of(id)>
                    <CsrfField csrf=viewer.csrf.clone()/>
                    <button type="submit">{if event.row.places_left > 0 { "M'inscrire" } else { "M'inscrire sur la liste d'attente" }}</button>
                </form>
                <p class="muted">"Les autres inscrits verront votre nom et, si vous en avez un, votre profil de candidat."</p>
            }
            .into_any(),
        ),
        (true, Some(mine), _) => {
            let status = match mine {
                Registration::Registered => "Vous êtes inscrit.".to_owned(),
                Registration::Waiting(position) => format!("Vous êtes sur la liste d'attente, en position {position}."),
            };
            Some(
                view! {
                    <p class="form-notice" data-registration="moi">{status}</p>
                    <form class="inline" method="post" action=paths::UNREGISTER.of(id)>
                        <CsrfField csrf=viewer.csrf.clone()/>
                        <button type="submit">"Annuler mon inscription"</button>
                    </form>
                }
                .into_any(),
            )
        }
    };
    let matches = event.matches.clone().map(|m| {
        let offers = if m.offers.is_empty() {
            view! { <p>"Aucune offre ouverte parmi les organisations inscrites pour l'instant."</p> }.into_any()
        } else {
            let items = m
                .offers
                .into_iter()
                .map(|o| view! { <li><a href=o.path>{o.title}</a> " — " {o.organisation} ", " {o.commune}</li> })
                .collect_view();
            view! { <ul>{items}</ul> }.into_any()
        };
        let candidates = (!m.candidates.is_empty()).then(|| {
            let rows = m
                .candidates
                .into_iter()
                .map(|c| view! { <li><strong>{c.name}</strong> " — " {c.status} ", " {c.specialty}</li> })
                .collect_view();
            view! { <h3>"Candidats inscrits"</h3> <ul>{rows}</ul> }
        });
        view! {
            <section aria-labelledby="preparer">
                <h2 id="preparer">"Préparer la rencontre"</h2>
                <h3>"Offres des organisations présentes"</h3>
                {offers}
                {candidates}
            </section>
        }
    });
    let organiser = event.organiser.then(|| {
        let rows = event
            .registrants
            .iter()
            .map(|(name, r)| {
                let status = match r {
                    Registration::Registered => "inscrit".to_owned(),
                    Registration::Waiting(n) => format!("en attente ({n})"),
                };
                view! { <tr><td>{name.clone()}</td><td>{status}</td></tr> }
            })
            .collect_view();
        let registrants = if event.registrants.is_empty() {
            view! { <p>"Personne ne s'est encore inscrit."</p> }.into_any()
        } else {
            view! {
                <table class="data">
                    <caption class="visually-hidden">"Les personnes inscrites"</caption>
                    <thead><tr><th scope="col">"Nom"</th><th scope="col">"Statut"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            }
            .into_any()
        };
        let cancel = (state.is_none()).then(|| {
            view! {
                <ConfirmedAction action=paths::CANCEL.of(id) csrf=viewer.csrf.clone() id="annulation-confirmee"
                    confirm="Je confirme l'annulation de l'événement." button="Annuler l'événement">
                    <h3>"Annuler l'événement"</h3>
                    <p>"Chaque inscrit et chaque personne en attente reçoit un e-mail ; l'événement reste affiché comme annulé. Cela ne se défait pas."</p>
                </ConfirmedAction>
            }
        });
        view! {
            <section aria-labelledby="inscrits">
                <h2 id="inscrits">"Inscrits"</h2>
                {registrants}
                {cancel}
            </section>
        }
    });
    view! {
        <Title text=format!("{} — Médecins & Territoires", event.row.title)/>
        <Breadcrumb trail=vec![("Événements".to_owned(), paths::EVENTS.to_owned())] here=event.row.title.clone()/>
        <NotIndexedIf example=event.row.example/>
        <h1>{event.row.title.clone()}</h1>
        {event.row.example.then(|| view! { <p><ExampleBadge title=EXAMPLE_EVENT/></p> })}
        {state.map(|s| view! { <p class="notice" role="status">{s}</p> })}
        <dl class="facts">
            <dt>"Type"</dt><dd>{event.row.kind.label()}</dd>
            <dt>"Quand"</dt><dd>{when(&event.row)}</dd>
            <dt>"Où"</dt><dd>{event.place.clone()} ", " <a href=event.row.commune.path.clone()>{event.row.commune.name.clone()}</a></dd>
            <dt>"Organisé par"</dt><dd>{event.row.organisation_name.clone()}</dd>
            <dt>"Places"</dt><dd data-figure="places">{places(event.registered, event.capacity, event.waiting)}</dd>
        </dl>
        <div class="prose" inner_html=event.description_html.clone()></div>
        <p><a href=paths::ICS.of(id)>"Ajouter à mon agenda (iCalendar)"</a></p>
        {action}
        {matches}
        {organiser}
    }
}

#[component]
pub fn OrganisationEventsPage() -> impl IntoView {
    provide_refusal::<EventProblem>();
    let params = use_params_map();
    let organisation = params.with_untracked(|p| p.get("id")).unwrap_or_default();
    let here = paths::ORGANISATION.of(&organisation);
    view! {
        <Title text="Événements de l'organisation — Médecins & Territoires"/>
        <Meta name="robots" content="noindex"/>
        <h1>"Événements de l'organisation"</h1>
        <EventOutcome/>
        {super::with_access(here, organisation, get_organisation_events, organisation_events)}
    }
}

fn organisation_events(viewer: Viewer, page: OrganisationEvents) -> impl IntoView {
    let organisation = page.organisation_id;
    let list = if page.events.is_empty() {
        view! { <p>"Aucun événement publié pour l'instant."</p> }.into_any()
    } else {
        view! { <ul class="event-list">{page.events.into_iter().map(event_item).collect_view()}</ul> }.into_any()
    };
    let form = if page.may_publish {
        let f = typed_form::<EventForm>().unwrap_or_default();
        let kinds = EventKind::ALL
            .iter()
            .map(|k| view! { <option value=k.code() selected=f.kind == k.code()>{k.label()}</option> })
            .collect_view();
        view! {
            <section aria-labelledby="nouvel-evenement">
                <h2 id="nouvel-evenement">"Publier un événement"</h2>
                <form class="stacked" method="post" action=paths::ORGANISATION.of(organisation)>
                    <CsrfField csrf=viewer.csrf.clone()/>
                    <Field id="type" label="Type d'événement" let:aria>
                        <select id="type" name="type" required aria-invalid=aria.invalid aria-describedby=aria.describedby>
                            <option value="" selected=f.kind.is_empty()>"— choisir —"</option>
                            {kinds}
                        </select>
                    </Field>
                    <Field id="titre" label="Titre" let:aria>
                        <input id="titre" name="titre" type="text" required maxlength="120" value=f.titre.clone() aria-invalid=aria.invalid aria-describedby=aria.describedby/>
                    </Field>
                    <Field id="description" label="Programme (Markdown)" let:aria>
                        <textarea id="description" name="description" required maxlength="5000" rows="6" aria-invalid=aria.invalid aria-describedby=aria.describedby>{f.description.clone()}</textarea>
                    </Field>
                    <CommuneField id="commune".to_owned() name="commune".to_owned() label="Commune".to_owned()
                        value=f.commune.clone() required=true/>
                    <FieldNote id="commune"/>
                    <Field id="lieu" label="Lieu (adresse, salle)" let:aria>
                        <input id="lieu" name="lieu" type="text" required maxlength="200" value=f.lieu.clone() aria-invalid=aria.invalid aria-describedby=aria.describedby/>
                    </Field>
                    <Field id="debut" label="Début" let:aria>
                        <input id="debut" name="debut" type="datetime-local" required value=f.debut.clone() aria-invalid=aria.invalid aria-describedby=aria.describedby/>
                    </Field>
                    <Field id="fin" label="Fin" let:aria>
                        <input id="fin" name="fin" type="datetime-local" required value=f.fin.clone() aria-invalid=aria.invalid aria-describedby=aria.describedby/>
                    </Field>
                    <Field id="places" label="Nombre de places" let:aria>
                        <input id="places" name="places" type="number" min="1" max="2000" required value=f.places.clone() aria-invalid=aria.invalid aria-describedby=aria.describedby/>
                    </Field>
                    <button type="submit">"Publier l'événement"</button>
                </form>
            </section>
        }
        .into_any()
    } else {
        view! { <p class="notice">"Une organisation vérifiée (collectivité, structure de santé, institution) peut publier des événements."</p> }.into_any()
    };
    view! {
        <p class="lead"><a href=organisation_paths::ORGANISATION.of(organisation)>{page.organisation_name.clone()}</a></p>
        {list}
        {form}
    }
}

/// The upcoming events of a commune, on its page (nothing when there are none).
#[component]
pub fn CommuneEvents(code: String) -> impl IntoView {
    let events = Resource::new(move || code.clone(), crate::domain::events::get_commune_events);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match events.await {
                    Ok(events) if !events.is_empty() => view! {
                        <section aria-labelledby="evenements">
                            <h2 id="evenements">"Événements à venir"</h2>
                            <ul class="event-list">{events.into_iter().map(event_item).collect_view()}</ul>
                        </section>
                    }
                    .into_any(),
                    _ => ().into_any(),
                }
            })}
        </Suspense>
    }
}

/// « 1 inscrit sur 30 », « 12 inscrits sur 30, 2 en attente ».
fn places(registered: i64, capacity: i64, waiting: i64) -> String {
    let registered = match registered {
        0 | 1 => format!("{registered} inscrit"),
        n => format!("{n} inscrits"),
    };
    match waiting {
        0 => format!("{registered} sur {capacity}"),
        n => format!("{registered} sur {capacity}, {n} en attente"),
    }
}

#[cfg(test)]
mod tests {
    use super::places;

    #[test]
    fn places_are_counted_in_french() {
        assert_eq!(places(0, 30, 0), "0 inscrit sur 30");
        assert_eq!(places(1, 30, 0), "1 inscrit sur 30");
        assert_eq!(places(30, 30, 2), "30 inscrits sur 30, 2 en attente");
    }
}
