//! Faults of a real Meilisearch, each on a server of the test's own (meili.rs): killed while
//! offers are being published, a wrong master key, an index deleted behind our back. Writes
//! always succeed, pages never fail with a 500, and the index comes back whole.

use crate::helpers::*;
use crate::meili::{MeiliServer, unique_prefix};
use crate::offers::remplacement;
use crate::search_index::publisher;
use app::domain::offers::OfferForm;
use server::db::Database;
use server::search::{Collection, SearchQuery};
use std::collections::HashSet;
use std::time::{Duration, Instant};

/// A portal on `meili` with indexes named after `prefix`, and the given master key.
async fn portal_on(meili: &MeiliServer, key: &str, prefix: &str) -> TestApp {
    let overrides = [("MEILI_URL", meili.url.as_str()), ("MEILI_MASTER_KEY", key), ("MEILI_INDEX_PREFIX", prefix)];
    spawn_app_with(imported_db().await, &overrides).await
}

async fn outbox(db: &Database) -> i64 {
    sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM search_outbox").fetch_one(&db.pool).await.unwrap()
}

/// The offers the engine of `app` finds, by id.
async fn indexed_offers(app: &TestApp) -> Vec<i64> {
    let all = SearchQuery { page: 1, per_page: 1000, ..SearchQuery::default() };
    let found = app.indexer.engine().search(Collection::Offers, &all).await.unwrap();
    assert_eq!(found.total, found.hits.len(), "one page holds them all");
    let mut ids: Vec<i64> = found.hits.iter().map(|h| h.id.parse().unwrap()).collect();
    ids.sort();
    ids
}

/// Wakes the indexer of `app` until `done` holds, a minute at most.
async fn until<F, Fut>(app: &TestApp, what: &str, done: F)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let started = Instant::now();
    while !done().await {
        assert!(started.elapsed() < Duration::from_secs(60), "{what}: not after a minute");
        app.indexer.wake();
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The board while the engine may be down: never a 500; the engine's results, or the
/// database's with the French notice that the words were left out.
async fn board_answers(app: &TestApp, listed: i64) {
    let (status, html) = app.page("/offres?q=remplacement").await;
    assert_eq!(status, 200, "{}", &html[..html.len().min(300)]);
    assert!(html.contains(&format!("/offres/{listed}-")), "offer {listed} is listed");
}

#[tokio::test]
async fn meilisearch_killed_while_200_offers_are_published_loses_none_and_counts_none_twice() {
    let mut meili = MeiliServer::start().await;
    let app = portal_on(&meili, &meili.key.clone(), &unique_prefix("killed")).await;
    let p = publisher(&app).await;
    let mut published = Vec::new();
    for i in 0..200 {
        if i == 70 {
            // SIGKILL in the middle of the publications, which go on without it.
            meili.kill();
        }
        if i == 120 {
            board_answers(&app, published[119]).await;
        }
        let form = OfferForm { title: format!("Remplacement numéro {i}"), ..remplacement() };
        published.push(p.publish(form).await);
    }
    assert_eq!(published.iter().collect::<HashSet<_>>().len(), 200, "every write succeeded");
    assert!(outbox(&app.db).await > 0, "what Meilisearch missed waits in the outbox");
    board_answers(&app, published[199]).await;

    meili.restart().await;
    until(&app, "the outbox applied after the restart", || async { outbox(&app.db).await == 0 }).await;
    published.sort();
    assert_eq!(indexed_offers(&app).await, published, "all 200, each once");
    let found = p
        .offers
        .read_board(&app::domain::offers::BoardQuery { text: Some("remplacement".into()), ..Default::default() })
        .await
        .unwrap();
    assert_eq!(found.total, 200);
}

#[tokio::test]
async fn a_wrong_master_key_is_answered_in_french_and_never_with_a_500() {
    let meili = MeiliServer::start().await;
    let app = portal_on(&meili, "une-cle-qui-n-est-pas-la-bonne", &unique_prefix("wrong_key")).await;
    let p = publisher(&app).await;
    let id = p.publish(remplacement()).await;
    assert!(id > 0, "the write succeeds");
    let error = app.indexer.drain_once().await.unwrap_err().to_string();
    assert!(error.contains("Meilisearch refuse la clé donnée (MEILI_MASTER_KEY)"), "{error}");
    board_answers(&app, id).await;
    for path in ["/", "/offres", "/recherche?q=rodez", &format!("/offres/{id}-x")] {
        let (status, _) = app.page(path).await;
        assert!(status < 500 || status == 503, "{path}: {status}");
    }
}

#[tokio::test]
async fn an_index_deleted_behind_our_back_is_made_again_and_rebuilt() {
    let meili = MeiliServer::start().await;
    let prefix = unique_prefix("deleted");
    let app = portal_on(&meili, &meili.key.clone(), &prefix).await;
    let p = publisher(&app).await;
    let mut published = Vec::new();
    for i in 0..5 {
        published.push(p.publish(OfferForm { title: format!("Remplacement numéro {i}"), ..remplacement() }).await);
    }
    app.indexed().await;
    assert_eq!(indexed_offers(&app).await, published);

    let deleted = reqwest::Client::new()
        .delete(format!("{}/indexes/{prefix}_offers", meili.url))
        .bearer_auth(&meili.key)
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status().as_u16(), 202);
    let gone = || async {
        let response = reqwest::Client::new()
            .get(format!("{}/indexes/{prefix}_offers", meili.url))
            .bearer_auth(&meili.key)
            .send()
            .await
            .unwrap();
        response.status().as_u16() == 404
    };
    let started = Instant::now();
    while !gone().await {
        assert!(started.elapsed() < Duration::from_secs(30), "the index was not deleted");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    board_answers(&app, published[4]).await;

    let rebuilt = || async {
        let all = SearchQuery { page: 1, per_page: 10, ..SearchQuery::default() };
        app.indexer.engine().search(Collection::Offers, &all).await.is_ok_and(|found| found.total == 5)
    };
    until(&app, "the index rebuilt", rebuilt).await;
    assert_eq!(indexed_offers(&app).await, published);
    let (status, html) = app.page("/offres?q=remplacement").await;
    assert_eq!(status, 200);
    assert!(html.contains("<mark>Remplacement</mark> numéro 4"), "the offers, found (and marked) again");
    assert!(!html.contains("momentanément indisponible"), "no notice once rebuilt");
}
