//! app_admin accounts (SPEC §2.10): the `keikakun admin` CLI run as a real process, the
//! passphrase step and its lock, mandatory TOTP, the short sessions, and the wall between
//! app_admins and office functions.

mod support;

use serde_json::{Value, json};
use sqlx::PgPool;
use support::{
    Browser, TestApp, keikakun,
    people::{PASSPHRASE, PASSWORD, app_admin, create_app_admin, owner},
    spawn_app,
    totp::code,
};

const CREATE: &[&str] = &[
    "admin",
    "create",
    "--email",
    "ops@example.jp",
    "--last-name",
    "運営",
    "--first-name",
    "花子",
    "--last-name-kana",
    "ウンエイ",
    "--first-name-kana",
    "はなこ",
];

async fn admin_row(pool: &PgPool) -> Option<(String, bool, bool, bool, String)> {
    sqlx::query_as(
        "select role::text, email_verified_at is not null, mfa_required, passphrase_hash is not null,
                last_name_kana
         from staffs where email = 'ops@example.jp'",
    )
    .fetch_optional(pool)
    .await
    .unwrap()
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn the_cli_creates_admins_and_replaces_passphrases(pool: PgPool) {
    // A weak password is refused before anything is written.
    let (status, _, stderr) = keikakun(
        &pool,
        CREATE,
        &format!("password\npassword\n{PASSPHRASE}\n{PASSPHRASE}\n"),
    )
    .await;
    assert_eq!(status, 1, "{stderr}");
    assert!(stderr.contains("password: "), "{stderr}");
    // A short passphrase likewise.
    let (status, _, stderr) = keikakun(
        &pool,
        CREATE,
        &format!("{PASSWORD}\n{PASSWORD}\nshort one\nshort one\n"),
    )
    .await;
    assert_eq!(status, 1);
    assert!(
        stderr.contains("合言葉は12文字以上にしてください"),
        "{stderr}"
    );
    assert_eq!(admin_row(&pool).await, None);

    let secrets = format!("{PASSWORD}\n{PASSWORD}\n{PASSPHRASE}\n{PASSPHRASE}\n");
    let (status, stdout, stderr) = keikakun(&pool, CREATE, &secrets).await;
    assert_eq!(status, 0, "{stderr}");
    assert!(stdout.starts_with("app_admin created: "), "{stdout}");
    // Verified, MFA required, a passphrase, the furigana normalised like every form's.
    assert_eq!(
        admin_row(&pool).await,
        Some(("app_admin".into(), true, true, true, "うんえい".into()))
    );
    let (status, _, stderr) = keikakun(&pool, CREATE, &secrets).await;
    assert_eq!(status, 1);
    assert!(stderr.contains("既に使われています"), "{stderr}");

    let rotate = ["admin", "set-passphrase", "--email", "ops@example.jp"];
    let (status, _, stderr) = keikakun(&pool, &rotate, "新しい合言葉を十二文字以上\n違う\n").await;
    assert_eq!(status, 1);
    assert!(stderr.contains("確認用の合言葉が一致しません"), "{stderr}");
    let before: time::OffsetDateTime = sqlx::query_scalar(
        "select passphrase_changed_at from staffs where email = 'ops@example.jp'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let new = "新しい合言葉を十二文字以上\n新しい合言葉を十二文字以上\n";
    let (status, _, stderr) = keikakun(&pool, &rotate, new).await;
    assert_eq!(status, 0, "{stderr}");
    let after: time::OffsetDateTime = sqlx::query_scalar(
        "select passphrase_changed_at from staffs where email = 'ops@example.jp'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(after > before);
    // Only app_admins have a passphrase.
    let other = ["admin", "set-passphrase", "--email", "nobody@example.jp"];
    let (status, _, stderr) = keikakun(&pool, &other, new).await;
    assert_eq!(status, 1);
    assert!(stderr.contains("アプリ管理者はいません"), "{stderr}");
    let actions: Vec<String> = sqlx::query_scalar(
        "select action from audit_logs where action like 'app_admin.%' order by id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(
        actions,
        ["app_admin.created", "app_admin.passphrase_changed"]
    );
}

async fn admin_login(
    browser: &Browser,
    email: &str,
    password: &str,
    passphrase: &str,
) -> (u16, Value) {
    let r = browser
        .post(
            "/api/admin/login",
            json!({"input": {"email": email, "password": password, "passphrase": passphrase}}),
        )
        .await;
    (r.status().as_u16(), r.json().await.unwrap())
}

const GENERIC: &str = "メールアドレスまたはパスワードが正しくありません";

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn the_passphrase_is_checked_and_locks_after_five_failures(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    create_app_admin(&app, "ops@example.jp").await;
    let browser = app.browser().await;

    // The ordinary login page never signs an app_admin in.
    let r = browser
        .post(
            "/api/auth/login",
            json!({"input": {"email": "ops@example.jp", "password": PASSWORD}}),
        )
        .await;
    assert_eq!(r.json::<Value>().await.unwrap()["message_ja"], GENERIC);
    // Office staff are refused on the admin page with the same message, right password or not.
    let _owner = owner(&app, "owner@example.jp", Some("A事業所")).await;
    let (status, error) = admin_login(&browser, "owner@example.jp", PASSWORD, PASSPHRASE).await;
    assert_eq!((status, error["message_ja"].as_str()), (422, Some(GENERIC)));

    for n in 1..=4 {
        let (status, error) =
            admin_login(&browser, "ops@example.jp", PASSWORD, "wrong passphrase!").await;
        assert_eq!(
            (status, error["message_ja"].as_str()),
            (422, Some(GENERIC)),
            "{n}"
        );
    }
    let (status, error) =
        admin_login(&browser, "ops@example.jp", PASSWORD, "wrong passphrase!").await;
    assert_eq!(
        (status, error["code"].as_str()),
        (423, Some("ACCOUNT_LOCKED"))
    );
    assert!(error["retry_after_s"].as_u64().unwrap() > 3500);
    // Locked: even the right passphrase waits the hour out.
    let (status, _) = admin_login(&browser, "ops@example.jp", PASSWORD, PASSPHRASE).await;
    assert_eq!(status, 423);
    let reasons: Vec<String> = sqlx::query_scalar(
        "select details->>'reason' from audit_logs where action = 'auth.login_failed' order by id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(
        reasons.iter().filter(|r| *r == "passphrase_failed").count(),
        5
    );
    assert!(reasons.iter().any(|r| r == "not_app_admin"));

    // An app_admin without a passphrase cannot sign in at all.
    sqlx::raw_sql(
        "delete from account_locks;
         update staffs set passphrase_hash = null where email = 'ops@example.jp'",
    )
    .execute(&pool)
    .await
    .unwrap();
    let (status, error) = admin_login(&browser, "ops@example.jp", PASSWORD, PASSPHRASE).await;
    assert_eq!((status, error["message_ja"].as_str()), (422, Some(GENERIC)));
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn totp_is_mandatory_and_sessions_are_short(pool: PgPool) {
    let app = spawn_app(pool.clone()).await;
    let (admin, secret) = app_admin(&app, "ops@example.jp").await;
    let session: Value = admin.session().await;
    assert_eq!(session["user"]["role"], "app_admin");
    assert_eq!(session["user"]["terms_outdated"], false);
    let (idle_min, absolute_h): (f64, f64) = sqlx::query_as(
        "select extract(epoch from s.idle_expires_at - s.created_at)::float8 / 60,
                extract(epoch from s.absolute_expires_at - s.created_at)::float8 / 3600
         from sessions s join staffs st on st.id = s.staff_id where st.email = 'ops@example.jp'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!((idle_min.round(), absolute_h.round()), (30.0, 8.0));

    let overview: Value = admin.get("/api/admin/overview").await.json().await.unwrap();
    assert_eq!(overview["passphrase_age_days"], 0);
    assert_eq!(overview["email"], "ops@example.jp");
    // The mandatory MFA cannot be switched off.
    let r = admin
        .post(
            "/api/account/mfa/disable",
            json!({"password": PASSWORD, "code": code(&secret, 1)}),
        )
        .await;
    assert_eq!(r.status(), 403);
    assert_eq!(
        r.json::<Value>().await.unwrap()["message_ja"],
        "アプリ管理者の2段階認証は解除できません"
    );

    // The next login asks for the code; a wrong one is refused, the current one signs in.
    let browser = app.browser().await;
    let (_, outcome) = admin_login(&browser, "ops@example.jp", PASSWORD, PASSPHRASE).await;
    assert_eq!(outcome["outcome"], "second_factor_required");
    let pending = outcome["pending_token"].as_str().unwrap();
    let r = browser
        .post(
            "/api/auth/login/second-factor",
            json!({"pending_token": pending, "code": "000000"}),
        )
        .await;
    assert_eq!(r.status(), 422);
    let r = browser
        .post(
            "/api/auth/login/second-factor",
            json!({"pending_token": pending, "code": code(&secret, 1)}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let signed_in: Value = r.json().await.unwrap();
    assert_eq!(signed_in["redirect_to"], "/app-admin");

    // The console page renders for the admin.
    let page = admin.get("/app-admin").await.text().await.unwrap();
    assert!(page.contains("アプリ管理コンソール"));
    assert!(page.contains("合言葉の最終変更"));
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn office_staff_cannot_open_the_console(pool: PgPool) {
    let app: TestApp = spawn_app(pool.clone()).await;
    let owner = owner(&app, "owner@example.jp", Some("A事業所")).await;
    let r = owner.get("/api/admin/overview").await;
    assert_eq!(r.status(), 403);
    let anonymous = app.browser().await;
    assert_eq!(anonymous.get("/api/admin/overview").await.status(), 401);
}
