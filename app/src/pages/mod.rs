//! One module per page.

pub mod home;
pub mod landing;
pub mod legal;
pub mod login;
pub mod not_found;
pub mod settings_security;
pub mod setup_office;
pub mod signup;
pub mod verify_email;
