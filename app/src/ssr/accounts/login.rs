//! Login and logout (SPEC §2.3, §2.4). The order of checks is the spec's.

use crate::ssr::{
    AppState, ServerError, audit,
    auth::{AuthUser, ClientInfo, sessions},
    crypto::NewToken,
    limits::{self, LockKind},
    mail::{self, Message},
};
use shared::{
    AppError, ErrorCode, Role,
    account::{LoginInput, LoginOutcome, safe_redirect},
    dates::format_datetime_jst,
};
use time::OffsetDateTime;

pub const BAD_CREDENTIALS: &str = "メールアドレスまたはパスワードが正しくありません";
pub const ACCOUNT_UNAVAILABLE: &str = "このアカウントは利用できません";

pub(super) fn bad_credentials() -> ServerError {
    AppError::with_message(ErrorCode::ValidationFailed, BAD_CREDENTIALS).into()
}

/// The password step. On success the session cookies are returned for the response.
pub async fn login(
    state: &AppState,
    input: &LoginInput,
    client: &ClientInfo,
) -> Result<(LoginOutcome, Vec<http::HeaderValue>), ServerError> {
    let security = &state.security;
    limits::hit(&state.db, limits::LOGIN_PER_IP, &client.ip_key()).await?;
    let email = input.parse().map_err(AppError::validation)?;
    let email_mac = limits::email_subject(&security.mac_key, email.as_str());
    if let Some(seconds) = limits::locked_for(&state.db, LockKind::Login, &email_mac).await? {
        return Err(AppError::account_locked(seconds).into());
    }

    let staff = sqlx::query!(
        r#"select st.id, st.role as "role: Role", st.office_id, st.password_hash,
                  st.email_verified_at is not null as "verified!",
                  st.mfa_enabled_at is not null as "mfa_enabled!",
                  (st.mfa_required or coalesce(o.mfa_required_for_all, false)) as "mfa_required!",
                  coalesce(o.withdrawn_at is not null, false) as "withdrawn!"
           from staffs st left join offices o on o.id = st.office_id
           where st.email = $1 and st.deleted_at is null"#,
        email.as_str() as &str,
    )
    .fetch_optional(&state.db)
    .await?;
    let password_ok = security
        .verify_secret(
            input.password.expose(),
            staff.as_ref().map(|s| s.password_hash.as_str()),
        )
        .await?;

    let staff = match staff {
        Some(staff) if password_ok => staff,
        known => {
            return Err(failed_login(
                state,
                known.map(|k| (k.id, k.office_id)),
                &email_mac,
                email.as_str(),
                client,
            )
            .await);
        }
    };

    if !staff.verified {
        return Ok((LoginOutcome::EmailNotVerified, Vec::new()));
    }
    if staff.withdrawn {
        return Err(AppError::with_message(ErrorCode::Forbidden, ACCOUNT_UNAVAILABLE).into());
    }
    if staff.role == Role::AppAdmin {
        // app_admins sign in on their own page with the passphrase (SPEC §2.10).
        return Err(bad_credentials());
    }
    limits::clear(&state.db, LockKind::Login, &email_mac).await?;

    let redirect_to = safe_redirect(input.from.as_deref());
    if staff.mfa_enabled || staff.mfa_required {
        let outcome =
            start_second_step(&state.db, staff.id, staff.mfa_enabled, &redirect_to).await?;
        return Ok((outcome, Vec::new()));
    }

    let mut tx = state.db.begin().await?;
    let tokens =
        sessions::create(&mut tx, &security.jwt_keys, staff.id, staff.role, client).await?;
    sqlx::query!(
        "update staffs set last_login_at = now() where id = $1",
        staff.id
    )
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut *tx,
        audit::Entry::by(
            "auth.login_succeeded",
            staff.id,
            staff.role,
            staff.office_id,
        )
        .target("staff", staff.id)
        .client(client)
        .detail("method", "password")
        .detail("session_id", tokens.session_id.to_string()),
    )
    .await?;
    tx.commit().await?;
    Ok((
        LoginOutcome::SignedIn { redirect_to },
        tokens.set_cookies(security.secure_cookies),
    ))
}

/// Issues the temporary token of §2.3 step 7: a code step when MFA is on, first-time setup when
/// it is required but not set up yet.
pub(super) async fn start_second_step(
    db: &sqlx::PgPool,
    staff_id: uuid::Uuid,
    mfa_enabled: bool,
    redirect_to: &str,
) -> Result<LoginOutcome, ServerError> {
    let purpose = if mfa_enabled { "verify" } else { "setup" };
    let token = NewToken::generate();
    sqlx::query!(
        r#"insert into pending_logins (token_hash, staff_id, purpose, redirect_to, expires_at)
           values ($1, $2, $3::text::pending_login_purpose, $4, now() + interval '5 minutes')"#,
        token.hash,
        staff_id,
        purpose,
        redirect_to,
    )
    .execute(db)
    .await?;
    let pending_token = token.value;
    Ok(if mfa_enabled {
        LoginOutcome::SecondFactorRequired { pending_token }
    } else {
        LoginOutcome::MfaSetupRequired { pending_token }
    })
}

/// Counts a wrong password (for known and unknown addresses alike), audits it for the office of
/// a known staff member, and locks the address at the thresholds of §2.9.
pub(super) async fn failed_login(
    state: &AppState,
    known: Option<(uuid::Uuid, Option<uuid::Uuid>)>,
    email_mac: &[u8],
    email: &str,
    client: &ClientInfo,
) -> ServerError {
    let outcome = async {
        let failure = limits::record_failure(&state.db, LockKind::Login, email_mac).await?;
        let mut entry = audit::Entry::system("auth.login_failed")
            .client(client)
            .detail("reason", "bad_credentials")
            .detail("consecutive", failure.consecutive);
        if let Some((staff_id, office_id)) = known {
            // The owner of the office sees failed logins of their staff.
            entry = entry.target("staff", staff_id).office(office_id);
        }
        audit::record(&state.db, entry).await?;
        if let Some(seconds) = failure.locked_for_s {
            lock_login(state, email_mac, email, known.map(|k| k.0), seconds, client).await?;
            return Ok::<_, ServerError>(
                AppError::account_locked(u32::try_from(seconds).unwrap_or(u32::MAX)).into(),
            );
        }
        Ok(bad_credentials())
    }
    .await;
    outcome.unwrap_or_else(|error| error)
}

async fn lock_login(
    state: &AppState,
    email_mac: &[u8],
    email: &str,
    staff_id: Option<uuid::Uuid>,
    seconds: i64,
    client: &ClientInfo,
) -> Result<(), ServerError> {
    let mut tx = state.db.begin().await?;
    limits::lock(&mut *tx, LockKind::Login, email_mac, seconds).await?;
    if let Some(staff_id) = staff_id {
        let until = OffsetDateTime::now_utc() + time::Duration::seconds(seconds);
        let staff = sqlx::query!(
            r#"select last_name, first_name, office_id from staffs where id = $1"#,
            staff_id
        )
        .fetch_one(&mut *tx)
        .await?;
        audit::record(
            &mut *tx,
            audit::Entry::system("auth.account_locked")
                .target("staff", staff_id)
                .office(staff.office_id)
                .client(client)
                .detail("kind", "login")
                .detail("lock_level", seconds / 60)
                .detail("until", format_datetime_jst(until)),
        )
        .await?;
        mail::enqueue(
            &mut *tx,
            &state.security.origin(),
            email,
            &Message::AccountLocked {
                staff_name: format!("{} {}", staff.last_name, staff.first_name),
                locked_until: format_datetime_jst(until),
                reset_url: state.security.link("/forgot-password"),
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Ends the current session (works with an expired access token: the middleware renewed it or
/// there is nothing to end) and clears the cookies.
pub async fn logout(
    state: &AppState,
    user: Option<&AuthUser>,
    client: &ClientInfo,
) -> Result<Vec<http::HeaderValue>, ServerError> {
    if let Some(user) = user {
        let mut tx = state.db.begin().await?;
        if sessions::revoke(&mut tx, user.staff_id, user.session_id, "logout").await? {
            audit::record(
                &mut *tx,
                audit::Entry::by("auth.logout", user.staff_id, user.role, user.office_id)
                    .target("session", user.session_id)
                    .client(client)
                    .detail("session_id", user.session_id.to_string()),
            )
            .await?;
        }
        tx.commit().await?;
    }
    Ok(sessions::clear_cookies(state.security.secure_cookies))
}
