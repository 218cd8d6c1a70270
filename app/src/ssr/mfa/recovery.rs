//! Recovery codes (SPEC §2.6): ten single-use codes of 16 symbols (80 bits), stored as SHA-256.

use crate::ssr::{
    ServerError,
    crypto::{random_bytes, sha256},
};
use shared::account::{RECOVERY_ALPHABET, format_recovery_code};
use sqlx::PgConnection;
use uuid::Uuid;

pub const CODE_COUNT: usize = 10;

/// A fresh code in canonical form (no hyphens). 256 is a multiple of 32, so `byte % 32` is unbiased.
fn new_code() -> String {
    random_bytes::<16>()
        .iter()
        .map(|b| RECOVERY_ALPHABET[usize::from(*b) % 32] as char)
        .collect()
}

/// Replaces every code of `staff_id` with ten new ones; returns them formatted for display.
pub async fn replace(conn: &mut PgConnection, staff_id: Uuid) -> Result<Vec<String>, ServerError> {
    sqlx::query!(
        "delete from mfa_recovery_codes where staff_id = $1",
        staff_id
    )
    .execute(&mut *conn)
    .await?;
    let codes: Vec<String> = (0..CODE_COUNT).map(|_| new_code()).collect();
    let hashes: Vec<Vec<u8>> = codes.iter().map(|c| sha256(c.as_bytes())).collect();
    sqlx::query!(
        "insert into mfa_recovery_codes (staff_id, code_hash) select $1, unnest($2::bytea[])",
        staff_id,
        &hashes,
    )
    .execute(&mut *conn)
    .await?;
    Ok(codes.iter().map(|c| format_recovery_code(c)).collect())
}

/// Uses one code (canonical form); `Some(remaining)` when it was valid and unused.
pub async fn consume(
    conn: &mut PgConnection,
    staff_id: Uuid,
    code: &str,
) -> Result<Option<i64>, ServerError> {
    let used = sqlx::query!(
        "update mfa_recovery_codes set used_at = now()
         where staff_id = $1 and code_hash = $2 and used_at is null",
        staff_id,
        sha256(code.as_bytes()),
    )
    .execute(&mut *conn)
    .await?;
    if used.rows_affected() != 1 {
        return Ok(None);
    }
    let remaining = sqlx::query_scalar!(
        r#"select count(*) as "n!" from mfa_recovery_codes where staff_id = $1 and used_at is null"#,
        staff_id
    )
    .fetch_one(&mut *conn)
    .await?;
    Ok(Some(remaining))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_use_the_alphabet() {
        let code = new_code();
        assert_eq!(code.len(), 16);
        assert!(code.bytes().all(|b| RECOVERY_ALPHABET.contains(&b)));
        assert_eq!(
            shared::account::parse_recovery_code(&format_recovery_code(&code)).unwrap(),
            code
        );
    }
}
