//! Cycle rows (SPEC §6.2–6.3) as the recipient's life changes them: cycle 1 at registration,
//! `ended` on 利用終了 and open again on restore, and the record check that forbids deleting.

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
) -> Result<(), ServerError> {
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
        "insert into plan_steps (office_id, cycle_id, step, status, step_date)
         select $1, $2, s.step,
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
    Ok(())
}

/// 利用終了 ends the latest open cycle (no next cycle follows); restoring opens it again.
pub async fn set_ended(
    conn: &mut PgConnection,
    office_id: Uuid,
    recipient_id: Uuid,
    ended: bool,
) -> Result<(), ServerError> {
    let (from, to) = if ended { ("open", "ended") } else { ("ended", "open") };
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

/// Whether the recipient has plan records (a completed step; documents join this check with
/// §7): such a recipient cannot be deleted, only archived (§4.3).
pub async fn has_records(
    conn: &mut PgConnection,
    office_id: Uuid,
    recipient_id: Uuid,
) -> Result<bool, ServerError> {
    Ok(sqlx::query_scalar!(
        r#"select exists (
               select 1 from plan_steps s join plan_cycles c on c.id = s.cycle_id
               where c.recipient_id = $1 and c.office_id = $2 and s.status = 'completed'
           ) as "exists!""#,
        recipient_id,
        office_id,
    )
    .fetch_one(&mut *conn)
    .await?)
}
