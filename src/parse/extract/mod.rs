//! Stage 5: section tokens → table cells with codes.
//!
//! Rows are found by their labels (see [`crate::templates`]), never by position alone.
//! The cells of a row are the tokens between its label and the next row's label. A row
//! that prints as many cells as the template has columns is placed directly; one that
//! prints none is blank (null, not zero). Anything else is placed only when the
//! placement is certain — every way of dropping the extra numbers gives the same values,
//! or blank cells make up the difference — and otherwise the cells stay null and a
//! finding names the row. Priority one is never to print a wrong number silently.

mod applications;
mod proactive;
mod review;

pub use applications::{applications, Applications};
pub use proactive::{proactive, Proactive};
pub use review::{review, Review};

use crate::model::{
    ApplicationCell, Finding, ProactiveCell, Procurement, ReviewCell, Severity, Table, Template,
};
use crate::normalise::match_key;
use crate::segment::{Number, Section, Tok, Token};
use crate::templates::{
    measure_unit, ApplicationRow, ProactiveItem, APPLICANTS, APPLICATION_GROUP_LABELS,
    APPLICATION_KEYWORDS, APPLICATION_ROWS, MEASURE_LABELS_2019, MEASURE_LABELS_2021,
    OTHER_HANDLING, OUTCOMES, PROACTIVE_ITEMS, PROACTIVE_STRUCTURE_LABELS, PROCEEDINGS,
};

/// A cell placed in its column: the token it came from, or `None` when the column was
/// printed blank.
pub type Placed<'a> = Vec<Option<&'a Token>>;

/// How a row's printed cells were placed into the template's columns.
#[derive(Debug)]
pub enum Placement<'a> {
    /// Every column placed (blank columns as `None`). `note` explains an unusual but
    /// certain placement.
    Placed(Placed<'a>, Option<String>),
    /// No cell printed at all.
    Blank,
    /// The cells cannot be placed with certainty.
    Uncertain(String),
}

/// Places a row's cells into `columns` columns.
pub fn place<'a>(cells: &[&'a Token], columns: usize) -> Placement<'a> {
    let filled: Vec<&Token> = cells.iter().copied().filter(|t| t.is_filled()).collect();
    if filled.len() == columns {
        return Placement::Placed(filled.into_iter().map(Some).collect(), None);
    }
    if filled.is_empty() {
        return Placement::Blank;
    }
    // Blank cells make up the difference: `|  |  | 0 |` for (blank, blank, 0).
    let trailing_trimmed = trim_end_blank(cells);
    let both_trimmed = trim_start_blank(trailing_trimmed);
    // Leading blanks are dropped only as the one or two a merged label leaves: more are a
    // blank row of its own, and the numbers after them another row's whose label was lost
    // (garbled, or cut off by a page break).
    let leading = trailing_trimmed.len() - both_trimmed.len();
    let candidates: &[&[&Token]] = if leading <= 2 {
        &[trailing_trimmed, both_trimmed]
    } else {
        &[trailing_trimmed]
    };
    for &candidate in candidates {
        if candidate.len() == columns {
            // One or two blanks between the label and a run of numbers are what a label
            // merged over two or three columns leaves in grid text; a missing number then
            // looks exactly like a blank first cell, so the row is not placed.
            let lead = candidate.iter().take_while(|t| !t.is_filled()).count();
            if (1..=2).contains(&lead) && candidate[lead..].iter().all(|t| t.is_filled()) {
                return Placement::Uncertain(format!(
                    "{} cells printed for {} columns after {lead} blank cell(s) that may belong to the label",
                    filled.len(),
                    columns
                ));
            }
            return Placement::Placed(
                candidate
                    .iter()
                    .map(|t| if t.is_filled() { Some(*t) } else { None })
                    .collect(),
                Some("blank cells placed by position".to_string()),
            );
        }
    }
    if filled.len() > columns {
        // Extra numbers: certain only if every contiguous window gives the same values.
        let windows: Vec<&[&Token]> = filled.windows(columns).collect();
        let same = windows
            .iter()
            .all(|w| w.iter().zip(windows[0].iter()).all(|(a, b)| a.tok == b.tok));
        if same {
            return Placement::Placed(
                windows[0].iter().map(|t| Some(*t)).collect(),
                Some(format!(
                    "{} cells printed for {} columns; every placement gives the same values",
                    filled.len(),
                    columns
                )),
            );
        }
    }
    Placement::Uncertain(format!(
        "{} cells printed for {} columns",
        filled.len(),
        columns
    ))
}

/// The tokens of each line, in order.
fn lines_of(tokens: &[Token]) -> impl Iterator<Item = &[Token]> {
    tokens.chunk_by(|a, b| a.line == b.line)
}

/// A row printed with all its cells on one space-aligned line: where each column stands
/// on its page.
pub struct ColumnRow {
    page: u32,
    line: u32,
    /// Each cell's character columns, left to right.
    spans: Vec<(u32, u32)>,
}

/// The lines of `tokens` that print exactly `columns` numbers, each with its position,
/// and nothing else but a label before them: the rows that show where the columns are.
pub fn column_rows(tokens: &[Token], columns: usize) -> Vec<ColumnRow> {
    let mut rows = Vec::new();
    for on_line in lines_of(tokens) {
        let line = on_line[0].line;
        let cells: Vec<&Token> = on_line.iter().filter(|t| t.is_filled()).collect();
        let first_cell = on_line.iter().position(|t| t.is_filled());
        if cells.len() == columns
            && cells
                .iter()
                .all(|t| t.span.is_some() && matches!(t.tok, Tok::Num(_)))
            && first_cell.is_some_and(|f| on_line[f..].iter().all(|t| t.is_filled()))
        {
            rows.push(ColumnRow {
                page: on_line[0].page,
                line,
                spans: cells.iter().filter_map(|t| t.span).collect(),
            });
        }
    }
    rows
}

/// Where each column's header stands on a page of space-aligned text, as twice the
/// centre of its first word (`自然`, `商业企`, `科研`, …, `总计`), in template order.
pub struct HeaderColumns {
    page: u32,
    centres: Vec<u32>,
}

/// The column header's positions: each column's first word, found among the header's
/// words by the start of its name (`prefixes`) and being the start of its name
/// (`names`). `None` unless every column is found, left to right.
pub fn header_columns(
    header: &[Token],
    prefixes: &[&str],
    names: &[&str],
) -> Option<HeaderColumns> {
    let mut centres: Vec<Option<u32>> = vec![None; names.len()];
    let mut page = None;
    for t in header {
        let (Some((start, _)), Some(text)) = (t.span, t.text()) else {
            continue;
        };
        // Header words one space apart are one segment (`商业 科研`): each word counts.
        let mut col = start;
        for word in text.split(' ') {
            let width = word.chars().count() as u32;
            for (c, (prefix, name)) in prefixes.iter().zip(names).enumerate() {
                if centres[c].is_none() && word.starts_with(prefix) && name.starts_with(word) {
                    centres[c] = Some(2 * col + width);
                    page = Some(t.page);
                }
            }
            col += width + 1;
        }
    }
    let centres: Vec<u32> = centres.into_iter().collect::<Option<_>>()?;
    if centres.windows(2).any(|w| w[0] >= w[1]) {
        return None;
    }
    Some(HeaderColumns {
        page: page?,
        centres,
    })
}

/// Places the cells of a row printed with some cells blank (space-aligned text drops
/// them) by where its numbers stand: each number goes to the column whose cells, in the
/// nearest complete rows above and below on the same page, stand around it; without
/// such a row, to the column whose header stands over it, clearly nearer than any other.
/// Certain only when every number falls to one column, the columns in order; `None`
/// otherwise.
pub fn place_by_columns<'a>(
    cells: &[&'a Token],
    columns: usize,
    rows: &[ColumnRow],
    header: Option<&HeaderColumns>,
) -> Option<(Placed<'a>, String)> {
    let filled: Vec<&Token> = cells.iter().copied().filter(|t| t.is_filled()).collect();
    let first = filled.first()?;
    if filled.len() >= columns
        || filled
            .iter()
            .any(|t| t.span.is_none() || t.line != first.line || !matches!(t.tok, Tok::Num(_)))
    {
        return None;
    }
    let same_page = rows.iter().filter(|r| r.page == first.page);
    let above = same_page.clone().rfind(|r| r.line < first.line);
    let below = same_page.clone().find(|r| r.line > first.line);
    let refs: Vec<&ColumnRow> = [above, below].into_iter().flatten().collect();
    if refs.is_empty() {
        return by_header(&filled, columns, header?);
    }
    let mut placed: Option<Vec<usize>> = None;
    for r in &refs {
        let spans = &r.spans;
        if spans.windows(2).any(|w| w[0].1 >= w[1].0) {
            return None;
        }
        let mut at = Vec::with_capacity(filled.len());
        for t in &filled {
            let (s, e) = t.span?;
            // Twice the centre, to stay in integers.
            let centre = s + e;
            let column = (0..columns).find(|k| {
                let lo = if *k == 0 {
                    0
                } else {
                    spans[k - 1].1 + spans[*k].0
                };
                let hi = if *k + 1 == columns {
                    u32::MAX
                } else {
                    spans[*k].1 + spans[k + 1].0
                };
                // Within the gaps' midpoints, and touching the reference cell or one
                // character from it (alignment within a column varies that much).
                (lo..hi).contains(&centre) && s <= spans[*k].1 + 1 && e + 1 >= spans[*k].0
            })?;
            at.push(column);
        }
        if at.windows(2).any(|w| w[0] >= w[1]) {
            return None;
        }
        match &placed {
            Some(p) if *p != at => return None,
            _ => placed = Some(at),
        }
    }
    let at = placed?;
    let mut out: Placed = vec![None; columns];
    for (t, k) in filled.iter().zip(at) {
        out[k] = Some(*t);
    }
    let lines: Vec<String> = refs.iter().map(|r| r.line.to_string()).collect();
    Some((
        out,
        format!(
            "{} cells printed for {columns} columns, placed by where they stand under the columns of line {}",
            filled.len(),
            lines.join(" and ")
        ),
    ))
}

/// [`place_by_columns`] under the header: each number's centre within three characters
/// of one column header's, and at least three characters nearer to it than to any other.
fn by_header<'a>(
    filled: &[&'a Token],
    columns: usize,
    header: &HeaderColumns,
) -> Option<(Placed<'a>, String)> {
    if header.centres.len() != columns || header.page != filled.first()?.page {
        return None;
    }
    let mut out: Placed = vec![None; columns];
    let mut last = None;
    for t in filled {
        let (s, e) = t.span?;
        let centre = s + e;
        let mut near: Vec<(u32, usize)> = header
            .centres
            .iter()
            .enumerate()
            .map(|(k, h)| (h.abs_diff(centre), k))
            .collect();
        near.sort_unstable();
        // Twice the distances: within 3 characters, 3 characters clear of the next.
        let (d1, k) = near[0];
        if d1 > 6 || near.get(1).is_some_and(|(d2, _)| d2 - d1 < 6) {
            return None;
        }
        if last.is_some_and(|l| l >= k) {
            return None;
        }
        last = Some(k);
        out[k] = Some(*t);
    }
    Some((
        out,
        format!(
            "{} cells printed for {columns} columns, placed by where they stand under the column headers",
            filled.len()
        ),
    ))
}

/// What a column header says of its columns' order, for columns no sum can check
/// (organisations, outcomes, proceedings, section 二's measures).
#[derive(Debug, PartialEq)]
pub enum HeaderOrder {
    /// Printed in the template's order, or nothing the header names says otherwise.
    Template,
    /// Printed column → template column, every column named.
    Printed(Vec<usize>),
    /// The words named stand in another order than the template's, and not all of them
    /// are named (or their reading order cannot be told): no order is certain.
    Unconfirmed,
}

/// The order of `columns` columns the header words `header` name (`identify`: the
/// template columns a word may name, a bit each: one, or several for a wrapped word that
/// starts more than one name, `本年新` of `本年新制作数量` and `本年新公开数量`), read across the header's lines. Words one per line are read in
/// turn; a header laid out across the page (a line naming two columns or more) in the
/// order its words stand from left to right, as wrapped words (`结果` / `维持`) and a
/// merged word printed a line higher or lower (`总计`, `其他`) stand under or over their
/// column. Two words on different lines stand in a certain order only when they stand
/// apart, counted in characters and in display width alike (text from a PDF aligns by
/// the one, text typed for the eye by the other): words that overlap may be in either
/// order, and the template's order is kept when it is one of those the header allows.
pub fn header_order(
    header: &[Token],
    columns: usize,
    identify: impl Fn(&str) -> u32,
) -> HeaderOrder {
    let mut named: Vec<(&Token, u32)> = header
        .iter()
        .filter_map(|t| Some((t, identify(t.text()?))).filter(|(_, m)| *m != 0))
        .collect();
    let across = named
        .chunk_by(|a, b| a.0.line == b.0.line)
        .any(|on_line| on_line.len() >= 2);
    let spanned = named
        .iter()
        .all(|(t, _)| t.span.is_some() && t.display_span.is_some());
    let laid_out = across && spanned;
    if laid_out {
        named.sort_by_key(|(t, _)| t.span.map(|(s, e)| s + e));
    }
    // Whether the order of two words next to each other is what the header shows.
    let certain = |a: &Token, b: &Token| {
        if !laid_out || a.line == b.line {
            return true;
        }
        let before = |x: Option<(u32, u32)>, y: Option<(u32, u32)>| match (x, y) {
            (Some(x), Some(y)) => x.1 <= y.0,
            _ => false,
        };
        before(a.span, b.span) && before(a.display_span, b.display_span)
    };
    // One group of columns: the words up to the first named again (section 四 names the
    // five outcomes once for each proceeding).
    let single = |m: u32| m.count_ones() == 1;
    let end = named
        .iter()
        .enumerate()
        .position(|(i, (_, m))| single(*m) && named[..i].iter().any(|(_, n)| n == m))
        .unwrap_or(named.len());
    let mut group = named[..end].to_vec();
    let sure = group.windows(2).all(|w| certain(w[0].0, w[1].0));
    // The template's order where the words allow it: uncertain neighbours may swap.
    let first = |m: u32| m.trailing_zeros();
    let mut swapped = true;
    while swapped {
        swapped = false;
        for i in 1..group.len() {
            if first(group[i - 1].1) > first(group[i].1) && !certain(group[i - 1].0, group[i].0) {
                group.swap(i - 1, i);
                swapped = true;
            }
        }
    }
    // In the template's order when each word can name a column right of the one before.
    let mut last: Option<u32> = None;
    let in_order = group.iter().all(|(_, m)| {
        let right = last.map_or(*m, |l| m & !((2u32 << l) - 1));
        last = (right != 0).then(|| first(right));
        right != 0
    });
    let ids: Vec<usize> = group.iter().map(|(_, m)| first(*m) as usize).collect();
    if in_order {
        HeaderOrder::Template
    } else if sure && ids.len() == columns && group.iter().all(|(_, m)| single(*m)) {
        HeaderOrder::Printed(ids)
    } else {
        HeaderOrder::Unconfirmed
    }
}

/// The columns a header word may name among `names` (matching form, in template order),
/// a bit each: a word starting with a name's known start (`starts`), else every name the
/// word, three characters or more, starts (`社会公` of `社会公益组织`, as PDF text wraps
/// it). `exact` names (`其他`) only whole.
pub fn header_word(word: &str, names: &[&str], starts: &[&str], exact: &[&str]) -> u32 {
    let k = match_key(word);
    let bit = |c: usize| 1u32 << c;
    if let Some(c) = names.iter().position(|n| exact.contains(n) && **n == k) {
        return bit(c);
    }
    if let Some(c) = names
        .iter()
        .zip(starts)
        .position(|(n, s)| !exact.contains(n) && k.starts_with(s))
    {
        return bit(c);
    }
    if k.chars().count() < 3 {
        return 0;
    }
    names
        .iter()
        .enumerate()
        .filter(|(_, n)| !exact.contains(n) && n.starts_with(k.as_str()))
        .fold(0, |m, (c, _)| m | bit(c))
}

/// The error on cells left null because the header does not confirm their columns'
/// order (`what`: the columns).
fn order_unconfirmed(
    table: Table,
    row: Option<&'static str>,
    what: &str,
    line: Option<u32>,
) -> Finding {
    Finding::new(
        Severity::Error,
        "column_order_unconfirmed",
        format!("{}: the header's words for {what} cannot all be read and those read stand in another order than the template's; the cells differ, so which is which cannot be told; cells left null", row.unwrap_or("section 四")),
    )
    .at(table, row, None)
    .line(line)
}

/// The error on a row (`what`: row or item) printed with no number when a row below it
/// (`below`) takes more numbers than columns in one run: a table printed column by
/// column, say.
fn numbers_below(
    table: Table,
    row: &'static str,
    what: &str,
    below: &str,
    line: Option<u32>,
) -> Finding {
    Finding::new(
        Severity::Error,
        "row_order_uncertain",
        format!("{row}: no number is printed after its label, and {below} below it prints more numbers than columns: they may be this {what}'s; cells left null"),
    )
    .at(table, Some(row), None)
    .line(line)
}

/// True when the text ends inside the row of `cells` (`filled` of them filled): the row
/// is at the end of a section the text leaves open and prints fewer than its `columns`
/// numbers, or a cell is the cut last word of the text. How many numbers such a row
/// printed is unknown (a row may print one too many), so none of them is placed.
fn ends_inside(cells: &[&Token], filled: usize, columns: usize, at_end: bool) -> bool {
    at_end && filled < columns || cells.iter().any(|t| t.cut)
}

/// The finding for a row (`None`: section 四, one row) the text ends inside.
fn truncated(table: Table, row: Option<&'static str>, line: Option<u32>) -> Finding {
    let what = row.map_or_else(|| "section 四".to_string(), |r| format!("row {r}"));
    Finding::new(
        Severity::Warning,
        "truncated",
        format!("the text ends inside {what}: its cells are left out"),
    )
    .at(table, row, None)
    .line(line)
}

/// The finding for a template row (or section-二 item) the section does not print, or
/// prints under a label that cannot be read.
pub fn row_not_printed(table: Table, row: &'static str, line: Option<u32>) -> Finding {
    Finding::new(
        Severity::Warning,
        "row_missing",
        format!("row {row} is not printed (or its label cannot be read)"),
    )
    .at(table, Some(row), None)
    .line(line)
}

/// A row the text does not hold because it starts (`after` false) or ends (`after` true)
/// inside the table: a page of an article split over pages, a download cut short. An
/// error: the report's table is incomplete, however complete the rows it holds are.
pub fn row_cut(table: Table, row: &'static str, line: Option<u32>, after: bool) -> Finding {
    let (r#where, edge) = if after {
        (
            "ends inside the table before",
            "after the last row it holds",
        )
    } else {
        (
            "starts inside the table after",
            "before the first row it holds",
        )
    };
    Finding::new(
        Severity::Error,
        "row_cut",
        format!("row {row} is not in the text: it {where} this row ({edge}; a page of an article split over pages, or a file cut short)"),
    )
    .at(table, Some(row), None)
    .line(line)
}

/// The finding for a row placed in an unusual but certain way.
fn placement_note(
    table: Table,
    row: Option<&'static str>,
    note: &str,
    line: Option<u32>,
) -> Finding {
    let what = row.unwrap_or("section 四");
    Finding::new(Severity::Info, "row_cell_count", format!("{what}: {note}"))
        .at(table, row, None)
        .line(line)
}

fn trim_end_blank<'a, 'b>(cells: &'b [&'a Token]) -> &'b [&'a Token] {
    let end = cells
        .iter()
        .rposition(|t| t.is_filled())
        .map_or(0, |p| p + 1);
    &cells[..end]
}

fn trim_start_blank<'a, 'b>(cells: &'b [&'a Token]) -> &'b [&'a Token] {
    let start = cells
        .iter()
        .position(|t| t.is_filled())
        .unwrap_or(cells.len());
    &cells[start..]
}

/// The cells that follow a label, up to `end` (exclusive): tokens before the first cell
/// that are text continue the label; text between two cells of one line is a garbled
/// cell; text after the cells is trailing label text and is ignored.
fn row_cells(tokens: &[Token], start: usize, end: usize) -> Vec<&Token> {
    let mut cells = Vec::new();
    let slice = &tokens[start..end];
    for (i, t) in slice.iter().enumerate() {
        match &t.tok {
            Tok::Text => {
                let sandwiched = !cells.is_empty()
                    && cells.last().is_some_and(|c: &&Token| c.line == t.line)
                    && slice[i + 1..]
                        .iter()
                        .take_while(|n| n.line == t.line)
                        .any(|n| n.is_filled());
                if sandwiched {
                    cells.push(t);
                }
            }
            _ => cells.push(t),
        }
    }
    cells
}

/// Cuts a row's cells at the end of its label's line when that line prints at least
/// `columns` cells, blank ones included: the row is complete there, and a number on a
/// later line before the next label is not one of its cells (a page number under the
/// last row of a page: `行政事业性收费\t\t\t`, then `3`). Returns the row's cells and the
/// filled tokens left out, for the caller to report.
fn own_line(mut cells: Vec<&Token>, label_line: u32, columns: usize) -> (Vec<&Token>, Vec<&Token>) {
    let on_line = cells.iter().take_while(|c| c.line == label_line).count();
    if on_line < columns || on_line == cells.len() {
        return (cells, Vec::new());
    }
    let rest = cells.split_off(on_line);
    (cells, rest.into_iter().filter(|t| t.is_filled()).collect())
}

/// The finding for numbers left out by [`own_line`].
fn after_row(table: Table, row: &'static str, left: &[&Token]) -> Finding {
    let printed: Vec<&str> = left.iter().map(|t| t.raw.as_str()).collect();
    Finding::new(
        Severity::Warning,
        "cells_after_row",
        format!(
            "{row}: its own line prints all its cells; {printed:?} on the next line(s) is not read as one of them (a page number, or a stray number)"
        ),
    )
    .at(table, Some(row), None)
    .line(left.first().map(|t| t.line))
}

/// Integer value of a number cell, if it is one. Counts (applications, proceedings, procurement items) are whole and never negative: a
/// sign there is a misprint or a dash read as one, not a value.
fn int_value(n: &Number) -> Option<i64> {
    if n.value.fract() == 0.0 && (0.0..9.0e15).contains(&n.value) {
        Some(n.value as i64)
    } else {
        None
    }
}

fn distinct_lines(cells: &[&Token]) -> bool {
    cells.windows(2).all(|w| w[0].line != w[1].line)
}

/// Value of a placed cell as an integer count, with the problem to record if any.
fn cell_value_int(cell: Option<&Token>) -> (Option<i64>, String, Option<(&'static str, String)>) {
    let Some(t) = cell else {
        return (None, String::new(), None);
    };
    match &t.tok {
        Tok::Num(_) if t.cut => (
            None,
            t.raw.clone(),
            Some((
                "truncated",
                format!("the text ends inside the number {:?}", t.raw),
            )),
        ),
        Tok::Num(n) => match int_value(n) {
            Some(v) if n.unit.is_none() => (Some(v), t.raw.clone(), None),
            _ => (
                None,
                t.raw.clone(),
                Some(("unreadable_cell", format!("{:?} is not a count", t.raw))),
            ),
        },
        Tok::Placeholder => (
            None,
            t.raw.clone(),
            Some((
                "placeholder_cell",
                format!("{:?} printed instead of a number", t.raw),
            )),
        ),
        Tok::Garbled | Tok::Text => (
            None,
            t.raw.clone(),
            Some((
                "unreadable_cell",
                format!("{:?} cannot be read as a number", t.raw),
            )),
        ),
        Tok::Empty => (None, String::new(), None),
    }
}

fn problem_check(t: &Token) -> &'static str {
    match t.tok {
        Tok::Placeholder => "placeholder_cell",
        _ if t.cut => "truncated",
        _ => "unreadable_cell",
    }
}

/// Folds cells printed more than once into one. Pages scraped twice, tables repeated
/// after a page break and HTML pages carrying the table twice print the same row again:
/// when every copy agrees the first is kept; when they differ the cell is set blank with a
/// `cell_conflict` error naming it, because no rule says which copy is right.
pub fn fold_repeats<C>(
    cells: &mut Vec<C>,
    table: Table,
    findings: &mut Vec<Finding>,
    key: impl Fn(&C) -> (&'static str, &'static str),
    value: impl Fn(&C) -> Option<f64>,
    clear: impl Fn(&mut C),
) {
    // Most tables print each cell once: a set of the keys tells, cheaper than the sort.
    let mut seen = rustc_hash::FxHashSet::default();
    seen.reserve(cells.len());
    if cells.iter().all(|c| seen.insert(key(c))) {
        return;
    }
    // Sorted (key, index) pairs: repeats sit next to each other, the first copy first.
    let mut order: Vec<((&'static str, &'static str), usize)> =
        cells.iter().enumerate().map(|(i, c)| (key(c), i)).collect();
    order.sort_unstable();
    if order.windows(2).all(|w| w[0].0 != w[1].0) {
        return;
    }
    let mut keep = vec![true; cells.len()];
    let mut conflicts: Vec<(usize, Vec<Option<f64>>)> = Vec::new();
    for group in order.chunk_by(|a, b| a.0 == b.0) {
        let j = group[0].1;
        let first = value(&cells[j]);
        let mut values = vec![first];
        for &(_, i) in &group[1..] {
            keep[i] = false;
            values.push(value(&cells[i]));
        }
        if values.iter().any(|v| *v != first) {
            conflicts.push((j, values));
        }
    }
    for (j, values) in &conflicts {
        let (row, column) = key(&cells[*j]);
        let shown: Vec<String> = values
            .iter()
            .map(|v| v.map_or_else(|| "blank".to_string(), |v| v.to_string()))
            .collect();
        findings.push(
            Finding::new(
                Severity::Error,
                "cell_conflict",
                format!(
                    "the cell is printed {} times with different values ({}); left blank",
                    values.len(),
                    shown.join(", ")
                ),
            )
            .at(table, Some(row), Some(column)),
        );
        clear(&mut cells[*j]);
    }
    let mut i = 0;
    cells.retain(|_| {
        i += 1;
        keep[i - 1]
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_blank_row_does_not_take_the_numbers_of_the_next() {
        let tok = |t: Tok| Token::new(t, String::new(), 1);
        let num = |v: f64| {
            tok(Tok::Num(Number {
                value: v,
                unit: None,
                decimal: false,
            }))
        };
        let mut row: Vec<Token> = (0..7).map(|_| tok(Tok::Empty)).collect();
        // The blank row's seven cells, then the next row's, whose label was garbled.
        row.extend([num(18.0), tok(Tok::Empty), tok(Tok::Empty), tok(Tok::Empty)]);
        row.extend([num(2.0), tok(Tok::Empty), num(20.0)]);
        let cells: Vec<&Token> = row.iter().collect();
        assert!(matches!(place(&cells, 7), Placement::Uncertain(_)));
    }

    #[test]
    fn repeated_cells_fold_into_one_and_conflicts_become_blank() {
        let cell = |row, applicant, value| ApplicationCell {
            row,
            applicant,
            value,
            raw: String::new(),
            source_line: None,
        };
        let mut cells = vec![
            cell("new_received", "total", Some(3)),
            cell("carried_over", "total", Some(1)),
            cell("new_received", "total", Some(3)),
            cell("carried_over", "total", Some(2)),
        ];
        let mut findings = Vec::new();
        fold_repeats(
            &mut cells,
            Table::Applications,
            &mut findings,
            |c| (c.row, c.applicant),
            |c| c.value.map(|v| v as f64),
            |c| c.value = None,
        );
        assert_eq!(cells.len(), 2);
        assert_eq!(cells[0].value, Some(3));
        assert_eq!(cells[1].value, None);
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].check, "cell_conflict");
        assert!(findings[0].names_cell(Table::Applications, "carried_over", "total"));
    }
    use crate::normalise::normalise;
    use crate::segment::segment;

    fn sections(text: &str) -> crate::segment::Sections {
        segment(&normalise(text), !text.ends_with('\n'))
    }

    fn rev(r: &Review, proceeding: &str, outcome: &str) -> Option<i64> {
        r.cells
            .iter()
            .find(|c| c.proceeding == proceeding && c.outcome == outcome)
            .and_then(|c| c.value)
    }

    fn app(a: &Applications, row: &str, col: &str) -> Option<i64> {
        a.cells
            .iter()
            .find(|c| c.row == row && c.applicant == col)
            .and_then(|c| c.value)
    }

    fn checks(findings: &[Finding]) -> Vec<&'static str> {
        findings.iter().map(|f| f.check).collect()
    }

    const REVIEW_HEAD: &str = "四、政府信息公开行政复议、行政诉讼情况\n";

    #[test]
    fn outcome_columns_are_read_across_a_wrapped_header() {
        // pdftotext -layout wraps `结果维持` over two lines, 总计 first in each group.
        let header = "行政复议                          行政诉讼\n                              未经复议直接起诉                              复议后起诉\n";
        let total_first = "总计  结果  结果  其他  尚未  总计  结果  结果  其他  尚未  总计  结果  结果  其他  尚未\n      维持  纠正  结果  审结        维持  纠正  结果  审结        维持  纠正  结果  审结\n";
        let text = format!("{REVIEW_HEAD}{header}{total_first}1     0     0     0     1     0     0     0     0     0     0     0     0     0     0\n五、问题\n");
        let r = review(sections(&text).review.as_ref().unwrap());
        assert_eq!(rev(&r, "review", "total"), Some(1));
        assert_eq!(rev(&r, "review", "pending"), Some(1));
        assert_eq!(rev(&r, "review", "upheld"), Some(0));
        assert!(checks(&r.findings).contains(&"review_columns_reordered"));
        // The template's order, wrapped the same way: read as printed, nothing to say.
        let in_order = "结果  结果  其他  尚未  总计  结果  结果  其他  尚未  总计  结果  结果  其他  尚未  总计\n维持  纠正  结果  审结        维持  纠正  结果  审结        维持  纠正  结果  审结\n";
        let text = format!("{REVIEW_HEAD}{header}{in_order}0     1     0     2     3     0     6     0     0     6     1     0     3     5     9\n五、问题\n");
        let r = review(sections(&text).review.as_ref().unwrap());
        assert_eq!(rev(&r, "review", "corrected"), Some(1));
        assert_eq!(rev(&r, "litigation_after_review", "total"), Some(9));
        assert!(r.findings.is_empty(), "{:?}", r.findings);
    }

    #[test]
    fn header_words_one_per_line_give_the_order() {
        let one_per_line = |words: &str, values: &[u32]| {
            let mut text = String::from(REVIEW_HEAD);
            for w in words.split_whitespace() {
                text += &format!("{w}\n");
            }
            for v in values {
                text += &format!("{v}\n");
            }
            text += "五、问题\n";
            review(sections(&text).review.as_ref().unwrap())
        };
        let values = [1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 6, 1, 0, 5, 0];
        // 总计 first: the totals add up either way, only the header tells.
        let r = one_per_line(
            "行政复议 行政诉讼 总计 结果维持 结果纠正 其他结果 尚未审结 未经复议直接起诉 复议后起诉",
            &values,
        );
        assert_eq!(rev(&r, "review", "pending"), Some(1));
        assert_eq!(rev(&r, "review", "upheld"), Some(0));
        // 行政诉讼 printed before 行政复议: the first block is litigation's.
        let r = one_per_line(
            "行政诉讼 行政复议 总计 结果维持 结果纠正 其他结果 尚未审结 未经复议直接起诉 复议后起诉",
            &values,
        );
        assert_eq!(rev(&r, "litigation_direct", "total"), Some(1));
        assert_eq!(rev(&r, "review", "total"), Some(6));
        // In the template's order: no finding.
        let r = one_per_line(
            "行政复议 行政诉讼 结果维持 结果纠正 其他结果 尚未审结 总计 未经复议直接起诉 复议后起诉",
            &[0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 5, 6],
        );
        assert_eq!(rev(&r, "review", "corrected"), Some(1));
        assert!(r.findings.is_empty(), "{:?}", r.findings);
        // Some words unread, those read out of the template's order: the cells that
        // differ are left null, named.
        let r = one_per_line(
            "行政复议 行政诉讼 总计 结果?? 结果纠正 其他结果 尚未审结 未经复议直接起诉 复议后起诉",
            &[1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        );
        assert_eq!(rev(&r, "review", "pending"), None);
        assert!(r
            .findings
            .iter()
            .any(|f| f.check == "column_order_unconfirmed"
                && f.row == Some("review")
                && f.severity == Severity::Error));
        // A block whose cells are all alike reads the same in any order.
        assert_eq!(rev(&r, "litigation_direct", "total"), Some(0));
    }

    #[test]
    fn a_transposed_table_one_cell_per_line_is_read_by_its_labels() {
        let mut text = format!("{REVIEW_HEAD}行政复议\n行政诉讼\n未经复议直接起诉\n复议后起诉\n");
        for (label, v) in [
            ("结果维持", [0, 0, 1]),
            ("结果纠正", [1, 6, 0]),
            ("其他结果", [0, 0, 3]),
            ("尚未审结", [2, 0, 5]),
            ("总计", [3, 6, 9]),
        ] {
            text += &format!("{label}\n{}\n{}\n{}\n", v[0], v[1], v[2]);
        }
        text += "五、问题\n";
        let r = review(sections(&text).review.as_ref().unwrap());
        assert_eq!(rev(&r, "review", "pending"), Some(2));
        assert_eq!(rev(&r, "litigation_direct", "corrected"), Some(6));
        assert_eq!(rev(&r, "litigation_after_review", "total"), Some(9));
        // Labels between the numbers that do not make rows: flagged, never one run.
        let text = format!("{REVIEW_HEAD}行政复议\n0\n0\n0\n结果维持\n0\n0\n0\n0\n0\n0\n0\n0\n0\n1\n0\n1\n五、问题\n");
        let r = review(sections(&text).review.as_ref().unwrap());
        assert!(r.cells.iter().all(|c| c.value.is_none()));
        assert!(checks(&r.findings).contains(&"cell_order_uncertain"));
    }

    #[test]
    fn a_statistics_period_line_in_a_table_is_a_note() {
        let text = format!("{REVIEW_HEAD}行政复议\t行政诉讼\n统计时限：2021年1月1日至2021年12月31日\n单位：件\n0\t1\t0\t2\t3\t0\t6\t0\t0\t6\t1\t0\t3\t5\t9\n五、问题\n");
        let r = review(sections(&text).review.as_ref().unwrap());
        assert_eq!(rev(&r, "review", "total"), Some(3));
        assert_eq!(rev(&r, "litigation_after_review", "total"), Some(9));
    }

    #[test]
    fn rows_a_cut_text_does_not_hold_are_flagged_cut() {
        let cut = |f: &Finding, row: &str| f.check == "row_cut" && f.row == Some(row);
        // The text ends after 予以公开 (a page of an article split over pages).
        let text = "三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量\t3\t0\t0\t0\t0\t0\t3\n二、上年结转政府信息公开申请数量\t0\t0\t0\t0\t0\t0\t0\n三、本年度办理结果\t（一）予以公开\t2\t0\t0\t0\t0\t0\t2\n";
        let a = applications(sections(text).applications.as_ref().unwrap());
        assert_eq!(app(&a, "granted", "total"), Some(2));
        for row in [
            "partly_granted",
            "other_handling",
            "other_misc",
            "carried_forward",
        ] {
            assert!(
                a.findings.iter().any(|f| cut(f, row)),
                "{row}: {:?}",
                a.findings
            );
        }
        assert!(!a.findings.iter().any(|f| cut(f, "new_received")));
        // The next page's text: no heading, the table from 5.属于三类内部事务信息 on.
        let text = "5.属于三类内部事务信息\t0\t0\t0\t0\t0\t0\t0\n6.属于四类过程性信息\t0\t0\t0\t0\t0\t0\t0\n7.属于行政执法案卷\t0\t0\t0\t0\t0\t0\t0\n8.属于行政查询事项\t0\t0\t0\t0\t0\t0\t0\n（四）无法提供\t1.本机关不掌握相关政府信息\t1\t0\t0\t0\t0\t0\t1\n四、结转下年度继续办理\t0\t0\t0\t0\t0\t0\t0\n";
        let a = applications(sections(text).applications.as_ref().unwrap());
        assert_eq!(app(&a, "unavailable_not_held", "total"), Some(1));
        for row in ["new_received", "granted", "withheld_state_secret"] {
            assert!(
                a.findings.iter().any(|f| cut(f, row)),
                "{row}: {:?}",
                a.findings
            );
        }
        assert!(!a.findings.iter().any(|f| cut(f, "carried_forward")));
    }

    #[test]
    fn organisation_columns_are_read_across_lines() {
        let rows = "一、本年新收政府信息公开申请数量\t320\t2\t0\t1\t0\t0\t323\n二、上年结转政府信息公开申请数量\t3\t0\t0\t0\t0\t0\t3\n五、问题\n";
        // One name a line, 科研机构 first.
        let text = format!("三、收到和处理政府信息公开申请情况\n申请人情况\n自 然 人\n法人或其他组织\n总 计\n科研机构\n商业企业\n社会公益组织\n法律服务机构\n其他\n{rows}");
        let a = applications(sections(&text).applications.as_ref().unwrap());
        assert_eq!(app(&a, "new_received", "research_institution"), Some(2));
        assert_eq!(app(&a, "new_received", "commercial_enterprise"), Some(0));
        assert!(checks(&a.findings).contains(&"applicant_columns_reordered"));
        // Wrapped after three characters (`法律服` / `务机构`), 法律服务 before 社会公益.
        let header = "                               自然人                                              总计\n                                        商业企     科研机     法律服     社会公\n                                                                                    其他\n                                        业         构         务机构     益组织\n";
        let layout = |header: &str| {
            format!("三、收到和处理政府信息公开申请情况\n{header}一、本年新收政府信息公开申请数量                320      2        0        1        0        0        323\n五、问题\n")
        };
        let a = applications(sections(&layout(header)).applications.as_ref().unwrap());
        assert_eq!(app(&a, "new_received", "legal_service_org"), Some(1));
        assert_eq!(app(&a, "new_received", "social_welfare_org"), Some(0));
        // The template's order wrapped the same way: no finding.
        let a = applications(
            sections(&layout(
                &header
                    .replace("法律服     社会公", "社会公     法律服")
                    .replace("务机构     益组织", "益组织     务机构"),
            ))
            .applications
            .as_ref()
            .unwrap(),
        );
        assert_eq!(app(&a, "new_received", "social_welfare_org"), Some(1));
        assert_eq!(app(&a, "new_received", "legal_service_org"), Some(0));
        assert!(!checks(&a.findings).contains(&"applicant_columns_reordered"));
        assert!(!checks(&a.findings).contains(&"column_order_unconfirmed"));
    }

    fn pro(p: &Proactive, item: &str, measure: &str) -> Option<f64> {
        p.cells
            .iter()
            .find(|c| c.item == item && c.measure == measure)
            .and_then(|c| c.value)
    }

    #[test]
    fn measure_columns_are_read_across_a_wrapped_header() {
        let two = |header: &str, fallback| {
            let text = format!("二、主动公开政府信息情况\n第二十条第（一）项\n{header}规章                          0               0               2\n三、收到和处理政府信息公开申请情况\n");
            proactive(sections(&text).proactive.as_ref().unwrap(), Some(fallback))
        };
        // Wrapped after three characters, 现行有效件数 first.
        let p = two("信息内容                      现行有          本年制          本年废\n                              效件数          发件数          止件数\n", Template::T2021);
        assert_eq!(pro(&p, "regulations", "in_force"), Some(0.0));
        assert_eq!(pro(&p, "regulations", "repealed"), Some(2.0));
        assert!(checks(&p.findings).contains(&"measure_columns_reordered"));
        // In the template's order: no finding.
        let p = two("信息内容                      本年制          本年废          现行有\n                              发件数          止件数          效件数\n", Template::T2021);
        assert_eq!(pro(&p, "regulations", "in_force"), Some(2.0));
        assert!(!checks(&p.findings).contains(&"measure_columns_reordered"));
        // 2019: `本年新` starts two headers, and 对外公开总数量 stands first: no order
        // the header allows is the template's, and the cells differ.
        let p = two("信息内容                      对外公          本年新          本年新\n                              开总数量        制作数量        公开数量\n", Template::T2019);
        assert_eq!(pro(&p, "regulations", "total_published"), None);
        assert!(checks(&p.findings).contains(&"column_order_unconfirmed"));
        // … and in the template's order it is read.
        let p = two("信息内容                      本年新          本年新          对外公\n                              制作数量        公开数量        开总数量\n", Template::T2019);
        assert_eq!(pro(&p, "regulations", "total_published"), Some(2.0));
        assert!(!checks(&p.findings).contains(&"column_order_unconfirmed"));
    }

    #[test]
    fn a_2021_header_wrapped_keeps_its_template_beside_the_procurement_clause() {
        let procurement = "第二十条第（九）项\n信息内容                      采购项目数量    采购总金额\n政府集中采购                  3               120000元\n";
        let text = format!("二、主动公开政府信息情况\n第二十条第（一）项\n信息内容                      本年制发        本年废止        现行有效\n                              件数            件数            件数\n规章                          0               2               0\n{procurement}三、收到和处理政府信息公开申请情况\n");
        let p = proactive(
            sections(&text).proactive.as_ref().unwrap(),
            Some(Template::T2021),
        );
        assert_eq!(pro(&p, "regulations", "repealed"), Some(2.0));
        assert_eq!(pro(&p, "regulations", "published"), None);
        // No header of either template but the procurement clause's, in a 2021 report:
        // the conflict is named, no item read under the 2019 measures.
        let text = format!("二、主动公开政府信息情况\n第二十条第（一）项\n规章                          0               2               0\n{procurement}三、收到和处理政府信息公开申请情况\n");
        let p = proactive(
            sections(&text).proactive.as_ref().unwrap(),
            Some(Template::T2021),
        );
        assert!(p.cells.is_empty());
        assert!(checks(&p.findings).contains(&"template_unknown"));
        // A 2019 report with the same table reads it as 2019.
        let p = proactive(
            sections(&text).proactive.as_ref().unwrap(),
            Some(Template::T2019),
        );
        assert_eq!(pro(&p, "regulations", "published"), Some(2.0));
    }

    #[test]
    fn eight_equal_numbers_for_seven_columns_are_certain() {
        let text = "三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量\t\t2\t0\t0\t0\t0\t0\t2\t\n\t(六) 其他处理\t0\t0\t0\t0\t0\t0\t0\t0\n五、问题\n";
        let s = sections(text);
        let a = applications(s.applications.as_ref().unwrap());
        assert_eq!(app(&a, "new_received", "natural_person"), Some(2));
        assert_eq!(app(&a, "new_received", "total"), Some(2));
        assert_eq!(app(&a, "other_handling", "total"), Some(0));
        assert!(a
            .findings
            .iter()
            .any(|f| f.check == "row_cell_count" && f.severity == Severity::Info));
    }

    #[test]
    fn six_numbers_for_seven_columns_stay_null_with_a_finding() {
        let text =
            "三、收到和处理政府信息公开申请情况\n三、\t(一) 予以公开\t0\t0\t1\t0\t0\t1\n五、问题\n";
        let s = sections(text);
        let a = applications(s.applications.as_ref().unwrap());
        assert_eq!(app(&a, "granted", "natural_person"), None);
        assert!(a.findings.iter().any(|f| f.check == "row_cell_count"
            && f.row == Some("granted")
            && f.severity == Severity::Error));
    }

    #[test]
    fn a_label_with_a_lost_character_is_not_a_cell_of_the_row_above() {
        // The row above prints blank cells; the next label lost characters in decoding.
        // Taken for a cell, it would be the row's seventh and push 2 into other columns.
        let text = "三、收到和处理政府信息公开申请情况\n\t(四) 无法提供\t1.本机关不掌握相关政府信息\t\t2\t\t\t\t\t2\n\t\t2.没有现成\u{FFFD}劮驈\n\t\t3.补正后申请内容仍不明确\t\t\t\t\t\t\t\n五、问题\n";
        let s = sections(text);
        let a = applications(s.applications.as_ref().unwrap());
        assert_eq!(app(&a, "unavailable_not_held", "natural_person"), None);
        assert_eq!(
            app(&a, "unavailable_not_held", "commercial_enterprise"),
            Some(2)
        );
        assert_eq!(app(&a, "unavailable_not_held", "other_org"), None);
        assert_eq!(app(&a, "unavailable_not_held", "total"), Some(2));
    }

    #[test]
    fn blank_rows_are_null_and_leading_blanks_placed() {
        let text = "三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量 |\n|\n|\n|\n|\n|\n|\n5 |\n||\n二、上年结转政府信息公开申请数量\t\t\t\t\n五、问题\n";
        let s = sections(text);
        let a = applications(s.applications.as_ref().unwrap());
        assert_eq!(app(&a, "new_received", "natural_person"), None);
        assert_eq!(app(&a, "new_received", "total"), Some(5));
        assert!(a
            .cells
            .iter()
            .any(|c| c.row == "carried_over" && c.value.is_none()));
    }

    #[test]
    fn truncated_row_is_left_out() {
        let text = "三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量 | 3 | 0 |";
        let s = sections(text);
        let a = applications(s.applications.as_ref().unwrap());
        assert!(a.cells.is_empty());
        assert!(a.findings.iter().any(|f| f.check == "truncated"));
    }

    #[test]
    fn procurement_units() {
        let text = "二、主动公开政府信息情况\n信息内容\t上一年项目数量\t本年增/减\t处理决定数量\n行政许可\t1\t+2\t3\n信息内容\t采购项目数量\t采购总金额\n政府集中采购\t15\t40.1396 万元\n三、收到和处理政府信息公开申请情况\n";
        let s = sections(text);
        let p = proactive(s.proactive.as_ref().unwrap(), None);
        assert_eq!(p.template, Some(Template::T2019));
        let pr = p.procurement.unwrap();
        assert_eq!(pr.items, Some(15));
        assert_eq!(pr.amount_yuan, Some(401396.0));
        assert!(p.cells.iter().any(|c| c.item == "administrative_licensing"
            && c.measure == "change"
            && c.value == Some(2.0)));
    }

    #[test]
    fn group_label_merged_with_its_first_sub_row() {
        let text = "三、收到和处理政府信息公开申请情况\n(六)其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请\t1\t0\t0\t0\t0\t0\t1\n2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请\t0\t0\t0\t0\t0\t0\t0\n五、问题\n";
        let s = sections(text);
        let a = applications(s.applications.as_ref().unwrap());
        assert_eq!(app(&a, "other_overdue_correction", "total"), Some(1));
        assert!(a.cells.iter().all(|c| c.row != "other_handling"));
        assert_eq!(a.other_split, Some(true));
    }

    #[test]
    fn disposal_rows_under_labels_shortened_to_their_gist() {
        let text = "三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量\t9\t0\t0\t0\t0\t0\t9\n二、上年结转政府信息公开申请数量\t0\t0\t0\t0\t0\t0\t0\n三、本年度办理结果\t（一）予以公开\t0\t0\t0\t0\t0\t0\t0\n（二）部分公开（区分处理的，只计这一情形，不计其他情形）\t0\t0\t0\t0\t0\t0\t0\n（三）不予公开\t1.国家秘密\t1\t0\t0\t0\t0\t0\t1\n\t2.法律法规禁止公开\t2\t0\t0\t0\t0\t0\t2\n\t危及国家安全、公共安全、经济安全和社会稳定\t3\t0\t0\t0\t0\t0\t3\n4.保护第三方合法权益\t0\t0\t0\t0\t0\t0\t0\n5.属于三类内部事务信息\t0\t0\t0\t0\t0\t0\t0\n6.属于四类过程性信息\t0\t0\t0\t0\t0\t0\t0\n7.属于行政执法案卷\t0\t0\t0\t0\t0\t0\t0\n8.属于行政查询事项\t0\t0\t0\t0\t0\t0\t0\n（四）无法提供\t1.不掌握相关政府信息\t4\t0\t0\t0\t0\t0\t4\n\t2.需要另行制作\t5\t0\t0\t0\t0\t0\t5\n3.补正后申请内容仍不明确\t0\t0\t0\t0\t0\t0\t0\n（五）不予处理\t1.信访举报投诉类\t6\t0\t0\t0\t0\t0\t6\n2.重复申请\t0\t0\t0\t0\t0\t0\t0\n\t3.公开出版物\t7\t0\t0\t0\t0\t0\t7\n五、问题\n";
        let s = sections(text);
        let r = applications(s.applications.as_ref().unwrap());
        for (row, v) in [
            ("withheld_state_secret", 1),
            ("withheld_prohibited_by_law", 2),
            ("withheld_endangers_security", 3),
            ("unavailable_not_held", 4),
            ("unavailable_needs_creation", 5),
            ("declined_petition", 6),
            ("declined_publication", 7),
        ] {
            assert_eq!(app(&r, row, "total"), Some(v), "{row}");
        }
        // Words of two rows, a row other than the one due next, a breakdown: no row.
        let at = |code: &str| {
            APPLICATION_ROWS
                .iter()
                .position(|r| r.code == code)
                .unwrap()
        };
        let secret = at("withheld_state_secret");
        assert_eq!(applications::by_keyword("国家秘密", secret), Some(secret));
        assert_eq!(applications::by_keyword("国家秘密或内部事务", secret), None);
        assert_eq!(
            applications::by_keyword("国家秘密", at("declined_petition")),
            None
        );
        assert_eq!(
            applications::by_keyword("涉及信访事项", at("partly_granted")),
            None
        );
        assert_eq!(
            applications::by_keyword("其中重复申请", at("declined_duplicate")),
            None
        );
        assert_eq!(
            applications::by_keyword("逾期未缴费", at("other_handling")),
            None,
            "the first sub-row is due, not the second"
        );
        assert_eq!(
            applications::by_keyword("逾期不补正", at("other_handling")),
            Some(at("other_overdue_correction"))
        );
    }

    #[test]
    fn other_handlings_sub_rows_under_abbreviated_labels() {
        let table = |a: &str, b: &str, c: &str| {
            format!("三、收到和处理政府信息公开申请情况\n\t（五）不予处理\t5.要求行政机关确认或重新出具已获取信息\t0\t0\t0\t0\t0\t0\t0\n\t（六）其他处理\t{a}\t1\t0\t0\t0\t0\t0\t1\n\t\t{b}\t2\t0\t0\t0\t0\t0\t2\n\t\t{c}\t3\t0\t0\t0\t0\t0\t3\n\t（七）总计\t6\t0\t0\t0\t0\t0\t6\n五、问题\n")
        };
        for (a, b, c) in [
            ("1.逾期不补正", "2.逾期未缴费", "3.其他"),
            (
                "1.无正当理由逾期不补正",
                "2.逾期未按收费通知缴费",
                "3.其他情形",
            ),
            ("1.申请人逾期不补正", "2.申请人逾期未缴纳费用", "3.其他"),
        ] {
            let s = sections(&table(a, b, c));
            let r = applications(s.applications.as_ref().unwrap());
            assert_eq!(app(&r, "other_overdue_correction", "total"), Some(1), "{a}");
            assert_eq!(app(&r, "other_unpaid_fee", "total"), Some(2), "{b}");
            assert_eq!(app(&r, "other_misc", "total"), Some(3), "{c}");
            assert!(r.cells.iter().all(|c| c.row != "other_handling"));
        }
        // Sub-rows whose labels cannot be read: the first one's numbers are not the 2019
        // single row's, and every sub-row is named by an error.
        let s = sections(&table("1.甲乙丙丁", "2.戊己庚辛", "3.壬癸"));
        let r = applications(s.applications.as_ref().unwrap());
        assert!(r
            .cells
            .iter()
            .all(|c| c.row != "other_handling" || c.value.is_none()));
        for sub in ["other_overdue_correction", "other_unpaid_fee", "other_misc"] {
            assert!(app(&r, sub, "total").is_none());
            assert!(r
                .findings
                .iter()
                .any(|f| f.row == Some(sub) && f.severity == Severity::Error));
        }
        assert_eq!(r.other_split, Some(true));
    }

    #[test]
    fn a_number_cut_by_the_end_of_the_text_is_not_read() {
        let text = "二、主动公开政府信息情况\n信息内容 | 本年处理决定数量 |\n行政许可 | 18";
        let s = sections(text);
        let p = proactive(s.proactive.as_ref().unwrap(), None);
        assert_eq!(p.template, Some(Template::T2021));
        assert!(p
            .cells
            .iter()
            .filter(|c| c.item == "administrative_licensing")
            .all(|c| c.value.is_none()));
        assert!(p.findings.iter().any(|f| f.check == "truncated"));
    }

    #[test]
    fn a_row_the_text_ends_inside_places_none_of_its_numbers() {
        // Printed with one number too many (8 for 7 columns), cut before the last: the
        // seven left look like a whole row, and placed they would shift.
        let text = "三、收到和处理政府信息公开申请情况\n申请人情况\t自然人\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t总计\n一、本年新收政府信息公开申请数量\t2\t0\t0\t0\t0\t0\t2\n（二）部分公开\t2\t0\t2\t0\t0\t0\t0";
        let s = sections(text);
        let a = applications(s.applications.as_ref().unwrap());
        assert_eq!(app(&a, "new_received", "total"), Some(2));
        assert!(a
            .cells
            .iter()
            .filter(|c| c.row == "partly_granted")
            .all(|c| c.value.is_none()));
        assert!(a.findings.iter().any(|f| f.check == "truncated"
            && f.row == Some("partly_granted")
            && f.column.is_none()));
    }

    #[test]
    fn orphan_blocks_fill_the_rows_between_labels_only_when_counts_match() {
        let mut text =
            String::from("三、收到和处理政府信息公开申请情况\n二、上年结转政府信息公开申请数量\n");
        for v in 0..21 {
            text.push_str(&format!("{}\n", v));
        }
        text.push_str("1.属于国家秘密\n");
        for _ in 0..7 {
            text.push_str("0\n");
        }
        text.push_str("五、问题\n");
        let s = sections(&text);
        let a = applications(s.applications.as_ref().unwrap());
        assert_eq!(app(&a, "carried_over", "natural_person"), Some(0));
        assert_eq!(app(&a, "granted", "natural_person"), Some(7));
        assert_eq!(app(&a, "partly_granted", "total"), Some(20));
        assert!(a
            .findings
            .iter()
            .any(|f| f.check == "row_placed_by_order" && f.row == Some("granted")));
    }

    #[test]
    fn review_numbers_one_per_line_that_do_not_add_up_are_not_trusted() {
        let mut text = String::from("四、政府信息公开行政复议、行政诉讼情况\n行政复议\n结果维持\n");
        for v in [72, 64, 178, 37, 12, 1, 1, 6, 351, 13, 4, 8, 1, 26, 20] {
            text.push_str(&format!("{v}\n"));
        }
        text.push_str("五、问题\n");
        let s = sections(&text);
        let r = review(s.review.as_ref().unwrap());
        assert!(r.cells.iter().all(|c| c.value.is_none()));
        assert!(r.findings.iter().any(|f| f.check == "cell_order_uncertain"));
        // The same numbers on one line are printed in column order: kept as printed.
        let line: Vec<String> = [10, 1, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0]
            .iter()
            .map(|v| v.to_string())
            .collect();
        let text = format!(
            "四、政府信息公开行政复议、行政诉讼情况\n结果维持\t结果纠正\n{}\n五、问题\n",
            line.join("\t")
        );
        let s = sections(&text);
        let r = review(s.review.as_ref().unwrap());
        assert_eq!(
            r.cells
                .iter()
                .find(|c| c.proceeding == "review" && c.outcome == "upheld")
                .unwrap()
                .value,
            Some(10)
        );
    }

    #[test]
    fn review_blank_cells_before_the_first_number_are_its_first_columns() {
        // A grid row whose first seven columns are printed blank (HTML, DOCX).
        let text = "四、政府信息公开行政复议、行政诉讼情况\n行政复议\t\t\t\t\t行政诉讼\n结果维持\t结果纠正\t其他结果\t尚未审结\t总计\n\t\t\t\t\t\t\t3\t\t3\t\t\t3\t6\t9\n五、问题\n";
        let s = sections(text);
        let r = review(s.review.as_ref().unwrap());
        let value = |p: &str, o: &str| rev(&r, p, o);
        assert_eq!(value("review", "upheld"), None);
        assert_eq!(value("litigation_direct", "upheld"), None);
        assert_eq!(value("litigation_direct", "other"), Some(3));
        assert_eq!(value("litigation_direct", "total"), Some(3));
        assert_eq!(value("litigation_after_review", "pending"), Some(6));
        assert_eq!(value("litigation_after_review", "total"), Some(9));
        assert!(
            r.findings.iter().all(|f| f.severity != Severity::Error),
            "{:?}",
            r.findings
        );

        // One cell per line, each after a tab, blanks as a lone tab: nothing to keep.
        let printed = [
            "2", "", "", "", "2", "2", "", "", "2", "4", "1", "", "", "4", "5",
        ];
        let mut text = String::from("四、政府信息公开行政复议、行政诉讼情况\n\t结果维持\n\t总计\n");
        for p in printed {
            text += &format!("\t{p}\n");
        }
        text += "五、问题\n";
        let s = sections(&text);
        let r = review(s.review.as_ref().unwrap());
        for (c, p) in r.cells.iter().zip(printed) {
            let printed_as = c.value.map(|v| v.to_string());
            assert!(
                c.value.is_none() || printed_as.as_deref() == Some(p),
                "{c:?}"
            );
        }
    }

    #[test]
    fn section_two_printed_column_by_column_names_the_items_without_numbers() {
        let text = "二、主动公开政府信息情况\n第二十条第（一）项\n信息内容\n规章\n行政规范性文件\n本年制发件数\n16\n40\n本年废止件数\n20\n21\n现行有效件数\n16\n0\n三、收到和处理政府信息公开申请情况\n";
        let s = sections(text);
        let p = proactive(s.proactive.as_ref().unwrap(), Some(Template::T2021));
        assert!(p.cells.iter().all(|c| c.value.is_none()));
        for item in ["regulations", "normative_documents"] {
            assert!(
                p.findings
                    .iter()
                    .any(|f| f.row == Some(item) && f.severity == Severity::Error),
                "{item}: {:?}",
                p.findings
            );
        }
    }

    #[test]
    fn blank_cells_of_space_aligned_rows_are_placed_by_the_columns_around_them() {
        // pdftotext -layout: blank cells are spaces; the rows above and below show where
        // each column stands.
        let row = |label: &str, cells: [&str; 7]| {
            let mut line = label.to_string();
            let mut col = label.chars().count();
            for (k, c) in cells.iter().enumerate() {
                let at = 32 + 7 * k;
                line += &" ".repeat(at.saturating_sub(col).max(2));
                col = line.chars().count();
                line += c;
                col += c.chars().count();
            }
            line.trim_end().to_string() + "\n"
        };
        let first_row = row(
            "一、本年新收政府信息公开申请数量",
            ["12", "0", "1", "0", "0", "0", "13"],
        );
        let carried_row = row(
            "二、上年结转政府信息公开申请数量",
            ["2", "", "", "", "1", "", "3"],
        );
        let mut text = String::from("三、收到和处理政府信息公开申请情况\n");
        text += &first_row;
        text += &carried_row;
        text += &row(
            "四、结转下年度继续办理",
            ["1", "0", "0", "0", "0", "0", "1"],
        );
        text += "五、问题\n";
        let a = pdf_applications(&text);
        assert_eq!(app(&a, "carried_over", "natural_person"), Some(2));
        assert_eq!(app(&a, "carried_over", "commercial_enterprise"), None);
        assert_eq!(app(&a, "carried_over", "legal_service_org"), Some(1));
        assert_eq!(app(&a, "carried_over", "total"), Some(3));
        assert!(
            a.findings.iter().all(|f| f.severity != Severity::Error),
            "{:?}",
            a.findings
        );

        // Without a complete row, the header's words place it.
        let header = |words: [&str; 7]| {
            let mut line = " ".repeat(32);
            for w in words {
                line += w;
                line += &" ".repeat(7 - w.chars().count());
            }
            line.trim_end().to_string() + "\n"
        };
        let mut text = String::from("三、收到和处理政府信息公开申请情况\n");
        text += &header(["自然", "商业", "科研", "社会", "法律", "其他", "总计"]);
        text += &header(["人", "企业", "机构", "公益", "服务", "", ""]);
        text += &carried_row;
        text += "五、问题\n";
        let a = pdf_applications(&text);
        assert_eq!(
            app(&a, "carried_over", "legal_service_org"),
            Some(1),
            "{text}"
        );
        assert_eq!(app(&a, "carried_over", "total"), Some(3));

        // Without a complete row on the page to compare, the row is not placed.
        let mut text = String::from("三、收到和处理政府信息公开申请情况\n");
        text += &carried_row;
        text += "五、问题\n";
        let a = pdf_applications(&text);
        assert_eq!(app(&a, "carried_over", "total"), None);
        assert!(a
            .findings
            .iter()
            .any(|f| f.check == "row_cell_count" && f.severity == Severity::Error));

        // A number standing between two columns is not placed.
        let mut text = String::from("三、收到和处理政府信息公开申请情况\n");
        text += &first_row;
        text += &carried_row.replacen("1 ", "    1", 1);
        text += "五、问题\n";
        let a = pdf_applications(&text);
        assert_eq!(app(&a, "carried_over", "total"), None, "{text}");
    }

    /// Section 三 of `text` as read from a PDF (`pdftotext -layout`).
    fn pdf_applications(text: &str) -> Applications {
        let mut s = sections(text);
        let section = s.applications.as_mut().unwrap();
        section.aligned_by_characters = true;
        applications(section)
    }

    #[test]
    fn review_tables_in_other_shapes_are_read_by_their_labels() {
        // (proceeding, outcome, value) the text must give.
        type Expected = &'static [(&'static str, &'static str, Option<i64>)];
        let cases: [(&str, Expected); 3] = [
            // 总计 first in each group.
            (
                "四、政府信息公开行政复议、行政诉讼情况\n行政复议\t\t\t\t\t行政诉讼\n总计\t结果维持\t结果纠正\t其他结果\t尚未审结\t未经复议直接起诉\t\t\t\t\t复议后起诉\n2\t0\t0\t0\t2\t1\t1\t0\t0\t0\t0\t0\t0\t0\t0\n五、问题\n",
                &[
                    ("review", "total", Some(2)),
                    ("review", "pending", Some(2)),
                    ("review", "upheld", Some(0)),
                    ("litigation_direct", "total", Some(1)),
                    ("litigation_direct", "upheld", Some(1)),
                ],
            ),
            // Transposed: an outcome per row, a proceeding per column.
            (
                "四、政府信息公开行政复议、行政诉讼情况\n类别\t行政复议\t行政诉讼\t\n\t\t未经复议直接起诉\t复议后起诉\n结果维持\t0\t1\t0\n结果纠正\t0\t0\t0\n其他结果\t0\t0\t0\n尚未审结\t2\t0\t0\n总计\t2\t1\t0\n五、问题\n",
                &[
                    ("litigation_direct", "upheld", Some(1)),
                    ("litigation_direct", "total", Some(1)),
                    ("review", "pending", Some(2)),
                    ("litigation_after_review", "total", Some(0)),
                ],
            ),
            // A row per proceeding, blank cells placed under their header words.
            (
                "四、政府信息公开行政复议、行政诉讼情况\n类别\t\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计\n行政复议\t\t\t5\t2\t\t7\n行政诉讼\t未经复议直接起诉\t\t0\t0\t0\t0\n\t复议后起诉\t1\t0\t0\t0\t1\n五、问题\n",
                &[
                    ("review", "upheld", None),
                    ("review", "corrected", Some(5)),
                    ("review", "other", Some(2)),
                    ("review", "total", Some(7)),
                    ("litigation_after_review", "upheld", Some(1)),
                    ("litigation_direct", "upheld", None),
                    ("litigation_direct", "total", Some(0)),
                ],
            ),
        ];
        for (text, expected) in cases {
            let r = review(sections(text).review.as_ref().unwrap());
            for (p, o, v) in expected {
                assert_eq!(rev(&r, p, o), *v, "{p}.{o} in\n{text}");
            }
        }
    }

    fn fee(p: &Proactive) -> Option<f64> {
        p.cells
            .iter()
            .find(|c| c.item == "administrative_fees" && c.measure == "amount_10k_yuan")
            .and_then(|c| c.value)
    }

    #[test]
    fn a_page_number_under_a_row_printed_blank_is_not_its_cell() {
        // The row's own line prints its cells, blank; `3` is the page's number.
        let text = "二、主动公开政府信息情况\n信息内容\t本年收费金额（单位：万元）\t\t\n行政事业性收费\t\t\t\n3\n三、收到和处理政府信息公开申请情况\n";
        let s = sections(text);
        let p = proactive(s.proactive.as_ref().unwrap(), Some(Template::T2021));
        assert_eq!(fee(&p), None);
        assert!(p.findings.iter().any(|f| f.check == "cells_after_row"
            && f.row == Some("administrative_fees")
            && f.source_line == Some(4)));
        // Printed on the next line, the number is the row's (one cell per line).
        let text = "二、主动公开政府信息情况\n信息内容\n本年收费金额（单位：万元）\n行政事业性收费\n3\n三、收到和处理政府信息公开申请情况\n";
        let s = sections(text);
        let p = proactive(s.proactive.as_ref().unwrap(), Some(Template::T2021));
        assert_eq!(fee(&p), Some(3.0));
        assert!(p.findings.iter().all(|f| f.check != "cells_after_row"));
    }

    #[test]
    fn a_fee_amount_in_yuan_is_written_in_10k_yuan() {
        for (header, cell) in [
            ("本年收费金额（单位：元）", "961716000"),
            ("本年收费金额", "961716000元"),
        ] {
            let text = format!("二、主动公开政府信息情况\n信息内容\t{header}\n行政事业性收费\t{cell}\n三、收到和处理政府信息公开申请情况\n");
            let s = sections(&text);
            let p = proactive(s.proactive.as_ref().unwrap(), Some(Template::T2021));
            assert_eq!(fee(&p), Some(96171.6), "{header} {cell}");
            assert!(p
                .findings
                .iter()
                .any(|f| f.check == "amount_unit_converted"));
        }
        // In 万元, or with no unit printed: as printed.
        let text = "二、主动公开政府信息情况\n信息内容\t本年收费金额（单位：万元）\n行政事业性收费\t96.5\n信息内容\t采购项目数量\t采购总金额（元）\n三、收到和处理政府信息公开申请情况\n";
        let s = sections(text);
        let p = proactive(s.proactive.as_ref().unwrap(), Some(Template::T2021));
        assert_eq!(fee(&p), Some(96.5));
    }

    #[test]
    fn a_header_printed_again_after_a_page_break_names_no_row() {
        // The label on one page, the header again, then its numbers: `总计` and `其他` of
        // the header are not the (七)总计 and 3.其他 rows.
        let header = "申请人情况\n自然人    法人或其他组织    总计\n商业企  科研机  社会公益  法律服务\n其他\n业  构  组织  机构\n";
        let text = format!("三、收到和处理政府信息公开申请情况\n{header}三、本年度办理结果  （一）予以公开  5  0  0  0  0  0  5\n（五）不予处理  1.信访举报投诉类申请\n- 4 -\n{header}56  6  0  0  0  0  62\n2.重复申请  1  0  0  0  0  0  1\n（七）总计  62  6  0  0  0  0  68\n五、问题\n");
        let s = sections(&text);
        let a = applications(s.applications.as_ref().unwrap());
        assert_eq!(app(&a, "declined_petition", "natural_person"), Some(56));
        assert_eq!(app(&a, "declined_petition", "total"), Some(62));
        assert_eq!(app(&a, "declined_duplicate", "total"), Some(1));
        assert_eq!(app(&a, "total_processed", "total"), Some(68));
        // The first row after the header is the (七)总计 row: a row, not a header word.
        let text = format!("三、收到和处理政府信息公开申请情况\n{header}三、本年度办理结果  （一）予以公开  5  0  0  0  0  0  5\n（五）不予处理  1.信访举报投诉类申请  1  0  0  0  0  0  1\n- 4 -\n{header}（七）总计  6  0  0  0  0  0  6\n五、问题\n");
        let s = sections(&text);
        let a = applications(s.applications.as_ref().unwrap());
        assert_eq!(app(&a, "total_processed", "total"), Some(6));
    }

    #[test]
    fn organisation_columns_are_placed_by_their_printed_headers() {
        let text = "三、收到和处理政府信息公开申请情况\n申请人情况 | 自然人 | 科研机构 | 商业企业 | 社会公益组织 | 法律服务机构 | 其他 | 总计 |\n一、本年新收政府信息公开申请数量 | 3001 | 0 | 53 | 0 | 61 | 4 | 3119 |\n五、问题\n";
        let s = sections(text);
        let a = applications(s.applications.as_ref().unwrap());
        assert_eq!(app(&a, "new_received", "commercial_enterprise"), Some(53));
        assert_eq!(app(&a, "new_received", "research_institution"), Some(0));
        assert_eq!(app(&a, "new_received", "legal_service_org"), Some(61));
        assert!(a
            .findings
            .iter()
            .any(|f| f.check == "applicant_columns_reordered" && f.severity == Severity::Info));
        // Out of order, and one of them cannot be read: the organisations' cells are
        // left null; 自然人 and 总计 stand where they are.
        let text = "三、收到和处理政府信息公开申请情况\n申请人情况 | 自然人 | 科研机构 | 商业企业 | 社会?? | 法律服务机构 | 其他 | 总计 |\n一、本年新收政府信息公开申请数量 | 3001 | 0 | 53 | 0 | 61 | 4 | 3119 |\n五、问题\n";
        let s = sections(text);
        let a = applications(s.applications.as_ref().unwrap());
        assert_eq!(app(&a, "new_received", "commercial_enterprise"), None);
        assert_eq!(app(&a, "new_received", "total"), Some(3119));
        assert!(a
            .findings
            .iter()
            .any(|f| f.check == "column_order_unconfirmed"
                && f.row == Some("new_received")
                && f.severity == Severity::Error));
    }

    #[test]
    fn section_two_under_both_templates_reads_each_item_under_its_header() {
        let text = "二、主动公开政府信息情况\n第二十条第（一）项\n信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量\n规章\t0\t0\t2\n第二十条第（五）项\n信息内容\t本年处理决定数量\n行政许可\t447\n三、收到和处理政府信息公开申请情况\n";
        let s = sections(text);
        let p = proactive(s.proactive.as_ref().unwrap(), Some(Template::T2021));
        assert!(p.mixed);
        let value = |item: &str, measure: &str| {
            p.cells
                .iter()
                .find(|c| c.item == item && c.measure == measure)
                .and_then(|c| c.value)
        };
        assert_eq!(value("regulations", "total_published"), Some(2.0));
        assert_eq!(value("regulations", "in_force"), None);
        assert_eq!(value("administrative_licensing", "decisions"), Some(447.0));
        assert!(p.findings.iter().any(|f| f.check == "template_mixed"));
    }

    #[test]
    fn a_row_without_numbers_after_a_row_with_too_many_is_flagged() {
        // 3.其他's numbers printed on the line before its label.
        let text = "三、收到和处理政府信息公开申请情况\n（六）其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请  1  0  0  0  0  0  1\n2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请  6  0  0  0  0  0  6\n108  2  0  0  0  0  110\n3.其他\n（七）总计  115  2  0  0  0  0  117\n五、问题\n";
        let s = sections(text);
        let a = applications(s.applications.as_ref().unwrap());
        assert_eq!(app(&a, "other_misc", "total"), None);
        assert!(a.findings.iter().any(|f| matches!(
            f.check,
            "row_cell_count" | "row_order_uncertain"
        ) && f.row == Some("other_misc")
            && f.severity == Severity::Error));
        // The shift ends at the row with no number: 总计 is read.
        assert_eq!(app(&a, "total_processed", "total"), Some(117));
    }

    /// Asserts a `row_order_uncertain` finding names each of `rows`.
    fn order_uncertain(a: &Applications, rows: &[&str]) {
        for row in rows {
            assert!(
                a.findings
                    .iter()
                    .any(|f| f.check == "row_order_uncertain" && f.row == Some(*row)),
                "{row}: {:?}",
                a.findings
            );
        }
    }

    #[test]
    fn rows_printing_their_numbers_before_their_labels_are_not_read_shifted() {
        // pdftotext without -layout: the tall labels of 三(一) and 三(二) come after their
        // numbers, one cell per line.
        let mut text =
            String::from("三、收到和处理政府信息公开申请情况\n二、上年结转政府信息公开申请数量\n");
        let row = |v: u32| format!("{v}\n0\n0\n0\n0\n0\n{v}\n");
        text += &row(2);
        text += &row(12);
        text += "三、本年度办理结果\n（一）予以公开\n";
        text += &row(5);
        text += "（二）部分公开（区分处理的，只计这一情形，不计其他情形）\n（三）不予公开\n1.属于国家秘密\n";
        text += &row(1);
        text += "五、问题\n";
        let s = sections(&text);
        let a = applications(s.applications.as_ref().unwrap());
        assert_eq!(app(&a, "carried_over", "total"), None);
        assert_eq!(app(&a, "granted", "total"), None, "5 is 部分公开's");
        assert_eq!(app(&a, "partly_granted", "total"), None);
        order_uncertain(&a, &["granted", "partly_granted"]);
        assert_eq!(app(&a, "withheld_state_secret", "total"), Some(1));

        // Columns printed one after another, after all the labels.
        let mut text = String::from("三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量\n二、上年结转政府信息公开申请数量\n四、结转下年度继续办理\n");
        for v in 0..21 {
            text += &format!("{v}\n");
        }
        text += "五、问题\n";
        let s = sections(&text);
        let a = applications(s.applications.as_ref().unwrap());
        order_uncertain(&a, &["new_received", "carried_over"]);
    }

    #[test]
    fn a_group_label_joined_to_its_first_row_by_a_space() {
        let text = "三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量 3001 53 0 0 61 4 3119\n三、本年度办理结果 （一）予以公开 1288 21 0 0 50 3 1362\n（二）部分公开（区分处理的，只计这一情形，不计其他情形） 447 7 0 0 0 0 454\n五、问题\n";
        let s = sections(text);
        let a = applications(s.applications.as_ref().unwrap());
        assert_eq!(app(&a, "granted", "total"), Some(1362));
        assert_eq!(app(&a, "partly_granted", "natural_person"), Some(447));
    }

    #[test]
    fn section_four_column_numbers_are_not_values() {
        let numbers: Vec<String> = (1..=15).map(|n| n.to_string()).collect();
        let head = format!(
            "四、政府信息公开行政复议、行政诉讼情况\n行政复议\t行政诉讼\n栏次\t{}\n",
            numbers.join("\t")
        );
        // A blank form: nothing read.
        let s = sections(&format!("{head}五、问题\n"));
        let r = review(s.review.as_ref().unwrap());
        assert!(r.cells.iter().all(|c| c.value.is_none()));
        assert!(r.findings.iter().any(|f| f.check == "column_numbers"));
        // The values after the numbers are read.
        let s = sections(&format!(
            "{head}1\t0\t0\t0\t1\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\n五、问题\n"
        ));
        let r = review(s.review.as_ref().unwrap());
        let upheld = r
            .cells
            .iter()
            .find(|c| c.proceeding == "review" && c.outcome == "upheld");
        assert_eq!(upheld.and_then(|c| c.value), Some(1));
    }

    #[test]
    fn numbers_as_printed_are_read_or_flagged() {
        let read = |cell: &str| {
            let text = format!("二、主动公开政府信息情况\n信息内容\t本年处理决定数量\n行政许可\t{cell}\n信息内容\t采购项目数量\t采购总金额\n政府集中采购\t3\t401.396元\n三、收到和处理政府信息公开申请情况\n");
            let s = sections(&text);
            proactive(s.proactive.as_ref().unwrap(), Some(Template::T2021))
        };
        let licensing = |p: &Proactive| {
            p.cells
                .iter()
                .find(|c| c.item == "administrative_licensing")
                .and_then(|c| c.value)
        };
        // A unit spaced off its count, and a footnote mark after it.
        assert_eq!(licensing(&read("1587 件")), Some(1587.0));
        assert_eq!(licensing(&read("1587①")), Some(1587.0));
        // A superscript note mark (a Unicode superscript, or `<sup>`/a raised Word run,
        // which the readers write as one) is not a digit of the number.
        assert_eq!(licensing(&read("1587¹")), Some(1587.0));
        assert_eq!(licensing(&read("1587²³")), Some(1587.0));
        // A count is whole: `1.587` is flagged, not read as 1.587.
        let p = read("1.587");
        assert_eq!(licensing(&p), None);
        assert!(p
            .findings
            .iter()
            .any(|f| f.row == Some("administrative_licensing")));
        // Yuan with three decimals: flagged.
        assert_eq!(p.procurement.as_ref().and_then(|pr| pr.amount_yuan), None);
        assert!(p.findings.iter().any(|f| f.column == Some("amount_yuan")));
    }

    #[test]
    fn a_review_cell_with_a_spaced_unit_is_read() {
        let s = sections("四、政府信息公开行政复议、行政诉讼情况\n行政复议\t行政诉讼\n7\t4\t9\t9\t29 件\t5\t2\t5\t2\t14\t5\t5\t9\t4\t23\n五、问题\n");
        let r = review(s.review.as_ref().unwrap());
        let total = r
            .cells
            .iter()
            .find(|c| c.proceeding == "review" && c.outcome == "total");
        assert_eq!(total.and_then(|c| c.value), Some(29));
    }

    #[test]
    fn columns_headed_in_another_order_are_placed_by_their_headers() {
        // Section 二: 现行有效件数 first, for every item of the clause.
        let text = "二、主动公开政府信息情况\n第二十条第（一）项\n信息内容\t现行有效件数\t本年制发件数\t本年废止件数\n规章\t5\t1\t0\n行政规范性文件\t27\t3\t1\n三、收到和处理政府信息公开申请情况\n";
        let s = sections(text);
        let p = proactive(s.proactive.as_ref().unwrap(), Some(Template::T2021));
        let value = |item: &str, m: &str| {
            p.cells
                .iter()
                .find(|c| c.item == item && c.measure == m)
                .and_then(|c| c.value)
        };
        assert_eq!(value("normative_documents", "in_force"), Some(27.0));
        assert_eq!(value("normative_documents", "issued"), Some(3.0));
        assert_eq!(value("regulations", "in_force"), Some(5.0));
        // Section 四: litigation after review headed before direct litigation.
        let text = "四、政府信息公开行政复议、行政诉讼情况\n行政复议\t行政诉讼\n\t复议后起诉\t未经复议直接起诉\n1\t0\t0\t0\t1\t7\t0\t0\t0\t7\t2\t0\t0\t0\t2\n五、问题\n";
        let s = sections(text);
        let r = review(s.review.as_ref().unwrap());
        let total = |p: &str| {
            r.cells
                .iter()
                .find(|c| c.proceeding == p && c.outcome == "total")
                .and_then(|c| c.value)
        };
        assert_eq!(total("litigation_after_review"), Some(7));
        assert_eq!(total("litigation_direct"), Some(2));
        assert!(r
            .findings
            .iter()
            .any(|f| f.check == "review_columns_reordered"));
    }

    #[test]
    fn rows_printed_as_label_and_value_are_read() {
        let text = "二、主动公开政府信息情况\n第二十条第（五）项\n信息内容\t本年处理决定数量\n行政许可：227\n行政处罚:0\n三、收到和处理政府信息公开申请情况\n";
        let s = sections(text);
        let p = proactive(s.proactive.as_ref().unwrap(), Some(Template::T2021));
        let value = |item: &str| {
            p.cells
                .iter()
                .find(|c| c.item == item)
                .and_then(|c| c.value)
        };
        assert_eq!(value("administrative_licensing"), Some(227.0));
        assert_eq!(value("administrative_penalty"), Some(0.0));
        // The items of the template it does not print are named, as section 三's are.
        let missing: Vec<_> = p
            .findings
            .iter()
            .filter(|f| f.check == "row_missing")
            .filter_map(|f| f.row)
            .collect();
        assert_eq!(
            missing,
            [
                "regulations",
                "normative_documents",
                "administrative_coercion",
                "administrative_fees"
            ]
        );
    }

    #[test]
    fn a_row_whose_label_is_read_but_not_its_cells_is_named() {
        // 3.其他 run together with its numbers, after a row that took them: other_misc
        // is expected once any of the three sub-rows is printed.
        let text = "三、收到和处理政府信息公开申请情况\n（六）其他处理\t1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请\t0\t0\t0\t0\t0\t0\t0\n2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请\t0\t0\t0\t0\t0\t0\t0\n（七）总计\t1\t0\t0\t0\t0\t0\t1\n四、结转下年度继续办理\t0\t0\t0\t0\t0\t0\t0\n五、问题\n";
        let s = sections(text);
        let a = applications(s.applications.as_ref().unwrap());
        assert!(a
            .findings
            .iter()
            .any(|f| f.check == "row_missing" && f.row == Some("other_misc")));
    }

    #[test]
    fn a_header_word_wrapped_onto_its_own_line_names_no_row() {
        // `申请人` of `申请人情况`, the rest wrapped: not the row `申请人无正当理由…`.
        let text = "三、收到和处理政府信息公开申请情况\n（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t申请人\n情况\n自 然 人\t法人或其他组织\t总 计\n商 业 企 业\t科 研 机 构\t社会公益组织\t法律服务机构\t其 他\n一、本年新收政府信息公开申请数量\t240\t0\t0\t0\t0\t0\t240\n二、上年结转政府信息公开申请数量\t3\t0\t0\t0\t0\t0\t3\n五、问题\n";
        let s = sections(text);
        let a = applications(s.applications.as_ref().unwrap());
        assert_eq!(app(&a, "new_received", "total"), Some(240));
        assert_eq!(app(&a, "carried_over", "total"), Some(3));
    }

    #[test]
    fn a_page_that_starts_inside_section_three_reads_its_rows() {
        let text = "某市住房和城乡建设局\n（四）无法提供\t1.本机关不掌握相关政府信息\t0\t0\t0\t0\t0\t0\t0\n（五）不予处理\t1.信访举报投诉类申请\t0\t0\t0\t0\t0\t0\t0\n2.重复申请\t48\t0\t0\t0\t0\t0\t48\n（七）总计\t241\t0\t0\t0\t0\t0\t241\n四、结转下年度继续办理\t2\t0\t0\t0\t0\t0\t2\n四、政府信息公开行政复议、行政诉讼情况\n";
        let s = sections(text);
        let a = applications(s.applications.as_ref().unwrap());
        assert_eq!(app(&a, "declined_duplicate", "total"), Some(48));
        assert_eq!(app(&a, "total_processed", "total"), Some(241));
        assert_eq!(app(&a, "carried_forward", "total"), Some(2));
    }
}
