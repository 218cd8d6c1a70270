//! Completing, reopening and correcting a step (SPEC §6.1–6.2, §6.6). Every function runs in
//! the caller's tenant transaction on a cycle locked with [`super::state::lock`], so it either
//! happens whole — step, document, next cycle, audit — or not at all.

use super::{
    cycles, exceptions, staff_name,
    state::{CycleState, cycle_not_found},
};
use crate::ssr::{
    ServerError, audit,
    auth::{ClientInfo, TenantCtx},
};
use shared::{
    AppError, ErrorCode, FieldError,
    dates::format_date_iso,
    plan::{
        CycleStatus, PlanStep, StepStatus,
        forms::{StepCompletion, StepDates},
        guard::{self, DateField},
        views::StepCompleted,
    },
};
use sqlx::PgConnection;
use time::OffsetDateTime;
use uuid::Uuid;

fn conflict(message: impl Into<String>) -> ServerError {
    AppError::with_message(ErrorCode::Conflict, message).into()
}

/// G6: only the current step completes (§6.1).
fn require_current(state: &CycleState, step: PlanStep) -> Result<(), ServerError> {
    match state.current_step() {
        Some(current) if current == step => Ok(()),
        _ if state.step(step).status.is_done() => Err(conflict(
            "このステップは既に完了しています。画面を再読み込みしてください",
        )),
        Some(current) => Err(conflict(format!(
            "現在のステップは「{}」です。「{}」はまだ完了できません",
            current.label(),
            step.label()
        ))),
        None => Err(conflict("この回の計画はすべて完了しています")),
    }
}

/// The checks of a completion that need no document: the step is current, the staff member
/// exists, the consent is fresh (step 4), and the guard (block mode without a reason refuses).
/// Uploads run it before the file is read, and again in the transaction that completes.
pub async fn precheck(
    conn: &mut PgConnection,
    ctx: &TenantCtx,
    state: &CycleState,
    completion: &StepCompletion,
) -> Result<Option<serde_json::Value>, ServerError> {
    state.require_open()?;
    require_current(state, completion.step)?;
    if let Some(staff) = completion.performed_by
        && staff_name(conn, ctx.office_id(), staff).await?.is_none()
    {
        return Err(AppError::validation(vec![FieldError::new(
            "performed_by",
            "実施者は一覧から選択してください",
        )])
        .into());
    }
    if completion.step == PlanStep::FinalPlanSigned {
        state.require_fresh_consent()?;
    }
    let mut dates = state.guard_dates();
    dates.set_step(completion.step, Some(completion.date));
    let today = shared::dates::jst_date(OffsetDateTime::now_utc());
    let violations = guard::check_field(&dates, today, DateField::of_step(completion.step));
    let by_name = staff_name(conn, ctx.office_id(), ctx.staff_id())
        .await?
        .unwrap_or_default();
    exceptions::decide(
        state.order_guard,
        &violations,
        completion.override_reason.as_deref(),
        "date",
        ctx,
        &by_name,
    )
}

/// The version completing `step` must be a live version of the cycle's document of that step
/// — for step 4 also the consented 原案 itself (one document may serve as both, §6.7).
async fn check_version(
    conn: &mut PgConnection,
    state: &CycleState,
    step: PlanStep,
    version_id: Uuid,
) -> Result<(), ServerError> {
    let doc_type = sqlx::query_scalar!(
        r#"select d.doc_type::text as "doc_type!" from document_versions v
           join plan_documents d on d.id = v.document_id
           where v.id = $1 and v.office_id = $2 and d.cycle_id = $3 and v.deleted_at is null"#,
        version_id,
        state.office_id,
        state.id,
    )
    .fetch_optional(&mut *conn)
    .await?;
    let consented_draft = step == PlanStep::FinalPlanSigned
        && state
            .consent
            .as_ref()
            .is_some_and(|c| c.draft_version_id == version_id);
    match doc_type {
        Some(t) if t == step.doc_type().as_str() || consented_draft => Ok(()),
        _ => Err(AppError::with_message(
            ErrorCode::NotFound,
            "選んだ書類が見つかりません。書類を選び直してください",
        )
        .into()),
    }
}

/// Completes the current step with `version_id` as its document (§6.1). Monitoring closes the
/// cycle and opens the next one in the same transaction (§6.2).
pub async fn complete(
    conn: &mut PgConnection,
    ctx: &TenantCtx,
    state: &CycleState,
    completion: &StepCompletion,
    version_id: Uuid,
    client: &ClientInfo,
) -> Result<StepCompleted, ServerError> {
    let exception = precheck(conn, ctx, state, completion).await?;
    check_version(conn, state, completion.step, version_id).await?;
    let performer_name = match completion.performed_by {
        Some(staff) => staff_name(conn, ctx.office_id(), staff).await?,
        None => None,
    };
    let updated = sqlx::query!(
        "update plan_steps set status = 'completed', step_date = $4, interview_done = $5,
             handed_over = $6, performed_by = $7, performed_by_name = $8, participants = $9,
             counselling_delivered_date = $10, document_version_id = $11, order_exception = $12,
             completed_at = now(), completed_by = $13
         where cycle_id = $1 and office_id = $2 and step = $3::text::plan_step
           and status = 'incomplete'",
        state.id,
        ctx.office_id(),
        completion.step.as_str(),
        completion.date,
        completion.interview_done,
        completion.handed_over,
        completion.performed_by,
        performer_name,
        completion.participants,
        completion.counselling_delivered_date,
        version_id,
        exception,
        ctx.staff_id(),
    )
    .execute(&mut *conn)
    .await?;
    if updated.rows_affected() != 1 {
        return Err(ServerError::Internal("the locked step was not incomplete"));
    }
    if let Some(exception) = &exception {
        exceptions::audit_override(conn, ctx, state.id, exception, client).await?;
    }
    let mut warnings = Vec::new();
    if completion.step == PlanStep::FinalPlanSigned {
        record_gap_months(conn, ctx.office_id(), state.id, completion.date).await?;
        if !state.self_plan && completion.counselling_delivered_date.is_none() {
            warnings.push(G8_WARNING.to_owned());
        }
    }
    audit::record(
        &mut *conn,
        audit::Entry::by(
            "plan.step_completed",
            ctx.staff_id(),
            ctx.role(),
            Some(ctx.office_id()),
        )
        .target("plan_cycle", state.id)
        .client(client)
        .detail("step", completion.step.as_str())
        .detail("date", format_date_iso(completion.date)),
    )
    .await?;
    let next_cycle_id = if completion.step == PlanStep::Monitoring {
        let next =
            cycles::close_and_open_next(conn, ctx.office_id(), state.id, completion.date).await?;
        if let Some(next) = next {
            audit::record(
                &mut *conn,
                audit::Entry::by(
                    "plan.cycle_created",
                    ctx.staff_id(),
                    ctx.role(),
                    Some(ctx.office_id()),
                )
                .target("plan_cycle", next)
                .client(client)
                .detail("date", format_date_iso(completion.date)),
            )
            .await?;
        }
        next
    } else {
        None
    };
    Ok(StepCompleted {
        cycle_id: state.id,
        step: completion.step,
        next_cycle_id,
        exception_recorded: exception.is_some(),
        warnings,
    })
}

/// G8: a warning only.
pub const G8_WARNING: &str =
    "相談支援事業所への交付日が未入力です。交付したら「日付を修正」から入力してください";

/// §6.8: a plan delivered after its due date records the months of 未作成減算 — from the
/// month after the due date through the month before the delivery (0 in the same month).
async fn record_gap_months(
    conn: &mut PgConnection,
    office_id: Uuid,
    cycle_id: Uuid,
    delivered: time::Date,
) -> Result<(), ServerError> {
    sqlx::query!(
        "update plan_cycles c
         set gap_months = case when d.plan_due_date < $3
                               then kk_months_inclusive(d.plan_due_date + 1, $3) - 1 end
         from plan_cycle_deadlines d
         where d.cycle_id = c.id and c.id = $1 and c.office_id = $2",
        cycle_id,
        office_id,
        delivered,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// 「完了を取り消す」 (§6.2): only the last completed step of the latest cycle. For monitoring of
/// cycle k (closed, with k + 1 latest) only while cycle k + 1 has no completed step and no
/// document: cycle k + 1 is deleted and k is open and latest again.
pub async fn reopen(
    conn: &mut PgConnection,
    ctx: &TenantCtx,
    state: &CycleState,
    step: PlanStep,
    reason: &str,
    client: &ClientInfo,
) -> Result<(), ServerError> {
    state.require_active_recipient()?;
    let last_completed = state
        .steps
        .iter()
        .rev()
        .find(|s| s.status == StepStatus::Completed)
        .map(|s| s.step);
    if last_completed != Some(step) {
        return Err(conflict("取り消せるのは、最後に完了したステップだけです"));
    }
    match (state.status, state.is_latest) {
        (CycleStatus::Open, true) => {}
        (CycleStatus::Closed, false) if step == PlanStep::Monitoring => {
            reopen_closed_cycle(conn, state).await?;
        }
        _ => return Err(conflict("この回のステップは取り消せません")),
    }
    sqlx::query!(
        "update plan_steps set status = 'incomplete', step_date = null, interview_done = null,
             handed_over = null, performed_by = null, performed_by_name = null,
             participants = null, counselling_delivered_date = null, document_version_id = null,
             order_exception = null, completed_at = null, completed_by = null
         where cycle_id = $1 and office_id = $2 and step = $3::text::plan_step",
        state.id,
        ctx.office_id(),
        step.as_str(),
    )
    .execute(&mut *conn)
    .await?;
    if step == PlanStep::FinalPlanSigned {
        sqlx::query!(
            "update plan_cycles set gap_months = null where id = $1 and office_id = $2",
            state.id,
            ctx.office_id()
        )
        .execute(&mut *conn)
        .await?;
    }
    audit::record(
        &mut *conn,
        audit::Entry::by(
            "plan.step_reopened",
            ctx.staff_id(),
            ctx.role(),
            Some(ctx.office_id()),
        )
        .target("plan_cycle", state.id)
        .client(client)
        .detail("step", step.as_str())
        .detail("reason_length", reason.chars().count()),
    )
    .await?;
    Ok(())
}

/// Cycle k + 1 goes (it has nothing yet) and cycle k (`state`) is the open latest cycle again.
async fn reopen_closed_cycle(
    conn: &mut PgConnection,
    state: &CycleState,
) -> Result<(), ServerError> {
    let next = sqlx::query!(
        r#"select c.id,
                  exists (select 1 from plan_steps s where s.cycle_id = c.id
                          and s.status = 'completed') as "has_steps!",
                  exists (select 1 from plan_documents d
                          join document_versions v on v.document_id = d.id
                          where d.cycle_id = c.id and v.deleted_at is null) as "has_documents!",
                  exists (select 1 from plan_consents pc where pc.cycle_id = c.id)
                      as "has_consent!"
           from plan_cycles c
           where c.recipient_id = $1 and c.office_id = $2 and c.cycle_number = $3 and c.is_latest
           for update"#,
        state.recipient_id,
        state.office_id,
        state.number + 1,
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(cycle_not_found)?;
    if next.has_steps || next.has_documents || next.has_consent {
        return Err(conflict(format!(
            "第{}回の記録があるため、モニタリングの完了は取り消せません",
            state.number + 1
        )));
    }
    // Deleted versions of the next cycle already sit in the storage outbox; the rows go.
    sqlx::query!(
        "delete from plan_cycles where id = $1 and office_id = $2",
        next.id,
        state.office_id
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "update plan_cycles set status = 'open', is_latest = true, closed_at = null
         where id = $1 and office_id = $2",
        state.id,
        state.office_id
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// 「日付を修正」 of a completed step in the open cycle (§6.1): the guard runs again for the
/// changed date; the step's exception follows the new findings.
pub async fn edit_dates(
    conn: &mut PgConnection,
    ctx: &TenantCtx,
    state: &CycleState,
    step: PlanStep,
    dates_input: &StepDates,
    client: &ClientInfo,
) -> Result<bool, ServerError> {
    state.require_open()?;
    if state.step(step).status != StepStatus::Completed {
        return Err(conflict("日付を修正できるのは完了したステップだけです"));
    }
    let mut dates = state.guard_dates();
    dates.set_step(step, Some(dates_input.date));
    let today = shared::dates::jst_date(OffsetDateTime::now_utc());
    let violations = guard::check_field(&dates, today, DateField::of_step(step));
    let by_name = staff_name(conn, ctx.office_id(), ctx.staff_id())
        .await?
        .unwrap_or_default();
    let exception = exceptions::decide(
        state.order_guard,
        &violations,
        dates_input.override_reason.as_deref(),
        "date",
        ctx,
        &by_name,
    )?;
    sqlx::query!(
        "update plan_steps set step_date = $4,
             counselling_delivered_date = case when step = 'final_plan_signed' then $5
                                               else counselling_delivered_date end,
             order_exception = $6
         where cycle_id = $1 and office_id = $2 and step = $3::text::plan_step",
        state.id,
        ctx.office_id(),
        step.as_str(),
        dates_input.date,
        dates_input.counselling_delivered_date,
        exception,
    )
    .execute(&mut *conn)
    .await?;
    if step == PlanStep::FinalPlanSigned {
        record_gap_months(conn, ctx.office_id(), state.id, dates_input.date).await?;
    }
    if let Some(exception) = &exception {
        exceptions::audit_override(conn, ctx, state.id, exception, client).await?;
    }
    audit::record(
        &mut *conn,
        audit::Entry::by(
            "plan.step_dates_edited",
            ctx.staff_id(),
            ctx.role(),
            Some(ctx.office_id()),
        )
        .target("plan_cycle", state.id)
        .client(client)
        .detail("step", step.as_str())
        .detail("date", format_date_iso(dates_input.date))
        .detail("reason_length", dates_input.reason.chars().count()),
    )
    .await?;
    Ok(exception.is_some())
}
