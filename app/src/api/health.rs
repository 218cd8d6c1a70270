//! Public health endpoints.

use leptos::{prelude::*, server_fn::codec::GetUrl};
use shared::{AppError, status::StatusReport};

/// `GET /api/health/status` — 「サービス稼働状況」. Public: no session needed, returns no data of
/// any office.
#[server(prefix = "/api", endpoint = "health/status", input = GetUrl)]
pub async fn service_status() -> Result<StatusReport, AppError> {
    use crate::ssr::{app_state, health};

    let state = app_state()?;
    Ok(health::service_status(&state.db).await?)
}
