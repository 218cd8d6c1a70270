//! 利用者 (SPEC §4): the form of the five-step wizard, its options, and what the server answers
//! with. One definition for the browser form, the server functions, approvals and CSV import.

mod archive;
#[cfg(feature = "csv")]
pub mod csv;
mod display;
mod form;
mod options;
mod views;

pub use archive::*;
pub use display::*;
pub use form::*;
pub use options::*;
pub use views::*;

#[cfg(test)]
mod tests;
