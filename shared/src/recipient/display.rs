//! Form values as staff read them (labels, not stored codes): the approval request's diff and
//! list of what an employee asked for (SPEC §1.2).

use super::{
    ApplicationStatus, DetailCategory, FormOfResidence, Gender, LivelihoodProtection,
    RecipientInput, Relationship, Transportation,
};
use crate::service_type::ServiceType;
use serde::{Deserialize, Serialize};

/// One row of a request's detail: a field, its current value and the requested one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    pub label: String,
    /// Empty for a new recipient.
    pub before: String,
    pub after: String,
}

fn label_of(value: &str, label: Option<&'static str>) -> String {
    label.map_or_else(|| value.to_owned(), str::to_owned)
}

impl RecipientInput {
    /// The value of top-level field `field` as a sentence for people; `staff_name` turns an
    /// assigned staff id into a name.
    pub fn display_value(&self, field: &str, staff_name: &dyn Fn(&str) -> String) -> String {
        match field {
            "last_name" => self.last_name.clone(),
            "first_name" => self.first_name.clone(),
            "last_name_kana" => self.last_name_kana.clone(),
            "first_name_kana" => self.first_name_kana.clone(),
            "birth_date" => self.birth_date.clone(),
            "gender" => label_of(&self.gender, Gender::parse(&self.gender).map(Gender::label)),
            "service_type" => label_of(
                &self.service_type,
                ServiceType::from_code(&self.service_type).map(ServiceType::label),
            ),
            "contract_date" => self.contract_date.clone(),
            "certificate_number" => self.certificate_number.clone(),
            "assigned_staff_ids" => self
                .assigned_staff_ids
                .iter()
                .map(|id| staff_name(id))
                .collect::<Vec<_>>()
                .join("、"),
            "counselling_office" => self.counselling_office.clone(),
            "self_plan" => if self.self_plan {
                "はい"
            } else {
                "いいえ"
            }
            .to_owned(),
            "current_plan_delivered_date" => self.current_plan_delivered_date.clone(),
            "postal_code" => self.postal_code.clone(),
            "address" => self.address.clone(),
            "form_of_residence" => label_of(
                &self.form_of_residence,
                FormOfResidence::parse(&self.form_of_residence).map(FormOfResidence::label),
            ),
            "form_of_residence_other_text" => self.form_of_residence_other_text.clone(),
            "means_of_transportation" => label_of(
                &self.means_of_transportation,
                Transportation::parse(&self.means_of_transportation).map(Transportation::label),
            ),
            "means_of_transportation_other_text" => self.means_of_transportation_other_text.clone(),
            "tel" => self.tel.clone(),
            "emergency_contacts" => self
                .emergency_contacts
                .iter()
                .map(|c| {
                    let relationship = label_of(
                        &c.relationship,
                        Relationship::parse(&c.relationship).map(Relationship::label),
                    );
                    format!(
                        "{} {}（{}）{}",
                        c.last_name, c.first_name, relationship, c.tel
                    )
                })
                .collect::<Vec<_>>()
                .join(" / "),
            "disability_or_disease_name" => self.disability_or_disease_name.clone(),
            "livelihood_protection" => label_of(
                &self.livelihood_protection,
                LivelihoodProtection::parse(&self.livelihood_protection)
                    .map(LivelihoodProtection::label),
            ),
            "special_remarks" => self.special_remarks.clone(),
            "disability_details" => self
                .disability_details
                .iter()
                .map(|d| {
                    let category = label_of(
                        &d.category,
                        DetailCategory::parse(&d.category).map(DetailCategory::label),
                    );
                    let status = label_of(
                        &d.application_status,
                        ApplicationStatus::parse(&d.application_status)
                            .map(ApplicationStatus::label),
                    );
                    [category, d.grade.clone(), status]
                        .into_iter()
                        .filter(|s| !s.is_empty())
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .collect::<Vec<_>>()
                .join(" / "),
            _ => String::new(),
        }
    }

    /// The fields that differ from `before`, with both values (a new recipient: every field
    /// that is filled in, against an empty form).
    pub fn changes_from(
        &self,
        before: &RecipientInput,
        staff_name: &dyn Fn(&str) -> String,
    ) -> Vec<FieldChange> {
        before
            .changed_fields(self)
            .into_iter()
            .map(|field| FieldChange {
                label: super::field_label(field).to_owned(),
                before: before.display_value(field, staff_name),
                after: self.display_value(field, staff_name),
            })
            .collect()
    }
}
