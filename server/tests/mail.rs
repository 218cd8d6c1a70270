//! The e-mail outbox worker against real SMTP peers: MailDev when the test run provides one
//! (`KK_TEST_MAILDEV`, started by scripts/test), and a port nobody listens on for the retry path.

use server::{config::Config, mail_outbox};
use sqlx::PgPool;
use std::collections::HashMap;

fn mailer(smtp_url: &str) -> mail_outbox::Mailer {
    let env = HashMap::from([("SMTP_URL", smtp_url.to_owned())]);
    let config = Config::from_lookup(|name| env.get(name).cloned()).unwrap();
    mail_outbox::Mailer::from_config(&config).unwrap()
}

async fn queue(pool: &PgPool, to: &str) -> uuid::Uuid {
    sqlx::query_scalar(
        "insert into email_outbox (template, to_address, subject, html_body, text_body)
         values ('verify_email', $1, '【けいかくん】テスト', '<p>本文</p>', '本文 https://k.example/verify-email#token=abc')
         returning id",
    )
    .bind(to)
    .fetch_one(pool)
    .await
    .unwrap()
}

/// A local port with nothing listening on it.
fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn failures_retry_with_backoff_and_end_failed(pool: PgPool) {
    let id = queue(&pool, "retry@example.jp").await;
    let mailer = mailer(&format!("smtp://127.0.0.1:{}", closed_port()));
    assert_eq!(mail_outbox::drain_once(&pool, &mailer).await.unwrap(), 1);
    let (status, attempts, delay): (String, i32, f64) = sqlx::query_as(
        "select status::text, attempts, extract(epoch from next_attempt_at - now())::float8 from email_outbox where id = $1",
    )
    .bind(id)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!((status.as_str(), attempts), ("queued", 1));
    assert!(
        (50.0..=60.0).contains(&delay),
        "first retry after a minute, got {delay}"
    );
    // Not due yet: nothing is claimed.
    assert_eq!(mail_outbox::drain_once(&pool, &mailer).await.unwrap(), 0);

    for _ in 1..mail_outbox::MAX_ATTEMPTS {
        sqlx::query("update email_outbox set next_attempt_at = now() where id = $1")
            .bind(id)
            .execute(&pool)
            .await
            .unwrap();
        mail_outbox::drain_once(&pool, &mailer).await.unwrap();
    }
    let (status, attempts, error, body): (String, i32, String, Option<String>) = sqlx::query_as(
        "select status::text, attempts, last_error, text_body from email_outbox where id = $1",
    )
    .bind(id)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        (status.as_str(), attempts),
        ("failed", 5),
        "visible failed state"
    );
    assert_eq!(error, "SMTP delivery failed");
    assert!(body.is_some(), "kept for the operator to resend");
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn mail_reaches_a_real_smtp_server_once(pool: PgPool) {
    let Ok(web) = std::env::var("KK_TEST_MAILDEV") else {
        eprintln!(
            "KK_TEST_MAILDEV unset (scripts/test sets it); delivery is covered by the e2e run"
        );
        return;
    };
    let smtp = std::env::var("KK_TEST_SMTP_URL").expect("KK_TEST_SMTP_URL with KK_TEST_MAILDEV");
    let to = format!("delivery-{}@example.jp", uuid::Uuid::new_v4());
    let id = queue(&pool, &to).await;
    let mailer = mailer(&smtp);
    // Two workers at once: the row is sent by exactly one (FOR UPDATE SKIP LOCKED).
    let (a, b) = tokio::join!(
        mail_outbox::drain_once(&pool, &mailer),
        mail_outbox::drain_once(&pool, &mailer)
    );
    assert_eq!(a.unwrap() + b.unwrap(), 1);
    let (status, body): (String, Option<String>) =
        sqlx::query_as("select status::text, text_body from email_outbox where id = $1")
            .bind(id)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(status, "sent");
    assert!(
        body.is_none(),
        "bodies (with their links) are cleared once sent"
    );

    let mails: serde_json::Value = reqwest::get(format!("{web}/email"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let ours: Vec<&serde_json::Value> = mails
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["to"][0]["address"] == to)
        .collect();
    assert_eq!(ours.len(), 1);
    assert_eq!(ours[0]["subject"], "【けいかくん】テスト");
    assert!(
        ours[0]["text"]
            .as_str()
            .unwrap()
            .contains("verify-email#token=abc")
    );
    assert!(ours[0]["html"].as_str().unwrap().contains("<p>本文</p>"));
    let message_id = ours[0]["messageId"].as_str().unwrap_or_default();
    assert!(
        message_id.contains(&id.to_string()),
        "Message-ID from the row id: {message_id}"
    );
}
