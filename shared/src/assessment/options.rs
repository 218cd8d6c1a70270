//! The option sets of the assessment forms (SPEC §5), in display order.

use crate::choice;

choice! {
    /// 世帯
    pub enum Household {
        Same => "same", "同じ";
        Separate => "separate", "別";
    }
}

choice! {
    /// 医療保険の種類
    pub enum MedicalInsurance {
        National => "national_health_insurance", "国保";
        MutualAid => "mutual_aid", "共済";
        Social => "social_insurance", "社保";
        LivelihoodProtection => "livelihood_protection", "生活保護";
        Other => "other", "その他";
    }
}

choice! {
    /// 公費負担
    pub enum Aiding {
        None => "none", "なし";
        Subsidized => "subsidized", "あり（一部補助）";
        FullExemption => "full_exemption", "全額免除";
    }
}

choice! {
    /// 就労状況
    pub enum WorkConditions {
        GeneralEmployment => "general_employment", "一般就労";
        PartTime => "part_time", "パート、アルバイト";
        TransitionSupport => "transition_support", "就労移行支援";
        ContinuousSupportA => "continuous_support_a", "就労継続支援A";
        ContinuousSupportB => "continuous_support_b", "就労継続支援B";
        MainEmployment => "main_employment", "本就労";
        Other => "other", "その他";
    }
}

choice! {
    /// 施設外就労の希望
    pub enum WorkOutside {
        Hope => "hope", "希望する";
        NotHope => "not_hope", "希望しない";
        Undecided => "undecided", "未定";
    }
}
