//! The commune search box: a plain GET form to /recherche that works without JavaScript, an
//! island that suggests communes as you type (the server renders the plain form; suggestions
//! are fetched from the browser only).

use crate::domain::territory::paths as territory_paths;
use crate::domain::territory::{CommuneHit, SUGGESTION_LIMIT, search_communes};
use crate::format;
use leptos::prelude::*;

/// Communes suggested for what is typed, fetched from the browser: only the answer to the
/// latest keystroke is kept, whatever order the answers arrive in.
#[derive(Clone, Copy)]
pub(crate) struct Suggestions {
    pub hits: RwSignal<Vec<CommuneHit>>,
    latest: StoredValue<u64>,
}

impl Suggestions {
    pub fn new() -> Self {
        Self { hits: RwSignal::new(Vec::new()), latest: StoredValue::new(0) }
    }

    /// Asks for the communes that `typed` names (two characters at least; fewer clear the list).
    pub fn ask(self, typed: String) {
        let ticket = self.latest.get_value() + 1;
        self.latest.set_value(ticket);
        if typed.trim().chars().count() < 2 {
            self.hits.set(Vec::new());
            return;
        }
        leptos::task::spawn_local(async move {
            let found = search_communes(typed, SUGGESTION_LIMIT).await.unwrap_or_default();
            if self.latest.get_value() == ticket {
                self.hits.set(found);
            }
        });
    }
}

/// The search box, `initial` in its field.
#[component]
pub fn CommuneSearch(#[prop(optional)] initial: String) -> impl IntoView {
    view! { <CommuneSearchIsland initial/> }
}

#[island]
pub fn CommuneSearchIsland(initial: String) -> impl IntoView {
    let suggestions = Suggestions::new();
    let hits = suggestions.hits;
    let on_input = move |ev| suggestions.ask(event_target_value(&ev));
    let list = move || {
        let hits = hits.get();
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
        <form class="search" action=territory_paths::SEARCH method="get" role="search">
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
                    on:input=on_input
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
