//! アセスメント (SPEC §5) through the documented server functions on real PostgreSQL: every
//! section saved and read back normalised, the shared rules refusing bad input, one-per-recipient
//! sections, optimistic locking, archived recipients read only, and entries of another office
//! unreachable even through one's own recipient id.

mod support;

use serde_json::{Value, json};
use sqlx::PgPool;
use support::{
    Browser,
    people::{enable_mfa, invited, owner},
    spawn_app,
};

fn recipient() -> Value {
    json!({
        "last_name": "山田", "first_name": "太郎", "last_name_kana": "やまだ", "first_name_kana": "たろう",
        "birth_date": "1990-04-01", "gender": "male", "service_type": "type_B_office",
        "contract_date": "2026-04-01", "address": "東京都新宿区西新宿1-1-1",
        "form_of_residence": "home_with_family", "means_of_transportation": "walk",
        "tel": "03-1234-5678",
        "emergency_contacts": [{"last_name": "山田", "first_name": "花子", "last_name_kana": "やまだ",
                                "first_name_kana": "はなこ", "relationship": "母", "tel": "090-1234-5678"}],
        "disability_or_disease_name": "知的障害", "livelihood_protection": "not_receiving",
    })
}

async fn post(browser: &Browser, path: &str, body: Value) -> (u16, Value) {
    let r = browser.post(path, body).await;
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

async fn save(browser: &Browser, recipient: &str, entry: Value) -> (u16, Value) {
    post(
        browser,
        "/api/assessment/save",
        json!({"recipient_id": recipient, "entry": entry}),
    )
    .await
}

fn fields(error: &Value) -> Vec<String> {
    error["field_errors"]
        .as_array()
        .unwrap_or_else(|| panic!("{error}"))
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_owned())
        .collect()
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn every_section_is_saved_checked_and_read_back(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let mut manager = owner(&app, "owner@example.jp", Some("ひまわり作業所")).await;
    enable_mfa(&manager).await;
    manager.refresh_csrf().await;
    let (mut employee, _) = invited(&app, &manager, "employee@example.jp", "employee").await;
    enable_mfa(&employee).await;
    employee.refresh_csrf().await;
    let (_, saved) = post(
        &manager,
        "/api/recipients/create",
        json!({"input": recipient()}),
    )
    .await;
    let id = saved["id"].as_str().unwrap().to_owned();

    // Employees write directly (no approval flow); values are stored normalised.
    let (status, family) = save(
        &employee,
        &id,
        json!({"section": "family", "input": {"name": " 山田 花子 ", "relationship": "母",
               "household": "same", "ones_health": "良好"}}),
    )
    .await;
    assert_eq!(status, 200, "{family}");
    for entry in [
        json!({"section": "service_history", "input": {"office_name": "あおば", "service_name": "就労継続支援B型",
               "starting_day": "2020-04-01", "amount_used": "60時間"}}),
        json!({"section": "service_history", "input": {"office_name": "みどり", "service_name": "生活介護",
               "starting_day": "2023-04-01", "amount_used": "40時間"}}),
        json!({"section": "medical", "input": {"medical_care_insurance": "other",
               "medical_care_insurance_other_text": "国保組合", "aiding": "subsidized",
               "hospitalized_past_2_years": true}}),
        json!({"section": "hospital_visit", "input": {"disease": "てんかん", "symptoms": "発作",
               "medical_institution": "新宿病院", "doctor": "佐藤", "tel": "０３－１１１１－２２２２",
               "frequency": "月1回", "date_started": "2020-01-01", "taking_medicine": true}}),
        json!({"section": "employment", "input": {"work_conditions": "continuous_support_b",
               "no_employment_experience": true, "employment_other_experience": true,
               "employment_other_text": "実習", "work_outside_the_facility": "undecided"}}),
        json!({"section": "issue_analysis", "input": {"the_life_i_want": "一人暮らし"}}),
    ] {
        let (status, body) = save(&employee, &id, entry).await;
        assert_eq!(status, 200, "{body}");
    }
    let read: Value = employee
        .get(&format!("/api/assessment?recipient_id={id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(read["read_only"], false);
    let entries = read["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 7);
    let of = |section: &str| -> Vec<&Value> {
        entries
            .iter()
            .filter(|e| e["entry"]["section"] == section)
            .map(|e| &e["entry"]["input"])
            .collect()
    };
    assert_eq!(of("family")[0]["name"], "山田 花子");
    // Service history: the newest start first.
    assert_eq!(
        of("service_history")
            .iter()
            .map(|e| e["starting_day"].as_str().unwrap())
            .collect::<Vec<_>>(),
        ["2023-04-01", "2020-04-01"]
    );
    assert_eq!(of("hospital_visit")[0]["tel"], "03-1111-2222");
    assert_eq!(of("employment")[0]["employment_other_text"], "実習");

    // The shared rules, section by section.
    let (status, error) = save(
        &employee,
        &id,
        json!({"section": "hospital_visit", "input": {"disease": "a", "symptoms": "b",
               "medical_institution": "c", "doctor": "d", "tel": "03-1111-2222", "frequency": "e",
               "date_started": "2024-01-02", "date_ended": "2024-01-01"}}),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(fields(&error), ["date_started"]);
    let (_, error) = save(
        &employee,
        &id,
        json!({"section": "family", "input": {"household": "both"}}),
    )
    .await;
    assert_eq!(
        fields(&error),
        ["name", "relationship", "household", "ones_health"]
    );

    // One-per-recipient sections: a second one is a CONFLICT; updates name the version read.
    let (status, _) = save(
        &employee,
        &id,
        json!({"section": "issue_analysis", "input": {"other": "2件目"}}),
    )
    .await;
    assert_eq!(status, 409);
    let issue = entries
        .iter()
        .find(|e| e["entry"]["section"] == "issue_analysis")
        .unwrap();
    let update = json!({"recipient_id": id, "item_id": issue["id"], "version": 1,
                        "entry": {"section": "issue_analysis", "input": {"other": "更新"}}});
    let (status, body) = post(&manager, "/api/assessment/save", update.clone()).await;
    assert_eq!((status, body["version"].as_i64()), (200, Some(2)));
    let (status, error) = post(&employee, "/api/assessment/save", update).await;
    assert_eq!((status, error["code"].as_str()), (409, Some("CONFLICT")));
    // Empty 課題分析 is refused.
    let (status, error) = post(
        &manager,
        "/api/assessment/save",
        json!({"recipient_id": id, "item_id": issue["id"], "version": 2,
               "entry": {"section": "issue_analysis", "input": {}}}),
    )
    .await;
    assert_eq!(
        (status, fields(&error)),
        (422, vec!["what_i_like_to_do".to_owned()])
    );

    // Delete at the version read.
    let family_id = family["id"].as_str().unwrap();
    let (status, _) = post(
        &employee,
        "/api/assessment/delete",
        json!({"recipient_id": id, "item_id": family_id, "version": 1}),
    )
    .await;
    assert_eq!(status, 200);

    // Audit: section and entry id only.
    let details: Vec<(String, Value)> = sqlx::query_as(
        "select action, details from audit_logs where action like 'assessment.%' order by id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(details.len(), 9);
    assert_eq!(details[0].0, "assessment.family.created");
    assert_eq!(details[8].0, "assessment.family.deleted");
    assert_eq!(details[0].1["section"], "家族構成");
    assert!(!details.iter().any(|(_, d)| d.to_string().contains("山田")));

    // Archived: read only.
    let today =
        shared::dates::format_date_iso(shared::dates::jst_date(time::OffsetDateTime::now_utc()));
    let (status, _) = post(
        &manager,
        "/api/recipients/archive",
        json!({"id": id, "version": 1, "input": {"end_date": today, "end_reason": "moved"}}),
    )
    .await;
    assert_eq!(status, 200);
    let read: Value = employee
        .get(&format!("/api/assessment?recipient_id={id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(read["read_only"], true);
    let (status, _) = save(
        &employee,
        &id,
        json!({"section": "family", "input": {"name": "a", "relationship": "b", "household": "same",
               "ones_health": "c"}}),
    )
    .await;
    assert_eq!(status, 409);
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn another_offices_entry_is_not_found_through_ones_own_recipient(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let mut a = owner(&app, "a@example.jp", Some("A事業所")).await;
    enable_mfa(&a).await;
    a.refresh_csrf().await;
    let mut b = owner(&app, "b@example.jp", Some("B事業所")).await;
    enable_mfa(&b).await;
    b.refresh_csrf().await;
    let (_, ra) = post(&a, "/api/recipients/create", json!({"input": recipient()})).await;
    let (_, rb) = post(&b, "/api/recipients/create", json!({"input": recipient()})).await;
    let (ra, rb) = (ra["id"].as_str().unwrap(), rb["id"].as_str().unwrap());
    let (_, entry) = save(
        &b,
        rb,
        json!({"section": "issue_analysis", "input": {"other": "B"}}),
    )
    .await;
    let item = entry["id"].as_str().unwrap();
    // A names its own recipient with B's entry id: NOT_FOUND, and B's entry is unchanged.
    let (status, error) = post(
        &a,
        "/api/assessment/save",
        json!({"recipient_id": ra, "item_id": item, "version": 1,
               "entry": {"section": "issue_analysis", "input": {"other": "A"}}}),
    )
    .await;
    assert_eq!((status, error["code"].as_str()), (404, Some("NOT_FOUND")));
    let (status, _) = post(
        &a,
        "/api/assessment/delete",
        json!({"recipient_id": ra, "item_id": item, "version": 1}),
    )
    .await;
    assert_eq!(status, 404);
    let data: Value = sqlx::query_scalar("select data from assessment_entries")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(data["other"], "B");
}
