//! E-mail change (SPEC §2.8): confirmed from the new address, announced to the old one; applying
//! it ends every session.

use super::{consume_account_token, invalid_link, issue_account_token};
use crate::ssr::{
    AppState, ServerError, audit,
    auth::{AuthUser, ClientInfo, passwords, sessions},
    limits,
    mail::{self, Message},
};
use shared::{
    AppError, ErrorCode, FieldError, Role, account::ChangeEmailInput, dates::format_datetime_jst,
    fields::mask_email,
};
use time::{Duration, OffsetDateTime};

pub const LINK_MINUTES: i64 = 30;

/// Sends the confirmation link to the new address and a notice to the current one.
pub async fn request(
    state: &AppState,
    user: &AuthUser,
    input: &ChangeEmailInput,
    client: &ClientInfo,
) -> Result<(), ServerError> {
    let new_email = input.parse().map_err(AppError::validation)?;
    limits::hit(&state.db, limits::EMAIL_CHANGE, &user.staff_id.to_string()).await?;
    let hash = sqlx::query_scalar!(
        "select password_hash from staffs where id = $1",
        user.staff_id
    )
    .fetch_one(&state.db)
    .await?;
    if !passwords::verify(input.current_password.expose().to_owned(), hash).await? {
        return Err(AppError::validation(vec![FieldError::new(
            "current_password",
            super::password::WRONG_CURRENT,
        )])
        .into());
    }
    let mut tx = state.db.begin().await?;
    let taken = sqlx::query_scalar!(
        r#"select exists(select 1 from staffs where email = $1 and deleted_at is null) as "x!""#,
        new_email.as_str() as &str,
    )
    .fetch_one(&mut *tx)
    .await?;
    if taken {
        return Err(AppError {
            field_errors: vec![FieldError::new(
                "new_email",
                "このメールアドレスは既に登録されています",
            )],
            ..AppError::with_message(
                ErrorCode::Conflict,
                "このメールアドレスは既に登録されています",
            )
        }
        .into());
    }
    let token = issue_account_token(
        &mut tx,
        user.staff_id,
        "email_change",
        Duration::minutes(LINK_MINUTES),
        Some(new_email.as_str()),
        client,
    )
    .await?;
    let security = &state.security;
    mail::enqueue(
        &mut *tx,
        &security.origin(),
        new_email.as_str(),
        &Message::EmailChangeVerification {
            staff_name: user.display_name.clone(),
            masked_old_email: mask_email(&user.email),
            verification_url: security.link(&format!("/confirm-email#token={}", token.value)),
        },
    )
    .await?;
    mail::enqueue(
        &mut *tx,
        &security.origin(),
        &user.email,
        &Message::EmailChangeNotification {
            staff_name: user.display_name.clone(),
            masked_new_email: new_email.masked(),
            requested_at: format_datetime_jst(OffsetDateTime::now_utc()),
        },
    )
    .await?;
    audit::record(
        &mut *tx,
        audit::Entry::by(
            "auth.email_change_requested",
            user.staff_id,
            user.role,
            user.office_id,
        )
        .target("staff", user.staff_id)
        .client(client)
        .detail("old_email", mask_email(&user.email))
        .detail("new_email", new_email.masked()),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Follows the link from the new address: the change applies (no login needed) and every
/// session ends.
pub async fn confirm(
    state: &AppState,
    token: &str,
    client: &ClientInfo,
) -> Result<(), ServerError> {
    let mut tx = state.db.begin().await?;
    let Some((staff_id, Some(new_email))) =
        consume_account_token(&mut tx, token, "email_change").await?
    else {
        return Err(invalid_link());
    };
    let staff = sqlx::query!(
        r#"select email::text as "email!", role as "role: Role", office_id,
                  last_name || ' ' || first_name as "name!"
           from staffs where id = $1 and deleted_at is null for update"#,
        staff_id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(invalid_link)?;
    sqlx::query!(
        "update staffs set email = $2 where id = $1",
        staff_id,
        new_email
    )
    .execute(&mut *tx)
    .await
    .map_err(|error| match &error {
        sqlx::Error::Database(db) if db.constraint() == Some("staffs_email_key") => {
            AppError::with_message(
                ErrorCode::Conflict,
                "このメールアドレスは既に登録されています",
            )
            .into()
        }
        _ => ServerError::from(error),
    })?;
    sessions::revoke_all(&mut tx, staff_id, None, "email_changed").await?;
    audit::record(
        &mut *tx,
        audit::Entry::by("auth.email_changed", staff_id, staff.role, staff.office_id)
            .target("staff", staff_id)
            .client(client)
            .detail("old_email", mask_email(&staff.email))
            .detail("new_email", mask_email(&new_email)),
    )
    .await?;
    mail::enqueue(
        &mut *tx,
        &state.security.origin(),
        &staff.email,
        &Message::EmailChangeCompleted {
            staff_name: staff.name,
            masked_new_email: mask_email(&new_email),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
