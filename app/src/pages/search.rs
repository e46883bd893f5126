use crate::components::{CommuneSearch, Seo, unavailable_view};
use crate::domain::stages::search_stage_sites;
use crate::domain::territory::paths as territory_paths;
use crate::domain::territory::{SEARCH_PAGE_LIMIT, search_communes};
use crate::format;
use leptos::prelude::*;
use leptos_meta::Meta;
use leptos_router::hooks::use_query_map;

/// Results of the commune search; the target of the search form without JavaScript.
#[component]
pub fn SearchPage() -> impl IntoView {
    let query = use_query_map();
    let q = Memo::new(move |_| query.with(|m| m.get("q").unwrap_or_default()));
    let hits = Resource::new(
        move || q.get(),
        |q| async move { if q.trim().is_empty() { Ok(Vec::new()) } else { search_communes(q, SEARCH_PAGE_LIMIT).await } },
    );
    let sites = Resource::new(move || q.get(), search_stage_sites);
    view! {
        <Seo
            title="Rechercher une commune".to_owned()
            description="Trouvez une commune d'Occitanie par son nom ou son code postal.".to_owned()
            canonical=territory_paths::SEARCH.to_owned()
        />
        // Result pages are for people, not for search engines.
        <Meta name="robots" content="noindex"/>
        <h1>"Rechercher une commune"</h1>
        <CommuneSearch initial=q.get_untracked()/>
        <Suspense fallback=super::loading>
            {move || Suspend::new(async move {
                let q = q.get();
                match hits.await {
                    Ok(hits) if q.trim().is_empty() => { let _ = hits; ().into_any() }
                    Ok(hits) if hits.is_empty() => view! {
                        <p role="status">"Aucune commune ne correspond à « " {q} " ». Vérifiez l'orthographe ou essayez un code postal."</p>
                    }.into_any(),
                    Ok(hits) => {
                        let count = hits.len();
                        let items = hits.into_iter().map(|hit| view! {
                            <li>
                                <a href=hit.link.path>{hit.link.name}</a>
                                <span class="muted">" — " {hit.postal_codes.join(", ")} " · " {hit.departement} " · " {format::int(hit.population)} " hab."</span>
                            </li>
                        }).collect_view();
                        view! {
                            <p role="status">{count} {if count > 1 { " communes trouvées" } else { " commune trouvée" }} " pour « " {q} " »."</p>
                            <ul class="results">{items}</ul>
                        }.into_any()
                    }
                    Err(error) => unavailable_view(error),
                }
            })}
        </Suspense>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match sites.await {
                    Ok(sites) if !sites.is_empty() => view! {
                        <section aria-labelledby="terrains-trouves">
                            <h2 id="terrains-trouves">"Terrains de stage"</h2>
                            <ul class="event-list">{sites.into_iter().map(super::stages::site_item).collect_view()}</ul>
                        </section>
                    }
                    .into_any(),
                    _ => ().into_any(),
                }
            })}
        </Suspense>
    }
}
