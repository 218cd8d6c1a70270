//! Document storage (SPEC §7.2, §7.9) behind one trait. The `server` crate supplies the two
//! implementations — S3 (aws-sdk-s3, SSE on every put, presigned GET links) and the local disk of
//! the embedded defaults (files under the data folder, signed expiring links served by the app).
//!
//! Rule: keys are built here from ids only, after the tenant check, and never from a file name.

use futures::future::BoxFuture;
use shared::document::DocType;
use std::{fmt, path::Path, time::Duration};
use uuid::Uuid;

/// Why storage failed: a class of failure for the log (never a key with a name in it — keys
/// hold ids only anyway).
#[derive(Debug, thiserror::Error)]
#[error("storage {operation} failed: {detail}")]
pub struct StorageError {
    pub operation: &'static str,
    pub detail: String,
}

impl StorageError {
    pub fn new(operation: &'static str, detail: impl fmt::Display) -> Self {
        Self {
            operation,
            detail: detail.to_string(),
        }
    }
}

/// How a link opens the PDF: in the page (`inline`) or as a download (`attachment`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Disposition {
    Inline,
    Attachment,
}

/// `inline; filename*=UTF-8''…` with the display name percent-encoded (RFC 8187), plus an ASCII
/// fallback name for old clients.
pub fn content_disposition(disposition: Disposition, file_name: &str) -> String {
    let kind = match disposition {
        Disposition::Inline => "inline",
        Disposition::Attachment => "attachment",
    };
    let encoded: String = file_name
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect();
    format!("{kind}; filename=\"document.pdf\"; filename*=UTF-8''{encoded}")
}

/// The object key of one version (§7.2): ids only, no personal data.
pub fn version_key(
    office_id: Uuid,
    recipient_id: Uuid,
    cycle_id: Uuid,
    doc_type: DocType,
    document_id: Uuid,
    version: i32,
) -> String {
    format!(
        "offices/{office_id}/recipients/{recipient_id}/cycles/{cycle_id}/{}/{document_id}/v{version}.pdf",
        doc_type.as_str()
    )
}

/// Where documents live.
pub trait DocumentStorage: Send + Sync + fmt::Debug {
    /// Stores the file at `path` under `key` as `application/pdf` with an inline disposition
    /// naming `file_name`, encrypted at rest.
    fn put<'a>(
        &'a self,
        key: &'a str,
        path: &'a Path,
        file_name: &'a str,
    ) -> BoxFuture<'a, Result<(), StorageError>>;

    /// Deletes `key`; a key that is not there counts as deleted.
    fn delete<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<(), StorageError>>;

    /// A link that opens `key` for `ttl` (a presigned GET, or the app's own signed link).
    fn link<'a>(
        &'a self,
        key: &'a str,
        disposition: Disposition,
        file_name: &'a str,
        ttl: Duration,
    ) -> BoxFuture<'a, Result<String, StorageError>>;

    /// Every key under `prefix` (the consistency checks and purges).
    fn list<'a>(&'a self, prefix: &'a str) -> BoxFuture<'a, Result<Vec<String>, StorageError>>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dispositions_carry_the_encoded_display_name() {
        assert_eq!(
            content_disposition(Disposition::Inline, "計画書 v2.pdf"),
            "inline; filename=\"document.pdf\"; filename*=UTF-8''%E8%A8%88%E7%94%BB%E6%9B%B8%20v2.pdf"
        );
        assert!(content_disposition(Disposition::Attachment, "a.pdf").starts_with("attachment;"));
    }

    #[test]
    fn keys_hold_ids_only() {
        let id = Uuid::nil();
        assert_eq!(
            version_key(id, id, id, DocType::DraftPlanPdf, id, 3),
            format!("offices/{id}/recipients/{id}/cycles/{id}/draft_plan_pdf/{id}/v3.pdf")
        );
    }
}
