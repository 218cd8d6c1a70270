//! 「ログイン中の端末」 on `/settings/security` (SPEC §2.4).

use crate::api::account::{RevokeOtherSessions, RevokeSession, list_sessions};
use leptos::prelude::*;
use shared::dates::format_datetime_jst;

#[component]
pub fn DevicesSection() -> impl IntoView {
    let revoke = ServerAction::<RevokeSession>::new();
    let revoke_others = ServerAction::<RevokeOtherSessions>::new();
    let sessions = Resource::new(
        move || (revoke.version().get(), revoke_others.version().get()),
        |_| list_sessions(),
    );
    let status = Signal::derive(move || {
        if let Some(result) = revoke_others.value().get() {
            return Some(match result {
                Ok(n) => format!("ほかの端末（{n}件）からログアウトしました。"),
                Err(e) => e.user_message(),
            });
        }
        revoke.value().get().map(|r| match r {
            Ok(()) => "選んだ端末からログアウトしました。".to_owned(),
            Err(e) => e.user_message(),
        })
    });
    view! {
        <section class="settings__section" aria-labelledby="devices-title">
            <h2 id="devices-title">"ログイン中の端末"</h2>
            <p class="notice" role="status" class:hidden=move || status.with(Option::is_none)>{status}</p>
            <Transition fallback=|| view! { <p class="loading">"読み込み中…"</p> }>
                {move || Suspend::new(async move {
                    match sessions.await {
                        Err(e) => view! { <p class="form-alert form-alert--shown" role="alert">{e.user_message()}</p> }.into_any(),
                        Ok(list) => view! {
                            <div class="table-scroll">
                                <table class="table">
                                    <caption class="visually-hidden">"ログイン中の端末"</caption>
                                    <thead>
                                        <tr>
                                            <th scope="col">"端末"</th>
                                            <th scope="col">"IPアドレス"</th>
                                            <th scope="col">"ログイン日時"</th>
                                            <th scope="col">"最終利用"</th>
                                            <th scope="col">"操作"</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {list.into_iter().map(|s| {
                                            let id = s.id;
                                            let label = format!("{}（{}）をログアウト", s.device, s.ip_masked);
                                            view! {
                                                <tr>
                                                    <th scope="row">
                                                        {s.device.clone()}
                                                        {s.current.then(|| view! { <span class="badge">"この端末"</span> })}
                                                    </th>
                                                    <td>{s.ip_masked.clone()}</td>
                                                    <td>{format_datetime_jst(s.created_at)}</td>
                                                    <td>{format_datetime_jst(s.last_used_at)}</td>
                                                    <td>
                                                        {(!s.current).then(|| view! {
                                                            <button type="button" class="link-button" aria-label=label.clone() on:click=move |_| { revoke.dispatch(RevokeSession { session_id: id }); }>"ログアウト"</button>
                                                        })}
                                                    </td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        }.into_any(),
                    }
                })}
            </Transition>
            <button type="button" class="button button--secondary" on:click=move |_| { revoke_others.dispatch(RevokeOtherSessions {}); }>
                "他のすべての端末からログアウト"
            </button>
        </section>
    }
}
