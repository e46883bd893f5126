use crate::model::sources::Source;
use leptos::prelude::*;

/// "Source : DREES, APL 2023 … (2024)" under a figure.
#[component]
pub fn SourceNote(source: Source) -> impl IntoView {
    view! {
        <p class="source">
            "Source : " {source.producer} ", " {source.dataset} " (" {source.date} ")"
        </p>
    }
}
