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

//!
//! Here the sections are found (headings by number or by their words, a table of contents
//! told apart) and the line filters kept; `cells` cuts a line into cell tokens.

use crate::normalise::{is_han, match_key, Line, Trim};
use crate::templates::headings as H;
use cells::tokenise_line;

mod cells;

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
    /// Label or header text (normalised): the token's [`Token::raw`].
    Text,
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
    /// Where a cell of a space-aligned line stands: its first and past-last character
    /// columns. `pdftotext -layout` keeps a page's columns at the same character
    /// columns, so a row with blank cells can be placed by the rows around it.
    pub span: Option<(u32, u32)>,
    /// [`Self::span`] counted in display width (a Han or full-width character two
    /// columns), as text typed for the eye aligns its columns. A header's words that
    /// stand in the same order by either count stand in that order whatever produced the
    /// text.
    pub display_span: Option<(u32, u32)>,
    /// The page the token is on, counted from the section's start (form feeds).
    pub page: u32,
    /// The field of a tab-separated line the token was cut from (0 for the first; in
    /// section 四, counted from the line's start, blank leading fields included): a grid
    /// row's cell and the header word above it share it.
    pub field: Option<u32>,
}

impl Token {
    /// A token on `line` (not cut).
    pub fn new(tok: Tok, raw: impl Into<String>, line: u32) -> Token {
        Token {
            tok,
            raw: raw.into(),
            line,
            cut: false,
            span: None,
            display_span: None,
            page: 0,
            field: None,
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
            Tok::Text => Some(&self.raw),
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
    /// The text comes from a PDF through `pdftotext -layout`, which keeps each column of
    /// a page at one character column whatever the width of the characters before it:
    /// only then are cells placed by where they stand (`extract::place_by_columns`). A
    /// text typed for the eye aligns by display width (a Han character two columns).
    pub aligned_by_characters: bool,
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
        let next = (i + 1..lines.len()).find(|j| !lines[*j].text.trim_ws().is_empty());
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
    // A page that starts inside section 三's disposal rows (no heading, no header, no
    // first row): the section starts at the first of them, before its carried-forward
    // row and section 四.
    let middle3 = || {
        let before = h4.or(label4).or(h5).unwrap_or(end);
        find_key(0, &|k| {
            H::APPLICATION_MIDDLE.iter().any(|w| k.starts_with(w))
                || k.starts_with(H::SECTION_THREE_LAST)
        })
        .filter(|i| *i < before)
        .filter(|i| {
            let k = match_key(&lines[*i].text);
            !k.starts_with(H::SECTION_THREE_LAST)
                && lines[*i].text.chars().any(|c| c.is_ascii_digit())
        })
    };
    let applications_range = start3
        .or_else(|| proactive_range.map(|(_, e)| e))
        .or_else(middle3)
        .or_else(|| {
            find_key(0, &|k| {
                k.starts_with(H::PROACTIVE_START)
                    || k.starts_with(H::APPLICATION_START.0)
                    || k.contains(H::SECTION_THREE_LAST)
            })
        })
        .map(|s| (s, h4.or(label4).or(h5).unwrap_or(end)));
    let mut review_range = h4.map(|s| s + 1).or(label4).map(|s| (s, h5.unwrap_or(end)));
    let (mut proactive_range, mut applications_range) = (proactive_range, applications_range);
    let (mut h2, mut h3, mut h4, mut h5) = (h2, h3, h4, h5);
    // Sections printed in another order (三 before 二, 四 before 三): each heading found
    // only when searched from the top starts its section, which runs to the next heading.
    // A heading counts only when its section holds its table's rows: 总体情况 may print
    // sub-headings named like the sections (`（二）收到和处理政府信息公开申请情况`).
    // Searched only when a heading was not found in order: most documents never pay.
    let anywhere = |level: u8, found: Option<usize>| match found {
        Some(h) => Some(h),
        None => first(level, None).filter(|a| holds_rows(*a, level)),
    };
    let (a3, a4) = (anywhere(3, h3), anywhere(4, h4));
    if h3.is_none() && a3.is_some() || h4.is_none() && a4.is_some() {
        let a2 = first(2, None);
        let closing = (0..lines.len()).find(|i| {
            headings[*i] == Some(5)
                && is_section(*i)
                && [a2, a3, a4].iter().flatten().all(|a| i > a)
        });
        let starts: Vec<usize> = [a2, a3, a4, closing].into_iter().flatten().collect();
        let range = |a: Option<usize>| {
            let a = a?;
            let e = starts
                .iter()
                .copied()
                .filter(|s| *s > a)
                .min()
                .unwrap_or(end);
            Some((a + 1, e))
        };
        (proactive_range, applications_range, review_range) = (range(a2), range(a3), range(a4));
        (h2, h3, h4, h5) = (a2, a3, a4, closing);
    }
    let page_numbers = page_number_lines(lines);
    let make = |range: Option<(usize, usize)>,
                heading: Option<usize>,
                unlabelled: bool|
     -> Option<Section> {
        let (s, e) = range?;
        if s > e {
            return None;
        }
        let mut tokens = Vec::new();
        let mut page = 0;
        for (i, line) in lines[s..e].iter().enumerate() {
            page += u32::from(line.raw().starts_with('\u{c}'));
            let last_line = s + i + 1 == lines.len();
            if page_numbers.binary_search(&(s + i)).is_ok()
                || is_running_header(&line.text)
                || is_table_note(&line.text)
            {
                continue;
            }
            let first = tokens.len();
            tokenise_line(line, unlabelled, &mut tokens);
            for t in &mut tokens[first..] {
                t.page = page;
            }
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
            aligned_by_characters: false,
        })
    };
    Sections {
        proactive: make(proactive_range, h2, false),
        applications: make(applications_range, h3, false),
        review: make(review_range, h4, true),
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
    let t = text.trim_ws();
    let numeral = t.chars().next()?;
    if numeral.is_ascii_digit() {
        // `5.存在的主要问题及改进情况`: sections renumbered in Arabic numerals are known by
        // their words alone, as strictly as unnumbered ones (section 三's rows are
        // numbered `1.` too).
        let digits = t.bytes().take_while(u8::is_ascii_digit).count();
        let rest = t[digits..].strip_prefix(['.', '、', ','])?;
        if digits > 2 || rest.starts_with(|c: char| c.is_ascii_digit()) {
            return None;
        }
        return unnumbered_heading(rest.trim_start());
    }
    if !"一二三四五六七八九十".contains(numeral) {
        // `(4)`, `D.`, `IV.`: a document renumbered its sections in a scheme of its own
        // (a Markdown conversion, a style's outline numbering). The number says nothing;
        // the words must name a section as strictly as an unnumbered heading's.
        return unnumbered_heading(other_enumerator(t).unwrap_or(t));
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

/// What follows an enumerator of no Chinese scheme: `(4)`, `(d)`, `(IV)`, `D.`, `iv、`,
/// `C)` (a letter or a roman numeral of up to four letters).
fn other_enumerator(t: &str) -> Option<&str> {
    let (mark, rest) = match t.strip_prefix('(') {
        Some(inner) => {
            let end = inner.find(')')?;
            (&inner[..end], &inner[end + 1..])
        }
        None => {
            let end = t.find(|c: char| !c.is_ascii_alphabetic())?;
            let rest = t[end..].strip_prefix(['.', '、', ')', ','])?;
            (&t[..end], rest)
        }
    };
    let roman = mark.chars().all(|c| "IVXivx".contains(c));
    let letter = mark.len() == 1 && mark.chars().all(|c| c.is_ascii_alphabetic());
    let number = t.starts_with('(') && mark.chars().all(|c| c.is_ascii_digit());
    (!mark.is_empty() && mark.len() <= 4 && (roman || letter || number))
        .then(|| rest.trim_start())
        .filter(|r| r.starts_with(is_han))
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
    // Asked of nearly every line: one scan rules out most of them.
    if !t.contains(H::UNNUMBERED_MARKS) {
        return None;
    }
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
    let t = text.trim_ws();
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

/// A page break a converter printed without its form feed: a short number alone on its
/// line after a blank one, which follows a row printed as a grid (three or more
/// tab-separated fields), and is followed by a line that is not a number too (one cell
/// per line). Taken as a cell, such a page number joined the row above and was placed
/// into it by position.
fn page_gap(lines: &[Line], i: usize) -> bool {
    let before = i.checked_sub(2).map(|k| (&lines[k], &lines[k + 1]));
    let grid_row_then_blank = before.is_some_and(|(row, blank)| {
        blank.text.trim_ws().is_empty() && row.text.trim_end().matches('\t').count() >= 2
    });
    let next = lines[i + 1..]
        .iter()
        .map(|l| l.text.trim_ws())
        .find(|t| !t.is_empty());
    grid_row_then_blank && next.is_some_and(|t| !t.bytes().all(|b| b.is_ascii_digit()))
}

/// The report's title printed again at the top of a page (a running header), inside a
/// table that crosses the page: page furniture, not a cell. Its year made it a garbled
/// cell, counted among the row's cells, and so shifted the cells placed by position. No
/// label of the template names the report; a row printed as cells has separators.
fn is_running_header(t: &str) -> bool {
    let t = t.trim_ws();
    // `报` first: a char is found with memchr, and few lines of a table hold one.
    t.contains('报')
        && !t.contains(['\t', '|'])
        && (t.contains("政府信息公开") || t.contains("政务公开"))
        && (t.contains("年度报告") || t.contains("工作报告") || t.contains("年报"))
}

/// A line of its own saying what period or unit a table counts (`统计时限：2021年1月1日至
/// 2021年12月31日`, `数据截至2021年12月31日`, `单位：件`): a note on the table, not a
/// cell. Taken for one, its date was a 16th cell of section 四 and pushed every cell out.
fn is_table_note(t: &str) -> bool {
    let t = t.trim_ws().trim_start_matches(['(', '（', '注', ':', '：']);
    if t.contains(['\t', '|']) || t.chars().count() > 40 {
        return false;
    }
    const NOTES: [&str; 8] = [
        "统计时限",
        "统计期限",
        "统计时间",
        "统计周期",
        "统计区间",
        "数据截至",
        "数据统计截至",
        "截至",
    ];
    NOTES.iter().any(|n| t.starts_with(n))
        || ["单位", "计量单位"].iter().any(|u| {
            t.strip_prefix(u)
                .and_then(|r| r.trim_start().strip_prefix([':', '：']))
                .is_some_and(|r| r.trim_ws().trim_end_matches([')', '）']).chars().count() <= 4)
        })
}

/// The indexes (ascending) of the lines that are page numbers: on the last line of a
/// page (the next line opens with a form feed, or a page's gap follows a table row), a
/// number marked as one (`- 3 -`, `第3页`), or a short number alone that is its page's
/// ordinal, that another page's agrees with (their numbers differ by the pages between
/// them) or that stands apart from the text above it. In a table printed a cell a line, a page's last cell is a short
/// number alone right after its label or another cell: taken for the page's number when
/// no other page is numbered, the cell was lost without a trace.
fn page_number_lines(lines: &[Line]) -> Vec<usize> {
    let mut marked = Vec::new();
    // (line, the page number less the count of pages before it)
    let mut bare: Vec<(usize, i64)> = Vec::new();
    let mut pages = 0i64;
    for i in 0..lines.len() {
        let next_page = lines
            .get(i + 1)
            .is_some_and(|n| n.raw().starts_with('\u{c}'));
        if !(next_page || page_gap(lines, i)) {
            continue;
        }
        pages += 1;
        let t = lines[i].text.trim_ws();
        if is_page_number(t) {
            marked.push(i);
        } else if (1..=3).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit()) {
            bare.push((i, t.parse::<i64>().unwrap_or(0) - pages));
        }
    }
    // A footer stands apart from the text above it (a blank line), or below a row
    // printed on one line; a cell a line follows its label or the cell before it.
    let apart = |i: usize| {
        i.checked_sub(1).is_none_or(|k| {
            let t = lines[k].text.trim_ws();
            t.is_empty()
                || t.split(['\t', '|'])
                    .filter(|f| !f.trim_ws().is_empty())
                    .count()
                    >= 2
                || t.contains("  ")
        })
    };
    // A number that is its page's ordinal (offset 0) is one, as is one that another
    // page's agrees with.
    for &(i, offset) in &bare {
        if offset == 0 || bare.iter().filter(|(_, o)| *o == offset).count() >= 2 || apart(i) {
            marked.push(i);
        }
    }
    marked.sort_unstable();
    marked
}

/// A page number printed as one: `- 3 -`, `—3—`, `P. 3`, `第3页`. A dash on one side
/// only is a signed number (`-3`, a 本年增减 cell on a line of its own), not a page's.
fn is_page_number(t: &str) -> bool {
    let t = t.trim_ws();
    let dashes = ['-', '—', '–'];
    // Asked of every line of a table: the dashes are looked at before anything is cut.
    t.starts_with(dashes) && t.ends_with(dashes) && {
        let inner = t
            .trim_start_matches(dashes)
            .trim_end_matches(dashes)
            .trim_ws();
        !inner.is_empty() && inner.chars().all(|c| c.is_ascii_digit()) && inner.len() <= 4
    } || t.starts_with("P.") && t[2..].trim_ws().chars().all(|c| c.is_ascii_digit())
        || t.starts_with('第')
            && t.ends_with('页')
            && t.chars().filter(|c| c.is_ascii_digit()).count() > 0
}

fn is_rule_line(t: &str) -> bool {
    let t = t.trim_ws();
    // The test that fails on the first character of nearly every line comes first.
    t.chars()
        .all(|c| matches!(c, '-' | '=' | '|' | '+' | ':' | ' ' | '\t'))
        && t.chars().filter(|c| *c == '-' || *c == '=').count() >= 3
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_unnumbered_heading_word_holds_a_mark() {
        let words = H::OPENING[..2]
            .iter()
            .chain([H::SECTION_END].iter())
            .chain(H::CLOSING_UNNUMBERED);
        for w in words {
            assert!(w.contains(H::UNNUMBERED_MARKS), "{w}");
        }
        assert_eq!(unnumbered_heading("主 动 公 开 政 府 信 息 情 况"), Some(2));
        assert_eq!(unnumbered_heading("规章"), None);
    }

    #[test]
    fn sections_printed_in_another_order_are_each_found() {
        let text = "一、总体情况\n三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量\t1\t0\t0\t0\t0\t0\t1\n二、主动公开政府信息情况\n规章\t0\t0\t2\n四、政府信息公开行政复议、行政诉讼情况\n行政复议\t行政诉讼\n0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\n五、存在的主要问题及改进情况\n";
        let s = segment(&crate::normalise::normalise(text), false);
        let labels = |sec: &Option<Section>| -> Vec<String> {
            sec.as_ref()
                .map(|s| {
                    s.tokens
                        .iter()
                        .filter_map(|t| t.text().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default()
        };
        assert_eq!(
            labels(&s.applications),
            ["一、本年新收政府信息公开申请数量"]
        );
        assert_eq!(labels(&s.proactive), ["规章"]);
        assert_eq!(
            s.review
                .as_ref()
                .map(|r| r.tokens.iter().filter(|t| t.is_filled()).count()),
            Some(15)
        );
        assert!(!s.review.unwrap().open_ended);
    }

    #[test]
    fn a_page_number_without_its_form_feed_is_not_a_cell() {
        let row = "\t\t2.重复申请\t\t1\t\t\t\t\t1\n";
        let next = "\t\t3.要求提供公开出版物\t\t\t\t\t\t\t\n";
        let numbers = |text: &str| -> Vec<String> {
            let lines = crate::normalise::normalise(text);
            let s = segment(&lines, false);
            s.applications
                .map(|a| {
                    a.tokens
                        .iter()
                        .filter(|t| matches!(t.tok, Tok::Num(_)))
                        .map(|t| t.raw.clone())
                        .collect()
                })
                .unwrap_or_default()
        };
        let head = "三、收到和处理政府信息公开申请情况\n";
        assert_eq!(numbers(&format!("{head}{row}\n3\n{next}")), ["1", "1"]);
        // With its form feed, as before.
        assert_eq!(numbers(&format!("{head}{row}\n3\n\u{c}{next}")), ["1", "1"]);
        // One cell per line: the numbers are the row's.
        assert_eq!(numbers(&format!("{head}2.重复申请\n\n3\n4\n")), ["3", "4"]);
        // A cell a line, a page ending on a row's cell, no page numbered: the cell.
        assert_eq!(
            numbers(&format!(
                "{head}2.重复申请\n3\n12\n\x0c3.要求提供公开出版物\n0\n"
            )),
            ["3", "12", "0"]
        );
        // Pages numbered in sequence: each number is its page's, after a cell too.
        assert_eq!(
            numbers(&format!(
                "1\n\x0c{head}2.重复申请\n3\n2\n\x0c3.要求提供公开出版物\n0\n3\n\x0c"
            )),
            ["3", "0"]
        );
        // After a row of one cell per line, a lone number is a cell.
        assert_eq!(
            numbers(&format!("{head}2.重复申请\t1\n\n3\n{next}")),
            ["1", "3"]
        );
    }
    use crate::normalise::normalise;

    #[test]
    fn a_table_of_contents_is_not_taken_for_the_sections() {
        let text = "目录\n一、总体情况\n二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n四、政府信息公开行政复议、行政诉讼情况\n五、存在的主要问题及改进情况\n\n一、总体情况\n正文。\n二、主动公开政府信息情况\n规章\t1\t2\t3\n三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量\t1\t0\t0\t0\t0\t0\t1\n四、政府信息公开行政复议、行政诉讼情况\n行政复议\t行政诉讼\n0\t0\n五、存在的主要问题及改进情况\n";
        let s = segment(&normalise(text), false);
        assert_eq!(s.proactive.unwrap().heading_line, Some(10));
        assert_eq!(s.applications.unwrap().heading_line, Some(12));
        assert_eq!(s.review.unwrap().heading_line, Some(14));
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
        // Renumbered in Arabic numerals, known by the same words.
        assert_eq!(heading("2.主动公开政府信息情况"), Some(2));
        assert_eq!(heading("3、收到和处理政府信息公开申请情况"), Some(3));
        assert_eq!(heading("4.政府信息公开行政复议、行政诉讼情况"), Some(4));
        assert_eq!(heading("5.存在的主要问题及改进情况"), Some(5));
        assert_eq!(heading("6.其他需要报告的事项"), Some(5));
        // Section 三's numbered rows and numbers are not headings.
        assert_eq!(
            heading("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
            None
        );
        assert_eq!(heading("3.其他"), None);
        assert_eq!(heading("1.5 万元"), None);
        // Renumbered in a scheme of a converter's or a style's own: the words decide.
        assert_eq!(heading("(4) 政府信息公开行政复议、行政诉讼情况"), Some(4));
        assert_eq!(heading("D. 政府信息公开行政复议、行政诉讼情况"), Some(4));
        assert_eq!(heading("IV. 政府信息公开行政复议、行政诉讼情况"), Some(4));
        assert_eq!(heading("E. 存在的主要问题及改进情况"), Some(5));
        assert_eq!(heading("(f) 其他需要报告的事项"), Some(5));
        assert_eq!(heading("C) 收到和处理政府信息公开申请情况"), Some(3));
        assert_eq!(heading("B、主动公开政府信息情况"), Some(2));
        // Rows, words that only start like an enumerator, and prose are not.
        assert_eq!(heading("(1)予以公开\t3"), None);
        assert_eq!(heading("ABCDE. 存在的主要问题及改进情况"), None);
        assert_eq!(heading("Excel表格见附件"), None);
        assert_eq!(heading("(2) 其他\t0\t1"), None);
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
