//! Test harness: the real application on a random port against a fresh database, with a small
//! site folder standing in for the built browser bundle.
#![allow(dead_code)] // each test binary uses a different part of it

pub mod people;
pub mod plan;
pub mod totp;

use app::ssr::AppState;
use axum::Router;
use server::{config::Config, startup::Application};
use sqlx::PgPool;
use std::{collections::HashMap, fs, net::SocketAddr, path::Path, time::Duration};
use tempfile::TempDir;

pub const CSS_HASH: &str = "c55abc";
/// `APP_BASE_URL` of test apps: the origin state-changing requests must name.
pub const TEST_ORIGIN: &str = "http://127.0.0.1:3999";
pub const JS_HASH: &str = "a1b2c3";
pub const WASM_HASH: &str = "d4e5f6";
pub const PRECOMPRESSED_CSS: &[u8] = b"pre-compressed stylesheet";

/// A running application and what tests need to talk to it.
pub struct TestApp {
    pub addr: SocketAddr,
    pub client: reqwest::Client,
    pub state: AppState,
    _site: TempDir,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request failed")
    }

    /// Waits until start-up work (database, migrations) is done.
    pub async fn wait_until_ready(&self) {
        for _ in 0..100 {
            if self.state.readiness.is_ready() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the app did not become ready");
    }
}

/// Starts the app with `pool` and waits until it is ready.
pub async fn spawn_app(pool: PgPool) -> TestApp {
    let app = spawn_app_with(pool, Router::new(), &[]).await;
    app.wait_until_ready().await;
    app
}

/// Starts the app with extra routes and configuration variables; does not wait for readiness.
pub async fn spawn_app_with(
    pool: PgPool,
    extra: Router<AppState>,
    vars: &[(&str, &str)],
) -> TestApp {
    let site = site_fixture();
    let mut env: HashMap<String, String> = HashMap::from([
        ("KK_BIND".into(), "127.0.0.1:0".into()),
        (
            "KK_SITE_ROOT".into(),
            site.path().join("site").to_string_lossy().into_owned(),
        ),
        ("DATABASE_STARTUP_TIMEOUT_SECS".into(), "10".into()),
        ("APP_BASE_URL".into(), TEST_ORIGIN.into()),
        (
            "KK_DATA_DIR".into(),
            site.path().join("data").to_string_lossy().into_owned(),
        ),
        // Most tests read queued mail from the outbox; delivery tests switch the worker on.
        ("KK_MAIL_WORKER".into(), "off".into()),
        // Job tests run the jobs themselves (`server::jobs::run_due`) at a time they choose.
        ("KK_JOB_RUNNER".into(), "off".into()),
    ]);
    env.extend(vars.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    let config = Config::from_lookup(|name| env.get(name).cloned()).expect("test config");
    let app = Application::build_with(config, pool, extra)
        .await
        .expect("app builds");
    let addr = app.local_addr();
    let state = app.state().clone();
    tokio::spawn(app.run_until_stopped(std::future::pending()));
    TestApp {
        addr,
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
        state,
        _site: site,
    }
}

/// A browser-like client: a cookie jar, our `Origin` and the CSRF token of its session.
pub struct Browser {
    pub client: reqwest::Client,
    base: String,
    pub csrf: String,
}

impl TestApp {
    /// A new browser that has loaded the session endpoint (pre-session cookie, CSRF token).
    pub async fn browser(&self) -> Browser {
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let mut browser = Browser {
            client,
            base: self.url(""),
            csrf: String::new(),
        };
        browser.refresh_csrf().await;
        browser
    }

    /// The newest queued mail to `to`: (template, subject, text body).
    pub async fn last_mail(&self, to: &str) -> Option<(String, String, String)> {
        sqlx::query_as::<_, (String, String, String)>(
            "select template, subject, coalesce(text_body, '') from email_outbox
             where to_address = $1 order by created_at desc limit 1",
        )
        .bind(to)
        .fetch_optional(&self.state.db)
        .await
        .unwrap()
    }

    /// The token of the newest link `path#token=…` mailed to `to`.
    pub async fn mailed_token(&self, to: &str, path: &str) -> String {
        let (_, _, text) = self.last_mail(to).await.expect("a mail was queued");
        let marker = format!("{path}#token=");
        let start = text
            .find(&marker)
            .unwrap_or_else(|| panic!("no {path} link in: {text}"))
            + marker.len();
        text[start..]
            .split(|c: char| c.is_whitespace())
            .next()
            .unwrap()
            .to_owned()
    }
}

impl Browser {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Reloads the CSRF token (after login it is bound to the session).
    pub async fn refresh_csrf(&mut self) {
        let state: serde_json::Value = self
            .client
            .get(self.url("/api/auth/session"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        self.csrf = state["csrf_token"].as_str().unwrap().to_owned();
    }

    pub async fn session(&self) -> serde_json::Value {
        self.client
            .get(self.url("/api/auth/session"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    /// A state-changing call as the app's own pages make it.
    pub async fn post(&self, path: &str, body: serde_json::Value) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .header("origin", TEST_ORIGIN)
            .header("x-csrf-token", &self.csrf)
            .json(&body)
            .send()
            .await
            .unwrap()
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.unwrap()
    }
}

/// A site folder shaped like `scripts/build`'s output.
pub fn site_fixture() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let pkg = site.join("pkg");
    fs::create_dir_all(pkg.join("nested")).unwrap();
    fs::create_dir_all(site.join("icons")).unwrap();
    let css = "body { color: black; }\n".repeat(100);
    write(
        &pkg.join(format!("keikakun.{CSS_HASH}.css")),
        css.as_bytes(),
    );
    // ServeDir sends the pre-compressed file as is; its content only has to be recognisable.
    write(
        &pkg.join(format!("keikakun.{CSS_HASH}.css.gz")),
        PRECOMPRESSED_CSS,
    );
    write(
        &pkg.join(format!("keikakun.{JS_HASH}.js")),
        b"export default function init() {}\n",
    );
    write(
        &pkg.join(format!("keikakun.{WASM_HASH}.wasm")),
        b"\0asm\x01\0\0\0",
    );
    write(
        &site.join("sw.js"),
        b"self.addEventListener('fetch', () => {});\n",
    );
    write(&site.join("manifest.webmanifest"), br#"{"name":"test"}"#);
    write(&site.join("icons/icon-192.png"), b"\x89PNG\r\n\x1a\n");
    write(
        &dir.path().join("hash.txt"),
        format!("js: {JS_HASH}\nwasm: {WASM_HASH}\ncss: {CSS_HASH}\n").as_bytes(),
    );
    dir
}

fn write(path: &Path, bytes: &[u8]) {
    fs::write(path, bytes).unwrap();
}

/// The security headers of SPEC §16.3 that every response must carry.
pub fn assert_security_headers(response: &reqwest::Response) {
    let headers = response.headers();
    let get = |name: &str| {
        headers
            .get(name)
            .unwrap_or_else(|| panic!("{name} missing on {}", response.url()))
            .to_str()
            .unwrap()
            .to_owned()
    };
    let csp = get("content-security-policy");
    for directive in [
        "default-src 'self'",
        "'wasm-unsafe-eval'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self' https://checkout.stripe.com https://billing.stripe.com",
    ] {
        assert!(csp.contains(directive), "CSP lacks {directive}: {csp}");
    }
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert_eq!(
        get("strict-transport-security"),
        "max-age=63072000; includeSubDomains"
    );
    assert_eq!(get("x-content-type-options"), "nosniff");
    assert_eq!(get("x-frame-options"), "DENY");
    assert_eq!(get("referrer-policy"), "strict-origin-when-cross-origin");
    assert_eq!(
        get("permissions-policy"),
        "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
    );
    assert_eq!(get("cross-origin-opener-policy"), "same-origin");
    assert_eq!(get("cross-origin-resource-policy"), "same-origin");
    assert!(headers.get("access-control-allow-origin").is_none());
    assert!(headers.get("x-request-id").is_some());
}

/// The nonce of a response's CSP.
pub fn csp_nonce(response: &reqwest::Response) -> String {
    let csp = response.headers()["content-security-policy"]
        .to_str()
        .unwrap();
    let start = csp.find("'nonce-").expect("nonce in CSP") + "'nonce-".len();
    csp[start..].split('\'').next().unwrap().to_owned()
}

/// The URL of the test's own database (same server as `DATABASE_URL`).
pub async fn database_url(pool: &PgPool) -> String {
    let name: String = sqlx::query_scalar("select current_database()")
        .fetch_one(pool)
        .await
        .unwrap();
    let mut url = url::Url::parse(&std::env::var("DATABASE_URL").unwrap()).unwrap();
    url.set_path(&name);
    url.to_string()
}

/// Runs the real `keikakun` binary against the test's database with `stdin` (secrets, one per
/// line); (exit code, stdout, stderr).
pub async fn keikakun(pool: &PgPool, args: &[&str], stdin: &str) -> (i32, String, String) {
    let data = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_keikakun"))
        .args(args)
        .env("DATABASE_URL", database_url(pool).await)
        .env("KK_DATA_DIR", data.path())
        .env("RUST_LOG", "warn")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), stdin.as_bytes()).unwrap();
    let out = tokio::task::spawn_blocking(move || child.wait_with_output().unwrap())
        .await
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
