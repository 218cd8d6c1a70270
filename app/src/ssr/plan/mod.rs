//! Support-plan cycles (SPEC §6): the use cases behind the plan server functions. Each runs in a
//! tenant transaction on the cycle locked first, so concurrent writes to one cycle queue and the
//! later one sees what the earlier did. Writes need a manager or owner with MFA (employees only
//! read, and ask for the アセスメント開始期限 days through an approval request).

pub mod consent;
pub mod cycles;
pub mod exceptions;
pub mod page;
pub mod settings;
pub mod state;
pub mod steps;

use super::{
    AppState, ServerError, audit,
    auth::{ClientInfo, TenantCtx},
    recipients,
};
use shared::{
    AppError,
    approval::EmployeeAction,
    plan::{
        PlanStep,
        forms::{ConsentInput, StepCompletionInput, StepDatesInput, parse_next_plan_start_days},
        views::StepCompleted,
    },
    recipient::SaveOutcome,
};
use sqlx::PgConnection;
use uuid::Uuid;

/// The name of an active staff member of the office, as plan records keep it.
pub async fn staff_name(
    conn: &mut PgConnection,
    office_id: Uuid,
    staff_id: Uuid,
) -> Result<Option<String>, ServerError> {
    Ok(sqlx::query_scalar!(
        r#"select last_name || ' ' || first_name as "name!" from staffs
           where id = $1 and office_id = $2 and deleted_at is null"#,
        staff_id,
        office_id,
    )
    .fetch_optional(conn)
    .await?)
}

/// 「完了にする」 with a version already stored (picked in the modal).
pub async fn complete_step(
    app: &AppState,
    ctx: &TenantCtx,
    cycle_id: Uuid,
    step: PlanStep,
    input: &StepCompletionInput,
    version_id: Uuid,
    client: &ClientInfo,
) -> Result<StepCompleted, ServerError> {
    ctx.require_mfa()?;
    let completion = input.parse(step).map_err(AppError::validation)?;
    let mut tx = ctx.begin(&app.db).await?;
    let state = state::lock(&mut tx, ctx.office_id(), cycle_id, None).await?;
    let done = steps::complete(&mut tx, ctx, &state, &completion, version_id, client).await?;
    tx.commit().await?;
    Ok(done)
}

/// 「完了を取り消す」.
pub async fn reopen_step(
    app: &AppState,
    ctx: &TenantCtx,
    cycle_id: Uuid,
    step: PlanStep,
    reason: &str,
    client: &ClientInfo,
) -> Result<(), ServerError> {
    ctx.require_mfa()?;
    let reason = shared::plan::forms::parse_reopen_reason(reason).map_err(AppError::validation)?;
    let mut tx = ctx.begin(&app.db).await?;
    let state = state::lock(&mut tx, ctx.office_id(), cycle_id, None).await?;
    steps::reopen(&mut tx, ctx, &state, step, &reason, client).await?;
    tx.commit().await?;
    Ok(())
}

/// 「日付を修正」; `true` when a 順序例外 was stored.
pub async fn edit_step_dates(
    app: &AppState,
    ctx: &TenantCtx,
    cycle_id: Uuid,
    step: PlanStep,
    input: &StepDatesInput,
    client: &ClientInfo,
) -> Result<bool, ServerError> {
    ctx.require_mfa()?;
    let dates = input.parse(step).map_err(AppError::validation)?;
    let mut tx = ctx.begin(&app.db).await?;
    let state = state::lock(&mut tx, ctx.office_id(), cycle_id, None).await?;
    let exception = steps::edit_dates(&mut tx, ctx, &state, step, &dates, client).await?;
    tx.commit().await?;
    Ok(exception)
}

/// 「同意を記録」; `true` when a 順序例外 was stored.
pub async fn record_consent(
    app: &AppState,
    ctx: &TenantCtx,
    cycle_id: Uuid,
    input: &ConsentInput,
    client: &ClientInfo,
) -> Result<bool, ServerError> {
    ctx.require_mfa()?;
    let consent = input.parse().map_err(AppError::validation)?;
    let mut tx = ctx.begin(&app.db).await?;
    let state = state::lock(&mut tx, ctx.office_id(), cycle_id, None).await?;
    let exception = consent::record(&mut tx, ctx, &state, &consent, client).await?;
    tx.commit().await?;
    Ok(exception)
}

/// 「アセスメント開始期限を設定」 (§6.4): one function for everyone; managers and owners set it,
/// an employee's call becomes an approval request (§1.2).
pub async fn set_next_plan_start_days(
    app: &AppState,
    ctx: &TenantCtx,
    recipient_id: Uuid,
    days: i16,
    note: &str,
    client: &ClientInfo,
) -> Result<SaveOutcome, ServerError> {
    ctx.require_mfa()?;
    let days = parse_next_plan_start_days(days).map_err(AppError::validation)?;
    let target = recipients::Target {
        id: recipient_id,
        version: current_version(&app.db, ctx, recipient_id).await?,
    };
    recipients::write(
        app,
        ctx,
        Some(target),
        EmployeeAction::SetNextPlanStartDays { days },
        note,
        client,
    )
    .await
}

async fn current_version(
    db: &sqlx::PgPool,
    ctx: &TenantCtx,
    recipient_id: Uuid,
) -> Result<i32, ServerError> {
    let mut tx = ctx.begin(db).await?;
    let version = sqlx::query_scalar!(
        "select version from recipients where id = $1 and office_id = $2 and status <> 'deleted'",
        recipient_id,
        ctx.office_id()
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(recipients::store::not_found)?;
    tx.commit().await?;
    Ok(version)
}

/// The write itself (a manager's call, an approved request, or an employee's trial run of it
/// before the request is stored): the latest cycle's days.
pub async fn execute_next_plan_start_days(
    conn: &mut PgConnection,
    ctx: &TenantCtx,
    target: recipients::Target,
    days: i16,
    client: &ClientInfo,
) -> Result<SaveOutcome, ServerError> {
    let days = parse_next_plan_start_days(days).map_err(AppError::validation)?;
    let state = state::lock_latest(conn, ctx.office_id(), target.id).await?;
    state.require_open()?;
    sqlx::query!(
        "update plan_cycles set next_plan_start_days = $3 where id = $1 and office_id = $2",
        state.id,
        ctx.office_id(),
        days,
    )
    .execute(&mut *conn)
    .await?;
    audit::record(
        &mut *conn,
        audit::Entry::by(
            "plan.next_plan_start_days_changed",
            ctx.staff_id(),
            ctx.role(),
            Some(ctx.office_id()),
        )
        .target("plan_cycle", state.id)
        .client(client)
        .detail("from", state.next_plan_start_days)
        .detail("to", days),
    )
    .await?;
    Ok(SaveOutcome::Saved {
        id: target.id,
        version: target.version,
    })
}
