use crate::app::SITE_NAME;
#[cfg(feature = "ssr")]
use crate::domain::territory::SiteUrl;
use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};

/// Title, description, canonical link and OpenGraph tags of a page, plus its JSON-LD.
#[component]
pub fn Seo(
    title: String,
    description: String,
    /// The page's URL: absolute, or its path on this site (made absolute with the site's
    /// public origin: search engines ignore a relative canonical link).
    canonical: String,
    /// schema.org object, already serialised by [`json_ld`].
    #[prop(optional)]
    json_ld: Option<String>,
) -> impl IntoView {
    let full_title = format!("{title} — {SITE_NAME}");
    // Pages are rendered by the server only, where the site's origin is known.
    #[cfg(feature = "ssr")]
    let canonical = match canonical.starts_with('/') {
        true => format!("{}{canonical}", use_context::<SiteUrl>().map(|site| site.0).unwrap_or_default()),
        false => canonical,
    };
    view! {
        <Title text=full_title.clone()/>
        <Meta name="description" content=description.clone()/>
        <Link rel="canonical" href=canonical.clone()/>
        <Meta property="og:site_name" content=SITE_NAME/>
        <Meta property="og:locale" content="fr_FR"/>
        <Meta property="og:type" content="website"/>
        <Meta property="og:title" content=full_title/>
        <Meta property="og:description" content=description/>
        <Meta property="og:url" content=canonical/>
        {json_ld.map(|json| view! { <script type="application/ld+json" inner_html=json></script> })}
    }
}

/// Serialises a schema.org object for a `<script>` element: "</" is escaped so that no value
/// can close the element early.
pub fn json_ld(value: serde_json::Value) -> String {
    value.to_string().replace("</", "<\\/")
}

/// The schema.org object of a territory's page, for `json_ld`: its `kind` (« City »,
/// « AdministrativeArea »…), name, address and official code, and the keys of `more` (where
/// it lies, what it serves).
pub fn territory_ld(
    kind: &str,
    name: &str,
    url: &str,
    identifier: &str,
    more: Vec<(&str, serde_json::Value)>,
) -> String {
    let mut object = serde_json::Map::new();
    object.insert("@context".into(), "https://schema.org".into());
    object.insert("@type".into(), kind.into());
    object.insert("name".into(), name.into());
    object.insert("url".into(), url.into());
    object.insert("identifier".into(), identifier.into());
    object.extend(more.into_iter().map(|(key, value)| (key.to_owned(), value)));
    json_ld(serde_json::Value::Object(object))
}
