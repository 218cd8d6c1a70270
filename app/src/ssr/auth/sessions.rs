//! Login sessions and their refresh-token chain (SPEC §2.4).
//!
//! A session row is the "family"; every refresh token it was given is kept (hashed) in
//! `refresh_tokens`. Presenting the live token rotates it; a token superseded less than
//! [`REFRESH_GRACE_SECONDS`] ago only gets a new access token (parallel tabs); an older one means
//! the token was copied: the whole session is revoked.

use super::{client::ClientInfo, cookies, jwt};
use crate::ssr::{
    ServerError, audit,
    crypto::{JwtKeys, NewToken, token_hash},
};
use http::HeaderValue;
use shared::Role;
use sqlx::{PgConnection, PgPool};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

pub const REFRESH_GRACE_SECONDS: i64 = 10;
pub const MAX_LIVE_SESSIONS: i64 = 10;

/// Idle and absolute lifetimes by role.
pub fn lifetimes(role: Role) -> (Duration, Duration) {
    match role {
        Role::AppAdmin => (Duration::minutes(30), Duration::hours(8)),
        _ => (Duration::hours(12), Duration::days(7)),
    }
}

/// A session just created or refreshed: what goes into the cookies.
pub struct IssuedTokens {
    pub session_id: Uuid,
    pub access_token: String,
    /// `None` when only the access token was renewed (grace period).
    pub refresh_token: Option<String>,
    pub absolute_expires_at: OffsetDateTime,
}

impl IssuedTokens {
    pub fn set_cookies(&self, secure: bool) -> Vec<HeaderValue> {
        let now = OffsetDateTime::now_utc();
        let mut out = vec![cookies::set_cookie(
            cookies::CookieName::Access,
            &self.access_token,
            jwt::ACCESS_TOKEN_SECONDS,
            secure,
        )];
        if let Some(refresh) = &self.refresh_token {
            let remaining = (self.absolute_expires_at - now).whole_seconds().max(0);
            out.push(cookies::set_cookie(
                cookies::CookieName::Refresh,
                refresh,
                remaining,
                secure,
            ));
        }
        out
    }
}

/// `Set-Cookie` values that remove both session cookies.
pub fn clear_cookies(secure: bool) -> Vec<HeaderValue> {
    vec![
        cookies::clear_cookie(cookies::CookieName::Access, secure),
        cookies::clear_cookie(cookies::CookieName::Refresh, secure),
    ]
}

/// Starts a session (inside the caller's transaction) and revokes the oldest live ones beyond
/// [`MAX_LIVE_SESSIONS`].
pub async fn create(
    conn: &mut PgConnection,
    keys: &JwtKeys,
    staff_id: Uuid,
    role: Role,
    client: &ClientInfo,
) -> Result<IssuedTokens, ServerError> {
    let (idle, absolute) = lifetimes(role);
    let now = OffsetDateTime::now_utc();
    let session_id = sqlx::query_scalar!(
        r#"insert into sessions (staff_id, idle_expires_at, absolute_expires_at, ip, user_agent)
           values ($1, $2, $3, $4, $5) returning id"#,
        staff_id,
        now + idle,
        now + absolute,
        client.ip.map(ipnet::IpNet::from),
        client.user_agent.as_deref(),
    )
    .fetch_one(&mut *conn)
    .await?;
    let refresh = NewToken::generate();
    sqlx::query!(
        "insert into refresh_tokens (token_hash, session_id) values ($1, $2)",
        refresh.hash,
        session_id,
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        r#"update sessions set revoked_at = now(), revoke_reason = 'session_limit'
           where id in (
               select id from sessions
               where staff_id = $1 and revoked_at is null and absolute_expires_at > now()
               order by created_at desc, id desc
               offset $2
           )"#,
        staff_id,
        MAX_LIVE_SESSIONS,
    )
    .execute(&mut *conn)
    .await?;
    Ok(IssuedTokens {
        session_id,
        access_token: jwt::issue(keys, staff_id, session_id, now.unix_timestamp()),
        refresh_token: Some(refresh.value),
        absolute_expires_at: now + absolute,
    })
}

/// What presenting a refresh token led to.
pub enum Refreshed {
    /// Valid: new tokens for this staff member's session.
    Renewed {
        staff_id: Uuid,
        tokens: IssuedTokens,
    },
    /// An old token after the grace period: the session has been revoked.
    ReuseDetected,
    /// Unknown, revoked or expired.
    Invalid,
}

pub async fn refresh(
    db: &PgPool,
    keys: &JwtKeys,
    presented: &str,
    client: &ClientInfo,
) -> Result<Refreshed, ServerError> {
    let hash = token_hash(presented);
    let mut tx = db.begin().await?;
    let Some(row) = sqlx::query!(
        r#"select rt.session_id, rt.superseded_at, s.staff_id, st.role as "role: Role",
                  s.absolute_expires_at,
                  (s.revoked_at is null and s.idle_expires_at > now()
                   and s.absolute_expires_at > now()) as "live!"
           from refresh_tokens rt
           join sessions s on s.id = rt.session_id
           join staffs st on st.id = s.staff_id
           where rt.token_hash = $1
           for update of s"#,
        hash,
    )
    .fetch_optional(&mut *tx)
    .await?
    else {
        return Ok(Refreshed::Invalid);
    };
    if !row.live {
        return Ok(Refreshed::Invalid);
    }
    let now = OffsetDateTime::now_utc();
    let access_token = jwt::issue(keys, row.staff_id, row.session_id, now.unix_timestamp());
    let (idle, _) = lifetimes(row.role);

    let refresh_token = match row.superseded_at {
        None => {
            let next = NewToken::generate();
            sqlx::query!(
                "update refresh_tokens set superseded_at = now() where token_hash = $1",
                hash
            )
            .execute(&mut *tx)
            .await?;
            sqlx::query!(
                "insert into refresh_tokens (token_hash, session_id) values ($1, $2)",
                next.hash,
                row.session_id,
            )
            .execute(&mut *tx)
            .await?;
            Some(next.value)
        }
        Some(at) if now - at <= Duration::seconds(REFRESH_GRACE_SECONDS) => None,
        Some(_) => {
            revoke_in(&mut tx, row.session_id, "refresh_reuse").await?;
            audit::record(
                &mut *tx,
                audit::Entry::system("auth.refresh_reuse_detected")
                    .target("session", row.session_id)
                    .client(client)
                    .detail("session_id", row.session_id.to_string()),
            )
            .await?;
            tx.commit().await?;
            tracing::warn!(session_id = %row.session_id, "refresh token reuse detected; session revoked");
            return Ok(Refreshed::ReuseDetected);
        }
    };
    sqlx::query!(
        r#"update sessions set last_used_at = now(),
               idle_expires_at = least(now() + $2::interval, absolute_expires_at)
           where id = $1"#,
        row.session_id,
        sqlx::postgres::types::PgInterval::try_from(idle)
            .map_err(|_| ServerError::Internal("interval"))?,
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Refreshed::Renewed {
        staff_id: row.staff_id,
        tokens: IssuedTokens {
            session_id: row.session_id,
            access_token,
            refresh_token,
            absolute_expires_at: row.absolute_expires_at,
        },
    })
}

/// Keeps an idle session alive; written at most once a minute per session.
pub async fn touch(db: &PgPool, session_id: Uuid, role: Role) -> Result<(), ServerError> {
    let (idle, _) = lifetimes(role);
    sqlx::query!(
        r#"update sessions set last_used_at = now(),
               idle_expires_at = least(now() + $2::interval, absolute_expires_at)
           where id = $1 and last_used_at < now() - interval '1 minute'"#,
        session_id,
        sqlx::postgres::types::PgInterval::try_from(idle)
            .map_err(|_| ServerError::Internal("interval"))?,
    )
    .execute(db)
    .await?;
    Ok(())
}

async fn revoke_in(
    conn: &mut PgConnection,
    session_id: Uuid,
    reason: &str,
) -> Result<(), ServerError> {
    sqlx::query!(
        "update sessions set revoked_at = now(), revoke_reason = $2 where id = $1 and revoked_at is null",
        session_id,
        reason,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Ends one session of `staff_id` (logout, 「ログアウト」 in the devices list).
/// Returns whether a live session was ended.
pub async fn revoke(
    conn: &mut PgConnection,
    staff_id: Uuid,
    session_id: Uuid,
    reason: &str,
) -> Result<bool, ServerError> {
    let done = sqlx::query!(
        "update sessions set revoked_at = now(), revoke_reason = $3
         where id = $1 and staff_id = $2 and revoked_at is null",
        session_id,
        staff_id,
        reason,
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Ends every live session of `staff_id` except `keep`. Returns how many were ended.
pub async fn revoke_all(
    conn: &mut PgConnection,
    staff_id: Uuid,
    keep: Option<Uuid>,
    reason: &str,
) -> Result<u64, ServerError> {
    let done = sqlx::query!(
        "update sessions set revoked_at = now(), revoke_reason = $3
         where staff_id = $1 and revoked_at is null and ($2::uuid is null or id <> $2)",
        staff_id,
        keep,
        reason,
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}
