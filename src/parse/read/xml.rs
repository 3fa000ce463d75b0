//! Pages a CMS or crawler exported as XML: an RSS or Atom feed (`<item>` with the article
//! in `<description>` or `<content:encoded>`), a TRS/Hanweb export (`<RECORDS><RECORD>
//! <DOCTITLE>…<DOCHTMLCON><![CDATA[…]]>`). Read as one HTML page, every record's text runs
//! together: the first record's tables come with the last record's signature (another
//! agency), and the other reports are lost.
//!
//! The file is turned into the shape of a JSON export (an element with children is an
//! object, repeated children an array, a leaf its text) and its records are found as in
//! one ([`super::json`]): each record, an element holding a long text, is a document of
//! its own with the title and date of its sibling elements. An XHTML page (root `html`)
//! is not an export and is read as HTML.

use encoding_rs::Encoding;
use quick_xml::events::Event;
use quick_xml::Reader;
use serde_json::{Map, Value};

use super::json::{collect, Record};

/// The records of an XML export, or `None` when `bytes` are not one (or hold none).
pub fn records(bytes: &[u8]) -> Option<Vec<Record>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace())?;
    let head = &bytes[start..bytes.len().min(start + 256)];
    let lower = head.to_ascii_lowercase();
    if !(lower.starts_with(b"<?xml") || lower.starts_with(b"<rss") || lower.starts_with(b"<feed")) {
        return None;
    }
    let text = decode(bytes, &lower);
    let root = tree(&text)?;
    let mut out = feed_items(&root);
    if out.is_empty() {
        collect(&root, "", &mut out);
    }
    (!out.is_empty()).then_some(out)
}

/// The items of an RSS or Atom feed (`/channel/item`, RSS 1.0's `/item`, `/entry`), each
/// a page whatever its length: an item is one article by the feed's own structure. A
/// short one (a news item, a notice) left to the search for long texts was not found, and
/// the whole feed was read as one text under the headline of one of its items.
fn feed_items(root: &Value) -> Vec<Record> {
    /// The elements an item's body is in, the fullest first.
    const BODIES: [&str; 4] = ["encoded", "content", "description", "summary"];
    let mut out = Vec::new();
    let lists = [
        ("/channel/item", root.pointer("/channel/item")),
        ("/item", root.get("item")),
        ("/entry", root.get("entry")),
    ];
    for (at, list) in lists {
        let items: Vec<(String, &Value)> = match list {
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, v)| (format!("{at}/{i}"), v))
                .collect(),
            Some(v) => vec![(at.to_string(), v)],
            None => continue,
        };
        for (at, item) in items {
            let Some(map) = item.as_object() else {
                continue;
            };
            let body = BODIES.iter().find_map(|k| {
                map.get(*k)
                    .and_then(Value::as_str)
                    .filter(|s| !s.trim().is_empty())
                    .map(|s| (*k, s))
            });
            if let Some((key, body)) = body {
                out.push(super::json::record(map, key, body, &at));
            }
        }
    }
    out
}

/// The text in the charset the declaration names (UTF-8 when it names none).
fn decode(bytes: &[u8], head: &[u8]) -> String {
    let declared = memchr::memmem::find(head, b"encoding=").and_then(|i| {
        let rest = &head[i + "encoding=".len()..];
        let quote = *rest.first()?;
        let end = rest[1..].iter().position(|&b| b == quote)?;
        Encoding::for_label(&rest[1..1 + end])
    });
    match declared {
        Some(enc) if enc != encoding_rs::UTF_8 => enc.decode_without_bom_handling(bytes).0,
        _ => String::from_utf8_lossy(bytes),
    }
    .into_owned()
}

/// The document as a JSON value; `None` for an XHTML page or no element at all. A file
/// cut part-way keeps what it holds; the text it was cut in is marked cut.
fn tree(text: &str) -> Option<Value> {
    let mut reader = Reader::from_str(text);
    // (name, children, text) of each open element.
    let mut open: Vec<(String, Map<String, Value>, String)> = Vec::new();
    let mut root: Option<Value> = None;
    let mut whole = false;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                let name = String::from_utf8_lossy(e.local_name().into_inner()).into_owned();
                if open.is_empty() && name.eq_ignore_ascii_case("html") {
                    return None;
                }
                open.push((name, Map::new(), String::new()));
            }
            Ok(Event::Text(t)) => {
                if let (Some(top), Ok(s)) = (open.last_mut(), t.xml_content()) {
                    top.2.push_str(&s);
                }
            }
            Ok(Event::CData(t)) => {
                if let (Some(top), Ok(s)) = (open.last_mut(), t.decode()) {
                    top.2.push_str(&s);
                }
            }
            Ok(Event::GeneralRef(r)) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c.to_string()),
                    _ => r.decode().ok().and_then(|n| {
                        quick_xml::escape::resolve_predefined_entity(&n).map(str::to_string)
                    }),
                };
                if let (Some(top), Some(s)) = (open.last_mut(), resolved) {
                    top.2.push_str(&s);
                }
            }
            Ok(Event::End(_)) => {
                let Some(done) = open.pop() else { break };
                let (name, value) = close(done);
                match open.last_mut() {
                    Some(parent) => insert(&mut parent.1, name, value),
                    None => {
                        root = Some(value);
                        whole = true;
                        break;
                    }
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => {}
        }
    }
    if !whole {
        // Cut (or malformed) inside: close what is open, the innermost text as cut.
        let mut first = true;
        while let Some(done) = open.pop() {
            let (name, value) = close(done);
            let name = if first && value.is_string() {
                "(cut)".to_string()
            } else {
                name
            };
            first = false;
            match open.last_mut() {
                Some(parent) => insert(&mut parent.1, name, value),
                None => root = Some(value),
            }
        }
    }
    root
}

fn close((name, children, text): (String, Map<String, Value>, String)) -> (String, Value) {
    if children.is_empty() {
        return (name, Value::String(text));
    }
    let mut children = children;
    if !text.trim().is_empty() {
        insert(&mut children, "#text".into(), Value::String(text));
    }
    (name, Value::Object(children))
}

fn insert(map: &mut Map<String, Value>, name: String, value: Value) {
    match map.get_mut(&name) {
        // Only repetition makes arrays here.
        Some(Value::Array(items)) => items.push(value),
        Some(existing) => {
            let first = existing.take();
            *existing = Value::Array(vec![first, value]);
        }
        None => {
            map.insert(name, value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn long(s: &str) -> String {
        format!("{s}{}", "。本年度认真贯彻落实《条例》".repeat(20))
    }

    #[test]
    fn each_record_of_an_export_is_a_page() {
        let a = long("<p>甲</p><table><tr><td>本年新收</td><td>5</td></tr></table>");
        let b = long("<p>乙</p>");
        let xml = format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<RECORDS>\n<RECORD><DOCTITLE>甲县2023年政府信息公开工作年度报告</DOCTITLE><DOCRELTIME>2024-01-20</DOCRELTIME><DOCHTMLCON><![CDATA[{a}]]></DOCHTMLCON></RECORD>\n<RECORD><DOCTITLE>乙县报告</DOCTITLE><DOCHTMLCON><![CDATA[{b}]]></DOCHTMLCON></RECORD>\n</RECORDS>\n");
        let r = records(xml.as_bytes()).expect("records");
        assert_eq!(r.len(), 2);
        let page = String::from_utf8(r[0].bytes.clone()).unwrap();
        assert!(page.contains("<title>甲县2023年政府信息公开工作年度报告</title>"));
        assert!(page.contains("content=\"2024-01-20\""));
        assert!(page.contains("<td>5</td>"));
        assert!(!page.contains('乙'));
        assert_eq!(r[1].origin, "/RECORD/1/DOCHTMLCON");
    }

    #[test]
    fn a_feed_in_gb2312_with_escaped_markup() {
        let body = long("&lt;p&gt;某局&lt;/p&gt;");
        let xml = format!("<?xml version=\"1.0\" encoding=\"gb2312\"?><rss><channel><title>某局</title><item><title>某局2023年报</title><pubDate>Mon, 15 Jan 2024</pubDate><description>{body}</description></item></channel></rss>");
        let (gb, _, _) = encoding_rs::GBK.encode(&xml);
        let r = records(&gb).expect("records");
        assert_eq!(r.len(), 1);
        let page = String::from_utf8(r[0].bytes.clone()).unwrap();
        assert!(page.contains("<title>某局2023年报</title>"), "{page}");
        assert!(page.contains("<p>某局</p>"));
    }

    #[test]
    fn every_item_of_a_feed_is_a_page_however_short() {
        let long_one = long("<p>某县2023年政府信息公开工作年度报告</p>");
        let xml = format!("<?xml version=\"1.0\"?><rss><channel><title>某县人民政府</title><description>政务公开</description><item><title>某区发布2023年政府信息公开工作年度报告</title><description>&lt;p&gt;近日，某区发布了年度报告。&lt;/p&gt;</description></item><item><title>某县2023年政府信息公开工作年度报告</title><description>摘要</description><content:encoded><![CDATA[{long_one}]]></content:encoded></item></channel></rss>");
        let r = records(xml.as_bytes()).expect("records");
        assert_eq!(r.len(), 2);
        let page = String::from_utf8(r[0].bytes.clone()).unwrap();
        assert!(
            page.contains("<title>某区发布2023年政府信息公开工作年度报告</title>"),
            "{page}"
        );
        assert!(page.contains("<p>近日，某区发布了年度报告。</p>"), "{page}");
        assert_eq!(r[1].origin, "/channel/item/1/encoded");
        let atom = "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>某局</title><entry><title>t</title><content type=\"html\">&lt;p&gt;短&lt;/p&gt;</content></entry></feed>";
        let r = records(atom.as_bytes()).expect("records");
        assert_eq!(r[0].origin, "/entry/content");
    }

    #[test]
    fn a_cut_export_keeps_its_records_and_the_cut() {
        let xml = format!(
            "<?xml version=\"1.0\"?><RECORDS><RECORD><DOCTITLE>甲</DOCTITLE><DOCCONTENT>{}",
            long("一、总体情况\n本年新收\t5")
        );
        let r = records(xml.as_bytes()).expect("records");
        assert_eq!(r.len(), 1);
        assert!(r[0].origin.ends_with("(cut)"), "{}", r[0].origin);
        assert!(!String::from_utf8_lossy(&r[0].bytes).ends_with('\n'));
    }

    #[test]
    fn pages_and_other_xml_are_not_exports() {
        let xhtml = format!(
            "<?xml version=\"1.0\"?><!DOCTYPE html><html><body>{}</body></html>",
            long("x")
        );
        assert_eq!(records(xhtml.as_bytes()), None);
        assert_eq!(records(b"<?xml version=\"1.0\"?><svg><g/></svg>"), None);
        assert_eq!(records("一、总体情况".as_bytes()), None);
    }
}
