//! What a G1–G3 finding does (SPEC §6.6): with `order_guard = block` it stops the write with
//! `STEP_ORDER_VIOLATION` naming the pairs, unless the caller gave an override reason; with
//! `warn` the exception is noted without one. Either way the row stores
//! `order_exception {rules, reason, by, by_name, at}` and the override is audited.

use crate::ssr::{
    ServerError, audit,
    auth::{ClientInfo, TenantCtx},
};
use serde_json::{Value, json};
use shared::{
    AppError, ErrorCode, FieldError,
    plan::{
        OrderGuardMode,
        guard::{self, Violation},
        views::OrderException,
    },
};
use sqlx::PgConnection;
use time::OffsetDateTime;
use uuid::Uuid;

/// The exception to store for `violations` of the date in form field `field`, or the refusal.
pub fn decide(
    mode: OrderGuardMode,
    violations: &[Violation],
    override_reason: Option<&str>,
    field: &str,
    ctx: &TenantCtx,
    by_name: &str,
) -> Result<Option<Value>, ServerError> {
    if violations.is_empty() {
        return Ok(None);
    }
    if mode == OrderGuardMode::Block && override_reason.is_none() {
        let message = guard::message(violations);
        return Err(AppError {
            field_errors: vec![FieldError::new(field, message.clone())],
            ..AppError::with_message(ErrorCode::StepOrderViolation, message)
        }
        .into());
    }
    let rules: Vec<&str> = guard::rules(violations)
        .into_iter()
        .map(|r| r.as_str())
        .collect();
    Ok(Some(json!({
        "rules": rules,
        "reason": override_reason,
        "by": ctx.staff_id(),
        "by_name": by_name,
        "at": OffsetDateTime::now_utc()
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default(),
    })))
}

/// `plan.order_override` for a stored exception (rule ids and the reason, §13.1).
pub async fn audit_override(
    conn: &mut PgConnection,
    ctx: &TenantCtx,
    cycle_id: Uuid,
    exception: &Value,
    client: &ClientInfo,
) -> Result<(), ServerError> {
    audit::record(
        conn,
        audit::Entry::by(
            "plan.order_override",
            ctx.staff_id(),
            ctx.role(),
            Some(ctx.office_id()),
        )
        .target("plan_cycle", cycle_id)
        .client(client)
        .detail("rules", exception["rules"].clone())
        .detail("reason", exception["reason"].clone()),
    )
    .await?;
    Ok(())
}

/// A stored exception as the plan page shows it.
pub fn view(value: &Value) -> Option<OrderException> {
    let at = value["at"]
        .as_str()
        .and_then(|at| {
            OffsetDateTime::parse(at, &time::format_description::well_known::Rfc3339).ok()
        })
        .map(shared::dates::format_datetime_jst)
        .unwrap_or_default();
    Some(OrderException {
        rules: value["rules"]
            .as_array()?
            .iter()
            .filter_map(|r| r.as_str().map(str::to_owned))
            .collect(),
        reason: value["reason"].as_str().map(str::to_owned),
        by_name: value["by_name"].as_str().unwrap_or_default().to_owned(),
        at,
    })
}
