//! Plan documents (SPEC §7). Everyone in the office lists and opens them; adding and deleting
//! versions needs a manager or owner with MFA. Uploads are the streaming route
//! `POST /api/documents/upload` (`crate::ssr::documents::upload`), not a server function.

// The filters are flat query parameters (one argument each), as the URL documents them.
#![allow(clippy::too_many_arguments)]

use super::client::CsrfClient;
use leptos::{
    prelude::*,
    server_fn::codec::{GetUrl, Json},
};
use shared::{
    AppError,
    document::{DocumentPage, OpenLink},
};
use uuid::Uuid;

/// `GET /api/documents?q=&recipients=&types=&from=&to=&sort=&dir=&page=&per_page=` —
/// 「PDF一覧」: the office's current and older versions. employee.
#[server(prefix = "/api", endpoint = "documents", input = GetUrl)]
pub async fn list_documents(
    q: Option<String>,
    recipients: Option<String>,
    types: Option<String>,
    from: Option<String>,
    to: Option<String>,
    sort: Option<String>,
    dir: Option<String>,
    page: Option<u32>,
    per_page: Option<u32>,
) -> Result<DocumentPage, AppError> {
    use crate::ssr::{app_state, auth, documents};
    let ctx = auth::require_office(shared::Role::Employee)?;
    let filter = shared::document::DocumentQuery {
        q: q.unwrap_or_default(),
        recipients: recipients.unwrap_or_default(),
        types: types.unwrap_or_default(),
        from: from.unwrap_or_default(),
        to: to.unwrap_or_default(),
        sort: sort.unwrap_or_default(),
        dir: dir.unwrap_or_default(),
        page: page.unwrap_or(1),
        per_page: per_page.unwrap_or_default(),
    }
    .parse()
    .map_err(AppError::validation)?;
    Ok(documents::list::page(&app_state()?, &ctx, &filter).await?)
}

/// `POST /api/documents/open` — a 300-second link to one version (`download`: as an
/// attachment), issued on click and audited. employee.
#[server(prefix = "/api", endpoint = "documents/open", input = Json, client = CsrfClient)]
pub async fn open_document(
    version_id: Uuid,
    #[server(default)] download: bool,
) -> Result<OpenLink, AppError> {
    use crate::ssr::{app_state, auth, documents};
    let ctx = auth::require_office(shared::Role::Employee)?;
    Ok(documents::open(
        &app_state()?,
        &ctx,
        version_id,
        download,
        &auth::client_info(),
    )
    .await?)
}

/// `POST /api/documents/versions/delete` — 「この版を削除」 with a reason (1–200): a tombstone,
/// the object removed by the storage outbox. manager.
#[server(prefix = "/api", endpoint = "documents/versions/delete", input = Json, client = CsrfClient)]
pub async fn delete_document_version(version_id: Uuid, reason: String) -> Result<(), AppError> {
    use crate::ssr::{app_state, auth, documents};
    let ctx = auth::require_office(shared::Role::Manager)?;
    Ok(documents::delete_version(
        &app_state()?,
        &ctx,
        version_id,
        &reason,
        &auth::client_info(),
    )
    .await?)
}
