//! Plain data and validated types used on both sides of the wire.
//!
//! Rule of this crate: no I/O. Every type here builds for `wasm32-unknown-unknown` and the host, and
//! every validation rule exists here once: the browser runs it for instant feedback, the server runs
//! it again as the authority.

pub mod account;
pub mod approval;
pub mod assessment;
pub mod audit;
pub mod choice;
pub mod dashboard;
pub mod dates;
pub mod document;
pub mod error;
pub mod fields;
pub mod notice;
pub mod office;
pub mod password;
pub mod plan;
pub mod recipient;
pub mod roles;
pub mod service_type;
pub mod staff;
pub mod status;
pub mod text;
pub mod validity_preview;

pub use error::{AppError, ErrorCode, FieldError};
pub use roles::Role;
