//! HTTP responses saved with their headers: `curl -i` (and `-iL`, which writes every
//! response of a redirect chain), `wget --save-headers`, a WARC file's response records.
//! Read as they are, the header block hides the body's format (a DOCX or PDF after the
//! headers is "binary text"), a chunked body carries its chunk-size lines into the text
//! (a size line inside a tag moves a cell's number out of its table), and a gzip body is
//! binary.
//!
//! The header block of each response is taken off (the last response is the document:
//! the ones before are redirects or `100 Continue`), the chunked framing removed, a
//! `Content-Encoding` undone, and the body sniffed again as any file. The `Content-Type`
//! charset is used only when the body does not settle its encoding itself: a body with a
//! BOM, valid UTF-8, or a page naming its own charset is read as it says, since servers
//! often send a default charset that is not the page's.

use encoding_rs::Encoding;

use super::compressed::{self, Inflated, Wrapper};

/// How many responses one file may chain (redirects).
const MAX_RESPONSES: usize = 16;

/// The body of a saved response, ready to be sniffed again.
#[derive(Debug, PartialEq)]
pub struct Body {
    /// The body's bytes: unchunked, inflated, and converted to UTF-8 (with a BOM) when the
    /// header's charset was used.
    pub bytes: Vec<u8>,
    /// The final response's status code.
    pub status: u16,
    /// The final response's `Content-Type`, if any.
    pub content_type: Option<String>,
    /// The header's charset, when the body was decoded with it.
    pub charset: Option<&'static Encoding>,
    /// The transfer and content codings undone (`chunked`, `gzip`), for the finding.
    pub undone: Vec<&'static str>,
    /// What is wrong with the framing (a cut body), for a warning.
    pub damage: Option<String>,
}

/// Why a response's body cannot be read.
#[derive(Debug, PartialEq)]
pub enum Failure {
    /// A content coding we do not undo (`br`, `compress`).
    Unsupported(String),
    /// The body inflates past the limit.
    OverLimit(u64),
    /// The body claims a coding but does not inflate.
    Unreadable(String),
}

/// The status code when `bytes` start with an HTTP status line (`HTTP/1.1 200 OK`,
/// `HTTP/2 200`).
pub fn status_line(bytes: &[u8]) -> Option<u16> {
    let rest = bytes.strip_prefix(b"HTTP/")?;
    let version_len = rest
        .iter()
        .take_while(|b| b.is_ascii_digit() || **b == b'.')
        .count();
    if version_len == 0 || version_len > 3 {
        return None;
    }
    let rest = rest[version_len..].strip_prefix(b" ")?;
    let code = rest.get(..3)?;
    if !code.iter().all(u8::is_ascii_digit) || rest.get(3).is_some_and(|b| !b" \r\n".contains(b)) {
        return None;
    }
    std::str::from_utf8(code).ok()?.parse().ok()
}

/// One response's header lines and where its body starts.
struct Head {
    status: u16,
    headers: Vec<(String, String)>,
    body_at: usize,
}

fn head(bytes: &[u8], at: usize) -> Option<Head> {
    let status = status_line(&bytes[at..])?;
    let mut headers: Vec<(String, String)> = Vec::new();
    let mut pos = at;
    // Lines end in CRLF as the protocol says, or LF where a tool rewrote them.
    loop {
        let end = memchr::memchr(b'\n', &bytes[pos..]).map_or(bytes.len(), |i| pos + i);
        let line = &bytes[pos..end];
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let next = (end + 1).min(bytes.len());
        if pos > at {
            if line.is_empty() {
                return Some(Head {
                    status,
                    headers,
                    body_at: next,
                });
            }
            let text = String::from_utf8_lossy(line);
            if text.starts_with([' ', '\t']) {
                if let Some((_, v)) = headers.last_mut() {
                    v.push(' ');
                    v.push_str(text.trim());
                }
            } else if let Some((n, v)) = text.split_once(':') {
                headers.push((n.trim().to_ascii_lowercase(), v.trim().to_string()));
            }
        }
        if end >= bytes.len() {
            // Headers without a body (a `HEAD` answer, a file cut in its headers).
            return Some(Head {
                status,
                headers,
                body_at: bytes.len(),
            });
        }
        pos = next;
    }
}

fn header<'a>(h: &'a Head, name: &str) -> Option<&'a str> {
    h.headers
        .iter()
        .rev()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// Skips the blank lines a tool may leave between two responses.
fn next_response(bytes: &[u8], from: usize) -> Option<usize> {
    let start = from
        + bytes[from..]
            .iter()
            .take_while(|b| b.is_ascii_whitespace())
            .count();
    status_line(&bytes[start..]).map(|_| start)
}

/// The body of the last response in `bytes`, which start with a status line; `None` when
/// they do not.
pub fn response(bytes: &[u8]) -> Option<Result<Body, Failure>> {
    let mut h = head(bytes, 0)?;
    for _ in 0..MAX_RESPONSES {
        // A redirect's or an interim response's body, when a tool kept it, is skipped by
        // its declared length; the next status line is what says a response follows.
        let declared = header(&h, "content-length").and_then(|v| v.parse::<usize>().ok());
        let after_body = declared.and_then(|n| h.body_at.checked_add(n));
        let next = next_response(bytes, h.body_at).or_else(|| {
            after_body
                .filter(|_| h.status < 200 || (300..400).contains(&h.status))
                .filter(|&end| end <= bytes.len())
                .and_then(|end| next_response(bytes, end))
        });
        match next.and_then(|at| head(bytes, at)) {
            Some(following) => h = following,
            None => break,
        }
    }
    Some(body(bytes, &h))
}

fn body(bytes: &[u8], h: &Head) -> Result<Body, Failure> {
    let mut data = bytes[h.body_at..].to_vec();
    let mut undone = Vec::new();
    let mut damage = None;
    let chunked = header(h, "transfer-encoding").is_some_and(|v| {
        v.split(',')
            .any(|c| c.trim().eq_ignore_ascii_case("chunked"))
    });
    if chunked {
        // No size line at the start: the tool already removed the framing and kept the
        // header, and the body is as sent.
        if let Some((whole, cut)) = dechunk(&data) {
            data = whole;
            undone.push("chunked");
            damage = cut;
        }
    } else if let Some(n) = header(h, "content-length").and_then(|v| v.parse::<u64>().ok()) {
        // Shorter than declared: the download was cut. (Longer is no damage: tools that
        // inflate the body keep the compressed length.)
        if (data.len() as u64) < n {
            damage = Some(format!(
                "the body is {} bytes, shorter than the {n} its Content-Length declares: the download was cut",
                data.len()
            ));
        }
    }
    let coding = header(h, "content-encoding")
        .map(|v| v.trim().to_ascii_lowercase())
        .unwrap_or_default();
    // The bytes decide, not the header: tools that inflate the body keep the header.
    let wrapper = if compressed::is_gzip(&data) {
        Some(Wrapper::Gzip)
    } else if matches!(coding.as_str(), "deflate" | "gzip" | "x-gzip") {
        if compressed::is_zlib(&data) {
            Some(Wrapper::Zlib)
        } else if coding == "deflate" {
            Some(Wrapper::Deflate)
        } else {
            None
        }
    } else {
        if matches!(coding.as_str(), "br" | "compress" | "x-compress" | "zstd")
            && !plausibly_plain(&data)
        {
            return Err(Failure::Unsupported(coding));
        }
        None
    };
    if let Some(w) = wrapper {
        match compressed::inflate(&data, w, compressed::cap()) {
            Inflated::Whole(v) => {
                data = v;
                undone.push(w.name());
            }
            Inflated::Cut(v, why) => {
                data = v;
                undone.push(w.name());
                damage = Some(format!("the {} body is cut ({why})", w.name()));
            }
            // `deflate` declared over a body the tool already inflated: kept as it is.
            Inflated::Unreadable(_) if w == Wrapper::Deflate && plausibly_plain(&data) => {}
            Inflated::Unreadable(why) => return Err(Failure::Unreadable(why)),
            Inflated::OverLimit(cap) => return Err(Failure::OverLimit(cap)),
        }
    }
    let content_type = header(h, "content-type").map(str::to_string);
    let charset = content_type
        .as_deref()
        .and_then(|ct| super::mime::parameter(ct, "charset"))
        .and_then(|c| Encoding::for_label(c.as_bytes()));
    let mut used = None;
    if let Some(enc) = charset.filter(|_| is_text(content_type.as_deref())) {
        if let Some(utf8) = decode_with_header(&data, enc) {
            data = utf8;
            used = Some(enc);
        }
    }
    Ok(Body {
        bytes: data,
        status: h.status,
        content_type,
        charset: used,
        undone,
        damage,
    })
}

/// A body that is already text or markup (no control bytes at its start).
fn plausibly_plain(data: &[u8]) -> bool {
    data.iter()
        .take(512)
        .all(|&b| b >= 0x20 || b"\r\n\t\x0c".contains(&b))
}

/// A media type whose charset parameter speaks of the body's characters.
fn is_text(content_type: Option<&str>) -> bool {
    let media = content_type
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    media.starts_with("text/")
        || media.ends_with("/json")
        || media.ends_with("+json")
        || media.ends_with("/xml")
        || media.ends_with("+xml")
        || media.ends_with("/javascript")
}

/// The body as UTF-8 with a BOM, decoded with the header's charset, when the body leaves
/// its encoding open: no BOM, not valid UTF-8, no charset of its own in its head, and
/// every byte valid in the header's charset (a header that does not fit the bytes is
/// ignored, and the body's encoding detected as any file's).
fn decode_with_header(data: &[u8], enc: &'static Encoding) -> Option<Vec<u8>> {
    if enc == encoding_rs::UTF_8
        || Encoding::for_bom(data).is_some()
        || std::str::from_utf8(data).is_ok()
    {
        return None;
    }
    let head = &data[..data.len().min(4096)];
    let lower = head.to_ascii_lowercase();
    if memchr::memmem::find(&lower, b"charset").is_some()
        || memchr::memmem::find(&lower, b"encoding=").is_some()
    {
        return None;
    }
    let text = enc.decode_without_bom_handling_and_without_replacement(data)?;
    let mut out = Vec::with_capacity(text.len() + 3);
    out.extend_from_slice(b"\xEF\xBB\xBF");
    out.extend_from_slice(text.as_bytes());
    Some(out)
}

/// A chunked body without its framing, and what is wrong with the framing if anything.
/// `None` when the body does not start with a chunk-size line (the framing was already
/// removed). A chunk that declares more bytes than remain, or a size line that is not
/// one, ends the body there: what follows is not known to be the page's text.
fn dechunk(data: &[u8]) -> Option<(Vec<u8>, Option<String>)> {
    let mut out = Vec::with_capacity(data.len());
    let mut pos = 0;
    let mut first = true;
    loop {
        let Some(nl) = memchr::memchr(b'\n', &data[pos..]).map(|i| pos + i) else {
            if first {
                return None;
            }
            return Some((
                out,
                Some("the chunked body ends without its last chunk: the download was cut".into()),
            ));
        };
        let line = String::from_utf8_lossy(&data[pos..nl]);
        let size_text = line
            .trim()
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_string();
        let size = (!size_text.is_empty() && size_text.len() <= 16)
            .then(|| usize::from_str_radix(&size_text, 16).ok())
            .flatten();
        let Some(size) = size else {
            if first {
                return None;
            }
            return Some((
                out,
                Some(format!(
                    "a chunk-size line is not one ({:?}): the body is read up to it",
                    line.chars().take(20).collect::<String>()
                )),
            ));
        };
        first = false;
        if size == 0 {
            return Some((out, None));
        }
        let start = nl + 1;
        let end = start.saturating_add(size);
        if end > data.len() {
            out.extend_from_slice(&data[start.min(data.len())..]);
            return Some((
                out,
                Some(format!(
                    "a chunk declares {size} bytes but only {} remain: the download was cut",
                    data.len().saturating_sub(start)
                )),
            ));
        }
        out.extend_from_slice(&data[start..end]);
        pos = end;
        // The CRLF after the chunk's data.
        if data[pos..].starts_with(b"\r\n") {
            pos += 2;
        } else if data[pos..].starts_with(b"\n") {
            pos += 1;
        }
        if pos >= data.len() {
            return Some((
                out,
                Some("the chunked body ends without its last chunk: the download was cut".into()),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(bytes: &[u8]) -> Body {
        response(bytes).expect("a response").expect("a body")
    }

    #[test]
    fn status_lines() {
        assert_eq!(status_line(b"HTTP/1.1 200 OK\r\n"), Some(200));
        assert_eq!(status_line(b"HTTP/2 301\r\n"), Some(301));
        assert_eq!(status_line(b"HTTP/1.0 404 Not Found"), Some(404));
        assert_eq!(status_line(b"HTTP/1.1 20 OK"), None);
        assert_eq!(status_line(b"HTTPS/1.1 200"), None);
        assert_eq!(status_line("一、总体情况".as_bytes()), None);
    }

    #[test]
    fn the_last_response_of_a_redirect_chain_is_the_body() {
        let file = b"HTTP/1.1 302 Found\r\nContent-Length: 162\r\nLocation: /b\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>page</p>";
        let b = ok(file);
        assert_eq!(b.status, 200);
        assert_eq!(b.bytes, b"<p>page</p>");
        assert_eq!(b.damage, None);
        // A redirect whose body the tool kept, and LF line ends.
        let file = b"HTTP/1.1 301 Moved\nContent-Length: 5\n\nmovedHTTP/1.1 200 OK\n\nbody";
        assert_eq!(ok(file).bytes, b"body");
    }

    #[test]
    fn chunked_framing_is_removed() {
        let file = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n<p>ab\r\n4;ext=1\r\nc</p\r\n1\r\n>\r\n0\r\n\r\n";
        let b = ok(file);
        assert_eq!(b.bytes, b"<p>abc</p>");
        assert_eq!(b.undone, ["chunked"]);
        assert_eq!(b.damage, None);
    }

    #[test]
    fn a_chunk_past_the_end_is_cut_and_said() {
        let file = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabcde\r\nff\r\nfgh";
        let b = ok(file);
        assert_eq!(b.bytes, b"abcdefgh");
        assert!(b.damage.unwrap().contains("only 3 remain"));
        // A size line that is not one stops the body there.
        let file = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\nxyz\r\n3\r\ndef\r\n0\r\n\r\n";
        let b = ok(file);
        assert_eq!(b.bytes, b"abc");
        assert!(b.damage.is_some());
        // Framing already removed by the tool: the body is as it is.
        let file = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n<html>x</html>";
        let b = ok(file);
        assert_eq!(b.bytes, b"<html>x</html>");
        assert_eq!(b.damage, None);
    }

    #[test]
    fn a_lying_content_length_is_said_when_short_and_ignored_when_long() {
        let b = ok(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort");
        assert_eq!(b.bytes, b"short");
        assert!(b.damage.unwrap().contains("cut"));
        let b = ok(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nlonger body");
        assert_eq!(b.bytes, b"longer body");
        assert_eq!(b.damage, None);
    }

    #[test]
    fn content_codings_are_undone_by_the_bytes() {
        let page = "<p>某县2023年政府信息公开工作年度报告</p>".as_bytes();
        let mut file = b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n".to_vec();
        file.extend(compressed::gzip(page));
        let b = ok(&file);
        assert_eq!(b.bytes, page);
        assert_eq!(b.undone, ["gzip"]);
        // Inflated by the tool, header kept.
        let mut file = b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n".to_vec();
        file.extend(page);
        assert_eq!(ok(&file).bytes, page);
        // A cut gzip body: what is whole, and the damage said.
        let mut file = b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n".to_vec();
        let z = compressed::gzip(&page.repeat(50));
        file.extend(&z[..z.len() - 30]);
        let b = ok(&file);
        assert!(b.damage.is_some() && !b.bytes.is_empty());
        // Brotli is not undone.
        let file = b"HTTP/1.1 200 OK\r\nContent-Encoding: br\r\n\r\n\x8b\x02\x80\x00\x01";
        assert!(matches!(response(file), Some(Err(Failure::Unsupported(_)))));
    }

    #[test]
    fn the_header_charset_is_used_only_when_the_body_leaves_it_open() {
        let (gbk, _, _) = encoding_rs::GBK.encode("某县政府信息公开工作年度报告");
        let mut file = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=GBK\r\n\r\n".to_vec();
        file.extend(gbk.iter());
        let b = ok(&file);
        assert_eq!(b.charset, Some(encoding_rs::GBK));
        assert_eq!(
            String::from_utf8(b.bytes).unwrap(),
            "\u{FEFF}某县政府信息公开工作年度报告"
        );
        // A UTF-8 body under a GBK header stays UTF-8.
        let file = "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=gbk\r\n\r\n<p>政府</p>";
        let b = ok(file.as_bytes());
        assert_eq!(b.charset, None);
        assert_eq!(b.bytes, "<p>政府</p>".as_bytes());
        // A page naming its own charset keeps it.
        let mut file =
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=big5\r\n\r\n<meta charset=gbk>"
                .to_vec();
        file.extend(gbk.iter());
        assert_eq!(ok(&file).charset, None);
        // Not for a PDF.
        let file = b"HTTP/1.1 200 OK\r\nContent-Type: application/pdf; charset=gbk\r\n\r\n%PDF-1.4\xb0\xa1";
        assert_eq!(ok(file).charset, None);
    }
}
