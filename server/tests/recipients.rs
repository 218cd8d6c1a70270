//! Recipients through the documented server functions on real PostgreSQL: registration with the
//! shared rules, the duplicate guard, optimistic locking, list and search, and row-level security
//! as the second wall between offices.

mod support;

use serde_json::{Value, json};
use sqlx::PgPool;
use support::{
    Browser, TestApp,
    people::{enable_mfa, owner},
    spawn_app,
};
use uuid::Uuid;

pub fn recipient(last: &str, first: &str, kana_last: &str, kana_first: &str) -> Value {
    json!({
        "last_name": last, "first_name": first,
        "last_name_kana": kana_last, "first_name_kana": kana_first,
        "birth_date": "1990-04-01", "gender": "male", "service_type": "type_B_office",
        "contract_date": "2026-04-01", "address": "東京都新宿区西新宿1-1-1",
        "form_of_residence": "home_with_family", "means_of_transportation": "walk",
        "tel": "０３－１２３４－５６７８",
        "emergency_contacts": [{"last_name": "山田", "first_name": "花子", "last_name_kana": "ヤマダ",
                                "first_name_kana": "はなこ", "relationship": "母", "tel": "090-1234-5678"}],
        "disability_or_disease_name": "知的障害", "livelihood_protection": "not_receiving",
        "disability_details": [{"category": "intellectual_handbook", "grade": "B1",
                                "application_status": "acquired"}]
    })
}

async fn manager_with_mfa(app: &TestApp, email: &str, office: &str) -> Browser {
    let mut browser = owner(app, email, Some(office)).await;
    enable_mfa(&browser).await;
    browser.refresh_csrf().await;
    browser
}

async fn create(browser: &Browser, input: Value, confirm: bool) -> (u16, Value) {
    let r = browser
        .post(
            "/api/recipients/create",
            json!({"input": input, "confirm_duplicate": confirm}),
        )
        .await;
    (r.status().as_u16(), r.json().await.unwrap())
}

async fn search(browser: &Browser, query: &str) -> Vec<String> {
    let page: Value = browser
        .get(&format!("/api/recipients?{query}"))
        .await
        .json()
        .await
        .unwrap();
    page["items"]
        .as_array()
        .unwrap_or_else(|| panic!("{page}"))
        .iter()
        .map(|i| i["name"].as_str().unwrap().to_owned())
        .collect()
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn register_read_search_and_edit(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let browser = manager_with_mfa(&app, "owner@example.jp", "ひまわり作業所").await;

    let (status, saved) = create(
        &browser,
        recipient("山田", "太郎", "やまだ", "タロウ"),
        false,
    )
    .await;
    assert_eq!(status, 200, "{saved}");
    assert_eq!(saved["outcome"], "saved");
    let id: Uuid = saved["id"].as_str().unwrap().parse().unwrap();
    create(
        &browser,
        recipient("佐藤", "次郎", "さとう", "じろう"),
        false,
    )
    .await;

    // Stored as the shared parser normalised it.
    let record: Value = browser
        .get(&format!("/api/recipients/get?id={id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(record["version"], 1);
    assert_eq!(record["input"]["first_name_kana"], "たろう");
    assert_eq!(record["input"]["tel"], "03-1234-5678");
    assert_eq!(
        record["input"]["emergency_contacts"][0]["last_name_kana"],
        "やまだ"
    );
    assert_eq!(record["input"]["disability_details"][0]["grade"], "B1");

    // Search: furigana in katakana or hiragana, full-width spaces, every word must match.
    assert_eq!(search(&browser, "q=ヤマダ").await, ["山田 太郎"]);
    assert_eq!(
        search(&browser, "q=%E5%B1%B1%E7%94%B0%E3%80%80%E5%A4%AA").await,
        ["山田 太郎"]
    ); // 山田　太
    assert!(
        search(&browser, "q=%E5%B1%B1%E7%94%B0+%E6%AC%A1")
            .await
            .is_empty()
    ); // 山田 次
    assert_eq!(search(&browser, "").await, ["佐藤 次郎", "山田 太郎"]);
    assert_eq!(
        search(&browser, "sort=kana&dir=desc").await,
        ["山田 太郎", "佐藤 次郎"]
    );
    let page: Value = browser.get("/api/recipients").await.json().await.unwrap();
    assert_eq!(
        (page["total"].as_u64(), page["pages"].as_u64()),
        (Some(2), Some(1))
    );
    // The list never carries contact or disability data.
    let item = page["items"][0].as_object().unwrap();
    assert!(!item.contains_key("tel") && !item.contains_key("address"));
    assert_eq!(item["age"], 36);

    // Edit: every section saved, the version moves on; a save based on the old one is refused.
    let mut input = record["input"].clone();
    input["address"] = json!("大阪府大阪市北区1-1");
    input["emergency_contacts"].as_array_mut().unwrap().push(
        json!({"last_name": "山田", "first_name": "一郎", "last_name_kana": "やまだ",
                     "first_name_kana": "いちろう", "relationship": "父", "tel": "090-0000-0000"}),
    );
    let r = browser
        .post(
            "/api/recipients/update",
            json!({"id": id, "version": 1, "input": input}),
        )
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<Value>().await.unwrap()["version"], 2);
    input["address"] = json!("古い画面からの保存");
    let r = browser
        .post(
            "/api/recipients/update",
            json!({"id": id, "version": 1, "input": input}),
        )
        .await;
    assert_eq!(r.status(), 409);
    assert_eq!(
        r.json::<Value>().await.unwrap()["message_ja"],
        "他の職員が先に更新しました。再読み込みしてください"
    );
    let record: Value = browser
        .get(&format!("/api/recipients/get?id={id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(record["input"]["address"], "大阪府大阪市北区1-1");
    // Opening the record is audited once per staff member and day, however often it is read.
    let views: i64 = sqlx::query_scalar(
        "select count(*) from audit_logs where action = 'recipient.viewed' and target_id = $1",
    )
    .bind(id)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(views, 1);
    assert_eq!(
        record["input"]["emergency_contacts"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let changed: Value = sqlx::query_scalar(
        "select details->'changed_fields' from audit_logs where action = 'recipient.updated'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(changed, json!(["住所", "緊急連絡先"]));
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn bad_input_duplicates_and_missing_mfa_save_nothing(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let no_mfa = owner(&app, "nomfa@example.jp", Some("さくら事業所")).await;
    let (status, error) = create(
        &no_mfa,
        recipient("山田", "太郎", "やまだ", "たろう"),
        false,
    )
    .await;
    assert_eq!(
        (status, error["code"].as_str()),
        (403, Some("MFA_SETUP_REQUIRED"))
    );

    let browser = manager_with_mfa(&app, "owner@example.jp", "ひまわり作業所").await;
    let mut input = recipient("山田", "太郎", "やまだ", "たろう");
    input["emergency_contacts"] = json!([]);
    input["service_type"] = json!("group_home");
    input["disability_details"][0]["grade"] = json!("3");
    let (status, error) = create(&browser, input, false).await;
    assert_eq!(status, 422);
    let fields: Vec<&str> = error["field_errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        [
            "service_type",
            "emergency_contacts",
            "disability_details.0.grade"
        ]
    );

    let (_, first) = create(
        &browser,
        recipient("山田", "太郎", "やまだ", "たろう"),
        false,
    )
    .await;
    let (status, dup) = create(
        &browser,
        recipient("山田", "太郎", "やまだ", "たろう"),
        false,
    )
    .await;
    assert_eq!(
        (status, dup["outcome"].as_str()),
        (200, Some("duplicate_found"))
    );
    assert_eq!(dup["existing"], json!([first["id"]]));
    let (_, confirmed) = create(
        &browser,
        recipient("山田", "太郎", "やまだ", "たろう"),
        true,
    )
    .await;
    assert_eq!(confirmed["outcome"], "saved");
    let count: i64 = sqlx::query_scalar("select count(*) from recipients")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(count, 2);
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn row_level_security_hides_other_offices_even_without_the_filter(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let a = manager_with_mfa(&app, "a@example.jp", "A事業所").await;
    let b = manager_with_mfa(&app, "b@example.jp", "B事業所").await;
    create(&a, recipient("山田", "太郎", "やまだ", "たろう"), false).await;
    create(&b, recipient("佐藤", "次郎", "さとう", "じろう"), false).await;
    let office_b: Uuid = sqlx::query_scalar("select id from offices where name = 'B事業所'")
        .fetch_one(&pool)
        .await
        .unwrap();

    // A query that forgets `office_id`, run as the tenant role: only B's rows.
    let mut tx = pool.begin().await.unwrap();
    sqlx::query(
        "select set_config('app.office_id', $1, true), set_config('role', 'keikakun_tenant', true)",
    )
    .bind(office_b.to_string())
    .execute(&mut *tx)
    .await
    .unwrap();
    let names: Vec<String> = sqlx::query_scalar("select last_name from recipients")
        .fetch_all(&mut *tx)
        .await
        .unwrap();
    assert_eq!(names, ["佐藤"]);
    let contacts: i64 = sqlx::query_scalar("select count(*) from emergency_contacts")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    assert_eq!(contacts, 1);
    // Writing into another office is refused by the policy itself.
    let office_a: Uuid = sqlx::query_scalar("select id from offices where name = 'A事業所'")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    let refused = sqlx::query("update recipients set address = 'x' where office_id = $1")
        .bind(office_a)
        .execute(&mut *tx)
        .await
        .unwrap();
    assert_eq!(refused.rows_affected(), 0);
    tx.rollback().await.unwrap();

    // Without an office set, the tenant role sees nothing at all.
    let mut tx = pool.begin().await.unwrap();
    sqlx::query("select set_config('role', 'keikakun_tenant', true)")
        .execute(&mut *tx)
        .await
        .unwrap();
    let visible: i64 = sqlx::query_scalar("select count(*) from recipients")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    assert_eq!(visible, 0);
}

async fn post(browser: &Browser, path: &str, body: Value) -> (u16, Value) {
    let r = browser.post(path, body).await;
    (r.status().as_u16(), r.json().await.unwrap())
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn archive_restore_and_delete_follow_the_states(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let browser = manager_with_mfa(&app, "owner@example.jp", "ひまわり作業所").await;
    let (_, saved) = create(
        &browser,
        recipient("山田", "太郎", "やまだ", "たろう"),
        false,
    )
    .await;
    let id = saved["id"].clone();

    let archive = json!({"end_date": "2026-04-30", "end_reason": "general_employment"});
    // A stale version, then a bad form: nothing changes.
    let (status, _) = post(
        &browser,
        "/api/recipients/archive",
        json!({"id": id, "version": 9, "input": archive}),
    )
    .await;
    assert_eq!(status, 409);
    let (status, error) = post(
        &browser,
        "/api/recipients/archive",
        json!({"id": id, "version": 1, "input": {"end_date": "2026-03-01", "end_reason": "other"}}),
    )
    .await;
    assert_eq!(status, 422);
    let fields: Vec<&str> = error["field_errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["end_date", "end_reason_text"]);

    let (status, archived) = post(
        &browser,
        "/api/recipients/archive",
        json!({"id": id, "version": 1, "input": archive}),
    )
    .await;
    assert_eq!((status, archived["version"].as_i64()), (200, Some(2)));
    assert!(
        search(&browser, "").await.is_empty(),
        "the default list shows active recipients"
    );
    assert_eq!(search(&browser, "status=archived").await, ["山田 太郎"]);
    let (status, _) = post(
        &browser,
        "/api/recipients/archive",
        json!({"id": id, "version": 2, "input": archive}),
    )
    .await;
    assert_eq!(status, 409, "only active recipients are archived");

    // Restoring behind the duplicate guard: someone with the same name and birth date exists now.
    create(
        &browser,
        recipient("山田", "太郎", "やまだ", "たろう"),
        true,
    )
    .await;
    let (_, asked) = post(
        &browser,
        "/api/recipients/restore",
        json!({"id": id, "version": 2}),
    )
    .await;
    assert_eq!(asked["outcome"], "duplicate_found");
    let (status, restored) = post(
        &browser,
        "/api/recipients/restore",
        json!({"id": id, "version": 2, "confirm_duplicate": true}),
    )
    .await;
    assert_eq!((status, restored["version"].as_i64()), (200, Some(3)));

    let (status, _) = post(
        &browser,
        "/api/recipients/delete",
        json!({"id": id, "version": 3}),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(search(&browser, "status=deleted").await, ["山田 太郎"]);
    assert_eq!(search(&browser, "").await.len(), 1);
    let (status, _) = post(
        &browser,
        "/api/recipients/restore",
        json!({"id": id, "version": 4, "confirm_duplicate": true}),
    )
    .await;
    assert_eq!(status, 200);

    let actions: Vec<String> = sqlx::query_scalar(
        "select action from audit_logs where action like 'recipient.%' and target_id = $1 order by id",
    )
    .bind(id.as_str().unwrap().parse::<Uuid>().unwrap())
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(
        actions,
        [
            "recipient.created",
            "recipient.archived",
            "recipient.restored",
            "recipient.deleted",
            "recipient.restored"
        ]
    );
}
