use crate::components::{
    BarChart, Breadcrumb, CommuneAids, OfferCardView, OutcomesLink, Seo, Series, SourceNote, StationsCard,
    StructureList, TerritoryMap, TerritoryPromotion, ZonageBadge, home_crumb, territory_ld,
};
use crate::domain::map::MapFocus;
use crate::domain::offers::{DEFAULT_RADIUS_KM, get_commune_offers, paths as offer_paths};
use crate::domain::territory::{APL_THRESHOLD, AplAverage, AplYear, CommunePage as Commune, NEARBY_KM, get_commune};
use crate::format;
use crate::model::sources;
use leptos::prelude::*;

#[component]
pub fn CommunePage() -> impl IntoView {
    super::territory_page(
        |k| get_commune(k.code, k.slug),
        |located| {
            let canonical = located.url(&located.page.path);
            let departement_url = located.url(&located.page.departement.path);
            let page = located.page;
            let place = vec![
                ("geo", serde_json::json!({"@type": "GeoCoordinates", "latitude": page.lat, "longitude": page.lon})),
                (
                    "containedInPlace",
                    serde_json::json!({"@type": "AdministrativeArea", "name": page.departement.name, "url": departement_url}),
                ),
            ];
            let ld = territory_ld("City", &page.name, &canonical, &page.code, place);
            let description = describe(&page);
            view! {
                <Seo
                    title=format!("Médecin à {} ({}) : zonage, accès aux soins", page.name, page.departement.name)
                    description
                    canonical
                    json_ld=ld
                />
                <CommuneView page/>
            }
        },
    )
}

fn describe(page: &Commune) -> String {
    let zonage = page.zonage.map(|z| z.label()).unwrap_or("non classée par l'ARS");
    let apl = page.apl.last().map(|a| format!(", APL {} en {}", format::dec(a.apl, 2), a.year)).unwrap_or_default();
    format!(
        "{} ({}, {}) : {} habitants, {}{} ; structures de santé dans la commune et à moins de 15 km.",
        page.name,
        page.postal_codes.join(", "),
        page.departement.name,
        format::int(page.population),
        zonage,
        apl
    )
}

#[component]
fn CommuneView(page: Commune) -> impl IntoView {
    let density = if page.surface_km2 > 0.0 { page.population as f64 / page.surface_km2 } else { 0.0 };
    let zonage_text = page.zonage.map(|z| (z.label(), z.explanation()));
    view! {
        <Breadcrumb
            trail=[home_crumb(), page.region.crumb(), page.departement.crumb()].into_iter().chain(page.epci.as_ref().map(|e| e.crumb())).collect()
            here=page.name.clone()
        />
        <h1>{page.name.clone()}</h1>
        <p class="lead">
            "Commune du département " <a href=page.departement.path.clone()>{page.departement.name.clone()}</a>
            {page.epci.clone().map(|e| view! { ", membre de l'intercommunalité " <a href=e.path>{e.name}</a> })}
            " — code INSEE " {page.code.clone()} ", code postal " {page.postal_codes.join(", ")} "."
        </p>
        <section aria-labelledby="chiffres-cles">
            <h2 id="chiffres-cles">"Chiffres clés"</h2>
            <div class="cards">
                <div class="card">
                    <p class="figure" data-figure="population">{format::int(page.population)}</p>
                    <p class="label">"habitants"</p>
                    <SourceNote source=sources::INSEE_POPULATION/>
                </div>
                <div class="card">
                    <p class="figure">{format::dec(page.surface_km2, 1)} " km²"</p>
                    <p class="label">{format::int(density.round() as i64)} " habitants par km²"</p>
                    <p class="source">"Source : IGN, ADMIN EXPRESS COG 2018 mis à jour COG 2026 (surface calculée)"</p>
                </div>
                {page.stations.clone().map(|stations| view! { <StationsCard stations/> })}
            </div>
        </section>
        <CommuneOffers code=page.code.clone() name=page.name.clone()/>
        <section aria-labelledby="zonage">
            <h2 id="zonage">"Zonage des médecins généralistes"</h2>
            {match zonage_text {
                Some((label, explanation)) => view! {
                    <p><ZonageBadge zonage=page.zonage/> " " <strong>{label}</strong></p>
                    <p>{explanation}</p>
                }.into_any(),
                None => view! {
                    <p><ZonageBadge zonage=None/> " Cette commune ne figure pas dans le fichier de zonage dont nous disposons. "
                    "Renseignez-vous auprès de l'ARS Occitanie."</p>
                }.into_any(),
            }}
            <SourceNote source=sources::ARS_ZONAGE/>
        </section>
        <TerritoryPromotion kind="commune" code=page.code.clone() here=page.path.clone() epci=page.epci.clone() departements=vec![page.departement.clone()]/>
        <OutcomesLink path=page.path.clone()/>
        <CommuneAids code=page.code.clone()/>
        <super::CommuneEvents code=page.code.clone()/>
        <super::CommuneStageSites code=page.code.clone()/>
        <TerritoryMap focus=MapFocus::Commune(page.code.clone()) title=format!("Carte : {} et ses environs", page.name)/>
        <section aria-labelledby="apl">
            <h2 id="apl">"Accès aux médecins généralistes (APL)"</h2>
            <AplSection apl=page.apl.clone()/>
            <AplCompared name=page.name.clone() apl=page.apl around=page.apl_around/>
        </section>
        <section aria-labelledby="structures">
            <h2 id="structures">"Structures de santé dans la commune"</h2>
            <StructureList structures=page.structures_here empty="Aucune maison de santé, aucun centre de santé ni établissement de santé enregistré dans FINESS pour cette commune."/>
        </section>
        <section aria-labelledby="alentours">
            <h2 id="alentours">"À moins de " {format::int(NEARBY_KM as i64)} " km"</h2>
            <StructureList structures=page.structures_nearby empty="Aucune structure de santé enregistrée dans FINESS à moins de 15 km."/>
        </section>
    }
}

#[component]
fn AplSection(apl: Vec<AplYear>) -> impl IntoView {
    let Some(latest) = apl.last().cloned() else {
        return view! { <p>"Pas de mesure d'APL pour cette commune."</p> }.into_any();
    };
    let previous = apl.iter().rev().nth(1).cloned();
    let trend = previous.map(|p| {
        let delta = latest.apl - p.apl;
        let word = if delta > 0.005 {
            "en hausse"
        } else if delta < -0.005 {
            "en baisse"
        } else {
            "stable"
        };
        format!("{} en {} → {} en {} ({word}).", format::dec(p.apl, 2), p.year, format::dec(latest.apl, 2), latest.year)
    });
    let meaning = if latest.apl < APL_THRESHOLD {
        "C'est sous le seuil de 2,5 : la commune est considérée comme sous-dotée en médecins généralistes (« désert médical »)."
    } else {
        "C'est au-dessus du seuil de 2,5 sous lequel une commune est considérée comme sous-dotée."
    };
    let class = if latest.apl < APL_THRESHOLD { "figure low" } else { "figure" };
    view! {
        <div class="cards">
            <div class="card">
                <p class=class data-figure="apl">{format::dec(latest.apl, 2)}</p>
                <p class="label">"consultations ou visites de généraliste accessibles par habitant et par an (" {latest.year} ")"</p>
                <SourceNote source=sources::DREES_APL_2023/>
            </div>
            <div class="card">
                <p class="figure">{format::dec(latest.apl_under65, 2)}</p>
                <p class="label">"en ne comptant que les médecins de 65 ans ou moins (" {latest.year} ")"</p>
                <SourceNote source=sources::DREES_APL_2023/>
            </div>
        </div>
        {trend.map(|t| view! { <p>"Évolution : " {t}</p> <p class="source">"Source : DREES, APL 2022 et 2023"</p> })}
        <p><strong>{meaning}</strong></p>
        <p class="muted">
            "L'APL (accessibilité potentielle localisée) mesure l'offre de médecins généralistes accessible "
            "aux habitants, en tenant compte de l'activité des médecins, de la distance et des besoins de la population selon son âge. "
            "La moyenne régionale est proche de 4."
        </p>
    }
    .into_any()
}

/// The commune's APL against its département's and its region's, 2022 → 2023, as a chart and
/// its table.
#[component]
fn AplCompared(name: String, apl: Vec<AplYear>, around: Vec<AplAverage>) -> impl IntoView {
    let years: Vec<i64> = apl.iter().map(|a| a.year).collect();
    if years.is_empty() {
        return ().into_any();
    }
    let value_in = |values: &[(i64, f64)], year: i64| values.iter().find(|(y, _)| *y == year).map(|(_, v)| *v);
    let mine: Vec<(i64, f64)> = apl.iter().map(|a| (a.year, a.apl)).collect();
    let series =
        std::iter::once(Series { label: name.clone(), values: years.iter().map(|y| value_in(&mine, *y)).collect() })
            .chain(around.iter().map(|a| Series {
                label: a.name.clone(),
                values: years.iter().map(|y| value_in(&a.years, *y)).collect(),
            }))
            .collect();
    view! {
        <BarChart
            id="apl-comparee".to_owned()
            title=format!("APL de {name} comparée à celle de son département et de sa région")
            categories=years.iter().map(|y| y.to_string()).collect()
            series
            digits=2
            reference=(APL_THRESHOLD, "seuil de sous-dotation (2,5)".to_owned())
        />
        <p class="source">"Source : DREES, APL 2022 et 2023 ; moyennes pondérées par la population standardisée, comme le recommande la DREES."</p>
    }
    .into_any()
}

/// The commune's open offers, right after its key figures: what a doctor looking at the commune
/// wants first (the map's panel lists them too, much further down).
#[component]
fn CommuneOffers(code: String, name: String) -> impl IntoView {
    let board = format!("{}?commune={code}&rayon={}", offer_paths::BOARD, DEFAULT_RADIUS_KM);
    let offers = Resource::new(move || code.clone(), get_commune_offers);
    view! {
        <section aria-labelledby="offres-ici">
            <h2 id="offres-ici">{format!("Offres ouvertes à {name}")}</h2>
            <Suspense fallback=|| view! { <p class="loading">"Chargement…"</p> }>
                {move || {
                    let board = board.clone();
                    Suspend::new(async move {
                        match offers.await {
                            Ok(cards) if cards.is_empty() => view! {
                                <p data-offres-ici="0">"Aucune offre ouverte dans la commune pour l'instant. "
                                <a href=board>{format!("Les offres à moins de {DEFAULT_RADIUS_KM} km")}</a> "."</p>
                            }
                            .into_any(),
                            Ok(cards) => {
                                let count = cards.len();
                                let list = cards.into_iter().map(|card| view! { <OfferCardView card/> }).collect_view();
                                view! {
                                    <ul class="offer-list" data-offres-ici=count.to_string()>{list}</ul>
                                    <p><a href=board>{format!("Et à moins de {DEFAULT_RADIUS_KM} km")}</a></p>
                                }
                                .into_any()
                            }
                            Err(error) => crate::components::unavailable_view(error),
                        }
                    })
                }}
            </Suspense>
        </section>
    }
    .into_any()
}
