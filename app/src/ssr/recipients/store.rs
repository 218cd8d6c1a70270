//! Reading and writing one recipient with its emergency contacts, 手帳・年金 entries and
//! assigned staff, inside a tenant transaction (RLS on; every query also names the office).

use crate::ssr::ServerError;
use shared::{
    AppError, ErrorCode, FieldError,
    dates::{format_date_iso, format_datetime_jst, jst_date},
    recipient::{
        DisabilityDetailInput, EmergencyContactInput, RecipientContext, RecipientInput,
        RecipientProfile, RecipientRecord, RecipientStatus, search_key,
    },
    service_type::ServiceType,
};
use sqlx::PgConnection;
use time::OffsetDateTime;
use uuid::Uuid;

pub const STALE: &str = "他の職員が先に更新しました。再読み込みしてください";

pub fn not_found() -> ServerError {
    AppError::with_message(ErrorCode::NotFound, "利用者が見つかりません").into()
}

/// Today (JST) and the office's service types: what [`RecipientInput::parse`] needs.
pub async fn parse_context(
    conn: &mut PgConnection,
    office_id: Uuid,
    creating: bool,
) -> Result<RecipientContext, ServerError> {
    let codes = sqlx::query_scalar!(
        "select service_type from office_service_types where office_id = $1",
        office_id
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(RecipientContext {
        today: jst_date(OffsetDateTime::now_utc()),
        service_types: codes
            .iter()
            .filter_map(|c| ServiceType::from_code(c))
            .collect(),
        creating,
    })
}

/// Parses `input` as the authority: the shared rules, then the rules that need the database
/// (assigned staff must be active staff of this office).
pub async fn parse(
    conn: &mut PgConnection,
    office_id: Uuid,
    input: &RecipientInput,
    creating: bool,
) -> Result<RecipientProfile, ServerError> {
    let ctx = parse_context(conn, office_id, creating).await?;
    let profile = input.parse(&ctx).map_err(AppError::validation)?;
    if !profile.assigned_staff_ids.is_empty() {
        let known = sqlx::query_scalar!(
            r#"select count(*) as "n!" from staffs
               where office_id = $1 and deleted_at is null and id = any($2)"#,
            office_id,
            &profile.assigned_staff_ids,
        )
        .fetch_one(&mut *conn)
        .await?;
        if known != profile.assigned_staff_ids.len() as i64 {
            return Err(AppError::validation(vec![FieldError::new(
                "assigned_staff_ids",
                "担当職員は一覧から選択してください",
            )])
            .into());
        }
    }
    Ok(profile)
}

/// Other non-deleted recipients of the office with the same name and birth date (§4.5).
pub async fn duplicates(
    conn: &mut PgConnection,
    office_id: Uuid,
    profile: &RecipientProfile,
    except: Option<Uuid>,
) -> Result<Vec<Uuid>, ServerError> {
    Ok(sqlx::query_scalar!(
        "select id from recipients
         where office_id = $1 and last_name = $2 and first_name = $3 and birth_date = $4
           and status <> 'deleted' and id is distinct from $5
         order by created_at",
        office_id,
        profile.last_name.as_str(),
        profile.first_name.as_str(),
        profile.birth_date,
        except,
    )
    .fetch_all(conn)
    .await?)
}

/// Other non-deleted recipients with the same name and birth date as the stored `id`.
pub async fn duplicates_of(
    conn: &mut PgConnection,
    office_id: Uuid,
    id: Uuid,
) -> Result<Vec<Uuid>, ServerError> {
    Ok(sqlx::query_scalar!(
        "select other.id from recipients me
         join recipients other on other.office_id = me.office_id and other.id <> me.id
              and other.last_name = me.last_name and other.first_name = me.first_name
              and other.birth_date = me.birth_date and other.status <> 'deleted'
         where me.id = $1 and me.office_id = $2
         order by other.created_at",
        id,
        office_id,
    )
    .fetch_all(conn)
    .await?)
}

fn search_text(profile: &RecipientProfile) -> String {
    search_key(&format!(
        "{}{}{}{}",
        profile.last_name, profile.first_name, profile.last_name_kana, profile.first_name_kana
    ))
}

/// Inserts a new recipient (with children); returns its id.
pub async fn insert(
    conn: &mut PgConnection,
    office_id: Uuid,
    staff_id: Uuid,
    p: &RecipientProfile,
) -> Result<Uuid, ServerError> {
    let id = sqlx::query_scalar!(
        r#"insert into recipients (
               office_id, last_name, first_name, last_name_kana, first_name_kana, search_text,
               birth_date, gender, service_type, contract_date, certificate_number,
               counselling_office, self_plan, postal_code, address, form_of_residence,
               form_of_residence_other_text, means_of_transportation,
               means_of_transportation_other_text, tel, disability_or_disease_name,
               livelihood_protection, special_remarks, created_by, updated_by)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,
                   $18, $19, $20, $21, $22, $23, $24, $24)
           returning id"#,
        office_id,
        p.last_name.as_str(),
        p.first_name.as_str(),
        p.last_name_kana.as_str(),
        p.first_name_kana.as_str(),
        search_text(p),
        p.birth_date,
        p.gender.as_str(),
        p.service_type.code(),
        p.contract_date,
        p.certificate_number.as_deref(),
        p.counselling_office.as_deref(),
        p.self_plan,
        p.postal_code.as_deref(),
        p.address,
        p.form_of_residence.as_str(),
        p.form_of_residence_other_text.as_deref(),
        p.means_of_transportation.as_str(),
        p.means_of_transportation_other_text.as_deref(),
        p.tel.as_str(),
        p.disability_or_disease_name,
        p.livelihood_protection.as_str(),
        p.special_remarks.as_deref(),
        staff_id,
    )
    .fetch_one(&mut *conn)
    .await?;
    insert_children(conn, office_id, id, p).await?;
    // Cycle 1 (§6.2), in the same transaction as the registration.
    crate::ssr::plan::cycles::create_first(conn, office_id, id, p.current_plan_delivered_date)
        .await?;
    Ok(id)
}

/// Saves every section (§4.1) when `version` is still current; returns the new version.
pub async fn update(
    conn: &mut PgConnection,
    office_id: Uuid,
    staff_id: Uuid,
    id: Uuid,
    version: i32,
    p: &RecipientProfile,
) -> Result<i32, ServerError> {
    let saved = sqlx::query_scalar!(
        r#"update recipients set
               last_name = $4, first_name = $5, last_name_kana = $6, first_name_kana = $7,
               search_text = $8, birth_date = $9, gender = $10, service_type = $11,
               contract_date = $12, certificate_number = $13, counselling_office = $14,
               self_plan = $15, postal_code = $16, address = $17, form_of_residence = $18,
               form_of_residence_other_text = $19, means_of_transportation = $20,
               means_of_transportation_other_text = $21, tel = $22,
               disability_or_disease_name = $23, livelihood_protection = $24,
               special_remarks = $25, profile_incomplete = false, updated_by = $26,
               version = version + 1
           where id = $1 and office_id = $2 and version = $3 and status <> 'deleted'
           returning version"#,
        id,
        office_id,
        version,
        p.last_name.as_str(),
        p.first_name.as_str(),
        p.last_name_kana.as_str(),
        p.first_name_kana.as_str(),
        search_text(p),
        p.birth_date,
        p.gender.as_str(),
        p.service_type.code(),
        p.contract_date,
        p.certificate_number.as_deref(),
        p.counselling_office.as_deref(),
        p.self_plan,
        p.postal_code.as_deref(),
        p.address,
        p.form_of_residence.as_str(),
        p.form_of_residence_other_text.as_deref(),
        p.means_of_transportation.as_str(),
        p.means_of_transportation_other_text.as_deref(),
        p.tel.as_str(),
        p.disability_or_disease_name,
        p.livelihood_protection.as_str(),
        p.special_remarks.as_deref(),
        staff_id,
    )
    .fetch_optional(&mut *conn)
    .await?;
    let Some(new_version) = saved else {
        // Not this office's, deleted, or saved by someone else since it was read.
        let current = sqlx::query_scalar!(
            "select version from recipients where id = $1 and office_id = $2 and status <> 'deleted'",
            id,
            office_id
        )
        .fetch_optional(&mut *conn)
        .await?;
        return Err(match current {
            Some(_) => AppError::with_message(ErrorCode::Conflict, STALE).into(),
            None => not_found(),
        });
    };
    delete_contacts(conn, office_id, id).await?;
    sqlx::query!(
        "delete from disability_details where recipient_id = $1 and office_id = $2",
        id,
        office_id
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "delete from recipient_staff where recipient_id = $1 and office_id = $2",
        id,
        office_id
    )
    .execute(&mut *conn)
    .await?;
    insert_children(conn, office_id, id, p).await?;
    Ok(new_version)
}

async fn insert_children(
    conn: &mut PgConnection,
    office_id: Uuid,
    id: Uuid,
    p: &RecipientProfile,
) -> Result<(), ServerError> {
    for (i, c) in p.emergency_contacts.iter().enumerate() {
        sqlx::query!(
            "insert into emergency_contacts (recipient_id, office_id, priority, last_name,
                 first_name, last_name_kana, first_name_kana, relationship,
                 relationship_other_text, tel, address, notes)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
            id,
            office_id,
            i as i16 + 1,
            c.last_name.as_str(),
            c.first_name.as_str(),
            c.last_name_kana.as_str(),
            c.first_name_kana.as_str(),
            c.relationship.as_str(),
            c.relationship_other_text.as_deref(),
            c.tel.as_str(),
            c.address.as_deref(),
            c.notes.as_deref(),
        )
        .execute(&mut *conn)
        .await?;
    }
    for (i, d) in p.disability_details.iter().enumerate() {
        sqlx::query!(
            "insert into disability_details (recipient_id, office_id, position, category, grade,
                 physical_disability_type, physical_disability_type_other_text, application_status)
             values ($1, $2, $3, $4, $5, $6, $7, $8)",
            id,
            office_id,
            i as i16 + 1,
            d.category.as_str(),
            d.grade.as_deref(),
            d.physical_disability_type.map(|t| t.as_str()),
            d.physical_disability_type_other_text.as_deref(),
            d.application_status.as_str(),
        )
        .execute(&mut *conn)
        .await?;
    }
    if !p.assigned_staff_ids.is_empty() {
        sqlx::query!(
            "insert into recipient_staff (recipient_id, office_id, staff_id)
             select $1, $2, unnest($3::uuid[])",
            id,
            office_id,
            &p.assigned_staff_ids,
        )
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// One recipient of this office as form text (deleted ones too: managers see them).
pub async fn load(
    conn: &mut PgConnection,
    office_id: Uuid,
    id: Uuid,
) -> Result<RecipientRecord, ServerError> {
    let r = sqlx::query!(
        r#"select id, version, status, profile_incomplete, last_name, first_name,
                  last_name_kana, first_name_kana, birth_date, gender, service_type,
                  contract_date, certificate_number, counselling_office, self_plan, postal_code,
                  address, form_of_residence, form_of_residence_other_text,
                  means_of_transportation, means_of_transportation_other_text, tel,
                  disability_or_disease_name, livelihood_protection, special_remarks,
                  created_at, updated_at,
                  array(select staff_id from recipient_staff rs
                        where rs.recipient_id = r.id and rs.office_id = r.office_id
                        order by staff_id) as "assigned!: Vec<Uuid>"
           from recipients r where id = $1 and office_id = $2"#,
        id,
        office_id,
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(not_found)?;
    let contacts = sqlx::query!(
        "select last_name, first_name, last_name_kana, first_name_kana, relationship,
                relationship_other_text, tel, address, notes
         from emergency_contacts where recipient_id = $1 and office_id = $2 order by priority",
        id,
        office_id,
    )
    .fetch_all(&mut *conn)
    .await?;
    let details = sqlx::query!(
        "select category, grade, physical_disability_type, physical_disability_type_other_text,
                application_status
         from disability_details where recipient_id = $1 and office_id = $2 order by position",
        id,
        office_id,
    )
    .fetch_all(&mut *conn)
    .await?;
    let text = Option::unwrap_or_default;
    let input = RecipientInput {
        last_name: r.last_name,
        first_name: r.first_name,
        last_name_kana: r.last_name_kana,
        first_name_kana: r.first_name_kana,
        birth_date: format_date_iso(r.birth_date),
        gender: r.gender,
        service_type: r.service_type,
        contract_date: r.contract_date.map(format_date_iso).unwrap_or_default(),
        certificate_number: text(r.certificate_number),
        assigned_staff_ids: r.assigned.iter().map(Uuid::to_string).collect(),
        counselling_office: text(r.counselling_office),
        self_plan: r.self_plan,
        current_plan_delivered_date: String::new(),
        postal_code: text(r.postal_code),
        address: text(r.address),
        form_of_residence: text(r.form_of_residence),
        form_of_residence_other_text: text(r.form_of_residence_other_text),
        means_of_transportation: text(r.means_of_transportation),
        means_of_transportation_other_text: text(r.means_of_transportation_other_text),
        tel: text(r.tel),
        emergency_contacts: contacts
            .into_iter()
            .map(|c| EmergencyContactInput {
                last_name: c.last_name,
                first_name: c.first_name,
                last_name_kana: c.last_name_kana,
                first_name_kana: c.first_name_kana,
                relationship: c.relationship,
                relationship_other_text: text(c.relationship_other_text),
                tel: c.tel,
                address: text(c.address),
                notes: text(c.notes),
            })
            .collect(),
        disability_or_disease_name: text(r.disability_or_disease_name),
        livelihood_protection: text(r.livelihood_protection),
        special_remarks: text(r.special_remarks),
        disability_details: details
            .into_iter()
            .map(|d| DisabilityDetailInput {
                category: d.category,
                grade: text(d.grade),
                physical_disability_type: text(d.physical_disability_type),
                physical_disability_type_other_text: text(d.physical_disability_type_other_text),
                application_status: d.application_status,
            })
            .collect(),
    };
    Ok(RecipientRecord {
        id: r.id,
        version: r.version,
        status: RecipientStatus::parse(&r.status)
            .ok_or(ServerError::Internal("unknown recipient status"))?,
        profile_incomplete: r.profile_incomplete,
        input,
        created_at: format_datetime_jst(r.created_at),
        updated_at: format_datetime_jst(r.updated_at),
    })
}

/// Leaves the fields an imported row did not have empty and flags the recipient
/// 「未入力項目あり」 (SPEC §4.6); the stand-ins [`insert`] wrote are removed.
pub async fn clear_missing(
    conn: &mut PgConnection,
    office_id: Uuid,
    id: Uuid,
    missing: &[&str],
) -> Result<(), ServerError> {
    if missing.is_empty() {
        return Ok(());
    }
    let missing: Vec<String> = missing.iter().map(|f| (*f).to_owned()).collect();
    sqlx::query!(
        "update recipients set
             contract_date = case when 'contract_date' = any($3) then null else contract_date end,
             address = case when 'address' = any($3) then null else address end,
             form_of_residence = case when 'form_of_residence' = any($3) then null
                                      else form_of_residence end,
             means_of_transportation = case when 'means_of_transportation' = any($3) then null
                                            else means_of_transportation end,
             tel = case when 'tel' = any($3) then null else tel end,
             disability_or_disease_name = case when 'disability_or_disease_name' = any($3) then null
                                               else disability_or_disease_name end,
             livelihood_protection = case when 'livelihood_protection' = any($3) then null
                                          else livelihood_protection end,
             profile_incomplete = true
         where id = $1 and office_id = $2",
        id,
        office_id,
        &missing,
    )
    .execute(&mut *conn)
    .await?;
    if missing.iter().any(|f| f == "emergency_contacts") {
        delete_contacts(conn, office_id, id).await?;
    }
    Ok(())
}

async fn delete_contacts(
    conn: &mut PgConnection,
    office_id: Uuid,
    id: Uuid,
) -> Result<(), ServerError> {
    sqlx::query!(
        "delete from emergency_contacts where recipient_id = $1 and office_id = $2",
        id,
        office_id
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}
