//! app_admin sign-in and console (SPEC §2.10, §11.2). A separate module from the office
//! functions: nothing here takes or returns office data, and app_admins get no `TenantCtx`.

use super::client::CsrfClient;
use leptos::{
    prelude::*,
    server_fn::codec::{GetUrl, Json},
};
use shared::{
    AppError,
    account::{AdminLoginInput, AdminOverview, LoginOutcome},
};

/// `POST /api/admin/login` — public: e-mail, password and passphrase of an app_admin. Never sets a
/// session by itself: the answer is the TOTP step (`second_factor_required`) or, for a new
/// account, first-time setup (`mfa_setup_required`), both finished with the
/// `auth/login/*` functions. Anything else gets the generic wrong-credentials message.
#[server(prefix = "/api", endpoint = "admin/login", input = Json, client = CsrfClient)]
pub async fn admin_login(input: AdminLoginInput) -> Result<LoginOutcome, AppError> {
    use crate::ssr::{accounts::app_admin, app_state, auth};
    let state = app_state()?;
    Ok(app_admin::login(&state, &input, &auth::client_info()).await?)
}

/// `GET /api/admin/overview` — the console start page: own account and passphrase age. app_admin.
#[server(prefix = "/api", endpoint = "admin/overview", input = GetUrl)]
pub async fn get_admin_overview() -> Result<AdminOverview, AppError> {
    use crate::ssr::{accounts::app_admin, app_state, auth};
    let user = auth::require_app_admin()?;
    Ok(app_admin::overview(&app_state()?.db, user.staff_id).await?)
}
