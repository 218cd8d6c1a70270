//! `/app-admin/login` アプリ管理者ログイン and `/app-admin` アプリ管理コンソール (SPEC §2.10, §11.2).

use super::login::{LaterSteps, Step};
use crate::{
    api::app_admin::{AdminLogin, get_admin_overview},
    browser::go_to,
    components::form::{FormAlert, FormState, TextField},
    session::SignedIn,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use shared::{
    Role,
    account::{AdminLoginInput, AdminOverview, CurrentUser, LoginOutcome},
    password::Secret,
};

#[component]
pub fn AdminLoginPage() -> impl IntoView {
    let form = FormState::new();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let passphrase = RwSignal::new(String::new());
    let input = Memo::new(move |_| AdminLoginInput {
        email: email.get(),
        password: Secret(password.get()),
        passphrase: Secret(passphrase.get()),
    });
    let local = Memo::new(move |_| input.with(|i| i.parse().err().unwrap_or_default()));
    let login = ServerAction::<AdminLogin>::new();
    let step = RwSignal::new(Step::Password);
    Effect::new(move |_| match login.value().get() {
        // The server never signs an app_admin in without TOTP; these two do not happen.
        Some(Ok(LoginOutcome::SignedIn { redirect_to })) => go_to(&redirect_to),
        Some(Ok(LoginOutcome::EmailNotVerified)) => {}
        Some(Ok(outcome)) => step.set(Step::after(outcome)),
        Some(Err(error)) => form.server_failed(error),
        None => {}
    });
    let message = move |field| form.message(local, field);

    view! {
        <Title text="アプリ管理者ログイン" />
        <section class="auth-card" aria-labelledby="admin-login-title">
            <h1 id="admin-login-title">"アプリ管理者ログイン"</h1>
            <crate::components::form::JsRequired />
            <LaterSteps step form for_app_admin=true />
            <div class:hidden=move || step.with(|s| *s != Step::Password)>
                <p>"けいかくんの運営者専用のページです。事業所のスタッフの方は "<a href="/login">"通常のログイン"</a>" をご利用ください。"</p>
                <form
                    class="form"
                    novalidate
                    on:submit=move |ev| {
                        ev.prevent_default();
                        if form.try_submit(local) {
                            login.dispatch(AdminLogin { input: input.get_untracked() });
                        }
                    }
                >
                    <FormAlert message=form.alert() />
                    <TextField field="email" label="メールアドレス" kind="email" value=email message=message("email") form required=true autocomplete="username" inputmode="email" />
                    <TextField field="password" label="パスワード" kind="password" value=password message=message("password") form required=true autocomplete="current-password" />
                    <TextField field="passphrase" label="合言葉" kind="password" value=passphrase message=message("passphrase") form required=true autocomplete="off" hint="サーバーの管理コマンドで設定した合言葉" />
                    <button type="submit" class="button" disabled=move || login.pending().get()>
                        {move || if login.pending().get() { "確認しています…" } else { "次へ" }}
                    </button>
                </form>
            </div>
        </section>
    }
}

#[component]
pub fn AdminConsolePage() -> impl IntoView {
    view! {
        <Title text="アプリ管理コンソール" />
        <SignedIn render=console_for allow_without_office=true />
    }
}

fn console_for(user: CurrentUser) -> AnyView {
    if user.role != Role::AppAdmin {
        return view! { <Redirect path="/home" /> }.into_any();
    }
    let overview = Resource::new(|| (), |_| get_admin_overview());
    view! {
        <section class="settings" aria-labelledby="console-title">
            <h1 id="console-title">"アプリ管理コンソール"</h1>
            <p>{format!("{}さん（{}）としてログインしています。", user.display_name, user.role.label())}</p>
            <Suspense fallback=|| view! { <p class="loading">"読み込み中…"</p> }>
                {move || Suspend::new(async move {
                    match overview.await {
                        Ok(overview) => view! { <AccountSummary overview /> }.into_any(),
                        Err(e) => view! { <p class="form-alert form-alert--shown" role="alert">{e.user_message()}</p> }.into_any(),
                    }
                })}
            </Suspense>
            <h2>"アカウントのセキュリティ"</h2>
            <p>
                <a href="/settings/security">"パスワード・2段階認証・ログイン中の端末"</a>
                "（アプリ管理者の2段階認証は解除できません。セッションは操作がないまま30分、またはログインから8時間で終了します。）"
            </p>
        </section>
    }
    .into_any()
}

#[component]
fn AccountSummary(overview: AdminOverview) -> impl IntoView {
    let warning = overview.passphrase_warning();
    view! {
        {warning.map(|text| view! { <div class="notice" role="status"><p>{text}</p></div> })}
        <dl class="summary">
            <div><dt>"メールアドレス"</dt><dd>{overview.email}</dd></div>
            <div><dt>"合言葉の最終変更"</dt><dd>{format!("{}（{}日前）", overview.passphrase_changed_at, overview.passphrase_age_days)}</dd></div>
            <div><dt>"前回のログイン"</dt><dd>{overview.previous_login_at.unwrap_or_else(|| "なし（今回が初めてです）".into())}</dd></div>
        </dl>
    }
}
