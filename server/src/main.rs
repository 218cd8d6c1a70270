//! `keikakun`: runs the web application, or one of the operator commands.
//!
//! Exit codes: 0 after a clean shutdown or a successful command, 1 when start-up, serving or a
//! command fails, 2 for bad configuration or arguments.

use clap::{Parser, Subcommand};
use server::{admin_cli, config::Config, seed, shutdown, startup::Application, telemetry};
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "keikakun",
    version,
    about = "けいかくん: the web application and its operator commands"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the web application (the default).
    Serve,
    /// Manage app_admin accounts (SPEC §2.10).
    #[command(subcommand)]
    Admin(admin_cli::AdminCommand),
    /// Fill the database with demo offices and recipients (development and benchmarks only).
    Seed(seed::SeedArgs),
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(error) => {
            eprintln!("keikakun: {error}");
            return ExitCode::from(2);
        }
    };
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            telemetry::init(&config);
            serve(config).await
        }
        Command::Admin(command) => {
            telemetry::init_for_command(&config);
            admin(config, command).await
        }
        Command::Seed(args) => {
            telemetry::init_for_command(&config);
            match seed::run(&config, &args).await {
                Ok(done) => {
                    println!("{done}");
                    ExitCode::SUCCESS
                }
                Err(error) => {
                    eprintln!("keikakun seed: {error}");
                    ExitCode::from(1)
                }
            }
        }
    }
}

async fn admin(config: Config, command: admin_cli::AdminCommand) -> ExitCode {
    match admin_cli::run(&config, command).await {
        Ok(done) => {
            println!("{done}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("keikakun admin: {error}");
            ExitCode::from(1)
        }
    }
}

async fn serve(config: Config) -> ExitCode {
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
