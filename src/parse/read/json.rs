//! Pages a crawler saved as JSON: a CMS's article API answer (`{"code":0,"data":{"title":
//! …,"content":"<p>…"}}`), a scraper's JSON or JSON Lines export (one object per page).
//! Read as text, such a file is one long line of escapes (`\n`, `\"`, `\u003c`) in which
//! no title, heading or table can be found, and a report in it would be lost.
//!
//! A record is an object holding a long string: that string is the page's body (HTML or
//! text), and its sibling keys give the title and the date when their names say so. Each
//! record becomes a document of its own — an HTML page with that `<title>`, or a crawler's
//! text export with a `标题:` header — and is read like any other. A file with no such
//! object (a configuration, a list of links) is not a crawler's export and is read as the
//! text it is.

use serde_json::{Map, Value};

/// A body shorter than this is a field (a summary, a URL), not a page.
const MIN_BODY_CHARS: usize = 200;

/// One page found in a JSON file.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// The document to read: an HTML page or a crawler's text export.
    pub bytes: Vec<u8>,
    /// The key the body was read from, and the record's place (JSON pointer).
    pub origin: String,
}

/// The pages of a JSON or JSON Lines file, or `None` when it is not one (or holds none).
pub fn records(bytes: &[u8]) -> Option<Vec<Record>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace())?;
    if !matches!(first, b'{' | b'[') {
        return None;
    }
    let text = std::str::from_utf8(bytes).ok()?;
    let values: Vec<Value> = match serde_json::from_str::<Value>(text) {
        Ok(v) => vec![v],
        // JSON Lines: an object per line.
        Err(_) => text
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(serde_json::from_str::<Value>)
            .collect::<Result<_, _>>()
            .ok()?,
    };
    let mut out = Vec::new();
    for (i, v) in values.iter().enumerate() {
        let at = if values.len() > 1 {
            format!("/{i}")
        } else {
            String::new()
        };
        collect(v, &at, &mut out);
    }
    (!out.is_empty()).then_some(out)
}

/// The records in `v`: an object with a long string is one (and is not searched further);
/// otherwise its values are searched.
fn collect(v: &Value, at: &str, out: &mut Vec<Record>) {
    match v {
        Value::Object(map) => match body(map) {
            Some((key, body)) => out.push(record(map, key, body, at)),
            None => {
                for (k, v) in map {
                    collect(v, &format!("{at}/{k}"), out);
                }
            }
        },
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                collect(v, &format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// The longest string of an object, when it is long enough to be a page.
fn body(map: &Map<String, Value>) -> Option<(&str, &str)> {
    map.iter()
        .filter_map(|(k, v)| Some((k.as_str(), v.as_str()?)))
        .filter(|(_, s)| s.chars().count() >= MIN_BODY_CHARS)
        .max_by_key(|(_, s)| s.len())
}

/// A short string under a key whose name contains one of `names`, the first name first
/// (`title` before a `siteName`).
fn field<'a>(map: &'a Map<String, Value>, names: &[&str]) -> Option<&'a str> {
    names.iter().find_map(|n| {
        map.iter()
            .filter(|(k, _)| k.to_lowercase().contains(n))
            .filter_map(|(_, v)| v.as_str())
            .map(str::trim)
            .find(|s| !s.is_empty() && s.chars().count() <= 200)
    })
}

fn record(map: &Map<String, Value>, key: &str, body: &str, at: &str) -> Record {
    let title = field(map, &["title", "标题", "题目", "name"]);
    let date = field(map, &["date", "time", "日期", "时间"]);
    let markup = ["<p", "<table", "<div", "<br", "<span", "<td", "<tr"]
        .iter()
        .any(|t| body.contains(t) || body.contains(&t.to_uppercase()));
    let bytes = if markup {
        let mut page = String::from("<!DOCTYPE html><html><head><meta charset=\"utf-8\">");
        if let Some(t) = title {
            page += &format!("<title>{}</title>", escape(t));
        }
        if let Some(d) = date {
            page += &format!("<meta name=\"PubDate\" content=\"{}\">", escape(d));
        }
        page += "</head><body>";
        page += body;
        page += "</body></html>";
        page.into_bytes()
    } else {
        let mut text = String::new();
        if let Some(t) = title {
            text += &format!("标题: {t}\n");
        }
        if let Some(d) = date {
            text += &format!("发布时间: {d}\n");
        }
        if !text.is_empty() {
            text += "==================== 正文 ====================\n";
        }
        text += body;
        text.push('\n');
        text.into_bytes()
    };
    Record {
        bytes,
        origin: format!("{at}/{key}"),
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn long(s: &str) -> String {
        format!("{s}{}", "。本年度认真贯彻落实《条例》".repeat(20))
    }

    #[test]
    fn an_api_answer_holds_one_page() {
        let content = long("<p>正文</p><table><tr><td>本年新收</td><td>5</td></tr></table>");
        let json = serde_json::json!({
            "code": 0,
            "data": {"siteName": "某县人民政府", "title": "某县2023年政府信息公开工作年度报告", "pubDate": "2024-01-20", "content": content, "url": "https://x.gov.cn/1.html"}
        });
        let r = records(json.to_string().as_bytes()).expect("a record");
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].origin, "/data/content");
        let page = String::from_utf8(r[0].bytes.clone()).unwrap();
        assert!(page.starts_with("<!DOCTYPE html>"));
        assert!(page.contains("<title>某县2023年政府信息公开工作年度报告</title>"));
        assert!(page.contains("content=\"2024-01-20\""));
        assert!(page.contains("<td>5</td>"));
    }

    #[test]
    fn json_lines_hold_a_page_per_line_and_text_bodies_get_a_header() {
        let a = serde_json::json!({"标题": "甲", "正文": long("一、总体情况\n本年新收\t5")});
        let b = serde_json::json!({"title": "乙", "text": long("二、主动公开")});
        let file = format!("{a}\n\n{b}\n");
        let r = records(file.as_bytes()).expect("records");
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].origin, "/0/正文");
        let text = String::from_utf8(r[0].bytes.clone()).unwrap();
        assert!(text.starts_with(
            "标题: 甲\n==================== 正文 ====================\n一、总体情况\n本年新收\t5"
        ));
        assert_eq!(r[1].origin, "/1/text");
    }

    #[test]
    fn other_files_are_not_exports() {
        for bytes in [
            &b"not json"[..],
            b"{\"a\": 1, \"b\": \"short\"}",
            b"[1, 2, 3]",
            b"{ broken",
            b"",
            "\u{FEFF}".as_bytes(),
        ] {
            assert_eq!(records(bytes), None, "{}", String::from_utf8_lossy(bytes));
        }
    }
}
