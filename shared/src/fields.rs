//! Validated field types that many forms share (SPEC §0): e-mail, person names, kana, phone.
//!
//! Each type can only be built through `parse`, which normalises the input first (§0) and returns
//! the Japanese message to show beside the field when the input is not acceptable.

use crate::{
    dates::parse_date,
    text::{char_len, halfwidth_numeric, normalize_line, normalize_multiline, to_hiragana},
};
use serde::{Deserialize, Serialize};
use std::fmt;
use time::Date;

/// The message for a required field left empty.
pub const REQUIRED: &str = "入力してください";

macro_rules! string_newtype {
    ($name:ident) => {
        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }

            pub fn into_inner(self) -> String {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}

/// `EMAIL`: trimmed and lower-cased; ≤254 characters; one `@`; local part 1–64; a domain with a dot.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);
string_newtype!(Email);

impl Email {
    pub fn parse(input: &str) -> Result<Self, &'static str> {
        let value = normalize_line(&halfwidth_ascii(input)).to_lowercase();
        if value.is_empty() {
            return Err(REQUIRED);
        }
        const INVALID: &str = "メールアドレスの形式が正しくありません";
        if char_len(&value) > 254 {
            return Err("メールアドレスは254文字以内で入力してください");
        }
        let (local, domain) = value.split_once('@').ok_or(INVALID)?;
        let acceptable = |part: &str| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_graphic() && !matches!(c, '@' | '<' | '>' | '"' | ','))
        };
        if !acceptable(local)
            || local.len() > 64
            || !acceptable(domain)
            || !domain.contains('.')
            || domain.starts_with('.')
            || domain.ends_with('.')
            || domain.contains("..")
        {
            return Err(INVALID);
        }
        Ok(Self(value))
    }

    /// The part before `@` (used by the password rule about the e-mail).
    pub fn local_part(&self) -> &str {
        self.0.split_once('@').map_or(&self.0, |(local, _)| local)
    }

    /// `t***@example.com` (SPEC §13.2): for audit details, console lists and logs.
    pub fn masked(&self) -> String {
        mask_email(&self.0)
    }
}

/// Masks any stored address the same way as [`Email::masked`].
pub fn mask_email(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => "***".to_owned(),
    }
}

impl TryFrom<String> for Email {
    type Error = &'static str;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Email> for String {
    fn from(value: Email) -> Self {
        value.0
    }
}

/// Full-width ASCII (`ｔａｒｏ＠…`) typed with a Japanese IME becomes half-width.
fn halfwidth_ascii(input: &str) -> String {
    input
        .chars()
        .map(|c| match c {
            '！'..='～' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// `PERSON_NAME`: 1–50 characters of letters (kanji, kana, Latin), `々・ー'-` and spaces; no digits.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PersonName(String);
string_newtype!(PersonName);

impl PersonName {
    pub fn parse(input: &str) -> Result<Self, &'static str> {
        let value = normalize_line(input);
        if value.is_empty() {
            return Err(REQUIRED);
        }
        if char_len(&value) > 50 {
            return Err("50文字以内で入力してください");
        }
        let allowed = |c: char| {
            (c.is_alphabetic() && !c.is_numeric())
                || matches!(c, '々' | '・' | 'ー' | '\'' | '-' | ' ' | '\u{3000}')
        };
        if !value.chars().all(allowed) {
            return Err("数字や記号は使えません");
        }
        Ok(Self(value))
    }
}

impl TryFrom<String> for PersonName {
    type Error = &'static str;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<PersonName> for String {
    fn from(value: PersonName) -> Self {
        value.0
    }
}

/// `KANA`: hiragana, `ー` and spaces, 1–`max` characters; katakana are converted to hiragana.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Kana(String);
string_newtype!(Kana);

impl Kana {
    /// Kana of a person's name (1–50 characters).
    pub fn parse(input: &str) -> Result<Self, &'static str> {
        Self::parse_max(input, 50)
    }

    pub fn parse_max(input: &str, max: usize) -> Result<Self, &'static str> {
        let value = normalize_line(&to_hiragana(input));
        if value.is_empty() {
            return Err(REQUIRED);
        }
        if char_len(&value) > max {
            return Err(if max == 50 {
                "50文字以内で入力してください"
            } else {
                "100文字以内で入力してください"
            });
        }
        let allowed = |c: char| matches!(c, 'ぁ'..='ゖ' | 'ゝ' | 'ゞ' | 'ー' | ' ' | '\u{3000}');
        if !value.chars().all(allowed) {
            return Err("ひらがなで入力してください");
        }
        Ok(Self(value))
    }
}

impl TryFrom<String> for Kana {
    type Error = &'static str;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Kana> for String {
    fn from(value: Kana) -> Self {
        value.0
    }
}

/// `PHONE`: digits and `-` only, 10–11 digits, starting with 0 (full-width input is converted).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Phone(String);
string_newtype!(Phone);

impl Phone {
    pub fn parse(input: &str) -> Result<Self, &'static str> {
        let value = halfwidth_numeric(input);
        if value.is_empty() {
            return Err(REQUIRED);
        }
        const INVALID: &str = "電話番号は0から始まる10〜11桁の数字で入力してください";
        if !value.chars().all(|c| c.is_ascii_digit() || c == '-') {
            return Err(INVALID);
        }
        let digits = value.chars().filter(char::is_ascii_digit).count();
        if !(10..=11).contains(&digits) || !value.trim_start_matches('-').starts_with('0') {
            return Err(INVALID);
        }
        Ok(Self(value))
    }
}

impl TryFrom<String> for Phone {
    type Error = &'static str;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Phone> for String {
    fn from(value: Phone) -> Self {
        value.0
    }
}

/// `NNN-NNNN`; seven digits with or without the hyphen are accepted and stored with it.
pub fn postal_code(input: &str) -> Result<String, &'static str> {
    let value = halfwidth_numeric(input).replace('〒', "");
    let value = value.trim();
    let digits: String = value.chars().filter(|c| *c != '-').collect();
    let shape_ok = value.len() == 7 || (value.len() == 8 && value.as_bytes()[3] == b'-');
    if shape_ok && digits.len() == 7 && digits.chars().all(|c| c.is_ascii_digit()) {
        Ok(format!("{}-{}", &digits[..3], &digits[3..]))
    } else {
        Err("郵便番号は「123-4567」の形式で入力してください")
    }
}

/// Parses an optional field: empty input is `None`, anything else must parse.
pub fn optional<T>(
    input: &str,
    parse: impl FnOnce(&str) -> Result<T, &'static str>,
) -> Result<Option<T>, &'static str> {
    if input.trim_matches(|c: char| c.is_whitespace()).is_empty() {
        Ok(None)
    } else {
        parse(input).map(Some)
    }
}

/// Collects the per-field messages of one form while it is parsed.
#[derive(Debug, Default)]
pub struct FieldCheck {
    errors: Vec<crate::FieldError>,
}

impl FieldCheck {
    /// Records the message of a failed field and returns the value of a good one.
    pub fn check<T>(&mut self, field: &str, result: Result<T, &'static str>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(message) => {
                self.fail(field, message);
                None
            }
        }
    }

    pub fn fail(&mut self, field: &str, message: impl Into<String>) {
        if !self.errors.iter().any(|e| e.field == field) {
            self.errors.push(crate::FieldError::new(field, message));
        }
    }

    pub fn is_ok(&self) -> bool {
        self.errors.is_empty()
    }

    pub fn into_errors(self) -> Vec<crate::FieldError> {
        self.errors
    }
}

// Field rules shared by the forms of recipients and assessment: each records its message in
// the [`FieldCheck`] and returns the value when the field is good.

/// Text of at most `max` characters; `None` when empty. Messages name the limit.
pub fn text(
    check: &mut FieldCheck,
    field: &str,
    raw: &str,
    max: usize,
    multiline: bool,
) -> Option<Option<String>> {
    let value = if multiline {
        normalize_multiline(raw)
    } else {
        normalize_line(raw)
    };
    if char_len(&value) > max {
        check.fail(field, format!("{max}文字以内で入力してください"));
        return None;
    }
    Some((!value.is_empty()).then_some(value))
}

/// Required text of 1–`max` characters.
pub fn required_text(check: &mut FieldCheck, field: &str, raw: &str, max: usize) -> Option<String> {
    match text(check, field, raw, max, false)? {
        Some(value) => Some(value),
        None => {
            check.fail(field, REQUIRED);
            None
        }
    }
}

pub fn choose<T>(
    check: &mut FieldCheck,
    field: &str,
    raw: &str,
    parse: fn(&str) -> Option<T>,
) -> Option<T> {
    if raw.is_empty() {
        check.fail(field, "選択してください");
        return None;
    }
    let parsed = parse(raw);
    if parsed.is_none() {
        check.fail(field, "一覧から選択してください");
    }
    parsed
}

/// The その他 detail: required (1–`max`) when `is_other`, refused otherwise.
pub fn other_text(
    check: &mut FieldCheck,
    field: &str,
    raw: &str,
    is_other: Option<bool>,
    max: usize,
) -> Option<Option<String>> {
    let value = text(check, field, raw, max, false)?;
    match (is_other, value) {
        (Some(true), None) => {
            check.fail(field, "「その他」の内容を入力してください");
            None
        }
        (Some(false), Some(_)) => {
            check.fail(field, "「その他」を選んだときだけ入力できます");
            None
        }
        (_, value) => Some(value),
    }
}

pub fn date_field(check: &mut FieldCheck, field: &str, raw: &str) -> Option<Date> {
    check.check(field, parse_date(raw))
}

pub fn optional_date(check: &mut FieldCheck, field: &str, raw: &str) -> Option<Option<Date>> {
    if raw.trim().is_empty() {
        return Some(None);
    }
    date_field(check, field, raw).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn emails() {
        assert_eq!(
            Email::parse(" Taro@Example.JP ").unwrap().as_str(),
            "taro@example.jp"
        );
        assert_eq!(
            Email::parse("ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ")
                .unwrap()
                .as_str(),
            "taro@example.jp"
        );
        for bad in [
            "",
            "taro",
            "taro@",
            "@example.jp",
            "a@b@c.jp",
            "taro@localhost",
            "ta ro@x.jp",
            "a@.jp",
            "a@x..jp",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
        let long_local = format!("{}@example.jp", "a".repeat(65));
        assert!(Email::parse(&long_local).is_err());
        assert_eq!(
            Email::parse("taro@example.jp").unwrap().masked(),
            "t***@example.jp"
        );
    }

    #[test]
    fn person_names() {
        assert!(PersonName::parse("山田").is_ok());
        assert!(PersonName::parse("佐々木・ジョン").is_ok());
        assert!(PersonName::parse("O'Brien-Smith").is_ok());
        assert_eq!(PersonName::parse("").unwrap_err(), REQUIRED);
        assert!(PersonName::parse("太郎2").is_err());
        assert!(PersonName::parse("太郎２").is_err());
        assert!(PersonName::parse("<script>").is_err());
        assert!(PersonName::parse(&"あ".repeat(51)).is_err());
        assert!(PersonName::parse(&"あ".repeat(50)).is_ok());
    }

    #[test]
    fn kana() {
        assert_eq!(Kana::parse("ヤマダ").unwrap().as_str(), "やまだ");
        assert!(Kana::parse("やまだ たろう").is_ok());
        assert!(Kana::parse("山田").is_err());
        assert!(Kana::parse("yamada").is_err());
    }

    #[test]
    fn phones() {
        assert_eq!(
            Phone::parse("０３－１２３４－５６７８").unwrap().as_str(),
            "03-1234-5678"
        );
        assert!(Phone::parse("090-1234-5678").is_ok());
        assert!(Phone::parse("12-3456-7890").is_err());
        assert!(Phone::parse("03-1234-567").is_err());
        assert!(Phone::parse("03(1234)5678").is_err());
    }

    proptest! {
        #[test]
        fn parsed_values_reparse_to_themselves(input in "\\PC{0,80}") {
            if let Ok(email) = Email::parse(&input) {
                prop_assert_eq!(Email::parse(email.as_str()).unwrap(), email);
            }
            if let Ok(name) = PersonName::parse(&input) {
                prop_assert_eq!(PersonName::parse(name.as_str()).unwrap(), name);
            }
            if let Ok(kana) = Kana::parse(&input) {
                prop_assert_eq!(Kana::parse(kana.as_str()).unwrap(), kana);
            }
            if let Ok(phone) = Phone::parse(&input) {
                prop_assert_eq!(Phone::parse(phone.as_str()).unwrap(), phone);
            }
        }
    }
}
