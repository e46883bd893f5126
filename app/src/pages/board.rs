//! The board: open offers of every kind, filtered by what the address says. The filters are a
//! plain GET form, so they work without JavaScript and every result is a shareable address.
//! The search box is an island: as the user types, it fetches the board of the new address
//! and puts its parts (filters with their counts, results, pages, alert, links) in place of
//! the old ones, without reloading the page.

use crate::components::{AlertBox, AlertOutcome, CommuneField, OfferCardView, Seo, TerritoryMap, unavailable_view};
use crate::domain::accounts::{Viewer, get_viewer};
use crate::domain::alerts::{AlertSubject, Frequency, Names, describe};
use crate::domain::map::{MapFocus, paths as map_paths};
use crate::domain::offers::{
    BoardFacets, BoardOrder, BoardPage, BoardQuery, HousingWanted, MAX_TEXT, OfferKind, Specialty, StationNear,
    get_board, paths,
};
use crate::domain::open_data::paths as open_paths;
use crate::format;
use crate::model::Zonage;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The id of the filters' form, which the search box (outside it, so that it keeps focus and
/// what is typed while the results change) belongs to.
const FILTERS: &str = "filtres-offres";
/// The parts of the page that depend on the filters, by id: what the search box replaces
/// (their contents) as the user types.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
const PARTS: [&str; 8] = [
    FILTERS,
    FILTERS_SUMMARY,
    "offres-remarques",
    "resultats",
    "offres-liste",
    "offres-pages",
    "offres-alerte",
    "offres-liens",
];
/// The folded filters' one line: the filters in force.
const FILTERS_SUMMARY: &str = "filtres-resume";
/// The pause after the last keystroke before searching.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
const DEBOUNCE_MS: u64 = 250;

#[component]
pub fn BoardPage() -> impl IntoView {
    let (query, notes) =
        use_query_map().with_untracked(|q| BoardQuery::read(|name| q.get_all(name).unwrap_or_default()));
    let board = Resource::new(
        {
            let query = query.clone();
            move || query.clone()
        },
        get_board,
    );
    let viewer = Resource::new(|| (), |_| get_viewer());
    let links = links(&query);
    let (search_query, results_query) = (query.clone(), query.clone());
    view! {
        <h1>"Offres"</h1>
        <p class="lead">
            "Installation, remplacement, salariat, stage d'interne : toutes les offres en cours, avec la rémunération, "
            "les gardes et le logement indiqués pour chacune."
        </p>
        <AlertOutcome/>
        <SearchBox query=search_query/>
        <Suspense fallback=super::loading>
            {
                move || {
                    let (query, notes) = (results_query.clone(), notes.clone());
                    Suspend::new(async move {
                        match (board.await, viewer.await) {
                            (Ok(page), Ok(viewer)) => view! { <Board query notes page viewer/> }.into_any(),
                            (Err(error), _) | (_, Err(error)) => unavailable_view(error),
                        }
                    })
                }
            }
        </Suspense>
        // Outside the results: the map stays while the search changes, its offers follow it.
        <TerritoryMap focus=MapFocus::Region title="Les offres sur la carte" query list=false/>
        {links}
    }
}

/// The same offers elsewhere: the big map, feeds, export.
fn links(query: &BoardQuery) -> impl IntoView + use<> {
    view! {
        <p id="offres-liens">
            <a href=map_link(query)>"Voir ces offres sur la grande carte"</a> " — "
            <a href=with_filters(open_paths::OFFERS_ATOM, query)>"S'abonner à ces offres (flux Atom)"</a> " ("
            <a href=with_filters(open_paths::OFFERS_RSS, query)>"RSS"</a> ") — "
            <a href=with_filters(open_paths::OFFERS_CSV, query)>"Les exporter (CSV)"</a>
        </p>
    }
}

/// `path?…` with the board's filters (a feed, an export).
fn with_filters(path: &str, query: &BoardQuery) -> String {
    match query.query_string() {
        q if q.is_empty() => path.to_owned(),
        q => format!("{path}?{q}"),
    }
}

/// `/carte?…`: the full map with the board's filters.
fn map_link(query: &BoardQuery) -> String {
    with_filters(map_paths::MAP, query)
}

/// The words to look for. Without JavaScript it is one more field of the filters' form; in
/// the browser, each pause in typing searches (`live::search`) and the address follows.
#[island]
pub fn SearchBox(query: BoardQuery) -> impl IntoView {
    let failed = RwSignal::new(false);
    #[cfg(feature = "hydrate")]
    let on_input = {
        let pending = StoredValue::new(None::<leptos::prelude::TimeoutHandle>);
        let latest = StoredValue::new(0_u64);
        let query = query.clone();
        move |ev| {
            let typed = event_target_value(&ev);
            if let Some(handle) = pending.get_value() {
                handle.clear();
            }
            let query = query.clone();
            let handle = set_timeout_with_handle(
                move || {
                    let text = (!typed.trim().is_empty()).then_some(typed);
                    let query = BoardQuery { text, page: 1, ..query };
                    let ticket = latest.get_value() + 1;
                    latest.set_value(ticket);
                    leptos::task::spawn_local(async move {
                        let done = live::search(&query, || latest.get_value() == ticket).await;
                        failed.set(done.is_err());
                    });
                },
                std::time::Duration::from_millis(DEBOUNCE_MS),
            );
            pending.set_value(handle.ok());
        }
    };
    #[cfg(not(feature = "hydrate"))]
    let on_input = |_: leptos::ev::Event| {};
    view! {
        <div class="board-search">
            <label for="f-q">"Rechercher dans les offres"</label>
            <input id="f-q" name="q" type="search" form=FILTERS autocomplete="off" maxlength=MAX_TEXT.to_string()
                placeholder="médecin généraliste Rodez, remplacement été, MSP…" aria-describedby="f-q-aide"
                aria-controls="resultats" value=query.text.clone().unwrap_or_default() on:input=on_input/>
            <p id="f-q-aide" class="muted">
                "Titres, descriptions, communes et structures ; les fautes de frappe et les accents sont pardonnés."
            </p>
            {move || failed.get().then(|| view! {
                <p class="form-problem" role="alert">"La recherche n'a pas pu se faire. Appuyez sur « Filtrer » pour réessayer."</p>
            })}
        </div>
    }
}

/// The search as the user types, in the browser.
#[cfg(feature = "hydrate")]
mod live {
    use super::PARTS;
    use crate::components::FILTERS_CHANGED;
    use crate::domain::offers::BoardQuery;
    use leptos::prelude::*;
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;

    /// Fetches the board of `query` and, if it is still `wanted` (no newer search started
    /// meanwhile), puts its parts in place of this page's, sets the address and tells the map.
    pub async fn search(query: &BoardQuery, wanted: impl Fn() -> bool) -> Result<(), JsValue> {
        let href = query.href(1);
        let response: web_sys::Response = JsFuture::from(window().fetch_with_str(&href)).await?.dyn_into()?;
        if !response.ok() {
            return Err(JsValue::from_str("réponse en erreur"));
        }
        let html = JsFuture::from(response.text()?).await?.as_string().unwrap_or_default();
        if !wanted() {
            return Ok(());
        }
        let fetched = web_sys::DomParser::new()?.parse_from_string(&html, web_sys::SupportedType::TextHtml)?;
        let page = document();
        for id in PARTS {
            if let (Some(old), Some(new)) = (page.get_element_by_id(id), fetched.get_element_by_id(id)) {
                old.set_inner_html(&new.inner_html());
            }
        }
        window().history()?.replace_state_with_url(&JsValue::NULL, "", Some(&href))?;
        let init = web_sys::CustomEventInit::new();
        init.set_detail(&JsValue::from_str(&query.query_string()));
        let event = web_sys::CustomEvent::new_with_event_init_dict(FILTERS_CHANGED, &init)?;
        page.dispatch_event(&event)?;
        Ok(())
    }
}

/// `label (count)`, the count of matching offers with that value.
fn counted(label: &str, count: usize) -> String {
    format!("{label} ({count})")
}

/// One checkbox per value of a several-valued filter, with its count.
fn checkboxes<T: Copy + PartialEq + 'static>(
    name: &'static str,
    all: &'static [T],
    code: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
    chosen: &[T],
    counts: &[(String, usize)],
) -> impl IntoView + use<T> {
    all.iter()
        .map(|item| {
            let id = format!("f-{name}-{}", code(*item));
            let text = counted(label(*item), BoardFacets::of(counts, code(*item)));
            view! {
                <li class="check">
                    <input id=id.clone() name=name type="checkbox" value=code(*item) checked=chosen.contains(item)/>
                    <label for=id>{text}</label>
                </li>
            }
        })
        .collect_view()
}

/// The orders the board can take for this search, the one shown selected. The board's own
/// choice goes without `tri` (value ""), so the address stays that of the search.
fn order_options(query: &BoardQuery, page: &BoardPage) -> impl IntoView + use<> {
    let words = query.text.as_deref().is_some_and(|t| !t.trim().is_empty());
    BoardOrder::ALL
        .iter()
        .filter(|order| match order {
            BoardOrder::Nearest => page.around_name.is_some(),
            BoardOrder::Words => words,
            BoardOrder::Fit | BoardOrder::Newest => true,
        })
        .map(|order| {
            let value = if *order == page.default_order { "" } else { order.code() };
            view! { <option value=value selected=*order == page.order>{order.label()}</option> }
        })
        .collect_view()
}

fn options<T: Copy + PartialEq + 'static>(
    all: &'static [T],
    code: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
    selected: Option<T>,
    counts: &[(String, usize)],
) -> impl IntoView + use<T> {
    all.iter()
        .map(|item| {
            let text = counted(label(*item), BoardFacets::of(counts, code(*item)));
            view! { <option value=code(*item) selected=selected == Some(*item)>{text}</option> }
        })
        .collect_view()
}

#[component]
fn Board(query: BoardQuery, notes: Vec<String>, page: BoardPage, viewer: Viewer) -> impl IntoView {
    let names = Names { around: page.around_name.as_deref(), departements: &page.departements };
    let alert = alert_form(&query, names, viewer);
    let filters = filters_line(&query, names);
    let canonical = format!("{}{}", page.site_url, query.href(page.page));
    let departements = page
        .departements
        .iter()
        .map(|(code, name)| {
            let id = format!("f-dep-{code}");
            let text = counted(name, BoardFacets::of(&page.facets.departement, code));
            view! {
                <li class="check">
                    <input id=id.clone() name="dep" type="checkbox" value=code.clone() checked=query.has_departement(code)/>
                    <label for=id>{text}</label>
                </li>
            }
        })
        .collect_view();
    let departements_chosen = match query.departements.len() {
        0 => "tous".to_owned(),
        _ => page
            .departements
            .iter()
            .filter(|(code, _)| query.has_departement(code))
            .map(|(_, name)| name.clone())
            .collect::<Vec<_>>()
            .join(", "),
    };
    let housing = HousingWanted::ALL
        .iter()
        .map(|&housing| {
            let code = housing.code();
            let id = format!("f-logement-{code}");
            let text = counted(housing.label(), BoardFacets::of(&page.facets.housing, code));
            view! {
                <li class="check">
                    <input id=id.clone() name="logement" type="checkbox" value=code checked=query.housing.contains(&housing)/>
                    <label for=id>{text}</label>
                </li>
            }
        })
        .collect_view();
    let orders = order_options(&query, &page);
    let all_notes: Vec<String> = notes.into_iter().chain(page.notes.iter().cloned()).collect();
    let notes_view = (!all_notes.is_empty()).then(|| {
        let items = all_notes.into_iter().map(|n| view! { <li>{n}</li> }).collect_view();
        view! { <ul class="form-problem" role="alert">{items}</ul> }
    });
    let count = match page.total {
        0 => "Aucune offre ne correspond à ces critères.".to_owned(),
        1 => "1 offre".to_owned(),
        n => format!("{} offres", format::int(n as i64)),
    };
    let around = page.around_name.clone().map(|name| format!(" à moins de {} km de {name}", query.radius()));
    let entries = page
        .entries
        .into_iter()
        .map(|entry| {
            view! {
                <OfferCardView card=entry.card title_marks=entry.title_marks snippet=entry.snippet
                    distance_km=entry.distance_km fit=entry.fit/>
            }
        })
        .collect_view();
    let pager = (page.pages > 1).then(|| {
        let previous =
            (page.page > 1).then(|| view! { <a rel="prev" href=query.href(page.page - 1)>"Page précédente"</a> });
        let next = (page.page < page.pages)
            .then(|| view! { <a rel="next" href=query.href(page.page + 1)>"Page suivante"</a> });
        view! {
            <nav class="pager" aria-label="Pages des offres">
                {previous}
                <span>{format!("Page {} sur {}", page.page, page.pages)}</span>
                {next}
            </nav>
        }
    });
    let radius = query.radius_km.map(|km| km.to_string()).unwrap_or_default();
    // The commune as found (its name), else as typed: sent again, it finds the same one.
    let around_value =
        page.around_name.clone().or_else(|| query.around.as_ref().map(ToString::to_string)).unwrap_or_default();
    view! {
        <Seo
            title="Offres pour les médecins : installation, remplacement, stage".to_owned()
            description="Les offres d'installation, de remplacement, de salariat et de stage d'interne des territoires, avec rémunération, gardes et logement.".to_owned()
            canonical
        />
        // Folded on phones, so that the offers come first; the line that opens them says which
        // filters are in force. Wide screens show them open (style/main.css).
        <details class="filters-panel">
        <summary id=FILTERS_SUMMARY>{filters}</summary>
        <form id=FILTERS class="filters" method="get" action=paths::BOARD role="search" aria-label="Filtrer les offres">
            <fieldset class="choices">
                <legend>"Type"</legend>
                <ul>{checkboxes("type", OfferKind::ALL, OfferKind::code, OfferKind::label, &query.kinds, &page.facets.kind)}</ul>
            </fieldset>
            <div>
                <label for="f-specialite">"Spécialité"</label>
                <select id="f-specialite" name="specialite">
                    <option value="">"Toutes"</option>
                    {options(Specialty::ALL, Specialty::code, Specialty::label, query.specialty, &page.facets.specialty)}
                </select>
            </div>
            <details class="choices" open=!query.departements.is_empty()>
                <summary>"Départements : " {departements_chosen}</summary>
                <fieldset class="choices">
                    <legend class="visually-hidden">"Départements"</legend>
                    <ul>{departements}</ul>
                </fieldset>
            </details>
            <div>
                <label for="f-zonage">"Zonage"</label>
                <select id="f-zonage" name="zonage">
                    <option value="">"Tous"</option>
                    {options(&Zonage::ALL, Zonage::code, Zonage::label, query.zonage, &page.facets.zonage)}
                </select>
            </div>
            <CommuneField id="f-autour".to_owned() name="autour".to_owned() label="Autour de la commune".to_owned()
                value=around_value/>
            <div>
                <label for="f-rayon">"Rayon (km)"</label>
                <input id="f-rayon" name="rayon" type="number" min="1" max=crate::domain::offers::MAX_RADIUS_KM.to_string()
                    placeholder=crate::domain::offers::DEFAULT_RADIUS_KM.to_string() value=radius/>
            </div>
            <div>
                <label for="f-gare">"Gare à moins de"</label>
                <select id="f-gare" name="gare" aria-describedby="f-gare-aide">
                    <option value="">"Peu importe"</option>
                    {StationNear::ALL
                        .iter()
                        .map(|near| view! { <option value=near.code() selected=query.station == Some(*near)>{near.short()}</option> })
                        .collect_view()}
                </select>
                <p id="f-gare-aide" class="hint muted">"À vol d'oiseau. A ou B : gare nationale ou régionale."</p>
            </div>
            <div>
                <label for="f-du">"Disponible du"</label>
                <input id="f-du" name="du" type="date" value=query.from.map(|d| d.to_string()).unwrap_or_default()/>
            </div>
            <div>
                <label for="f-au">"au"</label>
                <input id="f-au" name="au" type="date" value=query.to.map(|d| d.to_string()).unwrap_or_default()/>
            </div>
            <fieldset class="choices">
                <legend>"Logement et équipe"</legend>
                <ul>
                    {housing}
                    <li class="check">
                        <input id="f-equipe" name="equipe" type="checkbox" value="oui" checked=query.team/>
                        <label for="f-equipe">{counted("Exercice en équipe (maison ou centre de santé, cabinet de groupe, établissement)", page.facets.team)}</label>
                    </li>
                </ul>
            </fieldset>
            <div class="order">
                <label for="f-tri">"Ordre"</label>
                <select id="f-tri" name="tri">{orders}</select>
            </div>
            {zone_field(&query)}
            <div class="actions">
                <button type="submit">"Filtrer"</button>
                <a href=paths::BOARD>"Effacer les filtres"</a>
            </div>
        </form>
        </details>
        <div id="offres-remarques">{notes_view}</div>
        <h2 id="resultats" aria-live="polite">{count}{around}</h2>
        <ul id="offres-liste" class="offer-list" aria-labelledby="resultats">{entries}</ul>
        <div id="offres-pages">{pager}</div>
        <div id="offres-alerte">{alert}</div>
    }
}

/// « Filtres : Remplacement · Aveyron », or « Filtrer les offres » when none is in force. The
/// commune searched around is named.
fn filters_line(query: &BoardQuery, names: Names) -> String {
    let in_force = BoardQuery { text: None, order: None, radius_km: None, page: 0, ..query.clone() };
    if in_force == BoardQuery::default() {
        return "Filtrer les offres".to_owned();
    }
    format!("Filtres : {}", describe(query, names))
}

/// The area chosen on the map ("chercher dans cette zone") is kept by the form, and can be
/// dropped with one link.
fn zone_field(query: &BoardQuery) -> impl IntoView + use<> {
    query.zone.map(|zone| {
        let without = BoardQuery { zone: None, ..query.clone() }.href(1);
        view! {
            <div class="zone-filter">
                <input type="hidden" name="zone" value=zone.to_string()/>
                <p>"Dans la zone choisie sur la carte. " <a href=without>"Retirer la zone"</a></p>
            </div>
        }
    })
}

/// "Recevoir ces offres par e-mail": saves the filters shown as an alert.
fn alert_form(query: &BoardQuery, names: Names, viewer: Viewer) -> impl IntoView + use<> {
    AlertBox {
        subject: AlertSubject::Offers,
        heading: "Recevoir ces offres par e-mail",
        described: describe(query, names),
        search: query.query_string(),
        here: query.href(1),
        news: "les nouvelles offres de cette recherche",
        frequency: Frequency::Daily,
    }
    .view(viewer)
}
