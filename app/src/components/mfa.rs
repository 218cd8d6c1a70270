//! The pieces of MFA enrolment shared by first-time setup at login and `/settings/security`:
//! the QR code with the manual key, and the recovery codes shown once.

use crate::{
    api::mfa::{LoginMfaSetup, LoginMfaSetupConfirm},
    components::form::{FormAlert, FormState, TextField},
};
use leptos::prelude::*;
use shared::{
    AppError, ErrorCode, FieldError,
    account::{MfaEnrolment, parse_totp_code},
};

/// QR code, manual key and the code field; `on_code` receives a well-formed 6-digit code.
#[component]
pub fn EnrolmentStep(
    enrolment: MfaEnrolment,
    #[prop(into)] pending: Signal<bool>,
    #[prop(into)] server_error: Signal<Option<AppError>>,
    on_code: Callback<String>,
) -> impl IntoView {
    let form = FormState::new();
    let code = RwSignal::new(String::new());
    let local = Memo::new(move |_| {
        code.with(|c| match parse_totp_code(c) {
            Ok(_) => Vec::new(),
            Err(message) => vec![FieldError::new("code", message)],
        })
    });
    Effect::new(move |_| {
        if let Some(error) = server_error.get() {
            form.server_failed(error);
        }
    });
    view! {
        <ol class="steps">
            <li>
                "スマートフォンに認証アプリ（Google Authenticator、Microsoft Authenticator など）を用意してください。"
            </li>
            <li>
                "アプリで次のQRコードを読み取ってください。"
                <img class="qr" src=enrolment.qr_data_url alt="2段階認証の設定用QRコード" width="200" height="200" />
                <p class="field__hint">"読み取れない場合は、次のキーを手入力してください。"</p>
                <p class="manual-key">
                    <code aria-label="手入力用のキー">{enrolment.manual_key}</code>
                </p>
            </li>
            <li>"アプリに表示された6桁の確認コードを入力してください。"</li>
        </ol>
        <form
            class="form"
            novalidate
            on:submit=move |ev| {
                ev.prevent_default();
                if form.try_submit(local)
                    && let Ok(code) = parse_totp_code(&code.get_untracked())
                {
                    on_code.run(code);
                }
            }
        >
            <FormAlert message=form.alert() />
            <TextField field="code" label="確認コード" value=code message=form.message(local, "code") form required=true autocomplete="one-time-code" inputmode="numeric" />
            <button type="submit" class="button" disabled=move || pending.get()>
                "確認して有効にする"
            </button>
        </form>
    }
}

/// The ten recovery codes, shown once; continuing needs the confirmation checkbox.
#[component]
pub fn RecoveryCodesStep(codes: Vec<String>, on_done: Callback<()>) -> impl IntoView {
    let stored = RwSignal::new(false);
    let copied = RwSignal::new(None::<&'static str>);
    let text = codes.join("\n");
    let copy_text = text.clone();
    view! {
        <div class="recovery" role="region" aria-labelledby="recovery-title">
            <h2 id="recovery-title">"リカバリーコード"</h2>
            <p>
                "スマートフォンをなくしたときなどに、確認コードの代わりに使えます。各コードは1回だけ使えます。"
                <strong>"この画面を閉じると二度と表示されません。"</strong>
                "印刷するか、安全な場所に保管してください。"
            </p>
            <ul class="recovery__codes" data-testid="recovery-codes">
                {codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}
            </ul>
            <div class="recovery__actions">
                <button
                    type="button"
                    class="button button--secondary"
                    on:click=move |_| copied.set(Some(if copy_to_clipboard(&copy_text) { "コピーしました" } else { "コピーできませんでした。コードを選択してコピーしてください" }))
                >
                    "コピー"
                </button>
                <button type="button" class="button button--secondary" on:click=move |_| save_as_text(&text)>
                    "テキストで保存"
                </button>
                <span role="status">{move || copied.get()}</span>
            </div>
            <div class="choice">
                <input
                    id="recovery-stored"
                    type="checkbox"
                    prop:checked=move || stored.get()
                    on:change=move |ev| stored.set(event_target_checked(&ev))
                />
                <label for="recovery-stored">"安全な場所に保管しました"</label>
            </div>
            <button
                type="button"
                class="button"
                disabled=move || !stored.get()
                on:click=move |_| on_done.run(())
            >
                "次へ進む"
            </button>
        </div>
    }
}

fn copy_to_clipboard(_text: &str) -> bool {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::{JsCast, JsValue};
        let navigator = window().navigator();
        let clipboard = js_sys::Reflect::get(&navigator, &JsValue::from_str("clipboard")).ok();
        let write = clipboard.as_ref().and_then(|c| {
            js_sys::Reflect::get(c, &JsValue::from_str("writeText"))
                .ok()?
                .dyn_into::<js_sys::Function>()
                .ok()
        });
        if let (Some(clipboard), Some(write)) = (clipboard, write) {
            return write.call1(&clipboard, &JsValue::from_str(_text)).is_ok();
        }
    }
    false
}

fn save_as_text(text: &str) {
    crate::browser::save_file(
        "keikakun-recovery-codes.txt",
        "text/plain;charset=utf-8",
        &format!("けいかくん リカバリーコード\n各コードは1回だけ使えます。\n\n{text}\n"),
    );
}

/// First-time setup when the owner requires MFA (after login or after accepting an invitation):
/// nothing else is reachable until it is done. `on_done` gets the recovery codes and the page to
/// open; `on_expired` the error when the temporary token ran out.
#[component]
pub fn RequiredSetup(
    token: String,
    on_done: Callback<(Vec<String>, String)>,
    on_expired: Callback<AppError>,
    /// app_admins must always use MFA (not an office setting) and log in on their own page.
    #[prop(optional)]
    for_app_admin: bool,
) -> impl IntoView {
    let (notice, login_path) = if for_app_admin {
        (
            "アプリ管理者は2段階認証の設定が必要です。設定が終わるとログインが完了します。",
            "/app-admin/login",
        )
    } else {
        (
            "事業所の設定により、2段階認証の設定が必要です。設定が終わるとログインが完了します。",
            "/login",
        )
    };
    let begin = ServerAction::<LoginMfaSetup>::new();
    let confirm = ServerAction::<LoginMfaSetupConfirm>::new();
    let begin_token = token.clone();
    Effect::new(move |_| match confirm.value().get() {
        Some(Ok(done)) => on_done.run((done.recovery_codes.0, done.redirect_to)),
        Some(Err(error)) if error.code == ErrorCode::Unauthenticated => on_expired.run(error),
        _ => {}
    });
    let confirm_error = Signal::derive(move || confirm.value().get().and_then(Result::err));
    view! {
        <h2>"2段階認証の設定"</h2>
        <p class="notice">{notice}</p>
        {move || match begin.value().get() {
            None => view! {
                <button
                    type="button"
                    class="button"
                    disabled=move || begin.pending().get()
                    on:click={
                        let token = begin_token.clone();
                        move |_| { begin.dispatch(LoginMfaSetup { pending_token: token.clone() }); }
                    }
                >
                    "設定を始める"
                </button>
            }.into_any(),
            Some(Err(error)) => view! {
                <p class="form-alert form-alert--shown" role="alert">{error.user_message()}</p>
                <p><a href=login_path rel="external">"ログイン画面に戻る"</a></p>
            }.into_any(),
            Some(Ok(enrolment)) => {
                let token = token.clone();
                let on_code = Callback::new(move |code: String| {
                    confirm.dispatch(LoginMfaSetupConfirm { pending_token: token.clone(), code });
                });
                view! { <EnrolmentStep enrolment pending=confirm.pending() server_error=confirm_error on_code /> }.into_any()
            }
        }}
    }
}
