//! 「利用者ダッシュボード」 (SPEC §8): the query the page keeps in its URL, the filters of §6.5,
//! and what one round trip answers with (rows of the page and the counter cards).

use crate::{
    FieldError,
    fields::FieldCheck,
    plan::{
        PlanStep,
        risk::RiskLevel,
        views::{Deadline, Risk},
    },
    recipient::search_key,
    service_type::ServiceType,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub const PER_PAGE_CHOICES: [u32; 3] = [20, 50, 100];
pub const DEFAULT_PER_PAGE: u32 = 50;

/// The dashboard's URL query, as the browser sends it; every field optional.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DashboardQuery {
    /// 氏名・ふりがなで検索 (≤100; every word must match).
    pub q: String,
    /// 計画期限超過: 次回更新日 < today.
    pub overdue: bool,
    /// 計画期限間近（30日以内）.
    pub upcoming: bool,
    /// アセスメント未完了.
    pub assessment_incomplete: bool,
    /// 計画の進捗: the current step of the latest cycle.
    pub step: String,
    /// 回: the latest cycle's number (≥1).
    pub cycle: String,
    pub service_type: String,
    /// 担当: a staff id, or `me`.
    pub assigned: String,
    /// 減算リスク, comma separated: `gap`, `high`, `watch`, `docs`.
    pub risk: String,
    /// 順序例外 in the latest two cycles.
    pub order_exception: bool,
    /// `kana` (default), `renewal`, `created`, `risk`.
    pub sort: String,
    pub page: u32,
    /// 20, 50 (default) or 100.
    pub per_page: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DashboardSort {
    /// ふりがな, ascending.
    Kana,
    /// 次回更新日, ascending, none last.
    Renewal,
    /// 登録日, newest first.
    Created,
    /// 減算リスク: severity, then the deadline.
    Risk,
}

/// A valid dashboard query.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DashboardFilter {
    pub words: Vec<String>,
    pub overdue: bool,
    pub upcoming: bool,
    pub assessment_incomplete: bool,
    pub step: Option<PlanStep>,
    pub cycle: Option<i32>,
    pub service_type: Option<ServiceType>,
    /// Resolved by the server (`me` is the caller).
    pub assigned: Option<Assigned>,
    pub risk: Vec<RiskLevel>,
    pub order_exception: bool,
    pub sort: DashboardSort,
    pub page: u32,
    pub per_page: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Assigned {
    Me,
    Staff(Uuid),
}

impl DashboardFilter {
    /// Whether any search or filter narrows the list (the 「検索結果: N名」 line).
    pub fn narrows(&self) -> bool {
        !self.words.is_empty()
            || self.overdue
            || self.upcoming
            || self.assessment_incomplete
            || self.step.is_some()
            || self.cycle.is_some()
            || self.service_type.is_some()
            || self.assigned.is_some()
            || !self.risk.is_empty()
            || self.order_exception
    }
}

impl DashboardQuery {
    /// Every unknown value is `VALIDATION_FAILED` naming its field (§8: unknown sort keys).
    pub fn parse(&self) -> Result<DashboardFilter, Vec<FieldError>> {
        let mut c = FieldCheck::default();
        if self.q.chars().count() > 100 {
            c.fail("q", "検索語は100文字以内で入力してください");
        }
        let step = match self.step.as_str() {
            "" => None,
            s => {
                let step = PlanStep::parse(s);
                if step.is_none() {
                    c.fail("step", "計画の進捗は一覧から選択してください");
                }
                step
            }
        };
        let cycle = match self.cycle.trim() {
            "" => None,
            n => match n.parse::<i32>() {
                Ok(n) if n >= 1 => Some(n),
                _ => {
                    c.fail("cycle", "回は1以上の数字で指定してください");
                    None
                }
            },
        };
        let service_type = match self.service_type.as_str() {
            "" => None,
            code => {
                let t = ServiceType::from_code(code);
                if t.is_none() {
                    c.fail("service_type", "サービス種別は一覧から選択してください");
                }
                t
            }
        };
        let assigned = match self.assigned.as_str() {
            "" => None,
            "me" => Some(Assigned::Me),
            id => match Uuid::parse_str(id) {
                Ok(id) => Some(Assigned::Staff(id)),
                Err(_) => {
                    c.fail("assigned", "担当は一覧から選択してください");
                    None
                }
            },
        };
        let mut risk = Vec::new();
        for level in self
            .risk
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            match RiskLevel::parse(level) {
                Some(RiskLevel::Ok) | None => c.fail("risk", "リスクは一覧から選択してください"),
                Some(level) if !risk.contains(&level) => risk.push(level),
                Some(_) => {}
            }
        }
        let sort = match self.sort.as_str() {
            "" | "kana" => DashboardSort::Kana,
            "renewal" => DashboardSort::Renewal,
            "created" => DashboardSort::Created,
            "risk" => DashboardSort::Risk,
            _ => {
                c.fail("sort", "並び順が正しくありません");
                DashboardSort::Kana
            }
        };
        let per_page = match self.per_page {
            0 => DEFAULT_PER_PAGE,
            n if PER_PAGE_CHOICES.contains(&n) => n,
            _ => {
                c.fail("per_page", "表示件数は20・50・100件から選択してください");
                DEFAULT_PER_PAGE
            }
        };
        if !c.is_ok() {
            return Err(c.into_errors());
        }
        Ok(DashboardFilter {
            words: self
                .q
                .split([' ', '\u{3000}'])
                .map(search_key)
                .filter(|w| !w.is_empty())
                .collect(),
            overdue: self.overdue,
            upcoming: self.upcoming,
            assessment_incomplete: self.assessment_incomplete,
            step,
            cycle,
            service_type,
            assigned,
            risk,
            order_exception: self.order_exception,
            sort,
            page: self.page.max(1),
            per_page,
        })
    }
}

/// One recipient on the dashboard.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DashboardRow {
    pub recipient_id: Uuid,
    pub name: String,
    pub kana: String,
    pub service_type: ServiceType,
    pub cycle_number: i32,
    pub current_step: Option<PlanStep>,
    /// 次回更新日.
    pub renewal: Option<Deadline>,
    pub assessment_start: Option<Deadline>,
    pub monitoring_due: Option<Deadline>,
    pub risk: Risk,
    pub assigned_staff: Vec<String>,
    /// The row's recipient version (the 「削除」 / 「編集」 actions send it).
    pub version: i32,
}

/// The counter cards (§8): all active recipients the viewer sees, whatever the page.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DashboardCounts {
    pub overdue: u64,
    pub upcoming: u64,
    pub assessment_incomplete: u64,
    /// gap + high.
    pub risk: u64,
    /// 書類不備・順序例外.
    pub docs: u64,
    /// 総利用者数.
    pub total: u64,
    /// Rows matching the search and filters.
    pub matching: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DashboardPage {
    pub rows: Vec<DashboardRow>,
    pub counts: DashboardCounts,
    pub page: u32,
    pub per_page: u32,
    pub pages: u32,
    pub today: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_every_filter() {
        let filter = DashboardQuery::default().parse().unwrap();
        assert_eq!(
            (filter.sort, filter.page, filter.per_page, filter.narrows()),
            (DashboardSort::Kana, 1, 50, false)
        );
        let staff = Uuid::from_u128(7);
        let filter = DashboardQuery {
            q: "ヤマダ　花".into(),
            step: "staff_meeting".into(),
            cycle: "2".into(),
            service_type: "type_B_office".into(),
            assigned: staff.to_string(),
            risk: "gap,high,gap".into(),
            sort: "risk".into(),
            per_page: 100,
            page: 3,
            ..Default::default()
        }
        .parse()
        .unwrap();
        assert_eq!(filter.words, ["やまだ", "花"]);
        assert_eq!(filter.step, Some(PlanStep::StaffMeeting));
        assert_eq!(filter.cycle, Some(2));
        assert_eq!(filter.assigned, Some(Assigned::Staff(staff)));
        assert_eq!(filter.risk, [RiskLevel::Gap, RiskLevel::High]);
        assert!(filter.narrows());
    }

    #[test]
    fn unknown_values_name_their_field() {
        let errors = DashboardQuery {
            sort: "age".into(),
            step: "done".into(),
            cycle: "0".into(),
            risk: "ok".into(),
            per_page: 30,
            assigned: "someone".into(),
            ..Default::default()
        }
        .parse()
        .unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            ["step", "cycle", "assigned", "risk", "sort", "per_page"]
        );
    }
}
