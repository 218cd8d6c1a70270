//! What a server function may know about the request it serves.

use super::{AppState, ServerError};
use leptos::prelude::use_context;

/// Header carrying the per-request id; the server sets it on every request and response.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// The application state, provided to every server function by the router.
pub fn app_state() -> Result<AppState, ServerError> {
    use_context::<AppState>().ok_or(ServerError::Internal("AppState missing from the context"))
}

/// The id under which this request is logged; shown to users with `INTERNAL` errors.
pub fn correlation_id() -> String {
    use_context::<http::request::Parts>()
        .and_then(|parts| {
            parts
                .headers
                .get(REQUEST_ID_HEADER)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        })
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string())
}
