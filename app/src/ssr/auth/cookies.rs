//! The three cookies of SPEC §16.1. With a plain-HTTP loopback base URL (local development) the
//! `Secure` flag and the `__Host-` prefix are dropped; everywhere else they are always set.

use cookie::{Cookie, SameSite, time::Duration};
use http::{HeaderMap, HeaderValue, header::COOKIE};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CookieName {
    /// Access JWT, 15 minutes.
    Access,
    /// Refresh token, the session's remaining absolute lifetime.
    Refresh,
    /// Pre-session id for CSRF before login, 2 hours.
    PreSession,
}

impl CookieName {
    pub const fn name(self, secure: bool) -> &'static str {
        match (self, secure) {
            (Self::Access, true) => "__Host-kk_at",
            (Self::Refresh, true) => "__Host-kk_rt",
            (Self::PreSession, true) => "__Host-kk_pre",
            (Self::Access, false) => "kk_at",
            (Self::Refresh, false) => "kk_rt",
            (Self::PreSession, false) => "kk_pre",
        }
    }
}

pub const PRE_SESSION_SECONDS: i64 = 2 * 60 * 60;

/// A `Set-Cookie` value: HttpOnly, SameSite=Lax, Path=/, Secure unless local HTTP.
pub fn set_cookie(
    name: CookieName,
    value: &str,
    max_age_seconds: i64,
    secure: bool,
) -> HeaderValue {
    let cookie = Cookie::build((name.name(secure), value.to_owned()))
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Lax)
        .path("/")
        .max_age(Duration::seconds(max_age_seconds))
        .build();
    HeaderValue::from_str(&cookie.to_string()).expect("cookie values are base64url or JWT text")
}

/// A `Set-Cookie` that removes the cookie.
pub fn clear_cookie(name: CookieName, secure: bool) -> HeaderValue {
    set_cookie(name, "", 0, secure)
}

/// The value of one of our cookies in the request.
pub fn read_cookie(headers: &HeaderMap, name: CookieName, secure: bool) -> Option<String> {
    let wanted = name.name(secure);
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == wanted && !c.value().is_empty())
        .map(|c| c.value().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags() {
        let secure = set_cookie(CookieName::Access, "jwt", 900, true);
        let text = secure.to_str().unwrap();
        assert!(text.starts_with("__Host-kk_at=jwt"));
        for flag in [
            "HttpOnly",
            "Secure",
            "SameSite=Lax",
            "Path=/",
            "Max-Age=900",
        ] {
            assert!(text.contains(flag), "{text}");
        }
        let local = set_cookie(CookieName::Refresh, "rt", 60, false);
        let text = local.to_str().unwrap();
        assert!(
            text.starts_with("kk_rt=rt") && !text.contains("Secure"),
            "{text}"
        );
    }

    #[test]
    fn reads_among_other_cookies() {
        let mut headers = HeaderMap::new();
        headers.insert(
            COOKIE,
            HeaderValue::from_static("a=1; __Host-kk_rt=abc; kk_rt=local"),
        );
        assert_eq!(
            read_cookie(&headers, CookieName::Refresh, true).as_deref(),
            Some("abc")
        );
        assert_eq!(
            read_cookie(&headers, CookieName::Refresh, false).as_deref(),
            Some("local")
        );
        assert_eq!(read_cookie(&headers, CookieName::Access, true), None);
    }
}
