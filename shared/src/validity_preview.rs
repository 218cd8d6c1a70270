//! The landing page's 「計画の有効期限」 preview: from a 交付日 and a review interval, the plan's
//! validity end and the monitoring due date (SPEC §6.4 with the default 30-day monitoring lead).
//!
//! One definition for the browser (live feedback) and the server (the no-JavaScript form).

use crate::{
    dates::{DateError, add_months, period_end, read_date},
    error::FieldError,
    text::halfwidth_numeric,
};
use serde::{Deserialize, Serialize};
use time::{Date, Duration};

/// Field names as the form sends them.
pub const DELIVERED_DATE_FIELD: &str = "delivered";
pub const INTERVAL_FIELD: &str = "interval";

/// Days before the validity end by which monitoring should be done (office default, SPEC §3.3).
pub const DEFAULT_MONITORING_LEAD_DAYS: i64 = 30;

/// Earliest and latest dates the preview accepts.
const MIN_YEAR: i32 = 2000;
const MAX_YEAR: i32 = 2100;

/// A plan review interval offered on the landing page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReviewInterval {
    ThreeMonths,
    SixMonths,
}

impl ReviewInterval {
    pub const ALL: [ReviewInterval; 2] = [Self::ThreeMonths, Self::SixMonths];

    pub const fn months(self) -> u32 {
        match self {
            Self::ThreeMonths => 3,
            Self::SixMonths => 6,
        }
    }

    /// The value used in forms and URLs.
    pub const fn as_param(self) -> &'static str {
        match self {
            Self::ThreeMonths => "3",
            Self::SixMonths => "6",
        }
    }

    pub const fn label_ja(self) -> &'static str {
        match self {
            Self::ThreeMonths => "3か月（就労移行支援・自立訓練など）",
            Self::SixMonths => "6か月（就労継続支援・生活介護など）",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        match halfwidth_numeric(raw).as_str() {
            "3" => Ok(Self::ThreeMonths),
            "6" => Ok(Self::SixMonths),
            _ => Err(FieldError::new(
                INTERVAL_FIELD,
                "見直し間隔は「3か月」か「6か月」から選んでください",
            )),
        }
    }
}

/// A validated preview: only [`ValidityPreview::parse`] builds one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ValidityPreview {
    delivered: Date,
    interval: ReviewInterval,
    valid_until: Date,
    monitoring_due: Date,
}

impl ValidityPreview {
    /// Parses the two form values; every problem is reported against its field.
    pub fn parse(delivered: &str, interval: &str) -> Result<Self, Vec<FieldError>> {
        let delivered = parse_date(delivered);
        let interval = ReviewInterval::parse(interval);
        match (delivered, interval) {
            (Ok(delivered), Ok(interval)) => Ok(Self::compute(delivered, interval)),
            (delivered, interval) => Err([delivered.err(), interval.err()]
                .into_iter()
                .flatten()
                .collect()),
        }
    }

    fn compute(delivered: Date, interval: ReviewInterval) -> Self {
        // Both stay far inside the calendar for years ≤ 2100.
        let valid_until = period_end(delivered, interval.months()).unwrap_or(Date::MAX);
        let monitoring_due = valid_until
            .checked_sub(Duration::days(DEFAULT_MONITORING_LEAD_DAYS))
            .unwrap_or(Date::MIN);
        Self {
            delivered,
            interval,
            valid_until,
            monitoring_due,
        }
    }

    pub fn delivered(&self) -> Date {
        self.delivered
    }

    pub fn interval(&self) -> ReviewInterval {
        self.interval
    }

    /// 計画の有効期限: `add_months(交付日, I) − 1 day`.
    pub fn valid_until(&self) -> Date {
        self.valid_until
    }

    /// モニタリング期限: the validity end minus the monitoring lead.
    pub fn monitoring_due(&self) -> Date {
        self.monitoring_due
    }

    /// The first day of the next plan period (`add_months(交付日, I)`).
    pub fn next_period_start(&self) -> Date {
        add_months(self.delivered, self.interval.months()).unwrap_or(Date::MAX)
    }
}

/// Accepts `2026-04-01`, `2026/4/1` and their full-width forms.
fn parse_date(raw: &str) -> Result<Date, FieldError> {
    let message = |error| match error {
        DateError::Empty => "交付日を入力してください",
        DateError::Format => "交付日は「2026-04-01」のように年-月-日で入力してください",
        DateError::Nonexistent => DateError::Nonexistent.message(),
    };
    let date = read_date(raw).map_err(|e| FieldError::new(DELIVERED_DATE_FIELD, message(e)))?;
    if !(MIN_YEAR..=MAX_YEAR).contains(&date.year()) {
        return Err(FieldError::new(
            DELIVERED_DATE_FIELD,
            "交付日は2000年から2100年までの日付を入力してください",
        ));
    }
    Ok(date)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    #[test]
    fn computes_validity_and_monitoring() {
        let p = ValidityPreview::parse("2025-08-31", "6").unwrap();
        assert_eq!(p.valid_until(), date!(2026 - 02 - 27));
        assert_eq!(p.monitoring_due(), date!(2026 - 01 - 28));
        assert_eq!(p.next_period_start(), date!(2026 - 02 - 28));

        let p = ValidityPreview::parse("２０２４／１１／３０", "３").unwrap();
        assert_eq!(p.delivered(), date!(2024 - 11 - 30));
        assert_eq!(p.valid_until(), date!(2025 - 02 - 27));
    }

    #[test]
    fn reports_each_field() {
        let errors = ValidityPreview::parse("", "4").unwrap_err();
        assert_eq!(errors.len(), 2);
        assert_eq!(errors[0].field, DELIVERED_DATE_FIELD);
        assert_eq!(errors[0].message_ja, "交付日を入力してください");
        assert_eq!(errors[1].field, INTERVAL_FIELD);

        for bad in ["2025-02-30", "2025-13-01"] {
            let errors = ValidityPreview::parse(bad, "3").unwrap_err();
            assert_eq!(errors[0].message_ja, "存在しない日付です", "{bad}");
        }
        for bad in [
            "2025",
            "2025-1-1-1",
            "abc-de-fg",
            "+2025-01-01",
            "20250-1-1",
        ] {
            let errors = ValidityPreview::parse(bad, "3").unwrap_err();
            assert!(errors[0].message_ja.contains("年-月-日"), "{bad}");
        }
        let errors = ValidityPreview::parse("1999-12-31", "3").unwrap_err();
        assert!(errors[0].message_ja.contains("2000年から2100年"));
    }

    proptest! {
        #[test]
        fn never_panics(delivered in "\\PC{0,20}", interval in "\\PC{0,3}") {
            let _ = ValidityPreview::parse(&delivered, &interval);
        }

        #[test]
        fn formatted_dates_parse_back(julian in 2_451_545i32..2_488_069, six in any::<bool>()) {
            let date = Date::from_julian_day(julian).unwrap();
            let interval = if six { "6" } else { "3" };
            let p = ValidityPreview::parse(&date.to_string(), interval).unwrap();
            prop_assert_eq!(p.delivered(), date);
            prop_assert!(p.monitoring_due() < p.valid_until());
            prop_assert!(p.valid_until() < p.next_period_start());
        }
    }
}
