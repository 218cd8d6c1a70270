//! Key material from configuration: JWT signing keys with ids (rotation) and the MAC key.

use base64::{Engine, engine::general_purpose::STANDARD};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use std::fmt;

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum KeyParseError {
    #[error("expected `id:base64` entries separated by commas")]
    Shape,
    #[error("a key must be at least 32 bytes")]
    TooShort,
    #[error("key ids must be unique")]
    DuplicateId,
}

/// `id:base64,id:base64,…` → keys in order (the first one is used for new values).
pub fn parse_keyring(text: &str) -> Result<Vec<(String, Vec<u8>)>, KeyParseError> {
    let mut keys: Vec<(String, Vec<u8>)> = Vec::new();
    for entry in text.split(',').map(str::trim).filter(|e| !e.is_empty()) {
        let (id, value) = entry.split_once(':').ok_or(KeyParseError::Shape)?;
        if id.is_empty() || id.len() > 16 || !id.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(KeyParseError::Shape);
        }
        let bytes = STANDARD
            .decode(value.trim())
            .map_err(|_| KeyParseError::Shape)?;
        if bytes.len() < 32 {
            return Err(KeyParseError::TooShort);
        }
        if keys.iter().any(|(existing, _)| existing == id) {
            return Err(KeyParseError::DuplicateId);
        }
        keys.push((id.to_owned(), bytes));
    }
    if keys.is_empty() {
        return Err(KeyParseError::Shape);
    }
    Ok(keys)
}

/// HS256 keys for access tokens (SPEC §2.4): the first signs, all verify (by `kid`).
#[derive(Clone)]
pub struct JwtKeys {
    pub(crate) keys: Vec<(String, Vec<u8>)>,
}

impl JwtKeys {
    pub fn parse(text: &str) -> Result<Self, KeyParseError> {
        Ok(Self {
            keys: parse_keyring(text)?,
        })
    }

    pub(crate) fn signing(&self) -> (&str, &[u8]) {
        let (id, key) = &self.keys[0];
        (id, key)
    }

    pub(crate) fn by_id(&self, id: &str) -> Option<&[u8]> {
        self.keys
            .iter()
            .find(|(kid, _)| kid == id)
            .map(|(_, k)| k.as_slice())
    }
}

impl fmt::Debug for JwtKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "JwtKeys({} keys)", self.keys.len())
    }
}

/// The HMAC-SHA256 key for CSRF tokens and e-mail lookups (`KK_HMAC_KEY`).
#[derive(Clone)]
pub struct MacKey(Vec<u8>);

impl MacKey {
    pub fn parse(text: &str) -> Result<Self, KeyParseError> {
        let bytes = STANDARD
            .decode(text.trim())
            .map_err(|_| KeyParseError::Shape)?;
        if bytes.len() < 32 {
            return Err(KeyParseError::TooShort);
        }
        Ok(Self(bytes))
    }

    /// HMAC over `purpose` and `data`, so one key serves several purposes without collisions.
    pub fn sign(&self, purpose: &str, data: &[u8]) -> Vec<u8> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC takes any key length");
        mac.update(purpose.as_bytes());
        mac.update(&[0]);
        mac.update(data);
        mac.finalize().into_bytes().to_vec()
    }

    /// Constant-time comparison of a presented MAC.
    pub fn verify(&self, purpose: &str, data: &[u8], presented: &[u8]) -> bool {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC takes any key length");
        mac.update(purpose.as_bytes());
        mac.update(&[0]);
        mac.update(data);
        mac.verify_slice(presented).is_ok()
    }
}

impl fmt::Debug for MacKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MacKey(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keyrings() {
        let key = STANDARD.encode([7u8; 32]);
        let ring = parse_keyring(&format!("k2:{key}, k1:{key}")).unwrap();
        assert_eq!(ring[0].0, "k2");
        assert_eq!(
            parse_keyring(&format!("k1:{}", STANDARD.encode([1u8; 8]))),
            Err(KeyParseError::TooShort)
        );
        assert_eq!(
            parse_keyring(&format!("k1:{key},k1:{key}")),
            Err(KeyParseError::DuplicateId)
        );
        assert_eq!(parse_keyring("nonsense"), Err(KeyParseError::Shape));
    }

    #[test]
    fn macs_verify_only_for_the_same_purpose_and_data() {
        let key = MacKey::parse(&STANDARD.encode([9u8; 32])).unwrap();
        let tag = key.sign("csrf", b"session");
        assert!(key.verify("csrf", b"session", &tag));
        assert!(!key.verify("email", b"session", &tag));
        assert!(!key.verify("csrf", b"other", &tag));
    }
}
