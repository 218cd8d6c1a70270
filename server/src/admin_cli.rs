//! `keikakun admin …`: the only way to create app_admin accounts and set their passphrase
//! (SPEC §2.10). Secrets are never taken as arguments (they would land in shell history and
//! `ps`): they are asked for on the terminal without echo, or read one per line from standard
//! input when it is not a terminal (scripts, tests).

use crate::{config::Config, db};
use app::ssr::accounts::app_admin::{self, NewAppAdmin};
use clap::{Args, Subcommand};
use shared::{
    AppError,
    account::{Passphrase, StaffNameInput},
    fields::Email,
    password::{NewPassword, PasswordError},
};
use std::{
    io::{self, BufRead, IsTerminal, Write},
    time::Duration,
};

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create an app_admin account (verified; TOTP is set up at the first login). Asks for the
    /// password and the passphrase (合言葉), each twice.
    Create(CreateArgs),
    /// Replace an app_admin's passphrase (合言葉); ends their sessions. Asks for it twice.
    SetPassphrase {
        /// The app_admin's e-mail address.
        #[arg(long)]
        email: String,
    },
}

#[derive(Debug, Args)]
pub struct CreateArgs {
    /// E-mail address (the login name).
    #[arg(long)]
    email: String,
    /// 姓
    #[arg(long)]
    last_name: String,
    /// 名
    #[arg(long)]
    first_name: String,
    /// せい (furigana)
    #[arg(long)]
    last_name_kana: String,
    /// めい (furigana)
    #[arg(long)]
    first_name_kana: String,
}

/// Why a command failed; printed to standard error.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("{0}")]
    Invalid(String),
    #[error("could not read from standard input: {0}")]
    Input(#[from] io::Error),
    #[error("{0}")]
    Database(String),
}

pub async fn run(config: &Config, command: AdminCommand) -> Result<String, CliError> {
    let mut secrets = SecretReader::new();
    // Everything the user types is checked before the database is touched.
    let task = match command {
        AdminCommand::Create(args) => Task::Create(parse_new_admin(args, &mut secrets)?),
        AdminCommand::SetPassphrase { email } => {
            let email = Email::parse(&email).map_err(|m| invalid("email", m))?;
            Task::SetPassphrase(email, read_passphrase(&mut secrets)?)
        }
    };
    let pool = db::lazy_pool(config).map_err(|e| CliError::Database(e.to_string()))?;
    db::wait_and_migrate(&pool, Duration::from_secs(10))
        .await
        .map_err(|e| CliError::Database(e.to_string()))?;
    let done = match task {
        Task::Create(admin) => app_admin::create(&pool, &admin)
            .await
            .map(|id| format!("app_admin created: {id}")),
        Task::SetPassphrase(email, passphrase) => {
            app_admin::set_passphrase(&pool, &email, &passphrase)
                .await
                .map(|()| "passphrase replaced; the admin's sessions were ended".to_owned())
        }
    };
    done.map_err(|error| match AppError::from(error) {
        error if error.code == shared::ErrorCode::Internal => {
            CliError::Database("the database refused the change (see the log)".into())
        }
        error => CliError::Invalid(error.user_message()),
    })
}

enum Task {
    Create(NewAppAdmin),
    SetPassphrase(Email, Passphrase),
}

fn invalid(field: &str, message: &str) -> CliError {
    CliError::Invalid(format!("{field}: {message}"))
}

fn parse_new_admin(args: CreateArgs, secrets: &mut SecretReader) -> Result<NewAppAdmin, CliError> {
    let email = Email::parse(&args.email).map_err(|m| invalid("email", m))?;
    let name = StaffNameInput {
        last_name: args.last_name,
        first_name: args.first_name,
        last_name_kana: args.last_name_kana,
        first_name_kana: args.first_name_kana,
    }
    .parse()
    .map_err(|errors| {
        CliError::Invalid(
            errors
                .iter()
                .map(|e| format!("{}: {}", e.field, e.message_ja))
                .collect::<Vec<_>>()
                .join("\n"),
        )
    })?;
    let password = secrets.read("パスワード")?;
    let confirmation = secrets.read("パスワード（確認）")?;
    let password = NewPassword::parse(&password, &confirmation, Some(email.local_part())).map_err(
        |error| match error {
            PasswordError::Password(m) => invalid("password", m),
            PasswordError::Confirmation(m) => invalid("password_confirmation", m),
        },
    )?;
    let passphrase = read_passphrase(secrets)?;
    Ok(NewAppAdmin {
        email,
        name,
        password,
        passphrase,
    })
}

fn read_passphrase(secrets: &mut SecretReader) -> Result<Passphrase, CliError> {
    let passphrase = secrets.read("合言葉")?;
    let confirmation = secrets.read("合言葉（確認）")?;
    let passphrase = Passphrase::parse(&passphrase).map_err(|m| invalid("passphrase", m))?;
    if confirmation != passphrase.expose() {
        return Err(invalid(
            "passphrase_confirmation",
            "確認用の合言葉が一致しません",
        ));
    }
    Ok(passphrase)
}

/// Secrets from the terminal (no echo) or, when standard input is not one, a line each.
struct SecretReader {
    terminal: bool,
}

impl SecretReader {
    fn new() -> Self {
        Self {
            terminal: io::stdin().is_terminal(),
        }
    }

    fn read(&mut self, prompt: &str) -> Result<String, CliError> {
        if self.terminal {
            eprint!("{prompt}: ");
            io::stderr().flush()?;
            return Ok(rpassword::read_password()?);
        }
        let mut line = String::new();
        if io::stdin().lock().read_line(&mut line)? == 0 {
            return Err(CliError::Invalid(format!(
                "{prompt}: 標準入力に値がありません"
            )));
        }
        Ok(line.trim_end_matches(['\r', '\n']).to_owned())
    }
}
