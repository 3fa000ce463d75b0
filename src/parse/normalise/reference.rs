//! The normaliser as it was before each step borrowed what it does not change: kept word
//! for word as the oracle of `equivalence::normalises_as_the_copying_version_did`.

use super::{is_han, pinyin_len, to_simplified, Line};
use unicode_normalization::UnicodeNormalization;

/// Splits decoded text into normalised lines.
pub fn normalise(text: &str) -> Vec<Line> {
    let cleaned: String = text
        .split('\n')
        .map(clean_line)
        .collect::<Vec<_>>()
        .join("\n");
    let simplified = to_simplified(&cleaned);
    let mut out = Vec::new();
    let raw_lines: Vec<&str> = text.split('\n').collect();
    let norm_lines: Vec<&str> = simplified.split('\n').collect();
    // Conversion is phrase-based and must not move line breaks; if it ever did, fall back
    // to converting line by line so provenance stays exact.
    let per_line;
    let norm_lines = if norm_lines.len() == raw_lines.len() {
        norm_lines
    } else {
        per_line = raw_lines
            .iter()
            .map(|l| to_simplified(&clean_line(l)))
            .collect::<Vec<_>>();
        per_line.iter().map(String::as_str).collect()
    };
    for (i, (raw, norm)) in raw_lines.iter().zip(norm_lines).enumerate() {
        out.push(Line {
            no: (i + 1) as u32,
            raw: raw.trim_end_matches('\r').to_string(),
            text: norm.to_string(),
        });
    }
    out
}

/// NFKC plus residue removal for one line (before simplification).
fn clean_line(line: &str) -> String {
    let line = line.trim_end_matches('\r');
    let line = remove_bracketed(line, "[bookmark:");
    // Most lines are already in NFKC; the quick check avoids rebuilding them.
    let nfkc: String = match unicode_normalization::is_nfkc_quick(line.chars()) {
        unicode_normalization::IsNormalized::Yes => line,
        _ => line.nfkc().collect(),
    };
    let nfkc = nfkc.replace('\u{FEFF}', "").replace("**", "");
    let nfkc = remove_line_breaks_in_cells(&nfkc);
    let nfkc = strip_pinyin(&nfkc);
    // Markdown headings (`## 二、…`) from document converters.
    let trimmed = nfkc.trim_start();
    if trimmed.starts_with('#') {
        return trimmed.trim_start_matches('#').trim_start().to_string();
    }
    nfkc
}

/// Markdown tables from converters break a long label inside its cell with `<br>`
/// (`| 补正后申请<br>内容仍不明确 | 0 |`): the label is one, so the break goes. Only in
/// lines outside HTML (HTML is rendered by its own reader before this stage).
fn remove_line_breaks_in_cells(line: &str) -> String {
    if !line.contains("<br") && !line.contains("<BR") {
        return line.to_string();
    }
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(pos) = rest.find('<') {
        out.push_str(&rest[..pos]);
        let tail = &rest[pos..];
        let lower: String = tail
            .chars()
            .take(6)
            .collect::<String>()
            .to_ascii_lowercase();
        let len = ["<br/>", "<br />", "<br>"]
            .iter()
            .find(|t| lower.starts_with(**t))
            .map(|t| t.len());
        match len {
            Some(n) => rest = &tail[n..],
            None => {
                out.push('<');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Removes every `[prefix …]` span.
fn remove_bracketed(line: &str, prefix: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(pos) = rest.find(prefix) {
        out.push_str(&rest[..pos]);
        match rest[pos..].find(']') {
            Some(end) => rest = &rest[pos + end + 1..],
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

fn strip_pinyin(line: &str) -> String {
    if !line.contains('(') {
        return line.to_string();
    }
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '(' && i > 0 && is_han(chars[i - 1]) {
            if let Some(len) = pinyin_len(&chars[i + 1..]) {
                if chars.get(i + 1 + len) == Some(&')') {
                    i += len + 2;
                    continue;
                }
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}
