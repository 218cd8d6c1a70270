//! `/forgot-password` and `/reset-password#token=…` (SPEC §2.8), and `/confirm-email#token=…`.

use crate::{
    api::account::{CheckResetLink, ConfirmEmailChange, ForgotPassword, ResetPassword},
    browser::fragment_param,
    components::form::{FormAlert, FormState, PasswordChecklist, TextField},
};
use leptos::prelude::*;
use leptos_meta::Title;
use shared::{
    account::{EmailInput, ResetPasswordInput},
    password::Secret,
};

pub const SENT: &str = "ご登録のメールアドレスであれば、パスワード再設定のご案内を送信しました。リンクの有効期限は30分です";

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let form = FormState::new();
    let email = RwSignal::new(String::new());
    let input = Memo::new(move |_| EmailInput { email: email.get() });
    let local = Memo::new(move |_| input.with(|i| i.parse().err().unwrap_or_default()));
    let forgot = ServerAction::<ForgotPassword>::new();
    Effect::new(move |_| {
        if let Some(Err(error)) = forgot.value().get() {
            form.server_failed(error);
        }
    });
    view! {
        <Title text="パスワードの再設定" />
        <section class="auth-card" aria-labelledby="forgot-title">
            <h1 id="forgot-title">"パスワードの再設定"</h1>
            <crate::components::form::JsRequired />
            <Show
                when=move || !matches!(forgot.value().get(), Some(Ok(())))
                fallback=|| view! { <p class="notice notice--ok" role="status">{SENT}</p> }
            >
                <p>"ご登録のメールアドレスを入力してください。パスワードを再設定するためのリンクをお送りします。"</p>
                <form class="form" novalidate on:submit=move |ev| {
                    ev.prevent_default();
                    if form.try_submit(local) {
                        forgot.dispatch(ForgotPassword { input: input.get_untracked() });
                    }
                }>
                    <FormAlert message=form.alert() />
                    <TextField field="email" label="メールアドレス" kind="email" value=email message=form.message(local, "email") form required=true autocomplete="email" inputmode="email" />
                    <button type="submit" class="button" disabled=move || forgot.pending().get()>"再設定のメールを送る"</button>
                </form>
            </Show>
            <p class="auth-card__alt"><a href="/login">"ログイン画面に戻る"</a></p>
        </section>
    }
}

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let check = ServerAction::<CheckResetLink>::new();
    let token = RwSignal::new(None::<String>);
    let missing = RwSignal::new(false);
    Effect::new(move |_| match fragment_param("token") {
        Some(value) => {
            token.set(Some(value.clone()));
            check.dispatch(CheckResetLink { token: value });
        }
        None => missing.set(true),
    });
    view! {
        <Title text="新しいパスワードの設定" />
        <section class="auth-card" aria-labelledby="reset-title">
            <h1 id="reset-title">"新しいパスワードの設定"</h1>
            <crate::components::form::JsRequired />
            {move || match (check.value().get(), missing.get()) {
                (Some(Ok(())), _) => view! { <ResetForm token=token.get().unwrap_or_default() /> }.into_any(),
                (Some(Err(error)), _) => view! {
                    <p class="form-alert form-alert--shown" role="alert">{error.user_message()}</p>
                    <p><a href="/forgot-password">"もう一度再設定のメールを送る"</a></p>
                }.into_any(),
                (None, true) => view! {
                    <p class="form-alert form-alert--shown" role="alert">"このリンクは無効か有効期限が切れています"</p>
                }.into_any(),
                (None, false) => view! { <p class="loading">"確認しています…"</p> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn ResetForm(token: String) -> impl IntoView {
    let form = FormState::new();
    let password = RwSignal::new(String::new());
    let confirmation = RwSignal::new(String::new());
    let input = Memo::new(move |_| ResetPasswordInput {
        token: Secret(token.clone()),
        password: Secret(password.get()),
        password_confirmation: Secret(confirmation.get()),
    });
    // The e-mail rule is checked again by the server, which knows the address.
    let local = Memo::new(move |_| input.with(|i| i.parse(None).err().unwrap_or_default()));
    let reset = ServerAction::<ResetPassword>::new();
    Effect::new(move |_| {
        if let Some(Err(error)) = reset.value().get() {
            form.server_failed(error);
        }
    });
    view! {
        <Show
            when=move || !matches!(reset.value().get(), Some(Ok(())))
            fallback=|| view! {
                <p class="notice notice--ok" role="status">"パスワードを変更しました。新しいパスワードでログインしてください"</p>
                <p><a class="button" href="/login">"ログインへ進む"</a></p>
            }
        >
            <form class="form" novalidate on:submit=move |ev| {
                ev.prevent_default();
                if form.try_submit(local) {
                    reset.dispatch(ResetPassword { input: input.get_untracked() });
                }
            }>
                <FormAlert message=form.alert() />
                <TextField field="password" label="新しいパスワード" kind="password" value=password message=form.message(local, "password") form required=true autocomplete="new-password" />
                <PasswordChecklist password=password email_local=Signal::derive(|| None::<String>) />
                <TextField field="password_confirmation" label="新しいパスワード（確認）" kind="password" value=confirmation message=form.message(local, "password_confirmation") form required=true autocomplete="new-password" />
                <button type="submit" class="button" disabled=move || reset.pending().get()>"パスワードを変更する"</button>
            </form>
        </Show>
    }
}

#[component]
pub fn ConfirmEmailPage() -> impl IntoView {
    let confirm = ServerAction::<ConfirmEmailChange>::new();
    let missing = RwSignal::new(false);
    Effect::new(move |_| match fragment_param("token") {
        Some(token) => {
            confirm.dispatch(ConfirmEmailChange { token });
        }
        None => missing.set(true),
    });
    view! {
        <Title text="メールアドレスの変更" />
        <section class="auth-card" aria-labelledby="confirm-email-title">
            <h1 id="confirm-email-title">"メールアドレスの変更"</h1>
            <crate::components::form::JsRequired />
            <div role="status">
                {move || match (confirm.value().get(), missing.get()) {
                    (Some(Ok(())), _) => view! {
                        <p class="notice notice--ok">"メールアドレスを変更しました。新しいメールアドレスでログインしてください"</p>
                        <p><a class="button" href="/login">"ログインへ進む"</a></p>
                    }.into_any(),
                    (Some(Err(error)), _) => view! { <p class="form-alert form-alert--shown">{error.user_message()}</p> }.into_any(),
                    (None, true) => view! { <p class="form-alert form-alert--shown">"このリンクは無効か有効期限が切れています"</p> }.into_any(),
                    (None, false) => view! { <p class="loading">"確認しています…"</p> }.into_any(),
                }}
            </div>
        </section>
    }
}
