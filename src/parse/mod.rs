//! Stages 3–7 after reading: from a document's text to a typed report.
//!
//! [`normalise`] → [`unflatten`] → [`segment`] → [`extract`] → (metadata, in
//! [`crate::metadata`]) → [`classify`] → [`validate`], with the knowledge of the two
//! national templates in [`templates`]. [`crate::parse_named`] runs them in that order.

pub mod classify;
pub mod extract;
pub mod normalise;
pub mod segment;
pub mod templates;
pub mod unflatten;
pub mod validate;
