//! The option sets of the recipient form (SPEC §4.2, §4.3), in display order.

use crate::choice;

choice! {
    /// 性別
    pub enum Gender {
        Male => "male", "男性";
        Female => "female", "女性";
        Other => "other", "その他";
    }
}

choice! {
    /// 居住形態
    pub enum FormOfResidence {
        HomeWithFamily => "home_with_family", "自宅（家族と同居）";
        HomeAlone => "home_alone", "自宅（一人暮らし）";
        GroupHome => "group_home", "グループホーム";
        Institution => "institution", "入所施設";
        Hospital => "hospital", "病院・医療機関";
        Other => "other", "その他";
    }
}

choice! {
    /// 交通手段
    pub enum Transportation {
        Walk => "walk", "徒歩";
        Bicycle => "bicycle", "自転車";
        Motorbike => "motorbike", "バイク・原付";
        CarSelf => "car_self", "自家用車（自分で運転）";
        CarTransport => "car_transport", "自家用車（送迎）";
        PublicTransport => "public_transport", "公共交通機関（電車・バス）";
        WelfareTransport => "welfare_transport", "福祉輸送サービス";
        Other => "other", "その他";
    }
}

choice! {
    /// 続柄・関係性 (stored as the label text, SPEC §4.2)
    pub enum Relationship {
        Father => "父", "父";
        Mother => "母", "母";
        Spouse => "配偶者", "配偶者";
        Child => "子", "子";
        Sibling => "兄弟姉妹", "兄弟姉妹";
        ConsultationSpecialist => "相談支援専門員", "相談支援専門員";
        Caseworker => "ケースワーカー", "ケースワーカー";
        MedicalInstitution => "医療機関", "医療機関";
        Friend => "友人・知人", "友人・知人";
        Other => "その他", "その他";
    }
}

choice! {
    /// 生活保護受給状況
    pub enum LivelihoodProtection {
        NotReceiving => "not_receiving", "なし";
        ReceivingWithAllowance => "receiving_with_allowance", "あり（他人介護料有り）";
        ReceivingWithoutAllowance => "receiving_without_allowance", "あり（他人介護料無し）";
        Applying => "applying", "申請中";
        Planning => "planning", "申請予定";
    }
}

choice! {
    /// 手帳・年金の種別
    pub enum DetailCategory {
        PhysicalHandbook => "physical_handbook", "身体障害者手帳";
        IntellectualHandbook => "intellectual_handbook", "療育手帳";
        MentalHealthHandbook => "mental_health_handbook", "精神障害者保健福祉手帳";
        DisabilityBasicPension => "disability_basic_pension", "障害基礎年金";
        OtherDisabilityPension => "other_disability_pension", "その他の障害年金";
        PublicAssistance => "public_assistance", "生活保護";
    }
}

impl DetailCategory {
    /// The 等級 options of this category: (stored value, label), in display order.
    pub const fn grades(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Self::PhysicalHandbook => &[
                ("1", "1級"),
                ("2", "2級"),
                ("3", "3級"),
                ("4", "4級"),
                ("5", "5級"),
                ("6", "6級"),
            ],
            Self::IntellectualHandbook => &[
                ("A", "A（重度）"),
                ("B1", "B1（中度）"),
                ("B2", "B2（軽度）"),
                ("C", "C（境界域）"),
            ],
            Self::MentalHealthHandbook | Self::OtherDisabilityPension => {
                &[("1", "1級"), ("2", "2級"), ("3", "3級")]
            }
            Self::DisabilityBasicPension => &[("1", "1級"), ("2", "2級")],
            Self::PublicAssistance => &[
                ("介護扶助", "介護扶助"),
                ("医療扶助", "医療扶助"),
                ("生活扶助", "生活扶助"),
                ("その他", "その他"),
            ],
        }
    }

    /// The label of a stored grade of this category.
    pub fn grade_label(self, grade: &str) -> Option<&'static str> {
        self.grades()
            .iter()
            .find(|(value, _)| *value == grade)
            .map(|(_, label)| *label)
    }
}

choice! {
    /// 障害の種類 (physical handbook only)
    pub enum PhysicalDisabilityType {
        Visual => "visual", "視覚障害";
        Hearing => "hearing", "聴覚障害";
        Limb => "limb", "肢体不自由";
        Internal => "internal", "内部障害";
        Other => "other", "その他";
    }
}

choice! {
    /// 申請状況
    pub enum ApplicationStatus {
        Acquired => "acquired", "取得済み";
        Applying => "applying", "申請中";
        Planning => "planning", "申請予定";
        NotApplicable => "not_applicable", "該当なし";
    }
}

choice! {
    /// 利用者の状態 (SPEC §4.3)
    pub enum RecipientStatus {
        Active => "active", "利用中";
        Archived => "archived", "利用終了";
        Deleted => "deleted", "削除済み";
    }
}

choice! {
    /// 利用終了の理由
    pub enum EndReason {
        GeneralEmployment => "general_employment", "一般就労";
        OtherService => "other_service", "他のサービスへ移行";
        Moved => "moved", "転居";
        Admitted => "admitted", "入院・入所";
        Wish => "wish", "本人・家族の希望";
        Death => "death", "死亡";
        Other => "other", "その他";
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_category_has_grades_with_unique_values() {
        for category in DetailCategory::ALL {
            let grades = category.grades();
            assert!(!grades.is_empty());
            let mut values: Vec<_> = grades.iter().map(|(v, _)| *v).collect();
            values.sort_unstable();
            values.dedup();
            assert_eq!(values.len(), grades.len(), "{category:?}");
        }
        assert_eq!(
            DetailCategory::IntellectualHandbook.grade_label("B1"),
            Some("B1（中度）")
        );
        assert_eq!(
            DetailCategory::DisabilityBasicPension.grade_label("3"),
            None
        );
    }
}
