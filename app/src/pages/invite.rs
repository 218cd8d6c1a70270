//! `/invite#token=…` 招待を受ける (SPEC §2.2): shows the office and role, then the account form.
//! The e-mail comes from the invitation and cannot be changed.

use crate::{
    api::staff::{AcceptInvitation, LookupInvitation},
    browser::{fragment_param, go_to},
    components::{
        form::{CheckboxField, FormAlert, FormState, PasswordChecklist, TextField},
        mfa::{RecoveryCodesStep, RequiredSetup},
    },
};
use leptos::prelude::*;
use leptos_meta::Title;
use shared::{
    account::{AcceptInvitationInput, LoginOutcome, StaffNameInput},
    fields::Email,
    password::Secret,
    staff::InvitationPreview,
};

#[component]
pub fn InvitePage() -> impl IntoView {
    let lookup = ServerAction::<LookupInvitation>::new();
    let token = RwSignal::new(None::<String>);
    let missing = RwSignal::new(false);
    Effect::new(move |_| match fragment_param("token") {
        Some(value) => {
            token.set(Some(value.clone()));
            lookup.dispatch(LookupInvitation { token: value });
        }
        None => missing.set(true),
    });
    view! {
        <Title text="招待を受ける" />
        <section class="auth-card" aria-labelledby="invite-title">
            <h1 id="invite-title">"招待を受ける"</h1>
            <crate::components::form::JsRequired />
            {move || match (lookup.value().get(), missing.get()) {
                (Some(Ok(preview)), _) => view! {
                    <AcceptForm preview token=token.get().unwrap_or_default() />
                }.into_any(),
                (Some(Err(error)), _) => view! {
                    <p class="form-alert form-alert--shown" role="alert">{error.user_message()}</p>
                }.into_any(),
                (None, true) => view! {
                    <p class="form-alert form-alert--shown" role="alert">"この招待リンクは無効です。招待した方に再送を依頼してください"</p>
                }.into_any(),
                (None, false) => view! { <p class="loading">"確認しています…"</p> }.into_any(),
            }}
        </section>
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Done {
    No,
    Setup(String),
    Codes(Vec<String>, String),
}

#[component]
fn AcceptForm(preview: InvitationPreview, token: String) -> impl IntoView {
    let form = FormState::new();
    let last_name = RwSignal::new(String::new());
    let first_name = RwSignal::new(String::new());
    let last_name_kana = RwSignal::new(String::new());
    let first_name_kana = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let password_confirmation = RwSignal::new(String::new());
    let agree_terms = RwSignal::new(false);
    let agree_privacy = RwSignal::new(false);
    let email = Email::parse(&preview.email).ok();
    let email_local = email.as_ref().map(|e| e.local_part().to_owned());
    let input = Memo::new(move |_| AcceptInvitationInput {
        token: Secret(token.clone()),
        name: StaffNameInput {
            last_name: last_name.get(),
            first_name: first_name.get(),
            last_name_kana: last_name_kana.get(),
            first_name_kana: first_name_kana.get(),
        },
        password: Secret(password.get()),
        password_confirmation: Secret(password_confirmation.get()),
        agree_terms: agree_terms.get(),
        agree_privacy: agree_privacy.get(),
    });
    let local =
        Memo::new(move |_| input.with(|i| i.parse(email.as_ref()).err().unwrap_or_default()));
    let accept = ServerAction::<AcceptInvitation>::new();
    let done = RwSignal::new(Done::No);
    Effect::new(move |_| match accept.value().get() {
        Some(Ok(LoginOutcome::SignedIn { redirect_to })) => go_to(&redirect_to),
        Some(Ok(LoginOutcome::MfaSetupRequired { pending_token })) => {
            done.set(Done::Setup(pending_token))
        }
        Some(Ok(_)) => go_to("/login"),
        Some(Err(error)) => form.server_failed(error),
        None => {}
    });
    let message = move |field| form.message(local, field);
    let role_label = preview.role.label();
    view! {
        {move || match done.get() {
            Done::No => ().into_any(),
            Done::Setup(token) => {
                let on_done = Callback::new(move |(codes, redirect_to): (Vec<String>, String)| done.set(Done::Codes(codes, redirect_to)));
                let on_expired = Callback::new(move |_| go_to("/login"));
                view! { <RequiredSetup token on_done on_expired /> }.into_any()
            }
            Done::Codes(codes, redirect_to) => {
                let on_done = Callback::new(move |()| go_to(&redirect_to));
                view! { <RecoveryCodesStep codes on_done /> }.into_any()
            }
        }}
        <div class:hidden=move || done.with(|d| *d != Done::No)>
            <p class="notice">
                {format!("「{}」に{}として招待されています。", preview.office_name, role_label)}
            </p>
            <dl class="summary">
                <div><dt>"メールアドレス"</dt><dd>{preview.email.clone()}</dd></div>
            </dl>
            <form class="form" novalidate on:submit=move |ev| {
                ev.prevent_default();
                if form.try_submit(local) {
                    accept.dispatch(AcceptInvitation { input: input.get_untracked() });
                }
            }>
                <FormAlert message=form.alert() />
                <div class="form__row">
                    <TextField field="last_name" label="姓" value=last_name message=message("last_name") form required=true autocomplete="family-name" />
                    <TextField field="first_name" label="名" value=first_name message=message("first_name") form required=true autocomplete="given-name" />
                </div>
                <div class="form__row">
                    <TextField field="last_name_kana" label="姓（ふりがな）" value=last_name_kana message=message("last_name_kana") form required=true />
                    <TextField field="first_name_kana" label="名（ふりがな）" value=first_name_kana message=message("first_name_kana") form required=true />
                </div>
                <TextField field="password" label="パスワード" kind="password" value=password message=message("password") form required=true autocomplete="new-password" />
                <PasswordChecklist password=password email_local=Signal::derive(move || email_local.clone()) />
                <TextField field="password_confirmation" label="パスワード（確認）" kind="password" value=password_confirmation message=message("password_confirmation") form required=true autocomplete="new-password" />
                <CheckboxField field="agree_terms" checked=agree_terms message=message("agree_terms") form>
                    <a href="/terms" target="_blank" rel="noopener">"利用規約"</a>"に同意する"
                </CheckboxField>
                <CheckboxField field="agree_privacy" checked=agree_privacy message=message("agree_privacy") form>
                    <a href="/privacy" target="_blank" rel="noopener">"プライバシーポリシー"</a>"に同意する"
                </CheckboxField>
                <button type="submit" class="button" disabled=move || accept.pending().get()>"登録して参加する"</button>
            </form>
        </div>
    }
}
