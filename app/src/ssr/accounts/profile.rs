//! The user's own name (SPEC §1: own name/furigana) and terms consent (SPEC §2.5).

use crate::ssr::{
    AppState, ServerError, audit,
    auth::{AuthUser, ClientInfo},
};
use shared::{
    AppError,
    account::{Profile, StaffNameInput},
};

pub async fn load(state: &AppState, user: &AuthUser) -> Result<Profile, ServerError> {
    let row = sqlx::query!(
        "select last_name, first_name, last_name_kana, first_name_kana from staffs where id = $1",
        user.staff_id
    )
    .fetch_one(&state.db)
    .await?;
    Ok(Profile {
        name: StaffNameInput {
            last_name: row.last_name,
            first_name: row.first_name,
            last_name_kana: row.last_name_kana,
            first_name_kana: row.first_name_kana,
        },
        email: user.email.clone(),
        role: user.role,
    })
}

/// Saves the name; the audit names the changed fields only (never the values).
pub async fn update_name(
    state: &AppState,
    user: &AuthUser,
    input: &StaffNameInput,
    client: &ClientInfo,
) -> Result<(), ServerError> {
    let name = input.parse().map_err(AppError::validation)?;
    let before = load(state, user).await?.name;
    let changed: Vec<&str> = [
        ("last_name", before.last_name != name.last_name.as_str()),
        ("first_name", before.first_name != name.first_name.as_str()),
        (
            "last_name_kana",
            before.last_name_kana != name.last_name_kana.as_str(),
        ),
        (
            "first_name_kana",
            before.first_name_kana != name.first_name_kana.as_str(),
        ),
    ]
    .into_iter()
    .filter(|(_, changed)| *changed)
    .map(|(field, _)| field)
    .collect();
    if changed.is_empty() {
        return Ok(());
    }
    let mut tx = state.db.begin().await?;
    sqlx::query!(
        "update staffs set last_name = $2, first_name = $3, last_name_kana = $4, first_name_kana = $5
         where id = $1",
        user.staff_id,
        name.last_name.as_str(),
        name.first_name.as_str(),
        name.last_name_kana.as_str(),
        name.first_name_kana.as_str(),
    )
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut *tx,
        audit::Entry::by(
            "staff.name_updated",
            user.staff_id,
            user.role,
            user.office_id,
        )
        .target("staff", user.staff_id)
        .client(client)
        .detail("changed_fields", changed),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Records consent to the current terms and privacy policy.
pub async fn accept_terms(
    state: &AppState,
    user: &AuthUser,
    client: &ClientInfo,
) -> Result<(), ServerError> {
    let security = &state.security;
    let mut tx = state.db.begin().await?;
    sqlx::query!(
        "insert into terms_agreements (staff_id, terms_version, privacy_version, ip, user_agent)
         values ($1, $2, $3, $4, $5)",
        user.staff_id,
        security.terms_version,
        security.privacy_version,
        client.ip.map(ipnet::IpNet::from),
        client.user_agent.as_deref(),
    )
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut *tx,
        audit::Entry::by("terms.agreed", user.staff_id, user.role, user.office_id)
            .target("staff", user.staff_id)
            .client(client)
            .detail("terms_version", security.terms_version.clone())
            .detail("privacy_version", security.privacy_version.clone()),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
