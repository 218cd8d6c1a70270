//! CSV import and export of recipients (SPEC §4.6) through the documented server functions on
//! real PostgreSQL: an export imported into another office gives the same records; a CP932 file
//! with one broken row changes nothing; the preview binds the file.

mod support;

use base64::{Engine, engine::general_purpose::STANDARD};
use serde_json::{Value, json};
use sqlx::PgPool;
use support::{
    Browser, TestApp,
    people::{enable_mfa, owner},
    spawn_app,
};

fn recipient(last: &str, first: &str, address: &str) -> Value {
    json!({
        "last_name": last, "first_name": first, "last_name_kana": "やまだ", "first_name_kana": "たろう",
        "birth_date": "1990-04-01", "gender": "female", "service_type": "type_B_office",
        "contract_date": "2026-04-01", "certificate_number": "1234567890", "postal_code": "160-0023",
        "address": address, "form_of_residence": "group_home", "means_of_transportation": "public_transport",
        "tel": "03-1234-5678",
        "emergency_contacts": [{"last_name": "山田", "first_name": "花子", "last_name_kana": "やまだ",
                                "first_name_kana": "はなこ", "relationship": "母", "tel": "090-1234-5678"}],
        "disability_or_disease_name": "知的障害", "livelihood_protection": "applying",
    })
}

async fn office(app: &TestApp, email: &str, name: &str) -> Browser {
    let mut browser = owner(app, email, Some(name)).await;
    enable_mfa(&browser).await;
    browser.refresh_csrf().await;
    browser
}

async fn post(browser: &Browser, path: &str, body: Value) -> (u16, Value) {
    let r = browser.post(path, body).await;
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

async fn preview(browser: &Browser, file: &[u8]) -> (u16, Value) {
    post(
        browser,
        "/api/recipients/import/preview",
        json!({"file_base64": STANDARD.encode(file)}),
    )
    .await
}

async fn inputs(browser: &Browser) -> Vec<Value> {
    let page: Value = browser
        .get("/api/recipients?sort=created")
        .await
        .json()
        .await
        .unwrap();
    let mut out = Vec::new();
    for item in page["items"].as_array().unwrap() {
        let record: Value = browser
            .get(&format!(
                "/api/recipients/get?id={}",
                item["id"].as_str().unwrap()
            ))
            .await
            .json()
            .await
            .unwrap();
        out.push(record["input"].clone());
    }
    out.sort_by_key(|i| i["last_name"].as_str().unwrap().to_owned());
    out
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn an_export_imported_into_another_office_gives_the_same_records(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let a = office(&app, "a@example.jp", "A事業所").await;
    let b = office(&app, "b@example.jp", "B事業所").await;
    for (last, first, address) in [
        ("山田", "花子", "=HYPERLINK(\"http://x\")"),
        ("佐藤", "一郎", "東京都北区1-1"),
    ] {
        let (status, body) = post(
            &a,
            "/api/recipients/create",
            json!({"input": recipient(last, first, address)}),
        )
        .await;
        assert_eq!(status, 200, "{body}");
    }

    let export: Value = a.get("/api/recipients/export").await.json().await.unwrap();
    assert_eq!(export["rows"], 2);
    assert!(
        export["filename"]
            .as_str()
            .unwrap()
            .starts_with("keikakun-recipients-")
    );
    let content = export["content"].as_str().unwrap();
    assert!(content.starts_with('\u{feff}') && content.contains("\r\n"));
    // A cell a spreadsheet would run as a formula starts with '.
    assert!(
        content.contains("\"'=HYPERLINK(\"\"http://x\"\")\""),
        "{content}"
    );
    let audit: i64 = sqlx::query_scalar(
        "select count(*) from audit_logs where action = 'recipient.exported' and details->>'row_count' = '2'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(audit, 1);

    let (status, dry) = preview(&b, content.as_bytes()).await;
    assert_eq!(status, 200, "{dry}");
    assert_eq!(
        (dry["rows"].as_u64(), dry["new"].as_u64()),
        (Some(2), Some(2)),
        "{dry}"
    );
    assert_eq!(dry["errors"], json!([]));
    // Nothing is saved by the dry run.
    assert!(inputs(&b).await.is_empty());
    let (status, imported) = post(
        &b,
        "/api/recipients/import/commit",
        json!({"preview_id": dry["preview_id"], "file_base64": STANDARD.encode(content)}),
    )
    .await;
    assert_eq!((status, imported.as_u64()), (200, Some(2)), "{imported}");
    assert_eq!(inputs(&b).await, inputs(&a).await);
    // The preview is used up.
    let (status, _) = post(
        &b,
        "/api/recipients/import/commit",
        json!({"preview_id": dry["preview_id"], "file_base64": STANDARD.encode(content)}),
    )
    .await;
    assert_eq!(status, 409);
    // Importing the same file again finds the duplicates.
    let (_, again) = preview(&b, content.as_bytes()).await;
    assert_eq!(again["duplicates"], 2);
    assert_eq!(again["new"], 0);
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn a_cp932_file_with_a_broken_row_changes_nothing(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let b = office(&app, "b@example.jp", "B事業所").await;
    let text = "姓,名,姓（ふりがな）,名（ふりがな）,生年月日,性別,電話番号,担当職員メール\r\n\
                山田,太郎,ヤマダ,たろう,1990/04/01,男性,03-1234-5678,b@example.jp\r\n\
                鈴木,花子,すずき,はなこ,1991-13-01,女性,123,\r\n\
                高橋,次郎,たかはし,じろう,1992-02-02,男性,,\r\n";
    let (bytes, _, unmappable) = encoding_rs::SHIFT_JIS.encode(text);
    assert!(!unmappable);
    let (status, dry) = preview(&b, &bytes).await;
    assert_eq!(status, 200, "{dry}");
    assert_eq!(
        (dry["rows"].as_u64(), dry["new"].as_u64()),
        (Some(3), Some(2))
    );
    assert_eq!(dry["incomplete"], 2);
    let errors: Vec<(u64, &str)> = dry["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["row"].as_u64().unwrap(), e["column"].as_str().unwrap()))
        .collect();
    assert_eq!(errors, [(3, "生年月日"), (3, "電話番号")]);
    let (status, error) = post(
        &b,
        "/api/recipients/import/commit",
        json!({"preview_id": dry["preview_id"], "file_base64": STANDARD.encode(&bytes)}),
    )
    .await;
    assert_eq!(
        (status, error["code"].as_str()),
        (422, Some("VALIDATION_FAILED"))
    );
    let count: i64 = sqlx::query_scalar("select count(*) from recipients")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(count, 0, "all or nothing");

    // Fixed, the import needs a fresh preview of the new file; then every row is registered and
    // rows without contact data are flagged 「未入力項目あり」.
    let fixed = text.replace("1991-13-01,女性,123", "1991-12-01,女性,03-9999-8888");
    let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode(&fixed);
    let (status, error) = post(
        &b,
        "/api/recipients/import/commit",
        json!({"preview_id": dry["preview_id"], "file_base64": STANDARD.encode(&bytes)}),
    )
    .await;
    assert_eq!((status, error["code"].as_str()), (409, Some("CONFLICT")));
    let (_, dry) = preview(&b, &bytes).await;
    assert_eq!(dry["errors"], json!([]));
    let (status, imported) = post(
        &b,
        "/api/recipients/import/commit",
        json!({"preview_id": dry["preview_id"], "file_base64": STANDARD.encode(&bytes)}),
    )
    .await;
    assert_eq!((status, imported.as_u64()), (200, Some(3)), "{imported}");
    let flags: Vec<(String, bool, Option<String>)> = sqlx::query_as(
        "select last_name, profile_incomplete, address from recipients order by birth_date",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(
        flags,
        [
            ("山田".to_owned(), true, None),
            ("鈴木".to_owned(), true, None),
            ("高橋".to_owned(), true, None)
        ]
    );
    let page: Value = b
        .get("/api/recipients?incomplete=true")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["total"], 3);
    let audit: Value =
        sqlx::query_scalar("select details from audit_logs where action = 'recipient.imported'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(audit["row_count"], 3);
    assert_eq!(audit["file_sha256"].as_str().unwrap().len(), 64);

    // A file error refuses the whole file with the reason.
    let (status, error) = preview(&b, "姓,名,年齢\r\n".as_bytes()).await;
    assert_eq!(status, 422);
    assert_eq!(
        error["field_errors"][0]["message_ja"],
        "見出し「年齢」はこのファイル形式にない列です"
    );
}
