//! The page cache: public responses rendered once, then served from memory, compressed once,
//! with an ETag, for as long as the data they show has not changed.
//!
//! Freshness is exact. Each response depends on scopes of data (`policy`); the database
//! carries their versions, changed by triggers in the very transaction of a write
//! (`versions`), and every request checks them with a read started after it arrived, shared
//! by the requests of that instant. A write through any server is therefore seen on the next
//! request by every server on the same database. Time changes pages too (a publication ends,
//! a day begins): each response is also kept only until the next such instant.
//!
//! What is kept is what anonymous visitors get. Signed-in people get the same data files, and
//! pages that differ for them only by the header's account links from the same copy with
//! those links replaced (the anonymous copy rendered first when there is none, so a page only
//! signed-in people visit is kept too); other pages are rendered for them. A response holding
//! the visitor's form token, setting a cookie or already encoded is never kept. Memory is
//! bounded by a byte budget (PAGE_CACHE_MB).

mod policy;
pub(crate) mod store;
mod versions;

pub use policy::{Personal, Policy};
pub use versions::{Deps, ReadForRequest, Scope, Snapshot, VersionError, VersionGate, Versions, read_versions};

use crate::http::session;
use crate::search::Indexer;
use app::domain::accounts::{SignedIn, Viewer};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use store::{Encoding, Entry, Plain, Store};
use tokio::sync::Semaphore;

/// How long a render waits for the search index to catch up with the database.
const INDEX_WAIT: std::time::Duration = std::time::Duration::from_secs(2);
/// A body larger than this is served but not kept.
const LARGEST: usize = 4 * 1024 * 1024;
/// What lets a shared cache in front (nginx, a CDN) keep a response and check it by ETag at
/// each use: it changes with the data, not with time.
const PUBLIC: &str = "public, no-cache";

/// Says whether a response came from memory (`hit`) or was rendered (`miss`), as shared
/// caches do: for operators, and the tests.
const STATUS: &str = "x-cache";

/// Set on the responses the cache serves or keeps: they hold no form token, so the session
/// layer gives no cookie with them (and a shared cache may keep them).
#[derive(Debug, Clone, Copy)]
pub struct Shared;

#[derive(Debug)]
pub struct PageCache {
    gate: VersionGate,
    store: Store,
    /// Plain-text copies of kept responses, for clients that accept no compression, in a
    /// budget of their own (an eighth of the pages'): a burst of such requests over many
    /// addresses (a crawler, a script) cannot push the compressed pages out.
    plain: Store<Plain>,
    indexer: Indexer,
    /// Renders of cached addresses under way at once: bounds memory under a burst of misses.
    renders: Semaphore,
    /// The render under way per address: other requests for it wait for it. Shared with
    /// each render's `Pilot`, which takes its address out when it ends.
    flights: Flights,
}

impl PageCache {
    pub fn new(gate: VersionGate, indexer: Indexer, budget: usize) -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Self {
            gate,
            store: Store::new(budget),
            plain: Store::new(budget / 8),
            indexer,
            renders: Semaphore::new(cores * 2),
            flights: Arc::default(),
        }
    }

    /// Bytes and entries held (plain-text copies included).
    pub fn usage(&self) -> (usize, usize) {
        let ((pages, count), (plain, copies)) = (self.store.usage(), self.plain.usage());
        (pages + plain, count + copies)
    }

    /// The body of `entry`, kept for `key`, without compression: its plain copy, or the gzip
    /// copy decompressed (a few hundred microseconds for a page) and then kept.
    fn plain_body(&self, key: &str, entry: &Entry) -> bytes::Bytes {
        if let Some(copy) = self.plain.get(key)
            && copy.etag == entry.etag
        {
            return copy.body.clone();
        }
        let body = entry.identity();
        self.plain.put(key, Arc::new(Plain { etag: entry.etag.clone(), body: body.clone() }));
        body
    }

    /// The first request for `key` renders; the others get None at once and, through the
    /// returned wait, the end of that render.
    fn board(&self, key: &str) -> Flight {
        let mut flights = self.flights.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        match flights.get(key) {
            Some(landing) => Flight::Wait(landing.clone()),
            None => {
                let landing = Arc::new(Semaphore::new(0));
                flights.insert(key.to_owned(), landing.clone());
                Flight::Mine(Pilot { flights: self.flights.clone(), key: key.to_owned(), landing })
            }
        }
    }
}

type Flights = Arc<Mutex<HashMap<String, Arc<Semaphore>>>>;

enum Flight {
    Mine(Pilot),
    Wait(Arc<Semaphore>),
}

/// The render of one address; when dropped (done, failed or cancelled), the waiting requests go.
struct Pilot {
    flights: Flights,
    key: String,
    landing: Arc<Semaphore>,
}

impl Drop for Pilot {
    fn drop(&mut self) {
        let mut flights = self.flights.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        flights.remove(&self.key);
        self.landing.close();
    }
}

/// The header's account links, as the anonymous copy has them and as a signed-in person
/// gets them (app/src/app.rs, `AccountNav`).
const SIGNED_OUT_NAV: &str =
    r#"<li><a href="/connexion">Se connecter</a></li><li><a href="/inscription">Créer un compte</a></li>"#;
const SIGNED_IN_NAV: &str = r#"<li><a href="/compte">Mon compte</a></li>"#;

/// The middleware, inside the session layer (it needs to know who asks).
pub async fn serve(State(cache): State<Arc<PageCache>>, request: Request, next: Next) -> Response {
    let head = request.method() == Method::HEAD;
    let signed_in = request.extensions().get::<SignedIn>().is_some();
    let policy = match policy::of(request.uri().path()) {
        // A page that may show what someone typed is theirs alone.
        _ if request.extensions().get::<crate::http::flash::Flashed>().is_some() => return next.run(request).await,
        Some(policy) if head || request.method() == Method::GET => policy,
        _ => return next.run(request).await,
    };
    if signed_in && policy.personal == Personal::Own {
        return next.run(request).await;
    }
    let deps = policy.deps;
    let key =
        request.uri().path_and_query().map_or_else(|| request.uri().path().to_owned(), |pq| pq.as_str().to_owned());
    let snapshot = match cache.gate.for_request(request.extensions()).await {
        Ok(snapshot) => snapshot,
        // The page is still served, rendered from the database, which may answer.
        Err(_) => return next.run(request).await,
    };
    let kept = fresh(&cache, &key, &snapshot);
    if signed_in && policy.personal == Personal::Header {
        // Their page is the anonymous copy with their header, kept too, or their own render.
        // Without an anonymous copy, the page is first rendered as an anonymous visitor gets
        // it, and kept: their own render could never be shared, so a page only signed-in
        // people visit would otherwise be rendered at each of their requests. Not when nothing
        // can be kept (no budget): that would be two renders for one page.
        let kept = match kept {
            None if !head && cache.store.can_hold(&key) => {
                render(&cache, &key, deps, &snapshot, session::as_anonymous(&request), next.clone()).await;
                fresh(&cache, &key, &snapshot)
            }
            kept => kept,
        };
        let account_key = format!("{key} {ACCOUNT}");
        return match kept.and_then(|entry| account_copy(&cache, &account_key, &entry, &snapshot)) {
            Some(entry) => {
                let mut response = respond(&cache, &account_key, &entry, request.headers(), head, true);
                // Theirs alone for a shared cache in front, and their session lives on.
                response.extensions_mut().remove::<Shared>();
                response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-cache"));
                response
            }
            None => next.run(request).await,
        };
    }
    if let Some(entry) = kept {
        return respond(&cache, &key, &entry, request.headers(), head, true);
    }
    if head {
        return next.run(request).await;
    }
    render(&cache, &key, deps, &snapshot, request, next).await
}

/// Renders the page of `key` (a GET) and keeps it when it may be: once for all the requests
/// that ask for it meanwhile.
async fn render(
    cache: &PageCache,
    key: &str,
    deps: Deps,
    snapshot: &Snapshot,
    request: Request,
    next: Next,
) -> Response {
    // A page that may come from the search index (the board, the map's offers, commune
    // search) waits a little for it to hold what this request's versions count: a change is
    // on the very next page, for everyone, and that render can be kept.
    if crate::search::INDEXED.iter().any(|scope| deps.contains(*scope)) {
        cache.indexer.holds_within(&snapshot.versions, INDEX_WAIT).await;
    }
    let _pilot = match cache.board(key) {
        Flight::Mine(pilot) => Some(pilot),
        Flight::Wait(landing) => {
            // Closed when that render ends: an error only says so.
            let _ = landing.acquire().await;
            if let Some(entry) = fresh(cache, key, snapshot) {
                return respond(cache, key, &entry, request.headers(), false, true);
            }
            None
        }
    };
    let Ok(_render) = cache.renders.acquire().await else {
        return next.run(request).await;
    };
    let csrf = request.extensions().get::<Viewer>().map(|viewer| viewer.csrf.clone());
    let accept = request.headers().clone();
    let failed_searches = cache.indexer.failed_searches();
    let response = next.run(request).await;
    match keepable(response, csrf.as_deref()).await {
        // Kept only when the search index held every change of these versions: the board,
        // the map's offers and commune search come from it, and it follows the database a
        // moment later; and not when a search failed meanwhile (the board may then show the
        // database's answer without the words).
        Ok((headers, body))
            if cache.store.can_hold(key)
                && cache.indexer.holds(&snapshot.versions)
                && cache.indexer.failed_searches() == failed_searches =>
        {
            let entry = Arc::new(Entry::new(headers, body, deps, snapshot));
            cache.store.put(key, entry.clone());
            respond(cache, key, &entry, &accept, false, false)
        }
        // Not kept: compressed for this client only (by the response compression), not in
        // every encoding for a copy that would be dropped at once.
        Ok((headers, body)) => respond_once(headers, body, &accept),
        Err(response) => response,
    }
}

/// What follows an address, after a space, in the key of its copy for signed-in people: a
/// space never appears in a request's path and query, so no address has this key.
const ACCOUNT: &str = "compte";

/// The kept page with the account links of a signed-in person, when it differs from theirs
/// by those only: the links are found once, and no other part invites to sign in (what each
/// part that differs for them shows instead). Every signed-in person gets the same links, so
/// this copy is kept beside the anonymous one (under `key`), compressed once, valid as long
/// as it is.
fn account_copy(cache: &PageCache, key: &str, anonymous: &Entry, snapshot: &Snapshot) -> Option<Arc<Entry>> {
    if let Some(entry) = fresh(cache, key, snapshot) {
        return Some(entry);
    }
    let identity = anonymous.identity();
    let html = std::str::from_utf8(&identity).ok()?;
    let sign_in_links = html.matches(r#"href="/connexion"#).count();
    if html.matches(SIGNED_OUT_NAV).count() != 1 || sign_in_links != 1 {
        return None;
    }
    let body = html.replacen(SIGNED_OUT_NAV, SIGNED_IN_NAV, 1);
    let entry = Arc::new(anonymous.with_body(body.into()));
    cache.store.put(key, entry.clone());
    Some(entry)
}

fn fresh(cache: &PageCache, key: &str, snapshot: &Snapshot) -> Option<Arc<Entry>> {
    let entry = cache.store.get(key)?;
    if entry.fresh(snapshot, cache.gate.clock().now()) {
        Some(entry)
    } else {
        cache.store.remove(key);
        None
    }
}

/// The headers and body of a response fit to keep, or the response as it was.
async fn keepable(response: Response, csrf: Option<&str>) -> Result<(HeaderMap, bytes::Bytes), Response> {
    let headers = response.headers();
    let shared = response.status() == StatusCode::OK
        && !headers.contains_key(header::SET_COOKIE)
        && !headers.contains_key(header::CONTENT_ENCODING)
        && headers.contains_key(header::CONTENT_TYPE)
        && !headers
            .get(header::CACHE_CONTROL)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("no-store") || v.contains("private"));
    if !shared {
        return Err(response);
    }
    let (parts, body) = response.into_parts();
    let body = match read_within(body, LARGEST).await {
        Ok(Ok(body)) => body,
        // Too large to keep: sent as it comes.
        Ok(Err(whole)) => return Err(Response::from_parts(parts, whole)),
        Err(error) => {
            tracing::error!(%error, "page cache: body not read");
            return Err(StatusCode::INTERNAL_SERVER_ERROR.into_response());
        }
    };
    // A page with the visitor's form token is theirs alone.
    if let Some(token) = csrf
        && memchr_contains(&body, token.as_bytes())
    {
        return Err(Response::from_parts(parts, Body::from(body)));
    }
    let mut headers = parts.headers;
    for name in [header::CONTENT_LENGTH, header::ETAG, header::CACHE_CONTROL, header::VARY, header::DATE] {
        headers.remove(name);
    }
    Ok((headers, body))
}

/// `body` read whole when it holds at most `limit` bytes; else, as soon as it passes them, a
/// body that gives what was read and then the rest (reading it whole first would hold a large
/// export in memory only to refuse it).
async fn read_within(body: Body, limit: usize) -> Result<Result<bytes::Bytes, Body>, axum::Error> {
    let mut stream = body.into_data_stream();
    let mut read = Vec::new();
    let mut size = 0;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk?;
        size += chunk.len();
        read.push(chunk);
        if size > limit {
            let rest = futures_util::stream::iter(read.into_iter().map(Ok)).chain(stream);
            return Ok(Err(Body::from_stream(rest)));
        }
    }
    Ok(Ok(match read.as_slice() {
        [one] => one.clone(),
        _ => read.concat().into(),
    }))
}

fn memchr_contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|window| window == needle)
}

/// A kept response (kept for `key`): 304 when the client holds it, else its bytes in the best
/// encoding the client accepts.
fn respond(cache: &PageCache, key: &str, entry: &Entry, request: &HeaderMap, head: bool, hit: bool) -> Response {
    let sent = Sent { etag: &entry.etag, headers: &entry.headers, head, hit };
    sent.reply(request, |encoding| match encoding {
        Encoding::Brotli => (entry.brotli.clone(), encoding),
        Encoding::Gzip => (entry.gzip.clone(), encoding),
        Encoding::Identity => (cache.plain_body(key, entry), encoding),
    })
}

/// A render that is not kept, with the validator and headers a kept one would have. It goes
/// out plain: the response compression, outside the cache, compresses it in the one encoding
/// this client takes, as every response made per request.
fn respond_once(headers: HeaderMap, body: bytes::Bytes, request: &HeaderMap) -> Response {
    let etag = store::etag(&body);
    let sent = Sent { etag: &etag, headers: &headers, head: false, hit: false };
    sent.reply(request, |_| (body, Encoding::Identity))
}

/// What the cache answers with, beside the body.
struct Sent<'a> {
    etag: &'a HeaderValue,
    /// The response's own headers (type, disposition…).
    headers: &'a HeaderMap,
    head: bool,
    /// From memory (or rendered for this request).
    hit: bool,
}

impl Sent<'_> {
    /// 304 when the client holds this ETag, else the headers and the body that `body` gives for
    /// the best encoding the client accepts, with the encoding it is in.
    fn reply(&self, request: &HeaderMap, body: impl FnOnce(Encoding) -> (bytes::Bytes, Encoding)) -> Response {
        let mut headers = HeaderMap::with_capacity(self.headers.len() + 5);
        headers.insert(STATUS, HeaderValue::from_static(if self.hit { "hit" } else { "miss" }));
        headers.insert(header::ETAG, self.etag.clone());
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(PUBLIC));
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding, cookie"));
        if store::client_holds(request, self.etag) {
            let mut response = (StatusCode::NOT_MODIFIED, headers).into_response();
            response.extensions_mut().insert(Shared);
            return response;
        }
        for (name, value) in self.headers {
            headers.insert(name.clone(), value.clone());
        }
        let accept = request.get(header::ACCEPT_ENCODING).and_then(|v| v.to_str().ok()).unwrap_or_default();
        let (body, encoding) = body(Encoding::negotiate(accept));
        if let Some(name) = encoding.header() {
            headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(name));
        }
        headers.insert(header::CONTENT_LENGTH, HeaderValue::from(body.len()));
        let body = if self.head { Body::empty() } else { Body::from(body) };
        let mut response = (StatusCode::OK, headers, body).into_response();
        response.extensions_mut().insert(Shared);
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A body in chunks of 64 KB, as a render streams it.
    fn streamed(size: usize) -> (Body, Vec<u8>) {
        let bytes: Vec<u8> = (0..size).map(|i| (i % 251) as u8).collect();
        let chunks: Vec<Result<bytes::Bytes, std::io::Error>> =
            bytes.chunks(64 * 1024).map(|chunk| Ok(bytes::Bytes::copy_from_slice(chunk))).collect();
        (Body::from_stream(futures_util::stream::iter(chunks)), bytes)
    }

    #[tokio::test]
    async fn a_body_within_the_bound_is_read_whole_and_a_larger_one_is_sent_whole_unread() {
        let (body, bytes) = streamed(300 * 1024);
        let read = read_within(body, 300 * 1024).await.unwrap().expect("within the bound");
        assert_eq!(read, bytes);
        let (body, bytes) = streamed(300 * 1024 + 1);
        let whole = read_within(body, 300 * 1024).await.unwrap().expect_err("over the bound");
        assert_eq!(axum::body::to_bytes(whole, usize::MAX).await.unwrap(), bytes, "nothing lost");
    }
}
