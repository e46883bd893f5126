use crate::components::{OrganisationOutcome, StatusBadge, access_view};
use crate::domain::organisations::{get_my_organisations, paths};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

/// The signed-in person's organisations, and the way to create one.
#[component]
pub fn OrganisationsPage() -> impl IntoView {
    let list = Resource::new(|| (), |_| get_my_organisations());
    view! {
        <Title text="Mes organisations — Médecins & Territoires"/>
        <Meta name="robots" content="noindex"/>
        <h1>"Mes organisations"</h1>
        <OrganisationOutcome/>
        <Suspense fallback=super::loading>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(access) => access_view(access, paths::LIST.to_owned(), |organisations| {
                        let empty = organisations.is_empty();
                        let rows = organisations
                            .into_iter()
                            .map(|o| view! {
                                <li>
                                    <a href=paths::ORGANISATION.of(o.id)>{o.name}</a>
                                    <span class="muted">" — " {o.kind.label()} ", " {o.role.label()} " — "</span>
                                    <StatusBadge status=o.status reason=None/>
                                    {o.closed_at.map(|at| view! {
                                        " " <span class="badge badge-ended">{format!("fermée le {}", crate::format::date(at))}</span>
                                    })}
                                </li>
                            })
                            .collect_view();
                        view! {
                            {if empty {
                                view! {
                                    <p>"Vous n'êtes membre d'aucune organisation. Une commune, une intercommunalité, une maison "
                                    "de santé, un cabinet qui cherche un successeur ou un remplaçant : créez la vôtre, ou "
                                    "demandez à un de ses membres de vous inviter."</p>
                                }.into_any()
                            } else {
                                view! { <ul class="organisations">{rows}</ul> }.into_any()
                            }}
                            <p><a class="button" href=paths::NEW>"Créer une organisation"</a></p>
                        }
                    }),
                    Err(error) => crate::components::unavailable_view(error),
                }
            })}
        </Suspense>
    }
}
