//! Role-change requests (SPEC §1.3).

use super::client::CsrfClient;
use leptos::{
    prelude::*,
    server_fn::codec::{GetUrl, Json},
};
use shared::{
    AppError,
    staff::{RoleRequestInput, RoleRequestView},
};
use uuid::Uuid;

/// `GET /api/role-requests` — owners: the office's requests; others: their own. employee.
#[server(prefix = "/api", endpoint = "role-requests", input = GetUrl)]
pub async fn list_role_requests() -> Result<Vec<RoleRequestView>, AppError> {
    use crate::ssr::{app_state, auth, role_requests};
    use shared::Role;
    let ctx = auth::require_office(Role::Employee)?;
    Ok(role_requests::list(&app_state()?, &ctx).await?)
}

/// `POST /api/role-requests/create` — ask for a higher role. employee (owners: `FORBIDDEN`).
#[server(prefix = "/api", endpoint = "role-requests/create", input = Json, client = CsrfClient)]
pub async fn request_role_change(input: RoleRequestInput) -> Result<Uuid, AppError> {
    use crate::ssr::{app_state, auth, role_requests};
    use shared::Role;
    let ctx = auth::require_office(Role::Employee)?;
    Ok(role_requests::request(&app_state()?, &ctx, &input, &auth::client_info()).await?)
}

/// `POST /api/role-requests/decide` — approve or reject (not one's own). owner.
#[server(prefix = "/api", endpoint = "role-requests/decide", input = Json, client = CsrfClient)]
pub async fn decide_role_request(id: Uuid, approve: bool, notes: String) -> Result<(), AppError> {
    use crate::ssr::{app_state, auth, role_requests};
    use shared::Role;
    let ctx = auth::require_office(Role::Owner)?;
    Ok(role_requests::decide(
        &app_state()?,
        &ctx,
        id,
        approve,
        &notes,
        &auth::client_info(),
    )
    .await?)
}

/// `POST /api/role-requests/withdraw` — take back one's own pending request. employee.
#[server(prefix = "/api", endpoint = "role-requests/withdraw", input = Json, client = CsrfClient)]
pub async fn withdraw_role_request(id: Uuid) -> Result<(), AppError> {
    use crate::ssr::{app_state, auth, role_requests};
    use shared::Role;
    let ctx = auth::require_office(Role::Employee)?;
    Ok(role_requests::withdraw(&app_state()?, &ctx, id, &auth::client_info()).await?)
}
