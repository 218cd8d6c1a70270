//! The e-mail outbox worker (SPEC §15): sends queued mail over SMTP with lettre.
//!
//! Rows are claimed with `FOR UPDATE SKIP LOCKED`, so several instances never send the same row;
//! a row stuck in `sending` (instance died) is taken over after 5 minutes. Attempts at +0, 1 min,
//! 5 min, 30 min and 2 h, then `failed` with an operator alert in the log. Bodies are cleared once
//! sent. The SMTP `Message-ID` derives from the row id.

use crate::config::{Config, ConfigError};
use lettre::{
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
    message::{Mailbox, MultiPart},
};
use sqlx::{PgPool, postgres::PgListener};
use std::time::Duration;
use uuid::Uuid;

const BATCH: i64 = 5;
const SEND_TIMEOUT: Duration = Duration::from_secs(30);
const POLL: Duration = Duration::from_secs(15);
/// Delay before attempt n+1 after n failed attempts (n = 1..=4); the 5th failure is final.
const RETRY_DELAYS_S: [i64; 4] = [60, 300, 1800, 7200];
pub const MAX_ATTEMPTS: i32 = 5;

#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    reply_to: Mailbox,
    message_id_domain: String,
}

impl Mailer {
    pub fn from_config(config: &Config) -> Result<Self, ConfigError> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(config.smtp_url())
            .map_err(|_| ConfigError {
                var: "SMTP_URL",
                expected: "an smtp:// or smtps:// URL lettre understands",
            })?
            .timeout(Some(SEND_TIMEOUT))
            .build();
        let from = config.mail_from.parse().map_err(|_| ConfigError {
            var: "MAIL_FROM",
            expected: "a mailbox such as けいかくん <no-reply@example.jp>",
        })?;
        let reply_to = config.mail_reply_to.parse().map_err(|_| ConfigError {
            var: "MAIL_REPLY_TO",
            expected: "a mailbox such as support@example.jp",
        })?;
        Ok(Self {
            transport,
            from,
            reply_to,
            message_id_domain: config
                .base_url
                .host_str()
                .unwrap_or("keikakun.localhost")
                .to_owned(),
        })
    }
}

struct Claimed {
    id: Uuid,
    to_address: String,
    subject: String,
    html_body: Option<String>,
    text_body: Option<String>,
    attempts: i32,
}

/// Sends what is due now; returns how many rows were handled.
pub async fn drain_once(db: &PgPool, mailer: &Mailer) -> Result<usize, sqlx::Error> {
    let rows = sqlx::query_as!(
        Claimed,
        r#"update email_outbox set status = 'sending', claimed_at = now(), attempts = attempts + 1
           where id in (
               select id from email_outbox
               where (status = 'queued' and next_attempt_at <= now())
                  or (status = 'sending' and claimed_at < now() - interval '5 minutes')
               order by next_attempt_at
               limit $1
               for update skip locked
           )
           returning id, to_address::text as "to_address!", subject, html_body, text_body, attempts"#,
        BATCH,
    )
    .fetch_all(db)
    .await?;
    let count = rows.len();
    let sends = rows.into_iter().map(|row| async move {
        let result = send(mailer, &row).await;
        record(db, &row, result).await
    });
    for result in futures::future::join_all(sends).await {
        result?;
    }
    Ok(count)
}

async fn send(mailer: &Mailer, row: &Claimed) -> Result<(), &'static str> {
    let to: Mailbox = row
        .to_address
        .parse()
        .map_err(|_| "invalid recipient address")?;
    let message = Message::builder()
        .from(mailer.from.clone())
        .reply_to(mailer.reply_to.clone())
        .to(to)
        .subject(row.subject.clone())
        .message_id(Some(format!("<{}@{}>", row.id, mailer.message_id_domain)))
        .multipart(MultiPart::alternative_plain_html(
            row.text_body.clone().unwrap_or_default(),
            row.html_body.clone().unwrap_or_default(),
        ))
        .map_err(|_| "message could not be built")?;
    match tokio::time::timeout(SEND_TIMEOUT, mailer.transport.send(message)).await {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(error)) if error.is_permanent() => Err("SMTP server refused the message"),
        Ok(Err(_)) => Err("SMTP delivery failed"),
        Err(_) => Err("SMTP timed out"),
    }
}

async fn record(
    db: &PgPool,
    row: &Claimed,
    result: Result<(), &'static str>,
) -> Result<(), sqlx::Error> {
    match result {
        Ok(()) => {
            sqlx::query!(
                "update email_outbox set status = 'sent', sent_at = now(), html_body = null,
                     text_body = null, last_error = null
                 where id = $1",
                row.id
            )
            .execute(db)
            .await?;
            tracing::info!(mail_id = %row.id, "mail sent");
        }
        Err(reason) if row.attempts >= MAX_ATTEMPTS => {
            sqlx::query!(
                "update email_outbox set status = 'failed', last_error = $2 where id = $1",
                row.id,
                reason,
            )
            .execute(db)
            .await?;
            tracing::error!(mail_id = %row.id, reason, attempts = row.attempts, alert = true, "mail failed for good");
        }
        Err(reason) => {
            let delay = RETRY_DELAYS_S[usize::try_from(row.attempts - 1).unwrap_or(0).min(3)];
            sqlx::query!(
                "update email_outbox set status = 'queued', last_error = $2,
                     next_attempt_at = now() + make_interval(secs => $3)
                 where id = $1",
                row.id,
                reason,
                delay as f64,
            )
            .execute(db)
            .await?;
            tracing::warn!(mail_id = %row.id, reason, attempts = row.attempts, retry_in_s = delay, "mail not sent; will retry");
        }
    }
    Ok(())
}

/// Runs until the task is dropped: drains on every `NOTIFY email_outbox` and every 15 s.
pub async fn run(db: PgPool, mailer: Mailer) {
    let mut listener = None;
    loop {
        if listener.is_none() {
            listener = match PgListener::connect_with(&db).await {
                Ok(mut l) => match l.listen("email_outbox").await {
                    Ok(()) => Some(l),
                    Err(_) => None,
                },
                Err(_) => None,
            };
        }
        loop {
            match drain_once(&db, &mailer).await {
                Ok(n) if n as i64 == BATCH => continue,
                Ok(_) => break,
                Err(error) => {
                    tracing::warn!(error = %error, "mail outbox unavailable");
                    break;
                }
            }
        }
        match listener.as_mut() {
            Some(l) => {
                if let Ok(Err(_)) = tokio::time::timeout(POLL, l.recv()).await {
                    listener = None;
                }
            }
            None => tokio::time::sleep(POLL).await,
        }
    }
}
