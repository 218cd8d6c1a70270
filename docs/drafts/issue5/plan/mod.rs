//! Support-plan cycles (SPEC §6): the five steps, their states, and how a deadline reads.

pub mod guard;

use crate::choice;

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

    /// 1..=5.
    pub fn number(self) -> usize {
        Self::ALL.iter().position(|s| *s == self).unwrap_or(0) + 1
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

choice! {
    /// §6.3.
    pub enum CycleStatus {
        Open => "open", "進行中";
        Closed => "closed", "完了";
        Ended => "ended", "終了";
    }
}

/// 「残りN日」 / 「期限超過 N日」 for `deadline − today` in days (§6.4).
pub fn days_label(days: i64) -> String {
    if days < 0 {
        format!("期限超過 {}日", -days)
    } else {
        format!("残り{days}日")
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

    /// The CSS modifier.
    pub const fn class(self) -> &'static str {
        match self {
            Self::Overdue => "overdue",
            Self::Within14 => "soon",
            Self::Within30 => "near",
            Self::Later => "later",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deadlines_read_as_days_left_or_overdue() {
        let cases = [
            (-12, "期限超過 12日", Urgency::Overdue),
            (-1, "期限超過 1日", Urgency::Overdue),
            (0, "残り0日", Urgency::Within14),
            (14, "残り14日", Urgency::Within14),
            (15, "残り15日", Urgency::Within30),
            (30, "残り30日", Urgency::Within30),
            (31, "残り31日", Urgency::Later),
        ];
        for (days, label, urgency) in cases {
            assert_eq!((days_label(days).as_str(), Urgency::of(days)), (label, urgency));
        }
    }

    #[test]
    fn steps_are_numbered_in_their_legal_order() {
        let numbers: Vec<usize> = PlanStep::ALL.iter().map(|s| s.number()).collect();
        assert_eq!(numbers, [1, 2, 3, 4, 5]);
    }
}
