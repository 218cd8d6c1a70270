//! CSV import and export (SPEC §4.6). The file is read by `shared::recipient::csv` (every value
//! through the wizard's parser); here the office's data goes in (service types, staff e-mails,
//! existing names for the duplicate guard) and the rows go into the database, all or none.

use super::{list, store};
use crate::ssr::{
    AppState, ServerError, audit,
    auth::{ClientInfo, TenantCtx},
    limits,
};
use sha2::{Digest, Sha256};
use shared::{
    AppError, ErrorCode, FieldError,
    dates::{format_date_iso, jst_date},
    recipient::{
        CellError, CsvFile, ImportPreview, ListQuery,
        csv::{self as file, ExportRow, ImportContext, ParsedFile},
    },
};
use sqlx::PgConnection;
use std::collections::{HashMap, HashSet};
use time::OffsetDateTime;
use uuid::Uuid;

const EXPIRED: &str = "取り込みの確認の有効期限（30分）が切れたか、ファイルが変わりました。もう一度ファイルを選んで確認してください";
const DUPLICATE: &str =
    "同じ氏名・生年月日の利用者がいます。登録する場合は「重複許可」に 1 を入れてください";

fn file_error(message: String) -> ServerError {
    AppError::validation(vec![FieldError::new("file", message)]).into()
}

/// Reads the file against this office and adds the duplicate guard (§4.5): a row whose name
/// and birth date exist already, or appear on an earlier row, is refused unless 重複許可 = 1.
async fn read(
    conn: &mut PgConnection,
    ctx: &TenantCtx,
    bytes: &[u8],
) -> Result<(ParsedFile, u32), ServerError> {
    let recipient = store::parse_context(conn, ctx.office_id(), true).await?;
    let staff_emails: HashMap<String, Uuid> = sqlx::query!(
        r#"select id, lower(email::text) as "email!" from staffs
           where office_id = $1 and deleted_at is null"#,
        ctx.office_id()
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|s| (s.email, s.id))
    .collect();
    let mut parsed = file::parse_file(
        bytes,
        &ImportContext {
            recipient,
            staff_emails,
        },
    )
    .map_err(|e| file_error(e.message()))?;
    let existing: HashSet<(String, String, time::Date)> = sqlx::query!(
        "select last_name, first_name, birth_date from recipients
         where office_id = $1 and status <> 'deleted'",
        ctx.office_id()
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|r| (r.last_name, r.first_name, r.birth_date))
    .collect();
    let mut seen = HashSet::new();
    let mut duplicates = 0;
    let mut kept = Vec::with_capacity(parsed.rows.len());
    for row in std::mem::take(&mut parsed.rows) {
        let p = &row.profile;
        let key = (
            p.last_name.to_string(),
            p.first_name.to_string(),
            p.birth_date,
        );
        let duplicate = existing.contains(&key) || !seen.insert(key);
        if duplicate && !row.allow_duplicate {
            duplicates += 1;
            parsed.errors.push(CellError {
                row: row.row,
                column: "姓".into(),
                message: DUPLICATE.into(),
            });
        } else {
            kept.push(row);
        }
    }
    parsed.rows = kept;
    parsed.errors.sort_by_key(|e| e.row);
    Ok((parsed, duplicates))
}

fn sha256(bytes: &[u8]) -> Vec<u8> {
    Sha256::digest(bytes).to_vec()
}

/// The dry run: every row checked, nothing saved; the answer binds this staff member and this
/// file for 30 minutes.
pub async fn preview(
    state: &AppState,
    ctx: &TenantCtx,
    bytes: &[u8],
) -> Result<ImportPreview, ServerError> {
    ctx.require_mfa()?;
    let mut tx = ctx.begin(&state.db).await?;
    let (parsed, duplicates) = read(&mut tx, ctx, bytes).await?;
    let total = parsed.rows.len()
        + parsed
            .errors
            .iter()
            .map(|e| e.row)
            .collect::<HashSet<_>>()
            .len();
    let preview_id = sqlx::query_scalar!(
        "insert into csv_import_previews (office_id, staff_id, file_sha256, rows)
         values ($1, $2, $3, $4) returning id",
        ctx.office_id(),
        ctx.staff_id(),
        sha256(bytes),
        total as i32,
    )
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(ImportPreview {
        preview_id,
        rows: total as u32,
        new: parsed.rows.len() as u32,
        incomplete: parsed.rows.iter().filter(|r| !r.missing.is_empty()).count() as u32,
        duplicates,
        errors: parsed.errors,
        warnings: parsed.warnings,
    })
}

/// 「取り込む」: the same file again, read again; every row is registered in one transaction, or
/// none when anything is wrong.
pub async fn commit(
    state: &AppState,
    ctx: &TenantCtx,
    preview_id: Uuid,
    bytes: &[u8],
    client: &ClientInfo,
) -> Result<u32, ServerError> {
    ctx.require_mfa()?;
    limits::hit(
        &state.db,
        limits::CSV_IMPORTS_PER_OFFICE,
        &ctx.office_id().to_string(),
    )
    .await?;
    let digest = sha256(bytes);
    let mut tx = ctx.begin(&state.db).await?;
    let claimed = sqlx::query_scalar!(
        "update csv_import_previews set used_at = now()
         where id = $1 and office_id = $2 and staff_id = $3 and file_sha256 = $4
           and used_at is null and expires_at > now()
         returning id",
        preview_id,
        ctx.office_id(),
        ctx.staff_id(),
        digest,
    )
    .fetch_optional(&mut *tx)
    .await?;
    if claimed.is_none() {
        return Err(AppError::with_message(ErrorCode::Conflict, EXPIRED).into());
    }
    let (parsed, _) = read(&mut tx, ctx, bytes).await?;
    if !parsed.errors.is_empty() {
        return Err(AppError::with_message(
            ErrorCode::ValidationFailed,
            "ファイルに誤りがあるため、取り込みませんでした。確認画面の一覧を直してから、もう一度お試しください",
        )
        .into());
    }
    for row in &parsed.rows {
        let id = store::insert(&mut tx, ctx.office_id(), ctx.staff_id(), &row.profile).await?;
        let missing: Vec<&str> = row.missing.iter().copied().collect();
        store::clear_missing(&mut tx, ctx.office_id(), id, &missing).await?;
    }
    let count = parsed.rows.len() as u32;
    audit::record(
        &mut *tx,
        audit::Entry::by(
            "recipient.imported",
            ctx.staff_id(),
            ctx.role(),
            Some(ctx.office_id()),
        )
        .target("office", ctx.office_id())
        .client(client)
        .detail("row_count", count)
        .detail("file_sha256", hex(&digest)),
    )
    .await?;
    tx.commit().await?;
    Ok(count)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The recipients of the list's current filters (every page), as a CSV file.
pub async fn export(
    state: &AppState,
    ctx: &TenantCtx,
    query: ListQuery,
    filters: &str,
    client: &ClientInfo,
) -> Result<CsvFile, ServerError> {
    let mut tx = ctx.begin(&state.db).await?;
    let ids = list::all_ids(&mut tx, ctx, &query).await?;
    let emails: HashMap<String, String> = sqlx::query!(
        r#"select id, email::text as "email!" from staffs where office_id = $1"#,
        ctx.office_id()
    )
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .map(|s| (s.id.to_string(), s.email))
    .collect();
    let plans: HashMap<uuid::Uuid, [String; 4]> = sqlx::query!(
        r#"select recipient_id as "recipient_id!", cycle_number as "cycle_number!",
                  current_step::text as current_step, renewal_date, assessment_start_deadline
           from recipient_deadlines where office_id = $1 and recipient_id = any($2)"#,
        ctx.office_id(),
        &ids,
    )
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .map(|p| {
        let step = p
            .current_step
            .as_deref()
            .and_then(shared::plan::PlanStep::parse)
            .map(|s| s.label().to_owned())
            .unwrap_or_else(|| "完了".to_owned());
        (
            p.recipient_id,
            [
                p.cycle_number.to_string(),
                step,
                p.renewal_date.map(format_date_iso).unwrap_or_default(),
                p.assessment_start_deadline
                    .map(format_date_iso)
                    .unwrap_or_default(),
            ],
        )
    })
    .collect();
    let mut rows = Vec::with_capacity(ids.len());
    for id in ids {
        let record = store::load(&mut tx, ctx.office_id(), id).await?;
        let end_date = sqlx::query_scalar!(
            "select end_date from recipients where id = $1 and office_id = $2",
            id,
            ctx.office_id()
        )
        .fetch_one(&mut *tx)
        .await?;
        rows.push(ExportRow {
            id,
            status: record.status,
            end_date: end_date.map(format_date_iso).unwrap_or_default(),
            staff_emails: record
                .input
                .assigned_staff_ids
                .iter()
                .filter_map(|s| emails.get(s).cloned())
                .collect(),
            input: record.input,
            plan: plans.get(&id).cloned().unwrap_or_default(),
        });
    }
    let count = rows.len() as u32;
    audit::record(
        &mut *tx,
        audit::Entry::by(
            "recipient.exported",
            ctx.staff_id(),
            ctx.role(),
            Some(ctx.office_id()),
        )
        .target("office", ctx.office_id())
        .client(client)
        .detail("row_count", count)
        .detail("filters", filters),
    )
    .await?;
    tx.commit().await?;
    let content = String::from_utf8(file::export(&rows))
        .map_err(|_| ServerError::Internal("CSV export is not UTF-8"))?;
    let today = jst_date(OffsetDateTime::now_utc());
    Ok(CsvFile {
        filename: format!(
            "keikakun-recipients-{:04}{:02}{:02}.csv",
            today.year(),
            u8::from(today.month()),
            today.day()
        ),
        content,
        rows: count,
    })
}
