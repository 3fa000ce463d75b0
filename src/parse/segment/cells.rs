//! A line cut into cell tokens, whatever separates its cells (tabs, pipes, runs of spaces
//! in a column layout): labels, numbers with their unit, blanks, placeholders and garbled
//! cells, with prose and page furniture left out.

use std::borrow::Cow;

use super::{is_page_number, is_prose, is_rule_line, Number, Tok, Token};
use crate::normalise::{is_han, strip_enumerator, Line, Trim};

/// Cuts one line into tokens, appending to `out`. `unlabelled` is set for section 四,
/// whose row of numbers has no label: in a grid row, tabs before its first cell are its
/// first columns printed blank. Elsewhere they are what a merged label leaves, and are
/// dropped.
pub fn tokenise_line(line: &Line, unlabelled: bool, out: &mut Vec<Token>) {
    let text = line.text.trim_ws();
    if text.is_empty() || is_page_number(text) || is_rule_line(text) || is_prose(text) {
        return;
    }
    let start = out.len();
    // Tabs after the last cell are cells printed blank (`行政事业性收费\t\t\t`): kept, so
    // that a row's own line shows every cell it printed (see `extract::own_line`).
    // Only a grid row's (cells after its first one): a tab before a lone cell is how
    // some converters print one cell per line (`\t2`).
    let keep_lead = unlabelled && text.contains('\t');
    let cells = line
        .text
        .trim_start_matches(|c: char| c.is_whitespace() && !(keep_lead && c == '\t'))
        .trim_end_matches(|c: char| c.is_whitespace() && c != '\t');
    if cells.contains('\t') {
        for (field, seg) in cells.split('\t').enumerate() {
            let first = out.len();
            push_segment(seg, line.no, true, out);
            for t in &mut out[first..] {
                t.field = Some(field as u32);
            }
        }
    } else if text.contains('|') {
        if text.chars().all(|c| c == '|' || c.is_whitespace()) {
            // A lone `|` is a blank cell in one-cell-per-line pages; `||`, `|||` are the
            // spacer rows such pages print for merged header cells.
            // `| ` (a pipe then spaces) opens a row in pages that print `| ` + ` cell  |`.
            let opens_row = line.text.trim_end_matches(['\r', '\n']).ends_with(' ');
            if text.chars().filter(|c| *c == '|').count() == 1 && !opens_row {
                out.push(Token::new(Tok::Empty, String::new(), line.no));
            }
            return;
        }
        let mut segs: Vec<&str> = text.split('|').collect();
        if text.starts_with('|') && segs.first().is_some_and(|s| s.trim_ws().is_empty()) {
            segs.remove(0);
        }
        if segs.last().is_some_and(|s| s.trim_ws().is_empty()) {
            segs.pop();
        }
        for seg in segs {
            push_segment(seg, line.no, true, out);
        }
    } else {
        // Characters counted once along the line, not from its start for each cell.
        let mut counted = (0, 0, 0);
        for seg in join_spread(split_spaces(text)) {
            let first = out.len();
            push_segment(&seg, line.no, false, out);
            if let Cow::Borrowed(seg) = seg {
                set_spans(&line.text, seg, &mut counted, &mut out[first..]);
            }
        }
    }
    if quotes_prose_number(&out[start..]) {
        out.truncate(start);
    }
}

/// `2020 年,我单位…`: a number followed by a unit of prose is a sentence, not a row.
fn quotes_prose_number(tokens: &[Token]) -> bool {
    tokens.windows(2).any(|w| {
        matches!(w[0].tok, Tok::Num(_))
            && w[1].text().is_some_and(|t| {
                t.starts_with([
                    '年', '月', '日', '件', '条', '个', '次', '人', '篇', '期', '场',
                ])
            })
    })
}

/// Splits a space-aligned line into segments at runs of two or more spaces; single
/// spaces separate cells only between numbers (`0 0 0`), never inside a label.
fn split_spaces(text: &str) -> Vec<&str> {
    let mut segs = Vec::new();
    let mut start = None;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b' ' {
            let run_start = i;
            while i < bytes.len() && bytes[i] == b' ' {
                i += 1;
            }
            if i - run_start >= 2 {
                if let Some(s) = start.take() {
                    segs.push(&text[s..run_start]);
                }
            }
            continue;
        }
        if start.is_none() {
            start = Some(i);
        }
        i += 1;
    }
    if let Some(s) = start {
        segs.push(&text[s..]);
    }
    segs
}

/// Sets the character columns of the tokens cut from `seg`, a slice of `line` after the
/// byte and character counts `counted` reached: each token's text is found in turn in
/// the segment.
fn set_spans(line: &str, seg: &str, counted: &mut (usize, usize, usize), tokens: &mut [Token]) {
    let Some(seg_at) = (seg.as_ptr() as usize).checked_sub(line.as_ptr() as usize) else {
        return;
    };
    if seg_at > line.len() || seg_at < counted.0 {
        return;
    }
    let skipped = &line[counted.0..seg_at];
    let mut col = counted.1 + skipped.chars().count();
    let mut wide = counted.2 + display_width(skipped);
    *counted = (seg_at, col, wide);
    let mut rest = seg;
    for t in tokens {
        let raw = t.raw.as_str();
        // Most segments are one cell: its text is the segment's, trimmed.
        let at = if rest.trim_ws() == raw {
            Some(rest.len() - rest.trim_start().len())
        } else {
            rest.find(raw)
        };
        let Some(at) = at.filter(|_| !raw.is_empty()) else {
            return;
        };
        col += rest[..at].chars().count();
        wide += display_width(&rest[..at]);
        let width = raw.chars().count();
        let shown = display_width(raw);
        t.span = Some((col as u32, (col + width) as u32));
        t.display_span = Some((wide as u32, (wide + shown) as u32));
        col += width;
        wide += shown;
        rest = &rest[at + raw.len()..];
    }
}

/// Columns `text` takes on a screen: Han and full-width characters two.
fn display_width(text: &str) -> usize {
    text.chars().map(crate::normalise::char_width).sum()
}

/// Joins a label printed spread over its cell (WPS and Word's distributed alignment,
/// `规          章`, `（   一   ）   予   以   公   开`): runs of segments of one character
/// each, two or more of them Han, become one segment. An enumerator's digit opens such a
/// run (`1   .   属   于`); a digit after a Han character is a cell and ends it. Only
/// labels are joined, before the line's first cell: a placeholder (`无`) is a cell.
fn join_spread(segs: Vec<&str>) -> Vec<Cow<'_, str>> {
    // Most lines have no two one-character segments in a row: nothing to join.
    let single = |s: &str| s.chars().nth(1).is_none();
    if !segs.windows(2).any(|w| single(w[0]) && single(w[1])) {
        return segs.into_iter().map(Cow::Borrowed).collect();
    }
    let labelish = |s: &str| {
        !is_placeholder(s)
            && s.chars()
                .all(|c| is_han(c) || "（）()、.．:：“”\"".contains(c))
    };
    let is_cell = |s: &&str| parse_number(s).is_some() || is_placeholder(s);
    // A dot or a comma of enumeration after segment `j`.
    let dot_after = |j: usize| {
        segs.get(j + 1)
            .is_some_and(|n| matches!(*n, "." | "、" | "．"))
    };
    // An enumerator at `j`: a one-digit segment, then such a dot.
    let enumerator =
        |j: usize| single(segs[j]) && segs[j].chars().all(|c| c.is_ascii_digit()) && dot_after(j);
    let first_cell = segs.iter().position(is_cell).unwrap_or(segs.len());
    // The enumerator's digit of `1   .   属   于` is no cell.
    let first_cell = if first_cell > 0 && dot_after(first_cell) {
        segs[first_cell + 1..]
            .iter()
            .position(is_cell)
            .map_or(segs.len(), |p| first_cell + 1 + p)
    } else {
        first_cell
    };
    let mut out: Vec<Cow<str>> = Vec::with_capacity(segs.len());
    let mut i = 0;
    while i < first_cell {
        let mut j = i;
        if enumerator(j) {
            j += 2;
        }
        while j < first_cell && single(segs[j]) && labelish(segs[j]) {
            j += 1;
        }
        let han = segs[i..j].iter().filter(|s| s.chars().all(is_han)).count();
        if han >= 2 {
            out.push(Cow::Owned(segs[i..j].concat()));
            i = j;
        } else {
            out.push(Cow::Borrowed(segs[i]));
            i += 1;
        }
    }
    out.extend(segs[i..].iter().map(|s| Cow::Borrowed(*s)));
    out
}

/// Classifies one cell. In tabular layouts (`cell_layout`) a segment is exactly one
/// cell; in space-aligned text a segment may hold several numbers or a label followed
/// by numbers separated by single spaces.
fn push_segment(seg: &str, line: u32, cell_layout: bool, out: &mut Vec<Token>) {
    let s = seg.trim_ws();
    if s == crate::read::COVERED {
        return;
    }
    if s.is_empty() {
        if cell_layout {
            out.push(Token::new(Tok::Empty, String::new(), line));
        }
        return;
    }
    // `行政许可:227`: a row printed as a label and its value (full-width colon folded).
    if let Some((label, value)) = s.split_once(':') {
        if label.chars().last().is_some_and(is_han)
            && !label.chars().any(|c| c.is_ascii_digit())
            && !value.trim_ws().is_empty()
        {
            if let Some(n) = parse_number(value.trim_ws()) {
                push_classified(label.trim_ws(), None, line, out);
                push_classified(value.trim_ws(), Some(n), line, out);
                return;
            }
        }
    }
    // Most cells are one word: no list of words to build for them.
    if !s.contains(char::is_whitespace) {
        push_classified(s, parse_number(s), line, out);
        return;
    }
    let words: Vec<&str> = s.split_whitespace().collect();
    if words.len() > 1 && words.iter().any(|w| parse_number(w).is_some()) {
        // `0 0 0`, `规章 0 0 0`, `40.1396 万元`.
        // `40.1396 万元`, `1587 件`: a number and its unit, one cell (a count's unit spaced
        // off is no sentence: `quotes_prose_number` would drop the row).
        if words.len() == 2
            && parse_number(words[0]).is_some()
            && matches!(words[1], "万元" | "元" | "件" | "条" | "个" | "项" | "次")
        {
            let n = parse_number(&format!("{}{}", words[0], words[1]));
            push_classified(s, n, line, out);
            return;
        }
        let mut text_run: Vec<&str> = Vec::new();
        let mut pending = Vec::new();
        let mut garbled = false;
        for w in &words {
            match parse_number(w) {
                Some(n) => {
                    if !text_run.is_empty() {
                        pending.push(Token::new(Tok::Text, text_run.join(" "), line));
                        text_run.clear();
                    }
                    pending.push(Token::new(Tok::Num(n), (*w).to_string(), line));
                }
                None => {
                    if cell_layout && !has_label_chars(w) {
                        garbled = true;
                    }
                    text_run.push(w)
                }
            }
        }
        if garbled {
            // `? 0` in a single cell: a number we cannot vouch for.
            out.push(Token::new(Tok::Garbled, s.to_string(), line));
            return;
        }
        if !text_run.is_empty() {
            pending.push(Token::new(Tok::Text, text_run.join(" "), line));
        }
        out.extend(pending);
        return;
    }
    push_classified(s, parse_number(s), line, out);
}

fn push_classified(s: &str, number: Option<Number>, line: u32, out: &mut Vec<Token>) {
    // A generic header and digits outside an enumerator both need a digit, which most
    // labels lack: one look at the bytes spares both tests.
    let digit = s.bytes().any(|b| b.is_ascii_digit());
    let tok = if let Some(n) = number {
        Tok::Num(n)
    } else if digit && is_generic_header(s) {
        // A converter's column names (`数据1`, `列2`): header text, not a garbled cell.
        Tok::Text
    } else if is_placeholder(s) {
        Tok::Placeholder
    } else if digit && has_digits_outside_enumerator(s)
        || damaged_cell(s)
        || s == "?"
        || ocr_digit(s)
    {
        Tok::Garbled
    } else {
        Tok::Text
    };
    out.push(Token::new(tok, s, line));
}

/// Column names that OCR and PDF-to-Markdown converters print in place of the real
/// header: a generic word and a number (`数据1`, `列 3`, `Column2`, `col_4`).
fn is_generic_header(s: &str) -> bool {
    let s = s.trim_ws();
    let word_end = s
        .char_indices()
        .find(|(_, c)| c.is_ascii_digit())
        .map_or(s.len(), |(i, _)| i);
    let (word, digits) = s.split_at(word_end);
    let word = word.trim_ws().trim_end_matches(['_', ' ']);
    !digits.is_empty()
        && digits.len() <= 2
        && digits.bytes().all(|b| b.is_ascii_digit())
        && [
            "数据", "列", "栏", "字段", "项", "column", "col", "Column", "Col", "COL",
        ]
        .contains(&word)
}

/// A cell of one letter that OCR reads for a digit (`O`, `l`, `I`, `〇` for 0 or 1): a
/// cell whose number is unreadable, not a blank one. Multi-character confusions (`l3`)
/// already have a digit and are garbled cells.
fn ocr_digit(s: &str) -> bool {
    matches!(s.trim_ws(), "O" | "o" | "l" | "I" | "|" | "〇" | "○")
}

/// A cell with a character lost in decoding (U+FFFD) that may have been a digit. Words
/// around the loss make it a label that lost a character (`2.没有现成�劮驈`, a row
/// label after damage), not a cell: taken for a cell, it would be placed among the row
/// above's numbers and push them into other columns.
fn damaged_cell(s: &str) -> bool {
    s.contains('\u{FFFD}') && s.chars().filter(|c| is_han(*c)).count() < 2
}

fn has_label_chars(w: &str) -> bool {
    w.chars().any(|c| is_han(c) || c.is_ascii_alphabetic())
        || w.chars().all(|c| "()().,:、“”\"".contains(c))
}

fn is_placeholder(s: &str) -> bool {
    matches!(
        s,
        "/" | "\\" | "_" | "-" | "—" | "——" | "–" | "无" | "/ /" | "—/—"
    ) || !s.is_empty()
        && s.chars()
            .all(|c| matches!(c, '/' | '_' | '-' | '—' | '–' | ' '))
}

/// Digits that are part of the text rather than an enumerator (`增98`, `2023年`). Enumerators
/// may also stand inside a cell that merges a group label with its first sub-row
/// (`(六)其他处理 1.申请人…`).
fn has_digits_outside_enumerator(s: &str) -> bool {
    let s = strip_enumerator(s);
    // Most labels have no digit once their enumerator is gone: no characters to collect.
    if !s.bytes().any(|b| b.is_ascii_digit()) {
        return false;
    }
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            let enumerator = i - start <= 2
                && matches!(chars.get(i), Some('.' | '、' | ')'))
                && chars.get(i + 1).is_some_and(|c| is_han(*c) || *c == ' ');
            if !enumerator {
                return true;
            }
        }
        i += 1;
    }
    false
}

/// Parses a cell holding exactly one number: optional sign, thousands separators,
/// decimals, and an optional money unit (`万元`, `元`) or count unit (`件`, `条`, `个`).
pub fn parse_number(s: &str) -> Option<Number> {
    let s = s.trim_ws();
    // A number starts with its sign or a digit whatever its unit: labels, most of the
    // cells asked, go no further.
    if !matches!(s.as_bytes().first(), Some(b'0'..=b'9' | b'+' | b'-')) {
        return None;
    }
    let (body, unit) = if let Some(b) = s.strip_suffix("万元").or_else(|| s.strip_suffix("萬元"))
    {
        (b.trim_end(), Some("万元"))
    } else if let Some(b) = s.strip_suffix('元') {
        (b.trim_end(), Some("元"))
    } else if let Some(b) = s.strip_suffix(['件', '条', '个', '项', '次']) {
        (b.trim_end(), None)
    } else {
        (s, None)
    };
    let (sign, digits) = match body.strip_prefix('+') {
        Some(r) => (1.0, r),
        None => match body.strip_prefix('-') {
            Some(r) => (-1.0, r),
            None => (1.0, body),
        },
    };
    if digits.is_empty() || !digits.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    if digits.bytes().all(|b| b.is_ascii_digit()) {
        // Most cells: a plain integer, read without rebuilding its text (as an integer
        // when it has at most 15 digits, which an f64 holds exactly).
        let value = if digits.len() <= 15 {
            digits.parse::<u64>().ok()? as f64
        } else {
            digits.parse::<f64>().ok()?
        };
        return Some(Number {
            value: sign * value,
            unit,
            decimal: false,
        });
    }
    let mut int_part = String::new();
    let mut frac = None::<&str>;
    let (ip, fp) = match digits.split_once('.') {
        Some((a, b)) => (a, Some(b)),
        None => (digits, None),
    };
    // Thousands separators only in groups of three.
    let groups: Vec<&str> = ip.split(',').collect();
    if groups.len() > 1
        && (groups[0].is_empty() || groups[0].len() > 3 || groups[1..].iter().any(|g| g.len() != 3))
    {
        return None;
    }
    for g in groups {
        if !g.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        int_part.push_str(g);
    }
    if let Some(f) = fp {
        if f.is_empty() || !f.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        frac = Some(f);
    }
    let text = match frac {
        Some(f) => format!("{int_part}.{f}"),
        None => int_part,
    };
    let value: f64 = text.parse().ok()?;
    Some(Number {
        value: sign * value,
        unit,
        decimal: frac.is_some(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalise::normalise;

    /// A token as the tests state it: a label with its text.
    #[derive(Debug, PartialEq)]
    enum Tok {
        Text(String),
        Num(Number),
        Empty,
        Placeholder,
        Garbled,
    }

    fn toks(text: &str) -> Vec<Tok> {
        let mut out = Vec::new();
        for l in normalise(text) {
            tokenise_line(&l, false, &mut out);
        }
        out.into_iter()
            .map(|t| match t.tok {
                super::Tok::Text => Tok::Text(t.raw),
                super::Tok::Num(n) => Tok::Num(n),
                super::Tok::Empty => Tok::Empty,
                super::Tok::Placeholder => Tok::Placeholder,
                super::Tok::Garbled => Tok::Garbled,
            })
            .collect()
    }

    #[test]
    fn labels_spread_over_their_cell_are_one_label() {
        let t = toks("规                章               0                        0                         7\n");
        assert_eq!(t[0], Tok::Text("规章".into()));
        assert_eq!(t.len(), 4);
        let t = toks("        （三）             1       .       属       于   国       家       秘   密       0       0        0            0       0        0           0\n");
        assert_eq!(t[1], Tok::Text("1.属于国家秘密".into()), "{t:?}");
        assert_eq!(t.len(), 9);
        // Numbers spread wide stay cells; a header's words stay apart.
        let t = toks("行政许可       0       0        258\n");
        assert_eq!(t.len(), 4);
        let t = toks("     人        公益   服务 其 他\n");
        assert_eq!(t[0], Tok::Text("人".into()));
        // `无` for zero is a cell, never part of a label.
        let t = toks("（一）予以公开    无    无    无    无    无    无    无\n");
        assert_eq!(t.len(), 8, "{t:?}");
        let t = toks("行政许可    14    无    无    0    无    无    14\n");
        assert_eq!(t.len(), 8, "{t:?}");
    }

    fn num(v: f64) -> Tok {
        Tok::Num(Number {
            value: v,
            unit: None,
            decimal: false,
        })
    }

    #[test]
    fn tab_rows_keep_interior_blanks() {
        assert_eq!(
            toks("规章\t0\t\t3\t"),
            vec![
                Tok::Text("规章".into()),
                num(0.0),
                Tok::Empty,
                num(3.0),
                Tok::Empty
            ]
        );
    }

    #[test]
    fn tab_rows_keep_trailing_blanks() {
        assert_eq!(
            toks("行政事业性收费\t\t\t \r\n3"),
            vec![
                Tok::Text("行政事业性收费".into()),
                Tok::Empty,
                Tok::Empty,
                Tok::Empty,
                num(3.0)
            ]
        );
        // A line of tabs alone is no row.
        assert_eq!(toks("\t\t\t"), vec![]);
    }

    #[test]
    fn pipe_rows_in_all_their_forms() {
        assert_eq!(
            toks("| 规章 | 0 | 1 | "),
            vec![Tok::Text("规章".into()), num(0.0), num(1.0)]
        );
        assert_eq!(
            toks("规章  | 0  | 1  | "),
            vec![Tok::Text("规章".into()), num(0.0), num(1.0)]
        );
        assert_eq!(
            toks("行政许可 | ||||"),
            vec![
                Tok::Text("行政许可".into()),
                Tok::Empty,
                Tok::Empty,
                Tok::Empty,
                Tok::Empty
            ]
        );
        assert_eq!(toks("0 |\n|\n||\n| "), vec![num(0.0), Tok::Empty]);
    }

    #[test]
    fn space_aligned_rows() {
        assert_eq!(
            toks("一、本年新收政府信息公开申请数量      3001   53  0"),
            vec![
                Tok::Text("一、本年新收政府信息公开申请数量".into()),
                num(3001.0),
                num(53.0),
                num(0.0)
            ]
        );
        assert_eq!(
            toks("四、结转下年度继续办理 0 0"),
            vec![
                Tok::Text("四、结转下年度继续办理".into()),
                num(0.0),
                num(0.0)
            ]
        );
        assert_eq!(toks("结 结 其 尚"), vec![Tok::Text("结 结 其 尚".into())]);
    }

    #[test]
    fn garbled_and_placeholders() {
        assert_eq!(
            toks("规章 |\n? 0 |\n/ |\n增98 |"),
            vec![
                Tok::Text("规章".into()),
                Tok::Garbled,
                Tok::Placeholder,
                Tok::Garbled
            ]
        );
    }

    #[test]
    fn prose_and_page_numbers_are_dropped() {
        assert!(toks("2020 年,我单位对形成的政府信息实现了依法、有序公开,").is_empty());
        assert!(toks("共收到申请 3 件。").is_empty());
        assert!(toks("-3-").is_empty());
        assert!(toks("-------------\t---\t---").is_empty());
    }

    #[test]
    fn numbers() {
        assert_eq!(parse_number("+2").unwrap().value, 2.0);
        assert_eq!(parse_number("-417").unwrap().value, -417.0);
        assert_eq!(parse_number("40.1396万元").unwrap().unit, Some("万元"));
        assert_eq!(parse_number("40.1396萬元").unwrap().unit, Some("万元"));
        assert_eq!(parse_number("1,234").unwrap().value, 1234.0);
        assert!(parse_number("3.").is_none());
        assert!(parse_number("1,2").is_none());
        assert!(parse_number("增98").is_none());
    }

    #[test]
    fn generic_converter_headers_are_text() {
        assert_eq!(
            toks("| 项目 | 数据1 | 数据2 | 列3 |"),
            vec![
                Tok::Text("项目".into()),
                Tok::Text("数据1".into()),
                Tok::Text("数据2".into()),
                Tok::Text("列3".into())
            ]
        );
    }
}
