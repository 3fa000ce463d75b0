//! Stage 4: normalised lines → the three table sections, each a stream of cell tokens.
//!
//! Reports reach us in many layouts: tab-separated rows, pipe rows (`a | b |`, with or
//! without a leading pipe), one cell per line (ending in ` |` or not), columns aligned
//! with spaces (`pdftotext -layout`). This module hides all of them behind one model: a
//! section is a sequence of [`Token`]s — label text, numbers, explicitly blank cells,
//! placeholders and garbled cells — each with its line. Extraction then reads rows from
//! tokens without caring how the cells were separated.
//!
//! Prose lines (sentences ending in `。`, wrapped paragraph lines, numbers followed by
//! 年/件/条…) are dropped so that figures quoted in the text never become cells.

use crate::normalise::{is_han, match_key, strip_enumerator, Line};
use crate::templates::headings as H;

/// A number as printed in a cell.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Number {
    /// The value, unit not applied.
    pub value: f64,
    /// A unit printed in the cell: `万元`, `元` (money) or `None`.
    pub unit: Option<&'static str>,
    /// The value had a decimal point.
    pub decimal: bool,
}

/// What a token is.
#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    /// Label or header text (normalised).
    Text(String),
    /// A number.
    Num(Number),
    /// A cell printed blank.
    Empty,
    /// A cell holding a placeholder (`/`, `_`, `-`, `—`, `无`): no number printed.
    Placeholder,
    /// A cell holding a number mixed with something unreadable (`? 0`, `增98`).
    Garbled,
}

/// A cell or label with its provenance.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    /// What it is.
    pub tok: Tok,
    /// The cell as printed (normalised text).
    pub raw: String,
    /// 1-based line number.
    pub line: u32,
    /// True for the last token of a document that ends in the middle of a line: the
    /// number may have been cut (a scrape truncated after N bytes).
    pub cut: bool,
}

impl Token {
    /// A token on `line` (not cut).
    pub fn new(tok: Tok, raw: impl Into<String>, line: u32) -> Token {
        Token {
            tok,
            raw: raw.into(),
            line,
            cut: false,
        }
    }

    /// True for tokens that stand for a printed cell with content (number, placeholder,
    /// garbled).
    pub fn is_filled(&self) -> bool {
        matches!(self.tok, Tok::Num(_) | Tok::Placeholder | Tok::Garbled)
    }

    /// The text of a label token.
    pub fn text(&self) -> Option<&str> {
        match &self.tok {
            Tok::Text(t) => Some(t),
            _ => None,
        }
    }
}

/// Which table section.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SectionKind {
    /// 二、主动公开政府信息情况.
    Proactive,
    /// 三、收到和处理政府信息公开申请情况.
    Applications,
    /// 四、政府信息公开行政复议、行政诉讼情况.
    Review,
}

/// One section's tokens.
#[derive(Debug, Clone, Default)]
pub struct Section {
    /// Line number of the heading, when one was printed.
    pub heading_line: Option<u32>,
    /// The section's cells and labels in reading order.
    pub tokens: Vec<Token>,
    /// The section runs to the end of the document without a following heading, and the
    /// document has no later section: it was probably cut.
    pub open_ended: bool,
}

/// The three sections of a document.
#[derive(Debug, Clone, Default)]
pub struct Sections {
    /// Section 二.
    pub proactive: Option<Section>,
    /// Section 三.
    pub applications: Option<Section>,
    /// Section 四.
    pub review: Option<Section>,
    /// The document has any numbered section heading of an annual report (一 … 六).
    pub has_headings: bool,
}

/// Finds the sections of a document and tokenises them.
pub fn segment(lines: &[Line], ends_mid_line: bool) -> Sections {
    let headings: Vec<Option<u8>> = lines.iter().map(|l| heading(&l.text)).collect();
    let has_headings = headings.iter().any(Option::is_some);
    // A heading followed directly by another heading is an entry of a table of contents
    // (一、… 二、… 三、… on consecutive lines), not the section itself.
    let is_section = |i: usize| {
        let next = (i + 1..lines.len()).find(|j| !lines[*j].text.trim().is_empty());
        next.is_none_or(|j| headings[j].is_none())
    };
    // A heading is taken when the rows under it are its section's; when no heading of a
    // level has them (a page cut mid-table, tables printed elsewhere), the first one.
    let holds_rows = |i: usize, level: u8| {
        let end = (i + 1..lines.len())
            .find(|j| headings[*j].is_some())
            .unwrap_or(lines.len());
        lines[i + 1..end]
            .iter()
            .any(|l| section_signature(&match_key(&l.text), level))
    };
    let first = |level: u8, after: Option<usize>| {
        let mut candidates = (after.map_or(0, |a| a + 1)..lines.len())
            .filter(|i| headings[*i] == Some(level) && is_section(*i));
        let first = candidates.next()?;
        if !(2..=4).contains(&level) || holds_rows(first, level) {
            return Some(first);
        }
        candidates.find(|i| holds_rows(*i, level)).or(Some(first))
    };
    let h2 = first(2, None);
    let h3 = first(3, h2);
    let h4 = first(4, h3.or(h2));
    let h5 = first(5, h4.or(h3).or(h2));
    // Sections whose heading is missing (a page that starts mid-table) still get a range:
    // from the previous known boundary to the next one.
    let end = lines.len();
    // The first line at or after `from` whose matching form satisfies `pred`; only run
    // when a heading is missing, so most documents never pay for it.
    let find_key = |from: usize, pred: &dyn Fn(&str) -> bool| {
        (from..lines.len()).find(|i| pred(&match_key(&lines[*i].text)))
    };
    // Without a printed 三 heading, section 三 starts at its own first label.
    let label3 = if h3.is_some() {
        None
    } else {
        find_key(h2.map_or(0, |h| h + 1), &|k| {
            k.starts_with(H::APPLICATION_START.0)
                || H::APPLICATION_START.1.iter().any(|w| k.contains(w))
        })
        .filter(|i| h4.is_none_or(|h| *i < h))
    };
    // (first line, end) of each section; a heading line itself is not part of it.
    let start3 = h3.map(|h| h + 1).or(label3);
    let end2 = h3.or(label3).or(h4).or(h5).unwrap_or(end);
    // Without a printed 二 heading (a page cut at the top), section 二 starts at its first
    // item group.
    let start2 = h2
        .map(|h| h + 1)
        .or_else(|| find_key(0, &|k| k.starts_with(H::PROACTIVE_START)).filter(|i| *i < end2));
    let proactive_range = start2.map(|s| (s, end2));
    // Without a printed 四 heading, section 四 starts at its own header (行政复议 |
    // 行政诉讼, 结果维持 …), after section 三's rows.
    let label4 = if h4.is_some() {
        None
    } else {
        let from = start3.or(start2).unwrap_or(0);
        find_key(from, &|k| {
            k == H::REVIEW_START_EXACT || H::REVIEW_START.iter().any(|w| k.starts_with(w))
        })
        .filter(|i| h5.is_none_or(|h| *i < h))
        .filter(|i| start3.is_none_or(|s| *i > s))
    };
    let applications_range = start3
        .or_else(|| proactive_range.map(|(_, e)| e))
        .or_else(|| {
            find_key(0, &|k| {
                k.starts_with(H::PROACTIVE_START)
                    || k.starts_with(H::APPLICATION_START.0)
                    || k.contains(H::SECTION_THREE_LAST)
            })
        })
        .map(|s| (s, h4.or(label4).or(h5).unwrap_or(end)));
    let review_range = h4.map(|s| s + 1).or(label4).map(|s| (s, h5.unwrap_or(end)));
    let make = |range: Option<(usize, usize)>, heading: Option<usize>| -> Option<Section> {
        let (s, e) = range?;
        if s > e {
            return None;
        }
        let mut tokens = Vec::new();
        for (i, line) in lines[s..e].iter().enumerate() {
            let last_line = s + i + 1 == lines.len();
            let next_page = lines
                .get(s + i + 1)
                .is_some_and(|n| n.raw.starts_with('\u{c}'));
            if next_page && is_bare_page_number(&line.text) {
                continue;
            }
            tokenise_line(line, &mut tokens);
            if last_line && ends_mid_line {
                if let Some(t) = tokens.last_mut() {
                    if t.line == line.no {
                        t.cut = true;
                    }
                }
            }
        }
        Some(Section {
            heading_line: heading.map(|h| lines[h].no),
            tokens,
            open_ended: e == end && h5.is_none(),
        })
    };
    Sections {
        proactive: make(proactive_range, h2),
        applications: make(applications_range, h3),
        review: make(review_range, h4),
        has_headings,
    }
}

/// Which section a line heads, if it is a heading: 1 (总体情况), 2, 3, 4, or 5 for any closing section
/// (五、存在的主要问题…, 六、其他需要报告的事项).
///
/// The section is decided by the heading's words, not its numeral: reports renumber
/// their sections (`三、主动公开工作情况`, `四、政府信息公开申请情况`) when they add or
/// drop one. Section 三's own row labels (`二、上年结转…申请数量`) are not headings.
pub fn heading(text: &str) -> Option<u8> {
    let t = text.trim();
    let numeral = t.chars().next()?;
    if !"一二三四五六七八九十".contains(numeral) {
        return unnumbered_heading(t);
    }
    let after = &t[numeral.len_utf8()..];
    let rest = after.trim_start();
    // `二、`, `二.`, and `二 主动公开…` (a space where the 、 was lost).
    let spaced = after.len() > rest.len() && rest.starts_with(is_han);
    if !(rest.starts_with('、') || rest.starts_with('.') || rest.starts_with(',') || spaced) {
        return None;
    }
    if is_prose(t) && t.chars().count() > 40 {
        return None;
    }
    let key = match_key(t);
    let n = key.chars().count();
    if H::SECTION_THREE_ROWS.iter().any(|r| key.starts_with(r)) {
        return None;
    }
    if H::OPENING.iter().any(|k| key.starts_with(k)) {
        return Some(1);
    }
    if key.starts_with(H::PROACTIVE) && n <= 24 {
        return Some(2);
    }
    if H::REVIEW.iter().any(|w| key.contains(w)) && n <= 40 {
        return Some(4);
    }
    if key.contains(H::APPLICATION)
        && n <= 30
        && H::APPLICATION_VERBS.iter().any(|k| key.contains(k))
    {
        return Some(3);
    }
    let closing = H::CLOSING.iter().any(|k| key.contains(k));
    if closing && n <= 30
        || "五六七八九十".contains(numeral) && n <= 30 && !key.contains(H::CARRIED_FORWARD)
    {
        return Some(5);
    }
    None
}

/// True when a line (in matching form) is one of the rows that only section `level`'s
/// table prints.
fn section_signature(key: &str, level: u8) -> bool {
    let starts: &[&str] = match level {
        2 => H::PROACTIVE_ROWS,
        3 => H::APPLICATION_ROWS,
        4 => H::REVIEW_ROWS,
        _ => &[],
    };
    starts.iter().any(|s| key.starts_with(s))
}

/// A heading printed without its numeral (Markdown from a converter, `## 主动公开政府信息情况`):
/// only the template's own heading words, alone on their line.
fn unnumbered_heading(t: &str) -> Option<u8> {
    if t.contains(['\t', '|']) || t.chars().any(|c| c.is_ascii_digit()) || is_prose(t) {
        return None;
    }
    let key = match_key(t);
    // `第二部分 主动公开…`, `第三章 …`: the part's number is the heading's numeral.
    let key = match key.strip_prefix('第').and_then(|k| {
        let n: usize = k
            .chars()
            .take_while(|c| "一二三四五六七八九十".contains(*c))
            .map(char::len_utf8)
            .sum();
        (n > 0)
            .then(|| {
                k[n..]
                    .strip_prefix("部分")
                    .or_else(|| k[n..].strip_prefix('章'))
            })
            .flatten()
    }) {
        Some(rest) => rest.to_string(),
        None => key,
    };
    let n = key.chars().count();
    if n > 24 {
        return None;
    }
    if H::OPENING[..2].contains(&key.as_str()) {
        return Some(1);
    }
    if key.starts_with(H::PROACTIVE) && key.ends_with(H::SECTION_END) && n <= 14 {
        return Some(2);
    }
    if H::REVIEW.iter().all(|w| key.contains(w)) && key.ends_with(H::SECTION_END) {
        return Some(4);
    }
    if key.starts_with(H::APPLICATION_VERBS[0])
        && key.contains(H::APPLICATION)
        && key.ends_with(H::SECTION_END)
    {
        return Some(3);
    }
    if H::CLOSING_UNNUMBERED.iter().any(|k| key.starts_with(k)) {
        return Some(5);
    }
    None
}

/// True for a line of running text rather than a table row.
///
/// A short line that opens with an enumerator (`(二)部分公开(区分处理的,`, `1.申请人无正当理由
/// 逾期不补正、`) is the first part of a wrapped row label, whatever punctuation it ends
/// with: dropping it would hand its row's numbers to the row above.
pub fn is_prose(text: &str) -> bool {
    let t = text.trim();
    if t.contains('。') {
        return true;
    }
    let rest = crate::normalise::strip_enumerator(t);
    let wrapped_label = rest.len() < t.len()
        && t.chars().count() <= 24
        && !rest.chars().any(|c| c.is_ascii_digit());
    if wrapped_label {
        return false;
    }
    t.ends_with(',') && t.chars().filter(|c| is_han(*c)).count() > 6
        || t.ends_with('、')
        || t.ends_with(';')
}

/// A short number alone on the last line of a page (the next line opens with a form
/// feed): the page number, not a cell.
fn is_bare_page_number(t: &str) -> bool {
    let t = t.trim();
    (1..=3).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit()) || is_page_number(t)
}

fn is_page_number(t: &str) -> bool {
    let t = t.trim();
    let inner = t
        .trim_start_matches(['-', '—', '–'])
        .trim_end_matches(['-', '—', '–'])
        .trim();
    (t.starts_with('-') || t.starts_with('—') || t.starts_with('–'))
        && !inner.is_empty()
        && inner.chars().all(|c| c.is_ascii_digit())
        && inner.len() <= 4
        || t.starts_with("P.") && t[2..].trim().chars().all(|c| c.is_ascii_digit())
        || t.starts_with('第')
            && t.ends_with('页')
            && t.chars().filter(|c| c.is_ascii_digit()).count() > 0
}

fn is_rule_line(t: &str) -> bool {
    let t = t.trim();
    t.chars().filter(|c| *c == '-' || *c == '=').count() >= 3
        && t.chars()
            .all(|c| matches!(c, '-' | '=' | '|' | '+' | ':' | ' ' | '\t'))
}

/// Cuts one line into tokens, appending to `out`.
pub fn tokenise_line(line: &Line, out: &mut Vec<Token>) {
    let text = line.text.trim();
    if text.is_empty() || is_page_number(text) || is_rule_line(text) || is_prose(text) {
        return;
    }
    let start = out.len();
    if text.contains('\t') {
        for seg in text.split('\t') {
            push_segment(seg, line.no, true, out);
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
        if text.starts_with('|') && segs.first().is_some_and(|s| s.trim().is_empty()) {
            segs.remove(0);
        }
        if segs.last().is_some_and(|s| s.trim().is_empty()) {
            segs.pop();
        }
        for seg in segs {
            push_segment(seg, line.no, true, out);
        }
    } else {
        for seg in split_spaces(text) {
            push_segment(seg, line.no, false, out);
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

/// Classifies one cell. In tabular layouts (`cell_layout`) a segment is exactly one
/// cell; in space-aligned text a segment may hold several numbers or a label followed
/// by numbers separated by single spaces.
fn push_segment(seg: &str, line: u32, cell_layout: bool, out: &mut Vec<Token>) {
    let s = seg.trim();
    if s == crate::read::COVERED {
        return;
    }
    if s.is_empty() {
        if cell_layout {
            out.push(Token::new(Tok::Empty, String::new(), line));
        }
        return;
    }
    let words: Vec<&str> = s.split_whitespace().collect();
    if words.len() > 1 && words.iter().any(|w| parse_number(w).is_some()) {
        // `0 0 0`, `规章 0 0 0`, `40.1396 万元`.
        if words.len() == 2 && parse_number(words[0]).is_some() && matches!(words[1], "万元" | "元")
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
                        pending.push(Token::new(
                            Tok::Text(text_run.join(" ")),
                            text_run.join(" "),
                            line,
                        ));
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
            pending.push(Token::new(
                Tok::Text(text_run.join(" ")),
                text_run.join(" "),
                line,
            ));
        }
        out.extend(pending);
        return;
    }
    push_classified(s, parse_number(s), line, out);
}

fn push_classified(s: &str, number: Option<Number>, line: u32, out: &mut Vec<Token>) {
    let tok = if let Some(n) = number {
        Tok::Num(n)
    } else if is_generic_header(s) {
        // A converter's column names (`数据1`, `列2`): header text, not a garbled cell.
        Tok::Text(s.to_string())
    } else if is_placeholder(s) {
        Tok::Placeholder
    } else if has_digits_outside_enumerator(s) || s.contains('\u{FFFD}') || s == "?" {
        Tok::Garbled
    } else {
        Tok::Text(s.to_string())
    };
    out.push(Token {
        tok,
        raw: s.to_string(),
        line,
        cut: false,
    });
}

/// Column names that OCR and PDF-to-Markdown converters print in place of the real
/// header: a generic word and a number (`数据1`, `列 3`, `Column2`, `col_4`).
fn is_generic_header(s: &str) -> bool {
    let s = s.trim();
    let word_end = s
        .char_indices()
        .find(|(_, c)| c.is_ascii_digit())
        .map_or(s.len(), |(i, _)| i);
    let (word, digits) = s.split_at(word_end);
    let word = word.trim().trim_end_matches(['_', ' ']);
    !digits.is_empty()
        && digits.len() <= 2
        && digits.bytes().all(|b| b.is_ascii_digit())
        && [
            "数据", "列", "栏", "字段", "项", "column", "col", "Column", "Col", "COL",
        ]
        .contains(&word)
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
    let chars: Vec<char> = strip_enumerator(s).chars().collect();
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
    let s = s.trim();
    let (body, unit) = if let Some(b) = s.strip_suffix("万元") {
        (b.trim_end(), Some("万元"))
    } else if let Some(b) = s.strip_suffix('元') {
        (b.trim_end(), Some("元"))
    } else if let Some(b) = s.strip_suffix(['件', '条', '个', '项']) {
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

    fn toks(text: &str) -> Vec<Tok> {
        let mut out = Vec::new();
        for l in normalise(text) {
            tokenise_line(&l, &mut out);
        }
        out.into_iter().map(|t| t.tok).collect()
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
            vec![Tok::Text("规章".into()), num(0.0), Tok::Empty, num(3.0)]
        );
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
        assert_eq!(parse_number("1,234").unwrap().value, 1234.0);
        assert!(parse_number("3.").is_none());
        assert!(parse_number("1,2").is_none());
        assert!(parse_number("增98").is_none());
    }

    #[test]
    fn a_table_of_contents_is_not_taken_for_the_sections() {
        let text = "目录\n一、总体情况\n二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n四、政府信息公开行政复议、行政诉讼情况\n五、存在的主要问题及改进情况\n\n一、总体情况\n正文。\n二、主动公开政府信息情况\n规章\t1\t2\t3\n三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量\t1\t0\t0\t0\t0\t0\t1\n四、政府信息公开行政复议、行政诉讼情况\n0\t0\n五、存在的主要问题及改进情况\n";
        let s = segment(&normalise(text), false);
        assert_eq!(s.proactive.unwrap().heading_line, Some(10));
        assert_eq!(s.applications.unwrap().heading_line, Some(12));
        assert_eq!(s.review.unwrap().heading_line, Some(14));
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

    #[test]
    fn headings_by_their_words() {
        assert_eq!(heading("三、主动公开工作情况"), Some(2));
        assert_eq!(heading("四、政府信息公开申请情况"), Some(3));
        assert_eq!(heading("五、政府信息公开行政复议、行政诉讼情况"), Some(4));
        assert_eq!(heading("七、其他需要报告的事项"), Some(5));
        assert_eq!(heading("主动公开政府信息情况"), Some(2));
        assert_eq!(heading("(二)主动公开政府信息情况"), Some(2));
        assert_eq!(heading("第三部分 收到和处理政府信息公开申请情况"), Some(3));
        assert_eq!(heading("四 政府信息公开行政复议、行政诉讼情况"), Some(4));
        assert_eq!(heading("收到和处理政府信息公开申请情况"), Some(3));
        assert_eq!(heading("二、上年结转政府信息公开申请数量"), None);
        assert_eq!(heading("规章\t0"), None);
    }

    #[test]
    fn headings() {
        assert_eq!(heading("二、主动公开政府信息情况"), Some(2));
        assert_eq!(heading("三、收到的处理政府信息公开申请情况"), Some(3));
        assert_eq!(
            heading("四、因政府信息公开工作被申请行政复议提起行政诉讼情况"),
            Some(4)
        );
        assert_eq!(heading("四、结转下年度继续办理\t0"), None);
        assert_eq!(heading("五、存在的主要问题及改进情况"), Some(5));
        assert_eq!(heading("(二)主动公开政府信息情况。坚持"), None);
    }
}
