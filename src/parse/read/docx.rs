//! The DOCX reader: `word/document.xml` → the reader contract's text.
//!
//! The body is read event by event (no tree of the whole document is built). A paragraph
//! (`w:p`) is one line; a table row (`w:tr`) is one line of tab-separated cells laid out
//! on the table grid: a cell spanning columns (`w:gridSpan`) keeps its text in its first
//! column and leaves the others blank, and a cell continuing a vertical merge
//! (`w:vMerge` without `restart`) is blank, so every row of a table has its cells at
//! the same positions, as a word processor shows them. A table nested inside a cell has
//! its rows as lines of their own, after the row that holds it.
//!
//! Headers, footers, notes and comments are not read, only the body; deleted text,
//! field codes and the fallback copy of alternate content are skipped.
//!
//! The input is untrusted: the XML part may inflate to at most 64 MiB (declared and
//! actual size) and nest at most [`MAX_DEPTH`] elements deep.

use std::io::{Cursor, Read};

use quick_xml::events::{BytesStart, Event};
use quick_xml::name::QName;
use quick_xml::Reader;
use zip::ZipArchive;

use crate::read::{Document, Format};

/// Deepest element nesting accepted in `word/document.xml`.
pub const MAX_DEPTH: usize = 256;
/// Widest table row accepted, in grid columns (Word itself stops at 63): wider spans are
/// cut, so a few bytes of `w:gridSpan` cannot blow up into megabytes of tabs.
pub const MAX_COLUMNS: usize = 1024;
/// Most text the body may produce.
pub const MAX_TEXT_BYTES: usize = 128 << 20;

/// WordprocessingML, transitional and strict.
const W_NS: [&[u8]; 2] = [
    b"http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    b"http://purl.oclc.org/ooxml/wordprocessingml/main",
];
/// Markup compatibility (`mc:AlternateContent`).
const MC_NS: &[u8] = b"http://schemas.openxmlformats.org/markup-compatibility/2006";

/// A minimal Word container (content types, package relationship) around
/// `word/document.xml`: the DOCX files `nianbao synth` writes, the fuzz target's and the
/// tests' inputs.
pub fn container(document_xml: &[u8]) -> Vec<u8> {
    use crate::read::archive::stored::{build, Entry};
    build(&[
        Entry::new(
            "[Content_Types].xml",
            br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#,
        ),
        Entry::new(
            "_rels/.rels",
            br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#,
        ),
        Entry::new("word/document.xml", document_xml),
    ])
}

/// Reads a DOCX document.
pub fn read(bytes: &[u8]) -> Document {
    read_with_limit(bytes, crate::limits::get().member_bytes)
}

/// Why the body could not be read.
enum Failure {
    /// Not a DOCX, or broken XML.
    Unreadable(String),
    /// Over a size or depth limit.
    Limit(String),
}

fn read_with_limit(bytes: &[u8], limit: u64) -> Document {
    match body_text(bytes, limit) {
        Ok(text) => Document {
            text,
            format: Format::Docx,
            encoding: "docx".to_string(),
            findings: Vec::new(),
            page: Default::default(),
            failed: false,
        },
        Err(Failure::Unreadable(why)) => Document::failed(Format::Docx, "docx_unreadable", why),
        Err(Failure::Limit(why)) => Document::failed(Format::Docx, "limit_exceeded", why),
    }
}

fn body_text(bytes: &[u8], limit: u64) -> Result<String, Failure> {
    let mut archive = ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| Failure::Unreadable(format!("not a readable DOCX (zip) file: {e}")))?;
    let index = archive
        .index_for_name_raw(b"word/document.xml")
        .ok_or_else(|| Failure::Unreadable("the DOCX has no word/document.xml".to_string()))?;
    let part = archive
        .by_index(index)
        .map_err(|e| Failure::Unreadable(format!("word/document.xml cannot be read: {e}")))?;
    if part.size() > limit {
        return Err(Failure::Limit(format!(
            "word/document.xml declares {} bytes uncompressed, over the limit of {limit}",
            part.size()
        )));
    }
    // Inflated whole, then parsed in place: events borrow the bytes instead of being
    // copied through a buffered reader (the part is a few hundred KB; the limit bounds it).
    let mut xml = Vec::with_capacity(part.size() as usize);
    let mut capped = Capped {
        inner: part,
        left: limit,
        exceeded: false,
    };
    if let Err(e) = capped.read_to_end(&mut xml) {
        return Err(if capped.exceeded {
            Failure::Limit(format!(
                "word/document.xml inflates past the limit of {limit} bytes"
            ))
        } else {
            Failure::Unreadable(format!("word/document.xml cannot be read: {e}"))
        });
    }
    Body::default().parse(&mut Reader::from_reader(&xml[..]))
}

/// A reader that fails once more than `left` bytes have been read through it.
struct Capped<R> {
    inner: R,
    left: u64,
    exceeded: bool,
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n as u64 > self.left {
            self.exceeded = true;
            return Err(std::io::Error::other("size limit exceeded"));
        }
        self.left -= n as u64;
        Ok(n)
    }
}

/// How a cell takes part in a vertical merge.
#[derive(Clone, Copy, PartialEq)]
enum VMerge {
    None,
    Restart,
    Continue,
}

/// A cell being read.
struct Cell {
    paragraphs: Vec<String>,
    span: usize,
    vmerge: VMerge,
}

/// A row being read: finished cells laid on the grid, the open cell, and the lines of
/// tables nested in its cells (written after the row).
#[derive(Default)]
struct Row {
    grid: Vec<String>,
    cell: Option<Cell>,
    after: Vec<String>,
}

/// A table being read: its finished lines and the open row.
#[derive(Default)]
struct Table {
    lines: Vec<String>,
    row: Option<Row>,
}

/// The parse state.
#[derive(Default)]
struct Body {
    out: Vec<String>,
    /// Open tables, innermost last.
    tables: Vec<Table>,
    /// Open paragraphs, innermost last (a text box puts paragraphs inside a paragraph).
    paragraphs: Vec<String>,
    /// Inside `w:t`: text is collected.
    in_text: bool,
    /// Inside `w:body`.
    in_body: bool,
    depth: usize,
    /// Bytes of the lines produced so far.
    emitted: usize,
}

impl Body {
    fn parse(mut self, xml: &mut Reader<&[u8]>) -> Result<String, Failure> {
        let mut scopes = Scopes::default();
        loop {
            let event = xml.read_event().map_err(|e| malformed(xml, e))?;
            match event {
                Event::Start(e) => {
                    self.depth += 1;
                    if self.depth > MAX_DEPTH {
                        return Err(Failure::Limit(format!(
                            "word/document.xml nests elements deeper than {MAX_DEPTH}"
                        )));
                    }
                    scopes.declare(&e, self.depth)?;
                    let local = e.local_name().into_inner();
                    let ns = if read_at_start(local) {
                        scopes.resolve(e.name())
                    } else {
                        Ns::Other
                    };
                    let skipped = ns == Ns::Mc && local == b"Fallback"
                        || ns == Ns::W
                            && matches!(local, b"delText" | b"instrText" | b"del" | b"moveFrom");
                    if skipped {
                        // The fallback repeats the choice; deleted text is not text.
                        xml.read_to_end(e.name()).map_err(|e| malformed(xml, e))?;
                        scopes.leave(self.depth);
                        self.depth -= 1;
                    } else if ns == Ns::W {
                        self.start(local, &e, false)?;
                    }
                }
                Event::Empty(e) => {
                    scopes.declare(&e, self.depth + 1)?;
                    let local = e.local_name().into_inner();
                    if read_at_start(local) && scopes.resolve(e.name()) == Ns::W {
                        self.start(local, &e, true)?;
                    }
                    scopes.leave(self.depth + 1);
                }
                Event::End(e) => {
                    let local = e.local_name().into_inner();
                    if matches!(local, b"body" | b"t" | b"p" | b"tc" | b"tr" | b"tbl")
                        && scopes.resolve(e.name()) == Ns::W
                    {
                        self.end(local);
                    }
                    scopes.leave(self.depth);
                    self.depth = self.depth.saturating_sub(1);
                }
                Event::Text(t) if self.in_text => {
                    let s = t.xml_content().map_err(|e| malformed(xml, e))?;
                    self.push_text(&s);
                }
                Event::CData(t) if self.in_text => {
                    let s = t.decode().map_err(|e| malformed(xml, e))?;
                    self.push_text(&s);
                }
                Event::GeneralRef(r) if self.in_text => {
                    let resolved = match r.resolve_char_ref().map_err(|e| malformed(xml, e))? {
                        Some(c) => c.to_string(),
                        None => {
                            let name = r.decode().map_err(|e| malformed(xml, e))?;
                            quick_xml::escape::resolve_predefined_entity(&name)
                                .ok_or_else(|| {
                                    Failure::Unreadable(format!(
                                        "word/document.xml uses an unknown entity &{name};"
                                    ))
                                })?
                                .to_string()
                        }
                    };
                    self.push_text(&resolved);
                }
                Event::Eof => break,
                _ if self.emitted > MAX_TEXT_BYTES => {
                    return Err(Failure::Limit(format!(
                        "word/document.xml produces more than {MAX_TEXT_BYTES} bytes of text"
                    )));
                }
                _ => {}
            }
        }
        if self.depth != 0 {
            return Err(Failure::Unreadable(
                "word/document.xml ends before its elements are closed".to_string(),
            ));
        }
        let mut text = self.out.join("\n");
        text.push('\n');
        Ok(text)
    }

    /// The body as read before [`Scopes`] (quick-xml's `NsReader`), for the tests.
    #[cfg(test)]
    fn parse_ns<R: std::io::BufRead>(
        mut self,
        xml: &mut quick_xml::NsReader<R>,
    ) -> Result<String, Failure> {
        let mut buf = Vec::new();
        let mut skip = Vec::new();
        loop {
            let (w, mc, event) = match xml.read_resolved_event_into(&mut buf) {
                Ok((ns, event)) => {
                    let is = |names: &[&[u8]]| matches!(ns, quick_xml::name::ResolveResult::Bound(quick_xml::name::Namespace(n)) if names.contains(&n));
                    (is(&W_NS), is(&[MC_NS]), event)
                }
                Err(e) => return Err(Failure::Unreadable(e.to_string())),
            };
            match event {
                Event::Start(e) => {
                    self.depth += 1;
                    if self.depth > MAX_DEPTH {
                        return Err(Failure::Limit(format!(
                            "word/document.xml nests elements deeper than {MAX_DEPTH}"
                        )));
                    }
                    let local = e.local_name().as_ref().to_vec();
                    let skipped = mc && local == b"Fallback"
                        || w && matches!(
                            local.as_slice(),
                            b"delText" | b"instrText" | b"del" | b"moveFrom"
                        );
                    if skipped {
                        // The fallback repeats the choice; deleted text is not text.
                        let end = e.name().as_ref().to_vec();
                        xml.read_to_end_into(quick_xml::name::QName(&end), &mut skip)
                            .map_err(|e| Failure::Unreadable(e.to_string()))?;
                        skip.clear();
                        self.depth -= 1;
                    } else if w {
                        self.start(&local, &e, false)?;
                    }
                }
                Event::Empty(e) if w => {
                    let local = e.local_name().as_ref().to_vec();
                    self.start(&local, &e, true)?;
                }
                Event::End(e) => {
                    self.depth = self.depth.saturating_sub(1);
                    if w {
                        self.end(e.local_name().as_ref());
                    }
                }
                Event::Text(t) if self.in_text => {
                    let s = t
                        .xml_content()
                        .map_err(|e| Failure::Unreadable(e.to_string()))?;
                    self.push_text(&s);
                }
                Event::CData(t) if self.in_text => {
                    let s = t.decode().map_err(|e| Failure::Unreadable(e.to_string()))?;
                    self.push_text(&s);
                }
                Event::GeneralRef(r) if self.in_text => {
                    let resolved = match r
                        .resolve_char_ref()
                        .map_err(|e| Failure::Unreadable(e.to_string()))?
                    {
                        Some(c) => c.to_string(),
                        None => {
                            let name =
                                r.decode().map_err(|e| Failure::Unreadable(e.to_string()))?;
                            quick_xml::escape::resolve_predefined_entity(&name)
                                .ok_or_else(|| {
                                    Failure::Unreadable(format!(
                                        "word/document.xml uses an unknown entity &{name};"
                                    ))
                                })?
                                .to_string()
                        }
                    };
                    self.push_text(&resolved);
                }
                Event::Eof => break,
                _ if self.emitted > MAX_TEXT_BYTES => {
                    return Err(Failure::Limit(format!(
                        "word/document.xml produces more than {MAX_TEXT_BYTES} bytes of text"
                    )));
                }
                _ => {}
            }
            buf.clear();
        }
        if self.depth != 0 {
            return Err(Failure::Unreadable(
                "word/document.xml ends before its elements are closed".to_string(),
            ));
        }
        let mut text = self.out.join("\n");
        text.push('\n');
        Ok(text)
    }

    /// An opening (or empty) WordprocessingML element.
    fn start(&mut self, local: &[u8], e: &BytesStart, empty: bool) -> Result<(), Failure> {
        match local {
            b"body" => self.in_body = !empty,
            _ if !self.in_body => {}
            b"p" => {
                self.paragraphs.push(String::new());
                if empty {
                    self.end_paragraph();
                }
            }
            b"t" => self.in_text = !empty,
            b"tab" if !self.paragraphs.is_empty() && !empty_ptab(e) => {
                // A tab stop in a paragraph; inside a cell a tab would split the cell.
                let c = if self.in_cell() { ' ' } else { '\t' };
                self.push_char(c);
            }
            b"br" | b"cr" => {
                let c = if self.in_cell() { ' ' } else { '\n' };
                self.push_char(c);
            }
            b"noBreakHyphen" => self.push_char('-'),
            b"tbl" => {
                self.tables.push(Table::default());
                if empty {
                    self.end_table();
                }
            }
            b"tr" => {
                if let Some(t) = self.tables.last_mut() {
                    t.row = Some(Row::default());
                }
                if empty {
                    self.end_row();
                }
            }
            b"tc" => {
                if let Some(row) = self.row() {
                    row.cell = Some(Cell {
                        paragraphs: Vec::new(),
                        span: 1,
                        vmerge: VMerge::None,
                    });
                }
                if empty {
                    self.end_cell();
                }
            }
            b"gridSpan" => {
                let span = val(e)?.and_then(|v| v.trim().parse::<usize>().ok());
                if let (Some(span), Some(cell)) = (span, self.cell()) {
                    // A span wider than any real table is a hostile file, not a layout.
                    cell.span = span.clamp(1, MAX_COLUMNS);
                }
            }
            b"vMerge" => {
                let restart = val(e)?.is_some_and(|v| v == "restart");
                if let Some(cell) = self.cell() {
                    cell.vmerge = if restart {
                        VMerge::Restart
                    } else {
                        VMerge::Continue
                    };
                }
            }
            b"gridBefore" => {
                let n = val(e)?.and_then(|v| v.trim().parse::<usize>().ok());
                if let (Some(n), Some(row)) = (n, self.row()) {
                    if row.grid.is_empty() && row.cell.is_none() {
                        row.grid.resize(n.min(MAX_COLUMNS), String::new());
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// A closing WordprocessingML element.
    fn end(&mut self, local: &[u8]) {
        match local {
            b"body" => self.in_body = false,
            _ if !self.in_body => {}
            b"t" => self.in_text = false,
            b"p" => self.end_paragraph(),
            b"tc" => self.end_cell(),
            b"tr" => self.end_row(),
            b"tbl" => self.end_table(),
            _ => {}
        }
    }

    fn in_cell(&self) -> bool {
        self.tables
            .last()
            .and_then(|t| t.row.as_ref())
            .is_some_and(|r| r.cell.is_some())
    }

    fn row(&mut self) -> Option<&mut Row> {
        self.tables.last_mut().and_then(|t| t.row.as_mut())
    }

    fn cell(&mut self) -> Option<&mut Cell> {
        self.row().and_then(|r| r.cell.as_mut())
    }

    fn push_text(&mut self, s: &str) {
        if let Some(p) = self.paragraphs.last_mut() {
            p.push_str(s);
        }
    }

    fn push_char(&mut self, c: char) {
        if let Some(p) = self.paragraphs.last_mut() {
            p.push(c);
        }
    }

    fn end_paragraph(&mut self) {
        let Some(text) = self.paragraphs.pop() else {
            return;
        };
        // A paragraph inside a text box inside a paragraph stays in that paragraph.
        if let Some(outer) = self.paragraphs.last_mut() {
            if !text.trim().is_empty() {
                if !outer.is_empty() {
                    outer.push(' ');
                }
                outer.push_str(text.trim());
            }
            return;
        }
        match self.cell() {
            Some(cell) => cell.paragraphs.push(text),
            None => {
                self.emitted += text.len() + 1;
                self.out.push(text);
            }
        }
    }

    fn end_cell(&mut self) {
        let Some(row) = self.row() else {
            return;
        };
        let Some(cell) = row.cell.take() else {
            return;
        };
        let text = if cell.vmerge == VMerge::Continue {
            super::COVERED.to_string()
        } else {
            cell_text(&cell.paragraphs)
        };
        if row.grid.len() >= MAX_COLUMNS {
            return;
        }
        row.grid.push(text);
        let covered = (row.grid.len() + cell.span - 1).min(MAX_COLUMNS);
        row.grid.resize(covered, super::COVERED.to_string());
    }

    fn end_row(&mut self) {
        if self.cell().is_some() {
            self.end_cell();
        }
        let Some(table) = self.tables.last_mut() else {
            return;
        };
        let Some(mut row) = table.row.take() else {
            return;
        };
        while row
            .grid
            .last()
            .is_some_and(|c| c.is_empty() || c == super::COVERED)
        {
            row.grid.pop();
        }
        let line = row.grid.join("\t");
        self.emitted += line.len() + 1;
        table.lines.push(line);
        table.lines.append(&mut row.after);
    }

    fn end_table(&mut self) {
        if self.row().is_some() {
            self.end_row();
        }
        let Some(table) = self.tables.pop() else {
            return;
        };
        match self.row() {
            Some(outer) => outer.after.extend(table.lines),
            None => self.out.extend(table.lines),
        }
    }
}

/// A cell's paragraphs as one field: joined with a space, with no tab or newline left.
fn cell_text(paragraphs: &[String]) -> String {
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

/// The elements whose start the reader acts on ([`Body::start`]) or skips the content of;
/// the namespace of any other is not looked up (most of a body's elements are
/// properties).
fn read_at_start(local: &[u8]) -> bool {
    matches!(
        local,
        b"body"
            | b"p"
            | b"t"
            | b"tab"
            | b"br"
            | b"cr"
            | b"noBreakHyphen"
            | b"tbl"
            | b"tr"
            | b"tc"
            | b"gridSpan"
            | b"vMerge"
            | b"gridBefore"
            | b"Fallback"
            | b"delText"
            | b"instrText"
            | b"del"
            | b"moveFrom"
    )
}

/// A `w:tab` inside `w:tabs` (a tab stop definition in paragraph properties) is not a
/// character; those carry a `w:val` (left, center, …) and `w:pos`.
fn empty_ptab(e: &BytesStart) -> bool {
    e.attributes()
        .flatten()
        .any(|a| a.key.local_name().as_ref() == b"pos")
}

/// The `w:val` attribute of an element.
fn val(e: &BytesStart) -> Result<Option<String>, Failure> {
    for attr in e.attributes() {
        let attr =
            attr.map_err(|e| Failure::Unreadable(format!("malformed XML attribute: {e}")))?;
        if attr.key.local_name().as_ref() == b"val" {
            let v = attr
                .unescape_value()
                .map_err(|e| Failure::Unreadable(format!("malformed XML attribute: {e}")))?;
            return Ok(Some(v.into_owned()));
        }
    }
    Ok(None)
}

/// The namespaces the reader tells apart.
#[derive(Clone, Copy, PartialEq)]
enum Ns {
    W,
    Mc,
    Other,
}

/// Namespace prefixes in scope. quick-xml's `NsReader` parses every element's attributes
/// to look for declarations (two thirds of the time of a LibreOffice body, whose runs all
/// carry properties); declarations are rare, so an element's attributes are only parsed
/// when its tag mentions `xmlns` (found from its `x`s: a searcher built per tag cost more
/// than the parse it saved).
#[derive(Default)]
struct Scopes {
    /// `(prefix, namespace, depth of the declaring element)`; the default namespace has
    /// the empty prefix.
    bound: Vec<(Vec<u8>, Ns, usize)>,
    /// The last prefix resolved (nearly every element is `w:`), until the bindings change.
    cache: Option<(Vec<u8>, Ns)>,
}

impl Scopes {
    fn declare(&mut self, e: &BytesStart, depth: usize) -> Result<(), Failure> {
        let raw = e.attributes_raw();
        if raw.len() < 6 || !memchr::memchr_iter(b'x', raw).any(|i| raw[i..].starts_with(b"xmlns"))
        {
            return Ok(());
        }
        self.cache = None;
        // As quick-xml's resolver: attributes unchecked, the first malformed one ends the
        // declarations, and binding the reserved prefixes or namespaces is an error.
        for attr in e.attributes().with_checks(false) {
            let Ok(attr) = attr else { break };
            let key = attr.key.as_ref();
            let prefix = match key.strip_prefix(b"xmlns") {
                Some([]) => &[][..],
                Some([b':', prefix @ ..]) => prefix,
                _ => continue,
            };
            let value = attr.value.as_ref();
            const XML: &[u8] = b"http://www.w3.org/XML/1998/namespace";
            const XMLNS: &[u8] = b"http://www.w3.org/2000/xmlns/";
            let reserved = match prefix {
                b"xml" if value == XML => continue,
                b"xml" | b"xmlns" => true,
                [] => false,
                _ => value == XML || value == XMLNS,
            };
            if reserved {
                return Err(Failure::Unreadable(format!(
                    "word/document.xml binds a reserved namespace prefix or name ({})",
                    String::from_utf8_lossy(key)
                )));
            }
            let ns = if W_NS.contains(&value) {
                Ns::W
            } else if value == MC_NS {
                Ns::Mc
            } else {
                Ns::Other
            };
            self.bound.push((prefix.to_vec(), ns, depth));
        }
        Ok(())
    }

    /// Drops the declarations of the element at `depth`, which is closing.
    fn leave(&mut self, depth: usize) {
        while self.bound.last().is_some_and(|b| b.2 >= depth) {
            self.bound.pop();
            self.cache = None;
        }
    }

    fn resolve(&mut self, name: QName) -> Ns {
        let name = name.into_inner();
        let prefix = name
            .iter()
            .position(|&b| b == b':')
            .map_or(&[][..], |i| &name[..i]);
        if let Some((cached, ns)) = &self.cache {
            if cached == prefix {
                return *ns;
            }
        }
        let ns = self
            .bound
            .iter()
            .rev()
            .find(|b| b.0 == prefix)
            .map_or(Ns::Other, |b| b.1);
        self.cache = Some((prefix.to_vec(), ns));
        ns
    }
}

fn malformed<R>(xml: &Reader<R>, e: impl std::fmt::Display) -> Failure {
    Failure::Unreadable(format!(
        "word/document.xml is not well-formed XML (at byte {}): {e}",
        xml.buffer_position()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::archive::stored::{build, Entry};

    /// Markup inserted into bodies at random: namespace declarations and other prefixes
    /// for the scopes, skipped content, references, malformed tags.
    const SNIPPETS: [&str; 24] = [
        "<w:p>", "</w:p>", "<w:r><w:t>x</w:t></w:r>", "</w:r>", "<w:tc>", "</w:tc>", "<w:tr>",
        "</w:tbl>", "<w:gridSpan w:val=\"3\"/>", "<w:vMerge/>", "<w:tab/>", "<w:br/>",
        "<x:p xmlns:x=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><x:r><x:t>ns</x:t></x:r></x:p>",
        "<w:p xmlns:w=\"urn:other\"><w:r><w:t>other</w:t></w:r></w:p>",
        "<p xmlns=\"http://purl.oclc.org/ooxml/wordprocessingml/main\"><r><t>strict</t></r></p>",
        "<mc:AlternateContent><mc:Choice><w:t>c</w:t></mc:Choice><mc:Fallback><w:t>f</w:t></mc:Fallback></mc:AlternateContent>",
        "<w:del><w:r><w:delText>gone</w:delText></w:r></w:del>", "&amp;", "&#x4E00;", "&bogus;",
        "<![CDATA[cd]]>", "<!-- c -->", "<?pi x?>", "<",
    ];

    fn body_xml(docx: &[u8]) -> Vec<u8> {
        crate::read::archive::members(docx)
            .unwrap()
            .into_iter()
            .find(|m| m.name == "word/document.xml")
            .unwrap()
            .bytes
            .unwrap()
    }

    fn same_as_before(xml: &[u8], what: &str) {
        let outcome = |r: Result<String, Failure>| match r {
            Ok(text) => Ok(text),
            Err(Failure::Unreadable(_)) => Err("unreadable"),
            Err(Failure::Limit(_)) => Err("limit"),
        };
        let new = outcome(Body::default().parse(&mut Reader::from_reader(xml)));
        let old = outcome(Body::default().parse_ns(&mut quick_xml::NsReader::from_reader(xml)));
        assert_eq!(new, old, "{what}: {}", String::from_utf8_lossy(xml));
    }

    /// The body reader against quick-xml's namespace reader, which it replaced: the same
    /// text (or the same kind of failure) for every DOCX synth writes, and for bodies
    /// with elements dropped and markup inserted.
    #[test]
    fn reads_what_the_namespace_reader_read() {
        let options = crate::synth::Options {
            seed: 11,
            defect_rate: 0.3,
            formats: vec![crate::synth::SynthFormat::Docx],
            panel: None,
        };
        let mut rng = 11u64;
        let mut next = |n: usize| {
            rng = rng
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((rng >> 33) as usize) % n.max(1)
        };
        let fixture = include_bytes!("../../../tests/fixtures/docx/gold/wusu_stats_2023.docx");
        let mut bodies = vec![("fixture".to_string(), body_xml(fixture))];
        for i in 0..150 {
            for file in crate::synth::report(&options, i) {
                if crate::read::sniff(&file.bytes) == Format::Docx {
                    bodies.push((file.path.clone(), body_xml(&file.bytes)));
                }
            }
        }
        for (what, xml) in bodies {
            same_as_before(&xml, &what);
            let text = String::from_utf8_lossy(&xml).into_owned();
            for _ in 0..6 {
                let mut m = text.clone();
                for _ in 0..1 + next(3) {
                    let mut at = next(m.len() + 1);
                    while !m.is_char_boundary(at) {
                        at -= 1;
                    }
                    if next(3) == 0 {
                        // A tag dropped.
                        if let (Some(lt), Some(gt)) = (m[at..].find('<'), m[at..].find('>')) {
                            if lt < gt {
                                m.replace_range(at + lt..at + gt + 1, "");
                            }
                        }
                    } else {
                        m.insert_str(at, SNIPPETS[next(SNIPPETS.len())]);
                    }
                }
                same_as_before(m.as_bytes(), &format!("{what} mutated"));
            }
        }
    }

    const NS: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006""#;

    fn docx(body: &str) -> Vec<u8> {
        let xml = format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {NS}><w:body>{body}<w:sectPr/></w:body></w:document>"#
        );
        container(xml.as_bytes())
    }

    fn text(body: &str) -> String {
        let doc = read(&docx(body));
        assert!(!doc.failed, "{:?}", doc.findings);
        assert_eq!(doc.format, Format::Docx);
        assert_eq!(doc.encoding, "docx");
        // Grid positions covered by a merged cell shown as `^`.
        doc.text.replace(crate::read::COVERED, "^")
    }

    fn p(s: &str) -> String {
        format!("<w:p><w:r><w:t>{s}</w:t></w:r></w:p>")
    }

    fn tc(props: &str, paras: &[&str]) -> String {
        let ps: String = paras.iter().map(|s| p(s)).collect();
        format!("<w:tc><w:tcPr>{props}</w:tcPr>{ps}</w:tc>")
    }

    #[test]
    fn paragraphs_tabs_and_breaks() {
        let body = r#"<w:p><w:bookmarkStart w:id="0" w:name="_GoBack"/><w:pPr><w:tabs><w:tab w:val="left" w:pos="420"/></w:tabs></w:pPr><w:r><w:t xml:space="preserve">乌苏市 </w:t></w:r><w:bookmarkEnd w:id="0"/><w:r><w:t>统计局</w:t><w:tab/><w:t>A&amp;B&#x4E00;</w:t><w:br/><w:t>second</w:t></w:r></w:p><w:p/><w:p><w:r><w:delText>gone</w:delText><w:t>kept</w:t></w:r></w:p>"#;
        assert_eq!(text(body), "乌苏市 统计局\tA&B一\nsecond\n\nkept\n");
    }

    #[test]
    fn grid_span_and_vertical_merge_fill_the_grid() {
        let rows = [
            format!(
                "<w:tr>{}{}</w:tr>",
                tc(
                    r#"<w:gridSpan w:val="2"/><w:vMerge w:val="restart"/>"#,
                    &["note"]
                ),
                tc(r#"<w:gridSpan w:val="3"/>"#, &["申请人情况"])
            ),
            format!(
                "<w:tr>{}{}{}{}</w:tr>",
                tc(r#"<w:gridSpan w:val="2"/><w:vMerge/>"#, &[""]),
                tc("", &["自然人"]),
                tc("", &["商业", "企业"]),
                tc("", &["总计"])
            ),
            format!(
                "<w:tr>{}{}{}{}{}</w:tr>",
                tc(r#"<w:vMerge w:val="restart"/>"#, &["三、办理结果"]),
                tc("", &["（一）予以公开"]),
                tc("", &["1"]),
                tc("", &["2"]),
                tc("", &["3"])
            ),
            format!(
                "<w:tr>{}{}{}{}{}</w:tr>",
                tc(r#"<w:vMerge w:val="continue"/>"#, &[]),
                tc("", &["（二）部分公开"]),
                tc("", &["0"]),
                tc("", &[""]),
                tc("", &[""])
            ),
        ];
        let body = format!("{}<w:tbl>{}</w:tbl>{}", p("前"), rows.concat(), p("后"));
        assert_eq!(
            text(&body),
            "前\nnote\t^\t申请人情况\n^\t^\t自然人\t商业 企业\t总计\n三、办理结果\t（一）予以公开\t1\t2\t3\n^\t（二）部分公开\t0\n后\n"
        );
    }

    #[test]
    fn nested_tables_follow_their_row_and_tabs_in_cells_are_spaces() {
        let inner = format!(
            "<w:tbl><w:tr>{}{}</w:tr><w:tr>{}</w:tr></w:tbl>",
            tc("", &["i1"]),
            tc("", &["i2"]),
            tc("", &["i3"])
        );
        let body = format!(
            "<w:tbl><w:tr><w:trPr><w:gridBefore w:val=\"1\"/></w:trPr>{}<w:tc><w:p><w:r><w:t>a</w:t><w:tab/><w:t>b</w:t></w:r></w:p>{inner}</w:tc></w:tr><w:tr>{}</w:tr></w:tbl>",
            tc("", &["x"]),
            tc("", &["y"])
        );
        assert_eq!(text(&body), "\tx\ta b\ni1\ti2\ni3\ny\n");
    }

    #[test]
    fn alternate_content_is_read_once() {
        let body = format!(
            "<w:p><w:r><w:t>box:</w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><w:txbxContent>{}</w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent>{}</w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>",
            p("inside"),
            p("inside")
        );
        assert_eq!(text(&body), "box: inside\n");
    }

    #[test]
    fn malformed_xml_is_unreadable_not_a_panic() {
        for xml in [
            format!("<w:document {NS}><w:body><w:p><w:t>x</w:p></w:body></w:document>"),
            format!("<w:document {NS}><w:body><w:p><w:r><w:t>unclosed"),
            format!("<w:document {NS}><w:body><w:p><w:r><w:t>&bogus;</w:t></w:r></w:p></w:body></w:document>"),
        ] {
            let zip = build(&[Entry::new("word/document.xml", xml.as_bytes())]);
            let doc = read(&zip);
            assert!(doc.failed);
            assert_eq!(doc.findings[0].check, "docx_unreadable", "{xml}");
        }
    }

    #[test]
    fn not_a_docx_is_unreadable() {
        let zip = build(&[Entry::new("other.xml", b"<x/>")]);
        let doc = read(&zip);
        assert!(doc.failed);
        assert_eq!(doc.findings[0].check, "docx_unreadable");
        assert!(doc.findings[0].message.contains("word/document.xml"));
        assert_eq!(
            read(b"PK\x03\x04 truncated").findings[0].check,
            "docx_unreadable"
        );
    }

    #[test]
    fn size_and_depth_limits() {
        let xml = format!("<w:document {NS}><w:body>{}</w:body></w:document>", p("x"));
        let zip = build(&[Entry {
            declared: Some(100 << 20),
            ..Entry::new("word/document.xml", xml.as_bytes())
        }]);
        let doc = read(&zip);
        assert!(doc.failed);
        assert_eq!(doc.findings[0].check, "limit_exceeded");

        // Lying about the size does not help: the part fails to inflate (zip checks the
        // declared size) and our own counter stops at the limit whatever zip does.
        let big = format!(
            "<w:document {NS}><w:body>{}</w:body></w:document>",
            p(&"x".repeat(5000))
        );
        let zip = build(&[Entry {
            declared: Some(10),
            ..Entry::new("word/document.xml", big.as_bytes())
        }]);
        assert!(read_with_limit(&zip, 1000).failed);
        let mut capped = Capped {
            inner: Cursor::new(vec![0u8; 5000]),
            left: 1000,
            exceeded: false,
        };
        assert!(std::io::copy(&mut capped, &mut std::io::sink()).is_err());
        assert!(capped.exceeded);

        // Spans are cut at the widest row accepted.
        let wide = format!(
            "<w:tbl><w:tr>{}{}{}</w:tr></w:tbl>",
            tc(
                &format!(r#"<w:gridSpan w:val="{}"/>"#, MAX_COLUMNS - 1),
                &["x"]
            ),
            tc(r#"<w:gridSpan w:val="99999999"/>"#, &["y"]),
            tc("", &["z"])
        );
        let line = text(&wide);
        assert_eq!(line.matches('\t').count(), MAX_COLUMNS - 1);
        assert!(line.starts_with('x') && line.ends_with("y\n"));

        let deep = format!(
            "<w:document {NS}><w:body>{}{}</w:body></w:document>",
            "<w:sdt>".repeat(MAX_DEPTH + 10),
            "</w:sdt>".repeat(MAX_DEPTH + 10)
        );
        let zip = build(&[Entry::new("word/document.xml", deep.as_bytes())]);
        assert_eq!(read(&zip).findings[0].check, "limit_exceeded");
    }

    #[test]
    fn the_fixture_reads_as_a_grid() {
        let bytes = include_bytes!("../../../tests/fixtures/docx/gold/wusu_stats_2023.docx");
        let doc = read(bytes);
        let shown = doc.text.replace(crate::read::COVERED, "^");
        let lines: Vec<&str> = shown.lines().collect();
        for expected in [
            "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t^\t^\t申请人情况",
            "^\t^\t^\t自然人\t法人或其他组织\t^\t^\t^\t^\t总计",
            "^\t^\t^\t^\t商业 企业\t科研 机构\t社会公益组织\t法律服务机构\t其他",
            "一、本年新收政府信息公开申请数量\t^\t^\t5\t2\t0\t0\t0\t1\t8",
            "三、本年度办理结果\t（一）予以公开\t^\t3\t1\t0\t0\t0\t0\t4",
            "^\t（三）不予公开\t1.属于国家秘密\t0\t0\t0\t0\t0\t0\t0",
            "^\t^\t4.保护第三方合法权益\t0\t1\t0\t0\t0\t0\t1",
            "行政复议\t^\t^\t^\t^\t行政诉讼",
            "^\t^\t^\t^\t^\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计",
            "行政处罚\t4",
            "一是政府信息公开领域需进一步拓宽。",
            "\t\t2024年1月15日",
        ] {
            assert!(lines.contains(&expected), "missing line {expected:?}");
        }
        // Body only: not the header part, nor deleted text, nor the text box twice.
        assert!(!doc.text.contains("页眉"));
        assert!(!doc.text.contains("删除"));
        assert_eq!(doc.text.matches("公开版").count(), 1);
    }
}
