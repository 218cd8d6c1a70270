//! Recipients (SPEC §4). The office always comes from the session; ids of other offices are
//! `NOT_FOUND`. Writes need MFA on the caller's account (`MFA_SETUP_REQUIRED`).

// The list filters are flat query parameters (one argument each), as the URL documents them.
#![allow(clippy::too_many_arguments)]

use super::client::CsrfClient;
use leptos::{
    prelude::*,
    server_fn::codec::{GetUrl, Json},
};
#[cfg(feature = "ssr")]
use shared::approval::EmployeeAction;
use shared::{
    AppError,
    recipient::{
        CsvFile, ImportPreview, RecipientFormContext, RecipientInput, RecipientPage,
        RecipientRecord, SaveOutcome,
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
    let ctx = auth::require_office(Role::Employee)?;
    let query = list_query(q, status, service_type, staff, incomplete, sort, dir, page)?;
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

/// `POST /api/recipients/create` — register a recipient (all five steps). manager; an
/// employee's call becomes an approval request (`pending_approval`, §1.2) with optional `note`.
#[server(prefix = "/api", endpoint = "recipients/create", input = Json, client = CsrfClient)]
pub async fn create_recipient(
    input: RecipientInput,
    #[server(default)] confirm_duplicate: bool,
    #[server(default)] note: String,
) -> Result<SaveOutcome, AppError> {
    write(
        None,
        EmployeeAction::Create {
            input,
            confirm_duplicate,
        },
        note,
    )
    .await
}

/// `POST /api/recipients/update` — save every section; `version` is the one read. manager;
/// employee via approval.
#[server(prefix = "/api", endpoint = "recipients/update", input = Json, client = CsrfClient)]
pub async fn update_recipient(
    id: Uuid,
    version: i32,
    input: RecipientInput,
    #[server(default)] note: String,
) -> Result<SaveOutcome, AppError> {
    write(Some((id, version)), EmployeeAction::Update { input }, note).await
}

/// `POST /api/recipients/archive` — 利用終了 (§4.3). manager; employee via approval.
#[server(prefix = "/api", endpoint = "recipients/archive", input = Json, client = CsrfClient)]
pub async fn archive_recipient(
    id: Uuid,
    version: i32,
    input: shared::recipient::ArchiveInput,
    #[server(default)] note: String,
) -> Result<SaveOutcome, AppError> {
    write(Some((id, version)), EmployeeAction::Archive { input }, note).await
}

/// `POST /api/recipients/restore` — archived or deleted (30 days) → active. manager; employee
/// via approval.
#[server(prefix = "/api", endpoint = "recipients/restore", input = Json, client = CsrfClient)]
pub async fn restore_recipient(
    id: Uuid,
    version: i32,
    #[server(default)] confirm_duplicate: bool,
    #[server(default)] note: String,
) -> Result<SaveOutcome, AppError> {
    write(
        Some((id, version)),
        EmployeeAction::Restore { confirm_duplicate },
        note,
    )
    .await
}

/// `POST /api/recipients/delete` — remove a mistaken registration (restorable 30 days).
/// manager; employee via approval.
#[server(prefix = "/api", endpoint = "recipients/delete", input = Json, client = CsrfClient)]
pub async fn delete_recipient(
    id: Uuid,
    version: i32,
    #[server(default)] note: String,
) -> Result<SaveOutcome, AppError> {
    write(Some((id, version)), EmployeeAction::Delete, note).await
}

/// Every recipient write: any office member; employees' writes wait for approval.
#[cfg(feature = "ssr")]
async fn write(
    target: Option<(Uuid, i32)>,
    action: EmployeeAction,
    note: String,
) -> Result<SaveOutcome, AppError> {
    use crate::ssr::{app_state, auth, recipients};
    use shared::Role;
    let ctx = auth::require_office(Role::Employee)?;
    let target = target.map(|(id, version)| recipients::Target { id, version });
    Ok(recipients::write(
        &app_state()?,
        &ctx,
        target,
        action,
        &note,
        &auth::client_info(),
    )
    .await?)
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

/// The list's URL parameters, parsed (the list and the CSV export share them).
#[cfg(feature = "ssr")]
fn list_query(
    q: Option<String>,
    status: Option<String>,
    service_type: Option<String>,
    staff: Option<String>,
    incomplete: Option<bool>,
    sort: Option<String>,
    dir: Option<String>,
    page: Option<u32>,
) -> Result<shared::recipient::ListQuery, AppError> {
    shared::recipient::RecipientQuery {
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
    .map_err(|m| AppError::validation(vec![shared::FieldError::new("q", m)]))
}

/// `POST /api/recipients/import/preview` — the dry run of a CSV import (§4.6): `file_base64`
/// is the file's bytes (≤2 MiB, ≤1,000 rows, UTF-8 or CP932). Nothing is saved. manager.
#[server(prefix = "/api", endpoint = "recipients/import/preview", input = Json, client = CsrfClient)]
pub async fn preview_recipient_import(file_base64: String) -> Result<ImportPreview, AppError> {
    use crate::ssr::{app_state, auth, recipients::csv};
    use shared::Role;
    let ctx = auth::require_office(Role::Manager)?;
    let bytes = decode_file(&file_base64)?;
    Ok(csv::preview(&app_state()?, &ctx, &bytes).await?)
}

/// `POST /api/recipients/import/commit` — import the previewed file (the same bytes, within 30
/// minutes): all rows or none. Answers the number registered. manager; 5 per hour and office.
#[server(prefix = "/api", endpoint = "recipients/import/commit", input = Json, client = CsrfClient)]
pub async fn commit_recipient_import(
    preview_id: Uuid,
    file_base64: String,
) -> Result<u32, AppError> {
    use crate::ssr::{app_state, auth, recipients::csv};
    use shared::Role;
    let ctx = auth::require_office(Role::Manager)?;
    let bytes = decode_file(&file_base64)?;
    Ok(csv::commit(
        &app_state()?,
        &ctx,
        preview_id,
        &bytes,
        &auth::client_info(),
    )
    .await?)
}

#[cfg(feature = "ssr")]
fn decode_file(file_base64: &str) -> Result<Vec<u8>, AppError> {
    use base64::{Engine, engine::general_purpose::STANDARD};
    let invalid = || {
        AppError::validation(vec![shared::FieldError::new(
            "file",
            "ファイルを読み取れませんでした。もう一度選んでください",
        )])
    };
    if file_base64.len() > shared::recipient::csv::MAX_FILE_BYTES / 3 * 4 + 8 {
        return Err(AppError::validation(vec![shared::FieldError::new(
            "file",
            "ファイルは2MBまでです",
        )]));
    }
    STANDARD.decode(file_base64.trim()).map_err(|_| invalid())
}

/// `GET /api/recipients/export?…` — the recipients of the list's filters (same parameters as
/// `GET /api/recipients`, every page) as `{"filename", "content", "rows"}`; `content` is the CSV
/// (UTF-8 with BOM, CRLF, formula-safe). manager.
#[server(prefix = "/api", endpoint = "recipients/export", input = GetUrl)]
pub async fn export_recipients(
    q: Option<String>,
    status: Option<String>,
    service_type: Option<String>,
    staff: Option<String>,
    incomplete: Option<bool>,
    sort: Option<String>,
    dir: Option<String>,
) -> Result<CsvFile, AppError> {
    use crate::ssr::{app_state, auth, recipients::csv};
    use shared::Role;
    let ctx = auth::require_office(Role::Manager)?;
    let filters = format!(
        "status={} service_type={} incomplete={} search={}",
        status.as_deref().unwrap_or("active"),
        service_type.as_deref().unwrap_or("-"),
        incomplete.unwrap_or_default(),
        q.as_deref().is_some_and(|q| !q.trim().is_empty()),
    );
    let query = list_query(q, status, service_type, staff, incomplete, sort, dir, None)?;
    Ok(csv::export(&app_state()?, &ctx, query, &filters, &auth::client_info()).await?)
}
