//! The account mails of SPEC §14 and their wording.

use super::{Action, Content};

/// One mail to send. URLs are absolute and carry tokens only in the fragment.
#[derive(Clone, Debug)]
pub enum Message {
    VerifyEmail {
        staff_name: String,
        verification_url: String,
    },
    AccountExists {
        login_url: String,
        reset_url: String,
    },
    Invitation {
        office_name: String,
        inviter_name: String,
        invitee_name: Option<String>,
        role_label: &'static str,
        accept_url: String,
        expires_at: String,
    },
    EmailChangeVerification {
        staff_name: String,
        masked_old_email: String,
        verification_url: String,
    },
    EmailChangeNotification {
        staff_name: String,
        masked_new_email: String,
        requested_at: String,
    },
    EmailChangeCompleted {
        staff_name: String,
        masked_new_email: String,
    },
    PasswordReset {
        staff_name: String,
        reset_url: String,
    },
    PasswordChanged {
        staff_name: String,
        changed_at: String,
        masked_ip: String,
        reset_url: String,
    },
    AccountLocked {
        staff_name: String,
        locked_until: String,
        reset_url: String,
    },
    MfaChanged {
        staff_name: String,
        change_label: &'static str,
        changed_at: String,
    },
    AccountRemoved {
        staff_name: String,
        office_name: String,
    },
}

impl Message {
    /// The template name of SPEC §14 (stored with the outbox row).
    pub fn template(&self) -> &'static str {
        match self {
            Self::VerifyEmail { .. } => "verify_email",
            Self::AccountExists { .. } => "account_exists",
            Self::Invitation { .. } => "invitation",
            Self::EmailChangeVerification { .. } => "email_change_verification",
            Self::EmailChangeNotification { .. } => "email_change_notification",
            Self::EmailChangeCompleted { .. } => "email_change_completed",
            Self::PasswordReset { .. } => "password_reset",
            Self::PasswordChanged { .. } => "password_changed",
            Self::AccountLocked { .. } => "account_locked",
            Self::MfaChanged { .. } => "mfa_changed",
            Self::AccountRemoved { .. } => "account_removed",
        }
    }

    pub fn content(&self) -> Content {
        let ignore_note =
            "このメールにお心当たりがない場合は、何もせずに破棄してください。".to_owned();
        match self {
            Self::VerifyEmail { staff_name, verification_url } => Content {
                subject: "メールアドレスの確認をお願いします".into(),
                heading: "メールアドレスの確認".into(),
                recipient_name: Some(staff_name.clone()),
                paragraphs: vec![
                    "けいかくんへのご登録ありがとうございます。".into(),
                    "下のボタンを押して、メールアドレスの確認を完了してください。確認後にログインして、事業所の情報を登録できます。".into(),
                ],
                action: Some(Action { label: "メールアドレスを確認する", url: verification_url.clone() }),
                notes: vec!["このリンクの有効期限は24時間です。".into(), ignore_note],
            },
            Self::AccountExists { login_url, reset_url } => Content {
                subject: "アカウント登録についてのお知らせ".into(),
                heading: "このメールアドレスは既に登録されています".into(),
                recipient_name: None,
                paragraphs: vec![
                    "このメールアドレスで新規登録の操作がありましたが、既にアカウントが登録されています。".into(),
                    format!("ログインはこちらから行えます: {login_url}"),
                    "パスワードをお忘れの場合は、下のボタンから再設定してください。".into(),
                ],
                action: Some(Action { label: "パスワードを再設定する", url: reset_url.clone() }),
                notes: vec![ignore_note],
            },
            Self::Invitation { office_name, inviter_name, invitee_name, role_label, accept_url, expires_at } => Content {
                subject: format!("「{office_name}」への招待が届いています"),
                heading: format!("「{office_name}」への招待"),
                recipient_name: invitee_name.clone(),
                paragraphs: vec![
                    format!("{inviter_name}さんから、けいかくんの事業所「{office_name}」に{role_label}として招待されました。"),
                    "下のボタンからお名前とパスワードを登録すると、すぐに利用を始められます。".into(),
                ],
                action: Some(Action { label: "招待を受けて登録する", url: accept_url.clone() }),
                notes: vec![format!("この招待の有効期限は{expires_at}です。"), ignore_note],
            },
            Self::EmailChangeVerification { staff_name, masked_old_email, verification_url } => Content {
                subject: "メールアドレス変更の確認".into(),
                heading: "メールアドレス変更の確認".into(),
                recipient_name: Some(staff_name.clone()),
                paragraphs: vec![
                    format!("けいかくんのログイン用メールアドレスを {masked_old_email} からこのアドレスへ変更する手続きが行われました。"),
                    "下のボタンを押すと変更が完了します。変更後は、すべての端末で再度ログインが必要です。".into(),
                ],
                action: Some(Action { label: "メールアドレスの変更を確定する", url: verification_url.clone() }),
                notes: vec!["このリンクの有効期限は30分です。".into(), ignore_note],
            },
            Self::EmailChangeNotification { staff_name, masked_new_email, requested_at } => Content {
                subject: "メールアドレス変更のリクエスト".into(),
                heading: "メールアドレス変更のリクエストがありました".into(),
                recipient_name: Some(staff_name.clone()),
                paragraphs: vec![
                    format!("{requested_at}に、けいかくんのログイン用メールアドレスを {masked_new_email} へ変更する手続きが行われました。"),
                    "新しいアドレスでの確認が済むと変更が完了します。お心当たりがない場合は、すぐにパスワードを変更し、事業所の管理者にご連絡ください。".into(),
                ],
                action: None,
                notes: vec![],
            },
            Self::EmailChangeCompleted { staff_name, masked_new_email } => Content {
                subject: "メールアドレスが変更されました".into(),
                heading: "メールアドレスが変更されました".into(),
                recipient_name: Some(staff_name.clone()),
                paragraphs: vec![
                    format!("けいかくんのログイン用メールアドレスが {masked_new_email} に変更されました。今後このアドレスにはお知らせが届きません。"),
                    "お心当たりがない場合は、事業所の管理者にご連絡ください。".into(),
                ],
                action: None,
                notes: vec![],
            },
            Self::PasswordReset { staff_name, reset_url } => Content {
                subject: "パスワードリセットのリクエスト".into(),
                heading: "パスワードの再設定".into(),
                recipient_name: Some(staff_name.clone()),
                paragraphs: vec![
                    "パスワード再設定のお申し込みを受け付けました。下のボタンから新しいパスワードを設定してください。".into(),
                ],
                action: Some(Action { label: "パスワードを再設定する", url: reset_url.clone() }),
                notes: vec!["このリンクの有効期限は30分です。一度使うと無効になります。".into(), ignore_note],
            },
            Self::PasswordChanged { staff_name, changed_at, masked_ip, reset_url } => Content {
                subject: "パスワードが変更されました".into(),
                heading: "パスワードが変更されました".into(),
                recipient_name: Some(staff_name.clone()),
                paragraphs: vec![
                    format!("{changed_at}に、けいかくんのパスワードが変更されました（接続元: {masked_ip}）。"),
                    "お心当たりがない場合は、すぐに下のボタンからパスワードを再設定し、事業所の管理者にご連絡ください。".into(),
                ],
                action: Some(Action { label: "パスワードを再設定する", url: reset_url.clone() }),
                notes: vec![],
            },
            Self::AccountLocked { staff_name, locked_until, reset_url } => Content {
                subject: "アカウントが一時的にロックされました".into(),
                heading: "アカウントが一時的にロックされました".into(),
                recipient_name: Some(staff_name.clone()),
                paragraphs: vec![
                    format!("誤ったパスワードが続けて入力されたため、{locked_until}までログインを制限しています。"),
                    "ご本人の操作でない場合は、パスワードの再設定をおすすめします。再設定するとロックは解除されます。".into(),
                ],
                action: Some(Action { label: "パスワードを再設定する", url: reset_url.clone() }),
                notes: vec![],
            },
            Self::MfaChanged { staff_name, change_label, changed_at } => Content {
                subject: "2段階認証の設定が変更されました".into(),
                heading: "2段階認証の設定が変更されました".into(),
                recipient_name: Some(staff_name.clone()),
                paragraphs: vec![
                    format!("{changed_at}に、2段階認証の設定が変更されました（{change_label}）。"),
                    "お心当たりがない場合は、すぐにパスワードを変更し、事業所の管理者にご連絡ください。".into(),
                ],
                action: None,
                notes: vec![],
            },
            Self::AccountRemoved { staff_name, office_name } => Content {
                subject: "アカウントが削除されました".into(),
                heading: "アカウントが削除されました".into(),
                recipient_name: Some(staff_name.clone()),
                paragraphs: vec![
                    format!("事業所「{office_name}」のオーナーにより、けいかくんのアカウントが削除されました。今後はログインできません。"),
                    "ご不明な点は、事業所のオーナーにお問い合わせください。".into(),
                ],
                action: None,
                notes: vec![],
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::render;
    use super::*;

    #[test]
    fn html_escapes_and_text_keeps_the_link() {
        let message = Message::VerifyEmail {
            staff_name: "<b>山田</b> 花子".into(),
            verification_url: "https://k.example/verify-email#token=abc".into(),
        };
        let mail = render(&message, "https://k.example").unwrap();
        assert_eq!(
            mail.subject,
            "【けいかくん】メールアドレスの確認をお願いします"
        );
        assert!(
            mail.html.contains("&#60;b&#62;山田") || mail.html.contains("&lt;b&gt;山田"),
            "{}",
            mail.html
        );
        assert!(!mail.html.contains("<b>山田"));
        assert!(mail.text.contains("<b>山田</b> 花子 様"));
        assert!(
            mail.text
                .contains("https://k.example/verify-email#token=abc")
        );
        assert!(
            mail.html
                .contains("href=\"https://k.example/verify-email#token=abc\"")
        );
    }
}
