//! 利用者 pages (SPEC §4): the list `/recipients` (a plain GET form: it works without
//! JavaScript), the detail `/recipients/:id`, and the wizard at `/recipients/new` and
//! `/recipients/:id/edit`.

mod assessment;
mod detail;
mod import;
mod lifecycle;
mod plan;
mod wizard;

pub use assessment::AssessmentPage;
pub use detail::{RecipientDetailPage, RecipientEditPage, RecipientNewPage};
pub use import::RecipientImportPage;
pub use plan::{PlanPage, RiskBadges};

use crate::{
    api::recipients::{export_recipients, get_recipient_form_context, list_recipients},
    browser::save_file,
    session::SignedIn,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use shared::{
    Role,
    account::CurrentUser,
    recipient::{RecipientPage, RecipientStatus},
};

#[component]
pub fn RecipientListPage() -> impl IntoView {
    view! {
        <Title text="利用者一覧" />
        <SignedIn render=list_for />
    }
}

/// The list's query parameters, in the order links repeat them.
const PARAMS: [&str; 7] = [
    "q",
    "status",
    "service_type",
    "staff",
    "sort",
    "dir",
    "incomplete",
];

fn list_for(user: CurrentUser) -> AnyView {
    let query = use_query_map();
    let page = Resource::new(
        move || query.get(),
        |q| {
            let get = |k: &str| q.get(k).filter(|v| !v.is_empty());
            list_recipients(
                get("q"),
                get("status"),
                get("service_type"),
                get("staff"),
                get("incomplete").map(|v| v == "true"),
                get("sort"),
                get("dir"),
                get("page").and_then(|p| p.parse().ok()),
            )
        },
    );
    let q = move || query.with(|m| m.get("q").unwrap_or_default());
    let status = move || query.with(|m| m.get("status").unwrap_or_default());
    let own_id = user.staff_id.to_string();
    let mine = move || query.with(|m| m.get("staff").as_deref() == Some(own_id.as_str()));
    let incomplete = move || query.with(|m| m.get("incomplete").as_deref() == Some("true"));
    let manager = user.role.at_least(Role::Manager);
    let service_type = move || query.with(|m| m.get("service_type").unwrap_or_default());
    let context = Resource::new(|| (), |_| get_recipient_form_context());
    // 「CSVで出力」: the list's current filters, every page (§4.6).
    let exporting = RwSignal::new(false);
    let export_error = RwSignal::new(None::<String>);
    let export = move |_| {
        let params = query.get_untracked();
        let get = move |k: &str| params.get(k).filter(|v| !v.is_empty());
        exporting.set(true);
        export_error.set(None);
        leptos::task::spawn_local(async move {
            match export_recipients(
                get("q"),
                get("status"),
                get("service_type"),
                get("staff"),
                get("incomplete").map(|v| v == "true"),
                get("sort"),
                get("dir"),
            )
            .await
            {
                Ok(file) => save_file(&file.filename, "text/csv;charset=utf-8", &file.content),
                Err(e) => export_error.set(Some(e.user_message())),
            }
            exporting.set(false);
        });
    };
    let mut statuses: Vec<(&str, &str)> = vec![
        ("active", "利用中"),
        ("archived", "利用終了"),
        ("all", "すべて"),
    ];
    if manager {
        statuses.insert(2, ("deleted", "削除済み"));
    }
    view! {
        <section class="settings settings--wide" aria-labelledby="recipients-title">
            <h1 id="recipients-title">"利用者一覧"</h1>
            <p class="button-row">
                <a class="button" href="/recipients/new">
                    {if manager { "利用者を登録する" } else { "利用者の登録を申請する" }}
                </a>
                {manager.then(|| view! {
                    <a class="button button--secondary" href="/recipients/import">"CSVから取り込む"</a>
                    <button type="button" class="button button--secondary" disabled=move || exporting.get() on:click=export>
                        "CSVで出力"
                    </button>
                })}
            </p>
            {move || export_error.get().map(|m| view! { <p class="form-alert form-alert--shown" role="alert">{m}</p> })}
            <form class="search-form" method="get" action="/recipients" role="search">
                <div class="field">
                    <label for="recipient-q">"氏名・ふりがな"</label>
                    <input id="recipient-q" name="q" type="search" placeholder="氏名・ふりがなで検索" maxlength="100" prop:value=q />
                </div>
                <div class="field">
                    <label for="recipient-status">"状態"</label>
                    <select id="recipient-status" name="status">
                        {statuses
                            .into_iter()
                            .map(|(value, label)| {
                                view! { <option value=value selected=move || status() == value || (status().is_empty() && value == "active")>{label}</option> }
                            })
                            .collect_view()}
                    </select>
                </div>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        let types = context.await.map(|c| c.service_types).unwrap_or_default();
                        (types.len() > 1).then(|| view! {
                            <div class="field">
                                <label for="recipient-service-type">"サービス種別"</label>
                                <select id="recipient-service-type" name="service_type">
                                    <option value="">"すべて"</option>
                                    {types.into_iter().map(|t| view! {
                                        <option value=t.code() selected=move || service_type() == t.code()>{t.label()}</option>
                                    }).collect_view()}
                                </select>
                            </div>
                        })
                    })}
                </Suspense>
                <div class="field">
                    <div class="choice">
                        <input id="recipient-mine" name="staff" type="checkbox" value=user.staff_id.to_string() prop:checked=mine />
                        <label for="recipient-mine">"自分が担当の利用者のみ"</label>
                    </div>
                    <div class="choice">
                        <input id="recipient-incomplete" name="incomplete" type="checkbox" value="true" prop:checked=incomplete />
                        <label for="recipient-incomplete">"未入力項目ありのみ"</label>
                    </div>
                </div>
                <button type="submit" class="button">"検索"</button>
            </form>
            <Suspense fallback=|| view! { <p class="loading">"読み込み中…"</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(page) => {
                            let params = query.get_untracked();
                            let base: Vec<(String, String)> = PARAMS
                                .iter()
                                .filter_map(|k| params.get(k).filter(|v| !v.is_empty()).map(|v| ((*k).to_owned(), v)))
                                .collect();
                            view! { <RecipientTable page base /> }.into_any()
                        }
                        Err(e) => view! { <p class="form-alert form-alert--shown" role="alert">{e.user_message()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
    .into_any()
}

fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn page_link(base: &[(String, String)], page: u32) -> String {
    let mut parts: Vec<String> = base
        .iter()
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect();
    parts.push(format!("page={page}"));
    format!("/recipients?{}", parts.join("&"))
}

#[component]
fn RecipientTable(page: RecipientPage, base: Vec<(String, String)>) -> impl IntoView {
    if page.items.is_empty() {
        return view! { <p>"該当する利用者はいません。"</p> }.into_any();
    }
    let summary = format!(
        "{}件中 {}ページ目（全{}ページ）",
        page.total,
        page.page,
        page.pages.max(1)
    );
    let previous = (page.page > 1).then(|| page_link(&base, page.page - 1));
    let next = (page.page < page.pages).then(|| page_link(&base, page.page + 1));
    view! {
        <p role="status">{summary}</p>
        <div class="table-scroll">
            <table class="table">
                <thead>
                    <tr>
                        <th scope="col">"氏名"</th>
                        <th scope="col">"ふりがな"</th>
                        <th scope="col">"年齢"</th>
                        <th scope="col">"性別"</th>
                        <th scope="col">"サービス種別"</th>
                        <th scope="col">"担当"</th>
                        <th scope="col">"状態"</th>
                    </tr>
                </thead>
                <tbody>
                    {page
                        .items
                        .into_iter()
                        .map(|r| {
                            let status = match (r.status, r.profile_incomplete) {
                                (RecipientStatus::Active, true) => "利用中（未入力項目あり）".to_owned(),
                                (status, _) => status.label().to_owned(),
                            };
                            view! {
                                <tr>
                                    <th scope="row"><a href=format!("/recipients/{}", r.id)>{r.name}</a></th>
                                    <td>{r.kana}</td>
                                    <td>{format!("{}歳", r.age)}</td>
                                    <td>{r.gender}</td>
                                    <td>{r.service_type}</td>
                                    <td>{r.assigned_staff.join("、")}</td>
                                    <td>{status}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
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
