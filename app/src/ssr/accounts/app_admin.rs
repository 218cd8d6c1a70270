//! app_admin accounts (SPEC §2.10): created and given a passphrase only by the server CLI, signed
//! in at `/app-admin/login` with e-mail, password and passphrase, then TOTP (always required).

use super::login::{bad_credentials, failed_login, start_second_step};
use crate::ssr::{
    AppState, ServerError, audit,
    auth::{ClientInfo, passwords, sessions},
    limits::{self, LockKind},
};
use shared::{
    AppError, ErrorCode, Role,
    account::{AdminLoginInput, AdminOverview, LoginOutcome, Passphrase, StaffName},
    dates::format_datetime_jst,
    fields::Email,
    password::NewPassword,
};
use sqlx::PgPool;
use time::OffsetDateTime;
use uuid::Uuid;

/// Where an app_admin lands after the second step.
pub const CONSOLE_PATH: &str = "/app-admin";

/// The password and passphrase steps. Never signs in directly: MFA is mandatory for app_admins,
/// so the outcome is the code step, or first-time setup for a new account.
pub async fn login(
    state: &AppState,
    input: &AdminLoginInput,
    client: &ClientInfo,
) -> Result<LoginOutcome, ServerError> {
    let security = &state.security;
    limits::hit(&state.db, limits::LOGIN_PER_IP, &client.ip_key()).await?;
    let email = input.parse().map_err(AppError::validation)?;
    let email_mac = limits::email_subject(&security.mac_key, email.as_str());
    if let Some(seconds) = limits::locked_for(&state.db, LockKind::Login, &email_mac).await? {
        return Err(AppError::account_locked(seconds).into());
    }

    let staff = sqlx::query!(
        r#"select id, role as "role: Role", office_id, password_hash, passphrase_hash,
                  email_verified_at is not null as "verified!",
                  mfa_enabled_at is not null as "mfa_enabled!"
           from staffs where email = $1 and deleted_at is null"#,
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
            let known = known.map(|k| (k.id, k.office_id));
            return Err(failed_login(state, known, &email_mac, email.as_str(), client).await);
        }
    };
    // Office staff are refused here with the generic message (§2.10).
    if staff.role != Role::AppAdmin || !staff.verified {
        audit::record(
            &state.db,
            audit::Entry::system("auth.login_failed")
                .target("staff", staff.id)
                .office(staff.office_id)
                .client(client)
                .detail("reason", "not_app_admin"),
        )
        .await?;
        return Err(bad_credentials());
    }
    if let Some(seconds) =
        limits::locked_for(&state.db, LockKind::Passphrase, staff.id.as_bytes()).await?
    {
        return Err(AppError::account_locked(seconds).into());
    }
    // No passphrase set → refused (the dummy verify keeps the timing alike).
    let passphrase_ok = security
        .verify_secret(input.passphrase.expose(), staff.passphrase_hash.as_deref())
        .await?;
    if !passphrase_ok {
        return Err(failed_passphrase(state, staff.id, client).await);
    }

    limits::clear(&state.db, LockKind::Login, &email_mac).await?;
    limits::clear(&state.db, LockKind::Passphrase, staff.id.as_bytes()).await?;
    start_second_step(&state.db, staff.id, staff.mfa_enabled, CONSOLE_PATH).await
}

/// Counts a wrong passphrase on the account; the fifth locks it for an hour (§2.9).
async fn failed_passphrase(state: &AppState, staff_id: Uuid, client: &ClientInfo) -> ServerError {
    let outcome = async {
        let mut tx = state.db.begin().await?;
        let failure =
            limits::record_failure(&mut *tx, LockKind::Passphrase, staff_id.as_bytes()).await?;
        audit::record(
            &mut *tx,
            audit::Entry::system("auth.login_failed")
                .target("staff", staff_id)
                .client(client)
                .detail("reason", "passphrase_failed")
                .detail("consecutive", failure.consecutive),
        )
        .await?;
        let answer = match failure.locked_for_s {
            Some(seconds) => {
                limits::lock(&mut *tx, LockKind::Passphrase, staff_id.as_bytes(), seconds).await?;
                let until = OffsetDateTime::now_utc() + time::Duration::seconds(seconds);
                audit::record(
                    &mut *tx,
                    audit::Entry::system("auth.account_locked")
                        .target("staff", staff_id)
                        .client(client)
                        .detail("kind", "passphrase")
                        .detail("lock_level", seconds / 60)
                        .detail("until", format_datetime_jst(until)),
                )
                .await?;
                AppError::account_locked(u32::try_from(seconds).unwrap_or(u32::MAX)).into()
            }
            None => bad_credentials(),
        };
        tx.commit().await?;
        Ok::<_, ServerError>(answer)
    }
    .await;
    outcome.unwrap_or_else(|error| error)
}

/// A new app_admin as the CLI collects it, already validated.
#[derive(Debug)]
pub struct NewAppAdmin {
    pub email: Email,
    pub name: StaffName,
    pub password: NewPassword,
    pub passphrase: Passphrase,
}

/// `keikakun admin create`: the account is verified (the operator typed the address) and must
/// set up TOTP at its first login.
pub async fn create(db: &PgPool, admin: &NewAppAdmin) -> Result<Uuid, ServerError> {
    let password_hash = passwords::hash(admin.password.expose().to_owned()).await?;
    let passphrase_hash = passwords::hash(admin.passphrase.expose().to_owned()).await?;
    let mut tx = db.begin().await?;
    let id = sqlx::query_scalar!(
        r#"insert into staffs (role, email, last_name, first_name, last_name_kana, first_name_kana,
                               password_hash, email_verified_at, mfa_required,
                               passphrase_hash, passphrase_changed_at)
           values ('app_admin', $1, $2, $3, $4, $5, $6, now(), true, $7, now())
           on conflict do nothing
           returning id"#,
        admin.email.as_str() as &str,
        admin.name.last_name.as_str(),
        admin.name.first_name.as_str(),
        admin.name.last_name_kana.as_str(),
        admin.name.first_name_kana.as_str(),
        password_hash,
        passphrase_hash,
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| {
        AppError::with_message(
            ErrorCode::Conflict,
            "このメールアドレスは既に使われています",
        )
    })?;
    sqlx::query!(
        "insert into password_history (staff_id, password_hash) values ($1, $2)",
        id,
        password_hash,
    )
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut *tx,
        audit::Entry::system("app_admin.created").target("staff", id),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// `keikakun admin set-passphrase`: replaces the passphrase, clears its failure counter and lock,
/// and ends the admin's sessions.
pub async fn set_passphrase(
    db: &PgPool,
    email: &Email,
    passphrase: &Passphrase,
) -> Result<(), ServerError> {
    let hash = passwords::hash(passphrase.expose().to_owned()).await?;
    let mut tx = db.begin().await?;
    let id = sqlx::query_scalar!(
        "update staffs set passphrase_hash = $2, passphrase_changed_at = now()
         where email = $1 and role = 'app_admin' and deleted_at is null
         returning id",
        email.as_str() as &str,
        hash,
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| {
        AppError::with_message(
            ErrorCode::NotFound,
            "このメールアドレスのアプリ管理者はいません",
        )
    })?;
    limits::clear(&mut *tx, LockKind::Passphrase, id.as_bytes()).await?;
    let revoked = sessions::revoke_all(&mut tx, id, None, "passphrase_changed").await?;
    audit::record(
        &mut *tx,
        audit::Entry::system("app_admin.passphrase_changed")
            .target("staff", id)
            .detail("sessions_revoked", revoked),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The console start page: the admin's own account and the passphrase age.
pub async fn overview(db: &PgPool, staff_id: Uuid) -> Result<AdminOverview, ServerError> {
    let row = sqlx::query!(
        r#"select email::text as "email!", last_name, first_name, passphrase_changed_at,
                  (select created_at from sessions where staff_id = st.id
                    order by created_at desc offset 1 limit 1) as previous_login
           from staffs st where id = $1 and role = 'app_admin' and deleted_at is null"#,
        staff_id,
    )
    .fetch_optional(db)
    .await?
    .ok_or_else(|| AppError::new(ErrorCode::Forbidden))?;
    let changed_at = row
        .passphrase_changed_at
        .ok_or(ServerError::Internal("app_admin without a passphrase date"))?;
    Ok(AdminOverview {
        display_name: format!("{} {}", row.last_name, row.first_name),
        email: row.email,
        passphrase_changed_at: format_datetime_jst(changed_at),
        passphrase_age_days: (OffsetDateTime::now_utc() - changed_at).whole_days(),
        previous_login_at: row.previous_login.map(format_datetime_jst),
    })
}
