//! Logging set-up: human-readable lines by default, JSON lines with `LOG_FORMAT=json`.
//!
//! Rule: logs carry ids, codes and timings — never personal data, tokens or secrets. Request spans
//! record the path without its query string for that reason.

use crate::config::{Config, LogFormat};
use tracing_subscriber::{EnvFilter, fmt, fmt::MakeWriter, prelude::*};

/// Installs the global subscriber, writing to standard output. Safe to call more than once
/// (tests): later calls do nothing.
pub fn init(config: &Config) {
    install(config, std::io::stdout);
}

/// For operator commands (`keikakun admin …`): logs go to standard error, so standard output
/// holds only the command's result.
pub fn init_for_command(config: &Config) {
    install(config, std::io::stderr);
}

fn install<W>(config: &Config, writer: W)
where
    W: for<'a> MakeWriter<'a> + Send + Sync + 'static,
{
    let filter = EnvFilter::try_new(&config.log_filter).unwrap_or_else(|_| EnvFilter::new("info"));
    let registry = tracing_subscriber::registry().with(filter);
    let _ = match config.log_format {
        LogFormat::Json => registry
            .with(
                fmt::layer()
                    .json()
                    .flatten_event(true)
                    .with_current_span(true)
                    .with_writer(writer),
            )
            .try_init(),
        LogFormat::Text => registry
            .with(fmt::layer().with_target(false).with_writer(writer))
            .try_init(),
    };
}
