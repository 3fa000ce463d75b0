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

//!
//! Here the container: the part read out of the zip within the size limit, and the
//! failures. `body` reads the XML into lines through quick-xml, `scan` is the fast path
//! that reads nearly every body without it, `scopes` resolves namespace prefixes, and
//! `equivalence` holds them to quick-xml's namespace reader they replaced.

use std::io::{Cursor, Read};

use quick_xml::Reader;
use zip::ZipArchive;

use crate::read::{Document, Format};
use body::Body;

mod body;
#[cfg(test)]
mod equivalence;
mod scan;
mod scopes;

/// Deepest element nesting accepted in `word/document.xml`.
pub const MAX_DEPTH: usize = 256;
/// Widest table row accepted, in grid columns (Word itself stops at 63): wider spans are
/// cut, so a few bytes of `w:gridSpan` cannot blow up into megabytes of tabs.
pub const MAX_COLUMNS: usize = 1024;
/// Most text the body may produce.
pub const MAX_TEXT_BYTES: usize = 128 << 20;

/// WordprocessingML, transitional and strict, and Word 2003's XML (WordML), whose body
/// has the same elements.
const W_NS: [&[u8]; 3] = [
    b"http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    b"http://purl.oclc.org/ooxml/wordprocessingml/main",
    b"http://schemas.microsoft.com/office/word/2003/wordml",
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

/// True when `head` (a file's first bytes) is a Word document saved as one XML file:
/// Word 2003's XML format (`<w:wordDocument>`, what Word and WPS write as "XML document",
/// often posted as `.doc` or `.xml`) or a flat OPC package (`<pkg:package>`, Word 2007+'s
/// single-file XML). Read as text, such a file is tags around short runs of text, in which
/// no heading or row can be found.
pub fn is_word_xml(head: &[u8]) -> bool {
    let b = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let start = b.iter().position(|c| !c.is_ascii_whitespace()).unwrap_or(0);
    let b = &b[start..];
    let find = |needle: &[u8]| memchr::memmem::find(b, needle).is_some();
    b.starts_with(b"<?xml")
        && (find(b"schemas.microsoft.com/office/word/2003/wordml")
            || find(b"schemas.microsoft.com/office/2006/xmlPackage") && find(b"wordprocessingml"))
}

/// Reads a Word document saved as one XML file ([`is_word_xml`]): its body, as a DOCX's.
pub fn read_xml(bytes: &[u8]) -> Document {
    let xml = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match body(xml) {
        Ok(text) => Document::read(Format::WordXml, text),
        Err(Failure::Unreadable(why)) => Document::failed(
            Format::WordXml,
            "docx_unreadable",
            why.replace("word/document.xml", "the XML document"),
        ),
        Err(Failure::Limit(why)) => Document::failed(Format::WordXml, "limit_exceeded", why),
    }
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
        Ok(text) => Document::read(Format::Docx, text),
        Err(Failure::Unreadable(why)) => Document::failed(Format::Docx, "docx_unreadable", why),
        Err(Failure::Limit(why)) => Document::failed(Format::Docx, "limit_exceeded", why),
    }
}

fn body_text(bytes: &[u8], limit: u64) -> Result<String, Failure> {
    let mut archive = ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| Failure::Unreadable(format!("not a readable DOCX (zip) file: {e}")))?;
    let main = main_part(&mut archive)
        .ok_or_else(|| Failure::Unreadable("the DOCX has no word/document.xml".to_string()))?;
    let xml = read_part(&mut archive, &main, limit)?;
    let text = body(&xml)?;
    if !text.contains(ALT_CHUNK) {
        return Ok(text);
    }
    alt_chunks(&mut archive, &main, &text, limit)
}

/// The text of a WordprocessingML body (`word/document.xml`, or a Word XML file): the
/// fast scanner reads nearly every body; what it is not sure of, quick-xml reads.
fn body(xml: &[u8]) -> Result<String, Failure> {
    match Body::default().parse_fast(xml) {
        Some(text) => Ok(text),
        None => Body::default().parse(&mut Reader::from_reader(xml)),
    }
}

/// The main document part: `word/document.xml`, or the part the package's relationships
/// name (`word/document2.xml` in files saved by Word Online and SharePoint).
fn main_part<R: Read + std::io::Seek>(archive: &mut ZipArchive<R>) -> Option<String> {
    if archive.index_for_name_raw(b"word/document.xml").is_some() {
        return Some("word/document.xml".to_string());
    }
    let rels = read_part(archive, "_rels/.rels", 1 << 20).ok()?;
    let target = relationships(&rels)
        .into_iter()
        .find(|(_, kind, _)| kind.ends_with("/officeDocument"))
        .map(|(_, _, target)| target.trim_start_matches('/').to_string())?;
    archive.index_for_name(&target).is_some().then_some(target)
}

/// The main document part's name, when `bytes` are a DOCX container.
pub(crate) fn main_part_of(bytes: &[u8]) -> Option<String> {
    main_part(&mut ZipArchive::new(Cursor::new(bytes)).ok()?)
}

/// One part of a zip package (an OpenDocument's `content.xml`), inflated within `limit`
/// bytes; the error says why not.
pub(super) fn part<R: Read + std::io::Seek>(
    archive: &mut ZipArchive<R>,
    name: &str,
    limit: u64,
) -> Result<Vec<u8>, String> {
    read_part(archive, name, limit).map_err(|e| match e {
        Failure::Unreadable(why) | Failure::Limit(why) => why.replace("the DOCX", "the package"),
    })
}

/// One part of the package, inflated within `limit` bytes.
fn read_part<R: Read + std::io::Seek>(
    archive: &mut ZipArchive<R>,
    name: &str,
    limit: u64,
) -> Result<Vec<u8>, Failure> {
    let index = archive
        .index_for_name(name)
        .ok_or_else(|| Failure::Unreadable(format!("the DOCX has no {name}")))?;
    let part = archive
        .by_index(index)
        .map_err(|e| Failure::Unreadable(format!("{name} cannot be read: {e}")))?;
    if part.size() > limit {
        return Err(Failure::Limit(format!(
            "{name} declares {} bytes uncompressed, over the limit of {limit}",
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
            Failure::Limit(format!("{name} inflates past the limit of {limit} bytes"))
        } else {
            Failure::Unreadable(format!("{name} cannot be read: {e}"))
        });
    }
    Ok(xml)
}

/// `(Id, Type, Target)` of each relationship of a `.rels` part.
fn relationships(xml: &[u8]) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    let mut reader = Reader::from_reader(xml);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Empty(e) | quick_xml::events::Event::Start(e))
                if e.local_name().as_ref() == b"Relationship" =>
            {
                let mut rel = (String::new(), String::new(), String::new());
                for a in e.attributes().flatten() {
                    let value = a
                        .unescape_value()
                        .map(|v| v.into_owned())
                        .unwrap_or_default();
                    match a.key.local_name().as_ref() {
                        b"Id" => rel.0 = value,
                        b"Type" => rel.1 = value,
                        b"Target" => rel.2 = value,
                        _ => {}
                    }
                }
                out.push(rel);
            }
            Ok(quick_xml::events::Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    out
}

/// Marks where the body holds an `w:altChunk` (followed by its relationship id): a part
/// in another format (HTML, as web editors' "export to Word" write) imported in place. A
/// private-use character, never in real text.
pub(super) const ALT_CHUNK: char = '\u{E001}';

/// The body's text with each `w:altChunk` replaced by its part's text: HTML parts read
/// by the HTML reader; another format (MHT, RTF, a nested DOCX) is not read and the
/// whole document is reported unreadable rather than read without it.
fn alt_chunks<R: Read + std::io::Seek>(
    archive: &mut ZipArchive<R>,
    main: &str,
    text: &str,
    limit: u64,
) -> Result<String, Failure> {
    let (dir, file) = main.rsplit_once('/').unwrap_or(("", main));
    let rels_name = if dir.is_empty() {
        format!("_rels/{file}.rels")
    } else {
        format!("{dir}/_rels/{file}.rels")
    };
    let rels = relationships(&read_part(archive, &rels_name, 1 << 20)?);
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let Some(at) = line.find(ALT_CHUNK) else {
            out.push_str(line);
            continue;
        };
        // The mark's id runs to the end of its cell or line.
        let rest = &line[at + ALT_CHUNK.len_utf8()..];
        let id_len = rest.find(['\t', '\n', ' ']).unwrap_or(rest.len());
        let id = &rest[..id_len];
        let target = rels
            .iter()
            .find(|(rid, _, _)| rid == id)
            .map(|(_, _, t)| t.clone())
            .ok_or_else(|| {
                Failure::Unreadable(format!(
                    "an imported part (w:altChunk {id}) is not in {rels_name}"
                ))
            })?;
        let name = match target.strip_prefix('/') {
            Some(absolute) => absolute.to_string(),
            None if dir.is_empty() => target.clone(),
            None => format!("{dir}/{target}"),
        };
        let bytes = read_part(archive, &name, limit)?;
        // A web page archive (MHT: what html-docx-js and Word's "single file web page"
        // write) carries the HTML as a MIME part.
        let bytes = crate::read::mime::body(&bytes)
            .filter(|b| b.html)
            .map_or(bytes, |b| b.bytes);
        if crate::read::sniff(&bytes) != Format::Html {
            return Err(Failure::Unreadable(format!(
                "the body is imported from {name}, a part in a format other than HTML (MHT, RTF, …) that is not read"
            )));
        }
        let imported = crate::read::html::read(&bytes).text;
        if at == 0 && rest[id_len..].trim().is_empty() {
            out.push_str(imported.trim_end_matches('\n'));
            out.push('\n');
        } else {
            // Inside a table cell: the part's text stays in that cell, on one line.
            out.push_str(&line[..at]);
            out.push_str(&imported.split_whitespace().collect::<Vec<_>>().join(" "));
            out.push_str(&rest[id_len..]);
        }
    }
    Ok(out)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::archive::stored::{build, Entry};

    const NS: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006""#;

    #[test]
    fn word_2003_xml_and_flat_opc_are_read_as_bodies() {
        // Word 2003's XML: `vmerge` and `hmerge`, a deletion (`aml:annotation` around
        // `w:delText`), a footnote and a comment written inside the cell they belong to,
        // the `wx:sect` wrapper, a processing instruction before the root.
        let wordml = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<?mso-application progid="Word.Document"?>
<w:wordDocument xmlns:w="http://schemas.microsoft.com/office/word/2003/wordml" xmlns:wx="http://schemas.microsoft.com/office/word/2003/auxHint" xmlns:aml="http://schemas.microsoft.com/aml/2001/core"><w:body><wx:sect><w:p><w:r><w:t>某县统计局2023年政府信息公开工作年度报告</w:t></w:r></w:p><w:tbl><w:tr><w:tc><w:tcPr><w:vmerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>三、本年度办理结果</w:t></w:r></w:p></w:tc><w:tc><w:tcPr><w:hmerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>（一）予以公开</w:t></w:r></w:p></w:tc><w:tc><w:tcPr><w:hmerge/></w:tcPr><w:p/></w:tc><w:tc><w:p><w:r><w:t>3</w:t></w:r><aml:annotation w:type="Word.Deletion"><aml:content><w:r><w:delText>5</w:delText></w:r></aml:content></aml:annotation></w:p></w:tc></w:tr><w:tr><w:tc><w:tcPr><w:vmerge/></w:tcPr><w:p/></w:tc><w:tc><w:p><w:r><w:t>（二）部分公开</w:t></w:r></w:p></w:tc><w:tc><w:p/></w:tc><w:tc><w:p><w:r><w:t>4</w:t></w:r><w:r><w:footnote><w:p><w:r><w:t>9</w:t></w:r></w:p></w:footnote></w:r><aml:annotation aml:id="2" w:type="Word.Comment"><aml:content><w:p><w:r><w:t>8</w:t></w:r></w:p></aml:content></aml:annotation></w:p></w:tc></w:tr></w:tbl></wx:sect></w:body></w:wordDocument>"#;
        assert_eq!(crate::read::sniff(wordml.as_bytes()), Format::WordXml);
        let doc = read_xml(wordml.as_bytes());
        assert_eq!(doc.format, Format::WordXml);
        assert_eq!(
            doc.text.replace(crate::read::COVERED, "^"),
            "某县统计局2023年政府信息公开工作年度报告\n三、本年度办理结果\t（一）予以公开\t^\t3\n^\t（二）部分公开\t\t4\n"
        );
        // Word 2007+'s flat OPC: the document part inlined, other parts around it.
        let flat = format!(
            r#"<?xml version="1.0" standalone="yes"?><?mso-application progid="Word.Document"?><pkg:package xmlns:pkg="http://schemas.microsoft.com/office/2006/xmlPackage"><pkg:part pkg:name="/word/styles.xml"><pkg:xmlData><w:styles {NS}/></pkg:xmlData></pkg:part><pkg:part pkg:name="/word/document.xml"><pkg:xmlData><w:document {NS}><w:body><w:p><w:r><w:t>一、总体情况</w:t></w:r></w:p></w:body></w:document></pkg:xmlData></pkg:part></pkg:package>"#
        );
        assert_eq!(crate::read::sniff(flat.as_bytes()), Format::WordXml);
        assert_eq!(read_xml(flat.as_bytes()).text, "一、总体情况\n");
        // A CMS's XML export, or a flat package of a spreadsheet, is not a Word document.
        let trs =
            "<?xml version=\"1.0\"?><RECORDS><RECORD><DOCTITLE>x</DOCTITLE></RECORD></RECORDS>";
        assert_ne!(crate::read::sniff(trs.as_bytes()), Format::WordXml);
        let sheet = r#"<?xml version="1.0"?><pkg:package xmlns:pkg="http://schemas.microsoft.com/office/2006/xmlPackage"><pkg:part pkg:name="/xl/workbook.xml"/></pkg:package>"#;
        assert_ne!(crate::read::sniff(sheet.as_bytes()), Format::WordXml);
        // Broken XML is a finding, not a panic.
        let cut = &wordml[..wordml.len() / 2];
        let doc = read_xml(cut.as_bytes());
        assert!(
            doc.failed && doc.findings[0].check == "docx_unreadable",
            "{doc:?}"
        );
    }

    fn docx(body: &str) -> Vec<u8> {
        let xml = format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {NS}><w:body>{body}<w:sectPr/></w:body></w:document>"#
        );
        container(xml.as_bytes())
    }

    pub(super) fn text(body: &str) -> String {
        let doc = read(&docx(body));
        assert!(!doc.failed, "{:?}", doc.findings);
        assert_eq!(doc.format, Format::Docx);
        assert_eq!(doc.encoding, "docx");
        // Grid positions covered by a merged cell shown as `^`.
        doc.text.replace(crate::read::COVERED, "^")
    }

    pub(super) fn p(s: &str) -> String {
        format!("<w:p><w:r><w:t>{s}</w:t></w:r></w:p>")
    }

    pub(super) fn tc(props: &str, paras: &[&str]) -> String {
        let ps: String = paras.iter().map(|s| p(s)).collect();
        format!("<w:tc><w:tcPr>{props}</w:tcPr>{ps}</w:tc>")
    }

    fn package(main: &str, body: &str, extra: &[(&str, &[u8])]) -> Vec<u8> {
        let xml = format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {NS} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body>{body}<w:sectPr/></w:body></w:document>"#
        );
        let rels = format!(
            r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="/{main}"/></Relationships>"#
        );
        let mut entries = vec![
            Entry::new("_rels/.rels", rels.as_bytes()),
            Entry::new(main, xml.as_bytes()),
        ];
        entries.extend(extra.iter().map(|(name, bytes)| Entry::new(name, bytes)));
        build(&entries)
    }

    #[test]
    fn the_main_part_is_the_one_the_package_names() {
        let bytes = package("word/document2.xml", &p("乌苏市统计局"), &[]);
        assert!(crate::read::archive::is_docx(&bytes));
        let doc = read(&bytes);
        assert!(!doc.failed, "{:?}", doc.findings);
        assert_eq!(doc.text, "乌苏市统计局\n");
    }

    #[test]
    fn an_imported_html_part_is_read_in_place() {
        let rels = br#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdAlt" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/aFChunk" Target="afchunk.htm"/></Relationships>"#;
        let html =
            "<html><body><table><tr><td>行政许可</td><td>146</td></tr></table></body></html>";
        let body = format!(r#"{}<w:altChunk r:id="rIdAlt"/>{}"#, p("前"), p("后"));
        let bytes = package(
            "word/document.xml",
            &body,
            &[
                ("word/_rels/document.xml.rels", rels),
                ("word/afchunk.htm", html.as_bytes()),
            ],
        );
        let doc = read(&bytes);
        assert!(!doc.failed, "{:?}", doc.findings);
        assert_eq!(doc.text, "前\n行政许可\t146\n后\n");
        // A web archive (MHT) with the page quoted-printable, as html-docx-js writes it.
        let rels = String::from_utf8_lossy(rels).replace("afchunk.htm", "afchunk.mht");
        let qp: String = html
            .bytes()
            .map(|b| {
                if b.is_ascii() {
                    (b as char).to_string()
                } else {
                    format!("={b:02X}")
                }
            })
            .collect();
        let mht = format!("MIME-Version: 1.0\r\nContent-Type: multipart/related;\r\n    type=\"text/html\";\r\n    boundary=\"----=mhtDocumentPart\"\r\n\r\n\r\n------=mhtDocumentPart\r\nContent-Type: text/html;\r\n    charset=\"utf-8\"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n{qp}\r\n------=mhtDocumentPart--\r\n");
        let bytes = package(
            "word/document.xml",
            &body,
            &[
                ("word/_rels/document.xml.rels", rels.as_bytes()),
                ("word/afchunk.mht", mht.as_bytes()),
            ],
        );
        let doc = read(&bytes);
        assert!(!doc.failed, "{:?}", doc.findings);
        assert_eq!(doc.text, "前\n行政许可\t146\n后\n");
        // A part in another format is not read, and says so.
        let bytes = package(
            "word/document.xml",
            &body,
            &[
                ("word/_rels/document.xml.rels", rels.as_bytes()),
                ("word/afchunk.mht", b"{\\rtf1 ...}"),
            ],
        );
        let doc = read(&bytes);
        assert!(doc.failed);
        assert!(doc.findings.iter().any(|f| f.check == "docx_unreadable"));
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
