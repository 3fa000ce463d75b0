//! Pages saved as MIME messages: a browser's "save as single file" web archive (MHTML,
//! `.mht`), an e-mail (`.eml`) carrying a report, the web archive a DOCX imports
//! (`w:altChunk`). Their text is quoted-printable or base64 in the part's own charset: read
//! as it is, no title, heading or table can be found in it, and the report would be lost
//! as a page that is not one.
//!
//! The part read is the first `text/html` one (depth first through nested multiparts),
//! else the first `text/plain`; its transfer encoding is undone and its text converted
//! from the charset its header names (a UTF-8 BOM is put in front, so the readers take
//! the text as UTF-8 whatever the page's own `<meta charset>` says).

use encoding_rs::Encoding;

/// The readable body of a MIME message.
#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    /// The part is HTML (else plain text).
    pub html: bool,
    /// Its bytes, decoded: UTF-8 with a BOM when the header named a charset, else as sent.
    pub bytes: Vec<u8>,
    /// The message's `Subject:`, decoded (a web archive's page title, an e-mail's subject).
    pub subject: Option<String>,
}

/// The body of `bytes` when they are a MIME message with a text part; `None` otherwise.
pub fn body(bytes: &[u8]) -> Option<Body> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    // A message starts with a header line (`Name: value`, in ASCII); a text report never
    // does, and this runs on every file.
    let name_len = bytes
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-')
        .count();
    if name_len == 0 || bytes.get(name_len) != Some(&b':') {
        return None;
    }
    let (headers, rest) = split_headers(bytes);
    let has = |name: &str| headers.iter().any(|(n, _)| n.eq_ignore_ascii_case(name));
    if !has("mime-version") && !has("content-type") {
        return None;
    }
    let subject = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("subject"))
        .map(|(_, v)| encoded_words(v))
        .filter(|s| !s.trim().is_empty());
    let (html, bytes) = entity(&headers, rest, 0)?;
    Some(Body {
        html,
        bytes,
        subject,
    })
}

/// A part's headers: names and unfolded values.
type Headers = Vec<(String, String)>;

/// Headers up to the first blank line, and what follows.
fn split_headers(bytes: &[u8]) -> (Headers, &[u8]) {
    let end = memchr::memmem::find(bytes, b"\r\n\r\n")
        .map(|i| (i, i + 4))
        .into_iter()
        .chain(memchr::memmem::find(bytes, b"\n\n").map(|i| (i, i + 2)))
        .min_by_key(|(i, _)| *i)
        .unwrap_or((bytes.len(), bytes.len()));
    let head = String::from_utf8_lossy(&bytes[..end.0]);
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in head.lines() {
        if line.starts_with([' ', '\t']) {
            if let Some((_, v)) = headers.last_mut() {
                v.push(' ');
                v.push_str(line.trim());
            }
        } else if let Some((n, v)) = line.split_once(':') {
            headers.push((n.trim().to_string(), v.trim().to_string()));
        }
    }
    (headers, &bytes[end.1..])
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// A parameter of a header value (`boundary="…"`, `charset=gb2312`).
pub(super) fn parameter(value: &str, name: &str) -> Option<String> {
    value.split(';').skip(1).find_map(|p| {
        let (n, v) = p.split_once('=')?;
        n.trim()
            .eq_ignore_ascii_case(name)
            .then(|| v.trim().trim_matches('"').to_string())
    })
}

/// The text part of an entity: `(is HTML, decoded bytes)`.
fn entity(headers: &[(String, String)], body: &[u8], depth: usize) -> Option<(bool, Vec<u8>)> {
    let content_type = header(headers, "content-type").unwrap_or("text/plain");
    let media = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if media.starts_with("multipart/") {
        if depth > 8 {
            return None;
        }
        let boundary = parameter(content_type, "boundary")?;
        let delimiter = format!("--{boundary}");
        let mut plain = None;
        for part in memchr::memmem::find_iter(body, delimiter.as_bytes())
            .collect::<Vec<_>>()
            .windows(2)
            .map(|w| &body[w[0] + delimiter.len()..w[1]])
            .chain(last_part(body, &delimiter))
        {
            if part.starts_with(b"--") {
                break;
            }
            let part = trim_line_start(part);
            let (headers, content) = split_headers(part);
            match entity(&headers, content, depth + 1) {
                Some((true, bytes)) => return Some((true, bytes)),
                Some((false, bytes)) if plain.is_none() => plain = Some(bytes),
                _ => {}
            }
        }
        return plain.map(|b| (false, b));
    }
    let html = media == "text/html";
    if !html && media != "text/plain" {
        return None;
    }
    let encoding = header(headers, "content-transfer-encoding")
        .unwrap_or("")
        .to_ascii_lowercase();
    let raw = if encoding.contains("quoted-printable") {
        quoted_printable(body)
    } else if encoding.contains("base64") {
        base64(body)?
    } else {
        body.to_vec()
    };
    let bytes =
        match parameter(content_type, "charset").and_then(|c| Encoding::for_label(c.as_bytes())) {
            Some(enc) => {
                let (text, _, _) = enc.decode(&raw);
                let mut out = Vec::with_capacity(text.len() + 3);
                out.extend_from_slice(b"\xEF\xBB\xBF");
                out.extend_from_slice(text.trim_end_matches(['\r', '\n']).as_bytes());
                out.push(b'\n');
                out
            }
            None => raw,
        };
    Some((html, bytes))
}

/// The part after the last delimiter, when the message was cut before its closing one.
fn last_part<'a>(body: &'a [u8], delimiter: &str) -> Option<&'a [u8]> {
    let last = memchr::memmem::rfind(body, delimiter.as_bytes())?;
    let part = &body[last + delimiter.len()..];
    (!part.starts_with(b"--")).then_some(part)
}

fn trim_line_start(mut part: &[u8]) -> &[u8] {
    // The delimiter line's end (and transport padding before it).
    while let Some((&b, rest)) = part.split_first() {
        if b == b'\n' {
            return rest;
        }
        if !b.is_ascii_whitespace() {
            return part;
        }
        part = rest;
    }
    part
}

/// RFC 2047 encoded words (`=?gb2312?B?…?=`) in a header value, decoded.
fn encoded_words(value: &str) -> String {
    let mut out = String::new();
    let mut rest = value;
    while let Some(start) = rest.find("=?") {
        let word = &rest[start + 2..];
        let mut fields = word.splitn(3, '?');
        let (Some(charset), Some(kind), Some(tail)) = (fields.next(), fields.next(), fields.next())
        else {
            break;
        };
        let Some(end) = tail.find("?=") else { break };
        let text = &tail[..end];
        let decoded = match kind {
            "B" | "b" => base64(text.as_bytes()),
            "Q" | "q" => Some(quoted_printable(text.replace('_', " ").as_bytes())),
            _ => None,
        };
        let before = &rest[..start];
        // Whitespace between two encoded words is not part of the text.
        if !before.trim().is_empty() || out.is_empty() {
            out.push_str(before);
        }
        match (decoded, Encoding::for_label(charset.as_bytes())) {
            (Some(bytes), Some(enc)) => out.push_str(&enc.decode(&bytes).0),
            _ => out.push_str(&rest[start..start + 2 + charset.len() + kind.len() + 2 + end + 2]),
        }
        rest = &tail[end + 2..];
    }
    out.push_str(rest);
    out
}

/// Quoted-printable decoded (`=E4=B8=80`, soft line breaks `=` at a line's end).
pub(crate) fn quoted_printable(body: &[u8]) -> Vec<u8> {
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(body.len());
    let mut i = 0;
    while i < body.len() {
        if body[i] == b'=' {
            match (body.get(i + 1), body.get(i + 2)) {
                (Some(b'\r'), Some(b'\n')) => i += 3,
                (Some(b'\n'), _) => i += 2,
                (Some(&a), Some(&b)) if hex(a).is_some() && hex(b).is_some() => {
                    out.push(hex(a).unwrap_or(0) << 4 | hex(b).unwrap_or(0));
                    i += 3;
                }
                _ => {
                    out.push(b'=');
                    i += 1;
                }
            }
        } else {
            out.push(body[i]);
            i += 1;
        }
    }
    out
}

/// Base64 decoded, whitespace skipped; `None` on any other byte outside the alphabet.
pub(crate) fn base64(body: &[u8]) -> Option<Vec<u8>> {
    let value = |b: u8| match b {
        b'A'..=b'Z' => Some(b - b'A'),
        b'a'..=b'z' => Some(b - b'a' + 26),
        b'0'..=b'9' => Some(b - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let mut out = Vec::with_capacity(body.len() / 4 * 3);
    let (mut acc, mut bits) = (0u32, 0u32);
    for &b in body {
        if b.is_ascii_whitespace() {
            continue;
        }
        if b == b'=' {
            break;
        }
        acc = acc << 6 | u32::from(value(b)?);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_decode() {
        assert_eq!(base64(b"5LmM\r\n6IuP").unwrap(), "乌苏".as_bytes());
        assert_eq!(base64(b"5L*M"), None);
        assert_eq!(quoted_printable(b"a=E4=B9=8C=\r\nb=3D"), b"a\xE4\xB9\x8Cb=");
        assert_eq!(
            encoded_words("=?utf-8?B?5LmM?= =?utf-8?Q?=E8=8B=8F_x?= y"),
            "乌苏 x y"
        );
    }

    #[test]
    fn a_web_archive_gives_its_html_part() {
        let qp = "<title>=E4=B9=8C=E8=8B=8F</title>=\r\n<p>x</p>";
        let mht = format!("From: <Saved by Blink>\r\nSubject: =?utf-8?B?5LmM?=\r\nMIME-Version: 1.0\r\nContent-Type: multipart/related;\r\n\ttype=\"text/html\";\r\n\tboundary=\"----B--\"\r\n\r\n\r\n------B--\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n{qp}\r\n------B--\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n\r\niVBO\r\n------B----\r\n");
        let b = body(mht.as_bytes()).expect("a message");
        assert!(b.html);
        assert_eq!(b.subject.as_deref(), Some("乌"));
        assert_eq!(
            String::from_utf8(b.bytes).unwrap(),
            "\u{FEFF}<title>乌苏</title><p>x</p>\n"
        );
    }

    #[test]
    fn an_email_gives_its_text_in_its_charset() {
        // 乌苏 in GB2312, base64 inside multipart/alternative inside multipart/mixed.
        let gb = base64(b"ztrL1Q==").unwrap();
        assert_eq!(
            Encoding::for_label(b"gb2312").unwrap().decode(&gb).0,
            "乌苏"
        );
        let eml = "Received: by x\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=A\r\n\r\n--A\r\nContent-Type: multipart/alternative; boundary=B\r\n\r\n--B\r\nContent-Type: text/plain; charset=gb2312\r\nContent-Transfer-Encoding: base64\r\n\r\nztrL1Q==\r\n--B--\r\n--A--\r\n";
        let b = body(eml.as_bytes()).expect("a message");
        assert!(!b.html);
        assert_eq!(String::from_utf8(b.bytes).unwrap(), "\u{FEFF}乌苏\n");
    }

    #[test]
    fn text_that_is_not_a_message_is_left_alone() {
        assert_eq!(body("标题: 某县2023年报\n正文".as_bytes()), None);
        assert_eq!(body(b"Note: this is a plain text file\n\nhello"), None);
        assert_eq!(body(b"<html><body>x</body></html>"), None);
        // A message whose only part is an image has nothing to read.
        let png = "MIME-Version: 1.0\r\nContent-Type: image/png\r\n\r\niVBO";
        assert_eq!(body(png.as_bytes()), None);
    }
}
