//! The mail outbox and its worker against a real database: transactional enqueue, delivery to
//! a real SMTP sink (aiosmtpd) after an outage, concurrent workers, retries, leases, files.

use crate::helpers::*;
use mailparse::{MailHeaderMap, ParsedMail};
use server::clock::Clock;
use server::config::{DEFAULT_FROM, Settings, SmtpSettings, SmtpTls};
use server::db::Database;
use server::jobs::Workers;
use server::jobs::mail::{DrainReport, MailWorkerConfig, drain_once};
use server::mail::{self, Mailer, OutgoingMail, Template};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

async fn database() -> (TestDb, Database) {
    let test_db = empty_db().await;
    let db = Database::connect(&test_db.url).await.expect("connect");
    (test_db, db)
}

fn link(to: &str) -> String {
    format!("https://medecins-territoires.example/compte/verifier?jeton={}&source=mail", to.replace('@', "-"))
}

fn verification(to: &str) -> OutgoingMail {
    OutgoingMail::new(to, Template::Verification, &[("nom", "Dr Camille Martin"), ("lien", &link(to))]).expect("mail")
}

/// An action of the portal: a write of its own and its mail, in one committed transaction.
async fn act_and_mail(db: &Database, n: usize, mail: &OutgoingMail) {
    let mut tx = db.pool.begin().await.expect("begin");
    write_region(&mut tx, n).await;
    mail::enqueue(&mut tx, mail).await.expect("enqueue");
    tx.commit().await.expect("commit");
}

async fn write_region(tx: &mut sqlx::Transaction<'static, sqlx::Any>, n: usize) {
    sqlx::query("INSERT INTO regions (code, name, slug, population) VALUES ($1, $2, $3, 0)")
        .bind(format!("R{n}"))
        .bind(format!("Région {n}"))
        .bind(format!("region-{n}"))
        .execute(&mut **tx)
        .await
        .expect("the action's own write");
}

async fn count(db: &Database, sql: &'static str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&db.pool).await.expect(sql)
}

/// (recipient, status, attempts, last error) of every mail, by id.
async fn outbox(db: &Database) -> Vec<(String, String, i64, Option<String>)> {
    sqlx::query_as("SELECT recipient, status, attempts, last_error FROM mail_outbox ORDER BY id")
        .fetch_all(&db.pool)
        .await
        .expect("outbox")
}

fn from() -> lettre::message::Mailbox {
    DEFAULT_FROM.parse().expect("from")
}

/// A port nothing listens on: bound by the system, then released.
fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind port 0");
    listener.local_addr().expect("local addr").port()
}

fn smtp_mailer(port: u16) -> Mailer {
    let settings = SmtpSettings { host: "127.0.0.1".to_owned(), port, credentials: None, tls: SmtpTls::None };
    Mailer::smtp(&settings, from()).expect("smtp mailer")
}

/// Retries without waiting: the backoff itself is tested on its own.
fn no_backoff() -> MailWorkerConfig {
    MailWorkerConfig { backoff_base: Duration::ZERO, ..MailWorkerConfig::default() }
}

/// Debian's aiosmtpd, writing what it receives to a maildir; killed when dropped.
struct SmtpSink {
    child: Child,
    maildir: PathBuf,
    _dir: tempfile::TempDir,
}

impl SmtpSink {
    /// Starts the sink on `port` and waits until it accepts connections.
    async fn start(port: u16) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let maildir = dir.path().join("maildir");
        // The Debian interpreter: python3-aiosmtpd is installed for it, not for other pythons on PATH.
        let mut child = Command::new("/usr/bin/python3")
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}"), "-c", "aiosmtpd.handlers.Mailbox"])
            .arg(&maildir)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("/usr/bin/python3 -m aiosmtpd (Debian package python3-aiosmtpd) must be installed");
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
                break;
            }
            if let Some(status) = child.try_wait().expect("sink status") {
                let mut stderr = String::new();
                std::io::Read::read_to_string(&mut child.stderr.take().expect("stderr"), &mut stderr).ok();
                panic!("aiosmtpd exited ({status}): {stderr}");
            }
            assert!(Instant::now() < deadline, "aiosmtpd does not accept connections on port {port}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Self { child, maildir, _dir: dir }
    }

    /// Every message received, as raw bytes.
    fn messages(&self) -> Vec<Vec<u8>> {
        let Ok(entries) = std::fs::read_dir(self.maildir.join("new")) else { return Vec::new() };
        entries.map(|e| std::fs::read(e.expect("maildir entry").path()).expect("read message")).collect()
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The decoded text/plain and text/html parts of a message.
fn parts(message: &ParsedMail) -> (Vec<String>, Vec<String>) {
    let (mut text, mut html) = (Vec::new(), Vec::new());
    for part in message.parts() {
        match part.ctype.mimetype.as_str() {
            "text/plain" => text.push(part.get_body().expect("text body")),
            "text/html" => html.push(part.get_body().expect("html body")),
            _ => {}
        }
    }
    (text, html)
}

#[tokio::test]
async fn a_mail_exists_if_and_only_if_its_transaction_commits() {
    let (_test_db, db) = database().await;
    let mail = verification("camille@example.org");

    let mut tx = db.pool.begin().await.unwrap();
    write_region(&mut tx, 1).await;
    mail::enqueue(&mut tx, &mail).await.unwrap();
    tx.rollback().await.unwrap();
    assert_eq!(count(&db, "SELECT CAST(COUNT(*) AS BIGINT) FROM mail_outbox").await, 0);
    assert_eq!(count(&db, "SELECT CAST(COUNT(*) AS BIGINT) FROM regions").await, 0);

    act_and_mail(&db, 1, &mail).await;
    assert_eq!(count(&db, "SELECT CAST(COUNT(*) AS BIGINT) FROM mail_outbox").await, 1);
    assert_eq!(count(&db, "SELECT CAST(COUNT(*) AS BIGINT) FROM regions").await, 1);
    assert_eq!(mail::pending_count(&db).await.unwrap(), 1);
    let (recipient, subject, text, html, template): (String, String, String, String, String) =
        sqlx::query_as("SELECT recipient, subject, body_text, body_html, template FROM mail_outbox")
            .fetch_one(&db.pool)
            .await
            .unwrap();
    assert_eq!(recipient, "camille@example.org");
    assert_eq!((subject.as_str(), text.as_str(), html.as_str()), (mail.subject(), mail.text(), mail.html()));
    assert_eq!(template, "verification");
}

#[tokio::test]
async fn with_the_smtp_sink_down_mail_waits_and_arrives_exactly_once_when_it_starts() {
    let (_test_db, db) = database().await;
    let port = free_port();
    let mailer = smtp_mailer(port);
    let config = no_backoff();
    let recipients = ["camille@example.org", "jeanne.roux@example.org", "mairie@rodez.example.org"];

    // The actions succeed while nothing listens.
    for (n, to) in recipients.iter().enumerate() {
        act_and_mail(&db, n, &verification(to)).await;
    }
    let report = drain_once(&db, &mailer, &config).await.unwrap();
    assert_eq!(report, DrainReport { sent: 0, retried: 3, failed: 0 });
    for (recipient, status, attempts, last_error) in outbox(&db).await {
        assert_eq!((status.as_str(), attempts), ("pending", 1), "{recipient}");
        assert!(last_error.is_some_and(|e| !e.is_empty()), "{recipient}: the failure is recorded");
    }
    assert_eq!(mail::pending_count(&db).await.unwrap(), 3);

    let sink = SmtpSink::start(port).await;
    assert!(sink.messages().is_empty());
    let report = drain_once(&db, &mailer, &config).await.unwrap();
    assert_eq!(report, DrainReport { sent: 3, retried: 0, failed: 0 });

    let messages = sink.messages();
    assert_eq!(messages.len(), 3, "one message per mail");
    for to in recipients {
        let received: Vec<ParsedMail> = messages
            .iter()
            .map(|raw| mailparse::parse_mail(raw).expect("a well-formed message"))
            .filter(|m| m.headers.get_first_value("To").as_deref() == Some(to))
            .collect();
        assert_eq!(received.len(), 1, "{to} receives exactly one message");
        let message = &received[0];
        assert_eq!(message.headers.get_first_value("Subject").as_deref(), Some("Confirmez votre adresse e-mail"));
        let sender = message.headers.get_first_value("From").expect("From");
        assert!(sender.contains("ne-pas-repondre@medecins-territoires.localhost"), "{sender}");
        assert_eq!(message.ctype.mimetype, "multipart/alternative");
        let (text, html) = parts(message);
        assert_eq!((text.len(), html.len()), (1, 1), "{to}: one text and one HTML part");
        assert!(text[0].contains("Bonjour Dr Camille Martin,"), "{}", text[0]);
        assert!(text[0].contains(&link(to)), "{}", text[0]);
        assert!(html[0].contains(&format!("href=\"{}\"", link(to).replace('&', "&amp;"))), "{}", html[0]);
        assert!(html[0].contains("Médecins &amp; Territoires"), "{}", html[0]);
    }
    for (recipient, status, attempts, last_error) in outbox(&db).await {
        assert_eq!((status.as_str(), attempts, last_error), ("sent", 2, None), "{recipient}");
    }
    assert_eq!(count(&db, "SELECT CAST(COUNT(*) AS BIGINT) FROM mail_outbox WHERE sent_at IS NOT NULL").await, 3);
    assert_eq!(mail::pending_count(&db).await.unwrap(), 0);

    // Nothing is sent twice.
    assert_eq!(drain_once(&db, &mailer, &config).await.unwrap(), DrainReport::default());
    assert_eq!(sink.messages().len(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_workers_on_one_outbox_send_every_mail_exactly_once() {
    let (test_db, db) = database().await;
    let recipients: Vec<String> = (0..40).map(|n| format!("medecin{n}@example.org")).collect();
    for (n, to) in recipients.iter().enumerate() {
        act_and_mail(&db, n, &verification(to)).await;
    }

    // Two server instances: a pool and a mailer each, on the same database.
    let start = Arc::new(tokio::sync::Barrier::new(2));
    let workers: Vec<_> = (0..2)
        .map(|_| {
            let (url, start) = (test_db.url.clone(), start.clone());
            tokio::spawn(async move {
                let db = Database::connect(&url).await.expect("connect");
                let mailer = Mailer::memory(from());
                start.wait().await;
                let report = drain_once(&db, &mailer, &MailWorkerConfig::default()).await.expect("drain");
                (report, mailer.sent().expect("memory transport"))
            })
        })
        .collect();
    let mut sent = Vec::new();
    let mut reported = 0;
    for worker in workers {
        let (report, mails) = worker.await.unwrap();
        assert_eq!(report.sent, mails.len());
        assert_eq!((report.retried, report.failed), (0, 0));
        reported += report.sent;
        sent.extend(mails.into_iter().map(|m| m.to().to_owned()));
    }
    sent.sort();
    let mut expected = recipients.clone();
    expected.sort();
    assert_eq!(sent, expected, "every mail sent once, none twice");
    assert_eq!(reported, 40);
    assert_eq!(count(&db, "SELECT CAST(COUNT(*) AS BIGINT) FROM mail_outbox WHERE status = 'sent'").await, 40);
}

#[tokio::test]
async fn a_mail_is_marked_failed_after_the_last_attempt_and_listed() {
    let (_test_db, db) = database().await;
    let mailer = smtp_mailer(free_port());
    let config = MailWorkerConfig { max_attempts: 3, ..no_backoff() };
    act_and_mail(&db, 1, &verification("camille@example.org")).await;

    // A failed mail is due again a millisecond after its pass started at the soonest (never
    // twice in one pass): a refused connection fails faster than that, so each pass waits.
    let pause = || tokio::time::sleep(std::time::Duration::from_millis(3));
    for attempt in 1..=2 {
        let report = drain_once(&db, &mailer, &config).await.unwrap();
        assert_eq!(report, DrainReport { sent: 0, retried: 1, failed: 0 }, "attempt {attempt}");
        assert!(mail::failed_mails(&db).await.unwrap().is_empty());
        pause().await;
    }
    let report = drain_once(&db, &mailer, &config).await.unwrap();
    assert_eq!(report, DrainReport { sent: 0, retried: 0, failed: 1 });

    let failed = mail::failed_mails(&db).await.unwrap();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].recipient, "camille@example.org");
    assert_eq!(failed[0].subject, "Confirmez votre adresse e-mail");
    assert_eq!(failed[0].template, "verification");
    assert_eq!(failed[0].attempts, 3);
    assert!(failed[0].last_error.as_deref().is_some_and(|e| e.contains("SMTP")), "{:?}", failed[0].last_error);
    assert_eq!(mail::pending_count(&db).await.unwrap(), 0);
    // Given up means given up: no fourth attempt.
    assert_eq!(drain_once(&db, &mailer, &config).await.unwrap(), DrainReport::default());
    assert_eq!(outbox(&db).await[0].2, 3);
}

#[tokio::test]
async fn a_failed_mail_requeued_starts_over_and_is_sent() {
    let (_test_db, db) = database().await;
    let config = MailWorkerConfig { max_attempts: 2, ..no_backoff() };
    act_and_mail(&db, 1, &verification("camille@example.org")).await;
    act_and_mail(&db, 2, &verification("jeanne@example.org")).await;
    // Nothing listens on the port: both mails are given up on.
    let down = smtp_mailer(free_port());
    drain_once(&db, &down, &config).await.unwrap();
    // Due again a millisecond after the pass started at the soonest: wait that long.
    tokio::time::sleep(std::time::Duration::from_millis(3)).await;
    assert_eq!(drain_once(&db, &down, &config).await.unwrap().failed, 2);
    let failed = mail::failed_mails(&db).await.unwrap();
    let camille = failed.iter().find(|m| m.recipient == "camille@example.org").unwrap().id;

    let mut conn = db.pool.acquire().await.unwrap();
    assert!(mail::requeue_failed(&mut conn, camille).await.unwrap());
    assert!(!mail::requeue_failed(&mut conn, camille).await.unwrap(), "pending is not failed");
    assert!(!mail::requeue_failed(&mut conn, 999_999).await.unwrap());
    drop(conn);
    let waiting = outbox(&db).await;
    assert_eq!((waiting[0].1.as_str(), waiting[0].2), ("pending", 0), "attempts start over");
    assert!(waiting[0].3.as_deref().is_some_and(|e| e.contains("SMTP")), "the last error is kept until replaced");
    assert_eq!(waiting[1].1, "failed", "only that one");
    assert_eq!(mail::pending_count(&db).await.unwrap(), 1);

    // Due at once: the next pass sends it, with the transport working again.
    let up = Mailer::memory(from());
    assert_eq!(drain_once(&db, &up, &config).await.unwrap(), DrainReport { sent: 1, retried: 0, failed: 0 });
    assert_eq!(up.sent().unwrap().iter().map(|m| m.to().to_owned()).collect::<Vec<_>>(), ["camille@example.org"]);
    let after = outbox(&db).await;
    assert_eq!((after[0].1.as_str(), after[0].2, after[0].3.as_deref()), ("sent", 1, None));
    let mut conn = db.pool.acquire().await.unwrap();
    assert!(!mail::requeue_failed(&mut conn, camille).await.unwrap(), "a sent mail stays sent");
}

#[tokio::test]
async fn a_failed_attempt_waits_for_the_backoff_before_the_next() {
    let (_test_db, db) = database().await;
    let mailer = smtp_mailer(free_port());
    let config = MailWorkerConfig::default();
    act_and_mail(&db, 1, &verification("camille@example.org")).await;

    let before = Clock::system().now_ms();
    assert_eq!(drain_once(&db, &mailer, &config).await.unwrap().retried, 1);
    let after = Clock::system().now_ms();
    let next: i64 = sqlx::query_scalar("SELECT next_attempt_at FROM mail_outbox").fetch_one(&db.pool).await.unwrap();
    let base = config.backoff_base.as_millis() as i64;
    assert!((before + base..=after + base).contains(&next), "retry at {next}, drain between {before} and {after}");
    // Not due yet: the next pass leaves it alone.
    assert_eq!(drain_once(&db, &mailer, &config).await.unwrap(), DrainReport::default());
    assert_eq!(outbox(&db).await[0].2, 1);

    // Once due, the second failure waits twice as long.
    sqlx::query("UPDATE mail_outbox SET next_attempt_at = 0").execute(&db.pool).await.unwrap();
    let before = Clock::system().now_ms();
    assert_eq!(drain_once(&db, &mailer, &config).await.unwrap().retried, 1);
    let after = Clock::system().now_ms();
    let next: i64 = sqlx::query_scalar("SELECT next_attempt_at FROM mail_outbox").fetch_one(&db.pool).await.unwrap();
    assert!((before + 2 * base..=after + 2 * base).contains(&next), "retry at {next}");
}

#[tokio::test]
async fn a_mail_that_can_never_be_sent_fails_at_once() {
    let (_test_db, db) = database().await;
    // Written by hand: the API refuses such an address before it reaches the outbox.
    sqlx::query(
        "INSERT INTO mail_outbox
             (recipient, subject, body_text, body_html, template, created_at, status, attempts, next_attempt_at)
         VALUES ('pas une adresse', 's', 't', 'h', 'verification', 0, 'pending', 0, 0)",
    )
    .execute(&db.pool)
    .await
    .unwrap();
    let mailer = Mailer::memory(from());
    let report = drain_once(&db, &mailer, &MailWorkerConfig::default()).await.unwrap();
    assert_eq!(report, DrainReport { sent: 0, retried: 0, failed: 1 });
    let failed = mail::failed_mails(&db).await.unwrap();
    assert_eq!((failed.len(), failed[0].attempts), (1, 1));
    assert!(failed[0].last_error.as_deref().unwrap_or_default().contains("pas une adresse"));
    assert_eq!(mailer.sent().unwrap(), vec![]);
}

#[tokio::test]
async fn a_leased_mail_is_left_to_its_worker_until_the_lease_expires() {
    let (_test_db, db) = database().await;
    act_and_mail(&db, 1, &verification("camille@example.org")).await;
    let mailer = Mailer::memory(from());
    let config = MailWorkerConfig::default();

    // Another worker holds it.
    sqlx::query("UPDATE mail_outbox SET locked_until = $1")
        .bind(Clock::system().now_ms() + 60_000)
        .execute(&db.pool)
        .await
        .unwrap();
    assert_eq!(drain_once(&db, &mailer, &config).await.unwrap(), DrainReport::default());
    assert!(mailer.sent().unwrap().is_empty());

    // That worker died: its lease runs out and the mail goes.
    sqlx::query("UPDATE mail_outbox SET locked_until = $1")
        .bind(Clock::system().now_ms() - 1)
        .execute(&db.pool)
        .await
        .unwrap();
    assert_eq!(drain_once(&db, &mailer, &config).await.unwrap().sent, 1);
    assert_eq!(mailer.sent().unwrap().len(), 1);
    let locked: Option<i64> =
        sqlx::query_scalar("SELECT locked_until FROM mail_outbox").fetch_one(&db.pool).await.unwrap();
    assert_eq!(locked, None);
}

#[tokio::test]
async fn the_default_file_transport_writes_an_eml_file_under_the_data_dir() {
    let (_test_db, db) = database().await;
    let data = tempfile::tempdir().unwrap();
    let data_dir = data.path().to_str().unwrap().to_owned();
    let settings = Settings::from_lookup(|name| (name == "DATA_DIR").then(|| data_dir.clone())).unwrap();
    let mailer = Mailer::from_settings(&settings.mail, &settings.data_dir).unwrap();
    assert_eq!(mailer.kind(), "file");
    let invitation = OutgoingMail::new(
        "Jeanne Roux <jeanne@example.org>",
        Template::Invitation,
        &[
            ("organisation", "MSP du Lévézou"),
            ("invitant", "Dr Paul Vidal"),
            ("lien", "https://e.example/i/1"),
            ("echeance", "12 décembre 2026"),
        ],
    )
    .unwrap();
    act_and_mail(&db, 1, &invitation).await;

    assert_eq!(drain_once(&db, &mailer, &MailWorkerConfig::default()).await.unwrap().sent, 1);
    let files: Vec<PathBuf> = std::fs::read_dir(data.path().join("mail")).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].extension().and_then(|e| e.to_str()), Some("eml"));
    let raw = std::fs::read(&files[0]).unwrap();
    let message = mailparse::parse_mail(&raw).unwrap();
    assert_eq!(
        message.headers.get_first_value("Subject").as_deref(),
        Some("Dr Paul Vidal vous invite à rejoindre MSP du Lévézou")
    );
    let (text, html) = parts(&message);
    assert!(text[0].contains("rejoindre l'organisation « MSP du Lévézou »"), "{}", text[0]);
    assert!(html[0].contains("href=\"https://e.example/i/1\""), "{}", html[0]);
}

/// Polls `done` for up to ten seconds.
async fn eventually(what: &str, done: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting: {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn the_application_starts_a_worker_that_sends_queued_mail() {
    let app = spawn_app().await;
    act_and_mail(&app.db, 1, &verification("camille@example.org")).await;
    eventually("the worker sends the mail", || app.mailer.sent().is_some_and(|s| s.len() == 1)).await;
    assert_eq!(app.mailer.sent().unwrap()[0].to(), "camille@example.org");
    assert_eq!(app.get("/healthz").await.status(), 200);
}

#[tokio::test]
async fn stopped_workers_send_nothing_more() {
    let (_test_db, db) = database().await;
    let mailer = Mailer::memory(from());
    let config = MailWorkerConfig { poll_interval: Duration::from_millis(10), ..MailWorkerConfig::default() };
    let offers = server::offers::Offers::new(db.clone(), "http://localhost".to_owned(), indexer(&db, _test_db.dir()));
    let workers = Workers::start(db.clone(), mailer.clone(), config, offers);
    act_and_mail(&db, 1, &verification("camille@example.org")).await;
    eventually("the running worker sends", || mailer.sent().is_some_and(|s| s.len() == 1)).await;

    workers.stop().await;
    act_and_mail(&db, 2, &verification("jeanne@example.org")).await;
    // Thirty poll intervals: a worker still running would have sent it by now.
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(mailer.sent().unwrap().len(), 1);
    assert_eq!(mail::pending_count(&db).await.unwrap(), 1);
}

#[tokio::test]
async fn account_actions_succeed_while_smtp_is_down_and_their_mails_arrive_once_it_is_back() {
    use server::accounts::Accounts;
    let (_t, db) = database().await;
    let accounts = Accounts::new(db.clone(), "https://medecins-territoires.example".to_owned());
    let port = free_port();
    let mailer = smtp_mailer(port);

    // Nothing listens on the port: the actions still succeed, their mails wait.
    accounts.sign_up("camille@exemple.fr", "Camille", "une longue phrase").await.expect("sign-up");
    accounts.sign_up("malo@exemple.fr", "Malo", "une longue phrase").await.expect("sign-up");
    accounts.request_password_reset("camille@exemple.fr").await.expect("reset request");
    let report = drain_once(&db, &mailer, &no_backoff()).await.expect("drain");
    assert_eq!(report.sent, 0, "{report:?}");
    let waiting = outbox(&db).await;
    assert_eq!(waiting.len(), 3);
    assert!(
        waiting.iter().all(|(_, status, attempts, error)| status == "pending" && *attempts == 1 && error.is_some())
    );

    let sink = SmtpSink::start(port).await;
    loop {
        let report = drain_once(&db, &mailer, &no_backoff()).await.expect("drain");
        if report.sent == 0 && report.retried == 0 {
            break;
        }
    }
    let mut received: Vec<(String, String)> = sink
        .messages()
        .iter()
        .map(|raw| {
            let message = mailparse::parse_mail(raw).expect("parse");
            (
                message.headers.get_first_value("To").unwrap_or_default(),
                message.headers.get_first_value("Subject").unwrap_or_default(),
            )
        })
        .collect();
    received.sort();
    assert_eq!(
        received,
        vec![
            ("camille@exemple.fr".to_owned(), "Confirmez votre adresse e-mail".to_owned()),
            ("camille@exemple.fr".to_owned(), "Réinitialisation de votre mot de passe".to_owned()),
            ("malo@exemple.fr".to_owned(), "Confirmez votre adresse e-mail".to_owned()),
        ]
    );
    assert_eq!(drain_once(&db, &mailer, &no_backoff()).await.expect("drain").sent, 0, "nothing twice");
}
