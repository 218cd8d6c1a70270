//! The public 「サービス稼働状況」 answer.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// What `/api/health/status` returns: the service is up and its database answered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusReport {
    /// The database server's clock when it answered.
    #[serde(with = "time::serde::rfc3339")]
    pub database_time: OffsetDateTime,
}
