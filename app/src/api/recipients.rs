//! Recipients (SPEC §4). The office always comes from the session; ids of other offices are
//! `NOT_FOUND`. Writes need MFA on the caller's account (`MFA_SETUP_REQUIRED`).

// The list filters are flat query parameters (one argument each), as the URL documents them.
#![allow(clippy::too_many_arguments)]

use super::client::CsrfClient;
use leptos::{
    prelude::*,
    server_fn::codec::{GetUrl, Json},
};
use shared::{
    AppError,
    recipient::{
        RecipientFormContext, RecipientInput, RecipientPage, RecipientRecord, SaveOutcome,
    },
};
use uuid::Uuid;

/// `GET /api/recipients?q=&status=&service_type=&staff=&incomplete=&sort=&dir=&page=` —
/// 「利用者一覧」, 20 per page; every parameter optional. employee (`status=deleted`: manager).
#[server(prefix = "/api", endpoint = "recipients", input = GetUrl)]
pub async fn list_recipients(
    q: Option<String>,
    status: Option<String>,
    service_type: Option<String>,
    staff: Option<String>,
    incomplete: Option<bool>,
    sort: Option<String>,
    dir: Option<String>,
    page: Option<u32>,
) -> Result<RecipientPage, AppError> {
    use crate::ssr::{app_state, auth, recipients};
    use shared::Role;
    use shared::recipient::RecipientQuery;
    let ctx = auth::require_office(Role::Employee)?;
    let query = RecipientQuery {
        q: q.unwrap_or_default(),
        status: status.unwrap_or_default(),
        service_type: service_type.unwrap_or_default(),
        staff: staff.unwrap_or_default(),
        incomplete: incomplete.unwrap_or_default(),
        sort: sort.unwrap_or_default(),
        dir: dir.unwrap_or_default(),
        page: page.unwrap_or(1),
    }
    .parse()
    .map_err(|m| AppError::validation(vec![shared::FieldError::new("q", m)]))?;
    Ok(recipients::list(&app_state()?, &ctx, &query).await?)
}

/// `GET /api/recipients/get?id=` — one recipient with every wizard field. employee.
#[server(prefix = "/api", endpoint = "recipients/get", input = GetUrl)]
pub async fn get_recipient(id: Uuid) -> Result<RecipientRecord, AppError> {
    use crate::ssr::{app_state, auth, recipients};
    use shared::Role;
    let ctx = auth::require_office(Role::Employee)?;
    Ok(recipients::get(&app_state()?, &ctx, id).await?)
}

/// `GET /api/recipients/form-context` — the office's service types and staff for the wizard.
/// employee.
#[server(prefix = "/api", endpoint = "recipients/form-context", input = GetUrl)]
pub async fn get_recipient_form_context() -> Result<RecipientFormContext, AppError> {
    use crate::ssr::{app_state, auth, recipients};
    use shared::Role;
    let ctx = auth::require_office(Role::Employee)?;
    Ok(recipients::form_context(&app_state()?, &ctx).await?)
}

/// `POST /api/recipients/create` — register a recipient (all five steps). manager.
#[server(prefix = "/api", endpoint = "recipients/create", input = Json, client = CsrfClient)]
pub async fn create_recipient(
    input: RecipientInput,
    #[server(default)] confirm_duplicate: bool,
) -> Result<SaveOutcome, AppError> {
    use crate::ssr::{app_state, auth, recipients};
    use shared::Role;
    let ctx = auth::require_office(Role::Manager)?;
    Ok(recipients::create(
        &app_state()?,
        &ctx,
        &input,
        confirm_duplicate,
        &auth::client_info(),
    )
    .await?)
}

/// `POST /api/recipients/update` — save every section; `version` is the one read. manager.
#[server(prefix = "/api", endpoint = "recipients/update", input = Json, client = CsrfClient)]
pub async fn update_recipient(
    id: Uuid,
    version: i32,
    input: RecipientInput,
) -> Result<SaveOutcome, AppError> {
    use crate::ssr::{app_state, auth, recipients};
    use shared::Role;
    let ctx = auth::require_office(Role::Manager)?;
    Ok(recipients::update(
        &app_state()?,
        &ctx,
        id,
        version,
        &input,
        &auth::client_info(),
    )
    .await?)
}

/// `POST /api/recipients/archive` — 利用終了 (§4.3). manager.
#[server(prefix = "/api", endpoint = "recipients/archive", input = Json, client = CsrfClient)]
pub async fn archive_recipient(
    id: Uuid,
    version: i32,
    input: shared::recipient::ArchiveInput,
) -> Result<SaveOutcome, AppError> {
    use crate::ssr::{app_state, auth, recipients::lifecycle};
    use shared::Role;
    let ctx = auth::require_office(Role::Manager)?;
    Ok(lifecycle::archive(
        &app_state()?,
        &ctx,
        id,
        version,
        &input,
        &auth::client_info(),
    )
    .await?)
}

/// `POST /api/recipients/restore` — archived or deleted (30 days) → active. manager.
#[server(prefix = "/api", endpoint = "recipients/restore", input = Json, client = CsrfClient)]
pub async fn restore_recipient(
    id: Uuid,
    version: i32,
    #[server(default)] confirm_duplicate: bool,
) -> Result<SaveOutcome, AppError> {
    use crate::ssr::{app_state, auth, recipients::lifecycle};
    use shared::Role;
    let ctx = auth::require_office(Role::Manager)?;
    Ok(lifecycle::restore(
        &app_state()?,
        &ctx,
        id,
        version,
        confirm_duplicate,
        &auth::client_info(),
    )
    .await?)
}

/// `POST /api/recipients/delete` — remove a mistaken registration (restorable 30 days). manager.
#[server(prefix = "/api", endpoint = "recipients/delete", input = Json, client = CsrfClient)]
pub async fn delete_recipient(id: Uuid, version: i32) -> Result<SaveOutcome, AppError> {
    use crate::ssr::{app_state, auth, recipients::lifecycle};
    use shared::Role;
    let ctx = auth::require_office(Role::Manager)?;
    Ok(lifecycle::delete(&app_state()?, &ctx, id, version, &auth::client_info()).await?)
}

/// `GET /api/recipients/history?id=` — the newest 100 audit entries about this recipient
/// (field names only, never values). manager.
#[server(prefix = "/api", endpoint = "recipients/history", input = GetUrl)]
pub async fn recipient_history(id: Uuid) -> Result<Vec<shared::audit::AuditEntry>, AppError> {
    use crate::ssr::{app_state, audit_view, auth};
    use shared::Role;
    let ctx = auth::require_office(Role::Manager)?;
    Ok(audit_view::for_recipient(&app_state()?, &ctx, id).await?)
}
