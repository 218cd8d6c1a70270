//! The binary as an operator meets it: bad configuration, a taken port, an unreachable database,
//! readiness and graceful shutdown.

use std::{
    io::{BufRead, BufReader, Read, Write},
    net::{TcpListener, TcpStream},
    process::{Child, Command, ExitStatus, Stdio},
    time::{Duration, Instant},
};

const BINARY: &str = env!("CARGO_BIN_EXE_keikakun");

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn command(port: u16, database_url: &str) -> Command {
    let mut command = Command::new(BINARY);
    command
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("KK_BIND", format!("127.0.0.1:{port}"))
        .env("APP_BASE_URL", format!("http://127.0.0.1:{port}"))
        .env("DATABASE_URL", database_url)
        .env(
            "KK_SITE_ROOT",
            std::env::temp_dir().join("keikakun-no-site"),
        )
        // Development keys are generated here, never inside the source tree.
        .env(
            "KK_DATA_DIR",
            std::env::temp_dir().join("keikakun-startup-test-data"),
        )
        // No SMTP server in these tests: leave queued mail alone.
        .env("KK_MAIL_WORKER", "off")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

fn wait_for_exit(child: &mut Child, limit: Duration) -> ExitStatus {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if Instant::now() > deadline {
            child.kill().unwrap();
            panic!("the server did not exit within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn stderr_of(child: &mut Child) -> String {
    let mut text = String::new();
    for line in BufReader::new(child.stderr.take().unwrap()).lines() {
        text.push_str(&line.unwrap());
        text.push('\n');
    }
    text
}

/// The status of a plain HTTP/1.1 GET (blocking; these tests drive a separate process).
fn get_status(port: u16, path: &str) -> Option<u16> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    response.split_whitespace().nth(1)?.parse().ok()
}

fn wait_for_status(port: u16, path: &str, expected: u16, limit: Duration) {
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        if get_status(port, path) == Some(expected) {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("{path} never answered {expected}");
}

fn database_url() -> String {
    std::env::var("DATABASE_URL").expect("DATABASE_URL is set by scripts/test")
}

#[test]
fn bad_configuration_exits_2_naming_the_variable() {
    let mut child = command(free_port(), &database_url())
        .env("KK_BIND", "not-an-address")
        .spawn()
        .unwrap();
    let status = wait_for_exit(&mut child, Duration::from_secs(10));
    assert_eq!(status.code(), Some(2));
    let stderr = stderr_of(&mut child);
    assert_eq!(
        stderr.trim(),
        "keikakun: configuration error: KK_BIND is invalid: expected host:port, e.g. 127.0.0.1:3000"
    );
}

#[test]
fn a_taken_port_is_reported_plainly() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let mut child = command(port, &database_url()).spawn().unwrap();
    let status = wait_for_exit(&mut child, Duration::from_secs(10));
    assert_eq!(status.code(), Some(1));
    let stderr = stderr_of(&mut child);
    assert!(
        stderr.contains(&format!(
            "cannot listen on 127.0.0.1:{port}: the port is already in use"
        )),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn an_unreachable_database_keeps_readyz_at_503_then_exits() {
    let port = free_port();
    let closed = free_port();
    let mut child = command(
        port,
        &format!("postgres://keikakun@127.0.0.1:{closed}/keikakun"),
    )
    .env("DATABASE_STARTUP_TIMEOUT_SECS", "3")
    .spawn()
    .unwrap();
    wait_for_status(port, "/healthz", 200, Duration::from_secs(10));
    assert_eq!(get_status(port, "/readyz"), Some(503));
    let status = wait_for_exit(&mut child, Duration::from_secs(15));
    assert_eq!(status.code(), Some(1));
    let stderr = stderr_of(&mut child);
    assert!(
        stderr.contains("the database did not answer within 3 s"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn becomes_ready_then_stops_cleanly_on_sigterm_with_json_logs() {
    let port = free_port();
    let mut child = command(port, &database_url())
        .env("LOG_FORMAT", "json")
        .spawn()
        .unwrap();
    wait_for_status(port, "/readyz", 200, Duration::from_secs(30));

    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = wait_for_exit(&mut child, Duration::from_secs(15));
    assert_eq!(status.code(), Some(0));

    let stdout = std::io::read_to_string(child.stdout.take().unwrap()).unwrap();
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|_| panic!("not JSON: {line}")))
        .collect();
    let messages: Vec<&str> = lines.iter().filter_map(|l| l["message"].as_str()).collect();
    assert!(messages.contains(&"listening"), "{messages:?}");
    assert!(
        messages.contains(&"SIGTERM received, shutting down"),
        "{messages:?}"
    );
    assert!(messages.contains(&"stopped"), "{messages:?}");
}
