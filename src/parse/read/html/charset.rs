//! Step 1 of the HTML reader: the page's bytes decoded, by its BOM, its own `<meta>`
//! declaration or detection, with `charset_mismatch` when the declaration is wrong.

use encoding_rs::{Encoding, GB18030, GBK, UTF_16BE, UTF_16LE, UTF_8};

use crate::model::{Finding, Severity, Table};
use crate::read::text;

/// How many leading bytes are searched for a `<meta>` charset declaration (CMS pages put
/// long scripts before it, so more than the 1024 bytes of the HTML standard's prescan).
const PRESCAN_LEN: usize = 16 * 1024;

pub(super) struct Decoded {
    pub(super) text: String,
    pub(super) encoding: String,
    pub(super) findings: Vec<Finding>,
    pub(super) binary: bool,
}

impl From<text::Decoded> for Decoded {
    fn from(d: text::Decoded) -> Self {
        Decoded {
            text: d.text,
            encoding: d.encoding.to_string(),
            findings: d.findings,
            binary: d.binary,
        }
    }
}

/// Decodes a page: BOM, then the declared charset, then detection (see the module docs).
pub(super) fn decode(bytes: &[u8]) -> Decoded {
    if Encoding::for_bom(bytes).is_some() {
        return text::decode(bytes).into();
    }
    let Some(declared) = declared_charset(&bytes[..bytes.len().min(PRESCAN_LEN)]) else {
        return text::decode(bytes).into();
    };
    let (text, had_errors) = declared.decode_without_bom_handling(bytes);
    if !had_errors {
        return Decoded {
            text: text.into_owned(),
            encoding: text::name(declared).to_string(),
            findings: Vec::new(),
            binary: false,
        };
    }
    let detected = text::decode(bytes);
    let clean = !detected.binary
        && !detected
            .findings
            .iter()
            .any(|f| f.check == "decode_replacement");
    if clean && detected.encoding != text::name(declared) {
        let mut d: Decoded = detected.into();
        d.findings.push(
            Finding::new(
                Severity::Warning,
                "charset_mismatch",
                format!(
                    "the page declares {} but is written in {}; decoded as {}",
                    text::name(declared),
                    d.encoding,
                    d.encoding
                ),
            )
            .at(Table::Reports, None, None)
            .values(text::name(declared), d.encoding.clone()),
        );
        return d;
    }
    let text = text.into_owned();
    let count = text
        .chars()
        .filter(|&c| c == char::REPLACEMENT_CHARACTER)
        .count();
    Decoded {
        text,
        encoding: text::name(declared).to_string(),
        findings: vec![Finding::new(
            Severity::Warning,
            "decode_replacement",
            format!(
                "{count} byte sequence(s) not valid {} were replaced by U+FFFD",
                text::name(declared)
            ),
        )
        .at(Table::Reports, None, None)
        .values("0", count.to_string())],
        binary: false,
    }
}

/// The charset the page declares in a `<meta>` tag: a `charset` attribute wins over a
/// `content="…charset=…"`, the first of each kind counts, and only the head is searched.
fn declared_charset(head: &[u8]) -> Option<&'static Encoding> {
    let lower = head.to_ascii_lowercase();
    let end = find(&lower, b"<body").unwrap_or(lower.len());
    let lower = &lower[..end];
    let mut attribute = None;
    let mut content = None;
    let mut at = 0;
    while let Some(pos) = find(&lower[at..], b"<meta") {
        let start = at + pos + b"<meta".len();
        let close = find(&lower[start..], b">").map_or(lower.len(), |e| start + e);
        for (key, value) in attributes(&lower[start..close]) {
            if key == b"charset" && attribute.is_none() {
                attribute = label(value);
            } else if key == b"content" && content.is_none() {
                content =
                    find(value, b"charset=").and_then(|i| label(&value[i + b"charset=".len()..]));
            }
        }
        at = close;
    }
    let encoding = attribute.or(content)?;
    // GB18030 decodes everything GBK/GB2312 does; a declared UTF-16 in an ASCII-readable
    // <meta> is a lie the HTML standard resolves as UTF-8.
    Some(if encoding == GBK {
        GB18030
    } else if encoding == UTF_16LE || encoding == UTF_16BE {
        UTF_8
    } else {
        encoding
    })
}

/// The encoding a charset label names (`"gbk"`, `'utf-8'`, `gb2312;`…).
fn label(value: &[u8]) -> Option<&'static Encoding> {
    let value = value.trim_ascii_start();
    let value = value
        .strip_prefix(b"\"")
        .or_else(|| value.strip_prefix(b"'"))
        .unwrap_or(value);
    let end = value
        .iter()
        .position(|&b| matches!(b, b'"' | b'\'' | b';' | b',') || b.is_ascii_whitespace())
        .unwrap_or(value.len());
    Encoding::for_label(&value[..end])
}

/// `(name, value)` pairs of a tag's attribute text (the part after `<meta`).
fn attributes(tag: &[u8]) -> Vec<(&[u8], &[u8])> {
    let mut out = Vec::new();
    let mut i = 0;
    let skip_space = |i: &mut usize| {
        while *i < tag.len() && (tag[*i].is_ascii_whitespace() || tag[*i] == b'/') {
            *i += 1;
        }
    };
    loop {
        skip_space(&mut i);
        if i >= tag.len() {
            break;
        }
        let start = i;
        while i < tag.len() && !tag[i].is_ascii_whitespace() && tag[i] != b'=' && tag[i] != b'/' {
            i += 1;
        }
        let key = &tag[start..i];
        while i < tag.len() && tag[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value: &[u8] = b"";
        if i < tag.len() && tag[i] == b'=' {
            i += 1;
            while i < tag.len() && tag[i].is_ascii_whitespace() {
                i += 1;
            }
            if i < tag.len() && (tag[i] == b'"' || tag[i] == b'\'') {
                let quote = tag[i];
                i += 1;
                let start = i;
                while i < tag.len() && tag[i] != quote {
                    i += 1;
                }
                value = &tag[start..i];
                i += 1;
            } else {
                let start = i;
                while i < tag.len() && !tag[i].is_ascii_whitespace() {
                    i += 1;
                }
                value = &tag[start..i];
            }
        }
        if key.is_empty() {
            // A stray '=' or quote: step over it so the loop always advances.
            i += 1;
            continue;
        }
        out.push((key, value));
    }
    out
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::super::read;
    use super::*;

    fn gbk(s: &str) -> Vec<u8> {
        GBK.encode(s).0.into_owned()
    }

    #[test]
    fn declared_gbk_is_used() {
        let page =
            "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\">\
                    </head><body><p>政府信息公开</p></body></html>";
        let doc = read(&gbk(page));
        assert_eq!(doc.encoding, "GB18030");
        assert_eq!(doc.text, "政府信息公开\n");
        assert!(doc.findings.is_empty(), "{:?}", doc.findings);
    }

    #[test]
    fn declared_utf8_is_used() {
        let doc = read(
            "<meta charset='utf-8'><meta http-equiv=Content-Type content='text/html;charset=gbk'><p>年报</p>"
                .as_bytes(),
        );
        assert_eq!(doc.encoding, "UTF-8");
        assert_eq!(doc.text, "年报\n");
        assert!(doc.findings.is_empty());
    }

    #[test]
    fn gbk_declared_as_utf8_is_decoded_as_gbk_and_flagged() {
        let page = "<html><head><meta charset=\"utf-8\"><title>报告</title></head><body>\
                    <p>本年度新收政府信息公开申请数量为零，上年结转政府信息公开申请数量为零。</p></body></html>";
        let doc = read(&gbk(page));
        assert_eq!(doc.encoding, "GB18030");
        assert!(doc.text.contains("本年度新收政府信息公开申请数量为零"));
        let f = doc
            .findings
            .iter()
            .find(|f| f.check == "charset_mismatch")
            .expect("charset_mismatch");
        assert_eq!(f.severity, Severity::Warning);
        assert_eq!(f.table, Some(Table::Reports));
        assert!(!doc.text.contains('\u{fffd}'));
    }

    #[test]
    fn undeclared_charset_is_detected_and_bom_wins() {
        let doc = read(&gbk(
            "<html><body><p>政府信息公开工作年度报告</p></body></html>",
        ));
        assert_eq!(doc.encoding, "GB18030");
        assert_eq!(doc.text, "政府信息公开工作年度报告\n");
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice("<meta charset=gbk><p>年报</p>".as_bytes());
        let doc = read(&bom);
        assert_eq!(doc.encoding, "UTF-8");
        assert_eq!(doc.text, "年报\n");
    }
}
