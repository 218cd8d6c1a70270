//! Cycle rows (SPEC §6.2–6.3) as the recipient's life changes them: cycle 1 at registration,
//! the next cycle when monitoring closes one, `ended` on 利用終了 and open again on restore, and
//! the record check that forbids deleting.

use crate::ssr::ServerError;
use sqlx::PgConnection;
use time::Date;
use uuid::Uuid;

/// Cycle 1 of a new recipient: starts today (JST) with the office's アセスメント開始期限 default;
/// five incomplete steps — or, for a recipient whose current plan was delivered on `delivered`
/// before keikakun (移行), steps 1–4 `migrated` with that 交付日 and monitoring current.
pub async fn create_first(
    conn: &mut PgConnection,
    office_id: Uuid,
    recipient_id: Uuid,
    delivered: Option<Date>,
) -> Result<Uuid, ServerError> {
    let cycle_id = sqlx::query_scalar!(
        "insert into plan_cycles (office_id, recipient_id, cycle_number, cycle_start_date,
                                  next_plan_start_days)
         select id, $2, 1, kk_today_jst(), next_plan_start_days_default from offices where id = $1
         returning id",
        office_id,
        recipient_id,
    )
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query!(
        "insert into plan_steps (cycle_id, office_id, step, status, step_date)
         select $2, $1, s.step,
                case when $3::date is not null and s.step <> 'monitoring'
                     then 'migrated' else 'incomplete' end::plan_step_status,
                case when s.step = 'final_plan_signed' then $3::date end
         from unnest(enum_range(null::plan_step)) as s (step)",
        office_id,
        cycle_id,
        delivered,
    )
    .execute(&mut *conn)
    .await?;
    Ok(cycle_id)
}

/// Monitoring completed on cycle `closing` (locked by the caller): it closes and cycle k + 1
/// opens from the recorded monitoring date with the same アセスメント開始期限 days. The insert is
/// idempotent (`ON CONFLICT DO NOTHING`): `None` when the next cycle exists already.
pub async fn close_and_open_next(
    conn: &mut PgConnection,
    office_id: Uuid,
    closing: Uuid,
    monitoring_date: Date,
) -> Result<Option<Uuid>, ServerError> {
    let closed = sqlx::query!(
        "update plan_cycles set status = 'closed', is_latest = false, closed_at = now()
         where id = $1 and office_id = $2 and status = 'open'
         returning recipient_id, cycle_number, next_plan_start_days",
        closing,
        office_id,
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(ServerError::Internal("closing a cycle that is not open"))?;
    let next = sqlx::query_scalar!(
        "insert into plan_cycles (office_id, recipient_id, cycle_number, cycle_start_date,
                                  next_plan_start_days)
         values ($1, $2, $3, $4, $5)
         on conflict (recipient_id, cycle_number) do nothing
         returning id",
        office_id,
        closed.recipient_id,
        closed.cycle_number + 1,
        monitoring_date,
        closed.next_plan_start_days,
    )
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(next) = next {
        sqlx::query!(
            "insert into plan_steps (cycle_id, office_id, step)
             select $1, $2, s.step from unnest(enum_range(null::plan_step)) as s (step)",
            next,
            office_id,
        )
        .execute(&mut *conn)
        .await?;
    }
    Ok(next)
}

/// 利用終了 ends the latest open cycle (no next cycle follows); restoring opens it again.
pub async fn set_ended(
    conn: &mut PgConnection,
    office_id: Uuid,
    recipient_id: Uuid,
    ended: bool,
) -> Result<(), ServerError> {
    let (from, to) = if ended {
        ("open", "ended")
    } else {
        ("ended", "open")
    };
    sqlx::query!(
        "update plan_cycles set status = $4::text::plan_cycle_status
         where recipient_id = $1 and office_id = $2 and is_latest
           and status = $3::text::plan_cycle_status",
        recipient_id,
        office_id,
        from,
        to,
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Whether the recipient has plan records — a completed step or a document version — so it
/// cannot be deleted, only archived (§4.3, §18 item 32).
pub async fn has_records(
    conn: &mut PgConnection,
    office_id: Uuid,
    recipient_id: Uuid,
) -> Result<bool, ServerError> {
    Ok(sqlx::query_scalar!(
        r#"select exists (
               select 1 from plan_steps s join plan_cycles c on c.id = s.cycle_id
               where c.recipient_id = $1 and c.office_id = $2 and s.status = 'completed'
           ) or exists (
               select 1 from plan_documents d join document_versions v on v.document_id = d.id
               where d.recipient_id = $1 and d.office_id = $2
           ) as "exists!""#,
        recipient_id,
        office_id,
    )
    .fetch_one(&mut *conn)
    .await?)
}
