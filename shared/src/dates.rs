//! Calendar rules of SPEC §0: "today" is the date in Asia/Tokyo, `add_months` clamps to the end of
//! the target month, an n-month period from `d` ends the day before `add_months(d, n)`.
//!
//! Pure functions only; the clock is always passed in so that tests and the browser agree.

use time::{Date, Month, OffsetDateTime, UtcOffset, Weekday};

/// Japan Standard Time (no daylight saving).
pub const JST: UtcOffset = match UtcOffset::from_hms(9, 0, 0) {
    Ok(offset) => offset,
    Err(_) => panic!("JST offset is valid"),
};

/// The JST calendar date of an instant.
pub fn jst_date(instant: OffsetDateTime) -> Date {
    instant.to_offset(JST).date()
}

/// Same day-of-month `months` later, clamped to the last day of the target month
/// (2025-08-31 + 6 → 2026-02-28).
///
/// Returns `None` only when the result leaves the supported calendar range (year 9999).
pub fn add_months(date: Date, months: u32) -> Option<Date> {
    let zero_based = date.month() as i64 - 1 + i64::from(months);
    let year = i32::try_from(i64::from(date.year()) + zero_based.div_euclid(12)).ok()?;
    let month = Month::try_from(u8::try_from(zero_based.rem_euclid(12) + 1).ok()?).ok()?;
    let day = date.day().min(month.length(year));
    Date::from_calendar_date(year, month, day).ok()
}

/// Last day of the `months`-month period starting on `start` (`add_months(start, months) − 1 day`).
pub fn period_end(start: Date, months: u32) -> Option<Date> {
    add_months(start, months)?.previous_day()
}

/// Signed whole days from `today` to `deadline` (negative when overdue).
pub fn days_until(today: Date, deadline: Date) -> i64 {
    (deadline - today).whole_days()
}

/// Why typed text is not a date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateError {
    Empty,
    /// Not `year-month-day`.
    Format,
    /// Shaped like a date but not one (2026-02-30).
    Nonexistent,
}

impl DateError {
    pub const fn message(self) -> &'static str {
        match self {
            Self::Empty => crate::fields::REQUIRED,
            Self::Format => "「2026-04-01」のように年-月-日で入力してください",
            Self::Nonexistent => "存在しない日付です",
        }
    }
}

/// Reads a typed date: `2026-04-01` (what date inputs send), `2026/4/1` (what Excel and CSV
/// files hold) and their full-width forms.
pub fn read_date(raw: &str) -> Result<Date, DateError> {
    let normalised = crate::text::halfwidth_numeric(raw);
    let normalised = normalised.trim();
    if normalised.is_empty() {
        return Err(DateError::Empty);
    }
    let mut parts = normalised.split(['-', '/']);
    let (Some(y), Some(m), Some(d), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(DateError::Format);
    };
    let digits = |s: &str, max: usize| {
        !s.is_empty() && s.len() <= max && s.bytes().all(|b| b.is_ascii_digit())
    };
    if !(y.len() == 4 && digits(y, 4) && digits(m, 2) && digits(d, 2)) {
        return Err(DateError::Format);
    }
    let (Ok(year), Ok(month), Ok(day)) = (y.parse::<i32>(), m.parse::<u8>(), d.parse::<u8>())
    else {
        return Err(DateError::Format);
    };
    Month::try_from(month)
        .ok()
        .and_then(|month| Date::from_calendar_date(year, month, day).ok())
        .ok_or(DateError::Nonexistent)
}

/// [`read_date`] with the generic messages, for form fields.
pub fn parse_date(raw: &str) -> Result<Date, &'static str> {
    read_date(raw).map_err(DateError::message)
}

/// `2026-04-01`: what date inputs and the API use.
pub fn format_date_iso(date: Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

/// `2026年11月22日（日）`: the date format every screen uses.
pub fn format_date_ja(date: Date) -> String {
    format!(
        "{}年{}月{}日（{}）",
        date.year(),
        u8::from(date.month()),
        date.day(),
        weekday_ja(date.weekday())
    )
}

/// `2026年11月22日 14:05`: an instant shown in JST.
pub fn format_datetime_jst(instant: OffsetDateTime) -> String {
    let local = instant.to_offset(JST);
    format!(
        "{}年{}月{}日 {:02}:{:02}",
        local.year(),
        u8::from(local.month()),
        local.day(),
        local.hour(),
        local.minute()
    )
}

/// One-character Japanese weekday.
pub fn weekday_ja(weekday: Weekday) -> &'static str {
    match weekday {
        Weekday::Monday => "月",
        Weekday::Tuesday => "火",
        Weekday::Wednesday => "水",
        Weekday::Thursday => "木",
        Weekday::Friday => "金",
        Weekday::Saturday => "土",
        Weekday::Sunday => "日",
    }
}

/// 残りN日 / 本日が期限 / 期限超過 N日 (SPEC §6.4) for a deadline `today` is compared with.
pub fn remaining_label(today: Date, deadline: Date) -> String {
    days_label(days_until(today, deadline))
}

/// [`remaining_label`] for `deadline − today` in days (negative when overdue).
pub fn days_label(days: i64) -> String {
    match days {
        0 => "本日が期限".to_owned(),
        n if n > 0 => format!("残り{n}日"),
        n => format!("期限超過 {}日", -n),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::{date, datetime};

    #[test]
    fn add_months_table() {
        let cases = [
            (date!(2025 - 08 - 31), 6, date!(2026 - 02 - 28)),
            (date!(2023 - 08 - 31), 6, date!(2024 - 02 - 29)),
            (date!(2024 - 02 - 29), 12, date!(2025 - 02 - 28)),
            (date!(2024 - 01 - 31), 1, date!(2024 - 02 - 29)),
            (date!(2025 - 01 - 31), 3, date!(2025 - 04 - 30)),
            (date!(2025 - 11 - 30), 3, date!(2026 - 02 - 28)),
            (date!(2025 - 10 - 15), 3, date!(2026 - 01 - 15)),
            (date!(2025 - 04 - 01), 0, date!(2025 - 04 - 01)),
            (date!(2025 - 12 - 31), 12, date!(2026 - 12 - 31)),
        ];
        for (start, months, expected) in cases {
            assert_eq!(
                add_months(start, months),
                Some(expected),
                "{start} + {months}"
            );
        }
    }

    #[test]
    fn period_end_is_the_day_before() {
        assert_eq!(
            period_end(date!(2025 - 04 - 01), 6),
            Some(date!(2025 - 09 - 30))
        );
        assert_eq!(
            period_end(date!(2025 - 08 - 31), 6),
            Some(date!(2026 - 02 - 27))
        );
        assert_eq!(
            period_end(date!(2024 - 11 - 30), 3),
            Some(date!(2025 - 02 - 27))
        );
    }

    #[test]
    fn add_months_stops_at_the_end_of_the_calendar() {
        assert_eq!(add_months(date!(9999 - 12 - 01), 1), None);
    }

    #[test]
    fn jst_today_changes_at_midnight_tokyo() {
        assert_eq!(
            jst_date(datetime!(2026-11-21 14:59:59 UTC)),
            date!(2026 - 11 - 21)
        );
        assert_eq!(
            jst_date(datetime!(2026-11-21 15:00:00 UTC)),
            date!(2026 - 11 - 22)
        );
    }

    #[test]
    fn labels_are_japanese() {
        let today = date!(2026 - 11 - 22);
        assert_eq!(remaining_label(today, date!(2026 - 11 - 25)), "残り3日");
        assert_eq!(remaining_label(today, today), "本日が期限");
        assert_eq!(
            remaining_label(today, date!(2026 - 11 - 20)),
            "期限超過 2日"
        );
        assert_eq!(format_date_ja(today), "2026年11月22日（日）");
        assert_eq!(
            format_datetime_jst(datetime!(2026-11-22 05:04 UTC)),
            "2026年11月22日 14:04"
        );
    }

    proptest! {
        #[test]
        fn add_months_keeps_or_clamps_the_day(
            julian in 2_451_545i32..2_488_069, // 2000-01-01 ..= 2099-12-31
            months in 0u32..=120,
        ) {
            let start = Date::from_julian_day(julian).unwrap();
            let result = add_months(start, months).unwrap();
            let total = start.year() * 12 + start.month() as i32 - 1 + months as i32;
            prop_assert_eq!(result.year() * 12 + result.month() as i32 - 1, total);
            prop_assert_eq!(result.day(), start.day().min(result.month().length(result.year())));
        }
    }
}
