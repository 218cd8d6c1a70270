use super::*;
use proptest::prelude::*;

fn fields(entry: &EntryInput) -> Vec<String> {
    entry
        .parse()
        .err()
        .unwrap_or_default()
        .into_iter()
        .map(|e| e.field)
        .collect()
}

#[test]
fn section_rules() {
    let family = EntryInput::Family(FamilyMemberInput {
        name: " 山田　花子 ".into(),
        relationship: "母".into(),
        household: "same".into(),
        ones_health: "良好\r\n".into(),
        remarks: String::new(),
    });
    let EntryInput::Family(parsed) = family.parse().unwrap() else {
        panic!("section changed");
    };
    assert_eq!(parsed.name, "山田\u{3000}花子");
    assert_eq!(parsed.ones_health, "良好");

    let mut medical = MedicalInput {
        medical_care_insurance: "other".into(),
        aiding: "none".into(),
        ..Default::default()
    };
    assert_eq!(
        fields(&EntryInput::Medical(medical.clone())),
        ["medical_care_insurance_other_text"]
    );
    medical.medical_care_insurance = "social_insurance".into();
    medical.medical_care_insurance_other_text = "x".into();
    assert_eq!(
        fields(&EntryInput::Medical(medical)),
        ["medical_care_insurance_other_text"]
    );

    let visit = HospitalVisitInput {
        disease: "a".into(),
        symptoms: "b".into(),
        medical_institution: "c".into(),
        doctor: "d".into(),
        tel: "０３－１１１１－２２２２".into(),
        frequency: "月1回".into(),
        date_started: "2024-02-01".into(),
        date_ended: "2024-01-31".into(),
        ..Default::default()
    };
    assert_eq!(fields(&EntryInput::HospitalVisit(visit)), ["date_started"]);

    // 就労経験なし: at least one child; unchecking it clears the children.
    let mut employment = EmploymentInput {
        work_conditions: "part_time".into(),
        work_outside_the_facility: "hope".into(),
        no_employment_experience: true,
        ..Default::default()
    };
    assert_eq!(
        fields(&EntryInput::Employment(employment.clone())),
        ["no_employment_experience"]
    );
    employment.employment_other_experience = true;
    assert_eq!(
        fields(&EntryInput::Employment(employment.clone())),
        ["employment_other_text"]
    );
    employment.no_employment_experience = false;
    employment.employment_other_text = "実習".into();
    let EntryInput::Employment(cleared) = EntryInput::Employment(employment).parse().unwrap()
    else {
        panic!("section changed");
    };
    assert!(!cleared.employment_other_experience && cleared.employment_other_text.is_empty());

    assert_eq!(
        fields(&EntryInput::IssueAnalysis(IssueAnalysisInput::default())),
        ["what_i_like_to_do"]
    );
    assert_eq!(
        fields(&EntryInput::IssueAnalysis(IssueAnalysisInput {
            other: "あ".repeat(1001),
            ..Default::default()
        })),
        ["other"]
    );
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[ 　a-zA-Zあ-んア-ン山田0-9０-９\\-\r\n]{0,12}",
        Just("2024-01-01".to_owned()),
        Just("2024/12/31".to_owned()),
        Just("03-1234-5678".to_owned()),
        Just("other".to_owned()),
        Just("same".to_owned()),
        Just("hope".to_owned()),
        Just("general_employment".to_owned()),
        Just("national_health_insurance".to_owned()),
        Just("none".to_owned()),
    ]
}

prop_compose! {
    fn entry()(
        section in 0..6u8,
        t in proptest::collection::vec(text(), 20),
        b in proptest::collection::vec(any::<bool>(), 10),
    ) -> EntryInput {
        match section {
            0 => EntryInput::Family(FamilyMemberInput {
                name: t[0].clone(), relationship: t[1].clone(), household: t[2].clone(),
                ones_health: t[3].clone(), remarks: t[4].clone(),
            }),
            1 => EntryInput::ServiceHistory(ServiceHistoryInput {
                office_name: t[0].clone(), service_name: t[1].clone(),
                starting_day: t[2].clone(), amount_used: t[3].clone(),
            }),
            2 => EntryInput::Medical(MedicalInput {
                medical_care_insurance: t[0].clone(),
                medical_care_insurance_other_text: t[1].clone(),
                aiding: t[2].clone(), hospitalized_past_2_years: b[0],
            }),
            3 => EntryInput::HospitalVisit(HospitalVisitInput {
                disease: t[0].clone(), symptoms: t[1].clone(), medical_institution: t[2].clone(),
                doctor: t[3].clone(), tel: t[4].clone(), frequency: t[5].clone(),
                date_started: t[6].clone(), date_ended: t[7].clone(), taking_medicine: b[0],
                special_remarks: t[8].clone(),
            }),
            4 => EntryInput::Employment(EmploymentInput {
                work_conditions: t[0].clone(), regular_or_part_time_job: b[0],
                employment_support: b[1], work_experience_past_year: b[2],
                suspension_of_work: b[3], no_employment_experience: b[4],
                attended_job_selection_office: b[5], received_employment_assessment: b[6],
                employment_other_experience: b[7], employment_other_text: t[1].clone(),
                qualifications: t[2].clone(), main_places_of_employment: t[3].clone(),
                general_employment_request: b[8], desired_job: t[4].clone(),
                desired_hours: t[5].clone(), desired_wage: t[6].clone(),
                special_remarks: t[7].clone(), work_outside_the_facility: t[8].clone(),
                work_outside_note: t[9].clone(), desired_tasks_in_facility: t[10].clone(),
            }),
            _ => EntryInput::IssueAnalysis(IssueAnalysisInput {
                what_i_like_to_do: t[0].clone(), im_not_good_at: t[1].clone(),
                the_life_i_want: t[2].clone(), the_support_i_want: t[3].clone(),
                points_to_keep_in_mind: t[4].clone(), future_dreams: t[5].clone(),
                other: t[6].clone(),
            }),
        }
    }
}

proptest! {
    /// No input panics; whatever parses is already normalised (parsing it again changes
    /// nothing) and survives JSON (what the database stores).
    #[test]
    fn parsing_is_idempotent(entry in entry()) {
        if let Ok(normalised) = entry.parse() {
            prop_assert_eq!(normalised.parse(), Ok(normalised.clone()));
            let json = serde_json::to_string(&normalised).unwrap();
            prop_assert_eq!(serde_json::from_str::<EntryInput>(&json).unwrap(), normalised);
        }
    }
}
