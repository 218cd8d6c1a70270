//! Recipients (SPEC §4): use cases behind the server functions. Every one runs in a tenant
//! transaction ([`TenantCtx::begin`]) and is audited with field names only, never values.

pub mod approvals;
pub mod csv;
pub mod lifecycle;
pub mod list;
pub mod store;

use super::{
    AppState, ServerError, audit,
    auth::{ClientInfo, TenantCtx},
};
use shared::{
    Role,
    approval::EmployeeAction,
    dates::{format_date_iso, jst_date},
    recipient::{
        ListQuery, RecipientFormContext, RecipientInput, RecipientPage, RecipientRecord,
        SaveOutcome,
    },
    service_type::ServiceType,
};
use sqlx::PgConnection;
use time::OffsetDateTime;
use uuid::Uuid;

/// The wizard's choices: the office's service types and active staff.
pub async fn form_context(
    state: &AppState,
    ctx: &TenantCtx,
) -> Result<RecipientFormContext, ServerError> {
    let mut tx = ctx.begin(&state.db).await?;
    let parse_ctx = store::parse_context(&mut tx, ctx.office_id(), true).await?;
    let staff = sqlx::query!(
        "select id, last_name || ' ' || first_name as \"name!\" from staffs
         where office_id = $1 and deleted_at is null order by last_name_kana, first_name_kana",
        ctx.office_id()
    )
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    let mut service_types = parse_ctx.service_types;
    service_types.sort_by_key(|t| ServiceType::ALL.iter().position(|a| a == t));
    Ok(RecipientFormContext {
        today: format_date_iso(jst_date(OffsetDateTime::now_utc())),
        service_types,
        staff: staff.into_iter().map(|s| (s.id, s.name)).collect(),
    })
}

pub async fn list(
    state: &AppState,
    ctx: &TenantCtx,
    query: &ListQuery,
) -> Result<RecipientPage, ServerError> {
    let mut tx = ctx.begin(&state.db).await?;
    let page = list::page(&mut tx, ctx, query).await?;
    tx.commit().await?;
    Ok(page)
}

pub async fn get(
    state: &AppState,
    ctx: &TenantCtx,
    id: Uuid,
) -> Result<RecipientRecord, ServerError> {
    let mut tx = ctx.begin(&state.db).await?;
    let record = store::load(&mut tx, ctx.office_id(), id).await?;
    tx.commit().await?;
    if record.status == shared::recipient::RecipientStatus::Deleted
        && !ctx.role().at_least(shared::Role::Manager)
    {
        return Err(store::not_found());
    }
    record_view(state, ctx, id).await?;
    Ok(record)
}

/// `recipient.viewed`, once per staff member, recipient and JST day (§4.4).
async fn record_view(state: &AppState, ctx: &TenantCtx, id: Uuid) -> Result<(), ServerError> {
    let day_start = shared::dates::jst_date(OffsetDateTime::now_utc())
        .midnight()
        .assume_offset(shared::dates::JST);
    let seen = sqlx::query_scalar!(
        r#"select exists (select 1 from audit_logs
               where office_id = $1 and action = 'recipient.viewed' and actor_staff_id = $2
                 and target_id = $3 and occurred_at >= $4) as "seen!""#,
        ctx.office_id(),
        ctx.staff_id(),
        id,
        day_start,
    )
    .fetch_one(&state.db)
    .await?;
    if !seen {
        audit::record(
            &state.db,
            audit::Entry::by(
                "recipient.viewed",
                ctx.staff_id(),
                ctx.role(),
                Some(ctx.office_id()),
            )
            .target("recipient", id),
        )
        .await?;
    }
    Ok(())
}

/// A recipient write as the caller may make it: managers and owners write at once; an
/// employee's write is checked the same way and stored as an approval request (§1.2).
/// `target` is the recipient and the version the caller read (every action but create).
pub async fn write(
    state: &AppState,
    ctx: &TenantCtx,
    target: Option<Target>,
    action: EmployeeAction,
    note: &str,
    client: &ClientInfo,
) -> Result<SaveOutcome, ServerError> {
    ctx.require_mfa()?;
    let mut tx = ctx.begin(&state.db).await?;
    let outcome = if ctx.role() == Role::Employee {
        approvals::submit(&mut tx, ctx, target, action, note, client).await?
    } else {
        execute(&mut tx, ctx, target, &action, client).await?
    };
    if matches!(outcome, SaveOutcome::DuplicateFound { .. }) {
        // Nothing is saved until the caller confirms.
        return Ok(outcome);
    }
    tx.commit().await?;
    Ok(outcome)
}

/// The recipient a write is about, and the version the caller read.
#[derive(Clone, Copy, Debug)]
pub struct Target {
    pub id: Uuid,
    pub version: i32,
}

/// Runs `action` as `ctx` (a manager or owner: the caller, or the approver of an employee's
/// request) inside the caller's transaction.
pub async fn execute(
    conn: &mut PgConnection,
    ctx: &TenantCtx,
    target: Option<Target>,
    action: &EmployeeAction,
    client: &ClientInfo,
) -> Result<SaveOutcome, ServerError> {
    let target = || target.ok_or(ServerError::Internal("recipient write without a target"));
    match action {
        EmployeeAction::Create {
            input,
            confirm_duplicate,
        } => create(conn, ctx, input, *confirm_duplicate, client).await,
        EmployeeAction::Update { input } => update(conn, ctx, target()?, input, client).await,
        EmployeeAction::Archive { input } => {
            lifecycle::archive(conn, ctx, target()?, input, client).await
        }
        EmployeeAction::Restore { confirm_duplicate } => {
            lifecycle::restore(conn, ctx, target()?, *confirm_duplicate, client).await
        }
        EmployeeAction::Delete => lifecycle::delete(conn, ctx, target()?, client).await,
        EmployeeAction::SetNextPlanStartDays { days } => {
            crate::ssr::plan::execute_next_plan_start_days(conn, ctx, target()?, *days, client)
                .await
        }
    }
}

/// Registers a recipient. A same-name, same-birth-date recipient stops it until
/// `confirm_duplicate` (§4.5).
async fn create(
    conn: &mut PgConnection,
    ctx: &TenantCtx,
    input: &RecipientInput,
    confirm_duplicate: bool,
    client: &ClientInfo,
) -> Result<SaveOutcome, ServerError> {
    let profile = store::parse(conn, ctx.office_id(), input, true).await?;
    if !confirm_duplicate {
        let existing = store::duplicates(conn, ctx.office_id(), &profile, None).await?;
        if !existing.is_empty() {
            return Ok(SaveOutcome::DuplicateFound { existing });
        }
    }
    let id = store::insert(conn, ctx.office_id(), ctx.staff_id(), &profile).await?;
    audit::record(
        &mut *conn,
        audit::Entry::by(
            "recipient.created",
            ctx.staff_id(),
            ctx.role(),
            Some(ctx.office_id()),
        )
        .target("recipient", id)
        .client(client),
    )
    .await?;
    Ok(SaveOutcome::Saved { id, version: 1 })
}

/// Saves every section of an existing recipient when the version read is still current (§4.1).
async fn update(
    conn: &mut PgConnection,
    ctx: &TenantCtx,
    target: Target,
    input: &RecipientInput,
    client: &ClientInfo,
) -> Result<SaveOutcome, ServerError> {
    let before = store::load(conn, ctx.office_id(), target.id).await?;
    let profile = store::parse(conn, ctx.office_id(), input, false).await?;
    let new_version = store::update(
        conn,
        ctx.office_id(),
        ctx.staff_id(),
        target.id,
        target.version,
        &profile,
    )
    .await?;
    // Labels, as owners read them in 「操作履歴」 (names only, never values).
    let changed: Vec<&str> = before
        .input
        .changed_fields(&profile.to_input())
        .into_iter()
        .map(shared::recipient::field_label)
        .collect();
    audit::record(
        &mut *conn,
        audit::Entry::by(
            "recipient.updated",
            ctx.staff_id(),
            ctx.role(),
            Some(ctx.office_id()),
        )
        .target("recipient", target.id)
        .client(client)
        .detail("changed_fields", changed)
        .detail("version", new_version),
    )
    .await?;
    Ok(SaveOutcome::Saved {
        id: target.id,
        version: new_version,
    })
}
