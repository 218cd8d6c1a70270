//! `keikakun`: runs the web application.
//!
//! Exit codes: 0 after a clean shutdown, 1 when start-up or serving fails, 2 for bad configuration.

use server::{config::Config, shutdown, startup::Application, telemetry};
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(error) => {
            eprintln!("keikakun: {error}");
            return ExitCode::from(2);
        }
    };
    telemetry::init(&config);

    let result = match Application::build(config).await {
        Ok(app) => app.run_until_stopped(shutdown::signal()).await,
        Err(error) => Err(error),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(error = %error, "keikakun stopped with an error");
            eprintln!("keikakun: {error}");
            ExitCode::from(1)
        }
    }
}
