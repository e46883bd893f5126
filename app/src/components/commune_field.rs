//! A form field that asks for a commune the way people name it: its name or its postal code,
//! with suggestions as one types. Without JavaScript it is a plain text field and the server
//! reads the name as typed (`model::PlaceName`); the suggestions are an island.

use super::commune_search::Suggestions;
use crate::domain::territory::CommuneHit;
use leptos::prelude::*;

/// A suggestion as the field takes it: the name and its département, which no two communes
/// share (« Aigues-Vives (30) »).
fn chosen(hit: &CommuneHit) -> String {
    format!("{} ({})", hit.link.name, &hit.code[..2])
}

/// The field `name`, labelled `label`, holding `value`.
#[component]
pub fn CommuneField(
    id: String,
    name: String,
    label: String,
    value: String,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    view! { <CommuneFieldIsland id name label value required/> }
}

/// The field with its suggestions, alive in the browser (an island's props are all given).
#[island]
fn CommuneFieldIsland(id: String, name: String, label: String, value: String, required: bool) -> impl IntoView {
    // The attribute for the server's HTML, the property for what the browser changes.
    let text = RwSignal::new(value.clone());
    let suggestions = Suggestions::new();
    let hits = suggestions.hits;
    let on_input = move |ev| {
        let typed = event_target_value(&ev);
        text.set(typed.clone());
        suggestions.ask(typed);
    };
    let (help, list) = (format!("{id}-aide"), format!("{id}-suggestions"));
    let suggestions = move || {
        hits.get()
            .into_iter()
            .map(|hit| {
                let label = chosen(&hit);
                let detail = format!("{} · {}", hit.postal_codes.join(", "), hit.departement);
                let pick = label.clone();
                view! {
                    <li>
                        <button type="button" class="suggestion" on:click=move |_| {
                            text.set(pick.clone());
                            hits.set(Vec::new());
                        }>
                            {label} <span class="muted">" " {detail}</span>
                        </button>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <div class="commune-field">
            <label for=id.clone()>{label}</label>
            <input id=id name=name type="text" required=required autocomplete="off" maxlength=crate::model::PLACE_MAX.to_string()
                placeholder="Millau, 12100…" aria-describedby=help.clone() aria-controls=list.clone()
                value=value prop:value=move || text.get() on:input=on_input/>
            <p id=help class="help muted">"Nom de la commune ou code postal."</p>
            <ul id=list class="suggestions" aria-label="Suggestions de communes" aria-live="polite">{suggestions}</ul>
        </div>
    }
}
