//! One step card of a cycle: what was recorded, the document with every version (opened through
//! a short-lived link on click), the consent on step 4, the 順序例外 badge and warnings, and the
//! actions the caller may take now.

use super::{Action, PlanContext};
use crate::{api::documents::open_document, browser::go_to};
use leptos::prelude::*;
use shared::{
    dates::{format_date_ja, read_date},
    document::{DocumentView, VersionView, size_label},
    plan::{
        CycleStatus, PlanStep, StepStatus,
        views::{ConsentView, CycleView, OrderException, STALE_CONSENT, StepView},
    },
};
use uuid::Uuid;

fn date_ja(d: Option<&str>) -> String {
    d.and_then(|d| read_date(d).ok())
        .map(format_date_ja)
        .unwrap_or_else(|| "—".to_owned())
}

/// 「表示」 opens the preview dialog, 「ダウンロード」 the file; both ask for a fresh link.
fn open(ctx: PlanContext, version: Uuid, download: bool, error: RwSignal<Option<String>>) {
    leptos::task::spawn_local(async move {
        match open_document(version, download).await {
            Ok(link) if download => go_to(&link.url),
            Ok(link) => ctx.start(Action::Preview(link)),
            Err(e) => error.set(Some(e.user_message())),
        }
    });
}

#[component]
pub(super) fn StepCard(cycle: CycleView, step: StepView, ctx: PlanContext) -> impl IntoView {
    let plan = ctx.plan.get_value();
    let can_write = plan.can_write;
    let open_latest = cycle.is_latest && cycle.status == CycleStatus::Open;
    let current = cycle.current_step == Some(step.step);
    let error = RwSignal::new(None::<String>);
    let heading_id = format!("step-{}-{}", cycle.number, step.step.as_str());
    let status_label = match (step.status, current) {
        (StepStatus::Incomplete, true) => "現在のステップ",
        (status, _) => status.label(),
    };
    let status_class = match (step.status, current) {
        (StepStatus::Completed, _) => "badge badge--ok",
        (StepStatus::Migrated, _) => "badge",
        (StepStatus::Incomplete, true) => "badge badge--warn",
        (StepStatus::Incomplete, false) => "badge badge--muted",
    };
    let mut rows: Vec<(&'static str, String)> = Vec::new();
    if step.status.is_done() {
        rows.push((step.step.date_label(), date_ja(step.date.as_deref())));
    }
    if step.status == StepStatus::Completed {
        if step.interview_done == Some(true) {
            rows.push(("本人との面接", "実施した".into()));
        }
        if let Some(name) = &step.performed_by_name {
            rows.push(("実施者", name.clone()));
        }
        if let Some(p) = &step.participants {
            rows.push(("参加者", p.clone()));
        }
        if step.handed_over == Some(true) {
            rows.push(("本人（家族）への交付", "交付した".into()));
        }
        if step.step == PlanStep::FinalPlanSigned {
            rows.push((
                "相談支援事業所への交付日",
                date_ja(step.counselling_delivered_date.as_deref()),
            ));
        }
        if let (Some(at), Some(by)) = (&step.completed_at, &step.completed_by_name) {
            rows.push(("完了の記録", format!("{at}　{by}")));
        }
    }
    if step.status == StepStatus::Migrated {
        rows.push(("記録", "けいかくんの利用開始前の計画（移行データ）".into()));
    }
    let actions_cycle = cycle.clone();
    let step_name = step.step;
    let complete = {
        let cycle = cycle.clone();
        move |_| {
            ctx.start(Action::Complete {
                cycle: Box::new(cycle.clone()),
                step: step_name,
            })
        }
    };
    let consent = {
        let cycle = cycle.clone();
        move |_| {
            ctx.start(Action::Consent {
                cycle: Box::new(cycle.clone()),
            })
        }
    };
    let dates = {
        let cycle = cycle.clone();
        move |_| {
            ctx.start(Action::Dates {
                cycle: Box::new(cycle.clone()),
                step: step_name,
            })
        }
    };
    let cycle_id = cycle.id;
    let reopen = move |_| {
        ctx.start(Action::Reopen {
            cycle_id,
            step: step_name,
        })
    };
    let meeting_done = actions_cycle
        .step(PlanStep::StaffMeeting)
        .is_some_and(|s| s.status.is_done());
    let show_consent = step.step == PlanStep::FinalPlanSigned;
    let consent_view = cycle.consent.clone();
    let can_consent = can_write
        && open_latest
        && show_consent
        && meeting_done
        && step.status == StepStatus::Incomplete;
    let document = step.document.clone();
    let completed_with = step.completed_with;
    let closed = cycle.status == CycleStatus::Closed;
    let ended = cycle.status == CycleStatus::Ended;
    let doc_type = step.step.doc_type();
    let labelled_by = heading_id.clone();
    view! {
        <article class="step-card" class:step-card--current=current aria-labelledby=labelled_by>
            <header class="step-card__header">
                <h3 id=heading_id>{format!("{}. {}", step.step.number(), step.step.label())}</h3>
                <span class=status_class>{status_label}</span>
                {step.order_exception.clone().map(|e| view! { <ExceptionBadge exception=e /> })}
            </header>
            {(!rows.is_empty()).then(|| view! {
                <dl class="summary summary--compact">
                    {rows.into_iter().map(|(label, value)| view! { <div><dt>{label}</dt><dd>{value}</dd></div> }).collect_view()}
                </dl>
            })}
            {step.warnings.iter().map(|w| view! { <p class="notice notice--warn">{w.clone()}</p> }).collect_view()}
            {show_consent.then(|| view! { <ConsentRecord consent=consent_view.clone() /> })}
            {document.map(|d| view! { <DocumentBlock document=d completed_with ctx error /> })}
            <p class="form-alert" class:form-alert--shown=move || error.with(Option::is_some) role="alert">{move || error.get()}</p>
            {can_write.then(|| view! {
                <div class="button-row step-card__actions">
                    {(open_latest && current).then(|| view! {
                        <button type="button" class="button" on:click=complete.clone()>"完了にする"</button>
                    })}
                    {can_consent.then(|| view! {
                        <button type="button" class="button button--secondary" on:click=consent.clone()>"同意を記録"</button>
                    })}
                    {(open_latest && step.status == StepStatus::Completed).then(|| view! {
                        <button type="button" class="button button--secondary" on:click=dates.clone()>"日付を修正"</button>
                    })}
                    {(actions_cycle.reopenable == Some(step.step)).then(|| view! {
                        <button type="button" class="link-button link-button--danger" on:click=reopen>"完了を取り消す"</button>
                    })}
                    {(step.document.as_ref().is_some_and(|d| d.current().is_some()) && !ended).then(|| view! {
                        <button
                            type="button"
                            class="button button--secondary"
                            on:click=move |_| ctx.start(Action::AddVersion { cycle_id, closed, doc_type })
                        >
                            "修正版を追加"
                        </button>
                    })}
                </div>
            })}
        </article>
    }
}

#[component]
fn ExceptionBadge(exception: OrderException) -> impl IntoView {
    let detail = match &exception.reason {
        Some(reason) => format!("{}（理由: {reason}）", exception.rules.join("・")),
        None => format!("{}（警告のみの設定で記録）", exception.rules.join("・")),
    };
    view! {
        <span class="badge badge--exception">"順序例外"</span>
        <span class="visually-hidden">{detail.clone()}</span>
        <span class="step-card__exception" aria-hidden="true">{detail}</span>
    }
}

#[component]
fn ConsentRecord(consent: Option<ConsentView>) -> impl IntoView {
    let Some(c) = consent else {
        return view! { <p class="step-card__note">"同意はまだ記録されていません。"</p> }
            .into_any();
    };
    let relation = match &c.relation_other {
        Some(other) => format!("{}（{other}）", c.relation.label()),
        None => c.relation.label().to_owned(),
    };
    let mut rows = vec![
        ("同意日", date_ja(Some(&c.consent_date))),
        ("同意者", format!("{}（{relation}）", c.consenter_name)),
        ("同意方法", c.method.label().to_owned()),
        ("同意対象の原案", format!("第{}版", c.draft_version)),
    ];
    if let Some(prior) = &c.electronic_prior_consent_date {
        rows.push(("電磁的方法についての事前同意日", date_ja(Some(prior))));
    }
    view! {
        <div class="consent">
            <h4>"同意の記録"</h4>
            {c.stale.then(|| view! { <p class="notice notice--warn" role="status">{STALE_CONSENT}</p> })}
            {c.order_exception.clone().map(|e| view! { <ExceptionBadge exception=e /> })}
            <dl class="summary summary--compact">
                {rows.into_iter().map(|(label, value)| view! { <div><dt>{label}</dt><dd>{value}</dd></div> }).collect_view()}
            </dl>
        </div>
    }
    .into_any()
}

#[component]
fn DocumentBlock(
    document: DocumentView,
    completed_with: Option<Uuid>,
    ctx: PlanContext,
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    let history = RwSignal::new(false);
    let current = document.current().cloned();
    let count = document.versions.len();
    let versions = document.versions.clone();
    let history_id = format!("history-{}", document.id);
    view! {
        <div class="document">
            <h4>{document.doc_type.label()}</h4>
            {match current {
                Some(v) => view! { <VersionLine version=v completed_with ctx error /> }.into_any(),
                None => view! { <p>"現在の版はありません（すべて削除済み）"</p> }.into_any(),
            }}
            <button
                type="button"
                class="link-button"
                aria-expanded=move || history.get().to_string()
                aria-controls=history_id.clone()
                on:click=move |_| history.update(|h| *h = !*h)
            >
                {format!("履歴（{count}版）")}
            </button>
            <ul id=history_id class="document__versions" class:hidden=move || !history.get()>
                {versions.into_iter().map(|v| view! { <li><VersionLine version=v completed_with ctx error /></li> }).collect_view()}
            </ul>
        </div>
    }
}

#[component]
fn VersionLine(
    version: VersionView,
    completed_with: Option<Uuid>,
    ctx: PlanContext,
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    let id = version.id;
    let meta = format!(
        "第{}版・{}・{}　{}",
        version.version,
        size_label(version.byte_size),
        version.uploaded_at,
        version.uploaded_by_name
    );
    let deletable = version.deletable;
    let label = format!("第{}版", version.version);
    if let Some(t) = &version.deleted {
        return view! {
            <p class="document__version document__version--deleted">
                <span class="badge badge--muted">"削除済み"</span>
                {format!(" {}（{}）", version.file_name, meta)}
                <br />
                {format!("{}　{}　理由: {}", t.deleted_at, t.deleted_by_name, t.reason)}
            </p>
        }
        .into_any();
    }
    view! {
        <p class="document__version">
            <span class="document__name">{version.file_name.clone()}</span>
            {version.current.then(|| view! { <span class="badge">"現在の版"</span> })}
            {(Some(id) == completed_with).then(|| view! { <span class="badge badge--ok">"完了に使用"</span> })}
            <br />
            <span class="document__meta">{meta}</span>
            {version.reason.clone().map(|r| view! { <span class="document__meta">{format!("　修正理由: {r}")}</span> })}
            <span class="button-row">
                <button type="button" class="link-button" on:click=move |_| open(ctx, id, false, error)>
                    {format!("表示（{label}）")}
                </button>
                <button type="button" class="link-button" on:click=move |_| open(ctx, id, true, error)>
                    {format!("ダウンロード（{label}）")}
                </button>
                {(deletable && ctx.plan.with_value(|p| p.can_write)).then(|| {
                    let label = label.clone();
                    view! {
                        <button
                            type="button"
                            class="link-button link-button--danger"
                            on:click=move |_| ctx.start(Action::DeleteVersion { version_id: id, label: label.clone() })
                        >
                            {format!("削除（{}）", label)}
                        </button>
                    }
                })}
            </span>
        </p>
    }
    .into_any()
}
