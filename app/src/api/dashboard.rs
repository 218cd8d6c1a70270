//! 「利用者ダッシュボード」 (SPEC §8).

// The filters are flat query parameters (one argument each), as the URL documents them.
#![allow(clippy::too_many_arguments)]

use leptos::{prelude::*, server_fn::codec::GetUrl};
use shared::{AppError, dashboard::DashboardPage};

/// `GET /api/dashboard?q=&overdue=&upcoming=&assessment_incomplete=&step=&cycle=&service_type=&assigned=&risk=&order_exception=&sort=&page=&per_page=`
/// — the page of rows and every counter card in one query. employee.
#[server(prefix = "/api", endpoint = "dashboard", input = GetUrl)]
pub async fn get_dashboard(
    q: Option<String>,
    overdue: Option<bool>,
    upcoming: Option<bool>,
    assessment_incomplete: Option<bool>,
    step: Option<String>,
    cycle: Option<String>,
    service_type: Option<String>,
    assigned: Option<String>,
    risk: Option<String>,
    order_exception: Option<bool>,
    sort: Option<String>,
    page: Option<u32>,
    per_page: Option<u32>,
) -> Result<DashboardPage, AppError> {
    use crate::ssr::{app_state, auth, dashboard, limits};
    let ctx = auth::require_office(shared::Role::Employee)?;
    let app = app_state()?;
    let limit = limits::DASHBOARD_PER_SESSION.scaled(app.security.session_limit_scale);
    if let Some(retry_after) = limits::check(&app.db, limit, &ctx.session_id().to_string()).await? {
        return Err(AppError::rate_limited(retry_after));
    }
    let filter = shared::dashboard::DashboardQuery {
        q: q.unwrap_or_default(),
        overdue: overdue.unwrap_or_default(),
        upcoming: upcoming.unwrap_or_default(),
        assessment_incomplete: assessment_incomplete.unwrap_or_default(),
        step: step.unwrap_or_default(),
        cycle: cycle.unwrap_or_default(),
        service_type: service_type.unwrap_or_default(),
        assigned: assigned.unwrap_or_default(),
        risk: risk.unwrap_or_default(),
        order_exception: order_exception.unwrap_or_default(),
        sort: sort.unwrap_or_default(),
        page: page.unwrap_or(1),
        per_page: per_page.unwrap_or_default(),
    }
    .parse()
    .map_err(AppError::validation)?;
    Ok(dashboard::page(&app, &ctx, &filter).await?)
}
