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
    /// `KK_ENV`: `development` (default) or `production` (every secret must be configured).
    pub environment: Environment,
    /// `KK_DATA_DIR`: where development keys are generated once and kept.
    pub data_dir: PathBuf,
    /// `KK_JWT_KEYS`, `KK_HMAC_KEY`, `KK_DATA_KEYS` (see `keys.rs`); generated in development.
    pub jwt_keys: Option<SecretString>,
    pub hmac_key: Option<SecretString>,
    pub data_keys: Option<SecretString>,
    /// `SMTP_URL`: `smtp://host:port` (plain), `smtp://…?tls=required` (STARTTLS) or `smtps://…`.
    pub smtp_url: SecretString,
    /// `MAIL_FROM`, `MAIL_REPLY_TO`.
    pub mail_from: String,
    pub mail_reply_to: String,
    /// `KK_TRUSTED_PROXY_HOPS`: proxies in front of the app that append to `X-Forwarded-For`.
    pub trusted_proxy_hops: usize,
    /// `KK_TERMS_VERSION`, `KK_PRIVACY_VERSION`: current versions users must have accepted.
    pub terms_version: String,
    pub privacy_version: String,
    /// `HIBP_API_URL`: Have I Been Pwned range API (unset: the check is off).
    pub hibp_api_url: Option<Url>,
    /// `KK_MAIL_WORKER`: `on` (default) sends queued mail from this instance; `off` leaves it to
    /// another instance.
    pub mail_worker: bool,
    /// `KK_JOB_RUNNER`: `on` (default) runs the scheduled jobs of §15 from this instance (several
    /// instances may: each run is claimed once); `off` leaves them to others.
    pub job_runner: bool,
    /// `KK_JOBS_TICK_TOKEN`: bearer token of `POST /internal/jobs/tick` for deployments that scale
    /// to zero (an external scheduler calls it every few minutes); unset: the endpoint does not
    /// exist. At least 32 characters.
    pub jobs_tick_token: Option<SecretString>,
    /// `KK_STORAGE` and friends: where plan documents live (SPEC §7.2).
    pub storage: StorageConfig,
    /// `KK_SESSION_LIMIT_SCALE`: multiplies the per-session request limits (default 1; only the
    /// benchmarks raise it; production refuses anything but 1).
    pub session_limit_scale: i32,
}

/// Document storage: the local disk (default) or S3.
#[derive(Debug, Clone)]
pub enum StorageConfig {
    /// `KK_STORAGE=local` (default): files under `KK_STORAGE_DIR` (default `KK_DATA_DIR/documents`).
    Local { dir: PathBuf },
    /// `KK_STORAGE=s3`.
    S3(Box<S3Config>),
}

#[derive(Debug, Clone)]
pub struct S3Config {
    /// `KK_S3_ENDPOINT`: an S3-compatible server (unset: AWS for the region).
    pub endpoint: Option<Url>,
    /// `KK_S3_PUBLIC_ENDPOINT`: the endpoint browsers reach, when it differs (links are signed
    /// for it).
    pub public_endpoint: Option<Url>,
    /// `KK_S3_REGION` (default `ap-northeast-1`).
    pub region: String,
    /// `KK_S3_BUCKET`.
    pub bucket: String,
    /// `KK_S3_ACCESS_KEY_ID`, `KK_S3_SECRET_ACCESS_KEY`.
    pub access_key_id: String,
    pub secret_access_key: SecretString,
    /// `KK_S3_SSE`: `AES256` (default) or `aws:kms` with `KK_S3_KMS_KEY_ID`.
    pub encryption: S3Encryption,
    /// `KK_S3_FORCE_PATH_STYLE` (default `on` with a custom endpoint, `off` for AWS).
    pub force_path_style: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum S3Encryption {
    Aes256,
    Kms { key_id: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Environment {
    Development,
    Production,
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
        let environment = match get("KK_ENV")
            .as_deref()
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            None | Some("development") => Environment::Development,
            Some("production") => Environment::Production,
            Some(_) => {
                return Err(ConfigError {
                    var: "KK_ENV",
                    expected: "\"development\" or \"production\"",
                });
            }
        };
        let data_dir = PathBuf::from(get("KK_DATA_DIR").unwrap_or_else(|| "data".to_owned()));
        let smtp_url = get("SMTP_URL").unwrap_or_else(|| "smtp://127.0.0.1:1025".to_owned());
        if !Url::parse(&smtp_url).is_ok_and(|u| matches!(u.scheme(), "smtp" | "smtps")) {
            return Err(ConfigError {
                var: "SMTP_URL",
                expected: "an smtp:// or smtps:// URL",
            });
        }
        let mail_from = get("MAIL_FROM")
            .unwrap_or_else(|| "けいかくん <no-reply@keikakun.localhost>".to_owned());
        let mail_reply_to =
            get("MAIL_REPLY_TO").unwrap_or_else(|| "support@keikakun.localhost".to_owned());
        let trusted_proxy_hops = parse::<usize>(
            &get,
            "KK_TRUSTED_PROXY_HOPS",
            "0",
            "a whole number from 0 to 5",
        )
        .and_then(|n| {
            in_range(
                n,
                0..=5,
                "KK_TRUSTED_PROXY_HOPS",
                "a whole number from 0 to 5",
            )
        })?;
        let hibp_api_url = match get("HIBP_API_URL") {
            None => None,
            Some(raw) => Some(
                Url::parse(&raw)
                    .ok()
                    .filter(|u| matches!(u.scheme(), "http" | "https"))
                    .ok_or(ConfigError {
                        var: "HIBP_API_URL",
                        expected: "an http(s) URL such as https://api.pwnedpasswords.com",
                    })?,
            ),
        };

        let mail_worker = on_off(&get, "KK_MAIL_WORKER", true)?;
        let job_runner = on_off(&get, "KK_JOB_RUNNER", true)?;
        let jobs_tick_token = match get("KK_JOBS_TICK_TOKEN") {
            None => None,
            Some(token) if token.chars().count() >= 32 => Some(SecretString::from(token)),
            Some(_) => {
                return Err(ConfigError {
                    var: "KK_JOBS_TICK_TOKEN",
                    expected: "a random token of at least 32 characters",
                });
            }
        };
        let storage = storage(&get, &data_dir)?;
        let session_limit_scale = parse::<i32>(
            &get,
            "KK_SESSION_LIMIT_SCALE",
            "1",
            "a whole number from 1 to 1000000",
        )
        .and_then(|n| {
            in_range(
                n,
                1..=1_000_000,
                "KK_SESSION_LIMIT_SCALE",
                "a whole number from 1 to 1000000",
            )
        })?;
        let config = Self {
            bind_addr,
            base_url,
            database_url,
            database_max_connections,
            database_startup_timeout,
            site_root,
            log_format,
            log_filter,
            shutdown_timeout,
            environment,
            data_dir,
            jwt_keys: get("KK_JWT_KEYS").map(SecretString::from),
            hmac_key: get("KK_HMAC_KEY").map(SecretString::from),
            data_keys: get("KK_DATA_KEYS").map(SecretString::from),
            smtp_url: SecretString::from(smtp_url),
            mail_from,
            mail_reply_to,
            trusted_proxy_hops,
            terms_version: get("KK_TERMS_VERSION").unwrap_or_else(|| "2026-11-01".to_owned()),
            privacy_version: get("KK_PRIVACY_VERSION").unwrap_or_else(|| "2026-11-01".to_owned()),
            hibp_api_url,
            mail_worker,
            job_runner,
            jobs_tick_token,
            storage,
            session_limit_scale,
        };
        config.check_production()?;
        Ok(config)
    }

    /// Production refuses embedded secrets, plain HTTP and debug logging (SPEC §13.2, §16.5).
    fn check_production(&self) -> Result<(), ConfigError> {
        if self.environment != Environment::Production {
            return Ok(());
        }
        for (var, value) in [
            ("KK_JWT_KEYS", &self.jwt_keys),
            ("KK_HMAC_KEY", &self.hmac_key),
            ("KK_DATA_KEYS", &self.data_keys),
        ] {
            if value.is_none() {
                return Err(ConfigError {
                    var,
                    expected: "a configured key in production (KK_ENV=production)",
                });
            }
        }
        if !self.is_https() {
            return Err(ConfigError {
                var: "APP_BASE_URL",
                expected: "an https:// origin in production",
            });
        }
        if self.session_limit_scale != 1 {
            return Err(ConfigError {
                var: "KK_SESSION_LIMIT_SCALE",
                expected: "1 in production (the rate limits of SPEC §2.9 apply)",
            });
        }
        let filter = self.log_filter.to_ascii_lowercase();
        if filter.contains("debug") || filter.contains("trace") {
            return Err(ConfigError {
                var: "RUST_LOG",
                expected: "no debug or trace level in production",
            });
        }
        Ok(())
    }

    /// Cookies may drop `Secure` only for a plain-HTTP loopback base URL (local development).
    pub fn secure_cookies(&self) -> bool {
        !(self.base_url.scheme() == "http" && is_loopback(&self.base_url))
    }

    pub fn smtp_url(&self) -> &str {
        self.smtp_url.expose_secret()
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

fn on_off(
    get: &impl Fn(&str) -> Option<String>,
    var: &'static str,
    default: bool,
) -> Result<bool, ConfigError> {
    match get(var).as_deref() {
        None => Ok(default),
        Some("on") => Ok(true),
        Some("off") => Ok(false),
        Some(_) => Err(ConfigError {
            var,
            expected: "\"on\" or \"off\"",
        }),
    }
}

fn http_url(
    get: &impl Fn(&str) -> Option<String>,
    var: &'static str,
) -> Result<Option<Url>, ConfigError> {
    get(var)
        .map(|raw| {
            Url::parse(&raw)
                .ok()
                .filter(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
                .ok_or(ConfigError {
                    var,
                    expected: "an http(s) URL such as https://s3.example.jp",
                })
        })
        .transpose()
}

fn storage(
    get: &impl Fn(&str) -> Option<String>,
    data_dir: &std::path::Path,
) -> Result<StorageConfig, ConfigError> {
    match get("KK_STORAGE").as_deref() {
        None | Some("local") => Ok(StorageConfig::Local {
            dir: get("KK_STORAGE_DIR")
                .map(PathBuf::from)
                .unwrap_or_else(|| data_dir.join("documents")),
        }),
        Some("s3") => {
            let required = |var: &'static str| {
                get(var).ok_or(ConfigError {
                    var,
                    expected: "a value when KK_STORAGE=s3",
                })
            };
            let endpoint = http_url(get, "KK_S3_ENDPOINT")?;
            let encryption = match get("KK_S3_SSE").as_deref() {
                None | Some("AES256") => S3Encryption::Aes256,
                Some("aws:kms") => S3Encryption::Kms {
                    key_id: required("KK_S3_KMS_KEY_ID")?,
                },
                Some(_) => {
                    return Err(ConfigError {
                        var: "KK_S3_SSE",
                        expected: "\"AES256\" or \"aws:kms\"",
                    });
                }
            };
            Ok(StorageConfig::S3(Box::new(S3Config {
                force_path_style: on_off(get, "KK_S3_FORCE_PATH_STYLE", endpoint.is_some())?,
                endpoint,
                public_endpoint: http_url(get, "KK_S3_PUBLIC_ENDPOINT")?,
                region: get("KK_S3_REGION").unwrap_or_else(|| "ap-northeast-1".to_owned()),
                bucket: required("KK_S3_BUCKET")?,
                access_key_id: required("KK_S3_ACCESS_KEY_ID")?,
                secret_access_key: SecretString::from(required("KK_S3_SECRET_ACCESS_KEY")?),
                encryption,
            })))
        }
        Some(_) => Err(ConfigError {
            var: "KK_STORAGE",
            expected: "\"local\" or \"s3\"",
        }),
    }
}

fn base_url(raw: Option<String>) -> Result<Url, ConfigError> {
    const EXPECTED: &str = "an https origin such as https://keikakun.example.jp (no path; http only for 127.0.0.1/localhost)";
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
    // Over plain HTTP, Secure cookies would never come back: only loopback may use it.
    let http_ok = url.scheme() == "https" || is_loopback(&url);
    if plain_origin && http_ok {
        Ok(url)
    } else {
        Err(error)
    }
}

fn is_loopback(url: &Url) -> bool {
    matches!(url.host_str(), Some("127.0.0.1" | "localhost" | "[::1]"))
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
            ("APP_BASE_URL", "http://keikakun.example.jp"),
            ("KK_ENV", "staging"),
            ("SMTP_URL", "http://mail"),
            ("KK_TRUSTED_PROXY_HOPS", "9"),
            ("HIBP_API_URL", "ftp://x"),
            ("KK_STORAGE", "ftp"),
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
    fn production_needs_keys_https_and_quiet_logs() {
        let key = "k1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
        let full = [
            ("KK_ENV", "production"),
            ("APP_BASE_URL", "https://keikakun.example.jp"),
            ("KK_JWT_KEYS", key),
            (
                "KK_HMAC_KEY",
                "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
            ),
            ("KK_DATA_KEYS", key),
        ];
        assert!(config(&full).is_ok());
        assert_eq!(config(&full[..4]).unwrap_err().var, "KK_DATA_KEYS");
        let mut debug = full.to_vec();
        debug.push(("RUST_LOG", "keikakun=debug"));
        assert_eq!(config(&debug).unwrap_err().var, "RUST_LOG");
        assert!(config(&full).unwrap().secure_cookies());
        assert!(!config(&[]).unwrap().secure_cookies());
        assert!(
            !config(&[("APP_BASE_URL", "http://localhost:3000")])
                .unwrap()
                .secure_cookies()
        );
    }

    #[test]
    fn blank_values_mean_default() {
        let config = config(&[("KK_BIND", "  "), ("LOG_FORMAT", "JSON")]).unwrap();
        assert_eq!(config.bind_addr.port(), 3000);
        assert_eq!(config.log_format, LogFormat::Json);
    }

    #[test]
    fn documents_stay_on_disk_unless_s3_is_configured_in_full() {
        match config(&[]).unwrap().storage {
            StorageConfig::Local { dir } => assert_eq!(dir, PathBuf::from("data/documents")),
            other => panic!("{other:?}"),
        }
        assert_eq!(
            config(&[("KK_STORAGE", "s3")]).unwrap_err().var,
            "KK_S3_BUCKET"
        );
        let s3 = [
            ("KK_STORAGE", "s3"),
            ("KK_S3_BUCKET", "docs"),
            ("KK_S3_ACCESS_KEY_ID", "AK"),
            ("KK_S3_SECRET_ACCESS_KEY", "hunter2"),
            ("KK_S3_ENDPOINT", "http://127.0.0.1:9000"),
        ];
        let config = config(&s3).unwrap();
        assert!(!format!("{config:?}").contains("hunter2"));
        match config.storage {
            StorageConfig::S3(s3) => {
                assert!(s3.force_path_style);
                assert_eq!(s3.encryption, S3Encryption::Aes256);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn hash_file_sits_beside_the_site_root() {
        let config = config(&[("KK_SITE_ROOT", "/opt/keikakun/site")]).unwrap();
        assert_eq!(config.hash_file(), PathBuf::from("/opt/keikakun/hash.txt"));
    }
}
