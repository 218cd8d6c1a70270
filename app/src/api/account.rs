//! The caller's own account (SPEC §1 "own" rows, §2.4, §2.5, §2.7, §2.8): profile, password,
//! e-mail, devices, terms consent, and the public password-reset and e-mail-confirmation links.

use super::client::CsrfClient;
use leptos::{
    prelude::*,
    server_fn::codec::{GetUrl, Json},
};
use shared::{
    AppError,
    account::{
        ChangeEmailInput, ChangePasswordInput, DeviceSession, EmailInput, Profile,
        ResetPasswordInput, StaffNameInput,
    },
};
use uuid::Uuid;

/// `GET /api/account/profile` — own name and e-mail. Any signed-in user.
#[server(prefix = "/api", endpoint = "account/profile", input = GetUrl)]
pub async fn get_profile() -> Result<Profile, AppError> {
    use crate::ssr::{accounts::profile, app_state, auth};
    let user = auth::require_account()?;
    Ok(profile::load(&app_state()?, &user).await?)
}

/// `POST /api/account/profile/update` — own name and furigana. Any signed-in user.
#[server(prefix = "/api", endpoint = "account/profile/update", input = Json, client = CsrfClient)]
pub async fn update_profile(input: StaffNameInput) -> Result<(), AppError> {
    use crate::ssr::{accounts::profile, app_state, auth};
    let user = auth::require_account()?;
    Ok(profile::update_name(&app_state()?, &user, &input, &auth::client_info()).await?)
}

/// `POST /api/account/password` — change the password; other sessions end. Any signed-in user.
#[server(prefix = "/api", endpoint = "account/password", input = Json, client = CsrfClient)]
pub async fn change_password(input: ChangePasswordInput) -> Result<(), AppError> {
    use crate::ssr::{accounts::password, app_state, auth};
    let user = auth::require_account()?;
    Ok(password::change(&app_state()?, &user, &input, &auth::client_info()).await?)
}

/// `POST /api/account/email` — ask to change the e-mail (link to the new address). Any
/// signed-in user.
#[server(prefix = "/api", endpoint = "account/email", input = Json, client = CsrfClient)]
pub async fn request_email_change(input: ChangeEmailInput) -> Result<(), AppError> {
    use crate::ssr::{accounts::email_change, app_state, auth};
    let user = auth::require_account()?;
    Ok(email_change::request(&app_state()?, &user, &input, &auth::client_info()).await?)
}

/// `POST /api/auth/confirm-email` — public: the link from the new address applies the change.
#[server(prefix = "/api", endpoint = "auth/confirm-email", input = Json, client = CsrfClient)]
pub async fn confirm_email_change(token: String) -> Result<(), AppError> {
    use crate::ssr::{accounts::email_change, app_state, auth};
    Ok(email_change::confirm(&app_state()?, &token, &auth::client_info()).await?)
}

/// `POST /api/auth/forgot-password` — public: always the same answer.
#[server(prefix = "/api", endpoint = "auth/forgot-password", input = Json, client = CsrfClient)]
pub async fn forgot_password(input: EmailInput) -> Result<(), AppError> {
    use crate::ssr::{accounts::password, app_state, auth};
    Ok(password::forgot(&app_state()?, &input, &auth::client_info()).await?)
}

/// `POST /api/auth/reset-password/check` — public: is this reset link still usable?
#[server(prefix = "/api", endpoint = "auth/reset-password/check", input = Json, client = CsrfClient)]
pub async fn check_reset_link(token: String) -> Result<(), AppError> {
    use crate::ssr::{accounts::password, app_state, auth};
    Ok(password::check_reset_token(&app_state()?, &token, &auth::client_info()).await?)
}

/// `POST /api/auth/reset-password` — public: set a new password with the link.
#[server(prefix = "/api", endpoint = "auth/reset-password", input = Json, client = CsrfClient)]
pub async fn reset_password(input: ResetPasswordInput) -> Result<(), AppError> {
    use crate::ssr::{accounts::password, app_state, auth};
    Ok(password::reset(&app_state()?, &input, &auth::client_info()).await?)
}

/// `GET /api/account/sessions` — 「ログイン中の端末」. Any signed-in user.
#[server(prefix = "/api", endpoint = "account/sessions", input = GetUrl)]
pub async fn list_sessions() -> Result<Vec<DeviceSession>, AppError> {
    use crate::ssr::{accounts::devices, app_state, auth};
    let user = auth::require_account()?;
    Ok(devices::list(&app_state()?, &user).await?)
}

/// `POST /api/account/sessions/revoke` — end one of one's own sessions.
#[server(prefix = "/api", endpoint = "account/sessions/revoke", input = Json, client = CsrfClient)]
pub async fn revoke_session(session_id: Uuid) -> Result<(), AppError> {
    use crate::ssr::{accounts::devices, app_state, auth};
    let user = auth::require_account()?;
    Ok(devices::revoke(&app_state()?, &user, session_id, &auth::client_info()).await?)
}

/// `POST /api/account/sessions/revoke-others` — 「他のすべての端末からログアウト」.
#[server(prefix = "/api", endpoint = "account/sessions/revoke-others", input = Json, client = CsrfClient)]
pub async fn revoke_other_sessions() -> Result<u64, AppError> {
    use crate::ssr::{accounts::devices, app_state, auth};
    let user = auth::require_account()?;
    Ok(devices::revoke_others(&app_state()?, &user, &auth::client_info()).await?)
}

/// `POST /api/account/terms` — accept the current terms and privacy policy. Signed in (also
/// while the terms are outdated: this is how that state ends).
#[server(prefix = "/api", endpoint = "account/terms", input = Json, client = CsrfClient)]
pub async fn accept_terms() -> Result<(), AppError> {
    use crate::ssr::{accounts::profile, app_state, auth};
    let user = auth::require_signed_in()?;
    Ok(profile::accept_terms(&app_state()?, &user, &auth::client_info()).await?)
}
