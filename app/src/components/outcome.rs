//! What a page shows when the territory is elsewhere, missing, or the service is down, with
//! the matching HTTP status on the server.

use crate::domain::territory::paths as territory_paths;
use crate::domain::territory::{Located, Lookup};
use leptos::prelude::*;
use leptos_meta::Title;

#[cfg(feature = "ssr")]
fn respond(status: u16, location: Option<&str>) {
    use http::{HeaderValue, StatusCode, header::LOCATION};
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(StatusCode::from_u16(status).unwrap_or(StatusCode::OK));
        if let Some(value) = location.and_then(|l| HeaderValue::from_str(l).ok()) {
            response.insert_header(LOCATION, value);
        }
    }
}

/// Renders a territory lookup: the page when found, a permanent redirect to the canonical
/// address when the slug is wrong, a 404 page when the code is unknown.
pub fn lookup_view<T, V>(result: Result<Lookup<T>, ServerFnError>, found: impl FnOnce(Located<T>) -> V) -> AnyView
where
    V: IntoView + 'static,
{
    match result {
        Ok(Lookup::Found(located)) => found(located).into_any(),
        Ok(Lookup::Moved { path }) => view! { <Moved path/> }.into_any(),
        Ok(Lookup::NotFound) => view! { <NotFound/> }.into_any(),
        Err(error) => unavailable_view(error),
    }
}

/// A permanent redirect to `path` (301; pages are rendered by the server only).
#[component]
pub fn Moved(path: String) -> impl IntoView {
    #[cfg(feature = "ssr")]
    respond(301, Some(&path));
    view! {
        <p>"Cette page a une nouvelle adresse : " <a href=path.clone()>{path.clone()}</a></p>
    }
}

/// The 404 page.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    respond(404, None);
    view! {
        <Title text="Page introuvable — Médecins & Territoires"/>
        <section class="notice">
            <h1>"Page introuvable"</h1>
            <p>"Aucune page ne correspond à cette adresse. Le code du territoire est peut-être erroné."</p>
            <p>
                <a href=territory_paths::SEARCH>"Rechercher une commune"</a>
                " ou revenir à "
                <a href=territory_paths::HOME>"l'accueil"</a>
                "."
            </p>
        </section>
    }
}

/// The page shown when the service behind it failed (503, the error is logged on the server).
pub fn unavailable_view(error: ServerFnError) -> AnyView {
    #[cfg(feature = "ssr")]
    respond(503, None);
    let message = match error {
        ServerFnError::ServerError(message) => message,
        _ => "Le service est momentanément indisponible. Réessayez dans un instant.".to_owned(),
    };
    view! {
        <section class="notice" role="alert">
            <h1>"Service indisponible"</h1>
            <p>{message}</p>
        </section>
    }
    .into_any()
}
