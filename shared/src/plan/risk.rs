//! The 減算 risk indicator (SPEC §6.8). The database computes the level from current data
//! (`recipient_deadlines`); this module names the levels and writes the badge text.

use crate::choice;

choice! {
    /// §6.8 levels, most severe first (`docs` is shown on its own badge beside a deadline level).
    pub enum RiskLevel {
        Gap => "gap", "未作成減算の可能性";
        High => "high", "リスク高";
        Watch => "watch", "注意";
        Docs => "docs", "書類不備";
        Ok => "ok", "問題なし";
    }
}

impl RiskLevel {
    /// The CSS modifier of the badge (red, orange, yellow, purple).
    pub const fn class(self) -> &'static str {
        match self {
            Self::Gap => "risk risk--gap",
            Self::High => "risk risk--high",
            Self::Watch => "risk risk--watch",
            Self::Docs => "risk risk--docs",
            Self::Ok => "risk",
        }
    }

    /// Severity for sorting (0 = most severe).
    pub fn severity(self) -> usize {
        Self::ALL
            .iter()
            .position(|l| *l == self)
            .unwrap_or(Self::ALL.len())
    }
}

/// The badge detail of a gap in its `month`-th month (1 = the month after the deadline passed):
/// 「{m}か月目：所定単位数の70%で算定の見込み」 for months 1–2, 50 % from month 3.
pub fn gap_note(month: i32) -> String {
    let percent = if month <= 2 { 70 } else { 50 };
    format!("{month}か月目：所定単位数の{percent}%で算定の見込み")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reduction_grows_from_the_third_month() {
        assert_eq!(gap_note(1), "1か月目：所定単位数の70%で算定の見込み");
        assert_eq!(gap_note(2), "2か月目：所定単位数の70%で算定の見込み");
        assert_eq!(gap_note(3), "3か月目：所定単位数の50%で算定の見込み");
        assert_eq!(gap_note(14), "14か月目：所定単位数の50%で算定の見込み");
    }

    #[test]
    fn levels_sort_by_severity() {
        let mut levels = vec![RiskLevel::Ok, RiskLevel::Watch, RiskLevel::Gap];
        levels.sort_by_key(|l| l.severity());
        assert_eq!(levels, [RiskLevel::Gap, RiskLevel::Watch, RiskLevel::Ok]);
    }
}
