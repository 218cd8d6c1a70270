//! One cycle as a write sees it: locked (`FOR UPDATE`) for the rest of the transaction, so two
//! managers completing the same step queue here and the second one finds it done.

use crate::ssr::ServerError;
use serde_json::Value;
use shared::{
    AppError, ErrorCode,
    plan::{CycleStatus, OrderGuardMode, PlanStep, StepStatus, guard::CycleDates},
    recipient::RecipientStatus,
};
use sqlx::PgConnection;
use time::Date;
use uuid::Uuid;

pub struct StepRow {
    pub step: PlanStep,
    pub status: StepStatus,
    pub date: Option<Date>,
    pub document_version_id: Option<Uuid>,
    pub order_exception: Option<Value>,
}

pub struct ConsentRow {
    pub draft_version_id: Uuid,
    pub consent_date: Date,
}

pub struct CycleState {
    pub id: Uuid,
    pub office_id: Uuid,
    pub recipient_id: Uuid,
    pub number: i32,
    pub status: CycleStatus,
    pub is_latest: bool,
    pub next_plan_start_days: i16,
    pub recipient_status: RecipientStatus,
    pub contract_date: Option<Date>,
    pub self_plan: bool,
    /// モニタリング実施日 of cycle k − 1.
    pub previous_monitoring: Option<Date>,
    pub order_guard: OrderGuardMode,
    /// In step order.
    pub steps: Vec<StepRow>,
    pub consent: Option<ConsentRow>,
    /// The newest live version of the cycle's 原案.
    pub current_draft_version: Option<Uuid>,
}

pub fn cycle_not_found() -> ServerError {
    AppError::with_message(ErrorCode::NotFound, "支援計画が見つかりません").into()
}

fn conflict(message: impl Into<String>) -> ServerError {
    AppError::with_message(ErrorCode::Conflict, message).into()
}

/// Locks cycle `cycle_id` of the office (and of `recipient_id`, when the caller names one) and
/// reads what the rules of §6 need.
pub async fn lock(
    conn: &mut PgConnection,
    office_id: Uuid,
    cycle_id: Uuid,
    recipient_id: Option<Uuid>,
) -> Result<CycleState, ServerError> {
    let row = sqlx::query!(
        r#"select c.id, c.recipient_id, c.cycle_number, c.status::text as "status!", c.is_latest,
                  c.next_plan_start_days, r.status as recipient_status, r.contract_date,
                  r.self_plan, o.order_guard,
                  (select s.step_date from plan_cycles p
                   join plan_steps s on s.cycle_id = p.id and s.step = 'monitoring'
                   where p.recipient_id = c.recipient_id and p.cycle_number = c.cycle_number - 1
                     and s.status = 'completed') as previous_monitoring,
                  (select v.id from plan_documents d
                   join document_versions v on v.document_id = d.id and v.deleted_at is null
                   where d.cycle_id = c.id and d.doc_type = 'draft_plan_pdf'
                   order by v.version desc limit 1) as current_draft_version
           from plan_cycles c
           join recipients r on r.id = c.recipient_id and r.office_id = c.office_id
           join offices o on o.id = c.office_id
           where c.id = $1 and c.office_id = $2 and ($3::uuid is null or c.recipient_id = $3)
           for update of c"#,
        cycle_id,
        office_id,
        recipient_id,
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(cycle_not_found)?;
    let steps = sqlx::query!(
        r#"select step::text as "step!", status::text as "status!", step_date,
                  document_version_id, order_exception
           from plan_steps where cycle_id = $1 and office_id = $2 order by step"#,
        cycle_id,
        office_id,
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|s| {
        Ok(StepRow {
            step: PlanStep::parse(&s.step).ok_or(ServerError::Internal("unknown plan step"))?,
            status: StepStatus::parse(&s.status)
                .ok_or(ServerError::Internal("unknown step status"))?,
            date: s.step_date,
            document_version_id: s.document_version_id,
            order_exception: s.order_exception,
        })
    })
    .collect::<Result<Vec<_>, ServerError>>()?;
    if steps.len() != PlanStep::ALL.len() {
        return Err(ServerError::Internal("a cycle without its five steps"));
    }
    let consent = sqlx::query!(
        "select draft_version_id, consent_date from plan_consents
         where cycle_id = $1 and office_id = $2",
        cycle_id,
        office_id,
    )
    .fetch_optional(&mut *conn)
    .await?
    .map(|c| ConsentRow {
        draft_version_id: c.draft_version_id,
        consent_date: c.consent_date,
    });
    Ok(CycleState {
        id: row.id,
        office_id,
        recipient_id: row.recipient_id,
        number: row.cycle_number,
        status: CycleStatus::parse(&row.status)
            .ok_or(ServerError::Internal("unknown cycle status"))?,
        is_latest: row.is_latest,
        next_plan_start_days: row.next_plan_start_days,
        recipient_status: RecipientStatus::parse(&row.recipient_status)
            .ok_or(ServerError::Internal("unknown recipient status"))?,
        contract_date: row.contract_date,
        self_plan: row.self_plan,
        previous_monitoring: row.previous_monitoring,
        order_guard: OrderGuardMode::parse(&row.order_guard)
            .ok_or(ServerError::Internal("unknown order guard mode"))?,
        steps,
        consent,
        current_draft_version: row.current_draft_version,
    })
}

/// The latest cycle of a recipient of the office, locked.
pub async fn lock_latest(
    conn: &mut PgConnection,
    office_id: Uuid,
    recipient_id: Uuid,
) -> Result<CycleState, ServerError> {
    let id = sqlx::query_scalar!(
        "select id from plan_cycles where recipient_id = $1 and office_id = $2 and is_latest",
        recipient_id,
        office_id,
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(cycle_not_found)?;
    lock(conn, office_id, id, Some(recipient_id)).await
}

impl CycleState {
    pub fn step(&self, step: PlanStep) -> &StepRow {
        &self.steps[step.number() - 1]
    }

    /// The first step not done yet (none once monitoring is completed).
    pub fn current_step(&self) -> Option<PlanStep> {
        self.steps
            .iter()
            .find(|s| s.status == StepStatus::Incomplete)
            .map(|s| s.step)
    }

    /// The dates the guard compares: completed steps (migrated ones are outside it), the
    /// consent, the contract and the previous monitoring.
    pub fn guard_dates(&self) -> CycleDates {
        let mut dates = CycleDates {
            contract: self.contract_date,
            previous_monitoring: self.previous_monitoring,
            consent: self.consent.as_ref().map(|c| c.consent_date),
            ..CycleDates::default()
        };
        for s in &self.steps {
            if s.status == StepStatus::Completed {
                dates.set_step(s.step, s.date);
            }
        }
        dates
    }

    /// Plan records change only for an active recipient (archived ones are read only, §7.4).
    pub fn require_active_recipient(&self) -> Result<(), ServerError> {
        match self.recipient_status {
            RecipientStatus::Active => Ok(()),
            _ => Err(conflict(
                "利用中でない利用者の支援計画は変更できません。先に利用者を元に戻してください",
            )),
        }
    }

    /// Steps change only in the open latest cycle.
    pub fn require_open(&self) -> Result<(), ServerError> {
        self.require_active_recipient()?;
        if self.status != CycleStatus::Open || !self.is_latest {
            return Err(conflict(
                "この回の計画は完了しています。変更できるのは「修正版を追加」だけです",
            ));
        }
        Ok(())
    }

    /// The consent step 4 needs: recorded, on the current 原案 (G5, never overridable).
    pub fn require_fresh_consent(&self) -> Result<&ConsentRow, ServerError> {
        let consent = self.consent.as_ref().ok_or_else(|| {
            conflict("同意が記録されていません。先に「同意を記録」から同意を記録してください")
        })?;
        if Some(consent.draft_version_id) != self.current_draft_version {
            return Err(conflict(shared::plan::views::STALE_CONSENT));
        }
        Ok(consent)
    }
}
