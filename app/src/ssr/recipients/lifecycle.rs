//! 利用終了 / 元に戻す / 削除 (SPEC §4.3), each checked against the version the user read.

use super::{
    Target,
    store::{STALE, duplicates_of, not_found},
};
use crate::ssr::{
    ServerError, audit,
    auth::{ClientInfo, TenantCtx},
};
use shared::{
    AppError, ErrorCode,
    dates::jst_date,
    recipient::{Archive, ArchiveInput, RecipientStatus, SaveOutcome},
};
use sqlx::PgConnection;
use time::OffsetDateTime;
use uuid::Uuid;

/// How long a deleted recipient can be restored before the purge (§12.3).
const RESTORE_DAYS: i64 = 30;

struct Locked {
    status: RecipientStatus,
    contract_date: Option<time::Date>,
    deleted_at: Option<OffsetDateTime>,
}

/// Locks the row for the rest of the transaction; refuses other offices' ids and stale versions.
async fn lock(
    conn: &mut PgConnection,
    office_id: Uuid,
    Target { id, version }: Target,
) -> Result<Locked, ServerError> {
    let row = sqlx::query!(
        "select status, version, contract_date, deleted_at from recipients
         where id = $1 and office_id = $2 for update",
        id,
        office_id
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(not_found)?;
    if row.version != version {
        return Err(AppError::with_message(ErrorCode::Conflict, STALE).into());
    }
    Ok(Locked {
        status: RecipientStatus::parse(&row.status)
            .ok_or(ServerError::Internal("unknown recipient status"))?,
        contract_date: row.contract_date,
        deleted_at: row.deleted_at,
    })
}

fn wrong_state(message: &str) -> ServerError {
    AppError::with_message(ErrorCode::Conflict, message).into()
}

async fn record(
    conn: &mut PgConnection,
    ctx: &TenantCtx,
    action: &'static str,
    id: Uuid,
    client: &ClientInfo,
    detail: Option<(&str, &str)>,
) -> Result<(), ServerError> {
    let mut entry = audit::Entry::by(action, ctx.staff_id(), ctx.role(), Some(ctx.office_id()))
        .target("recipient", id)
        .client(client);
    if let Some((key, value)) = detail {
        entry = entry.detail(key, value);
    }
    audit::record(conn, entry).await?;
    Ok(())
}

/// The archive form checked against the locked recipient: active, and an end date between
/// its contract date and today.
fn parse_archive(locked: &Locked, input: &ArchiveInput) -> Result<Archive, ServerError> {
    if locked.status != RecipientStatus::Active {
        return Err(wrong_state("利用中の利用者だけを利用終了にできます"));
    }
    Ok(input
        .parse(jst_date(OffsetDateTime::now_utc()), locked.contract_date)
        .map_err(AppError::validation)?)
}

/// The archive form as an approval request keeps it: normalised, after every check.
pub async fn normalised_archive(
    conn: &mut PgConnection,
    office_id: Uuid,
    target: Target,
    input: &ArchiveInput,
) -> Result<ArchiveInput, ServerError> {
    let locked = lock(conn, office_id, target).await?;
    Ok(parse_archive(&locked, input)?.to_input())
}

pub async fn archive(
    conn: &mut PgConnection,
    ctx: &TenantCtx,
    target: Target,
    input: &ArchiveInput,
    client: &ClientInfo,
) -> Result<SaveOutcome, ServerError> {
    let Target { id, .. } = target;
    let locked = lock(conn, ctx.office_id(), target).await?;
    let archive = parse_archive(&locked, input)?;
    let version = sqlx::query_scalar!(
        "update recipients set status = 'archived', end_date = $3, end_reason = $4,
             end_reason_text = $5, last_service_date = $6, updated_by = $7, version = version + 1
         where id = $1 and office_id = $2 returning version",
        id,
        ctx.office_id(),
        archive.end_date,
        archive.end_reason.as_str(),
        archive.end_reason_text,
        archive.last_service_date,
        ctx.staff_id(),
    )
    .fetch_one(&mut *conn)
    .await?;
    // The latest cycle ends with the recipient's use (§6.2).
    crate::ssr::plan::cycles::set_ended(conn, ctx.office_id(), id, true).await?;
    record(
        conn,
        ctx,
        "recipient.archived",
        id,
        client,
        Some(("end_reason", archive.end_reason.label())),
    )
    .await?;
    Ok(SaveOutcome::Saved { id, version })
}

/// Archived or deleted (within 30 days) → active, behind the duplicate guard (§4.5).
pub async fn restore(
    conn: &mut PgConnection,
    ctx: &TenantCtx,
    target: Target,
    confirm_duplicate: bool,
    client: &ClientInfo,
) -> Result<SaveOutcome, ServerError> {
    let Target { id, .. } = target;
    let locked = lock(conn, ctx.office_id(), target).await?;
    match locked.status {
        RecipientStatus::Active => return Err(wrong_state("この利用者は利用中です")),
        RecipientStatus::Deleted
            if locked.deleted_at.is_some_and(|at| {
                OffsetDateTime::now_utc() - at > time::Duration::days(RESTORE_DAYS)
            }) =>
        {
            return Err(wrong_state("削除から30日を過ぎたため元に戻せません"));
        }
        _ => {}
    }
    if !confirm_duplicate {
        let existing = duplicates_of(conn, ctx.office_id(), id).await?;
        if !existing.is_empty() {
            return Ok(SaveOutcome::DuplicateFound { existing });
        }
    }
    let version = sqlx::query_scalar!(
        "update recipients set status = 'active', end_date = null, end_reason = null,
             end_reason_text = null, last_service_date = null, deleted_at = null,
             updated_by = $3, version = version + 1
         where id = $1 and office_id = $2 returning version",
        id,
        ctx.office_id(),
        ctx.staff_id(),
    )
    .fetch_one(&mut *conn)
    .await?;
    crate::ssr::plan::cycles::set_ended(conn, ctx.office_id(), id, false).await?;
    record(
        conn,
        ctx,
        "recipient.restored",
        id,
        client,
        Some(("from", locked.status.label())),
    )
    .await?;
    Ok(SaveOutcome::Saved { id, version })
}

/// A mistaken registration: soft-deleted, restorable for 30 days (§4.3). Recipients with plan
/// records (a completed step or a document) must be archived instead (§18 item 32).
pub async fn delete(
    conn: &mut PgConnection,
    ctx: &TenantCtx,
    target: Target,
    client: &ClientInfo,
) -> Result<SaveOutcome, ServerError> {
    let Target { id, .. } = target;
    let locked = lock(conn, ctx.office_id(), target).await?;
    if locked.status == RecipientStatus::Deleted {
        return Err(wrong_state("この利用者は削除済みです"));
    }
    if crate::ssr::plan::cycles::has_records(conn, ctx.office_id(), id).await? {
        return Err(wrong_state(
            "支援計画の記録（完了したステップや書類）がある利用者は削除できません。「利用終了」にしてください",
        ));
    }
    let version = sqlx::query_scalar!(
        "update recipients set status = 'deleted', deleted_at = now(), end_date = null,
             end_reason = null, end_reason_text = null, last_service_date = null,
             updated_by = $3, version = version + 1
         where id = $1 and office_id = $2 returning version",
        id,
        ctx.office_id(),
        ctx.staff_id(),
    )
    .fetch_one(&mut *conn)
    .await?;
    record(conn, ctx, "recipient.deleted", id, client, None).await?;
    Ok(SaveOutcome::Saved { id, version })
}
