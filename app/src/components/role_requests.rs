//! Role-change requests in the UI (SPEC §1.3): asking (profile page) and deciding (staff page).

use crate::api::role_requests::{
    DecideRoleRequest, RequestRoleChange, WithdrawRoleRequest, list_role_requests,
};
use leptos::prelude::*;
use shared::{Role, dates::format_datetime_jst, staff::RoleRequestInput};

fn status_label(status: &str) -> &'static str {
    match status {
        "pending" => "申請中",
        "approved" => "承認",
        "rejected" => "却下",
        "withdrawn" => "取り下げ",
        _ => "",
    }
}

/// Owners: pending requests of the office with 「承認」「却下」.
#[component]
pub fn RoleRequestDecisions() -> impl IntoView {
    let decide = ServerAction::<DecideRoleRequest>::new();
    let requests = Resource::new(move || decide.version().get(), |_| list_role_requests());
    let result = move || {
        decide.value().get().map(|r| match r {
            Ok(()) => "申請を処理しました。".to_owned(),
            Err(e) => e.user_message(),
        })
    };
    view! {
        <section class="settings__section" aria-labelledby="role-requests-title">
            <h2 id="role-requests-title">"役割変更の申請"</h2>
            <p role="status">{result}</p>
            <Transition fallback=|| view! { <p class="loading">"読み込み中…"</p> }>
                {move || Suspend::new(async move {
                    let list = requests.await.unwrap_or_default();
                    let pending: Vec<_> = list.into_iter().filter(|r| r.status == "pending" && r.decidable).collect();
                    if pending.is_empty() {
                        return view! { <p>"処理待ちの申請はありません。"</p> }.into_any();
                    }
                    view! {
                        <ul class="request-list">
                            {pending.into_iter().map(|r| {
                                let id = r.id;
                                view! {
                                    <li>
                                        <p>{format!("{}さん: {} → {}（{}）", r.staff_name, r.from_role.label(), r.to_role.label(), format_datetime_jst(r.created_at))}</p>
                                        {r.note.clone().map(|n| view! { <p class="field__hint">{n}</p> })}
                                        <button type="button" class="button" on:click=move |_| { decide.dispatch(DecideRoleRequest { id, approve: true, notes: String::new() }); }>"承認"</button>
                                        " "
                                        <button type="button" class="button button--secondary" on:click=move |_| { decide.dispatch(DecideRoleRequest { id, approve: false, notes: String::new() }); }>"却下"</button>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                })}
            </Transition>
        </section>
    }
}

/// Employees and managers: ask for a higher role, see and withdraw their requests.
#[component]
pub fn RoleRequestForm(role: Role) -> impl IntoView {
    let options: Vec<Role> = match role {
        Role::Employee => vec![Role::Manager, Role::Owner],
        Role::Manager => vec![Role::Owner],
        _ => vec![],
    };
    let first = options.first().copied();
    let wanted = RwSignal::new(first);
    let note = RwSignal::new(String::new());
    let request = ServerAction::<RequestRoleChange>::new();
    let withdraw = ServerAction::<WithdrawRoleRequest>::new();
    let mine = Resource::new(
        move || (request.version().get(), withdraw.version().get()),
        |_| list_role_requests(),
    );
    let result = move || {
        request.value().get().map(|r| match r {
            Ok(_) => "申請しました。オーナーの承認をお待ちください。".to_owned(),
            Err(e) => e.user_message(),
        })
    };
    view! {
        <section class="settings__section" aria-labelledby="role-request-title">
            <h2 id="role-request-title">"役割の変更を申請"</h2>
            <p>{format!("現在の役割: {}", role.label())}</p>
            <div class="field">
                <label for="role-request-role">"希望する役割"</label>
                <select id="role-request-role" on:change=move |ev| wanted.set(Role::parse(&event_target_value(&ev)))>
                    {options.into_iter().map(|r| view! { <option value=r.as_str()>{r.label()}</option> }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="role-request-note">"理由（任意・500文字まで）"</label>
                <textarea id="role-request-note" rows="3" prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev))></textarea>
            </div>
            <button type="button" class="button" disabled=move || request.pending().get() on:click=move |_| {
                if let Some(role) = wanted.get_untracked() {
                    request.dispatch(RequestRoleChange { input: RoleRequestInput { role, note: note.get_untracked() } });
                }
            }>"申請する"</button>
            <p role="status">{result}</p>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let list = mine.await.unwrap_or_default();
                    view! {
                        <ul class="request-list">
                            {list.into_iter().filter(|r| r.own).map(|r| {
                                let id = r.id;
                                let pending = r.status == "pending";
                                view! {
                                    <li>
                                        {format!("{} → {}: {}（{}）", r.from_role.label(), r.to_role.label(), status_label(&r.status), format_datetime_jst(r.created_at))}
                                        {pending.then(|| view! {
                                            " "
                                            <button type="button" class="link-button" on:click=move |_| { withdraw.dispatch(WithdrawRoleRequest { id }); }>"取り下げる"</button>
                                        })}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }
                })}
            </Transition>
        </section>
    }
}
