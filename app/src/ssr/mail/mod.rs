//! E-mail (SPEC §14): every message is rendered here from one HTML and one plain-text template
//! (variables auto-escaped in HTML) and queued in `email_outbox`; the server's worker sends it.

mod messages;

pub use messages::Message;

use super::ServerError;
use askama::Template;
use sqlx::PgExecutor;

/// A button with its link (the text part prints the URL).
#[derive(Clone, Debug)]
pub struct Action {
    pub label: &'static str,
    pub url: String,
}

/// The parts every message fills in.
#[derive(Clone, Debug)]
pub struct Content {
    /// After the 【けいかくん】 prefix.
    pub subject: String,
    pub heading: String,
    pub recipient_name: Option<String>,
    pub paragraphs: Vec<String>,
    pub action: Option<Action>,
    pub notes: Vec<String>,
}

#[derive(Template)]
#[template(path = "mail/layout.html")]
struct HtmlMail<'a> {
    subject: &'a str,
    heading: &'a str,
    recipient_name: &'a Option<String>,
    paragraphs: &'a [String],
    action: &'a Option<Action>,
    notes: &'a [String],
    app_url: &'a str,
}

#[derive(Template)]
#[template(path = "mail/layout.txt", escape = "none")]
struct TextMail<'a> {
    heading: &'a str,
    recipient_name: &'a Option<String>,
    paragraphs: &'a [String],
    action: &'a Option<Action>,
    notes: &'a [String],
    app_url: &'a str,
}

/// A rendered message.
#[derive(Clone, Debug)]
pub struct Rendered {
    pub template: &'static str,
    pub subject: String,
    pub html: String,
    pub text: String,
}

pub fn render(message: &Message, app_url: &str) -> Result<Rendered, ServerError> {
    let content = message.content();
    let subject = format!("【けいかくん】{}", content.subject);
    let html = HtmlMail {
        subject: &subject,
        heading: &content.heading,
        recipient_name: &content.recipient_name,
        paragraphs: &content.paragraphs,
        action: &content.action,
        notes: &content.notes,
        app_url,
    }
    .render()
    .map_err(|_| ServerError::Internal("mail HTML template failed"))?;
    let text = TextMail {
        heading: &content.heading,
        recipient_name: &content.recipient_name,
        paragraphs: &content.paragraphs,
        action: &content.action,
        notes: &content.notes,
        app_url,
    }
    .render()
    .map_err(|_| ServerError::Internal("mail text template failed"))?;
    Ok(Rendered {
        template: message.template(),
        subject,
        html,
        text: collapse_blank_lines(&text),
    })
}

fn collapse_blank_lines(text: &str) -> String {
    let mut out = String::new();
    let mut blank = 0;
    for line in text.lines() {
        if line.trim().is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out.trim_start().to_owned()
}

/// Renders and queues a message to `to` (inside the caller's transaction when given one).
pub async fn enqueue(
    db: impl PgExecutor<'_>,
    app_url: &str,
    to: &str,
    message: &Message,
) -> Result<(), ServerError> {
    let rendered = render(message, app_url)?;
    sqlx::query!(
        "insert into email_outbox (template, to_address, subject, html_body, text_body)
         values ($1, $2, $3, $4, $5)",
        rendered.template,
        to,
        rendered.subject,
        rendered.html,
        rendered.text,
    )
    .execute(db)
    .await?;
    Ok(())
}
