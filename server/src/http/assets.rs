//! The site's large files — `/pkg` (the islands' code and wasm, the stylesheet) and `/vendor`
//! (MapLibre) — compressed once and kept in memory with an ETag.
//!
//! Before, they went through the compression layer like any response, and that layer's
//! default brotli quality is 11, its slowest: MapLibre's 1 MB script cost about a second of
//! processor per visitor, on the path to the map's first frame. A file is read and compressed
//! again only when it changes on disk (a new build), so a deployment needs no build step of
//! its own for this.

use crate::cache::store::{Encoding, brotli_once, client_holds, etag, gzip};
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

/// The prefixes served here (everything else of the site root goes to Leptos's file handler).
pub const PREFIXES: [&str; 2] = ["/pkg/", "/vendor/"];

/// The files of the site root, by path, with their compressed forms.
#[derive(Clone)]
pub struct Assets {
    root: Arc<PathBuf>,
    kept: Arc<Mutex<HashMap<String, Arc<Asset>>>>,
}

struct Asset {
    /// What the file was on disk when read: a change of either reads it again.
    modified: SystemTime,
    len: u64,
    content_type: HeaderValue,
    etag: HeaderValue,
    identity: Bytes,
    gzip: Bytes,
    brotli: Bytes,
}

impl Assets {
    pub fn new(site_root: impl Into<PathBuf>) -> Self {
        Self { root: Arc::new(site_root.into()), kept: Arc::default() }
    }

    /// The file at `path` (an address under one of `PREFIXES`), read and compressed when it
    /// is new or changed; None when there is no such file.
    async fn get(&self, path: &str) -> Option<Arc<Asset>> {
        let file = self.root.join(relative(path)?);
        let meta = tokio::fs::metadata(&file).await.ok().filter(|m| m.is_file())?;
        let modified = meta.modified().ok()?;
        if let Some(asset) = self.kept().get(path)
            && asset.modified == modified
            && asset.len == meta.len()
        {
            return Some(asset.clone());
        }
        let bytes = tokio::fs::read(&file).await.ok()?;
        let content_type = content_type(&file);
        // Compression takes tens of milliseconds for a large file: off the async threads.
        let asset =
            tokio::task::spawn_blocking(move || Asset::new(bytes, modified, meta.len(), content_type)).await.ok()?;
        let asset = Arc::new(asset);
        self.kept().insert(path.to_owned(), asset.clone());
        Some(asset)
    }

    fn kept(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<Asset>>> {
        // A panic elsewhere cannot leave the map half-written: inserts are single calls.
        self.kept.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl Asset {
    fn new(bytes: Vec<u8>, modified: SystemTime, len: u64, content_type: &'static str) -> Self {
        Self {
            modified,
            len,
            content_type: HeaderValue::from_static(content_type),
            etag: etag(&bytes),
            gzip: gzip(&bytes),
            brotli: brotli_once(&bytes),
            identity: bytes.into(),
        }
    }
}

/// The file path of `path` under the site root: only plain names, so no address can leave it.
fn relative(path: &str) -> Option<PathBuf> {
    let rest = path.strip_prefix('/')?;
    PREFIXES.iter().any(|prefix| path.starts_with(prefix)).then_some(())?;
    let mut out = PathBuf::new();
    for segment in rest.split('/') {
        let plain = !segment.is_empty()
            && !segment.starts_with('.')
            && segment.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'));
        if !plain {
            return None;
        }
        out.push(segment);
    }
    Some(out)
}

fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()) {
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css; charset=utf-8",
        Some("json" | "map") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("txt") => "text/plain; charset=utf-8",
        // MapLibre's glyphs (see .ci/lib.sh, ensure_glyphs).
        Some("pbf") => "application/x-protobuf",
        _ => "application/octet-stream",
    }
}

/// GET (and HEAD) of a file under `PREFIXES`.
pub async fn serve(State(assets): State<Assets>, uri: Uri, request: HeaderMap) -> Response {
    let Some(asset) = assets.get(uri.path()).await else {
        return (StatusCode::NOT_FOUND, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], "Fichier introuvable.")
            .into_response();
    };
    let mut headers = HeaderMap::with_capacity(6);
    headers.insert(header::ETAG, asset.etag.clone());
    // Names carry no hash: browsers keep the file and ask whether it changed (304, no body).
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, no-cache"));
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    if client_holds(&request, &asset.etag) {
        return (StatusCode::NOT_MODIFIED, headers).into_response();
    }
    headers.insert(header::CONTENT_TYPE, asset.content_type.clone());
    let accept = request.get(header::ACCEPT_ENCODING).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let encoding = Encoding::negotiate(accept);
    let body = match encoding {
        Encoding::Brotli => asset.brotli.clone(),
        Encoding::Gzip => asset.gzip.clone(),
        Encoding::Identity => asset.identity.clone(),
    };
    if let Some(name) = encoding.header() {
        headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(name));
    }
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(body.len()));
    (StatusCode::OK, headers, Body::from(body)).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_names_under_the_prefixes_reach_the_disk() {
        assert_eq!(relative("/pkg/portail.wasm"), Some(PathBuf::from("pkg/portail.wasm")));
        assert_eq!(
            relative("/vendor/maplibre-gl/maplibre-gl.js"),
            Some(PathBuf::from("vendor/maplibre-gl/maplibre-gl.js"))
        );
        for path in [
            "/pkg/../Cargo.toml",
            "/pkg/%2e%2e/x",
            "/pkg/.hidden",
            "/pkg//x",
            "/pkg/",
            "/vendor/a\\b",
            "/photos/x.jpg",
            "/pkgx/a.js",
            "pkg/a.js",
        ] {
            assert_eq!(relative(path), None, "{path}");
        }
    }

    #[tokio::test]
    async fn a_file_is_compressed_once_and_read_again_when_it_changes() {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir(root.path().join("pkg")).unwrap();
        let file = root.path().join("pkg/a.js");
        std::fs::write(&file, "let a = 1;".repeat(500)).unwrap();
        let assets = Assets::new(root.path());
        let first = assets.get("/pkg/a.js").await.unwrap();
        assert!(first.brotli.len() < first.identity.len() / 10);
        assert_eq!(first.content_type, "text/javascript; charset=utf-8");
        let again = assets.get("/pkg/a.js").await.unwrap();
        assert!(Arc::ptr_eq(&first, &again), "kept, not compressed again");

        std::fs::write(&file, "let b = 2;".repeat(600)).unwrap();
        let changed = assets.get("/pkg/a.js").await.unwrap();
        assert_ne!(changed.etag, first.etag);
        assert_eq!(changed.identity.len(), 6000);
        assert!(assets.get("/pkg/missing.js").await.is_none());
        assert!(assets.get("/pkg").await.is_none());
    }
}
