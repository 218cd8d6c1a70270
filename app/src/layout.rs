//! The frame every page uses: skip link, header with navigation, main area, footer.

use leptos::prelude::*;

/// Navigation entries: only pages (or sections) that exist.
const NAV: [(&str, &str); 3] = [
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
                    <ul>
                        {NAV
                            .into_iter()
                            .map(|(href, label)| view! { <li><a href=href>{label}</a></li> })
                            .collect_view()}
                    </ul>
                </nav>
            </div>
        </header>
        <main id="main" class="site-main" tabindex="-1">
            {children()}
        </main>
        <footer class="site-footer">
            <p>"けいかくん — 障害福祉サービス事業所のための個別支援計画管理"</p>
        </footer>
    }
}
