//! The office audit log as owners read it (SPEC §13).

use crate::roles::Role;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// Rows per page.
pub const AUDIT_PAGE_SIZE: u32 = 50;

/// Filters of 「操作履歴」. Empty fields do not filter.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditQuery {
    /// An action group such as `auth`, `mfa`, `invitation`, `staff`, `office`.
    #[serde(default)]
    pub category: String,
    /// `YYYY-MM-DD` (JST), inclusive.
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    /// 1-based.
    #[serde(default = "first_page")]
    pub page: u32,
}

fn first_page() -> u32 {
    1
}

/// Action groups offered by the filter, with their labels.
pub const AUDIT_CATEGORIES: [(&str, &str); 7] = [
    ("auth", "ログイン・パスワード"),
    ("mfa", "2段階認証"),
    ("invitation", "招待"),
    ("staff", "スタッフ"),
    ("role_change", "役割変更申請"),
    ("office", "事業所"),
    ("terms", "利用規約"),
];

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub occurred_at: OffsetDateTime,
    pub action: String,
    /// Japanese description of the action.
    pub action_label: String,
    /// Display name of the actor, 「システム」 for jobs.
    pub actor: String,
    pub actor_role: Option<Role>,
    /// Display name of the staff member the action was about, when it was one.
    pub target: Option<String>,
    pub ip_masked: Option<String>,
    pub device: Option<String>,
    /// Masked details as `key: value` pairs.
    pub details: Vec<(String, String)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    pub total: u64,
    pub page: u32,
    pub pages: u32,
}
