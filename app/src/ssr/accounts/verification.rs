//! E-mail verification (SPEC §2.1 step 2) and 「確認メールを再送信」.

use super::{consume_account_token, invalid_link, issue_account_token, signup::VERIFICATION_HOURS};
use crate::ssr::{
    AppState, ServerError, audit,
    auth::ClientInfo,
    crypto::token_hash,
    limits,
    mail::{self, Message},
};
use shared::{AppError, account::EmailInput, fields::mask_email};
use time::Duration;

/// Marks the address verified. A link that was already used for a verified account succeeds again.
pub async fn verify_email(
    state: &AppState,
    token: &str,
    client: &ClientInfo,
) -> Result<(), ServerError> {
    let mut tx = state.db.begin().await?;
    let Some((staff_id, _)) = consume_account_token(&mut tx, token, "verify_email").await? else {
        let already = sqlx::query_scalar!(
            r#"select st.email_verified_at is not null as "verified!"
               from account_tokens t join staffs st on st.id = t.staff_id
               where t.token_hash = $1 and t.purpose = 'verify_email' and st.deleted_at is null"#,
            token_hash(token),
        )
        .fetch_optional(&mut *tx)
        .await?;
        return if already == Some(true) {
            Ok(())
        } else {
            Err(invalid_link())
        };
    };
    let row = sqlx::query!(
        r#"update staffs set email_verified_at = coalesce(email_verified_at, now())
           where id = $1 and deleted_at is null
           returning role as "role: shared::Role", office_id, email::text as "email!""#,
        staff_id,
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(invalid_link)?;
    audit::record(
        &mut *tx,
        audit::Entry::by("auth.email_verified", staff_id, row.role, row.office_id)
            .target("staff", staff_id)
            .client(client)
            .detail("new_email", mask_email(&row.email)),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Sends a new verification link to an unverified account; the answer never says whether one exists.
pub async fn resend_verification(
    state: &AppState,
    input: &EmailInput,
    client: &ClientInfo,
) -> Result<(), ServerError> {
    limits::hit(&state.db, limits::RESEND_PER_IP, &client.ip_key()).await?;
    let email = input.parse().map_err(AppError::validation)?;
    let security = &state.security;
    limits::hit(
        &state.db,
        limits::RESEND_PER_ACCOUNT,
        &limits::email_key(&security.mac_key, email.as_str()),
    )
    .await?;
    let mut tx = state.db.begin().await?;
    let staff = sqlx::query!(
        "select id, last_name, first_name from staffs
         where email = $1 and deleted_at is null and email_verified_at is null",
        email.as_str() as &str,
    )
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(staff) = staff {
        let token = issue_account_token(
            &mut tx,
            staff.id,
            "verify_email",
            Duration::hours(VERIFICATION_HOURS),
            None,
            client,
        )
        .await?;
        mail::enqueue(
            &mut *tx,
            &security.origin(),
            email.as_str(),
            &Message::VerifyEmail {
                staff_name: format!("{} {}", staff.last_name, staff.first_name),
                verification_url: security.link(&format!("/verify-email#token={}", token.value)),
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}
