//! サービス種別 (SPEC §3.2). The set of values and their labels; the review interval and the other
//! columns are data in the `service_types` table (a test keeps both in step).

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ServiceType {
    #[serde(rename = "transition_to_employment")]
    TransitionToEmployment,
    #[serde(rename = "type_A_office")]
    TypeAOffice,
    #[serde(rename = "type_B_office")]
    TypeBOffice,
    #[serde(rename = "employment_retention")]
    EmploymentRetention,
    #[serde(rename = "functional_training")]
    FunctionalTraining,
    #[serde(rename = "life_training")]
    LifeTraining,
    #[serde(rename = "life_care")]
    LifeCare,
    #[serde(rename = "medical_care")]
    MedicalCare,
    #[serde(rename = "facility_admission")]
    FacilityAdmission,
    #[serde(rename = "group_home")]
    GroupHome,
    #[serde(rename = "independent_living")]
    IndependentLiving,
    #[serde(rename = "child_development")]
    ChildDevelopment,
    #[serde(rename = "after_school_day")]
    AfterSchoolDay,
}

impl ServiceType {
    /// In the order of the spec table (the order of the UI).
    pub const ALL: [ServiceType; 13] = [
        Self::TransitionToEmployment,
        Self::TypeAOffice,
        Self::TypeBOffice,
        Self::EmploymentRetention,
        Self::FunctionalTraining,
        Self::LifeTraining,
        Self::LifeCare,
        Self::MedicalCare,
        Self::FacilityAdmission,
        Self::GroupHome,
        Self::IndependentLiving,
        Self::ChildDevelopment,
        Self::AfterSchoolDay,
    ];

    /// The stored value (kept from the previous system for the first three).
    pub const fn code(self) -> &'static str {
        match self {
            Self::TransitionToEmployment => "transition_to_employment",
            Self::TypeAOffice => "type_A_office",
            Self::TypeBOffice => "type_B_office",
            Self::EmploymentRetention => "employment_retention",
            Self::FunctionalTraining => "functional_training",
            Self::LifeTraining => "life_training",
            Self::LifeCare => "life_care",
            Self::MedicalCare => "medical_care",
            Self::FacilityAdmission => "facility_admission",
            Self::GroupHome => "group_home",
            Self::IndependentLiving => "independent_living",
            Self::ChildDevelopment => "child_development",
            Self::AfterSchoolDay => "after_school_day",
        }
    }

    pub const fn label(self) -> &'static str {
        match self {
            Self::TransitionToEmployment => "就労移行支援",
            Self::TypeAOffice => "就労継続支援A型",
            Self::TypeBOffice => "就労継続支援B型",
            Self::EmploymentRetention => "就労定着支援",
            Self::FunctionalTraining => "自立訓練（機能訓練）",
            Self::LifeTraining => "自立訓練（生活訓練）",
            Self::LifeCare => "生活介護",
            Self::MedicalCare => "療養介護",
            Self::FacilityAdmission => "施設入所支援",
            Self::GroupHome => "共同生活援助（グループホーム）",
            Self::IndependentLiving => "自立生活援助",
            Self::ChildDevelopment => "児童発達支援",
            Self::AfterSchoolDay => "放課後等デイサービス",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.code() == code)
    }

    /// From the Japanese label (CSV files carry labels).
    pub fn from_label(label: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.label() == label)
    }
}
