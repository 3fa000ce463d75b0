//! The body read event by event into lines: paragraphs, table rows laid on the grid
//! (`w:gridSpan`, `w:vMerge`), nested tables after their row, skipped content (deleted
//! text, field codes, the fallback of alternate content), within the depth and text
//! limits.

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::scopes::{Ns, Scopes};
use super::{Failure, MAX_COLUMNS, MAX_DEPTH, MAX_TEXT_BYTES};

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
    /// Paragraphs open when the table began: more than none when the table is in a
    /// text box anchored in a paragraph. Paragraphs at that depth are its cells'.
    paragraph_depth: usize,
}

/// The parse state.
#[derive(Default)]
pub(super) struct Body {
    pub(super) out: Vec<String>,
    /// Open tables, innermost last.
    tables: Vec<Table>,
    /// Open paragraphs, innermost last (a text box puts paragraphs inside a paragraph).
    paragraphs: Vec<String>,
    /// Inside `w:t`: text is collected.
    pub(super) in_text: bool,
    /// Inside `w:body`.
    in_body: bool,
    /// Open runs (`w:r`), innermost last: whether each is hidden (`w:vanish` in its own
    /// properties). Hidden text is Word's "hidden" font effect: not printed, not read.
    runs: Vec<bool>,
    /// For each open run, whether it is raised as a superscript (`w:vertAlign`): a note
    /// mark after a number, not a digit of it.
    raised: Vec<bool>,
    /// Open complex fields (`w:fldChar` begin … separate … end), innermost last: true
    /// while in the field's instructions. Word shows only the result of the outermost
    /// field; an inner field's last result, kept among the outer's instructions (`{ =
    /// { REF x } }`), is not shown — read, its `29` joined the shown `25` as `2925`.
    fields: Vec<bool>,
    /// Lines of tables that ended inside a text box anchored in a paragraph still open:
    /// written after that paragraph (a heading anchoring its table), not before it.
    after_paragraph: Vec<String>,
    /// Inside a run's own properties (`w:r/w:rPr`, not a paragraph mark's `w:pPr/w:rPr`).
    in_run_props: bool,
    /// Inside `w:pPr`.
    in_paragraph_props: bool,
    /// Inside a tracked change's old properties (`w:rPrChange`, `w:pPrChange`): what the
    /// text looked like before, not what it is.
    in_property_change: bool,
    pub(super) depth: usize,
    /// Bytes of the lines produced so far.
    pub(super) emitted: usize,
}

impl Body {
    pub(super) fn parse(mut self, xml: &mut Reader<&[u8]>) -> Result<String, Failure> {
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
                    if skipped(ns, local, &e) {
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
                    if read_at_end(local) && scopes.resolve(e.name()) == Ns::W {
                        self.end(local);
                    }
                    scopes.leave(self.depth);
                    self.depth = self.depth.saturating_sub(1);
                }
                Event::Text(t) if self.in_text && !self.hidden() => {
                    let s = t.xml_content().map_err(|e| malformed(xml, e))?;
                    self.push_text(&s);
                }
                Event::CData(t) if self.in_text && !self.hidden() => {
                    let s = t.decode().map_err(|e| malformed(xml, e))?;
                    self.push_text(&s);
                }
                Event::GeneralRef(r) if self.in_text && !self.hidden() => {
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

    /// An opening (or empty) WordprocessingML element.
    pub(super) fn start(
        &mut self,
        local: &[u8],
        e: &BytesStart,
        empty: bool,
    ) -> Result<(), Failure> {
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
            b"r" if !empty => {
                self.runs.push(false);
                self.raised.push(false);
            }
            b"pPr" => self.in_paragraph_props = !empty,
            b"rPr" => {
                self.in_run_props = !empty && !self.in_paragraph_props && !self.runs.is_empty()
            }
            b"rPrChange" | b"pPrChange" => self.in_property_change = !empty,
            b"fldChar" => match attr(e, b"fldCharType")?.as_deref() {
                Some("begin") => self.fields.push(true),
                Some("separate") => {
                    if let Some(instructions) = self.fields.last_mut() {
                        *instructions = false;
                    }
                }
                Some("end") => {
                    self.fields.pop();
                }
                _ => {}
            },
            b"vanish" if self.in_run_props && !self.in_property_change => {
                let off = val(e)?.is_some_and(|v| matches!(v.as_str(), "0" | "false" | "off"));
                if let Some(hidden) = self.runs.last_mut() {
                    *hidden = !off;
                }
            }
            b"vertAlign" if self.in_run_props && !self.in_property_change => {
                let raised = val(e)?.is_some_and(|v| v == "superscript");
                if let Some(r) = self.raised.last_mut() {
                    *r = raised;
                }
            }
            b"tab" if !self.paragraphs.is_empty() && !empty_ptab(e) && !self.hidden() => {
                // A tab stop in a paragraph; inside a cell a tab would split the cell.
                let c = if self.in_cell() { ' ' } else { '\t' };
                self.push_char(c);
            }
            b"br" | b"cr" if !self.hidden() => {
                let c = if self.in_cell() { ' ' } else { '\n' };
                self.push_char(c);
            }
            b"noBreakHyphen" if !self.hidden() => self.push_char('-'),
            b"tbl" => {
                self.tables.push(Table {
                    paragraph_depth: self.paragraphs.len(),
                    ..Table::default()
                });
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
            // Word 2003's XML writes `vmerge`, and `hmerge` on the cells a merge across
            // columns covers (each its own cell, not a `gridSpan`).
            b"vMerge" | b"vmerge" => {
                let restart = val(e)?.is_some_and(|v| v == "restart");
                if let Some(cell) = self.cell() {
                    cell.vmerge = if restart {
                        VMerge::Restart
                    } else {
                        VMerge::Continue
                    };
                }
            }
            b"hmerge" => {
                let restart = val(e)?.is_some_and(|v| v == "restart");
                if let (false, Some(cell)) = (restart, self.cell()) {
                    cell.vmerge = VMerge::Continue;
                }
            }
            b"altChunk" => {
                // Replaced by its part's text once the body is read (`docx::alt_chunks`).
                let id = e
                    .attributes()
                    .flatten()
                    .find(|a| a.key.local_name().as_ref() == b"id")
                    .and_then(|a| a.unescape_value().ok().map(|v| v.into_owned()))
                    .unwrap_or_default();
                let mark = format!("{}{id}", super::ALT_CHUNK);
                match self.cell() {
                    Some(cell) => cell.paragraphs.push(mark),
                    None => {
                        self.emitted += mark.len() + 1;
                        self.out.push(mark);
                    }
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
    pub(super) fn end(&mut self, local: &[u8]) {
        match local {
            b"body" => self.in_body = false,
            _ if !self.in_body => {}
            b"t" => self.in_text = false,
            b"r" => {
                self.runs.pop();
                self.raised.pop();
            }
            b"rPr" => self.in_run_props = false,
            b"pPr" => self.in_paragraph_props = false,
            b"rPrChange" | b"pPrChange" => self.in_property_change = false,
            b"p" => self.end_paragraph(),
            b"tc" => self.end_cell(),
            b"tr" => self.end_row(),
            b"tbl" => self.end_table(),
            _ => {}
        }
    }

    /// Inside a hidden run.
    pub(super) fn hidden(&self) -> bool {
        self.runs.contains(&true) || self.fields.contains(&true)
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

    pub(super) fn push_text(&mut self, s: &str) {
        if self.raised.last() == Some(&true) {
            let raised = crate::read::superscript(s);
            if let Some(p) = self.paragraphs.last_mut() {
                p.push_str(&raised);
            }
        } else if let Some(p) = self.paragraphs.last_mut() {
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
        // A paragraph inside a text box inside a paragraph stays in that paragraph —
        // unless it is a cell's, of a table inside that text box.
        let cell_level = self
            .tables
            .last()
            .is_some_and(|t| t.paragraph_depth >= self.paragraphs.len());
        if cell_level {
            if let Some(cell) = self.cell() {
                cell.paragraphs.push(text);
                return;
            }
        }
        if let Some(outer) = self.paragraphs.last_mut() {
            if !text.trim().is_empty() {
                if !outer.is_empty() {
                    outer.push(' ');
                }
                outer.push_str(text.trim());
            }
            return;
        }
        let after = std::mem::take(&mut self.after_paragraph);
        match self.cell() {
            Some(cell) => {
                cell.paragraphs.push(text);
                if let Some(row) = self.row() {
                    row.after.extend(after);
                }
            }
            None => {
                self.emitted += text.len() + 1;
                self.out.push(text);
                self.emitted += after.iter().map(|l| l.len() + 1).sum::<usize>();
                self.out.extend(after);
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
            crate::read::COVERED.to_string()
        } else {
            crate::read::cell_text(&cell.paragraphs)
        };
        if row.grid.len() >= MAX_COLUMNS {
            return;
        }
        row.grid.push(text);
        let covered = (row.grid.len() + cell.span - 1).min(MAX_COLUMNS);
        row.grid.resize(covered, crate::read::COVERED.to_string());
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
        let line = crate::read::row_line(std::mem::take(&mut row.grid));
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
        if !self.paragraphs.is_empty() && table.paragraph_depth > 0 {
            self.after_paragraph.extend(table.lines);
            return;
        }
        match self.row() {
            Some(outer) => outer.after.extend(table.lines),
            None => self.out.extend(table.lines),
        }
    }
}

/// The elements whose start the reader acts on ([`Body::start`]) or skips the content of;
/// the namespace of any other is not looked up (most of a body's elements are
/// properties).
/// The elements whose closing tag is acted on ([`Body::end`]).
pub(super) fn read_at_end(local: &[u8]) -> bool {
    matches!(
        local,
        b"body"
            | b"t"
            | b"p"
            | b"tc"
            | b"tr"
            | b"tbl"
            | b"r"
            | b"rPr"
            | b"pPr"
            | b"rPrChange"
            | b"pPrChange"
    )
}

pub(super) fn read_at_start(local: &[u8]) -> bool {
    matches!(
        local,
        b"body"
            | b"fldChar"
            | b"p"
            | b"t"
            | b"r"
            | b"rPr"
            | b"pPr"
            | b"vanish"
            | b"vertAlign"
            | b"rPrChange"
            | b"pPrChange"
            | b"tab"
            | b"br"
            | b"cr"
            | b"noBreakHyphen"
            | b"tbl"
            | b"tr"
            | b"tc"
            | b"gridSpan"
            | b"vMerge"
            | b"vmerge"
            | b"hmerge"
            | b"gridBefore"
            | b"altChunk"
            | b"Fallback"
            | b"delText"
            | b"instrText"
            | b"del"
            | b"moveFrom"
            | b"footnote"
            | b"endnote"
            | b"annotation"
    )
}

/// Elements whose content is not the body's text: the fallback copy of alternate
/// content, deleted text, field codes, and Word 2003 XML's notes and comments, which that
/// format writes inside the body where they are referenced (`w:footnote`, `w:endnote`,
/// `aml:annotation` of type `Word.Comment`): read, a note's `3` would join its cell.
pub(super) fn skipped(ns: Ns, local: &[u8], e: &BytesStart) -> bool {
    ns == Ns::Mc && local == b"Fallback"
        || ns == Ns::W
            && matches!(
                local,
                b"delText" | b"instrText" | b"del" | b"moveFrom" | b"footnote" | b"endnote"
            )
        || local == b"annotation"
            && e.attributes().flatten().any(|a| {
                a.key.local_name().as_ref() == b"type" && a.value.as_ref() == b"Word.Comment"
            })
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
    attr(e, b"val")
}

/// The value of the attribute whose local name is `name`.
fn attr(e: &BytesStart, name: &[u8]) -> Result<Option<String>, Failure> {
    for attr in e.attributes() {
        let attr =
            attr.map_err(|e| Failure::Unreadable(format!("malformed XML attribute: {e}")))?;
        if attr.key.local_name().as_ref() == name {
            let v = attr
                .unescape_value()
                .map_err(|e| Failure::Unreadable(format!("malformed XML attribute: {e}")))?;
            return Ok(Some(v.into_owned()));
        }
    }
    Ok(None)
}

fn malformed<R>(xml: &Reader<R>, e: impl std::fmt::Display) -> Failure {
    Failure::Unreadable(format!(
        "word/document.xml is not well-formed XML (at byte {}): {e}",
        xml.buffer_position()
    ))
}

#[cfg(test)]
mod tests {
    use super::super::tests::{p, tc, text};

    #[test]
    fn an_inner_field_result_among_the_outer_instructions_is_not_read() {
        // `{ = { REF x } }`: Word shows the outer result (25); the inner field's last
        // result (29) is kept among the outer's instructions.
        let fld = |t: &str| format!(r#"<w:r><w:fldChar w:fldCharType="{t}"/></w:r>"#);
        let body = format!(
            "<w:p><w:r><w:t>规章</w:t></w:r>{}<w:r><w:instrText> = </w:instrText></w:r>{}<w:r><w:instrText>REF x</w:instrText></w:r>{}<w:r><w:t>29</w:t></w:r>{}{}<w:r><w:t>25</w:t></w:r>{}</w:p>",
            fld("begin"),
            fld("begin"),
            fld("separate"),
            fld("end"),
            fld("separate"),
            fld("end")
        );
        assert_eq!(text(&body), "规章25\n");
    }

    #[test]
    fn a_table_in_a_text_box_follows_its_anchor_paragraph() {
        let table = format!(
            "<w:tbl><w:tr>{}{}</w:tr></w:tbl>",
            tc("", &["规章"]),
            tc("", &["3"])
        );
        let body = format!(
            r#"<w:p><w:r><w:t>二、主动公开政府信息情况</w:t></w:r><w:r><w:pict><v:shape><v:textbox><w:txbxContent>{table}</w:txbxContent></v:textbox></v:shape></w:pict></w:r></w:p>"#
        );
        assert_eq!(text(&body), "二、主动公开政府信息情况\n规章\t3\n");
    }

    #[test]
    fn hidden_runs_are_not_read() {
        // Word's hidden text (`w:vanish` in a run's properties); a hidden paragraph mark
        // (`w:pPr/w:rPr/w:vanish`) hides no text.
        // Hidden before a tracked formatting change, shown now: read.
        let body = r#"<w:p><w:pPr><w:rPr><w:vanish/></w:rPr></w:pPr><w:r><w:rPr><w:vanish/></w:rPr><w:t>1</w:t><w:tab/></w:r><w:r><w:t>146</w:t></w:r><w:r><w:rPr><w:vanish w:val="0"/></w:rPr><w:t>7</w:t></w:r><w:r><w:rPr><w:b/><w:rPrChange w:id="1"><w:rPr><w:vanish/></w:rPr></w:rPrChange></w:rPr><w:t>8</w:t></w:r></w:p>"#;
        assert_eq!(text(body), "14678\n");
    }

    #[test]
    fn superscript_runs_are_raised_digits() {
        // A note mark raised after a number (`647` then a superscript `1`) is a
        // superscript digit, which the normaliser drops after a digit; a run lowered or
        // raised only before a tracked change is plain.
        let body = r#"<w:p><w:r><w:t>647</w:t></w:r><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:t>1</w:t></w:r><w:r><w:t> m</w:t></w:r><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:t>2</w:t></w:r><w:r><w:rPr><w:vertAlign w:val="subscript"/></w:rPr><w:t>3</w:t></w:r><w:r><w:rPr><w:rPrChange w:id="1"><w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:rPrChange></w:rPr><w:t>4</w:t></w:r></w:p>"#;
        assert_eq!(text(body), "647¹ m²34\n");
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
}
