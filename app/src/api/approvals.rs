//! Employee approval requests (SPEC §1.2): the employee's recipient writes waiting for a manager
//! or owner of the same office.

use super::client::CsrfClient;
use leptos::{
    prelude::*,
    server_fn::codec::{GetUrl, Json},
};
use shared::{
    AppError,
    approval::{ApprovalDetail, ApprovalList},
};
use uuid::Uuid;

/// `GET /api/approvals` — managers and owners: the office's requests; employees: their own.
/// Pending first, newest 100. employee.
#[server(prefix = "/api", endpoint = "approvals", input = GetUrl)]
pub async fn list_approvals() -> Result<ApprovalList, AppError> {
    use crate::ssr::{app_state, auth, recipients::approvals};
    use shared::Role;
    let ctx = auth::require_office(Role::Employee)?;
    Ok(approvals::list(&app_state()?, &ctx).await?)
}

/// `GET /api/approvals/get?id=` — one request with its field-by-field changes. manager (any
/// request of the office) or the employee who made it.
#[server(prefix = "/api", endpoint = "approvals/get", input = GetUrl)]
pub async fn get_approval(id: Uuid) -> Result<ApprovalDetail, AppError> {
    use crate::ssr::{app_state, auth, recipients::approvals};
    use shared::Role;
    let ctx = auth::require_office(Role::Employee)?;
    Ok(approvals::get(&app_state()?, &ctx, id).await?)
}

/// `POST /api/approvals/decide` — approve (the write runs now, in one transaction with the
/// version check) or reject, with optional `notes` (≤500). manager, never one's own request.
#[server(prefix = "/api", endpoint = "approvals/decide", input = Json, client = CsrfClient)]
pub async fn decide_approval(
    id: Uuid,
    approve: bool,
    #[server(default)] notes: String,
) -> Result<(), AppError> {
    use crate::ssr::{app_state, auth, recipients::approvals};
    use shared::Role;
    let ctx = auth::require_office(Role::Manager)?;
    Ok(approvals::decide(
        &app_state()?,
        &ctx,
        id,
        approve,
        &notes,
        &auth::client_info(),
    )
    .await?)
}

/// `POST /api/approvals/withdraw` — take back one's own pending request. employee.
#[server(prefix = "/api", endpoint = "approvals/withdraw", input = Json, client = CsrfClient)]
pub async fn withdraw_approval(id: Uuid) -> Result<(), AppError> {
    use crate::ssr::{app_state, auth, recipients::approvals};
    use shared::Role;
    let ctx = auth::require_office(Role::Employee)?;
    Ok(approvals::withdraw(&app_state()?, &ctx, id, &auth::client_info()).await?)
}
