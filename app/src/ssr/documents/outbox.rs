//! Keeping storage and rows in step (SPEC §7.5, §7.9, §15): the storage outbox — objects whose
//! rows are gone, deleted with retries for up to 24 hours — and the sweeper of upload intents
//! older than an hour (an upload that died between storing the object and its row).
//!
//! Both run for every office as the application role (these two tables keep ids only and their
//! row-level security is not forced). Rows are claimed with `FOR UPDATE SKIP LOCKED`, so several
//! instances never work on the same row; a claim lasts five minutes, then the row is due again.

use crate::ssr::{AppState, ServerError};
use sqlx::PgConnection;
use uuid::Uuid;

const BATCH: i64 = 20;

/// Queues the deletion of `key` in the caller's (tenant) transaction.
pub async fn enqueue(
    conn: &mut PgConnection,
    office_id: Uuid,
    key: &str,
    reason: &str,
) -> Result<(), ServerError> {
    sqlx::query!(
        "insert into storage_outbox (office_id, storage_key, reason) values ($1, $2, $3)",
        office_id,
        key,
        reason,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Seconds before attempt n + 1 after n failed attempts.
fn retry_delay_s(attempts: i32) -> i32 {
    match attempts {
        ..=1 => 60,
        2 => 300,
        3 => 1800,
        _ => 7200,
    }
}

/// The `storage_outbox` job: deletes every object that is due; returns how many rows it
/// handled. A row still failing 24 hours after it was queued becomes `failed` (operator alert).
pub async fn drain(app: &AppState) -> Result<u64, ServerError> {
    let mut handled = 0;
    loop {
        let rows = sqlx::query!(
            r#"update storage_outbox set attempts = attempts + 1,
                   next_attempt_at = now() + interval '5 minutes'
               where id in (select id from storage_outbox
                            where status = 'queued' and next_attempt_at <= now()
                            order by next_attempt_at limit $1
                            for update skip locked)
               returning id, storage_key, attempts,
                         created_at < now() - interval '24 hours' as "expired!""#,
            BATCH,
        )
        .fetch_all(&app.db)
        .await?;
        if rows.is_empty() {
            return Ok(handled);
        }
        for row in rows {
            handled += 1;
            match app.storage.delete(&row.storage_key).await {
                Ok(()) => {
                    sqlx::query!(
                        "update storage_outbox set status = 'done', done_at = now(),
                             last_error = null
                         where id = $1",
                        row.id
                    )
                    .execute(&app.db)
                    .await?;
                }
                Err(error) if row.expired => {
                    tracing::error!(
                        outbox_id = %row.id, %error,
                        "storage outbox: giving up on an object after 24 hours; operator action needed"
                    );
                    sqlx::query!(
                        "update storage_outbox set status = 'failed', last_error = $2 where id = $1",
                        row.id,
                        error.operation,
                    )
                    .execute(&app.db)
                    .await?;
                }
                Err(error) => {
                    tracing::warn!(outbox_id = %row.id, %error, "storage outbox: will retry");
                    sqlx::query!(
                        "update storage_outbox set last_error = $2,
                             next_attempt_at = now() + make_interval(secs => $3)
                         where id = $1",
                        row.id,
                        error.operation,
                        f64::from(retry_delay_s(row.attempts)),
                    )
                    .execute(&app.db)
                    .await?;
                }
            }
        }
    }
}

/// The `upload_intent_sweeper` job: objects of intents older than an hour are deleted, then
/// their intents. Returns how many intents it removed.
pub async fn sweep_intents(app: &AppState) -> Result<u64, ServerError> {
    let mut removed = 0;
    loop {
        let mut tx = app.db.begin().await?;
        let intents = sqlx::query!(
            "select id, storage_key from upload_intents
             where created_at < now() - interval '1 hour'
             order by created_at limit $1
             for update skip locked",
            BATCH,
        )
        .fetch_all(&mut *tx)
        .await?;
        if intents.is_empty() {
            return Ok(removed);
        }
        let mut done = Vec::with_capacity(intents.len());
        for intent in &intents {
            match app.storage.delete(&intent.storage_key).await {
                Ok(()) => done.push(intent.id),
                Err(error) => {
                    tracing::warn!(intent_id = %intent.id, %error, "intent sweeper: will retry");
                }
            }
        }
        sqlx::query!("delete from upload_intents where id = any($1)", &done)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        removed += done.len() as u64;
        if done.len() < intents.len() {
            // Storage is failing: the rest waits for the next run.
            return Ok(removed);
        }
    }
}
