//! Support-plan cycles (SPEC §6). Everyone in the office reads; completing, reopening and
//! correcting steps and recording consent need a manager or owner with MFA. Ids of other
//! offices are `NOT_FOUND`.

use super::client::CsrfClient;
use leptos::{
    prelude::*,
    server_fn::codec::{GetUrl, Json},
};
use shared::{
    AppError,
    plan::{
        PlanStep,
        forms::{ConsentInput, StepCompletionInput, StepDatesInput},
        views::{PlanPage, StepCompleted},
    },
    recipient::SaveOutcome,
};
use uuid::Uuid;

/// `GET /api/plan?recipient_id=` — 「支援計画」: every cycle, step, document version and
/// deadline of one recipient. employee.
#[server(prefix = "/api", endpoint = "plan", input = GetUrl)]
pub async fn get_plan(recipient_id: Uuid) -> Result<PlanPage, AppError> {
    use crate::ssr::{app_state, auth, plan};
    let ctx = auth::require_office(shared::Role::Employee)?;
    Ok(plan::page::load(&app_state()?, &ctx, recipient_id).await?)
}

/// `POST /api/plan/steps/complete` — 「完了にする」 with a version already stored (`version_id`;
/// new files complete the step through `POST /api/documents/upload`). manager.
#[server(prefix = "/api", endpoint = "plan/steps/complete", input = Json, client = CsrfClient)]
pub async fn complete_step(
    cycle_id: Uuid,
    step: PlanStep,
    input: StepCompletionInput,
    version_id: Uuid,
) -> Result<StepCompleted, AppError> {
    use crate::ssr::{app_state, auth, plan};
    let ctx = auth::require_office(shared::Role::Manager)?;
    Ok(plan::complete_step(
        &app_state()?,
        &ctx,
        cycle_id,
        step,
        &input,
        version_id,
        &auth::client_info(),
    )
    .await?)
}

/// `POST /api/plan/steps/reopen` — 「完了を取り消す」 (reason 1–500). manager.
#[server(prefix = "/api", endpoint = "plan/steps/reopen", input = Json, client = CsrfClient)]
pub async fn reopen_step(cycle_id: Uuid, step: PlanStep, reason: String) -> Result<(), AppError> {
    use crate::ssr::{app_state, auth, plan};
    let ctx = auth::require_office(shared::Role::Manager)?;
    Ok(plan::reopen_step(
        &app_state()?,
        &ctx,
        cycle_id,
        step,
        &reason,
        &auth::client_info(),
    )
    .await?)
}

/// `POST /api/plan/steps/dates` — 「日付を修正」 of a completed step; answers whether a 順序例外
/// was recorded. manager.
#[server(prefix = "/api", endpoint = "plan/steps/dates", input = Json, client = CsrfClient)]
pub async fn edit_step_dates(
    cycle_id: Uuid,
    step: PlanStep,
    input: StepDatesInput,
) -> Result<bool, AppError> {
    use crate::ssr::{app_state, auth, plan};
    let ctx = auth::require_office(shared::Role::Manager)?;
    Ok(plan::edit_step_dates(
        &app_state()?,
        &ctx,
        cycle_id,
        step,
        &input,
        &auth::client_info(),
    )
    .await?)
}

/// `POST /api/plan/consent` — 「同意を記録」 on the cycle's current 原案; answers whether a
/// 順序例外 was recorded. manager.
#[server(prefix = "/api", endpoint = "plan/consent", input = Json, client = CsrfClient)]
pub async fn record_consent(cycle_id: Uuid, input: ConsentInput) -> Result<bool, AppError> {
    use crate::ssr::{app_state, auth, plan};
    let ctx = auth::require_office(shared::Role::Manager)?;
    Ok(plan::record_consent(&app_state()?, &ctx, cycle_id, &input, &auth::client_info()).await?)
}

/// `POST /api/plan/next-plan-start-days` — 「アセスメント開始期限を設定」 (7–30 days) for the
/// recipient's latest cycle. manager; an employee's call becomes an approval request.
#[server(prefix = "/api", endpoint = "plan/next-plan-start-days", input = Json, client = CsrfClient)]
pub async fn set_next_plan_start_days(
    recipient_id: Uuid,
    days: i16,
    #[server(default)] note: String,
) -> Result<SaveOutcome, AppError> {
    use crate::ssr::{app_state, auth, plan};
    let ctx = auth::require_office(shared::Role::Employee)?;
    Ok(plan::set_next_plan_start_days(
        &app_state()?,
        &ctx,
        recipient_id,
        days,
        &note,
        &auth::client_info(),
    )
    .await?)
}
