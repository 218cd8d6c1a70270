//! Browser start-up after hydration: mark the page as interactive and register the service worker.

use leptos::prelude::*;

/// Runs once in the browser after hydration (effects never run on the server).
pub fn on_hydrated() {
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        browser::start();
    });
}

#[cfg(feature = "hydrate")]
mod browser {
    use leptos::prelude::*;

    /// The service worker must live at the site root to control every page.
    const SERVICE_WORKER_PATH: &str = "/sw.js";

    pub fn start() {
        if let Some(body) = document().body() {
            // End-to-end tests wait for this attribute before interacting.
            let _ = body.set_attribute("data-hydrated", "true");
        }
        let container = window().navigator().service_worker();
        // The promise settles in the browser; a failed registration only costs offline support.
        let _ = container.register(SERVICE_WORKER_PATH);
    }
}
