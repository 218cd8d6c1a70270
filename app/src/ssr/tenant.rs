//! Tenant transactions (SPEC §16.7): every read and write of tenant data (recipients and what
//! hangs off them) runs in a transaction where PostgreSQL row-level security limits each tenant
//! table to the caller's office. The `office_id` filters in the queries remain; the policies are
//! the second wall should one be forgotten.

use super::{ServerError, auth::TenantCtx};
use sqlx::{PgConnection, PgPool, Postgres, Transaction};
use uuid::Uuid;

impl TenantCtx {
    /// Begins a transaction for the caller's office (see [`begin_for_office`]).
    pub async fn begin(&self, db: &PgPool) -> Result<Transaction<'static, Postgres>, ServerError> {
        begin_for_office(db, self.office_id()).await
    }
}

/// Begins a transaction as the `keikakun_tenant` role (no `BYPASSRLS`) with `app.office_id` set
/// to `office_id`; both end with the transaction. Requests reach it through [`TenantCtx`]; jobs
/// that work office by office call it directly.
pub async fn begin_for_office(
    db: &PgPool,
    office_id: Uuid,
) -> Result<Transaction<'static, Postgres>, ServerError> {
    let mut tx = db.begin().await?;
    enter_office(&mut tx, office_id).await?;
    Ok(tx)
}

/// Switches an open transaction to the tenant role for `office_id` until it ends (a transaction
/// that first writes shared rows, like the seeding command's office, then tenant rows).
pub async fn enter_office(conn: &mut PgConnection, office_id: Uuid) -> Result<(), sqlx::Error> {
    sqlx::query!(
        r#"select set_config('app.office_id', $1, true) as "office!",
                  set_config('role', 'keikakun_tenant', true) as "role!""#,
        office_id.to_string(),
    )
    .fetch_one(conn)
    .await?;
    Ok(())
}
