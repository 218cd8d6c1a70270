//! `/consent` (SPEC §2.5): after the terms or the privacy policy changed, staff accept them
//! again before anything else.

use crate::{api::account::AcceptTerms, browser::go_to, session::SignedIn};
use leptos::prelude::*;
use leptos_meta::Title;
use shared::account::CurrentUser;

#[component]
pub fn ConsentPage() -> impl IntoView {
    view! {
        <Title text="利用規約への同意" />
        <SignedIn render=consent_for allow_without_office=true />
    }
}

fn consent_for(_user: CurrentUser) -> AnyView {
    let accept = ServerAction::<AcceptTerms>::new();
    let terms = RwSignal::new(false);
    let privacy = RwSignal::new(false);
    Effect::new(move |_| {
        if let Some(Ok(())) = accept.value().get() {
            go_to("/home");
        }
    });
    view! {
        <section class="auth-card" aria-labelledby="consent-title">
            <h1 id="consent-title">"利用規約への同意"</h1>
            <crate::components::form::JsRequired />
            <p>"利用規約とプライバシーポリシーを改定しました。内容をご確認のうえ、同意してください。同意いただくまで、ほかの画面はご利用いただけません。"</p>
            <div class="choice">
                <input id="consent-terms" type="checkbox" prop:checked=move || terms.get() on:change=move |ev| terms.set(event_target_checked(&ev)) />
                <label for="consent-terms"><a href="/terms" target="_blank" rel="noopener">"利用規約"</a>"に同意する"</label>
            </div>
            <div class="choice">
                <input id="consent-privacy" type="checkbox" prop:checked=move || privacy.get() on:change=move |ev| privacy.set(event_target_checked(&ev)) />
                <label for="consent-privacy"><a href="/privacy" target="_blank" rel="noopener">"プライバシーポリシー"</a>"に同意する"</label>
            </div>
            {move || accept.value().get().and_then(Result::err).map(|e| view! { <p class="form-alert form-alert--shown" role="alert">{e.user_message()}</p> })}
            <button
                type="button"
                class="button"
                disabled=move || !(terms.get() && privacy.get()) || accept.pending().get()
                on:click=move |_| { accept.dispatch(AcceptTerms {}); }
            >
                "同意して続ける"
            </button>
        </section>
    }
    .into_any()
}
