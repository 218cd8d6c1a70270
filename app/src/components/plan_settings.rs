//! 「計画の期限と手順の設定」 on 事業所の設定 (SPEC §3.2–3.3, owner): 見直し間隔 per service
//! type, アセスメント開始期限の初期値, 初回計画の作成期限, モニタリング期限, 手順の順序チェック. Before
//! saving, 「変更の影響を確認」 counts the recipients whose deadlines would move (§6.4).

use crate::{
    api::office::{get_plan_settings, preview_plan_settings, update_plan_settings},
    components::{
        fields::{Bound, FieldFrame, InputField, RadioField, choices},
        form::{FormAlert, FormState},
    },
};
use leptos::{prelude::*, task::spawn_local};
use shared::plan::{
    OrderGuardMode,
    settings::{PlanSettings, PlanSettingsInput, interval_field},
};

#[component]
pub fn PlanSettingsSection() -> impl IntoView {
    let settings = Resource::new(|| (), |_| get_plan_settings());
    view! {
        <section class="settings__section" aria-labelledby="plan-settings-title">
            <h2 id="plan-settings-title">"計画の期限と手順の設定"</h2>
            <Suspense fallback=|| view! { <p class="loading">"読み込み中…"</p> }>
                {move || Suspend::new(async move {
                    match settings.await {
                        Ok(settings) => view! { <PlanSettingsForm settings /> }.into_any(),
                        Err(e) => view! { <p class="form-alert form-alert--shown" role="alert">{e.user_message()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn PlanSettingsForm(settings: PlanSettings) -> impl IntoView {
    let input = RwSignal::new(settings.to_input());
    let types: Vec<_> = settings
        .review_intervals
        .iter()
        .map(|r| r.service_type)
        .collect();
    let parse_types = types.clone();
    let form = FormState::new();
    let local = Memo::new(move |_| input.with(|i| i.parse(&parse_types).err().unwrap_or_default()));
    let message = move |field: String| form.message(local, field);
    let preview = RwSignal::new(None::<String>);
    let saved = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let edited = Callback::new(move |()| {
        form.edited();
        preview.set(None);
        saved.set(false);
    });
    let text = move |get: fn(&PlanSettingsInput) -> &String,
                     set: fn(&mut PlanSettingsInput) -> &mut String| {
        Bound::new(input, move |s| get(s).clone(), move |s, v| *set(s) = v)
    };
    let check = move |_| {
        if !form.try_submit(local) {
            return;
        }
        busy.set(true);
        let value = input.get_untracked();
        spawn_local(async move {
            let result = preview_plan_settings(value).await;
            busy.set(false);
            match result {
                Ok(p) => preview.set(Some(format!(
                    "保存すると、{}名の利用者の次回更新日またはモニタリング期限が変わります。",
                    p.recipients_changed
                ))),
                Err(e) => form.server_failed(e),
            }
        });
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !form.try_submit(local) {
            return;
        }
        busy.set(true);
        let value = input.get_untracked();
        spawn_local(async move {
            let result = update_plan_settings(value).await;
            busy.set(false);
            match result {
                Ok(()) => {
                    saved.set(true);
                    preview.set(None);
                }
                Err(e) => form.server_failed(e),
            }
        });
    };
    view! {
        <p class="notice notice--ok" role="status" class:hidden=move || !saved.get()>"設定を保存しました。期限はすぐに新しい設定で計算されます。"</p>
        <form class="form" novalidate on:submit=save>
            <FormAlert message=form.alert() />
            <fieldset class="field">
                <legend>"見直し間隔（月）"</legend>
                <p class="field__hint">"空欄のときは制度上の標準の間隔を使います（1〜6か月）。"</p>
                {settings.review_intervals.iter().enumerate().map(|(i, r)| {
                    let field = interval_field(r.service_type);
                    let label = format!("{}（標準: {}か月）", r.service_type.label(), r.default_months);
                    let value = Bound::new(
                        input,
                        move |s: &PlanSettingsInput| s.review_intervals.get(i).map(|(_, m)| m.clone()).unwrap_or_default(),
                        move |s: &mut PlanSettingsInput, v| {
                            if let Some(entry) = s.review_intervals.get_mut(i) {
                                entry.1 = v;
                            }
                        },
                    );
                    view! { <InputField frame=FieldFrame::new(field.clone(), label, message(field)) value inputmode="numeric" on_edit=edited /> }
                }).collect_view()}
            </fieldset>
            <InputField frame=FieldFrame::new("next_plan_start_days_default", "アセスメント開始期限（日数）の初期値（7〜30日）", message("next_plan_start_days_default".into())).required() value=text(|i| &i.next_plan_start_days_default, |i| &mut i.next_plan_start_days_default) inputmode="numeric" on_edit=edited />
            <InputField frame=FieldFrame::new("first_plan_due_months", "初回計画の作成期限（契約日からの月数、1〜2か月）", message("first_plan_due_months".into())).required() value=text(|i| &i.first_plan_due_months, |i| &mut i.first_plan_due_months) inputmode="numeric" on_edit=edited />
            <InputField frame=FieldFrame::new("monitoring_lead_days", "モニタリング期限（更新期限の何日前、0〜90日）", message("monitoring_lead_days".into())).required() value=text(|i| &i.monitoring_lead_days, |i| &mut i.monitoring_lead_days) inputmode="numeric" on_edit=edited />
            <RadioField frame=FieldFrame::new("order_guard", "手順の順序チェック", message("order_guard".into())).required() value=text(|i| &i.order_guard, |i| &mut i.order_guard) options=choices(OrderGuardMode::ALL, OrderGuardMode::as_str, OrderGuardMode::label) on_edit=edited />
            <p role="status">{move || preview.get()}</p>
            <p class="button-row">
                <button type="button" class="button button--secondary" disabled=move || busy.get() on:click=check>"変更の影響を確認"</button>
                <button type="submit" class="button" disabled=move || busy.get()>"設定を保存"</button>
            </p>
        </form>
    }
}
