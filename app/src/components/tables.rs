//! Lists of communes and of health structures.

use crate::components::{AplValue, SourceNote, ZonageBadge};
use crate::domain::territory::listing::{ANCHOR, CommuneListing, CommuneOrder, ZonageFilter, params};
use crate::domain::territory::{CommuneRow, Structure};
use crate::format;
use crate::model::sources;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The communes of a territory page: a form to keep one zoning class and choose the order, then
/// one page of the table, and links to the other pages. Plain GET: no script needed.
#[component]
pub fn CommuneTable(communes: Vec<CommuneRow>, caption: String, path: String) -> impl IntoView {
    let query = use_query_map();
    let (listing, problems) = query.with_untracked(|q| CommuneListing::read(|name| q.get(name)));
    let shown = listing.apply(communes, problems);
    let count = match shown.matching {
        0 => "aucune commune".to_owned(),
        1 => "1 commune".to_owned(),
        n => format!("{} communes", format::int(n as i64)),
    };
    let kept = match listing.zonage {
        ZonageFilter::All => String::new(),
        ZonageFilter::Zone(z) => format!(" en {} sur {}", z.short_label(), format::int(shown.total as i64)),
        ZonageFilter::Unclassified => format!(" non classées sur {}", format::int(shown.total as i64)),
    };
    let pages = (shown.pages > 1).then(|| format!(", page {} sur {}", shown.page, shown.pages));
    let caption = format!("{caption} : {count}{kept}{}", pages.unwrap_or_default());
    let problems =
        shown.problems.iter().map(|p| view! { <p class="form-problem" role="alert">{*p}</p> }).collect_view();
    let zonage_options = ZonageFilter::CHOICES
        .into_iter()
        .map(|f| view! { <option value=f.code() selected=f == listing.zonage>{f.label()}</option> })
        .collect_view();
    let order_options = CommuneOrder::ALL
        .into_iter()
        .map(|o| view! { <option value=o.code() selected=o == listing.order>{o.label()}</option> })
        .collect_view();
    let form = (shown.total > CommuneListing::PER_PAGE / 5).then(|| {
        view! {
            <form class="filters" method="get" action=format!("{path}#{ANCHOR}") aria-label="Choisir les communes affichées">
                <div>
                    <label for="communes-zonage">"Zonage"</label>
                    <select id="communes-zonage" name=params::ZONAGE>{zonage_options}</select>
                </div>
                <div>
                    <label for="communes-tri">"Ordre"</label>
                    <select id="communes-tri" name=params::ORDER>{order_options}</select>
                </div>
                <div class="actions"><button type="submit">"Afficher"</button></div>
            </form>
        }
    });
    let pager = (shown.pages > 1).then(|| {
        let previous = (shown.page > 1)
            .then(|| view! { <a rel="prev" href=listing.href(&path, shown.page - 1)>"Communes précédentes"</a> });
        let next = (shown.page < shown.pages)
            .then(|| view! { <a rel="next" href=listing.href(&path, shown.page + 1)>"Communes suivantes"</a> });
        view! {
            <nav class="pager" aria-label="Pages des communes">
                {previous}
                <span>{format!("Page {} sur {}", shown.page, shown.pages)}</span>
                {next}
            </nav>
        }
    });
    let rows = shown
        .rows
        .into_iter()
        .map(|c| {
            view! {
                <tr>
                    <th scope="row"><a href=c.link.path>{c.link.name}</a></th>
                    <td class="num">{format::int(c.population)}</td>
                    <td><ZonageBadge zonage=c.zonage/></td>
                    <td class="num"><AplValue apl=c.apl_2023/></td>
                </tr>
            }
        })
        .collect_view();
    view! {
        {form}
        {problems}
        <div class="table-scroll">
            <table class="data">
                <caption>{caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">"Commune"</th>
                        <th scope="col" class="num">"Habitants"</th>
                        <th scope="col">"Zonage"</th>
                        <th scope="col" class="num">"APL 2023"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        {pager}
        <p class="source">
            "Sources : " {sources::INSEE_POPULATION.producer} " (population), "
            {sources::ARS_ZONAGE.producer} " (zonage, " {sources::ARS_ZONAGE.date} "), "
            {sources::DREES_APL_2023.producer} " (APL 2023)."
        </p>
    }
}

#[component]
pub fn StructureList(structures: Vec<Structure>, empty: &'static str) -> impl IntoView {
    if structures.is_empty() {
        return view! { <p>{empty}</p> }.into_any();
    }
    let items = structures
        .into_iter()
        .map(|s| {
            let distance = s.distance_km.map(|d| format!(" — à {} km", format::dec(d, 1)));
            view! {
                <li>
                    <strong>{s.name}</strong>
                    <span class="kind">" · " {s.kind.label()}</span>
                    <br/>
                    <span class="muted">
                        {s.category} " — " {s.address} ", " <a href=s.commune.path>{s.commune.name}</a>
                        {distance}
                    </span>
                </li>
            }
        })
        .collect_view();
    view! {
        <ul class="structures">{items}</ul>
        <SourceNote source=sources::FINESS/>
    }
    .into_any()
}
