//! The public landing page: what keikakun does for an office, a plan-validity preview and the
//! service status.

use crate::components::{status_panel::StatusPanel, validity_preview::ValidityPreviewForm};
use leptos::prelude::*;
use leptos_meta::Title;

/// What the product does, in the words of a service manager.
const FEATURES: [(&str, &str); 5] = [
    (
        "手続きの順番と期限をひと目で",
        "アセスメント・原案・担当者会議・同意と交付・モニタリングの進み具合と、次の期限を利用者ごとに表示します。",
    ),
    (
        "期限前に自動でお知らせ",
        "期限が近づくと、メール・プッシュ通知・カレンダーで担当の職員にお知らせします。",
    ),
    (
        "計画書のPDFを一か所に保管",
        "計画書や会議録のPDFを版ごとに保管し、実地指導の前にもすぐ取り出せます。",
    ),
    (
        "未作成減算のリスクを早めに把握",
        "計画の切れ目や書類の不足を一覧にし、減算につながる前に気づけます。",
    ),
    (
        "事業所ごとに安全に管理",
        "データは事業所ごとに分けて保管し、2段階認証や操作の記録で個人情報を守ります。",
    ),
];

#[component]
pub fn LandingPage() -> impl IntoView {
    view! {
        <Title text="" />
        <section class="hero" aria-labelledby="hero-title">
            <h1 id="hero-title">"個別支援計画の期限を、もう見落とさない。"</h1>
            <p class="hero__lead">
                "けいかくんは、障害福祉サービス事業所のサービス管理責任者と職員のための、個別支援計画の管理サービスです。"
                "利用者ごとの計画の進み具合・書類・期限をまとめて管理し、期限が近づくとお知らせします。"
            </p>
        </section>

        <section id="features" class="features" aria-labelledby="features-title">
            <h2 id="features-title">"できること"</h2>
            <ul class="feature-list">
                {FEATURES
                    .into_iter()
                    .map(|(title, body)| {
                        view! {
                            <li class="feature-card">
                                <h3>{title}</h3>
                                <p>{body}</p>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>

        <ValidityPreviewForm />
        <StatusPanel />
    }
}
