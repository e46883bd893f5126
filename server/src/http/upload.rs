//! Reading multipart forms with files (a CV, a photo) within a size limit. A larger body is
//! read to its end (up to `DRAIN_LIMIT`) and discarded, so that the browser, still sending,
//! receives the page saying the file is too large rather than a reset connection.

use axum::body::{Body, HttpBody};
use axum::extract::{FromRequest, Multipart, Request};

/// Past this, the connection is dropped rather than drained.
pub const DRAIN_LIMIT: usize = 64 * 1024 * 1024;

/// The body, unless it is larger than `limit` (None; then it was read and discarded).
pub async fn bounded_body(body: Body, limit: usize) -> Result<Option<Vec<u8>>, axum::Error> {
    let mut body = body;
    let mut bytes = Vec::new();
    let mut total = 0usize;
    while let Some(frame) = std::future::poll_fn(|cx| std::pin::Pin::new(&mut body).poll_frame(cx)).await {
        let Ok(data) = frame?.into_data() else { continue };
        total += data.len();
        if total <= limit {
            bytes.extend_from_slice(&data);
        } else if total > DRAIN_LIMIT {
            break;
        } else {
            bytes = Vec::new();
        }
    }
    Ok((total <= limit).then_some(bytes))
}

/// One part of a multipart form: its name, and its text or file content.
#[derive(Debug, Default)]
pub struct Parts {
    pub fields: Vec<(String, String)>,
    pub files: Vec<(String, Vec<u8>)>,
}

impl Parts {
    /// The text of field `name`, or "".
    pub fn text(&self, name: &str) -> &str {
        self.fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).unwrap_or_default()
    }

    /// The bytes of file `name`, or empty (a file input left empty posts nothing).
    pub fn file(&mut self, name: &str) -> Vec<u8> {
        self.files.iter_mut().find(|(k, _)| k == name).map(|(_, v)| std::mem::take(v)).unwrap_or_default()
    }
}

/// The parts of a multipart body; `file_fields` are read as bytes, every other as text. A body
/// that is not multipart reads as an empty form.
pub async fn multipart(
    parts: axum::http::request::Parts,
    bytes: Vec<u8>,
    file_fields: &[&str],
) -> Result<Parts, axum::extract::multipart::MultipartError> {
    let request = Request::from_parts(parts, Body::from(bytes));
    let Ok(mut multipart) = Multipart::from_request(request, &()).await else {
        return Ok(Parts::default());
    };
    let mut form = Parts::default();
    while let Some(field) = multipart.next_field().await? {
        let name = field.name().unwrap_or_default().to_owned();
        if file_fields.contains(&name.as_str()) {
            form.files.push((name, field.bytes().await?.to_vec()));
        } else {
            form.fields.push((name, field.text().await?));
        }
    }
    Ok(form)
}
