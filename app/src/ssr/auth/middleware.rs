//! The request layer that knows who is calling (SPEC §2.4, §16.2):
//!
//! 1. reads the client address and user agent;
//! 2. resolves the session from the access cookie, or renews it from the refresh cookie
//!    (transparently, for page loads and server-function calls alike);
//! 3. makes sure a pre-session cookie exists for CSRF tokens before login;
//! 4. refuses state-changing requests from another origin or without a valid CSRF token;
//! 5. marks every dynamic response `Cache-Control: no-store`.

use super::{
    Authentication, ClientInfo,
    cookies::{self, CookieName, read_cookie},
    csrf::{self, Binding, CsrfToken},
    identity::load_user,
    jwt::{self, AccessTokenError},
    sessions::{self, Refreshed},
};
use crate::ssr::{AppState, crypto::random_bytes, limits};
use axum::{
    extract::{ConnectInfo, Request, State},
    middleware::Next,
    response::{IntoResponse, Response},
};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use http::{HeaderValue, Method, StatusCode, header};
use shared::{AppError, ErrorCode};
use std::{net::SocketAddr, sync::Arc};

/// Paths served from files, and machine endpoints that carry their own credential (a bearer
/// token or a signature, never cookies): no session work, no cookies, no CSRF token.
fn is_static(path: &str) -> bool {
    path.starts_with("/pkg/")
        || path.starts_with("/internal/")
        // Signed document links: the token is the credential (like a presigned URL).
        || path.starts_with("/files/")
        || path.starts_with("/icons/")
        || matches!(
            path,
            "/sw.js"
                | "/manifest.webmanifest"
                | "/robots.txt"
                | "/offline.html"
                | "/favicon.ico"
                | "/healthz"
                | "/readyz"
        )
}

pub async fn authenticate(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    if is_static(request.uri().path()) {
        return next.run(request).await;
    }
    let security = state.security.clone();
    let secure = security.secure_cookies;
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0);
    let client = ClientInfo::from_request(request.headers(), peer, security.trusted_proxy_hops);

    let mut set_cookies: Vec<HeaderValue> = Vec::new();
    // Only the headers cross the awaits below (the body is not `Sync`).
    let headers = request.headers().clone();
    let user = match resolve(&state, &headers, &client, &mut set_cookies).await {
        Ok(user) => user,
        Err(error) => {
            let error: AppError = error.into();
            return error_response(error);
        }
    };

    let pre_session = match read_cookie(request.headers(), CookieName::PreSession, secure) {
        Some(id) => id,
        None => {
            let id = URL_SAFE_NO_PAD.encode(random_bytes::<32>());
            set_cookies.push(cookies::set_cookie(
                CookieName::PreSession,
                &id,
                cookies::PRE_SESSION_SECONDS,
                secure,
            ));
            id
        }
    };

    let unsafe_method = !matches!(*request.method(), Method::GET | Method::HEAD);
    if unsafe_method {
        let mut bindings = vec![Binding::PreSession(&pre_session)];
        if let Some(user) = &user {
            bindings.push(Binding::Session(user.session_id));
        }
        let presented = request
            .headers()
            .get(csrf::CSRF_HEADER)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        let allowed = *request.method() != Method::OPTIONS
            && csrf::origin_allowed(request.headers(), &security.origin())
            && csrf::token_valid(&security.mac_key, presented, &bindings);
        if !allowed {
            let mut response = error_response(AppError::with_message(
                ErrorCode::Forbidden,
                csrf::CSRF_MESSAGE,
            ));
            append_cookies(&mut response, set_cookies);
            return response;
        }
    }

    // SPEC §2.9: any authenticated server function, 300 per minute per session.
    if let Some(user) = &user
        && request.uri().path().starts_with("/api/")
    {
        let limit = limits::PER_SESSION.scaled(security.session_limit_scale);
        match limits::check(&state.db, limit, &user.session_id.to_string()).await {
            Ok(None) => {}
            Ok(Some(retry_after)) => {
                let mut response = error_response(AppError::rate_limited(retry_after));
                append_cookies(&mut response, set_cookies);
                return response;
            }
            Err(error) => return error_response(error.into()),
        }
    }

    let token = match &user {
        Some(user) => csrf::token(&security.mac_key, Binding::Session(user.session_id)),
        None => csrf::token(&security.mac_key, Binding::PreSession(&pre_session)),
    };
    let extensions = request.extensions_mut();
    extensions.insert(client);
    extensions.insert(CsrfToken(token));
    extensions.insert(match user {
        Some(user) => Authentication::User(Arc::new(user)),
        None => Authentication::Anonymous,
    });

    let token_page = TOKEN_PAGES.contains(&request.uri().path());
    let mut response = next.run(request).await;
    append_cookies(&mut response, set_cookies);
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if token_page {
        headers.insert(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        );
    }
    response
}

/// Pages opened from links that carry a token (SPEC §16.3: `Referrer-Policy: no-referrer`).
const TOKEN_PAGES: [&str; 4] = [
    "/invite",
    "/reset-password",
    "/verify-email",
    "/confirm-email",
];

/// Session from the access cookie, else from the refresh cookie (rotating it).
async fn resolve(
    state: &AppState,
    headers: &http::HeaderMap,
    client: &ClientInfo,
    set_cookies: &mut Vec<HeaderValue>,
) -> Result<Option<super::AuthUser>, crate::ssr::ServerError> {
    let security = &state.security;
    let secure = security.secure_cookies;

    if let Some(access) = read_cookie(headers, CookieName::Access, secure) {
        match jwt::verify(&security.jwt_keys, &access) {
            Ok(claims) => {
                return match load_user(&state.db, security, claims.sid, claims.sub).await? {
                    Some(user) => {
                        // One write a minute per session, not one per request.
                        if user.session_stale {
                            sessions::touch(&state.db, user.session_id, user.role).await?;
                        }
                        Ok(Some(user))
                    }
                    None => {
                        set_cookies.extend(sessions::clear_cookies(secure));
                        Ok(None)
                    }
                };
            }
            Err(AccessTokenError::Expired | AccessTokenError::Invalid) => {}
        }
    }

    let Some(refresh) = read_cookie(headers, CookieName::Refresh, secure) else {
        if read_cookie(headers, CookieName::Access, secure).is_some() {
            set_cookies.extend(sessions::clear_cookies(secure));
        }
        return Ok(None);
    };
    match sessions::refresh(&state.db, &security.jwt_keys, &refresh, client).await? {
        Refreshed::Renewed { staff_id, tokens } => {
            match load_user(&state.db, security, tokens.session_id, staff_id).await? {
                Some(user) => {
                    set_cookies.extend(tokens.set_cookies(secure));
                    Ok(Some(user))
                }
                None => {
                    set_cookies.extend(sessions::clear_cookies(secure));
                    Ok(None)
                }
            }
        }
        Refreshed::ReuseDetected | Refreshed::Invalid => {
            set_cookies.extend(sessions::clear_cookies(secure));
            Ok(None)
        }
    }
}

/// Our cookies go before the handler's, so that a handler that sets or clears the same cookie
/// (login, logout) wins.
fn append_cookies(response: &mut Response, ours: Vec<HeaderValue>) {
    if ours.is_empty() {
        return;
    }
    let headers = response.headers_mut();
    let theirs: Vec<HeaderValue> = headers
        .get_all(header::SET_COOKIE)
        .iter()
        .cloned()
        .collect();
    headers.remove(header::SET_COOKIE);
    for value in ours.into_iter().chain(theirs) {
        headers.append(header::SET_COOKIE, value);
    }
}

fn error_response(error: AppError) -> Response {
    let status =
        StatusCode::from_u16(error.code.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body = serde_json::to_string(&error).unwrap_or_default();
    let mut response = (
        status,
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response();
    if let Some(seconds) = error.retry_after_s {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    }
    response
}
