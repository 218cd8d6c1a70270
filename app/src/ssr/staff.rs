//! The office's staff (SPEC §1, §12.2): lists, role changes, removal, and the owner's MFA and
//! lockout controls. Every function takes a [`TenantCtx`]; a staff id of another office is
//! `NOT_FOUND`.

use super::{
    AppState, ServerError, audit,
    auth::{ClientInfo, TenantCtx, sessions},
    crypto::sha256,
    limits::{self, LockKind},
    mail::{self, Message},
    mfa,
};
use shared::{
    AppError, ErrorCode, Role,
    dates::format_datetime_jst,
    fields::mask_email,
    staff::{StaffMember, StaffName},
};
use sqlx::PgConnection;
use time::OffsetDateTime;
use uuid::Uuid;

pub const LAST_OWNER: &str = "事業所には少なくとも1名のオーナーが必要です";
/// `staff_retention_years` default (SPEC §3.3); the office setting arrives with the settings page.
const STAFF_RETENTION_YEARS: i32 = 5;

/// Everyone in the office by name (message pickers; any role).
pub async fn directory(state: &AppState, ctx: &TenantCtx) -> Result<Vec<StaffName>, ServerError> {
    let rows = sqlx::query!(
        r#"select id, last_name || ' ' || first_name as "name!" from staffs
           where office_id = $1 and deleted_at is null order by last_name_kana, first_name_kana"#,
        ctx.office_id(),
    )
    .fetch_all(&state.db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| StaffName {
            id: r.id,
            display_name: r.name,
        })
        .collect())
}

/// The staff list with role, MFA and last login (managers and owners).
pub async fn list(state: &AppState, ctx: &TenantCtx) -> Result<Vec<StaffMember>, ServerError> {
    let rows = sqlx::query!(
        r#"select st.id, st.last_name || ' ' || st.first_name as "name!", st.email::text as "email!",
                  st.role as "role: Role", st.mfa_enabled_at is not null as "mfa_enabled!",
                  st.mfa_required, st.last_login_at
           from staffs st
           where st.office_id = $1 and st.deleted_at is null
           order by case st.role when 'owner' then 0 when 'manager' then 1 else 2 end,
                    st.last_name_kana, st.first_name_kana"#,
        ctx.office_id(),
    )
    .fetch_all(&state.db)
    .await?;
    // Login locks are kept per e-mail HMAC, MFA and password-change locks per staff id.
    let mac = &state.security.mac_key;
    let subjects: Vec<Vec<u8>> = rows
        .iter()
        .flat_map(|r| {
            [
                limits::email_subject(mac, &r.email),
                r.id.as_bytes().to_vec(),
            ]
        })
        .collect();
    let locked = limits::locked_subjects(&state.db, &subjects).await?;
    Ok(rows
        .into_iter()
        .map(|row| StaffMember {
            locked: locked.contains(&limits::email_subject(mac, &row.email))
                || locked.contains(row.id.as_bytes().as_slice()),
            id: row.id,
            display_name: row.name,
            email_masked: mask_email(&row.email),
            role: row.role,
            mfa_enabled: row.mfa_enabled,
            mfa_required: row.mfa_required,
            last_login_at: row.last_login_at,
            is_self: row.id == ctx.staff_id(),
        })
        .collect())
}

struct Target {
    role: Role,
    email: String,
    name: String,
}

/// A live staff member of the caller's office, locked for the change.
async fn target(
    conn: &mut PgConnection,
    ctx: &TenantCtx,
    staff_id: Uuid,
) -> Result<Target, ServerError> {
    let row = sqlx::query!(
        r#"select role as "role: Role", email::text as "email!", last_name || ' ' || first_name as "name!"
           from staffs where id = $1 and office_id = $2 and deleted_at is null for update"#,
        staff_id,
        ctx.office_id(),
    )
    .fetch_optional(conn)
    .await?
    .ok_or_else(|| ServerError::Client(AppError::not_found()))?;
    Ok(Target {
        role: row.role,
        email: row.email,
        name: row.name,
    })
}

/// Whether removing `staff_id` from the owners would leave the office without one.
async fn is_last_owner(
    conn: &mut PgConnection,
    ctx: &TenantCtx,
    staff_id: Uuid,
) -> Result<bool, ServerError> {
    // Lock every owner row so that two demotions cannot both pass this check.
    let owners = sqlx::query_scalar!(
        "select id from staffs where office_id = $1 and role = 'owner' and deleted_at is null for update",
        ctx.office_id(),
    )
    .fetch_all(conn)
    .await?;
    Ok(owners == [staff_id])
}

/// Direct role change by an owner (SPEC §1.3), never leaving the office without an owner.
pub async fn change_role(
    state: &AppState,
    ctx: &TenantCtx,
    staff_id: Uuid,
    role: Role,
    client: &ClientInfo,
) -> Result<(), ServerError> {
    if !Role::OFFICE_ROLES.contains(&role) {
        return Err(AppError::validation(vec![shared::FieldError::new(
            "role",
            "役割を選択してください",
        )])
        .into());
    }
    let mut tx = state.db.begin().await?;
    let current = target(&mut tx, ctx, staff_id).await?;
    if current.role == role {
        return Ok(());
    }
    if current.role == Role::Owner && is_last_owner(&mut tx, ctx, staff_id).await? {
        return Err(AppError::with_message(ErrorCode::Conflict, LAST_OWNER).into());
    }
    sqlx::query!(
        "update staffs set role = $2 where id = $1",
        staff_id,
        role as Role
    )
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut *tx,
        audit::Entry::by(
            "staff.role_changed",
            ctx.staff_id(),
            ctx.role(),
            Some(ctx.office_id()),
        )
        .target("staff", staff_id)
        .client(client)
        .detail("from", current.role.as_str())
        .detail("to", role.as_str()),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Removes a staff member (SPEC §12.2): sessions end, an archive snapshot is kept, the row is
/// soft-deleted, the others are told, the removed person gets a mail.
pub async fn remove(
    state: &AppState,
    ctx: &TenantCtx,
    staff_id: Uuid,
    client: &ClientInfo,
) -> Result<(), ServerError> {
    if staff_id == ctx.staff_id() {
        return Err(AppError::with_message(ErrorCode::Conflict, "自分自身は削除できません").into());
    }
    let mut tx = state.db.begin().await?;
    let removed = target(&mut tx, ctx, staff_id).await?;
    if removed.role == Role::Owner && is_last_owner(&mut tx, ctx, staff_id).await? {
        return Err(AppError::with_message(ErrorCode::Conflict, LAST_OWNER).into());
    }
    sessions::revoke_all(&mut tx, staff_id, None, "staff_deleted").await?;
    sqlx::query!(
        "update invitations set status = 'revoked', revoked_at = now()
         where invited_by = $1 and status = 'pending'",
        staff_id
    )
    .execute(&mut *tx)
    .await?;
    let label = format!(
        "スタッフ-{}",
        sha256(staff_id.to_string().as_bytes())
            .iter()
            .map(|b| format!("{b:02X}"))
            .collect::<String>()[..9]
            .to_owned()
    );
    let office_name =
        sqlx::query_scalar!("select name from offices where id = $1", ctx.office_id())
            .fetch_one(&mut *tx)
            .await?;
    let archive_id = sqlx::query_scalar!(
        r#"insert into archived_staffs
               (id, staff_id, office_id, office_name, anonymised_name, email, role, hired_at,
                terminated_at, reason, legal_retention_until, metadata)
           select n.id, st.id, st.office_id, $2, $3, 'archived-' || n.id || '@deleted.invalid',
                  st.role, st.created_at, now(), 'staff_deletion',
                  now() + make_interval(years => $4),
                  jsonb_build_object('deleted_by', $5::uuid,
                                     'email_domain', split_part(st.email::text, '@', 2),
                                     'mfa_enabled', st.mfa_enabled_at is not null,
                                     'email_verified', st.email_verified_at is not null)
           from staffs st, (select gen_random_uuid() as id) n
           where st.id = $1
           returning id"#,
        staff_id,
        office_name,
        label,
        STAFF_RETENTION_YEARS,
        ctx.staff_id(),
    )
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query!(
        "update staffs set deleted_at = now() where id = $1",
        staff_id
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "insert into notices (office_id, staff_id, kind, title)
         select office_id, id, 'staff_removed', 'スタッフ退会のお知らせ'
         from staffs where office_id = $1 and deleted_at is null",
        ctx.office_id(),
    )
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut *tx,
        audit::Entry::by(
            "staff.deleted",
            ctx.staff_id(),
            ctx.role(),
            Some(ctx.office_id()),
        )
        .target("staff", staff_id)
        .client(client)
        .detail("archive_id", archive_id.to_string()),
    )
    .await?;
    mail::enqueue(
        &mut *tx,
        &state.security.origin(),
        &removed.email,
        &Message::AccountRemoved {
            staff_name: removed.name,
            office_name,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// 「2段階認証を必須にする」 for one staff member.
pub async fn set_mfa_required(
    state: &AppState,
    ctx: &TenantCtx,
    staff_id: Uuid,
    required: bool,
    client: &ClientInfo,
) -> Result<(), ServerError> {
    let mut tx = state.db.begin().await?;
    target(&mut tx, ctx, staff_id).await?;
    sqlx::query!(
        "update staffs set mfa_required = $2 where id = $1",
        staff_id,
        required
    )
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut *tx,
        audit::Entry::by(
            "mfa.requirement_set",
            ctx.staff_id(),
            ctx.role(),
            Some(ctx.office_id()),
        )
        .target("staff", staff_id)
        .client(client)
        .detail("required", required),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// 「2段階認証をリセット」: the target's secret and codes are deleted and their sessions end.
pub async fn reset_mfa(
    state: &AppState,
    ctx: &TenantCtx,
    staff_id: Uuid,
    client: &ClientInfo,
) -> Result<(), ServerError> {
    if staff_id == ctx.staff_id() {
        return Err(AppError::with_message(
            ErrorCode::Conflict,
            "ご自身の2段階認証は、アカウントのセキュリティ画面から変更してください",
        )
        .into());
    }
    let mut tx = state.db.begin().await?;
    let person = target(&mut tx, ctx, staff_id).await?;
    mfa::clear(&mut tx, staff_id).await?;
    sessions::revoke_all(&mut tx, staff_id, None, "mfa_reset").await?;
    audit::record(
        &mut *tx,
        audit::Entry::by(
            "mfa.reset_by_owner",
            ctx.staff_id(),
            ctx.role(),
            Some(ctx.office_id()),
        )
        .target("staff", staff_id)
        .client(client),
    )
    .await?;
    mail::enqueue(
        &mut *tx,
        &state.security.origin(),
        &person.email,
        &Message::MfaChanged {
            staff_name: person.name,
            change_label: "オーナーにより2段階認証がリセットされました",
            changed_at: format_datetime_jst(OffsetDateTime::now_utc()),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// 「ロック解除」: clears login, MFA and password-change locks of a staff member.
pub async fn unlock(
    state: &AppState,
    ctx: &TenantCtx,
    staff_id: Uuid,
    client: &ClientInfo,
) -> Result<(), ServerError> {
    let mut tx = state.db.begin().await?;
    let person = target(&mut tx, ctx, staff_id).await?;
    let login_subject = limits::email_subject(&state.security.mac_key, &person.email);
    limits::clear(&mut *tx, LockKind::Login, &login_subject).await?;
    limits::clear(&mut *tx, LockKind::Mfa, staff_id.as_bytes()).await?;
    limits::clear(&mut *tx, LockKind::PasswordChange, staff_id.as_bytes()).await?;
    audit::record(
        &mut *tx,
        audit::Entry::by(
            "auth.account_unlocked",
            ctx.staff_id(),
            ctx.role(),
            Some(ctx.office_id()),
        )
        .target("staff", staff_id)
        .client(client),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
