//! Server-side half of the server-function boundary (compiled only with the `ssr` feature).
//!
//! Rule of this module tree: server functions in `crate::api` stay thin — who is calling, may they
//! do this — and call the plain async functions here, which take what they need as arguments.

pub mod accounts;
pub mod assessment;
pub mod audit;
pub mod audit_view;
pub mod auth;
pub mod breach;
pub mod crypto;
pub mod dashboard;
pub mod documents;
mod error;
pub mod health;
pub mod invitations;
pub mod limits;
pub mod mail;
pub mod mfa;
pub mod notices;
pub mod office;
pub mod plan;
pub mod recipients;
mod request;
pub mod role_requests;
pub mod settings;
pub mod staff;
mod state;
pub mod storage;
pub mod tenant;

pub use error::ServerError;
pub use request::{REQUEST_ID_HEADER, app_state, correlation_id};
pub use state::{AppState, Readiness};
