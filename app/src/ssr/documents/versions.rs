//! The rows of an upload (SPEC §7.3, §7.9): what may be uploaded where, the version number and
//! key reserved with an intent before the object is stored (phase 2), and the transaction that
//! turns a stored object into a version — completing the step when asked — and drops the intent
//! (phase 4).

use crate::ssr::{
    AppState, ServerError, audit,
    auth::{ClientInfo, TenantCtx},
    plan::{
        staff_name,
        state::{self, CycleState},
        steps,
    },
    storage::version_key,
};
use shared::{
    AppError, ErrorCode, FieldError,
    document::{DocType, UploadMeta, UploadOutcome, parse_version_reason},
    plan::{CycleStatus, forms::StepCompletion},
};
use sqlx::PgConnection;
use uuid::Uuid;

/// An upload as asked for, parsed.
#[derive(Debug)]
pub struct UploadRequest {
    pub recipient_id: Uuid,
    pub cycle_id: Uuid,
    pub doc_type: DocType,
    pub reason: Option<String>,
    pub completion: Option<StepCompletion>,
}

fn invalid(field: &str, message: &str) -> ServerError {
    AppError::validation(vec![FieldError::new(field, message)]).into()
}

impl UploadRequest {
    pub fn parse(meta: &UploadMeta) -> Result<Self, ServerError> {
        let recipient_id = meta
            .recipient_id
            .ok_or_else(|| invalid("recipient_id", "利用者が指定されていません"))?;
        let cycle_id = meta
            .cycle_id
            .ok_or_else(|| invalid("cycle_id", "計画の回が指定されていません"))?;
        // The electronic-consent certificate is made by keikakun, never uploaded (P2).
        let doc_type = DocType::parse(&meta.doc_type)
            .filter(|t| *t != DocType::ConsentCertificate)
            .ok_or_else(|| invalid("doc_type", "書類の種類が正しくありません"))?;
        let reason = parse_version_reason(&meta.reason)
            .map_err(|e| ServerError::from(AppError::validation(vec![e])))?;
        let completion = match &meta.completion {
            Some(input) => {
                let step = doc_type
                    .step()
                    .ok_or(ServerError::Internal("doc type step"))?;
                Some(input.parse(step).map_err(AppError::validation)?)
            }
            None => None,
        };
        Ok(Self {
            recipient_id,
            cycle_id,
            doc_type,
            reason,
            completion,
        })
    }
}

async fn existing_document(
    conn: &mut PgConnection,
    office_id: Uuid,
    cycle_id: Uuid,
    doc_type: DocType,
) -> Result<Option<Uuid>, ServerError> {
    Ok(sqlx::query_scalar!(
        "select d.id from plan_documents d
         where d.cycle_id = $1 and d.office_id = $2 and d.doc_type = $3::text::document_type
           and exists (select 1 from document_versions v where v.document_id = d.id)",
        cycle_id,
        office_id,
        doc_type.as_str(),
    )
    .fetch_optional(conn)
    .await?)
}

/// §7.2's second check: the type matches the current step, or adds a version to a document the
/// cycle has (修正版を追加; a reason is required on a closed cycle). Archived recipients' records
/// are read only.
async fn check_target(
    conn: &mut PgConnection,
    state: &CycleState,
    request: &UploadRequest,
) -> Result<(), ServerError> {
    state.require_active_recipient()?;
    let current = state.current_step();
    let for_current_step = state.status == CycleStatus::Open
        && state.is_latest
        && current.is_some()
        && request.doc_type.step() == current;
    let existing = existing_document(conn, state.office_id, state.id, request.doc_type)
        .await?
        .is_some();
    if !for_current_step && !existing {
        return Err(AppError::with_message(
            ErrorCode::Conflict,
            match current {
                Some(step) if state.is_latest => format!(
                    "現在のステップは「{}」です。この書類はまだアップロードできません",
                    step.label()
                ),
                _ => "この回にはこの種類の書類がありません".to_owned(),
            },
        )
        .into());
    }
    if state.status == CycleStatus::Closed && request.reason.is_none() {
        return Err(invalid(
            "reason",
            "完了した回に修正版を追加するときは、修正理由を入力してください",
        ));
    }
    Ok(())
}

/// Every check that needs the database, before the file is read (§7.2: nothing is stored before
/// all checks pass); nothing is written.
pub async fn prepare(
    app: &AppState,
    ctx: &TenantCtx,
    request: &UploadRequest,
) -> Result<(), ServerError> {
    let mut tx = ctx.begin(&app.db).await?;
    let state = state::lock(
        &mut tx,
        ctx.office_id(),
        request.cycle_id,
        Some(request.recipient_id),
    )
    .await?;
    check_target(&mut tx, &state, request).await?;
    if let Some(completion) = &request.completion {
        steps::precheck(&mut tx, ctx, &state, completion).await?;
    }
    tx.rollback().await?;
    Ok(())
}

/// What phase 2 reserved: the key the object goes to and the version it will be.
#[derive(Clone, Debug)]
pub struct Reserved {
    pub intent_id: Uuid,
    pub key: String,
    pub document_id: Uuid,
    pub version: i32,
}

/// Phase 2: the document row (made on the first upload), the next version number — above every
/// version and every upload in flight — and the intent naming the key, committed.
pub async fn reserve(
    app: &AppState,
    ctx: &TenantCtx,
    request: &UploadRequest,
) -> Result<Reserved, ServerError> {
    let mut tx = ctx.begin(&app.db).await?;
    let state = state::lock(
        &mut tx,
        ctx.office_id(),
        request.cycle_id,
        Some(request.recipient_id),
    )
    .await?;
    check_target(&mut tx, &state, request).await?;
    sqlx::query!(
        "insert into plan_documents (office_id, recipient_id, cycle_id, doc_type)
         values ($1, $2, $3, $4::text::document_type)
         on conflict (cycle_id, doc_type) do nothing",
        ctx.office_id(),
        request.recipient_id,
        request.cycle_id,
        request.doc_type.as_str(),
    )
    .execute(&mut *tx)
    .await?;
    let document = sqlx::query!(
        r#"select d.id,
                  greatest(
                      (select max(v.version) from document_versions v where v.document_id = d.id),
                      (select max(i.version) from upload_intents i where i.document_id = d.id),
                      0) + 1 as "next!"
           from plan_documents d
           where d.cycle_id = $1 and d.office_id = $2 and d.doc_type = $3::text::document_type"#,
        request.cycle_id,
        ctx.office_id(),
        request.doc_type.as_str(),
    )
    .fetch_one(&mut *tx)
    .await?;
    let key = version_key(
        ctx.office_id(),
        request.recipient_id,
        request.cycle_id,
        request.doc_type,
        document.id,
        document.next,
    );
    let intent_id = sqlx::query_scalar!(
        "insert into upload_intents (office_id, storage_key, document_id, version)
         values ($1, $2, $3, $4) returning id",
        ctx.office_id(),
        key,
        document.id,
        document.next,
    )
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Reserved {
        intent_id,
        key,
        document_id: document.id,
        version: document.next,
    })
}

/// The stored file, as phase 1 measured it.
#[derive(Clone, Debug)]
pub struct StoredFile {
    pub file_name: String,
    pub byte_size: u64,
    pub sha256: [u8; 32],
}

/// Phase 4: one transaction on the locked cycle — the checks again, the version row, the step
/// completion when asked for, the audit, and the intent gone.
pub async fn attach(
    app: &AppState,
    ctx: &TenantCtx,
    reserved: &Reserved,
    request: &UploadRequest,
    file: &StoredFile,
    client: &ClientInfo,
) -> Result<UploadOutcome, ServerError> {
    let mut tx = ctx.begin(&app.db).await?;
    let state = state::lock(
        &mut tx,
        ctx.office_id(),
        request.cycle_id,
        Some(request.recipient_id),
    )
    .await?;
    check_target(&mut tx, &state, request).await?;
    let uploader = staff_name(&mut tx, ctx.office_id(), ctx.staff_id())
        .await?
        .unwrap_or_default();
    let version_id = sqlx::query_scalar!(
        "insert into document_versions (office_id, document_id, version, storage_key, file_name,
             byte_size, sha256, reason, uploaded_by, uploaded_by_name)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         returning id",
        ctx.office_id(),
        reserved.document_id,
        reserved.version,
        reserved.key,
        file.file_name,
        i64::try_from(file.byte_size).map_err(|_| ServerError::Internal("file size"))?,
        &file.sha256[..],
        request.reason,
        ctx.staff_id(),
        uploader,
    )
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| match &e {
        sqlx::Error::Database(db) if db.constraint() == Some("document_versions_document_id_version_key") => {
            AppError::with_message(
                ErrorCode::Conflict,
                "他の職員が同時に同じ書類をアップロードしました。画面を再読み込みしてから、もう一度お試しください",
            )
            .into()
        }
        _ => ServerError::from(e),
    })?;
    let sha256: String = file.sha256.iter().map(|b| format!("{b:02x}")).collect();
    audit::record(
        &mut *tx,
        audit::Entry::by(
            "document.uploaded",
            ctx.staff_id(),
            ctx.role(),
            Some(ctx.office_id()),
        )
        .target("document", reserved.document_id)
        .client(client)
        .detail("doc_type", request.doc_type.as_str())
        .detail("version", reserved.version)
        .detail("size", file.byte_size)
        .detail("sha256", sha256),
    )
    .await?;
    let completed = match &request.completion {
        Some(completion) => {
            Some(steps::complete(&mut tx, ctx, &state, completion, version_id, client).await?)
        }
        None => None,
    };
    sqlx::query!(
        "delete from upload_intents where id = $1 and office_id = $2",
        reserved.intent_id,
        ctx.office_id()
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(UploadOutcome {
        document_id: reserved.document_id,
        version_id,
        version: reserved.version,
        completed,
    })
}

/// The intent of an upload whose object is gone (the put failed, or the object was deleted
/// after phase 4 failed). A failure here leaves it to the sweeper.
pub async fn drop_intent(app: &AppState, ctx: &TenantCtx, reserved: &Reserved) {
    let dropped = async {
        let mut tx = ctx.begin(&app.db).await?;
        sqlx::query!(
            "delete from upload_intents where id = $1 and office_id = $2",
            reserved.intent_id,
            ctx.office_id()
        )
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok::<_, ServerError>(())
    };
    if let Err(error) = dropped.await {
        tracing::warn!(%error, "upload: could not drop the intent; the sweeper will");
    }
}
