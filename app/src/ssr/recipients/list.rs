//! 「利用者一覧」 (SPEC §4.4): search, filters, sort and paging in SQL, one query for the page and
//! one for the total. The payload never carries contact, emergency or disability data.

use crate::ssr::{ServerError, auth::TenantCtx};
use shared::{
    AppError, ErrorCode, Role,
    dates::jst_date,
    recipient::{
        ListQuery, PAGE_SIZE, RecipientListItem, RecipientPage, RecipientStatus, SortKey,
        StatusFilter,
    },
    service_type::ServiceType,
};
use sqlx::PgConnection;
use time::OffsetDateTime;

/// `%word%` with LIKE's own wildcards escaped. The first word is also matched on its own
/// (`like coalesce($3[1], '%')`): a plain LIKE the trigram index can serve, which `like all`
/// cannot.
pub(crate) fn like_pattern(word: &str) -> String {
    let escaped = word
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

pub async fn page(
    conn: &mut PgConnection,
    ctx: &TenantCtx,
    query: &ListQuery,
) -> Result<RecipientPage, ServerError> {
    let offset = i64::from(query.page - 1) * i64::from(PAGE_SIZE);
    let (total, items) = select(conn, ctx, query, i64::from(PAGE_SIZE), offset).await?;
    let total = u64::try_from(total).unwrap_or(0);
    Ok(RecipientPage {
        items,
        total,
        page: query.page,
        per_page: PAGE_SIZE,
        pages: u32::try_from(total.div_ceil(u64::from(PAGE_SIZE))).unwrap_or(u32::MAX),
    })
}

/// Every recipient the filters match, in the list's order (the CSV export).
pub async fn all_ids(
    conn: &mut PgConnection,
    ctx: &TenantCtx,
    query: &ListQuery,
) -> Result<Vec<uuid::Uuid>, ServerError> {
    let (_, items) = select(conn, ctx, query, i64::MAX, 0).await?;
    Ok(items.into_iter().map(|i| i.id).collect())
}

/// The total the filters match, and `limit` rows of them from `offset`.
async fn select(
    conn: &mut PgConnection,
    ctx: &TenantCtx,
    query: &ListQuery,
    limit: i64,
    offset: i64,
) -> Result<(i64, Vec<RecipientListItem>), ServerError> {
    // Deleted recipients are for managers and owners only (§4.4). The states are a list so that
    // the (office_id, status, kana) index serves every filter.
    let manager = ctx.role().at_least(Role::Manager);
    let statuses: Vec<&str> = match query.status {
        StatusFilter::Only(RecipientStatus::Deleted) if !manager => {
            return Err(AppError::new(ErrorCode::Forbidden).into());
        }
        StatusFilter::Only(status) => vec![status.as_str()],
        StatusFilter::All if manager => RecipientStatus::ALL.iter().map(|s| s.as_str()).collect(),
        StatusFilter::All => vec![
            RecipientStatus::Active.as_str(),
            RecipientStatus::Archived.as_str(),
        ],
    };
    let patterns: Vec<String> = query.words.iter().map(|w| like_pattern(w)).collect();
    let service_type = query.service_type.map(ServiceType::code);
    let sort = match query.sort {
        SortKey::Kana => "kana",
        SortKey::Age => "age",
        SortKey::Created => "created",
        SortKey::EndDate => "end_date",
    };
    let today = jst_date(OffsetDateTime::now_utc());

    let total = sqlx::query_scalar!(
        r#"select count(*) as "n!" from recipients r
           where r.office_id = $1
             and r.status = any($2::text[])
             and r.search_text like coalesce(($3::text[])[1], '%')
             and r.search_text like all($3::text[])
             and ($4::text is null or r.service_type = $4)
             and ($5::uuid is null or exists (select 1 from recipient_staff rs
                   where rs.recipient_id = r.id and rs.office_id = r.office_id and rs.staff_id = $5))
             and (not $6 or r.profile_incomplete)"#,
        ctx.office_id(),
        &statuses as &[&str],
        &patterns,
        service_type,
        query.staff,
        query.incomplete,
    )
    .fetch_one(&mut *conn)
    .await?;

    let rows = sqlx::query!(
        r#"select r.id, r.last_name, r.first_name, r.last_name_kana, r.first_name_kana,
                  extract(year from age($7::date, r.birth_date))::int as "age!",
                  r.gender, st.label as service_type, r.status, r.profile_incomplete,
                  array(select s.last_name || ' ' || s.first_name from recipient_staff rs
                        join staffs s on s.id = rs.staff_id
                        where rs.recipient_id = r.id and rs.office_id = r.office_id
                        order by s.last_name_kana, s.first_name_kana) as "assigned!: Vec<String>"
           from recipients r join service_types st on st.code = r.service_type
           where r.office_id = $1
             and r.status = any($2::text[])
             and r.search_text like coalesce(($3::text[])[1], '%')
             and r.search_text like all($3::text[])
             and ($4::text is null or r.service_type = $4)
             and ($5::uuid is null or exists (select 1 from recipient_staff rs
                   where rs.recipient_id = r.id and rs.office_id = r.office_id and rs.staff_id = $5))
             and (not $6 or r.profile_incomplete)
           order by
             case when $8 = 'kana' and not $9 then r.last_name_kana end,
             case when $8 = 'kana' and not $9 then r.first_name_kana end,
             case when $8 = 'kana' and $9 then r.last_name_kana end desc,
             case when $8 = 'kana' and $9 then r.first_name_kana end desc,
             case when $8 = 'age' and not $9 then r.birth_date end desc,
             case when $8 = 'age' and $9 then r.birth_date end,
             case when $8 = 'created' and not $9 then r.created_at end,
             case when $8 = 'created' and $9 then r.created_at end desc,
             case when $8 = 'end_date' and not $9 then r.end_date end,
             case when $8 = 'end_date' and $9 then r.end_date end desc,
             r.last_name_kana, r.first_name_kana, r.id
           limit $10 offset $11"#,
        ctx.office_id(),
        &statuses as &[&str],
        &patterns,
        service_type,
        query.staff,
        query.incomplete,
        today,
        sort,
        query.descending,
        limit,
        offset,
    )
    .fetch_all(&mut *conn)
    .await?;

    let items = rows
        .into_iter()
        .map(|r| {
            Ok(RecipientListItem {
                id: r.id,
                name: format!("{} {}", r.last_name, r.first_name),
                kana: format!("{} {}", r.last_name_kana, r.first_name_kana),
                age: r.age,
                gender: shared::recipient::Gender::parse(&r.gender)
                    .map(|g| g.label().to_owned())
                    .unwrap_or_default(),
                service_type: r.service_type,
                assigned_staff: r.assigned,
                status: RecipientStatus::parse(&r.status)
                    .ok_or(ServerError::Internal("unknown recipient status"))?,
                profile_incomplete: r.profile_incomplete,
            })
        })
        .collect::<Result<Vec<_>, ServerError>>()?;
    Ok((total, items))
}
