//! The job runner's external trigger (SPEC §15): `POST /internal/jobs/tick` with the configured
//! bearer token runs the due jobs, each run claimed once; without a configured token the path
//! does not exist.

mod support;

use axum::Router;
use serde_json::Value;
use sqlx::PgPool;
use support::{spawn_app, spawn_app_with};

const TOKEN: &str = "a-tick-token-of-at-least-32-characters";

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn the_tick_endpoint_runs_due_jobs_once_for_the_bearer_only(pool: PgPool) {
    let app = spawn_app_with(
        pool.clone(),
        Router::new(),
        &[("KK_JOBS_TICK_TOKEN", TOKEN)],
    )
    .await;
    app.wait_until_ready().await;
    let client = reqwest::Client::new();
    let tick = |auth: Option<&'static str>| {
        let mut request = client.post(app.url("/internal/jobs/tick"));
        if let Some(auth) = auth {
            request = request.header("authorization", auth);
        }
        request.send()
    };

    for auth in [
        None,
        Some("Bearer wrong"),
        Some("Basic a-tick-token-of-at-least-32-characters"),
    ] {
        let response = tick(auth).await.unwrap();
        assert_eq!(response.status(), 401, "{auth:?}");
    }
    let runs: i64 = sqlx::query_scalar("select count(*) from job_runs")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(runs, 0, "a refused tick runs nothing");

    // The first tick runs the due job; the second finds the run done. The queue drains (no run
    // to claim: their rows are claimed one by one) run on every tick.
    let drains = [
        serde_json::json!({"job": "storage_outbox", "outcome": "succeeded", "items": 0}),
        serde_json::json!({"job": "upload_intent_sweeper", "outcome": "succeeded", "items": 0}),
    ];
    for expected in [
        serde_json::json!([{"job": "approval_expiry", "outcome": "succeeded", "items": 0},
                           drains[0], drains[1]]),
        serde_json::json!([{"job": "approval_expiry", "outcome": "skipped"}, drains[0], drains[1]]),
    ] {
        let answer: Value = tick(Some("Bearer a-tick-token-of-at-least-32-characters"))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(answer["jobs"], expected);
    }
    let (status, items): (String, Option<i64>) =
        sqlx::query_as("select status::text, items from job_runs")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!((status.as_str(), items), ("succeeded", Some(0)));
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn without_a_token_there_is_no_tick_endpoint(pool: PgPool) {
    let app = spawn_app(pool).await;
    let response = reqwest::Client::new()
        .post(app.url("/internal/jobs/tick"))
        .header("authorization", format!("Bearer {TOKEN}"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
}
