//! What the plan functions answer with: the plan page 「支援計画」 (§6.9) and the outcome of a
//! step completion. Dates are `YYYY-MM-DD` (what date inputs use); instants are JST text.

use super::{
    CycleStatus, OrderGuardMode, PlanStep, StepStatus,
    forms::{ConsentMethod, ConsenterRelation},
    guard::CycleDates,
    risk::RiskLevel,
};
use crate::{
    dates::read_date, document::DocumentView, recipient::RecipientStatus, service_type::ServiceType,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A recorded G1–G3 exception (§6.6): the badge 「順序例外」 and what it says.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderException {
    /// `G1`, `G2`, `G3`.
    pub rules: Vec<String>,
    /// The override reason (none when the office only warns).
    pub reason: Option<String>,
    pub by_name: String,
    pub at: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepView {
    pub step: PlanStep,
    pub status: StepStatus,
    pub date: Option<String>,
    pub interview_done: Option<bool>,
    pub handed_over: Option<bool>,
    pub performed_by: Option<Uuid>,
    pub performed_by_name: Option<String>,
    pub participants: Option<String>,
    pub counselling_delivered_date: Option<String>,
    pub order_exception: Option<OrderException>,
    pub completed_at: Option<String>,
    pub completed_by_name: Option<String>,
    /// The step's document with every version (also for a step not yet completed).
    pub document: Option<DocumentView>,
    /// The version that completed the step.
    pub completed_with: Option<Uuid>,
    /// Warnings that do not block (G8).
    pub warnings: Vec<String>,
}

/// The consent recorded on the cycle's 原案 (§6.7).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentView {
    pub draft_version_id: Uuid,
    pub draft_version: i32,
    pub consent_date: String,
    pub consenter_name: String,
    pub relation: ConsenterRelation,
    pub relation_other: Option<String>,
    pub method: ConsentMethod,
    pub electronic_prior_consent_date: Option<String>,
    /// A newer 原案 version exists: consent must be obtained again (G5).
    pub stale: bool,
    pub recorded_by_name: String,
    pub recorded_at: String,
    pub order_exception: Option<OrderException>,
}

/// The message on the step-4 card while the consent is stale (§6.7).
pub const STALE_CONSENT: &str = "原案が更新されたため、改めて同意を得てください";

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CycleView {
    pub id: Uuid,
    pub number: i32,
    pub status: CycleStatus,
    pub is_latest: bool,
    pub start_date: String,
    /// 計画作成期限.
    pub plan_due_date: Option<String>,
    /// 計画の有効期限 (once step 4 is done).
    pub valid_until: Option<String>,
    pub delivered_date: Option<String>,
    pub monitoring_date: Option<String>,
    /// モニタリング実施日 of the previous cycle (the G1 bound of this cycle's assessment).
    pub previous_monitoring_date: Option<String>,
    /// §6.8 months of 未作成減算 recorded at a late delivery.
    pub gap_months: Option<i16>,
    pub next_plan_start_days: i16,
    pub current_step: Option<PlanStep>,
    pub steps: Vec<StepView>,
    pub consent: Option<ConsentView>,
    /// Any step (or the consent) carries a 順序例外.
    pub has_exception: bool,
    /// The step 「完了を取り消す」 applies to now, if any (§6.2).
    pub reopenable: Option<PlanStep>,
}

impl CycleView {
    pub fn step(&self, step: PlanStep) -> Option<&StepView> {
        self.steps.iter().find(|s| s.step == step)
    }

    /// The cycle's dates as the guard compares them (completed steps only; migrated ones are
    /// outside the guard), with the recipient's contract date.
    pub fn guard_dates(&self, contract_date: Option<&str>) -> CycleDates {
        let date = |d: Option<&String>| d.and_then(|d| read_date(d).ok());
        let mut dates = CycleDates {
            contract: date(contract_date.map(str::to_owned).as_ref()),
            previous_monitoring: date(self.previous_monitoring_date.as_ref()),
            consent: self
                .consent
                .as_ref()
                .and_then(|c| read_date(&c.consent_date).ok()),
            ..CycleDates::default()
        };
        for s in &self.steps {
            if s.status == StepStatus::Completed {
                dates.set_step(s.step, date(s.date.as_ref()));
            }
        }
        dates
    }
}

/// The recipient as the plan page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanRecipient {
    pub id: Uuid,
    pub name: String,
    pub kana: String,
    pub status: RecipientStatus,
    pub service_type: ServiceType,
    pub contract_date: Option<String>,
    pub self_plan: bool,
}

/// The deadlines of the latest cycle (§6.4), with days left (negative: overdue).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadline {
    pub date: String,
    pub days: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadlines {
    /// 次回更新日.
    pub renewal: Option<Deadline>,
    /// アセスメント開始期限 (while the assessment is incomplete).
    pub assessment_start: Option<Deadline>,
    /// モニタリング期限 (while monitoring is the current step).
    pub monitoring_due: Option<Deadline>,
}

/// §6.8 for one recipient.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Risk {
    /// gap, high, watch or ok (the deadline side).
    pub level: RiskLevel,
    /// 書類不備 / 順序例外 somewhere in the record.
    pub docs: bool,
    /// For `gap`: 「{m}か月目：所定単位数の70%で算定の見込み」.
    pub note: Option<String>,
}

/// 「支援計画」 `/recipients/{id}/plan`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanPage {
    pub recipient: PlanRecipient,
    pub today: String,
    pub order_guard: OrderGuardMode,
    pub deadlines: Deadlines,
    pub risk: Risk,
    /// Latest first.
    pub cycles: Vec<CycleView>,
    /// Active staff of the office, for 実施者 (`(id, name)`).
    pub staff: Vec<(Uuid, String)>,
    /// The caller may complete steps and upload (manager/owner with MFA, recipient active).
    pub can_write: bool,
    /// Why the page is read only (「閲覧専用モード」 for employees, an archived recipient …).
    pub read_only_reason: Option<String>,
    /// A pending employee request to change the アセスメント開始期限 days.
    pub pending_days_request: bool,
}

impl PlanPage {
    pub fn latest(&self) -> Option<&CycleView> {
        self.cycles.iter().find(|c| c.is_latest)
    }
}

/// What completing a step did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepCompleted {
    pub cycle_id: Uuid,
    pub step: PlanStep,
    /// Set when monitoring closed the cycle and the next one opened.
    pub next_cycle_id: Option<Uuid>,
    /// A 順序例外 was recorded.
    pub exception_recorded: bool,
    /// Warnings that did not block (G8).
    pub warnings: Vec<String>,
}
