//! keikakun's user interface and server-function boundary.
//!
//! Features decide the side: `ssr` for the server (rendering, server-function bodies), `hydrate`
//! for the browser. Markup never depends on the side; browser-only work happens in effects.

// Leptos view types nest deeply; the release WASM build needs more room to compute their layout.
#![recursion_limit = "256"]

pub mod api;
mod browser;
mod components;
mod csrf;
mod layout;
mod pages;
mod pwa;
mod session;
mod shell;
#[cfg(feature = "ssr")]
pub mod ssr;

pub use shell::{App, shell};
