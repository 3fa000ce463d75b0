//! The Word 97–2003 reader (`.doc`, and `.wps` files that WPS Office saved in Word's
//! format): the binary document → the reader contract's text.
//!
//! A `.doc` is an OLE compound file (opened with the `cfb` crate). Its `WordDocument`
//! stream starts with the File Information Block (FIB), which says where the rest is:
//! the piece table (`Clx`, in the `0Table` or `1Table` stream) maps the document's
//! character positions to runs of UTF-16 or 8-bit text in `WordDocument`, and the
//! paragraph properties (`PlcBtePapx` → FKP pages) say which paragraph marks end a table
//! cell and which end a table row. [MS-DOC] has the layouts; only what the text needs is
//! read.
//!
//! The text follows the DOCX reader's rules: a paragraph is a line; a table row is one
//! line of tab-separated cells, laid out on the table's grid (the union of the cell edges
//! of its rows), a cell spanning grid columns or continuing a vertical merge leaving the
//! positions it covers as [`COVERED`]; paragraphs inside a cell are joined by a space; a
//! nested table's rows follow the row that holds it. Field codes are skipped (their
//! results kept), and so are pictures, notes and headers (only the main text is read).
//!
//! What is not read is said: encrypted files, Word 6/95 files and OLE files that are not
//! Word documents (`.xls`, `.ppt`) are failed documents with a finding, never empty text.

use std::io::{Cursor, Read};

use crate::read::word_layout::{Layout, Para, RowDef, MAX_COLUMNS, MAX_DEPTH, PLAIN};
use crate::read::{Document, Format};

/// Most text the body may produce (as the DOCX reader).
const MAX_TEXT_BYTES: usize = super::docx::MAX_TEXT_BYTES;

/// Reads an OLE compound file: a Word document's text, or a failed document that says
/// why not.
pub fn read(bytes: &[u8]) -> Document {
    match body_text(bytes, crate::limits::get().member_bytes) {
        Ok(text) => Document::read(Format::Doc, text),
        Err(Failure::NotWord) => Document::failed(
            Format::LegacyOffice,
            "unsupported_format",
            "a legacy binary office file that is not a Word document (.xls, .ppt, .et, …): \
             convert it to DOCX or PDF to read it",
        ),
        Err(Failure::Container(why)) => Document::failed(
            Format::LegacyOffice,
            "ole_unreadable",
            format!("an OLE compound file (.doc/.wps/.xls) that cannot be opened: {why}"),
        ),
        Err(Failure::Unsupported(why)) => Document::failed(Format::Doc, "unsupported_format", why),
        Err(Failure::Unreadable(why)) => Document::failed(Format::Doc, "doc_unreadable", why),
        Err(Failure::Limit(why)) => Document::failed(Format::Doc, "limit_exceeded", why),
    }
}

/// An OLE compound file holding `word` as its `WordDocument` stream and `table` as its
/// `1Table` and `0Table` streams: the fuzz target's input, so that any bytes reach the FIB,
/// piece-table and property readers instead of stopping at the container.
pub fn container(word: &[u8], table: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let build = || -> std::io::Result<Vec<u8>> {
        let mut file = cfb::CompoundFile::create(Cursor::new(Vec::new()))?;
        file.create_stream("/WordDocument")?.write_all(word)?;
        file.create_stream("/1Table")?.write_all(table)?;
        file.create_stream("/0Table")?.write_all(table)?;
        file.flush()?;
        Ok(file.into_inner().into_inner())
    };
    build().unwrap_or_default()
}

/// The file the fuzz target reads for `data`: after a first byte of 0, the rest as it is
/// (the container reader's input); else the two first bytes say where `WordDocument` ends
/// and the table stream starts, in a [`container`].
pub fn fuzz_file(data: &[u8]) -> Vec<u8> {
    match data {
        [0, rest @ ..] => rest.to_vec(),
        [a, b, rest @ ..] => {
            let split = (usize::from(*a) << 8 | usize::from(*b)).min(rest.len());
            container(&rest[..split], &rest[split..])
        }
        _ => data.to_vec(),
    }
}

/// Why a file could not be read.
#[derive(Debug)]
enum Failure {
    /// The compound file itself is broken or cut.
    Container(String),
    /// A compound file without a `WordDocument` stream.
    NotWord,
    /// A Word file of a kind not read (encrypted, Word 6/95).
    Unsupported(String),
    /// A Word file whose structures are broken.
    Unreadable(String),
    /// Over a size limit.
    Limit(String),
}

fn unreadable(why: &str) -> Failure {
    Failure::Unreadable(format!("the Word document is damaged or cut: {why}"))
}

fn body_text(bytes: &[u8], limit: u64) -> Result<String, Failure> {
    let mut file = cfb::CompoundFile::open(Cursor::new(bytes))
        .map_err(|e| Failure::Container(e.to_string()))?;
    if !file.is_stream("/WordDocument") {
        return Err(Failure::NotWord);
    }
    let word = stream(&mut file, "/WordDocument", limit, bytes.len())?.ok_or(Failure::NotWord)?;
    let fib = Fib::parse(&word)?;
    let table_name = if fib.table_1 { "/1Table" } else { "/0Table" };
    let table = stream(&mut file, table_name, limit, bytes.len())?
        .ok_or_else(|| unreadable(&format!("its {} stream is missing", &table_name[1..])))?;
    // Huge paragraph properties live in the Data stream; most files have none.
    let data = stream(&mut file, "/Data", limit, bytes.len())?.unwrap_or_default();
    let pieces = pieces(
        slice(&table, fib.fc_clx, fib.lcb_clx)
            .ok_or_else(|| unreadable("the piece table lies outside its stream"))?,
    )?;
    let paragraphs = Paragraphs::parse(&word, &table, &data, &fib);
    let hidden = Hidden::parse(&word, &table, &fib);
    let chars = main_text(&word, &pieces, fib.ccp_text)?;
    marks_agree(&chars, &paragraphs)?;
    lines(&chars, &paragraphs, &hidden)
}

/// The text and its paragraph properties must agree: a paragraph's properties start right
/// after the mark that ends the paragraph before it. Damage that overwrote a mark, or the
/// properties, would otherwise join two table rows into one or scatter a row's cells, and
/// the numbers would land in other rows and columns.
fn marks_agree(chars: &[Char], paragraphs: &Paragraphs) -> Result<(), Failure> {
    let starts: Vec<u32> = paragraphs.runs.iter().map(|r| r.0).collect();
    for pair in chars.windows(2) {
        let ((c, fc), (_, next)) = (pair[0], pair[1]);
        let adjacent = next > fc && next - fc <= 4;
        if adjacent && !is_mark(c) && starts.binary_search(&next).is_ok() {
            return Err(damaged());
        }
    }
    Ok(())
}

fn is_mark(c: char) -> bool {
    matches!(c, '\r' | '\x07' | '\x0C')
}

fn damaged() -> Failure {
    unreadable("its text and its paragraph properties disagree (a mark or a property is lost)")
}

/// A stream read whole, or `None` when the file has none of that name.
fn stream(
    file: &mut cfb::CompoundFile<Cursor<&[u8]>>,
    name: &str,
    limit: u64,
    file_len: usize,
) -> Result<Option<Vec<u8>>, Failure> {
    if !file.is_stream(name) {
        return Ok(None);
    }
    let mut s = file
        .open_stream(name)
        .map_err(|e| Failure::Container(format!("{}: {e}", &name[1..])))?;
    if s.len() > limit {
        return Err(Failure::Limit(format!(
            "its {} stream is {:.1} MiB, over the limit of {:.1} MiB per part",
            &name[1..],
            s.len() as f64 / 1048576.0,
            limit as f64 / 1048576.0
        )));
    }
    // A stream is never longer than its file, whatever its directory entry claims.
    let mut out = Vec::with_capacity((s.len() as usize).min(file_len));
    s.read_to_end(&mut out)
        .map_err(|e| Failure::Container(format!("{}: {e}", &name[1..])))?;
    Ok(Some(out))
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn slice(b: &[u8], at: u32, len: u32) -> Option<&[u8]> {
    b.get(at as usize..(at as usize).checked_add(len as usize)?)
}

/// What the text needs of the File Information Block.
#[derive(Debug)]
struct Fib {
    table_1: bool,
    ccp_text: u32,
    fc_clx: u32,
    lcb_clx: u32,
    fc_bte_papx: u32,
    lcb_bte_papx: u32,
    fc_bte_chpx: u32,
    lcb_bte_chpx: u32,
}

impl Fib {
    fn parse(word: &[u8]) -> Result<Fib, Failure> {
        let short = || unreadable("its File Information Block is cut");
        if u16_at(word, 0).ok_or_else(short)? != 0xA5EC {
            return Err(unreadable(
                "its WordDocument stream does not start with a FIB",
            ));
        }
        let n_fib = u16_at(word, 2).ok_or_else(short)?;
        let flags = u16_at(word, 0x0A).ok_or_else(short)?;
        if flags & 0x0100 != 0 {
            return Err(Failure::Unsupported(
                "the Word document is encrypted (password-protected); not read".to_string(),
            ));
        }
        // Word 97 is nFib 0x00C1; Word 6 and 95 (0x0065–0x0068) lay the FIB out otherwise.
        if n_fib < 0x00C0 {
            return Err(Failure::Unsupported(format!(
                "a Word 6/95 document (nFib {n_fib:#06x}): convert it to DOCX or PDF to read it"
            )));
        }
        let csw = u16_at(word, 32).ok_or_else(short)? as usize;
        let lw = 34 + csw * 2;
        let cslw = u16_at(word, lw).ok_or_else(short)? as usize;
        let rg_lw = lw + 2;
        let fc_lcb = rg_lw + cslw * 4;
        let cb_fc_lcb = u16_at(word, fc_lcb).ok_or_else(short)? as usize;
        let blob = fc_lcb + 2;
        // FibRgFcLcb97: fcPlcfBteChpx is pair 12, fcPlcfBtePapx 13, fcClx 33.
        let pair = |i: usize| -> Result<(u32, u32), Failure> {
            if i >= cb_fc_lcb {
                return Err(short());
            }
            Ok((
                u32_at(word, blob + i * 8).ok_or_else(short)?,
                u32_at(word, blob + i * 8 + 4).ok_or_else(short)?,
            ))
        };
        if cslw < 4 {
            return Err(short());
        }
        let (fc_clx, lcb_clx) = pair(33)?;
        let (fc_bte_papx, lcb_bte_papx) = pair(13)?;
        let (fc_bte_chpx, lcb_bte_chpx) = pair(12)?;
        Ok(Fib {
            table_1: flags & 0x0200 != 0,
            ccp_text: u32_at(word, rg_lw + 12).ok_or_else(short)?,
            fc_clx,
            lcb_clx,
            fc_bte_papx,
            lcb_bte_papx,
            fc_bte_chpx,
            lcb_bte_chpx,
        })
    }
}

/// A run of text: character positions `cp..cp_end` stored from byte `fc` of
/// `WordDocument`, as 8-bit (Windows-1252) or UTF-16LE characters.
#[derive(Debug, Clone, Copy)]
struct Piece {
    cp: u32,
    cp_end: u32,
    fc: u32,
    compressed: bool,
}

/// The piece table, from the `Clx`: property runs (`Prc`, skipped), then the `Pcdt`.
fn pieces(clx: &[u8]) -> Result<Vec<Piece>, Failure> {
    let broken = || unreadable("its piece table is broken");
    let mut at = 0;
    loop {
        match clx.get(at) {
            Some(1) => {
                let cb = u16_at(clx, at + 1).ok_or_else(broken)? as usize;
                at += 3 + cb;
            }
            Some(2) => break,
            _ => return Err(broken()),
        }
    }
    let lcb = u32_at(clx, at + 1).ok_or_else(broken)? as usize;
    let plc = clx.get(at + 5..at + 5 + lcb).ok_or_else(broken)?;
    if lcb < 4 || !(lcb - 4).is_multiple_of(12) {
        return Err(broken());
    }
    let n = (lcb - 4) / 12;
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let cp = u32_at(plc, i * 4).ok_or_else(broken)?;
        let cp_end = u32_at(plc, (i + 1) * 4).ok_or_else(broken)?;
        let fc_raw = u32_at(plc, (n + 1) * 4 + i * 8 + 2).ok_or_else(broken)?;
        if cp_end < cp {
            return Err(broken());
        }
        let compressed = fc_raw & 0x4000_0000 != 0;
        let fc = fc_raw & 0x3FFF_FFFF;
        out.push(Piece {
            cp,
            cp_end,
            fc: if compressed { fc / 2 } else { fc },
            compressed,
        });
    }
    Ok(out)
}

/// A character of the main text with the byte of `WordDocument` it is stored at (which
/// is how paragraph properties are found).
type Char = (char, u32);

/// The main document's characters (`0..ccp_text`; notes, headers and text boxes follow it).
fn main_text(word: &[u8], pieces: &[Piece], ccp_text: u32) -> Result<Vec<Char>, Failure> {
    let mut out = Vec::new();
    let mut bytes_out = 0usize;
    for p in pieces {
        if p.cp >= ccp_text {
            break;
        }
        let n = (p.cp_end.min(ccp_text) - p.cp) as usize;
        let width = if p.compressed { 1 } else { 2 };
        let raw = word
            .get(p.fc as usize..)
            .and_then(|r| r.get(..n.checked_mul(width)?))
            .ok_or_else(|| {
                unreadable("a piece of its text lies outside the WordDocument stream")
            })?;
        if p.compressed {
            // [MS-DOC] 2.4.1: Windows-1252, whose undefined bytes stand for themselves;
            // one character a byte.
            let (chars, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(raw);
            for (i, c) in chars.chars().enumerate() {
                out.push((c, p.fc + i as u32));
            }
        } else {
            let units = raw
                .chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]));
            let mut at = p.fc;
            for c in char::decode_utf16(units) {
                let (c, len) = match c {
                    Ok(c) => (c, c.len_utf16() as u32),
                    Err(_) => (char::REPLACEMENT_CHARACTER, 1),
                };
                out.push((c, at));
                at += 2 * len;
            }
        }
        bytes_out += n * 3;
        if bytes_out > MAX_TEXT_BYTES {
            return Err(Failure::Limit(format!(
                "the document's text is over {} MiB",
                MAX_TEXT_BYTES >> 20
            )));
        }
    }
    Ok(out)
}

/// The runs of the FKP pages a `PlcBte` (`PlcBteChpx`, `PlcBtePapx`) names: the page,
/// the run's byte range in `WordDocument`, and the first byte of its entry (`entry` bytes
/// each), which locates its properties in the page (0: none).
fn fkp_runs<'a>(word: &'a [u8], plc: &'a [u8], entry: usize) -> Vec<(&'a [u8], u32, u32, u8)> {
    let n = plc.len().saturating_sub(4) / 8;
    let pages = (0..n).filter_map(|i| {
        let pn = u32_at(plc, (n + 1) * 4 + i * 4)?;
        let at = (pn & 0x003F_FFFF) as usize * 512;
        word.get(at..at + 512)
    });
    let mut runs = Vec::new();
    for page in pages {
        let crun = page[511] as usize;
        for r in 0..crun {
            let fc = u32_at(page, r * 4);
            let fc_end = u32_at(page, (r + 1) * 4);
            let offset = page.get((crun + 1) * 4 + r * entry);
            let (Some(fc), Some(fc_end), Some(&offset)) = (fc, fc_end, offset) else {
                break;
            };
            runs.push((page, fc, fc_end, offset));
        }
    }
    runs
}

/// The byte ranges of `WordDocument` whose characters are not shown: deleted with
/// changes tracked (`sprmCFRMarkDel`) or hidden (`sprmCFVanish`). A deleted number
/// next to the number that replaced it would otherwise read as one number.
struct Hidden {
    /// `(fc, fc_end)`, sorted.
    runs: Vec<(u32, u32)>,
}

impl Hidden {
    fn parse(word: &[u8], table: &[u8], fib: &Fib) -> Hidden {
        let plc = slice(table, fib.fc_bte_chpx, fib.lcb_bte_chpx).unwrap_or_default();
        let mut runs = Vec::new();
        for (page, fc, fc_end, offset) in fkp_runs(word, plc, 1) {
            let at = offset as usize * 2;
            let chpx = page
                .get(at)
                .and_then(|&cb| page.get(at + 1..at + 1 + cb as usize));
            if offset != 0 && chpx.is_some_and(hides) {
                runs.push((fc, fc_end));
            }
        }
        runs.sort_unstable();
        Hidden { runs }
    }

    fn contains(&self, fc: u32) -> bool {
        let i = self.runs.partition_point(|r| r.0 <= fc);
        i > 0 && fc < self.runs[i - 1].1
    }
}

/// True when a character property list turns on deletion (`sprmCFRMarkDel`) or hiding
/// (`sprmCFVanish`): a toggle operand of 1, or 0x81 (the opposite of the style, which
/// does neither).
fn hides(grpprl: &[u8]) -> bool {
    let mut found = false;
    each_sprm(grpprl, |op, arg| {
        if matches!(op, 0x0800 | 0x083C) && matches!(arg.first(), Some(1 | 0x81)) {
            found = true;
        }
    });
    found
}

/// Calls `f` with each property (opcode, operand) of a `grpprl`, up to the first that
/// does not fit.
fn each_sprm(grpprl: &[u8], mut f: impl FnMut(u16, &[u8])) {
    let mut at = 0;
    while let Some(op) = u16_at(grpprl, at) {
        at += 2;
        let len = match op >> 13 {
            0 | 1 => 1,
            2 | 4 | 5 => 2,
            3 => 4,
            7 => 3,
            _ => {
                if op == 0xD608 {
                    // sprmTDefTable: a two-byte size, one more than what follows it.
                    let Some(cb) = u16_at(grpprl, at) else { return };
                    at += 2;
                    (cb as usize).saturating_sub(1)
                } else {
                    let Some(&cb) = grpprl.get(at) else { return };
                    at += 1;
                    cb as usize
                }
            }
        };
        let Some(arg) = grpprl.get(at..at + len) else {
            return;
        };
        at += len;
        f(op, arg);
    }
}

/// Paragraph properties by the byte position of the paragraph mark.
struct Paragraphs {
    /// `(fc, fc_end, properties)`, sorted by `fc`.
    runs: Vec<(u32, u32, Para)>,
}

impl Paragraphs {
    /// The runs of every FKP page the `PlcBtePapx` names; pages that cannot be read are
    /// left out (their paragraphs read as plain paragraphs).
    fn parse(word: &[u8], table: &[u8], data: &[u8], fib: &Fib) -> Paragraphs {
        let plc = slice(table, fib.fc_bte_papx, fib.lcb_bte_papx).unwrap_or_default();
        let mut runs = Vec::new();
        for (page, fc, fc_end, b_offset) in fkp_runs(word, plc, 13) {
            let para = if b_offset == 0 {
                Para::default()
            } else {
                papx(page, b_offset as usize * 2, data).unwrap_or_default()
            };
            runs.push((fc, fc_end, para));
        }
        runs.sort_by_key(|r| r.0);
        Paragraphs { runs }
    }

    /// The properties of the paragraph whose mark is stored at `fc`.
    fn at(&self, fc: u32) -> Option<&Para> {
        let i = self.runs.partition_point(|r| r.0 <= fc).checked_sub(1)?;
        let (start, end, para) = &self.runs[i];
        (*start <= fc && fc < *end).then_some(para)
    }
}

/// A `PapxInFkp` at `at` of an FKP page: its `grpprl` read for the table properties.
fn papx(page: &[u8], at: usize, data: &[u8]) -> Option<Para> {
    let cb = *page.get(at)? as usize;
    let grpprl = if cb == 0 {
        let cb2 = *page.get(at + 1)? as usize;
        page.get(at + 2..at + 2 + 2 * cb2)?
    } else {
        page.get(at + 1..at + 2 * cb)?
    };
    // Skip the style index.
    let mut para = Para::default();
    sprms(grpprl.get(2..)?, &mut para, data, true);
    Some(para)
}

/// Applies the properties in `grpprl` that the text needs.
fn sprms(grpprl: &[u8], para: &mut Para, data: &[u8], follow_huge: bool) {
    each_sprm(grpprl, |op, arg| {
        let flag = arg.first().is_some_and(|&b| b != 0);
        match op {
            0x2416 if flag && para.depth == 0 => para.depth = 1,
            0x2417 => para.ttp = flag,
            0x6649 => para.depth = u32_at(arg, 0).unwrap_or(0).min(MAX_DEPTH as u32),
            0x244B => para.inner_cell = flag,
            0x244C => para.inner_ttp = flag,
            0xD608 => para.row = def_table(arg).or(para.row.take()),
            0xD62B => {
                // sprmTVertMerge: cell index, merge kind (1: continues the cell above).
                if let (Some(row), Some(&itc), Some(&kind)) =
                    (para.row.as_mut(), arg.first(), arg.get(1))
                {
                    if let Some(c) = row.covered.get_mut(itc as usize) {
                        *c = kind == 1;
                    }
                }
            }
            0x6646 if follow_huge => {
                // sprmPHugePapx: the properties are in the Data stream.
                if let Some(off) = u32_at(arg, 0) {
                    let off = off as usize;
                    if let Some(cb) = u16_at(data, off) {
                        if let Some(huge) = data.get(off + 2..off + 2 + cb as usize) {
                            sprms(huge, para, data, false);
                        }
                    }
                }
            }
            _ => {}
        }
    });
}

/// `TDefTableOperand`: the cell count, the cell edges and per cell a `TC80`, whose
/// `tcgrf` says whether the cell continues a horizontal merge (bits 0–1: 2 or 3) or a
/// vertical one (bits 5–6: 1).
fn def_table(arg: &[u8]) -> Option<RowDef> {
    let cells = *arg.first()? as usize;
    if cells == 0 || cells > MAX_COLUMNS {
        return None;
    }
    let edges: Vec<i16> = (0..=cells)
        .map(|i| u16_at(arg, 1 + i * 2).map(|v| v as i16))
        .collect::<Option<_>>()?;
    let tcs = 1 + (cells + 1) * 2;
    let covered = (0..cells)
        .map(|i| {
            u16_at(arg, tcs + i * 20).is_some_and(|grf| {
                let horizontal = grf & 0x3;
                let vertical = (grf >> 5) & 0x3;
                horizontal >= 2 || vertical == 1
            })
        })
        .collect();
    Some(RowDef { edges, covered })
}

/// The characters as lines: paragraph marks looked up in `paragraphs`, field codes and
/// hidden characters left out.
fn lines(chars: &[Char], paragraphs: &Paragraphs, hidden: &Hidden) -> Result<String, Failure> {
    let mut layout = Layout::default();
    let mut text = String::new();
    // Field nesting: true while inside a field's code (before its separator).
    let mut fields: Vec<bool> = Vec::new();
    for &(c, fc) in chars {
        match c {
            c if is_mark(c) => {
                let para = paragraphs.at(fc).unwrap_or(&PLAIN);
                // The marks and the properties must describe the same tables: `\x07`
                // ends a cell or row of a top-level table only (nested cells end in
                // `\r`), and a row's end holds no text. (Depth may rise by several levels
                // at once: a cell whose first content is a table starts at depth 2.)
                let row_end = c == '\x07' && para.ttp || para.depth > 1 && para.inner_ttp;
                if c == '\x07' && para.depth != 1 || row_end && !text.trim().is_empty() {
                    return Err(damaged());
                }
                layout.paragraph(std::mem::take(&mut text), c, para);
                continue;
            }
            '\x13' => {
                fields.push(true);
                continue;
            }
            '\x14' => {
                if let Some(f) = fields.last_mut() {
                    *f = false;
                }
                continue;
            }
            '\x15' => {
                fields.pop();
                continue;
            }
            _ => {}
        }
        if fields.iter().any(|&code| code) || hidden.contains(fc) {
            continue;
        }
        match c {
            '\t' => text.push('\t'),
            '\x0B' | '\x0E' => text.push('\n'),
            '\x1E' => text.push('-'),
            c if (c as u32) < 0x20 => {}
            c => text.push(c),
        }
    }
    if !text.is_empty() {
        layout.paragraph(text, '\r', &PLAIN);
    }
    Ok(layout.finish())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::read::COVERED;
    use std::io::Write;

    /// A paragraph of a hand-built document: its text (without the mark), its mark, and
    /// the paragraph properties' `grpprl` (after the style index).
    pub(crate) struct P {
        text: String,
        mark: char,
        grpprl: Vec<u8>,
        /// Characters not shown, by the property that hides them (0x0800: deleted,
        /// 0x083C: hidden).
        deleted: Vec<(std::ops::Range<usize>, u16)>,
    }

    pub(crate) fn para(text: &str) -> P {
        P {
            text: text.to_string(),
            mark: '\r',
            grpprl: Vec::new(),
            deleted: Vec::new(),
        }
    }

    fn sprm(op: u16, arg: &[u8]) -> Vec<u8> {
        let mut v = op.to_le_bytes().to_vec();
        v.extend_from_slice(arg);
        v
    }

    /// A table cell of a top-level table.
    pub(crate) fn cell(text: &str) -> P {
        P {
            text: text.to_string(),
            mark: '\x07',
            grpprl: sprm(0x2416, &[1]),
            deleted: Vec::new(),
        }
    }

    /// The end of a top-level row whose cells have these edges; `merged`: per cell, 0,
    /// 2 (continues a horizontal merge) or 1 << 5 (continues a vertical merge).
    pub(crate) fn row_end(edges: &[i16], merged: &[u16]) -> P {
        let mut grpprl = sprm(0x2416, &[1]);
        grpprl.extend(sprm(0x2417, &[1]));
        let mut def = vec![(edges.len() - 1) as u8];
        for e in edges {
            def.extend(e.to_le_bytes());
        }
        for m in merged {
            def.extend(m.to_le_bytes());
            def.extend([0u8; 18]);
        }
        grpprl.extend(sprm(0xD608, &((def.len() + 1) as u16).to_le_bytes()));
        grpprl.extend(def);
        P {
            text: String::new(),
            mark: '\x07',
            grpprl,
            deleted: Vec::new(),
        }
    }

    /// A paragraph of a table nested at depth 2: a cell end or a row end.
    fn nested(text: &str, row_end: bool) -> P {
        let mut grpprl = sprm(0x2416, &[1]);
        grpprl.extend(sprm(0x6649, &2u32.to_le_bytes()));
        grpprl.extend(sprm(if row_end { 0x244C } else { 0x244B }, &[1]));
        P {
            text: text.to_string(),
            mark: '\r',
            grpprl,
            deleted: Vec::new(),
        }
    }

    /// One FKP page: runs `(fc, fc_end, properties)`; `papx` lays properties out as
    /// paragraph (`PapxInFkp`) or character (`Chpx`) properties.
    fn fkp(runs: &[(u32, u32, Vec<u8>)], papx: bool) -> Vec<u8> {
        let mut page = vec![0u8; 512];
        let crun = runs.len();
        page[511] = crun as u8;
        for (i, (fc, end, _)) in runs.iter().enumerate() {
            page[i * 4..i * 4 + 4].copy_from_slice(&fc.to_le_bytes());
            page[(i + 1) * 4..(i + 2) * 4].copy_from_slice(&end.to_le_bytes());
        }
        let mut free = 511;
        let entry = if papx { 13 } else { 1 };
        for (i, (_, _, props)) in runs.iter().enumerate() {
            if props.is_empty() {
                continue;
            }
            let stored: Vec<u8> = if papx {
                let mut g = vec![0u8, 0]; // istd
                g.extend(props);
                if g.len() % 2 == 1 {
                    let mut s = vec![g.len().div_ceil(2) as u8];
                    s.extend(g);
                    s
                } else {
                    let mut s = vec![0, (g.len() / 2) as u8];
                    s.extend(g);
                    s
                }
            } else {
                let mut s = vec![props.len() as u8];
                s.extend(props);
                s
            };
            free = (free - stored.len()) & !1;
            page[free..free + stored.len()].copy_from_slice(&stored);
            page[(crun + 1) * 4 + i * entry] = (free / 2) as u8;
        }
        page
    }

    /// A Word 97 file holding `paragraphs` as one UTF-16 piece (or 8-bit, `compressed`).
    pub(crate) fn build(paragraphs: &[P], compressed: bool) -> Vec<u8> {
        const TEXT_AT: u32 = 1024;
        let width = if compressed { 1 } else { 2 };
        let mut text: Vec<u8> = Vec::new();
        let mut cps = 0u32;
        let mut papx_runs = Vec::new();
        let mut chpx_runs = Vec::new();
        let mut fc = TEXT_AT;
        for p in paragraphs {
            let start = fc;
            let mut all: Vec<char> = p.text.chars().collect();
            all.push(p.mark);
            let mut run_start = fc;
            let mut run_deleted: Option<u16> = None;
            for (i, c) in all.iter().enumerate() {
                let deleted = p
                    .deleted
                    .iter()
                    .find(|(r, _)| r.contains(&i))
                    .map(|(_, op)| *op);
                if deleted != run_deleted {
                    if fc > run_start {
                        chpx_runs.push((run_start, fc, run_deleted));
                    }
                    run_start = fc;
                    run_deleted = deleted;
                }
                if compressed {
                    text.push(*c as u8);
                } else {
                    let mut buf = [0u16; 2];
                    for u in c.encode_utf16(&mut buf) {
                        text.extend(u.to_le_bytes());
                    }
                }
                fc += width;
                cps += 1;
            }
            chpx_runs.push((run_start, fc, run_deleted));
            papx_runs.push((start, fc, p.grpprl.clone()));
        }
        let end = fc;
        let chpx: Vec<_> = chpx_runs
            .into_iter()
            .map(|(a, b, d)| (a, b, d.map_or_else(Vec::new, |op| sprm(op, &[1]))))
            .collect();
        // One FKP page a run, the PAPX pages first: simple, and a row's definition
        // fills much of a page.
        let first_page = (end as usize).div_ceil(512);
        let pages = papx_runs.len() + chpx.len();
        let mut word = vec![0u8; (first_page + pages) * 512];
        word[0..2].copy_from_slice(&0xA5ECu16.to_le_bytes());
        word[2..4].copy_from_slice(&0x00C1u16.to_le_bytes());
        word[0x0A..0x0C].copy_from_slice(&0x0200u16.to_le_bytes()); // 1Table
        word[32..34].copy_from_slice(&0u16.to_le_bytes()); // csw
        word[34..36].copy_from_slice(&22u16.to_le_bytes()); // cslw
        word[36 + 12..36 + 16].copy_from_slice(&cps.to_le_bytes()); // ccpText
        let blob = 36 + 22 * 4 + 2;
        word[blob - 2..blob].copy_from_slice(&93u16.to_le_bytes());
        word[TEXT_AT as usize..TEXT_AT as usize + text.len()].copy_from_slice(&text);
        let bte = |word: &mut Vec<u8>, runs: &[(u32, u32, Vec<u8>)], papx: bool, first: usize| {
            let mut fcs = Vec::new();
            let mut pns = Vec::new();
            for (i, run) in runs.iter().enumerate() {
                let page = fkp(std::slice::from_ref(run), papx);
                word[(first + i) * 512..(first + i + 1) * 512].copy_from_slice(&page);
                fcs.extend(run.0.to_le_bytes());
                pns.extend(((first + i) as u32).to_le_bytes());
            }
            fcs.extend(end.to_le_bytes());
            fcs.extend(pns);
            fcs
        };
        let papx_bte = bte(&mut word, &papx_runs, true, first_page);
        let chpx_bte = bte(&mut word, &chpx, false, first_page + papx_runs.len());

        let mut table = Vec::new();
        let mut pair = |word: &mut Vec<u8>, i: usize, bytes: Vec<u8>| {
            let at = table.len() as u32;
            word[blob + i * 8..blob + i * 8 + 4].copy_from_slice(&at.to_le_bytes());
            word[blob + i * 8 + 4..blob + i * 8 + 8]
                .copy_from_slice(&(bytes.len() as u32).to_le_bytes());
            table.extend(bytes);
        };
        let mut clx = vec![2u8];
        let mut plc = Vec::new();
        plc.extend(0u32.to_le_bytes());
        plc.extend(cps.to_le_bytes());
        plc.extend([0u8, 0]);
        let fc_field = if compressed {
            (TEXT_AT * 2) | 0x4000_0000
        } else {
            TEXT_AT
        };
        plc.extend(fc_field.to_le_bytes());
        plc.extend([0u8, 0]);
        clx.extend((plc.len() as u32).to_le_bytes());
        clx.extend(plc);
        pair(&mut word, 33, clx);
        pair(&mut word, 13, papx_bte);
        pair(&mut word, 12, chpx_bte);

        let mut file = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
        file.create_stream("/WordDocument")
            .unwrap()
            .write_all(&word)
            .unwrap();
        file.create_stream("/1Table")
            .unwrap()
            .write_all(&table)
            .unwrap();
        file.flush().unwrap();
        file.into_inner().into_inner()
    }

    fn text(paragraphs: &[P]) -> String {
        let doc = read(&build(paragraphs, false));
        assert!(!doc.failed, "{:?}", doc.findings);
        assert_eq!(doc.format, Format::Doc);
        doc.text.replace(COVERED, "^")
    }

    #[test]
    fn paragraphs_and_table_rows() {
        let doc = [
            para("某县统计局2023年政府信息公开工作年度报告"),
            para("二、主动公开政府信息情况"),
            cell("信息内容"),
            cell("本年收费金额（单位：万元）"),
            row_end(&[0, 3000, 6000], &[0, 0]),
            cell("行政事业性收费"),
            cell("12.5"),
            row_end(&[0, 3000, 6000], &[0, 0]),
            para("三、收到和处理政府信息公开申请情况"),
        ];
        assert_eq!(
            text(&doc),
            "某县统计局2023年政府信息公开工作年度报告\n二、主动公开政府信息情况\n信息内容\t本年收费金额（单位：万元）\n行政事业性收费\t12.5\n三、收到和处理政府信息公开申请情况\n"
        );
        // The same in a compressed (8-bit) piece.
        let ascii = [
            para("Report 2023"),
            cell("a"),
            cell("1"),
            row_end(&[0, 10, 2000], &[0, 0]),
        ];
        let doc = read(&build(&ascii, true));
        assert_eq!(doc.text, "Report 2023\na\t1\n");
    }

    #[test]
    fn blank_cells_keep_their_place_and_spans_fill_the_grid() {
        // A blank cell between two numbers is a position, not a missing cell; a cell
        // spanning two grid columns (edges of the row above) leaves the second covered.
        let doc = [
            cell("一、本年新收政府信息公开申请数量"),
            cell("3"),
            cell(""),
            cell("4"),
            row_end(&[0, 4000, 5000, 6000, 7000], &[0, 0, 0, 0]),
            cell("（一）予以公开"),
            cell("5"),
            cell("6"),
            row_end(&[0, 4000, 6000, 7010], &[0, 0, 0]),
            cell(""),
            cell(""),
            cell("7"),
            cell(""),
            row_end(&[0, 4000, 5000, 6000, 7000], &[1 << 5, 2, 0, 0]),
        ];
        assert_eq!(
            text(&doc),
            "一、本年新收政府信息公开申请数量\t3\t\t4\n（一）予以公开\t5\t^\t6\n^\t^\t7\n"
        );
    }

    #[test]
    fn cell_paragraphs_fields_deletions_and_nested_tables() {
        let mut inner_para = cell("");
        inner_para.mark = '\r';
        let mut revised = cell("3536");
        revised.deleted.push((0..2, 0x0800));
        let mut hidden = cell("187");
        hidden.deleted.push((0..1, 0x083C));
        let doc = [
            para("见\u{13} HYPERLINK \"http://x\" \u{14}附件\u{15}。"),
            inner_para,
            cell("第一段"),
            revised,
            nested("内", false),
            nested("1", false),
            nested("", true),
            cell(""),
            row_end(&[0, 1000, 2000, 3000], &[0, 0, 0]),
            cell("行政许可"),
            hidden,
            row_end(&[0, 1000, 2000], &[0, 0]),
        ];
        // The empty paragraph before the first cell's text stays out of the cell; the
        // deleted 35 and the hidden 1 are not read.
        assert_eq!(text(&doc), "见附件。\n第一段\t36\n内\t1\n行政许可\t87\n");
    }

    #[test]
    fn a_cell_that_starts_with_a_table() {
        // A layout table whose cell holds the report's table first: the paragraph after
        // the title is at depth 2 straight away.
        let doc = [
            para("某县统计局2023年政府信息公开工作年度报告"),
            nested("行政许可", false),
            nested("12", false),
            nested("", true),
            cell(""),
            row_end(&[0, 9000], &[0]),
        ];
        assert_eq!(
            text(&doc),
            "某县统计局2023年政府信息公开工作年度报告\n\n行政许可\t12\n"
        );
    }

    #[test]
    fn what_is_not_read_is_said() {
        let ole = |streams: &[&str]| {
            let mut file = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
            for s in streams {
                file.create_stream(s)
                    .unwrap()
                    .write_all(&[0u8; 64])
                    .unwrap();
            }
            file.flush().unwrap();
            file.into_inner().into_inner()
        };
        let check = |bytes: &[u8]| {
            let d = read(bytes);
            assert!(d.failed);
            (d.format, d.findings[0].check)
        };
        assert_eq!(
            check(&ole(&["/Workbook"])),
            (Format::LegacyOffice, "unsupported_format")
        );
        assert_eq!(
            check(&ole(&["/WordDocument"])),
            (Format::Doc, "doc_unreadable")
        );
        let mut head = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        head.extend([0u8; 600]);
        assert_eq!(check(&head), (Format::LegacyOffice, "ole_unreadable"));

        // Marks and properties that disagree (a mark overwritten, a cell mark outside
        // any table, a row's end holding text): damaged, not read into shifted cells.
        let row = |first: P| {
            build(
                &[para("x"), first, cell("3"), row_end(&[0, 9, 18], &[0, 0])],
                false,
            )
        };
        let mut overwritten = cell("12");
        overwritten.mark = '5';
        let mut outside = cell("12");
        outside.grpprl.clear();
        for bytes in [row(overwritten), row(outside)] {
            assert_eq!(check(&bytes), (Format::Doc, "doc_unreadable"));
        }
        let mut end = row_end(&[0, 9], &[0]);
        end.text = "7".to_string();
        assert_eq!(
            check(&build(&[cell("1"), end], false)),
            (Format::Doc, "doc_unreadable")
        );

        let good = build(&[para("x"), cell("1"), row_end(&[0, 9], &[0])], false);
        let patch = |at: usize, v: u16| {
            let mut file = cfb::CompoundFile::open(Cursor::new(good.clone())).unwrap();
            let mut word = Vec::new();
            file.open_stream("/WordDocument")
                .unwrap()
                .read_to_end(&mut word)
                .unwrap();
            word[at..at + 2].copy_from_slice(&v.to_le_bytes());
            file.create_stream("/WordDocument")
                .unwrap()
                .write_all(&word)
                .unwrap();
            file.flush().unwrap();
            file.into_inner().into_inner()
        };
        assert_eq!(
            check(&patch(0x0A, 0x0300)),
            (Format::Doc, "unsupported_format"),
            "encrypted"
        );
        assert_eq!(
            check(&patch(2, 0x0068)),
            (Format::Doc, "unsupported_format"),
            "Word 95"
        );
    }

    #[test]
    fn damaged_files_fail_or_read_but_never_panic() {
        let good = build(
            &[
                para("某县2023年政府信息公开工作年度报告"),
                cell("行政许可"),
                cell("12"),
                row_end(&[0, 3000, 6000], &[0, 0]),
            ],
            false,
        );
        let mut state = 0x9E37_79B9u32;
        for i in 0..2000 {
            let mut bytes = good.clone();
            if i % 2 == 0 {
                bytes.truncate(i * 7 % good.len());
            } else {
                for _ in 0..1 + i % 8 {
                    state ^= state << 13;
                    state ^= state >> 17;
                    state ^= state << 5;
                    let at = state as usize % bytes.len();
                    bytes[at] = (state >> 8) as u8;
                }
            }
            let _ = read(&bytes);
        }
    }
}
