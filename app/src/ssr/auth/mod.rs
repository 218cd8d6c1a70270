//! Authentication and authorisation: sessions, cookies, CSRF, passwords and the role check.

mod client;
pub mod cookies;
pub mod csrf;
mod identity;
pub mod jwt;
pub mod middleware;
pub mod passwords;
pub mod sessions;

pub use client::{ClientInfo, device_label, mask_ip};
pub use identity::{
    AuthUser, Authentication, TenantCtx, current_user, load_user, require_account,
    require_app_admin, require_office, require_office_in, require_signed_in,
};

/// The client of the request being served (set by the middleware).
pub fn client_info() -> ClientInfo {
    leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<ClientInfo>().cloned())
        .unwrap_or_default()
}

/// The CSRF token pages render into `<meta name="csrf-token">`.
pub fn csrf_token() -> Option<String> {
    leptos::prelude::use_context::<http::request::Parts>().and_then(|parts| {
        parts
            .extensions
            .get::<csrf::CsrfToken>()
            .map(|t| t.0.clone())
    })
}

/// Adds `Set-Cookie` headers to the response of the server function being served.
pub fn set_response_cookies(values: Vec<http::HeaderValue>) {
    if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        for value in values {
            response.append_header(http::header::SET_COOKIE, value);
        }
    }
}
