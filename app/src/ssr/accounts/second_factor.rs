//! The step after the password when MFA is on or required (SPEC §2.3 step 7): a TOTP or recovery
//! code with the temporary token, or first-time setup when the owner requires MFA.

use crate::ssr::{
    AppState, ServerError, audit,
    auth::{ClientInfo, sessions},
    crypto::token_hash,
    limits::{self, LockKind},
    mfa::{
        self,
        enrolment::{WRONG_CODE, enrolment_view},
        pending_setup_aad, recovery,
    },
};
use http::HeaderValue;
use shared::{
    AppError, ErrorCode, FieldError, Role,
    account::{MfaEnrolment, MfaSetupDone, RecoveryCodes, SecondFactor, SignedIn, parse_totp_code},
};
use sqlx::{PgConnection, Postgres, Transaction};
use uuid::Uuid;

/// Wrong codes allowed per temporary token; the fifth ends it and login starts again.
pub const MAX_ATTEMPTS: i32 = 5;
pub const EXPIRED: &str = "確認の有効期限が切れました。もう一度ログインしてください";

struct Pending {
    staff_id: Uuid,
    redirect_to: Option<String>,
    attempts: i32,
    setup_secret: Option<Vec<u8>>,
    role: Role,
    office_id: Option<Uuid>,
    email: String,
}

fn expired() -> ServerError {
    AppError::with_message(ErrorCode::Unauthenticated, EXPIRED).into()
}

async fn load(tx: &mut PgConnection, token: &str, purpose: &str) -> Result<Pending, ServerError> {
    let row = sqlx::query!(
        r#"select p.staff_id, p.purpose::text as "purpose!", p.redirect_to, p.attempts, p.setup_secret,
                  st.role as "role: Role", st.office_id, st.email::text as "email!"
           from pending_logins p join staffs st on st.id = p.staff_id
           where p.token_hash = $1 and p.used_at is null and p.expires_at > now()
             and p.attempts < $2 and st.deleted_at is null
           for update of p"#,
        token_hash(token),
        MAX_ATTEMPTS,
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(expired)?;
    if row.purpose != purpose {
        return Err(expired());
    }
    Ok(Pending {
        staff_id: row.staff_id,
        redirect_to: row.redirect_to,
        attempts: row.attempts,
        setup_secret: row.setup_secret,
        role: row.role,
        office_id: row.office_id,
        email: row.email,
    })
}

/// A wrong code: counts it on the token and on the account (locks), commits, and answers.
async fn reject(
    mut tx: Transaction<'_, Postgres>,
    token: &str,
    pending: &Pending,
    client: &ClientInfo,
) -> ServerError {
    let outcome = async {
        sqlx::query!(
            "update pending_logins set attempts = attempts + 1,
                 used_at = case when attempts + 1 >= $2 then now() else used_at end
             where token_hash = $1",
            token_hash(token),
            MAX_ATTEMPTS,
        )
        .execute(&mut *tx)
        .await?;
        let failure =
            limits::record_failure(&mut *tx, LockKind::Mfa, pending.staff_id.as_bytes()).await?;
        audit::record(
            &mut *tx,
            audit::Entry::system("auth.login_failed")
                .target("staff", pending.staff_id)
                .office(pending.office_id)
                .client(client)
                .detail("reason", "mfa_failed")
                .detail("consecutive", failure.consecutive),
        )
        .await?;
        if let Some(seconds) = failure.locked_for_s {
            limits::lock(
                &mut *tx,
                LockKind::Mfa,
                pending.staff_id.as_bytes(),
                seconds,
            )
            .await?;
            tx.commit().await?;
            return Ok(AppError::account_locked(u32::try_from(seconds).unwrap_or(u32::MAX)).into());
        }
        tx.commit().await?;
        if pending.attempts + 1 >= MAX_ATTEMPTS {
            return Ok(expired());
        }
        Ok::<_, ServerError>(AppError::validation(vec![FieldError::new("code", WRONG_CODE)]).into())
    }
    .await;
    outcome.unwrap_or_else(|error| error)
}

async fn check_lock(state: &AppState, staff_id: Uuid) -> Result<(), ServerError> {
    match limits::locked_for(&state.db, LockKind::Mfa, staff_id.as_bytes()).await? {
        Some(seconds) => Err(AppError::account_locked(seconds).into()),
        None => Ok(()),
    }
}

/// Ends the pending step and starts the session.
async fn finish(
    tx: &mut PgConnection,
    state: &AppState,
    token: &str,
    pending: &Pending,
    method: &str,
    client: &ClientInfo,
) -> Result<Vec<HeaderValue>, ServerError> {
    sqlx::query!(
        "update pending_logins set used_at = now() where token_hash = $1",
        token_hash(token)
    )
    .execute(&mut *tx)
    .await?;
    let tokens = sessions::create(
        tx,
        &state.security.jwt_keys,
        pending.staff_id,
        pending.role,
        client,
    )
    .await?;
    sqlx::query!(
        "update staffs set last_login_at = now() where id = $1",
        pending.staff_id
    )
    .execute(&mut *tx)
    .await?;
    limits::clear(&mut *tx, LockKind::Mfa, pending.staff_id.as_bytes()).await?;
    audit::record(
        &mut *tx,
        audit::Entry::by(
            "auth.login_succeeded",
            pending.staff_id,
            pending.role,
            pending.office_id,
        )
        .target("staff", pending.staff_id)
        .client(client)
        .detail("method", method)
        .detail("session_id", tokens.session_id.to_string()),
    )
    .await?;
    Ok(tokens.set_cookies(state.security.secure_cookies))
}

/// A TOTP code or a recovery code after the password.
pub async fn second_factor(
    state: &AppState,
    token: &str,
    code: &str,
    client: &ClientInfo,
) -> Result<(SignedIn, Vec<HeaderValue>), ServerError> {
    let factor = SecondFactor::parse(code)
        .map_err(|m| ServerError::Client(AppError::validation(vec![FieldError::new("code", m)])))?;
    let mut tx = state.db.begin().await?;
    let pending = load(&mut tx, token, "verify").await?;
    check_lock(state, pending.staff_id).await?;
    let (method, remaining) = match &factor {
        SecondFactor::Totp(code) => {
            if !mfa::verify_totp(&mut tx, &state.security.data_keys, pending.staff_id, code).await?
            {
                return Err(reject(tx, token, &pending, client).await);
            }
            ("password_totp", None)
        }
        SecondFactor::Recovery(code) => {
            match recovery::consume(&mut tx, pending.staff_id, code).await? {
                Some(remaining) => ("recovery_code", Some(remaining)),
                None => return Err(reject(tx, token, &pending, client).await),
            }
        }
    };
    if let Some(remaining) = remaining {
        audit::record(
            &mut *tx,
            audit::Entry::by(
                "mfa.recovery_code_used",
                pending.staff_id,
                pending.role,
                pending.office_id,
            )
            .target("staff", pending.staff_id)
            .client(client)
            .detail("remaining_codes", remaining),
        )
        .await?;
    }
    let cookies = finish(&mut tx, state, token, &pending, method, client).await?;
    tx.commit().await?;
    Ok((
        SignedIn {
            redirect_to: pending
                .redirect_to
                .clone()
                .unwrap_or_else(|| "/home".to_owned()),
            recovery_codes_left: remaining.map(|n| u32::try_from(n).unwrap_or(0)),
        },
        cookies,
    ))
}

/// First-time setup required by the owner: the QR code for a new secret.
pub async fn setup_begin(state: &AppState, token: &str) -> Result<MfaEnrolment, ServerError> {
    let mut tx = state.db.begin().await?;
    let pending = load(&mut tx, token, "setup").await?;
    let secret = mfa::totp::new_secret();
    let stored = state
        .security
        .data_keys
        .encrypt(&secret, &pending_setup_aad(pending.staff_id));
    sqlx::query!(
        "update pending_logins set setup_secret = $2 where token_hash = $1",
        token_hash(token),
        stored,
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(enrolment_view(&secret, &pending.email))
}

/// First-time setup: a current code enables MFA, issues recovery codes and starts the session.
pub async fn setup_confirm(
    state: &AppState,
    token: &str,
    code: &str,
    client: &ClientInfo,
) -> Result<(MfaSetupDone, Vec<HeaderValue>), ServerError> {
    let code = parse_totp_code(code)
        .map_err(|m| ServerError::Client(AppError::validation(vec![FieldError::new("code", m)])))?;
    let mut tx = state.db.begin().await?;
    let pending = load(&mut tx, token, "setup").await?;
    check_lock(state, pending.staff_id).await?;
    let keys = &state.security.data_keys;
    let Some(stored) = pending.setup_secret.as_deref() else {
        return Err(expired());
    };
    let secret = mfa::decrypt_secret(keys, stored, &pending_setup_aad(pending.staff_id))?;
    let Some(step) = mfa::step_for_new_secret(&secret, &code) else {
        return Err(reject(tx, token, &pending, client).await);
    };
    let codes = mfa::enable(&mut tx, keys, pending.staff_id, &secret, step).await?;
    audit::record(
        &mut *tx,
        audit::Entry::by(
            "mfa.enrolled",
            pending.staff_id,
            pending.role,
            pending.office_id,
        )
        .target("staff", pending.staff_id)
        .client(client)
        .detail("remaining_codes", codes.len() as i64),
    )
    .await?;
    let cookies = finish(&mut tx, state, token, &pending, "password_totp", client).await?;
    tx.commit().await?;
    Ok((
        MfaSetupDone {
            recovery_codes: RecoveryCodes(codes),
            redirect_to: pending
                .redirect_to
                .clone()
                .unwrap_or_else(|| "/home".to_owned()),
        },
        cookies,
    ))
}
