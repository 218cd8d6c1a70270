//! アセスメント (SPEC §5): entries of the six sections, always addressed as (recipient, entry)
//! and read with the office filter (and RLS), so another office's ids are `NOT_FOUND`. Every
//! write is audited `assessment.{section}.{created|updated|deleted}` with the section and entry
//! id only.

use super::{
    AppState, ServerError, audit,
    auth::{ClientInfo, TenantCtx},
    recipients::store::not_found as recipient_not_found,
};
use shared::{
    AppError, ErrorCode, Role,
    assessment::{Assessment, Entry, EntryInput, SavedEntry, Section},
    dates::format_datetime_jst,
    recipient::RecipientStatus,
};
use sqlx::PgConnection;
use uuid::Uuid;

const STALE: &str = "他の職員が先に更新しました。再読み込みしてください";
const READ_ONLY: &str = "利用終了または削除済みの利用者のアセスメントは編集できません";

fn entry_not_found() -> ServerError {
    AppError::with_message(ErrorCode::NotFound, "アセスメントの項目が見つかりません").into()
}

#[derive(Clone, Copy)]
enum Change {
    Created,
    Updated,
    Deleted,
}

/// `assessment.{section}.{change}` (SPEC §13.1).
fn action(section: Section, change: Change) -> &'static str {
    macro_rules! actions {
        ($($variant:ident => $name:literal),+ $(,)?) => {
            match (section, change) {
                $(
                    (Section::$variant, Change::Created) => concat!("assessment.", $name, ".created"),
                    (Section::$variant, Change::Updated) => concat!("assessment.", $name, ".updated"),
                    (Section::$variant, Change::Deleted) => concat!("assessment.", $name, ".deleted"),
                )+
            }
        };
    }
    actions!(
        Family => "family",
        ServiceHistory => "service_history",
        Medical => "medical",
        HospitalVisit => "hospital_visit",
        Employment => "employment",
        IssueAnalysis => "issue_analysis",
    )
}

/// The recipient's status, locked for the rest of the transaction when `lock` (writes queue
/// here, so the entry count cannot race). Deleted recipients are hidden from employees.
async fn recipient(
    conn: &mut PgConnection,
    ctx: &TenantCtx,
    id: Uuid,
    lock: bool,
) -> Result<(RecipientStatus, String), ServerError> {
    let row = if lock {
        sqlx::query!(
            r#"select status, last_name || ' ' || first_name as "name!" from recipients
               where id = $1 and office_id = $2 for update"#,
            id,
            ctx.office_id()
        )
        .fetch_optional(&mut *conn)
        .await?
        .map(|r| (r.status, r.name))
    } else {
        sqlx::query!(
            r#"select status, last_name || ' ' || first_name as "name!" from recipients
               where id = $1 and office_id = $2"#,
            id,
            ctx.office_id()
        )
        .fetch_optional(&mut *conn)
        .await?
        .map(|r| (r.status, r.name))
    };
    let (status, name) = row.ok_or_else(recipient_not_found)?;
    let status =
        RecipientStatus::parse(&status).ok_or(ServerError::Internal("unknown recipient status"))?;
    if status == RecipientStatus::Deleted && !ctx.role().at_least(Role::Manager) {
        return Err(recipient_not_found());
    }
    Ok((status, name))
}

/// For writes: the recipient exists, is this office's and is active.
async fn writable(conn: &mut PgConnection, ctx: &TenantCtx, id: Uuid) -> Result<(), ServerError> {
    let (status, _) = recipient(conn, ctx, id, true).await?;
    if status != RecipientStatus::Active {
        return Err(AppError::with_message(ErrorCode::Conflict, READ_ONLY).into());
    }
    Ok(())
}

pub async fn get(
    state: &AppState,
    ctx: &TenantCtx,
    recipient_id: Uuid,
) -> Result<Assessment, ServerError> {
    let mut tx = ctx.begin(&state.db).await?;
    let (status, recipient_name) = recipient(&mut tx, ctx, recipient_id, false).await?;
    let rows = sqlx::query!(
        r#"select e.id, e.version, e.section, e.data, e.updated_at,
                  s.last_name || ' ' || s.first_name as "updated_by!"
           from assessment_entries e join staffs s on s.id = e.updated_by
           where e.recipient_id = $1 and e.office_id = $2
           order by e.created_at, e.id"#,
        recipient_id,
        ctx.office_id()
    )
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    let mut entries = Vec::with_capacity(rows.len());
    for r in rows {
        // `data` is what the shared parser produced; the section column says which one.
        let entry: EntryInput =
            serde_json::from_value(serde_json::json!({"section": r.section, "input": r.data}))
                .map_err(|_| ServerError::Internal("unreadable assessment entry"))?;
        entries.push(Entry {
            id: r.id,
            version: r.version,
            entry,
            updated_at: format_datetime_jst(r.updated_at),
            updated_by: r.updated_by,
        });
    }
    // 福祉サービスの利用歴: newest start first (ISO dates sort as text).
    entries.sort_by(|a, b| match (&a.entry, &b.entry) {
        (EntryInput::ServiceHistory(x), EntryInput::ServiceHistory(y)) => {
            y.starting_day.cmp(&x.starting_day)
        }
        _ => std::cmp::Ordering::Equal,
    });
    Ok(Assessment {
        recipient_id,
        recipient_name,
        read_only: status != RecipientStatus::Active,
        entries,
    })
}

/// Adds an entry (`item` absent) or updates the one read at its version.
pub async fn save(
    state: &AppState,
    ctx: &TenantCtx,
    recipient_id: Uuid,
    item: Option<(Uuid, i32)>,
    input: &EntryInput,
    client: &ClientInfo,
) -> Result<SavedEntry, ServerError> {
    ctx.require_mfa()?;
    let entry = input.parse().map_err(AppError::validation)?;
    let section = entry.section();
    let data = match serde_json::to_value(&entry)
        .map_err(|_| ServerError::Internal("assessment entry to JSON"))?
    {
        serde_json::Value::Object(mut map) => map.remove("input").unwrap_or_default(),
        _ => return Err(ServerError::Internal("assessment entry to JSON")),
    };
    let mut tx = ctx.begin(&state.db).await?;
    writable(&mut tx, ctx, recipient_id).await?;
    let (saved, change) = match item {
        None => {
            let count = sqlx::query_scalar!(
                r#"select count(*) as "n!" from assessment_entries
                   where recipient_id = $1 and office_id = $2 and section = $3"#,
                recipient_id,
                ctx.office_id(),
                section.as_str()
            )
            .fetch_one(&mut *tx)
            .await?;
            if count as usize >= section.max_entries() {
                let message = if section.is_list() {
                    format!(
                        "{}は{}件まで登録できます",
                        section.label(),
                        section.max_entries()
                    )
                } else {
                    format!(
                        "{}は既に登録されています。再読み込みしてください",
                        section.label()
                    )
                };
                return Err(AppError::with_message(ErrorCode::Conflict, message).into());
            }
            let id = sqlx::query_scalar!(
                "insert into assessment_entries (office_id, recipient_id, section, data,
                     created_by, updated_by)
                 values ($1, $2, $3, $4, $5, $5) returning id",
                ctx.office_id(),
                recipient_id,
                section.as_str(),
                data,
                ctx.staff_id(),
            )
            .fetch_one(&mut *tx)
            .await?;
            (SavedEntry { id, version: 1 }, Change::Created)
        }
        Some((id, version)) => {
            if lock_entry(&mut tx, ctx, recipient_id, id, version).await? != section {
                return Err(entry_not_found());
            }
            let version = sqlx::query_scalar!(
                "update assessment_entries set data = $2, updated_by = $3, version = version + 1
                 where id = $1 returning version",
                id,
                data,
                ctx.staff_id(),
            )
            .fetch_one(&mut *tx)
            .await?;
            (SavedEntry { id, version }, Change::Updated)
        }
    };
    record(
        &mut tx,
        ctx,
        section,
        change,
        recipient_id,
        saved.id,
        client,
    )
    .await?;
    tx.commit().await?;
    Ok(saved)
}

/// Removes an entry read at `version`.
pub async fn delete(
    state: &AppState,
    ctx: &TenantCtx,
    recipient_id: Uuid,
    id: Uuid,
    version: i32,
    client: &ClientInfo,
) -> Result<(), ServerError> {
    ctx.require_mfa()?;
    let mut tx = ctx.begin(&state.db).await?;
    writable(&mut tx, ctx, recipient_id).await?;
    let section = lock_entry(&mut tx, ctx, recipient_id, id, version).await?;
    sqlx::query!("delete from assessment_entries where id = $1", id)
        .execute(&mut *tx)
        .await?;
    record(
        &mut tx,
        ctx,
        section,
        Change::Deleted,
        recipient_id,
        id,
        client,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Locks the recipient's entry `id` read at `version`; answers its section.
async fn lock_entry(
    conn: &mut PgConnection,
    ctx: &TenantCtx,
    recipient_id: Uuid,
    id: Uuid,
    version: i32,
) -> Result<Section, ServerError> {
    let current = sqlx::query!(
        "select section, version from assessment_entries
         where id = $1 and recipient_id = $2 and office_id = $3 for update",
        id,
        recipient_id,
        ctx.office_id()
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(entry_not_found)?;
    if current.version != version {
        return Err(AppError::with_message(ErrorCode::Conflict, STALE).into());
    }
    Section::parse(&current.section).ok_or(ServerError::Internal("unknown section"))
}

async fn record(
    conn: &mut PgConnection,
    ctx: &TenantCtx,
    section: Section,
    change: Change,
    recipient_id: Uuid,
    item_id: Uuid,
    client: &ClientInfo,
) -> Result<(), ServerError> {
    audit::record(
        conn,
        audit::Entry::by(
            action(section, change),
            ctx.staff_id(),
            ctx.role(),
            Some(ctx.office_id()),
        )
        .target("recipient", recipient_id)
        .client(client)
        .detail("section", section.label())
        .detail("item_id", item_id.to_string()),
    )
    .await?;
    Ok(())
}
