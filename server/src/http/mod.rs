//! The HTTP stack: routes (pages, server functions, probes, assets) and the layers every response
//! passes through.

mod api_errors;
mod error_page;
pub mod files;
mod health;
mod jobs_tick;
pub mod security_headers;
pub mod static_files;

use app::{App, shell, ssr::AppState};
use axum::{Router, middleware, routing::any, routing::get};
use http::{HeaderName, Request};
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, generate_route_list, render_app_async_with_context};
use security_headers::{CspNonce, SecurityPolicy};
use std::{path::Path, sync::Arc};
use tower::ServiceBuilder;
use tower_http::{
    catch_panic::CatchPanicLayer,
    compression::CompressionLayer,
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    trace::{DefaultOnFailure, DefaultOnResponse, TraceLayer},
};
use tracing::Level;

pub use error_page::ErrorPage;

/// Everything the router needs besides the state.
#[derive(Clone, Debug)]
pub struct HttpSettings {
    pub security: SecurityPolicy,
    pub error_page: ErrorPage,
    /// Bearer token of `POST /internal/jobs/tick` (none: no such route).
    pub jobs_tick_token: Option<secrecy::SecretString>,
    /// Documents on the local disk: the `/files/{token}` route that opens them.
    pub local_files: Option<std::sync::Arc<crate::storage::local::LocalStorage>>,
}

/// Adds the application's routes, then the shared layers. `extra` lets tests mount additional
/// routes under the same layers (nothing in production uses it).
pub fn router(state: AppState, settings: HttpSettings, extra: Router<AppState>) -> Router {
    let site_root = state.leptos_options.site_root.to_string();
    let site_root = Path::new(&site_root);
    let options = state.leptos_options.clone();
    let request_id = HeaderName::from_static(app::ssr::REQUEST_ID_HEADER);
    let error_page = settings.error_page;

    let context = {
        let state = state.clone();
        move || {
            provide_context(state.clone());
            provide_request_nonce();
        }
    };
    let render_app = {
        let options = options.clone();
        move || shell(options.clone())
    };
    let not_found = render_app_async_with_context(context.clone(), render_app.clone());

    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .merge(jobs_tick::routes(settings.jobs_tick_token))
        .merge(files::routes(settings.local_files))
        .route(
            app::ssr::documents::upload::UPLOAD_PATH,
            axum::routing::post(app::ssr::documents::upload::handler),
        )
        .leptos_routes_with_context(&state, generate_route_list(App), context, render_app)
        .route("/api/", any(api_errors::unknown_endpoint))
        .route("/api/{*rest}", any(api_errors::unknown_endpoint))
        .merge(static_files::asset_routes(site_root))
        .merge(extra)
        .fallback_service(
            ServiceBuilder::new()
                .layer(static_files::cache_on_success(static_files::PUBLIC))
                .service(static_files::public_files(
                    site_root,
                    axum::handler::HandlerWithoutStateExt::into_service(not_found),
                )),
        )
        .layer(middleware::from_fn_with_state(
            state.clone(),
            app::ssr::auth::middleware::authenticate,
        ))
        .with_state(state)
        // Listed innermost first: the last layer sees the request first.
        .layer(middleware::from_fn(api_errors::set_error_status))
        .layer(CatchPanicLayer::custom(move |panic| {
            error_page.for_panic(panic)
        }))
        .layer(CompressionLayer::new())
        .layer(middleware::from_fn_with_state(
            Arc::new(settings.security),
            security_headers::security_headers,
        ))
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(request_span)
                .on_response(DefaultOnResponse::new().level(Level::INFO))
                // Causes are logged where they happen (with a correlation id); a 503 from /readyz
                // during start-up is not an error.
                .on_failure(DefaultOnFailure::new().level(Level::WARN)),
        )
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
        // The id is ours to make: one sent by a client never reaches logs or error pages.
        .layer(middleware::map_request(drop_client_request_id))
        .layer(middleware::from_fn(limit_body))
}

/// The largest request body anything but a PDF upload accepts: a CSV import (2 MiB as base64 in
/// JSON) fits.
pub const MAX_BODY_BYTES: usize = 4 * 1024 * 1024;

/// Refuses a declared oversize body at once (413) and cuts an undeclared one off at the limit,
/// so no handler ever buffers an unbounded body.
async fn limit_body(
    request: axum::extract::Request,
    next: middleware::Next,
) -> axum::response::Response {
    use app::ssr::documents::upload::{UPLOAD_BODY_LIMIT, UPLOAD_PATH};
    use axum::response::IntoResponse;
    // A PDF upload may be larger than anything else; its handler counts the file exactly.
    let (limit, message) = if request.uri().path() == UPLOAD_PATH {
        (
            UPLOAD_BODY_LIMIT,
            shared::ErrorCode::PayloadTooLarge.default_message(),
        )
    } else {
        (MAX_BODY_BYTES, "送信するデータが大きすぎます")
    };
    let declared = request
        .headers()
        .get(http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        discard(request.into_body()).await;
        let error = shared::AppError::with_message(shared::ErrorCode::PayloadTooLarge, message);
        return (http::StatusCode::PAYLOAD_TOO_LARGE, axum::Json(error)).into_response();
    }
    let (parts, body) = request.into_parts();
    let body = axum::body::Body::new(http_body_util::Limited::new(body, limit));
    next.run(axum::extract::Request::from_parts(parts, body))
        .await
}

/// Reads and drops what the client still sends of a refused body (at most 32 MiB, 10 s), so
/// that it gets to read the answer: a server that closes with unread data resets the connection
/// and browsers then report a network error instead of the 413. Nothing is kept.
async fn discard(body: axum::body::Body) {
    use futures::StreamExt;
    const MAX: usize = 32 * 1024 * 1024;
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    let mut stream = body.into_data_stream();
    let mut seen = 0;
    while seen <= MAX {
        match tokio::time::timeout_at(deadline, stream.next()).await {
            Ok(Some(Ok(chunk))) => seen += chunk.len(),
            _ => break,
        }
    }
}

async fn drop_client_request_id(mut request: axum::extract::Request) -> axum::extract::Request {
    request.headers_mut().remove(app::ssr::REQUEST_ID_HEADER);
    request
}

/// The span every log line of a request is recorded in.
fn request_span<B>(request: &Request<B>) -> tracing::Span {
    let request_id = request
        .headers()
        .get(app::ssr::REQUEST_ID_HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    // The path only: query strings may carry tokens or search terms.
    tracing::info_span!(
        "request",
        method = %request.method(),
        path = %request.uri().path(),
        request_id,
    )
}

/// Hands this request's CSP nonce to the renderer (see [`security_headers`]).
fn provide_request_nonce() {
    let nonce = leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<CspNonce>().cloned());
    if let Some(CspNonce(value)) = nonce {
        provide_context(leptos::nonce::Nonce::from_value(value));
    }
}
