//! The password rules of SPEC §2.7 that need no server: one definition for the live checklist in
//! the browser and the authoritative check in the server function.
//!
//! The server adds what needs data (Have I Been Pwned, the last three passwords, the current one).

use crate::fields::REQUIRED;
use serde::{Deserialize, Serialize};
use std::fmt;

const COMMON_PASSWORDS: &str = include_str!("../data/common-passwords.txt");

/// One rule of the checklist shown under the password field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PasswordRule {
    Length,
    Lowercase,
    Uppercase,
    Digit,
    Symbol,
    NoTripleRepeat,
    NotCommon,
    NoEmailLocalPart,
}

impl PasswordRule {
    pub const ALL: [PasswordRule; 8] = [
        Self::Length,
        Self::Lowercase,
        Self::Uppercase,
        Self::Digit,
        Self::Symbol,
        Self::NoTripleRepeat,
        Self::NotCommon,
        Self::NoEmailLocalPart,
    ];

    /// The checklist line.
    pub const fn label(self) -> &'static str {
        match self {
            Self::Length => "8〜128文字の半角英数字・記号",
            Self::Lowercase => "英小文字を1文字以上",
            Self::Uppercase => "英大文字を1文字以上",
            Self::Digit => "数字を1文字以上",
            Self::Symbol => "記号を1文字以上",
            Self::NoTripleRepeat => "同じ文字を3回以上続けない",
            Self::NotCommon => "よく使われるパスワードではない",
            Self::NoEmailLocalPart => "メールアドレスの@より前の部分を含まない",
        }
    }

    /// The message beside the field when this rule fails.
    pub const fn message(self) -> &'static str {
        match self {
            Self::Length => "パスワードは8〜128文字の半角英数字・記号で入力してください",
            Self::Lowercase => "英小文字を1文字以上含めてください",
            Self::Uppercase => "英大文字を1文字以上含めてください",
            Self::Digit => "数字を1文字以上含めてください",
            Self::Symbol => "記号を1文字以上含めてください",
            Self::NoTripleRepeat => "同じ文字を3回以上続けて使うことはできません",
            Self::NotCommon => "よく使われているパスワードのため使用できません",
            Self::NoEmailLocalPart => "メールアドレスの一部を含むパスワードは使用できません",
        }
    }

    /// Whether `password` satisfies this rule (`email_local` = the part of the account's e-mail
    /// before `@`, when known).
    pub fn holds(self, password: &str, email_local: Option<&str>) -> bool {
        match self {
            Self::Length => {
                (8..=128).contains(&password.chars().count())
                    && password.chars().all(|c| matches!(c, ' '..='~'))
            }
            Self::Lowercase => password.chars().any(|c| c.is_ascii_lowercase()),
            Self::Uppercase => password.chars().any(|c| c.is_ascii_uppercase()),
            Self::Digit => password.chars().any(|c| c.is_ascii_digit()),
            Self::Symbol => password.chars().any(|c| c.is_ascii_punctuation()),
            Self::NoTripleRepeat => {
                let chars: Vec<char> = password.chars().collect();
                !chars.windows(3).any(|w| w[0] == w[1] && w[1] == w[2])
            }
            Self::NotCommon => !is_common_password(password),
            Self::NoEmailLocalPart => match email_local {
                Some(local) if local.chars().count() >= 4 => !password
                    .to_ascii_lowercase()
                    .contains(&local.to_ascii_lowercase()),
                _ => true,
            },
        }
    }
}

/// The live checklist: every rule with whether it currently holds.
pub fn checklist(password: &str, email_local: Option<&str>) -> Vec<(PasswordRule, bool)> {
    PasswordRule::ALL
        .into_iter()
        .map(|rule| (rule, rule.holds(password, email_local)))
        .collect()
}

/// Whether the password is in the bundled list of 10,000 common passwords (case-insensitive).
pub fn is_common_password(password: &str) -> bool {
    let lower = password.to_ascii_lowercase();
    COMMON_PASSWORDS.lines().any(|line| line == lower)
}

/// A new password that passed every shared rule and matched its confirmation. Deliberately not
/// `Serialize`/`Debug`-printing: it never travels back to a client or into a log.
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword(String);

impl NewPassword {
    /// Checks `password` against §2.7 for an account whose e-mail local part is `email_local`.
    /// Errors: `(field, message)` for the password field or the confirmation field.
    pub fn parse(
        password: &str,
        confirmation: &str,
        email_local: Option<&str>,
    ) -> Result<Self, PasswordError> {
        if password.is_empty() {
            return Err(PasswordError::Password(REQUIRED));
        }
        if let Some(rule) = PasswordRule::ALL
            .into_iter()
            .find(|rule| !rule.holds(password, email_local))
        {
            return Err(PasswordError::Password(rule.message()));
        }
        if confirmation != password {
            return Err(PasswordError::Confirmation(
                "確認用のパスワードが一致しません",
            ));
        }
        Ok(Self(password.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

/// Which of the two fields a password problem belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PasswordError {
    Password(&'static str),
    Confirmation(&'static str),
}

/// A password as typed (current password, login). Never printed.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(pub String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl Secret {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_list_has_ten_thousand_lower_case_entries() {
        let lines: Vec<&str> = COMMON_PASSWORDS.lines().collect();
        assert_eq!(lines.len(), 10_000);
        assert!(lines.iter().all(|l| *l == l.to_ascii_lowercase()));
        assert!(is_common_password("PassWord"));
        assert!(!is_common_password("Kz8#mq2!Lp"));
    }

    #[test]
    fn each_rule_rejects_its_counterexample() {
        let ok = "Kz8#mq2!Lp";
        assert!(NewPassword::parse(ok, ok, Some("taro")).is_ok());
        let cases = [
            ("Kz8#mq2", PasswordRule::Length),
            ("Kz8#mq2!Lpあ", PasswordRule::Length),
            ("KZ8#MQ2!LP", PasswordRule::Lowercase),
            ("kz8#mq2!lp", PasswordRule::Uppercase),
            ("Kzx#mqy!Lp", PasswordRule::Digit),
            ("Kz8xmq2yLp", PasswordRule::Symbol),
            ("Kz8#mmm!Lp", PasswordRule::NoTripleRepeat),
            ("Kz8#Taro!Lp", PasswordRule::NoEmailLocalPart),
        ];
        for (password, rule) in cases {
            assert_eq!(
                NewPassword::parse(password, password, Some("taro")).unwrap_err(),
                PasswordError::Password(rule.message()),
                "{password}"
            );
        }
        // A short local part is not a rule.
        assert!(NewPassword::parse("Kz8#abc!Lp", "Kz8#abc!Lp", Some("abc")).is_ok());
        assert!(matches!(
            NewPassword::parse(ok, "other", None),
            Err(PasswordError::Confirmation(_))
        ));
    }

    #[test]
    fn common_passwords_with_every_class_are_still_refused() {
        // Entries of the list that satisfy the character rules on their own.
        let strong_looking: Vec<&str> = COMMON_PASSWORDS
            .lines()
            .filter(|p| {
                PasswordRule::ALL
                    .iter()
                    .filter(|r| **r != PasswordRule::NotCommon && **r != PasswordRule::Uppercase)
                    .all(|r| r.holds(p, None))
            })
            .collect();
        for p in strong_looking.iter().take(20) {
            let upper = p.to_ascii_uppercase();
            let mixed: String = p
                .chars()
                .zip(upper.chars())
                .enumerate()
                .map(|(i, (l, u))| if i == 0 { u } else { l })
                .collect();
            assert!(!PasswordRule::NotCommon.holds(&mixed, None), "{mixed}");
        }
    }

    #[test]
    fn debug_never_prints_the_value() {
        let p = NewPassword::parse("Kz8#mq2!Lp", "Kz8#mq2!Lp", None).unwrap();
        assert!(!format!("{p:?}").contains("Kz8"));
        assert!(!format!("{:?}", Secret("hunter2".into())).contains("hunter2"));
    }

    proptest! {
        #[test]
        fn checklist_and_parse_agree(password in "[ -~]{0,20}") {
            let all_hold = checklist(&password, None).iter().all(|(_, ok)| *ok);
            prop_assert_eq!(all_hold, NewPassword::parse(&password, &password, None).is_ok());
        }
    }
}
