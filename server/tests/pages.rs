//! Pages, headers and error pages, through the real router.

mod support;

use axum::{Router, routing::get};
use sqlx::PgPool;
use support::{
    CSS_HASH, JS_HASH, WASM_HASH, assert_security_headers, csp_nonce, spawn_app, spawn_app_with,
};

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn landing_page_is_japanese_server_rendered_and_wired_to_its_bundle(pool: PgPool) {
    let app = spawn_app(pool).await;
    let response = app.get("/").await;
    assert_eq!(response.status(), 200);
    assert_security_headers(&response);
    assert_eq!(response.headers()["cache-control"], "no-store");
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let nonce = csp_nonce(&response);
    let html = response.text().await.unwrap();

    assert!(html.contains(r#"<html lang="ja""#), "{html}");
    assert!(html.contains("個別支援計画の期限を、もう見落とさない。"));
    // Rendered with the database answer, not a loading placeholder.
    assert!(html.contains("正常に稼働しています"));
    // The hydration script carries this response's nonce; bundle names are the hashed ones.
    assert!(
        html.contains(&format!(r#"nonce="{nonce}""#)),
        "nonce {nonce} not in page"
    );
    assert!(html.contains(&format!("/pkg/keikakun.{JS_HASH}.js")));
    assert!(html.contains(&format!("/pkg/keikakun.{WASM_HASH}.wasm")));
    assert!(html.contains(&format!("/pkg/keikakun.{CSS_HASH}.css")));
    assert!(html.contains(r#"<link rel="manifest" href="/manifest.webmanifest""#));
    // No inline styles: the CSP would block them.
    assert!(!html.contains(" style="));
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn every_response_gets_a_fresh_nonce(pool: PgPool) {
    let app = spawn_app(pool).await;
    let first = csp_nonce(&app.get("/").await);
    let second = csp_nonce(&app.get("/").await);
    assert_ne!(first, second);
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn unknown_pages_get_the_japanese_404_page(pool: PgPool) {
    let app = spawn_app(pool).await;
    for path in ["/no-such-page", "/pkg/missing.js", "/icons/", "/hash.txt"] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 404, "{path}");
        assert_security_headers(&response);
        assert_eq!(response.headers()["cache-control"], "no-store", "{path}");
        if path != "/pkg/missing.js" {
            let html = response.text().await.unwrap();
            assert!(
                html.contains("お探しのページが見つかりません"),
                "{path}: {html}"
            );
        }
    }
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn a_panic_becomes_the_japanese_error_page_without_details(pool: PgPool) {
    let extra = Router::new().route(
        "/boom",
        get(|| async {
            if true {
                panic!("secret detail: password=hunter2");
            }
            "unreachable"
        }),
    );
    let app = spawn_app_with(pool, extra, &[]).await;
    app.wait_until_ready().await;
    let response = app.get("/boom").await;
    assert_eq!(response.status(), 500);
    assert_security_headers(&response);
    let html = response.text().await.unwrap();
    assert!(html.contains("エラーが発生しました"));
    assert!(html.contains("お問い合わせ番号"));
    assert!(html.contains(&format!("/pkg/keikakun.{CSS_HASH}.css")));
    assert!(!html.contains("hunter2") && !html.contains("secret detail"));
    // The server keeps serving.
    assert_eq!(app.get("/healthz").await.status(), 200);
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn pages_are_compressed(pool: PgPool) {
    let app = spawn_app(pool).await;
    for encoding in ["br", "gzip"] {
        let response = app
            .client
            .get(app.url("/"))
            .header("accept-encoding", encoding)
            .send()
            .await
            .unwrap();
        assert_eq!(response.headers()["content-encoding"], encoding);
        assert_security_headers(&response);
    }
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn cross_origin_preflights_get_no_cors_headers(pool: PgPool) {
    let app = spawn_app(pool).await;
    let response = app
        .client
        .request(reqwest::Method::OPTIONS, app.url("/api/health/status"))
        .header("origin", "https://evil.example")
        .header("access-control-request-method", "GET")
        .send()
        .await
        .unwrap();
    assert!(!response.status().is_success(), "{}", response.status());
    assert!(
        response
            .headers()
            .get("access-control-allow-origin")
            .is_none()
    );
    assert_security_headers(&response);
}
