//! The server-side error of server functions and the one place that decides what the client sees.

use super::correlation_id;
use shared::AppError;

/// Why a server function failed, with the full cause. Converting it into [`AppError`] is the only
/// way out to the client: client-safe errors pass through unchanged, everything else is logged
/// with a correlation id and leaves as `INTERNAL`.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// Already decided and safe to show (validation, not found, conflict, …).
    #[error("client error: {0}")]
    Client(#[from] AppError),
    #[error("database error")]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Storage(#[from] super::storage::StorageError),
    #[error("i/o error: {0}")]
    Io(#[from] std::io::Error),
    /// A broken invariant of the server itself.
    #[error("internal error: {0}")]
    Internal(&'static str),
}

impl From<ServerError> for AppError {
    fn from(error: ServerError) -> Self {
        match error {
            ServerError::Client(app_error) => app_error,
            other => {
                let correlation_id = correlation_id();
                // `{:?}` keeps the source chain (e.g. the sqlx detail) in the log only.
                tracing::error!(%correlation_id, error = ?other, "server function failed");
                AppError::internal(correlation_id)
            }
        }
    }
}
