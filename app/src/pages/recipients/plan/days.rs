//! 「アセスメント開始期限を設定」 (SPEC §6.4): how many days (7–30) after the latest cycle's
//! start its assessment must begin. Managers and owners save it; an employee's change becomes an
//! approval request (§1.2).

use super::PlanContext;
use crate::api::plan::set_next_plan_start_days;
use leptos::{prelude::*, task::spawn_local};
use shared::{
    plan::{
        CycleStatus,
        forms::{NEXT_PLAN_START_DAYS, parse_next_plan_start_days},
    },
    recipient::{RecipientStatus, SaveOutcome},
};

#[component]
pub(super) fn NextPlanStartDays(ctx: PlanContext) -> impl IntoView {
    let plan = ctx.plan.get_value();
    let Some(latest) = plan.latest().cloned() else {
        return ().into_any();
    };
    let writable = latest.status == CycleStatus::Open
        && plan.recipient.status == RecipientStatus::Active
        && (plan.can_write || !ctx.manager);
    let days = RwSignal::new(latest.next_plan_start_days);
    let message = RwSignal::new(None::<(bool, String)>);
    let busy = RwSignal::new(false);
    let recipient_id = plan.recipient.id;
    let pending = plan.pending_days_request;
    let request = !ctx.manager;
    let save = move |_| {
        let value = days.get_untracked();
        if let Err(errors) = parse_next_plan_start_days(value) {
            message.set(Some((false, errors[0].message_ja.clone())));
            return;
        }
        busy.set(true);
        spawn_local(async move {
            let result = set_next_plan_start_days(recipient_id, value, String::new()).await;
            busy.set(false);
            match result {
                Ok(SaveOutcome::PendingApproval { .. }) => message.set(Some((
                    true,
                    "変更を申請しました。管理者が承認すると反映されます。".into(),
                ))),
                Ok(_) => ctx.done(),
                Err(e) => message.set(Some((false, e.user_message()))),
            }
        });
    };
    let (min, max) = (*NEXT_PLAN_START_DAYS.start(), *NEXT_PLAN_START_DAYS.end());
    view! {
        <section class="settings__section plan__days" aria-labelledby="days-title">
            <h2 id="days-title">"アセスメント開始期限"</h2>
            <p>{format!("第{}回の開始日から {} 日以内にアセスメントを始めます。", latest.number, latest.next_plan_start_days)}</p>
            {pending.then(|| view! { <p class="notice" role="status">"この期限の変更申請が承認待ちです。"</p> })}
            {writable.then(|| view! {
                <div class="field">
                    <div class="field__label">
                        <label for="next-plan-start-days">"アセスメント開始期限（日数）"</label>
                    </div>
                    <input
                        id="next-plan-start-days"
                        type="range"
                        min=min.to_string()
                        max=max.to_string()
                        step="1"
                        aria-valuetext=move || format!("{}日", days.get())
                        prop:value=move || days.get().to_string()
                        on:input=move |ev| {
                            if let Ok(n) = event_target_value(&ev).parse::<i16>() {
                                days.set(n);
                            }
                        }
                    />
                    <output for="next-plan-start-days" class="plan__days-value">{move || format!("{}日", days.get())}</output>
                </div>
                <button type="button" class="button button--secondary" disabled=move || busy.get() on:click=save>
                    {if request { "アセスメント開始期限の変更を申請" } else { "アセスメント開始期限を設定" }}
                </button>
            })}
            <p role="status" class:form-alert=move || message.with(|m| m.as_ref().is_some_and(|(ok, _)| !ok)) class:form-alert--shown=move || message.with(|m| m.as_ref().is_some_and(|(ok, _)| !ok))>
                {move || message.get().map(|(_, text)| text)}
            </p>
        </section>
    }
    .into_any()
}
