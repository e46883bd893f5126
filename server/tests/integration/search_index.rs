//! The search index as the portal uses it: derived from the database through the outbox, on
//! the board (words with typos, facet counts, radius), and robust to an engine that is down
//! or a server killed in the middle of writes.

use crate::helpers::*;
use crate::offers::remplacement;
use crate::seeds::World;
use app::domain::offers::{BoardQuery, OfferForm};
use app::model::InseeCode;
use server::accounts::Accounts;
use server::db::Database;
use server::offers::Offers;
use server::search::{Collection, Indexer, SearchEngine, SearchQuery};
use std::time::{Duration, Instant};

const SITE: &str = "https://medecins-territoires.example";

/// A verified commune and its owner, writing offers on `db` (page_cache.rs uses it too).
pub struct Publisher {
    pub offers: Offers,
    pub owner: i64,
    pub organisation: i64,
}

pub async fn publisher(app: &TestApp) -> Publisher {
    publisher_on(&app.db, app.indexer.clone()).await
}

/// The same on `db`, indexing through `search`.
pub async fn publisher_on(db: &Database, search: Indexer) -> Publisher {
    let world = World::on(db.clone(), None, Some(search)).await;
    let owner = world.user("mairie@rodez.example", "Mairie").await;
    let organisation = world.organisation(owner, "commune", "Collectivité partenaire", "12202", true).await;
    Publisher { offers: world.offers, owner, organisation }
}

impl Publisher {
    pub async fn publish(&self, form: OfferForm) -> i64 {
        let id = self.offers.create(self.owner, self.organisation, &form).await.unwrap();
        self.offers.publish(self.owner, id).await.unwrap();
        id
    }
}

fn says(html: &str, text: &str) -> bool {
    html.contains(&text.replace('\'', "&#x27;"))
}

#[tokio::test]
async fn the_board_finds_general_practice_in_rodez_through_typos_with_counts_and_highlights() {
    let app = spawn_app().await;
    let p = publisher(&app).await;
    let offers = p.offers.clone();
    let rodez = p.publish(remplacement()).await;
    let pediatrics = p
        .publish(OfferForm {
            specialty: "pediatrie".into(),
            title: "Pédiatre en cabinet".into(),
            description: "Cabinet de pédiatrie au centre-ville.".into(),
            ..remplacement()
        })
        .await;
    let millau = p
        .publish(OfferForm {
            commune: "12145".into(), title: "Remplacement d'été à Millau".into(), ..remplacement()
        })
        .await;
    app.indexed().await;

    let found = offers
        .read_board(&BoardQuery { text: Some("medecin generalste rodes".into()), ..BoardQuery::default() })
        .await
        .unwrap();
    let ids: Vec<i64> = found.entries.iter().map(|e| e.card.id).collect();
    assert_eq!(ids, [rodez], "general practice in Rodez, not pediatrics ({pediatrics}) nor Millau ({millau})");
    assert_eq!(found.total, 1);
    assert_eq!(found.facets.kind, [("remplacement".to_owned(), 1)], "counts equal the results");

    // The same through the page, without JavaScript: a GET form field.
    let (status, html) = app.page("/offres?q=medecin+generalste+rodes").await;
    assert_eq!(status, 200);
    assert!(html.contains(&format!("/offres/{rodez}-")) && !html.contains(&format!("/offres/{millau}-")));
    assert!(html.contains("<mark>Rodez</mark>"), "the matching word is highlighted");
    assert!(says(&html, "Remplacement (1)") && says(&html, "Installation libérale (0)"), "counts beside each filter");
    assert!(html.contains("value=\"medecin generalste rodes\""), "the box keeps the words");

    // Every offer, counted by kind and département: the counts add up to the total.
    let all = offers.read_board(&BoardQuery::default()).await.unwrap();
    assert_eq!(all.total, 3);
    assert_eq!(all.facets.kind.iter().map(|(_, n)| n).sum::<usize>(), all.total);
    assert_eq!(all.facets.departement, [("12".to_owned(), 3)]);
    assert_eq!(all.facets.housing.iter().map(|(_, n)| n).sum::<usize>(), 3);
}

#[tokio::test]
async fn thirty_km_around_millau_is_never_farther_than_thirty_km() {
    let app = spawn_app().await;
    let p = publisher(&app).await;
    let offers = p.offers.clone();
    // Millau, Saint-Affrique (about 25 km), Rodez (about 50 km), Toulouse (150 km).
    for commune in ["12145", "12208", "12202", "31555"] {
        p.publish(OfferForm { commune: commune.into(), ..remplacement() }).await;
    }
    server::demo::seed(&app.db, &Accounts::new(app.db.clone(), SITE.to_owned()), false, 200).await.unwrap();
    app.indexed().await;
    let query = BoardQuery {
        around: Some(app::model::Around::Code(InseeCode::parse("12145").unwrap())),
        radius_km: Some(30),
        ..BoardQuery::default()
    };
    let mut page = 1;
    let mut seen = 0;
    loop {
        let found = offers.read_board(&BoardQuery { page, ..query.clone() }).await.unwrap();
        for entry in &found.entries {
            let km = entry.distance_km.unwrap();
            assert!(km <= 30.0, "{} is {km} km from Millau", entry.card.commune_name);
        }
        seen += found.entries.len();
        if page >= found.pages {
            assert_eq!(seen, found.total);
            break;
        }
        page += 1;
    }
    assert!(seen >= 2, "Millau and Saint-Affrique at least");
}

#[tokio::test]
async fn writes_succeed_while_the_engine_is_down_and_wait_in_the_outbox() {
    // Nothing listens on port 9 of this machine: a real Meilisearch client, refused.
    let app = spawn_app_with(imported_db().await, &[("MEILI_URL", "http://127.0.0.1:9")]).await;
    let p = publisher(&app).await;
    let id = p.publish(remplacement()).await;
    let queued: i64 = sqlx::query_scalar(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM search_outbox WHERE entity = 'offer' AND entity_key = $1",
    )
    .bind(id.to_string())
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert!(queued >= 1, "the offer waits in the outbox");
    assert!(app.indexer.drain_once().await.is_err(), "the engine refuses");
    let still: i64 = sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM search_outbox WHERE entity_key = $1")
        .bind(id.to_string())
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(still, queued, "nothing is dropped");
    // The board says the search by words is unavailable, and shows what the database gives
    // for the other filters; the offer's own page still works.
    let (status, html) = app.page("/offres?q=rodez").await;
    assert_eq!(status, 200);
    assert!(says(&html, "La recherche par mots est momentanément indisponible"), "the notice");
    assert!(html.contains(&format!("/offres/{id}-")), "the offer, from the database");
    let (status, html) = app.page("/offres?type=installation").await;
    assert_eq!(status, 200);
    assert!(!html.contains(&format!("/offres/{id}-")), "the filters still apply");
    let (status, _) = app.page(&format!("/offres/{id}-x")).await;
    assert!(status == 200 || status == 301 || status == 308, "{status}");
}

/// `server serve` on `db_url` with its data in `data_dir`, as a child process.
fn serve(db_url: &str, data_dir: &std::path::Path) -> std::process::Child {
    std::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .arg("serve")
        .env("DATABASE_URL", db_url)
        .env("DATA_DIR", data_dir)
        .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("start the server")
}

async fn outbox(db: &Database) -> i64 {
    sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM search_outbox").fetch_one(&db.pool).await.unwrap()
}

#[tokio::test]
async fn a_server_killed_during_writes_loses_no_index_update() {
    let test_db = imported_db().await;
    let db = Database::connect(&test_db.url).await.unwrap();
    let data = tempfile::tempdir().unwrap();
    // This process only writes: its own indexer is never run.
    let idle = tempfile::tempdir().unwrap();
    let p = publisher_on(&db, indexer(&db, idle.path())).await;

    let mut first = serve(&test_db.url.0, data.path());
    let built = Instant::now();
    while !data.path().join("index").join("complete").exists() {
        assert!(built.elapsed() < Duration::from_secs(120), "the first server never built its index");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let mut published = Vec::new();
    // A pause between writes, so that the server indexes some of them before it dies.
    for i in 0..16 {
        published.push(p.publish(OfferForm { title: format!("Remplacement numéro {i}"), ..remplacement() }).await);
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // Killed (SIGKILL) in the middle of the writes, which go on without it.
    first.kill().expect("kill -9");
    first.wait().unwrap();
    for i in 16..40 {
        published.push(p.publish(OfferForm { title: format!("Remplacement numéro {i}"), ..remplacement() }).await);
    }
    // While no server runs: a withdrawal and an edit, which the index must also get.
    p.offers.withdraw(p.owner, published[3]).await.unwrap();
    let edited = OfferForm { title: "Remplacement à Millau".into(), commune: "12145".into(), ..remplacement() };
    p.offers.update(p.owner, published[4], &edited).await.unwrap();
    assert!(outbox(&db).await > 0, "changes wait for the engine");

    let mut second = serve(&test_db.url.0, data.path());
    let started = Instant::now();
    while outbox(&db).await > 0 {
        assert!(started.elapsed() < Duration::from_secs(120), "the second server never caught up");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    second.kill().unwrap();
    second.wait().unwrap();

    let engine = SearchEngine::open(data.path(), None).unwrap();
    let all = SearchQuery { page: 1, per_page: 100, ..SearchQuery::default() };
    let found = engine.search(Collection::Offers, &all).await.unwrap();
    let mut ids: Vec<i64> = found.hits.iter().map(|h| h.id.parse().unwrap()).collect();
    ids.sort();
    let expected: Vec<i64> = published.iter().copied().filter(|id| *id != published[3]).collect();
    assert_eq!(ids, expected, "every published offer, and not the withdrawn one");
    let millau = SearchQuery { text: "millau".into(), ..all };
    let found = engine.search(Collection::Offers, &millau).await.unwrap();
    assert_eq!(found.hits.iter().map(|h| h.id.parse::<i64>().unwrap()).collect::<Vec<_>>(), [published[4]]);
}

/// The offers an index finds, by id.
async fn offer_ids(indexer: &server::search::Indexer) -> Vec<i64> {
    let all = SearchQuery { page: 1, per_page: 100, ..SearchQuery::default() };
    let found = indexer.engine().search(Collection::Offers, &all).await.unwrap();
    let mut ids: Vec<i64> = found.hits.iter().map(|h| h.id.parse().unwrap()).collect();
    ids.sort();
    ids
}

async fn queued(db: &Database, entity_key: i64) -> i64 {
    sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM search_outbox WHERE entity = 'offer' AND entity_key = $1")
        .bind(entity_key.to_string())
        .fetch_one(&db.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn two_servers_with_embedded_indexes_each_apply_every_update_once() {
    // Two instances on one database, each with its own tantivy index: a reader of the outbox each.
    let test_db = imported_db().await;
    let db = Database::connect(&test_db.url).await.unwrap();
    let (dir_a, dir_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (a, b) = (indexer(&db, dir_a.path()), indexer(&db, dir_b.path()));
    assert_ne!(a.reader(), b.reader());
    // The writer's own indexer is never run: A and B apply the outbox when told here.
    let idle = tempfile::tempdir().unwrap();
    let p = publisher_on(&db, indexer(&db, idle.path())).await;
    indexed(&a).await;
    indexed(&b).await;

    let first = p.publish(remplacement()).await;
    assert!(a.drain_once().await.unwrap() > 0, "A applies the publication");
    assert!(queued(&db, first).await > 0, "kept for B, which has not applied it");
    assert_eq!(a.drain_once().await.unwrap(), 0, "A never applies a row twice");
    assert!(b.drain_once().await.unwrap() > 0, "B applies it too");
    assert_eq!(queued(&db, first).await, 0, "applied by both: deleted");
    assert_eq!(offer_ids(&a).await, [first]);
    assert_eq!(offer_ids(&b).await, [first]);

    // A withdrawal and a new offer, applied by B first this time.
    let second = p.publish(OfferForm { title: "Remplacement à Millau".into(), ..remplacement() }).await;
    p.offers.withdraw(p.owner, first).await.unwrap();
    b.drain_once().await.unwrap();
    a.drain_once().await.unwrap();
    assert_eq!(offer_ids(&a).await, [second]);
    assert_eq!(offer_ids(&b).await, [second]);
    assert_eq!(outbox(&db).await, 0);
    let records: i64 =
        sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM search_applied").fetch_one(&db.pool).await.unwrap();
    assert_eq!(records, 0, "no record outlives its row");

    // B stops and stays away for more than a day: a third instance starting forgets it, and
    // what A applied since no longer waits for B.
    let third = p.publish(OfferForm { title: "Remplacement à Espalion".into(), ..remplacement() }).await;
    a.drain_once().await.unwrap();
    assert!(queued(&db, third).await > 0, "waits for B");
    sqlx::query("UPDATE search_readers SET seen_at = seen_at - 2 * 86400 WHERE name = $1")
        .bind(b.reader())
        .execute(&db.pool)
        .await
        .unwrap();
    let dir_c = tempfile::tempdir().unwrap();
    let c = indexer(&db, dir_c.path());
    indexed(&c).await;
    assert_eq!(queued(&db, third).await, 0, "B forgotten: applied by A and C, deleted");
    assert_eq!(offer_ids(&c).await, [second, third], "the new index was built from the database");
    let readers: Vec<String> =
        sqlx::query_scalar("SELECT name FROM search_readers ORDER BY name").fetch_all(&db.pool).await.unwrap();
    let mut expected = vec![a.reader().to_owned(), c.reader().to_owned()];
    expected.sort();
    assert_eq!(readers, expected);
}

#[tokio::test]
async fn a_server_suspended_for_more_than_a_day_rebuilds_its_index_when_it_wakes() {
    let test_db = imported_db().await;
    let db = Database::connect(&test_db.url).await.unwrap();
    let (dir_a, dir_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let a = indexer(&db, dir_a.path());
    let idle = tempfile::tempdir().unwrap();
    let p = publisher_on(&db, indexer(&db, idle.path())).await;
    indexed(&a).await;
    let before = p.publish(remplacement()).await;
    indexed(&a).await;
    assert_eq!(offer_ids(&a).await, [before]);

    // A's process is suspended: its last heartbeat grows older than a day. Meanwhile an
    // offer is published and B starts, forgets A, applies the offer and prunes its row.
    sqlx::query("UPDATE search_readers SET seen_at = seen_at - 2 * 86400 WHERE name = $1")
        .bind(a.reader())
        .execute(&db.pool)
        .await
        .unwrap();
    let missed = p.publish(OfferForm { title: "Remplacement à Espalion".into(), ..remplacement() }).await;
    let b = indexer(&db, dir_b.path());
    indexed(&b).await;
    assert_eq!(queued(&db, missed).await, 0, "the row A never applied is gone");

    // A wakes up: its heartbeat finds it forgotten, and it rebuilds rather than miss the offer.
    a.forget_heartbeat();
    indexed(&a).await;
    assert_eq!(offer_ids(&a).await, [before, missed], "rebuilt from the database");
    let readers: Vec<String> =
        sqlx::query_scalar("SELECT name FROM search_readers ORDER BY name").fetch_all(&db.pool).await.unwrap();
    let mut expected = vec![a.reader().to_owned(), b.reader().to_owned()];
    expected.sort();
    assert_eq!(readers, expected, "a reader again");
    let later = p.publish(OfferForm { title: "Remplacement à Millau".into(), ..remplacement() }).await;
    indexed(&a).await;
    indexed(&b).await;
    assert_eq!(queued(&db, later).await, 0, "applied by both, deleted");
    assert_eq!(offer_ids(&a).await, [before, missed, later]);
}
