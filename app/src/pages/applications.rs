//! The lists of applications: the signed-in person's own (« Mes candidatures »), and those an
//! organisation received (for its members).

use crate::components::{ApplicationOutcome, ApplicationTable, Breadcrumb, access_view, unavailable_view};
use crate::domain::applications::{get_my_applications, get_received_applications};
use crate::domain::offers::paths as offer_paths;
use crate::domain::organisations::paths as organisation_paths;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

/// /candidatures
#[component]
pub fn MyApplicationsPage() -> impl IntoView {
    let list = Resource::new(|| (), |_| get_my_applications());
    view! {
        <Title text="Mes candidatures — Médecins & Territoires"/>
        <Meta name="robots" content="noindex"/>
        <h1>"Mes candidatures"</h1>
        <ApplicationOutcome/>
        <Suspense fallback=super::loading>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(access) => access_view(access, "/candidatures".to_owned(), |cards| {
                        if cards.is_empty() {
                            view! {
                                <p>"Vous n'avez pas encore postulé. " <a href=offer_paths::BOARD>"Voir les offres"</a> "."</p>
                            }
                            .into_any()
                        } else {
                            view! {
                                <ApplicationTable cards for_organisation=false caption="Mes candidatures".to_owned()/>
                            }
                            .into_any()
                        }
                    }),
                    Err(error) => unavailable_view(error),
                }
            })}
        </Suspense>
    }
}

/// /organisations/{id}/candidatures
#[component]
pub fn ReceivedApplicationsPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let list = Resource::new(move || id.get(), get_received_applications);
    view! {
        <Meta name="robots" content="noindex"/>
        <Suspense fallback=super::loading>
            {move || Suspend::new(async move {
                let here = crate::domain::applications::paths::RECEIVED.of(id.get_untracked());
                match list.await {
                    Ok(access) => access_view(access, here, |received| {
                        let title = format!("Candidatures reçues — {}", received.organisation_name);
                        let body = if received.applications.is_empty() {
                            view! { <p>"Aucune candidature reçue pour l'instant."</p> }.into_any()
                        } else {
                            view! {
                                <ApplicationTable cards=received.applications for_organisation=true caption=title.clone()/>
                            }
                            .into_any()
                        };
                        view! {
                            <Title text=format!("{title} — Médecins & Territoires")/>
                            <Breadcrumb
                                trail=vec![
                                    ("Mes organisations".to_owned(), organisation_paths::LIST.to_owned()),
                                    (received.organisation_name.clone(), organisation_paths::ORGANISATION.of(received.organisation_id)),
                                ]
                                here="Candidatures reçues"
                            />
                            <h1>{title.clone()}</h1>
                            {body}
                        }
                    }),
                    Err(error) => unavailable_view(error),
                }
            })}
        </Suspense>
    }
}
