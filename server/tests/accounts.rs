//! Owner signup → e-mail verification → login → office setup → logout, through the documented
//! server functions against a real database; and the security cases of sessions, CSRF and lockout.

mod support;

use serde_json::{Value, json};
use sqlx::PgPool;
use support::{Browser, TEST_ORIGIN, TestApp, spawn_app, spawn_app_with};

const PASSWORD: &str = "Kz8#mq2!Lp";

fn signup_body(email: &str) -> Value {
    json!({"input": {
        "last_name": "山田", "first_name": "花子",
        "last_name_kana": "ヤマダ", "first_name_kana": "はなこ",
        "email": email, "password": PASSWORD, "password_confirmation": PASSWORD,
        "agree_terms": true, "agree_privacy": true,
    }})
}

async fn error_of(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

/// Signs up, verifies and logs in an owner; returns the logged-in browser.
async fn owner(app: &TestApp, email: &str) -> Browser {
    let mut browser = app.browser().await;
    let r = browser.post("/api/auth/signup", signup_body(email)).await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let token = app.mailed_token(email, "/verify-email").await;
    let r = browser
        .post("/api/auth/verify-email", json!({"token": token}))
        .await;
    assert_eq!(r.status(), 200);
    let r = browser
        .post(
            "/api/auth/login",
            json!({"input": {"email": email, "password": PASSWORD}}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let outcome: Value = r.json().await.unwrap();
    assert_eq!(outcome["outcome"], "signed_in", "{outcome}");
    browser.refresh_csrf().await;
    browser
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn an_owner_signs_up_verifies_logs_in_and_sets_up_the_office(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let mut browser = app.browser().await;
    assert_eq!(browser.session().await["user"], Value::Null);

    let r = browser
        .post("/api/auth/signup", signup_body("Hanako@Example.jp"))
        .await;
    assert_eq!(r.status(), 200);
    let (template, subject, text) = app.last_mail("hanako@example.jp").await.unwrap();
    assert_eq!(template, "verify_email");
    assert_eq!(subject, "【けいかくん】メールアドレスの確認をお願いします");
    assert!(text.contains("山田 花子 様"), "{text}");
    assert!(
        text.contains(&format!("{TEST_ORIGIN}/verify-email#token=")),
        "{text}"
    );

    // Before verification the right password only says so.
    let login = json!({"input": {"email": "hanako@example.jp", "password": PASSWORD, "from": "/settings/security"}});
    let outcome: Value = browser
        .post("/api/auth/login", login.clone())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(outcome["outcome"], "email_not_verified");

    let token = app.mailed_token("hanako@example.jp", "/verify-email").await;
    let r = browser
        .post("/api/auth/verify-email", json!({"token": token}))
        .await;
    assert_eq!(r.status(), 200);
    // The link works once; using it again on a verified account is still a success.
    assert_eq!(
        browser
            .post("/api/auth/verify-email", json!({"token": token}))
            .await
            .status(),
        200
    );
    let (status, error) = error_of(
        browser
            .post("/api/auth/verify-email", json!({"token": "nope"}))
            .await,
    )
    .await;
    assert_eq!((status, error["code"].as_str()), (404, Some("NOT_FOUND")));
    assert_eq!(
        error["message_ja"],
        "このリンクは無効か有効期限が切れています"
    );

    let outcome: Value = browser
        .post("/api/auth/login", login)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        outcome,
        json!({"outcome": "signed_in", "redirect_to": "/settings/security"})
    );
    browser.refresh_csrf().await;
    let session = browser.session().await;
    assert_eq!(session["user"]["display_name"], "山田 花子");
    assert_eq!(session["user"]["role"], "owner");
    assert_eq!(session["user"]["office"], Value::Null);

    // Office setup needs only a name and a service type; errors come per field in Japanese.
    let (status, error) = error_of(
        browser
            .post(
                "/api/office/setup",
                json!({"input": {"name": "あ", "service_types": []}}),
            )
            .await,
    )
    .await;
    assert_eq!(status, 422);
    let fields: Vec<&str> = error["field_errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["name", "service_types"]);

    let office = json!({"input": {"name": "ひまわり作業所", "service_types": ["type_B_office", "life_care"],
        "office_number": "１２３４５６７８９０", "postal_code": "1234567"}});
    assert_eq!(
        browser
            .post("/api/office/setup", office.clone())
            .await
            .status(),
        200
    );
    let (status, _) = error_of(browser.post("/api/office/setup", office).await).await;
    assert_eq!(status, 409, "one office per owner");

    let profile: Value = browser.get("/api/office").await.json().await.unwrap();
    assert_eq!(profile["name"], "ひまわり作業所");
    assert_eq!(profile["office_number"], "1234567890");
    assert_eq!(profile["postal_code"], "123-4567");
    assert_eq!(
        profile["service_types"],
        json!(["type_B_office", "life_care"])
    );
    assert_eq!(
        browser.session().await["user"]["office"]["name"],
        "ひまわり作業所"
    );

    let actions: Vec<String> = sqlx::query_scalar("select action from audit_logs order by id")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(
        actions,
        [
            "terms.agreed",
            "auth.email_verified",
            "auth.login_succeeded",
            "office.created"
        ]
    );

    assert_eq!(
        browser.post("/api/auth/logout", json!({})).await.status(),
        200
    );
    assert_eq!(browser.session().await["user"], Value::Null);
    assert_eq!(browser.get("/api/office").await.status(), 401);
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn signup_does_not_reveal_registered_addresses(pool: PgPool) {
    let app = spawn_app(pool).await;
    let _first = owner(&app, "taken@example.jp").await;
    let browser = app.browser().await;
    let r = browser
        .post("/api/auth/signup", signup_body("TAKEN@example.jp"))
        .await;
    assert_eq!(r.status(), 200, "the same answer as for a new address");
    let (template, _, _) = app.last_mail("taken@example.jp").await.unwrap();
    assert_eq!(template, "account_exists");
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn bad_signup_input_gets_japanese_messages_per_field(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let browser = app.browser().await;
    let mut body = signup_body("hanako@example.jp");
    body["input"]["password"] = json!("password");
    body["input"]["password_confirmation"] = json!("password");
    body["input"]["first_name"] = json!("花子2");
    body["input"]["agree_terms"] = json!(false);
    let (status, error) = error_of(browser.post("/api/auth/signup", body).await).await;
    assert_eq!(status, 422);
    assert_eq!(error["code"], "VALIDATION_FAILED");
    let messages: Vec<(String, String)> = error["field_errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["field"].as_str().unwrap().into(),
                e["message_ja"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        messages,
        [
            ("first_name".into(), "数字や記号は使えません".into()),
            (
                "password".into(),
                "英大文字を1文字以上含めてください".into()
            ),
            ("agree_terms".into(), "利用規約への同意が必要です".into()),
        ]
    );
    let staff: i64 = sqlx::query_scalar("select count(*) from staffs")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(staff, 0, "nothing saved");
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn cross_site_and_tokenless_posts_are_refused(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let browser = app.browser().await;
    let body = signup_body("csrf@example.jp");
    let url = browser.url("/api/auth/signup");
    let cases = [
        (
            "no token",
            browser.client.post(&url).header("origin", TEST_ORIGIN),
        ),
        (
            "wrong token",
            browser
                .client
                .post(&url)
                .header("origin", TEST_ORIGIN)
                .header("x-csrf-token", "AAAA"),
        ),
        (
            "other origin",
            browser
                .client
                .post(&url)
                .header("origin", "https://evil.example")
                .header("x-csrf-token", &browser.csrf),
        ),
        (
            "cross-site fetch",
            browser
                .client
                .post(&url)
                .header("sec-fetch-site", "cross-site")
                .header("x-csrf-token", &browser.csrf),
        ),
    ];
    for (case, request) in cases {
        let (status, error) = error_of(request.json(&body).send().await.unwrap()).await;
        assert_eq!(status, 403, "{case}");
        assert_eq!(error["code"], "FORBIDDEN", "{case}");
        assert_eq!(
            error["message_ja"], "画面の有効期限が切れました。再読み込みしてください",
            "{case}"
        );
    }
    // Another browser's token does not fit this browser's cookies.
    let other = app.browser().await;
    let r = browser
        .client
        .post(&url)
        .header("origin", TEST_ORIGIN)
        .header("x-csrf-token", &other.csrf)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    // CORS preflights are refused and never answered with Access-Control headers.
    let r = browser
        .client
        .request(reqwest::Method::OPTIONS, &url)
        .header("origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert!(r.headers().get("access-control-allow-origin").is_none());
    let staff: i64 = sqlx::query_scalar("select count(*) from staffs")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(staff, 0);
    // The same request with the token passes.
    assert_eq!(browser.post("/api/auth/signup", body).await.status(), 200);
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn session_cookies_carry_the_required_flags(pool: PgPool) {
    let app = spawn_app_with(
        pool,
        axum::Router::new(),
        &[("APP_BASE_URL", "https://keikakun.test")],
    )
    .await;
    app.wait_until_ready().await;
    let r = app.get("/api/auth/session").await;
    let pre = r.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(pre.starts_with("__Host-kk_pre="), "{pre}");
    for flag in [
        "HttpOnly",
        "Secure",
        "SameSite=Lax",
        "Path=/",
        "Max-Age=7200",
    ] {
        assert!(pre.contains(flag), "{pre}");
    }
    assert_eq!(r.headers()["cache-control"], "no-store");
}

/// Cookie values set by a response, by name.
fn set_cookies(response: &reqwest::Response) -> std::collections::HashMap<String, String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next()?.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

/// A request carrying exactly these cookies (no jar).
async fn with_cookies(app: &TestApp, cookies: &[(&str, &str)]) -> reqwest::Response {
    let header = cookies
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("; ");
    app.client
        .get(app.url("/api/auth/session"))
        .header("cookie", header)
        .send()
        .await
        .unwrap()
}

/// Logs an existing account in once more without a jar, to see the cookies themselves.
async fn logged_in_cookies(app: &TestApp, email: &str) -> (String, String) {
    let fresh = app.browser().await;
    let r = fresh
        .post(
            "/api/auth/login",
            json!({"input": {"email": email, "password": PASSWORD}}),
        )
        .await;
    let cookies = set_cookies(&r);
    (cookies["kk_at"].clone(), cookies["kk_rt"].clone())
}

async fn user_with(app: &TestApp, cookies: &[(&str, &str)]) -> Value {
    let state: Value = with_cookies(app, cookies).await.json().await.unwrap();
    state["user"].clone()
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn logout_makes_the_old_cookies_useless(pool: PgPool) {
    let app = spawn_app(pool).await;
    let browser = owner(&app, "out@example.jp").await;
    let r = browser.post("/api/auth/logout", json!({})).await;
    assert_eq!(r.status(), 200);
    let cleared = set_cookies(&r);
    assert_eq!(cleared.get("kk_at").map(String::as_str), Some(""));
    assert_eq!(cleared.get("kk_rt").map(String::as_str), Some(""));
    assert_eq!(browser.session().await["user"], Value::Null);

    // A copy of another session's cookies stops working the moment that session logs out.
    let (access, refresh) = logged_in_cookies(&app, "out@example.jp").await;
    assert_ne!(user_with(&app, &[("kk_at", &access)]).await, Value::Null);
    let state: Value = with_cookies(&app, &[("kk_at", &access)])
        .await
        .json()
        .await
        .unwrap();
    let r = app
        .client
        .post(app.url("/api/auth/logout"))
        .header("cookie", format!("kk_at={access}; kk_rt={refresh}"))
        .header("origin", TEST_ORIGIN)
        .header("x-csrf-token", state["csrf_token"].as_str().unwrap())
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(user_with(&app, &[("kk_at", &access)]).await, Value::Null);
    assert_eq!(user_with(&app, &[("kk_rt", &refresh)]).await, Value::Null);
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn refresh_rotates_and_reuse_kills_the_session(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    owner(&app, "rt@example.jp").await;
    let (_, refresh) = logged_in_cookies(&app, "rt@example.jp").await;

    // No access token: the refresh cookie renews the session transparently.
    let r = with_cookies(&app, &[("kk_rt", &refresh)]).await;
    let renewed = set_cookies(&r);
    let next = renewed["kk_rt"].clone();
    assert_ne!(next, refresh);
    assert!(!renewed["kk_at"].is_empty());
    assert_ne!(r.json::<Value>().await.unwrap()["user"], Value::Null);

    // Within the grace period the old token still works (parallel tabs) without a new one.
    let r = with_cookies(&app, &[("kk_rt", &refresh)]).await;
    assert!(!set_cookies(&r).contains_key("kk_rt"));
    assert_ne!(r.json::<Value>().await.unwrap()["user"], Value::Null);

    // After the grace period the old token is a stolen copy: the whole session ends.
    sqlx::query("update refresh_tokens set superseded_at = now() - interval '1 minute' where superseded_at is not null")
        .execute(&pool)
        .await
        .unwrap();
    let r = with_cookies(&app, &[("kk_rt", &refresh)]).await;
    assert_eq!(r.json::<Value>().await.unwrap()["user"], Value::Null);
    let r = with_cookies(&app, &[("kk_rt", &next)]).await;
    assert_eq!(
        r.json::<Value>().await.unwrap()["user"],
        Value::Null,
        "the successor died with it"
    );
    let reason: Option<String> = sqlx::query_scalar(
        "select revoke_reason from sessions where revoke_reason = 'refresh_reuse'",
    )
    .fetch_optional(&pool)
    .await
    .unwrap();
    assert_eq!(reason.as_deref(), Some("refresh_reuse"));
    let audited: i64 = sqlx::query_scalar(
        "select count(*) from audit_logs where action = 'auth.refresh_reuse_detected'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(audited, 1);
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn forged_access_tokens_are_refused(pool: PgPool) {
    use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
    let app = spawn_app(pool).await;
    owner(&app, "jwt@example.jp").await;
    let (access, _) = logged_in_cookies(&app, "jwt@example.jp").await;
    let parts: Vec<&str> = access.split('.').collect();
    let none_header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
    let mut claims: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
    claims["exp"] = json!(claims["iat"].as_i64().unwrap() - 10);
    let expired_claims = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims).unwrap());
    for forged in [
        format!("{none_header}.{}.", parts[1]),
        format!("{}.{expired_claims}.{}", parts[0], parts[2]),
        format!("{}.{}.{}x", parts[0], parts[1], parts[2]),
    ] {
        let r = with_cookies(&app, &[("kk_at", &forged)]).await;
        assert_eq!(
            r.json::<Value>().await.unwrap()["user"],
            Value::Null,
            "{forged}"
        );
    }
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn repeated_wrong_passwords_lock_the_address(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let _ = owner(&app, "lock@example.jp").await;
    let browser = app.browser().await;
    let wrong = json!({"input": {"email": "lock@example.jp", "password": "Wrong#pass1"}});
    for _ in 0..4 {
        let (status, error) = error_of(browser.post("/api/auth/login", wrong.clone()).await).await;
        assert_eq!(status, 422);
        assert_eq!(
            error["message_ja"],
            "メールアドレスまたはパスワードが正しくありません"
        );
    }
    let (status, error) = error_of(browser.post("/api/auth/login", wrong.clone()).await).await;
    assert_eq!(
        (status, error["code"].as_str()),
        (423, Some("ACCOUNT_LOCKED"))
    );
    assert!(
        error["message_ja"].as_str().unwrap().contains("15分後"),
        "{error}"
    );
    // Even the right password waits now.
    let right = json!({"input": {"email": "lock@example.jp", "password": PASSWORD}});
    let r = browser.post("/api/auth/login", right).await;
    assert_eq!(r.status(), 423);
    assert!(r.headers().get("retry-after").is_some());
    let (template, _, _) = app.last_mail("lock@example.jp").await.unwrap();
    assert_eq!(template, "account_locked");

    // An unknown address behaves the same way (no enumeration). (The per-IP limit is reset so
    // that only the per-address counter is under test.)
    sqlx::query("delete from rate_limit_buckets")
        .execute(&pool)
        .await
        .unwrap();
    let unknown = json!({"input": {"email": "nobody@example.jp", "password": "Wrong#pass1"}});
    for _ in 0..4 {
        assert_eq!(
            browser
                .post("/api/auth/login", unknown.clone())
                .await
                .status(),
            422
        );
    }
    assert_eq!(browser.post("/api/auth/login", unknown).await.status(), 423);
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn login_attempts_per_ip_are_rate_limited(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let browser = app.browser().await;
    let attempt =
        |i: u32| json!({"input": {"email": format!("u{i}@example.jp"), "password": "Wrong#pass1"}});
    assert_eq!(
        browser.post("/api/auth/login", attempt(0)).await.status(),
        422
    );
    // Nine more attempts in the same one-minute window (set directly: a loop could straddle
    // the window's end and make the test depend on the clock).
    let filled =
        sqlx::query("update rate_limit_buckets set hits = 10 where key = 'login_ip:127.0.0.1'")
            .execute(&pool)
            .await
            .unwrap();
    assert_eq!(filled.rows_affected(), 1);
    let r = browser.post("/api/auth/login", attempt(10)).await;
    assert_eq!(r.status(), 429);
    let retry: u32 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry));
    let error: Value = r.json().await.unwrap();
    assert_eq!(error["code"], "RATE_LIMITED");
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn token_pages_send_no_referrer(pool: PgPool) {
    let app = spawn_app(pool).await;
    for path in [
        "/invite",
        "/reset-password",
        "/verify-email",
        "/confirm-email",
    ] {
        let r = app.get(path).await;
        assert_eq!(r.headers()["referrer-policy"], "no-referrer", "{path}");
    }
    let r = app.get("/login").await;
    assert_eq!(
        r.headers()["referrer-policy"],
        "strict-origin-when-cross-origin"
    );
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn a_session_may_call_300_server_functions_a_minute(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let browser = owner(&app, "busy@example.jp").await;
    // Earlier calls of this session (session probes) count too: fill the window to the limit.
    let session: uuid::Uuid =
        sqlx::query_scalar("select id from sessions where revoked_at is null")
            .fetch_one(&pool)
            .await
            .unwrap();
    sqlx::query("update rate_limit_buckets set hits = 300 where key = 'session:' || $1::text")
        .bind(session.to_string())
        .execute(&pool)
        .await
        .unwrap();
    let r = browser.get("/api/auth/session").await;
    assert_eq!(r.status(), 429);
    assert!(r.headers().get("retry-after").is_some());
    assert_eq!(r.json::<Value>().await.unwrap()["code"], "RATE_LIMITED");
}
