//! The step-order and date guard (SPEC §6.6), G1–G3: the dates of one cycle must follow the
//! legal order 契約 ≤ アセスメント ≤ 原案 ≤ 担当者会議 ≤ 同意 ≤ 交付 ≤ モニタリング, none may lie in the
//! future or before the contract. The browser runs it to warn while a date is typed; the server
//! runs it again when a step completes and decides (block, or store an exception).

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

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Violation {
    pub rule: GuardRule,
    /// Names the pair, e.g. 「原案作成日（5月10日）は担当者会議の開催日（5月8日）以前である必要があります」.
    pub message: String,
}

const CONTRACT: &str = "利用契約日";
const PREVIOUS_MONITORING: &str = "前回のモニタリング実施日";

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
        ("面接実施日", dates.assessment),
        ("原案作成日", dates.draft),
        ("担当者会議の開催日", dates.meeting),
        ("同意日", dates.consent),
        ("交付日", dates.delivered),
        ("モニタリング実施日", dates.monitoring),
    ];

    // G1: the assessment follows the contract and the previous cycle's monitoring.
    if let Some(assessment) = dates.assessment {
        for (label, before) in [
            (CONTRACT, dates.contract),
            (PREVIOUS_MONITORING, dates.previous_monitoring),
        ] {
            if let Some(before) = before
                && assessment < before
            {
                found.push(Violation {
                    rule: GuardRule::G1,
                    message: pair("面接実施日", assessment, label, before, "以降"),
                });
            }
        }
    }

    // G2: each present date is on or before the next present one.
    let present: Vec<(&str, Date)> = steps
        .iter()
        .filter_map(|(label, date)| date.map(|d| (*label, d)))
        .collect();
    for window in present.windows(2) {
        let ((a_label, a), (b_label, b)) = (window[0], window[1]);
        if a > b {
            found.push(Violation {
                rule: GuardRule::G2,
                message: pair(a_label, a, b_label, b, "以前"),
            });
        }
    }

    // G3: nothing in the future, nothing before the contract (the assessment's is G1's).
    for (label, date) in &present {
        if *date > today {
            found.push(Violation {
                rule: GuardRule::G3,
                message: format!("{label}（{}）に今日より後の日付は指定できません", md(*date)),
            });
        }
        if let Some(contract) = dates.contract
            && *date < contract
            && *label != "面接実施日"
        {
            found.push(Violation {
                rule: GuardRule::G3,
                message: pair(label, *date, CONTRACT, contract, "以降"),
            });
        }
    }
    found
}

/// The rules a set of violations breaks, each once, in order (what an exception records).
pub fn rules(violations: &[Violation]) -> Vec<GuardRule> {
    let mut rules: Vec<GuardRule> = violations.iter().map(|v| v.rule).collect();
    rules.sort();
    rules.dedup();
    rules
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
        type Case = (&'static str, fn(&mut CycleDates), &'static [(GuardRule, &'static str)]);
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
            let expected: Vec<(GuardRule, String)> =
                expected.iter().map(|(r, m)| (*r, (*m).to_owned())).collect();
            assert_eq!(found, expected, "{name}");
        }
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
