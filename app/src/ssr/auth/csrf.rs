//! CSRF protection (SPEC §16.2): a state-changing request must come from our origin and carry a
//! synchroniser token = HMAC(key, session id or pre-session id).

use crate::ssr::crypto::MacKey;
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use http::{HeaderMap, header::ORIGIN};
use uuid::Uuid;

pub const CSRF_HEADER: &str = "x-csrf-token";
pub const CSRF_MESSAGE: &str = "画面の有効期限が切れました。再読み込みしてください";

/// What a token is bound to.
#[derive(Clone, Copy, Debug)]
pub enum Binding<'a> {
    Session(Uuid),
    PreSession(&'a str),
}

pub fn token(key: &MacKey, binding: Binding<'_>) -> String {
    let data = match binding {
        Binding::Session(id) => format!("s:{id}"),
        Binding::PreSession(id) => format!("p:{id}"),
    };
    URL_SAFE_NO_PAD.encode(key.sign("csrf", data.as_bytes()))
}

/// The token to render into pages for this request (request extension).
#[derive(Clone, Debug)]
pub struct CsrfToken(pub String);

/// (a) of §16.2: `Origin` equals ours; without `Origin`, `Sec-Fetch-Site` must be same-origin or
/// none; with neither header, the token alone decides.
pub fn origin_allowed(headers: &HeaderMap, our_origin: &str) -> bool {
    if let Some(origin) = headers.get(ORIGIN) {
        return origin.to_str().is_ok_and(|o| o == our_origin);
    }
    match headers.get("sec-fetch-site").map(|v| v.to_str()) {
        Some(Ok(site)) => matches!(site, "same-origin" | "none"),
        Some(Err(_)) => false,
        None => true,
    }
}

/// (b): the presented token matches one of the request's bindings.
pub fn token_valid(key: &MacKey, presented: &str, bindings: &[Binding<'_>]) -> bool {
    let Ok(presented) = URL_SAFE_NO_PAD.decode(presented.trim()) else {
        return false;
    };
    bindings.iter().any(|binding| {
        let data = match binding {
            Binding::Session(id) => format!("s:{id}"),
            Binding::PreSession(id) => format!("p:{id}"),
        };
        key.verify("csrf", data.as_bytes(), &presented)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    #[test]
    fn origins() {
        let ours = "https://keikakun.example";
        let mut h = HeaderMap::new();
        assert!(origin_allowed(&h, ours));
        h.insert("sec-fetch-site", HeaderValue::from_static("cross-site"));
        assert!(!origin_allowed(&h, ours));
        h.insert("sec-fetch-site", HeaderValue::from_static("same-origin"));
        assert!(origin_allowed(&h, ours));
        h.insert(ORIGIN, HeaderValue::from_static("https://evil.example"));
        assert!(!origin_allowed(&h, ours));
        h.insert(ORIGIN, HeaderValue::from_static("https://keikakun.example"));
        assert!(origin_allowed(&h, ours));
        h.insert(ORIGIN, HeaderValue::from_static("null"));
        assert!(!origin_allowed(&h, ours));
    }

    #[test]
    fn tokens_bind_to_their_session() {
        use base64::engine::general_purpose::STANDARD;
        let key = MacKey::parse(&STANDARD.encode([5u8; 32])).unwrap();
        let session = Uuid::new_v4();
        let t = token(&key, Binding::Session(session));
        assert!(token_valid(
            &key,
            &t,
            &[Binding::PreSession("p"), Binding::Session(session)]
        ));
        assert!(!token_valid(&key, &t, &[Binding::Session(Uuid::new_v4())]));
        assert!(!token_valid(&key, &t, &[Binding::PreSession("p")]));
        assert!(!token_valid(
            &key,
            "not base64!",
            &[Binding::Session(session)]
        ));
    }
}
