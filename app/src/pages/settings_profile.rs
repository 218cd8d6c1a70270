//! `/settings/profile` プロフィール: the user's own name and furigana.

use crate::{
    api::account::{UpdateProfile, get_profile},
    components::form::{FormAlert, FormState, TextField},
    session::SignedIn,
};
use leptos::prelude::*;
use leptos_meta::Title;
use shared::account::{CurrentUser, Profile, StaffNameInput};

#[component]
pub fn ProfileSettingsPage() -> impl IntoView {
    view! {
        <Title text="プロフィール" />
        <SignedIn render=profile_for allow_without_office=true />
    }
}

fn profile_for(user: CurrentUser) -> AnyView {
    let can_request = user.office.is_some()
        && matches!(user.role, shared::Role::Employee | shared::Role::Manager);
    let profile = Resource::new(|| (), |_| get_profile());
    view! {
        <section class="settings" aria-labelledby="profile-title">
            <h1 id="profile-title">"プロフィール"</h1>
            <crate::components::form::JsRequired />
            <Suspense fallback=|| view! { <p class="loading">"読み込み中…"</p> }>
                {move || Suspend::new(async move {
                    match profile.await {
                        Ok(profile) => view! { <NameForm profile /> }.into_any(),
                        Err(e) => view! { <p class="form-alert form-alert--shown" role="alert">{e.user_message()}</p> }.into_any(),
                    }
                })}
            </Suspense>
            <p><a href="/settings/security">"メールアドレス・パスワード・2段階認証の変更はこちら"</a></p>
            {can_request.then(|| view! { <crate::components::role_requests::RoleRequestForm role=user.role /> })}
        </section>
    }
    .into_any()
}

#[component]
fn NameForm(profile: Profile) -> impl IntoView {
    let form = FormState::new();
    let last_name = RwSignal::new(profile.name.last_name);
    let first_name = RwSignal::new(profile.name.first_name);
    let last_name_kana = RwSignal::new(profile.name.last_name_kana);
    let first_name_kana = RwSignal::new(profile.name.first_name_kana);
    let input = Memo::new(move |_| StaffNameInput {
        last_name: last_name.get(),
        first_name: first_name.get(),
        last_name_kana: last_name_kana.get(),
        first_name_kana: first_name_kana.get(),
    });
    let local = Memo::new(move |_| input.with(|i| i.parse().err().unwrap_or_default()));
    let update = ServerAction::<UpdateProfile>::new();
    let saved = RwSignal::new(false);
    Effect::new(move |_| match update.value().get() {
        Some(Ok(())) => saved.set(true),
        Some(Err(error)) => form.server_failed(error),
        None => {}
    });
    let message = move |field| form.message(local, field);
    view! {
        <p>{format!("メールアドレス: {}　役割: {}", profile.email, profile.role.label())}</p>
        <p class="notice notice--ok" role="status" class:hidden=move || !saved.get()>"保存しました。"</p>
        <form class="form" novalidate on:submit=move |ev| {
            ev.prevent_default();
            saved.set(false);
            if form.try_submit(local) {
                update.dispatch(UpdateProfile { input: input.get_untracked() });
            }
        }>
            <FormAlert message=form.alert() />
            <div class="form__row">
                <TextField field="last_name" label="姓" value=last_name message=message("last_name") form required=true autocomplete="family-name" />
                <TextField field="first_name" label="名" value=first_name message=message("first_name") form required=true autocomplete="given-name" />
            </div>
            <div class="form__row">
                <TextField field="last_name_kana" label="姓（ふりがな）" value=last_name_kana message=message("last_name_kana") form required=true />
                <TextField field="first_name_kana" label="名（ふりがな）" value=first_name_kana message=message("first_name_kana") form required=true />
            </div>
            <button type="submit" class="button" disabled=move || update.pending().get()>"保存する"</button>
        </form>
    }
}
