//! The (server) password rule "not found in Have I Been Pwned" (SPEC §2.7), behind a trait so
//! the server decides the client (and tests use a local fake service).

use futures::future::BoxFuture;
use shared::{AppError, FieldError};

pub const BREACHED_MESSAGE: &str = "このパスワードは過去に流出したことが確認されているため使用できません。別のパスワードを入力してください";

pub trait BreachCheck: Send + Sync + std::fmt::Debug {
    /// `Ok` unless the password is known to be breached. Network problems must answer `Ok`
    /// (and be logged by the implementation): the rule fails open.
    fn check<'a>(&'a self, password: &'a str) -> BoxFuture<'a, Result<(), AppError>>;
}

/// The refusal every implementation returns.
pub fn breached(field: &str) -> AppError {
    AppError::validation(vec![FieldError::new(field, BREACHED_MESSAGE)])
}

/// Used when the check is switched off in configuration.
#[derive(Debug, Default)]
pub struct NoBreachCheck;

impl BreachCheck for NoBreachCheck {
    fn check<'a>(&'a self, _password: &'a str) -> BoxFuture<'a, Result<(), AppError>> {
        Box::pin(async { Ok(()) })
    }
}
