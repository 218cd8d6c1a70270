//! Server-side half of the server-function boundary (compiled only with the `ssr` feature).
//!
//! Rule of this module tree: server functions in `crate::api` stay thin — who is calling, may they
//! do this — and call the plain async functions here, which take what they need as arguments.

mod error;
pub mod health;
mod request;
mod state;

pub use error::ServerError;
pub use request::{REQUEST_ID_HEADER, app_state, correlation_id};
pub use state::{AppState, Readiness};
