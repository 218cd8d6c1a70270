//! `/home` — the first page after login: who is signed in and the office's registered profile.
//! (The plan dashboard of SPEC §8 takes this place once plan cycles exist.)

use crate::{api::office::get_office, session::SignedIn};
use leptos::prelude::*;
use leptos_meta::Title;
use shared::account::CurrentUser;

#[component]
pub fn HomePage() -> impl IntoView {
    view! {
        <Title text="ホーム" />
        <SignedIn render=home_for />
    }
}

fn home_for(user: CurrentUser) -> AnyView {
    let office = Resource::new(|| (), |_| get_office());
    let office_name = user
        .office
        .as_ref()
        .map(|o| o.name.clone())
        .unwrap_or_default();
    view! {
        <section class="home" aria-labelledby="home-title">
            <h1 id="home-title">{office_name}</h1>
            <p>{format!("{}さん（{}）としてログインしています。", user.display_name, user.role.label())}</p>
            {(!user.mfa_enabled).then(|| view! {
                <div class="notice" role="status">
                    <p>"利用者の情報を登録・編集するには、2段階認証の設定が必要です。"</p>
                    <a class="button" href="/settings/security">"2段階認証を設定する"</a>
                </div>
            })}
            {user.recovery_codes_left.filter(|n| *n <= 2).map(|n| view! {
                <div class="notice" role="status">
                    <p>{format!("未使用のリカバリーコードが残り{n}個です。リカバリーコードを再発行してください。")}</p>
                    <a href="/settings/security">"アカウントのセキュリティへ"</a>
                </div>
            })}
            <h2>"事業所の情報"</h2>
            <Suspense fallback=|| view! { <p class="loading">"読み込み中…"</p> }>
                {move || Suspend::new(async move {
                    match office.await {
                        Ok(profile) => {
                            let rows: Vec<(&str, String)> = vec![
                                ("事業所名", profile.name.clone()),
                                (
                                    "サービス種別",
                                    profile.service_types.iter().map(|t| t.label()).collect::<Vec<_>>().join("、"),
                                ),
                                ("事業所番号", profile.office_number.clone().unwrap_or_else(|| "未登録".into())),
                                ("所在地", profile.address.clone().unwrap_or_else(|| "未登録".into())),
                                (
                                    "電話番号",
                                    profile.phone_number.as_ref().map(|p| p.to_string()).unwrap_or_else(|| "未登録".into()),
                                ),
                            ];
                            view! {
                                <dl class="summary">
                                    {rows
                                        .into_iter()
                                        .map(|(label, value)| view! { <div><dt>{label}</dt><dd>{value}</dd></div> })
                                        .collect_view()}
                                </dl>
                            }
                                .into_any()
                        }
                        Err(error) => view! { <p class="form-alert form-alert--shown" role="alert">{error.user_message()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
    .into_any()
}
