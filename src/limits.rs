//! Resource limits against hostile or broken input: a file, archive or PDF past one of
//! them becomes a `failed` report with a `limit_exceeded` (or `pdf_timeout`) finding,
//! never a crash or a run that does not end. Set once per process (the CLI's
//! `--max-file-size`, `--pdf-timeout`, …); the defaults suit real corpora, whose largest
//! reports are PDF attachments of a few tens of megabytes.

use std::sync::OnceLock;
use std::time::Duration;

/// The limits in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest file read, in bytes (larger files are not read at all).
    pub file_bytes: u64,
    /// Most members read from one zip archive.
    pub archive_members: usize,
    /// Largest zip member, uncompressed.
    pub member_bytes: u64,
    /// Largest total of a zip archive's members, uncompressed (zip bombs).
    pub archive_bytes: u64,
    /// Longest `pdftotext` may run on one PDF.
    pub pdf_timeout: Duration,
}

/// Default largest file read, in MiB (`--max-file-size`).
pub const DEFAULT_FILE_MIB: u64 = 128;
/// Default most members read from one zip archive (`--max-archive-members`).
pub const DEFAULT_ARCHIVE_MEMBERS: usize = 10_000;
/// Default largest total of an archive's members, in MiB (`--max-archive-size`).
pub const DEFAULT_ARCHIVE_MIB: u64 = 512;
/// Default seconds `pdftotext` may run on one PDF (`--pdf-timeout`).
pub const DEFAULT_PDF_TIMEOUT_SECS: u64 = 120;
/// Largest zip member, uncompressed, in MiB (not an option).
const MEMBER_MIB: u64 = 64;

impl Default for Limits {
    fn default() -> Self {
        Limits {
            file_bytes: DEFAULT_FILE_MIB << 20,
            archive_members: DEFAULT_ARCHIVE_MEMBERS,
            member_bytes: MEMBER_MIB << 20,
            archive_bytes: DEFAULT_ARCHIVE_MIB << 20,
            pdf_timeout: Duration::from_secs(DEFAULT_PDF_TIMEOUT_SECS),
        }
    }
}

static LIMITS: OnceLock<Limits> = OnceLock::new();

/// Sets the limits for this process; `false` when they were already set (or already
/// read, which fixes the defaults).
pub fn set(limits: Limits) -> bool {
    LIMITS.set(limits).is_ok()
}

/// The limits in force.
pub fn get() -> &'static Limits {
    LIMITS.get_or_init(Limits::default)
}
