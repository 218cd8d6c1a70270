//! 事業所 setup and profile (SPEC §3.1).

use super::{
    AppState, ServerError, audit,
    auth::{AuthUser, ClientInfo, TenantCtx},
};
use shared::{
    AppError, ErrorCode, Role,
    office::{OfficeInput, OfficeProfile},
    service_type::ServiceType,
};
use sqlx::PgConnection;
use uuid::Uuid;

pub const OFFICE_NUMBER_TAKEN: &str = "この事業所番号は既に登録されています";

/// The unique index on the office number, as the message beside that field; other database
/// errors pass through.
fn office_number_taken(error: sqlx::Error) -> ServerError {
    match &error {
        sqlx::Error::Database(db) if db.constraint() == Some("offices_office_number_key") => {
            AppError {
                field_errors: vec![shared::FieldError::new(
                    "office_number",
                    OFFICE_NUMBER_TAKEN,
                )],
                ..AppError::with_message(ErrorCode::Conflict, OFFICE_NUMBER_TAKEN)
            }
            .into()
        }
        _ => error.into(),
    }
}

/// `/setup/office`: an owner without an office creates it and becomes its owner.
pub async fn setup(
    state: &AppState,
    user: &AuthUser,
    input: &OfficeInput,
    client: &ClientInfo,
) -> Result<Uuid, ServerError> {
    if user.role != Role::Owner {
        return Err(AppError::new(ErrorCode::Forbidden).into());
    }
    if user.office_id.is_some() {
        return Err(
            AppError::with_message(ErrorCode::Conflict, "事業所は既に登録されています").into(),
        );
    }
    let profile = input.parse().map_err(AppError::validation)?;
    let mut tx = state.db.begin().await?;
    // Lock the account row so two submissions cannot create two offices.
    let has_office = sqlx::query_scalar!(
        "select office_id is not null as \"has!\" from staffs where id = $1 for update",
        user.staff_id
    )
    .fetch_one(&mut *tx)
    .await?;
    if has_office {
        return Err(
            AppError::with_message(ErrorCode::Conflict, "事業所は既に登録されています").into(),
        );
    }
    let office_id = insert_office(&mut tx, &profile).await?;
    sqlx::query!(
        "update staffs set office_id = $2 where id = $1",
        user.staff_id,
        office_id
    )
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut *tx,
        audit::Entry::by("office.created", user.staff_id, user.role, Some(office_id))
            .target("office", office_id)
            .client(client)
            .detail("new", serde_json::json!({
                "name": profile.name,
                "service_types": profile.service_types.iter().map(|t| t.code()).collect::<Vec<_>>(),
            })),
    )
    .await?;
    tx.commit().await?;
    Ok(office_id)
}

async fn insert_office(conn: &mut PgConnection, p: &OfficeProfile) -> Result<Uuid, ServerError> {
    let id = sqlx::query_scalar!(
        r#"insert into offices (name, name_kana, corporation_name, office_number, postal_code,
                                address, phone_number, fax_number, email)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
           returning id"#,
        p.name,
        p.name_kana.as_ref().map(|k| k.as_str()),
        p.corporation_name,
        p.office_number,
        p.postal_code,
        p.address,
        p.phone_number.as_ref().map(|v| v.as_str()),
        p.fax_number.as_ref().map(|v| v.as_str()),
        p.email.as_ref().map(|v| v.as_str()) as Option<&str>,
    )
    .fetch_one(&mut *conn)
    .await
    .map_err(office_number_taken)?;
    set_service_types(conn, id, &p.service_types).await?;
    Ok(id)
}

async fn set_service_types(
    conn: &mut PgConnection,
    office_id: Uuid,
    types: &[ServiceType],
) -> Result<(), ServerError> {
    let codes: Vec<String> = types.iter().map(|t| t.code().to_owned()).collect();
    sqlx::query!(
        "delete from office_service_types where office_id = $1",
        office_id
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "insert into office_service_types (office_id, service_type) select $1, unnest($2::text[])",
        office_id,
        &codes,
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The office profile of the caller's office.
pub async fn load(state: &AppState, ctx: &TenantCtx) -> Result<OfficeProfile, ServerError> {
    let row = sqlx::query!(
        r#"select name, name_kana, corporation_name, office_number, postal_code, address,
                  phone_number, fax_number, email::text as email,
                  array(select service_type from office_service_types t where t.office_id = o.id) as "service_types!"
           from offices o where id = $1"#,
        ctx.office_id(),
    )
    .fetch_optional(&state.db)
    .await?
    .ok_or_else(|| ServerError::Client(AppError::not_found()))?;
    let input = OfficeInput {
        name: row.name,
        name_kana: row.name_kana.unwrap_or_default(),
        corporation_name: row.corporation_name.unwrap_or_default(),
        office_number: row.office_number.unwrap_or_default(),
        service_types: row.service_types,
        postal_code: row.postal_code.unwrap_or_default(),
        address: row.address.unwrap_or_default(),
        phone_number: row.phone_number.unwrap_or_default(),
        fax_number: row.fax_number.unwrap_or_default(),
        email: row.email.unwrap_or_default(),
    };
    // Stored rows passed the same parser; failing here means the data was changed outside the app.
    input
        .parse()
        .map_err(|_| ServerError::Internal("stored office profile does not parse"))
}

/// Edits the office profile (owner). Records the changed fields (values only for the name and
/// service types) and tells every active staff member which fields changed.
pub async fn update(
    state: &AppState,
    ctx: &TenantCtx,
    input: &OfficeInput,
    client: &ClientInfo,
) -> Result<(), ServerError> {
    let profile = input.parse().map_err(AppError::validation)?;
    let before = load(state, ctx).await?;
    let changed = before.changed_fields(&profile);
    if changed.is_empty() {
        return Ok(());
    }
    let mut tx = state.db.begin().await?;
    sqlx::query!(
        r#"update offices set name = $2, name_kana = $3, corporation_name = $4, office_number = $5,
               postal_code = $6, address = $7, phone_number = $8, fax_number = $9, email = $10
           where id = $1"#,
        ctx.office_id(),
        profile.name,
        profile.name_kana.as_ref().map(|k| k.as_str()),
        profile.corporation_name,
        profile.office_number,
        profile.postal_code,
        profile.address,
        profile.phone_number.as_ref().map(|v| v.as_str()),
        profile.fax_number.as_ref().map(|v| v.as_str()),
        profile.email.as_ref().map(|v| v.as_str()) as Option<&str>,
    )
    .execute(&mut *tx)
    .await
    .map_err(office_number_taken)?;
    if changed.contains(&"service_types") {
        set_service_types(&mut tx, ctx.office_id(), &profile.service_types).await?;
    }
    let codes = |p: &OfficeProfile| p.service_types.iter().map(|t| t.code()).collect::<Vec<_>>();
    let mut old = serde_json::Map::new();
    let mut new = serde_json::Map::new();
    if changed.contains(&"name") {
        old.insert("name".into(), before.name.clone().into());
        new.insert("name".into(), profile.name.clone().into());
    }
    if changed.contains(&"service_types") {
        old.insert("service_types".into(), codes(&before).into());
        new.insert("service_types".into(), codes(&profile).into());
    }
    audit::record(
        &mut *tx,
        audit::Entry::by(
            "office.updated",
            ctx.staff_id(),
            ctx.role(),
            Some(ctx.office_id()),
        )
        .target("office", ctx.office_id())
        .client(client)
        .detail("changed_fields", changed.clone())
        .detail("old", old)
        .detail("new", new),
    )
    .await?;
    let labels: Vec<&str> = changed
        .iter()
        .map(|f| shared::office::field_label(f))
        .collect();
    sqlx::query!(
        "insert into notices (office_id, staff_id, kind, title, body, link)
         select office_id, id, 'office_updated', '事業所情報が更新されました', $2, '/settings/office'
         from staffs where office_id = $1 and deleted_at is null",
        ctx.office_id(),
        format!("変更された項目: {}", labels.join("、")),
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// 「全職員に2段階認証を必須にする」 (owner).
pub async fn set_mfa_policy(
    state: &AppState,
    ctx: &TenantCtx,
    required: bool,
    client: &ClientInfo,
) -> Result<(), ServerError> {
    let mut tx = state.db.begin().await?;
    // An owner without MFA would lock themselves out of the office pages at once.
    let own_mfa = sqlx::query_scalar!(
        r#"select mfa_enabled_at is not null as "on!" from staffs where id = $1"#,
        ctx.staff_id()
    )
    .fetch_one(&mut *tx)
    .await?;
    if required && !own_mfa {
        return Err(AppError::with_message(
            ErrorCode::Conflict,
            "全職員に必須にする前に、ご自身の2段階認証を設定してください",
        )
        .into());
    }
    sqlx::query!(
        "update offices set mfa_required_for_all = $2 where id = $1",
        ctx.office_id(),
        required
    )
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut *tx,
        audit::Entry::by(
            "mfa.office_requirement_set",
            ctx.staff_id(),
            ctx.role(),
            Some(ctx.office_id()),
        )
        .target("office", ctx.office_id())
        .client(client)
        .detail("required", required),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Whether the office requires MFA of everyone.
pub async fn mfa_policy(state: &AppState, ctx: &TenantCtx) -> Result<bool, ServerError> {
    Ok(sqlx::query_scalar!(
        "select mfa_required_for_all from offices where id = $1",
        ctx.office_id()
    )
    .fetch_one(&state.db)
    .await?)
}
