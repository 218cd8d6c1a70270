//! `/recipients/:id/plan` 「支援計画」 (SPEC §6.9): the deadlines and the 減算 risk of the latest
//! cycle, one tab per cycle 「第N回」 (latest first; the tab is in the URL, `?cycle=N`, so it
//! works without JavaScript), five step cards per cycle, and 「サイクル一覧」. Managers and owners
//! complete, reopen and correct steps and add or delete versions in dialogs; employees see the
//! page in 「閲覧専用モード」.

mod days;
mod forms;
mod steps;

use crate::{api::plan::get_plan, components::modal::Modal, session::SignedIn};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use shared::{
    AppError,
    account::CurrentUser,
    dates::{days_label, format_date_ja, read_date},
    document::{DocType, OpenLink},
    plan::{
        PlanStep, Urgency,
        risk::RiskLevel,
        views::{CycleView, Deadline, PlanPage as Plan, Risk},
    },
};
use uuid::Uuid;

/// What a dialog of the page is doing.
#[derive(Clone, Debug)]
pub(super) enum Action {
    Complete {
        cycle: Box<CycleView>,
        step: PlanStep,
    },
    Consent {
        cycle: Box<CycleView>,
    },
    Reopen {
        cycle_id: Uuid,
        step: PlanStep,
    },
    Dates {
        cycle: Box<CycleView>,
        step: PlanStep,
    },
    AddVersion {
        cycle_id: Uuid,
        closed: bool,
        doc_type: DocType,
    },
    DeleteVersion {
        version_id: Uuid,
        label: String,
    },
    Preview(OpenLink),
}

impl Action {
    fn title(&self) -> String {
        match self {
            Self::Complete { step, .. } => format!("「{}」を完了にする", step.label()),
            Self::Consent { .. } => "同意を記録".to_owned(),
            Self::Reopen { step, .. } => format!("「{}」の完了を取り消す", step.label()),
            Self::Dates { step, .. } => format!("「{}」の日付を修正", step.label()),
            Self::AddVersion { doc_type, .. } => format!("{}の修正版を追加", doc_type.label()),
            Self::DeleteVersion { label, .. } => format!("{label}を削除"),
            Self::Preview(link) => link.file_name.clone(),
        }
    }
}

/// What every part of the page shares.
#[derive(Clone, Copy)]
pub(super) struct PlanContext {
    pub plan: StoredValue<Plan>,
    pub me: Uuid,
    /// A manager or owner (employees ask for the アセスメント開始期限 days through approval).
    pub manager: bool,
    pub action: RwSignal<Option<Action>>,
    pub open: RwSignal<bool>,
    reload: RwSignal<u32>,
}

impl PlanContext {
    pub fn start(self, action: Action) {
        self.action.set(Some(action));
        self.open.set(true);
    }

    /// After a write: close the dialog and read the page again.
    pub fn done(self) {
        self.open.set(false);
        self.reload.update(|n| *n += 1);
    }
}

#[component]
pub fn PlanPage() -> impl IntoView {
    // Read and created here, where the route is, not inside `SignedIn`'s suspense.
    let id =
        use_params_map().with_untracked(|p| p.get("id").and_then(|id| id.parse::<Uuid>().ok()));
    let reload = RwSignal::new(0u32);
    let data = Resource::new(
        move || (id, reload.get()),
        |(id, _)| async move {
            match id {
                Some(id) => get_plan(id).await,
                None => Err(AppError::not_found()),
            }
        },
    );
    view! {
        <Title text="支援計画" />
        <SignedIn render=move |user| plan_for(user, id, reload, data) />
    }
}

fn plan_for(
    user: CurrentUser,
    id: Option<Uuid>,
    reload: RwSignal<u32>,
    data: Resource<Result<Plan, AppError>>,
) -> AnyView {
    let Some(id) = id else {
        return view! { <p class="form-alert form-alert--shown" role="alert">{AppError::not_found().user_message()}</p> }.into_any();
    };
    let me = user.staff_id;
    let manager = user.role.at_least(shared::Role::Manager);
    view! {
        <section class="settings settings--wide plan" aria-labelledby="plan-title">
            <p><a href=format!("/recipients/{id}")>"← 利用者の詳細へ"</a></p>
            <Transition fallback=|| view! { <p class="loading">"読み込み中…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(plan) => view! { <PlanView plan me manager reload /> }.into_any(),
                        Err(e) => view! {
                            <h1 id="plan-title">"支援計画"</h1>
                            <p class="form-alert form-alert--shown" role="alert">{e.user_message()}</p>
                        }
                        .into_any(),
                    }
                })}
            </Transition>
        </section>
    }
    .into_any()
}

/// 「残りN日」 with its urgency colour (never colour alone: the text says it).
#[component]
pub(super) fn Countdown(deadline: Deadline) -> impl IntoView {
    let date = read_date(&deadline.date)
        .map(format_date_ja)
        .unwrap_or(deadline.date.clone());
    view! {
        <span class="deadline">
            {date}
            " "
            <span class=Urgency::of(deadline.days).class()>{days_label(deadline.days)}</span>
        </span>
    }
}

/// The 減算 risk badges (§6.8).
#[component]
pub fn RiskBadges(risk: Risk) -> impl IntoView {
    let level = (risk.level != RiskLevel::Ok).then(|| {
        view! { <span class=risk.level.class()>{risk.level.label()}</span> }
    });
    let docs = risk
        .docs
        .then(|| view! { <span class=RiskLevel::Docs.class()>"書類不備・順序例外"</span> });
    let note = risk
        .note
        .map(|n| view! { <span class="risk__note">{n}</span> });
    view! { <span class="risk-badges">{level}{docs}{note}</span> }
}

#[component]
fn PlanView(plan: Plan, me: Uuid, manager: bool, reload: RwSignal<u32>) -> impl IntoView {
    let query = use_query_map();
    let latest_number = plan.latest().map(|c| c.number).unwrap_or(1);
    let selected = move || {
        query
            .with(|q| q.get("cycle").and_then(|n| n.parse::<i32>().ok()))
            .unwrap_or(latest_number)
    };
    let ctx = PlanContext {
        plan: StoredValue::new(plan.clone()),
        me,
        manager,
        action: RwSignal::new(None),
        open: RwSignal::new(false),
        reload,
    };
    let title = Signal::derive(move || {
        ctx.action
            .with(|a| a.as_ref().map(Action::title).unwrap_or_default())
    });
    let recipient = plan.recipient.clone();
    let deadlines = plan.deadlines.clone();
    let cycles = plan.cycles.clone();
    let tabs = cycles.clone();
    view! {
        <h1 id="plan-title">{format!("{} さんの支援計画", recipient.name)}</h1>
        <p class="status-line">
            {recipient.kana.clone()}
            "　サービス種別: " {recipient.service_type.label()}
            "　状態: " <strong>{recipient.status.label()}</strong>
        </p>
        {plan.read_only_reason.clone().map(|reason| view! {
            <div class="notice" role="status"><p>{reason}</p></div>
        })}
        <dl class="summary plan__deadlines">
            <div>
                <dt>"次回更新日"</dt>
                <dd>{deadlines.renewal.clone().map(|d| view! { <Countdown deadline=d /> }.into_any()).unwrap_or_else(|| "—".into_any())}</dd>
            </div>
            {deadlines.assessment_start.clone().map(|d| view! {
                <div><dt>"アセスメント開始期限"</dt><dd><Countdown deadline=d /></dd></div>
            })}
            {deadlines.monitoring_due.clone().map(|d| view! {
                <div><dt>"モニタリング期限"</dt><dd><Countdown deadline=d /></dd></div>
            })}
            <div><dt>"減算リスク"</dt><dd><RiskBadges risk=plan.risk.clone() />{(plan.risk.level == RiskLevel::Ok && !plan.risk.docs).then_some("問題なし")}</dd></div>
        </dl>
        <days::NextPlanStartDays ctx />
        <nav class="cycle-tabs" aria-label="計画の回">
            <ul>
                {tabs.iter().map(|c| {
                    let number = c.number;
                    let label = if c.is_latest { format!("第{number}回（最新）") } else { format!("第{number}回") };
                    view! {
                        <li>
                            <a
                                href=format!("?cycle={number}")
                                class="cycle-tabs__tab"
                                aria-current=move || (selected() == number).then_some("page")
                            >
                                {label}
                            </a>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </nav>
        {cycles.into_iter().map(|cycle| {
            let number = cycle.number;
            view! {
                <div class="cycle-panel" class:hidden=move || selected() != number>
                    <CyclePanel cycle ctx />
                </div>
            }
        }).collect_view()}
        <CycleTable cycles=plan.cycles.clone() />
        <Modal open=ctx.open id="plan-dialog".to_owned() title>
            {move || ctx.action.get().map(|action| forms::dialog_body(ctx, action))}
        </Modal>
    }
}

#[component]
fn CyclePanel(cycle: CycleView, ctx: PlanContext) -> impl IntoView {
    let date = |d: &Option<String>| {
        d.as_deref()
            .and_then(|d| read_date(d).ok())
            .map(format_date_ja)
            .unwrap_or_else(|| "—".to_owned())
    };
    let heading = format!("第{}回（{}）", cycle.number, cycle.status.label());
    let period = format!(
        "{} → {}",
        date(&Some(cycle.start_date.clone())),
        date(&cycle.valid_until)
    );
    let steps = cycle.steps.clone();
    view! {
        <h2>{heading}</h2>
        <dl class="summary">
            <div><dt>"期間（開始日 → 計画の有効期限）"</dt><dd>{period}</dd></div>
            <div><dt>"計画作成期限"</dt><dd>{date(&cycle.plan_due_date)}</dd></div>
            {cycle.gap_months.map(|m| view! {
                <div><dt>"減算月数"</dt><dd>{format!("{m}か月")}</dd></div>
            })}
        </dl>
        <ol class="step-cards">
            {steps.into_iter().map(|step| {
                let cycle = cycle.clone();
                view! { <li><steps::StepCard cycle step ctx /></li> }
            }).collect_view()}
        </ol>
    }
}

/// 「サイクル一覧」: every cycle in one table.
#[component]
fn CycleTable(cycles: Vec<CycleView>) -> impl IntoView {
    let date = |d: Option<&str>| {
        d.and_then(|d| read_date(d).ok())
            .map(format_date_ja)
            .unwrap_or_else(|| "—".to_owned())
    };
    view! {
        <h2 id="cycles-title">"サイクル一覧"</h2>
        <div class="table-scroll">
            <table class="table" aria-labelledby="cycles-title">
                <thead>
                    <tr>
                        <th scope="col">"回"</th>
                        <th scope="col">"開始日"</th>
                        <th scope="col">"交付日"</th>
                        <th scope="col">"有効期限"</th>
                        <th scope="col">"モニタリング日"</th>
                        <th scope="col">"状態"</th>
                        <th scope="col">"例外"</th>
                        <th scope="col">"減算月数"</th>
                    </tr>
                </thead>
                <tbody>
                    {cycles.into_iter().map(|c| view! {
                        <tr>
                            <th scope="row"><a href=format!("?cycle={}", c.number)>{format!("第{}回", c.number)}</a></th>
                            <td>{date(Some(&c.start_date))}</td>
                            <td>{date(c.delivered_date.as_deref())}</td>
                            <td>{date(c.valid_until.as_deref())}</td>
                            <td>{date(c.monitoring_date.as_deref())}</td>
                            <td>{c.status.label()}</td>
                            <td>{if c.has_exception { "順序例外あり" } else { "—" }}</td>
                            <td>{c.gap_months.map(|m| format!("{m}か月")).unwrap_or_else(|| "—".to_owned())}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
