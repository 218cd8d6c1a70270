//! Components used by more than one page, or big enough to stand alone.

pub mod fields;
pub mod form;
pub mod mfa;
pub mod modal;
pub mod plan_settings;
pub mod role_requests;
pub mod status_panel;
pub mod upload;
pub mod validity_preview;
