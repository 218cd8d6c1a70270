//! `GET /files/{token}`: documents on the local disk, opened through the links the app signed
//! after its office check (the local counterpart of an S3 presigned URL, SPEC §7.2). The token is
//! the credential — no session, no cookies; a tampered or expired one is refused with 403, as S3
//! does. The plan page shows the PDF in a frame, so this response may be framed by the app's own
//! pages (`SameOriginFrame`), and only by them.

use crate::storage::local::LocalStorage;
use app::ssr::storage::{Disposition, content_disposition};
use axum::{
    Extension, Json, Router,
    extract::{Path, Request},
    response::{IntoResponse, Response},
    routing::get,
};
use http::{HeaderValue, StatusCode, header};
use shared::{AppError, ErrorCode};
use std::sync::Arc;
use tower::ServiceExt;
use tower_http::services::ServeFile;

/// Marks a response that the app's own pages may show in a frame (see `security_headers`).
#[derive(Clone, Copy, Debug)]
pub struct SameOriginFrame;

pub fn routes(local: Option<Arc<LocalStorage>>) -> Router<app::ssr::AppState> {
    match local {
        None => Router::new(),
        Some(local) => Router::new()
            .route("/files/{token}", get(serve))
            .layer(Extension(local)),
    }
}

fn refused() -> Response {
    let error = AppError::with_message(
        ErrorCode::Forbidden,
        "このリンクは有効期限が切れているか、正しくありません。画面から開き直してください",
    );
    (StatusCode::FORBIDDEN, Json(error)).into_response()
}

async fn serve(
    Extension(local): Extension<Arc<LocalStorage>>,
    Path(token): Path<String>,
    request: Request,
) -> Response {
    let Some(claims) = local.verify_now(&token) else {
        return refused();
    };
    let Some(path) = local.path_of(&claims.key) else {
        return refused();
    };
    let Ok(file) = ServeFile::new(path).oneshot(request).await;
    if file.status() == StatusCode::NOT_FOUND {
        return (StatusCode::NOT_FOUND, Json(AppError::not_found())).into_response();
    }
    let mut response = file.map(axum::body::Body::new).into_response();
    let disposition = if claims.attachment {
        Disposition::Attachment
    } else {
        Disposition::Inline
    };
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/pdf"),
    );
    if let Ok(value) = HeaderValue::from_str(&content_disposition(disposition, &claims.file_name)) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    response.extensions_mut().insert(SameOriginFrame);
    response
}
