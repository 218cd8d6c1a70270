//! The office settings of the deadline formulas (SPEC §3.2–3.3, §6.4): read, previewed (how many
//! active recipients' deadlines would move, computed with the same SQL functions as the views)
//! and saved by the owner, audited `office.settings_updated`.

use crate::ssr::{
    AppState, ServerError, audit,
    auth::{ClientInfo, TenantCtx},
};
use serde_json::json;
use shared::{
    AppError,
    plan::{
        OrderGuardMode,
        settings::{
            PlanSettings, PlanSettingsChange, PlanSettingsInput, PlanSettingsPreview,
            ReviewInterval,
        },
    },
    service_type::ServiceType,
};
use uuid::Uuid;

pub async fn load(app: &AppState, ctx: &TenantCtx) -> Result<PlanSettings, ServerError> {
    load_for(&app.db, ctx.office_id()).await
}

async fn load_for(db: &sqlx::PgPool, office_id: Uuid) -> Result<PlanSettings, ServerError> {
    let office = sqlx::query!(
        "select next_plan_start_days_default, first_plan_due_months, monitoring_lead_days,
                order_guard
         from offices where id = $1",
        office_id
    )
    .fetch_one(db)
    .await?;
    let intervals = sqlx::query!(
        r#"select t.code, t.review_interval_months, ori.months as "override_months?"
           from office_service_types ost
           join service_types t on t.code = ost.service_type
           left join office_review_intervals ori
               on ori.office_id = ost.office_id and ori.service_type = ost.service_type
           where ost.office_id = $1
           order by t.sort_order"#,
        office_id
    )
    .fetch_all(db)
    .await?;
    Ok(PlanSettings {
        review_intervals: intervals
            .into_iter()
            .map(|i| {
                Ok(ReviewInterval {
                    service_type: ServiceType::from_code(&i.code)
                        .ok_or(ServerError::Internal("unknown service type"))?,
                    default_months: i.review_interval_months,
                    override_months: i.override_months,
                })
            })
            .collect::<Result<_, ServerError>>()?,
        next_plan_start_days_default: office.next_plan_start_days_default,
        first_plan_due_months: office.first_plan_due_months,
        monitoring_lead_days: office.monitoring_lead_days,
        order_guard: OrderGuardMode::parse(&office.order_guard)
            .ok_or(ServerError::Internal("unknown order guard mode"))?,
    })
}

async fn parse(
    app: &AppState,
    ctx: &TenantCtx,
    input: &PlanSettingsInput,
) -> Result<(PlanSettings, PlanSettingsChange), ServerError> {
    let current = load(app, ctx).await?;
    let types: Vec<ServiceType> = current
        .review_intervals
        .iter()
        .map(|r| r.service_type)
        .collect();
    let change = input.parse(&types).map_err(AppError::validation)?;
    Ok((current, change))
}

/// Active recipients whose 次回更新日 or モニタリング期限 would move under `input`.
pub async fn preview(
    app: &AppState,
    ctx: &TenantCtx,
    input: &PlanSettingsInput,
) -> Result<PlanSettingsPreview, ServerError> {
    let (_, change) = parse(app, ctx, input).await?;
    let (codes, months): (Vec<&str>, Vec<Option<i32>>) = change
        .overrides
        .iter()
        .map(|(t, m)| (t.code(), m.map(i32::from)))
        .unzip();
    let mut tx = ctx.begin(&app.db).await?;
    let changed = sqlx::query_scalar!(
        r#"with proposed as (
               select * from unnest($2::text[], $3::int[]) as p (service_type, months)
           ),
           moved as (
               select d.recipient_id,
                      coalesce(kk_valid_until(d.delivered_date, n.interval_months),
                               kk_plan_due_date(d.cycle_number, r.contract_date, $4::int,
                                                d.cycle_start_date, n.interval_months,
                                                d.previous_delivered_date)) as renewal,
                      coalesce(d.valid_until, d.plan_due_date) as current_renewal,
                      case when d.current_step = 'monitoring'
                           then kk_valid_until(d.delivered_date, n.interval_months) - $5::int end
                          as monitoring,
                      case when d.current_step = 'monitoring'
                           then d.valid_until - d.monitoring_lead_days end as current_monitoring
               from plan_cycle_deadlines d
               join recipients r on r.id = d.recipient_id and r.office_id = d.office_id
               join service_types t on t.code = r.service_type
               left join proposed p on p.service_type = r.service_type
               cross join lateral (
                   select coalesce(p.months, t.review_interval_months)::int as interval_months
               ) n
               where d.office_id = $1 and d.is_latest and r.status = 'active'
           )
           select count(*) as "n!" from moved
           where renewal is distinct from current_renewal
              or monitoring is distinct from current_monitoring"#,
        ctx.office_id(),
        &codes as &[&str],
        &months as &[Option<i32>],
        i32::from(change.first_plan_due_months),
        i32::from(change.monitoring_lead_days),
    )
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(PlanSettingsPreview {
        recipients_changed: u64::try_from(changed).unwrap_or(0),
    })
}

/// Saves the settings; the deadlines follow at once (they are computed, never stored).
pub async fn update(
    app: &AppState,
    ctx: &TenantCtx,
    input: &PlanSettingsInput,
    client: &ClientInfo,
) -> Result<(), ServerError> {
    let (before, change) = parse(app, ctx, input).await?;
    let mut tx = app.db.begin().await?;
    sqlx::query!(
        "update offices set next_plan_start_days_default = $2, first_plan_due_months = $3,
             monitoring_lead_days = $4, order_guard = $5
         where id = $1",
        ctx.office_id(),
        change.next_plan_start_days_default,
        change.first_plan_due_months,
        change.monitoring_lead_days,
        change.order_guard.as_str(),
    )
    .execute(&mut *tx)
    .await?;
    for (service_type, months) in &change.overrides {
        match months {
            Some(months) => {
                sqlx::query!(
                    "insert into office_review_intervals (office_id, service_type, months)
                     values ($1, $2, $3)
                     on conflict (office_id, service_type) do update set months = excluded.months",
                    ctx.office_id(),
                    service_type.code(),
                    months,
                )
                .execute(&mut *tx)
                .await?;
            }
            None => {
                sqlx::query!(
                    "delete from office_review_intervals where office_id = $1 and service_type = $2",
                    ctx.office_id(),
                    service_type.code(),
                )
                .execute(&mut *tx)
                .await?;
            }
        }
    }
    let mut after = before.clone();
    after.next_plan_start_days_default = change.next_plan_start_days_default;
    after.first_plan_due_months = change.first_plan_due_months;
    after.monitoring_lead_days = change.monitoring_lead_days;
    after.order_guard = change.order_guard;
    for interval in after.review_intervals.iter_mut() {
        if let Some((_, months)) = change
            .overrides
            .iter()
            .find(|(t, _)| *t == interval.service_type)
        {
            interval.override_months = *months;
        }
    }
    let (old, new) = (audit_view(&before), audit_view(&after));
    let changed: Vec<&str> = old
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(k, v)| new.get(k.as_str()) != Some(v))
        .map(|(k, _)| k.as_str())
        .collect();
    if !changed.is_empty() {
        audit::record(
            &mut *tx,
            audit::Entry::by(
                "office.settings_updated",
                ctx.staff_id(),
                ctx.role(),
                Some(ctx.office_id()),
            )
            .target("office", ctx.office_id())
            .client(client)
            .detail("changed_fields", changed.clone())
            .detail("old", old.clone())
            .detail("new", new.clone()),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The settings as the audit log keeps them (old and new values, §13.1).
fn audit_view(s: &PlanSettings) -> serde_json::Value {
    json!({
        "review_intervals": s.review_intervals.iter()
            .filter_map(|r| r.override_months.map(|m| (r.service_type.code(), m)))
            .collect::<std::collections::BTreeMap<_, _>>(),
        "next_plan_start_days_default": s.next_plan_start_days_default,
        "first_plan_due_months": s.first_plan_due_months,
        "monitoring_lead_days": s.monitoring_lead_days,
        "order_guard": s.order_guard.as_str(),
    })
}
