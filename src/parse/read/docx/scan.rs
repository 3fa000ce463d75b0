//! The fast path of the body reader: `word/document.xml` scanned byte by byte for the
//! little a body needs (tags, the names of the ~20 elements acted on, text inside `w:t`),
//! instead of quick-xml's event loop, which was most of the time of a DOCX.
//!
//! It reads only what it is sure of and gives up (`None`) on anything else — a comment,
//! CDATA or doctype, an entity other than the five predefined and numeric ones, a carriage
//! return in text, a name with an unexpected byte, a closing tag that does not match, the
//! end of the input inside markup, a limit reached, an attribute that does not parse —
//! and the whole part is then read again by quick-xml ([`Body::parse`]), which decides
//! what such a document says or why it is unreadable. So every document reads as quick-
//! xml reads it; `equivalence` holds the two together over synth's bodies and mutations.

use quick_xml::events::BytesStart;
use quick_xml::name::QName;

use super::body::{read_at_end, read_at_start, skipped, Body};
use super::scopes::{Ns, Scopes};
use super::{MAX_DEPTH, MAX_TEXT_BYTES};

impl Body {
    /// The body's text, or `None` when the part holds anything the fast path does not
    /// read with certainty.
    pub(super) fn parse_fast(mut self, xml: &[u8]) -> Option<String> {
        let mut scopes = Scopes::default();
        // Names of the open elements, for the check quick-xml makes of closing tags.
        let mut open: Vec<&[u8]> = Vec::with_capacity(32);
        // Inside skipped content (deleted text, a fallback): the depth of `open` where
        // it ends.
        let mut skip_until: Option<usize> = None;
        if u32::try_from(xml.len()).is_err() {
            return None;
        }
        // Where every `<`, `>` and quote is, found in one pass: a body is some ten thousand
        // short tags, and a search started at each costs more than the tag.
        let marks = structural(xml);
        let mut next = marks.iter().map(|&p| p as usize).peekable();
        // Where `xmlns` is written: the tags whose attributes `Scopes::declare` reads.
        let mut xmlns = memchr::memmem::find_iter(xml, b"xmlns").peekable();
        let mut at = 0;
        while at < xml.len() {
            let Some(lt) = next.by_ref().find(|&p| p >= at && xml[p] == b'<') else {
                // Trailing text: never inside `w:t` when the body is closed.
                if self.in_text && skip_until.is_none() {
                    return None;
                }
                break;
            };
            if lt > at && self.in_text && skip_until.is_none() && !self.hidden() {
                self.push_text(&text(&xml[at..lt])?);
            }
            match xml.get(lt + 1)? {
                b'?' if lt == 0 && xml.starts_with(b"<?xml ") => {
                    // The XML declaration; any other processing instruction is left to
                    // quick-xml.
                    let end = memchr::memmem::find(&xml[lt + 2..], b"?>")?;
                    at = lt + 2 + end + 2;
                    while next.next_if(|&p| p < at).is_some() {}
                    continue;
                }
                b'?' if open.is_empty() && !is_xml_declaration(&xml[lt..]) => {
                    // A processing instruction before the root (`<?mso-application …?>`,
                    // which opens every Word 2003 XML and flat OPC file): no text, no
                    // element. Inside the document one is left to quick-xml.
                    let end = memchr::memmem::find(&xml[lt + 2..], b"?>")?;
                    at = lt + 2 + end + 2;
                    while next.next_if(|&p| p < at).is_some() {}
                    continue;
                }
                b'!' | b'?' => return None,
                b'/' => {
                    let gt = next.by_ref().find(|&p| xml[p] == b'>')?;
                    let name = trim_end(&xml[lt + 2..gt]);
                    if !is_name(name) || open.pop()? != name {
                        return None;
                    }
                    at = gt + 1;
                    if let Some(until) = skip_until {
                        if open.len() < until {
                            skip_until = None;
                        } else {
                            continue;
                        }
                        // The skipped element itself closes, as `read_to_end` ends it.
                        scopes.leave(self.depth);
                        self.depth -= 1;
                        continue;
                    }
                    let local = QName(name).local_name().into_inner();
                    if read_at_end(local) && scopes.resolve(QName(name)) == Ns::W {
                        self.end(local);
                    }
                    scopes.leave(self.depth);
                    self.depth = self.depth.saturating_sub(1);
                }
                _ => {
                    let gt = tag_end(xml, &mut next)?;
                    while xmlns.next_if(|&p| p < lt).is_some() {}
                    let declares = xmlns.peek().is_some_and(|&p| p < gt);
                    let content = &xml[lt + 1..gt];
                    at = gt + 1;
                    let (content, empty) = match content.strip_suffix(b"/") {
                        Some(c) => (c, true),
                        None => (content, false),
                    };
                    let name_len = content
                        .iter()
                        .position(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
                        .unwrap_or(content.len());
                    let name = &content[..name_len];
                    if !is_name(name) {
                        return None;
                    }
                    if skip_until.is_some() {
                        if !empty {
                            open.push(name);
                        }
                        continue;
                    }
                    let local = QName(name).local_name().into_inner();
                    let acted = read_at_start(local);
                    // quick-xml's start tag, built only where its name or attributes are read.
                    let start = if declares || acted {
                        Some(BytesStart::from_content(
                            std::str::from_utf8(content).ok()?,
                            name_len,
                        ))
                    } else {
                        None
                    };
                    if empty {
                        if let Some(e) = &start {
                            scopes.declare(e, self.depth + 1).ok()?;
                            if acted && scopes.resolve(QName(name)) == Ns::W {
                                self.start(local, e, true).ok()?;
                            }
                            scopes.leave(self.depth + 1);
                        }
                    } else {
                        open.push(name);
                        self.depth += 1;
                        if self.depth > MAX_DEPTH {
                            return None;
                        }
                        let Some(e) = &start else { continue };
                        scopes.declare(e, self.depth).ok()?;
                        let ns = if acted {
                            scopes.resolve(QName(name))
                        } else {
                            Ns::Other
                        };
                        if skipped(ns, local, e) {
                            skip_until = Some(open.len());
                        } else if ns == Ns::W {
                            self.start(local, e, false).ok()?;
                        }
                    }
                }
            }
            if self.emitted > MAX_TEXT_BYTES {
                return None;
            }
        }
        if self.depth != 0 || !open.is_empty() || skip_until.is_some() {
            return None;
        }
        let mut text = self.out.join("\n");
        text.push('\n');
        Some(text)
    }
}

/// Where a start tag ends: its `>` outside quoted attribute values, from the marks after
/// its `<` (a `<` inside a tag is part of it, as quick-xml reads it).
fn tag_end(xml: &[u8], marks: &mut impl Iterator<Item = usize>) -> Option<usize> {
    let mut quote = None;
    for p in marks {
        match (quote, xml[p]) {
            (None, b'>') => return Some(p),
            (None, q @ (b'"' | b'\'')) => quote = Some(q),
            (Some(q), b) if b == q => quote = None,
            _ => {}
        }
    }
    None
}

/// The positions of `<`, `>`, `"` and `'`, eight bytes at a time: a byte equal to one of
/// them shows as a zero byte of the word XORed with it (the classic test can also flag
/// the byte after a real match, so each candidate is checked).
fn structural(xml: &[u8]) -> Vec<u32> {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let zero = |x: u64| x.wrapping_sub(LO) & !x & HI;
    let is_mark = |b: u8| matches!(b, b'<' | b'>' | b'"' | b'\'');
    let mut out = Vec::with_capacity(xml.len() / 4);
    let words = xml.chunks_exact(8);
    let tail = words.remainder();
    for (w, word) in words.enumerate() {
        let x = u64::from_le_bytes(word.try_into().expect("eight bytes"));
        let mut m = zero(x ^ (LO * u64::from(b'<')))
            | zero(x ^ (LO * u64::from(b'>')))
            | zero(x ^ (LO * u64::from(b'"')))
            | zero(x ^ (LO * u64::from(b'\'')));
        while m != 0 {
            let i = (m.trailing_zeros() / 8) as usize;
            if is_mark(word[i]) {
                out.push((w * 8 + i) as u32);
            }
            m &= m - 1;
        }
    }
    let base = xml.len() - tail.len();
    out.extend(
        tail.iter()
            .enumerate()
            .filter(|(_, &b)| is_mark(b))
            .map(|(i, _)| (base + i) as u32),
    );
    out
}

/// Element names as Word writes them; anything else is left to quick-xml.
fn is_name(name: &[u8]) -> bool {
    !name.is_empty()
        && name
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b':' | b'_' | b'-' | b'.'))
}

fn trim_end(s: &[u8]) -> &[u8] {
    let n = s
        .iter()
        .rposition(|b| !matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
        .map_or(0, |i| i + 1);
    &s[..n]
}

/// Text content with its references resolved; `None` for anything quick-xml might read
/// otherwise (invalid UTF-8, a carriage return, which XML turns into a line feed, an
/// unknown or malformed reference).
fn text(raw: &[u8]) -> Option<std::borrow::Cow<'_, str>> {
    let s = std::str::from_utf8(raw).ok()?;
    if s.contains('\r') {
        return None;
    }
    if !s.contains('&') {
        return Some(s.into());
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let semi = rest[amp..].find(';')? + amp;
        let name = &rest[amp + 1..semi];
        let c = match name {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            _ => {
                let (digits, radix) = match name.strip_prefix("#x") {
                    Some(hex) => (hex, 16),
                    None => (name.strip_prefix('#')?, 10),
                };
                // `from_str_radix` takes a sign, which quick-xml refuses.
                if digits.starts_with(['+', '-']) {
                    return None;
                }
                let code = u32::from_str_radix(digits, radix).ok()?;
                // Only characters XML allows; quick-xml decides the rest.
                match char::from_u32(code)? {
                    c @ ('\t' | '\n' | '\u{20}'..) if c != '\u{FFFE}' && c != '\u{FFFF}' => c,
                    _ => return None,
                }
            }
        };
        out.push(c);
        rest = &rest[semi + 1..];
    }
    out.push_str(rest);
    Some(out.into())
}

/// `<?xml` followed by whitespace: the declaration, which only opens a document; anywhere
/// else it is left to quick-xml.
fn is_xml_declaration(at: &[u8]) -> bool {
    at.len() > 5 && at[..5].eq_ignore_ascii_case(b"<?xml") && at[5].is_ascii_whitespace()
}

#[cfg(test)]
mod tests {
    use super::super::tests::{p, text};
    use super::*;

    #[test]
    fn the_marks_are_every_angle_bracket_and_quote() {
        let mut state = 7u64;
        for len in [0, 1, 7, 8, 9, 15, 16, 17, 63, 64, 65, 1000] {
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    state = state
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    // Mostly the marks, their neighbours (borrows of the zero test) and 0/1.
                    *[b'<', b'>', b'"', b'\'', b'=', b'?', 0, 1, b'a', 0xE4]
                        .get((state >> 33) as usize % 10)
                        .unwrap()
                })
                .collect();
            let want: Vec<u32> = bytes
                .iter()
                .enumerate()
                .filter(|(_, b)| matches!(b, b'<' | b'>' | b'"' | b'\''))
                .map(|(i, _)| i as u32)
                .collect();
            assert_eq!(structural(&bytes), want, "{bytes:?}");
        }
    }

    fn fast(body: &str) -> Option<String> {
        let xml = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
        );
        Body::default().parse_fast(xml.as_bytes())
    }

    #[test]
    fn references_quotes_and_brackets_in_values() {
        let body = format!(
            r#"<w:p><w:pPr><w:rPr><w:rFonts w:ascii='a>b' w:hAnsi="c'>d"/></w:rPr></w:pPr><w:r><w:t xml:space="preserve">A&amp;B&lt;&#x4E00;&#20108;&quot;&apos;&gt; "x" 'y' c>d</w:t></w:r></w:p>{}"#,
            p("二")
        );
        let read = fast(&body).expect("read by the fast path");
        assert_eq!(read, "A&B<一二\"'> \"x\" 'y' c>d\n二\n");
        assert_eq!(read, text(&body), "and as the reader gives it");
    }

    #[test]
    fn an_instruction_before_the_root_is_skipped() {
        let xml = format!(
            r#"<?xml version="1.0"?><?mso-application progid="Word.Document"?><w:document {}><w:body><w:p><w:r><w:t>x</w:t></w:r></w:p></w:body></w:document>"#,
            r#"xmlns:w="http://schemas.microsoft.com/office/word/2003/wordml""#
        );
        let fast = Body::default().parse_fast(xml.as_bytes());
        assert_eq!(fast.as_deref(), Some("x\n"));
    }

    #[test]
    fn what_it_is_not_sure_of_is_left_to_quick_xml() {
        for body in [
            "<w:p><!-- a comment --><w:r><w:t>x</w:t></w:r></w:p>",
            "<w:p><w:r><w:t><![CDATA[x]]></w:t></w:r></w:p>",
            "<w:p><?pi x?><w:r><w:t>x</w:t></w:r></w:p>",
            "<w:p><w:r><w:t>a&nbsp;b</w:t></w:r></w:p>",
            "<w:p><w:r><w:t>a&#+65;b</w:t></w:r></w:p>",
            "<w:p><w:r><w:t>a\r\nb</w:t></w:r></w:p>",
            "<w:p><w:r><w:t>x</w:r></w:t></w:p>",
            "<w:p><w:r><w:t>x</w:t></w:r></w:p></w:p>",
            "<w:p><w:r><w:t>x</w:t></w:r>",
            "<w:p><w:r><w:t>x<</w:t></w:r></w:p>",
            "<w:p><w:tc><w:tcPr><w:gridSpan w:x=\"1\" w:x=\"2\" w:val=\"3\"/></w:tcPr></w:tc></w:p>",
        ] {
            assert_eq!(fast(body), None, "{body}");
        }
        // A comment is read all the same, by quick-xml.
        assert_eq!(
            text("<w:p><!-- a comment --><w:r><w:t>x</w:t></w:r></w:p>"),
            "x\n"
        );
    }
}
