//! Two-step verification (SPEC §2.6): the login step after the password, first-time setup
//! required by the owner, and self-service enrolment on `/settings/security`.

use super::client::CsrfClient;
use leptos::{prelude::*, server_fn::codec::Json};
use shared::{
    AppError,
    account::{MfaEnrolment, MfaSetupDone, RecoveryCodes, SignedIn},
    password::Secret,
};

/// `POST /api/auth/login/second-factor` — a 6-digit code or a recovery code with the temporary
/// token from login. Public (the token is the proof). Sets the session cookies.
#[server(prefix = "/api", endpoint = "auth/login/second-factor", input = Json, client = CsrfClient)]
pub async fn login_second_factor(
    pending_token: String,
    code: String,
) -> Result<SignedIn, AppError> {
    use crate::ssr::{accounts::second_factor, app_state, auth};
    let state = app_state()?;
    let (signed_in, cookies) =
        second_factor::second_factor(&state, &pending_token, &code, &auth::client_info()).await?;
    auth::set_response_cookies(cookies);
    Ok(signed_in)
}

/// `POST /api/auth/login/mfa-setup` — first-time setup required by the owner: QR code and key.
#[server(prefix = "/api", endpoint = "auth/login/mfa-setup", input = Json, client = CsrfClient)]
pub async fn login_mfa_setup(pending_token: String) -> Result<MfaEnrolment, AppError> {
    use crate::ssr::{accounts::second_factor, app_state};
    let state = app_state()?;
    Ok(second_factor::setup_begin(&state, &pending_token).await?)
}

/// `POST /api/auth/login/mfa-setup/confirm` — a current code finishes the setup; returns the
/// recovery codes (once) and sets the session cookies.
#[server(prefix = "/api", endpoint = "auth/login/mfa-setup/confirm", input = Json, client = CsrfClient)]
pub async fn login_mfa_setup_confirm(
    pending_token: String,
    code: String,
) -> Result<MfaSetupDone, AppError> {
    use crate::ssr::{accounts::second_factor, app_state, auth};
    let state = app_state()?;
    let (done, cookies) =
        second_factor::setup_confirm(&state, &pending_token, &code, &auth::client_info()).await?;
    auth::set_response_cookies(cookies);
    Ok(done)
}

/// `POST /api/account/mfa/begin` — any signed-in staff member without MFA: QR code and key.
#[server(prefix = "/api", endpoint = "account/mfa/begin", input = Json, client = CsrfClient)]
pub async fn begin_mfa() -> Result<MfaEnrolment, AppError> {
    use crate::ssr::{app_state, auth, mfa::enrolment};
    let user = auth::require_account()?;
    let state = app_state()?;
    Ok(enrolment::begin(&state, &user).await?)
}

/// `POST /api/account/mfa/confirm` — a current code turns MFA on; returns the recovery codes.
#[server(prefix = "/api", endpoint = "account/mfa/confirm", input = Json, client = CsrfClient)]
pub async fn confirm_mfa(code: String) -> Result<RecoveryCodes, AppError> {
    use crate::ssr::{app_state, auth, mfa::enrolment};
    let user = auth::require_account()?;
    let state = app_state()?;
    Ok(enrolment::confirm(&state, &user, &code, &auth::client_info()).await?)
}

/// `POST /api/account/mfa/disable` — password and a current code; refused when required.
#[server(prefix = "/api", endpoint = "account/mfa/disable", input = Json, client = CsrfClient)]
pub async fn disable_mfa(password: Secret, code: String) -> Result<(), AppError> {
    use crate::ssr::{app_state, auth, mfa::enrolment};
    let user = auth::require_account()?;
    let state = app_state()?;
    Ok(enrolment::disable(
        &state,
        &user,
        password.expose(),
        &code,
        &auth::client_info(),
    )
    .await?)
}

/// `POST /api/account/mfa/recovery-codes` — a current code; ten new codes replace the old ones.
#[server(prefix = "/api", endpoint = "account/mfa/recovery-codes", input = Json, client = CsrfClient)]
pub async fn regenerate_recovery_codes(code: String) -> Result<RecoveryCodes, AppError> {
    use crate::ssr::{app_state, auth, mfa::enrolment};
    let user = auth::require_account()?;
    let state = app_state()?;
    Ok(enrolment::regenerate(&state, &user, &code, &auth::client_info()).await?)
}
