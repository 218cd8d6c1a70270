//! app_admin accounts (SPEC §2.10): the passphrase (合言葉) rule, the login form of
//! `/app-admin/login`, and what the console's start page shows.

use crate::{
    FieldError,
    fields::{Email, FieldCheck, REQUIRED},
    password::Secret,
};
use serde::{Deserialize, Serialize};
use std::fmt;

pub const PASSPHRASE_MIN_CHARS: usize = 12;
pub const PASSPHRASE_MAX_CHARS: usize = 128;
/// The console warns when the passphrase is older than this (§2.10).
pub const PASSPHRASE_MAX_AGE_DAYS: i64 = 180;

/// A new passphrase, as `keikakun admin create|set-passphrase` accepts it: 12–128 characters
/// (any script, so a Japanese phrase works), not only spaces, no control characters.
#[derive(Clone, PartialEq, Eq)]
pub struct Passphrase(String);

impl fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Passphrase(***)")
    }
}

impl Passphrase {
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let chars = raw.chars().count();
        if raw.trim().is_empty() {
            return Err(REQUIRED);
        }
        if chars < PASSPHRASE_MIN_CHARS {
            return Err("合言葉は12文字以上にしてください");
        }
        if chars > PASSPHRASE_MAX_CHARS {
            return Err("合言葉は128文字以内にしてください");
        }
        if raw.chars().any(char::is_control) {
            return Err("合言葉に改行や制御文字は使えません");
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// `/app-admin/login` form. Only the shape is checked here: a wrong password or passphrase gets
/// the one generic message of the ordinary login.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AdminLoginInput {
    pub email: String,
    pub password: Secret,
    pub passphrase: Secret,
}

impl AdminLoginInput {
    pub fn parse(&self) -> Result<Email, Vec<FieldError>> {
        let mut check = FieldCheck::default();
        let email = check.check("email", Email::parse(&self.email));
        if self.password.expose().is_empty() {
            check.fail("password", REQUIRED);
        }
        if self.passphrase.expose().is_empty() {
            check.fail("passphrase", REQUIRED);
        }
        match email {
            Some(email) if check.is_ok() => Ok(email),
            _ => Err(check.into_errors()),
        }
    }
}

/// `GET /api/admin/overview`: the signed-in app_admin's own account state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminOverview {
    pub display_name: String,
    pub email: String,
    /// When the passphrase was set (JST, for display).
    pub passphrase_changed_at: String,
    /// Whole days since the passphrase was set.
    pub passphrase_age_days: i64,
    /// When the previous session began (JST, for display): a login the admin does not
    /// recognise is a reason to rotate the password and passphrase.
    pub previous_login_at: Option<String>,
}

impl AdminOverview {
    /// The console's warning (§2.10), when the passphrase is due for rotation.
    pub fn passphrase_warning(&self) -> Option<String> {
        (self.passphrase_age_days > PASSPHRASE_MAX_AGE_DAYS).then(|| {
            format!(
                "合言葉を最後に変更してから{}日が経過しています（目安は{}日以内）。サーバーで `keikakun admin set-passphrase` を実行して変更してください。",
                self.passphrase_age_days, PASSPHRASE_MAX_AGE_DAYS
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passphrase_length_counts_characters_not_bytes() {
        assert!(Passphrase::parse("短い合言葉").is_err());
        assert!(Passphrase::parse("さくらの花が咲く春の朝です").is_ok());
        assert!(Passphrase::parse("correct horse battery").is_ok());
        assert_eq!(
            Passphrase::parse("eleven char").unwrap_err(),
            "合言葉は12文字以上にしてください"
        );
        assert!(Passphrase::parse(&"あ".repeat(128)).is_ok());
        assert!(Passphrase::parse(&"あ".repeat(129)).is_err());
        assert_eq!(Passphrase::parse("            ").unwrap_err(), REQUIRED);
        assert!(Passphrase::parse("twelve chars\nmore").is_err());
    }

    #[test]
    fn login_form_names_each_missing_field() {
        let errors = AdminLoginInput::default().parse().unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["email", "password", "passphrase"]);
        let ok = AdminLoginInput {
            email: "admin@example.com".into(),
            password: Secret("x".into()),
            passphrase: Secret("y".into()),
        };
        assert_eq!(ok.parse().unwrap().as_str(), "admin@example.com");
    }

    #[test]
    fn the_warning_starts_after_180_days() {
        let mut overview = AdminOverview {
            display_name: "運営 太郎".into(),
            email: "admin@example.com".into(),
            passphrase_changed_at: "2026年6月1日 10:00".into(),
            passphrase_age_days: 180,
            previous_login_at: None,
        };
        assert_eq!(overview.passphrase_warning(), None);
        overview.passphrase_age_days = 181;
        assert!(overview.passphrase_warning().unwrap().contains("181日"));
    }
}
