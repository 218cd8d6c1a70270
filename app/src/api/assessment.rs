//! アセスメント (SPEC §5). Every office member reads and writes (no approval flow); writes need
//! MFA. Entries are addressed as (`recipient_id`, `item_id`); other offices' ids are `NOT_FOUND`.

use super::client::CsrfClient;
use leptos::{
    prelude::*,
    server_fn::codec::{GetUrl, Json},
};
use shared::{
    AppError,
    assessment::{Assessment, EntryInput, SavedEntry},
};
use uuid::Uuid;

/// `GET /api/assessment?recipient_id=` — every entry of the six sections. employee.
#[server(prefix = "/api", endpoint = "assessment", input = GetUrl)]
pub async fn get_assessment(recipient_id: Uuid) -> Result<Assessment, AppError> {
    use crate::ssr::{app_state, assessment, auth};
    use shared::Role;
    let ctx = auth::require_office(Role::Employee)?;
    Ok(assessment::get(&app_state()?, &ctx, recipient_id).await?)
}

/// `POST /api/assessment/save` — add an entry (no `item_id`) or update the one read at
/// `version`. employee.
#[server(prefix = "/api", endpoint = "assessment/save", input = Json, client = CsrfClient)]
pub async fn save_assessment_entry(
    recipient_id: Uuid,
    #[server(default)] item_id: Option<Uuid>,
    #[server(default)] version: Option<i32>,
    entry: EntryInput,
) -> Result<SavedEntry, AppError> {
    use crate::ssr::{app_state, assessment, auth};
    use shared::{ErrorCode, Role};
    let ctx = auth::require_office(Role::Employee)?;
    let item = match (item_id, version) {
        (None, _) => None,
        (Some(id), Some(version)) => Some((id, version)),
        (Some(_), None) => {
            return Err(AppError::with_message(
                ErrorCode::ValidationFailed,
                "更新する項目の版（version）がありません",
            ));
        }
    };
    Ok(assessment::save(
        &app_state()?,
        &ctx,
        recipient_id,
        item,
        &entry,
        &auth::client_info(),
    )
    .await?)
}

/// `POST /api/assessment/delete` — remove the entry read at `version`. employee.
#[server(prefix = "/api", endpoint = "assessment/delete", input = Json, client = CsrfClient)]
pub async fn delete_assessment_entry(
    recipient_id: Uuid,
    item_id: Uuid,
    version: i32,
) -> Result<(), AppError> {
    use crate::ssr::{app_state, assessment, auth};
    use shared::Role;
    let ctx = auth::require_office(Role::Employee)?;
    Ok(assessment::delete(
        &app_state()?,
        &ctx,
        recipient_id,
        item_id,
        version,
        &auth::client_info(),
    )
    .await?)
}
