//! The one application state every request sees.

use super::{breach::BreachCheck, settings::SecuritySettings, storage::DocumentStorage};
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use sqlx::PgPool;
use std::sync::{
    Arc,
    atomic::{AtomicBool, Ordering},
};

/// Built once at start-up by the `server` crate and handed to every handler and server function
/// (server functions read it from the Leptos context).
#[derive(Clone, Debug)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: PgPool,
    pub readiness: Readiness,
    pub security: Arc<SecuritySettings>,
    pub breach_check: Arc<dyn BreachCheck>,
    /// Where plan documents live (S3 or the local disk).
    pub storage: Arc<dyn DocumentStorage>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// Whether start-up work (database reachable, migrations applied) has finished.
#[derive(Clone, Debug, Default)]
pub struct Readiness(Arc<AtomicBool>);

impl Readiness {
    pub fn mark_ready(&self) {
        self.0.store(true, Ordering::Release);
    }

    pub fn is_ready(&self) -> bool {
        self.0.load(Ordering::Acquire)
    }
}
