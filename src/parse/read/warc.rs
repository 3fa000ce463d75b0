//! Web archives (WARC, ISO 28500: `wget --warc-file`, Heritrix, browsertrix; `.warc.gz`
//! is the same once inflated). Read as one text, the crawl's pages run together behind
//! their record and HTTP headers, and all but the first report are lost.
//!
//! Each `response` record is a document of its own: its block is the HTTP response the
//! server sent, read through [`super::http`] like a saved response. A `resource` record
//! (what a tool archives without a server's answer: a browser's capture, a file saved
//! from disk, `warcit`) is one too, its block the document itself. Requests, metadata,
//! `warcinfo`, conversions (a text copy of a record already read), revisits and
//! redirects (a 3xx response holds no page) are skipped. The
//! format is simple (a version line, named fields, a blank line, `Content-Length` bytes);
//! records are bounded like an archive's members.

use super::archive::{Limits, Member};

/// True when `bytes` start with a WARC version line.
pub fn is_warc(bytes: &[u8]) -> bool {
    bytes.starts_with(b"WARC/1.") || bytes.starts_with(b"WARC/0.")
}

/// The `response` and `resource` records of a WARC file, each named by its target URI, in
/// file order.
/// `Err` when the file is not a readable WARC file or has too many records.
pub fn members(bytes: &[u8]) -> Result<Vec<Member>, String> {
    members_with(bytes, Limits::default())
}

pub(crate) fn members_with(bytes: &[u8], limits: Limits) -> Result<Vec<Member>, String> {
    if !is_warc(bytes) {
        return Err("not a readable WARC file".into());
    }
    let mut out = Vec::new();
    let mut pos = 0;
    let mut records = 0usize;
    let mut total: u64 = 0;
    while pos < bytes.len() {
        // Records are separated by CRLF CRLF; tools differ in how many blank lines.
        pos += bytes[pos..]
            .iter()
            .take_while(|b| b.is_ascii_whitespace())
            .count();
        if pos >= bytes.len() {
            break;
        }
        if !is_warc(&bytes[pos..]) {
            out.push(Member {
                name: format!("(record at byte {pos})"),
                bytes: Err("member cannot be read: no WARC record starts where the last one ended; the rest of the file is not read".into()),
            });
            break;
        }
        records += 1;
        if records > limits.members {
            return Err(format!(
                "limit_exceeded: the file holds more records than the limit of {}",
                limits.members
            ));
        }
        let Some(head_end) = memchr::memmem::find(&bytes[pos..], b"\r\n\r\n")
            .map(|i| (pos + i, pos + i + 4))
            .or_else(|| {
                memchr::memmem::find(&bytes[pos..], b"\n\n").map(|i| (pos + i, pos + i + 2))
            })
        else {
            break;
        };
        let head = String::from_utf8_lossy(&bytes[pos..head_end.0]);
        let field = |name: &str| {
            head.lines().skip(1).find_map(|l| {
                let (n, v) = l.split_once(':')?;
                n.trim()
                    .eq_ignore_ascii_case(name)
                    .then(|| v.trim().to_string())
            })
        };
        let kind = field("WARC-Type").unwrap_or_default().to_ascii_lowercase();
        let uri = field("WARC-Target-URI")
            .map(|u| u.trim_matches(['<', '>']).to_string())
            .unwrap_or_else(|| format!("record{records}"));
        let length = field("Content-Length").and_then(|v| v.parse::<u64>().ok());
        let start = head_end.1;
        let Some(length) = length else {
            if holds_document(&kind) {
                out.push(Member {
                    name: uri,
                    bytes: Err("member cannot be read: the record has no Content-Length; the rest of the file is not read".into()),
                });
            }
            break;
        };
        let available = (bytes.len() - start) as u64;
        let end = start + length.min(available) as usize;
        if holds_document(&kind) && !redirect(&bytes[start..end]) {
            let block = if let Err(why) = limits.admit(length, total, "record", "the records") {
                Err(why)
            } else if length > available {
                Err(format!(
                    "member cannot be read: the record declares {length} bytes but the file ends after {available}"
                ))
            } else {
                total += length;
                Ok(bytes[start..end].to_vec())
            };
            out.push(Member {
                name: uri,
                bytes: block,
            });
        }
        pos = end;
    }
    Ok(out)
}

/// A record type whose block is a document (or the response that carries one).
fn holds_document(kind: &str) -> bool {
    kind == "response" || kind == "resource"
}

/// A redirect or interim response: no page of its own. (A resource record's block is no
/// response: it has no status line.)
fn redirect(block: &[u8]) -> bool {
    super::http::status_line(block).is_some_and(|s| s < 200 || (300..400).contains(&s))
}

#[cfg(test)]
pub(crate) fn record(kind: &str, uri: &str, block: &[u8]) -> Vec<u8> {
    let mut r = format!(
        "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\nContent-Type: application/http;msgtype={kind}\r\nContent-Length: {}\r\n\r\n",
        block.len()
    )
    .into_bytes();
    r.extend_from_slice(block);
    r.extend_from_slice(b"\r\n\r\n");
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_member_per_response_record() {
        let mut warc = record("warcinfo", "", b"software: wget");
        warc.extend(record("request", "http://a/1", b"GET /1 HTTP/1.1\r\n\r\n"));
        warc.extend(record(
            "response",
            "http://a/0",
            b"HTTP/1.1 301 Moved\r\nLocation: /1\r\n\r\n",
        ));
        warc.extend(record(
            "response",
            "http://a/1",
            b"HTTP/1.1 200 OK\r\n\r\n<p>one</p>",
        ));
        warc.extend(record("metadata", "http://a/1", b"outlinks"));
        warc.extend(record(
            "resource",
            "file:///r/3.txt",
            "一、总体情况".as_bytes(),
        ));
        warc.extend(record("conversion", "file:///r/3.txt", b"text"));
        warc.extend(record(
            "response",
            "http://a/2",
            b"HTTP/1.1 200 OK\r\n\r\n<p>two</p>",
        ));
        let m = members(&warc).unwrap();
        let names: Vec<&str> = m.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(names, ["http://a/1", "file:///r/3.txt", "http://a/2"]);
        assert_eq!(m[1].bytes.as_ref().unwrap(), "一、总体情况".as_bytes());
        assert!(m[2].bytes.as_ref().unwrap().ends_with(b"<p>two</p>"));
    }

    #[test]
    fn a_cut_or_oversized_record_is_listed_with_the_reason() {
        let mut warc = record("response", "http://a/1", b"HTTP/1.1 200 OK\r\n\r\nfine");
        let big = record("response", "http://a/2", &[b'x'; 3000]);
        warc.extend(&big);
        let limits = Limits {
            member_bytes: 1000,
            total_bytes: 10_000,
            members: 10,
        };
        let m = members_with(&warc, limits).unwrap();
        assert!(m[0].bytes.is_ok());
        assert!(m[1]
            .bytes
            .as_ref()
            .unwrap_err()
            .starts_with("limit_exceeded"));
        let cut = &warc[..warc.len() - 2000];
        let m = members(cut).unwrap();
        assert!(m[1].bytes.as_ref().unwrap_err().contains("file ends"));
        // Garbage where a record should start.
        let mut bad = record("response", "http://a/1", b"HTTP/1.1 200 OK\r\n\r\nfine");
        bad.extend(b"garbage");
        let m = members(&bad).unwrap();
        assert!(m[1].bytes.is_err());
        assert!(members(b"not warc").is_err());
    }
}
