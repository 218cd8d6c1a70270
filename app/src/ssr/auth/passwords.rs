//! Argon2id password hashing (SPEC §2.7): m = 19 MiB, t = 2, p = 1, a random salt per hash, on a
//! blocking thread so the async workers keep serving.

use super::super::ServerError;
use argon2::{Algorithm, Argon2, Params, PasswordHasher, PasswordVerifier, Version};

/// Memory in KiB, iterations, parallelism (OWASP's first Argon2id recommendation).
pub const ARGON2_M_KIB: u32 = 19 * 1024;
pub const ARGON2_T: u32 = 2;
pub const ARGON2_P: u32 = 1;

fn hasher() -> Argon2<'static> {
    let params = Params::new(ARGON2_M_KIB, ARGON2_T, ARGON2_P, None)
        .expect("constant Argon2 parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes synchronously (start-up: the dummy hash; tests).
pub fn hash_blocking(password: &str) -> String {
    hasher()
        .hash_password(password.as_bytes())
        .expect("Argon2 hashing with valid parameters does not fail")
        .to_string()
}

/// Verifies synchronously; a malformed stored hash counts as a mismatch.
pub fn verify_blocking(password: &str, stored_hash: &str) -> bool {
    hasher()
        .verify_password(password.as_bytes(), stored_hash)
        .is_ok()
}

pub async fn hash(password: String) -> Result<String, ServerError> {
    tokio::task::spawn_blocking(move || hash_blocking(&password))
        .await
        .map_err(|_| ServerError::Internal("password hashing task failed"))
}

pub async fn verify(password: String, stored_hash: String) -> Result<bool, ServerError> {
    tokio::task::spawn_blocking(move || verify_blocking(&password, &stored_hash))
        .await
        .map_err(|_| ServerError::Internal("password verification task failed"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_with_the_spec_parameters() {
        let hash = hash_blocking("Kz8#mq2!Lp");
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(verify_blocking("Kz8#mq2!Lp", &hash));
        assert!(!verify_blocking("Kz8#mq2!Lq", &hash));
        assert!(!verify_blocking("Kz8#mq2!Lp", "not a hash"));
        assert_ne!(hash, hash_blocking("Kz8#mq2!Lp"), "salted");
    }
}
