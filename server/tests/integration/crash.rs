//! Crash safety: `server serve` killed with SIGKILL in the middle of a burst of writes keeps
//! every write it acknowledged, and leaves nothing half written. The writes are sign-ups (an
//! anonymous visitor's form: the account, its verification link and its mail in the outbox,
//! in one transaction, then a session), made over HTTP against the real binary; SQLite by
//! default, PostgreSQL with TEST_DATABASE=postgres.

use crate::helpers::*;
use server::db::Database;
use std::collections::BTreeSet;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tokio::sync::{Mutex, Semaphore};

const PASSWORD: &str = "une phrase de passe assez longue";
/// Sign-ups in the burst, and how many are in flight at once.
const BURST: usize = 120;
const IN_FLIGHT: usize = 16;
/// The server is killed once this many sign-ups were acknowledged.
const KILL_AFTER: usize = BURST / 4;

/// A port nobody listens on now (the server binds it a moment later).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

/// A running `server serve`, killed (SIGKILL) when dropped, so a failed test leaves none behind.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `server serve` on `db_url`, with its data (index, mail files) in `data_dir`.
fn serve(db_url: &str, data_dir: &std::path::Path, port: u16) -> Running {
    let child = Command::new(env!("CARGO_BIN_EXE_server"))
        .arg("serve")
        .env("DATABASE_URL", db_url)
        .env("DATA_DIR", data_dir)
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("MAIL_TRANSPORT", "file")
        .env("RUST_LOG", "warn")
        .env_remove("PUBLIC_URL")
        .env_remove("MEILI_URL")
        .stdout(Stdio::null())
        .spawn()
        .expect("start the server");
    Running(child)
}

async fn wait_until_up(client: &reqwest::Client, base: &str, server: &mut Running) {
    let started = Instant::now();
    loop {
        if let Ok(response) = client.get(format!("{base}/healthz")).send().await
            && response.status().is_success()
        {
            return;
        }
        assert!(server.0.try_wait().expect("child status").is_none(), "the server exited at startup");
        assert!(started.elapsed() < Duration::from_secs(120), "the server did not answer at {base}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The anonymous form token: the `csrf` cookie the server gives a new visitor, which its
/// forms carry as a hidden field too.
async fn form_token(client: &reqwest::Client, base: &str) -> String {
    let response = client.get(format!("{base}/inscription")).send().await.expect("sign-up page");
    assert_eq!(response.status(), 200);
    response
        .headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix("csrf=").map(|rest| rest.split(';').next().unwrap_or_default().to_owned()))
        .expect("a csrf cookie")
}

/// What became of one sign-up request.
#[derive(Debug)]
enum Outcome {
    /// 303 to the account page with the welcome notice: the account exists.
    Acknowledged,
    /// Another answer (a form error): nothing was promised.
    Refused(String),
    /// No answer (the server died): the account may or may not exist.
    NoAnswer,
}

async fn sign_up(client: &reqwest::Client, base: &str, csrf: &str, email: &str) -> Outcome {
    let form = [("csrf", csrf), ("nom", "Camille Crash"), ("email", email), ("mot_de_passe", PASSWORD)];
    let sent = client.post(format!("{base}/inscription")).header("Cookie", format!("csrf={csrf}")).form(&form).send();
    match sent.await {
        Ok(response) => {
            let location = response
                .headers()
                .get(reqwest::header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned();
            if response.status() == 303 && location.starts_with("/compte?info=bienvenue") {
                Outcome::Acknowledged
            } else {
                Outcome::Refused(format!("{} {location}", response.status()))
            }
        }
        Err(_) => Outcome::NoAnswer,
    }
}

async fn strings(db: &Database, sql: &str) -> Vec<String> {
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_owned())).fetch_all(&db.pool).await.expect(sql)
}

#[tokio::test]
async fn a_server_killed_during_a_burst_of_sign_ups_keeps_every_acknowledged_one() {
    let test_db = empty_db().await;
    let data = tempfile::tempdir().unwrap();
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();

    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut first = serve(&test_db.url.0, data.path(), port);
    wait_until_up(&client, &base, &mut first).await;
    let csrf = form_token(&client, &base).await;

    // The burst: IN_FLIGHT sign-ups at a time; the server is killed (SIGKILL) as soon as
    // KILL_AFTER of them are acknowledged, with others still in flight.
    let acknowledged = Arc::new(AtomicUsize::new(0));
    let outcomes = Arc::new(Mutex::new(Vec::new()));
    let slots = Arc::new(Semaphore::new(IN_FLIGHT));
    let mut burst = tokio::task::JoinSet::new();
    for i in 0..BURST {
        let (client, base, csrf) = (client.clone(), base.clone(), csrf.clone());
        let (acknowledged, outcomes, slots) = (acknowledged.clone(), outcomes.clone(), slots.clone());
        burst.spawn(async move {
            let _slot = slots.acquire().await.unwrap();
            let email = format!("crash{i:03}@exemple.fr");
            let outcome = sign_up(&client, &base, &csrf, &email).await;
            if matches!(outcome, Outcome::Acknowledged) {
                acknowledged.fetch_add(1, Ordering::SeqCst);
            }
            outcomes.lock().await.push((email, outcome));
        });
    }
    let started = Instant::now();
    while acknowledged.load(Ordering::SeqCst) < KILL_AFTER {
        assert!(started.elapsed() < Duration::from_secs(120), "the burst stalled before the kill");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    first.0.kill().expect("SIGKILL");
    first.0.wait().unwrap();
    while burst.join_next().await.is_some() {}

    let outcomes = std::mem::take(&mut *outcomes.lock().await);
    let acked: BTreeSet<String> =
        outcomes.iter().filter(|(_, o)| matches!(o, Outcome::Acknowledged)).map(|(e, _)| e.clone()).collect();
    let unanswered = outcomes.iter().filter(|(_, o)| matches!(o, Outcome::NoAnswer)).count();
    let refused: Vec<String> = outcomes
        .iter()
        .filter_map(|(email, o)| match o {
            Outcome::Refused(answer) => Some(format!("{email}: {answer}")),
            _ => None,
        })
        .collect();
    assert!(refused.is_empty(), "sign-ups refused before the kill: {refused:?}");
    assert!(acked.len() >= KILL_AFTER, "{} acknowledged", acked.len());
    assert!(unanswered > 0, "the kill came after the burst: every one of the {BURST} sign-ups was answered");

    // A new server on the same database and data directory.
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut second = serve(&test_db.url.0, data.path(), port);
    wait_until_up(&client, &base, &mut second).await;
    let db = Database::connect(&test_db.url).await.unwrap();

    let users: BTreeSet<String> = strings(&db, "SELECT email FROM users").await.into_iter().collect();
    let lost: Vec<_> = acked.difference(&users).collect();
    assert!(lost.is_empty(), "acknowledged sign-ups lost by the crash: {lost:?}");
    // Every account whole, acknowledged or not: its verification link and its mail, once.
    let half_written = strings(
        &db,
        "SELECT u.email FROM users u
         WHERE (SELECT COUNT(*) FROM account_tokens t WHERE t.user_id = u.id AND t.purpose = 'verify') <> 1
            OR (SELECT COUNT(*) FROM mail_outbox m WHERE m.recipient = u.email AND m.template = 'verification') <> 1",
    )
    .await;
    assert!(half_written.is_empty(), "accounts without exactly one link and one mail: {half_written:?}");
    let orphans = strings(
        &db,
        "SELECT recipient FROM mail_outbox WHERE template = 'verification' AND recipient NOT IN (SELECT email FROM users)",
    )
    .await;
    assert!(orphans.is_empty(), "mails of accounts that do not exist: {orphans:?}");
    let signed_in: BTreeSet<String> =
        strings(&db, "SELECT DISTINCT u.email FROM sessions s JOIN users u ON u.id = s.user_id")
            .await
            .into_iter()
            .collect();
    let sessionless: Vec<_> = acked.difference(&signed_in).collect();
    assert!(sessionless.is_empty(), "acknowledged sign-ups whose session was lost: {sessionless:?}");

    // The restarted server knows them: an acknowledged account signs in.
    let email = acked.iter().next().unwrap();
    let csrf = form_token(&client, &base).await;
    let form = [("csrf", csrf.as_str()), ("email", email.as_str()), ("mot_de_passe", PASSWORD)];
    let response = client
        .post(format!("{base}/connexion"))
        .header("Cookie", format!("csrf={csrf}"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()[reqwest::header::LOCATION], "/compte", "{email} signs in after the restart");

    drop(second);
    println!(
        "{BURST} sign-ups, {} acknowledged before the kill, {unanswered} unanswered; {} accounts after the \
         restart (every acknowledged one, {} of the unanswered), none half written",
        acked.len(),
        users.len(),
        users.len() - acked.len()
    );
}
