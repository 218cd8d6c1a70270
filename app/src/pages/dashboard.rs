//! `/dashboard` 「利用者ダッシュボード」 (SPEC §8): counter cards that toggle their filter, search and
//! the filters of §6.5 in a plain GET form, removable chips, sort and paging. The whole state is
//! the URL query (it survives a reload, can be shared, and works without JavaScript); one server
//! call answers rows and counts.

use crate::{
    api::{dashboard::get_dashboard, staff::staff_directory},
    pages::recipients::RiskBadges,
    session::SignedIn,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use leptos_router::params::ParamsMap;
use shared::{
    Role,
    account::CurrentUser,
    dashboard::{DashboardPage as Dashboard, DashboardRow, PER_PAGE_CHOICES},
    dates::{days_label, format_date_ja, read_date},
    plan::{PlanStep, Urgency, risk::RiskLevel, views::Deadline},
    service_type::ServiceType,
};

/// Every query parameter of the page, in the order links write them.
const PARAMS: [&str; 13] = [
    "q",
    "overdue",
    "upcoming",
    "assessment_incomplete",
    "step",
    "cycle",
    "service_type",
    "assigned",
    "risk",
    "order_exception",
    "sort",
    "per_page",
    "page",
];
/// The filters (not the search, sort or paging): what 「フィルターをクリア」 removes.
const FILTERS: [&str; 9] = [
    "overdue",
    "upcoming",
    "assessment_incomplete",
    "step",
    "cycle",
    "service_type",
    "assigned",
    "risk",
    "order_exception",
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

/// `/dashboard?…` from `query` with `changes` applied (`None` removes a key); paging restarts
/// unless a change names the page.
fn link(query: &ParamsMap, changes: &[(&str, Option<&str>)]) -> String {
    let mut parts = Vec::new();
    for key in PARAMS {
        let value = match changes.iter().find(|(k, _)| *k == key) {
            Some((_, v)) => v.map(str::to_owned),
            None if key == "page" => None,
            None => query.get(key).filter(|v| !v.is_empty()),
        };
        if let Some(v) = value {
            parts.push(format!("{key}={}", encode(&v)));
        }
    }
    if parts.is_empty() {
        "/dashboard".to_owned()
    } else {
        format!("/dashboard?{}", parts.join("&"))
    }
}

#[component]
pub fn DashboardPage() -> impl IntoView {
    let query = use_query_map();
    let data = Resource::new(
        move || query.get(),
        |q| {
            let get = |k: &str| q.get(k).filter(|v| !v.is_empty());
            let flag = |k: &str| get(k).map(|v| v == "true");
            get_dashboard(
                get("q"),
                flag("overdue"),
                flag("upcoming"),
                flag("assessment_incomplete"),
                get("step"),
                get("cycle"),
                get("service_type"),
                get("assigned"),
                get("risk"),
                flag("order_exception"),
                get("sort"),
                get("page").and_then(|p| p.parse().ok()),
                get("per_page").and_then(|p| p.parse().ok()),
            )
        },
    );
    let staff = Resource::new(|| (), |_| staff_directory());
    view! {
        <Title text="利用者ダッシュボード" />
        <SignedIn render=move |user| dashboard_for(user, data, staff) />
    }
}

fn dashboard_for(
    user: CurrentUser,
    data: Resource<Result<Dashboard, shared::AppError>>,
    staff: Resource<Result<Vec<shared::staff::StaffName>, shared::AppError>>,
) -> AnyView {
    let query = use_query_map();
    let manager = user.role.at_least(Role::Manager);
    let value = move |k: &'static str| move || query.with(|q| q.get(k).unwrap_or_default());
    let checked =
        move |k: &'static str| move || query.with(|q| q.get(k).as_deref() == Some("true"));
    view! {
        <section class="settings settings--wide dashboard" aria-labelledby="dashboard-title">
            <h1 id="dashboard-title">"利用者ダッシュボード"</h1>
            {(!user.mfa_enabled).then(|| view! {
                <div class="notice" role="status">
                    <p>"利用者を登録・編集するには、2段階認証の設定が必要です。"</p>
                    <a class="button" href="/settings/security">"設定する"</a>
                </div>
            })}
            {user.recovery_codes_left.filter(|n| *n <= 2).map(|_| view! {
                <div class="notice" role="status">
                    <p>"リカバリーコードの残りが少なくなっています"</p>
                    <a href="/settings/security">"アカウントのセキュリティへ"</a>
                </div>
            })}
            <p class="section-links">
                <a href="/recipients/new">{if manager { "利用者追加" } else { "利用者の登録を申請" }}</a>
                <a href="/recipients">"利用者一覧"</a>
                <a href="/documents">"PDF一覧"</a>
            </p>
            <Transition fallback=|| view! { <p class="loading">"読み込み中…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(page) => view! { <Counters page /> }.into_any(),
                        Err(e) => view! { <p class="form-alert form-alert--shown" role="alert">{e.user_message()}</p> }.into_any(),
                    }
                })}
            </Transition>
            <form class="search-form dashboard__filters" method="get" action="/dashboard" role="search" aria-label="絞り込み">
                <div class="field">
                    <label for="dashboard-q">"氏名・ふりがなで検索"</label>
                    <input id="dashboard-q" name="q" type="search" maxlength="100" prop:value=value("q") />
                </div>
                <fieldset class="field">
                    <legend>"計画の進捗で絞り込み"</legend>
                    <div class="choice">
                        <input id="dashboard-step-all" type="radio" name="step" value="" prop:checked=move || value("step")().is_empty() />
                        <label for="dashboard-step-all">"すべて"</label>
                    </div>
                    {PlanStep::ALL.iter().map(|s| {
                        let id = format!("dashboard-step-{}", s.as_str());
                        let code = s.as_str();
                        view! {
                            <div class="choice">
                                <input id=id.clone() type="radio" name="step" value=code prop:checked=move || value("step")() == code />
                                <label for=id>{s.chip()}</label>
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
                <div class="field">
                    <label for="dashboard-cycle">"回"</label>
                    <input id="dashboard-cycle" name="cycle" type="number" min="1" inputmode="numeric" prop:value=value("cycle") />
                </div>
                <div class="field">
                    <label for="dashboard-service-type">"サービス種別"</label>
                    <select id="dashboard-service-type" name="service_type">
                        <option value="">"すべて"</option>
                        {ServiceType::ALL.iter().map(|t| {
                            let code = t.code();
                            view! { <option value=code selected=move || value("service_type")() == code>{t.label()}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="dashboard-assigned">"担当"</label>
                    <select id="dashboard-assigned" name="assigned">
                        <option value="">"すべて"</option>
                        <option value="me" selected=move || value("assigned")() == "me">"自分の担当"</option>
                        <Suspense fallback=|| ()>
                            {move || Suspend::new(async move {
                                staff.await.unwrap_or_default().into_iter().map(|s| {
                                    let id = s.id.to_string();
                                    let selected_id = id.clone();
                                    view! { <option value=id selected=move || value("assigned")() == selected_id>{s.display_name}</option> }
                                }).collect_view()
                            })}
                        </Suspense>
                    </select>
                </div>
                <div class="field">
                    <label for="dashboard-risk">"減算リスク"</label>
                    <select id="dashboard-risk" name="risk">
                        <option value="">"すべて"</option>
                        <option value="gap,high" selected=move || value("risk")() == "gap,high">"減算リスク（未作成減算の可能性・リスク高）"</option>
                        {[RiskLevel::Gap, RiskLevel::High, RiskLevel::Watch, RiskLevel::Docs].into_iter().map(|l| {
                            let code = l.as_str();
                            view! { <option value=code selected=move || value("risk")() == code>{l.label()}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <div class="choice">
                        <input id="dashboard-order-exception" name="order_exception" type="checkbox" value="true" prop:checked=checked("order_exception") />
                        <label for="dashboard-order-exception">"順序例外のある利用者のみ"</label>
                    </div>
                </div>
                <div class="field">
                    <label for="dashboard-sort">"並び順"</label>
                    <select id="dashboard-sort" name="sort">
                        {[("kana", "ふりがな"), ("renewal", "次回更新日"), ("created", "登録日（新しい順）"), ("risk", "減算リスク")].into_iter().map(|(code, label)| {
                            view! { <option value=code selected=move || value("sort")() == code || (value("sort")().is_empty() && code == "kana")>{label}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="dashboard-per-page">"表示件数"</label>
                    <select id="dashboard-per-page" name="per_page">
                        {PER_PAGE_CHOICES.into_iter().map(|n| {
                            let text = n.to_string();
                            view! { <option value=text.clone() selected=move || value("per_page")() == text || (value("per_page")().is_empty() && n == 50)>{format!("{n}件")}</option> }
                        }).collect_view()}
                    </select>
                </div>
                // The counter filters stay while searching.
                {["overdue", "upcoming", "assessment_incomplete"].into_iter().map(|k| view! {
                    <Show when=checked(k)><input type="hidden" name=k value="true" /></Show>
                }).collect_view()}
                <p class="button-row">
                    <button type="submit" class="button">"検索・絞り込み"</button>
                    <a class="button button--secondary" href=move || query.with(|q| link(q, &FILTERS.map(|k| (k, None))))>"フィルターをクリア"</a>
                    <a class="button button--secondary" href="/dashboard">"表示リセット"</a>
                </p>
            </form>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    data.await.ok().map(|page| view! { <Results page manager /> })
                })}
            </Transition>
        </section>
    }
    .into_any()
}

/// The counter cards (§8), each toggling its filter.
#[component]
fn Counters(page: Dashboard) -> impl IntoView {
    let query = use_query_map();
    let c = page.counts.clone();
    let cards: [(&str, &str, u64, &str, &'static str); 5] = [
        ("計画期限超過", "件", c.overdue, "overdue", "true"),
        (
            "計画期限間近（30日以内）",
            "件",
            c.upcoming,
            "upcoming",
            "true",
        ),
        (
            "アセスメント未完了",
            "件",
            c.assessment_incomplete,
            "assessment_incomplete",
            "true",
        ),
        ("減算リスク", "件", c.risk, "risk", "gap,high"),
        ("書類不備・順序例外", "件", c.docs, "risk", "docs"),
    ];
    view! {
        <ul class="counter-cards" aria-label="件数">
            {cards.into_iter().map(|(label, unit, n, key, on)| {
                let active = query.with_untracked(|q| q.get(key).as_deref() == Some(on));
                let href = query.with_untracked(|q| link(q, &[(key, (!active).then_some(on))]));
                view! {
                    <li class="counter-card" class:counter-card--active=active>
                        <span class="counter-card__label">{label}</span>
                        <span class="counter-card__value">{n.to_string()}<small>{unit}</small></span>
                        <a class="counter-card__toggle" href=href aria-label=format!("{label}で{}", if active { "の絞り込みを解除" } else { "絞り込み" })>
                            {if active { "解除" } else { "絞り込み" }}
                        </a>
                    </li>
                }
            }).collect_view()}
            <li class="counter-card">
                <span class="counter-card__label">"総利用者数"</span>
                <span class="counter-card__value">{c.total.to_string()}<small>"名"</small></span>
            </li>
        </ul>
    }
}

fn deadline_view(deadline: Option<Deadline>) -> AnyView {
    match deadline {
        Some(d) => {
            let date = read_date(&d.date)
                .map(format_date_ja)
                .unwrap_or(d.date.clone());
            view! {
                <span class="deadline">
                    {date}
                    <br />
                    <span class=Urgency::of(d.days).class()>{days_label(d.days)}</span>
                </span>
            }
            .into_any()
        }
        None => "—".into_any(),
    }
}

/// The active filters as removable chips, the 「検索結果」 line, the table (cards on phones) and
/// the pager.
#[component]
fn Results(page: Dashboard, manager: bool) -> impl IntoView {
    let query = use_query_map();
    let params = query.get_untracked();
    let mut chips: Vec<(String, String)> = Vec::new();
    let label_of = |key: &str, value: &str| -> Option<String> {
        Some(match key {
            "q" => format!("検索: {value}"),
            "overdue" => "計画期限超過".into(),
            "upcoming" => "計画期限間近".into(),
            "assessment_incomplete" => "アセスメント未完了".into(),
            "step" => format!("進捗: {}", PlanStep::parse(value)?.chip()),
            "cycle" => format!("第{value}回"),
            "service_type" => ServiceType::from_code(value)?.label().to_owned(),
            "assigned" if value == "me" => "自分の担当".into(),
            "assigned" => "担当者で絞り込み".into(),
            "risk" => format!(
                "リスク: {}",
                value
                    .split(',')
                    .filter_map(RiskLevel::parse)
                    .map(|l| l.label())
                    .collect::<Vec<_>>()
                    .join("・")
            ),
            "order_exception" => "順序例外あり".into(),
            _ => return None,
        })
    };
    for key in PARAMS.iter().take(10) {
        if let Some(value) = params.get(key).filter(|v| !v.is_empty())
            && let Some(label) = label_of(key, &value)
        {
            chips.push((label, link(&params, &[(key, None)])));
        }
    }
    let narrowed = !chips.is_empty();
    let matching = page.counts.matching;
    let previous = (page.page > 1).then(|| {
        let p = (page.page - 1).to_string();
        link(&params, &[("page", Some(&p))])
    });
    let next = (page.page < page.pages).then(|| {
        let p = (page.page + 1).to_string();
        link(&params, &[("page", Some(&p))])
    });
    let empty_message = if page.counts.total == 0 {
        if manager {
            "まだ利用者が登録されていません"
        } else {
            "まだ利用者が登録されていません。オーナーまたはマネージャーに登録を依頼してください"
        }
    } else {
        "条件に一致する利用者はいません"
    };
    let rows = page.rows.clone();
    view! {
        {narrowed.then(|| view! {
            <ul class="chips" aria-label="適用中の条件">
                {chips.into_iter().map(|(label, href)| {
                    let remove = format!("{label}の条件を外す");
                    view! { <li><a class="chip" href=href aria-label=remove>{label}" ×"</a></li> }
                }).collect_view()}
            </ul>
        })}
        <p role="status">
            {if narrowed { format!("検索結果: {matching}名") } else { format!("{matching}名") }}
            {(page.pages > 1).then(|| format!("（{}／{}ページ）", page.page, page.pages))}
        </p>
        {if rows.is_empty() {
            view! {
                <p>{empty_message}</p>
                {(manager && page.counts.total == 0).then(|| view! { <a class="button" href="/recipients/new">"利用者追加"</a> })}
            }.into_any()
        } else {
            view! {
                <div class="table-scroll">
                    <table class="table table--cards dashboard__table">
                        <caption class="visually-hidden">"利用者と計画の期限"</caption>
                        <thead>
                            <tr>
                                <th scope="col">"次回更新日"</th>
                                <th scope="col">"氏名"</th>
                                <th scope="col">"サービス種別"</th>
                                <th scope="col">"回"</th>
                                <th scope="col">"計画の進捗"</th>
                                <th scope="col">"アセスメント開始期限"</th>
                                <th scope="col">"モニタリング期限"</th>
                                <th scope="col">"減算リスク"</th>
                                <th scope="col">"担当"</th>
                                <th scope="col">"利用者情報の変更"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {rows.into_iter().map(|row| view! { <Row row manager /> }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}
        <nav class="pager" aria-label="ページ">
            {previous.map(|href| view! { <a href=href>"前のページ"</a> })}
            {next.map(|href| view! { <a href=href>"次のページ"</a> })}
        </nav>
    }
}

#[component]
fn Row(row: DashboardRow, manager: bool) -> impl IntoView {
    let id = row.recipient_id;
    let step = row.current_step.map(|s| s.chip()).unwrap_or("—");
    view! {
        <tr>
            <td data-label="次回更新日">{deadline_view(row.renewal.clone())}</td>
            <th scope="row" data-label="氏名">
                <a href=format!("/recipients/{id}/plan")>{row.name.clone()}</a>
                <br />
                <small>{row.kana.clone()}</small>
            </th>
            <td data-label="サービス種別">{row.service_type.label()}</td>
            <td data-label="回">{format!("第{}回", row.cycle_number)}</td>
            <td data-label="計画の進捗"><span class="badge">{step}</span></td>
            <td data-label="アセスメント開始期限">{deadline_view(row.assessment_start.clone())}</td>
            <td data-label="モニタリング期限">{deadline_view(row.monitoring_due.clone())}</td>
            <td data-label="減算リスク"><RiskBadges risk=row.risk.clone() /></td>
            <td data-label="担当">{if row.assigned_staff.is_empty() { "—".to_owned() } else { row.assigned_staff.join("、") }}</td>
            <td data-label="利用者情報の変更">
                <div class="table__actions">
                    <a href=format!("/recipients/{id}/assessment")>"アセスメント"</a>
                    <a href=format!("/recipients/{id}/plan")>"支援計画"</a>
                    <a href=format!("/recipients/{id}/edit")>{if manager { "編集" } else { "編集申請" }}</a>
                    <a href=format!("/recipients/{id}#lifecycle-title")>{if manager { "削除" } else { "削除申請" }}</a>
                </div>
            </td>
        </tr>
    }
}
