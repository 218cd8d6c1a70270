//! The PostgreSQL pool and start-up migrations.

use crate::config::{Config, ConfigError};
use sqlx::{
    PgPool,
    migrate::{MigrateError, Migrator},
    postgres::{PgConnectOptions, PgPoolOptions},
};
use std::{str::FromStr, time::Duration};
use tokio::time::{Instant, sleep, timeout};

/// Every migration of `migrations/`, embedded in the binary.
pub static MIGRATOR: Migrator = sqlx::migrate!("../migrations");

/// Builds the pool without connecting, so the HTTP server (and `/readyz`) can start first.
pub fn lazy_pool(config: &Config) -> Result<PgPool, ConfigError> {
    let options = PgConnectOptions::from_str(config.database_url())
        .map_err(|_| ConfigError {
            var: "DATABASE_URL",
            expected: "a postgres:// URL",
        })?
        .application_name("keikakun");
    Ok(PgPoolOptions::new()
        .max_connections(config.database_max_connections)
        .acquire_timeout(Duration::from_secs(5))
        .connect_lazy_with(options))
}

#[derive(Debug, thiserror::Error)]
pub enum DatabaseStartupError {
    #[error(
        "the database did not answer within {0} s (DATABASE_URL); start PostgreSQL or fix the URL"
    )]
    Unreachable(u64),
    #[error("database migrations failed: {0}")]
    Migration(#[from] MigrateError),
}

/// Waits (with backoff) until the database answers, then applies pending migrations.
/// Several instances may run this at once: sqlx serialises migrations with an advisory lock.
pub async fn wait_and_migrate(pool: &PgPool, limit: Duration) -> Result<(), DatabaseStartupError> {
    let deadline = Instant::now() + limit;
    let mut backoff = Duration::from_millis(200);
    loop {
        let remaining = deadline.saturating_duration_since(Instant::now());
        if remaining.is_zero() {
            return Err(DatabaseStartupError::Unreachable(limit.as_secs()));
        }
        match timeout(remaining, sqlx::query("select 1").execute(pool)).await {
            Ok(Ok(_)) => break,
            Ok(Err(error)) => {
                tracing::warn!(error = %error, retry_in_ms = backoff.as_millis(), "database not reachable yet");
            }
            Err(_) => return Err(DatabaseStartupError::Unreachable(limit.as_secs())),
        }
        sleep(backoff.min(remaining)).await;
        backoff = (backoff * 2).min(Duration::from_secs(3));
    }
    MIGRATOR.run(pool).await?;
    tracing::info!("database reachable and migrations applied");
    Ok(())
}

/// Whether the database answers a trivial query within `limit`.
pub async fn ping(pool: &PgPool, limit: Duration) -> bool {
    matches!(
        timeout(limit, sqlx::query("select 1").execute(pool)).await,
        Ok(Ok(_))
    )
}
