//! The API's one error type: a status and a French sentence, as JSON `{"erreur": "…"}`.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The request cannot be read: a parameter out of its shape or range.
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    NotFound(String),
    /// The database or the search engine failed; logged, never shown.
    #[error("{0}")]
    Unavailable(String),
}

impl ApiError {
    pub fn bad(message: impl Into<String>) -> Self {
        Self::BadRequest(capitalise(&message.into()))
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::NotFound(message.into())
    }
}

/// "le paramètre…" → "Le paramètre…", with a final full stop.
fn capitalise(message: &str) -> String {
    let mut chars = message.chars();
    let mut out: String = chars.next().map(|c| c.to_uppercase().collect()).unwrap_or_default();
    out.push_str(chars.as_str());
    if !out.ends_with('.') {
        out.push('.');
    }
    out
}

impl From<sqlx::Error> for ApiError {
    fn from(error: sqlx::Error) -> Self {
        Self::Unavailable(error.to_string())
    }
}

impl From<crate::offers::BoardError> for ApiError {
    fn from(error: crate::offers::BoardError) -> Self {
        Self::Unavailable(error.to_string())
    }
}

/// The body of every error answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct Erreur {
    /// What went wrong, in French.
    #[schema(
        example = "Le paramètre « dep » vaut « 1 » : un numéro de département est attendu (par exemple 12 ou 2A)."
    )]
    pub erreur: String,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, erreur) = match self {
            Self::BadRequest(message) => (StatusCode::BAD_REQUEST, message),
            Self::NotFound(message) => (StatusCode::NOT_FOUND, message),
            Self::Unavailable(internal) => {
                tracing::error!(error = %internal, "API request failed");
                (
                    StatusCode::SERVICE_UNAVAILABLE,
                    "Le service est momentanément indisponible, réessayez dans un instant.".to_owned(),
                )
            }
        };
        (status, Json(Erreur { erreur })).into_response()
    }
}
