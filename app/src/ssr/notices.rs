//! In-app notices (SPEC §9.1): each staff member reads and marks their own; another user's
//! notice is `NOT_FOUND`.

use super::{AppState, ServerError, auth::TenantCtx};
use shared::{
    AppError, ErrorCode,
    dates::format_datetime_jst,
    notice::{NoticeItem, NoticeList},
};
use uuid::Uuid;

pub async fn list(state: &AppState, ctx: &TenantCtx) -> Result<NoticeList, ServerError> {
    let counts = sqlx::query!(
        r#"select count(*) as "total!", count(*) filter (where read_at is null) as "unread!"
           from notices where staff_id = $1"#,
        ctx.staff_id()
    )
    .fetch_one(&state.db)
    .await?;
    let items = sqlx::query!(
        "select id, kind, title, body, link, created_at, read_at, resolved_at from notices
         where staff_id = $1 order by created_at desc limit 100",
        ctx.staff_id()
    )
    .fetch_all(&state.db)
    .await?
    .into_iter()
    .map(|n| NoticeItem {
        id: n.id,
        kind: n.kind,
        title: n.title,
        body: n.body,
        link: n.link,
        created_at: format_datetime_jst(n.created_at),
        read: n.read_at.is_some(),
        resolved: n.resolved_at.is_some(),
    })
    .collect();
    Ok(NoticeList {
        items,
        total: counts.total as u64,
        unread: counts.unread as u64,
    })
}

/// The caller's unread count (the bell).
pub async fn unread(state: &AppState, ctx: &TenantCtx) -> Result<u64, ServerError> {
    unread_for(&state.db, ctx.staff_id()).await
}

/// A staff member's unread count (also part of the session state, so the bell needs no request
/// of its own).
pub async fn unread_for(db: &sqlx::PgPool, staff_id: Uuid) -> Result<u64, ServerError> {
    let n = sqlx::query_scalar!(
        r#"select count(*) as "n!" from notices where staff_id = $1 and read_at is null"#,
        staff_id
    )
    .fetch_one(db)
    .await?;
    Ok(u64::try_from(n).unwrap_or(0))
}

pub async fn mark_read(state: &AppState, ctx: &TenantCtx, id: Uuid) -> Result<(), ServerError> {
    let found = sqlx::query!(
        "update notices set read_at = coalesce(read_at, now()) where id = $1 and staff_id = $2",
        id,
        ctx.staff_id()
    )
    .execute(&state.db)
    .await?;
    if found.rows_affected() == 0 {
        return Err(AppError::with_message(ErrorCode::NotFound, "お知らせが見つかりません").into());
    }
    Ok(())
}

/// Returns how many were marked.
pub async fn mark_all_read(state: &AppState, ctx: &TenantCtx) -> Result<u64, ServerError> {
    let done = sqlx::query!(
        "update notices set read_at = now() where staff_id = $1 and read_at is null",
        ctx.staff_id()
    )
    .execute(&state.db)
    .await?;
    Ok(done.rows_affected())
}
