//! OFD files (GB/T 33190, the national fixed-layout format that government offices and
//! their document systems save and publish beside or instead of PDF) → the reader
//! contract's text.
//!
//! An OFD is a zip package: `OFD.xml` names each document's root (`DocRoot`), the root
//! (`Document.xml`) lists the pages in reading order (`Pages/Page@BaseLoc`), and each
//! page's `Content.xml` holds text objects placed on the page: a `TextObject`'s
//! `Boundary` (`x y w h`, in millimetres) and optional `CTM` place its `TextCode`s, each
//! starting at `X`,`Y` with a `DeltaX` (and `DeltaY`) between successive characters.
//! The text is Unicode, so no font has to be read.
//!
//! Like a PDF, the package has no tables, only characters at positions. The page is laid
//! out the way `pdftotext -layout` lays out a PDF's (the text the PDF path and its column
//! placement are built for): characters on one baseline make a line, a column of the page
//! stays at one character column on every line, a wide gap between characters becomes
//! spaces, and each page after the first starts with a form feed. Read as the separate
//! XML parts of an archive, an OFD report came out as three documents that are not
//! reports, with status ok.
//!
//! Template pages (page headers, footers and numbers), annotations (seals, signatures)
//! and images are not read. A package whose pages hold no text, or a few stamped words a
//! page, is a scan and fails as a PDF scan does.

use std::io::Cursor;

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use zip::ZipArchive;

use crate::read::{Document, Format};

/// Most pages read from one OFD.
const MAX_PAGES: usize = 5_000;
/// Most characters read from one OFD, all pages together.
const MAX_GLYPHS: usize = 16 << 20;

/// Reads an OFD package.
pub fn read(bytes: &[u8]) -> Document {
    match text(bytes) {
        Ok(text) if super::pdf::is_scan(&text) => Document::failed(
            Format::Ofd,
            "no_text_layer",
            "the OFD's pages hold no text, or a few words each (a scan); no OCR is done",
        ),
        Ok(text) => Document::read(Format::Ofd, text),
        Err(why) => Document::failed(Format::Ofd, "ofd_unreadable", why),
    }
}

/// True when a zip package is an OFD: its root holds `OFD.xml`.
pub fn is_ofd<R: std::io::Read + std::io::Seek>(zip: &ZipArchive<R>) -> bool {
    zip.index_for_name("OFD.xml").is_some()
}

/// The laid-out text of every page of every document of the package.
fn text(bytes: &[u8]) -> Result<String, String> {
    let mut zip = ZipArchive::new(Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let limits = crate::limits::get();
    let mut budget = limits.archive_bytes;
    let mut part = |zip: &mut ZipArchive<Cursor<&[u8]>>, name: &str| {
        let xml = super::docx::part(zip, name, limits.member_bytes.min(budget))?;
        budget = budget.saturating_sub(xml.len() as u64);
        Ok::<_, String>(xml)
    };
    let roots = doc_roots(&part(&mut zip, "OFD.xml")?)?;
    if roots.is_empty() {
        return Err("OFD.xml names no document (no DocRoot)".to_string());
    }
    let mut out = String::new();
    let mut pages = 0usize;
    let mut glyphs = 0usize;
    for root in roots {
        let root = resolve("", &root);
        let document = part(&mut zip, &root)?;
        let dir = root.rsplit_once('/').map_or("", |(d, _)| d).to_string();
        for location in page_locations(&document, &root)? {
            pages += 1;
            if pages > MAX_PAGES {
                return Err(format!("the OFD has more than {MAX_PAGES} pages"));
            }
            let page = page_glyphs(&part(&mut zip, &resolve(&dir, &location))?)
                .map_err(|why| format!("{location}: {why}"))?;
            glyphs += page.len();
            if glyphs > MAX_GLYPHS {
                return Err(format!("the OFD holds more than {MAX_GLYPHS} characters"));
            }
            if pages > 1 {
                out.push('\u{c}');
            }
            layout(page, &mut out);
        }
    }
    Ok(out)
}

/// A package path: `location` as written in a part of directory `dir` (absolute when it
/// starts with `/`; some writers use `\`).
fn resolve(dir: &str, location: &str) -> String {
    let location = location.trim().replace('\\', "/");
    let mut parts: Vec<&str> = match location.strip_prefix('/') {
        Some(_) => Vec::new(),
        None => dir.split('/').filter(|p| !p.is_empty()).collect(),
    };
    for p in location.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

fn malformed(part: &str, e: impl std::fmt::Display) -> String {
    format!("{part} is not well-formed XML: {e}")
}

/// The text of each `DocRoot` element of `OFD.xml`.
fn doc_roots(xml: &[u8]) -> Result<Vec<String>, String> {
    let mut reader = Reader::from_reader(xml);
    let mut roots = Vec::new();
    let mut in_root = false;
    loop {
        match reader.read_event().map_err(|e| malformed("OFD.xml", e))? {
            Event::Start(e) if e.local_name().as_ref() == b"DocRoot" => {
                in_root = true;
                roots.push(String::new());
            }
            Event::Text(t) if in_root => {
                let s = t.xml_content().map_err(|e| malformed("OFD.xml", e))?;
                if let Some(r) = roots.last_mut() {
                    r.push_str(&s);
                }
            }
            Event::End(e) if e.local_name().as_ref() == b"DocRoot" => in_root = false,
            Event::Eof => break,
            _ => {}
        }
    }
    roots.retain(|r| !r.trim().is_empty());
    Ok(roots)
}

/// The `BaseLoc` of each page of a document root, in the order of its `Pages` list.
fn page_locations(xml: &[u8], part: &str) -> Result<Vec<String>, String> {
    let mut reader = Reader::from_reader(xml);
    let mut in_pages = false;
    let mut out = Vec::new();
    loop {
        match reader.read_event().map_err(|e| malformed(part, e))? {
            Event::Start(e) if e.local_name().as_ref() == b"Pages" => in_pages = true,
            Event::End(e) if e.local_name().as_ref() == b"Pages" => in_pages = false,
            Event::Start(e) | Event::Empty(e) if in_pages && e.local_name().as_ref() == b"Page" => {
                if let Some(loc) = attribute(&e, b"BaseLoc") {
                    out.push(loc);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if out.is_empty() {
        return Err(format!("{part} lists no page"));
    }
    Ok(out)
}

fn attribute(e: &BytesStart, name: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| a.unescape_value().ok().map(|v| v.into_owned()))
}

/// Numbers of an attribute, with OFD's run-length form: `g 3 4.2` stands for three 4.2s.
fn numbers(value: &str) -> Vec<f64> {
    let mut out = Vec::new();
    let mut tokens = value.split_ascii_whitespace();
    while let Some(t) = tokens.next() {
        if t == "g" {
            let count = tokens.next().and_then(|n| n.parse::<usize>().ok());
            let step = tokens.next().and_then(|n| n.parse::<f64>().ok());
            if let (Some(count), Some(step)) = (count, step) {
                // A count is bounded by the characters it spaces; a larger one is damage.
                out.extend(std::iter::repeat_n(step, count.min(MAX_GLYPHS)));
            }
        } else if let Ok(n) = t.parse::<f64>() {
            out.push(n);
        }
    }
    out
}

/// One character on a page: where it starts (millimetres, y downwards), its width and
/// its font size.
#[derive(Debug, Clone, Copy)]
struct Glyph {
    x: f64,
    y: f64,
    width: f64,
    size: f64,
    ch: char,
}

/// The text object being read: its origin, transform and font size.
struct Object {
    origin: (f64, f64),
    ctm: [f64; 6],
    size: f64,
    /// Where the next text code starts when it gives no `X`/`Y` (object space).
    next: (f64, f64),
}

/// The text code being read.
struct Code {
    x: Option<f64>,
    y: Option<f64>,
    dx: Vec<f64>,
    dy: Vec<f64>,
    text: String,
}

/// The characters of a page's `Content.xml`, in the order written.
fn page_glyphs(xml: &[u8]) -> Result<Vec<Glyph>, String> {
    let mut reader = Reader::from_reader(xml);
    let mut object: Option<Object> = None;
    let mut code: Option<Code> = None;
    let mut glyphs = Vec::new();
    let part = "the page";
    loop {
        match reader.read_event().map_err(|e| malformed(part, e))? {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                b"TextObject" => {
                    let b = numbers(&attribute(&e, b"Boundary").unwrap_or_default());
                    let ctm = numbers(&attribute(&e, b"CTM").unwrap_or_default());
                    let size = attribute(&e, b"Size")
                        .and_then(|s| s.trim().parse::<f64>().ok())
                        .filter(|s| s.is_finite() && *s > 0.0)
                        .unwrap_or(3.5);
                    object = Some(Object {
                        origin: (
                            b.first().copied().unwrap_or(0.0),
                            b.get(1).copied().unwrap_or(0.0),
                        ),
                        ctm: if ctm.len() == 6 {
                            [ctm[0], ctm[1], ctm[2], ctm[3], ctm[4], ctm[5]]
                        } else {
                            [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
                        },
                        size,
                        next: (0.0, 0.0),
                    });
                }
                b"TextCode" if object.is_some() => {
                    let num =
                        |n: &[u8]| attribute(&e, n).and_then(|v| v.trim().parse::<f64>().ok());
                    code = Some(Code {
                        x: num(b"X"),
                        y: num(b"Y"),
                        dx: numbers(&attribute(&e, b"DeltaX").unwrap_or_default()),
                        dy: numbers(&attribute(&e, b"DeltaY").unwrap_or_default()),
                        text: String::new(),
                    });
                }
                _ => {}
            },
            Event::Text(t) => {
                if let Some(c) = code.as_mut() {
                    c.text
                        .push_str(&t.xml_content().map_err(|e| malformed(part, e))?);
                }
            }
            Event::CData(t) => {
                if let Some(c) = code.as_mut() {
                    c.text.push_str(&String::from_utf8_lossy(&t));
                }
            }
            Event::GeneralRef(r) => {
                if let Some(c) = code.as_mut() {
                    match r.resolve_char_ref().map_err(|e| malformed(part, e))? {
                        Some(ch) => c.text.push(ch),
                        None => {
                            let name = r.decode().map_err(|e| malformed(part, e))?;
                            if let Some(s) = quick_xml::escape::resolve_predefined_entity(&name) {
                                c.text.push_str(s);
                            }
                        }
                    }
                }
            }
            Event::End(e) => match e.local_name().as_ref() {
                b"TextCode" => {
                    if let (Some(c), Some(o)) = (code.take(), object.as_mut()) {
                        place(&c, o, &mut glyphs);
                    }
                }
                b"TextObject" => object = None,
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
        if glyphs.len() > MAX_GLYPHS {
            return Err(format!("more than {MAX_GLYPHS} characters on a page"));
        }
    }
    Ok(glyphs)
}

/// The width of a character (its advance where the text code gives none): a Han
/// character or full-width form is as wide as the font is high, a Latin letter or digit
/// half that.
fn default_advance(ch: char, size: f64) -> f64 {
    let c = ch as u32;
    if c >= 0x2E80 && !(0xFF61..=0xFFDC).contains(&c) || (0x2010..=0x2027).contains(&c) {
        size
    } else {
        size * 0.5
    }
}

/// Places the characters of one text code of object `o`.
fn place(code: &Code, o: &mut Object, glyphs: &mut Vec<Glyph>) {
    let [a, b, c, d, e, f] = o.ctm;
    let scale = (a * d - b * c).abs().sqrt();
    // Text drawn rotated (a landscape page printed onto portrait paper by a virtual OFD
    // printer: CTM `0 1 -1 0 …`) is placed in its own reading frame, turned back by the
    // angle of its baseline; read on the page's axes, every character was a line.
    let norm = a.hypot(b);
    let (cos, sin) = if norm > 0.0 {
        (a / norm, b / norm)
    } else {
        (1.0, 0.0)
    };
    let upright = |x: f64, y: f64| (x * cos + y * sin, y * cos - x * sin);
    let (mut lx, mut ly) = (code.x.unwrap_or(o.next.0), code.y.unwrap_or(o.next.1));
    for (i, ch) in code.text.chars().enumerate() {
        // Without a DeltaX, the characters follow each other at their own advance, unless
        // a DeltaY stacks them (vertical text): then they share one x.
        let advance = match code.dx.get(i).or(code.dx.last()) {
            Some(&dx) => dx,
            None if !code.dy.is_empty() => 0.0,
            None => default_advance(ch, o.size),
        };
        if !ch.is_whitespace() && !ch.is_control() {
            let (x, y) = upright(
                o.origin.0 + a * lx + c * ly + e,
                o.origin.1 + b * lx + d * ly + f,
            );
            glyphs.push(Glyph {
                x,
                y,
                // Not the DeltaX, which is the distance to the next character and so
                // holds the gap between two cells written as one text code.
                width: default_advance(ch, o.size) * scale,
                size: o.size * scale,
                ch,
            });
        }
        lx += advance;
        ly += code.dy.get(i).copied().unwrap_or(0.0);
    }
    o.next = (lx, ly);
}

/// Appends a page's lines to `out`, laid out as `pdftotext -layout` lays out a PDF.
fn layout(mut glyphs: Vec<Glyph>, out: &mut String) {
    glyphs.retain(|g| g.x.is_finite() && g.y.is_finite());
    if glyphs.is_empty() {
        return;
    }
    // One character column is half the page's commonest font size: a Han character is
    // then two columns wide and a digit one, so that no run of text overtakes the column
    // where the next cell starts.
    let unit = commonest_size(&glyphs) * 0.5;
    // The page's left margin is not written: its leftmost character is in column 0.
    let margin = glyphs.iter().map(|g| g.x).fold(f64::INFINITY, f64::min);
    glyphs.sort_by(|p, q| p.y.total_cmp(&q.y).then(p.x.total_cmp(&q.x)));
    let mut start = 0;
    while start < glyphs.len() {
        // A line: the characters whose baselines lie within a third of a character of the
        // line's first (table cells of one row share a baseline; the next line of a
        // paragraph is a full line height below).
        let first = glyphs[start];
        let tolerance = first.size.min(4.0 * unit) * 0.5;
        let end = glyphs[start..]
            .iter()
            .position(|g| g.y - first.y > tolerance)
            .map_or(glyphs.len(), |n| start + n);
        let line = &mut glyphs[start..end];
        line.sort_by(|p, q| p.x.total_cmp(&q.x));
        write_line(line, margin, unit, out);
        start = end;
    }
}

/// The font size most characters of the page have (to a tenth of a millimetre).
fn commonest_size(glyphs: &[Glyph]) -> f64 {
    let mut sizes: Vec<i64> = glyphs
        .iter()
        .map(|g| (g.size * 10.0).round() as i64)
        .filter(|&s| s > 0)
        .collect();
    sizes.sort_unstable();
    let mut best = (0usize, 35i64);
    let mut i = 0;
    while i < sizes.len() {
        let j = i + sizes[i..].iter().take_while(|&&s| s == sizes[i]).count();
        if j - i > best.0 {
            best = (j - i, sizes[i]);
        }
        i = j;
    }
    best.1 as f64 / 10.0
}

/// One line: each character at the column of its x, after the characters before it.
fn write_line(line: &[Glyph], margin: f64, unit: f64, out: &mut String) {
    let mut column = 0usize;
    let mut previous: Option<&Glyph> = None;
    for g in line {
        let at = ((g.x - margin) / unit).round().max(0.0) as usize;
        let to = match previous {
            None => at,
            Some(p) => {
                let gap = g.x - (p.x + p.width);
                if gap < 0.3 * p.size.min(g.size) {
                    column
                } else if gap < 1.2 * p.size.min(g.size) {
                    // A space between words of one cell.
                    at.max(column + 1).min(column + 1)
                } else {
                    // Another cell: two spaces at least, as pdftotext keeps between columns.
                    at.max(column + 2)
                }
            }
        };
        for _ in column..to {
            out.push(' ');
        }
        out.push(g.ch);
        column = to + 1;
        previous = Some(g);
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::archive::stored::{build, Entry};

    const NS: &str = r#"xmlns:ofd="http://www.ofdspec.org/2016""#;

    /// An OFD package of one document whose pages hold `pages` (each a `Content.xml`
    /// body: the objects inside the layer).
    pub(crate) fn package(pages: &[&str]) -> Vec<u8> {
        let ofd = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><ofd:OFD {NS} Version="1.0"><ofd:DocBody><ofd:DocInfo><ofd:DocID>x</ofd:DocID></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"#
        );
        let list: String = (0..pages.len())
            .map(|i| {
                format!(
                    r#"<ofd:Page ID="{}" BaseLoc="Pages/Page_{i}/Content.xml"/>"#,
                    i + 1
                )
            })
            .collect();
        let document = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><ofd:Document {NS}><ofd:CommonData><ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea><ofd:TemplatePage ID="9" BaseLoc="Tpls/Tpl_0/Content.xml"/></ofd:CommonData><ofd:Pages>{list}</ofd:Pages></ofd:Document>"#
        );
        let contents: Vec<(String, String)> = pages
            .iter()
            .enumerate()
            .map(|(i, body)| {
                (
                    format!("Doc_0/Pages/Page_{i}/Content.xml"),
                    format!(
                        r#"<?xml version="1.0" encoding="UTF-8"?><ofd:Page {NS}><ofd:Content><ofd:Layer ID="1">{body}</ofd:Layer></ofd:Content></ofd:Page>"#
                    ),
                )
            })
            .collect();
        let mut entries = vec![
            Entry::new("OFD.xml", ofd.as_bytes()),
            Entry::new("Doc_0/Document.xml", document.as_bytes()),
        ];
        for (name, xml) in &contents {
            entries.push(Entry::new(name, xml.as_bytes()));
        }
        build(&entries)
    }

    /// A text object of `text` at `x`,`y` (mm), font size 4, advances from the font.
    fn run(x: f64, y: f64, text: &str) -> String {
        format!(
            r#"<ofd:TextObject ID="1" Boundary="{x} {y} 100 6" Font="2" Size="4"><ofd:TextCode X="0" Y="4">{text}</ofd:TextCode></ofd:TextObject>"#
        )
    }

    #[test]
    fn a_package_is_known_by_its_ofd_xml_and_read_page_by_page() {
        // Pages of more than a scan's stamp of text each.
        let body = "本机关认真贯彻落实《中华人民共和国政府信息公开条例》，坚持以公开为常态、不公开为例外，依法依规做好政府信息公开工作，保障公众知情权。";
        let bytes = package(&[
            &(run(20.0, 20.0, "一、总体情况") + &run(20.0, 28.0, body)),
            &(run(20.0, 20.0, "二、主动公开") + &run(20.0, 28.0, body)),
        ]);
        assert_eq!(crate::read::sniff(&bytes), Format::Ofd);
        let doc = read(&bytes);
        assert!(!doc.failed, "{:?}", doc.findings);
        assert_eq!(doc.format, Format::Ofd);
        let lines: Vec<&str> = doc.text.lines().map(|l| l.trim_matches(' ')).collect();
        assert_eq!(lines, ["一、总体情况", body, "\u{c}二、主动公开", body]);
    }

    #[test]
    fn cells_of_a_row_share_a_line_and_a_column_keeps_its_position() {
        // Two rows of a table: a label and three numbers at fixed x, the numbers of
        // different widths; the second row's label wider than the first's.
        let mut page = String::new();
        for (y, label, values) in [
            (40.0, "（一）予以公开", ["12", "3", "150"]),
            (48.0, "（二）部分公开（区分处理的）", ["7", "10", "9"]),
        ] {
            page += &run(20.0, y, label);
            for (i, v) in values.iter().enumerate() {
                page += &run(140.0 + 20.0 * i as f64, y + 0.3, v);
            }
        }
        let doc = read(&package(&[&page]));
        let lines: Vec<&str> = doc.text.lines().collect();
        assert_eq!(lines.len(), 2, "{}", doc.text);
        let column = |line: &str, cell: &str| line.find(cell).map(|b| line[..b].chars().count());
        assert_eq!(column(lines[0], "12"), column(lines[1], "7"));
        assert_eq!(column(lines[0], "3"), column(lines[1], "10"));
        assert_eq!(column(lines[0], "150"), column(lines[1], "9"));
        let cells: Vec<&str> = lines[1].split_whitespace().collect();
        assert_eq!(cells, ["（二）部分公开（区分处理的）", "7", "10", "9"]);
    }

    #[test]
    fn per_character_objects_delta_lists_and_transforms_are_followed() {
        // One object a character (as converters from PDF write), a DeltaX in run-length
        // form, and an object scaled by its CTM: all read as one line of text.
        let mut page = String::new();
        for (i, ch) in "申请人".chars().enumerate() {
            page += &run(20.0 + 4.0 * i as f64, 30.0, &ch.to_string());
        }
        page += r#"<ofd:TextObject ID="2" Boundary="32 30 40 6" Size="4"><ofd:TextCode X="0" Y="4" DeltaX="g 3 4">情况统计</ofd:TextCode></ofd:TextObject>"#;
        page += r#"<ofd:TextObject ID="3" Boundary="80 30 40 6" Size="8" CTM="0.5 0 0 0.5 0 0"><ofd:TextCode X="0" Y="8" DeltaX="8">合计</ofd:TextCode></ofd:TextObject>"#;
        let doc = read(&package(&[&page]));
        assert_eq!(
            doc.text.split_whitespace().collect::<Vec<_>>(),
            ["申请人情况统计", "合计"],
            "{}",
            doc.text
        );
    }

    #[test]
    fn text_drawn_rotated_is_read_in_its_own_frame() {
        // A landscape page printed onto portrait paper: every object turned a quarter by
        // its CTM (x along the page's height). Two rows of a label and two numbers.
        let mut page = String::new();
        for (row, (label, values)) in [
            ("（一）予以公开", ["12", "30"]),
            ("（二）部分公开", ["7", "9"]),
        ]
        .iter()
        .enumerate()
        {
            let y = 40.0 + 8.0 * row as f64;
            for (x, text) in [(20.0, *label), (120.0, values[0]), (140.0, values[1])] {
                page += &format!(
                    r#"<ofd:TextObject ID="1" Boundary="0 0 210 297" CTM="0 1 -1 0 210 0" Size="4"><ofd:TextCode X="{x}" Y="{y}">{text}</ofd:TextCode></ofd:TextObject>"#
                );
            }
        }
        let doc = read(&package(&[&page]));
        let rows: Vec<Vec<&str>> = doc
            .text
            .lines()
            .map(|l| l.split_whitespace().collect())
            .collect();
        assert_eq!(
            rows,
            [
                vec!["（一）予以公开", "12", "30"],
                vec!["（二）部分公开", "7", "9"]
            ],
            "{}",
            doc.text
        );
    }

    #[test]
    fn vertical_text_stacks_one_character_a_line() {
        let page = r#"<ofd:TextObject ID="1" Boundary="20 30 6 30" Size="4"><ofd:TextCode X="0" Y="4" DeltaY="g 3 5">结果维持</ofd:TextCode></ofd:TextObject>"#;
        let doc = read(&package(&[page]));
        let lines: Vec<&str> = doc.text.lines().map(str::trim).collect();
        assert_eq!(lines, ["结", "果", "维", "持"]);
    }

    #[test]
    fn packages_without_text_or_structure_fail_with_the_reason() {
        // Images only: a scan.
        let scan = r#"<ofd:ImageObject ID="1" Boundary="0 0 210 297" ResourceID="5"/>"#;
        let doc = read(&package(&[scan, scan]));
        assert!(doc.failed);
        assert_eq!(doc.findings[0].check, "no_text_layer");
        // A root naming no document.
        let bare = build(&[Entry::new(
            "OFD.xml",
            format!(r#"<ofd:OFD {NS}><ofd:DocBody/></ofd:OFD>"#).as_bytes(),
        )]);
        let doc = read(&bare);
        assert!(doc.failed);
        assert_eq!(doc.findings[0].check, "ofd_unreadable");
        assert!(doc.findings[0].message.contains("DocRoot"));
        // A page the document lists but the package lacks.
        let ofd = format!(
            r#"<ofd:OFD {NS}><ofd:DocBody><ofd:DocRoot>/Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"#
        );
        let document = format!(
            r#"<ofd:Document {NS}><ofd:Pages><ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/></ofd:Pages></ofd:Document>"#
        );
        let doc = read(&build(&[
            Entry::new("OFD.xml", ofd.as_bytes()),
            Entry::new("Doc_0/Document.xml", document.as_bytes()),
        ]));
        assert!(doc.failed);
        assert_eq!(doc.findings[0].check, "ofd_unreadable");
        assert!(
            doc.findings[0].message.contains("Content.xml"),
            "{:?}",
            doc.findings
        );
    }

    #[test]
    fn paths_resolve_against_their_part() {
        assert_eq!(
            resolve("Doc_0", "Pages/Page_0/Content.xml"),
            "Doc_0/Pages/Page_0/Content.xml"
        );
        assert_eq!(resolve("Doc_0", "/Doc_0/Pages/P.xml"), "Doc_0/Pages/P.xml");
        assert_eq!(resolve("Doc_0/x", "..\\Res\\a.xml"), "Doc_0/Res/a.xml");
        assert_eq!(numbers("g 3 4.5 1"), [4.5, 4.5, 4.5, 1.0]);
    }
}
