//! TOTP and recovery codes as the user types them (SPEC §2.6).

use serde::{Deserialize, Serialize};

/// The alphabet of recovery codes: 32 symbols without the ambiguous `0 O 1 I` (5 bits each).
pub const RECOVERY_ALPHABET: &[u8; 32] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/// What the user typed at the second login step: a 6-digit TOTP code or a recovery code.
#[derive(Clone, PartialEq, Eq)]
pub enum SecondFactor {
    Totp(String),
    Recovery(String),
}

impl std::fmt::Debug for SecondFactor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Totp(_) => f.write_str("Totp(***)"),
            Self::Recovery(_) => f.write_str("Recovery(***)"),
        }
    }
}

/// A TOTP code: six digits (full-width digits and spaces allowed while typing).
pub fn parse_totp_code(input: &str) -> Result<String, &'static str> {
    let digits: String = crate::text::halfwidth_numeric(input)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if digits.len() == 6 && digits.chars().all(|c| c.is_ascii_digit()) {
        Ok(digits)
    } else {
        Err("6桁の数字を入力してください")
    }
}

/// A recovery code in canonical form (16 symbols, upper case, no hyphens).
pub fn parse_recovery_code(input: &str) -> Result<String, &'static str> {
    let code: String = input
        .chars()
        .filter(|c| !matches!(c, '-' | ' ' | '\u{3000}' | '－'))
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if code.len() == 16 && code.bytes().all(|b| RECOVERY_ALPHABET.contains(&b)) {
        Ok(code)
    } else {
        Err("リカバリーコードの形式が正しくありません")
    }
}

impl SecondFactor {
    pub fn parse(input: &str) -> Result<Self, &'static str> {
        if let Ok(code) = parse_totp_code(input) {
            return Ok(Self::Totp(code));
        }
        parse_recovery_code(input)
            .map(Self::Recovery)
            .map_err(|_| "認証アプリの6桁のコード、またはリカバリーコードを入力してください")
    }
}

/// `XXXX-XXXX-XXXX-XXXX`, for display.
pub fn format_recovery_code(code: &str) -> String {
    code.as_bytes()
        .chunks(4)
        .map(|chunk| String::from_utf8_lossy(chunk).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

/// What the enrolment screen shows: the QR code (an SVG image) and the key for manual entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MfaEnrolment {
    /// `data:image/svg+xml;base64,…` rendered on the server.
    pub qr_data_url: String,
    /// The base32 secret in groups of four.
    pub manual_key: String,
}

/// Recovery codes, shown once right after they are made.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecoveryCodes(pub Vec<String>);

impl std::fmt::Debug for RecoveryCodes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "RecoveryCodes({} codes)", self.0.len())
    }
}

/// First-time setup at login finished: the codes to show once, then where to go.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MfaSetupDone {
    pub recovery_codes: RecoveryCodes,
    pub redirect_to: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes() {
        assert_eq!(parse_totp_code("１２３ ４５６").unwrap(), "123456");
        assert!(parse_totp_code("12345").is_err());
        assert_eq!(
            parse_recovery_code("abcd-efgh-jkmn-pq23").unwrap(),
            "ABCDEFGHJKMNPQ23"
        );
        assert!(
            parse_recovery_code("ABCD-EFGH-JKMN-PQ20").is_err(),
            "0 is not in the alphabet"
        );
        assert!(matches!(
            SecondFactor::parse("123456"),
            Ok(SecondFactor::Totp(_))
        ));
        assert!(matches!(
            SecondFactor::parse("ABCDEFGHJKMNPQ23"),
            Ok(SecondFactor::Recovery(_))
        ));
        assert_eq!(
            format_recovery_code("ABCDEFGHJKMNPQ23"),
            "ABCD-EFGH-JKMN-PQ23"
        );
    }
}
