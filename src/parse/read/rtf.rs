//! The RTF reader: Rich Text Format (what Word and WPS save as `.rtf`, and what sites post
//! as `.doc`) → the reader contract's text.
//!
//! RTF is read token by token: groups, control words and text. Characters come as
//! `\uN` (Unicode), as `\'hh` bytes or as raw bytes in the code page of the current font
//! (its `\fcharset`, from the font table) or of the document (`\ansicpg`): a Chinese
//! document's text is GBK bytes, Big5 in Taiwan and Hong Kong. Tables are paragraphs
//! marked `\intbl` ended by `\cell`, rows ended by `\row` and defined by `\trowd` and
//! their cells' right edges (`\cellx`), merges by `\clmrg` and `\clvmrg`; nested tables
//! by `\itap`, `\nestcell` and `\nestrow` — laid out as the `.doc` reader lays out Word's
//! paragraphs ([`word_layout`](super::word_layout)).
//!
//! Destinations that are not the document's text (font and style tables, pictures,
//! shape properties, headers, footers, notes, field instructions, `\*` groups) are
//! skipped — a shape's text box (`\shptxt`) is read in place —, and so are
//! deleted (`\deleted`) and hidden (`\v`) characters.

use crate::model::{Finding, Severity, Table};
use crate::read::word_layout::{Layout, Para, RowDef, MAX_COLUMNS, MAX_DEPTH};
use crate::read::{Document, Format};

/// Deepest group nesting accepted.
const MAX_GROUPS: usize = 1024;

/// True when `bytes` are an RTF document (`{\rtf`, after a byte-order mark or blank lines).
pub fn is_rtf(bytes: &[u8]) -> bool {
    let b = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = b
        .iter()
        .take(64)
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(0);
    b[start..].starts_with(b"{\\rtf")
}

/// Reads an RTF document.
pub fn read(bytes: &[u8]) -> Document {
    match Reader::new(bytes).run() {
        Ok((text, rest)) => {
            let mut findings = Vec::new();
            if let Some(at) = rest {
                // A stray `}` closed the document early: what follows is lost, said here
                // rather than only by the tables it held going missing.
                findings.push(
                    Finding::new(
                        Severity::Error,
                        "rtf_unreadable",
                        format!(
                            "the document's group closes at byte {at} of {}: the rest of the file is not read",
                            bytes.len()
                        ),
                    )
                    .at(Table::Reports, None, None),
                );
            }
            Document {
                findings,
                ..Document::read(Format::Rtf, text)
            }
        }
        Err(why) => Document::failed(Format::Rtf, "rtf_unreadable", why),
    }
}

/// What a group sets; saved at `{` and restored at `}`.
#[derive(Clone)]
struct Group {
    /// Not the document's text: skipped.
    skip: bool,
    /// The font table: `\f` and `\fcharset` define fonts.
    font_table: bool,
    /// Characters to skip after `\uN`.
    uc: usize,
    /// The current font's code page.
    encoding: &'static encoding_rs::Encoding,
    /// Deleted or hidden characters.
    hidden: bool,
    /// In a table (`\intbl`), at this depth (`\itap`).
    in_table: bool,
    itap: u32,
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
    group: Group,
    stack: Vec<Group>,
    /// Fonts: number → code page.
    fonts: Vec<(i32, &'static encoding_rs::Encoding)>,
    /// The document's code page (`\ansicpg`).
    ansi: &'static encoding_rs::Encoding,
    /// The font being defined in the font table.
    defining: Option<i32>,
    /// The font a group sets when it has no `\f` (`\deff`).
    default_font: Option<i32>,
    /// Bytes waiting to be decoded together (a GBK character is two `\'hh`).
    pending: Vec<u8>,
    /// Characters still to skip after a `\uN`.
    skip_chars: usize,
    /// The paragraph being read.
    text: String,
    /// Row definitions by table depth, and the merge flags for the next `\cellx`.
    rows: Vec<RowDef>,
    merged: bool,
    /// The left edge of the row (`\trleft`).
    left: i16,
    layout: Layout,
    emitted: usize,
}

impl<'a> Reader<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        let ansi = encoding_rs::WINDOWS_1252;
        Reader {
            bytes,
            at: 0,
            group: Group {
                skip: false,
                font_table: false,
                uc: 1,
                encoding: ansi,
                hidden: false,
                in_table: false,
                itap: 0,
            },
            stack: Vec::new(),
            fonts: Vec::new(),
            ansi,
            defining: None,
            default_font: None,
            pending: Vec::new(),
            skip_chars: 0,
            text: String::new(),
            rows: Vec::new(),
            merged: false,
            left: 0,
            layout: Layout::default(),
            emitted: 0,
        }
    }

    /// The text, and where the document's group closed when text follows it.
    fn run(mut self) -> Result<(String, Option<usize>), String> {
        if !is_rtf(self.bytes) {
            return Err("not an RTF document".to_string());
        }
        // The document's group closed: the file is whole.
        let mut closed = false;
        while self.at < self.bytes.len() {
            let b = self.bytes[self.at];
            self.at += 1;
            match b {
                b'{' => {
                    self.flush();
                    if self.stack.len() >= MAX_GROUPS {
                        return Err(format!("groups nested deeper than {MAX_GROUPS}"));
                    }
                    self.stack.push(self.group.clone());
                }
                b'}' => {
                    self.flush();
                    if self.group.font_table {
                        self.defining = None;
                    }
                    match self.stack.pop() {
                        Some(g) => self.group = g,
                        None => break,
                    }
                    if self.stack.is_empty() {
                        // The document's own group: what follows is not read.
                        closed = true;
                        break;
                    }
                }
                b'\\' => self.control()?,
                b'\r' | b'\n' => {}
                b'\t' => self.push('\t'),
                _ => {
                    if self.keeps_char() {
                        self.pending.push(b);
                    }
                }
            }
            if self.emitted > super::docx::MAX_TEXT_BYTES {
                return Err(format!(
                    "the document's text is over {} MiB",
                    super::docx::MAX_TEXT_BYTES >> 20
                ));
            }
        }
        self.flush();
        if !self.text.is_empty() {
            // Text after the last mark stays where it was: in its cell, if it was in one.
            let text = std::mem::take(&mut self.text);
            let para = self.here();
            self.layout.paragraph(text, '\r', &para);
        }
        let closed_at = self.at;
        let mut text = self.layout.finish();
        if !closed {
            // Cut before its end: the last line is left unfinished, as a cut text file's
            // is, so the number it ends in is taken as cut (`5` of what printed `523`).
            let kept = text.trim_end_matches('\n').len();
            text.truncate(kept);
        }
        // Text after the close (more than padding, NULs or a line end) was meant to be read.
        let rest = &self.bytes[closed_at.min(self.bytes.len())..];
        let trailing = rest
            .iter()
            .filter(|b| !b.is_ascii_whitespace() && **b != 0)
            .count();
        Ok((text, (closed && trailing > 16).then_some(closed_at)))
    }

    /// Decodes the bytes read so far in the current code page.
    fn flush(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let (s, _, _) = self.group.encoding.decode(&self.pending);
        self.text.push_str(&s);
        self.emitted += self.pending.len();
        self.pending.clear();
    }

    /// Whether the character read now is text: not one of the fallback characters a
    /// `\uN` asks to skip (counted off here), nor in a skipped destination, the font
    /// table, or deleted or hidden text.
    fn keeps_char(&mut self) -> bool {
        if self.skip_chars > 0 {
            self.skip_chars -= 1;
            return false;
        }
        !(self.group.skip || self.group.hidden || self.group.font_table)
    }

    fn push(&mut self, c: char) {
        if self.keeps_char() {
            self.flush();
            self.text.push(c);
        }
    }

    /// A control word or symbol, after its backslash.
    fn control(&mut self) -> Result<(), String> {
        let Some(&first) = self.bytes.get(self.at) else {
            return Ok(());
        };
        if !first.is_ascii_alphabetic() {
            self.at += 1;
            match first {
                b'\'' => {
                    let hex = self.bytes.get(self.at..self.at + 2).unwrap_or_default();
                    let byte = std::str::from_utf8(hex)
                        .ok()
                        .and_then(|h| u8::from_str_radix(h, 16).ok());
                    self.at += hex.len();
                    if let Some(byte) = byte.filter(|_| self.keeps_char()) {
                        self.pending.push(byte);
                    }
                }
                b'*' => {
                    // An ignorable destination: skipped unless it holds table structure
                    // (a nested table's row definition) or text we read (a shape's
                    // instructions hold its text box, `\shptxt`, read in place as the DOCX
                    // reader reads text boxes; the shape's properties, `\sp`, are skipped).
                    let word = self.peek_word();
                    if !matches!(word, b"nesttableprops" | b"shpinst") {
                        self.group.skip = true;
                    }
                }
                b'~' => self.push('\u{A0}'),
                b'_' => self.push('-'),
                b'\r' | b'\n' => self.paragraph('\r'),
                b'\\' | b'{' | b'}' => self.push(first as char),
                _ => {}
            }
            return Ok(());
        }
        let start = self.at;
        while self.at < self.bytes.len()
            && self.bytes[self.at].is_ascii_alphabetic()
            && self.at - start < 32
        {
            self.at += 1;
        }
        let word = &self.bytes[start..self.at];
        let num_start = self.at;
        if self.bytes.get(self.at) == Some(&b'-') {
            self.at += 1;
        }
        while self.at < self.bytes.len()
            && self.bytes[self.at].is_ascii_digit()
            && self.at - num_start < 11
        {
            self.at += 1;
        }
        let arg = std::str::from_utf8(&self.bytes[num_start..self.at])
            .ok()
            .and_then(|s| s.parse::<i64>().ok());
        if self.bytes.get(self.at) == Some(&b' ') {
            self.at += 1;
        }
        self.word(word, arg);
        Ok(())
    }

    /// The control word after a `\*`, without consuming it.
    fn peek_word(&self) -> &[u8] {
        let rest = &self.bytes[self.at..];
        let rest = rest.strip_prefix(b"\\").unwrap_or(b"");
        let end = rest
            .iter()
            .position(|c| !c.is_ascii_alphabetic())
            .unwrap_or(rest.len());
        &rest[..end]
    }

    fn word(&mut self, word: &[u8], arg: Option<i64>) {
        let on = arg != Some(0);
        match word {
            b"fonttbl" => self.group.font_table = true,
            b"colortbl"
            | b"stylesheet"
            | b"info"
            | b"pict"
            | b"object"
            | b"header"
            | b"headerl"
            | b"headerr"
            | b"headerf"
            | b"footer"
            | b"footerl"
            | b"footerr"
            | b"footerf"
            | b"footnote"
            | b"annotation"
            | b"listtable"
            | b"listoverridetable"
            | b"revtbl"
            | b"rsidtbl"
            | b"fldinst"
            | b"sp"
            | b"shprslt"
            | b"nonshppict"
            | b"filetbl"
            | b"xmlnstbl"
            | b"pgdsctbl"
            | b"themedata"
            | b"colorschememapping"
            | b"latentstyles"
            | b"datastore"
            | b"ftnsep"
            | b"ftnsepc"
            | b"aftnsep"
            | b"aftnsepc"
            | b"template"
            | b"docvar"
            | b"userprops"
            | b"bkmkstart"
            | b"bkmkend"
            | b"atnid"
            | b"atnauthor"
            | b"nonesttables" => self.group.skip = true,
            b"ansicpg" => {
                if let Some(e) = arg.and_then(codepage) {
                    self.ansi = e;
                    self.group.encoding = e;
                }
            }
            b"deff" => self.default_font = arg.map(|n| n as i32),
            b"f" => {
                let n = arg.unwrap_or(0) as i32;
                if self.group.font_table {
                    self.defining = Some(n);
                } else {
                    self.flush();
                    self.group.encoding = self.font(n);
                }
            }
            b"fcharset" => {
                if let (Some(font), Some(e)) = (self.defining, arg.and_then(charset)) {
                    let e = e.unwrap_or(self.ansi);
                    self.fonts.retain(|(n, _)| *n != font);
                    self.fonts.push((font, e));
                }
            }
            b"plain" => {
                if let Some(f) = self.default_font {
                    self.flush();
                    self.group.encoding = self.font(f);
                }
                self.group.hidden = false;
            }
            b"uc" => self.group.uc = arg.unwrap_or(1).clamp(0, 16) as usize,
            b"u" => {
                if let Some(n) = arg {
                    let unit = if n < 0 { n + 65536 } else { n } as u32;
                    let c = char::from_u32(unit).unwrap_or(char::REPLACEMENT_CHARACTER);
                    self.push(c);
                    self.skip_chars = self.group.uc;
                }
            }
            b"bin" => {
                // Binary data: skipped whole.
                self.at = self
                    .at
                    .saturating_add(arg.unwrap_or(0).max(0) as usize)
                    .min(self.bytes.len());
            }
            b"deleted" | b"v" => {
                self.flush();
                self.group.hidden = on;
            }
            b"par" | b"sect" | b"page" => self.paragraph('\r'),
            b"line" => self.push('\n'),
            b"tab" => self.push('\t'),
            b"emdash" => self.push('—'),
            b"endash" => self.push('–'),
            b"lquote" => self.push('‘'),
            b"rquote" => self.push('’'),
            b"ldblquote" => self.push('“'),
            b"rdblquote" => self.push('”'),
            b"bullet" => self.push('•'),
            b"emspace" | b"enspace" | b"qmspace" => self.push(' '),
            b"pard" => {
                self.group.in_table = false;
                self.group.itap = 0;
            }
            b"intbl" => self.group.in_table = true,
            b"itap" => {
                let n = arg.unwrap_or(1).clamp(0, MAX_DEPTH as i64) as u32;
                self.group.itap = n;
                self.group.in_table = n > 0;
            }
            b"trowd" => {
                *self.row_def() = RowDef::default();
                self.merged = false;
                self.left = 0;
            }
            b"trleft" => self.left = clamp16(arg.unwrap_or(0)),
            b"clmrg" | b"clvmrg" => self.merged = true,
            b"cellx" => {
                let (left, merged) = (self.left, self.merged);
                let row = self.row_def();
                if row.edges.len() <= MAX_COLUMNS {
                    if row.edges.is_empty() {
                        row.edges.push(left);
                    }
                    row.edges.push(clamp16(arg.unwrap_or(0)));
                    row.covered.push(merged);
                }
                self.merged = false;
            }
            b"cell" => self.mark(
                '\x07',
                Para {
                    depth: 1,
                    ..Para::default()
                },
            ),
            b"row" => {
                let row = self.rows.first().cloned();
                self.mark(
                    '\x07',
                    Para {
                        depth: 1,
                        ttp: true,
                        row,
                        ..Para::default()
                    },
                );
            }
            b"nestcell" => {
                let depth = self.depth().max(2);
                self.mark(
                    '\r',
                    Para {
                        depth: depth as u32,
                        inner_cell: true,
                        ..Para::default()
                    },
                );
            }
            b"nestrow" => {
                let depth = self.depth().max(2);
                let row = self.rows.get(depth - 1).cloned();
                self.mark(
                    '\r',
                    Para {
                        depth: depth as u32,
                        inner_ttp: true,
                        row,
                        ..Para::default()
                    },
                );
            }
            _ => {}
        }
    }

    /// The current paragraph's table depth.
    fn depth(&self) -> usize {
        match (self.group.in_table, self.group.itap) {
            (false, _) => 0,
            (true, 0) => 1,
            (true, n) => n as usize,
        }
    }

    /// The definition of the row being defined at the current table depth.
    fn row_def(&mut self) -> &mut RowDef {
        let depth = self.depth().max(1);
        if self.rows.len() < depth {
            self.rows.resize(depth, RowDef::default());
        }
        &mut self.rows[depth - 1]
    }

    /// A paragraph at the current table depth (0 outside tables).
    fn here(&self) -> Para {
        Para {
            depth: self.depth() as u32,
            ..Para::default()
        }
    }

    /// The end of a paragraph (`\par`): in a table, a paragraph of the current cell.
    fn paragraph(&mut self, mark: char) {
        let para = self.here();
        self.mark(mark, para);
    }

    fn mark(&mut self, mark: char, para: Para) {
        if self.group.skip || self.group.font_table {
            return;
        }
        self.flush();
        let text = std::mem::take(&mut self.text);
        self.emitted += 1;
        self.layout.paragraph(text, mark, &para);
    }

    fn font(&self, n: i32) -> &'static encoding_rs::Encoding {
        self.fonts
            .iter()
            .find(|(f, _)| *f == n)
            .map_or(self.ansi, |(_, e)| *e)
    }
}

fn clamp16(n: i64) -> i16 {
    n.clamp(i16::MIN as i64, i16::MAX as i64) as i16
}

/// A Windows code page's encoding.
fn codepage(cp: i64) -> Option<&'static encoding_rs::Encoding> {
    Some(match cp {
        936 => encoding_rs::GB18030,
        950 => encoding_rs::BIG5,
        932 => encoding_rs::SHIFT_JIS,
        949 => encoding_rs::EUC_KR,
        874 => encoding_rs::WINDOWS_874,
        1250 => encoding_rs::WINDOWS_1250,
        1251 => encoding_rs::WINDOWS_1251,
        1252 => encoding_rs::WINDOWS_1252,
        1253 => encoding_rs::WINDOWS_1253,
        1254 => encoding_rs::WINDOWS_1254,
        1255 => encoding_rs::WINDOWS_1255,
        1256 => encoding_rs::WINDOWS_1256,
        1257 => encoding_rs::WINDOWS_1257,
        1258 => encoding_rs::WINDOWS_1258,
        65001 => encoding_rs::UTF_8,
        _ => return None,
    })
}

/// A font's `\fcharset` as an encoding; `Some(None)`: the document's code page.
fn charset(n: i64) -> Option<Option<&'static encoding_rs::Encoding>> {
    Some(match n {
        0 | 1 => None,
        128 => Some(encoding_rs::SHIFT_JIS),
        129 => Some(encoding_rs::EUC_KR),
        134 => Some(encoding_rs::GB18030),
        136 => Some(encoding_rs::BIG5),
        161 => Some(encoding_rs::WINDOWS_1253),
        162 => Some(encoding_rs::WINDOWS_1254),
        177 => Some(encoding_rs::WINDOWS_1255),
        178 => Some(encoding_rs::WINDOWS_1256),
        186 => Some(encoding_rs::WINDOWS_1257),
        204 => Some(encoding_rs::WINDOWS_1251),
        222 => Some(encoding_rs::WINDOWS_874),
        238 => Some(encoding_rs::WINDOWS_1250),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::COVERED;

    fn text(rtf: &str) -> String {
        let doc = read(rtf.as_bytes());
        assert!(!doc.failed, "{:?}", doc.findings);
        doc.text.replace(COVERED, "^")
    }

    #[test]
    fn code_pages_unicode_and_destinations() {
        // GBK bytes in a font of charset 134, `\u` with its fallback skipped, a field's
        // result without its instruction, a header and a deletion left out.
        let rtf = r"{\rtf1\ansi\ansicpg936\deff0{\fonttbl{\f0\fnil\fcharset134 \'cb\'ce\'cc\'e5;}{\f1\fswiss\fcharset0 Arial;}}{\colortbl;\red0\green0\blue0;}
{\header \pard 页眉\par}
\pard\plain\f0 \'c4\'b3\'cf\'d8\u32479?\u-29791?\'be\'d6 2023{\field{\*\fldinst HYPERLINK x}{\fldrslt \f1 report}}{\deleted 35}36\par
{\*\generator Riched20;}last\par}";
        assert_eq!(text(rtf), "某县统计局 2023report36\nlast\n");
    }

    #[test]
    fn tables_rows_merges_and_nesting() {
        let rtf = r"{\rtf1\ansi\ansicpg936{\fonttbl{\f0\fcharset134 SimSun;}}\f0
\pard \'b1\'ed\par
\trowd\trleft0\cellx3000\cellx4000\cellx5000\cellx6000
\pard\intbl A\cell 3\cell\cell 4\cell\row
\trowd\clvmrg\cellx3000\cellx5000\clmgf\cellx6000
\pard\intbl \cell 5\par 6\cell 7\cell\row
\trowd\cellx3000\cellx6000
\pard\intbl outer\cell
\pard\intbl\itap2 in\nestcell 1\nestcell{\*\nesttableprops\trowd\cellx1000\cellx2000\nestrow}{\nonesttables\par}
\pard\intbl\itap1\cell\row
\pard after\par}";
        assert_eq!(
            text(rtf),
            "表\nA\t3\t\t4\n^\t5 6\t^\t7\nouter\nin\t1\nafter\n"
        );
    }

    #[test]
    fn a_text_box_is_read_in_place_and_its_fallback_is_not() {
        let rtf = r"{\rtf1\ansi\ansicpg65001 A\par {\shp{\*\shpinst{\sp{\sn shapeType}{\sv 202}}{\shptxt \pard 行政许可 12\par}}{\shprslt {\pict 0a0b}行政许可 12\par}}B\par}";
        assert_eq!(text(rtf), "A\n行政许可 12\nB\n");
    }

    #[test]
    fn recognised_and_damaged() {
        assert!(is_rtf(b"\xEF\xBB\xBF\r\n{\\rtf1 x}"));
        assert!(!is_rtf(b"{\"rtf\": 1}"));
        // Cut anywhere, or nested too deep: text or a finding, never a panic.
        let rtf = r"{\rtf1\ansi\ansicpg936{\fonttbl{\f0\fcharset134 SimSun;}}\trowd\cellx100\cellx200\pard\intbl\'c4\'b3\cell\u-1\cell\row\bin5 abcde\par}";
        for end in 0..rtf.len() {
            let _ = read(&rtf.as_bytes()[..end]);
        }
        // Cut inside a number: the line it ends is left unfinished.
        let whole = r"{\rtf1 \trowd\cellx100\cellx200\pard\intbl a\cell 523\cell\row}";
        assert_eq!(text(whole), "a\t523\n");
        let cut = &whole[..whole.find("3\\cell").unwrap()];
        assert_eq!(read(cut.as_bytes()).text, "a\t52");
        // A stray `}` closes the document early: an error says the rest is lost.
        let stray = r"{\rtf1 一\par}} \trowd\cellx100\pard\intbl 523\cell\row\par more text here}";
        let doc = read(stray.as_bytes());
        assert!(!doc.failed);
        assert_eq!(doc.findings[0].check, "rtf_unreadable");
        assert!(read(b"{\\rtf1 x}\r\n\0\0").findings.is_empty());
        let deep = format!("{{\\rtf1 {}", "{".repeat(5000));
        let doc = read(deep.as_bytes());
        assert!(doc.failed);
        assert_eq!(doc.findings[0].check, "rtf_unreadable");
    }
}
