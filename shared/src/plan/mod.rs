//! Support-plan cycles (SPEC §6): the five steps, their states, how a deadline reads, the forms
//! that complete, reopen and correct a step, and the 減算 risk levels.

pub mod forms;
pub mod guard;
pub mod risk;
pub mod settings;
pub mod views;

use crate::{choice, document::DocType};

choice! {
    /// The five steps of a cycle, in their legal order (§6.1). Labels are the card labels.
    pub enum PlanStep {
        Assessment => "assessment", "アセスメント";
        DraftPlan => "draft_plan", "個別支援計画書 原案";
        StaffMeeting => "staff_meeting", "担当者会議";
        FinalPlanSigned => "final_plan_signed", "個別支援計画書 本案（同意・交付）";
        Monitoring => "monitoring", "モニタリング";
    }
}

impl PlanStep {
    /// The dashboard chip (§6.1).
    pub const fn chip(self) -> &'static str {
        match self {
            Self::Assessment => "アセスメント",
            Self::DraftPlan => "個別原案",
            Self::StaffMeeting => "担当者会議",
            Self::FinalPlanSigned => "個別本署名済",
            Self::Monitoring => "モニタリング",
        }
    }

    /// The label of the step's own date.
    pub const fn date_label(self) -> &'static str {
        match self {
            Self::Assessment => "面接実施日",
            Self::DraftPlan => "原案作成日",
            Self::StaffMeeting => "開催日",
            Self::FinalPlanSigned => "交付日",
            Self::Monitoring => "モニタリング実施日",
        }
    }

    /// The document type that completes the step (§7.1).
    pub const fn doc_type(self) -> DocType {
        match self {
            Self::Assessment => DocType::AssessmentSheet,
            Self::DraftPlan => DocType::DraftPlanPdf,
            Self::StaffMeeting => DocType::StaffMeetingMinutes,
            Self::FinalPlanSigned => DocType::FinalPlanSignedPdf,
            Self::Monitoring => DocType::MonitoringReportPdf,
        }
    }

    /// Whether completing it records 「本人との面接を実施した」 (G4).
    pub const fn needs_interview(self) -> bool {
        matches!(self, Self::Assessment | Self::Monitoring)
    }

    /// Whether completing it records who performed it (実施者).
    pub const fn records_performer(self) -> bool {
        matches!(
            self,
            Self::Assessment | Self::StaffMeeting | Self::Monitoring
        )
    }

    /// 1..=5.
    pub fn number(self) -> usize {
        Self::ALL.iter().position(|s| *s == self).unwrap_or(0) + 1
    }

    /// The step after this one, if any.
    pub fn next(self) -> Option<Self> {
        Self::ALL.get(self.number()).copied()
    }
}

choice! {
    /// §6.3.
    pub enum StepStatus {
        Incomplete => "incomplete", "未完了";
        Completed => "completed", "完了";
        Migrated => "migrated", "移行データ";
    }
}

impl StepStatus {
    /// Completed or carried over from before keikakun: the step is behind the cycle.
    pub const fn is_done(self) -> bool {
        !matches!(self, Self::Incomplete)
    }
}

choice! {
    /// §6.3.
    pub enum CycleStatus {
        Open => "open", "進行中";
        Closed => "closed", "完了";
        Ended => "ended", "終了";
    }
}

choice! {
    /// §3.3 手順の順序チェック: what a G1–G3 violation does.
    pub enum OrderGuardMode {
        Block => "block", "止める（理由を入力すれば例外として完了できます）";
        Warn => "warn", "警告のみ（例外として記録して完了します）";
    }
}

/// How urgent a deadline looks (§8 colours: overdue red, ≤14 orange, ≤30 yellow).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Urgency {
    Overdue,
    Within14,
    Within30,
    Later,
}

impl Urgency {
    pub fn of(days: i64) -> Self {
        match days {
            ..0 => Self::Overdue,
            0..=14 => Self::Within14,
            15..=30 => Self::Within30,
            _ => Self::Later,
        }
    }

    /// The CSS modifier of the countdown.
    pub const fn class(self) -> &'static str {
        match self {
            Self::Overdue => "countdown countdown--overdue",
            Self::Within14 => "countdown countdown--soon",
            Self::Within30 => "countdown countdown--near",
            Self::Later => "countdown",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deadlines_read_as_days_left_or_overdue() {
        use crate::dates::days_label;
        let cases = [
            (-12, "期限超過 12日", Urgency::Overdue),
            (-1, "期限超過 1日", Urgency::Overdue),
            (0, "本日が期限", Urgency::Within14),
            (14, "残り14日", Urgency::Within14),
            (15, "残り15日", Urgency::Within30),
            (30, "残り30日", Urgency::Within30),
            (31, "残り31日", Urgency::Later),
        ];
        for (days, label, urgency) in cases {
            assert_eq!(
                (days_label(days).as_str(), Urgency::of(days)),
                (label, urgency)
            );
        }
    }

    #[test]
    fn steps_are_numbered_in_their_legal_order() {
        let numbers: Vec<usize> = PlanStep::ALL.iter().map(|s| s.number()).collect();
        assert_eq!(numbers, [1, 2, 3, 4, 5]);
        assert_eq!(PlanStep::Assessment.next(), Some(PlanStep::DraftPlan));
        assert_eq!(PlanStep::Monitoring.next(), None);
        for step in PlanStep::ALL {
            assert_eq!(step.doc_type().step(), Some(*step));
        }
    }
}
