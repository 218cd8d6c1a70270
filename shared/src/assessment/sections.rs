//! The six assessment forms (SPEC §5): what each sends, its parser, and the parsed value.
//! Field errors name the form's fields (`date_ended`, `employment_other_text`, …).

use super::{Aiding, Household, MedicalInsurance, WorkConditions, WorkOutside};
use crate::{
    FieldError,
    dates::format_date_iso,
    fields::{FieldCheck, Phone, REQUIRED, choose, date_field, optional_date, required_text, text},
};
use serde::{Deserialize, Serialize};
use time::Date;

/// Required multi-line text of 1–`max` characters.
fn required_multiline(c: &mut FieldCheck, field: &str, raw: &str, max: usize) -> Option<String> {
    match text(c, field, raw, max, true)? {
        Some(value) => Some(value),
        None => {
            c.fail(field, REQUIRED);
            None
        }
    }
}

fn optional_multiline(
    c: &mut FieldCheck,
    field: &str,
    raw: &str,
    max: usize,
) -> Option<Option<String>> {
    text(c, field, raw, max, true)
}

fn optional_line(c: &mut FieldCheck, field: &str, raw: &str, max: usize) -> Option<Option<String>> {
    text(c, field, raw, max, false)
}

fn or_empty(value: &Option<String>) -> String {
    value.clone().unwrap_or_default()
}

/// Turns a finished check and the parsed value (present when every field was good) into the
/// parser's result.
fn finish<T>(check: FieldCheck, value: Option<T>) -> Result<T, Vec<FieldError>> {
    match value {
        Some(value) if check.is_ok() => Ok(value),
        _ => Err(check.into_errors()),
    }
}

// 家族構成 ------------------------------------------------------------------------------------

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FamilyMemberInput {
    pub name: String,
    pub relationship: String,
    pub household: String,
    pub ones_health: String,
    pub remarks: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FamilyMember {
    pub name: String,
    pub relationship: String,
    pub household: Household,
    pub ones_health: String,
    pub remarks: Option<String>,
}

impl FamilyMemberInput {
    pub fn parse(&self) -> Result<FamilyMember, Vec<FieldError>> {
        let mut check = FieldCheck::default();
        let c = &mut check;
        let name = required_text(c, "name", &self.name, 255);
        let relationship = required_text(c, "relationship", &self.relationship, 100);
        let household = choose(c, "household", &self.household, Household::parse);
        let ones_health = required_multiline(c, "ones_health", &self.ones_health, 500);
        let remarks = optional_multiline(c, "remarks", &self.remarks, 1000);
        let value = (|| {
            Some(FamilyMember {
                name: name?,
                relationship: relationship?,
                household: household?,
                ones_health: ones_health?,
                remarks: remarks?,
            })
        })();
        finish(check, value)
    }
}

impl FamilyMember {
    pub fn to_input(&self) -> FamilyMemberInput {
        FamilyMemberInput {
            name: self.name.clone(),
            relationship: self.relationship.clone(),
            household: self.household.as_str().to_owned(),
            ones_health: self.ones_health.clone(),
            remarks: or_empty(&self.remarks),
        }
    }
}

// 福祉サービスの利用歴 ------------------------------------------------------------------------

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ServiceHistoryInput {
    pub office_name: String,
    pub service_name: String,
    /// `YYYY-MM-DD`; a planned future start is allowed.
    pub starting_day: String,
    pub amount_used: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceHistory {
    pub office_name: String,
    pub service_name: String,
    pub starting_day: Date,
    pub amount_used: String,
}

impl ServiceHistoryInput {
    pub fn parse(&self) -> Result<ServiceHistory, Vec<FieldError>> {
        let mut check = FieldCheck::default();
        let c = &mut check;
        let office_name = required_text(c, "office_name", &self.office_name, 255);
        let service_name = required_text(c, "service_name", &self.service_name, 255);
        let starting_day = date_field(c, "starting_day", &self.starting_day);
        let amount_used = required_text(c, "amount_used", &self.amount_used, 100);
        let value = (|| {
            Some(ServiceHistory {
                office_name: office_name?,
                service_name: service_name?,
                starting_day: starting_day?,
                amount_used: amount_used?,
            })
        })();
        finish(check, value)
    }
}

impl ServiceHistory {
    pub fn to_input(&self) -> ServiceHistoryInput {
        ServiceHistoryInput {
            office_name: self.office_name.clone(),
            service_name: self.service_name.clone(),
            starting_day: format_date_iso(self.starting_day),
            amount_used: self.amount_used.clone(),
        }
    }
}

// 医療の基本事項 ------------------------------------------------------------------------------

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MedicalInput {
    pub medical_care_insurance: String,
    pub medical_care_insurance_other_text: String,
    pub aiding: String,
    pub hospitalized_past_2_years: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Medical {
    pub medical_care_insurance: MedicalInsurance,
    pub medical_care_insurance_other_text: Option<String>,
    pub aiding: Aiding,
    pub hospitalized_past_2_years: bool,
}

impl MedicalInput {
    pub fn parse(&self) -> Result<Medical, Vec<FieldError>> {
        let mut check = FieldCheck::default();
        let c = &mut check;
        let insurance = choose(
            c,
            "medical_care_insurance",
            &self.medical_care_insurance,
            MedicalInsurance::parse,
        );
        const FIELD: &str = "medical_care_insurance_other_text";
        let other = optional_line(c, FIELD, &self.medical_care_insurance_other_text, 255).and_then(
            |text| match (insurance, text) {
                (Some(MedicalInsurance::Other), None) => {
                    c.fail(FIELD, "医療保険が「その他」の場合は詳細を入力してください");
                    None
                }
                (Some(MedicalInsurance::Other), text) => Some(text),
                (_, Some(_)) => {
                    c.fail(FIELD, "医療保険が「その他」の場合だけ入力できます");
                    None
                }
                (_, None) => Some(None),
            },
        );
        let aiding = choose(c, "aiding", &self.aiding, Aiding::parse);
        let value = (|| {
            Some(Medical {
                medical_care_insurance: insurance?,
                medical_care_insurance_other_text: other?,
                aiding: aiding?,
                hospitalized_past_2_years: self.hospitalized_past_2_years,
            })
        })();
        finish(check, value)
    }
}

impl Medical {
    pub fn to_input(&self) -> MedicalInput {
        MedicalInput {
            medical_care_insurance: self.medical_care_insurance.as_str().to_owned(),
            medical_care_insurance_other_text: or_empty(&self.medical_care_insurance_other_text),
            aiding: self.aiding.as_str().to_owned(),
            hospitalized_past_2_years: self.hospitalized_past_2_years,
        }
    }
}

// 通院歴 --------------------------------------------------------------------------------------

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct HospitalVisitInput {
    pub disease: String,
    pub symptoms: String,
    pub medical_institution: String,
    pub doctor: String,
    pub tel: String,
    pub frequency: String,
    pub date_started: String,
    pub date_ended: String,
    pub taking_medicine: bool,
    pub special_remarks: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HospitalVisit {
    pub disease: String,
    pub symptoms: String,
    pub medical_institution: String,
    pub doctor: String,
    pub tel: Phone,
    pub frequency: String,
    pub date_started: Option<Date>,
    pub date_ended: Option<Date>,
    pub taking_medicine: bool,
    pub special_remarks: Option<String>,
}

impl HospitalVisitInput {
    pub fn parse(&self) -> Result<HospitalVisit, Vec<FieldError>> {
        let mut check = FieldCheck::default();
        let c = &mut check;
        let disease = required_text(c, "disease", &self.disease, 255);
        let symptoms = required_multiline(c, "symptoms", &self.symptoms, 500);
        let institution = required_text(c, "medical_institution", &self.medical_institution, 255);
        let doctor = required_text(c, "doctor", &self.doctor, 100);
        let tel = c.check("tel", Phone::parse(&self.tel));
        let frequency = required_text(c, "frequency", &self.frequency, 100);
        let started = optional_date(c, "date_started", &self.date_started);
        let ended = optional_date(c, "date_ended", &self.date_ended);
        if let (Some(Some(start)), Some(Some(end))) = (started, ended)
            && start > end
        {
            c.fail("date_started", "開始日は終了日以前の日付にしてください");
        }
        let remarks = optional_multiline(c, "special_remarks", &self.special_remarks, 1000);
        let value = (|| {
            Some(HospitalVisit {
                disease: disease?,
                symptoms: symptoms?,
                medical_institution: institution?,
                doctor: doctor?,
                tel: tel?,
                frequency: frequency?,
                date_started: started?,
                date_ended: ended?,
                taking_medicine: self.taking_medicine,
                special_remarks: remarks?,
            })
        })();
        finish(check, value)
    }
}

impl HospitalVisit {
    pub fn to_input(&self) -> HospitalVisitInput {
        let day = |d: Option<Date>| d.map(format_date_iso).unwrap_or_default();
        HospitalVisitInput {
            disease: self.disease.clone(),
            symptoms: self.symptoms.clone(),
            medical_institution: self.medical_institution.clone(),
            doctor: self.doctor.clone(),
            tel: self.tel.to_string(),
            frequency: self.frequency.clone(),
            date_started: day(self.date_started),
            date_ended: day(self.date_ended),
            taking_medicine: self.taking_medicine,
            special_remarks: or_empty(&self.special_remarks),
        }
    }
}

// 就労関係 ------------------------------------------------------------------------------------

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EmploymentInput {
    pub work_conditions: String,
    pub regular_or_part_time_job: bool,
    pub employment_support: bool,
    pub work_experience_past_year: bool,
    pub suspension_of_work: bool,
    pub no_employment_experience: bool,
    pub attended_job_selection_office: bool,
    pub received_employment_assessment: bool,
    pub employment_other_experience: bool,
    pub employment_other_text: String,
    pub qualifications: String,
    pub main_places_of_employment: String,
    pub general_employment_request: bool,
    pub desired_job: String,
    pub desired_hours: String,
    pub desired_wage: String,
    pub special_remarks: String,
    pub work_outside_the_facility: String,
    pub work_outside_note: String,
    pub desired_tasks_in_facility: String,
}

/// 就労経験なし and what it covers: checked means at least one of the three.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoEmploymentExperience {
    pub attended_job_selection_office: bool,
    pub received_employment_assessment: bool,
    /// その他, with its text.
    pub other: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Employment {
    pub work_conditions: WorkConditions,
    pub regular_or_part_time_job: bool,
    pub employment_support: bool,
    pub work_experience_past_year: bool,
    pub suspension_of_work: bool,
    pub no_employment_experience: Option<NoEmploymentExperience>,
    pub qualifications: Option<String>,
    pub main_places_of_employment: Option<String>,
    pub general_employment_request: bool,
    pub desired_job: Option<String>,
    pub desired_hours: Option<String>,
    pub desired_wage: Option<String>,
    pub special_remarks: Option<String>,
    pub work_outside_the_facility: WorkOutside,
    pub work_outside_note: Option<String>,
    pub desired_tasks_in_facility: Option<String>,
}

impl EmploymentInput {
    pub fn parse(&self) -> Result<Employment, Vec<FieldError>> {
        let mut check = FieldCheck::default();
        let c = &mut check;
        let conditions = choose(
            c,
            "work_conditions",
            &self.work_conditions,
            WorkConditions::parse,
        );
        // Unchecking 就労経験なし clears the three below it (and the その他 text).
        let no_experience = if self.no_employment_experience {
            let other = if self.employment_other_experience {
                required_multiline(
                    c,
                    "employment_other_text",
                    &self.employment_other_text,
                    1000,
                )
                .map(Some)
            } else {
                Some(None)
            };
            if !(self.attended_job_selection_office
                || self.received_employment_assessment
                || self.employment_other_experience)
            {
                c.fail(
                    "no_employment_experience",
                    "就労経験なしを選んだ場合は、下の項目から1つ以上選択してください",
                );
            }
            other.map(|other| {
                Some(NoEmploymentExperience {
                    attended_job_selection_office: self.attended_job_selection_office,
                    received_employment_assessment: self.received_employment_assessment,
                    other,
                })
            })
        } else {
            Some(None)
        };
        let qualifications = optional_multiline(c, "qualifications", &self.qualifications, 500);
        let places = optional_multiline(
            c,
            "main_places_of_employment",
            &self.main_places_of_employment,
            500,
        );
        let desired_job = optional_line(c, "desired_job", &self.desired_job, 255);
        let desired_hours = optional_line(c, "desired_hours", &self.desired_hours, 100);
        let desired_wage = optional_line(c, "desired_wage", &self.desired_wage, 100);
        let remarks = optional_multiline(c, "special_remarks", &self.special_remarks, 1000);
        let outside = choose(
            c,
            "work_outside_the_facility",
            &self.work_outside_the_facility,
            WorkOutside::parse,
        );
        let outside_note =
            optional_multiline(c, "work_outside_note", &self.work_outside_note, 1000);
        let tasks = optional_multiline(
            c,
            "desired_tasks_in_facility",
            &self.desired_tasks_in_facility,
            1000,
        );
        let value = (|| {
            Some(Employment {
                work_conditions: conditions?,
                regular_or_part_time_job: self.regular_or_part_time_job,
                employment_support: self.employment_support,
                work_experience_past_year: self.work_experience_past_year,
                suspension_of_work: self.suspension_of_work,
                no_employment_experience: no_experience?,
                qualifications: qualifications?,
                main_places_of_employment: places?,
                general_employment_request: self.general_employment_request,
                desired_job: desired_job?,
                desired_hours: desired_hours?,
                desired_wage: desired_wage?,
                special_remarks: remarks?,
                work_outside_the_facility: outside?,
                work_outside_note: outside_note?,
                desired_tasks_in_facility: tasks?,
            })
        })();
        finish(check, value)
    }
}

impl Employment {
    pub fn to_input(&self) -> EmploymentInput {
        let none = self.no_employment_experience.as_ref();
        EmploymentInput {
            work_conditions: self.work_conditions.as_str().to_owned(),
            regular_or_part_time_job: self.regular_or_part_time_job,
            employment_support: self.employment_support,
            work_experience_past_year: self.work_experience_past_year,
            suspension_of_work: self.suspension_of_work,
            no_employment_experience: none.is_some(),
            attended_job_selection_office: none.is_some_and(|n| n.attended_job_selection_office),
            received_employment_assessment: none.is_some_and(|n| n.received_employment_assessment),
            employment_other_experience: none.is_some_and(|n| n.other.is_some()),
            employment_other_text: none.and_then(|n| n.other.clone()).unwrap_or_default(),
            qualifications: or_empty(&self.qualifications),
            main_places_of_employment: or_empty(&self.main_places_of_employment),
            general_employment_request: self.general_employment_request,
            desired_job: or_empty(&self.desired_job),
            desired_hours: or_empty(&self.desired_hours),
            desired_wage: or_empty(&self.desired_wage),
            special_remarks: or_empty(&self.special_remarks),
            work_outside_the_facility: self.work_outside_the_facility.as_str().to_owned(),
            work_outside_note: or_empty(&self.work_outside_note),
            desired_tasks_in_facility: or_empty(&self.desired_tasks_in_facility),
        }
    }
}

// 課題分析 ------------------------------------------------------------------------------------

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct IssueAnalysisInput {
    pub what_i_like_to_do: String,
    pub im_not_good_at: String,
    pub the_life_i_want: String,
    pub the_support_i_want: String,
    pub points_to_keep_in_mind: String,
    pub future_dreams: String,
    pub other: String,
}

/// At least one of the seven texts is filled in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IssueAnalysis {
    pub what_i_like_to_do: Option<String>,
    pub im_not_good_at: Option<String>,
    pub the_life_i_want: Option<String>,
    pub the_support_i_want: Option<String>,
    pub points_to_keep_in_mind: Option<String>,
    pub future_dreams: Option<String>,
    pub other: Option<String>,
}

impl IssueAnalysisInput {
    /// The fields with their labels, in the form's order.
    pub const FIELDS: [(&'static str, &'static str); 7] = [
        ("what_i_like_to_do", "好きなこと・得意なこと"),
        ("im_not_good_at", "嫌いなこと・苦手なこと"),
        ("the_life_i_want", "私の望む生活"),
        ("the_support_i_want", "特に支援してほしいこと"),
        ("points_to_keep_in_mind", "支援時の注意点"),
        ("future_dreams", "将来の夢や希望"),
        ("other", "その他"),
    ];

    pub fn parse(&self) -> Result<IssueAnalysis, Vec<FieldError>> {
        let mut check = FieldCheck::default();
        let c = &mut check;
        let mut field = |name: &str, raw: &str| optional_multiline(c, name, raw, 1000);
        let value = IssueAnalysis {
            what_i_like_to_do: field("what_i_like_to_do", &self.what_i_like_to_do)
                .unwrap_or_default(),
            im_not_good_at: field("im_not_good_at", &self.im_not_good_at).unwrap_or_default(),
            the_life_i_want: field("the_life_i_want", &self.the_life_i_want).unwrap_or_default(),
            the_support_i_want: field("the_support_i_want", &self.the_support_i_want)
                .unwrap_or_default(),
            points_to_keep_in_mind: field("points_to_keep_in_mind", &self.points_to_keep_in_mind)
                .unwrap_or_default(),
            future_dreams: field("future_dreams", &self.future_dreams).unwrap_or_default(),
            other: field("other", &self.other).unwrap_or_default(),
        };
        let empty = value.to_input() == IssueAnalysisInput::default();
        if empty && check.is_ok() {
            check.fail(
                "what_i_like_to_do",
                "いずれか1つ以上の項目を入力してください",
            );
        }
        finish(check, Some(value))
    }

    pub fn get(&self, field: &str) -> &str {
        match field {
            "what_i_like_to_do" => &self.what_i_like_to_do,
            "im_not_good_at" => &self.im_not_good_at,
            "the_life_i_want" => &self.the_life_i_want,
            "the_support_i_want" => &self.the_support_i_want,
            "points_to_keep_in_mind" => &self.points_to_keep_in_mind,
            "future_dreams" => &self.future_dreams,
            _ => &self.other,
        }
    }

    pub fn get_mut(&mut self, field: &str) -> &mut String {
        match field {
            "what_i_like_to_do" => &mut self.what_i_like_to_do,
            "im_not_good_at" => &mut self.im_not_good_at,
            "the_life_i_want" => &mut self.the_life_i_want,
            "the_support_i_want" => &mut self.the_support_i_want,
            "points_to_keep_in_mind" => &mut self.points_to_keep_in_mind,
            "future_dreams" => &mut self.future_dreams,
            _ => &mut self.other,
        }
    }
}

impl IssueAnalysis {
    pub fn to_input(&self) -> IssueAnalysisInput {
        IssueAnalysisInput {
            what_i_like_to_do: or_empty(&self.what_i_like_to_do),
            im_not_good_at: or_empty(&self.im_not_good_at),
            the_life_i_want: or_empty(&self.the_life_i_want),
            the_support_i_want: or_empty(&self.the_support_i_want),
            points_to_keep_in_mind: or_empty(&self.points_to_keep_in_mind),
            future_dreams: or_empty(&self.future_dreams),
            other: or_empty(&self.other),
        }
    }
}
