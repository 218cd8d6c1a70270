//! Built browser assets: hashed bundles under `/pkg` (cached for a year), the public files
//! (manifest, icons, offline page) and the service worker (always revalidated).

use axum::{Router, response::Response};
use http::{HeaderValue, header};
use std::path::Path;
use tower_http::{services::ServeDir, set_header::SetResponseHeaderLayer};

/// `/pkg/*` names contain a content hash, so a browser may keep them forever.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Public files keep their names between releases: a day, then revalidate.
pub const PUBLIC: &str = "public, max-age=86400";
/// The service worker must be re-checked on every load to pick up a new release.
pub const SERVICE_WORKER: &str = "no-cache";

/// Name of the service worker file in the site root.
pub const SERVICE_WORKER_FILE: &str = "sw.js";

/// Routes for `/pkg` and `/sw.js`.
pub fn asset_routes<S: Clone + Send + Sync + 'static>(site_root: &Path) -> Router<S> {
    let pkg = ServeDir::new(site_root.join("pkg"))
        .precompressed_br()
        .precompressed_gzip()
        .append_index_html_on_directories(false);
    let service_worker = tower_http::services::ServeFile::new(site_root.join(SERVICE_WORKER_FILE));
    Router::new()
        .nest_service("/pkg", pkg)
        .layer(cache_on_success(IMMUTABLE))
        .route_service(
            &format!("/{SERVICE_WORKER_FILE}"),
            tower::ServiceBuilder::new()
                .layer(cache_on_success(SERVICE_WORKER))
                .service(service_worker),
        )
}

/// The public files (manifest, icons, offline page); anything else goes to `not_found`.
pub fn public_files<F>(site_root: &Path, not_found: F) -> ServeDir<F> {
    ServeDir::new(site_root)
        .precompressed_br()
        .precompressed_gzip()
        .append_index_html_on_directories(false)
        .call_fallback_on_method_not_allowed(true)
        .fallback(not_found)
}

/// Sets `Cache-Control` on successful responses that have none.
pub fn cache_on_success<B>(
    value: &'static str,
) -> SetResponseHeaderLayer<impl Fn(&Response<B>) -> Option<HeaderValue> + Clone> {
    SetResponseHeaderLayer::if_not_present(header::CACHE_CONTROL, move |response: &Response<B>| {
        response
            .status()
            .is_success()
            .then(|| HeaderValue::from_static(value))
    })
}
