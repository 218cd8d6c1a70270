use super::*;
use crate::service_type::ServiceType;
use proptest::prelude::*;
use time::macros::date;

fn ctx() -> RecipientContext {
    RecipientContext {
        today: date!(2026 - 12 - 01),
        service_types: vec![ServiceType::TypeBOffice, ServiceType::LifeCare],
        creating: true,
    }
}

fn contact() -> EmergencyContactInput {
    EmergencyContactInput {
        last_name: "山田".into(),
        first_name: "花子".into(),
        last_name_kana: "ヤマダ".into(),
        first_name_kana: "はなこ".into(),
        relationship: "母".into(),
        tel: "０９０－１２３４－５６７８".into(),
        ..Default::default()
    }
}

pub fn valid() -> RecipientInput {
    RecipientInput {
        last_name: "山田".into(),
        first_name: "太郎".into(),
        last_name_kana: "やまだ".into(),
        first_name_kana: "タロウ".into(),
        birth_date: "1990-04-01".into(),
        gender: "male".into(),
        service_type: "type_B_office".into(),
        contract_date: "2026/4/1".into(),
        address: "東京都新宿区西新宿1-1-1".into(),
        form_of_residence: "home_with_family".into(),
        means_of_transportation: "walk".into(),
        tel: "03-1234-5678".into(),
        emergency_contacts: vec![contact()],
        disability_or_disease_name: "知的障害".into(),
        livelihood_protection: "not_receiving".into(),
        ..Default::default()
    }
}

fn fields(input: &RecipientInput) -> Vec<(String, String)> {
    input
        .parse(&ctx())
        .err()
        .unwrap_or_default()
        .into_iter()
        .map(|e| (e.field, e.message_ja))
        .collect()
}

fn message(input: &RecipientInput, field: &str) -> Option<String> {
    fields(input)
        .into_iter()
        .find(|(f, _)| f == field)
        .map(|(_, m)| m)
}

#[test]
fn a_complete_form_parses_and_normalises() {
    let profile = valid().parse(&ctx()).unwrap();
    assert_eq!(profile.first_name_kana.as_str(), "たろう");
    assert_eq!(profile.contract_date, date!(2026 - 04 - 01));
    assert_eq!(profile.emergency_contacts[0].tel.as_str(), "090-1234-5678");
    assert_eq!(
        profile.emergency_contacts[0].last_name_kana.as_str(),
        "やまだ"
    );
    assert_eq!(profile.full_name(), "山田 太郎");
    assert_eq!(profile.special_remarks, None);
}

#[test]
fn the_empty_form_names_every_required_field_in_its_step() {
    let errors = fields(&RecipientInput::default());
    let names: Vec<&str> = errors.iter().map(|(f, _)| f.as_str()).collect();
    for required in [
        "last_name",
        "first_name",
        "last_name_kana",
        "first_name_kana",
        "birth_date",
        "gender",
        "service_type",
        "contract_date",
        "address",
        "form_of_residence",
        "means_of_transportation",
        "tel",
        "emergency_contacts",
        "disability_or_disease_name",
        "livelihood_protection",
    ] {
        assert!(names.contains(&required), "{required} missing in {names:?}");
    }
    let input = RecipientInput::default();
    let steps: Vec<usize> = WizardStep::ALL
        .iter()
        .map(|s| input.step_errors(&ctx(), *s).len())
        .collect();
    assert_eq!(steps, vec![8, 4, 1, 2, 0]);
}

#[test]
fn dates_follow_the_rules() {
    let mut input = valid();
    input.birth_date = "2027-01-01".into();
    assert!(message(&input, "birth_date").unwrap().contains("今日まで"));
    input.birth_date = "1899-12-31".into();
    assert!(message(&input, "birth_date").is_some());
    input.birth_date = "2026-02-30".into();
    assert_eq!(message(&input, "birth_date").unwrap(), "存在しない日付です");

    let mut input = valid();
    input.contract_date = "1989-01-01".into();
    assert_eq!(
        message(&input, "contract_date").unwrap(),
        "利用契約日は生年月日以降の日付にしてください"
    );
    input.contract_date = "2026-12-02".into();
    assert!(
        message(&input, "contract_date")
            .unwrap()
            .contains("今日以前")
    );

    let mut input = valid();
    input.current_plan_delivered_date = "2026-03-31".into();
    assert!(message(&input, "current_plan_delivered_date").is_some());
    input.current_plan_delivered_date = "2026-05-01".into();
    assert!(input.parse(&ctx()).is_ok());
    let editing = RecipientContext {
        creating: false,
        ..ctx()
    };
    assert!(input.parse(&editing).is_err());
}

#[test]
fn choices_and_their_other_texts() {
    let mut input = valid();
    input.service_type = "group_home".into();
    assert_eq!(
        message(&input, "service_type").unwrap(),
        "この事業所のサービス種別から選択してください"
    );
    input.service_type = "nonsense".into();
    assert_eq!(
        message(&input, "service_type").unwrap(),
        "一覧から選択してください"
    );

    let mut input = valid();
    input.form_of_residence = "other".into();
    assert!(message(&input, "form_of_residence_other_text").is_some());
    input.form_of_residence_other_text = "シェアハウス".into();
    assert!(input.parse(&ctx()).is_ok());
    input.form_of_residence = "home_alone".into();
    assert_eq!(
        message(&input, "form_of_residence_other_text").unwrap(),
        "「その他」を選んだときだけ入力できます"
    );

    let mut input = valid();
    input.self_plan = true;
    input.counselling_office = "さくら相談支援センター".into();
    assert!(message(&input, "counselling_office").is_some());
    input.self_plan = false;
    assert!(input.parse(&ctx()).is_ok());

    let mut input = valid();
    input.certificate_number = "１２３４５６７８９０".into();
    assert_eq!(
        input.parse(&ctx()).unwrap().certificate_number.as_deref(),
        Some("1234567890")
    );
    input.certificate_number = "123".into();
    assert!(message(&input, "certificate_number").is_some());
}

#[test]
fn emergency_contacts_are_one_to_three_with_indexed_fields() {
    let mut input = valid();
    input.emergency_contacts = vec![contact(), contact(), contact(), contact()];
    assert_eq!(
        message(&input, "emergency_contacts").unwrap(),
        "緊急連絡先は3件までです"
    );
    input.emergency_contacts = vec![contact(), contact()];
    input.emergency_contacts[1].tel = "123".into();
    input.emergency_contacts[1].relationship = "その他".into();
    let errors = fields(&input);
    let names: Vec<&str> = errors.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(
        names,
        [
            "emergency_contacts.1.relationship_other_text",
            "emergency_contacts.1.tel"
        ]
    );
    assert_eq!(WizardStep::of_field(names[0]), WizardStep::Emergency);
}

#[test]
fn grades_depend_on_the_category() {
    let mut input = valid();
    input.disability_details = vec![DisabilityDetailInput {
        category: "intellectual_handbook".into(),
        grade: "3".into(),
        application_status: "acquired".into(),
        ..Default::default()
    }];
    assert_eq!(
        message(&input, "disability_details.0.grade").unwrap(),
        "この種別の等級から選択してください"
    );
    input.disability_details[0].grade = "B1".into();
    assert!(input.parse(&ctx()).is_ok());
    input.disability_details[0].grade = String::new();
    assert!(message(&input, "disability_details.0.grade").is_some());
    input.disability_details[0].application_status = "applying".into();
    assert!(input.parse(&ctx()).is_ok());

    input.disability_details[0].physical_disability_type = "visual".into();
    assert!(message(&input, "disability_details.0.physical_disability_type").is_some());

    input.disability_details = vec![
        DisabilityDetailInput {
            category: "physical_handbook".into(),
            grade: "2".into(),
            physical_disability_type: "other".into(),
            application_status: "acquired".into(),
            ..Default::default()
        },
        DisabilityDetailInput {
            category: "physical_handbook".into(),
            application_status: "planning".into(),
            ..Default::default()
        },
    ];
    let names: Vec<String> = fields(&input).into_iter().map(|(f, _)| f).collect();
    assert_eq!(
        names,
        [
            "disability_details.0.physical_disability_type_other_text",
            "disability_details.1.category"
        ]
    );
}

#[test]
fn assigned_staff_are_at_most_five_ids() {
    let mut input = valid();
    let id = uuid::Uuid::nil().to_string();
    input.assigned_staff_ids = vec![id.clone(), id];
    assert_eq!(input.parse(&ctx()).unwrap().assigned_staff_ids.len(), 1);
    input.assigned_staff_ids = vec!["x".into()];
    assert!(message(&input, "assigned_staff_ids").is_some());
    input.assigned_staff_ids = (0..6)
        .map(|i| uuid::Uuid::from_u128(i).to_string())
        .collect();
    assert!(message(&input, "assigned_staff_ids").is_some());
}

/// Strings a user might type in any field, including the awkward ones.
fn typed() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[ぁ-んァ-ン一-龯a-zA-Z0-9０-９ー・ 　\\-/]{0,12}",
        any::<String>(),
        Just("1990-04-01".to_owned()),
        Just("other".to_owned()),
    ]
}

/// A valid form with up to three fields replaced by typed text, and extra contacts: about a
/// quarter of the cases stay valid, so the round trip below is exercised as well as the errors.
fn input_strategy() -> impl Strategy<Value = RecipientInput> {
    (
        proptest::collection::vec((0..16usize, typed()), 0..4),
        proptest::collection::vec(typed(), 0..3),
        any::<bool>(),
    )
        .prop_map(|(changes, contacts, self_plan)| {
            let mut input = valid();
            for (field, value) in changes {
                let slot = match field {
                    0 => &mut input.last_name,
                    1 => &mut input.first_name_kana,
                    2 => &mut input.birth_date,
                    3 => &mut input.contract_date,
                    4 => &mut input.certificate_number,
                    5 => &mut input.counselling_office,
                    6 => &mut input.postal_code,
                    7 => &mut input.address,
                    8 => &mut input.form_of_residence_other_text,
                    9 => &mut input.tel,
                    10 => &mut input.special_remarks,
                    11 => &mut input.disability_or_disease_name,
                    12 => &mut input.current_plan_delivered_date,
                    13 => &mut input.means_of_transportation,
                    14 => &mut input.gender,
                    _ => &mut input.emergency_contacts[0].tel,
                };
                *slot = value;
            }
            input.self_plan = self_plan;
            for (i, name) in contacts.into_iter().enumerate() {
                let mut c = contact();
                c.first_name = name;
                if i % 2 == 1 {
                    c.relationship = "その他".into();
                    c.relationship_other_text = "後見人".into();
                }
                input.emergency_contacts.push(c);
            }
            input
        })
}

proptest! {
    /// No input panics; whatever parses comes back from `to_input` to the same profile, and
    /// parsing is idempotent on its own output.
    #[test]
    fn parse_round_trips_and_never_panics(input in input_strategy()) {
        if let Ok(profile) = input.parse(&ctx()) {
            let again = profile.to_input();
            prop_assert_eq!(again.parse(&ctx()), Ok(profile.clone()));
            prop_assert_eq!(again.parse(&ctx()).unwrap().to_input(), again);
        }
    }

    /// Errors always name a field the form has, so the browser can put them beside it.
    #[test]
    fn errors_name_known_fields(input in input_strategy()) {
        if let Err(errors) = input.parse(&ctx()) {
            let json = serde_json::to_value(RecipientInput::default()).unwrap();
            for error in errors {
                let head = error.field.split('.').next().unwrap();
                prop_assert!(json.get(head).is_some(), "unknown field {}", error.field);
                prop_assert!(!error.message_ja.is_empty());
            }
        }
    }
}

#[test]
fn changed_fields_name_top_level_fields_with_labels() {
    let before = valid();
    let mut after = valid();
    after.address = "大阪府".into();
    after.emergency_contacts[0].notes = "夜間は不可".into();
    let changed = before.changed_fields(&after);
    assert_eq!(changed, ["address", "emergency_contacts"]);
    let labels: Vec<&str> = changed.iter().map(|f| field_label(f)).collect();
    assert_eq!(labels, ["住所", "緊急連絡先"]);
    assert_eq!(field_label("emergency_contacts.1.tel"), "緊急連絡先");
    // Every field of the form has its own label.
    let json = serde_json::to_value(RecipientInput::default()).unwrap();
    for key in json.as_object().unwrap().keys() {
        assert_ne!(field_label(key), "その他の項目", "{key}");
    }
}
