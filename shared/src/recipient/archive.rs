//! 「利用終了」 (SPEC §4.3): the archive form.

use super::{EndReason, FieldChange};
use crate::{
    FieldError,
    dates::{format_date_iso, parse_date},
    fields::FieldCheck,
    text::{char_len, normalize_line},
};
use serde::{Deserialize, Serialize};
use time::Date;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ArchiveInput {
    /// 利用終了日
    pub end_date: String,
    pub end_reason: String,
    /// Required when the reason is その他.
    pub end_reason_text: String,
    /// 最終サービス提供日 (optional, ≤ end date).
    pub last_service_date: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Archive {
    pub end_date: Date,
    pub end_reason: EndReason,
    pub end_reason_text: Option<String>,
    pub last_service_date: Option<Date>,
}

impl ArchiveInput {
    /// `contract_date` (when known) ≤ end date ≤ `today`; last service date ≤ end date.
    pub fn parse(
        &self,
        today: Date,
        contract_date: Option<Date>,
    ) -> Result<Archive, Vec<FieldError>> {
        let mut c = FieldCheck::default();
        let end_date = c
            .check("end_date", parse_date(&self.end_date))
            .and_then(|d| {
                if d > today || contract_date.is_some_and(|contract| d < contract) {
                    c.fail(
                        "end_date",
                        "利用終了日は利用契約日から今日までの日付にしてください",
                    );
                    None
                } else {
                    Some(d)
                }
            });
        let end_reason = match EndReason::parse(&self.end_reason) {
            Some(reason) => Some(reason),
            None => {
                c.fail("end_reason", "終了の理由を選択してください");
                None
            }
        };
        let text = normalize_line(&self.end_reason_text);
        let end_reason_text = match (end_reason, text.is_empty()) {
            (Some(EndReason::Other), true) => {
                c.fail("end_reason_text", "「その他」の内容を入力してください");
                None
            }
            (_, false) if char_len(&text) > 200 => {
                c.fail("end_reason_text", "200文字以内で入力してください");
                None
            }
            (Some(EndReason::Other), false) => Some(Some(text)),
            (_, false) => {
                c.fail("end_reason_text", "「その他」を選んだときだけ入力できます");
                None
            }
            (_, true) => Some(None),
        };
        let last_service_date = if self.last_service_date.trim().is_empty() {
            Some(None)
        } else {
            c.check("last_service_date", parse_date(&self.last_service_date))
                .and_then(|d| {
                    if end_date.is_some_and(|end| d > end) {
                        c.fail(
                            "last_service_date",
                            "最終サービス提供日は利用終了日以前の日付にしてください",
                        );
                        None
                    } else {
                        Some(Some(d))
                    }
                })
        };
        match (end_date, end_reason, end_reason_text, last_service_date) {
            (Some(end_date), Some(end_reason), Some(end_reason_text), Some(last_service_date))
                if c.is_ok() =>
            {
                Ok(Archive {
                    end_date,
                    end_reason,
                    end_reason_text,
                    last_service_date,
                })
            }
            _ => Err(c.into_errors()),
        }
    }
}

impl Archive {
    /// Back to the form (the approval payload keeps the normalised input).
    pub fn to_input(&self) -> ArchiveInput {
        ArchiveInput {
            end_date: format_date_iso(self.end_date),
            end_reason: self.end_reason.as_str().to_owned(),
            end_reason_text: self.end_reason_text.clone().unwrap_or_default(),
            last_service_date: self
                .last_service_date
                .map(format_date_iso)
                .unwrap_or_default(),
        }
    }

    /// What an approver reads before approving 利用終了.
    pub fn changes(&self) -> Vec<FieldChange> {
        let row = |label: &str, after: String| FieldChange {
            label: label.to_owned(),
            before: String::new(),
            after,
        };
        let reason = match &self.end_reason_text {
            Some(text) => format!("{}（{text}）", self.end_reason.label()),
            None => self.end_reason.label().to_owned(),
        };
        let mut rows = vec![
            row("利用終了日", format_date_iso(self.end_date)),
            row("終了の理由", reason),
        ];
        if let Some(day) = self.last_service_date {
            rows.push(row("最終サービス提供日", format_date_iso(day)));
        }
        rows
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 12 - 01);

    fn fields(input: &ArchiveInput) -> Vec<String> {
        input
            .parse(TODAY, Some(date!(2026 - 04 - 01)))
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|e| e.field)
            .collect()
    }

    #[test]
    fn archive_rules() {
        let mut input = ArchiveInput {
            end_date: "2026-11-30".into(),
            end_reason: "general_employment".into(),
            last_service_date: "2026-11-28".into(),
            ..Default::default()
        };
        assert!(fields(&input).is_empty());
        input.end_date = "2026-03-31".into();
        assert_eq!(fields(&input), ["end_date"]);
        input.end_date = "2026-12-02".into();
        assert_eq!(fields(&input), ["end_date"]);
        input.end_date = "2026-11-27".into();
        assert_eq!(fields(&input), ["last_service_date"]);
        input.end_date = "2026-11-30".into();
        input.end_reason = "other".into();
        assert_eq!(fields(&input), ["end_reason_text"]);
        input.end_reason_text = "家族の都合".into();
        assert!(fields(&input).is_empty());
        input.end_reason = "moved".into();
        assert_eq!(fields(&input), ["end_reason_text"]);
        assert_eq!(fields(&ArchiveInput::default()), ["end_date", "end_reason"]);
    }
}
