//! Rate limits and lockouts (SPEC §2.9, §16.4), kept in PostgreSQL so that every instance shares
//! them. Keys never hold personal data: e-mail addresses enter only as an HMAC.

use super::{ServerError, crypto::MacKey};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use shared::AppError;
use sqlx::PgExecutor;
use time::OffsetDateTime;

/// A fixed-window limit: at most `max` hits per `window_s` seconds.
#[derive(Clone, Copy, Debug)]
pub struct Limit {
    pub name: &'static str,
    pub max: i32,
    pub window_s: i64,
}

pub const LOGIN_PER_IP: Limit = Limit {
    name: "login_ip",
    max: 10,
    window_s: 60,
};
pub const FORGOT_PER_IP: Limit = Limit {
    name: "forgot_ip",
    max: 5,
    window_s: 600,
};
pub const FORGOT_PER_EMAIL: Limit = Limit {
    name: "forgot_email",
    max: 3,
    window_s: 3600,
};
pub const RESET_CHECK_PER_IP: Limit = Limit {
    name: "reset_check_ip",
    max: 30,
    window_s: 60,
};
pub const RESET_SUBMIT_PER_IP: Limit = Limit {
    name: "reset_submit_ip",
    max: 10,
    window_s: 600,
};
pub const RESEND_PER_ACCOUNT: Limit = Limit {
    name: "resend_account",
    max: 3,
    window_s: 600,
};
pub const RESEND_PER_IP: Limit = Limit {
    name: "resend_ip",
    max: 3,
    window_s: 600,
};
pub const SIGNUP_PER_IP: Limit = Limit {
    name: "signup_ip",
    max: 10,
    window_s: 600,
};
pub const PASSWORD_CHANGE: Limit = Limit {
    name: "password_change",
    max: 3,
    window_s: 3600,
};
pub const EMAIL_CHANGE: Limit = Limit {
    name: "email_change",
    max: 3,
    window_s: 86_400,
};
pub const INVITATIONS_PER_OFFICE: Limit = Limit {
    name: "invitations",
    max: 50,
    window_s: 86_400,
};
pub const RESENDS_PER_INVITATION: Limit = Limit {
    name: "invitation_resend",
    max: 3,
    window_s: 86_400,
};
pub const CSV_IMPORTS_PER_OFFICE: Limit = Limit {
    name: "csv_import",
    max: 5,
    window_s: 3600,
};
pub const PER_SESSION: Limit = Limit {
    name: "session",
    max: 300,
    window_s: 60,
};
/// §8: the dashboard, 60 per minute per session.
pub const DASHBOARD_PER_SESSION: Limit = Limit {
    name: "dashboard",
    max: 60,
    window_s: 60,
};

impl Limit {
    /// The same limit with `factor` times the hits (`KK_SESSION_LIMIT_SCALE`).
    pub fn scaled(self, factor: i32) -> Self {
        Self {
            max: self.max.saturating_mul(factor.max(1)),
            ..self
        }
    }
}

/// The lock subject for an e-mail address: an HMAC, so unknown addresses behave identically and
/// no address is stored.
pub fn email_subject(mac: &MacKey, email: &str) -> Vec<u8> {
    mac.sign("email", email.to_lowercase().as_bytes())
}

/// An opaque rate-limit key part for an e-mail address.
pub fn email_key(mac: &MacKey, email: &str) -> String {
    URL_SAFE_NO_PAD.encode(email_subject(mac, email))
}

/// Counts one hit; `Err(RATE_LIMITED)` with the seconds until the window ends when over.
pub async fn hit(db: impl PgExecutor<'_>, limit: Limit, subject: &str) -> Result<(), ServerError> {
    match check(db, limit, subject).await? {
        None => Ok(()),
        Some(retry_after) => Err(AppError::rate_limited(retry_after).into()),
    }
}

/// Counts one hit; `Some(retry_after_s)` when the limit is exceeded.
pub async fn check(
    db: impl PgExecutor<'_>,
    limit: Limit,
    subject: &str,
) -> Result<Option<u32>, ServerError> {
    let key = format!("{}:{subject}", limit.name);
    let row = sqlx::query!(
        r#"insert into rate_limit_buckets (key, window_start, hits)
           values ($1, to_timestamp(floor(extract(epoch from now()) / $2) * $2), 1)
           on conflict (key, window_start) do update set hits = rate_limit_buckets.hits + 1
           returning hits, window_start"#,
        key,
        limit.window_s as f64,
    )
    .fetch_one(db)
    .await?;
    if row.hits <= limit.max {
        return Ok(None);
    }
    let ends = row.window_start + time::Duration::seconds(limit.window_s);
    let left = (ends - OffsetDateTime::now_utc()).whole_seconds().max(1);
    Ok(Some(u32::try_from(left).unwrap_or(u32::MAX)))
}

/// Kinds of consecutive-failure counters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LockKind {
    /// Login password failures, per e-mail HMAC.
    Login,
    /// Wrong TOTP/recovery codes, per account (10 per hour → 1 h).
    Mfa,
    /// Wrong current password on change, per account (5 → 15 min + sessions revoked).
    PasswordChange,
    /// Wrong app_admin passphrases, per account (5 → 1 h; SPEC §2.10).
    Passphrase,
}

impl LockKind {
    fn as_str(self) -> &'static str {
        match self {
            Self::Login => "login",
            Self::Mfa => "mfa",
            Self::PasswordChange => "password_change",
            Self::Passphrase => "passphrase",
        }
    }

    /// The lock (seconds) reached at the `n`-th consecutive failure, if any.
    pub fn lock_after(self, n: i32) -> Option<i64> {
        match self {
            Self::Login => match n {
                5 => Some(15 * 60),
                10 => Some(60 * 60),
                n if n >= 15 && n % 5 == 0 => Some(24 * 60 * 60),
                _ => None,
            },
            Self::Mfa => (n > 0 && n % 10 == 0).then_some(60 * 60),
            Self::PasswordChange => (n > 0 && n % 5 == 0).then_some(15 * 60),
            Self::Passphrase => (n > 0 && n % 5 == 0).then_some(60 * 60),
        }
    }
}

/// Seconds until the lock ends, if `subject` is locked now.
pub async fn locked_for(
    db: impl PgExecutor<'_>,
    kind: LockKind,
    subject: &[u8],
) -> Result<Option<u32>, ServerError> {
    let until = sqlx::query_scalar!(
        "select locked_until from account_locks where kind = $1 and subject = $2 and locked_until > now()",
        kind.as_str(),
        subject,
    )
    .fetch_optional(db)
    .await?
    .flatten();
    Ok(until.map(|until| {
        let left = (until - OffsetDateTime::now_utc()).whole_seconds().max(1);
        u32::try_from(left).unwrap_or(u32::MAX)
    }))
}

/// Which of `subjects` are locked right now (any kind), in one query.
pub async fn locked_subjects(
    db: impl PgExecutor<'_>,
    subjects: &[Vec<u8>],
) -> Result<std::collections::HashSet<Vec<u8>>, ServerError> {
    let locked = sqlx::query_scalar!(
        "select subject from account_locks where locked_until > now() and subject = any($1)",
        subjects,
    )
    .fetch_all(db)
    .await?;
    Ok(locked.into_iter().collect())
}

/// The outcome of recording a failure.
#[derive(Clone, Copy, Debug)]
pub struct Failure {
    pub consecutive: i32,
    /// Set when this failure started a lock: its length in seconds.
    pub locked_for_s: Option<i64>,
}

/// Counts a failure. MFA failures count within the last hour only.
pub async fn record_failure(
    db: impl PgExecutor<'_>,
    kind: LockKind,
    subject: &[u8],
) -> Result<Failure, ServerError> {
    let consecutive = sqlx::query_scalar!(
        r#"insert into account_locks (kind, subject, consecutive) values ($1, $2, 1)
           on conflict (kind, subject) do update set
               consecutive = case
                   when $1 = 'mfa' and account_locks.updated_at < now() - interval '1 hour' then 1
                   else account_locks.consecutive + 1 end,
               updated_at = now()
           returning consecutive"#,
        kind.as_str(),
        subject,
    )
    .fetch_one(db)
    .await?;
    Ok(Failure {
        consecutive,
        locked_for_s: kind.lock_after(consecutive),
    })
}

/// Applies the lock a [`Failure`] reached.
pub async fn lock(
    db: impl PgExecutor<'_>,
    kind: LockKind,
    subject: &[u8],
    seconds: i64,
) -> Result<(), ServerError> {
    sqlx::query!(
        "update account_locks set locked_until = now() + make_interval(secs => $3)
         where kind = $1 and subject = $2",
        kind.as_str(),
        subject,
        seconds as f64,
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Clears the counter and any lock (successful login, password reset, owner unlock).
pub async fn clear(
    db: impl PgExecutor<'_>,
    kind: LockKind,
    subject: &[u8],
) -> Result<(), ServerError> {
    sqlx::query!(
        "delete from account_locks where kind = $1 and subject = $2",
        kind.as_str(),
        subject,
    )
    .execute(db)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn login_lock_ladder() {
        let locks: Vec<(i32, i64)> = (1..=30)
            .filter_map(|n| LockKind::Login.lock_after(n).map(|s| (n, s)))
            .collect();
        assert_eq!(
            locks,
            vec![
                (5, 900),
                (10, 3600),
                (15, 86_400),
                (20, 86_400),
                (25, 86_400),
                (30, 86_400)
            ]
        );
        assert_eq!(LockKind::Mfa.lock_after(10), Some(3600));
        assert_eq!(LockKind::PasswordChange.lock_after(5), Some(900));
        assert_eq!(LockKind::Passphrase.lock_after(4), None);
        assert_eq!(LockKind::Passphrase.lock_after(5), Some(3600));
    }
}
