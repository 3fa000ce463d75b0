//! The OpenDocument text reader (`.odt`, what LibreOffice and some Chinese office suites
//! save): `content.xml` of the package → the reader contract's text.
//!
//! A paragraph or heading (`text:p`, `text:h`) is a line; a table row is one line of
//! tab-separated cells. ODF writes the grid itself: a cell spanning columns or rows is
//! followed by `table:covered-table-cell` elements at the positions it covers, which
//! become [`COVERED`]; `table:number-columns-repeated` repeats a cell. A nested table's rows
//! follow the row that holds it. Tracked changes (the deleted text kept in
//! `text:tracked-changes`), notes, annotations and hidden text (hidden elements, and
//! runs, paragraphs and sections whose automatic style or own attribute says
//! `text:display="none"`) are not read.
//!
//! Elements are known by their prefixes (`text:`, `table:`, `office:`), which every ODF
//! writer uses for the ODF namespaces.

use std::io::Cursor;

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use zip::ZipArchive;

use crate::read::{cell_text, Document, Format, COVERED};

/// Deepest element nesting accepted.
const MAX_DEPTH: usize = super::docx::MAX_DEPTH;
/// Widest row, in grid columns.
const MAX_COLUMNS: usize = super::docx::MAX_COLUMNS;

/// An OpenDocument text package holding `content_xml`: the fuzz target's and the tests'
/// input.
pub fn container(content_xml: &[u8]) -> Vec<u8> {
    use crate::read::archive::stored::{build, Entry};
    build(&[
        Entry::new("mimetype", b"application/vnd.oasis.opendocument.text"),
        Entry::new("content.xml", content_xml),
    ])
}

/// Reads an OpenDocument text file.
pub fn read(bytes: &[u8]) -> Document {
    let limit = crate::limits::get().member_bytes;
    let xml = ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| e.to_string())
        .and_then(|mut zip| super::docx::part(&mut zip, "content.xml", limit));
    let text = xml.and_then(|xml| body(&xml));
    match text {
        Ok(text) => Document::read(Format::Odt, text),
        Err(why) => Document::failed(Format::Odt, "odt_unreadable", why),
    }
}

#[derive(Default)]
struct Table {
    lines: Vec<String>,
    row: Option<Row>,
}

#[derive(Default)]
struct Row {
    grid: Vec<String>,
    cell: Option<Vec<String>>,
    /// Copies of the cell being read (`table:number-columns-repeated`).
    repeat: usize,
    /// Copies of the row (`table:number-rows-repeated`).
    copies: usize,
    after: Vec<String>,
}

fn attr(e: &BytesStart, name: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .and_then(|a| a.unescape_value().ok().map(|v| v.into_owned()))
}

fn count(e: &BytesStart, name: &[u8]) -> usize {
    attr(e, name)
        .and_then(|v| v.trim().parse::<usize>().ok())
        .unwrap_or(1)
        .clamp(1, MAX_COLUMNS)
}

/// The document's lines.
fn body(xml: &[u8]) -> Result<String, String> {
    let mut reader = Reader::from_reader(xml);
    let malformed = |r: &Reader<&[u8]>, e: &dyn std::fmt::Display| {
        format!(
            "content.xml is not well-formed XML (at byte {}): {e}",
            r.buffer_position()
        )
    };
    let mut out: Vec<String> = Vec::new();
    let mut tables: Vec<Table> = Vec::new();
    let mut paragraphs: Vec<String> = Vec::new();
    let mut in_body = false;
    // Automatic styles that hide their text (`text:display="none"`), and the style being
    // read: LibreOffice hides a run or a paragraph through such a style.
    let mut hidden_styles: Vec<String> = Vec::new();
    let mut style: Option<String> = None;
    let mut depth = 0usize;
    let mut emitted = 0usize;
    loop {
        let event = reader.read_event().map_err(|e| malformed(&reader, &e))?;
        let (e, empty) = match event {
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::Text(t) => {
                if let Some(p) = paragraphs.last_mut() {
                    let s = t.xml_content().map_err(|e| malformed(&reader, &e))?;
                    p.push_str(&s);
                    emitted += s.len();
                }
                continue;
            }
            Event::CData(t) => {
                if let Some(p) = paragraphs.last_mut() {
                    p.push_str(&String::from_utf8_lossy(&t));
                }
                continue;
            }
            Event::GeneralRef(r) => {
                if let Some(p) = paragraphs.last_mut() {
                    match r.resolve_char_ref().map_err(|e| malformed(&reader, &e))? {
                        Some(c) => p.push(c),
                        None => {
                            let name = r.decode().map_err(|e| malformed(&reader, &e))?;
                            let c = quick_xml::escape::resolve_predefined_entity(&name)
                                .ok_or_else(|| {
                                    format!("content.xml uses an unknown entity &{name};")
                                })?;
                            p.push_str(c);
                        }
                    }
                }
                continue;
            }
            Event::End(e) => {
                depth = depth.saturating_sub(1);
                match e.name().as_ref() {
                    b"office:body" => in_body = false,
                    b"text:p" | b"text:h" if in_body => {
                        end_paragraph(&mut paragraphs, &mut tables, &mut out, &mut emitted)
                    }
                    b"table:table-cell" | b"table:covered-table-cell" => end_cell(&mut tables),
                    b"table:table-row" => end_row(&mut tables),
                    b"table:table" => end_table(&mut tables, &mut out),
                    _ => {}
                }
                continue;
            }
            Event::Eof => break,
            _ => continue,
        };
        if !empty {
            depth += 1;
            if depth > MAX_DEPTH {
                return Err(format!(
                    "content.xml nests elements deeper than {MAX_DEPTH}"
                ));
            }
        }
        if emitted > super::docx::MAX_TEXT_BYTES {
            return Err(format!(
                "the document's text is over {} MiB",
                super::docx::MAX_TEXT_BYTES >> 20
            ));
        }
        let name = e.name();
        let hidden = |e: &BytesStart| {
            attr(e, b"text:display").is_some_and(|d| d == "none")
                || attr(e, b"text:style-name").is_some_and(|s| hidden_styles.contains(&s))
        };
        match name.as_ref() {
            b"office:body" => in_body = !empty,
            b"style:style" if !in_body => style = attr(&e, b"style:name"),
            b"style:text-properties" if !in_body => {
                if let (Some(s), true) = (&style, hidden(&e)) {
                    hidden_styles.push(s.clone());
                }
            }
            _ if !in_body => {}
            b"text:p" | b"text:h" | b"text:span" | b"text:a" | b"text:section"
                if !empty && hidden(&e) =>
            {
                reader
                    .read_to_end(name)
                    .map_err(|e| malformed(&reader, &e))?;
                depth -= 1;
            }
            // Not the document's text: deleted text of tracked changes, notes, comments.
            b"text:tracked-changes"
            | b"text:note"
            | b"office:annotation"
            | b"text:hidden-text"
            | b"text:hidden-paragraph"
                if !empty =>
            {
                reader
                    .read_to_end(name)
                    .map_err(|e| malformed(&reader, &e))?;
                depth -= 1;
            }
            b"text:p" | b"text:h" => {
                paragraphs.push(String::new());
                if empty {
                    end_paragraph(&mut paragraphs, &mut tables, &mut out, &mut emitted);
                }
            }
            b"text:s" => {
                if let Some(p) = paragraphs.last_mut() {
                    let n = count(&e, b"text:c").min(64);
                    p.extend(std::iter::repeat_n(' ', n));
                }
            }
            b"text:tab" | b"text:line-break" => {
                let in_cell = tables.last().is_some_and(|t| t.row.is_some());
                if let Some(p) = paragraphs.last_mut() {
                    p.push(match (in_cell, name.as_ref()) {
                        (true, _) => ' ',
                        (false, b"text:tab") => '\t',
                        _ => '\n',
                    });
                }
            }
            b"table:table" => {
                tables.push(Table::default());
                if empty {
                    end_table(&mut tables, &mut out);
                }
            }
            b"table:table-row" => {
                if let Some(t) = tables.last_mut() {
                    t.row = Some(Row {
                        copies: count(&e, b"table:number-rows-repeated"),
                        ..Row::default()
                    });
                }
                if empty {
                    end_row(&mut tables);
                }
            }
            b"table:table-cell" | b"table:covered-table-cell" => {
                let covered = name.as_ref() == b"table:covered-table-cell";
                if let Some(row) = tables.last_mut().and_then(|t| t.row.as_mut()) {
                    row.cell = Some(if covered {
                        vec![COVERED.to_string()]
                    } else {
                        Vec::new()
                    });
                    row.repeat = count(&e, b"table:number-columns-repeated");
                }
                if empty {
                    end_cell(&mut tables);
                }
            }
            _ => {}
        }
    }
    while !tables.is_empty() {
        end_table(&mut tables, &mut out);
    }
    let mut text = out.join("\n");
    text.push('\n');
    Ok(text)
}

fn end_paragraph(
    paragraphs: &mut Vec<String>,
    tables: &mut [Table],
    out: &mut Vec<String>,
    emitted: &mut usize,
) {
    let Some(text) = paragraphs.pop() else { return };
    // A paragraph in a text box inside a paragraph stays in that paragraph.
    if let Some(outer) = paragraphs.last_mut() {
        if !text.trim().is_empty() {
            if !outer.is_empty() {
                outer.push(' ');
            }
            outer.push_str(text.trim());
        }
        return;
    }
    match tables
        .last_mut()
        .and_then(|t| t.row.as_mut())
        .and_then(|r| r.cell.as_mut())
    {
        Some(cell) => cell.push(text),
        None => {
            *emitted += text.len() + 1;
            out.push(text);
        }
    }
}

fn end_cell(tables: &mut [Table]) {
    let Some(row) = tables.last_mut().and_then(|t| t.row.as_mut()) else {
        return;
    };
    let Some(cell) = row.cell.take() else { return };
    let text = if cell.first().is_some_and(|c| c == COVERED) {
        COVERED.to_string()
    } else {
        cell_text(&cell)
    };
    // Repeated blank cells pad a row to the sheet's width; they end up trimmed.
    let room = MAX_COLUMNS.saturating_sub(row.grid.len());
    row.grid
        .extend(std::iter::repeat_n(text, row.repeat.min(room)));
}

fn end_row(tables: &mut [Table]) {
    end_cell(tables);
    let Some(table) = tables.last_mut() else {
        return;
    };
    let Some(mut row) = table.row.take() else {
        return;
    };
    let line = crate::read::row_line(std::mem::take(&mut row.grid));
    // A repeated row is a run of identical rows; blank ones (a table padded to its
    // height) are written once.
    let copies = if line.is_empty() {
        1
    } else {
        row.copies.min(64)
    };
    for _ in 0..copies {
        table.lines.push(line.clone());
    }
    table.lines.append(&mut row.after);
}

fn end_table(tables: &mut Vec<Table>, out: &mut Vec<String>) {
    if tables.last().is_some_and(|t| t.row.is_some()) {
        end_row(tables);
    }
    let Some(table) = tables.pop() else { return };
    match tables.last_mut().and_then(|t| t.row.as_mut()) {
        Some(outer) => outer.after.extend(table.lines),
        None => out.extend(table.lines),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::archive::stored::{build, Entry};

    fn odt(body: &str) -> Vec<u8> {
        let content = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"><office:automatic-styles><style:style style:name="T1" style:family="text"><style:text-properties text:display="none"/></style:style><style:style style:name="T2" style:family="text"><style:text-properties fo:font-weight="bold"/></style:style></office:automatic-styles><office:body><office:text>{body}</office:text></office:body></office:document-content>"#
        );
        container(content.as_bytes())
    }

    #[test]
    fn paragraphs_tables_covered_cells_and_what_is_not_text() {
        let body = r#"<text:tracked-changes><text:changed-region><text:deletion><text:p>35</text:p></text:deletion></text:changed-region></text:tracked-changes><text:h>某县统计局2023年政府信息公开工作年度报告</text:h><text:p>一、<text:s text:c="2"/>总体<text:note><text:note-body><text:p>注</text:p></text:note-body></text:note>情况&amp;</text:p><table:table><table:table-row><table:table-cell table:number-rows-spanned="2"><text:p>三、本年度办理结果</text:p></table:table-cell><table:table-cell table:number-columns-spanned="2"><text:p>（一）予以公开</text:p></table:table-cell><table:covered-table-cell/><table:table-cell><text:p>3</text:p></table:table-cell></table:table-row><table:table-row><table:covered-table-cell/><table:table-cell><text:p>（二）</text:p><text:p>部分公开</text:p></table:table-cell><table:table-cell table:number-columns-repeated="2"/><table:table-cell><text:p>4</text:p></table:table-cell></table:table-row><table:table-row table:number-rows-repeated="1000"><table:table-cell table:number-columns-repeated="1000"/></table:table-row></table:table>"#;
        let bytes = odt(body);
        assert_eq!(crate::read::sniff(&bytes), Format::Odt);
        let doc = read(&bytes);
        assert!(!doc.failed, "{:?}", doc.findings);
        assert_eq!(
            doc.text.replace(COVERED, "^"),
            "某县统计局2023年政府信息公开工作年度报告\n一、  总体情况&\n三、本年度办理结果\t（一）予以公开\t^\t3\n^\t（二） 部分公开\t\t\t4\n\n"
        );
    }

    #[test]
    fn text_hidden_by_a_style_or_a_section_is_not_read() {
        let body = r#"<table:table><table:table-row><table:table-cell><text:p>行政许可</text:p></table:table-cell><table:table-cell><text:p><text:span text:style-name="T1">1</text:span><text:span text:style-name="T2">687</text:span></text:p></table:table-cell></table:table-row></table:table><text:section text:display="none"><text:p>行政许可 9</text:p></text:section><text:p text:style-name="T1">旧</text:p>"#;
        assert_eq!(read(&odt(body)).text, "行政许可\t687\n");
    }

    #[test]
    fn other_packages_and_damage() {
        let sheet = build(&[
            Entry::new(
                "mimetype",
                b"application/vnd.oasis.opendocument.spreadsheet",
            ),
            Entry::new("content.xml", b"<x/>"),
        ]);
        assert_eq!(crate::read::sniff(&sheet), Format::OfficeOther);
        let doc = crate::read::read(&sheet, "t.ods");
        assert!(doc.failed && doc.findings[0].check == "unsupported_format");
        let broken = odt("<text:p>一、总体情况");
        let doc = read(&broken);
        assert!(
            doc.failed && doc.findings[0].check == "odt_unreadable",
            "{doc:?}"
        );
        let none = build(&[Entry::new(
            "mimetype",
            b"application/vnd.oasis.opendocument.text",
        )]);
        assert_eq!(read(&none).findings[0].check, "odt_unreadable");
    }
}
