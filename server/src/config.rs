//! Typed configuration, read once from the environment at start-up.
//!
//! Rule: every variable has an embedded default that runs the app on one machine with no setup;
//! a malformed value stops start-up with one line naming the variable and what it expects
//! (exit code 2). Secrets are wrapped so they never reach a log or a `Debug` print.

use secrecy::{ExposeSecret, SecretString};
use std::{net::SocketAddr, path::PathBuf, str::FromStr, time::Duration};
use url::Url;

/// The database of the project's own PostgreSQL cluster (started by `scripts/run`).
pub const DEFAULT_DATABASE_URL: &str = "postgres://keikakun@127.0.0.1:54329/keikakun";

#[derive(Debug, Clone)]
pub struct Config {
    /// `KK_BIND`: address the HTTP server listens on.
    pub bind_addr: SocketAddr,
    /// `APP_BASE_URL`: the public origin users type (links in e-mails, CSRF origin check).
    pub base_url: Url,
    /// `DATABASE_URL`.
    pub database_url: SecretString,
    /// `DATABASE_MAX_CONNECTIONS`.
    pub database_max_connections: u32,
    /// `DATABASE_STARTUP_TIMEOUT_SECS`: how long start-up waits for the database.
    pub database_startup_timeout: Duration,
    /// `KK_SITE_ROOT`: built browser assets (`pkg/` and the public files); `hash.txt` sits beside it.
    pub site_root: PathBuf,
    /// `LOG_FORMAT`.
    pub log_format: LogFormat,
    /// `RUST_LOG`: a tracing filter.
    pub log_filter: String,
    /// `KK_SHUTDOWN_TIMEOUT_SECS`: how long in-flight requests may finish after SIGTERM/SIGINT.
    pub shutdown_timeout: Duration,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

/// A variable that could not be used, with what it should look like. Never holds the value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("configuration error: {var} is invalid: expected {expected}")]
pub struct ConfigError {
    pub var: &'static str,
    pub expected: &'static str,
}

impl Config {
    /// Reads the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads configuration through `lookup` (the environment in production, a map in tests).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let get = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());

        let bind_addr = parse(
            &get,
            "KK_BIND",
            "127.0.0.1:3000",
            "host:port, e.g. 127.0.0.1:3000",
        )?;
        let base_url = base_url(get("APP_BASE_URL"))?;
        let database_url = database_url(get("DATABASE_URL"))?;
        let database_max_connections = parse::<u32>(
            &get,
            "DATABASE_MAX_CONNECTIONS",
            "10",
            "a whole number from 1 to 1000",
        )
        .and_then(|n| {
            in_range(
                n,
                1..=1000,
                "DATABASE_MAX_CONNECTIONS",
                "a whole number from 1 to 1000",
            )
        })?;
        let database_startup_timeout = seconds(&get, "DATABASE_STARTUP_TIMEOUT_SECS", "30")?;
        let site_root = match get("KK_SITE_ROOT") {
            Some(path) => PathBuf::from(path),
            None => default_site_root(),
        };
        let log_format = match get("LOG_FORMAT")
            .as_deref()
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            None | Some("text") => LogFormat::Text,
            Some("json") => LogFormat::Json,
            Some(_) => {
                return Err(ConfigError {
                    var: "LOG_FORMAT",
                    expected: "\"text\" or \"json\"",
                });
            }
        };
        let log_filter = get("RUST_LOG").unwrap_or_else(|| "info".to_owned());
        let shutdown_timeout = seconds(&get, "KK_SHUTDOWN_TIMEOUT_SECS", "20")?;

        Ok(Self {
            bind_addr,
            base_url,
            database_url,
            database_max_connections,
            database_startup_timeout,
            site_root,
            log_format,
            log_filter,
            shutdown_timeout,
        })
    }

    /// `hash.txt` (names of the hashed JS/WASM/CSS files), written by the build beside the site root.
    pub fn hash_file(&self) -> PathBuf {
        self.site_root
            .parent()
            .map(|dir| dir.join("hash.txt"))
            .unwrap_or_else(|| PathBuf::from("hash.txt"))
    }

    /// Whether the app is served over HTTPS (decides `upgrade-insecure-requests`, `Secure` cookies).
    pub fn is_https(&self) -> bool {
        self.base_url.scheme() == "https"
    }

    pub fn database_url(&self) -> &str {
        self.database_url.expose_secret()
    }
}

/// `site/` next to the running binary: where `scripts/build` puts it.
fn default_site_root() -> PathBuf {
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join("site")))
        .unwrap_or_else(|| PathBuf::from("site"))
}

fn parse<T: FromStr>(
    get: &impl Fn(&str) -> Option<String>,
    var: &'static str,
    default: &str,
    expected: &'static str,
) -> Result<T, ConfigError> {
    get(var)
        .as_deref()
        .unwrap_or(default)
        .trim()
        .parse()
        .map_err(|_| ConfigError { var, expected })
}

fn in_range<T: PartialOrd>(
    value: T,
    range: std::ops::RangeInclusive<T>,
    var: &'static str,
    expected: &'static str,
) -> Result<T, ConfigError> {
    if range.contains(&value) {
        Ok(value)
    } else {
        Err(ConfigError { var, expected })
    }
}

fn seconds(
    get: &impl Fn(&str) -> Option<String>,
    var: &'static str,
    default: &str,
) -> Result<Duration, ConfigError> {
    const EXPECTED: &str = "a whole number of seconds from 1 to 3600";
    let secs = parse::<u64>(get, var, default, EXPECTED)?;
    in_range(secs, 1..=3600, var, EXPECTED).map(Duration::from_secs)
}

fn base_url(raw: Option<String>) -> Result<Url, ConfigError> {
    const EXPECTED: &str = "an http(s) origin such as https://keikakun.example.jp (no path)";
    let error = ConfigError {
        var: "APP_BASE_URL",
        expected: EXPECTED,
    };
    let url =
        Url::parse(raw.as_deref().unwrap_or("http://127.0.0.1:3000")).map_err(|_| error.clone())?;
    let plain_origin = matches!(url.scheme(), "http" | "https")
        && url.host().is_some()
        && url.path() == "/"
        && url.query().is_none()
        && url.fragment().is_none()
        && url.username().is_empty()
        && url.password().is_none();
    if plain_origin { Ok(url) } else { Err(error) }
}

fn database_url(raw: Option<String>) -> Result<SecretString, ConfigError> {
    let raw = raw.unwrap_or_else(|| DEFAULT_DATABASE_URL.to_owned());
    let valid = Url::parse(&raw)
        .map(|url| matches!(url.scheme(), "postgres" | "postgresql"))
        .unwrap_or(false);
    if valid {
        Ok(SecretString::from(raw))
    } else {
        Err(ConfigError {
            var: "DATABASE_URL",
            expected: "a postgres:// URL",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|name| map.get(name).cloned())
    }

    #[test]
    fn runs_with_no_configuration_at_all() {
        let config = config(&[]).unwrap();
        assert_eq!(config.bind_addr, "127.0.0.1:3000".parse().unwrap());
        assert_eq!(config.base_url.as_str(), "http://127.0.0.1:3000/");
        assert_eq!(config.database_url(), DEFAULT_DATABASE_URL);
        assert_eq!(config.database_startup_timeout, Duration::from_secs(30));
        assert_eq!(config.log_format, LogFormat::Text);
        assert!(!config.is_https());
    }

    #[test]
    fn each_bad_variable_is_named() {
        let cases = [
            ("KK_BIND", "localhost"),
            ("APP_BASE_URL", "ftp://example.jp"),
            ("APP_BASE_URL", "https://example.jp/app"),
            ("DATABASE_URL", "mysql://x"),
            ("DATABASE_MAX_CONNECTIONS", "0"),
            ("DATABASE_STARTUP_TIMEOUT_SECS", "soon"),
            ("LOG_FORMAT", "xml"),
            ("KK_SHUTDOWN_TIMEOUT_SECS", "-1"),
        ];
        for (var, value) in cases {
            let err = config(&[(var, value)]).unwrap_err();
            assert_eq!(err.var, var, "{var}={value}");
            assert!(
                err.to_string()
                    .starts_with(&format!("configuration error: {var} is invalid"))
            );
        }
    }

    #[test]
    fn secrets_never_print() {
        let config = config(&[("DATABASE_URL", "postgres://app:hunter2@db/keikakun")]).unwrap();
        assert!(!format!("{config:?}").contains("hunter2"));
        let err = database_url(Some("mysql://app:hunter2@db".into())).unwrap_err();
        assert!(!err.to_string().contains("hunter2"));
    }

    #[test]
    fn blank_values_mean_default() {
        let config = config(&[("KK_BIND", "  "), ("LOG_FORMAT", "JSON")]).unwrap();
        assert_eq!(config.bind_addr.port(), 3000);
        assert_eq!(config.log_format, LogFormat::Json);
    }

    #[test]
    fn hash_file_sits_beside_the_site_root() {
        let config = config(&[("KK_SITE_ROOT", "/opt/keikakun/site")]).unwrap();
        assert_eq!(config.hash_file(), PathBuf::from("/opt/keikakun/hash.txt"));
    }
}
