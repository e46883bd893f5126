//! "Mes alertes": the saved searches of the signed-in person, each with its frequency, when it
//! last wrote, and a button to delete it.

use crate::components::{AlertOutcome, CsrfField, SignInFirst, unavailable_view};
use crate::domain::accounts::get_viewer;
use crate::domain::alerts::{SavedSearch, get_my_alerts, paths};
use crate::domain::offers::paths as offer_paths;
use crate::domain::open_data::paths as open_paths;
use crate::format;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

#[component]
pub fn AlertsPage() -> impl IntoView {
    let viewer = Resource::new(|| (), |_| get_viewer());
    let alerts = Resource::new(|| (), |_| get_my_alerts());
    view! {
        <Title text="Mes alertes — Médecins & Territoires"/>
        <Meta name="robots" content="noindex"/>
        <h1>"Mes alertes"</h1>
        <p class="lead">"Les recherches d'offres pour lesquelles vous recevez un e-mail quand une nouvelle offre paraît."</p>
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

/// The feed at `path` of the board's address `href` (`/offres?…`): the same filters.
fn feed(href: &str, path: &str) -> String {
    match href.split_once('?') {
        Some((_, query)) => format!("{path}?{query}"),
        None => path.to_owned(),
    }
}

fn alerts_view(alerts: Vec<SavedSearch>, csrf: String) -> impl IntoView {
    if alerts.is_empty() {
        return view! {
            <p>"Aucune alerte. Sur " <a href=offer_paths::BOARD>"la liste des offres"</a>
            ", choisissez vos filtres puis « Créer l'alerte »."</p>
        }
        .into_any();
    }
    let rows = alerts
        .into_iter()
        .map(|alert| {
            let last = alert.last_sent_at.map(format::date_time).unwrap_or_else(|| "pas encore".to_owned());
            view! {
                <li class="offer-card">
                    <h2 class="candidate-name"><a href=alert.href.clone()>{alert.label.clone()}</a></h2>
                    <p>{format!("E-mail {} ; dernier envoi : {last}.", alert.frequency.label())}</p>
                    <p>
                        "Aussi en flux : "
                        <a href=feed(&alert.href, open_paths::OFFERS_ATOM) aria-label=format!("Flux Atom de l'alerte {}", alert.label)>"Atom"</a>
                        " · "
                        <a href=feed(&alert.href, open_paths::OFFERS_RSS) aria-label=format!("Flux RSS de l'alerte {}", alert.label)>"RSS"</a>
                    </p>
                    <form class="inline" method="post" action=paths::DELETE.of(alert.id)>
                        <CsrfField csrf=csrf.clone()/>
                        <button type="submit" aria-label=format!("Supprimer l'alerte {}", alert.label)>"Supprimer"</button>
                    </form>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="offer-list">{rows}</ul> }.into_any()
}
