//! Staff and invitations (SPEC §1, §1.1, §12.2). The office always comes from the session.

use super::client::CsrfClient;
use leptos::{
    prelude::*,
    server_fn::codec::{GetUrl, Json},
};
use shared::{
    AppError, Role,
    account::{AcceptInvitationInput, InvitationInput, LoginOutcome},
    staff::{InvitationPreview, InvitationView, StaffMember, StaffName},
};
use uuid::Uuid;

/// `GET /api/staff/directory` — everyone in the office by name. employee.
#[server(prefix = "/api", endpoint = "staff/directory", input = GetUrl)]
pub async fn staff_directory() -> Result<Vec<StaffName>, AppError> {
    use crate::ssr::{app_state, auth, staff};
    let ctx = auth::require_office(Role::Employee)?;
    Ok(staff::directory(&app_state()?, &ctx).await?)
}

/// `GET /api/staff` — the staff list with roles, MFA, last login and locks. manager.
#[server(prefix = "/api", endpoint = "staff", input = GetUrl)]
pub async fn list_staff() -> Result<Vec<StaffMember>, AppError> {
    use crate::ssr::{app_state, auth, staff};
    let ctx = auth::require_office(Role::Manager)?;
    Ok(staff::list(&app_state()?, &ctx).await?)
}

/// `POST /api/staff/role` — set a staff member's role directly. owner.
#[server(prefix = "/api", endpoint = "staff/role", input = Json, client = CsrfClient)]
pub async fn change_staff_role(staff_id: Uuid, role: Role) -> Result<(), AppError> {
    use crate::ssr::{app_state, auth, staff};
    let ctx = auth::require_office(Role::Owner)?;
    Ok(staff::change_role(&app_state()?, &ctx, staff_id, role, &auth::client_info()).await?)
}

/// `POST /api/staff/remove` — remove a staff member (not oneself, not the last owner). owner.
#[server(prefix = "/api", endpoint = "staff/remove", input = Json, client = CsrfClient)]
pub async fn remove_staff(staff_id: Uuid) -> Result<(), AppError> {
    use crate::ssr::{app_state, auth, staff};
    let ctx = auth::require_office(Role::Owner)?;
    Ok(staff::remove(&app_state()?, &ctx, staff_id, &auth::client_info()).await?)
}

/// `POST /api/staff/mfa-required` — require MFA of one staff member. owner.
#[server(prefix = "/api", endpoint = "staff/mfa-required", input = Json, client = CsrfClient)]
pub async fn set_staff_mfa_required(staff_id: Uuid, required: bool) -> Result<(), AppError> {
    use crate::ssr::{app_state, auth, staff};
    let ctx = auth::require_office(Role::Owner)?;
    Ok(staff::set_mfa_required(
        &app_state()?,
        &ctx,
        staff_id,
        required,
        &auth::client_info(),
    )
    .await?)
}

/// `POST /api/staff/mfa-reset` — delete a staff member's MFA (not one's own). owner.
#[server(prefix = "/api", endpoint = "staff/mfa-reset", input = Json, client = CsrfClient)]
pub async fn reset_staff_mfa(staff_id: Uuid) -> Result<(), AppError> {
    use crate::ssr::{app_state, auth, staff};
    let ctx = auth::require_office(Role::Owner)?;
    Ok(staff::reset_mfa(&app_state()?, &ctx, staff_id, &auth::client_info()).await?)
}

/// `POST /api/staff/unlock` — lift login, MFA and password-change locks. owner.
#[server(prefix = "/api", endpoint = "staff/unlock", input = Json, client = CsrfClient)]
pub async fn unlock_staff(staff_id: Uuid) -> Result<(), AppError> {
    use crate::ssr::{app_state, auth, staff};
    let ctx = auth::require_office(Role::Owner)?;
    Ok(staff::unlock(&app_state()?, &ctx, staff_id, &auth::client_info()).await?)
}

/// `GET /api/invitations` — the office's invitations. manager.
#[server(prefix = "/api", endpoint = "invitations", input = GetUrl)]
pub async fn list_invitations() -> Result<Vec<InvitationView>, AppError> {
    use crate::ssr::{app_state, auth, invitations};
    let ctx = auth::require_office(Role::Manager)?;
    Ok(invitations::list(&app_state()?, &ctx).await?)
}

/// `POST /api/invitations/create` — invite by e-mail (owner: any role; manager: employee). manager.
#[server(prefix = "/api", endpoint = "invitations/create", input = Json, client = CsrfClient)]
pub async fn create_invitation(input: InvitationInput) -> Result<Uuid, AppError> {
    use crate::ssr::{app_state, auth, invitations};
    let ctx = auth::require_office(Role::Manager)?;
    Ok(invitations::create(&app_state()?, &ctx, &input, &auth::client_info()).await?)
}

/// `POST /api/invitations/resend` — a new link for a pending invitation (3 per 24 h). manager.
#[server(prefix = "/api", endpoint = "invitations/resend", input = Json, client = CsrfClient)]
pub async fn resend_invitation(id: Uuid) -> Result<(), AppError> {
    use crate::ssr::{app_state, auth, invitations};
    let ctx = auth::require_office(Role::Manager)?;
    Ok(invitations::resend(&app_state()?, &ctx, id, &auth::client_info()).await?)
}

/// `POST /api/invitations/revoke` — cancel a pending invitation. manager.
#[server(prefix = "/api", endpoint = "invitations/revoke", input = Json, client = CsrfClient)]
pub async fn revoke_invitation(id: Uuid) -> Result<(), AppError> {
    use crate::ssr::{app_state, auth, invitations};
    let ctx = auth::require_office(Role::Manager)?;
    Ok(invitations::revoke(&app_state()?, &ctx, id, &auth::client_info()).await?)
}

/// `POST /api/invitations/lookup` — public: what the link invites to.
#[server(prefix = "/api", endpoint = "invitations/lookup", input = Json, client = CsrfClient)]
pub async fn lookup_invitation(token: String) -> Result<InvitationPreview, AppError> {
    use crate::ssr::{app_state, invitations};
    Ok(invitations::preview(&app_state()?, &token).await?)
}

/// `POST /api/invitations/accept` — public: create the account and log in (or set up MFA first).
#[server(prefix = "/api", endpoint = "invitations/accept", input = Json, client = CsrfClient)]
pub async fn accept_invitation(input: AcceptInvitationInput) -> Result<LoginOutcome, AppError> {
    use crate::ssr::{app_state, auth, invitations};
    let (outcome, cookies) =
        invitations::accept(&app_state()?, &input, &auth::client_info()).await?;
    auth::set_response_cookies(cookies);
    Ok(outcome)
}
