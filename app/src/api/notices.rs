//! In-app notices (SPEC §9.1): one's own only.

use super::client::CsrfClient;
use leptos::{
    prelude::*,
    server_fn::codec::{GetUrl, Json},
};
use shared::{AppError, notice::NoticeList};
use uuid::Uuid;

/// `GET /api/notices` — the caller's newest 100 notices with `total` and `unread`. employee.
#[server(prefix = "/api", endpoint = "notices", input = GetUrl)]
pub async fn list_notices() -> Result<NoticeList, AppError> {
    use crate::ssr::{app_state, auth, notices};
    use shared::Role;
    let ctx = auth::require_office(Role::Employee)?;
    Ok(notices::list(&app_state()?, &ctx).await?)
}

/// `GET /api/notices/unread` — the bell's count. employee.
#[server(prefix = "/api", endpoint = "notices/unread", input = GetUrl)]
pub async fn unread_notices() -> Result<u64, AppError> {
    use crate::ssr::{app_state, auth, notices};
    use shared::Role;
    let ctx = auth::require_office(Role::Employee)?;
    Ok(notices::unread(&app_state()?, &ctx).await?)
}

/// `POST /api/notices/read` — mark one of one's notices read (another's: `NOT_FOUND`). employee.
#[server(prefix = "/api", endpoint = "notices/read", input = Json, client = CsrfClient)]
pub async fn read_notice(id: Uuid) -> Result<(), AppError> {
    use crate::ssr::{app_state, auth, notices};
    use shared::Role;
    let ctx = auth::require_office(Role::Employee)?;
    Ok(notices::mark_read(&app_state()?, &ctx, id).await?)
}

/// `POST /api/notices/read-all` — mark all of one's notices read; answers how many. employee.
#[server(prefix = "/api", endpoint = "notices/read-all", input = Json, client = CsrfClient)]
pub async fn read_all_notices() -> Result<u64, AppError> {
    use crate::ssr::{app_state, auth, notices};
    use shared::Role;
    let ctx = auth::require_office(Role::Employee)?;
    Ok(notices::mark_all_read(&app_state()?, &ctx).await?)
}
