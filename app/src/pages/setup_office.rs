//! `/setup/office` 事業所の登録 (SPEC §2.1 step 4): required for an owner without an office.

use crate::{
    api::office::SetupOffice,
    browser::go_to,
    components::form::{FormAlert, FormState, TextField, field_id},
    session::SignedIn,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use shared::{Role, account::CurrentUser, office::OfficeInput, service_type::ServiceType};

#[component]
pub fn SetupOfficePage() -> impl IntoView {
    view! {
        <Title text="事業所の登録" />
        <SignedIn render=setup_for allow_without_office=true />
    }
}

fn setup_for(user: CurrentUser) -> AnyView {
    if user.office.is_some() {
        return view! { <Redirect path="/home" /> }.into_any();
    }
    if user.role != Role::Owner {
        return view! {
            <p class="form-alert form-alert--shown" role="alert">"この操作を行う権限がありません"</p>
        }
        .into_any();
    }
    view! { <OfficeSetupForm /> }.into_any()
}

#[component]
fn OfficeSetupForm() -> impl IntoView {
    let form = FormState::new();
    let name = RwSignal::new(String::new());
    let service_types = RwSignal::new(Vec::<String>::new());
    let name_kana = RwSignal::new(String::new());
    let corporation_name = RwSignal::new(String::new());
    let office_number = RwSignal::new(String::new());
    let postal_code = RwSignal::new(String::new());
    let address = RwSignal::new(String::new());
    let phone_number = RwSignal::new(String::new());
    let fax_number = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
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
    let setup = ServerAction::<SetupOffice>::new();
    Effect::new(move |_| match setup.value().get() {
        Some(Ok(())) => go_to("/home"),
        Some(Err(error)) => form.server_failed(error),
        None => {}
    });
    let message = move |field| form.message(local, field);
    let types_message = message("service_types");
    // The optional fields sit in a closed <details>: open it when one of them needs attention.
    let details_open = RwSignal::new(false);
    let detail_messages: Vec<Signal<Option<String>>> = [
        "name_kana",
        "corporation_name",
        "office_number",
        "postal_code",
        "address",
        "phone_number",
        "fax_number",
        "email",
    ]
    .into_iter()
    .map(message)
    .collect();
    Effect::new(move |_| {
        if detail_messages.iter().any(|m| m.with(Option::is_some)) {
            details_open.set(true);
        }
    });
    let types_error_id = format!("{}-error", field_id("service_types"));
    let types_described = types_error_id.clone();

    view! {
        <section class="auth-card auth-card--wide" aria-labelledby="setup-title">
            <h1 id="setup-title">"事業所の登録"</h1>
            <crate::components::form::JsRequired />
            <p>"はじめに、事業所の情報を登録してください。必須項目以外は、あとから設定画面で入力できます。"</p>
            <form
                class="form"
                novalidate
                on:submit=move |ev| {
                    ev.prevent_default();
                    if form.try_submit(local) {
                        setup.dispatch(SetupOffice { input: input.get_untracked() });
                    }
                }
            >
                <FormAlert message=form.alert() />
                <TextField field="name" label="事業所名" value=name message=message("name") form required=true autocomplete="organization" />
                <fieldset class="field" aria-describedby=types_described aria-invalid=move || types_message.with(Option::is_some).to_string()>
                    <legend>"サービス種別" <span class="field__required" aria-hidden="true">"必須"</span></legend>
                    <p class="field__hint">"多機能型の事業所は、該当する種別をすべて選んでください。"</p>
                    <div class="choice-grid" id=field_id("service_types") tabindex="-1">
                        {ServiceType::ALL
                            .into_iter()
                            .map(|t| {
                                let id = format!("f-service-{}", t.code());
                                view! {
                                    <div class="choice">
                                        <input
                                            id=id.clone()
                                            type="checkbox"
                                            name="service_types"
                                            value=t.code()
                                            prop:checked=move || service_types.with(|v| v.iter().any(|c| c == t.code()))
                                            on:change=move |ev| {
                                                let on = event_target_checked(&ev);
                                                service_types.update(|v| {
                                                    v.retain(|c| c != t.code());
                                                    if on {
                                                        v.push(t.code().to_owned());
                                                    }
                                                });
                                                form.edited();
                                            }
                                        />
                                        <label for=id>{t.label()}</label>
                                    </div>
                                }
                            })
                            .collect_view()}
                    </div>
                    <p id=types_error_id class="field__error">{move || types_message.get()}</p>
                </fieldset>
                <details class="form__more" prop:open=move || details_open.get()>
                    <summary>"詳しい情報（任意）"</summary>
                    <TextField field="name_kana" label="事業所名（ふりがな）" value=name_kana message=message("name_kana") form />
                    <TextField field="corporation_name" label="法人名" value=corporation_name message=message("corporation_name") form />
                    <TextField field="office_number" label="事業所番号" value=office_number message=message("office_number") form hint="10桁の数字" inputmode="numeric" />
                    <TextField field="postal_code" label="郵便番号" value=postal_code message=message("postal_code") form hint="例: 123-4567" inputmode="numeric" autocomplete="postal-code" />
                    <TextField field="address" label="所在地" value=address message=message("address") form autocomplete="street-address" />
                    <TextField field="phone_number" label="電話番号" kind="tel" value=phone_number message=message("phone_number") form autocomplete="tel" />
                    <TextField field="fax_number" label="FAX番号" kind="tel" value=fax_number message=message("fax_number") form />
                    <TextField field="email" label="事業所メールアドレス" kind="email" value=email message=message("email") form inputmode="email" />
                </details>
                <button type="submit" class="button" disabled=move || setup.pending().get()>
                    {move || if setup.pending().get() { "登録しています…" } else { "事業所を登録する" }}
                </button>
            </form>
        </section>
    }
}
