//! 「パスワードの変更」 on `/settings/security`.

use crate::{
    api::account::ChangePassword,
    components::form::{FormAlert, FormState, PasswordChecklist, TextField},
};
use leptos::prelude::*;
use shared::{account::ChangePasswordInput, fields::Email, password::Secret};

#[component]
pub fn PasswordSection(email: String) -> impl IntoView {
    let form = FormState::new();
    let current = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let confirmation = RwSignal::new(String::new());
    let email = Email::parse(&email).ok();
    let email_local = email.as_ref().map(|e| e.local_part().to_owned());
    let input = Memo::new(move |_| ChangePasswordInput {
        current_password: Secret(current.get()),
        password: Secret(password.get()),
        password_confirmation: Secret(confirmation.get()),
    });
    let local =
        Memo::new(move |_| input.with(|i| i.parse(email.as_ref()).err().unwrap_or_default()));
    let change = ServerAction::<ChangePassword>::new();
    let done = RwSignal::new(false);
    Effect::new(move |_| match change.value().get() {
        Some(Ok(())) => {
            done.set(true);
            current.set(String::new());
            password.set(String::new());
            confirmation.set(String::new());
            form.submitted.set(false);
        }
        Some(Err(error)) => {
            done.set(false);
            form.server_failed(error);
        }
        None => {}
    });
    view! {
        <section class="settings__section" aria-labelledby="password-title">
            <h2 id="password-title">"パスワードの変更"</h2>
            <p class="notice notice--ok" role="status" class:hidden=move || !done.get()>
                "パスワードを変更しました。ほかの端末ではログアウトされました。"
            </p>
            <form class="form" novalidate on:submit=move |ev| {
                ev.prevent_default();
                done.set(false);
                if form.try_submit(local) {
                    change.dispatch(ChangePassword { input: input.get_untracked() });
                }
            }>
                <FormAlert message=form.alert() />
                <TextField field="current_password" label="現在のパスワード" kind="password" value=current message=form.message(local, "current_password") form required=true autocomplete="current-password" />
                <TextField field="password" label="新しいパスワード" kind="password" value=password message=form.message(local, "password") form required=true autocomplete="new-password" />
                <PasswordChecklist password=password email_local=Signal::derive(move || email_local.clone()) />
                <TextField field="password_confirmation" label="新しいパスワード（確認）" kind="password" value=confirmation message=form.message(local, "password_confirmation") form required=true autocomplete="new-password" />
                <button type="submit" class="button" disabled=move || change.pending().get()>"パスワードを変更する"</button>
            </form>
        </section>
    }
}
