//! The normaliser as it was before each step borrowed what it does not change: its line
//! loop and step order kept word for word as the oracle of
//! `equivalence::normalises_as_the_copying_version_did`. The residue helpers are the
//! stage's own (their algorithms did not change, only that they now borrow an unchanged
//! line; their own tests pin what they remove).

use super::{remove_bracketed, remove_line_breaks_in_cells, strip_pinyin, to_simplified, Line};
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
        out.push(Line::new(
            (i + 1) as u32,
            raw.trim_end_matches('\r'),
            norm.to_string(),
        ));
    }
    out
}

/// NFKC plus residue removal for one line (before simplification).
fn clean_line(line: &str) -> String {
    let line = line.trim_end_matches('\r');
    let line = remove_bracketed(line, "[bookmark:").into_owned();
    // Most lines are already in NFKC; the quick check avoids rebuilding them.
    // Footnote marks after a digit go before NFKC (added with the rule, not by the
    // optimisation this oracle checks).
    let line = super::without_footnote_marks(&line).unwrap_or(line);
    // Invisible characters and radicals of the supplement too (added with their rule).
    let line = super::without_invisibles(&line).into_owned();
    let line = super::radicals_as_ideographs(&line).unwrap_or(line);
    let nfkc: String = match unicode_normalization::is_nfkc_quick(line.chars()) {
        unicode_normalization::IsNormalized::Yes => line,
        _ => line.nfkc().collect(),
    };
    // Years in Chinese numerals as digits (added with the rule, like the footnote marks).
    let nfkc = super::chinese_years(&nfkc).unwrap_or(nfkc);
    // Inline tags and bracketed spans (added with their rule).
    let nfkc = super::without_inline_markup(&nfkc).unwrap_or(nfkc);
    let nfkc = nfkc.replace('\u{FEFF}', "").replace("**", "");
    let nfkc = remove_line_breaks_in_cells(&nfkc).into_owned();
    let nfkc = strip_pinyin(&nfkc).into_owned();
    // Markdown headings (`## 二、…`) from document converters.
    let trimmed = nfkc.trim_start();
    if trimmed.starts_with('#') {
        return trimmed.trim_start_matches('#').trim_start().to_string();
    }
    nfkc
}
