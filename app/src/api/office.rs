//! 事業所 setup and profile (SPEC §3.1).

use super::client::CsrfClient;
use leptos::{
    prelude::*,
    server_fn::codec::{GetUrl, Json},
};
use shared::{
    AppError,
    office::{OfficeInput, OfficeProfile},
};

/// `POST /api/office/setup` — an owner without an office (right after signup) creates it.
#[server(prefix = "/api", endpoint = "office/setup", input = Json, client = CsrfClient)]
pub async fn setup_office(input: OfficeInput) -> Result<(), AppError> {
    use crate::ssr::{app_state, auth, office};
    let user = auth::require_account()?;
    let state = app_state()?;
    office::setup(&state, &user, &input, &auth::client_info()).await?;
    Ok(())
}

/// `GET /api/office` — the caller's office profile. Any role.
#[server(prefix = "/api", endpoint = "office", input = GetUrl)]
pub async fn get_office() -> Result<OfficeProfile, AppError> {
    use crate::ssr::{app_state, auth, office};
    let ctx = auth::require_office(shared::Role::Employee)?;
    let state = app_state()?;
    Ok(office::load(&state, &ctx).await?)
}

/// `POST /api/office/update` — edit the office profile. owner.
#[server(prefix = "/api", endpoint = "office/update", input = Json, client = CsrfClient)]
pub async fn update_office(input: OfficeInput) -> Result<(), AppError> {
    use crate::ssr::{app_state, auth, office};
    let ctx = auth::require_office(shared::Role::Owner)?;
    Ok(office::update(&app_state()?, &ctx, &input, &auth::client_info()).await?)
}

/// `GET /api/office/mfa-policy` — whether MFA is required of every staff member. owner.
#[server(prefix = "/api", endpoint = "office/mfa-policy", input = GetUrl)]
pub async fn get_mfa_policy() -> Result<bool, AppError> {
    use crate::ssr::{app_state, auth, office};
    let ctx = auth::require_office(shared::Role::Owner)?;
    Ok(office::mfa_policy(&app_state()?, &ctx).await?)
}

/// `POST /api/office/mfa-policy` — require MFA of every staff member (or not). owner.
#[server(prefix = "/api", endpoint = "office/mfa-policy/set", input = Json, client = CsrfClient)]
pub async fn set_mfa_policy(required: bool) -> Result<(), AppError> {
    use crate::ssr::{app_state, auth, office};
    let ctx = auth::require_office(shared::Role::Owner)?;
    Ok(office::set_mfa_policy(&app_state()?, &ctx, required, &auth::client_info()).await?)
}
