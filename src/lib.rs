//! nianbao (年报): reads Chinese government information disclosure annual reports
//! (政府信息公开工作年度报告) and turns their three standard tables into a comparative
//! dataset.
//!
//! The library is the pipeline; the binary (`src/main.rs`) only parses arguments, runs
//! it and sets the exit code. A document goes through these stages, each in its own
//! module:
//!
//! 1. [`discover`]: walk the corpus, list files in a stable order;
//! 2. [`decode`]: bytes → text, whatever the encoding;
//! 3. [`normalise`]: text → lines for matching (NFKC, simplified characters, residue
//!    removed), keeping the original for provenance;
//! 4. [`segment`]: find sections 二, 三 and 四 and cut their lines into cells;
//! 5. [`extract`]: place cells into the template's rows and columns;
//! 6. [`metadata`]: agency, year, publication date, kind and template;
//! 7. [`validate`]: the template's own arithmetic (balance rule, totals);
//! 8. [`write`]: stream reports into Parquet and CSV tables.
//!
//! [`parse_document`] runs stages 2–7 on one file's bytes; it does no I/O.
#![deny(missing_docs)]

pub mod decode;
pub mod discover;
pub mod model;
pub mod run;
pub mod templates;
pub mod write;

pub use model::*;

/// Parses one document's bytes into a typed report. Pure: no file system, no clock.
/// `source_path` is left empty for the caller to fill in.
pub fn parse_document(bytes: &[u8]) -> Report {
    let decoded = decode::decode(bytes);
    Report {
        report_id: report_id(bytes),
        source_path: String::new(),
        format: "text",
        encoding: decoded.encoding.to_string(),
        bytes: bytes.len() as u64,
        kind: Kind::NotAReport,
        template: None,
        agency: None,
        year: None,
        published_date: None,
        status: Status::Empty,
        proactive: Vec::new(),
        procurement: None,
        applications: Vec::new(),
        review_litigation: Vec::new(),
        findings: decoded.findings,
    }
}

/// The stable identifier of a document: hex of the first 16 bytes of its BLAKE3 hash.
pub fn report_id(bytes: &[u8]) -> String {
    let hash = blake3::hash(bytes);
    hash.as_bytes()[..16].iter().map(|b| format!("{b:02x}")).collect()
}
