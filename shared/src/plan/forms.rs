//! The forms of the plan page (SPEC §6): completing a step (§6.1), the consent on the draft
//! (§6.7), reopening a step and correcting its dates (§6.1–6.2), the アセスメント開始期限 days
//! (§6.4) and the reason of a G1–G3 override (§6.6). The browser parses them while the user
//! types; the server parses them again as the authority.

use super::PlanStep;
use crate::{
    FieldError, choice,
    fields::{FieldCheck, PersonName, choose, date_field, optional_date, other_text, text},
    text::{char_len, normalize_multiline},
};
use serde::{Deserialize, Serialize};
use time::Date;
use uuid::Uuid;

/// An override reason has 10–500 characters (§6.6).
pub const OVERRIDE_MIN_CHARS: usize = 10;
pub const OVERRIDE_MAX_CHARS: usize = 500;
/// アセスメント開始期限: 7–30 days after the cycle start (§6.4).
pub const NEXT_PLAN_START_DAYS: std::ops::RangeInclusive<i16> = 7..=30;

/// The reason of a G1–G3 override: `None` when empty (no override asked for).
pub fn parse_override(raw: &str) -> Result<Option<String>, FieldError> {
    let reason = normalize_multiline(raw);
    if reason.is_empty() {
        return Ok(None);
    }
    let n = char_len(&reason);
    if !(OVERRIDE_MIN_CHARS..=OVERRIDE_MAX_CHARS).contains(&n) {
        return Err(FieldError::new(
            "override_reason",
            "例外とする理由は10文字以上500文字以内で入力してください",
        ));
    }
    Ok(Some(reason))
}

/// A required reason of 1–`max` characters (reopening, correcting dates).
fn required_reason(check: &mut FieldCheck, raw: &str, max: usize) -> Option<String> {
    match text(check, "reason", raw, max, true)? {
        Some(reason) => Some(reason),
        None => {
            check.fail("reason", "理由を入力してください");
            None
        }
    }
}

/// What 「完了にする」 sends, as typed. Fields a step does not record are ignored.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StepCompletionInput {
    /// The step's own date (面接実施日, 原案作成日, 開催日, 交付日, モニタリング実施日).
    pub date: String,
    /// 「本人との面接を実施した」 (assessment, monitoring).
    pub interview_done: bool,
    /// 実施者: a staff id (assessment, staff meeting, monitoring).
    pub performed_by: String,
    /// 参加者 (staff meeting), ≤500.
    pub participants: String,
    /// 「本人（家族）に交付した」 (final plan).
    pub handed_over: bool,
    /// 相談支援事業所への交付日 (final plan; a warning only when empty).
    pub counselling_delivered_date: String,
    /// Why the G1–G3 findings are accepted (10–500); empty: none.
    pub override_reason: String,
}

/// A completion that parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepCompletion {
    pub step: PlanStep,
    pub date: Date,
    pub interview_done: Option<bool>,
    pub performed_by: Option<Uuid>,
    pub participants: Option<String>,
    pub handed_over: Option<bool>,
    pub counselling_delivered_date: Option<Date>,
    pub override_reason: Option<String>,
}

/// G4: the interview check, never overridable.
pub fn interview_message(step: PlanStep) -> &'static str {
    match step {
        PlanStep::Monitoring => "モニタリングには本人との面接の記録が必要です",
        _ => "アセスメントには本人との面接の記録が必要です",
    }
}

impl StepCompletionInput {
    pub fn parse(&self, step: PlanStep) -> Result<StepCompletion, Vec<FieldError>> {
        let mut c = FieldCheck::default();
        let date = date_field(&mut c, "date", &self.date);
        let interview_done = step.needs_interview().then_some(self.interview_done);
        if interview_done == Some(false) {
            c.fail("interview_done", interview_message(step));
        }
        let performed_by = if step.records_performer() {
            match Uuid::parse_str(self.performed_by.trim()) {
                Ok(id) => Some(id),
                Err(_) => {
                    c.fail("performed_by", "実施者を選択してください");
                    None
                }
            }
        } else {
            None
        };
        let participants = if step == PlanStep::StaffMeeting {
            text(&mut c, "participants", &self.participants, 500, true).flatten()
        } else {
            None
        };
        let (handed_over, counselling_delivered_date) = if step == PlanStep::FinalPlanSigned {
            if !self.handed_over {
                c.fail(
                    "handed_over",
                    "計画書を本人（家族）に交付したことを確認してください",
                );
            }
            (
                Some(self.handed_over),
                optional_date(
                    &mut c,
                    "counselling_delivered_date",
                    &self.counselling_delivered_date,
                )
                .flatten(),
            )
        } else {
            (None, None)
        };
        let override_reason = match parse_override(&self.override_reason) {
            Ok(reason) => reason,
            Err(e) => {
                c.fail(&e.field, e.message_ja);
                None
            }
        };
        match (c.is_ok(), date) {
            (true, Some(date)) => Ok(StepCompletion {
                step,
                date,
                interview_done,
                performed_by,
                participants,
                handed_over,
                counselling_delivered_date,
                override_reason,
            }),
            _ => Err(c.into_errors()),
        }
    }
}

choice! {
    /// 同意者の続柄 (§6.7).
    pub enum ConsenterRelation {
        Myself => "self", "本人";
        Family => "family", "家族";
        Guardian => "guardian", "成年後見人等";
        Other => "other", "その他";
    }
}

choice! {
    /// 同意方法 (§6.7).
    pub enum ConsentMethod {
        Paper => "paper", "書面（署名・押印）";
        Electronic => "electronic", "電磁的方法";
    }
}

/// 「同意を記録」, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ConsentInput {
    pub consent_date: String,
    pub consenter_name: String,
    pub consenter_relation: String,
    /// The relation when 「その他」 (≤50).
    pub consenter_relation_other: String,
    pub method: String,
    /// 電磁的方法についての事前同意日 (required with `electronic`, on or before the consent).
    pub electronic_prior_consent_date: String,
    pub override_reason: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Consent {
    pub consent_date: Date,
    pub consenter_name: PersonName,
    pub relation: ConsenterRelation,
    pub relation_other: Option<String>,
    pub method: ConsentMethod,
    pub electronic_prior_consent_date: Option<Date>,
    pub override_reason: Option<String>,
}

impl ConsentInput {
    pub fn parse(&self) -> Result<Consent, Vec<FieldError>> {
        let mut c = FieldCheck::default();
        let consent_date = date_field(&mut c, "consent_date", &self.consent_date);
        let consenter_name = c.check("consenter_name", PersonName::parse(&self.consenter_name));
        let relation = choose(
            &mut c,
            "consenter_relation",
            &self.consenter_relation,
            ConsenterRelation::parse,
        );
        let relation_other = other_text(
            &mut c,
            "consenter_relation_other",
            &self.consenter_relation_other,
            relation.map(|r| r == ConsenterRelation::Other),
            50,
        );
        let method = choose(&mut c, "method", &self.method, ConsentMethod::parse);
        let prior = optional_date(
            &mut c,
            "electronic_prior_consent_date",
            &self.electronic_prior_consent_date,
        );
        let electronic_prior_consent_date = match (method, prior) {
            (Some(ConsentMethod::Electronic), Some(None)) => {
                c.fail(
                    "electronic_prior_consent_date",
                    "電磁的方法で同意を得る場合は、事前同意日を入力してください",
                );
                None
            }
            (Some(ConsentMethod::Electronic), Some(Some(prior))) => {
                if consent_date.is_some_and(|d| prior > d) {
                    c.fail(
                        "electronic_prior_consent_date",
                        "事前同意日は同意日以前の日付を入力してください",
                    );
                }
                Some(prior)
            }
            (Some(ConsentMethod::Paper), Some(Some(_))) => {
                c.fail(
                    "electronic_prior_consent_date",
                    "事前同意日は電磁的方法を選んだときだけ入力できます",
                );
                None
            }
            _ => None,
        };
        let override_reason = match parse_override(&self.override_reason) {
            Ok(reason) => reason,
            Err(e) => {
                c.fail(&e.field, e.message_ja);
                None
            }
        };
        match (
            c.is_ok(),
            consent_date,
            consenter_name,
            relation,
            relation_other,
            method,
        ) {
            (
                true,
                Some(consent_date),
                Some(consenter_name),
                Some(relation),
                Some(relation_other),
                Some(method),
            ) => Ok(Consent {
                consent_date,
                consenter_name,
                relation,
                relation_other,
                method,
                electronic_prior_consent_date,
                override_reason,
            }),
            _ => Err(c.into_errors()),
        }
    }
}

/// 「完了を取り消す」: the reason (1–500).
pub fn parse_reopen_reason(raw: &str) -> Result<String, Vec<FieldError>> {
    let mut c = FieldCheck::default();
    match required_reason(&mut c, raw, 500) {
        Some(reason) if c.is_ok() => Ok(reason),
        _ => Err(c.into_errors()),
    }
}

/// 「日付を修正」 of a completed step, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StepDatesInput {
    pub date: String,
    /// Final plan only.
    pub counselling_delivered_date: String,
    /// Why the dates change (1–500, required).
    pub reason: String,
    pub override_reason: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepDates {
    pub date: Date,
    pub counselling_delivered_date: Option<Date>,
    pub reason: String,
    pub override_reason: Option<String>,
}

impl StepDatesInput {
    pub fn parse(&self, step: PlanStep) -> Result<StepDates, Vec<FieldError>> {
        let mut c = FieldCheck::default();
        let date = date_field(&mut c, "date", &self.date);
        let counselling_delivered_date = if step == PlanStep::FinalPlanSigned {
            optional_date(
                &mut c,
                "counselling_delivered_date",
                &self.counselling_delivered_date,
            )
            .flatten()
        } else {
            None
        };
        let reason = required_reason(&mut c, &self.reason, 500);
        let override_reason = match parse_override(&self.override_reason) {
            Ok(reason) => reason,
            Err(e) => {
                c.fail(&e.field, e.message_ja);
                None
            }
        };
        match (c.is_ok(), date, reason) {
            (true, Some(date), Some(reason)) => Ok(StepDates {
                date,
                counselling_delivered_date,
                reason,
                override_reason,
            }),
            _ => Err(c.into_errors()),
        }
    }
}

/// 「アセスメント開始期限を設定」: 7–30 days (§6.4).
pub fn parse_next_plan_start_days(days: i16) -> Result<i16, Vec<FieldError>> {
    if NEXT_PLAN_START_DAYS.contains(&days) {
        Ok(days)
    } else {
        Err(vec![FieldError::new(
            "days",
            "アセスメント開始期限は7日から30日の間で指定してください",
        )])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(errors: Vec<FieldError>) -> Vec<String> {
        errors.into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn each_step_asks_for_its_own_fields() {
        let staff = Uuid::from_u128(7).to_string();
        let mut input = StepCompletionInput {
            date: "2026-05-01".into(),
            ..Default::default()
        };
        assert_eq!(
            fields(input.parse(PlanStep::Assessment).unwrap_err()),
            ["interview_done", "performed_by"]
        );
        let e = input.parse(PlanStep::Monitoring).unwrap_err();
        assert_eq!(
            e[0].message_ja,
            "モニタリングには本人との面接の記録が必要です"
        );
        // The draft needs its date only; what other steps record is ignored.
        input.participants = "x".repeat(600);
        let draft = input.parse(PlanStep::DraftPlan).unwrap();
        assert_eq!((draft.participants, draft.performed_by), (None, None));
        assert_eq!(
            fields(input.parse(PlanStep::StaffMeeting).unwrap_err()),
            ["performed_by", "participants"]
        );
        input.participants = "山田、佐藤".into();
        input.performed_by = staff.clone();
        let meeting = input.parse(PlanStep::StaffMeeting).unwrap();
        assert_eq!(meeting.participants.as_deref(), Some("山田、佐藤"));
        assert_eq!(
            fields(input.parse(PlanStep::FinalPlanSigned).unwrap_err()),
            ["handed_over"]
        );
        input.handed_over = true;
        input.counselling_delivered_date = "2026/5/2".into();
        let final_plan = input.parse(PlanStep::FinalPlanSigned).unwrap();
        assert_eq!(
            final_plan.counselling_delivered_date,
            Some(time::macros::date!(2026 - 05 - 02))
        );
        input.date = String::new();
        assert_eq!(
            fields(input.parse(PlanStep::DraftPlan).unwrap_err()),
            ["date"]
        );
    }

    #[test]
    fn an_override_reason_has_ten_to_five_hundred_characters() {
        assert_eq!(parse_override("  ").unwrap(), None);
        assert!(parse_override("短い理由").is_err());
        assert_eq!(
            parse_override("会議の記録を後日入力したため")
                .unwrap()
                .as_deref(),
            Some("会議の記録を後日入力したため")
        );
        assert!(parse_override(&"あ".repeat(501)).is_err());
    }

    #[test]
    fn consent_rules() {
        let mut input = ConsentInput {
            consent_date: "2026-05-10".into(),
            consenter_name: "山田 太郎".into(),
            consenter_relation: "self".into(),
            method: "paper".into(),
            ..Default::default()
        };
        assert!(input.parse().is_ok());
        input.consenter_relation = "other".into();
        assert_eq!(
            fields(input.parse().unwrap_err()),
            ["consenter_relation_other"]
        );
        input.consenter_relation_other = "叔父".into();
        input.method = "electronic".into();
        assert_eq!(
            fields(input.parse().unwrap_err()),
            ["electronic_prior_consent_date"]
        );
        input.electronic_prior_consent_date = "2026-05-11".into();
        assert_eq!(
            input.parse().unwrap_err()[0].message_ja,
            "事前同意日は同意日以前の日付を入力してください"
        );
        input.electronic_prior_consent_date = "2026-05-01".into();
        let consent = input.parse().unwrap();
        assert_eq!(consent.relation_other.as_deref(), Some("叔父"));
        input.consenter_name = "123".into();
        assert_eq!(fields(input.parse().unwrap_err()), ["consenter_name"]);
    }

    #[test]
    fn reasons_and_days() {
        assert!(parse_reopen_reason(" ").is_err());
        assert_eq!(
            parse_reopen_reason("日付の入力誤り").unwrap(),
            "日付の入力誤り"
        );
        assert!(parse_reopen_reason(&"あ".repeat(501)).is_err());
        assert!(parse_next_plan_start_days(6).is_err());
        assert_eq!(parse_next_plan_start_days(7).unwrap(), 7);
        assert_eq!(parse_next_plan_start_days(30).unwrap(), 30);
        assert!(parse_next_plan_start_days(31).is_err());
        let dates = StepDatesInput {
            date: "2026-05-01".into(),
            ..Default::default()
        };
        assert_eq!(
            fields(dates.parse(PlanStep::DraftPlan).unwrap_err()),
            ["reason"]
        );
    }
}
