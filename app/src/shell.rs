//! The HTML document and the root component with its routes.

use crate::{
    layout::Layout,
    pages::{
        app_admin::{AdminConsolePage, AdminLoginPage},
        approvals::{ApprovalDetailPage, ApprovalListPage},
        consent::ConsentPage,
        dashboard::DashboardPage,
        documents::DocumentListPage,
        home::HomePage,
        invite::InvitePage,
        landing::LandingPage,
        legal::{PrivacyPage, TermsPage},
        login::LoginPage,
        not_found::NotFound,
        notices::NoticesPage,
        password_reset::{ConfirmEmailPage, ForgotPasswordPage, ResetPasswordPage},
        recipients::{
            AssessmentPage, PlanPage, RecipientDetailPage, RecipientEditPage, RecipientImportPage,
            RecipientListPage, RecipientNewPage,
        },
        security::SecuritySettingsPage,
        settings_office::OfficeSettingsPage,
        settings_profile::ProfileSettingsPage,
        settings_staff::StaffSettingsPage,
        setup_office::SetupOfficePage,
        signup::SignupPage,
        verify_email::VerifyEmailPage,
    },
    pwa, session,
};
use leptos::{nonce::use_nonce, prelude::*};
use leptos_meta::{HashedStylesheet, MetaTags, Title, provide_meta_context};
use leptos_router::{
    SsrMode,
    components::{Route, Router, Routes},
    path,
};

/// Brand colour, repeated in `manifest.webmanifest` and `style/main.css`.
pub const THEME_COLOR: &str = "#1d5c7d";

/// The document around the app; rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="ja">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta
                    name="description"
                    content="障害福祉サービス事業所の個別支援計画と期限を管理するサービス"
                />
                <meta name="theme-color" content=THEME_COLOR />
                <link rel="manifest" href="/manifest.webmanifest" />
                <link rel="icon" href="/icons/icon.svg" type="image/svg+xml" />
                <link rel="apple-touch-icon" href="/icons/icon-192.png" />
                <HashedStylesheet options=options.clone() id="app-style" />
                // Account forms need JavaScript (see `JsRequired`); without it they are hidden and
                // the message shown instead.
                <noscript>
                    <style nonce=use_nonce()>
                        "form.form { display: none !important; } .js-required { display: block; }"
                    </style>
                </noscript>
                <crate::csrf::CsrfMeta />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The root component: the same on server and browser.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    session::provide_session();
    pwa::on_hydrated();

    view! {
        <Title formatter=|page: String| {
            if page.is_empty() { "けいかくん".to_owned() } else { format!("{page}｜けいかくん") }
        } />
        <Router>
            <Layout>
                <Routes fallback=NotFound>
                    <Route path=path!("") view=LandingPage ssr=SsrMode::Async />
                    <Route path=path!("/signup") view=SignupPage ssr=SsrMode::Async />
                    <Route path=path!("/verify-email") view=VerifyEmailPage ssr=SsrMode::Async />
                    <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async />
                    <Route path=path!("/invite") view=InvitePage ssr=SsrMode::Async />
                    <Route path=path!("/forgot-password") view=ForgotPasswordPage ssr=SsrMode::Async />
                    <Route path=path!("/reset-password") view=ResetPasswordPage ssr=SsrMode::Async />
                    <Route path=path!("/confirm-email") view=ConfirmEmailPage ssr=SsrMode::Async />
                    <Route path=path!("/setup/office") view=SetupOfficePage ssr=SsrMode::Async />
                    <Route path=path!("/home") view=HomePage ssr=SsrMode::Async />
                    <Route path=path!("/consent") view=ConsentPage ssr=SsrMode::Async />
                    <Route path=path!("/settings/security") view=SecuritySettingsPage ssr=SsrMode::Async />
                    <Route path=path!("/settings/staff") view=StaffSettingsPage ssr=SsrMode::Async />
                    <Route path=path!("/settings/office") view=OfficeSettingsPage ssr=SsrMode::Async />
                    <Route path=path!("/settings/profile") view=ProfileSettingsPage ssr=SsrMode::Async />
                    <Route path=path!("/terms") view=TermsPage ssr=SsrMode::Async />
                    <Route path=path!("/privacy") view=PrivacyPage ssr=SsrMode::Async />
                    <Route path=path!("/recipients") view=RecipientListPage ssr=SsrMode::Async />
                    <Route path=path!("/recipients/new") view=RecipientNewPage ssr=SsrMode::Async />
                    <Route path=path!("/recipients/import") view=RecipientImportPage ssr=SsrMode::Async />
                    <Route path=path!("/recipients/:id") view=RecipientDetailPage ssr=SsrMode::Async />
                    <Route path=path!("/recipients/:id/edit") view=RecipientEditPage ssr=SsrMode::Async />
                    <Route path=path!("/recipients/:id/assessment") view=AssessmentPage ssr=SsrMode::Async />
                    <Route path=path!("/recipients/:id/plan") view=PlanPage ssr=SsrMode::Async />
                    <Route path=path!("/dashboard") view=DashboardPage ssr=SsrMode::Async />
                    <Route path=path!("/documents") view=DocumentListPage ssr=SsrMode::Async />
                    <Route path=path!("/approvals") view=ApprovalListPage ssr=SsrMode::Async />
                    <Route path=path!("/approvals/:id") view=ApprovalDetailPage ssr=SsrMode::Async />
                    <Route path=path!("/notices") view=NoticesPage ssr=SsrMode::Async />
                    <Route path=path!("/app-admin/login") view=AdminLoginPage ssr=SsrMode::Async />
                    <Route path=path!("/app-admin") view=AdminConsolePage ssr=SsrMode::Async />
                </Routes>
            </Layout>
        </Router>
    }
}
