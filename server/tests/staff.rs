//! Invitations, roles, staff removal and the owner's controls (SPEC §1, §1.1, §2.6, §12.2).

mod support;

use serde_json::{Value, json};
use sqlx::PgPool;
use support::{
    TEST_ORIGIN,
    people::{PASSWORD, accept_body, invited, owner, staff_id},
    spawn_app,
};

async fn status_and_body(r: reqwest::Response) -> (u16, Value) {
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn an_invited_manager_joins_with_the_invited_role(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let boss = owner(&app, "boss@example.jp", Some("ひまわり作業所")).await;

    let r = boss
        .post("/api/invitations/create", json!({"input": {"email": "Jiro.Sato@Example.jp", "role": "manager", "display_name": "佐藤 次郎"}}))
        .await;
    assert_eq!(r.status(), 200);
    let (template, subject, text) = app.last_mail("jiro.sato@example.jp").await.unwrap();
    assert_eq!(template, "invitation");
    assert_eq!(
        subject,
        "【けいかくん】「ひまわり作業所」への招待が届いています"
    );
    assert!(
        text.contains("佐藤 次郎 様") && text.contains("マネージャー"),
        "{text}"
    );
    assert!(
        text.contains(&format!("{TEST_ORIGIN}/invite#token=")),
        "{text}"
    );
    let token = app.mailed_token("jiro.sato@example.jp", "/invite").await;

    let guest = app.browser().await;
    let preview: Value = guest
        .post("/api/invitations/lookup", json!({"token": token}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        preview,
        json!({"office_name": "ひまわり作業所", "role": "manager", "email": "jiro.sato@example.jp", "display_name": "佐藤 次郎"})
    );

    // The password may not contain the invited address's local part.
    let mut body = accept_body(&token);
    body["input"]["password"] = json!("Jiro.Sato#2026");
    body["input"]["password_confirmation"] = json!("Jiro.Sato#2026");
    let (status, body) = status_and_body(guest.post("/api/invitations/accept", body).await).await;
    assert_eq!(status, 422);
    assert_eq!(
        body["field_errors"][0]["message_ja"],
        "メールアドレスの一部を含むパスワードは使用できません"
    );

    let mut manager = guest;
    let r = manager
        .post("/api/invitations/accept", accept_body(&token))
        .await;
    assert_eq!(
        r.json::<Value>().await.unwrap(),
        json!({"outcome": "signed_in", "redirect_to": "/home"})
    );
    manager.refresh_csrf().await;
    let manager_id = staff_id(&manager).await;
    let me = manager.session().await;
    assert_eq!(me["user"]["role"], "manager");
    assert_eq!(me["user"]["office"]["name"], "ひまわり作業所");

    // The link is single use.
    let (status, body) = status_and_body(
        app.browser()
            .await
            .post("/api/invitations/lookup", json!({"token": token}))
            .await,
    )
    .await;
    assert_eq!(status, 404);
    assert_eq!(
        body["message_ja"],
        "この招待リンクは無効です。招待した方に再送を依頼してください"
    );

    let list: Value = boss.get("/api/invitations").await.json().await.unwrap();
    assert_eq!(list[0]["state"], "accepted");
    let notices: i64 =
        sqlx::query_scalar("select count(*) from notices where kind = 'invitation_accepted'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(notices, 1);
    let staff: Value = boss.get("/api/staff").await.json().await.unwrap();
    assert_eq!(staff.as_array().unwrap().len(), 2);
    assert!(
        staff
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["id"] == json!(manager_id) && s["email_masked"] == "j***@example.jp")
    );
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn managers_invite_only_employees_and_manage_only_their_own(pool: PgPool) {
    let app = spawn_app(pool).await;
    let boss = owner(&app, "boss@example.jp", Some("A事業所")).await;
    let (manager, _) = invited(&app, &boss, "mgr@example.jp", "manager").await;
    let (employee, _) = invited(&app, &boss, "emp@example.jp", "employee").await;

    let (status, _) = status_and_body(
        manager
            .post(
                "/api/invitations/create",
                json!({"input": {"email": "x@example.jp", "role": "manager"}}),
            )
            .await,
    )
    .await;
    assert_eq!(status, 403);
    let (status, _) = status_and_body(
        employee
            .post(
                "/api/invitations/create",
                json!({"input": {"email": "x@example.jp", "role": "employee"}}),
            )
            .await,
    )
    .await;
    assert_eq!(status, 403);
    assert_eq!(employee.get("/api/invitations").await.status(), 403);

    // Already registered addresses are refused.
    let (status, body) = status_and_body(
        boss.post(
            "/api/invitations/create",
            json!({"input": {"email": "EMP@example.jp", "role": "employee"}}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 409);
    assert_eq!(
        body["message_ja"],
        "このメールアドレスは既に登録されています"
    );

    let r = boss
        .post(
            "/api/invitations/create",
            json!({"input": {"email": "by-owner@example.jp", "role": "employee"}}),
        )
        .await;
    let by_owner: String = r.json().await.unwrap();
    let r = manager
        .post(
            "/api/invitations/create",
            json!({"input": {"email": "by-mgr@example.jp", "role": "employee"}}),
        )
        .await;
    let by_manager: String = r.json().await.unwrap();
    let (status, _) = status_and_body(
        manager
            .post("/api/invitations/revoke", json!({"id": by_owner}))
            .await,
    )
    .await;
    assert_eq!(status, 403);
    let old = app.mailed_token("by-mgr@example.jp", "/invite").await;
    assert_eq!(
        manager
            .post("/api/invitations/resend", json!({"id": by_manager}))
            .await
            .status(),
        200
    );
    let new = app.mailed_token("by-mgr@example.jp", "/invite").await;
    assert_ne!(old, new);
    let guest = app.browser().await;
    assert_eq!(
        guest
            .post("/api/invitations/lookup", json!({"token": old}))
            .await
            .status(),
        404,
        "the old link died"
    );
    assert_eq!(
        guest
            .post("/api/invitations/lookup", json!({"token": new}))
            .await
            .status(),
        200
    );
    // Three resends per day.
    for _ in 0..2 {
        assert_eq!(
            manager
                .post("/api/invitations/resend", json!({"id": by_manager}))
                .await
                .status(),
            200
        );
    }
    assert_eq!(
        manager
            .post("/api/invitations/resend", json!({"id": by_manager}))
            .await
            .status(),
        429
    );
    assert_eq!(
        manager
            .post("/api/invitations/revoke", json!({"id": by_manager}))
            .await
            .status(),
        200
    );
    assert_eq!(
        guest
            .post("/api/invitations/lookup", json!({"token": new}))
            .await
            .status(),
        404
    );
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn an_expired_invitation_cannot_be_accepted(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let boss = owner(&app, "boss@example.jp", Some("A事業所")).await;
    boss.post(
        "/api/invitations/create",
        json!({"input": {"email": "late@example.jp", "role": "employee"}}),
    )
    .await;
    let token = app.mailed_token("late@example.jp", "/invite").await;
    sqlx::query("update invitations set expires_at = now() - interval '1 minute'")
        .execute(&pool)
        .await
        .unwrap();
    let guest = app.browser().await;
    let (status, _) = status_and_body(
        guest
            .post("/api/invitations/accept", accept_body(&token))
            .await,
    )
    .await;
    assert_eq!(status, 404);
    let list: Value = boss.get("/api/invitations").await.json().await.unwrap();
    assert_eq!(list[0]["state"], "expired");
    let staff: i64 = sqlx::query_scalar("select count(*) from staffs")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(staff, 1);
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn roles_change_but_an_office_always_keeps_an_owner(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let boss = owner(&app, "boss@example.jp", Some("A事業所")).await;
    let boss_id = staff_id(&boss).await;
    let (employee, employee_id) = invited(&app, &boss, "emp@example.jp", "employee").await;

    let (status, body) = status_and_body(
        boss.post(
            "/api/staff/role",
            json!({"staff_id": boss_id, "role": "manager"}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 409);
    assert_eq!(
        body["message_ja"],
        "事業所には少なくとも1名のオーナーが必要です"
    );
    let (status, _) = status_and_body(
        employee
            .post(
                "/api/staff/role",
                json!({"staff_id": employee_id, "role": "owner"}),
            )
            .await,
    )
    .await;
    assert_eq!(status, 403);

    assert_eq!(
        boss.post(
            "/api/staff/role",
            json!({"staff_id": employee_id, "role": "owner"})
        )
        .await
        .status(),
        200
    );
    // Roles are read from the database on every request: the new owner may act at once.
    let mut employee = employee;
    employee.refresh_csrf().await;
    assert_eq!(employee.session().await["user"]["role"], "owner");
    assert_eq!(employee.get("/api/invitations").await.status(), 200);
    // Now the first owner may step down.
    assert_eq!(
        boss.post(
            "/api/staff/role",
            json!({"staff_id": boss_id, "role": "manager"})
        )
        .await
        .status(),
        200
    );
    let audit: Vec<Value> = sqlx::query_scalar(
        "select details from audit_logs where action = 'staff.role_changed' order by id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(audit[0], json!({"from": "employee", "to": "owner"}));
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn removing_a_staff_member_ends_their_sessions_and_keeps_an_archive(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let boss = owner(&app, "boss@example.jp", Some("A事業所")).await;
    let boss_id = staff_id(&boss).await;
    let (employee, employee_id) = invited(&app, &boss, "emp@example.jp", "employee").await;

    let (status, body) = status_and_body(
        boss.post("/api/staff/remove", json!({"staff_id": boss_id}))
            .await,
    )
    .await;
    assert_eq!(
        (status, body["message_ja"].as_str()),
        (409, Some("自分自身は削除できません"))
    );
    assert_eq!(
        employee
            .post("/api/staff/remove", json!({"staff_id": boss_id}))
            .await
            .status(),
        403
    );

    assert_eq!(
        boss.post("/api/staff/remove", json!({"staff_id": employee_id}))
            .await
            .status(),
        200
    );
    assert_eq!(
        employee.session().await["user"],
        Value::Null,
        "logged out at once"
    );
    let (template, _, _) = app.last_mail("emp@example.jp").await.unwrap();
    assert_eq!(template, "account_removed");
    let (name, email): (String, String) =
        sqlx::query_as("select anonymised_name, email from archived_staffs")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert!(
        name.starts_with("スタッフ-") && name.chars().count() == 14,
        "{name}"
    );
    assert!(email.starts_with("archived-") && email.ends_with("@deleted.invalid"));
    // The removed person cannot log in; the address can be invited again.
    let r = app
        .browser()
        .await
        .post(
            "/api/auth/login",
            json!({"input": {"email": "emp@example.jp", "password": PASSWORD}}),
        )
        .await;
    assert_eq!(r.status(), 422);
    assert_eq!(
        boss.post(
            "/api/invitations/create",
            json!({"input": {"email": "emp@example.jp", "role": "employee"}})
        )
        .await
        .status(),
        200
    );
    let (status, _) = status_and_body(
        boss.post("/api/staff/remove", json!({"staff_id": employee_id}))
            .await,
    )
    .await;
    assert_eq!(status, 404, "already removed");
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn owners_require_reset_and_unlock_staff_mfa_and_office_policy(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let boss = owner(&app, "boss@example.jp", Some("A事業所")).await;
    let (employee, employee_id) = invited(&app, &boss, "emp@example.jp", "employee").await;

    assert_eq!(
        boss.post(
            "/api/staff/mfa-required",
            json!({"staff_id": employee_id, "required": true})
        )
        .await
        .status(),
        200
    );
    let r = employee.get("/api/office").await;
    assert_eq!(
        r.json::<Value>().await.unwrap()["code"],
        "MFA_SETUP_REQUIRED"
    );
    let outcome: Value = app
        .browser()
        .await
        .post(
            "/api/auth/login",
            json!({"input": {"email": "emp@example.jp", "password": PASSWORD}}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(outcome["outcome"], "mfa_setup_required");

    // The office-wide policy needs the owner's own MFA first (else the owner would be locked out).
    let (status, body) = status_and_body(
        boss.post("/api/office/mfa-policy/set", json!({"required": true}))
            .await,
    )
    .await;
    assert_eq!(status, 409);
    assert_eq!(
        body["message_ja"],
        "全職員に必須にする前に、ご自身の2段階認証を設定してください"
    );
    assert!(
        !boss
            .get("/api/office/mfa-policy")
            .await
            .json::<bool>()
            .await
            .unwrap()
    );
    assert_eq!(
        boss.post("/api/office/mfa-policy/set", json!({"required": false}))
            .await
            .status(),
        200
    );
    assert_eq!(
        employee
            .post("/api/office/mfa-policy/set", json!({"required": false}))
            .await
            .status(),
        403
    );

    // Lockout and unlock.
    let stranger = app.browser().await;
    for _ in 0..5 {
        stranger
            .post(
                "/api/auth/login",
                json!({"input": {"email": "emp@example.jp", "password": "Wrong#pass1"}}),
            )
            .await;
    }
    let staff: Value = boss.get("/api/staff").await.json().await.unwrap();
    let row = staff
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == json!(employee_id))
        .unwrap()
        .clone();
    assert_eq!(row["locked"], true);
    assert_eq!(
        boss.post("/api/staff/unlock", json!({"staff_id": employee_id}))
            .await
            .status(),
        200
    );
    let staff: Value = boss.get("/api/staff").await.json().await.unwrap();
    let row = staff
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == json!(employee_id))
        .unwrap()
        .clone();
    assert_eq!(row["locked"], false);

    // Reset ends the target's sessions.
    let (other, other_id) = invited(&app, &boss, "other@example.jp", "manager").await;
    assert_eq!(
        boss.post("/api/staff/mfa-reset", json!({"staff_id": other_id}))
            .await
            .status(),
        200
    );
    assert_eq!(other.session().await["user"], Value::Null);
    let actions: Vec<String> = sqlx::query_scalar("select action from audit_logs where action like 'mfa.%' or action like 'auth.account_%' order by id")
        .fetch_all(&pool).await.unwrap();
    assert_eq!(
        actions,
        [
            "mfa.requirement_set",
            "mfa.office_requirement_set",
            "auth.account_locked",
            "auth.account_unlocked",
            "mfa.reset_by_owner"
        ]
    );
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn owners_edit_the_office_and_staff_are_told_what_changed(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let boss = owner(&app, "boss@example.jp", Some("ひまわり作業所")).await;
    let (employee, _) = invited(&app, &boss, "emp@example.jp", "employee").await;
    let edit = json!({"input": {"name": "ひまわり作業所 本店", "service_types": ["type_B_office", "life_care"], "address": "東京都"}});
    assert_eq!(
        employee
            .post("/api/office/update", edit.clone())
            .await
            .status(),
        403
    );
    assert_eq!(boss.post("/api/office/update", edit).await.status(), 200);
    let profile: Value = employee.get("/api/office").await.json().await.unwrap();
    assert_eq!(profile["name"], "ひまわり作業所 本店");
    let details: Value =
        sqlx::query_scalar("select details from audit_logs where action = 'office.updated'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(
        details["changed_fields"],
        json!(["name", "service_types", "address"])
    );
    assert_eq!(details["old"]["name"], "ひまわり作業所");
    assert!(
        details["new"].get("address").is_none(),
        "values only for name and service types"
    );
    let body: String =
        sqlx::query_scalar("select body from notices where kind = 'office_updated' limit 1")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(body, "変更された項目: 事業所名、サービス種別、所在地");
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn an_office_number_belongs_to_one_office(pool: PgPool) {
    let app = spawn_app(pool).await;
    let first = owner(&app, "first@example.jp", Some("A事業所")).await;
    let second = owner(&app, "second@example.jp", Some("B事業所")).await;
    let with_number = json!({"input": {"name": "A事業所", "service_types": ["type_B_office"], "office_number": "1234567890"}});
    assert_eq!(
        first.post("/api/office/update", with_number).await.status(),
        200
    );
    let taken = json!({"input": {"name": "B事業所", "service_types": ["type_B_office"], "office_number": "1234567890"}});
    let (status, body) = status_and_body(second.post("/api/office/update", taken).await).await;
    assert_eq!(status, 409);
    assert_eq!(body["field_errors"][0]["field"], "office_number");
    assert_eq!(body["message_ja"], "この事業所番号は既に登録されています");
    let profile: Value = second.get("/api/office").await.json().await.unwrap();
    assert_eq!(profile["office_number"], Value::Null, "nothing saved");
}
