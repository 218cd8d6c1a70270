//! Two-step verification (SPEC §2.6): TOTP secrets (encrypted at rest), replay protection,
//! recovery codes, self-service enrolment and the owner's controls.

pub mod enrolment;
pub mod recovery;
pub mod totp;

use super::{ServerError, crypto::DataKeys};
use sqlx::PgConnection;
use time::OffsetDateTime;
use uuid::Uuid;

/// Associated data binding an encrypted secret to where it is stored.
pub fn staff_secret_aad(staff_id: Uuid) -> String {
    format!("staffs:mfa_secret:{staff_id}")
}

pub fn enrolment_aad(staff_id: Uuid) -> String {
    format!("mfa_enrolments:secret:{staff_id}")
}

pub fn pending_setup_aad(staff_id: Uuid) -> String {
    format!("pending_logins:setup_secret:{staff_id}")
}

fn now_unix() -> u64 {
    u64::try_from(OffsetDateTime::now_utc().unix_timestamp()).unwrap_or(0)
}

/// Decrypts a stored secret. A failure is an operator problem (lost or wrong key), never the
/// user's: it is logged as an alert and answered with `INTERNAL`; a recovery code still works.
pub fn decrypt_secret(keys: &DataKeys, stored: &[u8], aad: &str) -> Result<Vec<u8>, ServerError> {
    keys.decrypt(stored, aad).map_err(|_| {
        tracing::error!(
            alert = true,
            "a stored TOTP secret cannot be decrypted (check KK_DATA_KEYS)"
        );
        ServerError::Internal("TOTP secret decryption failed")
    })
}

/// Checks `code` against the staff member's secret and accepts each time step once: the step is
/// recorded, and the same or an earlier step is refused afterwards (replay protection).
pub async fn verify_totp(
    conn: &mut PgConnection,
    keys: &DataKeys,
    staff_id: Uuid,
    code: &str,
) -> Result<bool, ServerError> {
    let Some(stored) = sqlx::query_scalar!("select mfa_secret from staffs where id = $1", staff_id)
        .fetch_one(&mut *conn)
        .await?
    else {
        return Ok(false);
    };
    let secret = decrypt_secret(keys, &stored, &staff_secret_aad(staff_id))?;
    let Some(step) = totp::matching_step(&secret, code, now_unix()) else {
        return Ok(false);
    };
    accept_step(conn, staff_id, step).await
}

/// Records `step` as the last accepted one unless it (or a later one) was used already.
async fn accept_step(
    conn: &mut PgConnection,
    staff_id: Uuid,
    step: i64,
) -> Result<bool, ServerError> {
    let accepted = sqlx::query!(
        "update staffs set mfa_last_step = $2
         where id = $1 and (mfa_last_step is null or mfa_last_step < $2)",
        staff_id,
        step,
    )
    .execute(conn)
    .await?;
    Ok(accepted.rows_affected() == 1)
}

/// Turns MFA on with a secret the user just proved to hold (code of `step`), and issues ten new
/// recovery codes (returned for display, once).
pub async fn enable(
    conn: &mut PgConnection,
    keys: &DataKeys,
    staff_id: Uuid,
    secret: &[u8],
    step: i64,
) -> Result<Vec<String>, ServerError> {
    let encrypted = keys.encrypt(secret, &staff_secret_aad(staff_id));
    sqlx::query!(
        "update staffs set mfa_secret = $2, mfa_enabled_at = now(), mfa_last_step = $3 where id = $1",
        staff_id,
        encrypted,
        step,
    )
    .execute(&mut *conn)
    .await?;
    recovery::replace(conn, staff_id).await
}

/// Turns MFA off: secret and recovery codes are deleted.
pub async fn clear(conn: &mut PgConnection, staff_id: Uuid) -> Result<(), ServerError> {
    sqlx::query!(
        "update staffs set mfa_secret = null, mfa_enabled_at = null, mfa_last_step = null where id = $1",
        staff_id
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "delete from mfa_recovery_codes where staff_id = $1",
        staff_id
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!("delete from mfa_enrolments where staff_id = $1", staff_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The step a code proves for a secret not stored on the staff row yet (enrolment).
pub fn step_for_new_secret(secret: &[u8], code: &str) -> Option<i64> {
    totp::matching_step(secret, code, now_unix())
}
