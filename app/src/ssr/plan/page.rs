//! The plan page 「支援計画」 (SPEC §6.9) read in one tenant transaction: the recipient, every
//! cycle with its deadlines (from the SQL views), steps, documents with all versions and the
//! consent, the latest deadlines and the 減算 risk.

use super::{exceptions, steps::G8_WARNING};
use crate::ssr::{AppState, ServerError, auth::TenantCtx, recipients::store::not_found};
use shared::{
    Role,
    dates::{format_date_iso, format_datetime_jst, jst_date},
    document::{DocType, DocumentSource, DocumentView, Tombstone, VersionView},
    plan::{
        CycleStatus, OrderGuardMode, PlanStep, StepStatus,
        forms::{ConsentMethod, ConsenterRelation},
        risk::{RiskLevel, gap_note},
        views::{
            ConsentView, CycleView, Deadline, Deadlines, PlanPage, PlanRecipient, Risk, StepView,
        },
    },
    recipient::RecipientStatus,
    service_type::ServiceType,
};
use std::collections::HashMap;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

fn iso(date: Option<Date>) -> Option<String> {
    date.map(format_date_iso)
}

fn deadline(date: Option<Date>, today: Date) -> Option<Deadline> {
    date.map(|d| Deadline {
        date: format_date_iso(d),
        days: (d - today).whole_days(),
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub async fn load(
    app: &AppState,
    ctx: &TenantCtx,
    recipient_id: Uuid,
) -> Result<PlanPage, ServerError> {
    let mut tx = ctx.begin(&app.db).await?;
    let office_id = ctx.office_id();
    let recipient = sqlx::query!(
        r#"select r.last_name || ' ' || r.first_name as "name!",
                  r.last_name_kana || ' ' || r.first_name_kana as "kana!", r.status,
                  r.service_type, r.contract_date, r.self_plan, o.order_guard
           from recipients r join offices o on o.id = r.office_id
           where r.id = $1 and r.office_id = $2 and r.status <> 'deleted'"#,
        recipient_id,
        office_id,
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(not_found)?;
    let today = jst_date(OffsetDateTime::now_utc());
    let cycles = sqlx::query!(
        r#"select cycle_id as "id!", cycle_number as "number!", status::text as "status!",
                  is_latest as "is_latest!", cycle_start_date as "start_date!",
                  next_plan_start_days as "days!", gap_months, current_step::text as current_step,
                  delivered_date, monitoring_date, plan_due_date, valid_until
           from plan_cycle_deadlines where recipient_id = $1 and office_id = $2
           order by cycle_number desc"#,
        recipient_id,
        office_id,
    )
    .fetch_all(&mut *tx)
    .await?;
    let steps = sqlx::query!(
        r#"select s.cycle_id, s.step::text as "step!", s.status::text as "status!", s.step_date,
                  s.interview_done, s.handed_over, s.performed_by, s.performed_by_name,
                  s.participants, s.counselling_delivered_date, s.document_version_id,
                  s.order_exception, s.completed_at,
                  cb.last_name || ' ' || cb.first_name as completed_by_name
           from plan_steps s
           join plan_cycles c on c.id = s.cycle_id
           left join staffs cb on cb.id = s.completed_by
           where c.recipient_id = $1 and s.office_id = $2
           order by s.step"#,
        recipient_id,
        office_id,
    )
    .fetch_all(&mut *tx)
    .await?;
    let versions = sqlx::query!(
        r#"select d.id as document_id, d.cycle_id, d.doc_type::text as "doc_type!", v.id,
                  v.version, v.source::text as "source!", v.file_name, v.byte_size, v.sha256,
                  v.reason, v.uploaded_by_name, v.uploaded_at, v.deleted_at, v.delete_reason,
                  db.last_name || ' ' || db.first_name as deleted_by_name,
                  exists (select 1 from plan_steps s where s.document_version_id = v.id)
                      as "completes!"
           from plan_documents d
           join document_versions v on v.document_id = d.id
           left join staffs db on db.id = v.deleted_by
           where d.recipient_id = $1 and d.office_id = $2
           order by d.doc_type, v.version desc"#,
        recipient_id,
        office_id,
    )
    .fetch_all(&mut *tx)
    .await?;
    let consents = sqlx::query!(
        r#"select pc.cycle_id, pc.draft_version_id, v.version as draft_version, pc.consent_date,
                  pc.consenter_name, pc.consenter_relation, pc.consenter_relation_other,
                  pc.method, pc.electronic_prior_consent_date, pc.order_exception,
                  pc.recorded_by_name, pc.recorded_at
           from plan_consents pc
           join plan_cycles c on c.id = pc.cycle_id
           join document_versions v on v.id = pc.draft_version_id
           where c.recipient_id = $1 and pc.office_id = $2"#,
        recipient_id,
        office_id,
    )
    .fetch_all(&mut *tx)
    .await?;
    let latest = sqlx::query!(
        r#"select renewal_date, assessment_start_deadline, monitoring_due_date,
                  deadline_risk as "deadline_risk!", gap_month, docs_issue as "docs_issue!"
           from recipient_deadlines where recipient_id = $1 and office_id = $2"#,
        recipient_id,
        office_id,
    )
    .fetch_optional(&mut *tx)
    .await?;
    let staff = sqlx::query!(
        r#"select id, last_name || ' ' || first_name as "name!" from staffs
           where office_id = $1 and deleted_at is null order by last_name_kana, first_name_kana"#,
        office_id
    )
    .fetch_all(&mut *tx)
    .await?;
    let pending_days_request = sqlx::query_scalar!(
        r#"select exists (select 1 from approval_requests where office_id = $1
               and resource_id = $2 and action_type = 'set_next_plan_start_days'
               and status = 'pending') as "pending!""#,
        office_id,
        recipient_id,
    )
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;

    let recipient_status = RecipientStatus::parse(&recipient.status)
        .ok_or(ServerError::Internal("unknown recipient status"))?;
    let active = recipient_status == RecipientStatus::Active;
    let manager = ctx.role().at_least(Role::Manager);
    let can_write = manager && ctx.mfa_enabled() && active;
    let read_only_reason = if !manager {
        Some(
            "閲覧専用モード：従業員の権限では、ステップの完了や書類のアップロードはできません"
                .to_owned(),
        )
    } else if !active {
        Some("利用終了した利用者のため、閲覧専用です".to_owned())
    } else if !ctx.mfa_enabled() {
        Some(
            "閲覧専用モード：ステップの完了や書類のアップロードには、2段階認証の設定が必要です"
                .to_owned(),
        )
    } else {
        None
    };

    // Documents per (cycle, type), versions newest first.
    let mut documents: HashMap<(Uuid, DocType), DocumentView> = HashMap::new();
    let latest_cycle = cycles.iter().find(|c| c.is_latest);
    for v in &versions {
        let doc_type =
            DocType::parse(&v.doc_type).ok_or(ServerError::Internal("unknown doc type"))?;
        let doc = documents
            .entry((v.cycle_id, doc_type))
            .or_insert_with(|| DocumentView {
                id: v.document_id,
                doc_type,
                versions: Vec::new(),
            });
        doc.versions.push(VersionView {
            id: v.id,
            version: v.version,
            file_name: v.file_name.clone(),
            byte_size: u64::try_from(v.byte_size).unwrap_or_default(),
            sha256: hex(&v.sha256),
            source: DocumentSource::parse(&v.source).unwrap_or(DocumentSource::Uploaded),
            reason: v.reason.clone(),
            uploaded_by_name: v.uploaded_by_name.clone(),
            uploaded_at: format_datetime_jst(v.uploaded_at),
            deleted: v.deleted_at.map(|at| Tombstone {
                deleted_at: format_datetime_jst(at),
                deleted_by_name: v.deleted_by_name.clone().unwrap_or_default(),
                reason: v.delete_reason.clone().unwrap_or_default(),
            }),
            current: false,
            completes_step: v.completes,
            deletable: false,
        });
    }
    for ((cycle_id, doc_type), doc) in documents.iter_mut() {
        if let Some(current) = doc.versions.iter_mut().find(|v| v.deleted.is_none()) {
            current.current = true;
        }
        let cycle = cycles.iter().find(|c| c.id == *cycle_id);
        let open = cycle.is_some_and(|c| c.status == "open" && c.is_latest) && can_write;
        let step_incomplete =
            cycle.is_some_and(|c| doc_type.step().map(|s| s.as_str()) == c.current_step.as_deref());
        for v in doc.versions.iter_mut() {
            // §7.5: an open cycle, and not the version that completed its step unless that
            // step is the current one.
            v.deletable = open && v.deleted.is_none() && (!v.completes_step || step_incomplete);
        }
    }

    let mut views = Vec::with_capacity(cycles.len());
    for c in &cycles {
        let status = CycleStatus::parse(&c.status).ok_or(ServerError::Internal("cycle status"))?;
        let mut step_views = Vec::with_capacity(5);
        for s in steps.iter().filter(|s| s.cycle_id == c.id) {
            let step = PlanStep::parse(&s.step).ok_or(ServerError::Internal("plan step"))?;
            let step_status =
                StepStatus::parse(&s.status).ok_or(ServerError::Internal("step status"))?;
            let mut warnings = Vec::new();
            if step == PlanStep::FinalPlanSigned
                && step_status == StepStatus::Completed
                && !recipient.self_plan
                && s.counselling_delivered_date.is_none()
            {
                warnings.push(G8_WARNING.to_owned());
            }
            step_views.push(StepView {
                step,
                status: step_status,
                date: iso(s.step_date),
                interview_done: s.interview_done,
                handed_over: s.handed_over,
                performed_by: s.performed_by,
                performed_by_name: s.performed_by_name.clone(),
                participants: s.participants.clone(),
                counselling_delivered_date: iso(s.counselling_delivered_date),
                order_exception: s.order_exception.as_ref().and_then(exceptions::view),
                completed_at: s.completed_at.map(format_datetime_jst),
                completed_by_name: s.completed_by_name.clone(),
                document: documents.get(&(c.id, step.doc_type())).cloned(),
                completed_with: s.document_version_id,
                warnings,
            });
        }
        let draft_current = documents
            .get(&(c.id, DocType::DraftPlanPdf))
            .and_then(|d| d.current())
            .map(|v| v.id);
        let consent = consents
            .iter()
            .find(|pc| pc.cycle_id == c.id)
            .map(|pc| ConsentView {
                draft_version_id: pc.draft_version_id,
                draft_version: pc.draft_version,
                consent_date: format_date_iso(pc.consent_date),
                consenter_name: pc.consenter_name.clone(),
                relation: ConsenterRelation::parse(&pc.consenter_relation)
                    .unwrap_or(ConsenterRelation::Other),
                relation_other: pc.consenter_relation_other.clone(),
                method: ConsentMethod::parse(&pc.method).unwrap_or(ConsentMethod::Paper),
                electronic_prior_consent_date: iso(pc.electronic_prior_consent_date),
                stale: Some(pc.draft_version_id) != draft_current,
                recorded_by_name: pc.recorded_by_name.clone(),
                recorded_at: format_datetime_jst(pc.recorded_at),
                order_exception: pc.order_exception.as_ref().and_then(exceptions::view),
            });
        let has_exception = step_views.iter().any(|s| s.order_exception.is_some())
            || consent
                .as_ref()
                .is_some_and(|pc| pc.order_exception.is_some());
        let previous_monitoring_date = cycles
            .iter()
            .find(|p| p.number == c.number - 1)
            .and_then(|p| p.monitoring_date);
        views.push(CycleView {
            id: c.id,
            number: c.number,
            status,
            is_latest: c.is_latest,
            start_date: format_date_iso(c.start_date),
            plan_due_date: iso(c.plan_due_date),
            valid_until: iso(c.valid_until),
            delivered_date: iso(c.delivered_date),
            monitoring_date: iso(c.monitoring_date),
            previous_monitoring_date: iso(previous_monitoring_date),
            gap_months: c.gap_months,
            next_plan_start_days: c.days,
            current_step: c.current_step.as_deref().and_then(PlanStep::parse),
            steps: step_views,
            consent,
            has_exception,
            reopenable: None,
        });
    }
    // 「完了を取り消す」 (§6.2): the last completed step of the open latest cycle, or the
    // monitoring of the cycle before a latest one that has nothing yet.
    if can_write && let Some(latest) = latest_cycle {
        let latest_untouched = views.iter().find(|v| v.is_latest).is_some_and(|v| {
            v.steps.iter().all(|s| s.status != StepStatus::Completed)
                && v.consent.is_none()
                && v.steps
                    .iter()
                    .all(|s| s.document.as_ref().is_none_or(|d| d.current().is_none()))
        });
        for v in views.iter_mut() {
            v.reopenable = if v.is_latest && v.status == CycleStatus::Open {
                v.steps
                    .iter()
                    .rev()
                    .find(|s| s.status == StepStatus::Completed)
                    .map(|s| s.step)
            } else if v.number == latest.number - 1 && latest_untouched {
                Some(PlanStep::Monitoring)
            } else {
                None
            };
        }
    }

    let (deadlines, risk) = match latest {
        Some(l) => (
            Deadlines {
                renewal: deadline(l.renewal_date, today),
                assessment_start: deadline(l.assessment_start_deadline, today),
                monitoring_due: deadline(l.monitoring_due_date, today),
            },
            Risk {
                level: RiskLevel::parse(&l.deadline_risk).unwrap_or(RiskLevel::Ok),
                docs: l.docs_issue,
                note: l.gap_month.map(gap_note),
            },
        ),
        None => (
            Deadlines {
                renewal: None,
                assessment_start: None,
                monitoring_due: None,
            },
            Risk {
                level: RiskLevel::Ok,
                docs: false,
                note: None,
            },
        ),
    };
    Ok(PlanPage {
        recipient: PlanRecipient {
            id: recipient_id,
            name: recipient.name,
            kana: recipient.kana,
            status: recipient_status,
            service_type: ServiceType::from_code(&recipient.service_type)
                .ok_or(ServerError::Internal("unknown service type"))?,
            contract_date: iso(recipient.contract_date),
            self_plan: recipient.self_plan,
        },
        today: format_date_iso(today),
        order_guard: OrderGuardMode::parse(&recipient.order_guard).unwrap_or(OrderGuardMode::Block),
        deadlines,
        risk,
        cycles: views,
        staff: staff.into_iter().map(|s| (s.id, s.name)).collect(),
        can_write,
        read_only_reason,
        pending_days_request,
    })
}
