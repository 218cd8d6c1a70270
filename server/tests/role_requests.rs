//! Role-change requests (SPEC §1.3): asked by employees and managers, decided by an owner of the
//! same office, never by the requester.

mod support;

use serde_json::{Value, json};
use sqlx::PgPool;
use support::{
    people::{invited, owner},
    spawn_app,
};

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn an_employee_asks_for_manager_and_an_owner_approves(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let boss = owner(&app, "boss@example.jp", Some("A事業所")).await;
    let (mut employee, _) = invited(&app, &boss, "emp@example.jp", "employee").await;

    let (status, _) = (
        employee
            .post(
                "/api/role-requests/create",
                json!({"input": {"role": "employee"}}),
            )
            .await
            .status(),
        (),
    );
    assert_eq!(status, 422, "same role");
    let r = employee
        .post(
            "/api/role-requests/create",
            json!({"input": {"role": "manager", "note": "サビ管研修を修了しました"}}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let id: String = r.json().await.unwrap();
    let r = employee
        .post(
            "/api/role-requests/create",
            json!({"input": {"role": "owner"}}),
        )
        .await;
    assert_eq!(r.status(), 409, "one pending request per staff member");
    assert_eq!(
        boss.post(
            "/api/role-requests/create",
            json!({"input": {"role": "owner"}})
        )
        .await
        .status(),
        403
    );
    assert_eq!(
        employee
            .post(
                "/api/role-requests/decide",
                json!({"id": id, "approve": true, "notes": ""})
            )
            .await
            .status(),
        403
    );

    let list: Value = boss.get("/api/role-requests").await.json().await.unwrap();
    assert_eq!(list[0]["status"], "pending");
    assert_eq!(list[0]["decidable"], true);
    assert_eq!(list[0]["note"], "サビ管研修を修了しました");
    let notices: i64 =
        sqlx::query_scalar("select count(*) from notices where kind = 'role_change_pending'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(notices, 1);

    assert_eq!(
        boss.post(
            "/api/role-requests/decide",
            json!({"id": id, "approve": true, "notes": "よろしくお願いします"})
        )
        .await
        .status(),
        200
    );
    employee.refresh_csrf().await;
    assert_eq!(
        employee.session().await["user"]["role"],
        "manager",
        "in effect at once"
    );
    let r = boss
        .post(
            "/api/role-requests/decide",
            json!({"id": id, "approve": false, "notes": ""}),
        )
        .await;
    assert_eq!(r.status(), 409);
    assert_eq!(
        r.json::<Value>().await.unwrap()["message_ja"],
        "この申請は既に処理されています"
    );
    let details: Value =
        sqlx::query_scalar("select details from audit_logs where action = 'staff.role_changed'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(details["request_id"], json!(id));
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn requests_can_be_rejected_or_withdrawn_and_never_cross_offices(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let boss = owner(&app, "boss@example.jp", Some("A事業所")).await;
    let (manager, _) = invited(&app, &boss, "mgr@example.jp", "manager").await;
    let other = owner(&app, "other@example.jp", Some("B事業所")).await;

    let r = manager
        .post(
            "/api/role-requests/create",
            json!({"input": {"role": "manager"}}),
        )
        .await;
    assert_eq!(r.status(), 422, "managers may ask for owner only");
    let id: String = manager
        .post(
            "/api/role-requests/create",
            json!({"input": {"role": "owner"}}),
        )
        .await
        .json()
        .await
        .unwrap();
    // Another office's owner cannot see or decide it.
    assert_eq!(
        other
            .post(
                "/api/role-requests/decide",
                json!({"id": id, "approve": true, "notes": ""})
            )
            .await
            .status(),
        404
    );
    let theirs: Value = other.get("/api/role-requests").await.json().await.unwrap();
    assert_eq!(theirs.as_array().unwrap().len(), 0);

    assert_eq!(
        manager
            .post("/api/role-requests/withdraw", json!({"id": id}))
            .await
            .status(),
        200
    );
    assert_eq!(
        manager
            .post("/api/role-requests/withdraw", json!({"id": id}))
            .await
            .status(),
        409
    );
    let id: String = manager
        .post(
            "/api/role-requests/create",
            json!({"input": {"role": "owner"}}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        boss.post(
            "/api/role-requests/decide",
            json!({"id": id, "approve": false, "notes": "今回は見送ります"})
        )
        .await
        .status(),
        200
    );
    assert_eq!(manager.session().await["user"]["role"], "manager");
    let mine: Value = manager
        .get("/api/role-requests")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine[0]["status"], "rejected");
    assert_eq!(mine[0]["reviewer_notes"], "今回は見送ります");
}
