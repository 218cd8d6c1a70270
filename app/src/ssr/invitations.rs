//! Invitations (SPEC §1.1): owners invite any office role, managers invite employees; a 72-hour
//! single-use link; resend, revoke, accept. Nobody joins an office any other way.

use super::{
    AppState, ServerError, audit,
    auth::{ClientInfo, TenantCtx, passwords, sessions},
    crypto::{NewToken, token_hash},
    limits,
    mail::{self, Message},
};
use http::HeaderValue;
use shared::{
    AppError, ErrorCode, FieldError, Role,
    account::{AcceptInvitationInput, InvitationInput, LoginOutcome},
    dates::format_datetime_jst,
    fields::{Email, mask_email},
    staff::{InvitationPreview, InvitationState, InvitationView},
};
use sqlx::PgConnection;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

pub const LIFETIME_HOURS: i64 = 72;
pub const MAX_PENDING: i64 = 50;
pub const INVALID_LINK: &str = "この招待リンクは無効です。招待した方に再送を依頼してください";
pub const EMAIL_TAKEN: &str = "このメールアドレスは既に登録されています";

fn invalid_link() -> ServerError {
    AppError::with_message(ErrorCode::NotFound, INVALID_LINK).into()
}

fn email_taken() -> ServerError {
    AppError {
        field_errors: vec![FieldError::new("email", EMAIL_TAKEN)],
        ..AppError::with_message(ErrorCode::Conflict, EMAIL_TAKEN)
    }
    .into()
}

async fn email_in_use(conn: &mut PgConnection, email: &str) -> Result<bool, ServerError> {
    Ok(sqlx::query_scalar!(
        r#"select exists(select 1 from staffs where email = $1 and deleted_at is null) as "x!""#,
        email
    )
    .fetch_one(conn)
    .await?)
}

/// Whether `ctx` may resend or revoke an invitation of `role` made by `invited_by`.
fn may_manage(ctx: &TenantCtx, role: Role, invited_by: Uuid) -> bool {
    match ctx.role() {
        Role::Owner => true,
        Role::Manager => role == Role::Employee && invited_by == ctx.staff_id(),
        _ => false,
    }
}

struct MailContext {
    office_name: String,
    inviter_name: String,
}

async fn mail_context(
    conn: &mut PgConnection,
    ctx: &TenantCtx,
) -> Result<MailContext, ServerError> {
    let row = sqlx::query!(
        r#"select o.name as office_name, st.last_name || ' ' || st.first_name as "inviter_name!"
           from offices o join staffs st on st.office_id = o.id
           where o.id = $1 and st.id = $2"#,
        ctx.office_id(),
        ctx.staff_id(),
    )
    .fetch_one(conn)
    .await?;
    Ok(MailContext {
        office_name: row.office_name,
        inviter_name: row.inviter_name,
    })
}

#[allow(clippy::too_many_arguments)]
async fn send_mail(
    conn: &mut PgConnection,
    state: &AppState,
    context: &MailContext,
    email: &str,
    display_name: Option<String>,
    role: Role,
    token: &str,
    expires_at: OffsetDateTime,
) -> Result<(), ServerError> {
    mail::enqueue(
        &mut *conn,
        &state.security.origin(),
        email,
        &Message::Invitation {
            office_name: context.office_name.clone(),
            inviter_name: context.inviter_name.clone(),
            invitee_name: display_name,
            role_label: role.label(),
            accept_url: state.security.link(&format!("/invite#token={token}")),
            expires_at: format_datetime_jst(expires_at),
        },
    )
    .await
}

/// Creates an invitation (replacing a pending one to the same address) and mails the link.
pub async fn create(
    state: &AppState,
    ctx: &TenantCtx,
    input: &InvitationInput,
    client: &ClientInfo,
) -> Result<Uuid, ServerError> {
    let invitation = input.parse().map_err(AppError::validation)?;
    if !ctx.role().may_invite(invitation.role) {
        return Err(AppError::new(ErrorCode::Forbidden).into());
    }
    limits::hit(
        &state.db,
        limits::INVITATIONS_PER_OFFICE,
        &ctx.office_id().to_string(),
    )
    .await?;
    let mut tx = state.db.begin().await?;
    let email = invitation.email.as_str();
    if email_in_use(&mut tx, email).await? {
        return Err(email_taken());
    }
    let pending = sqlx::query_scalar!(
        r#"select count(*) as "n!" from invitations
           where office_id = $1 and status = 'pending' and expires_at > now() and email <> $2"#,
        ctx.office_id(),
        email as &str,
    )
    .fetch_one(&mut *tx)
    .await?;
    if pending >= MAX_PENDING {
        return Err(AppError::with_message(
            ErrorCode::Conflict,
            "招待中の人数が上限（50件）に達しています。不要な招待を取り消してから再度お試しください",
        )
        .into());
    }
    sqlx::query!(
        "update invitations set status = 'revoked', revoked_at = now()
         where office_id = $1 and email = $2 and status = 'pending'",
        ctx.office_id(),
        email as &str,
    )
    .execute(&mut *tx)
    .await?;
    let token = NewToken::generate();
    let expires_at = OffsetDateTime::now_utc() + Duration::hours(LIFETIME_HOURS);
    let display_name = invitation.display_name.as_ref().map(|n| n.to_string());
    let id = sqlx::query_scalar!(
        r#"insert into invitations (office_id, email, role, display_name, token_hash, invited_by, expires_at)
           values ($1, $2, $3, $4, $5, $6, $7) returning id"#,
        ctx.office_id(),
        email as &str,
        invitation.role as Role,
        display_name,
        token.hash,
        ctx.staff_id(),
        expires_at,
    )
    .fetch_one(&mut *tx)
    .await?;
    audit::record(
        &mut *tx,
        audit::Entry::by(
            "invitation.created",
            ctx.staff_id(),
            ctx.role(),
            Some(ctx.office_id()),
        )
        .target("invitation", id)
        .client(client)
        .detail("role", invitation.role.as_str())
        .detail("email", invitation.email.masked()),
    )
    .await?;
    let context = mail_context(&mut tx, ctx).await?;
    send_mail(
        &mut tx,
        state,
        &context,
        email,
        display_name,
        invitation.role,
        &token.value,
        expires_at,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The office's invitations, newest first (owners and managers).
pub async fn list(state: &AppState, ctx: &TenantCtx) -> Result<Vec<InvitationView>, ServerError> {
    let rows = sqlx::query!(
        r#"select i.id, i.email::text as "email!", i.role as "role: Role", i.display_name,
                  i.status::text as "status!", i.created_at, i.expires_at, i.invited_by,
                  st.last_name || ' ' || st.first_name as "inviter!"
           from invitations i join staffs st on st.id = i.invited_by
           where i.office_id = $1
           order by i.created_at desc
           limit 200"#,
        ctx.office_id(),
    )
    .fetch_all(&state.db)
    .await?;
    let now = OffsetDateTime::now_utc();
    Ok(rows
        .into_iter()
        .map(|row| {
            let state = match row.status.as_str() {
                "accepted" => InvitationState::Accepted,
                "revoked" => InvitationState::Revoked,
                _ if row.expires_at <= now => InvitationState::Expired,
                _ => InvitationState::Pending,
            };
            let manageable = matches!(state, InvitationState::Pending | InvitationState::Expired)
                && may_manage(ctx, row.role, row.invited_by);
            InvitationView {
                id: row.id,
                email: row.email,
                role: row.role,
                display_name: row.display_name,
                state,
                invited_by: row.inviter,
                created_at: row.created_at,
                expires_at: row.expires_at,
                manageable,
            }
        })
        .collect())
}

struct Found {
    email: String,
    role: Role,
    display_name: Option<String>,
}

/// The invitation `id` of this office that `ctx` may manage and that was not used or revoked.
async fn find_manageable(
    conn: &mut PgConnection,
    ctx: &TenantCtx,
    id: Uuid,
) -> Result<Found, ServerError> {
    let row = sqlx::query!(
        r#"select email::text as "email!", role as "role: Role", display_name, invited_by,
                  status::text as "status!"
           from invitations where id = $1 and office_id = $2 for update"#,
        id,
        ctx.office_id(),
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| ServerError::Client(AppError::not_found()))?;
    if !may_manage(ctx, row.role, row.invited_by) {
        return Err(AppError::new(ErrorCode::Forbidden).into());
    }
    if row.status != "pending" {
        return Err(AppError::with_message(
            ErrorCode::Conflict,
            "この招待は既に使われたか、取り消されています",
        )
        .into());
    }
    Ok(Found {
        email: row.email,
        role: row.role,
        display_name: row.display_name,
    })
}

/// Sends a new link (the old one stops working) and restarts the 72 hours; 3 per 24 h.
pub async fn resend(
    state: &AppState,
    ctx: &TenantCtx,
    id: Uuid,
    client: &ClientInfo,
) -> Result<(), ServerError> {
    let mut tx = state.db.begin().await?;
    let found = find_manageable(&mut tx, ctx, id).await?;
    limits::hit(&mut *tx, limits::RESENDS_PER_INVITATION, &id.to_string()).await?;
    let token = NewToken::generate();
    let expires_at = OffsetDateTime::now_utc() + Duration::hours(LIFETIME_HOURS);
    sqlx::query!(
        "update invitations set token_hash = $2, expires_at = $3, resent_at = now() where id = $1",
        id,
        token.hash,
        expires_at,
    )
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut *tx,
        audit::Entry::by(
            "invitation.resent",
            ctx.staff_id(),
            ctx.role(),
            Some(ctx.office_id()),
        )
        .target("invitation", id)
        .client(client)
        .detail("role", found.role.as_str())
        .detail("email", mask_email(&found.email)),
    )
    .await?;
    let context = mail_context(&mut tx, ctx).await?;
    send_mail(
        &mut tx,
        state,
        &context,
        &found.email,
        found.display_name,
        found.role,
        &token.value,
        expires_at,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn revoke(
    state: &AppState,
    ctx: &TenantCtx,
    id: Uuid,
    client: &ClientInfo,
) -> Result<(), ServerError> {
    let mut tx = state.db.begin().await?;
    let found = find_manageable(&mut tx, ctx, id).await?;
    sqlx::query!(
        "update invitations set status = 'revoked', revoked_at = now() where id = $1",
        id
    )
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut *tx,
        audit::Entry::by(
            "invitation.revoked",
            ctx.staff_id(),
            ctx.role(),
            Some(ctx.office_id()),
        )
        .target("invitation", id)
        .client(client)
        .detail("role", found.role.as_str())
        .detail("email", mask_email(&found.email)),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// What `/invite` shows before the form (public: the token is the proof).
pub async fn preview(state: &AppState, token: &str) -> Result<InvitationPreview, ServerError> {
    let row = sqlx::query!(
        r#"select o.name as office_name, i.role as "role: Role", i.email::text as "email!", i.display_name
           from invitations i join offices o on o.id = i.office_id
           where i.token_hash = $1 and i.status = 'pending' and i.expires_at > now()
             and o.withdrawn_at is null"#,
        token_hash(token),
    )
    .fetch_optional(&state.db)
    .await?
    .ok_or_else(invalid_link)?;
    Ok(InvitationPreview {
        office_name: row.office_name,
        role: row.role,
        email: row.email,
        display_name: row.display_name,
    })
}

/// Creates the account (verified: the link proves the address), joins the office with the
/// invited role and logs in — or starts first-time MFA setup when the office requires it.
pub async fn accept(
    state: &AppState,
    input: &AcceptInvitationInput,
    client: &ClientInfo,
) -> Result<(LoginOutcome, Vec<HeaderValue>), ServerError> {
    let security = &state.security;
    let mut tx = state.db.begin().await?;
    let invitation = sqlx::query!(
        r#"select i.id, i.office_id, i.email::text as "email!", i.role as "role: Role", i.invited_by,
                  o.mfa_required_for_all
           from invitations i join offices o on o.id = i.office_id
           where i.token_hash = $1 and i.status = 'pending' and i.expires_at > now()
             and o.withdrawn_at is null
           for update of i"#,
        token_hash(input.token.expose()),
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(invalid_link)?;
    let email = Email::parse(&invitation.email)
        .map_err(|_| ServerError::Internal("stored invitation e-mail"))?;
    let accepted = input.parse(Some(&email)).map_err(AppError::validation)?;
    state
        .breach_check
        .check(accepted.password.expose())
        .await
        .map_err(ServerError::Client)?;
    if email_in_use(&mut tx, email.as_str()).await? {
        return Err(AppError::with_message(ErrorCode::Conflict, EMAIL_TAKEN).into());
    }
    let password_hash = passwords::hash(accepted.password.expose().to_owned()).await?;
    let staff_id = sqlx::query_scalar!(
        r#"insert into staffs (office_id, role, email, last_name, first_name, last_name_kana,
                               first_name_kana, password_hash, email_verified_at)
           values ($1, $2, $3, $4, $5, $6, $7, $8, now()) returning id"#,
        invitation.office_id,
        invitation.role as Role,
        email.as_str() as &str,
        accepted.name.last_name.as_str(),
        accepted.name.first_name.as_str(),
        accepted.name.last_name_kana.as_str(),
        accepted.name.first_name_kana.as_str(),
        password_hash,
    )
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query!(
        "insert into password_history (staff_id, password_hash) values ($1, $2)",
        staff_id,
        password_hash
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "insert into terms_agreements (staff_id, terms_version, privacy_version, ip, user_agent)
         values ($1, $2, $3, $4, $5)",
        staff_id,
        security.terms_version,
        security.privacy_version,
        client.ip.map(ipnet::IpNet::from),
        client.user_agent.as_deref(),
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "update invitations set status = 'accepted', accepted_at = now(), accepted_staff_id = $2 where id = $1",
        invitation.id,
        staff_id,
    )
    .execute(&mut *tx)
    .await?;
    let office = Some(invitation.office_id);
    audit::record(
        &mut *tx,
        audit::Entry::by("invitation.accepted", staff_id, invitation.role, office)
            .target("invitation", invitation.id)
            .client(client)
            .detail("role", invitation.role.as_str())
            .detail("email", email.masked()),
    )
    .await?;
    audit::record(
        &mut *tx,
        audit::Entry::by("terms.agreed", staff_id, invitation.role, office)
            .target("staff", staff_id)
            .client(client)
            .detail("terms_version", security.terms_version.clone())
            .detail("privacy_version", security.privacy_version.clone()),
    )
    .await?;
    sqlx::query!(
        "insert into notices (office_id, staff_id, kind, title, body, link)
         values ($1, $2, 'invitation_accepted', $3, '', '/settings/staff')",
        invitation.office_id,
        invitation.invited_by,
        format!("{}さんが招待を受けて登録しました", accepted.name.full()),
    )
    .execute(&mut *tx)
    .await?;

    if invitation.mfa_required_for_all {
        let token = NewToken::generate();
        sqlx::query!(
            r#"insert into pending_logins (token_hash, staff_id, purpose, redirect_to, expires_at)
               values ($1, $2, 'setup', '/home', now() + interval '5 minutes')"#,
            token.hash,
            staff_id,
        )
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        return Ok((
            LoginOutcome::MfaSetupRequired {
                pending_token: token.value,
            },
            Vec::new(),
        ));
    }
    let tokens = sessions::create(
        &mut tx,
        &security.jwt_keys,
        staff_id,
        invitation.role,
        client,
    )
    .await?;
    audit::record(
        &mut *tx,
        audit::Entry::by("auth.login_succeeded", staff_id, invitation.role, office)
            .target("staff", staff_id)
            .client(client)
            .detail("method", "password")
            .detail("session_id", tokens.session_id.to_string()),
    )
    .await?;
    tx.commit().await?;
    Ok((
        LoginOutcome::SignedIn {
            redirect_to: "/home".to_owned(),
        },
        tokens.set_cookies(security.secure_cookies),
    ))
}
