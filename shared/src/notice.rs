//! In-app notices (SPEC §9.1): the bell and 「お知らせ」.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeItem {
    pub id: Uuid,
    /// The `type` of §9.1 (e.g. `employee_action_pending`).
    pub kind: String,
    pub title: String,
    pub body: String,
    /// A relative path in the app, when the notice points somewhere.
    pub link: Option<String>,
    /// JST, `YYYY/MM/DD HH:MM`.
    pub created_at: String,
    pub read: bool,
    /// The request it announced has been decided (approval notices).
    pub resolved: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeList {
    /// The newest 100.
    pub items: Vec<NoticeItem>,
    pub total: u64,
    pub unread: u64,
}
