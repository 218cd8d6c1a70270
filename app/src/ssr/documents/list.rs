//! 「PDF一覧」 (SPEC §7.8): the office's live versions with search, filters, sort and paging in
//! one query (the total comes with the rows). Archived recipients are included (with a badge);
//! deleted ones are not.

use crate::ssr::{AppState, ServerError, auth::TenantCtx, recipients::list::like_pattern};
use shared::{
    dates::format_datetime_jst,
    document::{DocType, DocumentFilter, DocumentListItem, DocumentPage, DocumentSort},
    recipient::search_key,
};

pub async fn page(
    app: &AppState,
    ctx: &TenantCtx,
    filter: &DocumentFilter,
) -> Result<DocumentPage, ServerError> {
    let name_patterns: Vec<String> = filter.words.iter().map(|w| like_pattern(w)).collect();
    let key_patterns: Vec<String> = filter
        .words
        .iter()
        .map(|w| like_pattern(&search_key(w)))
        .collect();
    let types: Vec<&str> = filter.types.iter().map(|t| t.as_str()).collect();
    let sort = match filter.sort {
        DocumentSort::Uploaded => "uploaded",
        DocumentSort::Recipient => "recipient",
        DocumentSort::FileName => "file_name",
    };
    let per_page = i64::from(filter.per_page);
    let offset = i64::from(filter.page - 1) * per_page;
    let mut tx = ctx.begin(&app.db).await?;
    let rows = sqlx::query!(
        r#"select v.id, v.file_name, d.doc_type::text as "doc_type!", v.version, r.id as recipient_id,
                  r.last_name || ' ' || r.first_name as "name!",
                  r.last_name_kana || ' ' || r.first_name_kana as "kana!",
                  r.status = 'archived' as "archived!", c.cycle_number, v.uploaded_by_name,
                  v.uploaded_at, count(*) over () as "total!"
           from document_versions v
           join plan_documents d on d.id = v.document_id and d.office_id = v.office_id
           join plan_cycles c on c.id = d.cycle_id
           join recipients r on r.id = d.recipient_id and r.office_id = d.office_id
           where v.office_id = $1 and v.deleted_at is null and r.status <> 'deleted'
             and (cardinality($2::uuid[]) = 0 or r.id = any($2))
             and (cardinality($3::text[]) = 0 or d.doc_type::text = any($3))
             and ($4::date is null
                  or v.uploaded_at >= ($4::date)::timestamp at time zone 'Asia/Tokyo')
             and ($5::date is null
                  or v.uploaded_at < ($5::date + 1)::timestamp at time zone 'Asia/Tokyo')
             and not exists (
                 select 1 from unnest($6::text[], $7::text[]) as w (name, key)
                 where not (v.file_name ilike w.name or r.search_text like w.key))
           order by
             case when $8 = 'uploaded' and $9 then v.uploaded_at end desc,
             case when $8 = 'uploaded' and not $9 then v.uploaded_at end,
             case when $8 = 'recipient' and not $9 then r.last_name_kana end,
             case when $8 = 'recipient' and not $9 then r.first_name_kana end,
             case when $8 = 'recipient' and $9 then r.last_name_kana end desc,
             case when $8 = 'recipient' and $9 then r.first_name_kana end desc,
             case when $8 = 'file_name' and not $9 then v.file_name end,
             case when $8 = 'file_name' and $9 then v.file_name end desc,
             v.uploaded_at desc, v.id
           limit $10 offset $11"#,
        ctx.office_id(),
        &filter.recipients,
        &types as &[&str],
        filter.from,
        filter.to,
        &name_patterns,
        &key_patterns,
        sort,
        filter.descending,
        per_page,
        offset,
    )
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    let total = rows
        .first()
        .map(|r| u64::try_from(r.total).unwrap_or(0))
        .unwrap_or(0);
    let items = rows
        .into_iter()
        .map(|r| {
            Ok(DocumentListItem {
                version_id: r.id,
                file_name: r.file_name,
                doc_type: DocType::parse(&r.doc_type)
                    .ok_or(ServerError::Internal("unknown doc type"))?,
                version: r.version,
                recipient_id: r.recipient_id,
                recipient_name: r.name,
                recipient_kana: r.kana,
                recipient_archived: r.archived,
                cycle_number: r.cycle_number,
                uploaded_by_name: r.uploaded_by_name,
                uploaded_at: format_datetime_jst(r.uploaded_at),
            })
        })
        .collect::<Result<Vec<_>, ServerError>>()?;
    Ok(DocumentPage {
        items,
        total,
        page: filter.page,
        per_page: filter.per_page,
        pages: u32::try_from(total.div_ceil(u64::from(filter.per_page))).unwrap_or(u32::MAX),
    })
}
