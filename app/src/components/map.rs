//! The map of a territory: MapLibre GL JS in an island, and around it what works without it —
//! the legend in words, "chercher dans cette zone" as a plain link, and the list of what the
//! area holds (offers, structures, communes per zoning), which is also the map's text
//! alternative. The list follows the area the map shows.
//!
//! The page is whole without the map: MapLibre (script and stylesheet) is fetched only when
//! the map's area nears the viewport (by the islands' loader, beside the islands' code), and
//! that area is reserved from the first paint.

#[cfg(feature = "hydrate")]
mod live;
// The live map (hydrate) draws with all of it; the server build renders only the legend.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
pub mod style;

use crate::components::unavailable_view;
#[cfg(feature = "hydrate")]
use crate::domain::map::get_map_list;
use crate::domain::map::{LIST_LIMIT, MapFocus, MapFrame, MapList, MapPreview, get_map_frame};
use crate::domain::offers::BoardQuery;
use crate::domain::territory::StructureKind;
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
    pub structures: RwSignal<Vec<StructureKind>>,
    /// The interns' points shown: codes of `style::INTERNS`.
    pub interns: RwSignal<Vec<&'static str>>,
    /// The area shown: the frame at first, then what the live map reports after each move.
    pub zone: RwSignal<Bounds>,
    /// An area to move to ("aller au département").
    pub fit: RwSignal<Option<Bounds>>,
    /// The board's query string the offers follow (without `?`); read by the live map.
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    pub offers_query: Signal<String>,
}

/// A map centred on `focus`. Its offers follow `query` (the board's filters; all open offers
/// without it). `list` off leaves out the list of what is shown (beside the board, whose
/// results are that list).
#[component]
pub fn TerritoryMap(
    focus: MapFocus,
    #[prop(into)] title: String,
    #[prop(optional)] query: BoardQuery,
    #[prop(default = true)] list: bool,
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
                            Ok(Some(frame)) => view! { <MapIsland frame query/> }.into_any(),
                            Ok(None) => view! { <p>"Ce territoire n'a pas de contour connu : pas de carte."</p> }.into_any(),
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
#[island]
pub fn MapIsland(frame: MapFrame, query: BoardQuery) -> impl IntoView {
    // The board's filters: those of the page, then those its search sends while typing.
    let query = RwSignal::new(query);
    let state = MapState {
        colouring: RwSignal::new(Colouring::Zonage),
        structures: RwSignal::new(style::STRUCTURES.iter().map(|(kind, _)| *kind).collect()),
        interns: RwSignal::new(style::INTERNS.iter().map(|(kind, _, _)| *kind).collect()),
        zone: RwSignal::new(frame.bounds),
        fit: RwSignal::new(None),
        offers_query: Signal::derive(move || query.get().query_string()),
    };
    let canvas = NodeRef::<leptos::html::Div>::new();
    #[cfg(feature = "hydrate")]
    {
        live::follow_board_search(query);
        let owner = Owner::current();
        let frame = frame.clone();
        Effect::new(move |_| {
            if let (Some(element), Some(owner)) = (canvas.get(), owner.clone()) {
                live::start_when_wanted(element.into(), frame.clone(), state, owner);
            }
        });
    }
    let query = Signal::from(query);
    let search_here = move || BoardQuery { zone: Some(state.zone.get()), page: 1, ..query.get() }.href(1);
    view! {
        <p class="map-nojs muted">
            "La carte interactive demande JavaScript. Sans lui, voici en liste ce qu'elle montre, et la légende de ses couleurs."
        </p>
        <div class="map-live">
            <MapControls frame=frame.clone() state/>
            <div id=CANVAS class="map-canvas" node_ref=canvas data-maplibre-js=MAPLIBRE_JS
                data-maplibre-css=MAPLIBRE_CSS data-maplibre-id=MAPLIBRE_SCRIPT_ID data-maplibre-near=MAPLIBRE_NEAR
                data-maplibre-on=if frame.preview.is_some() { ON_REQUEST } else { ON_APPROACH }>
                {frame.preview.clone().map(|preview| view! { <Preview preview bounds=frame.bounds/> })}
            </div>
        </div>
        <p class="map-search-here"><a class="button" href=search_here>"Chercher dans cette zone"</a></p>
        <Legend state/>
        {frame.list.clone().map(|list| view! { <VisibleList query state list/> })}
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
            <img class="map-preview" src=preview.wide width="1000" height=height.to_string() alt="Aperçu de la carte : les \
                communes colorées selon le zonage de l'ARS (voir la légende), les contours des départements et la plus \
                grande ville de chacun."/>
        </picture>
        <button type="button" class="map-start" data-carte-ouvrir="">
            "Ouvrir la carte interactive"
            <small><span class="map-start-what">"zoom, offres et structures de santé · "</span>"environ 700 Ko"</small>
        </button>
    }
}

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
            view! {
                <span class="choice">
                    <input type="checkbox" id=id.clone() checked=move || state.structures.with(|k| k.contains(&kind))
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            state.structures.update(|kinds| {
                                kinds.retain(|k| *k != kind);
                                if on {
                                    kinds.push(kind);
                                }
                            });
                        }/>
                    <label for=id><Dot colour/>{kind.label()}</label>
                </span>
            }
        })
        .collect_view();
    let interns = style::INTERNS
        .iter()
        .map(|&(kind, colour, label)| {
            let id = format!("carte-internes-{kind}");
            view! {
                <span class="choice">
                    <input type="checkbox" id=id.clone() checked=move || state.interns.with(|k| k.contains(&kind))
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            state.interns.update(|kinds| {
                                kinds.retain(|k| *k != kind);
                                if on {
                                    kinds.push(kind);
                                }
                            });
                        }/>
                    <label for=id><Dot colour/>{label}</label>
                </span>
            }
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
    view! {
        <div class="map-controls">
            <fieldset>
                <legend>"Couleur des communes"</legend>
                {colour(Colouring::Zonage, "carte-couleur-zonage", "Classement de l'ARS (ZIP, ZAC, ZAR)")}
                {colour(Colouring::Apl, "carte-couleur-apl", "Accès aux généralistes (APL)")}
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
    let interns =
        style::INTERNS.iter().map(|(_, colour, label)| view! { <li><Dot colour=*colour/>{*label}</li> }).collect_view();
    view! {
        <div class="map-legend" aria-live="polite">
            <h3>"Légende"</h3>
            {communes}
            <ul>
                {points}
                {interns}
                <li><Dot colour=style::OFFER/>"Offre ouverte ; un disque plus grand regroupe plusieurs offres proches (cliquer pour zoomer)"</li>
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
        Effect::new(move |previous: Option<(BoardQuery, Bounds)>| {
            let now = (query.get(), state.zone.get());
            // The first run is what the server rendered.
            if previous.as_ref().is_some_and(|p| *p != now) {
                let ticket = asked.get_value() + 1;
                asked.set_value(ticket);
                let (query, zone) = now.clone();
                leptos::task::spawn_local(async move {
                    let answer = get_map_list(query, zone).await;
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
        <div class="map-list" aria-live="polite">
            <h3>"Dans la zone affichée"</h3>
            {move || stale.get().then(|| view! { <p class="form-problem">"La liste n'a pas pu suivre la carte ; réessayez dans un instant."</p> })}
            {move || view! { <ListBody list=list.get() board=board()/> }}
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

#[component]
fn ListBody(list: MapList, board: String) -> impl IntoView {
    let zonage = list
        .zonage
        .iter()
        .map(|(zonage, n)| {
            format!("{} : {}", zonage.map_or("non classées", Zonage::short_label), format::int(*n as i64))
        })
        .collect::<Vec<_>>()
        .join(" · ");
    let offers = list
        .offers
        .iter()
        .map(|o| view! { <li><a href=o.path.clone()>{o.title.clone()}</a>{format!(" — {}, {}", o.kind, o.commune)}</li> })
        .collect_view();
    let more_offers = (list.offers_total > LIST_LIMIT).then(|| {
        view! { <p><a href=board.clone()>{format!("Les {} offres de la zone sur le tableau des offres", format::int(list.offers_total as i64))}</a></p> }
    });
    let structures = list
        .structures
        .iter()
        .map(|s| {
            view! {
                <li>{s.name.clone()}{format!(" — {}, ", s.kind.label())}<a href=s.commune_path.clone()>{s.commune.clone()}</a></li>
            }
        })
        .collect_view();
    let more_structures = (list.structures_total > LIST_LIMIT)
        .then(|| view! { <p class="muted">{format!("Les {} premières sur {}, des plus grandes communes aux plus petites.", LIST_LIMIT, list.structures_total)}</p> });
    view! {
        <p>
            {count(list.offers_total, "offre ouverte", "offres ouvertes")} " · "
            {count(list.structures_total, "structure de santé", "structures de santé")}
        </p>
        <p>"Communes par zonage — " {zonage}</p>
        <h4>"Offres"</h4>
        <ul class="map-offers">{offers}</ul>
        {more_offers}
        <h4>"Structures de santé"</h4>
        <ul class="map-structures">{structures}</ul>
        {more_structures}
        {(!list.interns.is_empty()).then(|| {
            let items = list
                .interns
                .iter()
                .map(|o| view! { <li><a href=o.path.clone()>{o.title.clone()}</a>{format!(" — {}, {}", o.kind, o.commune)}</li> })
                .collect_view();
            view! { <h4>"Pour les internes"</h4> <ul class="map-interns">{items}</ul> }
        })}
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
