//! The recipient form (SPEC §4.1–§4.2): what the five wizard steps send, and the one parser
//! that the browser runs on every change and the server runs again as the authority.

use super::options::{
    ApplicationStatus, DetailCategory, FormOfResidence, Gender, LivelihoodProtection,
    PhysicalDisabilityType, Relationship, Transportation,
};
use crate::{
    FieldError,
    fields::{
        FieldCheck, Kana, PersonName, Phone, choose, date_field, optional_date, other_text,
        postal_code, required_text, text,
    },
    service_type::ServiceType,
    text::halfwidth_numeric,
};
use serde::{Deserialize, Serialize};
use time::{Date, macros::date};
use uuid::Uuid;

pub const MAX_EMERGENCY_CONTACTS: usize = 3;
pub const MAX_DISABILITY_DETAILS: usize = 10;
pub const MAX_ASSIGNED_STAFF: usize = 5;
const EARLIEST_BIRTH_DATE: Date = date!(1900 - 01 - 01);

/// The five steps, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum WizardStep {
    Basic = 1,
    Contact = 2,
    Emergency = 3,
    Disability = 4,
    Details = 5,
}

impl WizardStep {
    pub const ALL: [WizardStep; 5] = [
        Self::Basic,
        Self::Contact,
        Self::Emergency,
        Self::Disability,
        Self::Details,
    ];

    pub const fn number(self) -> u8 {
        self as u8
    }

    pub const fn title(self) -> &'static str {
        match self {
            Self::Basic => "基本情報",
            Self::Contact => "連絡先・住所情報",
            Self::Emergency => "緊急連絡先",
            Self::Disability => "障害・疾患情報",
            Self::Details => "手帳・年金詳細",
        }
    }

    /// The step that shows `field` (a name as in [`FieldError::field`]).
    pub fn of_field(field: &str) -> Self {
        let head = field.split('.').next().unwrap_or(field);
        match head {
            "postal_code"
            | "address"
            | "form_of_residence"
            | "form_of_residence_other_text"
            | "means_of_transportation"
            | "means_of_transportation_other_text"
            | "tel" => Self::Contact,
            "emergency_contacts" => Self::Emergency,
            "disability_or_disease_name" | "livelihood_protection" | "special_remarks" => {
                Self::Disability
            }
            "disability_details" => Self::Details,
            _ => Self::Basic,
        }
    }
}

/// What a parse needs to know besides the input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecipientContext {
    /// Today in JST.
    pub today: Date,
    /// The office's service types (the recipient's must be one of them).
    pub service_types: Vec<ServiceType>,
    /// Registration (the migration date `current_plan_delivered_date` exists only then).
    pub creating: bool,
}

/// The form as typed: text for every field, as the browser sends it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RecipientInput {
    // Step 1 基本情報
    pub last_name: String,
    pub first_name: String,
    pub last_name_kana: String,
    pub first_name_kana: String,
    pub birth_date: String,
    pub gender: String,
    pub service_type: String,
    pub contract_date: String,
    pub certificate_number: String,
    pub assigned_staff_ids: Vec<String>,
    pub counselling_office: String,
    pub self_plan: bool,
    pub current_plan_delivered_date: String,
    // Step 2 連絡先・住所情報
    pub postal_code: String,
    pub address: String,
    pub form_of_residence: String,
    pub form_of_residence_other_text: String,
    pub means_of_transportation: String,
    pub means_of_transportation_other_text: String,
    pub tel: String,
    // Step 3 緊急連絡先
    pub emergency_contacts: Vec<EmergencyContactInput>,
    // Step 4 障害・疾患情報
    pub disability_or_disease_name: String,
    pub livelihood_protection: String,
    pub special_remarks: String,
    // Step 5 手帳・年金詳細
    pub disability_details: Vec<DisabilityDetailInput>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EmergencyContactInput {
    pub last_name: String,
    pub first_name: String,
    pub last_name_kana: String,
    pub first_name_kana: String,
    pub relationship: String,
    pub relationship_other_text: String,
    pub tel: String,
    pub address: String,
    pub notes: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DisabilityDetailInput {
    pub category: String,
    pub grade: String,
    pub physical_disability_type: String,
    pub physical_disability_type_other_text: String,
    pub application_status: String,
}

/// A valid recipient profile: every wizard field. Only [`RecipientInput::parse`] builds one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecipientProfile {
    pub last_name: PersonName,
    pub first_name: PersonName,
    pub last_name_kana: Kana,
    pub first_name_kana: Kana,
    pub birth_date: Date,
    pub gender: Gender,
    pub service_type: ServiceType,
    pub contract_date: Date,
    pub certificate_number: Option<String>,
    pub assigned_staff_ids: Vec<Uuid>,
    pub counselling_office: Option<String>,
    pub self_plan: bool,
    pub current_plan_delivered_date: Option<Date>,
    pub postal_code: Option<String>,
    pub address: String,
    pub form_of_residence: FormOfResidence,
    /// Present exactly when `form_of_residence` is その他.
    pub form_of_residence_other_text: Option<String>,
    pub means_of_transportation: Transportation,
    /// Present exactly when `means_of_transportation` is その他.
    pub means_of_transportation_other_text: Option<String>,
    pub tel: Phone,
    /// 1–3, in priority order.
    pub emergency_contacts: Vec<EmergencyContact>,
    pub disability_or_disease_name: String,
    pub livelihood_protection: LivelihoodProtection,
    pub special_remarks: Option<String>,
    /// 0–10, one per category.
    pub disability_details: Vec<DisabilityDetail>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmergencyContact {
    pub last_name: PersonName,
    pub first_name: PersonName,
    pub last_name_kana: Kana,
    pub first_name_kana: Kana,
    pub relationship: Relationship,
    /// Present exactly when `relationship` is その他.
    pub relationship_other_text: Option<String>,
    pub tel: Phone,
    pub address: Option<String>,
    pub notes: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisabilityDetail {
    pub category: DetailCategory,
    /// One of `category.grades()`; required when acquired.
    pub grade: Option<String>,
    /// Only for the physical handbook.
    pub physical_disability_type: Option<PhysicalDisabilityType>,
    pub physical_disability_type_other_text: Option<String>,
    pub application_status: ApplicationStatus,
}

fn certificate_number(raw: &str) -> Result<Option<String>, &'static str> {
    let value = halfwidth_numeric(raw).replace([' ', '\u{3000}'], "");
    if value.is_empty() {
        return Ok(None);
    }
    if value.len() == 10 && value.bytes().all(|b| b.is_ascii_digit()) {
        Ok(Some(value))
    } else {
        Err("受給者証番号は10桁の数字で入力してください")
    }
}

impl RecipientInput {
    /// Every rule of SPEC §4.2. Errors name fields as the form does: `birth_date`,
    /// `emergency_contacts.0.tel`, `disability_details.1.grade`.
    pub fn parse(&self, ctx: &RecipientContext) -> Result<RecipientProfile, Vec<FieldError>> {
        let mut check = FieldCheck::default();
        let c = &mut check;

        // Step 1
        let last_name = c.check("last_name", PersonName::parse(&self.last_name));
        let first_name = c.check("first_name", PersonName::parse(&self.first_name));
        let last_name_kana = c.check("last_name_kana", Kana::parse(&self.last_name_kana));
        let first_name_kana = c.check("first_name_kana", Kana::parse(&self.first_name_kana));
        let birth_date = date_field(c, "birth_date", &self.birth_date).and_then(|d| {
            if (EARLIEST_BIRTH_DATE..=ctx.today).contains(&d) {
                Some(d)
            } else {
                c.fail(
                    "birth_date",
                    "生年月日は1900年1月1日から今日までの日付を入力してください",
                );
                None
            }
        });
        let gender = choose(c, "gender", &self.gender, Gender::parse);
        let service_type = choose(
            c,
            "service_type",
            &self.service_type,
            ServiceType::from_code,
        )
        .and_then(|t| {
            if ctx.service_types.contains(&t) {
                Some(t)
            } else {
                c.fail(
                    "service_type",
                    "この事業所のサービス種別から選択してください",
                );
                None
            }
        });
        let contract_date = date_field(c, "contract_date", &self.contract_date).and_then(|d| {
            if d > ctx.today {
                c.fail("contract_date", "利用契約日は今日以前の日付にしてください");
                None
            } else if birth_date.is_some_and(|b| d < b) {
                c.fail(
                    "contract_date",
                    "利用契約日は生年月日以降の日付にしてください",
                );
                None
            } else {
                Some(d)
            }
        });
        let certificate_number = c.check(
            "certificate_number",
            certificate_number(&self.certificate_number),
        );
        let assigned_staff_ids = self.assigned_staff_ids(c);
        let counselling_office = text(
            c,
            "counselling_office",
            &self.counselling_office,
            100,
            false,
        )
        .and_then(|office| {
            if self.self_plan && office.is_some() {
                c.fail(
                    "counselling_office",
                    "セルフプランの場合、相談支援事業所は入力できません",
                );
                None
            } else {
                Some(office)
            }
        });
        let current_plan_delivered_date = self.current_plan_delivered_date(c, ctx, contract_date);

        // Step 2
        let postal = c.check(
            "postal_code",
            crate::fields::optional(&self.postal_code, postal_code),
        );
        let address = required_text(c, "address", &self.address, 200);
        let residence = choose(
            c,
            "form_of_residence",
            &self.form_of_residence,
            FormOfResidence::parse,
        );
        let residence_other = other_text(
            c,
            "form_of_residence_other_text",
            &self.form_of_residence_other_text,
            residence.map(|r| r == FormOfResidence::Other),
            100,
        );
        let transport = choose(
            c,
            "means_of_transportation",
            &self.means_of_transportation,
            Transportation::parse,
        );
        let transport_other = other_text(
            c,
            "means_of_transportation_other_text",
            &self.means_of_transportation_other_text,
            transport.map(|t| t == Transportation::Other),
            100,
        );
        let tel = c.check("tel", Phone::parse(&self.tel));

        // Step 3
        let emergency_contacts = self.emergency_contacts(c);

        // Step 4
        let disability_name = required_text(
            c,
            "disability_or_disease_name",
            &self.disability_or_disease_name,
            200,
        );
        let livelihood = choose(
            c,
            "livelihood_protection",
            &self.livelihood_protection,
            LivelihoodProtection::parse,
        );
        let special_remarks = text(c, "special_remarks", &self.special_remarks, 2000, true);

        // Step 5
        let disability_details = self.disability_details(c);

        let profile = (|| {
            Some(RecipientProfile {
                last_name: last_name?,
                first_name: first_name?,
                last_name_kana: last_name_kana?,
                first_name_kana: first_name_kana?,
                birth_date: birth_date?,
                gender: gender?,
                service_type: service_type?,
                contract_date: contract_date?,
                certificate_number: certificate_number?,
                assigned_staff_ids: assigned_staff_ids?,
                counselling_office: counselling_office?,
                self_plan: self.self_plan,
                current_plan_delivered_date: current_plan_delivered_date?,
                postal_code: postal?,
                address: address?,
                form_of_residence: residence?,
                form_of_residence_other_text: residence_other?,
                means_of_transportation: transport?,
                means_of_transportation_other_text: transport_other?,
                tel: tel?,
                emergency_contacts: emergency_contacts?,
                disability_or_disease_name: disability_name?,
                livelihood_protection: livelihood?,
                special_remarks: special_remarks?,
                disability_details: disability_details?,
            })
        })();
        match profile {
            Some(profile) if check.is_ok() => Ok(profile),
            _ => Err(check.into_errors()),
        }
    }

    /// The errors of one step only (the wizard's 「次へ」 waits for these).
    pub fn step_errors(&self, ctx: &RecipientContext, step: WizardStep) -> Vec<FieldError> {
        match self.parse(ctx) {
            Ok(_) => Vec::new(),
            Err(errors) => errors
                .into_iter()
                .filter(|e| WizardStep::of_field(&e.field) == step)
                .collect(),
        }
    }

    fn assigned_staff_ids(&self, c: &mut FieldCheck) -> Option<Vec<Uuid>> {
        if self.assigned_staff_ids.len() > MAX_ASSIGNED_STAFF {
            c.fail("assigned_staff_ids", "担当職員は5名まで選べます");
            return None;
        }
        let mut ids = Vec::with_capacity(self.assigned_staff_ids.len());
        for raw in &self.assigned_staff_ids {
            match Uuid::parse_str(raw) {
                Ok(id) if !ids.contains(&id) => ids.push(id),
                Ok(_) => {}
                Err(_) => {
                    c.fail("assigned_staff_ids", "担当職員は一覧から選択してください");
                    return None;
                }
            }
        }
        Some(ids)
    }

    fn current_plan_delivered_date(
        &self,
        c: &mut FieldCheck,
        ctx: &RecipientContext,
        contract_date: Option<Date>,
    ) -> Option<Option<Date>> {
        const FIELD: &str = "current_plan_delivered_date";
        let date = optional_date(c, FIELD, &self.current_plan_delivered_date)?;
        match date {
            None => Some(None),
            Some(_) if !ctx.creating => {
                c.fail(FIELD, "現在の計画の交付日は登録のときだけ入力できます");
                None
            }
            Some(d) if d > ctx.today || contract_date.is_some_and(|c| d < c) => {
                c.fail(
                    FIELD,
                    "現在の計画の交付日は利用契約日から今日までの日付にしてください",
                );
                None
            }
            Some(d) => Some(Some(d)),
        }
    }

    fn emergency_contacts(&self, c: &mut FieldCheck) -> Option<Vec<EmergencyContact>> {
        if self.emergency_contacts.is_empty() {
            c.fail("emergency_contacts", "緊急連絡先を1件以上入力してください");
            return None;
        }
        if self.emergency_contacts.len() > MAX_EMERGENCY_CONTACTS {
            c.fail("emergency_contacts", "緊急連絡先は3件までです");
            return None;
        }
        let mut contacts = Some(Vec::new());
        for (i, input) in self.emergency_contacts.iter().enumerate() {
            let contact = input.parse(c, &format!("emergency_contacts.{i}"));
            contacts = contacts.zip(contact).map(|(mut all, one)| {
                all.push(one);
                all
            });
        }
        contacts
    }

    fn disability_details(&self, c: &mut FieldCheck) -> Option<Vec<DisabilityDetail>> {
        if self.disability_details.len() > MAX_DISABILITY_DETAILS {
            c.fail("disability_details", "手帳・年金情報は10件までです");
            return None;
        }
        let mut details = Some(Vec::new());
        let mut seen = Vec::new();
        for (i, input) in self.disability_details.iter().enumerate() {
            let prefix = format!("disability_details.{i}");
            let mut detail = input.parse(c, &prefix);
            if let Some(category) = DetailCategory::parse(&input.category) {
                if seen.contains(&category) {
                    c.fail(
                        &format!("{prefix}.category"),
                        "同じ種別は1件だけ登録できます",
                    );
                    detail = None;
                }
                seen.push(category);
            }
            details = details.zip(detail).map(|(mut all, one)| {
                all.push(one);
                all
            });
        }
        details
    }
}

impl EmergencyContactInput {
    fn parse(&self, c: &mut FieldCheck, prefix: &str) -> Option<EmergencyContact> {
        let field = |name: &str| format!("{prefix}.{name}");
        let last_name = c.check(&field("last_name"), PersonName::parse(&self.last_name));
        let first_name = c.check(&field("first_name"), PersonName::parse(&self.first_name));
        let last_name_kana = c.check(&field("last_name_kana"), Kana::parse(&self.last_name_kana));
        let first_name_kana = c.check(
            &field("first_name_kana"),
            Kana::parse(&self.first_name_kana),
        );
        let relationship = choose(
            c,
            &field("relationship"),
            &self.relationship,
            Relationship::parse,
        );
        let relationship_other_text = other_text(
            c,
            &field("relationship_other_text"),
            &self.relationship_other_text,
            relationship.map(|r| r == Relationship::Other),
            50,
        );
        let tel = c.check(&field("tel"), Phone::parse(&self.tel));
        let address = text(c, &field("address"), &self.address, 200, false);
        let notes = text(c, &field("notes"), &self.notes, 500, true);
        Some(EmergencyContact {
            last_name: last_name?,
            first_name: first_name?,
            last_name_kana: last_name_kana?,
            first_name_kana: first_name_kana?,
            relationship: relationship?,
            relationship_other_text: relationship_other_text?,
            tel: tel?,
            address: address?,
            notes: notes?,
        })
    }
}

impl DisabilityDetailInput {
    fn parse(&self, c: &mut FieldCheck, prefix: &str) -> Option<DisabilityDetail> {
        let field = |name: &str| format!("{prefix}.{name}");
        let category = if self.category.is_empty() {
            c.fail(&field("category"), "種別を選択してください");
            None
        } else {
            choose(c, &field("category"), &self.category, DetailCategory::parse)
        };
        let status = choose(
            c,
            &field("application_status"),
            &self.application_status,
            ApplicationStatus::parse,
        );
        let grade = category.and_then(|category| match (self.grade.as_str(), status) {
            ("", Some(ApplicationStatus::Acquired)) => {
                c.fail(&field("grade"), "取得済みの場合は等級を選択してください");
                None
            }
            ("", _) => Some(None),
            (grade, _) if category.grade_label(grade).is_some() => Some(Some(grade.to_owned())),
            _ => {
                c.fail(&field("grade"), "この種別の等級から選択してください");
                None
            }
        });
        let is_physical = category.map(|cat| cat == DetailCategory::PhysicalHandbook);
        let physical_type = match (self.physical_disability_type.as_str(), is_physical) {
            ("", _) => Some(None),
            (_, Some(false)) => {
                c.fail(
                    &field("physical_disability_type"),
                    "障害の種類は身体障害者手帳のときだけ選べます",
                );
                None
            }
            (raw, _) => choose(
                c,
                &field("physical_disability_type"),
                raw,
                PhysicalDisabilityType::parse,
            )
            .map(Some),
        };
        let physical_other = other_text(
            c,
            &field("physical_disability_type_other_text"),
            &self.physical_disability_type_other_text,
            physical_type.map(|t| t == Some(PhysicalDisabilityType::Other)),
            100,
        );
        Some(DisabilityDetail {
            category: category?,
            grade: grade?,
            physical_disability_type: physical_type?,
            physical_disability_type_other_text: physical_other?,
            application_status: status?,
        })
    }
}

impl RecipientProfile {
    /// Back to the form (edit prefill; the approval payload).
    pub fn to_input(&self) -> RecipientInput {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        let day = |d: Date| crate::dates::format_date_iso(d);
        RecipientInput {
            last_name: self.last_name.to_string(),
            first_name: self.first_name.to_string(),
            last_name_kana: self.last_name_kana.to_string(),
            first_name_kana: self.first_name_kana.to_string(),
            birth_date: day(self.birth_date),
            gender: self.gender.as_str().to_owned(),
            service_type: self.service_type.code().to_owned(),
            contract_date: day(self.contract_date),
            certificate_number: text(&self.certificate_number),
            assigned_staff_ids: self
                .assigned_staff_ids
                .iter()
                .map(Uuid::to_string)
                .collect(),
            counselling_office: text(&self.counselling_office),
            self_plan: self.self_plan,
            current_plan_delivered_date: self
                .current_plan_delivered_date
                .map(day)
                .unwrap_or_default(),
            postal_code: text(&self.postal_code),
            address: self.address.clone(),
            form_of_residence: self.form_of_residence.as_str().to_owned(),
            form_of_residence_other_text: text(&self.form_of_residence_other_text),
            means_of_transportation: self.means_of_transportation.as_str().to_owned(),
            means_of_transportation_other_text: text(&self.means_of_transportation_other_text),
            tel: self.tel.to_string(),
            emergency_contacts: self
                .emergency_contacts
                .iter()
                .map(|e| EmergencyContactInput {
                    last_name: e.last_name.to_string(),
                    first_name: e.first_name.to_string(),
                    last_name_kana: e.last_name_kana.to_string(),
                    first_name_kana: e.first_name_kana.to_string(),
                    relationship: e.relationship.as_str().to_owned(),
                    relationship_other_text: text(&e.relationship_other_text),
                    tel: e.tel.to_string(),
                    address: text(&e.address),
                    notes: text(&e.notes),
                })
                .collect(),
            disability_or_disease_name: self.disability_or_disease_name.clone(),
            livelihood_protection: self.livelihood_protection.as_str().to_owned(),
            special_remarks: text(&self.special_remarks),
            disability_details: self
                .disability_details
                .iter()
                .map(|d| DisabilityDetailInput {
                    category: d.category.as_str().to_owned(),
                    grade: text(&d.grade),
                    physical_disability_type: d
                        .physical_disability_type
                        .map(|t| t.as_str().to_owned())
                        .unwrap_or_default(),
                    physical_disability_type_other_text: text(
                        &d.physical_disability_type_other_text,
                    ),
                    application_status: d.application_status.as_str().to_owned(),
                })
                .collect(),
        }
    }

    /// `姓 名`.
    pub fn full_name(&self) -> String {
        format!("{} {}", self.last_name, self.first_name)
    }
}

/// The Japanese label of a form field (top-level name; nested names use their list's label).
pub fn field_label(field: &str) -> &'static str {
    match field.split('.').next().unwrap_or(field) {
        "last_name" => "姓",
        "first_name" => "名",
        "last_name_kana" => "姓（ふりがな）",
        "first_name_kana" => "名（ふりがな）",
        "birth_date" => "生年月日",
        "gender" => "性別",
        "service_type" => "サービス種別",
        "contract_date" => "利用契約日",
        "certificate_number" => "受給者証番号",
        "assigned_staff_ids" => "担当職員",
        "counselling_office" => "相談支援事業所",
        "self_plan" => "セルフプラン",
        "current_plan_delivered_date" => "現在の計画の交付日（移行用）",
        "postal_code" => "郵便番号",
        "address" => "住所",
        "form_of_residence" => "居住形態",
        "form_of_residence_other_text" => "居住形態（その他の内容）",
        "means_of_transportation" => "交通手段",
        "means_of_transportation_other_text" => "交通手段（その他の内容）",
        "tel" => "電話番号",
        "emergency_contacts" => "緊急連絡先",
        "disability_or_disease_name" => "障害または疾患名",
        "livelihood_protection" => "生活保護受給状況",
        "special_remarks" => "特記事項",
        "disability_details" => "手帳・年金",
        _ => "その他の項目",
    }
}

impl RecipientInput {
    /// The top-level fields whose values differ (names only; audit details and the 「他の職員が
    /// 更新した項目」 list after a conflict).
    pub fn changed_fields(&self, other: &RecipientInput) -> Vec<&'static str> {
        macro_rules! diff {
            ($($field:ident),+ $(,)?) => {{
                let mut changed = Vec::new();
                $( if self.$field != other.$field { changed.push(stringify!($field)); } )+
                changed
            }};
        }
        diff!(
            last_name,
            first_name,
            last_name_kana,
            first_name_kana,
            birth_date,
            gender,
            service_type,
            contract_date,
            certificate_number,
            assigned_staff_ids,
            counselling_office,
            self_plan,
            postal_code,
            address,
            form_of_residence,
            form_of_residence_other_text,
            means_of_transportation,
            means_of_transportation_other_text,
            tel,
            emergency_contacts,
            disability_or_disease_name,
            livelihood_protection,
            special_remarks,
            disability_details,
        )
    }
}
