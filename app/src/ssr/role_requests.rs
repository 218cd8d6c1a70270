//! Role-change requests (SPEC §1.3): employees ask for manager or owner, managers for owner; an
//! owner of the same office (never the requester) approves or rejects.

use super::{
    AppState, ServerError, audit,
    auth::{ClientInfo, TenantCtx},
};
use shared::{
    AppError, ErrorCode, FieldError, Role,
    staff::{RoleRequestInput, RoleRequestView},
};
use sqlx::PgConnection;
use uuid::Uuid;

pub const ALREADY_DECIDED: &str = "この申請は既に処理されています";

/// A request's or decision's note: the approval requests' rule (≤500 characters, trimmed).
fn note(field: &str, input: &str) -> Result<Option<String>, ServerError> {
    shared::approval::parse_note(field, input).map_err(|e| AppError::validation(vec![e]).into())
}

async fn notify(
    conn: &mut PgConnection,
    office_id: Uuid,
    staff_ids: &[Uuid],
    kind: &str,
    title: &str,
) -> Result<(), ServerError> {
    sqlx::query!(
        "insert into notices (office_id, staff_id, kind, title, link)
         select $1, unnest($2::uuid[]), $3, $4, '/settings/staff'",
        office_id,
        staff_ids,
        kind,
        title,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Asks for a higher role; one pending request per staff member.
pub async fn request(
    state: &AppState,
    ctx: &TenantCtx,
    input: &RoleRequestInput,
    client: &ClientInfo,
) -> Result<Uuid, ServerError> {
    let allowed = match ctx.role() {
        Role::Employee => matches!(input.role, Role::Manager | Role::Owner),
        Role::Manager => input.role == Role::Owner,
        _ => false,
    };
    if ctx.role() == Role::Owner {
        return Err(AppError::new(ErrorCode::Forbidden).into());
    }
    if !allowed {
        return Err(AppError::validation(vec![FieldError::new(
            "role",
            "申請できる役割を選択してください",
        )])
        .into());
    }
    let note = note("note", &input.note)?;
    let mut tx = state.db.begin().await?;
    let id = sqlx::query_scalar!(
        r#"insert into role_change_requests (office_id, staff_id, from_role, to_role, note)
           values ($1, $2, $3, $4, $5)
           on conflict do nothing
           returning id"#,
        ctx.office_id(),
        ctx.staff_id(),
        ctx.role() as Role,
        input.role as Role,
        note,
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| {
        AppError::with_message(
            ErrorCode::Conflict,
            "申請中の役割変更があります。結果をお待ちください",
        )
    })?;
    let owners = sqlx::query_scalar!(
        "select id from staffs where office_id = $1 and role = 'owner' and deleted_at is null",
        ctx.office_id()
    )
    .fetch_all(&mut *tx)
    .await?;
    notify(
        &mut tx,
        ctx.office_id(),
        &owners,
        "role_change_pending",
        "役割変更の申請が届きました",
    )
    .await?;
    notify(
        &mut tx,
        ctx.office_id(),
        &[ctx.staff_id()],
        "role_change_request_sent",
        "役割変更を申請しました",
    )
    .await?;
    audit::record(
        &mut *tx,
        audit::Entry::by(
            "role_change.requested",
            ctx.staff_id(),
            ctx.role(),
            Some(ctx.office_id()),
        )
        .target("role_change_request", id)
        .client(client)
        .detail("from", ctx.role().as_str())
        .detail("to", input.role.as_str()),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Owners: every request of the office; others: their own.
pub async fn list(state: &AppState, ctx: &TenantCtx) -> Result<Vec<RoleRequestView>, ServerError> {
    let rows = sqlx::query!(
        r#"select r.id, r.staff_id, st.last_name || ' ' || st.first_name as "name!",
                  r.from_role as "from_role: Role", r.to_role as "to_role: Role", r.note,
                  r.status::text as "status!", r.created_at, r.reviewer_notes
           from role_change_requests r join staffs st on st.id = r.staff_id
           where r.office_id = $1 and ($2 or r.staff_id = $3)
           order by r.created_at desc limit 100"#,
        ctx.office_id(),
        ctx.role() == Role::Owner,
        ctx.staff_id(),
    )
    .fetch_all(&state.db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| RoleRequestView {
            id: r.id,
            staff_name: r.name,
            from_role: r.from_role,
            to_role: r.to_role,
            note: r.note,
            status: r.status,
            created_at: r.created_at,
            reviewer_notes: r.reviewer_notes,
            decidable: ctx.role() == Role::Owner && r.staff_id != ctx.staff_id(),
            own: r.staff_id == ctx.staff_id(),
        })
        .collect())
}

/// Approves (the role changes at once) or rejects a pending request of the office.
pub async fn decide(
    state: &AppState,
    ctx: &TenantCtx,
    id: Uuid,
    approve: bool,
    notes: &str,
    client: &ClientInfo,
) -> Result<(), ServerError> {
    let notes = note("note", notes)?;
    let mut tx = state.db.begin().await?;
    let request = sqlx::query!(
        r#"select staff_id, from_role as "from_role: Role", to_role as "to_role: Role", status::text as "status!"
           from role_change_requests where id = $1 and office_id = $2 for update"#,
        id,
        ctx.office_id(),
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| ServerError::Client(AppError::not_found()))?;
    if request.staff_id == ctx.staff_id() {
        return Err(AppError::new(ErrorCode::Forbidden).into());
    }
    if request.status != "pending" {
        return Err(AppError::with_message(ErrorCode::Conflict, ALREADY_DECIDED).into());
    }
    let status = if approve { "approved" } else { "rejected" };
    sqlx::query!(
        "update role_change_requests set status = $2::text::role_request_status, reviewed_by = $3,
             reviewed_at = now(), reviewer_notes = $4
         where id = $1 and status = 'pending'",
        id,
        status,
        ctx.staff_id(),
        notes,
    )
    .execute(&mut *tx)
    .await?;
    let action = if approve {
        "role_change.approved"
    } else {
        "role_change.rejected"
    };
    audit::record(
        &mut *tx,
        audit::Entry::by(action, ctx.staff_id(), ctx.role(), Some(ctx.office_id()))
            .target("role_change_request", id)
            .client(client)
            .detail("from", request.from_role.as_str())
            .detail("to", request.to_role.as_str()),
    )
    .await?;
    if approve {
        let updated = sqlx::query!(
            "update staffs set role = $2 where id = $1 and office_id = $3 and deleted_at is null",
            request.staff_id,
            request.to_role as Role,
            ctx.office_id(),
        )
        .execute(&mut *tx)
        .await?;
        if updated.rows_affected() != 1 {
            return Err(AppError::not_found().into());
        }
        audit::record(
            &mut *tx,
            audit::Entry::by(
                "staff.role_changed",
                ctx.staff_id(),
                ctx.role(),
                Some(ctx.office_id()),
            )
            .target("staff", request.staff_id)
            .client(client)
            .detail("from", request.from_role.as_str())
            .detail("to", request.to_role.as_str())
            .detail("request_id", id.to_string()),
        )
        .await?;
    }
    let (kind, title) = if approve {
        ("role_change_approved", "役割変更の申請が承認されました")
    } else {
        ("role_change_rejected", "役割変更の申請が却下されました")
    };
    notify(&mut tx, ctx.office_id(), &[request.staff_id], kind, title).await?;
    tx.commit().await?;
    Ok(())
}

/// The requester takes back a pending request.
pub async fn withdraw(
    state: &AppState,
    ctx: &TenantCtx,
    id: Uuid,
    client: &ClientInfo,
) -> Result<(), ServerError> {
    let mut tx = state.db.begin().await?;
    let request = sqlx::query!(
        r#"select staff_id, from_role as "from_role: Role", to_role as "to_role: Role", status::text as "status!"
           from role_change_requests where id = $1 and office_id = $2 for update"#,
        id,
        ctx.office_id(),
    )
    .fetch_optional(&mut *tx)
    .await?
    .filter(|r| r.staff_id == ctx.staff_id())
    .ok_or_else(|| ServerError::Client(AppError::not_found()))?;
    if request.status != "pending" {
        return Err(AppError::with_message(ErrorCode::Conflict, ALREADY_DECIDED).into());
    }
    sqlx::query!(
        "update role_change_requests set status = 'withdrawn' where id = $1",
        id
    )
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut *tx,
        audit::Entry::by(
            "role_change.withdrawn",
            ctx.staff_id(),
            ctx.role(),
            Some(ctx.office_id()),
        )
        .target("role_change_request", id)
        .client(client)
        .detail("from", request.from_role.as_str())
        .detail("to", request.to_role.as_str()),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
