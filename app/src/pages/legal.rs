//! `/terms` 利用規約 and `/privacy` プライバシーポリシー, which signup asks users to accept.
//! The version shown must match `KK_TERMS_VERSION` / `KK_PRIVACY_VERSION` of the deployment.

use leptos::prelude::*;
use leptos_meta::Title;

const TERMS: [(&str, &str); 6] = [
    (
        "第1条（適用）",
        "本規約は、けいかくん（以下「本サービス」）の利用に関する条件を定めるものです。本サービスを利用する事業所および職員の皆さま（以下「利用者」）は、本規約に同意のうえご利用ください。",
    ),
    (
        "第2条（アカウント）",
        "利用者は、自己の責任でメールアドレス、パスワードおよび2段階認証の情報を管理するものとします。アカウントを第三者に利用させてはなりません。",
    ),
    (
        "第3条（事業所のデータ）",
        "利用者が登録した利用者情報、計画書その他のデータの権利は事業所に帰属します。運営者は、本サービスの提供に必要な範囲でのみこれを取り扱います。",
    ),
    (
        "第4条（禁止事項）",
        "法令に違反する行為、他の事業所のデータへの不正なアクセス、本サービスの運営を妨げる行為を禁止します。",
    ),
    (
        "第5条（記録の保存）",
        "個別支援計画等の記録の保存義務は事業所にあります。本サービスは保存期間の管理を支援しますが、法令上の義務を代わりに負うものではありません。",
    ),
    (
        "第6条（規約の変更）",
        "運営者は本規約を変更することがあります。変更後は、次回のご利用時に改めて同意をお願いします。",
    ),
];

const PRIVACY: [(&str, &str); 5] = [
    (
        "取得する情報",
        "職員の氏名・メールアドレス、事業所の情報、利用者（サービスを受ける方）の情報、ログイン日時・IPアドレス・端末の種類などの操作記録を取得します。",
    ),
    (
        "利用目的",
        "本サービスの提供、本人確認と不正利用の防止、期限のお知らせ、お問い合わせへの対応のために利用します。",
    ),
    (
        "安全管理",
        "通信と保存データを暗号化し、事業所ごとにデータを分けて管理します。パスワードは復元できない形で保存します。",
    ),
    (
        "第三者提供",
        "法令に基づく場合を除き、ご本人または事業所の同意なく第三者に提供しません。",
    ),
    (
        "開示・訂正・削除",
        "ご本人からの開示・訂正・削除のご請求には、事業所を通じて、法令に従い対応します。",
    ),
];

/// Versions of the texts below (`KK_TERMS_VERSION` / `KK_PRIVACY_VERSION` defaults).
pub const TEXT_VERSION: &str = "2026-11-01";

#[component]
pub fn TermsPage() -> impl IntoView {
    view! { <LegalText title="利用規約" sections=&TERMS /> }
}

#[component]
pub fn PrivacyPage() -> impl IntoView {
    view! { <LegalText title="プライバシーポリシー" sections=&PRIVACY /> }
}

#[component]
fn LegalText(
    title: &'static str,
    sections: &'static [(&'static str, &'static str)],
) -> impl IntoView {
    view! {
        <Title text=title />
        <article class="legal" aria-labelledby="legal-title">
            <h1 id="legal-title">{title}</h1>
            <p class="legal__version">{format!("版: {TEXT_VERSION}")}</p>
            {sections
                .iter()
                .map(|(heading, body)| view! { <section><h2>{*heading}</h2><p>{*body}</p></section> })
                .collect_view()}
        </article>
    }
}
