//! Employee approval requests (SPEC §1.2): what an employee asks for, and what managers and
//! owners read before they approve or reject it.

use crate::{
    FieldError, choice,
    recipient::{ArchiveInput, FieldChange, RecipientInput},
    text::{char_len, normalize_multiline},
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The longest note of a request or a decision.
pub const MAX_NOTE_CHARS: usize = 500;

choice! {
    /// What the employee asked for (`approval_requests.action_type`).
    pub enum ApprovalAction {
        Create => "create", "利用者の登録";
        Update => "update", "利用者情報の変更";
        Archive => "archive", "利用終了";
        Restore => "restore", "利用者の復元";
        Delete => "delete", "利用者の削除";
        SetNextPlanStartDays => "set_next_plan_start_days", "アセスメント開始期限の変更";
    }
}

choice! {
    /// Where a request stands.
    pub enum ApprovalStatus {
        Pending => "pending", "承認待ち";
        Approved => "approved", "承認済み";
        Rejected => "rejected", "却下";
        Withdrawn => "withdrawn", "取り下げ";
        Expired => "expired", "期限切れ";
    }
}

/// The stored payload: the normalised input that parsed at submission, executed at approval
/// exactly as a manager's call with the same input would be.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum EmployeeAction {
    Create {
        input: RecipientInput,
        confirm_duplicate: bool,
    },
    Update {
        input: RecipientInput,
    },
    Archive {
        input: ArchiveInput,
    },
    Restore {
        confirm_duplicate: bool,
    },
    Delete,
    /// The アセスメント開始期限 days of the recipient's latest cycle (§6.4), 7–30.
    SetNextPlanStartDays {
        days: i16,
    },
}

impl EmployeeAction {
    pub fn kind(&self) -> ApprovalAction {
        match self {
            Self::Create { .. } => ApprovalAction::Create,
            Self::Update { .. } => ApprovalAction::Update,
            Self::Archive { .. } => ApprovalAction::Archive,
            Self::Restore { .. } => ApprovalAction::Restore,
            Self::Delete => ApprovalAction::Delete,
            Self::SetNextPlanStartDays { .. } => ApprovalAction::SetNextPlanStartDays,
        }
    }
}

/// A request's or a decision's optional note: trimmed, at most 500 characters.
pub fn parse_note(field: &str, text: &str) -> Result<Option<String>, FieldError> {
    let text = normalize_multiline(text);
    if char_len(&text) > MAX_NOTE_CHARS {
        return Err(FieldError::new(field, "500文字以内で入力してください"));
    }
    Ok((!text.is_empty()).then_some(text))
}

/// One row of 「承認申請」: the recipient's name and the action only — never contact,
/// emergency or disability data (§1.2).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApprovalSummary {
    pub id: Uuid,
    pub action: ApprovalAction,
    pub status: ApprovalStatus,
    pub recipient_name: String,
    pub requester_name: String,
    /// JST, `YYYY/MM/DD HH:MM`.
    pub created_at: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApprovalList {
    pub items: Vec<ApprovalSummary>,
    /// Pending requests the caller may decide (the badge on 「承認申請」).
    pub pending_for_me: u64,
}

/// One request with what it would change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApprovalDetail {
    pub summary: ApprovalSummary,
    /// The recipient (absent for a registration until it is approved).
    pub recipient_id: Option<Uuid>,
    pub note: Option<String>,
    /// Field by field: the current value and the requested one (updates list changed fields
    /// only; registrations every field filled in; archive the end date and reason).
    pub changes: Vec<FieldChange>,
    /// The recipient was saved by someone else after the request: approving it would fail.
    pub outdated: bool,
    pub reviewer_name: Option<String>,
    pub reviewer_notes: Option<String>,
    pub reviewed_at: Option<String>,
    /// The caller is a manager or owner of the office and not the requester, and it is pending.
    pub decidable: bool,
    /// The caller is the requester and it is pending.
    pub withdrawable: bool,
}
