//! Server functions: stable URLs, typed errors with the right HTTP status, and internal causes that
//! are logged with a correlation id but never sent.

mod support;

use shared::{AppError, ErrorCode, FieldError};
use sqlx::PgPool;
use std::{
    io::Write,
    sync::{Arc, Mutex, OnceLock},
};
use support::{TestApp, assert_security_headers, spawn_app};

/// A server function that fails in the way it is asked to; it exists only in this test binary.
#[leptos::server(prefix = "/api", endpoint = "test/fail")]
async fn fail_on_purpose(kind: String) -> Result<u32, AppError> {
    use app::ssr::ServerError;
    match kind.as_str() {
        "ok" => Ok(7),
        "validation" => Err(AppError::validation(vec![FieldError::new(
            "name",
            "氏名を入力してください",
        )]))?,
        "rate" => Err(AppError::rate_limited(30))?,
        "database" => Err(ServerError::Database(sqlx::Error::PoolTimedOut))?,
        _ => Err(AppError::not_found())?,
    }
}

/// Captures everything logged by this test binary.
fn captured_logs() -> Arc<Mutex<Vec<u8>>> {
    static LOGS: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    LOGS.get_or_init(|| {
        let logs = Arc::new(Mutex::new(Vec::new()));
        let writer = logs.clone();
        tracing_subscriber::fmt()
            .json()
            .with_writer(move || LogWriter(writer.clone()))
            .init();
        logs
    })
    .clone()
}

struct LogWriter(Arc<Mutex<Vec<u8>>>);

impl Write for LogWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

async fn call(app: &TestApp, kind: &str) -> reqwest::Response {
    let browser = app.browser().await;
    browser
        .client
        .post(app.url("/api/test/fail"))
        .header("origin", support::TEST_ORIGIN)
        .header("x-csrf-token", &browser.csrf)
        .form(&[("kind", kind)])
        .send()
        .await
        .unwrap()
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn service_status_reads_the_database_clock(pool: PgPool) {
    let app = spawn_app(pool).await;
    let response = app.get("/api/health/status").await;
    assert_eq!(response.status(), 200);
    assert_security_headers(&response);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let body: serde_json::Value = response.json().await.unwrap();
    let time = time::OffsetDateTime::parse(
        body["database_time"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    let skew = (time::OffsetDateTime::now_utc() - time).abs();
    assert!(skew < time::Duration::minutes(1), "{skew}");
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn success_and_client_errors_keep_their_status_and_shape(pool: PgPool) {
    let app = spawn_app(pool).await;

    let ok = call(&app, "ok").await;
    assert_eq!(ok.status(), 200);
    assert_eq!(ok.json::<u32>().await.unwrap(), 7);

    let validation = call(&app, "validation").await;
    assert_eq!(validation.status(), 422);
    let error: AppError = validation.json().await.unwrap();
    assert_eq!(error.code, ErrorCode::ValidationFailed);
    assert_eq!(error.field_message("name"), Some("氏名を入力してください"));

    let rate = call(&app, "rate").await;
    assert_eq!(rate.status(), 429);
    assert_eq!(rate.headers()["retry-after"], "30");
    let error: AppError = rate.json().await.unwrap();
    assert_eq!(error.retry_after_s, Some(30));

    let not_found = call(&app, "other").await;
    assert_eq!(not_found.status(), 404);
    assert_security_headers(&not_found);
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn internal_errors_are_logged_with_a_correlation_id_and_never_sent(pool: PgPool) {
    let logs = captured_logs();
    let app = spawn_app(pool).await;

    let response = call(&app, "database").await;
    assert_eq!(response.status(), 500);
    let request_id = response.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_owned();
    let body = response.text().await.unwrap();
    let error: AppError = serde_json::from_str(&body).unwrap();
    assert_eq!(error.code, ErrorCode::Internal);
    assert_eq!(error.message_ja, ErrorCode::Internal.default_message());
    // The id the user sees is the request id the log carries.
    assert_eq!(error.correlation_id.as_deref(), Some(request_id.as_str()));
    assert!(!body.to_lowercase().contains("pool"), "{body}");

    let logs = String::from_utf8(logs.lock().unwrap().clone()).unwrap();
    let line = logs
        .lines()
        .find(|line| line.contains("server function failed") && line.contains(&request_id))
        .unwrap_or_else(|| panic!("no log line for {request_id} in {logs}"));
    assert!(line.contains("PoolTimedOut"), "{line}");
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn unreadable_arguments_are_a_typed_validation_error(pool: PgPool) {
    let app = spawn_app(pool).await;
    let browser = app.browser().await;
    let response = browser
        .client
        .post(app.url("/api/test/fail"))
        .header("origin", support::TEST_ORIGIN)
        .header("x-csrf-token", &browser.csrf)
        .form(&[("unexpected", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    let error: AppError = response.json().await.unwrap();
    assert_eq!(error.code, ErrorCode::ValidationFailed);
    assert_eq!(error.message_ja, shared::error::UNREADABLE_REQUEST_MESSAGE);
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn unknown_api_urls_are_a_typed_not_found(pool: PgPool) {
    let app = spawn_app(pool).await;
    for path in ["/api/nope", "/api/health/nope", "/api/"] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 404, "{path}");
        assert_security_headers(&response);
        let error: AppError = response.json().await.unwrap();
        assert_eq!(error, AppError::not_found(), "{path}");
    }
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn a_client_cannot_choose_the_correlation_id(pool: PgPool) {
    let app = spawn_app(pool).await;
    let browser = app.browser().await;
    let response = browser
        .client
        .post(app.url("/api/test/fail"))
        .header("origin", support::TEST_ORIGIN)
        .header("x-csrf-token", &browser.csrf)
        .header("x-request-id", "attacker-chosen")
        .form(&[("kind", "database")])
        .send()
        .await
        .unwrap();
    let request_id = response.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_owned();
    assert_ne!(request_id, "attacker-chosen");
    let error: AppError = response.json().await.unwrap();
    assert_eq!(error.correlation_id, Some(request_id));
}
