//! Accounts for tests, made through the documented server functions only.

use super::{Browser, TestApp};
use serde_json::{Value, json};
use uuid::Uuid;

pub const PASSWORD: &str = "Kz8#mq2!Lp";

/// An owner with a verified address, logged in, and (with `office`) an office of that name.
pub async fn owner(app: &TestApp, email: &str, office: Option<&str>) -> Browser {
    let mut browser = app.browser().await;
    let signup = json!({"input": {
        "last_name": "山田", "first_name": "花子", "last_name_kana": "やまだ", "first_name_kana": "はなこ",
        "email": email, "password": PASSWORD, "password_confirmation": PASSWORD,
        "agree_terms": true, "agree_privacy": true}});
    let r = browser.post("/api/auth/signup", signup).await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let token = app.mailed_token(email, "/verify-email").await;
    assert_eq!(
        browser
            .post("/api/auth/verify-email", json!({"token": token}))
            .await
            .status(),
        200
    );
    let r = browser
        .post(
            "/api/auth/login",
            json!({"input": {"email": email, "password": PASSWORD}}),
        )
        .await;
    assert_eq!(r.json::<Value>().await.unwrap()["outcome"], "signed_in");
    browser.refresh_csrf().await;
    if let Some(name) = office {
        let r = browser
            .post(
                "/api/office/setup",
                json!({"input": {"name": name, "service_types": ["type_B_office"]}}),
            )
            .await;
        assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
        browser.refresh_csrf().await;
    }
    browser
}

/// `inviter` invites `email` with `role`; the invitee accepts and is logged in.
pub async fn invited(app: &TestApp, inviter: &Browser, email: &str, role: &str) -> (Browser, Uuid) {
    let r = inviter
        .post(
            "/api/invitations/create",
            json!({"input": {"email": email, "role": role}}),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let token = app.mailed_token(email, "/invite").await;
    let mut browser = app.browser().await;
    let r = browser
        .post("/api/invitations/accept", accept_body(&token))
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    assert_eq!(r.json::<Value>().await.unwrap()["outcome"], "signed_in");
    browser.refresh_csrf().await;
    let id = browser.session().await["user"]["staff_id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    (browser, id)
}

pub fn accept_body(token: &str) -> Value {
    json!({"input": {
        "token": token, "last_name": "佐藤", "first_name": "次郎",
        "last_name_kana": "さとう", "first_name_kana": "じろう",
        "password": PASSWORD, "password_confirmation": PASSWORD,
        "agree_terms": true, "agree_privacy": true}})
}

pub async fn staff_id(browser: &Browser) -> Uuid {
    browser.session().await["user"]["staff_id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap()
}

pub const PASSPHRASE: &str = "春はあけぼの、やうやう白く";

/// Creates an app_admin as `keikakun admin create` does (the CLI itself is tested in
/// `app_admin.rs`).
pub async fn create_app_admin(app: &TestApp, email: &str) -> Uuid {
    use app::ssr::accounts::app_admin::{NewAppAdmin, create};
    use shared::{
        account::{Passphrase, StaffNameInput},
        fields::Email,
        password::NewPassword,
    };
    let admin = NewAppAdmin {
        email: Email::parse(email).unwrap(),
        name: StaffNameInput {
            last_name: "運営".into(),
            first_name: "太郎".into(),
            last_name_kana: "うんえい".into(),
            first_name_kana: "たろう".into(),
        }
        .parse()
        .unwrap(),
        password: NewPassword::parse(PASSWORD, PASSWORD, None).unwrap(),
        passphrase: Passphrase::parse(PASSPHRASE).unwrap(),
    };
    create(&app.state.db, &admin).await.unwrap()
}

/// A new app_admin signed in through `/api/admin/login` and first-time TOTP setup; returns the
/// browser and the TOTP secret.
pub async fn app_admin(app: &TestApp, email: &str) -> (Browser, Vec<u8>) {
    create_app_admin(app, email).await;
    let mut browser = app.browser().await;
    let outcome: Value = browser
        .post(
            "/api/admin/login",
            json!({"input": {"email": email, "password": PASSWORD, "passphrase": PASSPHRASE}}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(outcome["outcome"], "mfa_setup_required", "{outcome}");
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
    let secret = super::totp::base32_decode(enrolment["manual_key"].as_str().unwrap());
    let r = browser
        .post(
            "/api/auth/login/mfa-setup/confirm",
            json!({"pending_token": pending, "code": super::totp::code(&secret, 0)}),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    browser.refresh_csrf().await;
    (browser, secret)
}

/// Turns on TOTP for the browser's account (recipient writes need it); returns the secret.
pub async fn enable_mfa(browser: &Browser) -> Vec<u8> {
    let enrolment: Value = browser
        .post("/api/account/mfa/begin", json!({}))
        .await
        .json()
        .await
        .unwrap();
    let secret = super::totp::base32_decode(enrolment["manual_key"].as_str().unwrap());
    let r = browser
        .post(
            "/api/account/mfa/confirm",
            json!({"code": super::totp::code(&secret, 0)}),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    secret
}
