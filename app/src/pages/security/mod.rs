//! `/settings/security` アカウントのセキュリティ: two-step verification (SPEC §2.6), password,
//! e-mail and the devices list (SPEC §2.4, §2.7, §2.8).

mod devices;
mod email;
mod password;

use crate::{
    api::mfa::{BeginMfa, ConfirmMfa, DisableMfa, RegenerateRecoveryCodes},
    browser::go_to,
    components::{
        form::{FormAlert, FormState, TextField},
        mfa::{EnrolmentStep, RecoveryCodesStep},
    },
    session::SignedIn,
};
use leptos::prelude::*;
use leptos_meta::Title;
use shared::{
    FieldError,
    account::{CurrentUser, parse_totp_code},
    password::Secret,
};

const PAGE: &str = "/settings/security";

#[component]
pub fn SecuritySettingsPage() -> impl IntoView {
    view! {
        <Title text="アカウントのセキュリティ" />
        <SignedIn render=security_for allow_without_office=true />
    }
}

fn security_for(user: CurrentUser) -> AnyView {
    view! {
        <section class="settings" aria-labelledby="security-title">
            <h1 id="security-title">"アカウントのセキュリティ"</h1>
            <crate::components::form::JsRequired />
            <MfaSection user=user.clone() />
            <password::PasswordSection email=user.email.clone() />
            <email::EmailSection email=user.email.clone() />
            <devices::DevicesSection />
        </section>
    }
    .into_any()
}

#[component]
fn MfaSection(user: CurrentUser) -> impl IntoView {
    let status = if user.mfa_enabled {
        "有効"
    } else {
        "設定されていません"
    };
    let (required_badge, required_text) = if user.role == shared::Role::AppAdmin {
        (
            "アプリ管理者は必須",
            "アプリ管理者の2段階認証は解除できません",
        )
    } else {
        (
            "事業所の設定により必須",
            "事業所の設定により2段階認証は必須です",
        )
    };
    view! {
        <section class="settings__section" aria-labelledby="mfa-title">
            <h2 id="mfa-title">"2段階認証"</h2>
            <p>
                "ログインのときに、パスワードに加えてスマートフォンの認証アプリの確認コードを入力します。"
                "利用者の情報を登録・編集するには、2段階認証の設定が必要です。"
            </p>
            <p class="status-line">
                "状態: " <strong data-testid="mfa-status">{status}</strong>
                {user.mfa_required.then(|| view! { <span class="badge">{required_badge}</span> })}
            </p>
            {if user.mfa_enabled {
                view! {
                    <p>{format!("未使用のリカバリーコード: {}個", user.recovery_codes_left.unwrap_or(0))}</p>
                    <RegenerateCodes />
                    {if user.mfa_required {
                        view! { <p class="field__hint">{required_text}</p> }.into_any()
                    } else {
                        view! { <DisableMfaForm /> }.into_any()
                    }}
                }
                    .into_any()
            } else {
                view! { <Enrol /> }.into_any()
            }}
        </section>
    }
}

/// 「2段階認証を設定する」 → QR code → code → recovery codes.
#[component]
fn Enrol() -> impl IntoView {
    let begin = ServerAction::<BeginMfa>::new();
    let confirm = ServerAction::<ConfirmMfa>::new();
    let confirm_error = Signal::derive(move || confirm.value().get().and_then(Result::err));
    let on_code = Callback::new(move |code: String| {
        confirm.dispatch(ConfirmMfa { code });
    });
    view! {
        {move || match (begin.value().get(), confirm.value().get()) {
            (_, Some(Ok(codes))) => {
                let on_done = Callback::new(move |()| go_to(PAGE));
                view! { <RecoveryCodesStep codes=codes.0 on_done /> }.into_any()
            }
            (Some(Ok(enrolment)), _) => {
                view! { <EnrolmentStep enrolment pending=confirm.pending() server_error=confirm_error on_code /> }.into_any()
            }
            (result, _) => view! {
                {result.and_then(Result::err).map(|e| view! { <p class="form-alert form-alert--shown" role="alert">{e.user_message()}</p> })}
                <button type="button" class="button" disabled=move || begin.pending().get() on:click=move |_| { begin.dispatch(BeginMfa {}); }>
                    "2段階認証を設定する"
                </button>
            }.into_any(),
        }}
    }
}

fn code_errors(code: &str) -> Vec<FieldError> {
    match parse_totp_code(code) {
        Ok(_) => Vec::new(),
        Err(message) => vec![FieldError::new("code", message)],
    }
}

/// 「リカバリーコードを再発行」 with a current code.
#[component]
fn RegenerateCodes() -> impl IntoView {
    let form = FormState::new();
    let code = RwSignal::new(String::new());
    let local = Memo::new(move |_| code.with(|c| code_errors(c)));
    let regenerate = ServerAction::<RegenerateRecoveryCodes>::new();
    Effect::new(move |_| {
        if let Some(Err(error)) = regenerate.value().get() {
            form.server_failed(error);
        }
    });
    view! {
        <details class="form__more">
            <summary>"リカバリーコードを再発行"</summary>
            {move || match regenerate.value().get() {
                Some(Ok(codes)) => {
                    let on_done = Callback::new(move |()| go_to(PAGE));
                    view! { <RecoveryCodesStep codes=codes.0 on_done /> }.into_any()
                }
                _ => view! {
                    <form class="form" novalidate on:submit=move |ev| {
                        ev.prevent_default();
                        if form.try_submit(local) {
                            regenerate.dispatch(RegenerateRecoveryCodes { code: code.get_untracked() });
                        }
                    }>
                        <p>"今までのリカバリーコードは使えなくなります。"</p>
                        <FormAlert message=form.alert() />
                        <TextField field="code" label="確認コード" value=code message=form.message(local, "code") form required=true autocomplete="one-time-code" inputmode="numeric" />
                        <button type="submit" class="button button--secondary" disabled=move || regenerate.pending().get()>"再発行する"</button>
                    </form>
                }.into_any(),
            }}
        </details>
    }
}

/// 「2段階認証を無効にする」 with the password and a current code.
#[component]
fn DisableMfaForm() -> impl IntoView {
    let form = FormState::new();
    let password = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let local = Memo::new(move |_| {
        let mut errors = code.with(|c| code_errors(c));
        if password.with(String::is_empty) {
            errors.insert(
                0,
                FieldError::new("disable_password", shared::fields::REQUIRED),
            );
        }
        errors
            .iter_mut()
            .filter(|e| e.field == "code")
            .for_each(|e| e.field = "disable_code".into());
        errors
    });
    let disable = ServerAction::<DisableMfa>::new();
    Effect::new(move |_| match disable.value().get() {
        Some(Ok(())) => go_to(PAGE),
        Some(Err(mut error)) => {
            for e in &mut error.field_errors {
                e.field = format!("disable_{}", e.field);
            }
            form.server_failed(error);
        }
        None => {}
    });
    view! {
        <details class="form__more">
            <summary>"2段階認証を無効にする"</summary>
            <form class="form" novalidate on:submit=move |ev| {
                ev.prevent_default();
                if form.try_submit(local) {
                    disable.dispatch(DisableMfa { password: Secret(password.get_untracked()), code: code.get_untracked() });
                }
            }>
                <FormAlert message=form.alert() />
                <TextField field="disable_password" label="現在のパスワード" kind="password" value=password message=form.message(local, "disable_password") form required=true autocomplete="current-password" />
                <TextField field="disable_code" label="確認コード（無効化）" value=code message=form.message(local, "disable_code") form required=true autocomplete="one-time-code" inputmode="numeric" />
                <button type="submit" class="button button--secondary" disabled=move || disable.pending().get()>"無効にする"</button>
            </form>
        </details>
    }
}
