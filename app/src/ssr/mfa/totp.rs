//! RFC 6238 TOTP (SHA-1, 6 digits, 30 s, ±1 step) with totp-rs, and the enrolment QR code
//! rendered as SVG on the server (SPEC §2.6).

use base64::{Engine, engine::general_purpose::STANDARD};
use qrcode::{QrCode, render::svg};
use totp_rs::{Algorithm, Builder, Totp};

pub const ISSUER: &str = "けいかくん";
pub const STEP_SECONDS: u64 = 30;

/// 160 random bits.
pub fn new_secret() -> Vec<u8> {
    crate::ssr::crypto::random_bytes::<20>().to_vec()
}

fn totp(secret: &[u8], account: &str) -> Option<Totp> {
    Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(6)
        .with_skew(1)
        .with_step_duration(STEP_SECONDS)
        .with_secret(secret.to_vec())
        .with_issuer(Some(ISSUER))
        .with_account_name(account)
        .build()
        .ok()
}

/// The time step `code` is valid for (the current one or its neighbours), if any.
pub fn matching_step(secret: &[u8], code: &str, now_unix: u64) -> Option<i64> {
    let totp = totp(secret, "x")?;
    totp.check(code, now_unix)
        .and_then(|step| i64::try_from(step).ok())
}

/// `otpauth://totp/…` for authenticator apps.
pub fn otpauth_url(secret: &[u8], account: &str) -> String {
    totp(secret, account)
        .and_then(|t| t.to_url().ok())
        .unwrap_or_default()
}

/// The base32 secret in groups of four, for typing into an app by hand.
pub fn manual_key(secret: &[u8]) -> String {
    let base32 = totp(secret, "x")
        .map(|t| t.secret().to_base32())
        .unwrap_or_default();
    base32
        .as_bytes()
        .chunks(4)
        .map(|chunk| String::from_utf8_lossy(chunk).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The QR code of `url` as an SVG `data:` URL (the CSP allows `img-src data:`).
pub fn qr_data_url(url: &str) -> String {
    let Ok(code) = QrCode::new(url.as_bytes()) else {
        return String::new();
    };
    let image = code
        .render::<svg::Color<'_>>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build();
    format!("data:image/svg+xml;base64,{}", STANDARD.encode(image))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc6238_vector_and_window() {
        // RFC 6238 appendix B, SHA-1 secret "12345678901234567890", T = 59 → 94287082 (8 digits);
        // the 6-digit code is its last six digits.
        let secret = b"12345678901234567890";
        assert_eq!(matching_step(secret, "287082", 59), Some(1));
        // A code of the previous or next step is accepted, two steps away is not.
        assert_eq!(matching_step(secret, "287082", 59 + 30), Some(1));
        assert_eq!(matching_step(secret, "287082", 59 + 60), None);
        assert_eq!(matching_step(secret, "000000", 59), None);
    }

    #[test]
    fn enrolment_material() {
        let secret = new_secret();
        assert_eq!(secret.len(), 20);
        let url = otpauth_url(&secret, "taro@example.jp");
        assert!(url.starts_with("otpauth://totp/"), "{url}");
        assert!(
            url.contains("taro%40example.jp") || url.contains("taro@example.jp"),
            "{url}"
        );
        assert_eq!(manual_key(&secret).replace(' ', "").len(), 32);
        assert!(qr_data_url(&url).starts_with("data:image/svg+xml;base64,"));
    }
}
