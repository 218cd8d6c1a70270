//! `POST /internal/jobs/tick` (SPEC §15): runs the jobs that are due now, for deployments that
//! scale to zero and so have no instance ticking on its own. An external scheduler calls it at
//! least every 5 minutes with `Authorization: Bearer <KK_JOBS_TICK_TOKEN>`. Claiming works as for
//! the in-process runner, so a tick never runs a job another instance is running.

use crate::jobs::{self, DRAINS, INSTANCE, JOBS};
use app::ssr::AppState;
use axum::{
    Extension, Json, Router,
    extract::State,
    response::{IntoResponse, Response},
    routing::post,
};
use http::{HeaderMap, StatusCode, header};
use secrecy::{ExposeSecret, SecretString};
use serde_json::json;
use std::sync::Arc;
use subtle::ConstantTimeEq;
use time::OffsetDateTime;

/// The route, when a token is configured (none: the path does not exist).
pub fn routes(token: Option<SecretString>) -> Router<AppState> {
    match token {
        None => Router::new(),
        Some(token) => Router::new()
            .route("/internal/jobs/tick", post(tick))
            .layer(Extension(Arc::new(token))),
    }
}

fn authorised(headers: &HeaderMap, token: &SecretString) -> bool {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .is_some_and(|given| bool::from(given.as_bytes().ct_eq(token.expose_secret().as_bytes())))
}

async fn tick(
    State(state): State<AppState>,
    Extension(token): Extension<Arc<SecretString>>,
    headers: HeaderMap,
) -> Response {
    if !authorised(&headers, &token) {
        return (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer")],
            Json(json!({"code": "UNAUTHENTICATED"})),
        )
            .into_response();
    }
    if !state.readiness.is_ready() {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({"code": "SERVICE_UNAVAILABLE"})),
        )
            .into_response();
    }
    match jobs::run_due(&state, JOBS, *INSTANCE, OffsetDateTime::now_utc()).await {
        Ok(mut outcomes) => {
            for drain in DRAINS {
                outcomes.push((drain.name, jobs::run_drain(&state, drain).await));
            }
            let jobs: Vec<_> = outcomes
                .into_iter()
                .map(|(job, outcome)| {
                    let mut entry = serde_json::to_value(outcome).unwrap_or_default();
                    entry["job"] = json!(job);
                    entry
                })
                .collect();
            Json(json!({ "jobs": jobs })).into_response()
        }
        Err(error) => {
            tracing::warn!(%error, "jobs tick: could not claim due jobs");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({"code": "SERVICE_UNAVAILABLE"})),
            )
                .into_response()
        }
    }
}
