//! The step-order and date guard (SPEC §6.6), G1–G3: the dates of one cycle must follow the
//! legal order 契約 ≤ アセスメント ≤ 原案 ≤ 担当者会議 ≤ 同意 ≤ 交付 ≤ モニタリング, none may lie in the
//! future or before the contract. The browser runs it to warn while a date is typed; the server
//! runs it again when a step completes and decides (block, or store an exception).

use super::PlanStep;
use serde::{Deserialize, Serialize};
use time::Date;

/// The overridable rules (G4–G6 are never overridable and live with the step rules).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum GuardRule {
    /// 契約 ≤ アセスメント; for cycle k ≥ 2 also モニタリング(k − 1) ≤ アセスメント(k).
    G1,
    /// アセスメント ≤ 原案 ≤ 担当者会議 ≤ 同意 ≤ 交付 ≤ モニタリング.
    G2,
    /// No date after today; none before the contract date.
    G3,
}

impl GuardRule {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::G1 => "G1",
            Self::G2 => "G2",
            Self::G3 => "G3",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        [Self::G1, Self::G2, Self::G3]
            .into_iter()
            .find(|r| r.as_str() == value)
    }
}

/// One date the guard compares.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DateField {
    Contract,
    PreviousMonitoring,
    Assessment,
    Draft,
    Meeting,
    Consent,
    Delivered,
    Monitoring,
}

impl DateField {
    pub const fn label(self) -> &'static str {
        match self {
            Self::Contract => "利用契約日",
            Self::PreviousMonitoring => "前回のモニタリング実施日",
            Self::Assessment => "面接実施日",
            Self::Draft => "原案作成日",
            Self::Meeting => "担当者会議の開催日",
            Self::Consent => "同意日",
            Self::Delivered => "交付日",
            Self::Monitoring => "モニタリング実施日",
        }
    }

    /// The date a step records.
    pub const fn of_step(step: PlanStep) -> Self {
        match step {
            PlanStep::Assessment => Self::Assessment,
            PlanStep::DraftPlan => Self::Draft,
            PlanStep::StaffMeeting => Self::Meeting,
            PlanStep::FinalPlanSigned => Self::Delivered,
            PlanStep::Monitoring => Self::Monitoring,
        }
    }
}

/// The dates of one cycle as they would stand (completed steps and the one being completed).
/// Migrated steps carry no dates here: they are outside the guard.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CycleDates {
    pub contract: Option<Date>,
    /// モニタリング実施日 of the previous cycle (cycle k ≥ 2).
    pub previous_monitoring: Option<Date>,
    pub assessment: Option<Date>,
    pub draft: Option<Date>,
    pub meeting: Option<Date>,
    pub consent: Option<Date>,
    pub delivered: Option<Date>,
    pub monitoring: Option<Date>,
}

impl CycleDates {
    /// Sets the date a step records.
    pub fn set_step(&mut self, step: PlanStep, date: Option<Date>) {
        match step {
            PlanStep::Assessment => self.assessment = date,
            PlanStep::DraftPlan => self.draft = date,
            PlanStep::StaffMeeting => self.meeting = date,
            PlanStep::FinalPlanSigned => self.delivered = date,
            PlanStep::Monitoring => self.monitoring = date,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Violation {
    pub rule: GuardRule,
    /// Names the pair, e.g. 「原案作成日（5月10日）は担当者会議の開催日（5月8日）以前である必要があります」.
    pub message: String,
    /// The date that is out of place and, for pair rules, the one it was compared with.
    pub field: DateField,
    pub other: Option<DateField>,
}

impl Violation {
    pub fn involves(&self, field: DateField) -> bool {
        self.field == field || self.other == Some(field)
    }
}

fn md(date: Date) -> String {
    format!("{}月{}日", u8::from(date.month()), date.day())
}

/// `a` then `b` as a pair message; years are shown only when they differ.
fn pair(a_label: &str, a: Date, b_label: &str, b: Date, relation: &str) -> String {
    let (a_text, b_text) = if a.year() == b.year() {
        (md(a), md(b))
    } else {
        (
            format!("{}年{}", a.year(), md(a)),
            format!("{}年{}", b.year(), md(b)),
        )
    };
    format!("{a_label}（{a_text}）は{b_label}（{b_text}）{relation}である必要があります")
}

/// Every violation of G1–G3, in rule order; empty when the dates are in order.
pub fn check(dates: &CycleDates, today: Date) -> Vec<Violation> {
    let mut found = Vec::new();
    let steps = [
        (DateField::Assessment, dates.assessment),
        (DateField::Draft, dates.draft),
        (DateField::Meeting, dates.meeting),
        (DateField::Consent, dates.consent),
        (DateField::Delivered, dates.delivered),
        (DateField::Monitoring, dates.monitoring),
    ];

    // G1: the assessment follows the contract and the previous cycle's monitoring.
    if let Some(assessment) = dates.assessment {
        for (field, before) in [
            (DateField::Contract, dates.contract),
            (DateField::PreviousMonitoring, dates.previous_monitoring),
        ] {
            if let Some(before) = before
                && assessment < before
            {
                found.push(Violation {
                    rule: GuardRule::G1,
                    message: pair(
                        DateField::Assessment.label(),
                        assessment,
                        field.label(),
                        before,
                        "以降",
                    ),
                    field: DateField::Assessment,
                    other: Some(field),
                });
            }
        }
    }

    // G2: each present date is on or before the next present one.
    let present: Vec<(DateField, Date)> = steps
        .iter()
        .filter_map(|(field, date)| date.map(|d| (*field, d)))
        .collect();
    for window in present.windows(2) {
        let ((a_field, a), (b_field, b)) = (window[0], window[1]);
        if a > b {
            found.push(Violation {
                rule: GuardRule::G2,
                message: pair(a_field.label(), a, b_field.label(), b, "以前"),
                field: a_field,
                other: Some(b_field),
            });
        }
    }

    // G3: nothing in the future, nothing before the contract (the assessment's is G1's).
    for (field, date) in &present {
        if *date > today {
            found.push(Violation {
                rule: GuardRule::G3,
                message: format!(
                    "{}（{}）に今日より後の日付は指定できません",
                    field.label(),
                    md(*date)
                ),
                field: *field,
                other: None,
            });
        }
        if let Some(contract) = dates.contract
            && *date < contract
            && *field != DateField::Assessment
        {
            found.push(Violation {
                rule: GuardRule::G3,
                message: pair(
                    field.label(),
                    *date,
                    DateField::Contract.label(),
                    contract,
                    "以降",
                ),
                field: *field,
                other: Some(DateField::Contract),
            });
        }
    }
    found
}

/// The violations a new or changed `field` takes part in: what completing or correcting it must
/// answer for (older, already accepted exceptions elsewhere in the cycle are not asked again).
pub fn check_field(dates: &CycleDates, today: Date, field: DateField) -> Vec<Violation> {
    check(dates, today)
        .into_iter()
        .filter(|v| v.involves(field))
        .collect()
}

/// The rules a set of violations breaks, each once, in order (what an exception records).
pub fn rules(violations: &[Violation]) -> Vec<GuardRule> {
    let mut rules: Vec<GuardRule> = violations.iter().map(|v| v.rule).collect();
    rules.sort();
    rules.dedup();
    rules
}

/// The text of a `STEP_ORDER_VIOLATION`: every pair, one per line.
pub fn message(violations: &[Violation]) -> String {
    violations
        .iter()
        .map(|v| v.message.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 06 - 30);

    fn in_order() -> CycleDates {
        CycleDates {
            contract: Some(date!(2026 - 04 - 01)),
            previous_monitoring: None,
            assessment: Some(date!(2026 - 04 - 03)),
            draft: Some(date!(2026 - 04 - 10)),
            meeting: Some(date!(2026 - 04 - 15)),
            consent: Some(date!(2026 - 04 - 20)),
            delivered: Some(date!(2026 - 04 - 20)),
            monitoring: Some(date!(2026 - 06 - 30)),
        }
    }

    #[test]
    fn each_rule_names_the_pair_it_found() {
        type Case = (
            &'static str,
            fn(&mut CycleDates),
            &'static [(GuardRule, &'static str)],
        );
        let cases: &[Case] = &[
            ("in order, equal dates allowed", |_| {}, &[]),
            (
                "draft after the meeting",
                |d| d.draft = Some(date!(2026 - 05 - 10)),
                &[(
                    GuardRule::G2,
                    "原案作成日（5月10日）は担当者会議の開催日（4月15日）以前である必要があります",
                )],
            ),
            (
                "assessment before the contract",
                |d| d.assessment = Some(date!(2026 - 03 - 31)),
                &[(
                    GuardRule::G1,
                    "面接実施日（3月31日）は利用契約日（4月1日）以降である必要があります",
                )],
            ),
            (
                "cycle 2: assessment before the previous monitoring, across a year",
                |d| {
                    d.previous_monitoring = Some(date!(2026 - 01 - 05));
                    d.contract = Some(date!(2025 - 01 - 01));
                    d.assessment = Some(date!(2025 - 12 - 28));
                },
                &[(
                    GuardRule::G1,
                    "面接実施日（2025年12月28日）は前回のモニタリング実施日（2026年1月5日）以降である必要があります",
                )],
            ),
            (
                "a future monitoring date",
                |d| d.monitoring = Some(date!(2026 - 07 - 01)),
                &[(
                    GuardRule::G3,
                    "モニタリング実施日（7月1日）に今日より後の日付は指定できません",
                )],
            ),
            (
                "missing middle dates: the present neighbours are compared",
                |d| {
                    d.meeting = None;
                    d.consent = None;
                    d.draft = Some(date!(2026 - 04 - 25));
                },
                &[(
                    GuardRule::G2,
                    "原案作成日（4月25日）は交付日（4月20日）以前である必要があります",
                )],
            ),
            (
                "a delivery before the contract breaks G3",
                |d| {
                    d.assessment = None;
                    d.draft = None;
                    d.meeting = None;
                    d.consent = None;
                    d.delivered = Some(date!(2026 - 03 - 01));
                },
                &[(
                    GuardRule::G3,
                    "交付日（3月1日）は利用契約日（4月1日）以降である必要があります",
                )],
            ),
        ];
        for (name, change, expected) in cases {
            let mut dates = in_order();
            change(&mut dates);
            let found: Vec<(GuardRule, String)> = check(&dates, TODAY)
                .into_iter()
                .map(|v| (v.rule, v.message))
                .collect();
            let expected: Vec<(GuardRule, String)> = expected
                .iter()
                .map(|(r, m)| (*r, (*m).to_owned()))
                .collect();
            assert_eq!(found, expected, "{name}");
        }
    }

    #[test]
    fn only_violations_of_the_changed_date_are_asked_for() {
        let mut dates = in_order();
        // An older, accepted exception: the draft before the assessment.
        dates.draft = Some(date!(2026 - 04 - 02));
        assert_eq!(check(&dates, TODAY).len(), 1);
        assert!(check_field(&dates, TODAY, DateField::Monitoring).is_empty());
        dates.monitoring = Some(date!(2026 - 04 - 19));
        let found = check_field(&dates, TODAY, DateField::Monitoring);
        assert_eq!(found.len(), 1);
        assert_eq!(
            (found[0].field, found[0].other),
            (DateField::Delivered, Some(DateField::Monitoring))
        );
        assert_eq!(GuardRule::parse("G2"), Some(GuardRule::G2));
        assert_eq!(GuardRule::parse("G9"), None);
    }

    #[test]
    fn rules_are_listed_once_in_order() {
        let mut dates = in_order();
        dates.draft = Some(date!(2026 - 07 - 10));
        dates.monitoring = Some(date!(2026 - 07 - 11));
        let violations = check(&dates, TODAY);
        assert_eq!(rules(&violations), [GuardRule::G2, GuardRule::G3]);
    }
}
