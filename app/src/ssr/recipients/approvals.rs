//! Employee approval requests (SPEC §1.2). An employee's recipient write runs every check it
//! would run for a manager (inside a savepoint that is rolled back), then waits as a request with
//! its normalised payload. A manager or owner of the office approves it — the write runs again,
//! as theirs, in the transaction that marks the request approved — or rejects it.

use super::{Target, execute, lifecycle, store};
use crate::ssr::{
    AppState, ServerError, audit,
    auth::{ClientInfo, TenantCtx},
    tenant,
};
use serde_json::json;
use shared::{
    AppError, ErrorCode, Role,
    approval::{
        ApprovalAction, ApprovalDetail, ApprovalList, ApprovalStatus, ApprovalSummary,
        EmployeeAction, parse_note,
    },
    dates::format_datetime_jst,
    recipient::{RecipientInput, SaveOutcome},
};
use sqlx::{Acquire, PgConnection, PgPool};
use std::collections::HashMap;
use uuid::Uuid;

pub const ALREADY_DECIDED: &str = "この申請は既に処理されています";
/// A pending request older than this expires (§1.2 Expiry; the daily `approval_expiry` job).
pub const EXPIRY_DAYS: i32 = 30;
const EXPIRED: &str = "この申請は有効期限（30日）が切れています。再申請を依頼してください";
const OUTDATED: &str =
    "申請後に利用者情報が更新されています。申請を却下し、再申請を依頼してください";
const DUPLICATE_AT_APPROVAL: &str = "同じ氏名・生年月日の利用者が登録されています。内容を確認のうえ、申請を却下し、再申請を依頼してください";

fn not_found() -> ServerError {
    AppError::with_message(ErrorCode::NotFound, "申請が見つかりません").into()
}

fn note(field: &str, text: &str) -> Result<Option<String>, ServerError> {
    parse_note(field, text).map_err(|e| AppError::validation(vec![e]).into())
}

/// 「利用者{氏名}さんの登録」 and the like: what a notice says was asked for.
fn subject(action: ApprovalAction, recipient_name: &str) -> String {
    let what = match action {
        ApprovalAction::Create => "登録",
        ApprovalAction::Update => "情報変更",
        ApprovalAction::Archive => "利用終了",
        ApprovalAction::Restore => "復元",
        ApprovalAction::Delete => "削除",
        ApprovalAction::SetNextPlanStartDays => "アセスメント開始期限の変更",
    };
    format!("利用者{recipient_name}さんの{what}")
}

/// The payload as stored: the input normalised by the same parsers the write uses.
async fn normalise(
    conn: &mut PgConnection,
    ctx: &TenantCtx,
    target: Option<Target>,
    action: EmployeeAction,
) -> Result<EmployeeAction, ServerError> {
    Ok(match action {
        EmployeeAction::Create {
            input,
            confirm_duplicate,
        } => EmployeeAction::Create {
            input: store::parse(conn, ctx.office_id(), &input, true)
                .await?
                .to_input(),
            confirm_duplicate,
        },
        EmployeeAction::Update { input } => EmployeeAction::Update {
            input: store::parse(conn, ctx.office_id(), &input, false)
                .await?
                .to_input(),
        },
        EmployeeAction::Archive { input } => {
            let target = target.ok_or(ServerError::Internal("archive without a target"))?;
            EmployeeAction::Archive {
                input: lifecycle::normalised_archive(conn, ctx.office_id(), target, &input).await?,
            }
        }
        other => other,
    })
}

async fn recipient_name(
    conn: &mut PgConnection,
    office_id: Uuid,
    target: Option<Target>,
    action: &EmployeeAction,
) -> Result<String, ServerError> {
    if let EmployeeAction::Create { input, .. } = action {
        return Ok(format!("{} {}", input.last_name, input.first_name));
    }
    let id = target
        .map(|t| t.id)
        .ok_or(ServerError::Internal("write without a target"))?;
    sqlx::query_scalar!(
        r#"select last_name || ' ' || first_name as "name!" from recipients
           where id = $1 and office_id = $2"#,
        id,
        office_id
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(store::not_found)
}

/// Active managers and owners of the office: who may decide a request.
async fn approvers(conn: &mut PgConnection, office_id: Uuid) -> Result<Vec<Uuid>, ServerError> {
    Ok(sqlx::query_scalar!(
        "select id from staffs where office_id = $1 and deleted_at is null
           and role in ('manager', 'owner')",
        office_id
    )
    .fetch_all(&mut *conn)
    .await?)
}

async fn notify(
    conn: &mut PgConnection,
    office_id: Uuid,
    staff_ids: &[Uuid],
    kind: &str,
    title: &str,
    body: &str,
    request_id: Uuid,
) -> Result<(), ServerError> {
    sqlx::query!(
        "insert into notices (office_id, staff_id, kind, title, body, link, approval_request_id)
         select $1, unnest($2::uuid[]), $3, $4, $5, '/approvals/' || $6::uuid, $6",
        office_id,
        staff_ids,
        kind,
        title,
        body,
        request_id,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Marks the approvers' 「申請がありました」 notices of a request resolved (kept, not deleted).
async fn resolve_notices(conn: &mut PgConnection, request_id: Uuid) -> Result<(), ServerError> {
    sqlx::query!(
        "update notices set resolved_at = now()
         where approval_request_id = $1 and kind = 'employee_action_pending' and resolved_at is null",
        request_id
    )
    .execute(conn)
    .await?;
    Ok(())
}

fn entry(
    action: &'static str,
    ctx: &TenantCtx,
    request_id: Uuid,
    kind: ApprovalAction,
    resource_id: Option<Uuid>,
    client: &ClientInfo,
) -> audit::Entry {
    let by =
        audit::Entry::by(action, ctx.staff_id(), ctx.role(), Some(ctx.office_id())).client(client);
    with_request(by, request_id, kind, resource_id)
}

/// The details every `employee_action.*` entry carries.
fn with_request(
    entry: audit::Entry,
    request_id: Uuid,
    kind: ApprovalAction,
    resource_id: Option<Uuid>,
) -> audit::Entry {
    let mut entry = entry
        .target("approval_request", request_id)
        .detail("action_type", kind.as_str())
        .detail("resource_type", "recipient");
    if let Some(id) = resource_id {
        entry = entry.detail("resource_id", id.to_string());
    }
    entry
}

/// An employee's write: checked exactly as it would run (a duplicate asks first, as for
/// managers), then stored as a pending request; the managers and owners are notified.
pub async fn submit(
    conn: &mut PgConnection,
    ctx: &TenantCtx,
    target: Option<Target>,
    action: EmployeeAction,
    request_note: &str,
    client: &ClientInfo,
) -> Result<SaveOutcome, ServerError> {
    let request_note = note("note", request_note)?;
    {
        // Every check of the real write, then undone: the early feedback of §1.2.
        let mut trial = Acquire::begin(&mut *conn).await?;
        let outcome = execute(&mut trial, ctx, target, &action, client).await?;
        trial.rollback().await?;
        if let SaveOutcome::DuplicateFound { .. } = outcome {
            return Ok(outcome);
        }
    }
    let action = normalise(conn, ctx, target, action).await?;
    let kind = action.kind();
    let name = recipient_name(conn, ctx.office_id(), target, &action).await?;
    let payload =
        serde_json::to_value(&action).map_err(|_| ServerError::Internal("payload to JSON"))?;
    let request_id = sqlx::query_scalar!(
        "insert into approval_requests (office_id, requester_id, action_type, resource_id,
             payload, base_version, note)
         values ($1, $2, $3, $4, $5, $6, $7) returning id",
        ctx.office_id(),
        ctx.staff_id(),
        kind.as_str(),
        target.map(|t| t.id),
        payload,
        // Only recipient writes check the version read; the days apply to the latest cycle.
        target
            .filter(|_| kind != ApprovalAction::SetNextPlanStartDays)
            .map(|t| t.version),
        request_note,
    )
    .fetch_one(&mut *conn)
    .await?;
    let requester = sqlx::query_scalar!(
        r#"select last_name || ' ' || first_name as "name!" from staffs where id = $1"#,
        ctx.staff_id()
    )
    .fetch_one(&mut *conn)
    .await?;
    let subject = subject(kind, &name);
    let approvers = approvers(conn, ctx.office_id()).await?;
    notify(
        conn,
        ctx.office_id(),
        &approvers,
        "employee_action_pending",
        &format!("{requester}さんが{subject}を申請しました"),
        "",
        request_id,
    )
    .await?;
    notify(
        conn,
        ctx.office_id(),
        &[ctx.staff_id()],
        "employee_action_request_sent",
        &format!("{subject}の申請を送信しました"),
        "",
        request_id,
    )
    .await?;
    audit::record(
        &mut *conn,
        entry(
            "employee_action.requested",
            ctx,
            request_id,
            kind,
            target.map(|t| t.id),
            client,
        ),
    )
    .await?;
    Ok(SaveOutcome::PendingApproval { request_id })
}

struct Row {
    id: Uuid,
    requester_id: Uuid,
    action_type: String,
    status: String,
    resource_id: Option<Uuid>,
    payload: serde_json::Value,
    base_version: Option<i32>,
    note: Option<String>,
    reviewer_notes: Option<String>,
    reviewed_at: Option<time::OffsetDateTime>,
    created_at: time::OffsetDateTime,
    recipient_name: String,
    requester_name: String,
    reviewer_name: Option<String>,
    current_version: Option<i32>,
}

impl Row {
    fn summary(&self) -> Result<ApprovalSummary, ServerError> {
        Ok(ApprovalSummary {
            id: self.id,
            action: ApprovalAction::parse(&self.action_type)
                .ok_or(ServerError::Internal("unknown approval action"))?,
            status: ApprovalStatus::parse(&self.status)
                .ok_or(ServerError::Internal("unknown approval status"))?,
            recipient_name: self.recipient_name.clone(),
            requester_name: self.requester_name.clone(),
            created_at: format_datetime_jst(self.created_at),
        })
    }

    fn action(&self) -> Result<EmployeeAction, ServerError> {
        serde_json::from_value(self.payload.clone())
            .map_err(|_| ServerError::Internal("unreadable approval payload"))
    }

    /// The recipient and the version the request was based on (requests without one, the
    /// アセスメント開始期限 days, act on the current version).
    fn target(&self) -> Option<Target> {
        Some(Target {
            id: self.resource_id?,
            version: self.base_version.or(self.current_version)?,
        })
    }
}

/// Requests of the office with their names; `id` picks one, `requester` limits to one staff
/// member's. The recipient's name comes from the payload until a registration is approved.
async fn rows(
    conn: &mut PgConnection,
    office_id: Uuid,
    id: Option<Uuid>,
    requester: Option<Uuid>,
    lock: bool,
) -> Result<Vec<Row>, ServerError> {
    if lock && let Some(id) = id {
        // Decisions and withdrawals of one request queue here; the status is read after.
        sqlx::query!(
            "select id from approval_requests where id = $1 and office_id = $2 for update",
            id,
            office_id
        )
        .fetch_optional(&mut *conn)
        .await?;
    }
    let rows = sqlx::query_as!(
        Row,
        r#"select a.id, a.requester_id, a.action_type, a.status::text as "status!", a.resource_id,
                  a.payload, a.base_version, a.note, a.reviewer_notes, a.reviewed_at, a.created_at,
                  coalesce(r.last_name || ' ' || r.first_name,
                           (a.payload -> 'input' ->> 'last_name') || ' '
                               || (a.payload -> 'input' ->> 'first_name'),
                           '') as "recipient_name!",
                  req.last_name || ' ' || req.first_name as "requester_name!",
                  rev.last_name || ' ' || rev.first_name as reviewer_name,
                  r.version as "current_version?"
           from approval_requests a
           join staffs req on req.id = a.requester_id
           left join staffs rev on rev.id = a.reviewed_by
           left join recipients r on r.id = a.resource_id and r.office_id = a.office_id
           where a.office_id = $1 and ($2::uuid is null or a.id = $2)
             and ($3::uuid is null or a.requester_id = $3)
           order by a.status = 'pending' desc, a.created_at desc
           limit 100"#,
        office_id,
        id,
        requester,
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows)
}

/// Managers and owners: the office's requests; employees: their own. Pending first.
pub async fn list(state: &AppState, ctx: &TenantCtx) -> Result<ApprovalList, ServerError> {
    let mut tx = ctx.begin(&state.db).await?;
    let mine = (ctx.role() == Role::Employee).then(|| ctx.staff_id());
    let rows = rows(&mut tx, ctx.office_id(), None, mine, false).await?;
    tx.commit().await?;
    let pending_for_me = rows
        .iter()
        .filter(|r| r.status == "pending" && decidable(ctx, r))
        .count() as u64;
    Ok(ApprovalList {
        items: rows.iter().map(Row::summary).collect::<Result<_, _>>()?,
        pending_for_me,
    })
}

fn decidable(ctx: &TenantCtx, row: &Row) -> bool {
    ctx.role().at_least(Role::Manager) && row.requester_id != ctx.staff_id()
}

/// One request: its payload as field-by-field changes against the current record.
pub async fn get(
    state: &AppState,
    ctx: &TenantCtx,
    id: Uuid,
) -> Result<ApprovalDetail, ServerError> {
    let mut tx = ctx.begin(&state.db).await?;
    let row = rows(&mut tx, ctx.office_id(), Some(id), None, false)
        .await?
        .into_iter()
        .next()
        .filter(|r| ctx.role().at_least(Role::Manager) || r.requester_id == ctx.staff_id())
        .ok_or_else(not_found)?;
    let staff: HashMap<String, String> = sqlx::query!(
        r#"select id, last_name || ' ' || first_name as "name!" from staffs where office_id = $1"#,
        ctx.office_id()
    )
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .map(|s| (s.id.to_string(), s.name))
    .collect();
    let staff_name = |id: &str| {
        staff
            .get(id)
            .cloned()
            .unwrap_or_else(|| "（不明な職員）".into())
    };
    let pending = row.status == "pending";
    let changes = match row.action()? {
        EmployeeAction::Create { input, .. } => {
            input.changes_from(&RecipientInput::default(), &staff_name)
        }
        // Processed updates show what was asked; the record has moved on since.
        EmployeeAction::Update { input } => match (pending, row.resource_id) {
            (true, Some(recipient)) => {
                let current = store::load(&mut tx, ctx.office_id(), recipient).await?;
                input.changes_from(&current.input, &staff_name)
            }
            _ => input.changes_from(&RecipientInput::default(), &staff_name),
        },
        EmployeeAction::Archive { input } => input
            .parse(time::Date::MAX, None)
            .map(|a| a.changes())
            .unwrap_or_default(),
        EmployeeAction::Restore { .. } | EmployeeAction::Delete => Vec::new(),
        EmployeeAction::SetNextPlanStartDays { days } => {
            let current = match row.resource_id {
                Some(recipient) => sqlx::query_scalar!(
                    "select next_plan_start_days from plan_cycles
                     where recipient_id = $1 and office_id = $2 and is_latest",
                    recipient,
                    ctx.office_id()
                )
                .fetch_optional(&mut *tx)
                .await?
                .map(|d| format!("{d}日"))
                .unwrap_or_default(),
                None => String::new(),
            };
            vec![shared::recipient::FieldChange {
                label: "アセスメント開始期限（サイクル開始日からの日数）".into(),
                before: current,
                after: format!("{days}日"),
            }]
        }
    };
    tx.commit().await?;
    Ok(ApprovalDetail {
        summary: row.summary()?,
        recipient_id: row.resource_id,
        note: row.note.clone(),
        changes,
        outdated: pending && row.base_version.is_some() && row.current_version != row.base_version,
        reviewer_name: row.reviewer_name.clone(),
        reviewer_notes: row.reviewer_notes.clone(),
        reviewed_at: row.reviewed_at.map(format_datetime_jst),
        decidable: pending && decidable(ctx, &row),
        withdrawable: pending && row.requester_id == ctx.staff_id(),
    })
}

/// Approves (the write runs now, as the approver, in this transaction; if it fails nothing
/// changes and the request stays pending) or rejects a pending request.
pub async fn decide(
    state: &AppState,
    ctx: &TenantCtx,
    id: Uuid,
    approve: bool,
    reviewer_notes: &str,
    client: &ClientInfo,
) -> Result<(), ServerError> {
    let reviewer_notes = note("notes", reviewer_notes)?;
    if approve {
        // The approver's own MFA rule applies to the write they carry out.
        ctx.require_mfa()?;
    }
    let mut tx = ctx.begin(&state.db).await?;
    let row = rows(&mut tx, ctx.office_id(), Some(id), None, true)
        .await?
        .into_iter()
        .next()
        .ok_or_else(not_found)?;
    if row.requester_id == ctx.staff_id() {
        return Err(AppError::with_message(
            ErrorCode::Forbidden,
            "自分の申請は承認・却下できません",
        )
        .into());
    }
    if row.status != "pending" {
        return Err(AppError::with_message(ErrorCode::Conflict, ALREADY_DECIDED).into());
    }
    // Between its 30th day and the next run of the expiry job a request is already over.
    if row.created_at < time::OffsetDateTime::now_utc() - time::Duration::days(EXPIRY_DAYS.into()) {
        return Err(AppError::with_message(ErrorCode::Conflict, EXPIRED).into());
    }
    let summary = row.summary()?;
    let mut resource_id = row.resource_id;
    let mut result = None;
    if approve {
        if row.base_version.is_some() && row.current_version != row.base_version {
            return Err(AppError::with_message(ErrorCode::Conflict, OUTDATED).into());
        }
        match execute(&mut tx, ctx, row.target(), &row.action()?, client).await? {
            SaveOutcome::Saved { id, version } => {
                resource_id = Some(id);
                result = Some(json!({"id": id, "version": version}));
            }
            SaveOutcome::DuplicateFound { .. } => {
                return Err(
                    AppError::with_message(ErrorCode::Conflict, DUPLICATE_AT_APPROVAL).into(),
                );
            }
            SaveOutcome::PendingApproval { .. } => {
                return Err(ServerError::Internal("an approval became a request"));
            }
        }
    }
    let status = if approve { "approved" } else { "rejected" };
    let decided = sqlx::query!(
        "update approval_requests set status = $2::text::approval_status, reviewed_by = $3,
             reviewed_at = now(), reviewer_notes = $4, execution_result = $5,
             resource_id = $6
         where id = $1 and status = 'pending'",
        id,
        status,
        ctx.staff_id(),
        reviewer_notes,
        result,
        resource_id,
    )
    .execute(&mut *tx)
    .await?;
    if decided.rows_affected() != 1 {
        return Err(AppError::with_message(ErrorCode::Conflict, ALREADY_DECIDED).into());
    }
    resolve_notices(&mut tx, id).await?;
    let subject = subject(summary.action, &summary.recipient_name);
    let (kind, title, action) = if approve {
        (
            "employee_action_approved",
            format!("{subject}の申請が承認されました"),
            "employee_action.approved",
        )
    } else {
        (
            "employee_action_rejected",
            format!("{subject}の申請が却下されました"),
            "employee_action.rejected",
        )
    };
    notify(
        &mut tx,
        ctx.office_id(),
        &[row.requester_id],
        kind,
        &title,
        reviewer_notes.as_deref().unwrap_or_default(),
        id,
    )
    .await?;
    audit::record(
        &mut *tx,
        entry(action, ctx, id, summary.action, resource_id, client),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The requester takes back a pending request (processed ones cannot change).
pub async fn withdraw(
    state: &AppState,
    ctx: &TenantCtx,
    id: Uuid,
    client: &ClientInfo,
) -> Result<(), ServerError> {
    let mut tx = ctx.begin(&state.db).await?;
    let row = rows(&mut tx, ctx.office_id(), Some(id), None, true)
        .await?
        .into_iter()
        .next()
        .filter(|r| r.requester_id == ctx.staff_id())
        .ok_or_else(not_found)?;
    let withdrawn = sqlx::query!(
        "update approval_requests set status = 'withdrawn' where id = $1 and status = 'pending'",
        id
    )
    .execute(&mut *tx)
    .await?;
    if withdrawn.rows_affected() != 1 {
        return Err(AppError::with_message(ErrorCode::Conflict, ALREADY_DECIDED).into());
    }
    resolve_notices(&mut tx, id).await?;
    audit::record(
        &mut *tx,
        entry(
            "employee_action.withdrawn",
            ctx,
            id,
            row.summary()?.action,
            row.resource_id,
            client,
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The daily `approval_expiry` job (§1.2, §15): in every office, pending requests older than
/// [`EXPIRY_DAYS`] become `expired`; each requester is told, the approvers' notices are resolved.
/// Office by office, each in its own tenant transaction (row-level security stays on); running
/// it twice changes nothing more. Returns how many requests expired.
pub async fn expire_stale(db: &PgPool) -> Result<u64, ServerError> {
    let offices = sqlx::query_scalar!("select id from offices order by id")
        .fetch_all(db)
        .await?;
    let mut expired = 0;
    for office_id in offices {
        expired += expire_in_office(db, office_id).await?;
    }
    Ok(expired)
}

async fn expire_in_office(db: &PgPool, office_id: Uuid) -> Result<u64, ServerError> {
    let mut tx = tenant::begin_for_office(db, office_id).await?;
    let expired = sqlx::query!(
        r#"with expired as (
               update approval_requests set status = 'expired'
               where office_id = $1 and status = 'pending'
                 and created_at < now() - make_interval(days => $2)
               returning id, requester_id, action_type, resource_id, payload
           )
           select e.id, e.requester_id, e.action_type, e.resource_id,
                  coalesce(r.last_name || ' ' || r.first_name,
                           (e.payload -> 'input' ->> 'last_name') || ' '
                               || (e.payload -> 'input' ->> 'first_name'),
                           '') as "recipient_name!"
           from expired e
           left join recipients r on r.id = e.resource_id and r.office_id = $1"#,
        office_id,
        EXPIRY_DAYS,
    )
    .fetch_all(&mut *tx)
    .await?;
    for request in &expired {
        let action = ApprovalAction::parse(&request.action_type)
            .ok_or(ServerError::Internal("unknown approval action"))?;
        resolve_notices(&mut tx, request.id).await?;
        notify(
            &mut tx,
            office_id,
            &[request.requester_id],
            "approval_request_expired",
            &format!(
                "{}の申請の有効期限（30日）が切れました",
                subject(action, &request.recipient_name)
            ),
            "必要であれば、もう一度申請してください。",
            request.id,
        )
        .await?;
        let system = audit::Entry::system("employee_action.expired").office(Some(office_id));
        audit::record(
            &mut *tx,
            with_request(system, request.id, action, request.resource_id),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(expired.len() as u64)
}
