//! The commune search box: a plain GET form to /recherche that works without JavaScript,
//! which suggests communes as you type once the page is hydrated.

use crate::api::territory::{SUGGESTION_LIMIT, search_communes};
use crate::format;
use leptos::prelude::*;

#[component]
pub fn CommuneSearch(#[prop(optional)] initial: String) -> impl IntoView {
    let query = RwSignal::new(initial.clone());
    // Runs in the browser only: the server renders the plain form.
    let suggestions = LocalResource::new(move || {
        let q = query.get();
        async move {
            if q.trim().chars().count() < 2 {
                return Vec::new();
            }
            search_communes(q, SUGGESTION_LIMIT).await.unwrap_or_default()
        }
    });
    let list = move || {
        let hits = suggestions.get().unwrap_or_default();
        if hits.is_empty() {
            return None;
        }
        Some(
            hits.into_iter()
                .map(|hit| {
                    let detail = format!(
                        "{} · {} · {} hab.",
                        hit.postal_codes.join(", "),
                        hit.departement,
                        format::int(hit.population)
                    );
                    view! {
                        <li>
                            <a href=hit.link.path>{hit.link.name}</a>
                            <span class="muted">" " {detail}</span>
                        </li>
                    }
                })
                .collect_view(),
        )
    };
    view! {
        <form class="search" action="/recherche" method="get" role="search">
            <label for="commune-q">"Rechercher une commune (nom ou code postal)"</label>
            <div class="search-row">
                <input
                    id="commune-q"
                    name="q"
                    type="search"
                    autocomplete="off"
                    placeholder="Rodez, 12000…"
                    aria-describedby="commune-q-aide"
                    aria-controls="commune-suggestions"
                    value=initial
                    on:input=move |ev| query.set(event_target_value(&ev))
                />
                <button type="submit">"Rechercher"</button>
            </div>
            <p id="commune-q-aide" class="muted">"Au moins deux lettres du nom, ou un code postal."</p>
            <ul id="commune-suggestions" class="suggestions" aria-label="Suggestions de communes" aria-live="polite">
                {list}
            </ul>
        </form>
    }
}
