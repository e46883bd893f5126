//! `spawn_app()`: a fresh database (a copy of one imported once per test run), the server on
//! port 0 with its mail captured in memory, and an HTTP client that does not follow redirects.
//! Its search engine is the embedded one, or Meilisearch when TEST_SEARCH_ENGINE=meilisearch
//! (`.ci/test` runs the board's tests both ways).

use server::clock::Clock;
use server::config::{DatabaseUrl, Settings};
use server::db::Database;
use server::import::{self, Progress};
use server::jobs::mail::MailWorkerConfig;
use server::mail::Mailer;
use server::search::{Indexer, SearchEngine};
use server::startup::Application;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

pub fn reference_data() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data")
}

pub fn postgres() -> bool {
    std::env::var("TEST_DATABASE").is_ok_and(|v| v == "postgres")
}

fn postgres_server() -> String {
    std::env::var("TEST_POSTGRES_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".to_owned())
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A database of its own for one test; the SQLite directory lives as long as the value.
pub struct TestDb {
    pub url: DatabaseUrl,
    _dir: tempfile::TempDir,
}

impl TestDb {
    /// A directory of this test's own (the data directory of its server).
    pub fn dir(&self) -> &std::path::Path {
        self._dir.path()
    }
}

/// An indexer over `db` with an embedded index of its own in `dir`.
pub fn indexer(db: &Database, dir: &std::path::Path) -> Indexer {
    Indexer::new(db.clone(), SearchEngine::open(dir, None).expect("search index"))
}

/// Waits until the index of `indexer` holds every change committed so far.
pub async fn indexed(indexer: &Indexer) {
    assert!(indexer.catch_up(Duration::from_secs(60)).await, "the search index did not catch up");
}

/// A new, empty (migrated on first connect) database.
pub async fn empty_db() -> TestDb {
    let dir = tempfile::tempdir().expect("temp dir");
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let url = if postgres() {
        let name = format!("portail_test_{}_{n}", std::process::id());
        admin(&format!("DROP DATABASE IF EXISTS {name}")).await;
        admin(&format!("CREATE DATABASE {name}")).await;
        DatabaseUrl(format!("{}/{name}", postgres_server()))
    } else {
        DatabaseUrl(format!("sqlite://{}?mode=rwc", dir.path().join("portail.db").display()))
    };
    TestDb { url, _dir: dir }
}

async fn admin(sql: &str) {
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(&format!("{}/postgres", postgres_server()))
        .await
        .expect("PostgreSQL must run for TEST_DATABASE=postgres");
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned())).execute(&mut conn).await.expect(sql);
}

/// The imported template: a SQLite file or a PostgreSQL database, made once per test run.
static TEMPLATE: tokio::sync::Mutex<Option<(String, Option<tempfile::TempDir>)>> = tokio::sync::Mutex::const_new(None);

/// A new database holding the imported reference data.
pub async fn imported_db() -> TestDb {
    let template = template().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let url = if postgres() {
        let name = format!("portail_test_{}_{n}", std::process::id());
        admin(&format!("DROP DATABASE IF EXISTS {name}")).await;
        admin(&format!("CREATE DATABASE {name} TEMPLATE {template}")).await;
        DatabaseUrl(format!("{}/{name}", postgres_server()))
    } else {
        let path = dir.path().join("portail.db");
        std::fs::copy(&template, &path).expect("copy template");
        DatabaseUrl(format!("sqlite://{}?mode=rwc", path.display()))
    };
    TestDb { url, _dir: dir }
}

async fn template() -> String {
    // Held across the import so that only one test makes the template; the others wait.
    let mut guard = TEMPLATE.lock().await;
    if let Some((template, _)) = guard.as_ref() {
        return template.clone();
    }
    if postgres() {
        drop_leftovers().await;
    }
    let db = empty_db().await;
    let database = Database::connect(&db.url).await.expect("connect");
    import::run(&database, &reference_data(), Progress::Hidden).await.expect("import");
    // Every test's index is new, so built from the database: the import's queue is done with.
    sqlx::query("DELETE FROM search_outbox").execute(&database.pool).await.expect("empty the search outbox");
    database.pool.close().await;
    let template = if postgres() {
        db.url.0.rsplit('/').next().unwrap_or_default().to_owned()
    } else {
        db.url.0.trim_start_matches("sqlite://").trim_end_matches("?mode=rwc").to_owned()
    };
    *guard = Some((template.clone(), Some(db._dir)));
    template
}

/// Databases of earlier test runs (a PostgreSQL database outlives the test that made it), but
/// not those of another run still going on this machine: each name carries the process id of
/// its run (`portail_test_{pid}_…`), and a living process keeps its databases.
async fn drop_leftovers() {
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(&format!("{}/postgres", postgres_server())).await.expect("connect");
    let mine = format!("portail_test_{}_%", std::process::id());
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT datname FROM pg_database WHERE datname LIKE 'portail_test_%' AND datname NOT LIKE $1",
    )
    .bind(mine)
    .fetch_all(&mut conn)
    .await
    .expect("list databases");
    let alive = |name: &str| {
        let pid = name.trim_start_matches("portail_test_").split('_').next().unwrap_or_default();
        !pid.is_empty() && std::path::Path::new(&format!("/proc/{pid}")).exists()
    };
    for name in names.into_iter().filter(|name| !alive(name)) {
        admin(&format!("DROP DATABASE IF EXISTS {name}")).await;
    }
}

/// Whether the servers of this run search with Meilisearch rather than tantivy.
pub fn on_meilisearch() -> bool {
    match std::env::var("TEST_SEARCH_ENGINE").as_deref() {
        Err(_) | Ok("" | "tantivy") => false,
        Ok("meilisearch") => true,
        Ok(other) => panic!("TEST_SEARCH_ENGINE={other} : « tantivy » ou « meilisearch »"),
    }
}

pub struct TestApp {
    pub address: String,
    pub db: Database,
    pub client: reqwest::Client,
    /// The mail the application's worker delivered (the memory transport).
    pub mailer: Mailer,
    pub indexer: Indexer,
    /// The clock of the server's services: a test moves it forward to see what happens later.
    pub clock: Clock,
    /// The form handlers' routes, as the server registered them.
    pub forms: Vec<server::http::routes::Route>,
    /// The Meilisearch indexes of this server (and of those beside it), when it uses them.
    meili: Option<server::search::MeiliSettings>,
    _meili_server: Option<std::sync::Arc<crate::meili::MeiliServer>>,
    _db: TestDb,
}

impl TestApp {
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(format!("{}{path}", self.address)).send().await.expect("request")
    }

    /// Waits until the search index holds every change committed so far.
    pub async fn indexed(&self) {
        indexed(&self.indexer).await;
    }

    pub async fn page(&self, path: &str) -> (u16, String) {
        let response = self.get(path).await;
        let status = response.status().as_u16();
        (status, response.text().await.expect("body"))
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_app_on(imported_db().await).await
}

pub async fn spawn_app_on(test_db: TestDb) -> TestApp {
    spawn_app_with(test_db, &[]).await
}

/// `spawn_app_on` with some settings (environment variables) set to other values.
pub async fn spawn_app_with(test_db: TestDb, overrides: &[(&str, &str)]) -> TestApp {
    let (meili, server) = if on_meilisearch() {
        let (settings, server) = crate::meili::settings("board").await;
        (Some(settings), server.map(std::sync::Arc::new))
    } else {
        (None, None)
    };
    spawn(test_db, overrides, meili, server).await
}

async fn spawn(
    test_db: TestDb,
    overrides: &[(&str, &str)],
    meili: Option<server::search::MeiliSettings>,
    meili_server: Option<std::sync::Arc<crate::meili::MeiliServer>>,
) -> TestApp {
    let url = test_db.url.0.clone();
    let data_dir = test_db._dir.path().display().to_string();
    let settings = Settings::from_lookup(|name| {
        if let Some((_, value)) = overrides.iter().find(|(key, _)| *key == name) {
            return Some((*value).to_owned());
        }
        match (name, &meili) {
            ("LEPTOS_SITE_ADDR", _) => Some("127.0.0.1:0".to_owned()),
            ("DATABASE_URL", _) => Some(url.clone()),
            ("DATA_DIR", _) => Some(data_dir.clone()),
            ("PUBLIC_URL", _) => Some("https://medecins-territoires.example".to_owned()),
            // One mail per change, sent at once: the grouping of a candidate's mails is
            // tested on its own (applications.rs), with a delay of its own.
            ("MAIL_GROUPING_SECONDS", _) => Some("0".to_owned()),
            ("MEILI_URL", Some(meili)) => Some(meili.url.clone()),
            ("MEILI_MASTER_KEY", Some(meili)) => meili.key.as_ref().map(|key| key.expose().to_owned()),
            ("MEILI_INDEX_PREFIX", Some(meili)) => Some(meili.prefix.clone()),
            _ => None,
        }
    })
    .expect("settings");
    let db = Database::connect(&settings.database_url).await.expect("connect");
    let mailer = Mailer::memory(settings.mail.from.clone());
    // A short poll, so a test sees the mail of an action without waiting.
    let worker = MailWorkerConfig { poll_interval: Duration::from_millis(50), ..MailWorkerConfig::default() };
    let clock = Clock::adjustable();
    let app =
        Application::build_with_mail(settings, db.clone(), mailer.clone(), worker, clock.clone()).await.expect("build");
    let address = format!("http://127.0.0.1:{}", app.port());
    let indexer = app.indexer().clone();
    let forms = app.form_routes().to_vec();
    tokio::spawn(app.run_until_stopped());
    // A request that hangs fails the test with its address instead of blocking the run.
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(30))
        .build()
        .expect("client");
    let app = TestApp {
        address,
        db,
        client,
        mailer,
        indexer,
        clock,
        forms,
        meili,
        _meili_server: meili_server,
        _db: test_db,
    };
    // The new index is built from the database before the first request, as a long-running
    // server's would be (unless a test stopped the engine: then it says so itself).
    app.indexer.catch_up(Duration::from_secs(60)).await;
    app
}

/// A second server on the database of `first`, with a data directory of its own, and the same
/// Meilisearch indexes when `first` uses Meilisearch (an embedded index of its own otherwise).
pub async fn spawn_beside(first: &TestApp) -> TestApp {
    let test_db = TestDb { url: first._db.url.clone(), _dir: tempfile::tempdir().expect("temp dir") };
    spawn(test_db, &[], first.meili.clone(), first._meili_server.clone()).await
}

/// Rows in each reference table, in a fixed order.
pub async fn counts(db: &Database) -> Vec<(String, i64)> {
    let mut out = Vec::new();
    for table in ["regions", "departements", "epcis", "communes", "apl", "health_structures", "geometries", "stations"]
    {
        let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT CAST(COUNT(*) AS BIGINT) FROM {table}")))
            .fetch_one(&db.pool)
            .await
            .expect("count");
        out.push((table.to_owned(), n));
    }
    out
}

/// French numbers on pages use a narrow no-break space between thousands.
pub fn fr(n: &str) -> String {
    n.replace(' ', "\u{202f}")
}
