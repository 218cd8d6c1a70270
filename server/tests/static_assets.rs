//! Cache headers and pre-compressed files for the built browser assets.

mod support;

use sqlx::PgPool;
use support::{CSS_HASH, PRECOMPRESSED_CSS, assert_security_headers, spawn_app};

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn hashed_bundles_are_cached_for_a_year(pool: PgPool) {
    let app = spawn_app(pool).await;
    let response = app.get(&format!("/pkg/keikakun.{CSS_HASH}.css")).await;
    assert_eq!(response.status(), 200);
    assert_security_headers(&response);
    assert_eq!(
        response.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(response.headers()["content-type"], "text/css");
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn precompressed_files_are_served_when_accepted(pool: PgPool) {
    let app = spawn_app(pool).await;
    let response = app
        .client
        .get(app.url(&format!("/pkg/keikakun.{CSS_HASH}.css")))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["content-encoding"], "gzip");
    assert_eq!(response.bytes().await.unwrap().as_ref(), PRECOMPRESSED_CSS);
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn the_service_worker_is_always_revalidated(pool: PgPool) {
    let app = spawn_app(pool).await;
    let response = app.get("/sw.js").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "no-cache");
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .contains("javascript")
    );
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn public_files_are_cached_for_a_day(pool: PgPool) {
    let app = spawn_app(pool).await;
    for (path, content_type) in [
        ("/manifest.webmanifest", "application/manifest+json"),
        ("/icons/icon-192.png", "image/png"),
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 200, "{path}");
        assert_security_headers(&response);
        assert_eq!(response.headers()["cache-control"], "public, max-age=86400");
        assert_eq!(response.headers()["content-type"], content_type);
    }
}
