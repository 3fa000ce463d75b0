//! From a document's bytes to a typed report (the types in [`model`]).
//!
//! [`unpack`] (a file's documents) → [`read`] → [`normalise`] → [`unflatten`] → [`segment`] → [`extract`] → [`metadata`]
//! (placed by [`agency`]) → [`classify`] → [`validate`], with the knowledge of the two
//! national templates in [`templates`]. [`crate::parse_named`] runs them in that order.

pub mod agency;
pub mod classify;
pub mod extract;
pub mod metadata;
pub mod model;
pub mod normalise;
pub mod read;
pub mod segment;
pub mod templates;
pub mod unflatten;
pub mod unpack;
pub mod validate;
