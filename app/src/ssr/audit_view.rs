//! The office's audit log as owners read it (SPEC §13: 「操作履歴」, 50 per page, filters).

use super::{
    AppState, ServerError,
    auth::{TenantCtx, device_label, mask_ip},
};
use shared::{
    AppError, FieldError, Role,
    audit::{
        AUDIT_CATEGORIES, AUDIT_PAGE_SIZE, AuditEntry, AuditPage, AuditQuery, action_label,
        detail_label,
    },
    dates::JST,
};
use time::{
    Date, OffsetDateTime, PrimitiveDateTime, Time, format_description::well_known::Iso8601,
};

fn parse_day(field: &str, value: &str) -> Result<Option<Date>, AppError> {
    if value.trim().is_empty() {
        return Ok(None);
    }
    Date::parse(value.trim(), &Iso8601::DATE)
        .map(Some)
        .map_err(|_| {
            AppError::validation(vec![FieldError::new(field, "日付を正しく入力してください")])
        })
}

/// Start of a JST day as an instant.
fn jst_midnight(day: Date) -> OffsetDateTime {
    PrimitiveDateTime::new(day, Time::MIDNIGHT).assume_offset(JST)
}

/// One audit row with the names of its actor and (staff) target.
struct Row {
    id: i64,
    occurred_at: OffsetDateTime,
    action: String,
    actor_role: Option<Role>,
    ip: Option<ipnet::IpNet>,
    user_agent: Option<String>,
    details: serde_json::Value,
    actor_name: Option<String>,
    target_name: Option<String>,
}

impl From<Row> for AuditEntry {
    fn from(row: Row) -> Self {
        let details = row
            .details
            .as_object()
            .map(|map| {
                map.iter()
                    .map(|(key, value)| {
                        let text = match value {
                            serde_json::Value::String(s) => s.clone(),
                            serde_json::Value::Array(items) => items
                                .iter()
                                .map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_owned))
                                .collect::<Vec<_>>()
                                .join("、"),
                            other => other.to_string(),
                        };
                        (detail_label(key).to_owned(), text)
                    })
                    .collect()
            })
            .unwrap_or_default();
        AuditEntry {
            id: row.id,
            occurred_at: row.occurred_at,
            action_label: action_label(&row.action).to_owned(),
            action: row.action,
            actor: row.actor_name.unwrap_or_else(|| "システム".to_owned()),
            actor_role: row.actor_role,
            target: row.target_name,
            ip_masked: row.ip.map(|ip| mask_ip(ip.addr())),
            device: row.user_agent.as_deref().map(|ua| device_label(Some(ua))),
            details,
        }
    }
}

/// The newest 100 entries about one recipient of the caller's office (detail page 「履歴」).
pub async fn for_recipient(
    state: &AppState,
    ctx: &TenantCtx,
    recipient_id: uuid::Uuid,
) -> Result<Vec<AuditEntry>, ServerError> {
    let mut tx = ctx.begin(&state.db).await?;
    let known = sqlx::query_scalar!(
        r#"select exists (select 1 from recipients where id = $1 and office_id = $2) as "known!""#,
        recipient_id,
        ctx.office_id(),
    )
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    if !known {
        return Err(super::recipients::store::not_found());
    }
    let rows = sqlx::query_as!(
        Row,
        r#"select a.id, a.occurred_at, a.action, a.actor_role as "actor_role: Role", a.ip,
                  a.user_agent, a.details,
                  actor.last_name || ' ' || actor.first_name as actor_name,
                  null::text as target_name
           from audit_logs a
           left join staffs actor on actor.id = a.actor_staff_id
           where a.office_id = $1 and a.target_type = 'recipient' and a.target_id = $2
           order by a.occurred_at desc, a.id desc
           limit 100"#,
        ctx.office_id(),
        recipient_id,
    )
    .fetch_all(&state.db)
    .await?;
    Ok(rows.into_iter().map(AuditEntry::from).collect())
}

pub async fn page(
    state: &AppState,
    ctx: &TenantCtx,
    query: &AuditQuery,
) -> Result<AuditPage, ServerError> {
    let category = query.category.trim();
    if !category.is_empty() && !AUDIT_CATEGORIES.iter().any(|(c, _)| *c == category) {
        return Err(AppError::validation(vec![FieldError::new(
            "category",
            "種類を選択してください",
        )])
        .into());
    }
    let from = parse_day("from", &query.from)?.map(jst_midnight);
    let to = parse_day("to", &query.to)?.map(|d| jst_midnight(d.next_day().unwrap_or(d)));
    let prefix = if category.is_empty() {
        None
    } else {
        Some(format!("{category}."))
    };
    let page = query.page.max(1);
    let offset = i64::from(page - 1) * i64::from(AUDIT_PAGE_SIZE);

    let total = sqlx::query_scalar!(
        r#"select count(*) as "n!" from audit_logs
           where office_id = $1
             and ($2::text is null or starts_with(action, $2))
             and ($3::timestamptz is null or occurred_at >= $3)
             and ($4::timestamptz is null or occurred_at < $4)"#,
        ctx.office_id(),
        prefix,
        from,
        to,
    )
    .fetch_one(&state.db)
    .await?;
    let rows = sqlx::query_as!(
        Row,
        r#"select a.id, a.occurred_at, a.action, a.actor_role as "actor_role: Role", a.ip,
                  a.user_agent, a.details,
                  actor.last_name || ' ' || actor.first_name as actor_name,
                  target.last_name || ' ' || target.first_name as target_name
           from audit_logs a
           left join staffs actor on actor.id = a.actor_staff_id
           left join staffs target on a.target_type = 'staff' and target.id = a.target_id
           where a.office_id = $1
             and ($2::text is null or starts_with(a.action, $2))
             and ($3::timestamptz is null or a.occurred_at >= $3)
             and ($4::timestamptz is null or a.occurred_at < $4)
           order by a.occurred_at desc, a.id desc
           limit $5 offset $6"#,
        ctx.office_id(),
        prefix,
        from,
        to,
        i64::from(AUDIT_PAGE_SIZE),
        offset,
    )
    .fetch_all(&state.db)
    .await?;
    let entries = rows.into_iter().map(AuditEntry::from).collect();
    let total = u64::try_from(total).unwrap_or(0);
    Ok(AuditPage {
        entries,
        total,
        page,
        pages: u32::try_from(total.div_ceil(u64::from(AUDIT_PAGE_SIZE)))
            .unwrap_or(u32::MAX)
            .max(1),
    })
}
