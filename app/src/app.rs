//! The HTML shell, the layout and the route table (its paths are the pages' addresses, the
//! same constants their links fill).

use crate::components::NotFound;
use crate::domain::Address;
use crate::domain::accounts::{Viewer, get_viewer, paths};
use crate::domain::aids::paths as aid_paths;
use crate::domain::alerts::paths as alert_paths;
use crate::domain::applications::paths as application_paths;
use crate::domain::events::paths as event_paths;
use crate::domain::housing::paths as housing_paths;
use crate::domain::map::paths as map_paths;
use crate::domain::offers::paths as offer_paths;
use crate::domain::open_data::paths as open_paths;
use crate::domain::organisations::paths as organisation_paths;
use crate::domain::promotion::paths as promotion_paths;
use crate::domain::reviews::paths as review_paths;
use crate::domain::stages::paths as stage_paths;
use crate::domain::territory::paths as territory_paths;
use crate::pages::{
    AccountPage, AidsPage, CommunePage, DepartementPage, EpciPage, ForgotPasswordPage, HomePage, MapPage, MapTextPage,
    NewPasswordPage, OutcomesPage, PrivacyPage, ProfilePage, RegionPage, SearchPage, SignInPage, SignUpPage,
};
use crate::pages::{AlertsPage, ApplicationPage, MyApplicationsPage, ReceivedApplicationsPage, UnsubscribePage};
use crate::pages::{BoardPage, EditOfferPage, NewOfferPage, OfferCandidatesPage, OfferPage, WishesPage};
use crate::pages::{CasePage, CasesPage, GuichetsPage, PromotionEditorPage, PromotionPreviewPage};
use crate::pages::{EditAidPage, ModerationAidsPage, OrganisationAidsPage};
use crate::pages::{
    EventPage, EventsPage, HousingPage, InternsPage, OpenApiPage, OrganisationEventsPage, OrganisationHousingPage,
    OrganisationStageSitesPage, StageSitePage,
};
use crate::pages::{InvitationPage, ModerationPage, NewOrganisationPage, OrganisationPage, OrganisationsPage};
use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, provide_meta_context};
use leptos_router::{
    SsrMode,
    components::{Route, Router, Routes},
};

pub const SITE_NAME: &str = "Médecins & Territoires";

/// Without JavaScript: what only scripts make work is hidden and its text alternative shown.
pub const NO_SCRIPT_CSS: &str = "/sans-javascript.css";

/// The whole document, rendered on the server around the app.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    crate::components::render_islands_only();
    view! {
        <!DOCTYPE html>
        <html lang="fr">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <AutoReload options/>
                <MetaTags/>
                <noscript><link rel="stylesheet" href=NO_SCRIPT_CSS/></noscript>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Stylesheet id="leptos" href="/pkg/portail.css"/>
        <Router>
            <a class="skip-link" href="#contenu">"Aller au contenu"</a>
            <header class="site-header">
                <div class="wrap">
                    <a class="brand" href=territory_paths::HOME>{SITE_NAME}</a>
                    // A menu button on phones, without JavaScript: the links are a <details>'s
                    // content, which wide screens show inline (style/main.css).
                    <details class="site-menu">
                        <summary>"Menu"</summary>
                        <nav aria-label="Navigation principale">
                        <ul>
                            <li><a href=territory_paths::REGION>"Occitanie"</a></li>
                            <li><a href=offer_paths::BOARD>"Offres"</a></li>
                            <li><a href=map_paths::MAP>"Carte"</a></li>
                            <li><a href=aid_paths::AIDS>"Aides"</a></li>
                            <li><a href=event_paths::EVENTS>"Événements"</a></li>
                            <li><a href=territory_paths::SEARCH>"Rechercher une commune"</a></li>
                            <AccountNav/>
                        </ul>
                        </nav>
                    </details>
                </div>
            </header>
            <main id="contenu" class="wrap">
                <Routes fallback=|| view! { <NotFound/> }>
                    <Route path=Address(territory_paths::HOME) view=HomePage ssr=SsrMode::Async/>
                    <Route path=Address(territory_paths::SEARCH) view=SearchPage ssr=SsrMode::Async/>
                    <Route path=Address(map_paths::MAP) view=MapPage ssr=SsrMode::Async/>
                    <Route path=Address(map_paths::MAP_TEXT) view=MapTextPage ssr=SsrMode::Async/>
                    <Route path=Address(aid_paths::AIDS) view=AidsPage ssr=SsrMode::Async/>
                    <Route path=Address(event_paths::EVENTS) view=EventsPage ssr=SsrMode::Async/>
                    <Route path=Address(open_paths::OPEN_API) view=OpenApiPage ssr=SsrMode::Async/>
                    <Route path=event_paths::EVENT view=EventPage ssr=SsrMode::Async/>
                    <Route path=event_paths::ORGANISATION view=OrganisationEventsPage ssr=SsrMode::Async/>
                    <Route path=Address(stage_paths::INTERNS) view=InternsPage ssr=SsrMode::Async/>
                    <Route path=stage_paths::SITE view=StageSitePage ssr=SsrMode::Async/>
                    <Route path=stage_paths::ORGANISATION view=OrganisationStageSitesPage ssr=SsrMode::Async/>
                    <Route path=housing_paths::HOUSING view=HousingPage ssr=SsrMode::Async/>
                    <Route path=Address(review_paths::MODERATION) view=crate::pages::ReviewModerationPage ssr=SsrMode::Async/>
                    <Route path=housing_paths::ORGANISATION view=OrganisationHousingPage ssr=SsrMode::Async/>
                    <Route path=territory_paths::REGION_PAGE view=RegionPage ssr=SsrMode::Async/>
                    <Route path=territory_paths::DEPARTEMENT_PAGE view=DepartementPage ssr=SsrMode::Async/>
                    <Route path=territory_paths::EPCI_PAGE view=EpciPage ssr=SsrMode::Async/>
                    <Route path=territory_paths::COMMUNE_PAGE view=CommunePage ssr=SsrMode::Async/>
                    <Route path=territory_paths::REGION_OUTCOMES view=|| view! { <OutcomesPage kind="region"/> } ssr=SsrMode::Async/>
                    <Route path=territory_paths::DEPARTEMENT_OUTCOMES view=|| view! { <OutcomesPage kind="departement"/> } ssr=SsrMode::Async/>
                    <Route path=territory_paths::EPCI_OUTCOMES view=|| view! { <OutcomesPage kind="epci"/> } ssr=SsrMode::Async/>
                    <Route path=territory_paths::COMMUNE_OUTCOMES view=|| view! { <OutcomesPage kind="commune"/> } ssr=SsrMode::Async/>
                    <Route path=Address(paths::SIGN_UP) view=SignUpPage ssr=SsrMode::Async/>
                    <Route path=Address(paths::SIGN_IN) view=SignInPage ssr=SsrMode::Async/>
                    <Route path=Address(paths::ACCOUNT) view=AccountPage ssr=SsrMode::Async/>
                    <Route path=Address(paths::FORGOT_PASSWORD) view=ForgotPasswordPage ssr=SsrMode::Async/>
                    <Route path=Address(paths::NEW_PASSWORD) view=NewPasswordPage ssr=SsrMode::Async/>
                    <Route path=Address(paths::PROFILE) view=ProfilePage ssr=SsrMode::Async/>
                    <Route path=Address(paths::WISHES) view=WishesPage ssr=SsrMode::Async/>
                    <Route path=Address(alert_paths::MINE) view=AlertsPage ssr=SsrMode::Async/>
                    <Route path=Address(alert_paths::UNSUBSCRIBE) view=UnsubscribePage ssr=SsrMode::Async/>
                    <Route path=Address(paths::PRIVACY) view=PrivacyPage/>
                    <Route path=Address(organisation_paths::LIST) view=OrganisationsPage ssr=SsrMode::Async/>
                    <Route path=Address(organisation_paths::NEW) view=NewOrganisationPage ssr=SsrMode::Async/>
                    <Route path=Address(organisation_paths::INVITATION) view=InvitationPage ssr=SsrMode::Async/>
                    <Route path=organisation_paths::ORGANISATION view=OrganisationPage ssr=SsrMode::Async/>
                    <Route path=offer_paths::NEW view=NewOfferPage ssr=SsrMode::Async/>
                    <Route path=Address(offer_paths::BOARD) view=BoardPage ssr=SsrMode::Async/>
                    <Route path=offer_paths::OFFER view=OfferPage ssr=SsrMode::Async/>
                    <Route path=offer_paths::EDIT view=EditOfferPage ssr=SsrMode::Async/>
                    <Route path=offer_paths::CANDIDATES view=OfferCandidatesPage ssr=SsrMode::Async/>
                    <Route path=application_paths::RECEIVED view=ReceivedApplicationsPage ssr=SsrMode::Async/>
                    <Route path=Address(application_paths::MINE) view=MyApplicationsPage ssr=SsrMode::Async/>
                    <Route path=application_paths::APPLICATION view=ApplicationPage ssr=SsrMode::Async/>
                    <Route path=Address(organisation_paths::MODERATION) view=ModerationPage ssr=SsrMode::Async/>
                    <Route path=Address(aid_paths::MODERATION) view=ModerationAidsPage ssr=SsrMode::Async/>
                    <Route path=aid_paths::ORGANISATION view=OrganisationAidsPage ssr=SsrMode::Async/>
                    <Route path=aid_paths::EDIT view=EditAidPage ssr=SsrMode::Async/>
                    <Route path=promotion_paths::EDITOR view=PromotionEditorPage ssr=SsrMode::Async/>
                    <Route path=promotion_paths::PREVIEW view=PromotionPreviewPage ssr=SsrMode::Async/>
                    <Route path=Address(promotion_paths::GUICHETS) view=GuichetsPage ssr=SsrMode::Async/>
                    <Route path=Address(promotion_paths::CASES) view=CasesPage ssr=SsrMode::Async/>
                    <Route path=promotion_paths::CASE view=CasePage ssr=SsrMode::Async/>
                </Routes>
            </main>
            <footer class="site-footer">
                <div class="wrap">
                    <p>
                        {SITE_NAME}
                        " — un portail ouvert contre les déserts médicaux, pour trouver où exercer et accueillir les médecins."
                    </p>
                    <p>
                        "Données publiques : INSEE et DGCL (découpage, populations), DREES (APL), ARS Occitanie (zonage), "
                        "FINESS (établissements), IGN (contours). Licence Ouverte Etalab."
                    </p>
                    <p>
                        <a href=promotion_paths::GUICHETS>"Guichet unique : les territoires qui ont un référent"</a>
                        " · "
                        <a href=paths::PRIVACY>"Confidentialité et données personnelles"</a>
                        " · "
                        <a href=open_paths::OPEN_API>"API ouverte et flux"</a>
                    </p>
                </div>
            </footer>
        </Router>
    }
}

/// "Se connecter / Créer un compte", or "Mon compte" once signed in.
#[component]
fn AccountNav() -> impl IntoView {
    let viewer = Resource::new(|| (), |_| get_viewer());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match viewer.await {
                    Ok(Viewer { user: Some(_), .. }) => view! { <li><a href=paths::ACCOUNT>"Mon compte"</a></li> }.into_any(),
                    _ => view! {
                        <li><a href=paths::SIGN_IN>"Se connecter"</a></li>
                        <li><a href=paths::SIGN_UP>"Créer un compte"</a></li>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
