//! 「ページが見つかりません」 — also sets the HTTP status to 404 on the server.

use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }

    view! {
        <Title text="ページが見つかりません" />
        <section class="page-message" aria-labelledby="not-found-title">
            <h1 id="not-found-title">"お探しのページが見つかりません"</h1>
            <p>"URLが間違っているか、ページが移動または削除された可能性があります。"</p>
            <p>
                <a class="button" href="/">
                    "トップページへ戻る"
                </a>
            </p>
        </section>
    }
}
