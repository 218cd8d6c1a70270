//! Keys and the small cryptographic building blocks the account code uses.
//!
//! Rule: random values come from a CSPRNG seeded by the operating system; tokens are stored only as SHA-256; nothing in
//! this module logs or formats a secret.

mod data_key;
mod keys;
mod tokens;

pub use data_key::{DataKeys, DecryptError};
pub use keys::{JwtKeys, KeyParseError, MacKey};
pub use tokens::{NewToken, random_bytes, sha256, token_hash};
