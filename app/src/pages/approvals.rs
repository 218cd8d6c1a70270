//! `/approvals` 「承認申請」 and `/approvals/:id` (SPEC §1.2): employees follow their requests;
//! managers and owners read what a request would change and approve or reject it.

use crate::{
    api::approvals::{DecideApproval, WithdrawApproval, get_approval, list_approvals},
    browser::go_to,
    components::{
        fields::{Bound, FieldFrame, TextAreaField},
        form::{FormAlert, FormState},
    },
    session::SignedIn,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use shared::{
    AppError,
    account::CurrentUser,
    approval::{ApprovalDetail, ApprovalStatus, ApprovalSummary, parse_note},
};
use uuid::Uuid;

fn error_view(error: AppError) -> AnyView {
    view! { <p class="form-alert form-alert--shown" role="alert">{error.user_message()}</p> }
        .into_any()
}

fn status_badge(status: ApprovalStatus) -> impl IntoView {
    let class = match status {
        ApprovalStatus::Pending => "badge badge--warn",
        _ => "badge",
    };
    view! { <span class=class>{status.label()}</span> }
}

#[component]
pub fn ApprovalListPage() -> impl IntoView {
    view! {
        <Title text="承認申請" />
        <SignedIn render=list_for />
    }
}

fn list_for(user: CurrentUser) -> AnyView {
    let manager = user.role.at_least(shared::Role::Manager);
    let data = Resource::new(|| (), |_| list_approvals());
    view! {
        <section class="settings settings--wide" aria-labelledby="approvals-title">
            <h1 id="approvals-title">"承認申請"</h1>
            <p>
                {if manager {
                    "従業員からの利用者情報の登録・変更などの申請です。内容を確認して承認または却下してください。"
                } else {
                    "あなたが送信した申請です。管理者が承認すると内容が反映されます。"
                }}
            </p>
            <Suspense fallback=|| view! { <p class="loading">"読み込み中…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(list) if list.items.is_empty() => view! { <p role="status">"申請はありません。"</p> }.into_any(),
                        Ok(list) => {
                            let pending = list.pending_for_me;
                            view! {
                                {(pending > 0).then(|| view! { <p role="status">{format!("承認待ちの申請が{pending}件あります。")}</p> })}
                                <ApprovalTable items=list.items />
                            }
                            .into_any()
                        }
                        Err(e) => error_view(e),
                    }
                })}
            </Suspense>
        </section>
    }
    .into_any()
}

#[component]
fn ApprovalTable(items: Vec<ApprovalSummary>) -> impl IntoView {
    view! {
        <div class="table-scroll">
            <table class="table">
                <thead>
                    <tr>
                        <th scope="col">"申請日時"</th>
                        <th scope="col">"利用者"</th>
                        <th scope="col">"内容"</th>
                        <th scope="col">"申請者"</th>
                        <th scope="col">"状態"</th>
                    </tr>
                </thead>
                <tbody>
                    {items
                        .into_iter()
                        .map(|a| {
                            view! {
                                <tr>
                                    <td>{a.created_at}</td>
                                    <td><a href=format!("/approvals/{}", a.id)>{a.recipient_name}</a></td>
                                    <td>{a.action.label()}</td>
                                    <td>{a.requester_name}</td>
                                    <td>{status_badge(a.status)}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
pub fn ApprovalDetailPage() -> impl IntoView {
    // Read and created here, where the route is, not inside `SignedIn`'s suspense.
    let id =
        use_params_map().with_untracked(|p| p.get("id").and_then(|id| id.parse::<Uuid>().ok()));
    let data = Resource::new(
        move || id,
        |id| async move {
            match id {
                Some(id) => get_approval(id).await,
                None => Err(AppError::new(shared::ErrorCode::NotFound)),
            }
        },
    );
    view! {
        <Title text="申請の内容" />
        <SignedIn render=move |user| detail_for(user, id, data) />
    }
}

fn detail_for(
    _user: CurrentUser,
    id: Option<Uuid>,
    data: Resource<Result<ApprovalDetail, AppError>>,
) -> AnyView {
    if id.is_none() {
        return error_view(AppError::new(shared::ErrorCode::NotFound));
    }
    view! {
        <section class="settings settings--wide" aria-labelledby="approval-title">
            <p><a href="/approvals">"← 承認申請の一覧へ"</a></p>
            <Suspense fallback=|| view! { <p class="loading">"読み込み中…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(detail) => view! { <ApprovalView detail /> }.into_any(),
                        Err(e) => view! { <h1 id="approval-title">"申請の内容"</h1> {error_view(e)} }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
    .into_any()
}

#[component]
fn ApprovalView(detail: ApprovalDetail) -> impl IntoView {
    let s = detail.summary.clone();
    let id = s.id;
    let mut facts: Vec<(&str, String)> = vec![
        ("内容", s.action.label().to_owned()),
        ("利用者", s.recipient_name.clone()),
        ("申請者", s.requester_name.clone()),
        ("申請日時", s.created_at.clone()),
        ("状態", s.status.label().to_owned()),
    ];
    if let Some(note) = &detail.note {
        facts.push(("申請理由", note.clone()));
    }
    if let Some(name) = &detail.reviewer_name {
        facts.push(("処理した職員", name.clone()));
    }
    if let Some(at) = &detail.reviewed_at {
        facts.push(("処理日時", at.clone()));
    }
    if let Some(notes) = &detail.reviewer_notes {
        facts.push(("コメント", notes.clone()));
    }
    let recipient_link = detail
        .recipient_id
        .filter(|_| {
            s.status != ApprovalStatus::Pending
                || s.action != shared::approval::ApprovalAction::Create
        })
        .map(|r| view! { <p><a href=format!("/recipients/{r}")>"利用者の詳細を見る"</a></p> });
    let pending = s.status == ApprovalStatus::Pending;
    let changes = detail.changes.clone();
    view! {
        <h1 id="approval-title">{format!("{}の申請", s.action.label())}</h1>
        <dl class="summary">
            {facts.into_iter().map(|(label, value)| view! { <div><dt>{label}</dt><dd>{value}</dd></div> }).collect_view()}
        </dl>
        {recipient_link}
        {detail.outdated.then(|| view! {
            <div class="notice" role="alert">
                <p>"申請後に利用者情報が更新されています。この申請は承認できません。却下し、再申請を依頼してください。"</p>
            </div>
        })}
        <h2>{if pending { "申請された変更" } else { "申請された内容" }}</h2>
        {if changes.is_empty() {
            view! { <p>"入力項目はありません。"</p> }.into_any()
        } else {
            view! {
                <div class="table-scroll">
                    <table class="table">
                        <thead>
                            <tr>
                                <th scope="col">"項目"</th>
                                <th scope="col">"現在の内容"</th>
                                <th scope="col">"申請された内容"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {changes.into_iter().map(|c| view! {
                                <tr>
                                    <th scope="row">{c.label}</th>
                                    <td>{if c.before.is_empty() { "（なし）".to_owned() } else { c.before }}</td>
                                    <td>{if c.after.is_empty() { "（なし）".to_owned() } else { c.after }}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }
            .into_any()
        }}
        {detail.decidable.then(|| view! { <Decision id /> })}
        {detail.withdrawable.then(|| view! { <Withdraw id /> })}
    }
}

#[component]
fn Decision(id: Uuid) -> impl IntoView {
    let form = FormState::new();
    let notes = RwSignal::new(String::new());
    let decide = ServerAction::<DecideApproval>::new();
    let local = Memo::new(move |_| {
        notes.with(|n| parse_note("notes", n).err().into_iter().collect::<Vec<_>>())
    });
    Effect::new(move |_| match decide.value().get() {
        Some(Ok(())) => go_to(&format!("/approvals/{id}")),
        Some(Err(error)) => form.server_failed(error),
        None => {}
    });
    let send = move |approve: bool| {
        if form.try_submit(local) {
            decide.dispatch(DecideApproval {
                id,
                approve,
                notes: notes.get_untracked(),
            });
        }
    };
    view! {
        <form class="form" novalidate on:submit=move |ev| ev.prevent_default()>
            <h2>"承認・却下"</h2>
            <FormAlert message=form.alert() />
            <TextAreaField
                frame=FieldFrame::new("notes", "コメント（任意・500文字以内）", form.message(local, "notes"))
                value=Bound::new(notes, |n| n.clone(), |n, v| *n = v)
                on_edit=Callback::new(move |()| form.edited())
            />
            <p>"承認すると、申請された内容がすぐに反映されます。"</p>
            <div class="wizard__buttons">
                <button type="button" class="button" disabled=move || decide.pending().get() on:click=move |_| send(true)>
                    "承認する"
                </button>
                <button type="button" class="button button--secondary" disabled=move || decide.pending().get() on:click=move |_| send(false)>
                    "却下する"
                </button>
            </div>
        </form>
    }
}

#[component]
fn Withdraw(id: Uuid) -> impl IntoView {
    let form = FormState::new();
    let withdraw = ServerAction::<WithdrawApproval>::new();
    Effect::new(move |_| match withdraw.value().get() {
        Some(Ok(())) => go_to(&format!("/approvals/{id}")),
        Some(Err(error)) => form.server_failed(error),
        None => {}
    });
    view! {
        <FormAlert message=form.alert() />
        <p>
            <button type="button" class="button button--secondary" disabled=move || withdraw.pending().get()
                on:click=move |_| { withdraw.dispatch(WithdrawApproval { id }); }>
                "申請を取り下げる"
            </button>
        </p>
    }
}
