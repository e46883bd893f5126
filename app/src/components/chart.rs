//! Bar charts drawn on the server as SVG, readable without JavaScript, each followed by the
//! table of its data (the chart is for the eye; the table is for everyone, screen readers
//! included).

use crate::format;
use leptos::prelude::*;

/// One series of values, one per category (None: no value).
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub label: String,
    pub values: Vec<Option<f64>>,
}

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 240.0;
const LEFT: f64 = 8.0;
const TOP: f64 = 20.0;
const BOTTOM: f64 = 34.0;

/// A grouped bar chart: `categories` along the bottom, one bar per series in each. `digits`
/// is how values are written; `reference` draws a labelled horizontal line (a threshold).
#[component]
pub fn BarChart(
    id: String,
    title: String,
    categories: Vec<String>,
    series: Vec<Series>,
    digits: usize,
    #[prop(optional)] reference: Option<(f64, String)>,
    #[prop(optional)] unit: &'static str,
) -> impl IntoView {
    let max = series
        .iter()
        .flat_map(|s| s.values.iter().flatten().copied())
        .chain(reference.as_ref().map(|(v, _)| *v))
        .fold(0.0_f64, f64::max);
    let max = if max > 0.0 { max * 1.12 } else { 1.0 };
    let plot_height = HEIGHT - TOP - BOTTOM;
    let y = move |v: f64| TOP + plot_height * (1.0 - v / max);
    let group_width = (WIDTH - LEFT * 2.0) / categories.len().max(1) as f64;
    let bar_width = (group_width * 0.8 / series.len().max(1) as f64).min(56.0);
    let write = move |v: f64| {
        format!("{}{unit}", if digits == 0 { format::int(v.round() as i64) } else { format::dec(v, digits) })
    };
    let mut bars = Vec::new();
    for (c, category) in categories.iter().enumerate() {
        let group_left = LEFT + group_width * c as f64 + (group_width - bar_width * series.len() as f64) / 2.0;
        for (s, one) in series.iter().enumerate() {
            let Some(value) = one.values.get(c).copied().flatten() else { continue };
            let x = group_left + bar_width * s as f64;
            let top = y(value);
            bars.push(view! {
                <g class=format!("bar series-{s}")>
                    <rect x=format!("{x:.1}") y=format!("{top:.1}") width=format!("{:.1}", bar_width - 3.0) height=format!("{:.1}", (TOP + plot_height - top).max(0.0))/>
                    <text x=format!("{:.1}", x + (bar_width - 3.0) / 2.0) y=format!("{:.1}", top - 4.0) text-anchor="middle">{write(value)}</text>
                </g>
            }.into_any());
        }
        bars.push(view! {
            <g class="axis">
                <text x=format!("{:.1}", LEFT + group_width * (c as f64 + 0.5)) y=format!("{:.1}", HEIGHT - 12.0) text-anchor="middle">{category.clone()}</text>
            </g>
        }.into_any());
    }
    let reference_line = reference.clone().map(|(value, label)| {
        let at = y(value);
        view! {
            <g class="reference">
                <line x1=format!("{LEFT:.1}") x2=format!("{:.1}", WIDTH - LEFT) y1=format!("{at:.1}") y2=format!("{at:.1}")/>
                <text x=format!("{:.1}", WIDTH - LEFT) y=format!("{:.1}", at - 4.0) text-anchor="end">{label}</text>
            </g>
        }
    });
    let legend = series
        .iter()
        .enumerate()
        .map(|(s, one)| view! { <li><span class=format!("swatch series-{s}") aria-hidden="true"></span> {one.label.clone()}</li> })
        .collect_view();
    let head = categories.iter().map(|c| view! { <th scope="col">{c.clone()}</th> }).collect_view();
    let rows = series
        .iter()
        .map(|one| {
            let cells = one
                .values
                .iter()
                .map(|v| view! { <td>{v.map(write).unwrap_or_else(|| "—".to_owned())}</td> })
                .collect_view();
            view! { <tr><th scope="row">{one.label.clone()}</th>{cells}</tr> }
        })
        .collect_view();
    let title_id = format!("{id}-titre");
    view! {
        <figure class="chart" id=id.clone()>
            <figcaption id=title_id.clone()>{title.clone()}</figcaption>
            <svg viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-labelledby=title_id.clone() preserveAspectRatio="xMidYMid meet">
                <title>{title.clone()}</title>
                <line class="baseline" x1=format!("{LEFT:.1}") x2=format!("{:.1}", WIDTH - LEFT) y1=format!("{:.1}", TOP + plot_height) y2=format!("{:.1}", TOP + plot_height)/>
                {bars}
                {reference_line}
            </svg>
            <ul class="legend">{legend}</ul>
            <table class="data chart-data">
                <caption class="visually-hidden">{format!("Données : {title}")}</caption>
                <thead><tr><th scope="col"><span class="visually-hidden">"Série"</span></th>{head}</tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </figure>
    }
    .into_any()
}
