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
pub const AUDIT_CATEGORIES: [(&str, &str); 12] = [
    ("auth", "ログイン・パスワード"),
    ("mfa", "2段階認証"),
    ("invitation", "招待"),
    ("staff", "スタッフ"),
    ("role_change", "役割変更申請"),
    ("office", "事業所"),
    ("terms", "利用規約"),
    ("recipient", "利用者"),
    ("employee_action", "承認申請"),
    ("assessment", "アセスメント"),
    ("plan", "支援計画"),
    ("document", "書類"),
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

/// The Japanese name of an audited action (SPEC §13.1).
pub fn action_label(action: &str) -> &'static str {
    match action {
        "auth.login_succeeded" => "ログイン",
        "auth.login_failed" => "ログインの失敗",
        "auth.account_locked" => "アカウントのロック",
        "auth.account_unlocked" => "ロックの解除",
        "auth.logout" => "ログアウト",
        "auth.session_revoked" => "端末のログアウト",
        "auth.refresh_reuse_detected" => "不正なセッション利用の検知",
        "auth.password_changed" => "パスワードの変更",
        "auth.password_change_failed" => "パスワード変更の失敗",
        "auth.password_reset_requested" => "パスワード再設定の依頼",
        "auth.password_reset_completed" => "パスワードの再設定",
        "auth.email_verified" => "メールアドレスの確認",
        "auth.email_change_requested" => "メールアドレス変更の依頼",
        "auth.email_changed" => "メールアドレスの変更",
        "mfa.enrolled" => "2段階認証の設定",
        "mfa.disabled" => "2段階認証の解除",
        "mfa.recovery_code_used" => "リカバリーコードの使用",
        "mfa.recovery_codes_regenerated" => "リカバリーコードの再発行",
        "mfa.requirement_set" => "2段階認証の必須設定（スタッフ）",
        "mfa.office_requirement_set" => "2段階認証の必須設定（事業所）",
        "mfa.reset_by_owner" => "2段階認証のリセット",
        "terms.agreed" => "利用規約への同意",
        "invitation.created" => "スタッフの招待",
        "invitation.resent" => "招待の再送",
        "invitation.revoked" => "招待の取り消し",
        "invitation.accepted" => "招待の受諾",
        "staff.role_changed" => "役割の変更",
        "staff.name_updated" => "氏名の変更",
        "staff.deleted" => "スタッフの削除",
        "role_change.requested" => "役割変更の申請",
        "role_change.approved" => "役割変更の承認",
        "role_change.rejected" => "役割変更の却下",
        "role_change.withdrawn" => "役割変更の取り下げ",
        "office.created" => "事業所の登録",
        "office.updated" => "事業所情報の変更",
        "office.settings_updated" => "事業所設定の変更",
        "app_admin.created" => "アプリ管理者の作成",
        "recipient.created" => "利用者の登録",
        "recipient.updated" => "利用者情報の更新",
        "recipient.archived" => "利用者の利用終了",
        "recipient.restored" => "利用者を元に戻す",
        "recipient.deleted" => "利用者の削除",
        "recipient.viewed" => "利用者情報の閲覧",
        "recipient.imported" => "利用者のCSV取り込み",
        "recipient.exported" => "利用者のCSV出力",
        "app_admin.passphrase_changed" => "合言葉の変更",
        "employee_action.requested" => "承認申請の送信",
        "employee_action.approved" => "承認申請の承認",
        "employee_action.rejected" => "承認申請の却下",
        "employee_action.withdrawn" => "承認申請の取り下げ",
        "employee_action.expired" => "承認申請の期限切れ",
        a if a.starts_with("assessment.") && a.ends_with(".created") => "アセスメントの登録",
        a if a.starts_with("assessment.") && a.ends_with(".updated") => "アセスメントの更新",
        a if a.starts_with("assessment.") && a.ends_with(".deleted") => "アセスメントの削除",
        "plan.cycle_created" => "計画の新しい回の開始",
        "plan.step_completed" => "計画のステップの完了",
        "plan.step_reopened" => "計画のステップの完了の取り消し",
        "plan.step_dates_edited" => "計画のステップの日付の修正",
        "plan.order_override" => "手順の順序の例外",
        "plan.next_plan_start_days_changed" => "アセスメント開始期限の変更",
        "plan.consent_recorded" => "計画への同意の記録",
        "document.uploaded" => "書類のアップロード",
        "document.version_deleted" => "書類の版の削除",
        "document.opened" => "書類の表示",
        _ => "その他の操作",
    }
}

/// The Japanese name of a detail key.
pub fn detail_label(key: &str) -> &str {
    match key {
        "method" => "方法",
        "reason" => "理由",
        "session_id" => "セッション",
        "email_hmac" => "識別子",
        "consecutive" => "連続失敗回数",
        "lock_level" => "ロック時間（分）",
        "until" => "解除予定",
        "kind" => "種類",
        "sessions_revoked" => "ログアウトした端末数",
        "old_email" => "変更前のメールアドレス",
        "new_email" => "変更後のメールアドレス",
        "remaining_codes" => "残りのリカバリーコード",
        "required" => "必須",
        "terms_version" => "利用規約の版",
        "privacy_version" => "プライバシーポリシーの版",
        "role" => "役割",
        "email" => "メールアドレス",
        "from" => "変更前",
        "to" => "変更後",
        "request_id" => "申請",
        "changed_fields" => "変更した項目",
        "archive_id" => "保管番号",
        "old" => "変更前の値",
        "new" => "変更後の値",
        "version" => "版",
        "end_reason" => "終了の理由",
        "action_type" => "申請内容",
        "section" => "項目",
        "row_count" => "件数",
        "file_sha256" => "ファイルのハッシュ値",
        "filters" => "条件",
        "item_id" => "項目の番号",
        "resource_type" => "対象",
        "resource_id" => "対象の番号",
        "step" => "ステップ",
        "date" => "日付",
        "reason_length" => "理由の文字数",
        "rules" => "規則",
        "document_sha256" => "原案のハッシュ値",
        "doc_type" => "書類の種類",
        "size" => "サイズ（バイト）",
        "sha256" => "ハッシュ値",
        other => other,
    }
}
