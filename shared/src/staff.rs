//! The office's staff as owners and managers see them (SPEC §1, §1.1).

use crate::roles::Role;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

/// One staff member in the staff list (manager and owner view).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffMember {
    pub id: Uuid,
    pub display_name: String,
    pub email_masked: String,
    pub role: Role,
    pub mfa_enabled: bool,
    pub mfa_required: bool,
    #[serde(with = "time::serde::rfc3339::option")]
    pub last_login_at: Option<OffsetDateTime>,
    /// Locked out of login right now (owners may unlock).
    pub locked: bool,
    pub is_self: bool,
}

/// A staff member as everyone in the office may see them (message pickers).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffName {
    pub id: Uuid,
    pub display_name: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InvitationState {
    Pending,
    Accepted,
    Revoked,
    Expired,
}

impl InvitationState {
    pub const fn label(self) -> &'static str {
        match self {
            Self::Pending => "招待中",
            Self::Accepted => "登録済み",
            Self::Revoked => "取り消し済み",
            Self::Expired => "期限切れ",
        }
    }
}

/// One invitation in the staff page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationView {
    pub id: Uuid,
    /// Shown in full to the office's owners and managers: they typed it.
    pub email: String,
    pub role: Role,
    pub display_name: Option<String>,
    pub state: InvitationState,
    pub invited_by: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
    /// Whether the caller may resend or revoke it.
    pub manageable: bool,
}

/// What the `/invite` page shows before the form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationPreview {
    pub office_name: String,
    pub role: Role,
    pub email: String,
    pub display_name: Option<String>,
}

/// 「役割の変更を申請」 (SPEC §1.3).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleRequestInput {
    pub role: Role,
    #[serde(default)]
    pub note: String,
}

/// One role-change request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleRequestView {
    pub id: Uuid,
    pub staff_name: String,
    pub from_role: Role,
    pub to_role: Role,
    pub note: Option<String>,
    /// `pending`, `approved`, `rejected` or `withdrawn`.
    pub status: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    pub reviewer_notes: Option<String>,
    /// The caller may approve or reject it (owners, not their own).
    pub decidable: bool,
    /// The caller made it (may withdraw while pending).
    pub own: bool,
}
