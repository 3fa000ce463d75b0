//! Where reports become files: [`write`] streams them into Parquet and CSV tables (and
//! commits each output directory whole), [`state`] remembers what each file produced so an
//! incremental build reuses unchanged rows, [`lock`] keeps one run per output, [`merge`]
//! combines shards, and [`dataset`] reads the written tables back for the stages across
//! reports.

#[cfg(feature = "tables")]
pub mod dataset;
pub mod lock;
#[cfg(feature = "tables")]
pub mod merge;
#[cfg(feature = "tables")]
pub mod state;
#[cfg(feature = "tables")]
pub mod write;
