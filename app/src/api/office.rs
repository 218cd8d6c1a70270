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
