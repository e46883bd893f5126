//! Pieces of the application pages: the outcome of the last form, a status badge, an
//! application's line in a list.

use crate::components::{CommonCodes, outcome};
use crate::domain::applications::{ApplicationCard, ApplicationNotice, ApplicationProblem, ApplicationStatus, paths};
use crate::format;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// What the redirect after an application form said (`?erreur=…` or `?info=…`), in French:
/// the application codes, then the codes common to every form (unless `own_codes_only`: a page
/// that shows them already); unknown codes show nothing.
#[component]
pub fn ApplicationOutcome(#[prop(optional)] own_codes_only: bool) -> impl IntoView {
    let common = if own_codes_only { CommonCodes::LeftToAnother } else { CommonCodes::Said };
    outcome::<ApplicationProblem, ApplicationNotice>(common)
}

/// The message typed before a refusal, brought back by the address.
pub fn typed_message() -> String {
    use_query_map().with_untracked(|q| q.get("message").unwrap_or_default())
}

/// An application's status.
#[component]
pub fn ApplicationStatusBadge(status: ApplicationStatus) -> impl IntoView {
    let class = match status {
        ApplicationStatus::Acceptee => "badge ok",
        ApplicationStatus::Refusee | ApplicationStatus::Retiree => "badge refused",
        _ => "badge todo",
    };
    view! { <span class=class data-status=status.code()>{status.label()}</span> }
}

/// A table of applications: for the candidate (offer, organisation) or for the organisation
/// (offer, candidate).
#[component]
pub fn ApplicationTable(cards: Vec<ApplicationCard>, for_organisation: bool, caption: String) -> impl IntoView {
    let rows = cards
        .into_iter()
        .map(|card| {
            let who = if for_organisation { card.candidate_name.clone() } else { card.organisation_name.clone() };
            view! {
                <tr>
                    <td><a href=paths::APPLICATION.of(card.id)>{card.offer_title.clone()}</a></td>
                    <td>{who}</td>
                    <td><ApplicationStatusBadge status=card.status/></td>
                    <td>{format::date(card.created_at)}</td>
                    <td>{if card.has_cv { "oui" } else { "non" }}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="data">
            <caption class="visually-hidden">{caption}</caption>
            <thead>
                <tr>
                    <th scope="col">"Offre"</th>
                    <th scope="col">{if for_organisation { "Candidat ou candidate" } else { "Organisation" }}</th>
                    <th scope="col">"Statut"</th>
                    <th scope="col">"Envoyée le"</th>
                    <th scope="col">"CV"</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
}
