//! 事業所 (SPEC §3.1): the setup/edit form and the profile it becomes.

use crate::{
    FieldError,
    fields::{Email, FieldCheck, Kana, Phone, REQUIRED, optional, postal_code},
    service_type::ServiceType,
    text::{char_len, halfwidth_numeric, normalize_line},
};
use serde::{Deserialize, Serialize};

/// The office form as typed (what the browser sends). Every field is text; `service_types` holds
/// stored values of [`ServiceType`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct OfficeInput {
    pub name: String,
    pub name_kana: String,
    pub corporation_name: String,
    pub office_number: String,
    pub service_types: Vec<String>,
    pub postal_code: String,
    pub address: String,
    pub phone_number: String,
    pub fax_number: String,
    pub email: String,
}

/// A valid office profile. Only [`OfficeInput::parse`] builds one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficeProfile {
    pub name: String,
    pub name_kana: Option<Kana>,
    pub corporation_name: Option<String>,
    pub office_number: Option<String>,
    pub service_types: Vec<ServiceType>,
    pub postal_code: Option<String>,
    pub address: Option<String>,
    pub phone_number: Option<Phone>,
    pub fax_number: Option<Phone>,
    pub email: Option<Email>,
}

/// Field labels, for messages that list changed fields (§3.1).
pub const FIELD_LABELS: [(&str, &str); 10] = [
    ("name", "事業所名"),
    ("name_kana", "事業所名（ふりがな）"),
    ("corporation_name", "法人名"),
    ("office_number", "事業所番号"),
    ("service_types", "サービス種別"),
    ("postal_code", "郵便番号"),
    ("address", "所在地"),
    ("phone_number", "電話番号"),
    ("fax_number", "FAX番号"),
    ("email", "事業所メールアドレス"),
];

pub fn field_label(field: &str) -> &'static str {
    FIELD_LABELS
        .iter()
        .find(|(name, _)| *name == field)
        .map_or("", |(_, label)| label)
}

impl OfficeInput {
    pub fn parse(&self) -> Result<OfficeProfile, Vec<FieldError>> {
        let mut check = FieldCheck::default();
        let name = check.check("name", office_name(&self.name));
        let name_kana = check.check(
            "name_kana",
            optional(&self.name_kana, |v| Kana::parse_max(v, 100)),
        );
        let corporation_name = check.check(
            "corporation_name",
            optional_text(&self.corporation_name, 100),
        );
        let office_number = check.check(
            "office_number",
            optional(&self.office_number, office_number),
        );
        let service_types = check.check("service_types", service_types(&self.service_types));
        let postal_code = check.check("postal_code", optional(&self.postal_code, postal_code));
        let address = check.check("address", optional_text(&self.address, 500));
        let phone_number = check.check("phone_number", optional(&self.phone_number, Phone::parse));
        let fax_number = check.check("fax_number", optional(&self.fax_number, Phone::parse));
        let email = check.check("email", optional(&self.email, Email::parse));

        match (
            name,
            name_kana,
            corporation_name,
            office_number,
            service_types,
            postal_code,
            address,
            phone_number,
            fax_number,
            email,
        ) {
            (
                Some(name),
                Some(name_kana),
                Some(corporation_name),
                Some(office_number),
                Some(service_types),
                Some(postal_code),
                Some(address),
                Some(phone_number),
                Some(fax_number),
                Some(email),
            ) if check.is_ok() => Ok(OfficeProfile {
                name,
                name_kana,
                corporation_name,
                office_number,
                service_types,
                postal_code,
                address,
                phone_number,
                fax_number,
                email,
            }),
            _ => Err(check.into_errors()),
        }
    }
}

impl OfficeProfile {
    /// The form filled with this profile (for editing).
    pub fn to_input(&self) -> OfficeInput {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        OfficeInput {
            name: self.name.clone(),
            name_kana: self
                .name_kana
                .as_ref()
                .map(|k| k.to_string())
                .unwrap_or_default(),
            corporation_name: text(&self.corporation_name),
            office_number: text(&self.office_number),
            service_types: self
                .service_types
                .iter()
                .map(|t| t.code().to_owned())
                .collect(),
            postal_code: text(&self.postal_code),
            address: text(&self.address),
            phone_number: self
                .phone_number
                .as_ref()
                .map(|p| p.to_string())
                .unwrap_or_default(),
            fax_number: self
                .fax_number
                .as_ref()
                .map(|p| p.to_string())
                .unwrap_or_default(),
            email: self
                .email
                .as_ref()
                .map(|e| e.to_string())
                .unwrap_or_default(),
        }
    }

    /// Names of the fields whose value differs from `other`, in form order.
    pub fn changed_fields(&self, other: &OfficeProfile) -> Vec<&'static str> {
        let a = self.to_input();
        let b = other.to_input();
        let pairs: [(&'static str, bool); 10] = [
            ("name", a.name != b.name),
            ("name_kana", a.name_kana != b.name_kana),
            ("corporation_name", a.corporation_name != b.corporation_name),
            ("office_number", a.office_number != b.office_number),
            ("service_types", a.service_types != b.service_types),
            ("postal_code", a.postal_code != b.postal_code),
            ("address", a.address != b.address),
            ("phone_number", a.phone_number != b.phone_number),
            ("fax_number", a.fax_number != b.fax_number),
            ("email", a.email != b.email),
        ];
        pairs
            .into_iter()
            .filter(|(_, changed)| *changed)
            .map(|(name, _)| name)
            .collect()
    }
}

fn office_name(input: &str) -> Result<String, &'static str> {
    let value = normalize_line(input);
    if value.is_empty() {
        return Err(REQUIRED);
    }
    if !(2..=100).contains(&char_len(&value)) {
        return Err("事業所名は2〜100文字で入力してください");
    }
    Ok(value)
}

fn optional_text(input: &str, max: usize) -> Result<Option<String>, &'static str> {
    let value = normalize_line(input);
    if value.is_empty() {
        return Ok(None);
    }
    if char_len(&value) > max {
        return Err(if max == 100 {
            "100文字以内で入力してください"
        } else {
            "500文字以内で入力してください"
        });
    }
    Ok(Some(value))
}

fn office_number(input: &str) -> Result<String, &'static str> {
    let value = halfwidth_numeric(input);
    if value.len() == 10 && value.chars().all(|c| c.is_ascii_digit()) {
        Ok(value)
    } else {
        Err("事業所番号は10桁の数字で入力してください")
    }
}

fn service_types(codes: &[String]) -> Result<Vec<ServiceType>, &'static str> {
    let mut types = Vec::new();
    for code in codes {
        let service_type =
            ServiceType::from_code(code).ok_or("サービス種別の値が正しくありません")?;
        if !types.contains(&service_type) {
            types.push(service_type);
        }
    }
    if types.is_empty() {
        return Err("サービス種別を1つ以上選択してください");
    }
    types.sort();
    Ok(types)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn minimal() -> OfficeInput {
        OfficeInput {
            name: "ひまわり作業所".into(),
            service_types: vec!["type_B_office".into()],
            ..Default::default()
        }
    }

    #[test]
    fn setup_needs_only_name_and_service_type() {
        let profile = minimal().parse().unwrap();
        assert_eq!(profile.service_types, vec![ServiceType::TypeBOffice]);
        assert_eq!(profile.email, None);
    }

    #[test]
    fn every_field_reports_its_own_error() {
        let input = OfficeInput {
            name: "あ".into(),
            name_kana: "漢字".into(),
            corporation_name: "x".repeat(101),
            office_number: "123".into(),
            service_types: vec![],
            postal_code: "12-34567".into(),
            address: "x".repeat(501),
            phone_number: "123".into(),
            fax_number: "abc".into(),
            email: "no-at".into(),
        };
        let errors = input.parse().unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            FIELD_LABELS.iter().map(|(f, _)| *f).collect::<Vec<_>>()
        );
    }

    #[test]
    fn normalises_numbers() {
        let input = OfficeInput {
            office_number: "１２３４５６７８９０".into(),
            postal_code: "１２３４５６７".into(),
            ..minimal()
        };
        let profile = input.parse().unwrap();
        assert_eq!(profile.office_number.as_deref(), Some("1234567890"));
        assert_eq!(profile.postal_code.as_deref(), Some("123-4567"));
        assert_eq!(profile.to_input().parse().unwrap(), profile);
    }

    #[test]
    fn changed_fields_in_form_order() {
        let a = minimal().parse().unwrap();
        let b = OfficeInput {
            address: "東京都".into(),
            name: "ひまわり作業所 本店".into(),
            ..minimal()
        }
        .parse()
        .unwrap();
        assert_eq!(a.changed_fields(&b), vec!["name", "address"]);
    }
}
