//! The map of a territory: MapLibre GL JS in an island, and around it what works without it —
//! the legend in words, "chercher dans cette zone" as a plain link, and the list of what the
//! area holds (offers, structures, communes per zoning), which is also the map's text
//! alternative. The list follows the area the map shows.
//!
//! The page is whole without the map: MapLibre (script and stylesheet) is fetched only when
//! the map's area nears the viewport (by the islands' loader, beside the islands' code), and
//! that area is reserved from the first paint.

// The page's address holds the map's state (read and written in the browser).
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
mod address;
#[cfg(feature = "hydrate")]
mod live;
// The live map (hydrate) draws with all of it; the server build renders only the legend.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
pub mod style;

use super::commune_search::Suggestions;
use crate::components::unavailable_view;
#[cfg(feature = "hydrate")]
use crate::domain::map::get_map_list;
use crate::domain::map::{
    InternPoint, LIST_LIMIT, MapDepartement, MapFocus, MapFrame, MapLayers, MapList, MapOffer, MapPreview,
    get_map_frame, paths,
};
use crate::domain::offers::BoardQuery;
use crate::domain::offers::OfferKind;
use crate::domain::territory::StructureKind;
use crate::domain::territory::paths as territory_paths;
use crate::domain::territory::{CommuneHit, search_communes};
use crate::format;
use crate::model::{Bounds, Zonage};
use leptos::prelude::*;
use style::Colouring;

/// MapLibre GL JS, copied from its npm package into the site (see .ci/lib.sh). The map's area
/// names them, with the id of the script element and the distance at which to fetch them, for
/// the islands' loader, which starts fetching MapLibre before the island wakes up.
const MAPLIBRE_JS: &str = "/vendor/maplibre-gl/maplibre-gl.js";
const MAPLIBRE_CSS: &str = "/vendor/maplibre-gl/maplibre-gl.css";
const MAPLIBRE_SCRIPT_ID: &str = "maplibre-gl-js";
/// MapLibre is fetched when the map's area comes this close to the viewport.
const MAPLIBRE_NEAR: &str = "400px";
/// The element MapLibre draws in (one map per page).
const CANVAS: &str = "carte-canvas";

/// When MapLibre comes: when the map's area nears the viewport, or, for a map shown first as a
/// picture, when the visitor asks for it (the islands' loader reads it).
const ON_APPROACH: &str = "approche";
const ON_REQUEST: &str = "demande";
/// Screens that get the phone's drawing of a map's picture.
const NARROW_SCREEN: &str = "(max-width: 40rem)";
/// Screens wide enough to show the map's controls unfolded.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
const WIDE_SCREEN: &str = "(min-width: 40.01rem)";
/// The event the islands' loader sends on the map's area when the visitor asks for the live map
/// (it has started fetching MapLibre, and marked the area `data-maplibre-asked`).
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
const ASKED: &str = "carte:demandee";

/// The DOM event (on `document`) by which the board's search tells the map on its page that
/// its filters changed; its detail is the board's new query string (without `?`).
pub const FILTERS_CHANGED: &str = "offres:filtres";

/// What the controls, the list and the live map share.
#[derive(Clone, Copy)]
pub struct MapState {
    pub colouring: RwSignal<Colouring>,
    /// The points shown: each toggle hides its points, and the list and counts follow.
    pub offers: RwSignal<bool>,
    pub structures: RwSignal<Vec<StructureKind>>,
    pub interns: RwSignal<Vec<InternPoint>>,
    pub stations: RwSignal<bool>,
    /// The area shown: the frame at first, then what the live map reports after each move.
    pub zone: RwSignal<Bounds>,
    /// An area to move to ("aller au département", a commune found).
    pub fit: RwSignal<Option<Bounds>>,
    /// The commune outlined: the page's, or the one found with the place search.
    pub outlined: RwSignal<Option<String>>,
    /// Where the live map looks, once it does (what the page's address keeps).
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    pub view: RwSignal<Option<address::View>>,
    /// The board's query string the offers follow (without `?`); read by the live map.
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    pub offers_query: Signal<String>,
}

impl MapState {
    /// Takes what the page's address says (`shared`) over the defaults.
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    fn take(&self, shared: &address::Shared) {
        let hidden = |code: &str| shared.hidden.iter().any(|h| h == code);
        if let Some(colouring) = shared.colouring {
            self.colouring.set(colouring);
        }
        self.offers.set(!hidden(address::OFFERS));
        self.stations.set(!hidden(address::STATIONS));
        self.structures.set(StructureKind::ALL.iter().copied().filter(|k| !hidden(k.code())).collect());
        self.interns.set(InternPoint::ALL.iter().copied().filter(|k| !hidden(k.code())).collect());
        if let Some(place) = &shared.place {
            self.outlined.set(Some(place.as_str().to_owned()));
        }
        self.view.set(shared.view);
    }

    /// What the page's address should say of the map now (tracked).
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    fn shared(&self) -> address::Shared {
        let mut hidden = Vec::new();
        if !self.offers.get() {
            hidden.push(address::OFFERS.to_owned());
        }
        if !self.stations.get() {
            hidden.push(address::STATIONS.to_owned());
        }
        let (structures, interns) = (self.structures.get(), self.interns.get());
        hidden.extend(StructureKind::ALL.iter().filter(|k| !structures.contains(k)).map(|k| k.code().to_owned()));
        hidden.extend(InternPoint::ALL.iter().filter(|k| !interns.contains(k)).map(|k| k.code().to_owned()));
        address::Shared {
            view: self.view.get(),
            colouring: Some(self.colouring.get()),
            hidden,
            place: self.outlined.get().and_then(|code| crate::model::InseeCode::parse(&code).ok()),
        }
    }

    /// The points shown (tracked).
    fn layers(&self) -> MapLayers {
        MapLayers {
            offers: self.offers.get(),
            structures: self.structures.get(),
            interns: self.interns.get(),
            stations: self.stations.get(),
        }
    }
}

/// A map centred on `focus`. Its offers follow `query` (the board's filters; all open offers
/// without it). `list` off leaves out the list of what is shown (beside the board, whose
/// results are that list). `explore` (the map's own page) adds the place search, the offers'
/// filters as a form, and keeps the map's state in the page's address.
#[component]
pub fn TerritoryMap(
    focus: MapFocus,
    #[prop(into)] title: String,
    #[prop(optional)] query: BoardQuery,
    #[prop(default = true)] list: bool,
    #[prop(optional)] explore: bool,
) -> impl IntoView {
    let frame = Resource::new(
        {
            let query = query.clone();
            move || (focus.clone(), list.then(|| query.clone()))
        },
        |(focus, list)| get_map_frame(focus, list),
    );
    view! {
        <section class="map" aria-labelledby="carte">
            <h2 id="carte">{title}</h2>
            <Suspense fallback=|| view! { <p class="loading">"Chargement de la carte…"</p> }>
                {move || {
                    let query = query.clone();
                    Suspend::new(async move {
                        match frame.await {
                            Ok(Some(frame)) => {
                                let filters = explore.then(|| {
                                    view! { <MapFilters query=query.clone() departements=frame.departements.clone()/> }
                                });
                                view! { <MapIsland frame query explore/> {filters} }.into_any()
                            }
                            Ok(None) => view! { <p>"Ce territoire n'a pas de contour connu : pas de carte."</p> }.into_any(),
                            Err(error) => unavailable_view(error),
                        }
                    })
                }}
            </Suspense>
        </section>
    }
}

/// The map's island: its controls, MapLibre's area, the legend and the list of what is shown,
/// rendered by the server with `frame` and `query`, then live in the browser.
/// `explore` (the map's own page): the place search, and the map's state in the page's address.
#[island]
pub fn MapIsland(frame: MapFrame, query: BoardQuery, explore: bool) -> impl IntoView {
    // The board's filters: those of the page, then those its search sends while typing.
    let query = RwSignal::new(query);
    let state = MapState {
        colouring: RwSignal::new(Colouring::Zonage),
        offers: RwSignal::new(true),
        structures: RwSignal::new(style::STRUCTURES.iter().map(|(kind, _)| *kind).collect()),
        interns: RwSignal::new(style::INTERNS.iter().map(|(kind, _)| *kind).collect()),
        stations: RwSignal::new(true),
        zone: RwSignal::new(frame.bounds),
        fit: RwSignal::new(None),
        outlined: RwSignal::new(frame.commune.clone()),
        view: RwSignal::new(None),
        offers_query: Signal::derive(move || query.get().query_string()),
    };
    let canvas = NodeRef::<leptos::html::Div>::new();
    #[cfg(feature = "hydrate")]
    {
        live::follow_board_search(query);
        // A shared view opens the live map at once: the link was sent for it.
        let shared = explore.then(|| address::read(&window().location().hash().unwrap_or_default()));
        let now = shared.as_ref().is_some_and(|s| s.view.is_some());
        if let Some(shared) = shared {
            // After hydration (an effect): the page's HTML is the defaults', and must be met
            // as the server rendered it before the address changes anything.
            Effect::new(move |_| {
                state.take(&shared);
                live::keep_in_address(state);
            });
        }
        let owner = Owner::current();
        let frame = frame.clone();
        Effect::new(move |_| {
            if let (Some(element), Some(owner)) = (canvas.get(), owner.clone()) {
                live::start_when_wanted(element.into(), frame.clone(), state, owner, now);
            }
        });
    }
    let query = Signal::from(query);
    let search_here = move || BoardQuery { zone: Some(state.zone.get()), page: 1, ..query.get() }.href(1);
    // The board searches offers: without them on the map, there is nothing of it to search there.
    let search_here = move || {
        state.offers.get().then(|| {
            view! { <p class="map-search-here"><a class="button" href=search_here>"Chercher dans cette zone"</a></p> }
        })
    };
    view! {
        <p class="map-nojs muted">
            "La carte interactive demande JavaScript. Sans lui, voici en liste ce qu'elle montre, et la légende de ses couleurs."
        </p>
        <div class="map-live">
            {explore.then(|| view! { <PlaceSearch state canvas/> })}
            <div id=CANVAS class="map-canvas" node_ref=canvas data-maplibre-js=MAPLIBRE_JS
                data-maplibre-css=MAPLIBRE_CSS data-maplibre-id=MAPLIBRE_SCRIPT_ID data-maplibre-near=MAPLIBRE_NEAR
                data-maplibre-on=if frame.preview.is_some() { ON_REQUEST } else { ON_APPROACH }>
                {frame.preview.clone().map(|preview| view! { <Preview preview bounds=frame.bounds/> })}
            </div>
            <MapControls frame=frame.clone() state/>
        </div>
        {search_here}
        <Legend state/>
        {frame.list.clone().map(|list| view! { <VisibleList query state list/> })}
    }
    .into_any()
}

/// "Aller à une commune": its name or postal code, with suggestions; the map flies to the
/// commune chosen and outlines it. Without JavaScript it is the site's commune search.
#[component]
fn PlaceSearch(state: MapState, canvas: NodeRef<leptos::html::Div>) -> impl IntoView {
    let suggestions = Suggestions::new();
    let hits = suggestions.hits;
    let text = RwSignal::new(String::new());
    let said = RwSignal::new(String::new());
    let go = move |hit: CommuneHit| {
        hits.set(Vec::new());
        text.set(hit.link.name.clone());
        // The live map, if the picture still stands in for it: as its button asks.
        #[cfg(feature = "hydrate")]
        if let Some(button) = canvas.get().and_then(|c| c.query_selector(".map-start").ok().flatten())
            && let Ok(button) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(button)
        {
            button.click();
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = canvas;
        leptos::task::spawn_local(async move {
            match get_map_frame(MapFocus::Commune(hit.code.clone()), None).await {
                Ok(Some(frame)) => {
                    state.outlined.set(Some(hit.code.clone()));
                    state.fit.set(Some(frame.bounds));
                    said.set(format!(
                        "{} ({}) : son contour est tracé en noir sur la carte.",
                        hit.link.name, hit.departement
                    ));
                }
                _ => said.set("Cette commune n'a pas pu être montrée ; réessayez dans un instant.".to_owned()),
            }
        });
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(first) = hits.get_untracked().into_iter().next() {
            go(first);
            return;
        }
        let typed = text.get_untracked();
        leptos::task::spawn_local(async move {
            match search_communes(typed, 1).await.map(|found| found.into_iter().next()) {
                Ok(Some(hit)) => go(hit),
                Ok(None) => said.set("Aucune commune d'Occitanie ne porte ce nom ou ce code postal.".to_owned()),
                Err(_) => said.set("La recherche n'a pas abouti ; réessayez dans un instant.".to_owned()),
            }
        });
    };
    let list = move || {
        hits.get()
            .into_iter()
            .map(|hit| {
                let detail = format!("{} · {}", hit.postal_codes.join(", "), hit.departement);
                let name = hit.link.name.clone();
                view! {
                    <li>
                        <button type="button" class="suggestion" on:click=move |_| go(hit.clone())>
                            {name} <span class="muted">" " {detail}</span>
                        </button>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <form class="map-place search" action=territory_paths::SEARCH method="get" role="search" on:submit=on_submit>
            <label for="carte-lieu">"Aller à une commune"</label>
            <div class="search-row">
                <input id="carte-lieu" name="q" type="search" autocomplete="off" placeholder="Nom ou code postal"
                    aria-controls="carte-lieu-suggestions" prop:value=move || text.get()
                    on:input=move |ev| {
                        let typed = event_target_value(&ev);
                        text.set(typed.clone());
                        suggestions.ask(typed);
                    }/>
                <button type="submit">"Aller"</button>
            </div>
            <ul id="carte-lieu-suggestions" class="suggestions" aria-label="Suggestions de communes">{list}</ul>
            <p class="map-place-said muted" aria-live="polite">{move || said.get()}</p>
        </form>
    }
    .into_any()
}

/// The board's filters the map's offers follow, shown and changed on the map's own page: a
/// plain form that reloads the page with them (the board's other filters kept as they are).
#[component]
fn MapFilters(query: BoardQuery, departements: Vec<MapDepartement>) -> impl IntoView {
    let kinds = OfferKind::ALL
        .iter()
        .map(|&kind| {
            let id = format!("carte-f-type-{}", kind.code());
            view! {
                <span class="choice">
                    <input type="checkbox" id=id.clone() name="type" value=kind.code() checked=query.has_kind(kind)/>
                    <label for=id>{kind.label()}</label>
                </span>
            }
        })
        .collect_view();
    let chosen = query.departements.first().map(|d| d.as_str().to_owned()).unwrap_or_default();
    let options = departements
        .iter()
        .map(|d| view! { <option value=d.code.clone() selected=d.code == chosen>{format!("{} — {}", d.code, d.name)}</option> })
        .collect_view();
    // What the form does not show goes along unchanged; the area and the page do not apply here.
    let kept = query
        .pairs()
        .into_iter()
        .filter(|(name, _)| !matches!(*name, "q" | "type" | "dep" | "zone" | "page"))
        .map(|(name, value)| view! { <input type="hidden" name=name value=value/> })
        .collect_view();
    let board = BoardQuery { page: 1, ..query.clone() }.href(1);
    view! {
        <form class="map-filters" method="get" action=paths::MAP>
            <h3>"Offres montrées sur la carte"</h3>
            <div class="map-filters-fields">
                <div class="field">
                    <label for="carte-f-q">"Mots"</label>
                    <input id="carte-f-q" name="q" type="search" value=query.text.clone().unwrap_or_default()
                        placeholder="pédiatrie, temps partiel…"/>
                </div>
                <fieldset>
                    <legend>"Type d'offre"</legend>
                    {kinds}
                </fieldset>
                <div class="field">
                    <label for="carte-f-dep">"Département"</label>
                    <select id="carte-f-dep" name="dep">
                        <option value="" selected=chosen.is_empty()>"Toute la région"</option>
                        {options}
                    </select>
                </div>
            </div>
            {kept}
            <p class="map-filters-go">
                <button type="submit">"Montrer ces offres"</button>
                " "
                <a href=board>"Tous les filtres, sur le tableau des offres"</a>
            </p>
        </form>
    }
    .into_any()
}

/// The picture of the area (drawn by the server, in the live map's projection and frame) and
/// the button that brings the live map. Without JavaScript the picture stays, the button goes.
#[component]
fn Preview(preview: MapPreview, bounds: Bounds) -> impl IntoView {
    // The picture's proportions, so its place is kept before it arrives.
    let height = bounds.mercator_height(1000.0).round() as u32;
    view! {
        <picture>
            // Names readable on a phone, and less detail to download there.
            <source media=NARROW_SCREEN srcset=preview.narrow/>
            <img class="map-preview" src=preview.wide width="1000" height=height.to_string() alt="Aperçu de la carte : les \
                communes colorées selon le zonage de l'ARS (voir la légende), les contours des départements et la plus \
                grande ville de chacun."/>
        </picture>
        <button type="button" class="map-start" data-carte-ouvrir="">
            "Ouvrir la carte interactive"
            <small><span class="map-start-what">"zoom, offres et structures de santé · "</span>"environ 700 Ko"</small>
        </button>
    }
}

/// A checkbox that adds `item` to `chosen` or takes it out.
fn toggle<T: Copy + PartialEq + Send + Sync + 'static>(
    chosen: RwSignal<Vec<T>>,
    item: T,
    id: String,
    sample: AnyView,
    label: &'static str,
) -> impl IntoView {
    view! {
        <span class="choice">
            <input type="checkbox" id=id.clone() checked=move || chosen.with(|k| k.contains(&item))
                on:change=move |ev| {
                    let on = event_target_checked(&ev);
                    chosen.update(|items| {
                        items.retain(|k| *k != item);
                        if on {
                            items.push(item);
                        }
                    });
                }/>
            <label for=id>{sample}{label}</label>
        </span>
    }
}

/// A checkbox that shows or hides one kind of point.
fn switch(shown: RwSignal<bool>, id: &'static str, sample: AnyView, label: &'static str) -> impl IntoView {
    view! {
        <span class="choice">
            <input type="checkbox" id=id checked=move || shown.get() on:change=move |ev| shown.set(event_target_checked(&ev))/>
            <label for=id>{sample}{label}</label>
        </span>
    }
}

/// The map's controls, under it and folded on a phone (the island unfolds them on a wider
/// screen): what colours the communes, which points are shown, where to centre.
#[component]
fn MapControls(frame: MapFrame, state: MapState) -> impl IntoView {
    let colour = move |colouring: Colouring, id: &'static str, label: &'static str| {
        view! {
            <span class="choice">
                <input type="radio" id=id name="carte-couleur" checked=move || state.colouring.get() == colouring
                    on:change=move |_| state.colouring.set(colouring)/>
                <label for=id>{label}</label>
            </span>
        }
    };
    let structures = style::STRUCTURES
        .iter()
        .map(|&(kind, colour)| {
            let id = format!("carte-structures-{}", kind.code());
            toggle(state.structures, kind, id, view! { <Dot colour/> }.into_any(), kind.label())
        })
        .collect_view();
    let interns = style::INTERNS
        .iter()
        .map(|&(kind, colour)| {
            let id = format!("carte-internes-{}", kind.code());
            toggle(state.interns, kind, id, view! { <Dot colour/> }.into_any(), kind.label())
        })
        .collect_view();
    let departements = frame.departements.clone();
    let region = departements.iter().map(|d| d.bounds).reduce(Bounds::union);
    let options = departements
        .iter()
        .map(|d| view! { <option value=d.code.clone()>{format!("{} — {}", d.code, d.name)}</option> })
        .collect_view();
    let go = move |ev| {
        let code = event_target_value(&ev);
        let target =
            if code.is_empty() { region } else { departements.iter().find(|d| d.code == code).map(|d| d.bounds) };
        state.fit.set(target);
    };
    let folded = NodeRef::<leptos::html::Details>::new();
    // Sent unfolded, folded by the island on a phone: folding moves only what lies below the
    // map, out of a phone's first screen, where unfolding on a computer would push the list
    // under the map down as it hydrates.
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        let wide = window().match_media(WIDE_SCREEN).ok().flatten().is_some_and(|m| m.matches());
        if let (Some(details), false) = (folded.get(), wide) {
            details.set_open(false);
        }
    });
    view! {
        <details class="map-controls" open node_ref=folded>
            <summary>"Couleurs, points montrés et centrage"</summary>
            <div class="map-controls-body">
                <fieldset>
                    <legend>"Couleur des communes"</legend>
                    {colour(Colouring::Zonage, "carte-couleur-zonage", "Classement de l'ARS (ZIP, ZAC, ZAR)")}
                    {colour(Colouring::Apl, "carte-couleur-apl", "Accès aux généralistes (APL)")}
                </fieldset>
                <fieldset>
                    <legend>"Offres et gares"</legend>
                    {switch(state.offers, "carte-offres", view! { <Dot colour=style::OFFER/> }.into_any(), "Offres ouvertes")}
                    {switch(state.stations, "carte-gares", view! { <StationDot/> }.into_any(), "Gares SNCF")}
                </fieldset>
                <fieldset>
                    <legend>"Structures de santé"</legend>
                    {structures}
                </fieldset>
                <fieldset>
                    <legend>"Pour les internes"</legend>
                    {interns}
                </fieldset>
                <div>
                    <label for="carte-departement">"Centrer la carte sur"</label>
                    <select id="carte-departement" on:change=go>
                        <option value="">"Toute la région"</option>
                        {options}
                    </select>
                </div>
            </div>
        </details>
    }
    // Erased: the map's views nest deep enough to overflow the compiler's type depth in wasm.
    .into_any()
}

/// A colour sample: a square for areas, a disc for points (SVG attributes, not inline style,
/// which the Content Security Policy forbids).
#[component]
fn Swatch(colour: &'static str) -> impl IntoView {
    view! { <svg class="swatch" width="14" height="14" aria-hidden="true"><rect width="14" height="14" fill=colour stroke="#90a4ae"/></svg> }
}

#[component]
fn Dot(colour: &'static str) -> impl IntoView {
    view! { <svg class="swatch" width="14" height="14" aria-hidden="true"><circle cx="7" cy="7" r="6" fill=colour stroke="#ffffff"/></svg> }
}

/// A station: white with a dark ring, as on the map.
#[component]
fn StationDot() -> impl IntoView {
    view! { <svg class="swatch" width="14" height="14" aria-hidden="true"><circle cx="7" cy="7" r="5" fill="#ffffff" stroke=style::STATION stroke-width="2.5"/></svg> }
}

#[component]
fn Legend(state: MapState) -> impl IntoView {
    let communes = move || {
        let colouring = state.colouring.get();
        let mut items: Vec<(&'static str, String)> = match colouring {
            Colouring::Zonage => style::ZONAGE.iter().map(|(z, c)| (*c, z.label().to_owned())).collect(),
            Colouring::Apl => style::APL.iter().map(|(_, c, label)| (*c, format!("APL {label}"))).collect(),
        };
        items.push((style::NONE, style::none_label(colouring).to_owned()));
        let caption = match colouring {
            Colouring::Zonage => "Communes selon le zonage médecins de l'ARS Occitanie",
            Colouring::Apl => {
                "Communes selon l'APL 2023 aux médecins généralistes (consultations par habitant et par an, DREES)"
            }
        };
        let items = items.into_iter().map(|(colour, label)| view! { <li><Swatch colour/>{label}</li> }).collect_view();
        view! { <p>{caption}</p> <ul>{items}</ul> }
    };
    let points = style::STRUCTURES
        .iter()
        .map(|(kind, colour)| view! { <li><Dot colour=*colour/>{kind.label()}</li> })
        .collect_view();
    let interns = style::INTERNS
        .iter()
        .map(|(kind, colour)| view! { <li><Dot colour=*colour/>{kind.label()}</li> })
        .collect_view();
    view! {
        <div class="map-legend" aria-live="polite">
            <h3>"Légende"</h3>
            {communes}
            <ul>
                {points}
                {interns}
                <li><Dot colour=style::OFFER/>"Offre ouverte ; un disque plus grand regroupe plusieurs offres proches (cliquer pour zoomer)"</li>
                <li><StationDot/>"Gare SNCF (les gares locales à partir d'un zoom sur le département)"</li>
            </ul>
        </div>
    }
    .into_any()
}

/// The list of the area shown: the server's at first, then fetched again after each move of
/// the map or change of the filters (the newest answer wins).
#[component]
fn VisibleList(query: Signal<BoardQuery>, state: MapState, list: MapList) -> impl IntoView {
    let list = RwSignal::new(list);
    let stale = RwSignal::new(false);
    #[cfg(feature = "hydrate")]
    {
        let asked = StoredValue::new(0u64);
        // What the server rendered the list for: the page's address may change the layers
        // before the first run (map.rs, `take`), and that is a change to fetch.
        let rendered = untrack(|| (query.get(), state.zone.get(), state.layers()));
        Effect::new(move |previous: Option<(BoardQuery, Bounds, MapLayers)>| {
            let now = (query.get(), state.zone.get(), state.layers());
            if previous.as_ref().unwrap_or(&rendered) != &now {
                let ticket = asked.get_value() + 1;
                asked.set_value(ticket);
                let (query, zone, layers) = now.clone();
                leptos::task::spawn_local(async move {
                    let answer = get_map_list(query, zone, layers).await;
                    if asked.get_value() == ticket {
                        stale.set(answer.is_err());
                        if let Ok(answer) = answer {
                            list.set(answer);
                        }
                    }
                });
            }
            now
        });
    }
    let board = move || BoardQuery { zone: Some(state.zone.get()), page: 1, ..query.get() }.href(1);
    view! {
        <div class="map-list" id="carte-liste" aria-live="polite">
            <h3>"Dans la zone affichée"</h3>
            {move || stale.get().then(|| view! { <p class="form-problem">"La liste n'a pas pu suivre la carte ; réessayez dans un instant."</p> })}
            {move || view! { <ListBody list=list.get() board=board() layers=state.layers()/> }}
        </div>
    }
    .into_any()
}

fn count(n: usize, one: &str, many: &str) -> String {
    match n {
        0 => format!("aucune {one}"),
        1 => format!("1 {one}"),
        n => format!("{} {many}", format::int(n as i64)),
    }
}

/// One offer of the list (the offers' and the interns' alike): its title, linked, then its kind
/// and commune.
fn offer_item(o: &MapOffer) -> impl IntoView + use<> {
    view! { <li><a href=o.path.clone()>{format::spaced(&o.title)}</a>{format!(" — {}, {}", o.kind, o.commune)}</li> }
}

/// What the area holds of the points shown (`layers`): the counts first, then each kind.
#[component]
fn ListBody(list: MapList, board: String, layers: MapLayers) -> impl IntoView {
    let zonage = list
        .zonage
        .iter()
        .map(|(zonage, n)| {
            format!("{} : {}", zonage.map_or("non classées", Zonage::short_label), format::int(*n as i64))
        })
        .collect::<Vec<_>>()
        .join(" · ");
    let mut counts = Vec::new();
    if layers.offers {
        counts.push(count(list.offers_total, "offre ouverte", "offres ouvertes"));
    }
    if !layers.structures.is_empty() {
        counts.push(count(list.structures_total, "structure de santé", "structures de santé"));
    }
    if !layers.interns.is_empty() {
        counts.push(match list.interns.len() {
            0 => "aucun terrain ni logement pour internes".to_owned(),
            1 => "1 terrain ou logement pour internes".to_owned(),
            n => format!("{n} terrains et logements pour internes"),
        });
    }
    if layers.stations {
        counts.push(count(list.stations_total, "gare", "gares"));
    }
    let counts = if counts.is_empty() {
        "Aucun point montré : cochez-en sous la carte.".to_owned()
    } else {
        counts.join(" · ")
    };
    let offers = layers.offers.then(|| {
        let items = list
            .offers
            .iter()
            .map(offer_item)
            .collect_view();
        let more = (list.offers_total > LIST_LIMIT).then(|| {
            view! { <p><a href=board.clone()>{format!("Les {} offres de la zone sur le tableau des offres", format::int(list.offers_total as i64))}</a></p> }
        });
        view! { <h4>"Offres"</h4> <ul class="map-offers">{items}</ul> {more} }
    });
    let structures = (!layers.structures.is_empty()).then(|| {
        let items = list
            .structures
            .iter()
            .map(|s| {
                view! {
                    <li>{s.name.clone()}{format!(" — {}, ", s.kind.label())}<a href=s.commune_path.clone()>{s.commune.clone()}</a></li>
                }
            })
            .collect_view();
        let more = (list.structures_total > LIST_LIMIT).then(|| {
            view! { <p class="muted">{format!("Les {} premières sur {}, des plus grandes communes aux plus petites.", LIST_LIMIT, list.structures_total)}</p> }
        });
        view! { <h4>"Structures de santé"</h4> <ul class="map-structures">{items}</ul> {more} }
    });
    let interns = (!list.interns.is_empty()).then(|| {
        let items = list.interns.iter().map(offer_item).collect_view();
        view! { <h4>"Pour les internes"</h4> <ul class="map-interns">{items}</ul> }
    });
    let stations = (!list.stations.is_empty()).then(|| {
        let items = list
            .stations
            .iter()
            .map(|g| {
                view! { <li>{g.name.clone()}{format!(" — {}, ", g.class.label())}<a href=g.commune_path.clone()>{g.commune.clone()}</a></li> }
            })
            .collect_view();
        let more = (list.stations_total > LIST_LIMIT).then(|| {
            view! { <p class="muted">{format!("Les {} premières sur {}, les gares nationales et régionales d'abord.", LIST_LIMIT, list.stations_total)}</p> }
        });
        view! { <h4>"Gares"</h4> <ul class="map-stations">{items}</ul> {more} }
    });
    view! {
        <p class="map-counts">{counts}</p>
        <p>"Communes par zonage — " {zonage}</p>
        {offers}
        {structures}
        {interns}
        {stations}
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_offers_follow_the_boards_query_string() {
        let query = BoardQuery {
            kinds: vec![crate::domain::offers::OfferKind::Remplacement],
            page: 3,
            ..BoardQuery::default()
        };
        assert_eq!(query.query_string(), "type=remplacement");
        assert_eq!(BoardQuery::default().query_string(), "");
    }

    #[test]
    fn counts_read_in_french() {
        assert_eq!(count(0, "offre ouverte", "offres ouvertes"), "aucune offre ouverte");
        assert_eq!(count(1, "offre ouverte", "offres ouvertes"), "1 offre ouverte");
        assert_eq!(count(1200, "offre ouverte", "offres ouvertes"), format!("{} offres ouvertes", format::int(1200)));
    }
}
