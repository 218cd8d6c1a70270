//! 「サービス稼働状況」: rendered on the server, re-checked in the browser through
//! `GET /api/health/status`.

use crate::api::health::service_status;
use leptos::prelude::*;
use shared::dates::format_datetime_jst;

#[component]
pub fn StatusPanel() -> impl IntoView {
    let checks = RwSignal::new(0u32);
    let status = Resource::new(move || checks.get(), |_| service_status());

    view! {
        <section id="status" class="status-panel" aria-labelledby="status-title">
            <h2 id="status-title">"サービス稼働状況"</h2>
            <div class="status-panel__result" aria-live="polite">
                <Transition fallback=|| view! { <p>"確認しています…"</p> }>
                    {move || Suspend::new(async move {
                        match status.await {
                            Ok(s) => {
                                view! {
                                    <p class="status status--ok">
                                        <span class="status__label">"正常に稼働しています"</span>
                                        <span class="status__time">
                                            "確認時刻: " {format_datetime_jst(s.database_time)}
                                        </span>
                                    </p>
                                }
                                    .into_any()
                            }
                            Err(e) => {
                                view! {
                                    <p class="status status--error" role="alert">
                                        {e.user_message()}
                                    </p>
                                }
                                    .into_any()
                            }
                        }
                    })}
                </Transition>
            </div>
            // Without JavaScript the button reloads the page, which checks again on the server.
            <form
                method="get"
                action="/#status"
                on:submit=move |ev| {
                    ev.prevent_default();
                    checks.update(|n| *n += 1);
                }
            >
                <button type="submit" class="button button--secondary">
                    "再確認する"
                </button>
            </form>
        </section>
    }
}
