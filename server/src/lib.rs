//! The keikakun server: configuration, state, the HTTP stack, the job runner and integrations.
//!
//! `main.rs` only turns the environment into a [`config::Config`] and runs an
//! [`startup::Application`]; integration tests build the same application on a random port.

pub mod admin_cli;
pub mod config;
pub mod db;
pub mod hibp;
pub mod http;
pub mod jobs;
pub mod keys;
pub mod mail_outbox;
pub mod seed;
pub mod shutdown;
pub mod startup;
pub mod storage;
pub mod telemetry;
