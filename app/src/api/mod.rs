//! Every server function, one module per area. Each is a public HTTP endpoint with a stable URL
//! under `/api` (listed in `docs/API.md`); the first lines of each say who may call it.

pub mod account;
pub mod app_admin;
pub mod approvals;
pub mod assessment;
pub mod audit;
pub mod auth;
mod client;
pub mod dashboard;
pub mod documents;
pub mod health;
pub mod mfa;
pub mod notices;
pub mod office;
pub mod plan;
pub mod recipients;
pub mod role_requests;
pub mod staff;

pub use client::CsrfClient;
