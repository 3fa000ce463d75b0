//! The PDF reader: text PDFs through poppler's `pdftotext -layout`.
//!
//! Why poppler: measured on `shared/gold/pdf/` (Chinese reports with CID fonts and
//! ToUnicode maps, tables drawn as positioned text), `pdftotext -layout` gives text
//! identical to the hand-checked extractions, keeping each table row on one line with
//! its numbers in column order. The pure-Rust extractor tried (`pdf-extract`) loses the
//! row layout (see `docs/pdf.md`). `pdftotext` is found on `PATH` at run time (the
//! project's setup installs poppler-utils); when it is missing, PDFs fail with a clear
//! finding instead of stopping the run.
//!
//! A PDF without a text layer (a scan) has no text: `no_text_layer`, status failed; no
//! OCR here.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::model::{Finding, Severity, Table};
use crate::read::{Document, Format, PageMeta};

/// The extractor program.
pub const PDFTOTEXT: &str = "pdftotext";

/// Reads a PDF document.
pub fn read(bytes: &[u8]) -> Document {
    let child = Command::new(PDFTOTEXT)
        .args(["-layout", "-enc", "UTF-8", "-", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) => {
            return Document::failed(
                Format::Pdf,
                "pdftotext_missing",
                format!("cannot run {PDFTOTEXT} ({e}); install poppler-utils to read PDF files"),
            )
        }
    };
    // Feed stdin from a thread: pdftotext may start writing before it has read all.
    let input = bytes.to_vec();
    let mut stdin = child.stdin.take();
    let feeder = std::thread::spawn(move || {
        if let Some(s) = stdin.as_mut() {
            let _ = s.write_all(&input);
        }
    });
    let output = child.wait_with_output();
    let _ = feeder.join();
    let output = match output {
        Ok(o) => o,
        Err(e) => {
            return Document::failed(
                Format::Pdf,
                "pdf_unreadable",
                format!("{PDFTOTEXT} failed: {e}"),
            )
        }
    };
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    let first_error = stderr.lines().next().unwrap_or("").trim().to_string();
    let mut findings = Vec::new();
    if !output.status.success() && text.trim().is_empty() {
        return Document::failed(
            Format::Pdf,
            "pdf_unreadable",
            format!("{PDFTOTEXT} could not read the PDF (truncated or damaged?): {first_error}"),
        );
    }
    if !output.status.success() || !first_error.is_empty() {
        findings.push(
            Finding::new(
                Severity::Warning,
                "pdf_damaged",
                format!("{PDFTOTEXT} reported problems; the text may be incomplete: {first_error}"),
            )
            .at(Table::Reports, None, None),
        );
    }
    // Form feeds separate pages; a page break is a line break for the tables.
    let text = text.replace('\u{c}', "\n");
    if text.chars().filter(|c| !c.is_whitespace()).count() == 0 {
        let mut doc = Document::failed(
            Format::Pdf,
            "no_text_layer",
            "the PDF has no text layer (a scan?); no OCR is done",
        );
        doc.encoding = PDFTOTEXT.to_string();
        return doc;
    }
    Document {
        text,
        format: Format::Pdf,
        encoding: PDFTOTEXT.to_string(),
        findings,
        page: PageMeta::default(),
        failed: false,
    }
}
