//! One module per route.

mod account;
mod aids;
mod alerts;
mod application;
mod applications;
mod board;
mod cases;
mod commune;
mod departement;
mod epci;
mod events;
mod forgot_password;
mod guichets;
mod home;
mod housing;
mod invitation;
mod local_aids;
mod map;
mod moderation;
mod new_organisation;
mod new_password;
mod offer;
mod offer_candidates;
mod offer_editor;
mod open_api;
mod organisation;
mod organisations;
mod outcomes;
mod privacy;
mod profile;
mod promotion_editor;
mod region;
mod reviews;
mod search;
mod sign_in;
mod sign_up;
mod stages;
mod wishes;

pub use account::AccountPage;
pub use aids::AidsPage;
pub use alerts::{AlertsPage, UnsubscribePage};
pub use application::ApplicationPage;
pub use applications::{MyApplicationsPage, ReceivedApplicationsPage};
pub use board::BoardPage;
pub use cases::{CasePage, CasesPage};
pub use commune::CommunePage;
pub use departement::DepartementPage;
pub use epci::EpciPage;
pub use events::{CommuneEvents, EventPage, EventsPage, OrganisationEventsPage};
pub use forgot_password::ForgotPasswordPage;
pub use guichets::GuichetsPage;
pub use home::HomePage;
pub use housing::{HousingNearby, HousingPage, OrganisationHousingPage};
pub use invitation::InvitationPage;
pub use local_aids::{EditAidPage, ModerationAidsPage, OrganisationAidsPage};
pub use map::{MapPage, MapTextPage};
pub use moderation::ModerationPage;
pub use new_organisation::NewOrganisationPage;
pub use new_password::NewPasswordPage;
pub use offer::OfferPage;
pub use offer_candidates::OfferCandidatesPage;
pub use offer_editor::{EditOfferPage, NewOfferPage};
pub use open_api::OpenApiPage;
pub use organisation::OrganisationPage;
pub use organisations::OrganisationsPage;
pub use outcomes::OutcomesPage;
pub use privacy::PrivacyPage;
pub use profile::ProfilePage;
pub use promotion_editor::{PromotionEditorPage, PromotionPreviewPage};
pub use region::RegionPage;
pub use reviews::{ReviewModerationPage, SiteReviewsSection};
pub use search::SearchPage;
pub use sign_in::SignInPage;
pub use sign_up::SignUpPage;
pub use stages::{CommuneStageSites, InternsPage, OrganisationStageSitesPage, StageSitePage};
pub use wishes::WishesPage;

use crate::components::{SignInFirst, access_view, lookup_view, unavailable_view};
use crate::domain::accounts::{Viewer, get_viewer};
use crate::domain::organisations::Access;
use crate::domain::territory::{Located, Lookup};
use crate::model::TerritoryKey;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// The `:key` segment of a territory address ("12202-rodez"), split into code and slug.
fn territory_key() -> Memo<TerritoryKey> {
    let params = use_params_map();
    Memo::new(move |_| TerritoryKey::split(&params.with(|p| p.get("key").unwrap_or_default())))
}

fn loading() -> impl IntoView {
    view! { <p class="loading">"Chargement…"</p> }
}

/// A territory's page: its content for the address' `:key` (`load(key)`), then
/// `found(located)`; a permanent redirect when the slug is not the territory's, « not found »
/// when the code is unknown (`lookup_view`).
fn territory_page<T, Fut, V>(
    load: impl Fn(TerritoryKey) -> Fut + Send + Sync + 'static,
    found: impl Fn(Located<T>) -> V + Clone + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + serde::Serialize + serde::de::DeserializeOwned + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<Lookup<T>, ServerFnError>> + Send + 'static,
    V: IntoView + 'static,
{
    let key = territory_key();
    let content = Resource::new(move || key.get(), load);
    view! {
        <Suspense fallback=loading>
            {move || {
                let found = found.clone();
                Suspend::new(async move { lookup_view(content.await, found) })
            }}
        </Suspense>
    }
}

/// The part of a signed-in person's page below its heading: the visitor and the page's
/// content (`load(key)`) fetched together, then `found(viewer, content)`, or what
/// `access_view` shows instead for `here` (sign in, moderators only, not found); either
/// failing to load shows « indisponible ».
fn with_access<K, T, Fut, V>(
    here: String,
    key: K,
    load: impl Fn(K) -> Fut + Send + Sync + 'static,
    found: impl Fn(Viewer, T) -> V + Clone + Send + Sync + 'static,
) -> impl IntoView
where
    K: Clone + PartialEq + Send + Sync + 'static,
    T: Clone + serde::Serialize + serde::de::DeserializeOwned + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<Access<T>, ServerFnError>> + Send + 'static,
    V: IntoView + 'static,
{
    let viewer = Resource::new(|| (), |_| get_viewer());
    let content = Resource::new(move || key.clone(), load);
    view! {
        <Suspense fallback=loading>
            {move || {
                let (here, found) = (here.clone(), found.clone());
                Suspend::new(async move {
                    match (viewer.await, content.await) {
                        (Ok(viewer), Ok(access)) => access_view(access, here, move |content| found(viewer, content)),
                        (Err(error), _) | (_, Err(error)) => unavailable_view(error),
                    }
                })
            }}
        </Suspense>
    }
}

/// The part of a person's own page below its heading (their profile, their wishes): the
/// visitor and what they saved (`load()`) fetched together, then `found(viewer, saved)`;
/// signed out, the invitation to sign in to do `what` and come back `here`.
fn with_own<T, Fut, V>(
    what: &'static str,
    here: &'static str,
    load: impl Fn() -> Fut + Send + Sync + 'static,
    found: impl Fn(Viewer, T) -> V + Clone + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + serde::Serialize + serde::de::DeserializeOwned + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<T, ServerFnError>> + Send + 'static,
    V: IntoView + 'static,
{
    // Both resources at the top and one Suspense: a resource made while another suspense
    // resolves can leave the server's async render waiting for ever.
    let viewer = Resource::new(|| (), |_| get_viewer());
    let saved = Resource::new(|| (), move |_| load());
    view! {
        <Suspense fallback=loading>
            {move || {
                let found = found.clone();
                Suspend::new(async move {
                    match (viewer.await, saved.await) {
                        (Ok(viewer), _) if viewer.user.is_none() => {
                            view! { <SignInFirst what back=here/> }.into_any()
                        }
                        (Ok(viewer), Ok(saved)) => found(viewer, saved).into_any(),
                        (Err(error), _) | (_, Err(error)) => unavailable_view(error),
                    }
                })
            }}
        </Suspense>
    }
}

/// Renders `body` once the visitor (and their form token) is known.
fn with_viewer<V: IntoView + 'static>(body: impl Fn(Viewer) -> V + Clone + Send + Sync + 'static) -> impl IntoView {
    let viewer = Resource::new(|| (), |_| get_viewer());
    view! {
        <Suspense fallback=loading>
            {move || {
                let body = body.clone();
                Suspend::new(async move {
                    match viewer.await {
                        Ok(viewer) => body(viewer).into_any(),
                        Err(error) => unavailable_view(error),
                    }
                })
            }}
        </Suspense>
    }
}
