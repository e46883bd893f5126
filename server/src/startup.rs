//! Builds the HTTP application: Leptos pages and server functions, plain endpoints, static
//! files, and the background workers beside it. `build` binds the listener, so tests can ask
//! for port 0 and read the real port.

use crate::accounts::Accounts;
use crate::aids::Aids;
use crate::applications::Applications;
use crate::candidates::Candidates;
use crate::clock::Clock;
use crate::config::Settings;
use crate::db::{Database, DbError};
use crate::events::Events;
use crate::http::routes::Route;
use crate::http::security::{self, SecurityHeaders};
use crate::http::session::{self, SessionState};
use crate::http::{self, HttpState, origin};
use crate::jobs::Workers;
use crate::jobs::mail::MailWorkerConfig;
use crate::mail::{MailError, Mailer};
use crate::map::Maps;
use crate::offers::Offers;
use crate::organisations::Organisations;
use crate::people::People;
use crate::promotion::Promotions;
use crate::search::{Indexer, SearchEngine, SearchError};
use crate::territory::Territories;
use app::app::{App, shell};
use app::domain::aids::{AidService, provide_aid_service};
use app::domain::alerts::{AlertService, provide_alert_service};
use app::domain::applications::{ApplicationService, provide_application_service};
use app::domain::candidates::{CandidateService, provide_candidate_service};
use app::domain::events::{EventService, provide_event_service};
use app::domain::housing::{HousingService, provide_housing_service};
use app::domain::map::{MapService, provide_map_service};
use app::domain::offers::{OfferService, provide_offer_service};
use app::domain::open_data::{OpenDataService, provide_open_data_service};
use app::domain::organisations::{OrganisationService, provide_organisation_service};
use app::domain::profiles::{ProfileService, provide_profile_service};
use app::domain::promotion::{PromotionService, provide_promotion_service};
use app::domain::reviews::{ReviewService, provide_review_service};
use app::domain::stages::{StageService, provide_stage_service};
use app::domain::territory::{SiteUrl, TerritoryService, provide_territory_service};
use axum::Router;
use axum::middleware;
use axum::routing::get;
use axum::serve::ListenerExt;
use leptos::prelude::*;
use leptos_axum::{AxumRouteListing, LeptosRoutes, generate_route_list};
use std::sync::{Arc, OnceLock};
use tokio::net::TcpListener;
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::trace::TraceLayer;

/// The bound server and its workers, ready to run.
pub struct Application {
    listener: TcpListener,
    router: Router,
    port: u16,
    workers: Workers,
    indexer: Indexer,
    /// The form handlers' routes (`http::routes`).
    forms: Vec<Route>,
}

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    Database(#[from] DbError),
    #[error("impossible d'écouter sur {addr} : {source}")]
    Bind { addr: String, source: std::io::Error },
    /// The mail transport could not be set up.
    #[error("configuration de l'envoi des courriels : {0}")]
    Mail(#[from] MailError),
    #[error(transparent)]
    Search(#[from] SearchError),
}

impl Application {
    /// Connects to (and migrates) the database, then binds the listener.
    pub async fn build(settings: Settings) -> Result<Self, StartupError> {
        let db = Database::connect(&settings.database_url).await?;
        Self::build_with(settings, db).await
    }

    /// Builds on an already connected database, with the mail transport of the settings.
    pub async fn build_with(settings: Settings, db: Database) -> Result<Self, StartupError> {
        let mailer = Mailer::from_settings(&settings.mail, &settings.data_dir)?;
        Self::build_with_mail(settings, db, mailer, MailWorkerConfig::default(), Clock::system()).await
    }

    /// Builds with a given mail transport, worker pacing and clock (tests use the memory
    /// transport, and a clock they can move), and starts the workers.
    pub async fn build_with_mail(
        settings: Settings,
        db: Database,
        mailer: Mailer,
        mail_worker: MailWorkerConfig,
        clock: Clock,
    ) -> Result<Self, StartupError> {
        // A database imported before the territories' figures were stored gets them now.
        crate::territory::ensure_figures(&db).await.map_err(DbError::from)?;
        let listener = TcpListener::bind(settings.site_addr)
            .await
            .map_err(|source| StartupError::Bind { addr: settings.site_addr.to_string(), source })?;
        let local = listener
            .local_addr()
            .map_err(|source| StartupError::Bind { addr: settings.site_addr.to_string(), source })?;
        let engine = SearchEngine::open(&settings.data_dir, settings.meilisearch.as_ref())?;
        let indexer = Indexer::new(db.clone(), engine);
        let offers = Offers::new(db.clone(), settings.public_url.clone(), indexer.clone()).with_clock(clock);
        let workers = Workers::start(db.clone(), mailer, mail_worker, offers.clone());
        let (router, forms) = router(&settings, db, local, offers);
        Ok(Self { listener, router, port: local.port(), workers, indexer, forms })
    }

    /// The form handlers' routes: every write the portal takes outside server functions, and
    /// the private files and mailed links they serve.
    pub fn form_routes(&self) -> &[Route] {
        &self.forms
    }

    /// The port the server listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The indexer of the search engine (tests wait on it).
    pub fn indexer(&self) -> &Indexer {
        &self.indexer
    }

    /// Serves until SIGINT or SIGTERM, then lets the workers finish their current mail.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let Self { listener, router, workers, .. } = self;
        // Without TCP_NODELAY, a response written in two parts (headers, then a file body) waits
        // for the client's delayed ACK on keep-alive connections: about 40 ms per static file.
        let listener = listener.tap_io(|tcp| {
            if let Err(error) = tcp.set_nodelay(true) {
                tracing::warn!(%error, "could not set TCP_NODELAY");
            }
        });
        let served = axum::serve(listener, router).with_graceful_shutdown(shutdown_signal()).await;
        workers.stop().await;
        served
    }
}

fn router(settings: &Settings, db: Database, addr: std::net::SocketAddr, offers: Offers) -> (Router, Vec<Route>) {
    let leptos_options = LeptosOptions::builder()
        .output_name(settings.output_name.as_str())
        .site_root(settings.site_root.as_str())
        .site_pkg_dir("pkg")
        .site_addr(addr)
        .build();
    let indexer = offers.indexer().clone();
    // Every service reads the clock the application was built with.
    let clock = offers.clock().clone();
    let territories = Territories::new(db.clone(), indexer.engine().clone()).with_clock(clock.clone());
    let service: Arc<dyn TerritoryService> = Arc::new(territories.clone());
    let site_url = SiteUrl(settings.public_url.clone());
    let people = People::new(db.clone()).with_clock(clock.clone());
    let profiles: Arc<dyn ProfileService> = Arc::new(people.clone());
    let organisations = Organisations::new(db.clone(), settings.public_url.clone()).with_clock(clock.clone());
    let organisation_service: Arc<dyn OrganisationService> = Arc::new(organisations.clone());
    let offer_service: Arc<dyn OfferService> = Arc::new(offers.clone());
    let candidates = Candidates::new(db.clone()).with_clock(clock.clone());
    let alerts = offers.alerts();
    let alert_service: Arc<dyn AlertService> = Arc::new(alerts.clone());
    let candidate_service: Arc<dyn CandidateService> = Arc::new(candidates.clone());
    let applications = Applications::new(db.clone(), settings.public_url.clone())
        .with_clock(clock.clone())
        .with_grouping(settings.mail.grouping);
    let application_service: Arc<dyn ApplicationService> = Arc::new(applications.clone());
    let versions = crate::cache::VersionGate::new(db.clone(), clock.clone());
    let page_cache = crate::cache::PageCache::new(versions.clone(), indexer.clone(), settings.page_cache_bytes);
    // The map reads the clock of the offers it shows.
    let maps = Maps::new(db.clone(), offers.clone(), versions.clone());
    let map_service: Arc<dyn MapService> = Arc::new(maps.clone());
    let aids = Aids::new(db.clone()).with_clock(clock.clone());
    let aid_service: Arc<dyn AidService> = Arc::new(aids.clone());
    let promotions = Promotions::new(db.clone(), settings.public_url.clone()).with_clock(clock.clone());
    let promotion_service: Arc<dyn PromotionService> = Arc::new(promotions.clone());
    let events = Events::new(db.clone(), settings.public_url.clone()).with_clock(clock.clone());
    let event_service: Arc<dyn EventService> = Arc::new(events.clone());
    let stages = crate::stages::Stages::new(db.clone()).with_clock(clock.clone());
    let stage_service: Arc<dyn StageService> = Arc::new(stages.clone());
    let housing = crate::housing::Housing::new(db.clone()).with_clock(clock.clone());
    let housing_service: Arc<dyn HousingService> = Arc::new(housing.clone());
    let reviews = crate::reviews::Reviews::new(db.clone()).with_clock(clock.clone());
    let review_service: Arc<dyn ReviewService> = Arc::new(reviews.clone());
    let open_data: Arc<dyn OpenDataService> =
        Arc::new(crate::open_api::reference::Reference::new(&settings.public_url));
    let context = move || {
        provide_territory_service(service.clone(), site_url.clone());
        provide_profile_service(profiles.clone());
        provide_organisation_service(organisation_service.clone());
        provide_offer_service(offer_service.clone());
        provide_candidate_service(candidate_service.clone());
        provide_alert_service(alert_service.clone());
        provide_application_service(application_service.clone());
        provide_map_service(map_service.clone());
        provide_aid_service(aid_service.clone());
        provide_promotion_service(promotion_service.clone());
        provide_event_service(event_service.clone());
        provide_stage_service(stage_service.clone());
        provide_housing_service(housing_service.clone());
        provide_review_service(review_service.clone());
        provide_open_data_service(open_data.clone());
    };

    let sessions = SessionState {
        accounts: Accounts::new(db.clone(), settings.public_url.clone()).with_clock(clock.clone()),
        people,
        secure_cookies: settings.public_url.starts_with("https://"),
        versions,
        known: Arc::default(),
    };
    let flashes = crate::accounts::flashes::Flashes::new(db.clone(), clock.clone());
    let plain = Router::new()
        .route("/healthz", get(http::healthz))
        .route(http::ROBOTS, get(http::robots))
        .route(http::SITEMAP, get(http::sitemap))
        .with_state(HttpState { db: db.clone(), territories, public_url: settings.public_url.clone(), clock });

    // The site's large files, compressed once (the rest of the site root: Leptos's fallback).
    let assets = http::assets::PREFIXES
        .iter()
        .fold(Router::new(), |router, prefix| router.route(&format!("{prefix}{{*file}}"), get(http::assets::serve)))
        .with_state(http::assets::Assets::new(settings.site_root.as_str()));

    let feeds = http::feeds::routes(offers.clone(), aids.clone(), db.clone());
    let open_api = crate::open_api::routes(crate::open_api::ApiState::new(
        db.clone(),
        offers.clone(),
        aids.clone(),
        settings.public_url.clone(),
    ));
    let map_layers = http::map::routes(maps);
    let (forms, form_routes) = http::accounts::routes(sessions.clone())
        .merge(http::organisations::routes(organisations))
        .merge(http::offers::routes(offers))
        .merge(http::candidates::routes(candidates))
        .merge(http::alerts::routes(alerts))
        .merge(http::applications::routes(applications))
        .merge(http::aids::routes(aids))
        .merge(http::promotion::routes(promotions))
        .merge(http::events::routes(events))
        .merge(http::stages::routes(stages))
        .merge(http::housing::routes(housing))
        .merge(http::reviews::routes(reviews))
        .into_parts();

    let routes = route_list();
    // The islands' loader: put in the pages that hold an island, allowed by the policy.
    let loader: std::sync::Arc<str> = app::components::loader_script(&leptos_options).into();
    let pages = Router::new()
        .leptos_routes_with_context(&leptos_options, routes, context.clone(), {
            let options = leptos_options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context(context, shell))
        .layer(middleware::from_fn_with_state(http::html::IslandsLoader(loader.clone()), http::html::finish))
        .with_state(leptos_options.clone());

    let routes = plain.merge(assets).merge(forms).merge(map_layers).merge(feeds).merge(open_api).merge(pages);

    // The middleware wraps the whole router once. `Router::layer` would wrap every route apart,
    // boxing the service after each layer; each `from_fn` layer clones its inner service per
    // request, so a request cloned the whole boxed stack below it at every layer (some 60 boxed
    // clones, ~300 KB per request in flight, measured with heaptrack): memory grew with the
    // number of connections. Each layer still clones the layers below it, states included, at
    // every request: a state is an `Arc`, one counter to move, not the dozen its fields hold
    // (the page cache alone held some fifteen, the indexer's among them). Outermost first.
    let middleware = tower::ServiceBuilder::new()
        .layer(TraceLayer::new_for_http())
        // Responses made per request: brotli and gzip at level 4. The layer's default brotli
        // quality is 11, some 50 times slower for a few percent; what many visitors share
        // (pages, layers, files) is compressed once, at higher levels, by its own cache.
        // Clients that do not ask for compression (benchmarks, curl) get plain bodies.
        .layer(CompressionLayer::new().quality(CompressionLevel::Precise(4)))
        // The security headers wrap everything below them, fallback (files, 404 pages) included.
        .layer(middleware::from_fn_with_state(
            Arc::new(SecurityHeaders::new(&settings.public_url, &loader)),
            security::set_headers,
        ))
        .layer(middleware::from_fn(origin::refuse_cross_site_writes))
        .layer(middleware::from_fn_with_state(Arc::new(sessions), session::resolve_viewer))
        // Inside the session layer (what was typed is the posting session's), outside the cache
        // (which leaves such pages alone).
        .layer(middleware::from_fn_with_state(Arc::new(flashes), http::flash::keep_typed))
        // Inside the session layer: it serves anonymous visitors only.
        .layer(middleware::from_fn_with_state(Arc::new(page_cache), crate::cache::serve))
        .layer(middleware::from_fn_with_state(Arc::new(indexer), search_after_writes));
    (Router::new().fallback_service(middleware.service(routes)), form_routes)
}

/// After a write that succeeded, waits (300 ms at most) for the search index to hold it: the page
/// the writer goes to next (the board, their offer) then shows what they just did.
async fn search_after_writes(
    axum::extract::State(indexer): axum::extract::State<Arc<Indexer>>,
    request: axum::extract::Request,
    next: middleware::Next,
) -> axum::response::Response {
    // Forms post to plain handlers; server functions (`/_srv`) only read.
    let write = request.method() == axum::http::Method::POST && !request.uri().path().starts_with("/_srv");
    let response = next.run(request).await;
    if write && (response.status().is_success() || response.status().is_redirection()) {
        // Short: an index applies one change in milliseconds; a backlog is the worker's.
        indexer.after_write(std::time::Duration::from_millis(300)).await;
    }
    response
}

/// The app's route table, computed once per process. Leptos computes it by rendering the app
/// with resource loading suppressed through a process-wide flag, so a page rendered meanwhile
/// by another `Application` of the same process (the integration tests run several) would wait
/// for ever (leptos-rs/leptos#4773).
fn route_list() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
