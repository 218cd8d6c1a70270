//! What account server functions answer with. Nothing here holds a secret.

use crate::roles::Role;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

/// The signed-in staff member, as every page needs it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub staff_id: Uuid,
    pub display_name: String,
    pub email: String,
    pub role: Role,
    /// `None` for an owner who has not set up the office yet (and for app_admins).
    pub office: Option<OfficeRef>,
    pub mfa_enabled: bool,
    /// Required by the owner for this staff member or office-wide.
    pub mfa_required: bool,
    /// Recovery codes left (a banner appears at 2 or fewer).
    pub recovery_codes_left: Option<u32>,
    /// The current terms or privacy policy have not been accepted yet.
    pub terms_outdated: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficeRef {
    pub id: Uuid,
    pub name: String,
}

/// `GET /api/auth/session`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionState {
    pub user: Option<CurrentUser>,
    /// The token state-changing calls send as `X-CSRF-Token`.
    pub csrf_token: String,
    /// The signed-in office member's unread notices (the bell, SPEC §9.1).
    #[serde(default)]
    pub unread_notices: u64,
}

/// The result of the password step of login.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum LoginOutcome {
    /// Logged in; go to `redirect_to`.
    SignedIn { redirect_to: String },
    /// Enter a TOTP or recovery code with this temporary token.
    SecondFactorRequired { pending_token: String },
    /// MFA is required but not set up: first-time setup with this temporary token.
    MfaSetupRequired { pending_token: String },
    /// The password was right but the address is not verified yet.
    EmailNotVerified,
}

/// The result of a successful second step.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedIn {
    pub redirect_to: String,
    /// After a recovery code: how many are left.
    pub recovery_codes_left: Option<u32>,
}

/// One row of 「ログイン中の端末」.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceSession {
    pub id: Uuid,
    /// Browser and OS, e.g. 「Chrome / Windows」.
    pub device: String,
    /// IPv4 with the last octet masked, IPv6 cut at /48.
    pub ip_masked: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub last_used_at: OffsetDateTime,
    pub current: bool,
}

/// `/settings/security` overview.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecurityOverview {
    pub email: String,
    pub mfa_enabled: bool,
    /// Required by the owner for this staff member or office-wide.
    pub mfa_required: bool,
    pub recovery_codes_left: u32,
}

/// The profile form's current values.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub name: super::StaffNameInput,
    pub email: String,
    pub role: Role,
}
