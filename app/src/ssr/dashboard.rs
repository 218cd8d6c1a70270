//! 「利用者ダッシュボード」 (SPEC §8): one query answers the page of rows and every counter card.
//! The deadlines and the 減算 risk come from the `recipient_deadlines` view (current data, JST
//! today); the search and filters of §6.5 are evaluated once per recipient (`matches`), counted
//! for 「検索結果」 and used for the page. The number of queries does not depend on the page size.

use super::{AppState, ServerError, auth::TenantCtx, recipients::list::like_pattern};
use shared::{
    dashboard::{
        Assigned, DashboardCounts, DashboardFilter, DashboardPage, DashboardRow, DashboardSort,
    },
    dates::{format_date_iso, jst_date},
    plan::{
        PlanStep,
        risk::{RiskLevel, gap_note},
        views::{Deadline, Risk},
    },
    service_type::ServiceType,
};
use time::OffsetDateTime;

fn deadline(date: Option<time::Date>, days: Option<i32>) -> Option<Deadline> {
    Some(Deadline {
        date: format_date_iso(date?),
        days: i64::from(days?),
    })
}

pub async fn page(
    app: &AppState,
    ctx: &TenantCtx,
    filter: &DashboardFilter,
) -> Result<DashboardPage, ServerError> {
    let patterns: Vec<String> = filter.words.iter().map(|w| like_pattern(w)).collect();
    let assigned = filter.assigned.map(|a| match a {
        Assigned::Me => ctx.staff_id(),
        Assigned::Staff(id) => id,
    });
    let risk: Vec<&str> = filter.risk.iter().map(|r| r.as_str()).collect();
    let sort = match filter.sort {
        DashboardSort::Kana => "kana",
        DashboardSort::Renewal => "renewal",
        DashboardSort::Created => "created",
        DashboardSort::Risk => "risk",
    };
    let per_page = i64::from(filter.per_page);
    let offset = i64::from(filter.page - 1) * per_page;
    let mut tx = ctx.begin(&app.db).await?;
    let rows = sqlx::query!(
        r#"with base as (
               select r.id, r.last_name, r.first_name, r.last_name_kana, r.first_name_kana,
                      r.service_type, r.version, r.created_at, d.cycle_number,
                      d.current_step, d.renewal_date, d.days_to_renewal,
                      d.assessment_start_deadline, d.monitoring_due_date, d.deadline_risk,
                      d.gap_month, d.docs_issue,
                      (r.search_text like coalesce(($2::text[])[1], '%')
                       and r.search_text like all($2::text[])
                       and (not $3 or d.renewal_date < kk_today_jst())
                       and (not $4 or d.renewal_date between kk_today_jst() and kk_today_jst() + 30)
                       and (not $5 or d.current_step = 'assessment')
                       and ($6::text is null or d.current_step::text = $6)
                       and ($7::int is null or d.cycle_number = $7)
                       and ($8::text is null or r.service_type = $8)
                       and ($9::uuid is null or exists (
                               select 1 from recipient_staff rs
                               where rs.recipient_id = r.id and rs.office_id = r.office_id
                                 and rs.staff_id = $9))
                       and (cardinality($10::text[]) = 0 or d.deadline_risk = any($10)
                            or ('docs' = any($10) and d.docs_issue))
                       and (not $11 or d.order_exception)) as matches
               from recipients r
               join recipient_deadlines d on d.recipient_id = r.id and d.office_id = r.office_id
               where r.office_id = $1 and r.status = 'active'
           ),
           counts as (
               select count(*) filter (where renewal_date < kk_today_jst()) as overdue,
                      count(*) filter (where renewal_date between kk_today_jst()
                                                          and kk_today_jst() + 30) as upcoming,
                      count(*) filter (where current_step = 'assessment') as assessment,
                      count(*) filter (where deadline_risk in ('gap', 'high')) as risk,
                      count(*) filter (where docs_issue) as docs,
                      count(*) as total,
                      count(*) filter (where matches) as matching
               from base
           ),
           page as (
               select b.*,
                      array(select s.last_name || ' ' || s.first_name from recipient_staff rs
                            join staffs s on s.id = rs.staff_id
                            where rs.recipient_id = b.id and rs.office_id = $1
                            order by s.last_name_kana, s.first_name_kana) as assigned
               from base b
               where b.matches
               order by
                 case when $12 = 'renewal' then b.renewal_date end nulls last,
                 case when $12 = 'created' then b.created_at end desc,
                 case when $12 = 'risk' then
                     case b.deadline_risk when 'gap' then 0 when 'high' then 1 when 'watch' then 2
                         else case when b.docs_issue then 3 else 4 end end
                 end,
                 case when $12 = 'risk' then b.renewal_date end nulls last,
                 b.last_name_kana, b.first_name_kana, b.id
               limit $13 offset $14
           )
           select c.overdue as "overdue!", c.upcoming as "upcoming!",
                  c.assessment as "assessment!", c.risk as "risk!", c.docs as "docs!",
                  c.total as "total!", c.matching as "matching!",
                  p.id as "id?", p.last_name as "last_name?", p.first_name as "first_name?",
                  p.last_name_kana as "last_name_kana?", p.first_name_kana as "first_name_kana?",
                  p.service_type as "service_type?", p.version as "version?",
                  p.cycle_number as "cycle_number?", p.current_step::text as current_step,
                  p.renewal_date, p.days_to_renewal,
                  p.assessment_start_deadline,
                  p.assessment_start_deadline - kk_today_jst() as assessment_days,
                  p.monitoring_due_date, p.monitoring_due_date - kk_today_jst() as monitoring_days,
                  p.deadline_risk as "deadline_risk?", p.gap_month, p.docs_issue as "docs_issue?",
                  p.assigned as "assigned?: Vec<String>"
           from counts c left join page p on true"#,
        ctx.office_id(),
        &patterns,
        filter.overdue,
        filter.upcoming,
        filter.assessment_incomplete,
        filter.step.map(PlanStep::as_str),
        filter.cycle,
        filter.service_type.map(ServiceType::code),
        assigned,
        &risk as &[&str],
        filter.order_exception,
        sort,
        per_page,
        offset,
    )
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;

    let counts = rows
        .first()
        .map(|r| DashboardCounts {
            overdue: r.overdue as u64,
            upcoming: r.upcoming as u64,
            assessment_incomplete: r.assessment as u64,
            risk: r.risk as u64,
            docs: r.docs as u64,
            total: r.total as u64,
            matching: r.matching as u64,
        })
        .unwrap_or_default();
    let mut page_rows = Vec::with_capacity(rows.len());
    for r in rows {
        let Some(id) = r.id else { continue };
        let level =
            RiskLevel::parse(r.deadline_risk.as_deref().unwrap_or("ok")).unwrap_or(RiskLevel::Ok);
        page_rows.push(DashboardRow {
            recipient_id: id,
            name: format!(
                "{} {}",
                r.last_name.unwrap_or_default(),
                r.first_name.unwrap_or_default()
            ),
            kana: format!(
                "{} {}",
                r.last_name_kana.unwrap_or_default(),
                r.first_name_kana.unwrap_or_default()
            ),
            service_type: r
                .service_type
                .as_deref()
                .and_then(ServiceType::from_code)
                .ok_or(ServerError::Internal("unknown service type"))?,
            cycle_number: r.cycle_number.unwrap_or(1),
            current_step: r.current_step.as_deref().and_then(PlanStep::parse),
            renewal: deadline(r.renewal_date, r.days_to_renewal),
            assessment_start: deadline(r.assessment_start_deadline, r.assessment_days),
            monitoring_due: deadline(r.monitoring_due_date, r.monitoring_days),
            risk: Risk {
                level,
                docs: r.docs_issue.unwrap_or(false),
                note: r.gap_month.map(gap_note),
            },
            assigned_staff: r.assigned.unwrap_or_default(),
            version: r.version.unwrap_or(1),
        });
    }
    let pages =
        u32::try_from(counts.matching.div_ceil(u64::from(filter.per_page))).unwrap_or(u32::MAX);
    Ok(DashboardPage {
        rows: page_rows,
        counts,
        page: filter.page,
        per_page: filter.per_page,
        pages,
        today: format_date_iso(jst_date(OffsetDateTime::now_utc())),
    })
}
