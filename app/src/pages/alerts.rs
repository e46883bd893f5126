//! "Mes alertes": the saved searches of the signed-in person, each with its frequency, when it
//! last wrote, and a button to delete it; and the page of the unsubscribe link of the mails.

use crate::components::{AlertOutcome, CsrfField, SignInFirst, unavailable_view};
use crate::domain::accounts::get_viewer;
use crate::domain::alerts::{
    AlertProblem, AlertSubject, Frequency, SavedSearch, fields, get_alert_of_link, get_my_alerts, paths,
};
use crate::domain::offers::paths as offer_paths;
use crate::domain::open_data::paths as open_paths;
use crate::domain::stages::paths as stage_paths;
use crate::format;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;

#[component]
pub fn AlertsPage() -> impl IntoView {
    let viewer = Resource::new(|| (), |_| get_viewer());
    let alerts = Resource::new(|| (), |_| get_my_alerts());
    view! {
        <Title text="Mes alertes — Médecins & Territoires"/>
        <Meta name="robots" content="noindex"/>
        <h1>"Mes alertes"</h1>
        <p class="lead">"Les recherches d'offres, et les choix de terrains de stage, pour lesquels vous recevez un e-mail quand du nouveau paraît."</p>
        <AlertOutcome/>
        <Suspense fallback=super::loading>
            {move || Suspend::new(async move {
                match (viewer.await, alerts.await) {
                    (Ok(viewer), Ok(Some(alerts))) => alerts_view(alerts, viewer.csrf).into_any(),
                    (Ok(_), Ok(None)) => view! { <SignInFirst what="voir vos alertes" back=paths::MINE/> }.into_any(),
                    (Err(error), _) | (_, Err(error)) => unavailable_view(error),
                }
            })}
        </Suspense>
    }
}

/// The Atom and RSS feeds of `alert`: the same filters.
fn feeds(alert: &SavedSearch) -> (String, String) {
    let (atom, rss) = match alert.subject {
        AlertSubject::Offers => (open_paths::OFFERS_ATOM, open_paths::OFFERS_RSS),
        AlertSubject::StageSites => (open_paths::STAGE_SITES_ATOM, open_paths::STAGE_SITES_RSS),
    };
    let with = |path: &str| match alert.query.is_empty() {
        true => path.to_owned(),
        false => format!("{path}?{}", alert.query),
    };
    (with(atom), with(rss))
}

/// How often the alert writes, to change in place. Its search is changed on its page (the
/// link of its name): saved again there, the same search is not a second alert.
fn frequency_form(alert: &SavedSearch, csrf: String) -> impl IntoView + use<> {
    let id = format!("frequence-{}", alert.id);
    let options = Frequency::ALL
        .into_iter()
        .map(|f| {
            view! { <option value=f.code() selected=f == alert.frequency>{alert.subject.frequency_words(f)}</option> }
        })
        .collect_view();
    view! {
        <form class="stacked" method="post" action=paths::FREQUENCY.of(alert.id)>
            <CsrfField csrf/>
            <label for=id.clone()>"Recevoir un e-mail"</label>
            <select id=id name=fields::FREQUENCY required>{options}</select>
            <button type="submit" aria-label=format!("Changer la fréquence de l'alerte {}", alert.label)>"Changer la fréquence"</button>
        </form>
    }
}

fn alerts_view(alerts: Vec<SavedSearch>, csrf: String) -> impl IntoView {
    if alerts.is_empty() {
        return view! {
            <p>"Aucune alerte. Sur " <a href=offer_paths::BOARD>"la liste des offres"</a>
            " ou " <a href=stage_paths::INTERNS>"la page des internes"</a>
            ", choisissez vos filtres puis « Créer l'alerte »."</p>
        }
        .into_any();
    }
    let rows = alerts
        .into_iter()
        .map(|alert| {
            let last = alert.last_sent_at.map(format::date_time).unwrap_or_else(|| "pas encore".to_owned());
            let (atom, rss) = feeds(&alert);
            let how_often = alert.subject.frequency_words(alert.frequency);
            view! {
                <li class="offer-card">
                    <h2 class="candidate-name"><a href=alert.href.clone()>{alert.label.clone()}</a></h2>
                    <p>{format!("E-mail {how_often} ; dernier envoi : {last}.")}</p>
                    <p>
                        "Aussi en flux : "
                        <a href=atom aria-label=format!("Flux Atom de l'alerte {}", alert.label)>"Atom"</a>
                        " · "
                        <a href=rss aria-label=format!("Flux RSS de l'alerte {}", alert.label)>"RSS"</a>
                    </p>
                    {frequency_form(&alert, csrf.clone())}
                    <form class="inline" method="post" action=paths::DELETE.of(alert.id)>
                        <CsrfField csrf=csrf.clone()/>
                        <button type="submit" class="danger" aria-label=format!("Supprimer l'alerte {}", alert.label)>"Supprimer"</button>
                    </form>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="offer-list">{rows}</ul> }.into_any()
}

/// The unsubscribe link of an alert mail (`?jeton=…`): which alert it stops, and the button
/// that does it. Opening the link changes nothing, so that a mail scanner following every
/// link unsubscribes nobody.
#[component]
pub fn UnsubscribePage() -> impl IntoView {
    let token = use_query_map().with_untracked(|q| q.get(fields::TOKEN)).unwrap_or_default();
    let alert = Resource::new(
        {
            let token = token.clone();
            move || token.clone()
        },
        get_alert_of_link,
    );
    view! {
        <Title text="Se désabonner d'une alerte — Médecins & Territoires"/>
        <Meta name="robots" content="noindex"/>
        // The address holds a secret: keep it out of other sites' logs.
        <Meta name="referrer" content="no-referrer"/>
        <h1>"Se désabonner d'une alerte"</h1>
        <Suspense fallback=super::loading>
            {move || {
                let token = token.clone();
                Suspend::new(async move {
                    match alert.await {
                        Ok(Some(label)) => view! {
                            <p>"Vous ne recevrez plus d'e-mail pour la recherche « " <strong>{label}</strong> " »."</p>
                            <form method="post" action=paths::UNSUBSCRIBE>
                                <input type="hidden" name=fields::TOKEN value=token/>
                                <button type="submit">"Me désabonner"</button>
                            </form>
                            <p>
                                "Vous pouvez aussi changer d'avis : l'alerte reste tant que vous n'avez pas confirmé. "
                                <a href=paths::MINE>"Toutes mes alertes"</a>
                            </p>
                        }.into_any(),
                        Ok(None) => view! {
                            <p>{AlertProblem::BadLink.message()}</p>
                            <p><a href=paths::MINE>"Voir mes alertes"</a>" (connexion nécessaire)"</p>
                        }.into_any(),
                        Err(error) => unavailable_view(error),
                    }
                })
            }}
        </Suspense>
    }
}
