//! The HTML shell, the layout and the route table.

use crate::components::NotFound;
use crate::domain::accounts::{Viewer, get_viewer, paths};
use crate::domain::aids::paths as aid_paths;
use crate::domain::events::paths as event_paths;
use crate::domain::map::paths as map_paths;
use crate::domain::offers::paths as offer_paths;
use crate::domain::territory::paths as territory_paths;
use crate::pages::{
    AccountPage, AidsPage, CommunePage, DepartementPage, EpciPage, ForgotPasswordPage, HomePage, MapPage,
    NewPasswordPage, OutcomesPage, PrivacyPage, ProfilePage, RegionPage, SearchPage, SignInPage, SignUpPage,
};
use crate::pages::{AlertsPage, ApplicationPage, MyApplicationsPage, ReceivedApplicationsPage};
use crate::pages::{BoardPage, EditOfferPage, NewOfferPage, OfferCandidatesPage, OfferPage, WishesPage};
use crate::pages::{CasePage, CasesPage, PromotionEditorPage, PromotionPreviewPage};
use crate::pages::{EditAidPage, ModerationAidsPage, OrganisationAidsPage};
use crate::pages::{EventPage, EventsPage, OpenApiPage, OrganisationEventsPage};
use crate::pages::{InvitationPage, ModerationPage, NewOrganisationPage, OrganisationPage, OrganisationsPage};
use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, provide_meta_context};
use leptos_router::{
    SsrMode,
    components::{Route, Router, Routes},
    path,
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
                    <nav aria-label="Navigation principale">
                        <ul>
                            <li><a href=territory_paths::HOME>"Accueil"</a></li>
                            <li><a href=territory_paths::REGION>"Occitanie"</a></li>
                            <li><a href=offer_paths::BOARD>"Offres"</a></li>
                            <li><a href=map_paths::MAP>"Carte"</a></li>
                            <li><a href=aid_paths::AIDS>"Aides"</a></li>
                            <li><a href=event_paths::EVENTS>"Événements"</a></li>
                            <li><a href=territory_paths::SEARCH>"Rechercher une commune"</a></li>
                            <AccountNav/>
                        </ul>
                    </nav>
                </div>
            </header>
            <main id="contenu" class="wrap">
                <Routes fallback=|| view! { <NotFound/> }>
                    <Route path=path!("/") view=HomePage ssr=SsrMode::Async/>
                    <Route path=path!("/recherche") view=SearchPage ssr=SsrMode::Async/>
                    <Route path=path!("/carte") view=MapPage ssr=SsrMode::Async/>
                    <Route path=path!("/aides") view=AidsPage ssr=SsrMode::Async/>
                    <Route path=path!("/evenements") view=EventsPage ssr=SsrMode::Async/>
                    <Route path=path!("/api") view=OpenApiPage ssr=SsrMode::Async/>
                    <Route path=path!("/evenements/:id") view=EventPage ssr=SsrMode::Async/>
                    <Route path=path!("/organisations/:id/evenements") view=OrganisationEventsPage ssr=SsrMode::Async/>
                    <Route path=path!("/regions/:key") view=RegionPage ssr=SsrMode::Async/>
                    <Route path=path!("/departements/:key") view=DepartementPage ssr=SsrMode::Async/>
                    <Route path=path!("/epci/:key") view=EpciPage ssr=SsrMode::Async/>
                    <Route path=path!("/communes/:key") view=CommunePage ssr=SsrMode::Async/>
                    <Route path=path!("/regions/:key/bilan") view=|| view! { <OutcomesPage kind="region"/> } ssr=SsrMode::Async/>
                    <Route path=path!("/departements/:key/bilan") view=|| view! { <OutcomesPage kind="departement"/> } ssr=SsrMode::Async/>
                    <Route path=path!("/epci/:key/bilan") view=|| view! { <OutcomesPage kind="epci"/> } ssr=SsrMode::Async/>
                    <Route path=path!("/communes/:key/bilan") view=|| view! { <OutcomesPage kind="commune"/> } ssr=SsrMode::Async/>
                    <Route path=path!("/inscription") view=SignUpPage ssr=SsrMode::Async/>
                    <Route path=path!("/connexion") view=SignInPage ssr=SsrMode::Async/>
                    <Route path=path!("/compte") view=AccountPage ssr=SsrMode::Async/>
                    <Route path=path!("/compte/mot-de-passe-oublie") view=ForgotPasswordPage ssr=SsrMode::Async/>
                    <Route path=path!("/compte/nouveau-mot-de-passe") view=NewPasswordPage ssr=SsrMode::Async/>
                    <Route path=path!("/compte/profil") view=ProfilePage ssr=SsrMode::Async/>
                    <Route path=path!("/compte/recherche") view=WishesPage ssr=SsrMode::Async/>
                    <Route path=path!("/compte/alertes") view=AlertsPage ssr=SsrMode::Async/>
                    <Route path=path!("/confidentialite") view=PrivacyPage/>
                    <Route path=path!("/organisations") view=OrganisationsPage ssr=SsrMode::Async/>
                    <Route path=path!("/organisations/nouvelle") view=NewOrganisationPage ssr=SsrMode::Async/>
                    <Route path=path!("/organisations/invitation") view=InvitationPage ssr=SsrMode::Async/>
                    <Route path=path!("/organisations/:id") view=OrganisationPage ssr=SsrMode::Async/>
                    <Route path=path!("/organisations/:id/offres/nouvelle") view=NewOfferPage ssr=SsrMode::Async/>
                    <Route path=path!("/offres") view=BoardPage ssr=SsrMode::Async/>
                    <Route path=path!("/offres/:offre") view=OfferPage ssr=SsrMode::Async/>
                    <Route path=path!("/offres/:offre/modification") view=EditOfferPage ssr=SsrMode::Async/>
                    <Route path=path!("/offres/:offre/candidats") view=OfferCandidatesPage ssr=SsrMode::Async/>
                    <Route path=path!("/organisations/:id/candidatures") view=ReceivedApplicationsPage ssr=SsrMode::Async/>
                    <Route path=path!("/candidatures") view=MyApplicationsPage ssr=SsrMode::Async/>
                    <Route path=path!("/candidatures/:id") view=ApplicationPage ssr=SsrMode::Async/>
                    <Route path=path!("/moderation") view=ModerationPage ssr=SsrMode::Async/>
                    <Route path=path!("/moderation/aides") view=ModerationAidsPage ssr=SsrMode::Async/>
                    <Route path=path!("/organisations/:id/aides") view=OrganisationAidsPage ssr=SsrMode::Async/>
                    <Route path=path!("/aides/:aide/modification") view=EditAidPage ssr=SsrMode::Async/>
                    <Route path=path!("/organisations/:id/territoire") view=PromotionEditorPage ssr=SsrMode::Async/>
                    <Route path=path!("/organisations/:id/territoire/apercu") view=PromotionPreviewPage ssr=SsrMode::Async/>
                    <Route path=path!("/dossiers") view=CasesPage ssr=SsrMode::Async/>
                    <Route path=path!("/dossiers/:id") view=CasePage ssr=SsrMode::Async/>
                </Routes>
            </main>
            <footer class="site-footer">
                <div class="wrap">
                    <p>
                        {SITE_NAME}
                        " — un portail ouvert contre les déserts médicaux, pour trouver où exercer et accueillir les médecins."
                    </p>
                    <p>
                        "Données publiques : INSEE et DGCL (découpage, populations), DREES (APL), ARS Occitanie (zonage), "
                        "FINESS (établissements), IGN (contours). Licence Ouverte Etalab."
                    </p>
                    <p>
                        <a href=paths::PRIVACY>"Confidentialité et données personnelles"</a>
                        " · "
                        <a href=crate::pages::OPEN_API_PATH>"API ouverte et flux"</a>
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
