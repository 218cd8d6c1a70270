//! AES-256-GCM for secrets at rest (SPEC §16.5): `kid ‖ nonce ‖ ciphertext ‖ tag`, with the
//! table, column and row id as associated data so a value cannot be moved to another row.

use super::keys::{KeyParseError, parse_keyring};
use aes_gcm::{
    Aes256Gcm, Key, Nonce,
    aead::{Aead, KeyInit, Payload},
};
use std::fmt;

#[derive(Clone)]
pub struct DataKeys {
    keys: Vec<(String, Vec<u8>)>,
}

#[derive(Debug, thiserror::Error)]
#[error("the stored value cannot be decrypted (unknown key id or tampered data)")]
pub struct DecryptError;

impl DataKeys {
    /// `KK_DATA_KEYS`: `id:base64(32 bytes),…`; the first encrypts, all decrypt.
    pub fn parse(text: &str) -> Result<Self, KeyParseError> {
        let keys = parse_keyring(text)?;
        if keys.iter().any(|(_, k)| k.len() != 32) {
            return Err(KeyParseError::TooShort);
        }
        Ok(Self { keys })
    }

    fn cipher(key: &[u8]) -> Aes256Gcm {
        let key: [u8; 32] = key.try_into().expect("checked at parse");
        Aes256Gcm::new(&Key::<Aes256Gcm>::from(key))
    }

    /// `aad` names where the value lives, e.g. `staffs:mfa_secret:{id}`.
    pub fn encrypt(&self, plaintext: &[u8], aad: &str) -> Vec<u8> {
        let (id, key) = &self.keys[0];
        let nonce_bytes = super::random_bytes::<12>();
        let ciphertext = Self::cipher(key)
            .encrypt(
                &Nonce::from(nonce_bytes),
                Payload {
                    msg: plaintext,
                    aad: aad.as_bytes(),
                },
            )
            .expect("AES-GCM encryption of a small value cannot fail");
        let mut out = Vec::with_capacity(1 + id.len() + 12 + ciphertext.len());
        out.push(id.len() as u8);
        out.extend_from_slice(id.as_bytes());
        out.extend_from_slice(&nonce_bytes);
        out.extend_from_slice(&ciphertext);
        out
    }

    pub fn decrypt(&self, stored: &[u8], aad: &str) -> Result<Vec<u8>, DecryptError> {
        let (&id_len, rest) = stored.split_first().ok_or(DecryptError)?;
        let id_len = usize::from(id_len);
        if rest.len() < id_len + 12 + 16 {
            return Err(DecryptError);
        }
        let (id, rest) = rest.split_at(id_len);
        let (nonce, ciphertext) = rest.split_at(12);
        let key = self
            .keys
            .iter()
            .find(|(kid, _)| kid.as_bytes() == id)
            .map(|(_, k)| k)
            .ok_or(DecryptError)?;
        let nonce: [u8; 12] = nonce.try_into().map_err(|_| DecryptError)?;
        Self::cipher(key)
            .decrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: ciphertext,
                    aad: aad.as_bytes(),
                },
            )
            .map_err(|_| DecryptError)
    }
}

impl fmt::Debug for DataKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DataKeys({} keys)", self.keys.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::{Engine, engine::general_purpose::STANDARD};

    fn keys(spec: &[(&str, u8)]) -> DataKeys {
        let text = spec
            .iter()
            .map(|(id, b)| format!("{id}:{}", STANDARD.encode([*b; 32])))
            .collect::<Vec<_>>()
            .join(",");
        DataKeys::parse(&text).unwrap()
    }

    #[test]
    fn round_trip_rotation_and_binding() {
        let old = keys(&[("a", 1)]);
        let stored = old.encrypt(b"secret", "staffs:mfa_secret:1");
        assert_eq!(
            old.decrypt(&stored, "staffs:mfa_secret:1").unwrap(),
            b"secret"
        );
        // Another row's AAD is refused.
        assert!(old.decrypt(&stored, "staffs:mfa_secret:2").is_err());
        // After rotation the old value still decrypts; new values use the new key.
        let rotated = keys(&[("b", 2), ("a", 1)]);
        assert_eq!(
            rotated.decrypt(&stored, "staffs:mfa_secret:1").unwrap(),
            b"secret"
        );
        assert_eq!(rotated.encrypt(b"x", "t")[1], b'b');
        // Tampering is detected.
        let mut tampered = stored.clone();
        *tampered.last_mut().unwrap() ^= 1;
        assert!(old.decrypt(&tampered, "staffs:mfa_secret:1").is_err());
        assert!(
            keys(&[("c", 3)])
                .decrypt(&stored, "staffs:mfa_secret:1")
                .is_err()
        );
    }
}
