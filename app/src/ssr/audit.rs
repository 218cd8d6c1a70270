//! The audit log (SPEC §13): who did what to which account, session or office.
//!
//! Rule: `details` pass through a per-action allow-list *before storage*; keys not on the list are
//! dropped. Callers put only masked or non-personal values there (never passwords, codes, tokens
//! or full e-mail addresses).

use crate::ssr::auth::ClientInfo;
use serde_json::{Map, Value};
use shared::Role;
use sqlx::PgExecutor;
use uuid::Uuid;

/// Allowed detail keys per action (SPEC §13.1).
pub fn allowed_details(action: &str) -> &'static [&'static str] {
    match action {
        "auth.login_succeeded" => &["method", "session_id"],
        "auth.login_failed" => &["reason", "email_hmac", "consecutive"],
        "auth.account_locked" | "auth.account_unlocked" => &["lock_level", "until", "kind"],
        "auth.logout" | "auth.session_revoked" => &["session_id", "reason"],
        "auth.refresh_reuse_detected" => &["session_id"],
        "auth.password_changed" | "app_admin.passphrase_changed" => &["sessions_revoked"],
        "app_admin.created" => &[],
        "auth.password_change_failed" => &["reason"],
        "auth.password_reset_requested" | "auth.password_reset_completed" => &[],
        "auth.email_verified" | "auth.email_change_requested" | "auth.email_changed" => {
            &["old_email", "new_email"]
        }
        "mfa.enrolled"
        | "mfa.disabled"
        | "mfa.recovery_code_used"
        | "mfa.recovery_codes_regenerated" => &["remaining_codes"],
        "mfa.requirement_set" | "mfa.office_requirement_set" | "mfa.reset_by_owner" => {
            &["required"]
        }
        "terms.agreed" => &["terms_version", "privacy_version"],
        "invitation.created"
        | "invitation.resent"
        | "invitation.revoked"
        | "invitation.accepted" => &["role", "email"],
        "staff.role_changed" => &["from", "to", "request_id"],
        "role_change.requested"
        | "role_change.approved"
        | "role_change.rejected"
        | "role_change.withdrawn" => &["from", "to"],
        "staff.name_updated" => &["changed_fields"],
        "staff.deleted" | "staff.anonymised" => &["archive_id"],
        "office.created" | "office.updated" | "office.settings_updated" => {
            &["changed_fields", "old", "new"]
        }
        "employee_action.requested"
        | "employee_action.approved"
        | "employee_action.rejected"
        | "employee_action.withdrawn"
        | "employee_action.expired" => &["action_type", "resource_type", "resource_id"],
        "recipient.created" | "recipient.deleted" | "recipient.viewed" => &[],
        "recipient.archived" => &["end_reason"],
        "recipient.restored" => &["from"],
        "recipient.updated" => &["changed_fields", "version"],
        "recipient.imported" => &["row_count", "file_sha256"],
        "recipient.exported" => &["row_count", "filters"],
        a if a.starts_with("assessment.") => &["section", "item_id"],
        "plan.cycle_created"
        | "plan.step_completed"
        | "plan.step_reopened"
        | "plan.step_dates_edited" => &["step", "date", "reason_length"],
        "plan.order_override" => &["rules", "reason"],
        "plan.next_plan_start_days_changed" => &["from", "to"],
        "plan.consent_recorded" => &["method", "document_sha256"],
        "document.uploaded" | "document.version_deleted" | "document.opened" => {
            &["doc_type", "version", "size", "sha256"]
        }
        _ => &[],
    }
}

/// One audit row under construction.
#[derive(Debug, Clone)]
pub struct Entry {
    action: &'static str,
    actor_staff_id: Option<Uuid>,
    actor_role: Option<Role>,
    target_type: Option<&'static str>,
    target_id: Option<Uuid>,
    office_id: Option<Uuid>,
    client: ClientInfo,
    details: Map<String, Value>,
}

impl Entry {
    /// An action of the system (jobs, security reactions) or of someone not signed in.
    pub fn system(action: &'static str) -> Self {
        Self {
            action,
            actor_staff_id: None,
            actor_role: None,
            target_type: None,
            target_id: None,
            office_id: None,
            client: ClientInfo::default(),
            details: Map::new(),
        }
    }

    /// An action of a staff member.
    pub fn by(action: &'static str, staff_id: Uuid, role: Role, office_id: Option<Uuid>) -> Self {
        Self {
            actor_staff_id: Some(staff_id),
            actor_role: Some(role),
            office_id,
            ..Self::system(action)
        }
    }

    pub fn target(mut self, kind: &'static str, id: Uuid) -> Self {
        self.target_type = Some(kind);
        self.target_id = Some(id);
        self
    }

    pub fn office(mut self, office_id: Option<Uuid>) -> Self {
        self.office_id = office_id;
        self
    }

    pub fn client(mut self, client: &ClientInfo) -> Self {
        self.client = client.clone();
        self
    }

    pub fn detail(mut self, key: &str, value: impl Into<Value>) -> Self {
        if allowed_details(self.action).contains(&key) {
            self.details.insert(key.to_owned(), value.into());
        } else {
            tracing::warn!(
                action = self.action,
                key,
                "audit detail key not allowed; dropped"
            );
        }
        self
    }
}

pub async fn record(db: impl PgExecutor<'_>, entry: Entry) -> Result<(), sqlx::Error> {
    sqlx::query!(
        r#"insert into audit_logs
               (actor_staff_id, actor_role, action, target_type, target_id, office_id, ip, user_agent, details)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9)"#,
        entry.actor_staff_id,
        entry.actor_role as Option<Role>,
        entry.action,
        entry.target_type,
        entry.target_id,
        entry.office_id,
        entry.client.ip.map(ipnet::IpNet::from),
        entry.client.user_agent.as_deref(),
        Value::Object(entry.details),
    )
    .execute(db)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_off_the_list_are_dropped() {
        let entry = Entry::system("auth.logout")
            .detail("session_id", "s")
            .detail("password", "hunter2")
            .detail("email", "taro@example.jp");
        assert_eq!(entry.details.len(), 1);
        assert!(entry.details.contains_key("session_id"));
    }
}
