//! `/notices` 「お知らせ」 (SPEC §9.1, minimal): the signed-in staff member's notices, newest
//! first; opening one marks it read.

use crate::{
    api::notices::{ReadAllNotices, list_notices, read_notice},
    browser::go_to,
    session::SignedIn,
};
use leptos::{prelude::*, task::spawn_local};
use leptos_meta::Title;
use shared::{AppError, account::CurrentUser, notice::NoticeItem};

#[component]
pub fn NoticesPage() -> impl IntoView {
    view! {
        <Title text="お知らせ" />
        <SignedIn render=notices_for />
    }
}

fn notices_for(_user: CurrentUser) -> AnyView {
    let read_all = ServerAction::<ReadAllNotices>::new();
    let data = Resource::new(move || read_all.version().get(), |_| list_notices());
    view! {
        <section class="settings settings--wide" aria-labelledby="notices-title">
            <h1 id="notices-title">"お知らせ"</h1>
            <Suspense fallback=|| view! { <p class="loading">"読み込み中…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(list) if list.items.is_empty() => view! { <p role="status">"お知らせはありません。"</p> }.into_any(),
                        Ok(list) => view! {
                            <p role="status">{format!("全{}件（未読{}件）", list.total, list.unread)}</p>
                            {(list.unread > 0).then(|| view! {
                                <p>
                                    <button type="button" class="button button--secondary"
                                        on:click=move |_| { read_all.dispatch(ReadAllNotices {}); }>
                                        "すべて既読にする"
                                    </button>
                                </p>
                            })}
                            <ul class="notice-list">
                                {list.items.into_iter().map(|n| view! { <NoticeRow n /> }).collect_view()}
                            </ul>
                        }
                        .into_any(),
                        Err(e) => view! { <p class="form-alert form-alert--shown" role="alert">{e.user_message()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
    .into_any()
}

#[component]
fn NoticeRow(n: NoticeItem) -> impl IntoView {
    let id = n.id;
    let read = n.read;
    let open = move |link: String| {
        spawn_local(async move {
            // Opening marks it read; the link is followed whatever the answer.
            let _: Result<(), AppError> = read_notice(id).await;
            go_to(&link);
        });
    };
    let title = n.title.clone();
    view! {
        <li class="notice-list__item" class:notice-list__item--unread=!read>
            <p class="notice-list__meta">
                {(!read).then(|| view! { <span class="badge badge--warn">"未読"</span> })}
                {n.resolved.then(|| view! { <span class="badge">"処理済み"</span> })}
                <span>{n.created_at.clone()}</span>
            </p>
            {match n.link.clone() {
                Some(link) => {
                    let href = link.clone();
                    view! {
                        <a href=href on:click=move |ev| { ev.prevent_default(); open(link.clone()); }>
                            {title}
                        </a>
                    }
                    .into_any()
                }
                None => view! { <span>{title}</span> }.into_any(),
            }}
            {(!n.body.is_empty()).then(|| view! { <p class="notice-list__body">{n.body.clone()}</p> })}
        </li>
    }
}
