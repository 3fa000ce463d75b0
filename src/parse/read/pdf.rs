//! The PDF reader: text PDFs through poppler's `pdftotext -layout`.
//!
//! Why poppler: measured on `shared/gold/pdf/` (Chinese reports with CID fonts and
//! ToUnicode maps, tables drawn as positioned text), `pdftotext -layout` gives text
//! identical to the hand-checked extractions, keeping each table row on one line with
//! its numbers in column order. MuPDF and the pure-Rust readers tried read fewer cells or
//! are slower (the comparison is in `docs/pdf.md`).
//!
//! Two ways to run the same poppler code, chosen per process:
//! - `nianbao-pdftext` (`src/parse/read/pdf_worker.cc`, built by `scripts/setup.sh`): a
//!   long-lived process per worker thread that reads one PDF after another. A pdftotext
//!   process per file spends about 40 % of its CPU starting and stopping; the worker's
//!   text is byte-identical to pdftotext's (same TextOutputDev settings, tested on every
//!   PDF the suite has), and a PDF that crashes or hangs poppler still takes only the
//!   worker down.
//! - `pdftotext` itself, one process per file: the reference, used when the worker is not
//!   installed, when `NIANBAO_PDF_ENGINE=pdftotext` is set, and for a PDF that made the
//!   worker die (so that such a PDF ends as it always did).
//!
//! Both are found on `PATH` at run time; when neither is there, PDFs fail with
//! `pdftotext_missing` instead of stopping the run. A PDF without a text layer (a scan)
//! has no text: `no_text_layer`, status failed; no OCR here.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{mpsc, Mutex};
use std::time::{Duration, Instant};

use crate::model::{Finding, Severity, Table};
use crate::read::{Document, Format, PageMeta};

/// The extractor program (the reference).
pub const PDFTOTEXT: &str = "pdftotext";

/// The long-lived extractor (`src/parse/read/pdf_worker.cc`).
pub const WORKER: &str = "nianbao-pdftext";

/// What the worker says first: its name and protocol version.
const WORKER_HELLO: &str = "nianbao-pdftext 1";

/// Set to `pdftotext` to run one pdftotext process per file even where the worker is
/// installed (the reference, for comparisons).
pub const ENGINE_VAR: &str = "NIANBAO_PDF_ENGINE";

/// A PDF whose extracted text is larger than this is not read.
pub const MAX_TEXT_BYTES: usize = 64 << 20;

/// A worker is replaced after this many PDFs, so that whatever poppler keeps between
/// documents cannot pile up over a national corpus. Starting one costs ~10 ms.
const WORKER_DOCUMENTS: usize = 500;

/// The engine that reads PDFs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// `nianbao-pdftext`, falling back to `pdftotext` where it cannot be started.
    Worker,
    /// One `pdftotext` process per file.
    Pdftotext,
}

/// Reads a PDF document with the engine in force (see the module documentation).
pub fn read(bytes: &[u8]) -> Document {
    let engine = match std::env::var(ENGINE_VAR) {
        Ok(v) if v == "pdftotext" => Engine::Pdftotext,
        _ => Engine::Worker,
    };
    read_with(engine, bytes)
}

/// Reads a PDF document with the given engine.
pub fn read_with(engine: Engine, bytes: &[u8]) -> Document {
    let extracted = match engine {
        Engine::Worker => worker::extract(bytes).unwrap_or_else(|| run_pdftotext(bytes)),
        Engine::Pdftotext => run_pdftotext(bytes),
    };
    document(extracted)
}

/// Whether `nianbao-pdftext` can be started here (it is then used for every PDF).
pub fn worker_available() -> bool {
    worker::available()
}

/// What an engine gave for one PDF.
enum Extracted {
    /// The engine ran to its end: its text, whether it reported success, and the first
    /// line it wrote on stderr.
    Ran {
        text: Vec<u8>,
        success: bool,
        first_error: String,
    },
    /// No engine could be started.
    Missing(String),
    /// Stopped at the time limit.
    TimedOut,
    /// More text than [`MAX_TEXT_BYTES`].
    TooLarge,
}

/// Turns what the engine gave into the document (the same for both engines).
fn document(extracted: Extracted) -> Document {
    let (text, success, first_error) = match extracted {
        Extracted::Ran {
            text,
            success,
            first_error,
        } => (text, success, first_error),
        Extracted::Missing(why) => {
            return Document::failed(
                Format::Pdf,
                "pdftotext_missing",
                format!("cannot run {PDFTOTEXT} ({why}); install poppler-utils to read PDF files"),
            )
        }
        Extracted::TimedOut => {
            return Document::failed(
                Format::Pdf,
                "limit_exceeded",
                format!(
                    "{PDFTOTEXT} did not finish within {} s; the PDF was not read",
                    crate::limits::get().pdf_timeout.as_secs()
                ),
            )
        }
        Extracted::TooLarge => {
            return Document::failed(
                Format::Pdf,
                "limit_exceeded",
                format!(
                    "the PDF's text exceeds {} MiB; not read",
                    MAX_TEXT_BYTES >> 20
                ),
            )
        }
    };
    let text = String::from_utf8_lossy(&text).into_owned();
    let mut findings = Vec::new();
    if !success && text.trim().is_empty() {
        return Document::failed(
            Format::Pdf,
            "pdf_unreadable",
            format!("{PDFTOTEXT} could not read the PDF (truncated or damaged?): {first_error}"),
        );
    }
    if !success || !first_error.is_empty() {
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
    if is_scan(&text) {
        let mut doc = Document::failed(
            Format::Pdf,
            "no_text_layer",
            "the PDF has no text layer, or a few words per page only (a scan, perhaps stamped by the website); no OCR is done",
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

/// Most characters a page of a scan may hold: the line a website or a scanner stamps on
/// each page (`本文件来源：政府信息公开专栏 第1页/共2页`). A page of a report's text holds
/// hundreds.
const SCAN_PAGE_CHARS: usize = 60;

/// True when the PDF has no text, or has several pages and none holds more than a
/// stamp's worth of text (pages end at form feeds). A single page of a few words is a
/// short document, not taken for a scan.
pub(super) fn is_scan(text: &str) -> bool {
    let chars = |page: &str| page.chars().filter(|c| !c.is_whitespace()).count();
    let pages: Vec<&str> = text
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .collect();
    pages.is_empty() || pages.len() >= 2 && pages.iter().all(|p| chars(p) <= SCAN_PAGE_CHARS)
}

/// One `pdftotext -layout -enc UTF-8 - -` process: the PDF on stdin, the text on stdout.
fn run_pdftotext(bytes: &[u8]) -> Extracted {
    let child = Command::new(PDFTOTEXT)
        .args(["-layout", "-enc", "UTF-8", "-", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) => return Extracted::Missing(e.to_string()),
    };
    let timeout = crate::limits::get().pdf_timeout;
    let started = Instant::now();
    let mut stdin = child.stdin.take();
    let stdout = child.stdout.take();
    let stderr = child.stderr.take();
    std::thread::scope(|scope| {
        // pdftotext may write before it has read everything, so stdin is fed, and
        // stdout/stderr drained, from threads of their own; stdout's reader stops past
        // the size limit. The end of stdout says the process is ending: it is waited for
        // on a channel, with the time limit, rather than polled.
        scope.spawn(move || {
            if let Some(s) = stdin.as_mut() {
                let _ = s.write_all(bytes);
            }
        });
        let (out_tx, out_rx) = mpsc::channel();
        scope.spawn(move || {
            let mut buf = Vec::new();
            if let Some(s) = stdout {
                let _ = s.take(MAX_TEXT_BYTES as u64 + 1).read_to_end(&mut buf);
            }
            let _ = out_tx.send(buf);
        });
        let err_reader = scope.spawn(move || {
            let mut buf = Vec::new();
            if let Some(s) = stderr {
                let _ = s.take(64 * 1024).read_to_end(&mut buf);
            }
            buf
        });
        let stdout = match out_rx.recv_timeout(timeout) {
            Ok(out) => out,
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                return Extracted::TimedOut;
            }
        };
        if stdout.len() > MAX_TEXT_BYTES {
            let _ = child.kill();
            let _ = child.wait();
            return Extracted::TooLarge;
        }
        // Its stdout closed, the process is exiting; the limit still holds in case not.
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break Some(status),
                Ok(None) if started.elapsed() > timeout => {
                    let _ = child.kill();
                    let _ = child.wait();
                    break None;
                }
                Ok(None) => std::thread::sleep(Duration::from_micros(200)),
                Err(_) => break None,
            }
        };
        let Some(status) = status else {
            return Extracted::TimedOut;
        };
        let stderr = err_reader.join().unwrap_or_default();
        let stderr = String::from_utf8_lossy(&stderr);
        Extracted::Ran {
            text: stdout,
            success: status.success(),
            first_error: stderr.lines().next().unwrap_or("").trim().to_string(),
        }
    })
}

/// The pool of `nianbao-pdftext` processes.
mod worker {
    use super::*;

    /// Whether the worker can be started: not yet known, yes, no.
    static STATE: AtomicU8 = AtomicU8::new(UNKNOWN);
    const UNKNOWN: u8 = 0;
    const AVAILABLE: u8 = 1;
    const UNAVAILABLE: u8 = 2;

    /// Idle workers. A thread takes one (or starts one) per PDF and puts it back after,
    /// so there are never more workers than threads reading PDFs at once.
    static IDLE: Mutex<Vec<Worker>> = Mutex::new(Vec::new());

    /// A reply, as the worker's reader thread received it.
    struct Reply {
        status: u8,
        text: Vec<u8>,
        first_error: String,
    }

    struct Worker {
        child: Child,
        stdin: ChildStdin,
        /// Replies from the thread reading the worker's stdout; closed when it ends.
        replies: mpsc::Receiver<Reply>,
        served: usize,
    }

    impl Worker {
        /// Starts a worker and waits for its greeting; `None` when it cannot be started
        /// or is not the worker this reader speaks to.
        fn start() -> Option<Worker> {
            let mut child = Command::new(WORKER)
                .arg(MAX_TEXT_BYTES.to_string())
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::null())
                .spawn()
                .ok()?;
            let stdin = child.stdin.take()?;
            let stdout = child.stdout.take()?;
            let (hello_tx, hello_rx) = mpsc::channel();
            let (tx, replies) = mpsc::channel();
            std::thread::Builder::new()
                .name("nianbao-pdftext".into())
                .spawn(move || {
                    let mut out = BufReader::with_capacity(1 << 16, stdout);
                    let mut hello = String::new();
                    let greeted = out.read_line(&mut hello).is_ok() && hello.trim() == WORKER_HELLO;
                    let _ = hello_tx.send(greeted);
                    if !greeted {
                        return;
                    }
                    while let Some(reply) = read_reply(&mut out) {
                        if tx.send(reply).is_err() {
                            return;
                        }
                    }
                })
                .ok()?;
            if hello_rx.recv_timeout(Duration::from_secs(10)) != Ok(true) {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
            Some(Worker {
                child,
                stdin,
                replies,
                served: 0,
            })
        }

        /// Ends the worker (it exits at the end of its input; killed in case it hangs).
        fn stop(mut self) {
            drop(self.stdin);
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }

    /// Reads one reply; `None` at the end of the stream or on anything malformed.
    fn read_reply(out: &mut impl Read) -> Option<Reply> {
        let mut status = [0u8; 1];
        out.read_exact(&mut status).ok()?;
        let text = read_bytes(out, MAX_TEXT_BYTES)?;
        let first_error = read_bytes(out, 64 * 1024)?;
        Some(Reply {
            status: status[0],
            text,
            first_error: String::from_utf8_lossy(&first_error).trim().to_string(),
        })
    }

    fn read_bytes(out: &mut impl Read, max: usize) -> Option<Vec<u8>> {
        let mut len = [0u8; 8];
        out.read_exact(&mut len).ok()?;
        let len = usize::try_from(u64::from_le_bytes(len)).ok()?;
        if len > max {
            return None;
        }
        let mut buf = vec![0u8; len];
        out.read_exact(&mut buf).ok()?;
        Some(buf)
    }

    /// Whether the worker can be started (tried once per process).
    pub(super) fn available() -> bool {
        match STATE.load(Ordering::Acquire) {
            AVAILABLE => true,
            UNAVAILABLE => false,
            _ => match take() {
                Some(w) => {
                    give_back(w);
                    true
                }
                None => false,
            },
        }
    }

    /// An idle worker, or a new one; `None` when the worker cannot be started.
    fn take() -> Option<Worker> {
        if STATE.load(Ordering::Acquire) == UNAVAILABLE {
            return None;
        }
        if let Some(w) = IDLE.lock().unwrap_or_else(|e| e.into_inner()).pop() {
            return Some(w);
        }
        let started = Worker::start();
        STATE.store(
            if started.is_some() {
                AVAILABLE
            } else {
                UNAVAILABLE
            },
            Ordering::Release,
        );
        started
    }

    fn give_back(w: Worker) {
        if w.served >= WORKER_DOCUMENTS {
            w.stop();
        } else {
            IDLE.lock().unwrap_or_else(|e| e.into_inner()).push(w);
        }
    }

    /// Extracts through a worker; `None` when there is none, or when the worker died on
    /// this PDF (the caller then runs pdftotext, which ends such a PDF as it always did).
    pub(super) fn extract(bytes: &[u8]) -> Option<Extracted> {
        let mut w = take()?;
        let timeout = crate::limits::get().pdf_timeout;
        let sent = w
            .stdin
            .write_all(&(bytes.len() as u64).to_le_bytes())
            .and_then(|()| w.stdin.write_all(bytes))
            .and_then(|()| w.stdin.flush());
        if sent.is_err() {
            w.stop();
            return None;
        }
        match w.replies.recv_timeout(timeout) {
            Ok(reply) => {
                w.served += 1;
                give_back(w);
                Some(match reply.status {
                    2 => Extracted::TooLarge,
                    status => Extracted::Ran {
                        text: reply.text,
                        success: status == 0,
                        first_error: reply.first_error,
                    },
                })
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                w.stop();
                Some(Extracted::TimedOut)
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                w.stop();
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_of_a_few_stamped_words_are_a_scan() {
        assert!(is_scan(""));
        assert!(is_scan("\n\n\u{c}\n"));
        let stamp = "本文件来源：政府信息公开专栏 第1页/共2页\n";
        assert!(is_scan(&format!("{stamp}\u{c}{stamp}")));
        let page = "某县2023年政府信息公开工作年度报告\n本报告根据《中华人民共和国政府信息公开条例》编制，全文包括总体情况、主动公开政府信息情况。\n";
        assert!(!is_scan(&format!("{stamp}\u{c}{page}")));
        assert!(
            !is_scan("Annual report 2023\nLicensing 447228\n"),
            "one short page"
        );
    }
}
