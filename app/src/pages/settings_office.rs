//! `/settings/office` 事業所の設定 (owner): the office profile, the MFA policy and 「操作履歴」
//! (SPEC §3.1, §2.6, §13).

use crate::{
    api::{
        audit::office_audit_log,
        office::{SetMfaPolicy, UpdateOffice, get_mfa_policy, get_office},
    },
    components::form::{FormAlert, FormState, TextField, field_id},
    session::SignedIn,
};
use leptos::prelude::*;
use leptos_meta::Title;
use shared::{
    Role,
    account::CurrentUser,
    audit::AUDIT_CATEGORIES,
    dates::format_datetime_jst,
    office::{OfficeInput, OfficeProfile},
    service_type::ServiceType,
};

#[component]
pub fn OfficeSettingsPage() -> impl IntoView {
    view! {
        <Title text="事業所の設定" />
        <SignedIn render=office_for />
    }
}

fn office_for(user: CurrentUser) -> AnyView {
    if user.role != Role::Owner {
        return view! { <p class="form-alert form-alert--shown" role="alert">"この操作を行う権限がありません"</p> }.into_any();
    }
    let profile = Resource::new(|| (), |_| get_office());
    view! {
        <section class="settings settings--wide" aria-labelledby="office-title">
            <h1 id="office-title">"事業所の設定"</h1>
            <crate::components::form::JsRequired />
            <Suspense fallback=|| view! { <p class="loading">"読み込み中…"</p> }>
                {move || Suspend::new(async move {
                    match profile.await {
                        Ok(profile) => view! { <ProfileForm profile /> }.into_any(),
                        Err(e) => view! { <p class="form-alert form-alert--shown" role="alert">{e.user_message()}</p> }.into_any(),
                    }
                })}
            </Suspense>
            <crate::components::plan_settings::PlanSettingsSection />
            <MfaPolicy own_mfa=user.mfa_enabled />
            <AuditLog />
        </section>
    }
    .into_any()
}

#[component]
fn ProfileForm(profile: OfficeProfile) -> impl IntoView {
    let initial = profile.to_input();
    let form = FormState::new();
    let name = RwSignal::new(initial.name);
    let name_kana = RwSignal::new(initial.name_kana);
    let corporation_name = RwSignal::new(initial.corporation_name);
    let office_number = RwSignal::new(initial.office_number);
    let service_types = RwSignal::new(initial.service_types);
    let postal_code = RwSignal::new(initial.postal_code);
    let address = RwSignal::new(initial.address);
    let phone_number = RwSignal::new(initial.phone_number);
    let fax_number = RwSignal::new(initial.fax_number);
    let email = RwSignal::new(initial.email);
    let input = Memo::new(move |_| OfficeInput {
        name: name.get(),
        name_kana: name_kana.get(),
        corporation_name: corporation_name.get(),
        office_number: office_number.get(),
        service_types: service_types.get(),
        postal_code: postal_code.get(),
        address: address.get(),
        phone_number: phone_number.get(),
        fax_number: fax_number.get(),
        email: email.get(),
    });
    let local = Memo::new(move |_| input.with(|i| i.parse().err().unwrap_or_default()));
    let update = ServerAction::<UpdateOffice>::new();
    let saved = RwSignal::new(false);
    Effect::new(move |_| match update.value().get() {
        Some(Ok(())) => saved.set(true),
        Some(Err(error)) => form.server_failed(error),
        None => {}
    });
    let message = move |field| form.message(local, field);
    let types_message = message("service_types");
    let types_error_id = format!("{}-error", field_id("service_types"));
    let types_described = types_error_id.clone();
    view! {
        <section class="settings__section" aria-labelledby="office-profile-title">
            <h2 id="office-profile-title">"事業所情報"</h2>
            <p class="notice notice--ok" role="status" class:hidden=move || !saved.get()>"事業所情報を保存しました。職員にお知らせを送りました。"</p>
            <form class="form" novalidate on:submit=move |ev| {
                ev.prevent_default();
                saved.set(false);
                if form.try_submit(local) {
                    update.dispatch(UpdateOffice { input: input.get_untracked() });
                }
            }>
                <FormAlert message=form.alert() />
                <TextField field="name" label="事業所名" value=name message=message("name") form required=true />
                <TextField field="name_kana" label="事業所名（ふりがな）" value=name_kana message=message("name_kana") form />
                <TextField field="corporation_name" label="法人名" value=corporation_name message=message("corporation_name") form />
                <TextField field="office_number" label="事業所番号" value=office_number message=message("office_number") form hint="10桁の数字" inputmode="numeric" />
                <fieldset class="field" aria-describedby=types_described>
                    <legend>"サービス種別" <span class="field__required field__required--inline">"必須"</span></legend>
                    <div class="choice-grid" id=field_id("service_types") tabindex="-1">
                        {ServiceType::ALL.into_iter().map(|t| {
                            let id = format!("f-service-{}", t.code());
                            view! {
                                <div class="choice">
                                    <input id=id.clone() type="checkbox" value=t.code()
                                        prop:checked=move || service_types.with(|v| v.iter().any(|c| c == t.code()))
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            service_types.update(|v| {
                                                v.retain(|c| c != t.code());
                                                if on { v.push(t.code().to_owned()); }
                                            });
                                            form.edited();
                                        } />
                                    <label for=id>{t.label()}</label>
                                </div>
                            }
                        }).collect_view()}
                    </div>
                    <p id=types_error_id class="field__error">{move || types_message.get()}</p>
                </fieldset>
                <TextField field="postal_code" label="郵便番号" value=postal_code message=message("postal_code") form hint="例: 123-4567" inputmode="numeric" />
                <TextField field="address" label="所在地" value=address message=message("address") form />
                <TextField field="phone_number" label="電話番号" kind="tel" value=phone_number message=message("phone_number") form />
                <TextField field="fax_number" label="FAX番号" kind="tel" value=fax_number message=message("fax_number") form />
                <TextField field="email" label="事業所メールアドレス" kind="email" value=email message=message("email") form inputmode="email" />
                <button type="submit" class="button" disabled=move || update.pending().get()>"保存する"</button>
            </form>
        </section>
    }
}

#[component]
fn MfaPolicy(own_mfa: bool) -> impl IntoView {
    let set = ServerAction::<SetMfaPolicy>::new();
    let policy = Resource::new(move || set.version().get(), |_| get_mfa_policy());
    let result = move || {
        set.value().get().map(|r| match r {
            Ok(()) => "設定を保存しました。".to_owned(),
            Err(e) => e.user_message(),
        })
    };
    view! {
        <section class="settings__section" aria-labelledby="mfa-policy-title">
            <h2 id="mfa-policy-title">"2段階認証の方針"</h2>
            <p>"必須にすると、2段階認証を設定していない職員は、次のログイン時に設定するまでほかの画面を使えません。"</p>
            {(!own_mfa).then(|| view! { <p class="field__hint">"必須にする前に、ご自身の2段階認証を設定してください（アカウント設定）。"</p> })}
            <Suspense fallback=|| view! { <p class="loading">"読み込み中…"</p> }>
                {move || Suspend::new(async move {
                    let required = policy.await.unwrap_or(false);
                    view! {
                        <div class="choice">
                            <input id="mfa-required-for-all" type="checkbox" prop:checked=required
                                on:change=move |ev| { set.dispatch(SetMfaPolicy { required: event_target_checked(&ev) }); } />
                            <label for="mfa-required-for-all">"全職員に2段階認証を必須にする"</label>
                        </div>
                    }
                })}
            </Suspense>
            <p role="status">{result}</p>
        </section>
    }
}

#[component]
fn AuditLog() -> impl IntoView {
    let category = RwSignal::new(String::new());
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let page = RwSignal::new(1u32);
    let log = Resource::new(
        move || (category.get(), from.get(), to.get(), page.get()),
        |(category, from, to, page)| {
            office_audit_log(Some(category), Some(from), Some(to), Some(page))
        },
    );
    view! {
        <section class="settings__section" aria-labelledby="audit-title">
            <h2 id="audit-title">"操作履歴"</h2>
            <div class="filters">
                <div class="field">
                    <label for="audit-category">"種類"</label>
                    <select id="audit-category" on:change=move |ev| { category.set(event_target_value(&ev)); page.set(1); }>
                        <option value="">"すべて"</option>
                        {AUDIT_CATEGORIES.into_iter().map(|(value, label)| view! { <option value=value>{label}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="audit-from">"開始日"</label>
                    <input id="audit-from" type="date" on:change=move |ev| { from.set(event_target_value(&ev)); page.set(1); } />
                </div>
                <div class="field">
                    <label for="audit-to">"終了日"</label>
                    <input id="audit-to" type="date" on:change=move |ev| { to.set(event_target_value(&ev)); page.set(1); } />
                </div>
            </div>
            <Transition fallback=|| view! { <p class="loading">"読み込み中…"</p> }>
                {move || Suspend::new(async move {
                    match log.await {
                        Err(e) => view! { <p class="form-alert form-alert--shown" role="alert">{e.user_message()}</p> }.into_any(),
                        Ok(result) => {
                            let pages = result.pages;
                            let current = result.page;
                            view! {
                                <p>{format!("{}件中 {}ページ目 / 全{}ページ", result.total, current, pages)}</p>
                                <div class="table-scroll">
                                    <table class="table">
                                        <caption class="visually-hidden">"操作履歴"</caption>
                                        <thead>
                                            <tr>
                                                <th scope="col">"日時"</th>
                                                <th scope="col">"操作"</th>
                                                <th scope="col">"操作した人"</th>
                                                <th scope="col">"対象"</th>
                                                <th scope="col">"接続元"</th>
                                                <th scope="col">"詳細"</th>
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {result.entries.into_iter().map(|e| view! {
                                                <tr>
                                                    <td>{format_datetime_jst(e.occurred_at)}</td>
                                                    <th scope="row">{e.action_label.clone()}</th>
                                                    <td>{e.actor.clone()}{e.actor_role.map(|r| format!("（{}）", r.label()))}</td>
                                                    <td>{e.target.clone().unwrap_or_default()}</td>
                                                    <td>{e.ip_masked.clone().unwrap_or_default()}<br />{e.device.clone().unwrap_or_default()}</td>
                                                    <td>
                                                        <ul class="details">
                                                            {e.details.iter().map(|(k, v)| view! { <li>{format!("{k}: {v}")}</li> }).collect_view()}
                                                        </ul>
                                                    </td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                                <nav class="pager" aria-label="操作履歴のページ">
                                    <button type="button" class="button button--secondary" disabled=current <= 1 on:click=move |_| page.update(|p| *p = p.saturating_sub(1).max(1))>"前へ"</button>
                                    <button type="button" class="button button--secondary" disabled=current >= pages on:click=move |_| page.update(|p| *p += 1)>"次へ"</button>
                                </nav>
                            }.into_any()
                        }
                    }
                })}
            </Transition>
        </section>
    }
}
