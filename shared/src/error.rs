//! The error model every server function answers with (SPEC §0).
//!
//! Rule of this module: a client only ever sees an [`ErrorCode`], a Japanese message written for office
//! staff, per-field messages and, for `INTERNAL`, a correlation id to quote to support. Internal error
//! text (database, I/O, panics) never reaches this type; the server logs it and sends `INTERNAL`.

use serde::{Deserialize, Serialize};
use server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use std::fmt;

/// The closed list of error codes a client can receive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ErrorCode {
    Unauthenticated,
    Forbidden,
    NotFound,
    ValidationFailed,
    Conflict,
    StepOrderViolation,
    BillingReadOnly,
    RecipientLimitReached,
    MfaSetupRequired,
    TermsConsentRequired,
    RateLimited,
    AccountLocked,
    PayloadTooLarge,
    UnsupportedFile,
    Internal,
}

impl ErrorCode {
    /// Every code, in the order of SPEC §0 (used by tests and docs).
    pub const ALL: [ErrorCode; 15] = [
        Self::Unauthenticated,
        Self::Forbidden,
        Self::NotFound,
        Self::ValidationFailed,
        Self::Conflict,
        Self::StepOrderViolation,
        Self::BillingReadOnly,
        Self::RecipientLimitReached,
        Self::MfaSetupRequired,
        Self::TermsConsentRequired,
        Self::RateLimited,
        Self::AccountLocked,
        Self::PayloadTooLarge,
        Self::UnsupportedFile,
        Self::Internal,
    ];

    /// The wire name, e.g. `NOT_FOUND`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Unauthenticated => "UNAUTHENTICATED",
            Self::Forbidden => "FORBIDDEN",
            Self::NotFound => "NOT_FOUND",
            Self::ValidationFailed => "VALIDATION_FAILED",
            Self::Conflict => "CONFLICT",
            Self::StepOrderViolation => "STEP_ORDER_VIOLATION",
            Self::BillingReadOnly => "BILLING_READ_ONLY",
            Self::RecipientLimitReached => "RECIPIENT_LIMIT_REACHED",
            Self::MfaSetupRequired => "MFA_SETUP_REQUIRED",
            Self::TermsConsentRequired => "TERMS_CONSENT_REQUIRED",
            Self::RateLimited => "RATE_LIMITED",
            Self::AccountLocked => "ACCOUNT_LOCKED",
            Self::PayloadTooLarge => "PAYLOAD_TOO_LARGE",
            Self::UnsupportedFile => "UNSUPPORTED_FILE",
            Self::Internal => "INTERNAL",
        }
    }

    /// The HTTP status the server answers with for this code.
    pub const fn http_status(self) -> u16 {
        match self {
            Self::Unauthenticated => 401,
            Self::Forbidden | Self::MfaSetupRequired | Self::TermsConsentRequired => 403,
            Self::NotFound => 404,
            Self::ValidationFailed => 422,
            Self::Conflict | Self::StepOrderViolation => 409,
            Self::BillingReadOnly | Self::RecipientLimitReached => 402,
            Self::RateLimited => 429,
            Self::AccountLocked => 423,
            Self::PayloadTooLarge => 413,
            Self::UnsupportedFile => 415,
            Self::Internal => 500,
        }
    }

    /// The message shown when the caller has nothing more specific to say.
    pub const fn default_message(self) -> &'static str {
        match self {
            Self::Unauthenticated => "ログインの有効期限が切れました。再度ログインしてください",
            Self::Forbidden => "この操作を行う権限がありません",
            Self::NotFound => "対象のデータが見つかりません",
            Self::ValidationFailed => {
                "入力内容に誤りがあります。各項目のメッセージをご確認ください"
            }
            Self::Conflict => {
                "他の操作と重なったため保存できませんでした。画面を再読み込みしてから再度お試しください"
            }
            Self::StepOrderViolation => "手続きの順序または日付の前後関係に誤りがあります",
            Self::BillingReadOnly => "現在のご契約状況では、この操作はできません",
            Self::RecipientLimitReached => "登録できる利用者数の上限に達しています",
            Self::MfaSetupRequired => "利用者を登録・編集するには、2段階認証の設定が必要です。",
            Self::TermsConsentRequired => "最新の利用規約への同意が必要です",
            Self::RateLimited => "操作が多すぎます。しばらくしてから再度お試しください",
            Self::AccountLocked => {
                "ログインが一時的に制限されています。しばらくしてから再度お試しください"
            }
            Self::PayloadTooLarge => "ファイルサイズは10MBまでです",
            Self::UnsupportedFile => "PDFファイルのみアップロードできます",
            Self::Internal => "エラーが発生しました。時間をおいて再度お試しください",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A message about one input field, shown beside that field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// The field's name as the form and the server function call it (e.g. `start_date`).
    pub field: String,
    /// Japanese, polite, without technical terms.
    pub message_ja: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message_ja: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message_ja: message_ja.into(),
        }
    }
}

/// What a client receives when a server function fails.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{code}: {message_ja}")]
pub struct AppError {
    pub code: ErrorCode,
    pub message_ja: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub field_errors: Vec<FieldError>,
    /// Seconds until a retry may succeed (`RATE_LIMITED`, `ACCOUNT_LOCKED`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after_s: Option<u32>,
    /// For `INTERNAL`: the id under which the server logged the cause, for the user to quote.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correlation_id: Option<String>,
}

/// Message shown when the browser could not reach the server at all.
pub const NETWORK_ERROR_MESSAGE: &str =
    "サーバーに接続できませんでした。通信環境をご確認のうえ、再度お試しください";

/// Message shown when a request could not be read by the server (malformed or outdated form).
pub const UNREADABLE_REQUEST_MESSAGE: &str =
    "送信内容を読み取れませんでした。画面を再読み込みしてから再度お試しください";

impl AppError {
    /// An error with the code's default message.
    pub fn new(code: ErrorCode) -> Self {
        Self::with_message(code, code.default_message())
    }

    /// An error with a case-specific message.
    pub fn with_message(code: ErrorCode, message_ja: impl Into<String>) -> Self {
        Self {
            code,
            message_ja: message_ja.into(),
            field_errors: Vec::new(),
            retry_after_s: None,
            correlation_id: None,
        }
    }

    /// `VALIDATION_FAILED` carrying one message per field.
    pub fn validation(field_errors: Vec<FieldError>) -> Self {
        Self {
            field_errors,
            ..Self::new(ErrorCode::ValidationFailed)
        }
    }

    /// `NOT_FOUND`: also the answer for another office's rows (never reveal existence).
    pub fn not_found() -> Self {
        Self::new(ErrorCode::NotFound)
    }

    /// `INTERNAL` with the correlation id under which the cause was logged.
    pub fn internal(correlation_id: impl Into<String>) -> Self {
        Self {
            correlation_id: Some(correlation_id.into()),
            ..Self::new(ErrorCode::Internal)
        }
    }

    /// `RATE_LIMITED` with the time until the window reopens.
    pub fn rate_limited(retry_after_s: u32) -> Self {
        Self {
            retry_after_s: Some(retry_after_s),
            ..Self::new(ErrorCode::RateLimited)
        }
    }

    /// `ACCOUNT_LOCKED` naming the minutes to wait (rounded up).
    pub fn account_locked(retry_after_s: u32) -> Self {
        let minutes = retry_after_s.div_ceil(60).max(1);
        Self {
            retry_after_s: Some(retry_after_s),
            ..Self::with_message(
                ErrorCode::AccountLocked,
                format!("ログインが一時的に制限されています。{minutes}分後に再度お試しください"),
            )
        }
    }

    /// The message for one field, if the error carries one.
    pub fn field_message(&self, field: &str) -> Option<&str> {
        self.field_errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message_ja.as_str())
    }

    /// The whole text to show a user: the message, plus the inquiry number for `INTERNAL`.
    pub fn user_message(&self) -> String {
        match &self.correlation_id {
            Some(id) => format!("{}（お問い合わせ番号: {id}）", self.message_ja),
            None => self.message_ja.clone(),
        }
    }
}

/// Failures of the server-function transport itself (network, encoding). Their English detail is
/// dropped here on purpose: it is never shown to a user.
impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Request(_) => {
                Self::with_message(ErrorCode::Internal, NETWORK_ERROR_MESSAGE)
            }
            // A request body the server cannot read is the client's problem, never an INTERNAL.
            ServerFnErrorErr::Args(_)
            | ServerFnErrorErr::MissingArg(_)
            | ServerFnErrorErr::Deserialization(_)
            | ServerFnErrorErr::UnsupportedRequestMethod(_) => {
                Self::with_message(ErrorCode::ValidationFailed, UNREADABLE_REQUEST_MESSAGE)
            }
            ServerFnErrorErr::Registration(_)
            | ServerFnErrorErr::ServerError(_)
            | ServerFnErrorErr::MiddlewareError(_)
            | ServerFnErrorErr::Serialization(_)
            | ServerFnErrorErr::Response(_) => Self::new(ErrorCode::Internal),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_match_the_spec() {
        for code in ErrorCode::ALL {
            let json = serde_json::to_string(&code).unwrap();
            assert_eq!(json, format!("\"{}\"", code.as_str()));
            let back: ErrorCode = serde_json::from_str(&json).unwrap();
            assert_eq!(back, code);
        }
    }

    #[test]
    fn statuses_follow_the_spec_table() {
        use ErrorCode::*;
        let expected = [
            (Unauthenticated, 401),
            (Forbidden, 403),
            (NotFound, 404),
            (ValidationFailed, 422),
            (Conflict, 409),
            (StepOrderViolation, 409),
            (BillingReadOnly, 402),
            (RecipientLimitReached, 402),
            (MfaSetupRequired, 403),
            (TermsConsentRequired, 403),
            (RateLimited, 429),
            (AccountLocked, 423),
            (PayloadTooLarge, 413),
            (UnsupportedFile, 415),
            (Internal, 500),
        ];
        assert_eq!(expected.len(), ErrorCode::ALL.len());
        for (code, status) in expected {
            assert_eq!(code.http_status(), status, "{code}");
        }
    }

    #[test]
    fn every_default_message_is_japanese() {
        for code in ErrorCode::ALL {
            let message = code.default_message();
            assert!(
                message
                    .chars()
                    .any(|c| ('\u{3040}'..='\u{30ff}').contains(&c)),
                "{code}: {message}"
            );
        }
    }

    #[test]
    fn json_shape_is_stable() {
        let err = AppError::validation(vec![FieldError::new("start_date", "入力してください")]);
        let json = serde_json::to_value(&err).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "code": "VALIDATION_FAILED",
                "message_ja": ErrorCode::ValidationFailed.default_message(),
                "field_errors": [{"field": "start_date", "message_ja": "入力してください"}],
            })
        );
        let back: AppError = serde_json::from_value(json).unwrap();
        assert_eq!(back, err);
    }

    #[test]
    fn transport_detail_never_reaches_the_message() {
        let secret = "connection refused to 10.0.0.5:5432 password=hunter2";
        let variants = [
            ServerFnErrorErr::Request(secret.into()),
            ServerFnErrorErr::Args(secret.into()),
            ServerFnErrorErr::ServerError(secret.into()),
            ServerFnErrorErr::Deserialization(secret.into()),
        ];
        for variant in variants {
            let err = AppError::from_server_fn_error(variant);
            let json = serde_json::to_string(&err).unwrap();
            assert!(
                !json.contains("hunter2") && !json.contains("10.0.0.5"),
                "{json}"
            );
        }
    }

    #[test]
    fn lockout_message_rounds_minutes_up() {
        assert!(AppError::account_locked(61).message_ja.contains("2分後"));
        assert!(AppError::account_locked(1).message_ja.contains("1分後"));
        assert_eq!(AppError::account_locked(61).retry_after_s, Some(61));
    }

    #[test]
    fn internal_errors_show_the_inquiry_number() {
        let err = AppError::internal("abc-123");
        assert!(err.user_message().contains("abc-123"));
        assert_eq!(err.code.http_status(), 500);
    }
}
