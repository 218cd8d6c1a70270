//! Account forms: what the browser sends, and the valid values the server acts on.

use crate::{
    FieldError,
    fields::{Email, FieldCheck, Kana, PersonName},
    password::{NewPassword, PasswordError, Secret},
    roles::Role,
};
use serde::{Deserialize, Serialize};

/// Name fields of a staff member (signup, invitation acceptance, profile).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StaffNameInput {
    pub last_name: String,
    pub first_name: String,
    pub last_name_kana: String,
    pub first_name_kana: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffName {
    pub last_name: PersonName,
    pub first_name: PersonName,
    pub last_name_kana: Kana,
    pub first_name_kana: Kana,
}

impl StaffNameInput {
    fn parse_into(&self, check: &mut FieldCheck) -> Option<StaffName> {
        let last_name = check.check("last_name", PersonName::parse(&self.last_name));
        let first_name = check.check("first_name", PersonName::parse(&self.first_name));
        let last_name_kana = check.check("last_name_kana", Kana::parse(&self.last_name_kana));
        let first_name_kana = check.check("first_name_kana", Kana::parse(&self.first_name_kana));
        Some(StaffName {
            last_name: last_name?,
            first_name: first_name?,
            last_name_kana: last_name_kana?,
            first_name_kana: first_name_kana?,
        })
    }

    pub fn parse(&self) -> Result<StaffName, Vec<FieldError>> {
        let mut check = FieldCheck::default();
        match self.parse_into(&mut check) {
            Some(name) if check.is_ok() => Ok(name),
            _ => Err(check.into_errors()),
        }
    }
}

impl StaffName {
    pub fn full(&self) -> String {
        format!("{} {}", self.last_name, self.first_name)
    }
}

const TERMS_REQUIRED: &str = "利用規約への同意が必要です";
const PRIVACY_REQUIRED: &str = "プライバシーポリシーへの同意が必要です";

fn check_password(
    check: &mut FieldCheck,
    password: &str,
    confirmation: &str,
    email_local: Option<&str>,
) -> Option<NewPassword> {
    match NewPassword::parse(password, confirmation, email_local) {
        Ok(password) => Some(password),
        Err(PasswordError::Password(message)) => {
            check.fail("password", message);
            None
        }
        Err(PasswordError::Confirmation(message)) => {
            check.fail("password_confirmation", message);
            None
        }
    }
}

/// `/signup` (SPEC §2.1 step 1).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SignupInput {
    #[serde(flatten)]
    pub name: StaffNameInput,
    pub email: String,
    pub password: Secret,
    pub password_confirmation: Secret,
    pub agree_terms: bool,
    pub agree_privacy: bool,
}

#[derive(Debug)]
pub struct Signup {
    pub name: StaffName,
    pub email: Email,
    pub password: NewPassword,
}

impl SignupInput {
    pub fn parse(&self) -> Result<Signup, Vec<FieldError>> {
        let mut check = FieldCheck::default();
        let name = self.name.parse_into(&mut check);
        let email = check.check("email", Email::parse(&self.email));
        let password = check_password(
            &mut check,
            self.password.expose(),
            self.password_confirmation.expose(),
            email.as_ref().map(Email::local_part),
        );
        if !self.agree_terms {
            check.fail("agree_terms", TERMS_REQUIRED);
        }
        if !self.agree_privacy {
            check.fail("agree_privacy", PRIVACY_REQUIRED);
        }
        match (name, email, password) {
            (Some(name), Some(email), Some(password)) if check.is_ok() => Ok(Signup {
                name,
                email,
                password,
            }),
            _ => Err(check.into_errors()),
        }
    }
}

/// `/invite` (SPEC §2.2): the e-mail comes from the invitation.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AcceptInvitationInput {
    pub token: Secret,
    #[serde(flatten)]
    pub name: StaffNameInput,
    pub password: Secret,
    pub password_confirmation: Secret,
    pub agree_terms: bool,
    pub agree_privacy: bool,
}

#[derive(Debug)]
pub struct AcceptInvitation {
    pub name: StaffName,
    pub password: NewPassword,
}

impl AcceptInvitationInput {
    /// `email` = the invited address (the password must not contain its local part).
    pub fn parse(&self, email: Option<&Email>) -> Result<AcceptInvitation, Vec<FieldError>> {
        let mut check = FieldCheck::default();
        let name = self.name.parse_into(&mut check);
        let password = check_password(
            &mut check,
            self.password.expose(),
            self.password_confirmation.expose(),
            email.map(Email::local_part),
        );
        if !self.agree_terms {
            check.fail("agree_terms", TERMS_REQUIRED);
        }
        if !self.agree_privacy {
            check.fail("agree_privacy", PRIVACY_REQUIRED);
        }
        match (name, password) {
            (Some(name), Some(password)) if check.is_ok() => {
                Ok(AcceptInvitation { name, password })
            }
            _ => Err(check.into_errors()),
        }
    }
}

/// `/login`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LoginInput {
    pub email: String,
    pub password: Secret,
    /// The page the user wanted before being sent to login.
    #[serde(default)]
    pub from: Option<String>,
}

impl LoginInput {
    /// Only the shape is checked; a wrong e-mail or password gets the one generic message.
    pub fn parse(&self) -> Result<Email, Vec<FieldError>> {
        let mut check = FieldCheck::default();
        let email = check.check("email", Email::parse(&self.email));
        if self.password.expose().is_empty() {
            check.fail("password", crate::fields::REQUIRED);
        }
        match email {
            Some(email) if check.is_ok() => Ok(email),
            _ => Err(check.into_errors()),
        }
    }
}

/// An e-mail address alone (forgot password, resend verification).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EmailInput {
    pub email: String,
}

impl EmailInput {
    pub fn parse(&self) -> Result<Email, Vec<FieldError>> {
        Email::parse(&self.email).map_err(|m| vec![FieldError::new("email", m)])
    }
}

/// `/reset-password` form.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ResetPasswordInput {
    pub token: Secret,
    pub password: Secret,
    pub password_confirmation: Secret,
}

impl ResetPasswordInput {
    /// The e-mail local-part rule needs the account: the server checks it again with the address.
    pub fn parse(&self, email: Option<&Email>) -> Result<NewPassword, Vec<FieldError>> {
        let mut check = FieldCheck::default();
        let password = check_password(
            &mut check,
            self.password.expose(),
            self.password_confirmation.expose(),
            email.map(Email::local_part),
        );
        match password {
            Some(password) if check.is_ok() => Ok(password),
            _ => Err(check.into_errors()),
        }
    }
}

/// `/settings/security` password change.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ChangePasswordInput {
    pub current_password: Secret,
    pub password: Secret,
    pub password_confirmation: Secret,
}

impl ChangePasswordInput {
    pub fn parse(&self, email: Option<&Email>) -> Result<NewPassword, Vec<FieldError>> {
        let mut check = FieldCheck::default();
        if self.current_password.expose().is_empty() {
            check.fail("current_password", crate::fields::REQUIRED);
        }
        let password = check_password(
            &mut check,
            self.password.expose(),
            self.password_confirmation.expose(),
            email.map(Email::local_part),
        );
        match password {
            Some(password) if check.is_ok() => Ok(password),
            _ => Err(check.into_errors()),
        }
    }
}

/// `/settings/security` e-mail change.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ChangeEmailInput {
    pub new_email: String,
    pub current_password: Secret,
}

impl ChangeEmailInput {
    pub fn parse(&self) -> Result<Email, Vec<FieldError>> {
        let mut check = FieldCheck::default();
        let email = check.check("new_email", Email::parse(&self.new_email));
        if self.current_password.expose().is_empty() {
            check.fail("current_password", crate::fields::REQUIRED);
        }
        match email {
            Some(email) if check.is_ok() => Ok(email),
            _ => Err(check.into_errors()),
        }
    }
}

/// Invitation form (SPEC §1.1).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationInput {
    pub email: String,
    pub role: Role,
    #[serde(default)]
    pub display_name: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invitation {
    pub email: Email,
    pub role: Role,
    pub display_name: Option<PersonName>,
}

impl InvitationInput {
    pub fn parse(&self) -> Result<Invitation, Vec<FieldError>> {
        let mut check = FieldCheck::default();
        let email = check.check("email", Email::parse(&self.email));
        let display_name = check.check(
            "display_name",
            crate::fields::optional(&self.display_name, PersonName::parse),
        );
        if !Role::OFFICE_ROLES.contains(&self.role) {
            check.fail("role", "役割を選択してください");
        }
        match (email, display_name) {
            (Some(email), Some(display_name)) if check.is_ok() => Ok(Invitation {
                email,
                role: self.role,
                display_name,
            }),
            _ => Err(check.into_errors()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signup() -> SignupInput {
        SignupInput {
            name: StaffNameInput {
                last_name: "山田".into(),
                first_name: "花子".into(),
                last_name_kana: "ヤマダ".into(),
                first_name_kana: "はなこ".into(),
            },
            email: "Hanako@Example.jp".into(),
            password: Secret("Kz8#mq2!Lp".into()),
            password_confirmation: Secret("Kz8#mq2!Lp".into()),
            agree_terms: true,
            agree_privacy: true,
        }
    }

    #[test]
    fn a_complete_signup_parses_and_normalises() {
        let parsed = signup().parse().unwrap();
        assert_eq!(parsed.email.as_str(), "hanako@example.jp");
        assert_eq!(parsed.name.last_name_kana.as_str(), "やまだ");
    }

    #[test]
    fn every_problem_is_reported_per_field() {
        let input = SignupInput {
            name: StaffNameInput::default(),
            email: "x".into(),
            password: Secret("Hanako#2026x".into()),
            password_confirmation: Secret("Hanako#2026x".into()),
            agree_terms: false,
            agree_privacy: false,
        };
        let fields: Vec<String> = input
            .parse()
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(
            fields,
            [
                "last_name",
                "first_name",
                "last_name_kana",
                "first_name_kana",
                "email",
                "agree_terms",
                "agree_privacy"
            ]
        );
        // With a valid address the local part rule applies.
        let input = SignupInput {
            password: Secret("Hanako#2026x".into()),
            password_confirmation: Secret("Hanako#2026x".into()),
            ..signup()
        };
        let errors = input.parse().unwrap_err();
        assert_eq!(errors[0].field, "password");
    }

    #[test]
    fn the_signup_wire_shape_is_flat() {
        let json = serde_json::to_value(signup()).unwrap();
        assert_eq!(json["last_name"], "山田");
        assert_eq!(json["password"], "Kz8#mq2!Lp");
    }
}
