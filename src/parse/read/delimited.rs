//! Pages a crawler exported as CSV or TSV: a header row (`title,url,date,content`) and a
//! row per page, the page's text or HTML in one quoted field spanning many lines. Read as
//! one text, every row's report runs into the next (the first report's tables with the
//! last one's signature) and the others are lost.
//!
//! A file whose header row names a body column (`content`, `正文`, `html`, …) is such an
//! export: each row becomes an object of its header's names, and its records are found as
//! in a JSON export ([`super::json`]): the long field is the page, its sibling columns
//! give the title and date.

use serde_json::{Map, Value};

use super::json::{collect, Record};

/// Column names that hold a page's body in crawler exports (compared lower-case).
const BODY_COLUMNS: [&str; 12] = [
    "content",
    "正文",
    "内容",
    "text",
    "html",
    "body",
    "article",
    "content_html",
    "contenthtml",
    "page_content",
    "文章内容",
    "正文内容",
];

/// Column names that number a document's chunks in an export of pieces (compared
/// lower-case): the rows that differ only in them and in the body are one document.
const CHUNK_COLUMNS: [&str; 8] = [
    "chunk_id",
    "chunk",
    "chunk_index",
    "chunk_no",
    "part",
    "seq",
    "段落",
    "分段",
];

/// Longest header cell of an export: a header names columns, it does not hold text.
const MAX_HEADER_CELL: usize = 40;

/// The records of a CSV or TSV export, or `None` when `bytes` are not one (or hold none).
pub fn records(bytes: &[u8]) -> Option<Vec<Record>> {
    let unmarked = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let first_line = &unmarked[..memchr::memchr(b'\n', unmarked).unwrap_or(unmarked.len())];
    let first_line = first_line.strip_suffix(b"\r").unwrap_or(first_line);
    let tabs = memchr::memchr_iter(b'\t', first_line).count();
    let commas = memchr::memchr_iter(b',', first_line).count();
    let delimiter = if tabs > 0 && tabs >= commas {
        b'\t'
    } else if commas > 0 {
        b','
    } else {
        return None;
    };
    // The header alone first (this runs on every file): a few short cells, one of them a
    // body column. Only then is the whole file decoded and parsed.
    if first_line.len() > 64 * MAX_HEADER_CELL {
        return None;
    }
    let header = super::text::decode(first_line).text;
    let names: Vec<String> = header
        .split(delimiter as char)
        .map(|c| c.trim().trim_matches('"').to_lowercase())
        .collect();
    if names.iter().any(|c| c.chars().count() > MAX_HEADER_CELL)
        || !names.iter().any(|c| BODY_COLUMNS.contains(&c.as_str()))
    {
        return None;
    }
    let decoded = super::text::decode(bytes);
    if decoded.binary {
        return None;
    }
    let text = decoded.text;
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .ok()?
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{FEFF}').to_string())
        .collect();
    if headers.iter().any(|h| h.chars().count() > MAX_HEADER_CELL)
        || !headers
            .iter()
            .any(|h| BODY_COLUMNS.contains(&h.to_lowercase().as_str()))
    {
        return None;
    }
    // An export of chunks (a chunk column beside the document's own columns): the rows of
    // one document, one after another, are its text in pieces, joined back into one page.
    let lower: Vec<String> = headers.iter().map(|h| h.to_lowercase()).collect();
    let chunked = lower.iter().any(|h| CHUNK_COLUMNS.contains(&h.as_str()));
    let body = lower
        .iter()
        .position(|h| BODY_COLUMNS.contains(&h.as_str()))?;
    let same_document = |a: &csv::StringRecord, b: &csv::StringRecord| {
        lower
            .iter()
            .enumerate()
            .all(|(i, h)| i == body || CHUNK_COLUMNS.contains(&h.as_str()) || a.get(i) == b.get(i))
    };
    let mut records: Vec<csv::StringRecord> = Vec::new();
    for row in reader.records() {
        // A row the parser cannot read (a quote left open by a cut file) ends the export:
        // what follows is not known to be split into the right fields.
        let Ok(row) = row else { break };
        match records.last_mut() {
            Some(last) if chunked && same_document(last, &row) => {
                let joined = format!(
                    "{}\n{}",
                    last.get(body).unwrap_or(""),
                    row.get(body).unwrap_or("")
                );
                *last = last
                    .iter()
                    .enumerate()
                    .map(|(i, v)| if i == body { joined.as_str() } else { v })
                    .collect();
            }
            _ => records.push(row),
        }
    }
    let mut rows = Vec::new();
    for row in records {
        let mut map = Map::new();
        for (name, value) in headers.iter().zip(row.iter()) {
            map.insert(name.clone(), Value::String(value.to_string()));
        }
        rows.push(Value::Object(map));
    }
    let at_row = rows.len() > 1;
    let mut out = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let at = if at_row {
            format!("/{i}")
        } else {
            String::new()
        };
        collect(row, &at, &mut out);
    }
    (!out.is_empty()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn long(s: &str) -> String {
        format!("{s}{}", "。本年度认真贯彻落实《条例》".repeat(20))
    }

    #[test]
    fn a_row_per_page_with_title_and_date_from_its_columns() {
        let a = long("某县统计局\n2023年政府信息公开工作年度报告\n一、总体情况");
        let b = long(
            "<p>某县民政局2023年政府信息公开工作年度报告</p><table><tr><td>1</td></tr></table>",
        );
        let csv = format!(
            "\u{FEFF}title,url,date,content\n甲,http://x/0.html,2024-01-20,\"{a}\"\n乙,http://x/1.html,2024-01-21,\"{}\"\n",
            b.replace('"', "\"\"")
        );
        let r = records(csv.as_bytes()).expect("records");
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].origin, "/0/content");
        let first = String::from_utf8(r[0].bytes.clone()).unwrap();
        assert!(
            first.starts_with("标题: 甲\n发布时间: 2024-01-20\n"),
            "{first}"
        );
        assert!(first.contains("某县统计局\n2023年"));
        let second = String::from_utf8(r[1].bytes.clone()).unwrap();
        assert!(second.contains("<title>乙</title>"));
    }

    #[test]
    fn tsv_and_gbk_exports() {
        let body = long("一、总体情况\n本年新收");
        let tsv = format!("标题\t日期\t正文\n甲\t2024-01-20\t\"{body}\"\n");
        let (gbk, _, _) = encoding_rs::GBK.encode(&tsv);
        let r = records(&gbk).expect("records");
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].origin, "/正文");
    }

    #[test]
    fn an_export_of_chunks_is_joined_back_per_document() {
        let (a, b, c) = (long("一、总体情况"), long("二、主动公开"), long("甲县报告"));
        let csv = format!(
            "doc_id,title,chunk_id,content\n1,某县报告,0,\"{a}\"\n1,某县报告,1,\"{b}\"\n2,甲县报告,0,\"{c}\"\n"
        );
        let r = records(csv.as_bytes()).expect("records");
        assert_eq!(r.len(), 2);
        let first = String::from_utf8(r[0].bytes.clone()).unwrap();
        assert!(first.contains(&format!("{a}\n{b}")), "{first}");
        // Without a chunk column, rows of one title stay pages of their own.
        let csv = format!("title,content\n某县报告,\"{a}\"\n某县报告,\"{b}\"\n");
        assert_eq!(records(csv.as_bytes()).expect("records").len(), 2);
    }

    #[test]
    fn other_delimited_text_is_not_an_export() {
        // No body column; a text's first line with commas; a table without long fields.
        assert_eq!(records(b"a,b,c\n1,2,3\n"), None);
        assert_eq!(
            records("一、总体情况,本年度我局认真贯彻落实\n二、主动公开\n".as_bytes()),
            None
        );
        assert_eq!(records(b"title,content\nx,short\n"), None);
        assert_eq!(records(b"no delimiter here\n"), None);
    }
}
