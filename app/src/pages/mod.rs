//! One module per page.

pub mod app_admin;
pub mod approvals;
pub mod consent;
pub mod dashboard;
pub mod documents;
pub mod home;
pub mod invite;
pub mod landing;
pub mod legal;
pub mod login;
pub mod not_found;
pub mod notices;
pub mod password_reset;
pub mod recipients;
pub mod security;
pub mod settings_office;
pub mod settings_profile;
pub mod settings_staff;
pub mod setup_office;
pub mod signup;
pub mod verify_email;
