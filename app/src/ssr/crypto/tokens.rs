//! 256-bit random tokens, sent to users once and stored as SHA-256 (SPEC §16.5).

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use rand::RngCore;
use sha2::{Digest, Sha256};

/// `N` bytes from the thread's CSPRNG (ChaCha, seeded and reseeded from the operating system).
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    rand::rng().fill_bytes(&mut bytes);
    bytes
}

pub fn sha256(data: &[u8]) -> Vec<u8> {
    Sha256::digest(data).to_vec()
}

/// The stored form of a token the user presents (as typed: base64url text).
pub fn token_hash(token: &str) -> Vec<u8> {
    sha256(token.as_bytes())
}

/// A fresh token: `value` goes to the user (link fragment, cookie), `hash` to the database.
pub struct NewToken {
    pub value: String,
    pub hash: Vec<u8>,
}

impl NewToken {
    pub fn generate() -> Self {
        let value = URL_SAFE_NO_PAD.encode(random_bytes::<32>());
        let hash = token_hash(&value);
        Self { value, hash }
    }
}

impl std::fmt::Debug for NewToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewToken(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_unique_and_hashed() {
        let a = NewToken::generate();
        let b = NewToken::generate();
        assert_eq!(a.value.len(), 43);
        assert_ne!(a.value, b.value);
        assert_eq!(a.hash, token_hash(&a.value));
        assert_eq!(a.hash.len(), 32);
        assert!(!format!("{a:?}").contains(&a.value));
    }
}
