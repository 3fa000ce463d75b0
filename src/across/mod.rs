//! Stages across reports, computed from the written per-report tables: [`derive`] drives
//! [`link`] (the files that are one report, and the findings between reports) and
//! [`aggregate`] (the published statistics).
//! [`facts`] is what a build already knows of the reports it parsed, so that these
//! stages read back only the rest.

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
