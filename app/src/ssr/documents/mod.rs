//! Plan documents (SPEC §7): uploads and versions, opening a version through a short-lived
//! link, deleting a version (tombstone + storage outbox), and the office's 「PDF一覧」.
//!
//! Every id is looked up with the caller's office in a tenant transaction before storage is
//! touched: a link is only ever issued for a version that passed that check, and each issuance
//! is audited.

pub mod list;
pub mod outbox;
pub mod upload;
pub mod versions;

use super::{
    AppState, ServerError, audit,
    auth::{ClientInfo, TenantCtx},
    plan::state,
    storage::Disposition,
};
use shared::{
    AppError, ErrorCode, FieldError,
    document::{OpenLink, parse_version_reason},
};
use std::time::Duration;
use uuid::Uuid;

/// §7.2: links live 300 seconds.
pub const LINK_TTL: Duration = Duration::from_secs(300);

fn version_not_found() -> ServerError {
    AppError::with_message(ErrorCode::NotFound, "書類が見つかりません").into()
}

/// 「表示」 / 「ダウンロード」: a link to one live version of the office, audited
/// `document.opened`.
pub async fn open(
    app: &AppState,
    ctx: &TenantCtx,
    version_id: Uuid,
    download: bool,
    client: &ClientInfo,
) -> Result<OpenLink, ServerError> {
    let mut tx = ctx.begin(&app.db).await?;
    let version = sqlx::query!(
        r#"select v.storage_key, v.file_name, v.version, v.byte_size, v.document_id,
                  encode(v.sha256, 'hex') as "sha256!", d.doc_type::text as "doc_type!"
           from document_versions v join plan_documents d on d.id = v.document_id
           where v.id = $1 and v.office_id = $2 and v.deleted_at is null"#,
        version_id,
        ctx.office_id(),
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(version_not_found)?;
    audit::record(
        &mut *tx,
        audit::Entry::by(
            "document.opened",
            ctx.staff_id(),
            ctx.role(),
            Some(ctx.office_id()),
        )
        .target("document", version.document_id)
        .client(client)
        .detail("doc_type", version.doc_type)
        .detail("version", version.version)
        .detail("size", version.byte_size)
        .detail("sha256", version.sha256),
    )
    .await?;
    tx.commit().await?;
    let disposition = if download {
        Disposition::Attachment
    } else {
        Disposition::Inline
    };
    let url = app
        .storage
        .link(
            &version.storage_key,
            disposition,
            &version.file_name,
            LINK_TTL,
        )
        .await?;
    Ok(OpenLink {
        url,
        expires_in_s: LINK_TTL.as_secs() as u32,
        file_name: version.file_name,
    })
}

/// 「この版を削除」 (§7.5): only in an open cycle, and not the version that completed its step
/// (unless that step is current again). The row becomes a tombstone and the object's deletion
/// is queued in the same transaction.
pub async fn delete_version(
    app: &AppState,
    ctx: &TenantCtx,
    version_id: Uuid,
    reason: &str,
    client: &ClientInfo,
) -> Result<(), ServerError> {
    ctx.require_mfa()?;
    let reason = match parse_version_reason(reason).map_err(|e| AppError::validation(vec![e]))? {
        Some(reason) => reason,
        None => {
            return Err(AppError::validation(vec![FieldError::new(
                "reason",
                "削除の理由を入力してください",
            )])
            .into());
        }
    };
    let mut tx = ctx.begin(&app.db).await?;
    let version = sqlx::query!(
        r#"select v.storage_key, v.version, v.byte_size, v.document_id, d.cycle_id,
                  encode(v.sha256, 'hex') as "sha256!", d.doc_type::text as "doc_type!"
           from document_versions v join plan_documents d on d.id = v.document_id
           where v.id = $1 and v.office_id = $2 and v.deleted_at is null"#,
        version_id,
        ctx.office_id(),
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(version_not_found)?;
    let cycle = state::lock(&mut tx, ctx.office_id(), version.cycle_id, None).await?;
    let in_use = cycle
        .steps
        .iter()
        .any(|s| s.document_version_id == Some(version_id));
    if cycle.require_open().is_err() || in_use {
        return Err(AppError::with_message(
            ErrorCode::Conflict,
            "完了済みのステップの書類は削除できません。先に完了を取り消してください",
        )
        .into());
    }
    sqlx::query!(
        "update document_versions set deleted_at = now(), deleted_by = $3, delete_reason = $4
         where id = $1 and office_id = $2 and deleted_at is null",
        version_id,
        ctx.office_id(),
        ctx.staff_id(),
        reason,
    )
    .execute(&mut *tx)
    .await?;
    outbox::enqueue(
        &mut tx,
        ctx.office_id(),
        &version.storage_key,
        "version_deleted",
    )
    .await?;
    audit::record(
        &mut *tx,
        audit::Entry::by(
            "document.version_deleted",
            ctx.staff_id(),
            ctx.role(),
            Some(ctx.office_id()),
        )
        .target("document", version.document_id)
        .client(client)
        .detail("doc_type", version.doc_type)
        .detail("version", version.version)
        .detail("size", version.byte_size)
        .detail("sha256", version.sha256),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
