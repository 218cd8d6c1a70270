//! `/documents` 「PDF一覧」 (SPEC §7.8): every live version of the office, with search (file name
//! or recipient), filters (type, upload period), sort and paging in the URL query. 「表示」 and
//! 「ダウンロード」 ask for a fresh five-minute link on click.

use crate::{
    api::documents::{list_documents, open_document},
    browser::go_to,
    components::modal::Modal,
    session::SignedIn,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use shared::{
    AppError,
    account::CurrentUser,
    document::{DocType, DocumentPage, OpenLink},
};

const PARAMS: [&str; 8] = [
    "q",
    "recipients",
    "types",
    "from",
    "to",
    "sort",
    "dir",
    "per_page",
];

fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b',' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[component]
pub fn DocumentListPage() -> impl IntoView {
    let query = use_query_map();
    let data = Resource::new(
        move || query.get(),
        |q| {
            let get = |k: &str| q.get(k).filter(|v| !v.is_empty());
            list_documents(
                get("q"),
                get("recipients"),
                get("types"),
                get("from"),
                get("to"),
                get("sort"),
                get("dir"),
                get("page").and_then(|p| p.parse().ok()),
                get("per_page").and_then(|p| p.parse().ok()),
            )
        },
    );
    view! {
        <Title text="PDF一覧" />
        <SignedIn render=move |user| list_for(user, data) />
    }
}

fn list_for(_user: CurrentUser, data: Resource<Result<DocumentPage, AppError>>) -> AnyView {
    let query = use_query_map();
    let value = move |k: &'static str| move || query.with(|q| q.get(k).unwrap_or_default());
    let preview = RwSignal::new(None::<OpenLink>);
    let open = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let title = Signal::derive(move || {
        preview.with(|p| p.as_ref().map(|l| l.file_name.clone()).unwrap_or_default())
    });
    let show = Callback::new(move |(version, download): (uuid::Uuid, bool)| {
        leptos::task::spawn_local(async move {
            match open_document(version, download).await {
                Ok(link) if download => go_to(&link.url),
                Ok(link) => {
                    preview.set(Some(link));
                    open.set(true);
                }
                Err(e) => error.set(Some(e.user_message())),
            }
        });
    });
    view! {
        <section class="settings settings--wide" aria-labelledby="documents-title">
            <p><a href="/dashboard">"← 利用者ダッシュボードへ"</a></p>
            <h1 id="documents-title">"PDF一覧"</h1>
            <form class="search-form" method="get" action="/documents" role="search">
                <div class="field">
                    <label for="documents-q">"ファイル名・利用者名で検索"</label>
                    <input id="documents-q" name="q" type="search" maxlength="200" prop:value=value("q") />
                </div>
                <div class="field">
                    <label for="documents-type">"種類"</label>
                    <select id="documents-type" name="types">
                        <option value="">"すべて"</option>
                        {DocType::ALL.iter().filter(|t| **t != DocType::ConsentCertificate).map(|t| {
                            let code = t.as_str();
                            view! { <option value=code selected=move || value("types")() == code>{t.label()}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="documents-from">"アップロード日（から）"</label>
                    <input id="documents-from" name="from" type="date" prop:value=value("from") />
                </div>
                <div class="field">
                    <label for="documents-to">"アップロード日（まで）"</label>
                    <input id="documents-to" name="to" type="date" prop:value=value("to") />
                </div>
                <div class="field">
                    <label for="documents-sort">"並び順"</label>
                    <select id="documents-sort" name="sort">
                        {[("uploaded", "アップロード日時（新しい順）"), ("recipient", "利用者（ふりがな順）"), ("file_name", "ファイル名")].into_iter().map(|(code, label)| {
                            view! { <option value=code selected=move || value("sort")() == code>{label}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <button type="submit" class="button">"検索"</button>
            </form>
            <p class="form-alert" class:form-alert--shown=move || error.with(Option::is_some) role="alert">{move || error.get()}</p>
            <Transition fallback=|| view! { <p class="loading">"読み込み中…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(page) => view! { <DocumentTable page show /> }.into_any(),
                        Err(e) => view! { <p class="form-alert form-alert--shown" role="alert">{e.user_message()}</p> }.into_any(),
                    }
                })}
            </Transition>
            <Modal open id="document-preview".to_owned() title>
                {move || preview.get().map(|link| view! {
                    <div class="preview-pane">
                        <iframe class="preview-pane__frame" src=link.url.clone() title=format!("{}のプレビュー", link.file_name)></iframe>
                        <p><a href=link.url target="_blank" rel="noopener">"新しいタブで開く"</a>"（このリンクは5分間有効です）"</p>
                    </div>
                })}
            </Modal>
        </section>
    }
    .into_any()
}

#[component]
fn DocumentTable(page: DocumentPage, show: Callback<(uuid::Uuid, bool)>) -> impl IntoView {
    let query = use_query_map();
    let params = query.get_untracked();
    let page_link = move |n: u32| {
        let mut parts: Vec<String> = PARAMS
            .iter()
            .filter_map(|k| {
                params
                    .get(k)
                    .filter(|v| !v.is_empty())
                    .map(|v| format!("{k}={}", encode(&v)))
            })
            .collect();
        parts.push(format!("page={n}"));
        format!("/documents?{}", parts.join("&"))
    };
    if page.items.is_empty() {
        return view! { <p>"条件に一致する書類はありません。"</p> }.into_any();
    }
    let previous = (page.page > 1).then(|| page_link(page.page - 1));
    let next = (page.page < page.pages).then(|| page_link(page.page + 1));
    view! {
        <p role="status">{format!("{}件中 {}ページ目（全{}ページ）", page.total, page.page, page.pages.max(1))}</p>
        <div class="table-scroll">
            <table class="table table--cards">
                <caption class="visually-hidden">"書類の一覧"</caption>
                <thead>
                    <tr>
                        <th scope="col">"ファイル名"</th>
                        <th scope="col">"種類"</th>
                        <th scope="col">"利用者"</th>
                        <th scope="col">"回"</th>
                        <th scope="col">"アップロード者"</th>
                        <th scope="col">"アップロード日時"</th>
                        <th scope="col">"操作"</th>
                    </tr>
                </thead>
                <tbody>
                    {page.items.into_iter().map(|d| {
                        let id = d.version_id;
                        view! {
                            <tr>
                                <th scope="row" data-label="ファイル名">{d.file_name.clone()}<small>{format!(" 第{}版", d.version)}</small></th>
                                <td data-label="種類">{d.doc_type.label()}</td>
                                <td data-label="利用者">
                                    <a href=format!("/recipients/{}/plan", d.recipient_id)>{d.recipient_name.clone()}</a>
                                    {d.recipient_archived.then(|| view! { <span class="badge badge--muted">"利用終了"</span> })}
                                </td>
                                <td data-label="回">{format!("第{}回", d.cycle_number)}</td>
                                <td data-label="アップロード者">{d.uploaded_by_name.clone()}</td>
                                <td data-label="アップロード日時">{d.uploaded_at.clone()}</td>
                                <td data-label="操作">
                                    <div class="table__actions">
                                        <button type="button" class="link-button" on:click=move |_| show.run((id, false))>"表示"</button>
                                        <button type="button" class="link-button" on:click=move |_| show.run((id, true))>"ダウンロード"</button>
                                    </div>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <nav class="pager" aria-label="ページ">
            {previous.map(|href| view! { <a href=href>"前のページ"</a> })}
            {next.map(|href| view! { <a href=href>"次のページ"</a> })}
        </nav>
    }
    .into_any()
}
