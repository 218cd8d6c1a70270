//! The frame every page uses: skip link, header with navigation and the account menu, main area,
//! footer.

use crate::{api::auth::Logout, browser::go_to, session::use_session};
use leptos::prelude::*;
use shared::account::SessionState;

/// Navigation entries of the public pages.
const PUBLIC_NAV: [(&str, &str); 3] = [
    ("/#features", "できること"),
    ("/#preview", "期限の試算"),
    ("/#status", "稼働状況"),
];

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    view! {
        // rel="external": the browser, not the router, follows it, so focus moves to <main>.
        <a class="skip-link" href="#main" rel="external">
            "本文へ移動"
        </a>
        <header class="site-header">
            <div class="site-header__inner">
                <a class="brand" href="/">
                    <img class="brand__icon" src="/icons/icon.svg" alt="" width="32" height="32" />
                    <span class="brand__name">"けいかくん"</span>
                </a>
                <nav class="site-nav" aria-label="メインメニュー">
                    <AccountNav />
                </nav>
            </div>
        </header>
        <main id="main" class="site-main" tabindex="-1">
            {children()}
        </main>
        <footer class="site-footer">
            <p>"けいかくん — 障害福祉サービス事業所のための個別支援計画管理"</p>
            <p>
                <a href="/terms">"利用規約"</a>
                " ・ "
                <a href="/privacy">"プライバシーポリシー"</a>
            </p>
        </footer>
    }
}

/// Public links for visitors; the user's name and logout for staff.
#[component]
fn AccountNav() -> impl IntoView {
    let session = use_session();
    let logout = ServerAction::<Logout>::new();
    let after_logout = RwSignal::new("/login");
    Effect::new(move |_| {
        if logout.value().with(|v| v.is_some()) {
            go_to(after_logout.get_untracked());
        }
    });
    view! {
        <Suspense fallback=|| view! { <ul></ul> }>
            {move || Suspend::new(async move {
                match session.0.await {
                    Ok(SessionState { user: Some(user), unread_notices, .. }) => {
                        let app_admin = user.role == shared::Role::AppAdmin;
                        if app_admin {
                            after_logout.set("/app-admin/login");
                        }
                        view! {
                            <ul>
                                {if app_admin {
                                    view! { <li><a href="/app-admin">"管理コンソール"</a></li> }.into_any()
                                } else {
                                    view! {
                                        <li><a href="/home">"ホーム"</a></li>
                                        <li><a href="/dashboard">"利用者ダッシュボード"</a></li>
                                        <li><a href="/recipients">"利用者一覧"</a></li>
                                        <li><a href="/documents">"PDF一覧"</a></li>
                                        <li><a href="/approvals">"承認申請"</a></li>
                                        <li><NoticeBell unread=unread_notices /></li>
                                    }
                                    .into_any()
                                }}
                                {user.role.at_least(shared::Role::Manager).then(|| view! {
                                    <li><a href="/settings/staff">"スタッフ管理"</a></li>
                                })}
                                {(user.role == shared::Role::Owner).then(|| view! {
                                    <li><a href="/settings/office">"事業所の設定"</a></li>
                                })}
                                <li><a href="/settings/profile">"プロフィール"</a></li>
                                <li><a href="/settings/security">"アカウント設定"</a></li>
                                <li class="site-nav__user">
                                    {user.display_name.clone()}
                                    <span class="site-nav__role">{user.role.label()}</span>
                                </li>
                                <li>
                                    <button
                                        type="button"
                                        class="link-button"
                                        on:click=move |_| {
                                            logout.dispatch(Logout {});
                                        }
                                    >
                                        "ログアウト"
                                    </button>
                                </li>
                            </ul>
                        }
                            .into_any()
                    }
                    _ => {
                        view! {
                            <ul>
                                {PUBLIC_NAV
                                    .into_iter()
                                    .map(|(href, label)| view! { <li><a href=href>{label}</a></li> })
                                    .collect_view()}
                                <li><a href="/login">"ログイン"</a></li>
                                <li><a href="/signup" class="site-nav__cta">"新規登録"</a></li>
                            </ul>
                        }
                            .into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// 「お知らせ」 with the unread count (SPEC §9.1), as of this page load.
#[component]
fn NoticeBell(unread: u64) -> impl IntoView {
    view! {
        <a href="/notices" class="notice-bell">
            "お知らせ"
            {(unread > 0).then(|| view! {
                <span class="notice-bell__count">{unread.to_string()}</span>
                <span class="visually-hidden">"件の未読"</span>
            })}
        </a>
    }
}
