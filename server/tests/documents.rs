//! Plan documents (SPEC §7) against a real S3-compatible server (s3s-fs in-process, which checks
//! SigV4 and presigned URLs) driven by aws-sdk-s3: uploads with their checks, presigned links
//! fetched over HTTP (tampered and expired ones refused), versions and deletion through the
//! outbox, the intent sweeper, and the faults of §7.9 — storage down, a database error after
//! the object was stored, two managers completing the same step at once. After each test the
//! invariants hold: every version row has its object, every object has a row, a tombstone in
//! the outbox, or a young intent.

mod support;

use serde_json::{Value, json};
use sqlx::PgPool;
use std::time::Duration;
use support::{
    Browser, TestApp,
    people::{enable_mfa, invited, owner, staff_id},
    plan::{
        S3Server, complete_with_upload, create_recipient, latest, pdf, plan, recipient, s3_vars,
        start_s3, upload,
    },
    spawn_app_with,
};
use tempfile::TempDir;
use uuid::Uuid;

struct World {
    app: TestApp,
    owner: Browser,
    me: Uuid,
    recipient: Uuid,
    cycle: String,
    s3: S3Server,
    _s3_root: TempDir,
}

fn ago(days: i64) -> String {
    let today = shared::dates::jst_date(time::OffsetDateTime::now_utc());
    shared::dates::format_date_iso(today - time::Duration::days(days))
}

async fn app_with_storage(pool: &PgPool, endpoint: &str) -> TestApp {
    let vars = s3_vars(endpoint);
    let vars: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let app = spawn_app_with(pool.clone(), axum::Router::new(), &vars).await;
    app.wait_until_ready().await;
    app
}

async fn world(pool: &PgPool) -> World {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(std::env::var("KK_TEST_LOG").unwrap_or_else(|_| "warn".into()))
        .with_test_writer()
        .try_init();
    let s3_root = tempfile::tempdir().unwrap();
    let s3 = start_s3(s3_root.path()).await;
    let app = app_with_storage(pool, &s3.endpoint()).await;
    let mut owner = owner(&app, "owner@example.jp", Some("ひまわり作業所")).await;
    enable_mfa(&owner).await;
    owner.refresh_csrf().await;
    let me = staff_id(&owner).await;
    let recipient =
        create_recipient(&owner, recipient("山田", "type_B_office", &ago(90), None)).await;
    let cycle = latest(&plan(&owner, recipient).await)["id"]
        .as_str()
        .unwrap()
        .to_owned();
    World {
        app,
        owner,
        me,
        recipient,
        cycle,
        s3,
        _s3_root: s3_root,
    }
}

/// §7.9's invariants: every version row points to an object; every object has a live version
/// row, a tombstone still queued for deletion, or an intent younger than an hour.
async fn assert_consistent(pool: &PgPool, s3: &S3Server) {
    let objects = s3.objects();
    let live: Vec<String> =
        sqlx::query_scalar("select storage_key from document_versions where deleted_at is null")
            .fetch_all(pool)
            .await
            .unwrap();
    for key in &live {
        assert!(objects.contains(key), "version row without object: {key}");
    }
    let queued: Vec<String> =
        sqlx::query_scalar("select storage_key from storage_outbox where status = 'queued'")
            .fetch_all(pool)
            .await
            .unwrap();
    let intents: Vec<String> = sqlx::query_scalar(
        "select storage_key from upload_intents where created_at > now() - interval '1 hour'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    for key in &objects {
        assert!(
            live.contains(key) || queued.contains(key) || intents.contains(key),
            "orphan object: {key}"
        );
    }
}

async fn count(pool: &PgPool, sql: &'static str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.unwrap()
}

fn meta(w: &World, doc_type: &str) -> Value {
    json!({"recipient_id": w.recipient, "cycle_id": w.cycle, "doc_type": doc_type})
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn uploads_go_to_s3_and_open_through_presigned_links(pool: PgPool) {
    let w = world(&pool).await;
    let body = pdf("assessment");
    let r = upload(
        &w.owner,
        meta(&w, "assessment_sheet"),
        "../アセスメント\u{202E}.PDF",
        body.clone(),
    )
    .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let outcome: Value = r.json().await.unwrap();
    let version = outcome["version_id"].as_str().unwrap().to_owned();

    let (key, name, size, sha): (String, String, i64, Vec<u8>) = sqlx::query_as(
        "select storage_key, file_name, byte_size, sha256 from document_versions where id = $1::uuid",
    )
    .bind(&version)
    .fetch_one(&pool)
    .await
    .unwrap();
    let office: Uuid = sqlx::query_scalar("select id from offices")
        .fetch_one(&pool)
        .await
        .unwrap();
    let document: Uuid = outcome["document_id"].as_str().unwrap().parse().unwrap();
    assert_eq!(
        key,
        format!(
            "offices/{office}/recipients/{}/cycles/{}/assessment_sheet/{document}/v1.pdf",
            w.recipient, w.cycle
        )
    );
    assert_eq!(name, "アセスメント.PDF");
    assert_eq!(size, body.len() as i64);
    assert_eq!(sha, app::ssr::crypto::sha256(&body));
    assert_eq!(w.s3.objects(), std::slice::from_ref(&key));
    assert_eq!(w.s3.read(&key), body);

    // 「表示」: a presigned GET that serves the PDF inline under its display name.
    let r = w
        .owner
        .post("/api/documents/open", json!({"version_id": version}))
        .await;
    assert_eq!(r.status(), 200);
    let link: Value = r.json().await.unwrap();
    assert_eq!(link["expires_in_s"], 300);
    let url = link["url"].as_str().unwrap();
    assert!(url.contains("X-Amz-Signature="), "{url}");
    let fetched = reqwest::get(url).await.unwrap();
    assert_eq!(fetched.status(), 200);
    assert_eq!(fetched.headers()["content-type"], "application/pdf");
    let disposition = fetched.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(disposition.starts_with("inline;"), "{disposition}");
    assert!(
        disposition.contains("filename*=UTF-8''%E3%82%A2"),
        "{disposition}"
    );
    assert_eq!(fetched.bytes().await.unwrap().to_vec(), body);
    let opened = count(
        &pool,
        "select count(*) from audit_logs where action = 'document.opened'",
    )
    .await;
    assert_eq!(opened, 1);

    // A tampered signature and another key with a valid signature are refused.
    let tampered = {
        let i = url.find("X-Amz-Signature=").unwrap() + "X-Amz-Signature=".len();
        let mut t = url.to_owned();
        let flipped = if &t[i..i + 1] == "a" { "b" } else { "a" };
        t.replace_range(i..i + 1, flipped);
        t
    };
    assert_eq!(reqwest::get(&tampered).await.unwrap().status(), 403);
    let other_key = url.replace("/v1.pdf", "/v2.pdf");
    assert_eq!(reqwest::get(&other_key).await.unwrap().status(), 403);
    // An expired link: one second, then refused.
    let short = w
        .app
        .state
        .storage
        .link(
            &key,
            app::ssr::storage::Disposition::Attachment,
            &name,
            Duration::from_secs(1),
        )
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(2100)).await;
    assert_eq!(reqwest::get(&short).await.unwrap().status(), 403);
    // 「ダウンロード」 asks for an attachment.
    let link: Value = w
        .owner
        .post(
            "/api/documents/open",
            json!({"version_id": version, "download": true}),
        )
        .await
        .json()
        .await
        .unwrap();
    let fetched = reqwest::get(link["url"].as_str().unwrap()).await.unwrap();
    assert!(
        fetched.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment;")
    );
    assert_consistent(&pool, &w.s3).await;
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn oversize_and_non_pdf_files_are_refused_before_anything_is_stored(pool: PgPool) {
    let w = world(&pool).await;
    let mut big = pdf("big");
    big.resize(11 * 1024 * 1024, b' ');
    let r = upload(&w.owner, meta(&w, "assessment_sheet"), "big.pdf", big).await;
    assert_eq!(r.status(), 413);
    let body: Value = r.json().await.unwrap();
    assert_eq!(
        (body["code"].as_str(), body["message_ja"].as_str()),
        (
            Some("PAYLOAD_TOO_LARGE"),
            Some("ファイルサイズは10MBまでです")
        )
    );
    // Exactly at the limit passes the size rule.
    let mut limit = pdf("limit");
    limit.resize(10 * 1024 * 1024, b' ');
    // A PNG renamed to .pdf: the client's name and type play no part.
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    let r = upload(&w.owner, meta(&w, "assessment_sheet"), "photo.pdf", png).await;
    assert_eq!(r.status(), 415);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["message_ja"], "PDFファイルのみアップロードできます");
    // An unknown type or a type of a later step is refused before the body is read.
    let r = upload(&w.owner, meta(&w, "photo"), "a.pdf", pdf("a")).await;
    assert_eq!(r.status(), 422);
    let r = upload(
        &w.owner,
        meta(&w, "monitoring_report_pdf"),
        "a.pdf",
        pdf("a"),
    )
    .await;
    assert_eq!(r.status(), 409);
    assert_eq!(
        count(&pool, "select count(*) from document_versions").await,
        0
    );
    assert_eq!(count(&pool, "select count(*) from upload_intents").await, 0);
    assert!(w.s3.objects().is_empty());

    let r = upload(&w.owner, meta(&w, "assessment_sheet"), "limit.pdf", limit).await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    assert_consistent(&pool, &w.s3).await;
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn storage_down_leaves_no_row_and_a_database_error_leaves_no_object(pool: PgPool) {
    // Nothing listens on port 9 here: every S3 call fails.
    let app = app_with_storage(&pool, "http://127.0.0.1:9").await;
    let mut owner = owner(&app, "down@example.jp", Some("つばき作業所")).await;
    enable_mfa(&owner).await;
    owner.refresh_csrf().await;
    let me = staff_id(&owner).await;
    let id = create_recipient(&owner, recipient("山田", "type_B_office", &ago(90), None)).await;
    let (status, body) = complete_with_upload(&owner, id, "assessment", &ago(10), me).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (500, Some("INTERNAL")),
        "{body}"
    );
    assert!(body["correlation_id"].is_string());
    assert_eq!(
        count(&pool, "select count(*) from document_versions").await,
        0
    );
    assert_eq!(count(&pool, "select count(*) from upload_intents").await, 0);
    assert_eq!(
        count(
            &pool,
            "select count(*) from plan_steps where status = 'completed'"
        )
        .await,
        0
    );

    // A database failure after the object is stored: the transaction rolls back and the
    // object is deleted again.
    let w = world(&pool).await;
    sqlx::raw_sql(
        "create function kk_test_fail() returns trigger language plpgsql as
         $$ begin raise exception 'injected failure'; end $$;
         create trigger kk_test_fail before insert on document_versions
             for each row execute function kk_test_fail();",
    )
    .execute(&pool)
    .await
    .unwrap();
    let (status, body) =
        complete_with_upload(&w.owner, w.recipient, "assessment", &ago(10), w.me).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (500, Some("INTERNAL")),
        "{body}"
    );
    assert!(!body.to_string().contains("injected"), "{body}");
    assert!(w.s3.objects().is_empty());
    assert_eq!(count(&pool, "select count(*) from upload_intents").await, 0);
    sqlx::query("drop trigger kk_test_fail on document_versions")
        .execute(&pool)
        .await
        .unwrap();
    // Retrying works.
    let (status, _) =
        complete_with_upload(&w.owner, w.recipient, "assessment", &ago(10), w.me).await;
    assert_eq!(status, 200);
    assert_consistent(&pool, &w.s3).await;
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn two_managers_completing_one_step_get_one_success_and_one_conflict(pool: PgPool) {
    let w = world(&pool).await;
    let (mut manager, _) = invited(&w.app, &w.owner, "manager@example.jp", "manager").await;
    enable_mfa(&manager).await;
    manager.refresh_csrf().await;
    let (first, second) = (ago(10), ago(9));
    let (a, b) = tokio::join!(
        complete_with_upload(&w.owner, w.recipient, "assessment", &first, w.me),
        complete_with_upload(&manager, w.recipient, "assessment", &second, w.me),
    );
    let mut statuses = [a.0, b.0];
    statuses.sort();
    assert_eq!(statuses, [200, 409], "{a:?} {b:?}");
    let loser = if a.0 == 409 { &a.1 } else { &b.1 };
    assert_eq!(loser["code"], "CONFLICT");
    assert_eq!(
        count(
            &pool,
            "select count(*) from plan_steps where status = 'completed'"
        )
        .await,
        1
    );
    // The loser's object was removed; one version, one object.
    assert_eq!(
        count(&pool, "select count(*) from document_versions").await,
        1
    );
    assert_eq!(w.s3.objects().len(), 1);
    assert_eq!(count(&pool, "select count(*) from upload_intents").await, 0);
    assert_consistent(&pool, &w.s3).await;
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn deleted_versions_leave_tombstones_and_the_outbox_removes_their_objects(pool: PgPool) {
    let w = world(&pool).await;
    for name in ["v1", "v2"] {
        let r = upload(
            &w.owner,
            meta(&w, "assessment_sheet"),
            &format!("{name}.pdf"),
            pdf(name),
        )
        .await;
        assert_eq!(r.status(), 200);
    }
    let versions: Vec<(Uuid, String)> =
        sqlx::query_as("select id, storage_key from document_versions order by version")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(w.s3.objects().len(), 2);
    let r = w
        .owner
        .post(
            "/api/documents/versions/delete",
            json!({"version_id": versions[0].0, "reason": ""}),
        )
        .await;
    assert_eq!(r.status(), 422, "a reason is required");
    let r = w
        .owner
        .post(
            "/api/documents/versions/delete",
            json!({"version_id": versions[0].0, "reason": "別の利用者の書類を誤って登録"}),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let page = plan(&w.owner, w.recipient).await;
    let assessment = &latest(&page)["steps"][0]["document"]["versions"];
    assert_eq!(
        assessment[1]["deleted"]["reason"],
        "別の利用者の書類を誤って登録"
    );
    assert_eq!(assessment[0]["current"], true);
    // The object is still there until the outbox runs; then it is gone.
    assert_eq!(w.s3.objects().len(), 2);
    assert_consistent(&pool, &w.s3).await;
    let handled = app::ssr::documents::outbox::drain(&w.app.state)
        .await
        .unwrap();
    assert_eq!(handled, 1);
    assert_eq!(w.s3.objects(), [versions[1].1.clone()]);
    assert_eq!(
        count(
            &pool,
            "select count(*) from storage_outbox where status = 'done'"
        )
        .await,
        1
    );
    // A deleted version cannot be opened; nor can one of another office (NOT_FOUND).
    let r = w
        .owner
        .post("/api/documents/open", json!({"version_id": versions[0].0}))
        .await;
    assert_eq!(r.status(), 404);
    assert_consistent(&pool, &w.s3).await;

    // The sweeper removes the object of an upload that died between PutObject and its row.
    let stray = "offices/x/stray/v1.pdf";
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), pdf("stray")).unwrap();
    w.app
        .state
        .storage
        .put(stray, file.path(), "stray.pdf")
        .await
        .unwrap();
    sqlx::query(
        "insert into upload_intents (office_id, storage_key, document_id, version, created_at)
         select id, $1, gen_random_uuid(), 1, now() - interval '61 minutes' from offices",
    )
    .bind(stray)
    .execute(&pool)
    .await
    .unwrap();
    assert_eq!(w.s3.objects().len(), 2);
    let removed = app::ssr::documents::outbox::sweep_intents(&w.app.state)
        .await
        .unwrap();
    assert_eq!(removed, 1);
    assert_eq!(w.s3.objects().len(), 1);
    assert_eq!(count(&pool, "select count(*) from upload_intents").await, 0);
    assert_consistent(&pool, &w.s3).await;
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn the_office_pdf_list_searches_filters_and_pages(pool: PgPool) {
    let w = world(&pool).await;
    let (status, _) =
        complete_with_upload(&w.owner, w.recipient, "assessment", &ago(10), w.me).await;
    assert_eq!(status, 200);
    let other =
        create_recipient(&w.owner, recipient("佐藤", "type_B_office", &ago(90), None)).await;
    let other_cycle = latest(&plan(&w.owner, other).await)["id"].clone();
    let r = upload(
        &w.owner,
        json!({"recipient_id": other, "cycle_id": other_cycle, "doc_type": "assessment_sheet"}),
        "佐藤さん面接記録.pdf",
        pdf("sato"),
    )
    .await;
    assert_eq!(r.status(), 200);
    let list = |query: &str| {
        let owner = &w.owner;
        let query = query.to_owned();
        async move {
            let r = owner.get(&format!("/api/documents?{query}")).await;
            let status = r.status().as_u16();
            (status, r.json::<Value>().await.unwrap())
        }
    };
    let (status, all) = list("").await;
    assert_eq!(status, 200);
    assert_eq!(all["total"], 2);
    // Newest first by default.
    assert_eq!(all["items"][0]["file_name"], "佐藤さん面接記録.pdf");
    let (_, found) = list("q=%E9%9D%A2%E6%8E%A5").await; // 面接
    assert_eq!(found["total"], 1);
    let (_, by_name) = list("q=%E5%B1%B1%E7%94%B0").await; // 山田
    assert_eq!(by_name["total"], 1);
    assert_eq!(by_name["items"][0]["recipient_name"], "山田 太郎");
    let (_, by_recipient) = list(&format!("recipients={other}")).await;
    assert_eq!(by_recipient["total"], 1);
    let (_, by_type) = list("types=monitoring_report_pdf").await;
    assert_eq!(by_type["total"], 0);
    let (_, paged) = list("per_page=1&page=2&sort=file_name&dir=asc").await;
    assert_eq!(
        (
            paged["pages"].as_u64(),
            paged["items"].as_array().unwrap().len()
        ),
        (Some(2), 1)
    );
    let (status, refused) = list("sort=size").await;
    assert_eq!(
        (status, refused["code"].as_str()),
        (422, Some("VALIDATION_FAILED"))
    );
}
