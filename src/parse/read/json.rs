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
    // A JSON file in GBK (older CMSs answer in their pages' charset) is decoded as any
    // text is; a binary file starting with a brace is not JSON.
    let decoded;
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(_) => {
            let d = super::text::decode(bytes);
            if d.binary {
                return None;
            }
            decoded = d.text;
            decoded.as_str()
        }
    };
    let values: Vec<Value> = match serde_json::from_str::<Value>(text) {
        Ok(v) => vec![v],
        // JSON Lines: an object per line; a line that does not parse (a crawler stopped
        // mid-write, a page cut) gives what its string literals hold. Only for a file that
        // begins as JSON does (`{"`, `[{`): a text that merely starts with a brace stays
        // text.
        Err(_) => {
            let head: String = text
                .chars()
                .filter(|c| !c.is_whitespace())
                .take(2)
                .collect();
            let json_like = [r#"{""#, "[{", r#"[""#].contains(&head.as_str());
            let lines: Vec<Value> = text
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(|l| serde_json::from_str::<Value>(l).unwrap_or_else(|_| salvage(l)))
                .collect();
            if !json_like {
                return None;
            }
            lines
        }
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

/// What a line that is not valid JSON holds: its longest string literal (unescaped, up to
/// the end of the line when it is cut inside it) under the key `(cut)`, and the literal
/// after a `title` key. `Null` when no literal is long enough to be a page.
fn salvage(line: &str) -> Value {
    let mut literals: Vec<(String, bool)> = Vec::new();
    let mut chars = line.char_indices().peekable();
    while let Some((_, c)) = chars.next() {
        if c != '"' {
            continue;
        }
        let mut s = String::new();
        while let Some((_, c)) = chars.next() {
            match c {
                '"' => break,
                '\\' => match chars.next().map(|x| x.1) {
                    Some('n') => s.push('\n'),
                    Some('t') => s.push('\t'),
                    Some('r') => s.push('\r'),
                    Some('u') => {
                        let hex: String =
                            (0..4).filter_map(|_| chars.next().map(|x| x.1)).collect();
                        let unit = (hex.len() == 4)
                            .then(|| u32::from_str_radix(&hex, 16).ok())
                            .flatten();
                        s.push(unit.and_then(char::from_u32).unwrap_or('\u{FFFD}'));
                    }
                    // A form feed is a page break the readers act on.
                    Some('f') => s.push('\u{c}'),
                    Some('b') => s.push('\u{8}'),
                    None => {}
                    Some(other) => s.push(other),
                },
                c => s.push(c),
            }
        }
        // A key is followed by a colon.
        while chars.next_if(|x| x.1.is_whitespace()).is_some() {}
        let key = chars.peek().is_some_and(|x| x.1 == ':');
        literals.push((s, key));
    }
    let title = literals
        .windows(2)
        .find(|w| {
            w[0].1
                && ["title", "标题"]
                    .iter()
                    .any(|t| w[0].0.to_lowercase().contains(t))
        })
        .map(|w| w[1].0.clone());
    let Some(body) = literals
        .into_iter()
        .filter(|(_, key)| !key)
        .map(|(s, _)| s)
        .max_by_key(String::len)
        .filter(|s| s.chars().count() >= MIN_BODY_CHARS)
    else {
        return Value::Null;
    };
    let mut map = Map::new();
    if let Some(t) = title {
        map.insert("title".into(), Value::String(t));
    }
    map.insert("(cut)".into(), Value::String(body));
    Value::Object(map)
}

/// The records in `v`: an object with a long string is one (and is not searched further);
/// otherwise its values are searched.
pub(super) fn collect(v: &Value, at: &str, out: &mut Vec<Record>) {
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

pub(super) fn record(map: &Map<String, Value>, key: &str, body: &str, at: &str) -> Record {
    // A body cut short ends as it was cut: nothing is closed after it, so the readers see
    // the cut (the last line unfinished, a cell maybe part of a number) and leave it out.
    let cut = key == "(cut)";
    let title = field(map, &["title", "标题", "题目", "name"]);
    let date = field(map, &["date", "time", "日期", "时间"]);
    const TAGS: [&str; 7] = ["<p", "<table", "<div", "<br", "<span", "<td", "<tr"];
    let has_tags = |body: &str| {
        TAGS.iter()
            .any(|t| body.contains(t) || body.contains(&t.to_uppercase()))
    };
    let mut markup = has_tags(body);
    // A body whose markup the CMS stored entity-escaped (`&lt;p&gt;`): read as text, every
    // tag would be text and every table a line of tags. Unescaped once, it is the page.
    let unescaped;
    let body = if !markup && has_tags(&body.replace("&lt;", "<")) {
        unescaped = super::character_references(body).unwrap_or_else(|| body.to_string());
        markup = true;
        unescaped.as_str()
    } else {
        body
    };
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
        if !cut {
            page += "</body></html>";
        }
        page.into_bytes()
    } else {
        let mut text = crawler_header(title, date);
        text += body;
        if !cut {
            text.push('\n');
        }
        text.into_bytes()
    };
    Record {
        bytes,
        origin: format!("{at}/{key}"),
    }
}

/// The header block a crawler's text export opens with (`标题:`, `发布时间:`, the body's
/// rule), which the readers know; empty without a title or date.
pub(super) fn crawler_header(title: Option<&str>, date: Option<&str>) -> String {
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
    text
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
    fn a_line_cut_short_gives_what_its_strings_hold() {
        // The title before the body, as crawlers write their fields.
        let whole = format!(
            r#"{{"title": "甲年度报告", "content": {}}}"#,
            serde_json::to_string(&long("一、总体情况\n本年新收\t5\u{4e00}")).unwrap()
        );
        let cut = &whole[..whole.len() - 20];
        let file = format!(
            "{}\n{cut}",
            serde_json::json!({"title": "乙", "text": long("二")})
        );
        let r = records(file.as_bytes()).expect("records");
        assert_eq!(r.len(), 2);
        assert_eq!(r[1].origin, "/1/(cut)");
        let text = String::from_utf8(r[1].bytes.clone()).unwrap();
        assert!(text.starts_with("标题: 甲年度报告\n"), "{text}");
        assert!(text.contains("一、总体情况\n本年新收\t5一"), "{text}");
        // A single page cut short too.
        let r = records(cut.as_bytes()).expect("a record");
        assert_eq!(r[0].origin, "/(cut)");
        // Escapes as JSON writes them, a literal cut inside an escape.
        let v = salvage(&format!(r#"{{"a": "\u4e00\"{}\u4e"#, "x".repeat(200)));
        let body = v["(cut)"].as_str().unwrap();
        assert!(
            body.starts_with("一\"xx") && body.ends_with('\u{FFFD}'),
            "{body}"
        );
        // Not for a text that only starts with a brace.
        assert_eq!(
            records(format!("{{某县}} \"{}\"", long("x")).as_bytes()),
            None
        );
    }

    #[test]
    fn entity_escaped_markup_and_gbk_json_are_read() {
        let body = long("&lt;p&gt;某县&amp;人民政府&lt;/p&gt;&lt;table&gt;&lt;tr&gt;&lt;td&gt;&#26412;年新收&lt;/td&gt;&lt;td&gt;5&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt; &bogus; & x &报告年度报告；");
        let json = serde_json::json!({"title": "甲", "content": body});
        let r = records(json.to_string().as_bytes()).expect("a record");
        let page = String::from_utf8(r[0].bytes.clone()).unwrap();
        assert!(
            page.contains("<p>某县&人民政府</p><table><tr><td>本年新收</td><td>5</td>"),
            "{page}"
        );
        assert!(page.contains("&bogus; & x &报告年度报告；"));
        // A body that only mentions `&lt;` as text stays text.
        let json = serde_json::json!({"title": "甲", "content": long("a &lt; b 一、总体情况")});
        let r = records(json.to_string().as_bytes()).expect("a record");
        assert!(String::from_utf8(r[0].bytes.clone())
            .unwrap()
            .starts_with("标题: 甲\n"));

        let json =
            serde_json::json!({"title": "某县2023年年度报告", "content": long("一、总体情况")});
        let json = json.to_string();
        let (gbk, _, _) = encoding_rs::GBK.encode(&json);
        assert!(std::str::from_utf8(&gbk).is_err());
        let r = records(&gbk).expect("a record");
        let text = String::from_utf8(r[0].bytes.clone()).unwrap();
        assert!(text.starts_with("标题: 某县2023年年度报告\n"), "{text}");
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
