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

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::model::{Finding, Severity, Table};
use crate::read::{Document, Format, PageMeta};

/// The extractor program.
pub const PDFTOTEXT: &str = "pdftotext";

/// A PDF whose extracted text is larger than this is not read.
pub const MAX_TEXT_BYTES: usize = 64 << 20;

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
    // Feed stdin and drain stdout/stderr from threads (pdftotext may write before it has
    // read everything); stop reading stdout past the size limit.
    let input = bytes.to_vec();
    let mut stdin = child.stdin.take();
    let feeder = std::thread::spawn(move || {
        if let Some(s) = stdin.as_mut() {
            let _ = s.write_all(&input);
        }
    });
    let stdout = child.stdout.take();
    let out_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(s) = stdout {
            let _ = s.take(MAX_TEXT_BYTES as u64 + 1).read_to_end(&mut buf);
        }
        buf
    });
    let stderr = child.stderr.take();
    let err_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(s) = stderr {
            let _ = s.take(64 * 1024).read_to_end(&mut buf);
        }
        buf
    });
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if started.elapsed() > crate::limits::get().pdf_timeout => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(_) => break None,
        }
    };
    let _ = feeder.join();
    let stdout = out_reader.join().unwrap_or_default();
    let stderr = err_reader.join().unwrap_or_default();
    let Some(status) = status else {
        return Document::failed(
            Format::Pdf,
            "limit_exceeded",
            format!(
                "{PDFTOTEXT} did not finish within {} s; the PDF was not read",
                crate::limits::get().pdf_timeout.as_secs()
            ),
        );
    };
    if stdout.len() > MAX_TEXT_BYTES {
        return Document::failed(
            Format::Pdf,
            "limit_exceeded",
            format!(
                "the PDF's text exceeds {} MiB; not read",
                MAX_TEXT_BYTES >> 20
            ),
        );
    }
    let output = std::process::Output {
        status,
        stdout,
        stderr,
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
    // Form feeds separate pages. Each is kept at the start of the next page's first line
    // (as in pdftotext's own text files), where the segmenter uses it to tell a page
    // number from a table cell.
    let mut paged = String::with_capacity(text.len() + 16);
    for ch in text.chars() {
        if ch == '\u{c}' && !paged.is_empty() && !paged.ends_with('\n') {
            paged.push('\n');
        }
        paged.push(ch);
    }
    let text = paged;
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
