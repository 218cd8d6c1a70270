//! Password reset by e-mail and password change (SPEC §2.7, §2.8).

use super::{invalid_link, issue_account_token};
use crate::ssr::{
    AppState, ServerError, audit,
    auth::{AuthUser, ClientInfo, mask_ip, passwords, sessions},
    crypto::token_hash,
    limits::{self, LockKind},
    mail::{self, Message},
};
use shared::{
    AppError, FieldError, Role,
    account::{ChangePasswordInput, EmailInput, ResetPasswordInput},
    dates::format_datetime_jst,
    fields::Email,
    password::NewPassword,
};
use sqlx::PgConnection;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

pub const RESET_MINUTES: i64 = 30;
pub const REUSED: &str = "最近使ったパスワードは使用できません。別のパスワードを入力してください";
pub const WRONG_CURRENT: &str = "現在のパスワードが正しくありません";

/// 「パスワードをお忘れの方」: always the same answer; the mail goes out through the outbox.
pub async fn forgot(
    state: &AppState,
    input: &EmailInput,
    client: &ClientInfo,
) -> Result<(), ServerError> {
    limits::hit(&state.db, limits::FORGOT_PER_IP, &client.ip_key()).await?;
    let email = input.parse().map_err(AppError::validation)?;
    let security = &state.security;
    let per_address = limits::check(
        &state.db,
        limits::FORGOT_PER_EMAIL,
        &limits::email_key(&security.mac_key, email.as_str()),
    )
    .await?;
    if per_address.is_some() {
        // Silently not sent: the answer must not differ.
        return Ok(());
    }
    let mut tx = state.db.begin().await?;
    let staff = sqlx::query!(
        r#"select id, role as "role: Role", office_id, last_name || ' ' || first_name as "name!"
           from staffs where email = $1 and deleted_at is null"#,
        email.as_str() as &str,
    )
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(staff) = staff {
        let token = issue_account_token(
            &mut tx,
            staff.id,
            "password_reset",
            Duration::minutes(RESET_MINUTES),
            None,
            client,
        )
        .await?;
        mail::enqueue(
            &mut *tx,
            &security.origin(),
            email.as_str(),
            &Message::PasswordReset {
                staff_name: staff.name,
                reset_url: security.link(&format!("/reset-password#token={}", token.value)),
            },
        )
        .await?;
        audit::record(
            &mut *tx,
            audit::Entry::system("auth.password_reset_requested")
                .target("staff", staff.id)
                .office(staff.office_id)
                .client(client),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Whether a reset link is still usable (the page asks before showing the form).
pub async fn check_reset_token(
    state: &AppState,
    token: &str,
    client: &ClientInfo,
) -> Result<(), ServerError> {
    limits::hit(&state.db, limits::RESET_CHECK_PER_IP, &client.ip_key()).await?;
    let valid = sqlx::query_scalar!(
        r#"select exists(select 1 from account_tokens
                          where token_hash = $1 and purpose = 'password_reset'
                            and used_at is null and expires_at > now()) as "x!""#,
        token_hash(token),
    )
    .fetch_one(&state.db)
    .await?;
    if valid { Ok(()) } else { Err(invalid_link()) }
}

/// Refuses the current password and the last three (SPEC §2.7).
async fn check_not_recent(
    conn: &mut PgConnection,
    staff_id: Uuid,
    password: &NewPassword,
) -> Result<(), ServerError> {
    let hashes = sqlx::query_scalar!(
        "select password_hash from password_history where staff_id = $1 order by created_at desc limit 3",
        staff_id
    )
    .fetch_all(&mut *conn)
    .await?;
    for hash in hashes {
        if passwords::verify(password.expose().to_owned(), hash).await? {
            return Err(AppError::validation(vec![FieldError::new("password", REUSED)]).into());
        }
    }
    Ok(())
}

/// Stores the new password and keeps the history at three entries.
async fn store_password(
    conn: &mut PgConnection,
    staff_id: Uuid,
    password: &NewPassword,
) -> Result<(), ServerError> {
    let hash = passwords::hash(password.expose().to_owned()).await?;
    sqlx::query!(
        "update staffs set password_hash = $2, password_changed_at = now() where id = $1",
        staff_id,
        hash
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "insert into password_history (staff_id, password_hash) values ($1, $2)",
        staff_id,
        hash
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "delete from password_history where staff_id = $1 and ctid not in
             (select ctid from password_history where staff_id = $1 order by created_at desc limit 3)",
        staff_id
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

async fn changed_mail(
    conn: &mut PgConnection,
    state: &AppState,
    email: &str,
    name: String,
    client: &ClientInfo,
) -> Result<(), ServerError> {
    mail::enqueue(
        &mut *conn,
        &state.security.origin(),
        email,
        &Message::PasswordChanged {
            staff_name: name,
            changed_at: format_datetime_jst(OffsetDateTime::now_utc()),
            masked_ip: client.ip.map(mask_ip).unwrap_or_else(|| "不明".to_owned()),
            reset_url: state.security.link("/forgot-password"),
        },
    )
    .await
}

/// Sets a new password with a reset link: every session ends, locks are cleared, the user logs
/// in again (MFA still applies).
pub async fn reset(
    state: &AppState,
    input: &ResetPasswordInput,
    client: &ClientInfo,
) -> Result<(), ServerError> {
    limits::hit(&state.db, limits::RESET_SUBMIT_PER_IP, &client.ip_key()).await?;
    let mut tx = state.db.begin().await?;
    let staff = sqlx::query!(
        r#"select st.id, st.email::text as "email!", st.role as "role: Role", st.office_id,
                  st.last_name || ' ' || st.first_name as "name!"
           from account_tokens t join staffs st on st.id = t.staff_id
           where t.token_hash = $1 and t.purpose = 'password_reset' and t.used_at is null
             and t.expires_at > now() and st.deleted_at is null
           for update of t"#,
        token_hash(input.token.expose()),
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(invalid_link)?;
    let email = Email::parse(&staff.email).ok();
    // Problems with the new password leave the link usable.
    let password = input.parse(email.as_ref()).map_err(AppError::validation)?;
    state
        .breach_check
        .check(password.expose())
        .await
        .map_err(ServerError::Client)?;
    check_not_recent(&mut tx, staff.id, &password).await?;
    sqlx::query!(
        "update account_tokens set used_at = now() where token_hash = $1",
        token_hash(input.token.expose())
    )
    .execute(&mut *tx)
    .await?;
    store_password(&mut tx, staff.id, &password).await?;
    sessions::revoke_all(&mut tx, staff.id, None, "password_reset").await?;
    let login_subject = limits::email_subject(&state.security.mac_key, &staff.email);
    limits::clear(&mut *tx, LockKind::Login, &login_subject).await?;
    limits::clear(&mut *tx, LockKind::PasswordChange, staff.id.as_bytes()).await?;
    audit::record(
        &mut *tx,
        audit::Entry::by(
            "auth.password_reset_completed",
            staff.id,
            staff.role,
            staff.office_id,
        )
        .target("staff", staff.id)
        .client(client),
    )
    .await?;
    changed_mail(&mut tx, state, &staff.email, staff.name, client).await?;
    tx.commit().await?;
    Ok(())
}

/// Changes the password of the signed-in user; the other sessions end. Five wrong current
/// passwords lock the account for 15 minutes and end every session.
pub async fn change(
    state: &AppState,
    user: &AuthUser,
    input: &ChangePasswordInput,
    client: &ClientInfo,
) -> Result<(), ServerError> {
    if let Some(seconds) = limits::locked_for(
        &state.db,
        LockKind::PasswordChange,
        user.staff_id.as_bytes(),
    )
    .await?
    {
        return Err(AppError::account_locked(seconds).into());
    }
    let email = Email::parse(&user.email).ok();
    let password = input.parse(email.as_ref()).map_err(AppError::validation)?;
    limits::hit(
        &state.db,
        limits::PASSWORD_CHANGE,
        &user.staff_id.to_string(),
    )
    .await?;
    let current_hash = sqlx::query_scalar!(
        "select password_hash from staffs where id = $1",
        user.staff_id
    )
    .fetch_one(&state.db)
    .await?;
    if !passwords::verify(input.current_password.expose().to_owned(), current_hash).await? {
        return Err(wrong_current(state, user, client).await);
    }
    state
        .breach_check
        .check(password.expose())
        .await
        .map_err(ServerError::Client)?;
    let mut tx = state.db.begin().await?;
    check_not_recent(&mut tx, user.staff_id, &password).await?;
    store_password(&mut tx, user.staff_id, &password).await?;
    let revoked = sessions::revoke_all(
        &mut tx,
        user.staff_id,
        Some(user.session_id),
        "password_changed",
    )
    .await?;
    limits::clear(&mut *tx, LockKind::PasswordChange, user.staff_id.as_bytes()).await?;
    audit::record(
        &mut *tx,
        audit::Entry::by(
            "auth.password_changed",
            user.staff_id,
            user.role,
            user.office_id,
        )
        .target("staff", user.staff_id)
        .client(client)
        .detail("sessions_revoked", revoked),
    )
    .await?;
    changed_mail(
        &mut tx,
        state,
        &user.email,
        user.display_name.clone(),
        client,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

async fn wrong_current(state: &AppState, user: &AuthUser, client: &ClientInfo) -> ServerError {
    let outcome = async {
        let mut tx = state.db.begin().await?;
        let failure =
            limits::record_failure(&mut *tx, LockKind::PasswordChange, user.staff_id.as_bytes())
                .await?;
        audit::record(
            &mut *tx,
            audit::Entry::by(
                "auth.password_change_failed",
                user.staff_id,
                user.role,
                user.office_id,
            )
            .target("staff", user.staff_id)
            .client(client)
            .detail("reason", "wrong_current_password"),
        )
        .await?;
        let error: ServerError = if let Some(seconds) = failure.locked_for_s {
            limits::lock(
                &mut *tx,
                LockKind::PasswordChange,
                user.staff_id.as_bytes(),
                seconds,
            )
            .await?;
            sessions::revoke_all(&mut tx, user.staff_id, None, "password_change_lock").await?;
            let until = OffsetDateTime::now_utc() + Duration::seconds(seconds);
            audit::record(
                &mut *tx,
                audit::Entry::system("auth.account_locked")
                    .target("staff", user.staff_id)
                    .office(user.office_id)
                    .client(client)
                    .detail("kind", "password_change")
                    .detail("lock_level", seconds / 60)
                    .detail("until", format_datetime_jst(until)),
            )
            .await?;
            mail::enqueue(
                &mut *tx,
                &state.security.origin(),
                &user.email,
                &Message::AccountLocked {
                    staff_name: user.display_name.clone(),
                    locked_until: format_datetime_jst(until),
                    reset_url: state.security.link("/forgot-password"),
                },
            )
            .await?;
            AppError::account_locked(u32::try_from(seconds).unwrap_or(u32::MAX)).into()
        } else {
            AppError::validation(vec![FieldError::new("current_password", WRONG_CURRENT)]).into()
        };
        tx.commit().await?;
        Ok::<_, ServerError>(error)
    }
    .await;
    outcome.unwrap_or_else(|error| error)
}
