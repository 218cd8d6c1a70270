//! The office audit log (SPEC §13) for owners.

use leptos::{prelude::*, server_fn::codec::GetUrl};
use shared::{AppError, audit::AuditPage};

/// `GET /api/audit?category=&from=&to=&page=` — 「操作履歴」, 50 per page, newest first; every
/// parameter optional (`from`/`to` are JST days `YYYY-MM-DD`). owner.
#[server(prefix = "/api", endpoint = "audit", input = GetUrl)]
pub async fn office_audit_log(
    category: Option<String>,
    from: Option<String>,
    to: Option<String>,
    page: Option<u32>,
) -> Result<AuditPage, AppError> {
    use crate::ssr::{app_state, audit_view, auth};
    use shared::{Role, audit::AuditQuery};
    let ctx = auth::require_office(Role::Owner)?;
    let query = AuditQuery {
        category: category.unwrap_or_default(),
        from: from.unwrap_or_default(),
        to: to.unwrap_or_default(),
        page: page.unwrap_or(1),
    };
    Ok(audit_view::page(&app_state()?, &ctx, &query).await?)
}
