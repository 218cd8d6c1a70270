//! The "not in Have I Been Pwned" rule (SPEC §2.7) against a local range API that records what
//! it was asked: only a 5-character SHA-1 prefix leaves the server, with `Add-Padding`.

mod support;

use axum::{Router, extract::Path, http::HeaderMap, routing::get};
use serde_json::json;
use sha1::{Digest, Sha1};
use sqlx::PgPool;
use std::sync::{Arc, Mutex};
use support::spawn_app_with;

const BREACHED: &str = "Kz8#mq2!Lp";

fn sha1_hex(text: &str) -> String {
    Sha1::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect()
}

/// Serves `/range/{prefix}` like api.pwnedpasswords.com, knowing one breached password.
async fn fake_range_api(seen: Arc<Mutex<Vec<(String, bool)>>>) -> String {
    let breached = sha1_hex(BREACHED);
    let app = Router::new().route(
        "/range/{prefix}",
        get(move |Path(prefix): Path<String>, headers: HeaderMap| {
            let seen = seen.clone();
            let breached = breached.clone();
            async move {
                seen.lock()
                    .unwrap()
                    .push((prefix.clone(), headers.contains_key("add-padding")));
                let mut body = String::from("0000000000000000000000000000000000A:0\r\n");
                if breached.starts_with(&prefix) {
                    body.push_str(&format!("{}:42\r\n", &breached[5..]));
                }
                body
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}")
}

fn signup(email: &str, password: &str) -> serde_json::Value {
    json!({"input": {"last_name": "山田", "first_name": "花子", "last_name_kana": "やまだ",
        "first_name_kana": "はなこ", "email": email, "password": password,
        "password_confirmation": password, "agree_terms": true, "agree_privacy": true}})
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn breached_passwords_are_refused_and_only_a_prefix_is_sent(pool: PgPool) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let url = fake_range_api(seen.clone()).await;
    let app = spawn_app_with(
        pool.clone(),
        Router::new(),
        &[("HIBP_API_URL", url.as_str())],
    )
    .await;
    app.wait_until_ready().await;
    let browser = app.browser().await;

    let r = browser
        .post("/api/auth/signup", signup("pwned@example.jp", BREACHED))
        .await;
    assert_eq!(r.status(), 422);
    let error: serde_json::Value = r.json().await.unwrap();
    assert_eq!(error["field_errors"][0]["field"], "password");
    assert!(
        error["field_errors"][0]["message_ja"]
            .as_str()
            .unwrap()
            .contains("流出")
    );

    let r = browser
        .post("/api/auth/signup", signup("fine@example.jp", "Nw7$Tq4!Zr"))
        .await;
    assert_eq!(r.status(), 200);

    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[0].0, sha1_hex(BREACHED)[..5]);
    assert!(
        seen.iter()
            .all(|(prefix, padded)| prefix.len() == 5 && *padded)
    );
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn an_unreachable_range_api_does_not_block_signup(pool: PgPool) {
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{closed}");
    let app = spawn_app_with(pool, Router::new(), &[("HIBP_API_URL", url.as_str())]).await;
    app.wait_until_ready().await;
    let browser = app.browser().await;
    let r = browser
        .post("/api/auth/signup", signup("open@example.jp", BREACHED))
        .await;
    assert_eq!(
        r.status(),
        200,
        "the rule fails open when the service cannot be reached"
    );
}
