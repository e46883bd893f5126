//! Real Meilisearch servers for the tests: the one `.ci/test` starts (TEST_MEILI_URL and
//! TEST_MEILI_MASTER_KEY: not the server's own MEILI_URL, which the servers that tests start as
//! child processes would inherit), or one of a test's own, started from the binary the project is given
//! (MEILISEARCH_BIN, by default ../shared/tools/meilisearch/meilisearch beside the clone). A
//! missing binary fails the test: Meilisearch is tested, never skipped.

use server::config::Secret;
use server::search::MeiliSettings;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// The Meilisearch binary.
fn binary() -> PathBuf {
    let path = std::env::var_os("MEILISEARCH_BIN").map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/tools/meilisearch/meilisearch")
    });
    assert!(
        path.is_file(),
        "Meilisearch introuvable à {} : donnez son chemin dans MEILISEARCH_BIN (voir le README, « Recherche »)",
        path.display()
    );
    path
}

/// A prefix of index names no other test of any run uses.
pub fn unique_prefix(what: &str) -> String {
    static N: AtomicUsize = AtomicUsize::new(0);
    format!("{what}_{}_{}", std::process::id(), N.fetch_add(1, Ordering::SeqCst))
}

/// The shared server when `.ci/test` started one.
fn shared() -> Option<(String, String)> {
    let url = std::env::var("TEST_MEILI_URL").ok().filter(|url| !url.is_empty())?;
    Some((url, std::env::var("TEST_MEILI_MASTER_KEY").unwrap_or_default()))
}

/// Somewhere for a test's indexes: the shared server, or a server of the test's own (kept
/// alive by the returned value).
pub async fn settings(what: &str) -> (MeiliSettings, Option<MeiliServer>) {
    match shared() {
        Some((url, key)) => {
            let key = (!key.is_empty()).then(|| Secret::new(key));
            (MeiliSettings { url, key, prefix: unique_prefix(what) }, None)
        }
        None => {
            let server = MeiliServer::start().await;
            (server.settings(what), Some(server))
        }
    }
}

/// A Meilisearch process of a test's own, on a loopback port with a throw-away database and a
/// master key: killed when dropped, and restartable on the same database.
pub struct MeiliServer {
    child: Option<Child>,
    pub url: String,
    pub key: String,
    port: u16,
    dir: tempfile::TempDir,
}

impl MeiliServer {
    pub async fn start() -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let mut key = [0u8; 16];
        getrandom::fill(&mut key).unwrap();
        let mut server = Self {
            child: None,
            url: format!("http://127.0.0.1:{port}"),
            key: hex::encode(key),
            port,
            dir: tempfile::tempdir().unwrap(),
        };
        server.restart().await;
        server
    }

    pub fn settings(&self, what: &str) -> MeiliSettings {
        MeiliSettings { url: self.url.clone(), key: Some(Secret::new(self.key.clone())), prefix: unique_prefix(what) }
    }

    /// Kills the server as SIGKILL does: no time to finish anything.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts it (again) on the same port and database, and waits until it answers.
    pub async fn restart(&mut self) {
        self.kill();
        let log = std::fs::File::create(self.dir.path().join("meilisearch.log")).unwrap();
        let child = Command::new(binary())
            .arg("--db-path")
            .arg(self.dir.path().join("data"))
            .args(["--http-addr", &format!("127.0.0.1:{}", self.port)])
            .args(["--master-key", &self.key])
            .args(["--no-analytics", "--log-level", "WARN"])
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("start Meilisearch");
        self.child = Some(child);
        let client = reqwest::Client::new();
        let started = Instant::now();
        loop {
            let health = client.get(format!("{}/health", self.url)).send().await;
            if health.is_ok_and(|r| r.status().is_success()) {
                return;
            }
            assert!(started.elapsed() < Duration::from_secs(30), "Meilisearch did not start on {}", self.url);
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for MeiliServer {
    fn drop(&mut self) {
        self.kill();
    }
}
