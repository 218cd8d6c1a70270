//! Accounts (SPEC §2): the forms of signup, login, invitations, MFA and account settings, and what
//! the server answers with. Forms are `…Input` (text as typed); `parse` turns them into valid values.

mod admin;
mod forms;
mod mfa;
mod redirect;
mod views;

pub use admin::*;
pub use forms::*;
pub use mfa::*;
pub use redirect::safe_redirect;
pub use views::*;
