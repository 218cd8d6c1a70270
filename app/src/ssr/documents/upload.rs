//! `POST /api/documents/upload` (SPEC §7.2, §7.9): a `multipart/form-data` body with the part
//! `meta` (JSON [`UploadMeta`]) and then the part `file`. It is a plain axum route rather than a
//! server function because the body must stream: the PDF is counted, checked and hashed into a
//! temporary file as it arrives, never held in memory, and reading stops at the limit + 1 byte.
//!
//! Phases: (1) role, MFA, the database checks, then the body to a temp file with [`PdfCheck`];
//! (2) the intent, committed; (3) the PutObject — on failure the intent goes and the user sees a
//! retryable `INTERNAL`; (4) one transaction: version row, step completion, intent gone;
//! (5) if 4 fails, the object is deleted (or left to the intent sweeper).

use super::versions::{self, StoredFile, UploadRequest};
use crate::ssr::{
    AppState, ServerError,
    auth::{self, ClientInfo},
};
use axum::{
    Json,
    extract::{Request, State},
    response::{IntoResponse, Response},
};
use http::{StatusCode, header};
use sha2::{Digest, Sha256};
use shared::error::UNREADABLE_REQUEST_MESSAGE;
use shared::{
    AppError, ErrorCode, Role,
    document::{MAX_PDF_BYTES, PdfCheck, UploadMeta, UploadOutcome, display_file_name},
};
use tokio::io::AsyncWriteExt;

pub const UPLOAD_PATH: &str = "/api/documents/upload";
/// The whole request body of an upload: the PDF limit and room for the framing and `meta`.
pub const UPLOAD_BODY_LIMIT: usize = MAX_PDF_BYTES as usize + 64 * 1024;
const META_LIMIT: u64 = 16 * 1024;

fn unreadable() -> ServerError {
    AppError::with_message(ErrorCode::ValidationFailed, UNREADABLE_REQUEST_MESSAGE).into()
}

pub async fn handler(State(app): State<AppState>, request: Request) -> Response {
    match upload(&app, request).await {
        Ok(outcome) => Json(outcome).into_response(),
        Err(error) => {
            let error = AppError::from(error);
            let status = StatusCode::from_u16(error.code.http_status())
                .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            (status, [(header::CACHE_CONTROL, "no-store")], Json(error)).into_response()
        }
    }
}

async fn upload(app: &AppState, request: Request) -> Result<UploadOutcome, ServerError> {
    let (parts, body) = request.into_parts();
    // §7.2's order: role, MFA, (billing), type, size, magic bytes, storage.
    let ctx = auth::require_office_in(&parts, Role::Employee)?;
    if !ctx.role().at_least(Role::Manager) {
        return Err(AppError::with_message(
            ErrorCode::Forbidden,
            "従業員の権限では書類をアップロードできません",
        )
        .into());
    }
    ctx.require_mfa()?;
    let client = parts
        .extensions
        .get::<ClientInfo>()
        .cloned()
        .unwrap_or_default();
    let boundary = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| multer::parse_boundary(v).ok())
        .ok_or_else(unreadable)?;
    let constraints = multer::Constraints::new()
        .allowed_fields(vec!["meta", "file"])
        .size_limit(multer::SizeLimit::new().for_field("meta", META_LIMIT));
    let mut form =
        multer::Multipart::with_constraints(body.into_data_stream(), boundary, constraints);

    let meta_field = form.next_field().await.map_err(read_error)?;
    let meta: UploadMeta = match meta_field {
        Some(field) if field.name() == Some("meta") => {
            serde_json::from_slice(&field.bytes().await.map_err(read_error)?)
                .map_err(|_| unreadable())?
        }
        _ => return Err(unreadable()),
    };
    let request = UploadRequest::parse(&meta)?;
    versions::prepare(app, &ctx, &request).await?;

    let mut file_field = match form.next_field().await.map_err(read_error)? {
        Some(field) if field.name() == Some("file") => field,
        _ => {
            return Err(AppError::validation(vec![shared::FieldError::new(
                "file",
                "ファイルを選択してください",
            )])
            .into());
        }
    };
    let file_name = display_file_name(file_field.file_name().unwrap_or_default(), request.doc_type);
    // Removed when dropped, whatever happens below.
    let spooled = tempfile::NamedTempFile::new()?;
    let mut out = tokio::fs::File::create(spooled.path()).await?;
    let mut check = PdfCheck::new();
    let mut hasher = Sha256::new();
    while let Some(chunk) = file_field.chunk().await.map_err(read_error)? {
        if let Err(rejection) = check.feed(&chunk) {
            // Nothing more is kept; the rest (at most the body limit) is read and dropped so
            // that the client reads this answer rather than a reset connection.
            while let Ok(Some(_)) = file_field.chunk().await {}
            return Err(rejection.error().into());
        }
        hasher.update(&chunk);
        out.write_all(&chunk).await?;
    }
    out.flush().await?;
    drop(out);
    let byte_size = check.finish().map_err(|r| ServerError::from(r.error()))?;
    let stored = StoredFile {
        file_name,
        byte_size,
        sha256: hasher.finalize().into(),
    };

    // Phase 2.
    let reserved = versions::reserve(app, &ctx, &request).await?;
    // Phase 3.
    if let Err(error) = app
        .storage
        .put(&reserved.key, spooled.path(), &stored.file_name)
        .await
    {
        versions::drop_intent(app, &ctx, &reserved).await;
        return Err(error.into());
    }
    // Phase 4, and 5 when it fails.
    match versions::attach(app, &ctx, &reserved, &request, &stored, &client).await {
        Ok(outcome) => Ok(outcome),
        Err(error) => {
            match app.storage.delete(&reserved.key).await {
                Ok(()) => versions::drop_intent(app, &ctx, &reserved).await,
                Err(delete_error) => {
                    tracing::warn!(%delete_error, "upload: object left for the intent sweeper");
                }
            }
            Err(error)
        }
    }
}

/// A body that broke off: over the limit is `PAYLOAD_TOO_LARGE`, anything else unreadable.
fn read_error(error: multer::Error) -> ServerError {
    let too_large = match &error {
        multer::Error::StreamSizeExceeded { .. } | multer::Error::FieldSizeExceeded { .. } => true,
        multer::Error::StreamReadFailed(source) => {
            let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(source.as_ref());
            let mut found = false;
            while let Some(e) = cause {
                if e.is::<http_body_util::LengthLimitError>() {
                    found = true;
                    break;
                }
                cause = e.source();
            }
            found
        }
        _ => false,
    };
    if too_large {
        AppError::new(ErrorCode::PayloadTooLarge).into()
    } else {
        unreadable()
    }
}
