//! Stage 2: bytes → a document's text, whatever the format.
//!
//! Each format is a reader that turns a file into the same thing: text lines in which a
//! table row is one line with its cells separated by tabs (merged cells expanded into
//! the grid a browser or word processor shows, covered positions left blank), and
//! paragraphs are lines of their own. Everything after this stage — normalise, segment,
//! extract — is one code path for all formats.
//!
//! The format is decided from the bytes (magic numbers), not the file name; a name that
//! disagrees with the bytes is a finding. Text and HTML that a scraper decoded as
//! ISO-8859-1 and saved again are repaired here (`mojibake`), before anything reads them.

pub mod archive;
pub mod compressed;
pub mod delimited;
pub mod doc;
pub mod docx;
pub mod escaped;
pub mod html;
pub mod http;
pub mod json;
pub mod mime;
pub mod mojibake;
pub mod odt;
pub mod ofd;
pub mod pdf;
pub mod rtf;
pub mod tar;
pub mod text;
pub mod warc;
pub mod word_layout;
pub mod xml;

use serde::Serialize;

pub use crate::model::PageMeta;
use crate::model::{Finding, Severity, Table};

/// Input formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// Plain text in any supported encoding.
    Text,
    /// An HTML page.
    Html,
    /// A Word 2007+ document.
    Docx,
    /// A Word 97–2003 binary document (`.doc`, and `.wps` saved in Word's format).
    Doc,
    /// A Word document saved as one XML file (Word 2003 XML, flat OPC).
    WordXml,
    /// An OpenDocument text (`.odt`).
    Odt,
    /// Another office package (a spreadsheet or presentation: `.xlsx`, `.pptx`, `.ods`):
    /// not read, and not opened as an archive of documents either.
    OfficeOther,
    /// A Rich Text Format document (`.rtf`, and `.doc` files that are RTF).
    Rtf,
    /// A PDF file.
    Pdf,
    /// An OFD file (GB/T 33190, China's fixed-layout format).
    Ofd,
    /// A zip archive (its members are documents of their own).
    Zip,
    /// A legacy binary office file that is not a Word 97+ document (`.xls`, `.ppt`, a
    /// broken compound file): not read.
    LegacyOffice,
    /// A gzip or zlib stream (inflated and sniffed again; the format of a report only
    /// when it cannot be inflated).
    Compressed,
    /// An HTTP response saved with its headers (the body is sniffed again; the format of
    /// a report only when its body cannot be read).
    Http,
    /// A tar archive (its members are documents of their own).
    Tar,
    /// A WARC web archive (its response records are documents of their own).
    Warc,
}

impl Format {
    /// The code written to the `reports` table.
    pub fn code(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Html => "html",
            Format::Docx => "docx",
            Format::Doc => "doc",
            Format::WordXml => "word_xml",
            Format::Odt => "odt",
            Format::OfficeOther => "office_other",
            Format::Rtf => "rtf",
            Format::Pdf => "pdf",
            Format::Ofd => "ofd",
            Format::Zip => "zip",
            Format::LegacyOffice => "legacy_office",
            Format::Compressed => "compressed",
            Format::Http => "http",
            Format::Tar => "tar",
            Format::Warc => "warc",
        }
    }

    /// True for the formats a report is published in (PDF and word-processor files): one
    /// that cannot be read is still most likely a report. Text and HTML fail only when
    /// they are binary or over a limit; archives, spreadsheets and slides hold no report
    /// of their own.
    pub fn holds_documents(self) -> bool {
        matches!(
            self,
            Format::Pdf
                | Format::Ofd
                | Format::Docx
                | Format::Doc
                | Format::WordXml
                | Format::Odt
                | Format::Rtf
        )
    }
}

/// One document as read.
#[derive(Debug, Clone)]
pub struct Document {
    /// The text (tables as tab-separated lines).
    pub text: String,
    /// The format the bytes turned out to be.
    pub format: Format,
    /// The character encoding used (for text and HTML), or the extractor (for PDF).
    pub encoding: String,
    /// Findings raised while reading.
    pub findings: Vec<Finding>,
    /// Page metadata (HTML).
    pub page: PageMeta,
    /// True when nothing could be read (binary, unsupported, no text layer, …).
    pub failed: bool,
}

impl Document {
    /// A document read whole by a reader of a structured format (its `encoding` is the
    /// format's name: the format itself encodes the characters).
    pub fn read(format: Format, text: String) -> Self {
        Document {
            text,
            format,
            encoding: format.code().to_string(),
            findings: Vec::new(),
            page: PageMeta::default(),
            failed: false,
        }
    }

    /// A document that could not be read, with the finding that says why.
    pub fn failed(format: Format, check: &'static str, message: impl Into<String>) -> Self {
        Document {
            text: String::new(),
            format,
            encoding: String::new(),
            findings: vec![Finding::new(Severity::Error, check, message).at(
                Table::Reports,
                None,
                None,
            )],
            page: PageMeta::default(),
            failed: true,
        }
    }
}

/// Written by the grid readers (HTML, DOCX) at a grid position that a merged cell covers
/// (`colspan`/`rowspan`, `gridSpan`/`vMerge`): it is not a cell of its own, so it must
/// not count as a blank cell when numbers are placed by position. A private-use
/// character: never in real text, kept by NFKC, dropped by the segmenter.
pub const COVERED: &str = "\u{E000}";

/// A table cell's paragraphs as one field (the grid readers' rule): joined with a space,
/// with no tab or newline left.
pub(crate) fn cell_text(paragraphs: &[String]) -> String {
    let mut out = String::new();
    for piece in paragraphs
        .iter()
        .flat_map(|p| p.split(['\t', '\n', '\r']))
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(piece);
    }
    out
}

/// Text set as a superscript (`<sup>`, a Word run raised by `w:vertAlign`): its digits
/// written as the Unicode superscript digits, so that the normaliser knows a note mark
/// after a number (`413¹`, which it drops) from a digit of the number. Joined as plain
/// digits, `647<sup>1</sup>` read as 6471.
pub(crate) fn superscript(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '0' | '０' => '⁰',
            '1' | '１' => '¹',
            '2' | '２' => '²',
            '3' | '３' => '³',
            '4'..='9' => char::from_u32(0x2074 + (c as u32 - '4' as u32)).unwrap_or(c),
            '４'..='９' => char::from_u32(0x2074 + (c as u32 - '４' as u32)).unwrap_or(c),
            c => c,
        })
        .collect()
}

/// A table row's line (the grid readers' rule): its cells joined by tabs, without the
/// blank or covered cells at its end.
pub(crate) fn row_line(mut grid: Vec<String>) -> String {
    while grid.last().is_some_and(|c| c.is_empty() || c == COVERED) {
        grid.pop();
    }
    grid.join("\t")
}

/// Decides the format from the bytes; `name` (the file name, for the extension) only
/// breaks ties between formats that share a container (OLE files).
pub fn sniff(bytes: &[u8]) -> Format {
    let head = &bytes[..bytes.len().min(1024)];
    let markup_head = &bytes[..bytes.len().min(SNIFF_MARKUP_LEN)];
    // Containers first: what they hold (a PDF after a response's headers or a tar
    // member's header) would be taken for the file's own format.
    if compressed::is_gzip(head) || compressed::is_zlib(head) && zlib_stream(bytes) {
        return Format::Compressed;
    }
    if http::status_line(head).is_some() {
        return Format::Http;
    }
    if warc::is_warc(head) {
        return Format::Warc;
    }
    if tar::is_tar(bytes) {
        return Format::Tar;
    }
    if head.starts_with(b"%PDF-")
        || memchr::memmem::find(head, b"%PDF-").is_some() && !looks_like_markup(head)
    {
        return Format::Pdf;
    }
    if head.starts_with(b"PK\x03\x04") {
        return if archive::is_docx(bytes) {
            Format::Docx
        } else {
            archive::office_package(bytes).unwrap_or(Format::Zip)
        };
    }
    if head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Format::LegacyOffice;
    }
    if rtf::is_rtf(head) {
        return Format::Rtf;
    }
    if docx::is_word_xml(markup_head) {
        return Format::WordXml;
    }
    if looks_like_markup(markup_head) && !markdown_with_html_blocks(bytes) {
        return Format::Html;
    }
    Format::Text
}

/// True for Markdown that keeps some HTML blocks (`pandoc -t gfm` writes a page's
/// `<div>`s as they were): pipe tables (a delimiter row `|---|`) and no tag of an HTML
/// page's text (`<p>`, `<br>`, `<td>`, `<body>`). Read as HTML, its lines ran together
/// and every table was lost; read as text, any `<table>` it keeps is still rendered in
/// place.
fn markdown_with_html_blocks(bytes: &[u8]) -> bool {
    let delimiter_row = memchr::memmem::find_iter(bytes, b"\n|").any(|i| {
        let rest = &bytes[i + 2..];
        let rest = rest.strip_prefix(b" ").unwrap_or(rest);
        rest.starts_with(b"---") || rest.starts_with(b":--")
    });
    // Or Markdown's headings and pandoc's list items (`-   <a …>title</a>`): read as
    // HTML, a list of links ran into one line and an index page passed for a report.
    let structure = || {
        memchr::memmem::find_iter(bytes, b"\n#").any(|i| {
            let rest = &bytes[i + 1..];
            let level = rest.iter().take_while(|&&b| b == b'#').count();
            level <= 6 && rest.get(level) == Some(&b' ')
        }) && memchr::memmem::find(bytes, b"\n-   ").is_some()
    };
    if !delimiter_row && !structure() {
        return false;
    }
    const PAGE_TAGS: [&[u8]; 5] = [b"<p>", b"<p ", b"<br", b"<td", b"<body"];
    // A pipe table writes a cell's line breaks as `<br>`: those, on a row of the table
    // (a line opening with `|`), are Markdown's, not a page's.
    let in_pipe_row = |i: usize| {
        let from = memchr::memrchr(b'\n', &bytes[..i]).map_or(0, |n| n + 1);
        bytes[from..i].trim_ascii_start().starts_with(b"|")
    };
    !memchr::memchr_iter(b'<', bytes).any(|i| {
        PAGE_TAGS.iter().any(|t| {
            bytes
                .get(i..i + t.len())
                .is_some_and(|w| w.eq_ignore_ascii_case(t))
                && !(t[1] == b'b' && delimiter_row && in_pipe_row(i))
        })
    })
}

/// True when bytes with a zlib header inflate whole (with a right checksum): two bytes of
/// text can pass the header check.
fn zlib_stream(bytes: &[u8]) -> bool {
    matches!(
        compressed::inflate(bytes, compressed::Wrapper::Zlib, compressed::cap()),
        compressed::Inflated::Whole(_) | compressed::Inflated::OverLimit(_)
    )
}

/// How many transport layers are taken off one file (an HTTP response holding a gzip
/// holding a tar): a gzip quine would otherwise never end.
pub const MAX_LAYERS: usize = 4;

/// A file's content with one transport layer taken off.
#[derive(Debug)]
pub struct Layer {
    /// The content inside the layer.
    pub bytes: Vec<u8>,
    /// What the layer was (info) and what was wrong with it (a cut stream, a warning).
    pub findings: Vec<Finding>,
    /// The encoding a response's header named, when the body was decoded with it.
    pub encoding: Option<&'static str>,
}

/// The content of `bytes` when they are a transport layer around a file (a saved HTTP
/// response, a gzip or zlib stream); `Err` with the failed document when the layer cannot
/// be taken off; `None` when `bytes` are no such layer.
pub fn unwrap(bytes: &[u8]) -> Option<Result<Layer, Document>> {
    let at = |f: Finding| f.at(Table::Reports, None, None);
    match sniff(bytes) {
        Format::Http => {
            let body = match http::response(bytes)? {
                Ok(body) => body,
                Err(failure) => {
                    let (check, why) = match failure {
                        http::Failure::Unsupported(coding) => (
                            "unsupported_format",
                            format!("a saved HTTP response whose body is compressed with {coding}, which is not undone: not read"),
                        ),
                        http::Failure::OverLimit(cap) => (
                            "limit_exceeded",
                            format!("a saved HTTP response whose body inflates past the limit of {cap} bytes: not read"),
                        ),
                        http::Failure::Unreadable(why) => (
                            "compressed_unreadable",
                            format!("a saved HTTP response whose compressed body cannot be inflated ({why}): not read"),
                        ),
                    };
                    return Some(Err(Document::failed(Format::Http, check, why)));
                }
            };
            let mut what = format!("a saved HTTP response (status {}", body.status);
            if let Some(ct) = &body.content_type {
                what += &format!(", Content-Type {ct}");
            }
            what.push(')');
            if !body.undone.is_empty() {
                what += &format!(", {} undone", body.undone.join(" and "));
            }
            if let Some(enc) = body.charset {
                what += &format!(", decoded as {} as its header says", text::name(enc));
            }
            let mut findings = vec![at(Finding::new(
                Severity::Info,
                "http_response",
                format!("{what}: its header block taken off and the body read"),
            ))];
            if let Some(damage) = body.damage {
                findings.push(at(Finding::new(Severity::Warning, "http_framing", damage)));
            }
            Some(Ok(Layer {
                bytes: body.bytes,
                findings,
                encoding: body.charset.map(text::name),
            }))
        }
        Format::Compressed => {
            let wrapper = if compressed::is_gzip(bytes) {
                compressed::Wrapper::Gzip
            } else {
                compressed::Wrapper::Zlib
            };
            let name = wrapper.name();
            let (bytes, damage) = match compressed::inflate(bytes, wrapper, compressed::cap()) {
                compressed::Inflated::Whole(v) => (v, None),
                compressed::Inflated::Cut(v, why) => (v, Some(why)),
                compressed::Inflated::Unreadable(why) => {
                    return Some(Err(Document::failed(
                        Format::Compressed,
                        "compressed_unreadable",
                        format!("a {name} stream that cannot be inflated ({why}): not read"),
                    )))
                }
                compressed::Inflated::OverLimit(cap) => {
                    return Some(Err(Document::failed(
                        Format::Compressed,
                        "limit_exceeded",
                        format!(
                            "a {name} stream that inflates past the limit of {cap} bytes: not read"
                        ),
                    )))
                }
            };
            let mut findings = vec![at(Finding::new(
                Severity::Info,
                "compressed",
                format!(
                    "a {name} stream, inflated to {} bytes and read",
                    bytes.len()
                ),
            ))];
            if let Some(why) = damage {
                findings.push(at(Finding::new(
                    Severity::Warning,
                    "compressed_truncated",
                    format!(
                        "the {name} stream is cut ({why}): only the part before the cut is read"
                    ),
                )));
            }
            Some(Ok(Layer {
                bytes,
                findings,
                encoding: None,
            }))
        }
        _ => None,
    }
}

/// True when a page ends in text after its last tag: it was cut inside that text. Cut
/// inside a tag (after its last `<`), the text before the tag is whole. (No trail byte of
/// GBK, Big5 or UTF-8 is `<` or `>`; a UTF-16 page's NULs are skipped.)
fn ends_inside_text(bytes: &[u8]) -> bool {
    let Some(end) = bytes
        .iter()
        .rposition(|b| !b.is_ascii_whitespace() && *b != 0)
    else {
        return false;
    };
    let last = |c: u8| bytes[..=end].iter().rposition(|&b| b == c);
    bytes[end] != b'>' && last(b'<') <= last(b'>')
}

/// How far into a file fragment tags are looked for (a crawler's header block may come
/// before the markup).
const SNIFF_MARKUP_LEN: usize = 4096;

/// HTML markers at the start of a file (in ASCII, so any ASCII-compatible charset; UTF-16
/// pages are looked at after decoding by the text reader). A page is recognised by its
/// tags, not its frame: scrapers save fragments that start with `<p …>` or `<span>` and
/// have no `<html>` or `<body>`, and pages whose body is held in a script's string.
fn looks_like_markup(head: &[u8]) -> bool {
    const MARKERS: [&[u8]; 7] = [
        b"<!doctype html",
        b"<html",
        b"<head",
        b"<body",
        b"<meta ",
        b"<table",
        b"<div",
    ];
    // Tags that text reports do not print but a fragment is made of; `<br>` is left out
    // because Markdown tables use it inside cells.
    const FRAGMENT_TAGS: [&[u8]; 14] = [
        b"<p>",
        b"<p ",
        b"</p>",
        b"<span",
        b"</span>",
        b"<tr",
        b"<td",
        b"</td>",
        b"<strong",
        b"<font",
        b"<section",
        b"<h1",
        b"<h2",
        b"<li",
    ];
    let first_kb = &head[..head.len().min(1024)];
    // Jumping from `<` to `<`: a text report has few, and this runs on every file.
    let matches = |hay: &[u8], markers: &[&[u8]]| {
        memchr::memchr_iter(b'<', hay)
            .filter(|&i| {
                markers.iter().any(|m| {
                    hay.get(i..i + m.len())
                        .is_some_and(|w| w.eq_ignore_ascii_case(m))
                })
            })
            .count()
    };
    matches(first_kb, &MARKERS) > 0 || matches(head, &FRAGMENT_TAGS) >= 3
}

/// Text that carries its tables as HTML markup (a Markdown or `<br>`-lined export whose
/// merged-cell tables the converter wrote as `<table>`, past the head where markup is
/// looked for): each table rendered in place as the HTML reader renders tables, one row
/// a line, the text around left as it is. `None` when the text holds no such table.
fn embedded_tables(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let tag_at = |i: usize, tag: &[u8]| {
        bytes
            .get(i..i + tag.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(tag))
    };
    let find = |from: usize, tag: &[u8]| {
        memchr::memchr_iter(b'<', &bytes[from..])
            .map(|i| from + i)
            .find(|&i| tag_at(i, tag))
    };
    let first = find(0, b"<table")?;
    find(first, b"<td").or_else(|| find(first, b"<th"))?;
    let mut out = String::with_capacity(text.len());
    let mut rest = 0;
    let mut start = Some(first);
    while let Some(open) = start {
        // The matching `</table>` (tables nest), or the end of a text cut inside it.
        let mut depth = 0usize;
        let mut end = bytes.len();
        for i in memchr::memchr_iter(b'<', &bytes[open..]).map(|i| open + i) {
            if tag_at(i, b"<table") {
                depth += 1;
            } else if tag_at(i, b"</table>") {
                depth -= 1;
                if depth == 0 {
                    end = i + "</table>".len();
                    break;
                }
            }
        }
        out.push_str(&text[rest..open]);
        out.push('\n');
        out.push_str(html::read(&bytes[open..end]).text.trim_matches('\n'));
        out.push('\n');
        rest = end;
        start = find(end, b"<table");
    }
    out.push_str(&text[rest..]);
    Some(out)
}

/// A file that holds pages of its own: a crawler's JSON or XML export (a page a record),
/// a MIME message (a browser's web archive, an e-mail). Each page is read as a document.
#[derive(Debug)]
pub struct Export {
    /// The finding's check (`json_export`, `xml_export`, `mime_message`).
    pub check: &'static str,
    /// What the file is, for the finding's message.
    pub what: &'static str,
    /// The pages.
    pub pages: Vec<json::Record>,
}

/// The pages of an export, or `None` when `bytes` are a document of their own. A Word
/// document saved as XML is one document, whatever its elements hold (a flat package's
/// base64 image is as long as a page).
pub fn export(bytes: &[u8]) -> Option<Export> {
    if docx::is_word_xml(&bytes[..bytes.len().min(SNIFF_MARKUP_LEN)]) {
        return None;
    }
    if let Some(pages) = json::records(bytes) {
        return Some(Export {
            check: "json_export",
            what: "a JSON export: the page is the string at",
            pages,
        });
    }
    if let Some(pages) = xml::records(bytes) {
        return Some(Export {
            check: "xml_export",
            what: "an XML export: the page is the text of the element",
            pages,
        });
    }
    if let Some(pages) = delimited::records(bytes) {
        return Some(Export {
            check: "csv_export",
            what: "a CSV or TSV export: the page is the field of row and column",
            pages,
        });
    }
    let body = mime::body(bytes)?;
    let (bytes, origin) = if body.html {
        (body.bytes, "the text/html part")
    } else {
        // A plain-text body: the subject is its title, as a crawler's header gives it.
        // Without a declared charset the body is as sent (detected alone unless UTF-8).
        let rest = body
            .bytes
            .strip_prefix(b"\xEF\xBB\xBF")
            .unwrap_or(&body.bytes);
        let text = match (&body.subject, std::str::from_utf8(rest)) {
            (Some(subject), Ok(rest)) => format!(
                "\u{FEFF}{}{rest}",
                json::crawler_header(Some(subject), None)
            )
            .into_bytes(),
            _ => body.bytes,
        };
        (text, "the text/plain part")
    };
    Some(Export {
        check: "mime_message",
        what: "a MIME message (a saved web archive or an e-mail): the page is",
        pages: vec![json::Record {
            bytes,
            origin: origin.to_string(),
        }],
    })
}

/// The named references a page's text uses for characters a crawler left unresolved when
/// it stripped the tags.
const NAMED_REFERENCES: [(&str, char); 20] = [
    ("amp", '&'),
    ("apos", '\''),
    ("emsp", '\u{2003}'),
    ("ensp", '\u{2002}'),
    ("gt", '>'),
    ("hellip", '…'),
    ("ldquo", '“'),
    ("lsquo", '‘'),
    ("lt", '<'),
    ("mdash", '—'),
    ("middot", '·'),
    ("nbsp", '\u{A0}'),
    ("ndash", '–'),
    ("quot", '"'),
    ("rdquo", '”'),
    ("rsquo", '’'),
    ("thinsp", '\u{2009}'),
    ("times", '×'),
    ("yen", '¥'),
    ("zwsp", '\u{200B}'),
];

/// Text with HTML character references (`&nbsp;`, `&#20013;`, `&#x4e2d;`) resolved, as a
/// crawler that strips tags but not references leaves them; `None` when it has none.
/// Left in, `&nbsp;413` was an unreadable cell and a label written `&#34892;&#25919;…`
/// no label at all. An `&` that starts no reference is kept. Also the JSON reader's, for
/// a body stored entity-escaped.
pub(super) fn character_references(text: &str) -> Option<String> {
    let reference = |rest: &str| -> Option<(char, usize)> {
        let end = memchr::memchr(b';', &rest.as_bytes()[..rest.len().min(12)])?;
        let body = &rest[1..end];
        let c = if let Some(hex) = body.strip_prefix("#x").or_else(|| body.strip_prefix("#X")) {
            char::from_u32(u32::from_str_radix(hex, 16).ok()?)?
        } else if let Some(dec) = body.strip_prefix('#') {
            char::from_u32(dec.parse().ok()?)?
        } else {
            NAMED_REFERENCES
                .binary_search_by(|(n, _)| n.cmp(&body))
                .ok()
                .map(|i| NAMED_REFERENCES[i].1)?
        };
        Some((c, end + 1))
    };
    let first =
        memchr::memchr_iter(b'&', text.as_bytes()).find(|&i| reference(&text[i..]).is_some())?;
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..first]);
    let mut rest = &text[first..];
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        match reference(rest) {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    Some(out)
}

/// Text whose lines end in a lone `\r` (classic Mac OS, some exporters) with each such
/// line end made `\n`; `None` when no line ends that way. Read as it was, the whole
/// document would be one line, in which no heading or row can be found.
fn lone_carriage_returns(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    memchr::memchr_iter(b'\r', bytes).find(|&i| bytes.get(i + 1) != Some(&b'\n'))?;
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('\r') {
        out.push_str(&rest[..i]);
        if rest[i + 1..].starts_with('\n') {
            out.push_str("\r\n");
            rest = &rest[i + 2..];
        } else {
            out.push('\n');
            rest = &rest[i + 1..];
        }
    }
    out.push_str(rest);
    Some(out)
}

/// The format a file name's extension claims, if it names one we know.
pub fn claimed_format(name: &str) -> Option<Format> {
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase())?;
    Some(match ext.as_str() {
        "txt" | "md" | "text" => Format::Text,
        "html" | "htm" | "shtml" | "xhtml" | "jsp" | "asp" | "aspx" | "php" => Format::Html,
        "docx" => Format::Docx,
        "pdf" => Format::Pdf,
        "ofd" => Format::Ofd,
        "zip" => Format::Zip,
        "doc" | "wps" => Format::Doc,
        "rtf" => Format::Rtf,
        "odt" => Format::Odt,
        "xlsx" | "pptx" | "ods" | "odp" => Format::OfficeOther,
        "xls" | "et" | "ppt" => Format::LegacyOffice,
        _ => return None,
    })
}

/// Reads one (non-archive) document. `name` is the file name, used only to report a
/// mismatch between the extension and the bytes.
pub fn read(bytes: &[u8], name: &str) -> Document {
    read_at(bytes, name, 0)
}

fn read_at(bytes: &[u8], name: &str, depth: usize) -> Document {
    if let Some(layer) = unwrap(bytes) {
        return match layer {
            Ok(layer) if depth < MAX_LAYERS => {
                let mut doc = read_at(&layer.bytes, name, depth + 1);
                doc.findings.splice(0..0, layer.findings);
                if let Some(e) = layer.encoding {
                    doc.encoding = e.to_string();
                }
                doc
            }
            Ok(_) => Document::failed(
                Format::Compressed,
                "compressed_unreadable",
                format!(
                    "more than {MAX_LAYERS} layers of compression or saved responses: not read"
                ),
            ),
            Err(doc) => doc,
        };
    }
    let format = sniff(bytes);
    let mut doc = match format {
        Format::Text => {
            let mut d = text::read(bytes);
            let mut unescaped = None;
            if !d.failed {
                if let Some(text) = escaped::unescape(&d.text) {
                    d.text = text;
                    d.findings.push(
                        Finding::new(
                            Severity::Info,
                            "escapes_undone",
                            "the text is an escaped string (a database dump, a string literal): its \\n and \\t escapes were undone before reading",
                        )
                        .at(Table::Reports, None, None),
                    );
                    // The readers take a BOM for UTF-8, whatever a page says of itself.
                    unescaped = Some(format!("\u{FEFF}{}", d.text));
                }
            }
            // A UTF-16 page is only recognisable as HTML once decoded.
            if !d.failed
                && looks_like_markup({
                    let t = d.text.trim_start().as_bytes();
                    &t[..t.len().min(SNIFF_MARKUP_LEN)]
                })
                && !markdown_with_html_blocks(d.text.as_bytes())
            {
                let findings = std::mem::take(&mut d.findings);
                d = html::read(unescaped.as_deref().map_or(bytes, str::as_bytes));
                if unescaped.is_some() {
                    d.findings.splice(0..0, findings);
                }
            } else if !d.failed {
                if let Some(text) = embedded_tables(&d.text) {
                    d.text = text;
                }
                if let Some(text) = character_references(&d.text) {
                    d.text = text;
                }
            }
            d
        }
        Format::Html => html::read(bytes),
        Format::Docx => docx::read(bytes),
        Format::Pdf => pdf::read(bytes),
        Format::Ofd => ofd::read(bytes),
        Format::LegacyOffice | Format::Doc => doc::read(bytes),
        Format::Rtf => rtf::read(bytes),
        Format::WordXml => docx::read_xml(bytes),
        Format::Odt => odt::read(bytes),
        Format::OfficeOther => Document::failed(
            Format::OfficeOther,
            "unsupported_format",
            "an office document that is not a text document (a spreadsheet or a presentation): not read",
        ),
        Format::Zip | Format::Tar | Format::Warc => Document::failed(
            format,
            "nested_archive",
            "an archive inside an archive is not opened",
        ),
        // Taken off above.
        Format::Compressed | Format::Http => Document::failed(
            format,
            "compressed_unreadable",
            "a layer that cannot be taken off: not read",
        ),
    };
    if doc.format == Format::Text && !doc.failed {
        if let Some(text) = lone_carriage_returns(&doc.text) {
            doc.text = text;
        }
    }
    if doc.format == Format::Html && !doc.failed && ends_inside_text(bytes) {
        // A page cut inside its text (`…<td>49` where `4907.59` was printed): its last
        // line is left unfinished, as a cut text file's is, so the cell it ends in is
        // taken as cut rather than read as a number.
        let kept = doc.text.trim_end_matches('\n').len();
        doc.text.truncate(kept);
    }
    if doc.format == Format::Text && !doc.failed {
        if let Some(repaired) = mojibake::repair(&doc.text, &doc.encoding) {
            doc.text = repaired.text;
            if let Some(encoding) = repaired.encoding {
                doc.encoding = encoding.to_string();
            }
            doc.findings.extend(repaired.findings);
        }
    }
    if let Some(claimed) = claimed_format(name).filter(|_| depth == 0) {
        if claimed != doc.format && !(claimed == Format::Text && doc.format == Format::Html) {
            doc.findings.push(
                Finding::new(
                    Severity::Warning,
                    "format_mismatch",
                    format!(
                        "the file name says {} but the bytes are {}; read as {}",
                        claimed.code(),
                        doc.format.code(),
                        doc.format.code()
                    ),
                )
                .at(Table::Reports, None, None),
            );
        }
    }
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn character_references_left_by_a_crawler_are_resolved() {
        assert_eq!(
            character_references("行政许可\t&nbsp;413\n&#34892;&#x653F;复议 A&B &amp; 中&#;文&zz;"),
            Some("行政许可\t\u{A0}413\n行政复议 A&B & 中&#;文&zz;".to_string())
        );
        assert_eq!(character_references("A&B 中文&"), None);
        // A reference cut by the end of the text, or a multi-byte character after `&`.
        assert_eq!(character_references("中&#2001"), None);
        assert_eq!(character_references("&中文字符很长的一段;&nbsp"), None);
    }

    #[test]
    fn lone_carriage_returns_end_lines() {
        assert_eq!(lone_carriage_returns("a\r\nb\n"), None);
        assert_eq!(
            lone_carriage_returns("a\rb\r\nc\r").as_deref(),
            Some("a\nb\r\nc\n")
        );
        let report = "某县统计局2023年政府信息公开工作年度报告\r二、主动公开政府信息情况\r| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\r| 规章 | 1 | 0 | 3 |\r";
        let r = crate::parse_document(report.as_bytes());
        assert!(
            r.proactive.iter().any(|c| c.value == Some(3.0)),
            "{:?}",
            r.proactive
        );
    }

    #[test]
    fn a_page_cut_inside_a_number_leaves_that_cell_out() {
        let page = "<html><head><title>某县统计局2023年政府信息公开工作年度报告</title></head><body><p>二、主动公开政府信息情况</p><table><tr><td>第二十条第（八）项</td></tr><tr><td>信息内容</td><td>本年收费金额（单位：万元）</td></tr><tr><td>行政事业性收费</td><td>4907.59</td></tr></table></body></html>\n";
        let fees = |bytes: &[u8]| {
            let r = crate::parse_document(bytes);
            let value = r
                .proactive
                .iter()
                .find(|c| c.item == "administrative_fees")
                .and_then(|c| c.value);
            let truncated = r.findings.iter().any(|f| f.check == "truncated");
            (value, truncated)
        };
        assert_eq!(fees(page.as_bytes()), (Some(4907.59), false));
        let cut = &page[..page.find("907.59").unwrap()];
        assert_eq!(fees(cut.as_bytes()), (None, true), "{cut}");
        // Cut inside a tag after the number: the number is whole.
        let cut = &page[..page.find("</td></tr></table>").unwrap() + 3];
        assert_eq!(fees(cut.as_bytes()).0, Some(4907.59));
    }

    #[test]
    fn sniffs_by_magic_numbers() {
        assert_eq!(sniff(b"%PDF-1.7\n..."), Format::Pdf);
        assert_eq!(
            sniff(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0]),
            Format::LegacyOffice
        );
        assert_eq!(
            sniff(b"<!DOCTYPE html><html><body>x</body></html>"),
            Format::Html
        );
        assert_eq!(sniff("一、总体情况\n".as_bytes()), Format::Text);
    }

    #[test]
    fn markdown_keeping_div_blocks_is_text() {
        let md = "<div class=\"nav\">\n\n首页\n\n</div>\n\n| 信息内容 | 本年新制作数量 |\n|---|---|\n| 规章 | 0 |\n";
        assert_eq!(sniff(md.as_bytes()), Format::Text);
        let page = "<div>\n<p>a</p>\n| x |\n|---|\n";
        assert_eq!(sniff(page.as_bytes()), Format::Html);
        let br_cell = "<div class=\"nav\">\n\n| 信息内容 | 本年新制作数量 |\n|---|---|\n| 规范性<br>文件 | 0 |\n";
        assert_eq!(sniff(br_cell.as_bytes()), Format::Text);
        let br_page = "<div>\na<br>b\n| x |\n|---|\n";
        assert_eq!(sniff(br_page.as_bytes()), Format::Html);
        let list = "<div class=\"list\">\n\n### 年报\n\n-   <a href=\"a.html\"\n    title=\"t\">某局2019年政府信息公开工作年度报告</a><span\n    class=\"date\">2020-02-16</span>\n-   <a href=\"b.html\">…</a>\n</div>\n";
        assert_eq!(sniff(list.as_bytes()), Format::Text);
    }

    #[test]
    fn fragments_are_markup_by_their_tags() {
        let fragment = "<p style=\"text-align:center\"><span>某县2023年政府信息公开工作年度报告</span></p><p>正文</p>";
        assert_eq!(sniff(fragment.as_bytes()), Format::Html);
        let script = "let content = \"<p class=\\\"x\\\">一、总体情况</p><p>二、主动公开</p><span>x</span>\";";
        assert_eq!(sniff(script.as_bytes()), Format::Html);
        // Markdown tables with <br> in cells stay text.
        let md = "| 一、本年新收<br>申请数量 | 1 |<br>\n| 二、上年结转<br>申请 | 0 |<br>\n";
        assert_eq!(sniff(md.as_bytes()), Format::Text);
    }

    #[test]
    fn tables_in_markup_inside_text_are_rendered_in_place() {
        // Lines ending in `<br>`, the first table far past the head markup is looked for in.
        let prose = "正文。<br>\n".repeat(800);
        let text = format!("# 某县统计局2023年政府信息公开工作年度报告<br>\n{prose}二、主动公开政府信息情况<br>\n<table><tr><td>信息内容</td><td>本年收费金额（单位：万元）</td></tr><tr><td>行政事业性收费</td><td>12.5</td></tr></TABLE>\n三、收到和处理政府信息公开申请情况<br>\n<table><tr><td>a<table><tr><td>b</td></tr></table></td></tr>");
        let doc = read(text.as_bytes(), "report.html");
        assert_eq!(doc.format, Format::Text);
        assert!(doc
            .text
            .contains("\n行政事业性收费\t12.5\n\n三、收到和处理政府信息公开申请情况"));
        assert!(!doc.text.contains("<td"));
        let r = crate::parse_document(text.as_bytes());
        let fee = r.proactive.iter().find(|c| c.item == "administrative_fees");
        assert_eq!(fee.and_then(|c| c.value), Some(12.5));
        // A text without a table in markup is left as it is.
        assert_eq!(embedded_tables("<b>一、总体情况</b>\n| a | 1 |\n"), None);
    }

    const REPORT: &str = "某县统计局2023年政府信息公开工作年度报告\n二、主动公开政府信息情况\n| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n| 规章 | 1 | 0 | 3 |\n";

    fn regulations(r: &crate::Report) -> Option<f64> {
        r.proactive
            .iter()
            .find(|c| c.item == "regulations" && c.measure == "in_force")
            .and_then(|c| c.value)
    }

    fn checks(r: &crate::Report) -> Vec<&'static str> {
        r.findings.iter().map(|f| f.check).collect()
    }

    #[test]
    fn a_gzipped_page_is_inflated_and_read() {
        let z = compressed::gzip(REPORT.as_bytes());
        let r = crate::parse_file(&z, "page.txt.gz").remove(0);
        assert_eq!(regulations(&r), Some(3.0));
        assert_eq!(r.format, "text");
        assert_eq!(r.bytes, z.len() as u64);
        assert_eq!(r.report_id, crate::report_id(&z));
        assert!(checks(&r).contains(&"compressed"));
        // Cut: flagged, never silently short.
        let r = crate::parse_file(&z[..z.len() - 12], "page.txt.gz").remove(0);
        assert!(
            checks(&r).contains(&"compressed_truncated"),
            "{:?}",
            checks(&r)
        );
        let r = crate::parse_file(&z[..10], "page.txt.gz").remove(0);
        assert_eq!(r.status, crate::Status::Failed);
        assert!(checks(&r).contains(&"compressed_unreadable"));
    }

    #[test]
    fn a_gzip_bomb_fails_with_limit_exceeded() {
        let bomb = compressed::gzip(&vec![b' '; (compressed::cap() + 1) as usize]);
        let r = crate::parse_file(&bomb, "bomb.gz").remove(0);
        assert_eq!(r.status, crate::Status::Failed);
        assert_eq!(r.format, "compressed");
        assert!(checks(&r).contains(&"limit_exceeded"));
    }

    #[test]
    fn a_saved_response_is_read_as_its_body() {
        let (gbk, _, _) = encoding_rs::GBK.encode(REPORT);
        let mut file = b"HTTP/1.1 302 Found\r\nLocation: /b\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=GBK\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
        for chunk in gbk.chunks(40) {
            file.extend(format!("{:x}\r\n", chunk.len()).bytes());
            file.extend(chunk);
            file.extend(b"\r\n");
        }
        file.extend(b"0\r\n\r\n");
        let r = crate::parse_file(&file, "page.txt").remove(0);
        assert_eq!(regulations(&r), Some(3.0));
        assert_eq!(r.encoding, "GBK");
        assert!(checks(&r).contains(&"http_response"));
        assert!(!checks(&r).contains(&"format_mismatch"));
    }

    #[test]
    fn tar_gz_and_warc_members_are_documents_of_their_own() {
        let other = REPORT.replace("统计局", "民政局").replace("| 3 |", "| 4 |");
        let tar = tar::build(&[
            ("a/1.txt", REPORT.as_bytes()),
            ("a/2.txt", other.as_bytes()),
        ]);
        let reports = crate::parse_file(&compressed::gzip(&tar), "r.tar.gz");
        let got: Vec<(String, Option<f64>)> = reports
            .iter()
            .map(|r| (r.source_path.clone(), regulations(r)))
            .collect();
        assert_eq!(
            got,
            [
                ("r.tar.gz!/a/1.txt".to_string(), Some(3.0)),
                ("r.tar.gz!/a/2.txt".to_string(), Some(4.0))
            ]
        );
        let mut body = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n".to_vec();
        body.extend(other.as_bytes());
        let mut warc = warc::record("request", "http://x/1.txt", b"GET / HTTP/1.1\r\n\r\n");
        warc.extend(warc::record("response", "http://x/1.txt", &body));
        let reports = crate::parse_file(&warc, "crawl.warc");
        assert_eq!(reports.len(), 1);
        assert_eq!(reports[0].source_path, "crawl.warc!/http://x/1.txt");
        assert_eq!(regulations(&reports[0]), Some(4.0));
        // An archive inside a member is not opened.
        let nested = tar::build(&[("inner.tar", &tar)]);
        let r = crate::parse_file(&nested, "outer.tar").remove(0);
        assert!(checks(&r).contains(&"nested_archive"));
    }

    #[test]
    fn an_escaped_dump_line_is_read_as_its_report() {
        let dump = format!(
            "INSERT INTO `article` VALUES (1,'{}');\n",
            REPORT.replace('\n', "\\n").repeat(6)
        );
        let r = crate::parse_file(dump.as_bytes(), "dump.sql").remove(0);
        assert_eq!(r.kind, crate::Kind::Report);
        assert!(checks(&r).contains(&"escapes_undone"));
    }

    #[test]
    fn a_pdf_named_html_is_read_as_pdf_and_flagged() {
        let doc = read(b"%PDF-1.4\n%%EOF", "report.html");
        assert_eq!(doc.format, Format::Pdf);
        assert!(doc.findings.iter().any(|f| f.check == "format_mismatch"));
    }
}
