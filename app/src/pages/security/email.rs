//! 「メールアドレスの変更」 on `/settings/security`.

use crate::{
    api::account::RequestEmailChange,
    components::form::{FormAlert, FormState, TextField},
};
use leptos::prelude::*;
use shared::{account::ChangeEmailInput, password::Secret};

#[component]
pub fn EmailSection(email: String) -> impl IntoView {
    let form = FormState::new();
    let new_email = RwSignal::new(String::new());
    let current = RwSignal::new(String::new());
    let input = Memo::new(move |_| ChangeEmailInput {
        new_email: new_email.get(),
        current_password: Secret(current.get()),
    });
    let local = Memo::new(move |_| {
        input
            .with(|i| i.parse().err().unwrap_or_default())
            .into_iter()
            .map(|mut e| {
                if e.field == "current_password" {
                    e.field = "email_current_password".into();
                }
                e
            })
            .collect::<Vec<_>>()
    });
    let request = ServerAction::<RequestEmailChange>::new();
    let sent = RwSignal::new(None::<String>);
    Effect::new(move |_| match request.value().get() {
        Some(Ok(())) => {
            sent.set(Some(new_email.get_untracked()));
            current.set(String::new());
        }
        Some(Err(mut error)) => {
            for e in &mut error.field_errors {
                if e.field == "current_password" {
                    e.field = "email_current_password".into();
                }
            }
            form.server_failed(error);
        }
        None => {}
    });
    view! {
        <section class="settings__section" aria-labelledby="email-title">
            <h2 id="email-title">"メールアドレスの変更"</h2>
            <p>"現在のメールアドレス: " <strong>{email}</strong></p>
            <p class="notice" role="status" class:hidden=move || sent.with(Option::is_none)>
                {move || sent.get().map(|to| format!("{to} あてに確認メールを送信しました。メール内のボタンを押すと変更が完了します（有効期限30分）。"))}
            </p>
            <form class="form" novalidate on:submit=move |ev| {
                ev.prevent_default();
                sent.set(None);
                if form.try_submit(local) {
                    request.dispatch(RequestEmailChange { input: input.get_untracked() });
                }
            }>
                <FormAlert message=form.alert() />
                <TextField field="new_email" label="新しいメールアドレス" kind="email" value=new_email message=form.message(local, "new_email") form required=true autocomplete="email" inputmode="email" />
                <TextField field="email_current_password" label="現在のパスワード（確認のため）" kind="password" value=current message=form.message(local, "email_current_password") form required=true autocomplete="current-password" />
                <button type="submit" class="button button--secondary" disabled=move || request.pending().get()>"確認メールを送る"</button>
            </form>
        </section>
    }
}
