//! 「同意を記録」 (SPEC §6.7): the consent to the cycle's current 原案 version, any time after the
//! 担当者会議 and before step 4 completes. A newer 原案 version makes it stale (G5).

use super::{exceptions, staff_name, state::CycleState};
use crate::ssr::{
    ServerError, audit,
    auth::{ClientInfo, TenantCtx},
};
use shared::{
    AppError, ErrorCode,
    plan::{
        PlanStep,
        forms::Consent,
        guard::{self, DateField},
    },
};
use sqlx::PgConnection;
use time::OffsetDateTime;

fn conflict(message: &str) -> ServerError {
    AppError::with_message(ErrorCode::Conflict, message).into()
}

/// Records (or records again) the consent; `true` when a 順序例外 was stored.
pub async fn record(
    conn: &mut PgConnection,
    ctx: &TenantCtx,
    state: &CycleState,
    consent: &Consent,
    client: &ClientInfo,
) -> Result<bool, ServerError> {
    state.require_open()?;
    if !state.step(PlanStep::StaffMeeting).status.is_done() {
        return Err(conflict("同意は担当者会議の完了後に記録できます"));
    }
    if state.step(PlanStep::FinalPlanSigned).status.is_done() {
        return Err(conflict(
            "この回の計画は交付済みです。同意を記録し直すには、先に交付の完了を取り消してください",
        ));
    }
    let draft = state.current_draft_version.ok_or_else(|| {
        conflict("同意の対象となる原案がありません。先に「個別支援計画書 原案」の書類をアップロードしてください")
    })?;
    let mut dates = state.guard_dates();
    dates.consent = Some(consent.consent_date);
    let today = shared::dates::jst_date(OffsetDateTime::now_utc());
    let violations = guard::check_field(&dates, today, DateField::Consent);
    let by_name = staff_name(conn, ctx.office_id(), ctx.staff_id())
        .await?
        .unwrap_or_default();
    let exception = exceptions::decide(
        state.order_guard,
        &violations,
        consent.override_reason.as_deref(),
        "consent_date",
        ctx,
        &by_name,
    )?;
    sqlx::query!(
        "insert into plan_consents (cycle_id, office_id, draft_version_id, consent_date,
             consenter_name, consenter_relation, consenter_relation_other, method,
             electronic_prior_consent_date, order_exception, recorded_by, recorded_by_name)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
         on conflict (cycle_id) do update set draft_version_id = excluded.draft_version_id,
             consent_date = excluded.consent_date, consenter_name = excluded.consenter_name,
             consenter_relation = excluded.consenter_relation,
             consenter_relation_other = excluded.consenter_relation_other,
             method = excluded.method,
             electronic_prior_consent_date = excluded.electronic_prior_consent_date,
             order_exception = excluded.order_exception, recorded_by = excluded.recorded_by,
             recorded_by_name = excluded.recorded_by_name, recorded_at = now()",
        state.id,
        ctx.office_id(),
        draft,
        consent.consent_date,
        consent.consenter_name.as_str(),
        consent.relation.as_str(),
        consent.relation_other,
        consent.method.as_str(),
        consent.electronic_prior_consent_date,
        exception,
        ctx.staff_id(),
        by_name,
    )
    .execute(&mut *conn)
    .await?;
    if let Some(exception) = &exception {
        exceptions::audit_override(conn, ctx, state.id, exception, client).await?;
    }
    let sha256 = sqlx::query_scalar!(
        "select encode(sha256, 'hex') as \"sha!\" from document_versions
         where id = $1 and office_id = $2",
        draft,
        ctx.office_id()
    )
    .fetch_one(&mut *conn)
    .await?;
    audit::record(
        &mut *conn,
        audit::Entry::by(
            "plan.consent_recorded",
            ctx.staff_id(),
            ctx.role(),
            Some(ctx.office_id()),
        )
        .target("plan_cycle", state.id)
        .client(client)
        .detail("method", consent.method.as_str())
        .detail("document_sha256", sha256),
    )
    .await?;
    Ok(exception.is_some())
}
