//! The user's own account: password reset and change, e-mail change, devices, profile, terms,
//! and the owner's audit log (SPEC §2.4–§2.8, §13).

mod support;

use serde_json::{Value, json};
use sqlx::PgPool;
use support::{
    people::{PASSWORD, invited, owner},
    spawn_app, spawn_app_with,
};

const NEW_PASSWORD: &str = "Nw7$Tq4!Zr";

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn a_forgotten_password_is_reset_by_mail_and_every_session_ends(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let old_device = owner(&app, "reset@example.jp", Some("A事業所")).await;
    let guest = app.browser().await;
    let answer = |r: reqwest::Response| async move {
        (r.status().as_u16(), r.json::<Value>().await.unwrap())
    };

    // Unknown and known addresses get the same answer; only the known one gets a mail.
    assert_eq!(
        answer(
            guest
                .post(
                    "/api/auth/forgot-password",
                    json!({"input": {"email": "nobody@example.jp"}})
                )
                .await
        )
        .await
        .0,
        200
    );
    assert!(app.last_mail("nobody@example.jp").await.is_none());
    assert_eq!(
        answer(
            guest
                .post(
                    "/api/auth/forgot-password",
                    json!({"input": {"email": "reset@example.jp"}})
                )
                .await
        )
        .await
        .0,
        200
    );
    let token = app
        .mailed_token("reset@example.jp", "/reset-password")
        .await;
    assert_eq!(
        guest
            .post("/api/auth/reset-password/check", json!({"token": token}))
            .await
            .status(),
        200
    );

    // A weak password leaves the link usable; the current password is refused as recent.
    let body = |password: &str| json!({"input": {"token": token, "password": password, "password_confirmation": password}});
    let (status, error) = answer(guest.post("/api/auth/reset-password", body("short")).await).await;
    assert_eq!(
        (status, error["field_errors"][0]["field"].as_str()),
        (422, Some("password"))
    );
    let (status, error) =
        answer(guest.post("/api/auth/reset-password", body(PASSWORD)).await).await;
    assert_eq!(status, 422);
    assert_eq!(
        error["field_errors"][0]["message_ja"],
        "最近使ったパスワードは使用できません。別のパスワードを入力してください"
    );

    assert_eq!(
        guest
            .post("/api/auth/reset-password", body(NEW_PASSWORD))
            .await
            .status(),
        200
    );
    assert_eq!(
        old_device.session().await["user"],
        Value::Null,
        "every session ended"
    );
    let (status, _) = answer(
        guest
            .post("/api/auth/reset-password", body("Xy9#Kp2!Wq"))
            .await,
    )
    .await;
    assert_eq!(status, 404, "single use");
    let (template, _, _) = app.last_mail("reset@example.jp").await.unwrap();
    assert_eq!(template, "password_changed");
    let r = guest
        .post(
            "/api/auth/login",
            json!({"input": {"email": "reset@example.jp", "password": NEW_PASSWORD}}),
        )
        .await;
    assert_eq!(
        r.json::<Value>().await.unwrap()["outcome"],
        "signed_in",
        "not logged in by the reset itself"
    );
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn an_expired_reset_link_is_refused(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    owner(&app, "late@example.jp", None).await;
    let guest = app.browser().await;
    guest
        .post(
            "/api/auth/forgot-password",
            json!({"input": {"email": "late@example.jp"}}),
        )
        .await;
    let token = app.mailed_token("late@example.jp", "/reset-password").await;
    sqlx::query("update account_tokens set expires_at = now() - interval '1 second' where purpose = 'password_reset'")
        .execute(&pool).await.unwrap();
    let r = guest
        .post("/api/auth/reset-password/check", json!({"token": token}))
        .await;
    assert_eq!(r.status(), 404);
    assert_eq!(
        r.json::<Value>().await.unwrap()["message_ja"],
        "このリンクは無効か有効期限が切れています"
    );
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn changing_the_password_keeps_this_session_and_ends_the_others(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let me = owner(&app, "change@example.jp", Some("A事業所")).await;
    let other = app.browser().await;
    other
        .post(
            "/api/auth/login",
            json!({"input": {"email": "change@example.jp", "password": PASSWORD}}),
        )
        .await;
    let change = |current: &str, new: &str| json!({"input": {"current_password": current, "password": new, "password_confirmation": new}});

    let r = me
        .post("/api/account/password", change("Wrong#pass1", NEW_PASSWORD))
        .await;
    assert_eq!(r.status(), 422);
    assert_eq!(
        r.json::<Value>().await.unwrap()["field_errors"][0]["message_ja"],
        "現在のパスワードが正しくありません"
    );
    assert_eq!(
        me.post("/api/account/password", change(PASSWORD, NEW_PASSWORD))
            .await
            .status(),
        200
    );
    assert_ne!(me.session().await["user"], Value::Null);
    assert_eq!(other.session().await["user"], Value::Null);
    let sessions: Value = me.get("/api/account/sessions").await.json().await.unwrap();
    assert_eq!(sessions.as_array().unwrap().len(), 1);
    assert_eq!(sessions[0]["current"], true);
    assert_eq!(sessions[0]["ip_masked"], "127.0.0.x");
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn five_wrong_current_passwords_lock_and_end_every_session(pool: PgPool) {
    // The limit of 3 attempts per hour answers first; clearing its window stands in for the
    // next hour, when the fourth and fifth wrong passwords reach the lock.
    let app = spawn_app(pool.clone()).await;
    let me = owner(&app, "locked@example.jp", None).await;
    let wrong = json!({"input": {"current_password": "Wrong#pass1", "password": NEW_PASSWORD, "password_confirmation": NEW_PASSWORD}});
    for _ in 0..3 {
        assert_eq!(
            me.post("/api/account/password", wrong.clone())
                .await
                .status(),
            422
        );
    }
    assert_eq!(
        me.post("/api/account/password", wrong.clone())
            .await
            .status(),
        429,
        "3 attempts per hour"
    );
    sqlx::query("delete from rate_limit_buckets")
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(
        me.post("/api/account/password", wrong.clone())
            .await
            .status(),
        422
    );
    let r = me.post("/api/account/password", wrong.clone()).await;
    assert_eq!(r.status(), 423, "fifth wrong current password");
    assert_eq!(
        me.session().await["user"],
        Value::Null,
        "all sessions revoked"
    );
    let (template, _, _) = app.last_mail("locked@example.jp").await.unwrap();
    assert_eq!(template, "account_locked");
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn the_email_changes_only_through_the_new_address(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let me = owner(&app, "old@example.jp", None).await;
    let _taken = owner(&app, "taken@example.jp", None).await;
    let request = |email: &str, password: &str| json!({"input": {"new_email": email, "current_password": password}});
    let r = me
        .post("/api/account/email", request("taken@example.jp", PASSWORD))
        .await;
    assert_eq!(r.status(), 409);
    let r = me
        .post(
            "/api/account/email",
            request("new@example.jp", "Wrong#pass1"),
        )
        .await;
    assert_eq!(r.status(), 422);
    assert_eq!(
        me.post("/api/account/email", request("New@Example.jp", PASSWORD))
            .await
            .status(),
        200
    );
    let (template, _, text) = app.last_mail("old@example.jp").await.unwrap();
    assert_eq!(template, "email_change_notification");
    assert!(
        text.contains("n***@example.jp") && !text.contains("new@example.jp"),
        "{text}"
    );
    let token = app.mailed_token("new@example.jp", "/confirm-email").await;
    // Nothing changed yet.
    assert_eq!(me.session().await["user"]["email"], "old@example.jp");
    let guest = app.browser().await;
    assert_eq!(
        guest
            .post("/api/auth/confirm-email", json!({"token": token}))
            .await
            .status(),
        200
    );
    assert_eq!(
        me.session().await["user"],
        Value::Null,
        "every session ended"
    );
    let (template, _, _) = app.last_mail("old@example.jp").await.unwrap();
    assert_eq!(template, "email_change_completed");
    let r = guest
        .post(
            "/api/auth/login",
            json!({"input": {"email": "new@example.jp", "password": PASSWORD}}),
        )
        .await;
    assert_eq!(r.json::<Value>().await.unwrap()["outcome"], "signed_in");
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn devices_can_be_logged_out_one_by_one_or_all_at_once(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let me = owner(&app, "devices@example.jp", None).await;
    let mut others = Vec::new();
    for _ in 0..2 {
        let b = app.browser().await;
        b.post(
            "/api/auth/login",
            json!({"input": {"email": "devices@example.jp", "password": PASSWORD}}),
        )
        .await;
        others.push(b);
    }
    let sessions: Value = me.get("/api/account/sessions").await.json().await.unwrap();
    assert_eq!(sessions.as_array().unwrap().len(), 3);
    let victim = sessions
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["current"] == false)
        .unwrap()["id"]
        .clone();
    assert_eq!(
        me.post(
            "/api/account/sessions/revoke",
            json!({"session_id": victim})
        )
        .await
        .status(),
        200
    );
    let alive = [
        others[0].session().await["user"].is_null(),
        others[1].session().await["user"].is_null(),
    ];
    assert_eq!(alive.iter().filter(|dead| **dead).count(), 1);
    let ended: u64 = me
        .post("/api/account/sessions/revoke-others", json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(ended, 1);
    assert!(
        others[0].session().await["user"].is_null() && others[1].session().await["user"].is_null()
    );
    assert_ne!(me.session().await["user"], Value::Null);
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn new_terms_must_be_accepted_before_anything_else(pool: PgPool) {
    let first = spawn_app(pool.clone()).await;
    let _ = owner(&first, "terms@example.jp", Some("A事業所")).await;
    // A new version of the terms is deployed.
    let app = spawn_app_with(
        pool.clone(),
        axum::Router::new(),
        &[("KK_TERMS_VERSION", "2027-01-01")],
    )
    .await;
    app.wait_until_ready().await;
    let mut me = app.browser().await;
    me.post(
        "/api/auth/login",
        json!({"input": {"email": "terms@example.jp", "password": PASSWORD}}),
    )
    .await;
    me.refresh_csrf().await;
    assert_eq!(me.session().await["user"]["terms_outdated"], true);
    let r = me.get("/api/office").await;
    assert_eq!(r.status(), 403);
    assert_eq!(
        r.json::<Value>().await.unwrap()["code"],
        "TERMS_CONSENT_REQUIRED"
    );
    assert_eq!(me.post("/api/account/terms", json!({})).await.status(), 200);
    assert_eq!(me.session().await["user"]["terms_outdated"], false);
    assert_eq!(me.get("/api/office").await.status(), 200);
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn names_change_and_owners_read_their_office_audit_log(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let boss = owner(&app, "boss@example.jp", Some("A事業所")).await;
    let (employee, _) = invited(&app, &boss, "emp@example.jp", "employee").await;
    let r = employee
        .post("/api/account/profile/update", json!({"input": {"last_name": "佐藤", "first_name": "三郎", "last_name_kana": "サトウ", "first_name_kana": "さぶろう"}}))
        .await;
    assert_eq!(r.status(), 200);
    let profile: Value = employee
        .get("/api/account/profile")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(profile["name"]["first_name"], "三郎");
    assert_eq!(profile["name"]["last_name_kana"], "さとう");
    assert_eq!(employee.get("/api/audit").await.status(), 403);

    let page: Value = boss.get("/api/audit").await.json().await.unwrap();
    let actions: Vec<&str> = page["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert!(
        actions.contains(&"staff.name_updated") && actions.contains(&"invitation.accepted"),
        "{actions:?}"
    );
    let renamed = page["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "staff.name_updated")
        .unwrap();
    assert_eq!(renamed["action_label"], "氏名の変更");
    assert_eq!(renamed["actor"], "佐藤 三郎");
    assert_eq!(renamed["ip_masked"], "127.0.0.x");
    assert!(
        !renamed.to_string().contains("三郎\\\""),
        "values of names are never in details"
    );
    let only_invitations: Value = boss
        .get("/api/audit?category=invitation")
        .await
        .json()
        .await
        .unwrap();
    assert!(
        only_invitations["entries"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["action"].as_str().unwrap().starts_with("invitation."))
    );
    let (status, _) = (boss.get("/api/audit?from=2026-13-01").await.status(), ());
    assert_eq!(status, 422);
    // Another office's log is not visible.
    let other = owner(&app, "other@example.jp", Some("B事業所")).await;
    let theirs: Value = other.get("/api/audit").await.json().await.unwrap();
    assert!(
        theirs["entries"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["action"] != "staff.name_updated")
    );
}
