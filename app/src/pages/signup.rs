//! `/signup` 新規登録 (SPEC §2.1 step 1): the owner of a new office creates an account.

use crate::{
    api::auth::{ResendVerification, Signup},
    components::form::{CheckboxField, FormAlert, FormState, PasswordChecklist, TextField},
};
use leptos::prelude::*;
use leptos_meta::Title;
use shared::{
    account::{EmailInput, SignupInput, StaffNameInput},
    fields::Email,
    password::Secret,
};

#[component]
pub fn SignupPage() -> impl IntoView {
    let form = FormState::new();
    let last_name = RwSignal::new(String::new());
    let first_name = RwSignal::new(String::new());
    let last_name_kana = RwSignal::new(String::new());
    let first_name_kana = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let password_confirmation = RwSignal::new(String::new());
    let agree_terms = RwSignal::new(false);
    let agree_privacy = RwSignal::new(false);

    let input = Memo::new(move |_| SignupInput {
        name: StaffNameInput {
            last_name: last_name.get(),
            first_name: first_name.get(),
            last_name_kana: last_name_kana.get(),
            first_name_kana: first_name_kana.get(),
        },
        email: email.get(),
        password: Secret(password.get()),
        password_confirmation: Secret(password_confirmation.get()),
        agree_terms: agree_terms.get(),
        agree_privacy: agree_privacy.get(),
    });
    let local = Memo::new(move |_| input.with(|i| i.parse().err().unwrap_or_default()));
    let email_local = Signal::derive(move || {
        email.with(|e| Email::parse(e).ok().map(|e| e.local_part().to_owned()))
    });

    let signup = ServerAction::<Signup>::new();
    let sent_to = RwSignal::new(None::<String>);
    Effect::new(move |_| match signup.value().get() {
        Some(Ok(())) => sent_to.set(Some(email.get_untracked())),
        Some(Err(error)) => form.server_failed(error),
        None => {}
    });
    let message = move |field| form.message(local, field);

    view! {
        <Title text="新規登録" />
        <section class="auth-card" aria-labelledby="signup-title">
            <h1 id="signup-title">"新規登録"</h1>
            <crate::components::form::JsRequired />
            <Show
                when=move || sent_to.with(Option::is_none)
                fallback=move || view! { <SignupSent email=sent_to.get().unwrap_or_default() /> }
            >
                <p>
                    "事業所のオーナー（管理者）としてアカウントを作成します。職員の方は、事業所のオーナーからの招待メールから登録してください。"
                </p>
                <form
                    class="form"
                    novalidate
                    on:submit=move |ev| {
                        ev.prevent_default();
                        if form.try_submit(local) {
                            signup.dispatch(Signup { input: input.get_untracked() });
                        }
                    }
                >
                    <FormAlert message=form.alert() />
                    <div class="form__row">
                        <TextField field="last_name" label="姓" value=last_name message=message("last_name") form required=true autocomplete="family-name" />
                        <TextField field="first_name" label="名" value=first_name message=message("first_name") form required=true autocomplete="given-name" />
                    </div>
                    <div class="form__row">
                        <TextField field="last_name_kana" label="姓（ふりがな）" value=last_name_kana message=message("last_name_kana") form required=true hint="カタカナで入力しても、ひらがなに直して登録します" />
                        <TextField field="first_name_kana" label="名（ふりがな）" value=first_name_kana message=message("first_name_kana") form required=true />
                    </div>
                    <TextField field="email" label="メールアドレス" kind="email" value=email message=message("email") form required=true autocomplete="email" inputmode="email" />
                    <TextField field="password" label="パスワード" kind="password" value=password message=message("password") form required=true autocomplete="new-password" />
                    <PasswordChecklist password=password email_local=email_local />
                    <TextField field="password_confirmation" label="パスワード（確認）" kind="password" value=password_confirmation message=message("password_confirmation") form required=true autocomplete="new-password" />
                    <CheckboxField field="agree_terms" checked=agree_terms message=message("agree_terms") form>
                        <a href="/terms" target="_blank" rel="noopener">"利用規約"</a>
                        "に同意する"
                    </CheckboxField>
                    <CheckboxField field="agree_privacy" checked=agree_privacy message=message("agree_privacy") form>
                        <a href="/privacy" target="_blank" rel="noopener">"プライバシーポリシー"</a>
                        "に同意する"
                    </CheckboxField>
                    <button type="submit" class="button" disabled=move || signup.pending().get()>
                        {move || if signup.pending().get() { "送信しています…" } else { "登録する" }}
                    </button>
                </form>
                <p class="auth-card__alt">
                    "既にアカウントをお持ちの方は " <a href="/login">"ログイン"</a>
                </p>
            </Show>
        </section>
    }
}

/// After signup: where the mail went, and 「確認メールを再送信」.
#[component]
pub fn SignupSent(email: String) -> impl IntoView {
    view! {
        <div class="notice" role="status">
            <h2>"確認メールを送信しました"</h2>
            <p>
                {format!("{email} あてに確認メールを送信しました。")}
                "メール内のボタンを押して、登録を完了してください。リンクの有効期限は24時間です。"
            </p>
            <p>"メールが届かない場合は、迷惑メールフォルダもご確認ください。"</p>
        </div>
        <ResendVerificationButton email />
    }
}

/// 「確認メールを再送信」 (signup-success and login screens).
#[component]
pub fn ResendVerificationButton(email: String) -> impl IntoView {
    let resend = ServerAction::<ResendVerification>::new();
    let result = move || {
        resend.value().get().map(|r| match r {
            Ok(()) => "確認メールを再送信しました。".to_owned(),
            Err(error) => error.user_message(),
        })
    };
    view! {
        <div class="resend">
            <button
                type="button"
                class="button button--secondary"
                disabled=move || resend.pending().get()
                on:click=move |_| {
                    resend.dispatch(ResendVerification { input: EmailInput { email: email.clone() } });
                }
            >
                "確認メールを再送信"
            </button>
            <p class="resend__result" role="status">{result}</p>
        </div>
    }
}
