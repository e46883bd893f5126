//! Demonstration content (`server exemples`): marked wherever it shows, and the pages about it
//! ask search engines not to index them (their JSON-LD stays, to be inspected).

use leptos::prelude::*;
use leptos_meta::Meta;

/// The « exemple » mark, `title` saying what is not real.
#[component]
pub fn ExampleBadge(#[prop(into)] title: String) -> impl IntoView {
    view! { <span class="badge example" title=title>"exemple"</span> }
}

/// `noindex` for a page whose subject is an example.
#[component]
pub fn NotIndexedIf(example: bool) -> impl IntoView {
    example.then(|| view! { <Meta name="robots" content="noindex"/> })
}
