//! The opted-in candidates an offer's organisation may contact, ranked by how they fit it,
//! with the reasons. For the members of the organisation once moderation verified it.

use crate::components::{FitView, access_view, unavailable_view};
use crate::domain::candidates::{RankedCandidate, get_offer_candidates};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

#[component]
pub fn OfferCandidatesPage() -> impl IntoView {
    let params = use_params_map();
    let offer = params.with_untracked(|p| p.get("offre")).unwrap_or_default();
    let here = crate::domain::offers::paths::CANDIDATES.of(&offer);
    let ranked = Resource::new(move || offer.clone(), get_offer_candidates);
    view! {
        <Title text="Candidats pour une offre — Médecins & Territoires"/>
        <Meta name="robots" content="noindex"/>
        <h1>"Candidats qui pourraient convenir"</h1>
        <p class="lead">
            "Les médecins et internes qui ont accepté d'être vus par les recruteurs vérifiés, du plus proche de "
            "votre offre au moins proche, avec les raisons."
        </p>
        <Suspense fallback=super::loading>
            {move || {
                let here = here.clone();
                Suspend::new(async move {
                    match ranked.await {
                        Ok(access) => access_view(access, here, candidates_view),
                        Err(error) => unavailable_view(error),
                    }
                })
            }}
        </Suspense>
    }
}

fn candidates_view(ranked: Vec<RankedCandidate>) -> impl IntoView {
    if ranked.is_empty() {
        return view! { <p>"Aucun candidat visible pour l'instant."</p> }.into_any();
    }
    let rows = ranked
        .into_iter()
        .map(|candidate| {
            view! {
                <li class="offer-card">
                    <h2 class="candidate-name">{candidate.name.clone()}</h2>
                    <p>{candidate.profile.clone().unwrap_or_else(|| "Profil non renseigné".to_owned())}</p>
                    <p><a href=format!("mailto:{}", candidate.email)>{candidate.email.clone()}</a></p>
                    <FitView fit=candidate.fit/>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="offer-list">{rows}</ul> }.into_any()
}
