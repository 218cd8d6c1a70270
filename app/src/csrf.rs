//! The page's CSRF token: rendered by the server into `<meta name="csrf-token">`, read back by
//! the browser for every state-changing call.

use leptos::prelude::*;

pub const META_NAME: &str = "csrf-token";

/// The token of the current page (browser only).
#[cfg(feature = "hydrate")]
pub fn page_token() -> Option<String> {
    let document = web_sys::window()?.document()?;
    let meta = document
        .query_selector(&format!("meta[name=\"{META_NAME}\"]"))
        .ok()??;
    meta.get_attribute("content")
}

/// `<meta name="csrf-token">` with this request's token (server render only; the browser keeps
/// the tag from the HTML).
#[component]
pub fn CsrfMeta() -> impl IntoView {
    #[cfg(feature = "ssr")]
    let token = crate::ssr::auth::csrf_token().unwrap_or_default();
    #[cfg(not(feature = "ssr"))]
    let token = String::new();
    view! { <meta name=META_NAME content=token /> }
}
