//! 事業所 setup and profile (SPEC §3.1).

use super::client::CsrfClient;
use leptos::{
    prelude::*,
    server_fn::codec::{GetUrl, Json},
};
use shared::{
    AppError,
    office::{OfficeInput, OfficeProfile},
    plan::settings::{PlanSettings, PlanSettingsInput, PlanSettingsPreview},
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

/// `GET /api/office/plan-settings` — 見直し間隔 per service type and the other settings the
/// deadline formulas and the order guard read (§3.2–3.3). Any role.
#[server(prefix = "/api", endpoint = "office/plan-settings", input = GetUrl)]
pub async fn get_plan_settings() -> Result<PlanSettings, AppError> {
    use crate::ssr::{app_state, auth, plan};
    let ctx = auth::require_office(shared::Role::Employee)?;
    Ok(plan::settings::load(&app_state()?, &ctx).await?)
}

/// `POST /api/office/plan-settings/preview` — how many active recipients' deadlines would move
/// with `input` (nothing is saved). owner.
#[server(prefix = "/api", endpoint = "office/plan-settings/preview", input = Json, client = CsrfClient)]
pub async fn preview_plan_settings(
    input: PlanSettingsInput,
) -> Result<PlanSettingsPreview, AppError> {
    use crate::ssr::{app_state, auth, plan};
    let ctx = auth::require_office(shared::Role::Owner)?;
    Ok(plan::settings::preview(&app_state()?, &ctx, &input).await?)
}

/// `POST /api/office/plan-settings/update` — save them (audited `office.settings_updated`).
/// owner.
#[server(prefix = "/api", endpoint = "office/plan-settings/update", input = Json, client = CsrfClient)]
pub async fn update_plan_settings(input: PlanSettingsInput) -> Result<(), AppError> {
    use crate::ssr::{app_state, auth, plan};
    let ctx = auth::require_office(shared::Role::Owner)?;
    Ok(plan::settings::update(&app_state()?, &ctx, &input, &auth::client_info()).await?)
}
