//! `/login` ログイン (SPEC §2.3).

use super::signup::ResendVerificationButton;
use crate::{
    api::auth::Login,
    browser::go_to,
    components::form::{FormAlert, FormState, TextField},
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use shared::{
    account::{LoginInput, LoginOutcome},
    password::Secret,
};

#[component]
pub fn LoginPage() -> impl IntoView {
    let query = use_query_map();
    let from = query.with_untracked(|q| q.get("from"));
    let form = FormState::new();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let input = Memo::new(move |_| LoginInput {
        email: email.get(),
        password: Secret(password.get()),
        from: from.clone(),
    });
    let local = Memo::new(move |_| input.with(|i| i.parse().err().unwrap_or_default()));

    let login = ServerAction::<Login>::new();
    let unverified = RwSignal::new(false);
    Effect::new(move |_| match login.value().get() {
        Some(Ok(LoginOutcome::SignedIn { redirect_to })) => go_to(&redirect_to),
        Some(Ok(LoginOutcome::EmailNotVerified)) => unverified.set(true),
        Some(Ok(
            LoginOutcome::SecondFactorRequired { .. } | LoginOutcome::MfaSetupRequired { .. },
        )) => {
            form.server_failed(shared::AppError::new(shared::ErrorCode::MfaSetupRequired));
        }
        Some(Err(error)) => form.server_failed(error),
        None => {}
    });
    let message = move |field| form.message(local, field);

    view! {
        <Title text="ログイン" />
        <section class="auth-card" aria-labelledby="login-title">
            <h1 id="login-title">"ログイン"</h1>
            <form
                class="form"
                novalidate
                on:submit=move |ev| {
                    ev.prevent_default();
                    unverified.set(false);
                    if form.try_submit(local) {
                        login.dispatch(Login { input: input.get_untracked() });
                    }
                }
            >
                <FormAlert message=form.alert() />
                <TextField field="email" label="メールアドレス" kind="email" value=email message=message("email") form required=true autocomplete="username" inputmode="email" />
                <TextField field="password" label="パスワード" kind="password" value=password message=message("password") form required=true autocomplete="current-password" />
                <button type="submit" class="button" disabled=move || login.pending().get()>
                    {move || if login.pending().get() { "確認しています…" } else { "ログイン" }}
                </button>
            </form>
            <Show when=move || unverified.get()>
                <div class="notice" role="alert">
                    <p>"メールアドレスの確認が完了していません"</p>
                    <p>"登録時にお送りした確認メールのボタンを押してください。届いていない場合は再送信できます。"</p>
                </div>
                <ResendVerificationButton email=email.get_untracked() />
            </Show>
            <p class="auth-card__alt">
                "アカウントをお持ちでない方は " <a href="/signup">"新規登録"</a>
            </p>
        </section>
    }
}
