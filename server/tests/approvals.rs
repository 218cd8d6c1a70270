//! Employee approval requests (SPEC §1.2) through the documented server functions on real
//! PostgreSQL: an employee's recipient writes wait as requests; a manager approves (the write
//! runs then, with the version check) or rejects; both sides get notices.

mod support;

use serde_json::{Value, json};
use server::jobs::{self, JOBS, Outcome};
use sqlx::PgPool;
use support::{
    Browser, TestApp,
    people::{enable_mfa, invited, owner},
    spawn_app,
};
use time::OffsetDateTime;
use uuid::Uuid;

fn recipient(last: &str, first: &str) -> Value {
    json!({
        "last_name": last, "first_name": first,
        "last_name_kana": "やまだ", "first_name_kana": "タロウ",
        "birth_date": "1990-04-01", "gender": "male", "service_type": "type_B_office",
        "contract_date": "2026-04-01", "address": "東京都新宿区西新宿1-1-1",
        "form_of_residence": "home_with_family", "means_of_transportation": "walk",
        "tel": "03-1234-5678",
        "emergency_contacts": [{"last_name": "山田", "first_name": "花子", "last_name_kana": "やまだ",
                                "first_name_kana": "はなこ", "relationship": "母", "tel": "090-1234-5678"}],
        "disability_or_disease_name": "知的障害", "livelihood_protection": "not_receiving",
    })
}

struct Office {
    owner: Browser,
    manager: Browser,
    employee: Browser,
    employee_id: Uuid,
}

async fn office(app: &TestApp) -> Office {
    let mut owner = owner(app, "owner@example.jp", Some("ひまわり作業所")).await;
    enable_mfa(&owner).await;
    owner.refresh_csrf().await;
    let (mut manager, _) = invited(app, &owner, "manager@example.jp", "manager").await;
    enable_mfa(&manager).await;
    manager.refresh_csrf().await;
    let (mut employee, employee_id) = invited(app, &owner, "employee@example.jp", "employee").await;
    enable_mfa(&employee).await;
    employee.refresh_csrf().await;
    Office {
        owner,
        manager,
        employee,
        employee_id,
    }
}

async fn post(browser: &Browser, path: &str, body: Value) -> (u16, Value) {
    let r = browser.post(path, body).await;
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

async fn get(browser: &Browser, path: &str) -> Value {
    browser.get(path).await.json().await.unwrap()
}

async fn count(pool: &PgPool, sql: &'static str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.unwrap()
}

/// The caller's approval notices, newest first.
async fn notice_kinds(browser: &Browser) -> Vec<String> {
    let list = get(browser, "/api/notices").await;
    list["items"]
        .as_array()
        .unwrap_or_else(|| panic!("{list}"))
        .iter()
        .map(|n| n["kind"].as_str().unwrap().to_owned())
        .filter(|kind| kind.starts_with("employee_action") || kind.starts_with("approval_request"))
        .collect()
}

fn request_id(answer: &Value) -> Uuid {
    assert_eq!(answer["outcome"], "pending_approval", "{answer}");
    answer["request_id"].as_str().unwrap().parse().unwrap()
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn an_employees_registration_waits_and_runs_when_approved(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let o = office(&app).await;

    // Bad input is refused at submission with the wizard's own messages; nothing is stored.
    let mut bad = recipient("山田", "太郎");
    bad["tel"] = json!("12");
    let (status, error) = post(&o.employee, "/api/recipients/create", json!({"input": bad})).await;
    assert_eq!(
        (status, error["code"].as_str()),
        (422, Some("VALIDATION_FAILED")),
        "{error}"
    );
    assert_eq!(
        count(&pool, "select count(*) from approval_requests").await,
        0
    );

    let (status, answer) = post(
        &o.employee,
        "/api/recipients/create",
        json!({"input": recipient("山田", "太郎"), "note": "新しく契約した方です"}),
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    let id = request_id(&answer);
    assert_eq!(count(&pool, "select count(*) from recipients").await, 0);
    // The payload is the normalised input (katakana furigana → hiragana).
    let payload: Value = sqlx::query_scalar("select payload from approval_requests where id = $1")
        .bind(id)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(payload["action"], "create");
    assert_eq!(payload["input"]["first_name_kana"], "たろう");

    // Notices: the requester, and every manager and owner.
    assert_eq!(
        notice_kinds(&o.employee).await,
        ["employee_action_request_sent"]
    );
    assert_eq!(notice_kinds(&o.manager).await, ["employee_action_pending"]);
    assert_eq!(notice_kinds(&o.owner).await, ["employee_action_pending"]);

    // The list shows the recipient's name and the action only.
    let list = get(&o.manager, "/api/approvals").await;
    assert_eq!(list["pending_for_me"], 1);
    let row = &list["items"][0];
    assert_eq!(
        (
            row["recipient_name"].as_str(),
            row["action"].as_str(),
            row["status"].as_str()
        ),
        (Some("山田 太郎"), Some("create"), Some("pending"))
    );
    assert!(row.get("tel").is_none() && row.get("changes").is_none());
    let detail = get(&o.manager, &format!("/api/approvals/get?id={id}")).await;
    assert_eq!(detail["decidable"], true);
    assert_eq!(detail["note"], "新しく契約した方です");
    let changes = detail["changes"].as_array().unwrap();
    assert!(
        changes
            .iter()
            .any(|c| c["label"] == "姓（ふりがな）" && c["after"] == "やまだ")
    );
    assert!(
        changes
            .iter()
            .any(|c| c["label"] == "居住形態" && c["after"] == "自宅（家族と同居）")
    );
    // The employee reads their own request but cannot decide it.
    let own = get(&o.employee, &format!("/api/approvals/get?id={id}")).await;
    assert_eq!(
        (own["decidable"].as_bool(), own["withdrawable"].as_bool()),
        (Some(false), Some(true))
    );
    let (status, error) = post(
        &o.employee,
        "/api/approvals/decide",
        json!({"id": id, "approve": true}),
    )
    .await;
    assert_eq!((status, error["code"].as_str()), (403, Some("FORBIDDEN")));

    let (status, body) = post(
        &o.manager,
        "/api/approvals/decide",
        json!({"id": id, "approve": true, "notes": "確認しました"}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (recipient_id, created_by): (Uuid, Uuid) =
        sqlx::query_as("select id, created_by from recipients")
            .fetch_one(&pool)
            .await
            .unwrap();
    let (status, resource): (String, Uuid) =
        sqlx::query_as("select status::text, resource_id from approval_requests where id = $1")
            .bind(id)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!((status.as_str(), resource), ("approved", recipient_id));
    assert_ne!(
        created_by, o.employee_id,
        "the approver carried out the write"
    );
    let record = get(
        &o.employee,
        &format!("/api/recipients/get?id={recipient_id}"),
    )
    .await;
    assert_eq!(record["input"]["last_name"], "山田");

    // A second decision: CONFLICT, nothing changes.
    let (status, error) = post(
        &o.owner,
        "/api/approvals/decide",
        json!({"id": id, "approve": false}),
    )
    .await;
    assert_eq!(
        (status, error["message_ja"].as_str()),
        (409, Some("この申請は既に処理されています"))
    );
    assert_eq!(count(&pool, "select count(*) from recipients").await, 1);

    // The requester is told; the approvers' notices are resolved, not deleted.
    assert_eq!(
        notice_kinds(&o.employee).await,
        ["employee_action_approved", "employee_action_request_sent"]
    );
    let pending: (i64, i64) = sqlx::query_as(
        "select count(*), count(resolved_at) from notices where kind = 'employee_action_pending'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(pending, (2, 2));
    let actions: Vec<String> = sqlx::query_scalar(
        "select action from audit_logs where action like 'employee_action.%' or action like 'recipient.created'
         order by id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(
        actions,
        [
            "employee_action.requested",
            "recipient.created",
            "employee_action.approved"
        ]
    );
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn an_outdated_update_is_refused_and_a_rejected_one_changes_nothing(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let o = office(&app).await;
    let (_, saved) = post(
        &o.manager,
        "/api/recipients/create",
        json!({"input": recipient("山田", "太郎")}),
    )
    .await;
    let recipient_id = saved["id"].as_str().unwrap().to_owned();

    let mut edited = recipient("山田", "太郎");
    edited["address"] = json!("東京都渋谷区1-2-3");
    let (status, answer) = post(
        &o.employee,
        "/api/recipients/update",
        json!({"id": recipient_id, "version": 1, "input": edited}),
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    let id = request_id(&answer);
    let unchanged: String = sqlx::query_scalar("select address from recipients")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(unchanged, "東京都新宿区西新宿1-1-1");

    // The diff names the changed field only, with both values.
    let detail = get(&o.manager, &format!("/api/approvals/get?id={id}")).await;
    assert_eq!(
        detail["changes"],
        json!([{"label": "住所", "before": "東京都新宿区西新宿1-1-1", "after": "東京都渋谷区1-2-3"}])
    );
    assert_eq!(detail["outdated"], false);

    // A manager saves the recipient meanwhile: the request can no longer be approved.
    let mut other = recipient("山田", "太郎");
    other["tel"] = json!("03-9999-0000");
    let (status, _) = post(
        &o.manager,
        "/api/recipients/update",
        json!({"id": recipient_id, "version": 1, "input": other}),
    )
    .await;
    assert_eq!(status, 200);
    let detail = get(&o.owner, &format!("/api/approvals/get?id={id}")).await;
    assert_eq!(detail["outdated"], true);
    let (status, error) = post(
        &o.owner,
        "/api/approvals/decide",
        json!({"id": id, "approve": true}),
    )
    .await;
    assert_eq!(
        (status, error["message_ja"].as_str()),
        (
            409,
            Some("申請後に利用者情報が更新されています。申請を却下し、再申請を依頼してください")
        )
    );
    let still: String = sqlx::query_scalar("select status::text from approval_requests")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(still, "pending");

    // Rejected with a note: nothing runs; the requester reads why.
    let (status, _) = post(
        &o.owner,
        "/api/approvals/decide",
        json!({"id": id, "approve": false, "notes": "最新の内容で再申請してください"}),
    )
    .await;
    assert_eq!(status, 200);
    let (address, version): (String, i32) =
        sqlx::query_as("select address, version from recipients")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!((address.as_str(), version), ("東京都新宿区西新宿1-1-1", 2));
    let notices = get(&o.employee, "/api/notices").await;
    assert_eq!(notices["items"][0]["kind"], "employee_action_rejected");
    assert_eq!(
        notices["items"][0]["body"],
        "最新の内容で再申請してください"
    );
    assert_eq!(notices["unread"], 2);

    // A stale submission is refused at once (the employee read version 1).
    let (status, error) = post(
        &o.employee,
        "/api/recipients/update",
        json!({"id": recipient_id, "version": 1, "input": edited}),
    )
    .await;
    assert_eq!((status, error["code"].as_str()), (409, Some("CONFLICT")));
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn archive_and_delete_requests_withdrawal_and_notices(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let o = office(&app).await;
    let (_, saved) = post(
        &o.manager,
        "/api/recipients/create",
        json!({"input": recipient("山田", "太郎")}),
    )
    .await;
    let recipient_id = saved["id"].as_str().unwrap().to_owned();

    // 利用終了 by request: the end date and reason are checked at submission and shown.
    let (status, error) = post(
        &o.employee,
        "/api/recipients/archive",
        json!({"id": recipient_id, "version": 1, "input": {"end_date": "2026-03-31", "end_reason": "moved"}}),
    )
    .await;
    assert_eq!(
        (status, error["code"].as_str()),
        (422, Some("VALIDATION_FAILED"))
    );
    let today =
        shared::dates::format_date_iso(shared::dates::jst_date(time::OffsetDateTime::now_utc()));
    let (_, answer) = post(
        &o.employee,
        "/api/recipients/archive",
        json!({"id": recipient_id, "version": 1,
               "input": {"end_date": today, "end_reason": "other", "end_reason_text": " 家族の都合 "}}),
    )
    .await;
    let archive = request_id(&answer);
    let detail = get(&o.manager, &format!("/api/approvals/get?id={archive}")).await;
    assert_eq!(detail["changes"][1]["after"], "その他（家族の都合）");

    // A delete request, withdrawn by its requester; withdrawing twice is a CONFLICT.
    let (_, answer) = post(
        &o.employee,
        "/api/recipients/delete",
        json!({"id": recipient_id, "version": 1}),
    )
    .await;
    let delete = request_id(&answer);
    let (status, error) = post(&o.manager, "/api/approvals/withdraw", json!({"id": delete})).await;
    assert_eq!(
        (status, error["code"].as_str()),
        (404, Some("NOT_FOUND")),
        "only the requester"
    );
    let (status, _) = post(
        &o.employee,
        "/api/approvals/withdraw",
        json!({"id": delete}),
    )
    .await;
    assert_eq!(status, 200);
    let (status, _) = post(
        &o.employee,
        "/api/approvals/withdraw",
        json!({"id": delete}),
    )
    .await;
    assert_eq!(status, 409);

    let (status, body) = post(
        &o.manager,
        "/api/approvals/decide",
        json!({"id": archive, "approve": true}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (state, reason_text): (String, String) =
        sqlx::query_as("select status, end_reason_text from recipients")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(
        (state.as_str(), reason_text.as_str()),
        ("archived", "家族の都合")
    );

    // Notices: one's own only; reading one and all.
    let mine = get(&o.manager, "/api/notices").await;
    assert_eq!(
        (mine["total"].as_u64(), mine["unread"].as_u64()),
        (Some(2), Some(2))
    );
    let first = mine["items"][0]["id"].as_str().unwrap().to_owned();
    let (status, error) = post(&o.employee, "/api/notices/read", json!({"id": first})).await;
    assert_eq!((status, error["code"].as_str()), (404, Some("NOT_FOUND")));
    let (status, _) = post(&o.manager, "/api/notices/read", json!({"id": first})).await;
    assert_eq!(status, 200);
    assert_eq!(get(&o.manager, "/api/notices/unread").await, 1);
    let (_, marked) = post(&o.manager, "/api/notices/read-all", json!({})).await;
    assert_eq!(marked, 1);
    assert_eq!(get(&o.manager, "/api/notices/unread").await, 0);
    // Employees see their own requests only.
    let theirs = get(&o.employee, "/api/approvals").await;
    assert_eq!(theirs["items"].as_array().unwrap().len(), 2);
    assert_eq!(theirs["pending_for_me"], 0);
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn a_request_left_pending_for_30_days_expires_once(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let o = office(&app).await;
    let (_, answer) = post(
        &o.employee,
        "/api/recipients/create",
        json!({"input": recipient("山田", "太郎")}),
    )
    .await;
    let old = request_id(&answer);
    let (_, answer) = post(
        &o.employee,
        "/api/recipients/create",
        json!({"input": recipient("鈴木", "一郎")}),
    )
    .await;
    let recent = request_id(&answer);
    for (id, age) in [(old, "30 days 1 minute"), (recent, "29 days 23 hours")] {
        sqlx::query(
            "update approval_requests set created_at = now() - $2::text::interval where id = $1",
        )
        .bind(id)
        .bind(age)
        .execute(&pool)
        .await
        .unwrap();
    }

    // Past 30 days a request cannot be decided even before the job has run.
    let (status, error) = post(
        &o.manager,
        "/api/approvals/decide",
        json!({"id": old, "approve": true}),
    )
    .await;
    assert_eq!(
        (status, error["message_ja"].as_str()),
        (
            409,
            Some("この申請は有効期限（30日）が切れています。再申請を依頼してください")
        )
    );

    let first = Uuid::new_v4();
    let outcomes = jobs::run_due(&app.state, JOBS, first, OffsetDateTime::now_utc())
        .await
        .unwrap();
    assert_eq!(
        outcomes,
        [("approval_expiry", Outcome::Succeeded { items: 1 })]
    );
    let statuses: Vec<(Uuid, String)> =
        sqlx::query_as("select id, status::text from approval_requests order by created_at")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(
        statuses,
        [(old, "expired".to_owned()), (recent, "pending".to_owned())]
    );
    assert_eq!(count(&pool, "select count(*) from recipients").await, 0);
    // The requester is told; the approvers' notices of that request are resolved (kept).
    assert_eq!(
        notice_kinds(&o.employee).await,
        [
            "approval_request_expired",
            "employee_action_request_sent",
            "employee_action_request_sent"
        ]
    );
    let notice = &get(&o.employee, "/api/notices").await["items"][0];
    assert_eq!(
        notice["title"],
        "利用者山田 太郎さんの登録の申請の有効期限（30日）が切れました"
    );
    let resolved: Vec<(Uuid, bool)> = sqlx::query_as(
        "select approval_request_id, bool_and(resolved_at is not null) from notices
         where kind = 'employee_action_pending' group by 1 order by 2 desc",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(resolved, [(old, true), (recent, false)]);
    let audit: Vec<(Option<Uuid>, Option<Uuid>, Value)> = sqlx::query_as(
        "select actor_staff_id, target_id, details from audit_logs
         where action = 'employee_action.expired'",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(audit.len(), 1);
    assert_eq!((audit[0].0, audit[0].1), (None, Some(old)));
    assert_eq!(audit[0].2["action_type"], "create");

    // Another instance on the same day finds the run done; the job itself finds nothing more.
    let outcomes = jobs::run_due(&app.state, JOBS, Uuid::new_v4(), OffsetDateTime::now_utc())
        .await
        .unwrap();
    assert_eq!(outcomes, [("approval_expiry", Outcome::Skipped)]);
    assert_eq!(
        app::ssr::recipients::approvals::expire_stale(&pool)
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        count(
            &pool,
            "select count(*) from notices where kind = 'approval_request_expired'"
        )
        .await,
        1
    );

    // A run whose instance stopped heartbeating is taken over after 5 minutes, not before.
    let stalled = |minutes: i32| {
        sqlx::query(
            "update job_runs set status = 'running', finished_at = null,
                 heartbeat_at = now() - make_interval(mins => $1)",
        )
        .bind(minutes)
        .execute(&pool)
    };
    stalled(2).await.unwrap();
    let outcomes = jobs::run_due(&app.state, JOBS, Uuid::new_v4(), OffsetDateTime::now_utc())
        .await
        .unwrap();
    assert_eq!(outcomes, [("approval_expiry", Outcome::Skipped)]);
    stalled(6).await.unwrap();
    let taker = Uuid::new_v4();
    let outcomes = jobs::run_due(&app.state, JOBS, taker, OffsetDateTime::now_utc())
        .await
        .unwrap();
    assert_eq!(
        outcomes,
        [("approval_expiry", Outcome::Succeeded { items: 0 })]
    );
    let run: (String, Uuid, i32) =
        sqlx::query_as("select status::text, instance, attempts from job_runs")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(run, ("succeeded".to_owned(), taker, 2));
}
