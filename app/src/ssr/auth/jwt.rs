//! The short-lived access token (SPEC §2.4): HS256 with a `kid`, 15 minutes, bound to a session.

use crate::ssr::crypto::JwtKeys;
use jsonwebtoken::{
    Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, decode_header, encode,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub const ACCESS_TOKEN_SECONDS: i64 = 15 * 60;
const ISSUER: &str = "keikakun";
const AUDIENCE: &str = "keikakun-web";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessClaims {
    pub sub: Uuid,
    pub sid: Uuid,
    pub iat: i64,
    pub exp: i64,
    pub iss: String,
    pub aud: String,
}

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum AccessTokenError {
    #[error("the access token has expired")]
    Expired,
    #[error("the access token is not valid")]
    Invalid,
}

pub fn issue(keys: &JwtKeys, staff_id: Uuid, session_id: Uuid, now: i64) -> String {
    let (kid, key) = keys.signing();
    let header = Header {
        kid: Some(kid.to_owned()),
        ..Header::new(Algorithm::HS256)
    };
    let claims = AccessClaims {
        sub: staff_id,
        sid: session_id,
        iat: now,
        exp: now + ACCESS_TOKEN_SECONDS,
        iss: ISSUER.to_owned(),
        aud: AUDIENCE.to_owned(),
    };
    encode(&header, &claims, &EncodingKey::from_secret(key))
        .expect("HS256 encoding of plain claims does not fail")
}

/// Checks signature (only HS256, only known key ids), expiry, issuer and audience.
pub fn verify(keys: &JwtKeys, token: &str) -> Result<AccessClaims, AccessTokenError> {
    let header = decode_header(token).map_err(|_| AccessTokenError::Invalid)?;
    if header.alg != Algorithm::HS256 {
        return Err(AccessTokenError::Invalid);
    }
    let key = header
        .kid
        .as_deref()
        .and_then(|kid| keys.by_id(kid))
        .ok_or(AccessTokenError::Invalid)?;
    let mut validation = Validation::new(Algorithm::HS256);
    validation.leeway = 5;
    validation.set_issuer(&[ISSUER]);
    validation.set_audience(&[AUDIENCE]);
    validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
    decode::<AccessClaims>(token, &DecodingKey::from_secret(key), &validation)
        .map(|data| data.claims)
        .map_err(|error| match error.kind() {
            jsonwebtoken::errors::ErrorKind::ExpiredSignature => AccessTokenError::Expired,
            _ => AccessTokenError::Invalid,
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::{
        Engine,
        engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD},
    };

    fn keys(spec: &str) -> JwtKeys {
        JwtKeys::parse(spec).unwrap()
    }

    fn ring(ids: &[(&str, u8)]) -> JwtKeys {
        keys(
            &ids.iter()
                .map(|(id, b)| format!("{id}:{}", STANDARD.encode([*b; 32])))
                .collect::<Vec<_>>()
                .join(","),
        )
    }

    fn now() -> i64 {
        time::OffsetDateTime::now_utc().unix_timestamp()
    }

    #[test]
    fn round_trip_and_rotation() {
        let (staff, session) = (Uuid::new_v4(), Uuid::new_v4());
        let old = ring(&[("a", 1)]);
        let token = issue(&old, staff, session, now());
        let claims = verify(&old, &token).unwrap();
        assert_eq!((claims.sub, claims.sid), (staff, session));
        // Still accepted after a new signing key was added in front.
        assert!(verify(&ring(&[("b", 2), ("a", 1)]), &token).is_ok());
        // Refused once the old key is gone, or with another key under the same id.
        assert_eq!(
            verify(&ring(&[("b", 2)]), &token),
            Err(AccessTokenError::Invalid)
        );
        assert_eq!(
            verify(&ring(&[("a", 3)]), &token),
            Err(AccessTokenError::Invalid)
        );
    }

    #[test]
    fn expired_tampered_and_alg_none_are_refused() {
        let keys = ring(&[("a", 1)]);
        let expired = issue(&keys, Uuid::new_v4(), Uuid::new_v4(), now() - 3600);
        assert_eq!(verify(&keys, &expired), Err(AccessTokenError::Expired));

        let token = issue(&keys, Uuid::new_v4(), Uuid::new_v4(), now());
        let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
        let mut claims: serde_json::Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(&parts[1]).unwrap()).unwrap();
        claims["sub"] = serde_json::json!(Uuid::new_v4());
        parts[1] = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims).unwrap());
        assert_eq!(
            verify(&keys, &parts.join(".")),
            Err(AccessTokenError::Invalid)
        );

        let none_header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT","kid":"a"}"#);
        let unsigned = format!("{none_header}.{}.", parts[1]);
        assert_eq!(verify(&keys, &unsigned), Err(AccessTokenError::Invalid));
        assert_eq!(verify(&keys, "garbage"), Err(AccessTokenError::Invalid));
    }
}
