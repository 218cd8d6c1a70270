//! A whole login round trip, as a browser makes it: `POST /api/auth/login` over HTTP against the
//! real application (release build) on a fresh PostgreSQL database — rate limit and lock checks,
//! the staff query, Argon2id verification on the blocking pool, session and refresh-token rows,
//! audit row, JWT and cookies.
//!
//! `cargo bench -p server --bench login` (needs PostgreSQL; `DATABASE_URL` names a database on the
//! server to use, default `postgres://postgres@127.0.0.1:5432/postgres`). Prints min / median /
//! p95 / max over `KK_BENCH_LOGINS` logins (default 40) and fails when the median exceeds
//! `KK_BENCH_LOGIN_BUDGET_MS` (default 300 ms).

use server::{config::Config, startup::Application};
use sqlx::{Connection, PgConnection};
use std::{
    collections::HashMap,
    time::{Duration, Instant},
};

const PASSWORD: &str = "Kz8#mq2!Lp";
const EMAIL: &str = "bench-owner@example.jp";

#[tokio::main]
async fn main() {
    let admin_url = std::env::var("DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let logins: usize = env_number("KK_BENCH_LOGINS", 40);
    let budget_ms: u128 = env_number("KK_BENCH_LOGIN_BUDGET_MS", 300);

    // A database of its own, dropped at the end.
    let db_name = format!("keikakun_bench_login_{}", std::process::id());
    let mut admin = PgConnection::connect(&admin_url)
        .await
        .expect("DATABASE_URL reachable");
    sqlx::query(sqlx::AssertSqlSafe(format!("create database {db_name}")))
        .execute(&mut admin)
        .await
        .unwrap();
    let mut url = url::Url::parse(&admin_url).unwrap();
    url.set_path(&db_name);

    let data_dir = std::env::temp_dir().join(&db_name);
    let env: HashMap<&str, String> = HashMap::from([
        ("KK_BIND", "127.0.0.1:0".to_owned()),
        ("DATABASE_URL", url.to_string()),
        ("APP_BASE_URL", "http://127.0.0.1:3999".to_owned()),
        ("KK_DATA_DIR", data_dir.to_string_lossy().into_owned()),
        ("KK_MAIL_WORKER", "off".to_owned()),
        // Each login comes "through a proxy" from its own address, so the 10-per-minute
        // per-IP login limit does not cut the run short.
        ("KK_TRUSTED_PROXY_HOPS", "1".to_owned()),
        ("RUST_LOG", "error".to_owned()),
    ]);
    let config = Config::from_lookup(|name| env.get(name).cloned()).expect("bench config");
    let app = Application::build(config).await.expect("app builds");
    let base = format!("http://{}", app.local_addr());
    let state = app.state().clone();
    tokio::spawn(app.run_until_stopped(std::future::pending()));
    while !state.readiness.is_ready() {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let hash = app::ssr::auth::passwords::hash(PASSWORD.to_owned())
        .await
        .unwrap();
    sqlx::query(
        "insert into staffs (role, email, last_name, first_name, last_name_kana, first_name_kana,
                             password_hash, email_verified_at)
         values ('owner', $1, '山田', '花子', 'やまだ', 'はなこ', $2, now())",
    )
    .bind(EMAIL)
    .bind(hash)
    .execute(&state.db)
    .await
    .unwrap();

    let mut samples = Vec::with_capacity(logins);
    for i in 0..logins + 3 {
        // A new browser each time: pre-session cookie and CSRF token, then the login.
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .build()
            .unwrap();
        let forwarded = format!("198.51.100.{}", i % 250 + 1);
        let session: serde_json::Value = client
            .get(format!("{base}/api/auth/session"))
            .header("x-forwarded-for", &forwarded)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let csrf = session["csrf_token"].as_str().unwrap().to_owned();
        let started = Instant::now();
        let response = client
            .post(format!("{base}/api/auth/login"))
            .header("origin", "http://127.0.0.1:3999")
            .header("x-csrf-token", csrf)
            .header("x-forwarded-for", &forwarded)
            .json(&serde_json::json!({"input": {"email": EMAIL, "password": PASSWORD}}))
            .send()
            .await
            .unwrap();
        let status = response.status();
        let body: serde_json::Value = response.json().await.unwrap();
        let elapsed = started.elapsed();
        assert_eq!(body["outcome"], "signed_in", "login {i}: {status} {body}");
        // The first few warm up connections and the blocking pool.
        if i >= 3 {
            samples.push(elapsed);
        }
    }

    state.db.close().await;
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "drop database {db_name} with (force)"
    )))
    .execute(&mut admin)
    .await
    .unwrap();
    let _ = std::fs::remove_dir_all(&data_dir);

    samples.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let median = samples[samples.len() / 2];
    let p95 = samples[(samples.len() * 95).div_ceil(100) - 1];
    println!(
        "login round trip over {} logins: min {:.1} ms, median {:.1} ms, p95 {:.1} ms, max {:.1} ms \
         (Argon2id m={} KiB t={} p={})",
        samples.len(),
        ms(samples[0]),
        ms(median),
        ms(p95),
        ms(*samples.last().unwrap()),
        app::ssr::auth::passwords::ARGON2_M_KIB,
        app::ssr::auth::passwords::ARGON2_T,
        app::ssr::auth::passwords::ARGON2_P,
    );
    if median.as_millis() > budget_ms {
        eprintln!("median login {median:?} is over the budget of {budget_ms} ms");
        std::process::exit(1);
    }
}

fn env_number<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}
