//! Building the application from its configuration and running it until asked to stop.

use crate::{
    config::{Config, ConfigError},
    db::{self, DatabaseStartupError},
    http::{self, ErrorPage, HttpSettings, security_headers::SecurityPolicy},
};
use crate::{
    hibp::HibpCheck,
    jobs,
    keys::{self, KeysError},
    mail_outbox::{self, Mailer},
    storage,
};
use app::ssr::{
    AppState, Readiness,
    auth::passwords,
    breach::{BreachCheck, NoBreachCheck},
    settings::SecuritySettings,
};
use axum::Router;
use leptos::config::{Env, LeptosOptions};
use sqlx::PgPool;
use std::{future::Future, io, net::SocketAddr, path::Path, sync::Arc};
use tokio::{net::TcpListener, sync::oneshot};

/// Name of the built browser bundle (`pkg/keikakun.<hash>.js` …).
pub const OUTPUT_NAME: &str = "keikakun";

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(
        "cannot listen on {addr}: the port is already in use; stop the other program or set KK_BIND"
    )]
    PortInUse { addr: SocketAddr },
    #[error("cannot listen on {addr}: {source}")]
    Bind { addr: SocketAddr, source: io::Error },
    #[error(transparent)]
    Database(#[from] DatabaseStartupError),
    #[error(transparent)]
    Keys(#[from] KeysError),
    #[error("HTTP server failed: {0}")]
    Serve(io::Error),
}

/// A bound, ready-to-run application.
pub struct Application {
    listener: TcpListener,
    state: AppState,
    router: Router,
    config: Config,
    mailer: Mailer,
}

impl Application {
    /// Binds the port and builds the state. Does not wait for the database: that happens while
    /// serving, with `/readyz` answering 503 until it is done.
    pub async fn build(config: Config) -> Result<Self, StartupError> {
        let pool = db::lazy_pool(&config)?;
        Self::build_with(config, pool, Router::new()).await
    }

    /// As [`Application::build`] with a given pool and extra routes under the same layers
    /// (integration tests use both).
    pub async fn build_with(
        config: Config,
        pool: PgPool,
        extra: Router<AppState>,
    ) -> Result<Self, StartupError> {
        let listener = TcpListener::bind(config.bind_addr)
            .await
            .map_err(|source| {
                if source.kind() == io::ErrorKind::AddrInUse {
                    StartupError::PortInUse {
                        addr: config.bind_addr,
                    }
                } else {
                    StartupError::Bind {
                        addr: config.bind_addr,
                        source,
                    }
                }
            })?;
        let local_addr = listener.local_addr().map_err(StartupError::Serve)?;

        let leptos_options = LeptosOptions::builder()
            .output_name(OUTPUT_NAME)
            .site_root(config.site_root.to_string_lossy().into_owned())
            .site_pkg_dir("pkg")
            .site_addr(local_addr)
            .env(Env::PROD)
            .hash_files(true)
            .hash_file(Arc::<str>::from(config.hash_file().to_string_lossy()))
            .build();
        let keys = keys::load(&config)?;
        let storage = storage::build(&config.storage, &keys.mac)?;
        let dummy_password_hash =
            tokio::task::spawn_blocking(|| passwords::hash_blocking("dummy password for timing"))
                .await
                .map_err(|e| StartupError::Serve(io::Error::other(e)))?;
        let security = SecuritySettings {
            jwt_keys: keys.jwt,
            mac_key: keys.mac,
            data_keys: keys.data,
            base_url: config.base_url.clone(),
            secure_cookies: config.secure_cookies(),
            terms_version: config.terms_version.clone(),
            privacy_version: config.privacy_version.clone(),
            trusted_proxy_hops: config.trusted_proxy_hops,
            dummy_password_hash,
            session_limit_scale: config.session_limit_scale,
        };
        let breach_check: Arc<dyn BreachCheck> = match &config.hibp_api_url {
            Some(url) => Arc::new(HibpCheck::new(url.clone())),
            None => Arc::new(NoBreachCheck),
        };
        let mailer = Mailer::from_config(&config)?;
        let state = AppState {
            leptos_options,
            db: pool,
            readiness: Readiness::default(),
            security: Arc::new(security),
            breach_check,
            storage: storage.documents,
        };
        let settings = HttpSettings {
            security: SecurityPolicy {
                upgrade_insecure_requests: config.is_https(),
                frame_src: storage.frame_src,
            },
            error_page: ErrorPage::new(stylesheet_href(&config.hash_file())),
            jobs_tick_token: config.jobs_tick_token.clone(),
            local_files: storage.local,
        };
        let router = http::router(state.clone(), settings, extra);
        Ok(Self {
            listener,
            state,
            router,
            config,
            mailer,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener.local_addr().unwrap_or(self.config.bind_addr)
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until `shutdown` resolves, then lets in-flight requests finish (bounded by
    /// `KK_SHUTDOWN_TIMEOUT_SECS`). Fails when the database cannot be reached in time.
    pub async fn run_until_stopped(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<(), StartupError> {
        let Self {
            listener,
            state,
            router,
            config,
            mailer,
        } = self;
        tracing::info!(addr = %listener.local_addr().map_err(StartupError::Serve)?, "listening");

        let (fatal_tx, fatal_rx) = oneshot::channel::<DatabaseStartupError>();
        let startup = {
            let state = state.clone();
            let limit = config.database_startup_timeout;
            let mail_worker = config.mail_worker;
            let job_runner = config.job_runner;
            tokio::spawn(async move {
                match db::wait_and_migrate(&state.db, limit).await {
                    Ok(()) => {
                        state.readiness.mark_ready();
                        // Background work starts once the schema is in place.
                        let mail = async {
                            if mail_worker {
                                mail_outbox::run(state.db.clone(), mailer).await;
                            }
                        };
                        let jobs = async {
                            if job_runner {
                                jobs::run(state.clone()).await;
                            }
                        };
                        tokio::join!(mail, jobs);
                    }
                    Err(error) => {
                        let _ = fatal_tx.send(error);
                    }
                }
            })
        };

        let (stop_tx, stop_rx) = oneshot::channel::<()>();
        let mut server = tokio::spawn(
            axum::serve(
                listener,
                router.into_make_service_with_connect_info::<SocketAddr>(),
            )
            .with_graceful_shutdown(async move {
                let _ = stop_rx.await;
            })
            .into_future(),
        );

        let outcome = tokio::select! {
            () = shutdown => Ok(()),
            Ok(error) = fatal_rx => Err(StartupError::Database(error)),
            result = &mut server => {
                startup.abort();
                return match result {
                    Ok(Ok(())) => Ok(()),
                    Ok(Err(error)) => Err(StartupError::Serve(error)),
                    Err(join) => Err(StartupError::Serve(io::Error::other(join))),
                };
            }
        };

        startup.abort();
        let _ = stop_tx.send(());
        if tokio::time::timeout(config.shutdown_timeout, &mut server)
            .await
            .is_err()
        {
            tracing::warn!("in-flight requests did not finish in time; closing them");
            server.abort();
        }
        state.db.close().await;
        tracing::info!("stopped");
        outcome
    }
}

/// `/pkg/keikakun.<hash>.css`, read once from `hash.txt` (unhashed name when the file is absent).
fn stylesheet_href(hash_file: &Path) -> String {
    let hash = std::fs::read_to_string(hash_file).ok().and_then(|text| {
        text.lines().find_map(|line| {
            let (kind, hash) = line.split_once(':')?;
            (kind.trim() == "css").then(|| hash.trim().to_owned())
        })
    });
    match hash {
        Some(hash) => format!("/pkg/{OUTPUT_NAME}.{hash}.css"),
        None => format!("/pkg/{OUTPUT_NAME}.css"),
    }
}
