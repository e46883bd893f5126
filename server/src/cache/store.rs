//! The responses kept in memory: each with its bytes compressed twice, its validator and the
//! data versions it was rendered at; least recently used ones leave first once the byte budget
//! is spent. Plain-text copies, for the few clients that accept no compression, are kept apart
//! in a budget of their own, so that they never push compressed pages out.

use super::versions::{Deps, Snapshot, Versions};
use axum::http::{HeaderMap, HeaderValue};
use bytes::Bytes;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::sync::{Arc, Mutex};

/// One response as rendered once for every anonymous visitor.
#[derive(Debug)]
pub struct Entry {
    /// The response's own headers (type, disposition…), without length or encoding.
    pub headers: HeaderMap,
    pub etag: HeaderValue,
    /// The body, kept compressed, each copy at its exact size: a page weighs about a fifth of
    /// its text, so the budget holds five times more pages. A client that accepts neither
    /// encoding (rare: browsers ask for brotli) gets a `Plain` copy, kept apart.
    pub gzip: Bytes,
    pub brotli: Bytes,
    /// What it was rendered from: valid while these scopes keep their versions…
    pub deps: Deps,
    pub versions: Versions,
    /// …and until this instant (unix seconds), when time changes it.
    pub until: i64,
}

impl Entry {
    /// Compresses `body` once, at settings worth their cost for a response served many times.
    pub fn new(headers: HeaderMap, body: Bytes, deps: Deps, rendered: &Snapshot) -> Self {
        Self {
            headers,
            etag: etag(&body),
            gzip: gzip(&body),
            brotli: brotli(&body),
            deps,
            versions: rendered.versions,
            until: rendered.deadline,
        }
    }

    /// The body as rendered, from its gzip copy: a few hundred microseconds for a page.
    pub fn identity(&self) -> Bytes {
        let mut plain = Vec::with_capacity(self.gzip.len() * 6);
        std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&self.gzip[..]), &mut plain)
            .expect("gzip made here, in memory, decompresses");
        plain.into()
    }

    /// The same response with another body, valid exactly as long as this one.
    pub fn with_body(&self, body: Bytes) -> Self {
        let rendered = Snapshot { versions: self.versions, deadline: self.until };
        Self::new(self.headers.clone(), body, self.deps, &rendered)
    }

    /// Whether it still shows what a render at `now` would.
    pub fn fresh(&self, now: &Snapshot, at: i64) -> bool {
        at < self.until && self.versions.same_for(&now.versions, self.deps)
    }
}

/// The validator of `body`: its digest, so the same bytes have the same ETag on every server.
pub fn etag(body: &[u8]) -> HeaderValue {
    let digest = Sha256::digest(body);
    HeaderValue::from_str(&format!("\"{}\"", &hex::encode(digest)[..32])).expect("hexadecimal text is a header value")
}

/// Whether the client already holds the version `etag` names: its If-None-Match lists it, or
/// `*`. The comparison is weak, as the header's is: a proxy that compresses a response (nginx
/// does) marks its ETag weak, `W/"…"`, and the client sends it back so.
pub fn client_holds(request: &HeaderMap, etag: &HeaderValue) -> bool {
    let held = request.get(axum::http::header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let etag = etag.to_str().unwrap_or_default();
    held.split(',').any(|tag| matches!(tag.trim().trim_start_matches("W/"), t if t == etag || t == "*"))
}

/// How a response's bytes travel: the pages kept here, the site's files and the map's layers
/// are each compressed ahead, and sent in the best encoding the client takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Identity,
    Gzip,
    Brotli,
}

impl Encoding {
    /// The best encoding `accept` (an Accept-Encoding header) allows among ours: brotli, then
    /// gzip; an encoding given `q=0` is refused.
    pub fn negotiate(accept: &str) -> Self {
        let allowed = |name: &str| {
            accept.split(',').any(|part| {
                let mut pieces = part.split(';').map(str::trim);
                let token = pieces.next().unwrap_or_default();
                let refused = pieces.any(|p| p.strip_prefix("q=").and_then(|q| q.parse::<f32>().ok()) == Some(0.0));
                (token.eq_ignore_ascii_case(name) || token == "*") && !refused
            })
        };
        if allowed("br") {
            Encoding::Brotli
        } else if allowed("gzip") {
            Encoding::Gzip
        } else {
            Encoding::Identity
        }
    }

    pub fn header(self) -> Option<&'static str> {
        match self {
            Encoding::Identity => None,
            Encoding::Gzip => Some("gzip"),
            Encoding::Brotli => Some("br"),
        }
    }
}

/// What a kept value weighs against its store's budget.
pub trait Weighed {
    /// The bytes it holds, and a little for the rest.
    fn weight(&self) -> usize;
}

/// What each kept value costs beside its bytes: key, headers, bookkeeping.
const OVERHEAD: usize = 512;

impl Weighed for Entry {
    fn weight(&self) -> usize {
        self.gzip.len() + self.brotli.len() + OVERHEAD
    }
}

/// A response's body without compression, for the entry whose validator it carries.
#[derive(Debug)]
pub struct Plain {
    pub etag: HeaderValue,
    pub body: Bytes,
}

impl Weighed for Plain {
    fn weight(&self) -> usize {
        self.body.len() + OVERHEAD
    }
}

/// `body` in gzip, level 7 (the site's files use it too: server/src/http/assets.rs).
pub(crate) fn gzip(body: &[u8]) -> Bytes {
    let mut encoder = flate2::write::GzEncoder::new(Vec::with_capacity(body.len() / 4), flate2::Compression::new(7));
    encoder.write_all(body).expect("writing to memory");
    exact(encoder.finish().expect("writing to memory"))
}

/// `body` in brotli for a page, compressed again at each change of its data: quality 4 with a
/// 64 KB window. From quality 5 up, this brotli builds a hash table of several megabytes,
/// allocated and zeroed at each call whatever the body's size, which the allocator gives back
/// to the system between renders: the faults and the search took most of a render (14 to 19
/// ms for a 7.7 KB page, about 40 ms for a commune's; `perf`, 7 December 2026). Quality 4
/// takes 1.3 ms for 8 KB and 2.9 ms for 48 KB, for pages 3 to 8 % larger than at quality 5 to
/// 8, which all gave the same bytes here (README, « Performances et qualité »).
fn brotli(body: &[u8]) -> Bytes {
    compress(body, brotli::enc::BrotliEncoderParams { quality: 4, lgwin: 16, ..Default::default() })
}

/// `body` in brotli for bytes compressed once and sent many times (the site's code, MapLibre,
/// the map's reference layers): quality 9, with a window wide enough for a whole bundle.
pub(crate) fn brotli_once(body: &[u8]) -> Bytes {
    compress(body, brotli::enc::BrotliEncoderParams { quality: 9, lgwin: 22, ..Default::default() })
}

fn compress(body: &[u8], params: brotli::enc::BrotliEncoderParams) -> Bytes {
    let mut out = Vec::with_capacity(body.len() / 5);
    brotli::BrotliCompress(&mut &body[..], &mut out, &params).expect("writing to memory");
    exact(out)
}

/// The bytes without the spare capacity their vector grew: what the budget counts is what
/// memory holds.
fn exact(mut bytes: Vec<u8>) -> Bytes {
    bytes.shrink_to_fit();
    bytes.into()
}

/// The kept values, by address, within `budget` bytes.
#[derive(Debug)]
pub struct Store<V = Entry> {
    inner: Arc<Mutex<Kept<V>>>,
}

impl<V> Clone for Store<V> {
    fn clone(&self) -> Self {
        Self { inner: self.inner.clone() }
    }
}

#[derive(Debug)]
struct Kept<V> {
    budget: usize,
    used: usize,
    clock: u64,
    by_key: HashMap<Arc<str>, (Arc<V>, u64)>,
    /// Keys by last use, oldest first.
    by_use: BTreeMap<u64, Arc<str>>,
}

impl<V: Weighed> Store<V> {
    pub fn new(budget: usize) -> Self {
        let kept = Kept { budget, used: 0, clock: 0, by_key: HashMap::new(), by_use: BTreeMap::new() };
        Self { inner: Arc::new(Mutex::new(kept)) }
    }

    fn kept(&self) -> std::sync::MutexGuard<'_, Kept<V>> {
        self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The value kept for `key`, marked as just used.
    pub fn get(&self, key: &str) -> Option<Arc<V>> {
        let mut kept = self.kept();
        kept.clock += 1;
        let now = kept.clock;
        let (name, (entry, used)) = kept.by_key.get_key_value(key)?;
        let (name, entry, used) = (name.clone(), entry.clone(), *used);
        kept.by_use.remove(&used);
        kept.by_use.insert(now, name.clone());
        if let Some(kept_entry) = kept.by_key.get_mut(&name) {
            kept_entry.1 = now;
        }
        Some(entry)
    }

    /// Keeps `entry` for `key` (replacing what was there), then drops the least recently
    /// used entries until the budget holds; an entry larger than the whole budget is not kept.
    pub fn put(&self, key: &str, entry: Arc<V>) {
        let mut kept = self.kept();
        let size = key.len() + entry.weight();
        kept.remove(key);
        if size > kept.budget {
            return;
        }
        kept.clock += 1;
        let now = kept.clock;
        let key: Arc<str> = key.into();
        kept.by_use.insert(now, key.clone());
        kept.by_key.insert(key, (entry, now));
        kept.used += size;
        while kept.used > kept.budget {
            let Some((_, oldest)) = kept.by_use.pop_first() else { break };
            if let Some((entry, _)) = kept.by_key.remove(&oldest) {
                kept.used -= oldest.len() + entry.weight();
            }
        }
    }

    /// Whether a value for `key` could be kept at all: not when the budget is smaller than
    /// what any value costs beside its bytes (PAGE_CACHE_MB=0 keeps nothing).
    pub fn can_hold(&self, key: &str) -> bool {
        key.len() + OVERHEAD <= self.kept().budget
    }

    /// Forgets `key` (its entry is stale).
    pub fn remove(&self, key: &str) {
        self.kept().remove(key);
    }

    /// Bytes held, and entries.
    pub fn usage(&self) -> (usize, usize) {
        let kept = self.kept();
        (kept.used, kept.by_key.len())
    }
}

impl<V: Weighed> Kept<V> {
    fn remove(&mut self, key: &str) {
        if let Some((entry, used)) = self.by_key.remove(key) {
            self.by_use.remove(&used);
            self.used -= key.len() + entry.weight();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(text: &str) -> Arc<Entry> {
        let snapshot = Snapshot { versions: Versions::default(), deadline: 100 };
        Arc::new(Entry::new(HeaderMap::new(), Bytes::from(text.to_owned()), Deps::PUBLIC, &snapshot))
    }

    #[test]
    fn the_best_encoding_the_client_accepts() {
        assert_eq!(Encoding::negotiate("gzip, deflate, br, zstd"), Encoding::Brotli);
        assert_eq!(Encoding::negotiate("gzip"), Encoding::Gzip);
        assert_eq!(Encoding::negotiate("br;q=0, gzip;q=0.5"), Encoding::Gzip);
        assert_eq!(Encoding::negotiate(""), Encoding::Identity);
        assert_eq!(Encoding::negotiate("identity"), Encoding::Identity);
        assert_eq!(Encoding::negotiate("*"), Encoding::Brotli);
    }

    #[test]
    fn encodings_give_back_the_body_and_the_validator_is_the_bodys() {
        let body = "<p>Rodez</p>".repeat(200);
        let kept = entry(&body);
        let mut plain = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&kept.gzip[..]), &mut plain).unwrap();
        assert_eq!(plain, body.as_bytes());
        let mut plain = Vec::new();
        brotli::BrotliDecompress(&mut &kept.brotli[..], &mut plain).unwrap();
        assert_eq!(plain, body.as_bytes());
        assert_eq!(kept.identity(), body.as_bytes());
        assert_eq!(kept.etag, entry(&body).etag);
        assert_ne!(kept.etag, entry("autre").etag);
    }

    #[test]
    fn the_least_recently_used_leave_first_and_the_budget_holds() {
        let one = entry(&"a".repeat(1000));
        let size = "/1".len() + one.weight();
        let store = Store::new(size * 2 + size / 2);
        store.put("/1", one);
        store.put("/2", entry(&"b".repeat(1000)));
        assert!(store.get("/1").is_some(), "/1 is now the most recent");
        store.put("/3", entry(&"c".repeat(1000)));
        assert!(store.get("/2").is_none(), "the least recently used left");
        assert!(store.get("/1").is_some() && store.get("/3").is_some());
        let (used, count) = store.usage();
        assert!(used <= size * 2 + size / 2 && count == 2);
        store.put("/1", entry(&"d".repeat(1000)));
        assert_eq!(store.usage().1, 2, "a replaced entry counts once");
        store.remove("/1");
        assert_eq!(store.usage().1, 1);
        assert!(store.can_hold("/4"));
        assert!(!Store::<Entry>::new(0).can_hold("/4"), "a budget of nothing keeps nothing");
    }

    #[test]
    fn an_entry_is_fresh_until_its_deadline_while_its_scopes_keep_their_versions() {
        let kept = entry("x");
        let same = Snapshot { versions: Versions::default(), deadline: 500 };
        assert!(kept.fresh(&same, 99));
        assert!(!kept.fresh(&same, 100), "its deadline passed");
        let newer = Versions::default().with(super::super::versions::Scope::Events, 4);
        assert!(!kept.fresh(&Snapshot { versions: newer, deadline: 500 }, 10));
    }
}
