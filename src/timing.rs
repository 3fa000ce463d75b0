//! Time spent per pipeline stage, summed over all worker threads, for `nianbao build
//! --timings` and the benchmark. Off unless [`enable`] was called: then each stage costs
//! one relaxed atomic load.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Instant;

/// A pipeline stage; its discriminant indexes the counters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Reading the file from disk.
    Load,
    /// Bytes to text (encoding detection, HTML/DOCX/PDF reading).
    Decode,
    /// NFKC, simplification, residue removal.
    Normalise,
    /// Finding the sections and cutting lines into cells.
    Segment,
    /// Placing cells into rows and columns.
    Extract,
    /// Agency, year, dates, kind.
    Metadata,
    /// The template's arithmetic checks.
    Validate,
    /// Writing Parquet and CSV.
    Write,
    /// The tables across reports (groups, cross findings, aggregates).
    Derive,
}

/// Every stage, in pipeline order.
pub const STAGES: [Stage; 9] = [
    Stage::Load,
    Stage::Decode,
    Stage::Normalise,
    Stage::Segment,
    Stage::Extract,
    Stage::Metadata,
    Stage::Validate,
    Stage::Write,
    Stage::Derive,
];

impl Stage {
    /// The stage's name.
    pub fn name(self) -> &'static str {
        match self {
            Stage::Load => "load",
            Stage::Decode => "decode",
            Stage::Normalise => "normalise",
            Stage::Segment => "segment",
            Stage::Extract => "extract",
            Stage::Metadata => "metadata",
            Stage::Derive => "derive",
            Stage::Validate => "validate",
            Stage::Write => "write",
        }
    }
}

static ENABLED: AtomicBool = AtomicBool::new(false);
static NANOS: [AtomicU64; STAGES.len()] = [const { AtomicU64::new(0) }; STAGES.len()];

/// Starts counting.
pub fn enable() {
    ENABLED.store(true, Ordering::Relaxed);
}

/// The start of a timed stage (`None` when timing is off).
pub fn start() -> Option<Instant> {
    ENABLED.load(Ordering::Relaxed).then(Instant::now)
}

/// Adds the time since `start` to `stage`; returns a new start for the next stage.
pub fn record(stage: Stage, start: Option<Instant>) -> Option<Instant> {
    let start = start?;
    let now = Instant::now();
    NANOS[stage as usize].fetch_add((now - start).as_nanos() as u64, Ordering::Relaxed);
    Some(now)
}

/// Seconds per stage so far (summed over threads).
pub fn totals() -> Vec<(Stage, f64)> {
    STAGES
        .iter()
        .map(|s| (*s, NANOS[*s as usize].load(Ordering::Relaxed) as f64 / 1e9))
        .collect()
}
