//! The security headers of SPEC §16.3 on every response, with a fresh CSP nonce per request.
//!
//! The nonce is put into the request's extensions; the Leptos context hands it to the renderer so
//! the hydration script carries the same value as the header.

use axum::{
    extract::{Request, State},
    middleware::Next,
    response::Response,
};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use http::{HeaderName, HeaderValue, header};
use rand::RngCore;
use std::sync::Arc;

/// The per-request CSP nonce (128 random bits, base64url).
#[derive(Clone, Debug)]
pub struct CspNonce(pub Arc<str>);

impl CspNonce {
    fn generate() -> Self {
        let mut bytes = [0u8; 16];
        rand::rng().fill_bytes(&mut bytes);
        Self(URL_SAFE_NO_PAD.encode(bytes).into())
    }
}

/// What varies between deployments.
#[derive(Clone, Debug)]
pub struct SecurityPolicy {
    /// `upgrade-insecure-requests` only makes sense (and only works) when served over HTTPS.
    pub upgrade_insecure_requests: bool,
    /// Origin allowed to be framed (document previews); `'self'` while documents are served locally.
    pub frame_src: String,
}

impl SecurityPolicy {
    fn content_security_policy(&self, nonce: &CspNonce, frame_ancestors: &str) -> String {
        let nonce = &nonce.0;
        let mut csp = format!(
            "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
             style-src 'self' 'nonce-{nonce}'; img-src 'self' data: blob:; font-src 'self'; \
             connect-src 'self'; frame-src {frame}; worker-src 'self'; manifest-src 'self'; \
             object-src 'none'; base-uri 'none'; \
             form-action 'self' https://checkout.stripe.com https://billing.stripe.com; \
             frame-ancestors {frame_ancestors}",
            frame = self.frame_src
        );
        if self.upgrade_insecure_requests {
            csp.push_str("; upgrade-insecure-requests");
        }
        csp
    }
}

const STATIC_HEADERS: [(HeaderName, &str); 7] = [
    (
        header::STRICT_TRANSPORT_SECURITY,
        "max-age=63072000; includeSubDomains",
    ),
    (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    (header::X_FRAME_OPTIONS, "DENY"),
    (
        HeaderName::from_static("permissions-policy"),
        "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    ),
    (
        HeaderName::from_static("cross-origin-opener-policy"),
        "same-origin",
    ),
    (
        HeaderName::from_static("cross-origin-resource-policy"),
        "same-origin",
    ),
    (header::REFERRER_POLICY, "strict-origin-when-cross-origin"),
];

/// Middleware: generates the nonce, then sets every header on the way out. A handler may choose a
/// stricter `Referrer-Policy` (token pages) or its own `Cache-Control`; everything else is fixed.
pub async fn security_headers(
    State(policy): State<Arc<SecurityPolicy>>,
    mut request: Request,
    next: Next,
) -> Response {
    let nonce = CspNonce::generate();
    request.extensions_mut().insert(nonce.clone());
    let mut response = next.run(request).await;
    // A document the app's own pages show in a frame (local-disk storage); nothing else may be
    // framed at all.
    let framed_by_self = response
        .extensions()
        .get::<super::files::SameOriginFrame>()
        .is_some();
    let headers = response.headers_mut();

    let ancestors = if framed_by_self { "'self'" } else { "'none'" };
    if let Ok(csp) = HeaderValue::from_str(&policy.content_security_policy(&nonce, ancestors)) {
        headers.insert(header::CONTENT_SECURITY_POLICY, csp);
    }
    for (name, value) in STATIC_HEADERS {
        if name == header::REFERRER_POLICY && headers.contains_key(&name) {
            continue;
        }
        let value = if name == header::X_FRAME_OPTIONS && framed_by_self {
            "SAMEORIGIN"
        } else {
            value
        };
        headers.insert(name, HeaderValue::from_static(value));
    }
    // Nothing is cacheable unless a handler said so (static assets do).
    headers
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    // CORS: none, ever.
    headers.remove(header::ACCESS_CONTROL_ALLOW_ORIGIN);
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csp_has_no_unsafe_inline_and_carries_the_nonce() {
        let policy = SecurityPolicy {
            upgrade_insecure_requests: true,
            frame_src: "'self'".into(),
        };
        let nonce = CspNonce::generate();
        let csp = policy.content_security_policy(&nonce, "'none'");
        assert!(csp.contains(&format!("'nonce-{}'", nonce.0)));
        assert!(!csp.contains("unsafe-inline") && !csp.contains("'unsafe-eval'"));
        assert!(csp.ends_with("upgrade-insecure-requests"));
        assert_ne!(CspNonce::generate().0, nonce.0);
        assert_eq!(nonce.0.len(), 22);
    }
}
