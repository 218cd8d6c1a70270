//! `/verify-email#token=…` (SPEC §2.1 step 2): the link from the verification mail.

use crate::{api::auth::VerifyEmail, browser::fragment_param};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn VerifyEmailPage() -> impl IntoView {
    let verify = ServerAction::<VerifyEmail>::new();
    let missing = RwSignal::new(false);
    // The token is in the fragment, which only the browser sees.
    Effect::new(move |_| match fragment_param("token") {
        Some(token) => {
            verify.dispatch(VerifyEmail { token });
        }
        None => missing.set(true),
    });
    view! {
        <Title text="メールアドレスの確認" />
        <section class="auth-card" aria-labelledby="verify-title">
            <h1 id="verify-title">"メールアドレスの確認"</h1>
            <crate::components::form::JsRequired />
            <div role="status">
                {move || match (verify.value().get(), missing.get()) {
                    (Some(Ok(())), _) => view! {
                        <p class="notice notice--ok">"メールアドレスを確認しました。ログインしてください"</p>
                        <p><a class="button" href="/login">"ログインへ進む"</a></p>
                    }.into_any(),
                    (Some(Err(error)), _) => view! {
                        <p class="form-alert form-alert--shown">{error.user_message()}</p>
                        <p>"確認メールの再送信は、ログイン画面から行えます。"</p>
                        <p><a href="/login">"ログイン画面へ"</a></p>
                    }.into_any(),
                    (None, true) => view! {
                        <p class="form-alert form-alert--shown">"このリンクは無効か有効期限が切れています"</p>
                    }.into_any(),
                    (None, false) => view! { <p>"確認しています…"</p> }.into_any(),
                }}
            </div>
        </section>
    }
}
