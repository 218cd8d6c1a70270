//! 「ログイン中の端末」 (SPEC §2.4): the user's live sessions, and ending them.

use crate::ssr::{
    AppState, ServerError, audit,
    auth::{AuthUser, ClientInfo, device_label, mask_ip, sessions},
};
use shared::{AppError, account::DeviceSession};
use uuid::Uuid;

pub async fn list(state: &AppState, user: &AuthUser) -> Result<Vec<DeviceSession>, ServerError> {
    let rows = sqlx::query!(
        r#"select id, ip, user_agent, created_at, last_used_at from sessions
           where staff_id = $1 and revoked_at is null
             and idle_expires_at > now() and absolute_expires_at > now()
           order by last_used_at desc"#,
        user.staff_id,
    )
    .fetch_all(&state.db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| DeviceSession {
            id: row.id,
            device: device_label(row.user_agent.as_deref()),
            ip_masked: row
                .ip
                .map(|ip| mask_ip(ip.addr()))
                .unwrap_or_else(|| "不明".to_owned()),
            created_at: row.created_at,
            last_used_at: row.last_used_at,
            current: row.id == user.session_id,
        })
        .collect())
}

/// Ends one of the user's own sessions (another user's id is `NOT_FOUND`).
pub async fn revoke(
    state: &AppState,
    user: &AuthUser,
    session_id: Uuid,
    client: &ClientInfo,
) -> Result<(), ServerError> {
    let mut tx = state.db.begin().await?;
    if !sessions::revoke(&mut tx, user.staff_id, session_id, "user_revoked").await? {
        return Err(AppError::not_found().into());
    }
    audit::record(
        &mut *tx,
        audit::Entry::by(
            "auth.session_revoked",
            user.staff_id,
            user.role,
            user.office_id,
        )
        .target("session", session_id)
        .client(client)
        .detail("session_id", session_id.to_string())
        .detail("reason", "user_revoked"),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// 「他のすべての端末からログアウト」.
pub async fn revoke_others(
    state: &AppState,
    user: &AuthUser,
    client: &ClientInfo,
) -> Result<u64, ServerError> {
    let mut tx = state.db.begin().await?;
    let count = sessions::revoke_all(
        &mut tx,
        user.staff_id,
        Some(user.session_id),
        "user_revoked_others",
    )
    .await?;
    audit::record(
        &mut *tx,
        audit::Entry::by(
            "auth.session_revoked",
            user.staff_id,
            user.role,
            user.office_id,
        )
        .target("staff", user.staff_id)
        .client(client)
        .detail("reason", "user_revoked_others"),
    )
    .await?;
    tx.commit().await?;
    Ok(count)
}
