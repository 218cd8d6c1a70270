//! The office settings that feed the deadline formulas and the order guard (SPEC §3.2–3.3):
//! 見直し間隔 per service type, アセスメント開始期限の初期値, 初回計画の作成期限, モニタリング期限,
//! 手順の順序チェック. Owners edit them on 「事業所の設定」; a preview counts the recipients whose
//! deadlines would move before anything is saved (§6.4).

use super::{OrderGuardMode, forms::NEXT_PLAN_START_DAYS};
use crate::{FieldError, fields::FieldCheck, service_type::ServiceType, text::halfwidth_numeric};
use serde::{Deserialize, Serialize};

/// One service type of the office: the §3.2 interval and the office's override.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewInterval {
    pub service_type: ServiceType,
    /// The table value (months).
    pub default_months: i16,
    /// The office's 見直し間隔 (1–6), if set.
    pub override_months: Option<i16>,
}

/// The settings as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanSettings {
    pub review_intervals: Vec<ReviewInterval>,
    pub next_plan_start_days_default: i16,
    pub first_plan_due_months: i16,
    pub monitoring_lead_days: i16,
    pub order_guard: OrderGuardMode,
}

impl PlanSettings {
    /// The form prefilled with these settings.
    pub fn to_input(&self) -> PlanSettingsInput {
        PlanSettingsInput {
            review_intervals: self
                .review_intervals
                .iter()
                .map(|r| {
                    (
                        r.service_type.code().to_owned(),
                        r.override_months.map(|m| m.to_string()).unwrap_or_default(),
                    )
                })
                .collect(),
            next_plan_start_days_default: self.next_plan_start_days_default.to_string(),
            first_plan_due_months: self.first_plan_due_months.to_string(),
            monitoring_lead_days: self.monitoring_lead_days.to_string(),
            order_guard: self.order_guard.as_str().to_owned(),
        }
    }
}

/// The settings form, as typed: every value text (full-width digits are fine).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PlanSettingsInput {
    /// `(service type code, months)`; empty months: the table value.
    pub review_intervals: Vec<(String, String)>,
    pub next_plan_start_days_default: String,
    pub first_plan_due_months: String,
    pub monitoring_lead_days: String,
    pub order_guard: String,
}

/// A form that parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanSettingsChange {
    pub overrides: Vec<(ServiceType, Option<i16>)>,
    pub next_plan_start_days_default: i16,
    pub first_plan_due_months: i16,
    pub monitoring_lead_days: i16,
    pub order_guard: OrderGuardMode,
}

fn number(
    c: &mut FieldCheck,
    field: &str,
    raw: &str,
    range: std::ops::RangeInclusive<i16>,
    message: &'static str,
) -> Option<i16> {
    match halfwidth_numeric(raw).parse::<i16>() {
        Ok(n) if range.contains(&n) => Some(n),
        _ => {
            c.fail(field, message);
            None
        }
    }
}

/// The form field of one service type's interval.
pub fn interval_field(service_type: ServiceType) -> String {
    format!("review_interval_{}", service_type.code())
}

impl PlanSettingsInput {
    /// Checks every value; `office_types` are the service types the office offers (others are
    /// refused).
    pub fn parse(
        &self,
        office_types: &[ServiceType],
    ) -> Result<PlanSettingsChange, Vec<FieldError>> {
        let mut c = FieldCheck::default();
        let mut overrides = Vec::new();
        for (code, months) in &self.review_intervals {
            let Some(service_type) =
                ServiceType::from_code(code).filter(|t| office_types.contains(t))
            else {
                c.fail("review_intervals", "サービス種別が正しくありません");
                continue;
            };
            let field = interval_field(service_type);
            if halfwidth_numeric(months).is_empty() {
                overrides.push((service_type, None));
            } else if let Some(n) = number(
                &mut c,
                &field,
                months,
                1..=6,
                "見直し間隔は1〜6か月で入力してください",
            ) {
                overrides.push((service_type, Some(n)));
            }
        }
        let days = number(
            &mut c,
            "next_plan_start_days_default",
            &self.next_plan_start_days_default,
            NEXT_PLAN_START_DAYS,
            "7〜30日で入力してください",
        );
        let first = number(
            &mut c,
            "first_plan_due_months",
            &self.first_plan_due_months,
            1..=2,
            "1〜2か月で入力してください",
        );
        let lead = number(
            &mut c,
            "monitoring_lead_days",
            &self.monitoring_lead_days,
            0..=90,
            "0〜90日で入力してください",
        );
        let guard = OrderGuardMode::parse(&self.order_guard);
        if guard.is_none() {
            c.fail("order_guard", "選択してください");
        }
        match (c.is_ok(), days, first, lead, guard) {
            (true, Some(days), Some(first), Some(lead), Some(guard)) => Ok(PlanSettingsChange {
                overrides,
                next_plan_start_days_default: days,
                first_plan_due_months: first,
                monitoring_lead_days: lead,
                order_guard: guard,
            }),
            _ => Err(c.into_errors()),
        }
    }
}

/// What saving would change (§6.4: previewed before saving).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanSettingsPreview {
    /// Active recipients whose 次回更新日 or モニタリング期限 would move.
    pub recipients_changed: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> PlanSettingsInput {
        PlanSettingsInput {
            review_intervals: vec![
                ("type_B_office".into(), "３".into()),
                ("life_care".into(), "".into()),
            ],
            next_plan_start_days_default: "14".into(),
            first_plan_due_months: "2".into(),
            monitoring_lead_days: "0".into(),
            order_guard: "warn".into(),
        }
    }

    #[test]
    fn settings_parse_within_their_ranges() {
        let types = [ServiceType::TypeBOffice, ServiceType::LifeCare];
        let change = input().parse(&types).unwrap();
        assert_eq!(
            change.overrides,
            [
                (ServiceType::TypeBOffice, Some(3)),
                (ServiceType::LifeCare, None)
            ]
        );
        assert_eq!(change.order_guard, OrderGuardMode::Warn);
        let mut bad = input();
        bad.review_intervals[0].1 = "7".into();
        bad.next_plan_start_days_default = "6".into();
        bad.first_plan_due_months = "3".into();
        bad.monitoring_lead_days = "91".into();
        bad.order_guard = "off".into();
        let fields: Vec<String> = bad
            .parse(&types)
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(
            fields,
            [
                "review_interval_type_B_office",
                "next_plan_start_days_default",
                "first_plan_due_months",
                "monitoring_lead_days",
                "order_guard"
            ]
        );
        // A type the office does not offer.
        assert!(input().parse(&[ServiceType::LifeCare]).is_err());
    }
}
