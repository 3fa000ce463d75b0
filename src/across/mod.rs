//! Stages across reports, computed from the written per-report tables: [`derive`] drives
//! [`link`] (the files that are one report, and the findings between reports) and
//! [`aggregate`] (the published statistics).

#[cfg(feature = "tables")]
pub mod aggregate;
#[cfg(feature = "tables")]
pub mod derive;
#[cfg(feature = "tables")]
pub mod facts;
#[cfg(feature = "tables")]
pub mod link;
#[cfg(feature = "tables")]
pub mod memo;
