//! Self-service MFA on `/settings/security`: enrol, disable, regenerate recovery codes. Every
//! change ends the user's other sessions, is audited and is confirmed by mail.

use super::{decrypt_secret, enable, enrolment_aad, step_for_new_secret, totp, verify_totp};
use crate::ssr::{
    AppState, ServerError, audit,
    auth::{AuthUser, ClientInfo, passwords, sessions},
    limits::{self, LockKind},
    mail::{self, Message},
};
use shared::{
    AppError, ErrorCode, FieldError,
    account::{MfaEnrolment, RecoveryCodes, parse_totp_code},
    dates::format_datetime_jst,
};
use sqlx::PgConnection;
use time::OffsetDateTime;

pub const WRONG_CODE: &str =
    "確認コードが正しくありません。認証アプリに表示されている最新のコードを入力してください";
pub const REQUIRED_BY_OFFICE: &str = "事業所の設定により2段階認証は必須です";
pub const REQUIRED_FOR_APP_ADMIN: &str = "アプリ管理者の2段階認証は解除できません";
const ENROLMENT_MINUTES: i32 = 15;

fn code_error(message: &str) -> ServerError {
    AppError::validation(vec![FieldError::new("code", message)]).into()
}

fn parse_code(code: &str) -> Result<String, ServerError> {
    parse_totp_code(code).map_err(code_error)
}

/// The material to show: QR code and manual key for `secret`.
pub fn enrolment_view(secret: &[u8], email: &str) -> MfaEnrolment {
    let url = totp::otpauth_url(secret, email);
    MfaEnrolment {
        qr_data_url: totp::qr_data_url(&url),
        manual_key: totp::manual_key(secret),
    }
}

/// Starts (or restarts) enrolment: a new secret kept encrypted for 15 minutes.
pub async fn begin(state: &AppState, user: &AuthUser) -> Result<MfaEnrolment, ServerError> {
    if user.mfa_enabled {
        return Err(
            AppError::with_message(ErrorCode::Conflict, "2段階認証は既に設定されています").into(),
        );
    }
    let secret = totp::new_secret();
    let stored = state
        .security
        .data_keys
        .encrypt(&secret, &enrolment_aad(user.staff_id));
    sqlx::query!(
        "insert into mfa_enrolments (staff_id, secret, expires_at)
         values ($1, $2, now() + make_interval(mins => $3))
         on conflict (staff_id) do update set secret = excluded.secret,
             created_at = now(), expires_at = excluded.expires_at",
        user.staff_id,
        stored,
        ENROLMENT_MINUTES,
    )
    .execute(&state.db)
    .await?;
    Ok(enrolment_view(&secret, &user.email))
}

/// Finishes enrolment with a current code; returns the ten recovery codes (shown once).
pub async fn confirm(
    state: &AppState,
    user: &AuthUser,
    code: &str,
    client: &ClientInfo,
) -> Result<RecoveryCodes, ServerError> {
    let code = parse_code(code)?;
    let mut tx = state.db.begin().await?;
    let stored = sqlx::query_scalar!(
        "select secret from mfa_enrolments where staff_id = $1 and expires_at > now() for update",
        user.staff_id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| {
        AppError::with_message(
            ErrorCode::Conflict,
            "設定の有効期限が切れました。もう一度「2段階認証を設定する」から始めてください",
        )
    })?;
    let keys = &state.security.data_keys;
    let secret = decrypt_secret(keys, &stored, &enrolment_aad(user.staff_id))?;
    let Some(step) = step_for_new_secret(&secret, &code) else {
        return Err(code_error(WRONG_CODE));
    };
    let codes = enable(&mut tx, keys, user.staff_id, &secret, step).await?;
    sqlx::query!(
        "delete from mfa_enrolments where staff_id = $1",
        user.staff_id
    )
    .execute(&mut *tx)
    .await?;
    after_change(
        &mut tx,
        state,
        user,
        client,
        "mfa.enrolled",
        Some(codes.len() as i64),
        "2段階認証を有効にしました",
    )
    .await?;
    tx.commit().await?;
    Ok(RecoveryCodes(codes))
}

/// Turns MFA off with the password and a current code, unless the owner requires it.
pub async fn disable(
    state: &AppState,
    user: &AuthUser,
    password: &str,
    code: &str,
    client: &ClientInfo,
) -> Result<(), ServerError> {
    if user.mfa_required {
        let message = if user.role == shared::Role::AppAdmin {
            REQUIRED_FOR_APP_ADMIN
        } else {
            REQUIRED_BY_OFFICE
        };
        return Err(AppError::with_message(ErrorCode::Forbidden, message).into());
    }
    if !user.mfa_enabled {
        return Err(
            AppError::with_message(ErrorCode::Conflict, "2段階認証は設定されていません").into(),
        );
    }
    let code = parse_code(code)?;
    check_mfa_lock(state, user).await?;
    let hash = sqlx::query_scalar!(
        "select password_hash from staffs where id = $1",
        user.staff_id
    )
    .fetch_one(&state.db)
    .await?;
    if !passwords::verify(password.to_owned(), hash).await? {
        return Err(AppError::validation(vec![FieldError::new(
            "password",
            "パスワードが正しくありません",
        )])
        .into());
    }
    let mut tx = state.db.begin().await?;
    if !verify_totp(&mut tx, &state.security.data_keys, user.staff_id, &code).await? {
        drop(tx);
        return Err(wrong_code(state, user).await);
    }
    super::clear(&mut tx, user.staff_id).await?;
    after_change(
        &mut tx,
        state,
        user,
        client,
        "mfa.disabled",
        None,
        "2段階認証を無効にしました",
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// New recovery codes (a current code is needed); the old ones stop working.
pub async fn regenerate(
    state: &AppState,
    user: &AuthUser,
    code: &str,
    client: &ClientInfo,
) -> Result<RecoveryCodes, ServerError> {
    if !user.mfa_enabled {
        return Err(
            AppError::with_message(ErrorCode::Conflict, "2段階認証は設定されていません").into(),
        );
    }
    let code = parse_code(code)?;
    check_mfa_lock(state, user).await?;
    let mut tx = state.db.begin().await?;
    if !verify_totp(&mut tx, &state.security.data_keys, user.staff_id, &code).await? {
        drop(tx);
        return Err(wrong_code(state, user).await);
    }
    let codes = super::recovery::replace(&mut tx, user.staff_id).await?;
    after_change(
        &mut tx,
        state,
        user,
        client,
        "mfa.recovery_codes_regenerated",
        Some(codes.len() as i64),
        "リカバリーコードを再発行しました",
    )
    .await?;
    tx.commit().await?;
    Ok(RecoveryCodes(codes))
}

async fn check_mfa_lock(state: &AppState, user: &AuthUser) -> Result<(), ServerError> {
    match limits::locked_for(&state.db, LockKind::Mfa, user.staff_id.as_bytes()).await? {
        Some(seconds) => Err(AppError::account_locked(seconds).into()),
        None => Ok(()),
    }
}

/// Counts a wrong code (10 per hour lock MFA for an hour) and answers with the message.
async fn wrong_code(state: &AppState, user: &AuthUser) -> ServerError {
    let outcome = async {
        let failure =
            limits::record_failure(&state.db, LockKind::Mfa, user.staff_id.as_bytes()).await?;
        if let Some(seconds) = failure.locked_for_s {
            limits::lock(&state.db, LockKind::Mfa, user.staff_id.as_bytes(), seconds).await?;
            return Ok::<_, ServerError>(
                AppError::account_locked(u32::try_from(seconds).unwrap_or(u32::MAX)).into(),
            );
        }
        Ok(code_error(WRONG_CODE))
    }
    .await;
    outcome.unwrap_or_else(|error| error)
}

/// What every MFA change does besides itself: end the other sessions, audit, mail.
async fn after_change(
    conn: &mut PgConnection,
    state: &AppState,
    user: &AuthUser,
    client: &ClientInfo,
    action: &'static str,
    remaining: Option<i64>,
    change_label: &'static str,
) -> Result<(), ServerError> {
    sessions::revoke_all(conn, user.staff_id, Some(user.session_id), "mfa_changed").await?;
    let mut entry = audit::Entry::by(action, user.staff_id, user.role, user.office_id)
        .target("staff", user.staff_id)
        .client(client);
    if let Some(remaining) = remaining {
        entry = entry.detail("remaining_codes", remaining);
    }
    audit::record(&mut *conn, entry).await?;
    mail::enqueue(
        &mut *conn,
        &state.security.origin(),
        &user.email,
        &Message::MfaChanged {
            staff_name: user.display_name.clone(),
            change_label,
            changed_at: format_datetime_jst(OffsetDateTime::now_utc()),
        },
    )
    .await?;
    Ok(())
}
