//! Account use cases (SPEC §2): each function takes what it needs and returns a client-safe error.

pub mod app_admin;
pub mod devices;
pub mod email_change;
pub mod login;
pub mod password;
pub mod profile;
pub mod second_factor;
pub mod signup;
pub mod verification;

use super::{ServerError, crypto::NewToken};
use shared::{AppError, ErrorCode};
use sqlx::PgConnection;
use time::Duration;
use uuid::Uuid;

pub const INVALID_LINK: &str = "このリンクは無効か有効期限が切れています";

/// The message for a link whose token is unknown, used or expired.
pub fn invalid_link() -> ServerError {
    AppError::with_message(ErrorCode::NotFound, INVALID_LINK).into()
}

/// Issues a single-use token of `purpose` for `staff_id`, invalidating older unused ones.
pub async fn issue_account_token(
    conn: &mut PgConnection,
    staff_id: Uuid,
    purpose: &str,
    lifetime: Duration,
    new_email: Option<&str>,
    client: &super::auth::ClientInfo,
) -> Result<NewToken, ServerError> {
    sqlx::query!(
        "update account_tokens set used_at = now()
         where staff_id = $1 and purpose = $2::text::account_token_purpose and used_at is null",
        staff_id,
        purpose,
    )
    .execute(&mut *conn)
    .await?;
    let token = NewToken::generate();
    sqlx::query!(
        r#"insert into account_tokens
               (token_hash, purpose, staff_id, new_email, expires_at, request_ip, request_user_agent)
           values ($1, $2::text::account_token_purpose, $3, $4, now() + make_interval(secs => $5), $6, $7)"#,
        token.hash,
        purpose,
        staff_id,
        new_email,
        lifetime.whole_seconds() as f64,
        client.ip.map(ipnet::IpNet::from),
        client.user_agent.as_deref(),
    )
    .execute(&mut *conn)
    .await?;
    Ok(token)
}

/// Uses a token of `purpose` once: `Some((staff_id, new_email))` if it was valid.
pub async fn consume_account_token(
    conn: &mut PgConnection,
    token: &str,
    purpose: &str,
) -> Result<Option<(Uuid, Option<String>)>, ServerError> {
    let row = sqlx::query!(
        r#"update account_tokens set used_at = now()
           where token_hash = $1 and purpose = $2::text::account_token_purpose
             and used_at is null and expires_at > now()
           returning staff_id, new_email::text"#,
        super::crypto::token_hash(token),
        purpose,
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| (r.staff_id, r.new_email)))
}
