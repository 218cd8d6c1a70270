//! The four roles of SPEC §1 and the rules that depend only on the role.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(
    feature = "ssr",
    sqlx(type_name = "staff_role", rename_all = "snake_case")
)]
pub enum Role {
    Employee,
    Manager,
    Owner,
    AppAdmin,
}

impl Role {
    /// The roles a staff member of an office can hold, lowest first.
    pub const OFFICE_ROLES: [Role; 3] = [Role::Employee, Role::Manager, Role::Owner];

    /// The wire name (`owner`, …).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Employee => "employee",
            Self::Manager => "manager",
            Self::Owner => "owner",
            Self::AppAdmin => "app_admin",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        [Self::Employee, Self::Manager, Self::Owner, Self::AppAdmin]
            .into_iter()
            .find(|role| role.as_str() == value)
    }

    /// The label used everywhere in the UI (SPEC §0).
    pub const fn label(self) -> &'static str {
        match self {
            Self::Employee => "従業員",
            Self::Manager => "マネージャー",
            Self::Owner => "オーナー",
            Self::AppAdmin => "アプリ管理者",
        }
    }

    /// Rank within an office: a role "at least manager" is `role.rank() >= Manager.rank()`.
    /// app_admin has no rank in an office.
    pub const fn rank(self) -> u8 {
        match self {
            Self::Employee => 1,
            Self::Manager => 2,
            Self::Owner => 3,
            Self::AppAdmin => 0,
        }
    }

    /// Whether a member with this role holds at least `required` within an office.
    pub const fn at_least(self, required: Role) -> bool {
        self.rank() >= required.rank() && self.rank() > 0
    }

    /// §1.1: owners invite any office role; managers invite employees only.
    pub const fn may_invite(self, invited: Role) -> bool {
        matches!(
            (self, invited),
            (Self::Owner, Self::Owner | Self::Manager | Self::Employee)
                | (Self::Manager, Self::Employee)
        )
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invitation_rules_of_the_matrix() {
        assert!(Role::Owner.may_invite(Role::Owner));
        assert!(Role::Owner.may_invite(Role::Manager));
        assert!(Role::Manager.may_invite(Role::Employee));
        assert!(!Role::Manager.may_invite(Role::Manager));
        assert!(!Role::Employee.may_invite(Role::Employee));
        assert!(!Role::Owner.may_invite(Role::AppAdmin));
        assert!(!Role::AppAdmin.may_invite(Role::Employee));
    }

    #[test]
    fn ranks() {
        assert!(Role::Owner.at_least(Role::Manager));
        assert!(!Role::Employee.at_least(Role::Manager));
        assert!(!Role::AppAdmin.at_least(Role::Employee));
        for role in [Role::Employee, Role::Manager, Role::Owner, Role::AppAdmin] {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
    }
}
