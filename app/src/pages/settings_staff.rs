//! `/settings/staff` スタッフ管理 (SPEC §1, §1.1): staff with roles and MFA, invitations.
//! Managers see the list and invite employees; owners manage roles, MFA and removal.

use crate::{
    api::staff::{
        ChangeStaffRole, CreateInvitation, RemoveStaff, ResendInvitation, ResetStaffMfa,
        RevokeInvitation, SetStaffMfaRequired, UnlockStaff, list_invitations, list_staff,
    },
    components::form::{FormAlert, FormState, TextField, field_id},
    session::SignedIn,
};
use leptos::prelude::*;
use leptos_meta::Title;
use shared::{
    Role,
    account::{CurrentUser, InvitationInput},
    dates::format_datetime_jst,
    staff::{InvitationState, StaffMember},
};

#[component]
pub fn StaffSettingsPage() -> impl IntoView {
    view! {
        <Title text="スタッフ管理" />
        <SignedIn render=staff_for />
    }
}

fn staff_for(user: CurrentUser) -> AnyView {
    if !user.role.at_least(Role::Manager) {
        return view! { <p class="form-alert form-alert--shown" role="alert">"この操作を行う権限がありません"</p> }.into_any();
    }
    let is_owner = user.role == Role::Owner;
    // Any change reloads both lists.
    let version = RwSignal::new(0u32);
    view! {
        <section class="settings settings--wide" aria-labelledby="staff-title">
            <h1 id="staff-title">"スタッフ管理"</h1>
            <crate::components::form::JsRequired />
            <StaffList is_owner version />
            <InviteForm is_owner version />
            <InvitationList version />
            {is_owner.then(|| view! { <crate::components::role_requests::RoleRequestDecisions /> })}
        </section>
    }
    .into_any()
}

/// The result line of the last action on the page.
fn outcome_line<T>(
    action: ServerAction<T>,
    done: &'static str,
    version: RwSignal<u32>,
) -> Signal<Option<String>>
where
    T: leptos::server_fn::ServerFn<Output = (), Error = shared::AppError>
        + Clone
        + Send
        + Sync
        + 'static,
{
    Effect::new(move |_| {
        if let Some(Ok(())) = action.value().get() {
            version.update(|v| *v += 1);
        }
    });
    Signal::derive(move || {
        action.value().get().map(|r| match r {
            Ok(()) => done.to_owned(),
            Err(e) => e.user_message(),
        })
    })
}

#[component]
fn StaffList(is_owner: bool, version: RwSignal<u32>) -> impl IntoView {
    let staff = Resource::new(move || version.get(), |_| list_staff());
    let role = ServerAction::<ChangeStaffRole>::new();
    let remove = ServerAction::<RemoveStaff>::new();
    let require = ServerAction::<SetStaffMfaRequired>::new();
    let reset = ServerAction::<ResetStaffMfa>::new();
    let unlock = ServerAction::<UnlockStaff>::new();
    let messages = [
        outcome_line(role, "役割を変更しました", version),
        outcome_line(remove, "スタッフを削除しました", version),
        outcome_line(require, "2段階認証の設定を変更しました", version),
        outcome_line(reset, "2段階認証をリセットしました", version),
        outcome_line(unlock, "ロックを解除しました", version),
    ];
    let status = Signal::derive(move || messages.iter().find_map(|m| m.get()));
    view! {
        <section class="settings__section" aria-labelledby="staff-list-title">
            <h2 id="staff-list-title">"スタッフ一覧"</h2>
            <p class="notice" role="status" class:hidden=move || status.with(Option::is_none)>{status}</p>
            <Transition fallback=|| view! { <p class="loading">"読み込み中…"</p> }>
                {move || Suspend::new(async move {
                    match staff.await {
                        Err(e) => view! { <p class="form-alert form-alert--shown" role="alert">{e.user_message()}</p> }.into_any(),
                        Ok(list) => view! {
                            <div class="table-scroll">
                                <table class="table">
                                    <caption class="visually-hidden">"スタッフ一覧"</caption>
                                    <thead>
                                        <tr>
                                            <th scope="col">"氏名"</th>
                                            <th scope="col">"メールアドレス"</th>
                                            <th scope="col">"役割"</th>
                                            <th scope="col">"2段階認証"</th>
                                            <th scope="col">"最終ログイン"</th>
                                            {is_owner.then(|| view! { <th scope="col">"操作"</th> })}
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {list.into_iter().map(|member| view! {
                                            <StaffRow member is_owner role remove require reset unlock />
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn StaffRow(
    member: StaffMember,
    is_owner: bool,
    role: ServerAction<ChangeStaffRole>,
    remove: ServerAction<RemoveStaff>,
    require: ServerAction<SetStaffMfaRequired>,
    reset: ServerAction<ResetStaffMfa>,
    unlock: ServerAction<UnlockStaff>,
) -> impl IntoView {
    let id = member.id;
    let name = member.display_name.clone();
    let mfa = match (member.mfa_enabled, member.mfa_required) {
        (true, _) => "有効",
        (false, true) => "未設定（必須）",
        (false, false) => "未設定",
    };
    let last_login = member
        .last_login_at
        .map(format_datetime_jst)
        .unwrap_or_else(|| "なし".to_owned());
    let select_id = format!("role-{id}");
    let actions = is_owner.then(|| {
        let confirm_name = name.clone();
        view! {
            <td class="table__actions">
                <label for=select_id.clone() class="visually-hidden">{format!("{name}さんの役割")}</label>
                <select
                    id=select_id
                    disabled=member.is_self
                    on:change=move |ev| {
                        if let Some(new_role) = Role::parse(&event_target_value(&ev)) {
                            role.dispatch(ChangeStaffRole { staff_id: id, role: new_role });
                        }
                    }
                >
                    {Role::OFFICE_ROLES.into_iter().rev().map(|r| view! {
                        <option value=r.as_str() selected=r == member.role>{r.label()}</option>
                    }).collect_view()}
                </select>
                {(!member.is_self).then(|| view! {
                    <button type="button" class="link-button" on:click=move |_| { require.dispatch(SetStaffMfaRequired { staff_id: id, required: !member.mfa_required }); }>
                        {if member.mfa_required { "2段階認証の必須を解除" } else { "2段階認証を必須にする" }}
                    </button>
                    {member.mfa_enabled.then(|| view! {
                        <button type="button" class="link-button" on:click=move |_| { reset.dispatch(ResetStaffMfa { staff_id: id }); }>"2段階認証をリセット"</button>
                    })}
                    {member.locked.then(|| view! {
                        <button type="button" class="link-button" on:click=move |_| { unlock.dispatch(UnlockStaff { staff_id: id }); }>"ロック解除"</button>
                    })}
                    <button
                        type="button"
                        class="link-button link-button--danger"
                        on:click=move |_| {
                            if confirm(&format!("{confirm_name}さんを削除しますか？削除すると、この方はログインできなくなります。")) {
                                remove.dispatch(RemoveStaff { staff_id: id });
                            }
                        }
                    >
                        "削除"
                    </button>
                })}
            </td>
        }
    });
    view! {
        <tr>
            <th scope="row">{name.clone()}{member.is_self.then_some("（あなた）")}</th>
            <td>{member.email_masked.clone()}</td>
            <td>{member.role.label()}</td>
            <td>{mfa}{member.locked.then_some("・ロック中")}</td>
            <td>{last_login}</td>
            {actions}
        </tr>
    }
}

/// `window.confirm` in the browser; never called on the server.
fn confirm(_message: &str) -> bool {
    #[cfg(feature = "hydrate")]
    {
        return window().confirm_with_message(_message).unwrap_or(false);
    }
    #[allow(unreachable_code)]
    false
}

#[component]
fn InviteForm(is_owner: bool, version: RwSignal<u32>) -> impl IntoView {
    let form = FormState::new();
    let email = RwSignal::new(String::new());
    let display_name = RwSignal::new(String::new());
    let role = RwSignal::new(Role::Employee);
    let input = Memo::new(move |_| InvitationInput {
        email: email.get(),
        role: role.get(),
        display_name: display_name.get(),
    });
    let local = Memo::new(move |_| input.with(|i| i.parse().err().unwrap_or_default()));
    let create = ServerAction::<CreateInvitation>::new();
    let sent = RwSignal::new(None::<String>);
    Effect::new(move |_| match create.value().get() {
        Some(Ok(_)) => {
            sent.set(Some(format!(
                "{} さんに招待メールを送信しました。",
                email.get_untracked()
            )));
            email.set(String::new());
            display_name.set(String::new());
            form.submitted.set(false);
            version.update(|v| *v += 1);
        }
        Some(Err(error)) => form.server_failed(error),
        None => {}
    });
    let roles: Vec<Role> = if is_owner {
        vec![Role::Employee, Role::Manager, Role::Owner]
    } else {
        vec![Role::Employee]
    };
    view! {
        <section class="settings__section" aria-labelledby="invite-title">
            <h2 id="invite-title">"スタッフを招待する"</h2>
            <p>"招待メールのリンクから、お名前とパスワードを登録すると参加できます。リンクの有効期限は72時間です。"</p>
            <p class="notice" role="status" class:hidden=move || sent.with(Option::is_none)>{move || sent.get()}</p>
            <form class="form" novalidate on:submit=move |ev| {
                ev.prevent_default();
                sent.set(None);
                if form.try_submit(local) {
                    create.dispatch(CreateInvitation { input: input.get_untracked() });
                }
            }>
                <FormAlert message=form.alert() />
                <TextField field="email" label="メールアドレス" kind="email" value=email message=form.message(local, "email") form required=true inputmode="email" />
                <TextField field="display_name" label="お名前（任意）" value=display_name message=form.message(local, "display_name") form hint="招待メールの宛名に使います" />
                <div class="field">
                    <label for=field_id("role")>"役割"</label>
                    <select id=field_id("role") on:change=move |ev| {
                        if let Some(r) = Role::parse(&event_target_value(&ev)) { role.set(r); }
                    }>
                        {roles.into_iter().map(|r| view! { <option value=r.as_str() selected=move || role.get() == r>{r.label()}</option> }).collect_view()}
                    </select>
                </div>
                <button type="submit" class="button" disabled=move || create.pending().get()>"招待メールを送る"</button>
            </form>
        </section>
    }
}

#[component]
fn InvitationList(version: RwSignal<u32>) -> impl IntoView {
    let invitations = Resource::new(move || version.get(), |_| list_invitations());
    let resend = ServerAction::<ResendInvitation>::new();
    let revoke = ServerAction::<RevokeInvitation>::new();
    let resent = outcome_line(resend, "招待メールを再送しました", version);
    let revoked = outcome_line(revoke, "招待を取り消しました", version);
    let status = Signal::derive(move || resent.get().or_else(|| revoked.get()));
    view! {
        <section class="settings__section" aria-labelledby="invitations-title">
            <h2 id="invitations-title">"招待の状況"</h2>
            <p class="notice" role="status" class:hidden=move || status.with(Option::is_none)>{status}</p>
            <Transition fallback=|| view! { <p class="loading">"読み込み中…"</p> }>
                {move || Suspend::new(async move {
                    match invitations.await {
                        Err(e) => view! { <p class="form-alert form-alert--shown" role="alert">{e.user_message()}</p> }.into_any(),
                        Ok(list) if list.is_empty() => view! { <p>"招待はまだありません。"</p> }.into_any(),
                        Ok(list) => view! {
                            <div class="table-scroll">
                                <table class="table">
                                    <caption class="visually-hidden">"招待の状況"</caption>
                                    <thead>
                                        <tr>
                                            <th scope="col">"メールアドレス"</th>
                                            <th scope="col">"役割"</th>
                                            <th scope="col">"状態"</th>
                                            <th scope="col">"有効期限"</th>
                                            <th scope="col">"招待した人"</th>
                                            <th scope="col">"操作"</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {list.into_iter().map(|inv| {
                                            let id = inv.id;
                                            let pending = inv.state == InvitationState::Pending || inv.state == InvitationState::Expired;
                                            view! {
                                                <tr>
                                                    <th scope="row">{inv.email.clone()}</th>
                                                    <td>{inv.role.label()}</td>
                                                    <td>{inv.state.label()}</td>
                                                    <td>{format_datetime_jst(inv.expires_at)}</td>
                                                    <td>{inv.invited_by.clone()}</td>
                                                    <td class="table__actions">
                                                        {(inv.manageable && pending).then(|| view! {
                                                            <button type="button" class="link-button" on:click=move |_| { resend.dispatch(ResendInvitation { id }); }>"再送"</button>
                                                            <button type="button" class="link-button link-button--danger" on:click=move |_| { revoke.dispatch(RevokeInvitation { id }); }>"取り消す"</button>
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
        </section>
    }
}
