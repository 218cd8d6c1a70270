//! Two-step verification through the documented server functions: enrolment, the login step,
//! replay protection, recovery codes, first-time setup required by the owner, and disabling.

mod support;

use serde_json::{Value, json};
use sqlx::PgPool;
use support::{
    Browser, TestApp, spawn_app,
    totp::{base32_decode, code},
};

const PASSWORD: &str = "Kz8#mq2!Lp";

async fn owner(app: &TestApp, email: &str) -> Browser {
    let mut browser = app.browser().await;
    let signup = json!({"input": {
        "last_name": "山田", "first_name": "花子", "last_name_kana": "やまだ", "first_name_kana": "はなこ",
        "email": email, "password": PASSWORD, "password_confirmation": PASSWORD,
        "agree_terms": true, "agree_privacy": true}});
    assert_eq!(browser.post("/api/auth/signup", signup).await.status(), 200);
    let token = app.mailed_token(email, "/verify-email").await;
    browser
        .post("/api/auth/verify-email", json!({"token": token}))
        .await;
    let r = browser
        .post(
            "/api/auth/login",
            json!({"input": {"email": email, "password": PASSWORD}}),
        )
        .await;
    assert_eq!(r.json::<Value>().await.unwrap()["outcome"], "signed_in");
    browser.refresh_csrf().await;
    browser
}

/// Enrols MFA for the browser's account; returns the secret, the recovery codes and the code
/// that confirmed the enrolment.
async fn enrol(browser: &Browser) -> (Vec<u8>, Vec<String>, String) {
    let enrolment: Value = browser
        .post("/api/account/mfa/begin", json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert!(
        enrolment["qr_data_url"]
            .as_str()
            .unwrap()
            .starts_with("data:image/svg+xml;base64,")
    );
    let secret = base32_decode(enrolment["manual_key"].as_str().unwrap());
    assert_eq!(secret.len(), 20);
    let used = code(&secret, 0);
    let r = browser
        .post("/api/account/mfa/confirm", json!({"code": used}))
        .await;
    assert_eq!(r.status(), 200);
    let codes: Vec<String> = r.json().await.unwrap();
    assert_eq!(codes.len(), 10);
    (secret, codes, used)
}

async fn password_step(app: &TestApp, email: &str) -> (Browser, Value) {
    let browser = app.browser().await;
    let outcome: Value = browser
        .post(
            "/api/auth/login",
            json!({"input": {"email": email, "password": PASSWORD, "from": "/settings/security"}}),
        )
        .await
        .json()
        .await
        .unwrap();
    (browser, outcome)
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn enrolment_login_replay_and_recovery_codes(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let first = owner(&app, "mfa@example.jp").await;
    let (secret, codes, used) = enrol(&first).await;
    assert_eq!(first.session().await["user"]["mfa_enabled"], true);
    let stored: Vec<u8> = sqlx::query_scalar("select mfa_secret from staffs")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(
        !stored.windows(secret.len()).any(|w| w == secret.as_slice()),
        "the secret is stored encrypted"
    );
    let (template, _, _) = app.last_mail("mfa@example.jp").await.unwrap();
    assert_eq!(template, "mfa_changed");

    // Password alone no longer logs in.
    let (second, outcome) = password_step(&app, "mfa@example.jp").await;
    assert_eq!(outcome["outcome"], "second_factor_required");
    let pending = outcome["pending_token"].as_str().unwrap().to_owned();
    assert_eq!(second.session().await["user"], Value::Null);

    // The code used for enrolment (this time step) cannot be used again.
    let r = second
        .post(
            "/api/auth/login/second-factor",
            json!({"pending_token": pending, "code": used}),
        )
        .await;
    assert_eq!(r.status(), 422, "replayed code");
    let error: Value = r.json().await.unwrap();
    assert_eq!(error["field_errors"][0]["field"], "code");

    // The next step's code works once.
    let next = code(&secret, 1);
    let r = second
        .post(
            "/api/auth/login/second-factor",
            json!({"pending_token": pending, "code": next}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let signed_in: Value = r.json().await.unwrap();
    assert_eq!(signed_in["redirect_to"], "/settings/security");
    assert_ne!(second.session().await["user"], Value::Null);
    // The temporary token is spent.
    let r = second
        .post(
            "/api/auth/login/second-factor",
            json!({"pending_token": pending, "code": next}),
        )
        .await;
    assert_eq!(r.status(), 401);

    // A recovery code works once, in any case and with or without hyphens.
    let (third, outcome) = password_step(&app, "mfa@example.jp").await;
    let pending = outcome["pending_token"].as_str().unwrap();
    let recovery = codes[0].to_lowercase().replace('-', "");
    let r = third
        .post(
            "/api/auth/login/second-factor",
            json!({"pending_token": pending, "code": recovery}),
        )
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<Value>().await.unwrap()["recovery_codes_left"], 9);
    let (fourth, outcome) = password_step(&app, "mfa@example.jp").await;
    let pending = outcome["pending_token"].as_str().unwrap();
    let r = fourth
        .post(
            "/api/auth/login/second-factor",
            json!({"pending_token": pending, "code": codes[0]}),
        )
        .await;
    assert_eq!(r.status(), 422, "a used recovery code");

    let actions: Vec<String> =
        sqlx::query_scalar("select action from audit_logs where action like 'mfa.%' order by id")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(actions, ["mfa.enrolled", "mfa.recovery_code_used"]);
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn five_wrong_codes_end_the_login_attempt(pool: PgPool) {
    let app = spawn_app(pool).await;
    let first = owner(&app, "wrong@example.jp").await;
    let (secret, _, _) = enrol(&first).await;
    let (browser, outcome) = password_step(&app, "wrong@example.jp").await;
    let pending = outcome["pending_token"].as_str().unwrap();
    for attempt in 1..=5 {
        let r = browser
            .post(
                "/api/auth/login/second-factor",
                json!({"pending_token": pending, "code": "000000"}),
            )
            .await;
        let expected = if attempt < 5 { 422 } else { 401 };
        assert_eq!(r.status(), expected, "attempt {attempt}");
    }
    // Even the right code is refused now: login starts again.
    let r = browser
        .post(
            "/api/auth/login/second-factor",
            json!({"pending_token": pending, "code": code(&secret, 1)}),
        )
        .await;
    assert_eq!(r.status(), 401);
    let error: Value = r.json().await.unwrap();
    assert_eq!(
        error["message_ja"],
        "確認の有効期限が切れました。もう一度ログインしてください"
    );
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn enrolling_ends_other_sessions_and_disabling_needs_password_and_code(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let first = owner(&app, "other@example.jp").await;
    let (other, outcome) = password_step(&app, "other@example.jp").await;
    assert_eq!(outcome["outcome"], "signed_in");
    let (secret, _, _) = enrol(&first).await;
    assert_eq!(
        other.session().await["user"],
        Value::Null,
        "the other device was logged out"
    );
    assert_ne!(first.session().await["user"], Value::Null, "this one stays");

    let r = first
        .post(
            "/api/account/mfa/disable",
            json!({"password": "Wrong#pass1", "code": code(&secret, 1)}),
        )
        .await;
    assert_eq!(r.status(), 422);
    let r = first
        .post(
            "/api/account/mfa/disable",
            json!({"password": PASSWORD, "code": code(&secret, 1)}),
        )
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(first.session().await["user"]["mfa_enabled"], false);
    let codes: i64 = sqlx::query_scalar("select count(*) from mfa_recovery_codes")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(codes, 0);
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn required_mfa_is_set_up_at_login_before_anything_else(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let first = owner(&app, "req@example.jp").await;
    let setup = json!({"input": {"name": "ひまわり作業所", "service_types": ["life_care"]}});
    assert_eq!(first.post("/api/office/setup", setup).await.status(), 200);
    sqlx::query("update offices set mfa_required_for_all = true")
        .execute(&pool)
        .await
        .unwrap();

    // The existing session may only reach its own account settings now.
    let r = first.get("/api/office").await;
    assert_eq!(r.status(), 403);
    assert_eq!(
        r.json::<Value>().await.unwrap()["code"],
        "MFA_SETUP_REQUIRED"
    );

    let (browser, outcome) = password_step(&app, "req@example.jp").await;
    assert_eq!(outcome["outcome"], "mfa_setup_required");
    let pending = outcome["pending_token"].as_str().unwrap();
    let enrolment: Value = browser
        .post(
            "/api/auth/login/mfa-setup",
            json!({"pending_token": pending}),
        )
        .await
        .json()
        .await
        .unwrap();
    let secret = base32_decode(enrolment["manual_key"].as_str().unwrap());
    let r = browser
        .post(
            "/api/auth/login/mfa-setup/confirm",
            json!({"pending_token": pending, "code": "123"}),
        )
        .await;
    assert_eq!(r.status(), 422);
    let r = browser
        .post(
            "/api/auth/login/mfa-setup/confirm",
            json!({"pending_token": pending, "code": code(&secret, 0)}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let done: Value = r.json().await.unwrap();
    assert_eq!(done["recovery_codes"].as_array().unwrap().len(), 10);
    assert_eq!(done["redirect_to"], "/settings/security");
    let mut browser = browser;
    browser.refresh_csrf().await;
    assert_eq!(browser.get("/api/office").await.status(), 200);
    // Self-disable is refused while the office requires MFA.
    let r = browser
        .post(
            "/api/account/mfa/disable",
            json!({"password": PASSWORD, "code": code(&secret, 1)}),
        )
        .await;
    assert_eq!(r.status(), 403);
    assert_eq!(
        r.json::<Value>().await.unwrap()["message_ja"],
        "事業所の設定により2段階認証は必須です"
    );
}
