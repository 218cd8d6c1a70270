//! HTTP statuses for server-function errors, and a typed answer for unknown `/api` URLs.
//!
//! Server functions answer every error with status 500 and the `serverfnerror` header; this layer
//! reads the [`AppError`] body and sets the status its code stands for (and `Retry-After`), so the
//! status and the body always agree.

use axum::{
    body::{Body, to_bytes},
    extract::Request,
    middleware::Next,
    response::{IntoResponse, Response},
};
use http::{HeaderValue, StatusCode, header};
use shared::AppError;

/// Header the server-function runtime puts on error responses.
const SERVER_FN_ERROR_HEADER: &str = "serverfnerror";

/// Error bodies are a few hundred bytes; anything larger is left untouched.
const MAX_ERROR_BODY: usize = 64 * 1024;

pub async fn set_error_status(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    if !response.headers().contains_key(SERVER_FN_ERROR_HEADER) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_ERROR_BODY).await else {
        return internal_error_response();
    };
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status = status_of(&error);
        if let Some(seconds) = error.retry_after_s {
            parts
                .headers
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// Any `/api/…` URL that is not a server function: a typed `NOT_FOUND`, never the framework's text.
pub async fn unknown_endpoint() -> Response {
    json_error(&AppError::not_found())
}

/// An [`AppError`] as a JSON response with its status.
pub fn json_error(error: &AppError) -> Response {
    (status_of(error), axum::Json(error)).into_response()
}

fn status_of(error: &AppError) -> StatusCode {
    StatusCode::from_u16(error.code.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

fn internal_error_response() -> Response {
    json_error(&AppError::new(shared::ErrorCode::Internal))
}
