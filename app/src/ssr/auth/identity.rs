//! Who is calling, and the one authorisation helper every server function uses.
//!
//! The middleware resolves the session once per request and stores an [`Authentication`] in the
//! request extensions. Server functions then state in one line what they need:
//! `let ctx = require_office(Role::Manager)?;` — the office id always comes from the session.

use crate::ssr::{ServerError, settings::SecuritySettings};
use shared::{
    AppError, ErrorCode, Role,
    account::{CurrentUser, OfficeRef},
};
use sqlx::PgPool;
use std::sync::Arc;
use uuid::Uuid;

/// The signed-in staff member, loaded with the session in one query.
#[derive(Clone, Debug)]
pub struct AuthUser {
    pub staff_id: Uuid,
    pub session_id: Uuid,
    pub role: Role,
    pub office_id: Option<Uuid>,
    pub office_name: Option<String>,
    pub email: String,
    pub display_name: String,
    pub mfa_enabled: bool,
    /// Required for this staff member or office-wide.
    pub mfa_required: bool,
    pub recovery_codes_left: i64,
    pub terms_outdated: bool,
    /// The session was last used over a minute ago: its idle expiry is due for renewal.
    pub(super) session_stale: bool,
}

impl AuthUser {
    pub fn to_current_user(&self) -> CurrentUser {
        CurrentUser {
            staff_id: self.staff_id,
            display_name: self.display_name.clone(),
            email: self.email.clone(),
            role: self.role,
            office: self.office_id.map(|id| OfficeRef {
                id,
                name: self.office_name.clone().unwrap_or_default(),
            }),
            mfa_enabled: self.mfa_enabled,
            mfa_required: self.mfa_required,
            recovery_codes_left: self
                .mfa_enabled
                .then(|| u32::try_from(self.recovery_codes_left).unwrap_or(0)),
            terms_outdated: self.terms_outdated,
        }
    }
}

/// Request extension set by the auth middleware.
#[derive(Clone, Debug, Default)]
pub enum Authentication {
    #[default]
    Anonymous,
    User(Arc<AuthUser>),
}

/// What a tenant-scoped function may act on. Only [`require_office`] builds one, so repository
/// functions taking a `&TenantCtx` can only be reached through the role check.
#[derive(Clone, Debug)]
pub struct TenantCtx {
    office_id: Uuid,
    staff_id: Uuid,
    role: Role,
    session_id: Uuid,
    mfa_enabled: bool,
}

impl TenantCtx {
    /// Recipient, assessment and plan writes need MFA on the acting account (SPEC §2.6).
    pub fn require_mfa(&self) -> Result<(), ServerError> {
        if self.mfa_enabled {
            Ok(())
        } else {
            Err(AppError::with_message(
                ErrorCode::MfaSetupRequired,
                "利用者の情報を登録・編集するには、2段階認証の設定が必要です",
            )
            .into())
        }
    }

    pub fn office_id(&self) -> Uuid {
        self.office_id
    }
    pub fn staff_id(&self) -> Uuid {
        self.staff_id
    }
    pub fn role(&self) -> Role {
        self.role
    }
    pub fn session_id(&self) -> Uuid {
        self.session_id
    }
    pub fn mfa_enabled(&self) -> bool {
        self.mfa_enabled
    }
}

/// Loads staff, office and session together; `None` when the session is revoked or expired, the
/// staff member deleted or the office withdrawn (revocation is immediate).
pub async fn load_user(
    db: &PgPool,
    settings: &SecuritySettings,
    session_id: Uuid,
    staff_id: Uuid,
) -> Result<Option<AuthUser>, sqlx::Error> {
    let row = sqlx::query!(
        r#"select st.role as "role: Role", st.office_id, o.name as "office_name?",
                  st.email::text as "email!", st.last_name, st.first_name,
                  st.mfa_enabled_at is not null as "mfa_enabled!",
                  (st.mfa_required or coalesce(o.mfa_required_for_all, false)) as "mfa_required!",
                  (select count(*) from mfa_recovery_codes c
                    where c.staff_id = st.id and c.used_at is null) as "recovery_left!",
                  -- The terms are between offices and the service; operators are not asked.
                  st.role <> 'app_admin' and not exists (select 1 from terms_agreements t
                               where t.staff_id = st.id and t.terms_version = $3
                                 and t.privacy_version = $4) as "terms_outdated!",
                  s.last_used_at < now() - interval '1 minute' as "session_stale!"
           from sessions s
           join staffs st on st.id = s.staff_id
           left join offices o on o.id = st.office_id
           where s.id = $1 and s.staff_id = $2 and s.revoked_at is null
             and s.idle_expires_at > now() and s.absolute_expires_at > now()
             and st.deleted_at is null and st.email_verified_at is not null
             and (o.id is null or o.withdrawn_at is null)"#,
        session_id,
        staff_id,
        settings.terms_version,
        settings.privacy_version,
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|row| AuthUser {
        staff_id,
        session_id,
        role: row.role,
        office_id: row.office_id,
        office_name: row.office_name,
        email: row.email,
        display_name: format!("{} {}", row.last_name, row.first_name),
        mfa_enabled: row.mfa_enabled,
        mfa_required: row.mfa_required,
        recovery_codes_left: row.recovery_left,
        terms_outdated: row.terms_outdated,
        session_stale: row.session_stale,
    }))
}

/// The caller, if signed in (from the request being served).
pub fn current_user() -> Option<Arc<AuthUser>> {
    let parts = leptos::prelude::use_context::<http::request::Parts>()?;
    user_in(&parts)
}

/// The user the middleware put into a request's extensions.
fn user_in(parts: &http::request::Parts) -> Option<Arc<AuthUser>> {
    match parts.extensions.get::<Authentication>()? {
        Authentication::User(user) => Some(user.clone()),
        Authentication::Anonymous => None,
    }
}

/// Signed in, whatever the terms state (logout, the consent screen itself, the session probe).
pub fn require_signed_in() -> Result<Arc<AuthUser>, ServerError> {
    current_user().ok_or_else(|| AppError::new(ErrorCode::Unauthenticated).into())
}

/// Signed in with the current terms accepted: the caller's own account functions.
pub fn require_account() -> Result<Arc<AuthUser>, ServerError> {
    account(current_user())
}

fn account(user: Option<Arc<AuthUser>>) -> Result<Arc<AuthUser>, ServerError> {
    let user = user.ok_or_else(|| ServerError::from(AppError::new(ErrorCode::Unauthenticated)))?;
    if user.terms_outdated {
        return Err(AppError::new(ErrorCode::TermsConsentRequired).into());
    }
    Ok(user)
}

/// A member of an office with at least `min` role; MFA set up where the owner requires it.
pub fn require_office(min: Role) -> Result<TenantCtx, ServerError> {
    office(account(current_user())?, min)
}

/// [`require_office`] for a plain axum handler (the document upload), from its request parts.
pub fn require_office_in(
    parts: &http::request::Parts,
    min: Role,
) -> Result<TenantCtx, ServerError> {
    office(account(user_in(parts))?, min)
}

fn office(user: Arc<AuthUser>, min: Role) -> Result<TenantCtx, ServerError> {
    let Some(office_id) = user.office_id else {
        // app_admins have no office; an owner without one must set it up first.
        return Err(AppError::new(ErrorCode::Forbidden).into());
    };
    if user.mfa_required && !user.mfa_enabled {
        return Err(AppError::with_message(
            ErrorCode::MfaSetupRequired,
            "事業所の設定により2段階認証の設定が必要です。アカウント設定から設定してください",
        )
        .into());
    }
    if !user.role.at_least(min) {
        return Err(AppError::new(ErrorCode::Forbidden).into());
    }
    Ok(TenantCtx {
        office_id,
        staff_id: user.staff_id,
        role: user.role,
        session_id: user.session_id,
        mfa_enabled: user.mfa_enabled,
    })
}

/// An app_admin (SPEC §2.10, §16.7): no office, so no [`TenantCtx`]; office staff get
/// `FORBIDDEN`. Their sessions only exist after TOTP, which is mandatory for them.
pub fn require_app_admin() -> Result<Arc<AuthUser>, ServerError> {
    let user = require_account()?;
    if user.role != Role::AppAdmin || !user.mfa_enabled {
        return Err(AppError::new(ErrorCode::Forbidden).into());
    }
    Ok(user)
}
