//! `/login` ログイン (SPEC §2.3).

use super::signup::ResendVerificationButton;
use crate::{
    api::{auth::Login, mfa::LoginSecondFactor},
    browser::go_to,
    components::{
        form::{FormAlert, FormState, TextField},
        mfa::{RecoveryCodesStep, RequiredSetup},
    },
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use shared::{
    FieldError,
    account::{LoginInput, LoginOutcome, SecondFactor},
    password::Secret,
};

/// Where the login is: password, then possibly a code or first-time MFA setup.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Step {
    Password,
    Code {
        token: String,
    },
    Setup {
        token: String,
    },
    Codes {
        codes: Vec<String>,
        redirect_to: String,
    },
}

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
    let step = RwSignal::new(Step::Password);
    Effect::new(move |_| match login.value().get() {
        Some(Ok(LoginOutcome::SignedIn { redirect_to })) => go_to(&redirect_to),
        Some(Ok(LoginOutcome::EmailNotVerified)) => unverified.set(true),
        Some(Ok(outcome)) => step.set(Step::after(outcome)),
        Some(Err(error)) => form.server_failed(error),
        None => {}
    });
    let message = move |field| form.message(local, field);

    view! {
        <Title text="ログイン" />
        <section class="auth-card" aria-labelledby="login-title">
            <h1 id="login-title">"ログイン"</h1>
            <crate::components::form::JsRequired />
            <LaterSteps step form />
            <div class:hidden=move || step.with(|s| *s != Step::Password)>
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
                <a href="/forgot-password">"パスワードをお忘れの方"</a>
            </p>
            <p>
                "アカウントをお持ちでない方は " <a href="/signup">"新規登録"</a>
            </p>
            </div>
        </section>
    }
}

impl Step {
    /// The step a password answer leads to (`SignedIn` and `EmailNotVerified` are handled by
    /// the page before this).
    pub(crate) fn after(outcome: LoginOutcome) -> Self {
        match outcome {
            LoginOutcome::SecondFactorRequired { pending_token } => Self::Code {
                token: pending_token,
            },
            LoginOutcome::MfaSetupRequired { pending_token } => Self::Setup {
                token: pending_token,
            },
            LoginOutcome::SignedIn { .. } | LoginOutcome::EmailNotVerified => Self::Password,
        }
    }
}

/// What follows the password: the code step, first-time setup, then the recovery codes. An
/// expired temporary token goes back to the password form (`form`) with the message.
#[component]
pub(crate) fn LaterSteps(
    step: RwSignal<Step>,
    form: FormState,
    #[prop(optional)] for_app_admin: bool,
) -> impl IntoView {
    move || match step.get() {
        Step::Password => ().into_any(),
        Step::Code { token } => view! { <CodeStep token step main_form=form /> }.into_any(),
        Step::Setup { token } => {
            let on_done = Callback::new(move |(codes, redirect_to): (Vec<String>, String)| {
                step.set(Step::Codes { codes, redirect_to })
            });
            let on_expired = Callback::new(move |error: shared::AppError| {
                form.server_failed(error);
                step.set(Step::Password);
            });
            view! { <RequiredSetup token on_done on_expired for_app_admin /> }.into_any()
        }
        Step::Codes { codes, redirect_to } => {
            let on_done = Callback::new(move |()| go_to(&redirect_to));
            view! { <RecoveryCodesStep codes on_done /> }.into_any()
        }
    }
}

/// The second step: a code from the authenticator app or a recovery code.
#[component]
fn CodeStep(token: String, step: RwSignal<Step>, main_form: FormState) -> impl IntoView {
    let form = FormState::new();
    let code = RwSignal::new(String::new());
    let local = Memo::new(move |_| {
        code.with(|c| match SecondFactor::parse(c) {
            Ok(_) => Vec::new(),
            Err(message) => vec![FieldError::new("code", message)],
        })
    });
    let verify = ServerAction::<LoginSecondFactor>::new();
    Effect::new(move |_| match verify.value().get() {
        Some(Ok(signed_in)) => go_to(&signed_in.redirect_to),
        // The temporary token expired or ran out of attempts: back to the password.
        Some(Err(error)) if error.code == shared::ErrorCode::Unauthenticated => {
            main_form.server_failed(error);
            step.set(Step::Password);
        }
        Some(Err(error)) => form.server_failed(error),
        None => {}
    });
    view! {
        <h2>"2段階認証"</h2>
        <p>"認証アプリに表示されている6桁の確認コードを入力してください。スマートフォンが使えない場合は、リカバリーコードを入力できます。"</p>
        <form
            class="form"
            novalidate
            on:submit=move |ev| {
                ev.prevent_default();
                if form.try_submit(local) {
                    verify.dispatch(LoginSecondFactor { pending_token: token.clone(), code: code.get_untracked() });
                }
            }
        >
            <FormAlert message=form.alert() />
            <TextField field="code" label="確認コード" value=code message=form.message(local, "code") form required=true autocomplete="one-time-code" hint="6桁の数字、またはリカバリーコード（XXXX-XXXX-XXXX-XXXX）" />
            <button type="submit" class="button" disabled=move || verify.pending().get()>"確認する"</button>
        </form>
    }
}
