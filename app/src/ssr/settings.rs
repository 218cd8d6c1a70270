//! Security settings the account code needs, built once from configuration by the server.

use super::crypto::{DataKeys, JwtKeys, MacKey};
use std::fmt;
use url::Url;

/// Keys, cookie policy and the public origin. Lives in [`super::AppState`].
pub struct SecuritySettings {
    pub jwt_keys: JwtKeys,
    pub mac_key: MacKey,
    pub data_keys: DataKeys,
    /// `APP_BASE_URL`: links in e-mails and the origin state-changing requests must come from.
    pub base_url: Url,
    /// `Secure` and the `__Host-` prefix on cookies; off only for a plain-HTTP loopback base URL.
    pub secure_cookies: bool,
    /// Current versions of the terms of use and the privacy policy (SPEC §2.5).
    pub terms_version: String,
    pub privacy_version: String,
    /// How many proxies in front of the app append to `X-Forwarded-For` (0 = use the peer).
    pub trusted_proxy_hops: usize,
    /// A hash verified when the e-mail is unknown, so that both cases take the same time.
    pub dummy_password_hash: String,
    /// Multiplies the per-session request limits (1 in production; benchmarks raise it so that
    /// one session can drive the load, with the limit check itself still on every request).
    pub session_limit_scale: i32,
}

impl SecuritySettings {
    /// Checks `secret` against `stored` (a password or passphrase hash); without one, against the
    /// dummy hash, so that a missing account or passphrase takes as long and never matches.
    pub async fn verify_secret(
        &self,
        secret: &str,
        stored: Option<&str>,
    ) -> Result<bool, super::ServerError> {
        let matches = super::auth::passwords::verify(
            secret.to_owned(),
            stored.unwrap_or(&self.dummy_password_hash).to_owned(),
        )
        .await?;
        Ok(matches && stored.is_some())
    }

    /// The origin (`scheme://host[:port]`) of the base URL.
    pub fn origin(&self) -> String {
        self.base_url.origin().ascii_serialization()
    }

    /// An absolute link to `path` (which may carry a `#fragment`).
    pub fn link(&self, path: &str) -> String {
        format!("{}{path}", self.origin())
    }
}

impl fmt::Debug for SecuritySettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SecuritySettings")
            .field("base_url", &self.base_url.as_str())
            .field("secure_cookies", &self.secure_cookies)
            .field("terms_version", &self.terms_version)
            .field("privacy_version", &self.privacy_version)
            .field("trusted_proxy_hops", &self.trusted_proxy_hops)
            .finish_non_exhaustive()
    }
}
