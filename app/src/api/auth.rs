//! Sign-up, e-mail verification, login and logout (SPEC §2.1–§2.4). Public endpoints except
//! logout; every state-changing one needs the CSRF token (see `docs/API.md`).

use super::client::CsrfClient;
use leptos::{
    prelude::*,
    server_fn::codec::{GetUrl, Json},
};
use shared::{
    AppError,
    account::{EmailInput, LoginInput, LoginOutcome, SessionState, SignupInput},
};

/// `GET /api/auth/session` — who is signed in (or `null`) and the CSRF token for this browser.
#[server(prefix = "/api", endpoint = "auth/session", input = GetUrl)]
pub async fn get_session() -> Result<SessionState, AppError> {
    use crate::ssr::{app_state, auth, notices};
    let user = auth::current_user();
    let unread_notices = match &user {
        Some(u) if u.office_id.is_some() => {
            notices::unread_for(&app_state()?.db, u.staff_id).await?
        }
        _ => 0,
    };
    Ok(SessionState {
        user: user.map(|u| u.to_current_user()),
        csrf_token: auth::csrf_token().unwrap_or_default(),
        unread_notices,
    })
}

/// `POST /api/auth/signup` — public. Always answers the same for a new or an existing address.
#[server(prefix = "/api", endpoint = "auth/signup", input = Json, client = CsrfClient)]
pub async fn signup(input: SignupInput) -> Result<(), AppError> {
    use crate::ssr::{accounts::signup, app_state, auth::client_info};
    let state = app_state()?;
    Ok(signup::signup(&state, &input, &client_info()).await?)
}

/// `POST /api/auth/verify-email` — public; the token from the link's fragment.
#[server(prefix = "/api", endpoint = "auth/verify-email", input = Json, client = CsrfClient)]
pub async fn verify_email(token: String) -> Result<(), AppError> {
    use crate::ssr::{accounts::verification, app_state, auth::client_info};
    let state = app_state()?;
    Ok(verification::verify_email(&state, &token, &client_info()).await?)
}

/// `POST /api/auth/resend-verification` — public; same answer whether or not the address exists.
#[server(prefix = "/api", endpoint = "auth/resend-verification", input = Json, client = CsrfClient)]
pub async fn resend_verification(input: EmailInput) -> Result<(), AppError> {
    use crate::ssr::{accounts::verification, app_state, auth::client_info};
    let state = app_state()?;
    Ok(verification::resend_verification(&state, &input, &client_info()).await?)
}

/// `POST /api/auth/login` — public. Sets the session cookies on success.
#[server(prefix = "/api", endpoint = "auth/login", input = Json, client = CsrfClient)]
pub async fn login(input: LoginInput) -> Result<LoginOutcome, AppError> {
    use crate::ssr::{accounts::login, app_state, auth};
    let state = app_state()?;
    let (outcome, cookies) = login::login(&state, &input, &auth::client_info()).await?;
    auth::set_response_cookies(cookies);
    Ok(outcome)
}

/// `POST /api/auth/logout` — ends the current session (if any) and clears the cookies.
#[server(prefix = "/api", endpoint = "auth/logout", input = Json, client = CsrfClient)]
pub async fn logout() -> Result<(), AppError> {
    use crate::ssr::{accounts::login, app_state, auth};
    let state = app_state()?;
    let user = auth::current_user();
    let cookies = login::logout(&state, user.as_deref(), &auth::client_info()).await?;
    auth::set_response_cookies(cookies);
    Ok(())
}
