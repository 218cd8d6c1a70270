//! Service health as the public status panel reports it.

use super::ServerError;
use shared::status::StatusReport;
use sqlx::PgPool;

/// Asks the database for its clock: proves the pool, the network and the server all answer.
pub async fn service_status(db: &PgPool) -> Result<StatusReport, ServerError> {
    let database_time = sqlx::query_scalar!(r#"select now() as "now!""#)
        .fetch_one(db)
        .await?;
    Ok(StatusReport { database_time })
}
