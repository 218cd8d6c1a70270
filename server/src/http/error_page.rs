//! The Japanese error page for failures outside the app's own rendering (a panic in a handler).

use axum::response::{Html, IntoResponse, Response};
use http::StatusCode;
use std::any::Any;

/// Builds the page; `css_href` is the hashed stylesheet, so the page looks like the rest of the app.
#[derive(Clone, Debug)]
pub struct ErrorPage {
    css_href: String,
}

impl ErrorPage {
    pub fn new(css_href: String) -> Self {
        Self { css_href }
    }

    /// Logs the panic under a fresh correlation id (inside the request's span, so the request id is
    /// on the same line) and answers with a page that shows only that id.
    pub fn for_panic(&self, panic: Box<dyn Any + Send + 'static>) -> Response {
        let correlation_id = uuid::Uuid::new_v4().to_string();
        let detail = panic
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        tracing::error!(%correlation_id, panic = %detail, "request handler panicked");
        (
            StatusCode::INTERNAL_SERVER_ERROR,
            Html(self.render(&correlation_id)),
        )
            .into_response()
    }

    fn render(&self, correlation_id: &str) -> String {
        format!(
            r#"<!DOCTYPE html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>エラーが発生しました｜けいかくん</title>
<link rel="stylesheet" href="{css}">
</head>
<body>
<header class="site-header"><div class="site-header__inner"><a class="brand" href="/"><span class="brand__name">けいかくん</span></a></div></header>
<main id="main" class="site-main">
<section class="page-message">
<h1>エラーが発生しました</h1>
<p>申し訳ありません。時間をおいて再度お試しください。</p>
<p>解決しない場合は、お問い合わせ番号をお知らせください。</p>
<p class="page-message__id">お問い合わせ番号: <code>{id}</code></p>
<p><a class="button" href="/">トップページへ戻る</a></p>
</section>
</main>
</body>
</html>
"#,
            css = html_attr(&self.css_href),
            id = html_attr(correlation_id),
        )
    }
}

/// Escapes a value for an HTML attribute or text (it only ever holds our own file names and ids).
fn html_attr(value: &str) -> String {
    value
        .replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
