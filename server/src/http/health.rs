//! Probes for process supervisors and load balancers.

use app::ssr::AppState;
use axum::{extract::State, http::StatusCode};
use std::time::Duration;

/// `GET /healthz`: the process is up and serving HTTP.
pub async fn healthz() -> &'static str {
    "ok"
}

/// `GET /readyz`: start-up finished (database reachable, migrations applied) and the database
/// answers now. 503 otherwise, so traffic is held back.
pub async fn readyz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    if state.readiness.is_ready() && crate::db::ping(&state.db, Duration::from_secs(2)).await {
        (StatusCode::OK, "ready")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "not ready")
    }
}
