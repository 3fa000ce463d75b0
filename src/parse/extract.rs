//! Stage 5: section tokens → table cells with codes.
//!
//! Rows are found by their labels (see [`crate::templates`]), never by position alone.
//! The cells of a row are the tokens between its label and the next row's label. A row
//! that prints as many cells as the template has columns is placed directly; one that
//! prints none is blank (null, not zero). Anything else is placed only when the
//! placement is certain — every way of dropping the extra numbers gives the same values,
//! or blank cells make up the difference — and otherwise the cells stay null and a
//! finding names the row. Priority one is never to print a wrong number silently.

use crate::model::{
    ApplicationCell, Finding, ProactiveCell, Procurement, ReviewCell, Severity, Table, Template,
};
use crate::normalise::match_key;
use crate::segment::{Number, Section, Tok, Token};
use crate::templates::{
    measure_unit, ApplicationRow, ProactiveItem, APPLICANTS, APPLICATION_GROUP_LABELS,
    APPLICATION_ROWS, MEASURE_LABELS_2019, MEASURE_LABELS_2021, OUTCOMES, PROACTIVE_ITEMS,
    PROACTIVE_STRUCTURE_LABELS, PROCEEDINGS,
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
            Tok::Text(_) => {
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

/// The cells of section-三 row `row`, whose label is token `label`, up to `end`; and the
/// line where another row begins, when a line after the label's starts with text that does
/// not continue the label (a garbled or misspelt label of the next row) and then prints
/// numbers. Text continues the label when it extends the label's match with the row's
/// template label (`…只计这一情` + `形,不计其他情形)`).
fn application_cells<'a>(
    tokens: &'a [Token],
    label: usize,
    end: usize,
    row: &ApplicationRow,
) -> (Vec<&'a Token>, Option<u32>) {
    let label_line = tokens[label].line;
    let mut key = tokens[label].text().map(match_key).unwrap_or_default();
    let score = |k: &str| row.labels.iter().map(|l| lcp(k, l)).max().unwrap_or(0);
    for (i, t) in tokens.iter().enumerate().take(end).skip(label + 1) {
        let Some(text) = t.text() else { continue };
        if t.line == label_line {
            continue;
        }
        let numbers_follow = tokens[i + 1..end]
            .iter()
            .take_while(|n| n.line == t.line)
            .any(|n| n.is_filled());
        let first_on_line = tokens[i - 1].line != t.line;
        let extended = format!("{key}{}", match_key(text));
        if numbers_follow && first_on_line && score(&extended) <= score(&key) {
            return (row_cells(tokens, label + 1, i), Some(t.line));
        }
        // Text that continues the label lengthens it; other text between the label and
        // its numbers (a merged group label printed across the rows, `他处理`) is skipped.
        if !numbers_follow && score(&extended) > score(&key) {
            key = extended;
        }
    }
    (row_cells(tokens, label + 1, end), None)
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

/// Longest common prefix, in characters.
fn lcp(a: &str, b: &str) -> usize {
    a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count()
}

/// Matches a label key against the section-三 rows after `cursor`. Strong labels match
/// on a shared prefix long enough to be distinctive (wrapped, cut or misspelt labels);
/// weak ones (`其他`, `总计`) only exactly and only once the disposal rows have begun.
fn match_application_row(key: &str, cursor: Option<usize>) -> Option<usize> {
    let n = key.chars().count();
    if n < 2 {
        return None;
    }
    // A group label merged with its first sub-row (`不予公开 1.属于国家秘密`,
    // `其他处理 1.申请人…`) is matched by the sub-row's part.
    for g in APPLICATION_GROUP_LABELS
        .iter()
        .chain(std::iter::once(&"其他处理"))
    {
        if let Some(rest) = key.strip_prefix(g) {
            if rest.chars().count() >= 2 {
                return match_application_row(rest, cursor);
            }
            if *g != "其他处理" {
                return None;
            }
        }
    }
    let first = cursor.map_or(0, |c| c + 1);
    let disposal_started = cursor.is_some_and(|c| c >= row_index("declined_petition"));
    let mut best: Option<(usize, usize)> = None;
    for (i, row) in APPLICATION_ROWS.iter().enumerate().skip(first) {
        let score = row_score(row, key, n, disposal_started);
        if score > 0 && best.is_none_or(|(_, s)| score > s) {
            best = Some((i, score));
        }
    }
    best.map(|(i, _)| i)
}

fn row_score(row: &ApplicationRow, key: &str, n: usize, disposal_started: bool) -> usize {
    row.labels
        .iter()
        .map(|label| {
            let l = label.chars().count();
            if row.weak {
                return if key == *label && disposal_started {
                    l
                } else {
                    0
                };
            }
            let p = lcp(key, label);
            let whole = p == n || p == l;
            if p >= 6 || p >= 3 && whole {
                p
            } else {
                0
            }
        })
        .max()
        .unwrap_or(0)
}

fn row_index(code: &str) -> usize {
    APPLICATION_ROWS
        .iter()
        .position(|r| r.code == code)
        .unwrap_or(usize::MAX)
}

/// The result of reading section 三.
#[derive(Debug, Default)]
pub struct Applications {
    /// Cells placed (blank ones with `value: None`).
    pub cells: Vec<ApplicationCell>,
    /// Findings about rows that could not be placed, were cut, …
    pub findings: Vec<Finding>,
    /// Whether the one-row 其他处理 (2019) or the three sub-rows (2021) were printed.
    pub other_split: Option<bool>,
    /// Any row label was found.
    pub found: bool,
}

/// Reads section 三.
pub fn applications(section: &Section) -> Applications {
    let tokens = &section.tokens;
    let mut out = Applications::default();
    // (row index, token index of its label)
    let mut labels: Vec<(usize, usize)> = Vec::new();
    let mut cursor = None;
    for (ti, t) in tokens.iter().enumerate() {
        if let Some(text) = t.text() {
            // `(四)无 1.本机关不掌握…`: the tail of a wrapped group label printed before
            // a row's own enumerator; the row is named after the enumerator.
            let found = match_application_row(&match_key(text), cursor).or_else(|| {
                after_inner_enumerator(text)
                    .and_then(|tail| match_application_row(&match_key(tail), cursor))
            });
            if let Some(ri) = found {
                labels.push((ri, ti));
                cursor = Some(ri);
            }
        }
    }
    out.found = !labels.is_empty();
    missing_rows(section, &labels, &mut out);
    let columns = APPLICANTS.len();
    let mut i = 0;
    while i < labels.len() {
        let (ri, ti) = labels[i];
        let end = labels.get(i + 1).map_or(tokens.len(), |(_, t)| *t);
        let row = &APPLICATION_ROWS[ri];
        let (cells, foreign) = application_cells(tokens, ti, end, row);
        let line = Some(tokens[ti].line);
        let at_end = end == tokens.len() && section.open_ended;
        if let Some(foreign_line) = foreign {
            // Numbers after a label that is not this row's and could not be read: they
            // belong to some other row, so they are left out — and this row, when it has
            // nothing of its own, is not given them.
            let own = cells.iter().any(|c| c.is_filled());
            out.findings.push(
                Finding::new(
                    if own { Severity::Warning } else { Severity::Error },
                    "unreadable_label",
                    format!(
                        "line {foreign_line} prints numbers after a label that cannot be read; they are not given to {}{}",
                        row.code,
                        if own { "" } else { ", whose cells are left null" }
                    ),
                )
                .at(Table::Applications, if own { None } else { Some(row.code) }, None)
                .line(Some(foreign_line)),
            );
            if !own {
                push_null_row(&mut out, row, line);
                i += 1;
                continue;
            }
        }
        // 其他处理 followed by its sub-rows is the 2021 group label. Numbers after it belong
        // to a sub-row whose label is lost, never to the 2019 single row.
        if row.code == "other_handling"
            && labels
                .get(i + 1)
                .is_some_and(|(n, _)| APPLICATION_ROWS[*n].code.starts_with("other_"))
        {
            if cells.iter().any(|c| c.is_filled()) {
                out.findings.push(
                    Finding::new(
                        Severity::Warning,
                        "unreadable_label",
                        "numbers printed after the group label 其他处理 belong to a sub-row whose label cannot be read; they are left out",
                    )
                    .at(Table::Applications, None, None)
                    .line(line),
                );
            }
            out.other_split = Some(true);
            i += 1;
            continue;
        }
        if row.code == "other_handling" {
            out.other_split = Some(false);
        } else if row.code.starts_with("other_") {
            out.other_split = Some(true);
        }
        let filled = cells.iter().filter(|c| c.is_filled()).count();
        // Orphan blocks: in one-cell-per-line text some extractors print a row's numbers
        // away from its label. Whole blocks of seven numbers after a complete row are
        // placed into the rows the template has between this label and the next one,
        // only when their count matches exactly.
        if filled > columns
            && filled % columns == 0
            && cells.iter().all(|c| c.is_filled())
            && distinct_lines(&cells)
        {
            let next_row = labels.get(i + 1).map(|(n, _)| *n);
            let blocks = filled / columns - 1;
            if let Some(gap) = gap_rows(ri, next_row, blocks) {
                push_row(&mut out, row, &cells[..columns], line);
                for (b, gri) in gap.into_iter().enumerate() {
                    let block = &cells[columns * (b + 1)..columns * (b + 2)];
                    let grow = &APPLICATION_ROWS[gri];
                    push_row(&mut out, grow, block, Some(block[0].line));
                    out.findings.push(
                        Finding::new(
                            Severity::Info,
                            "row_placed_by_order",
                            format!(
                                "{} printed without its label; placed between {} and the next labelled row by template order",
                                grow.code, row.code
                            ),
                        )
                        .at(Table::Applications, Some(grow.code), None)
                        .line(Some(block[0].line)),
                    );
                    if grow.code.starts_with("other_") {
                        out.other_split = Some(grow.code != "other_handling");
                    }
                }
                i += 1;
                continue;
            }
        }
        if at_end && filled < columns {
            out.findings.push(
                Finding::new(
                    Severity::Warning,
                    "truncated",
                    format!(
                        "the text ends inside row {}: its cells are left out",
                        row.code
                    ),
                )
                .at(Table::Applications, Some(row.code), None)
                .line(line),
            );
            i += 1;
            continue;
        }
        match place(&cells, columns) {
            Placement::Placed(placed, note) => {
                for (c, cell) in placed.iter().enumerate() {
                    let applicant = APPLICANTS[c];
                    let (value, raw, problem) = cell_value_int(*cell);
                    out.cells.push(ApplicationCell {
                        row: row.code,
                        applicant,
                        value,
                        raw,
                        source_line: cell.map(|t| t.line).or(line),
                    });
                    if let Some(p) = problem {
                        out.findings.push(
                            Finding::new(
                                Severity::Error,
                                p.0,
                                format!("{}.{}: {}", row.code, applicant, p.1),
                            )
                            .at(Table::Applications, Some(row.code), Some(applicant))
                            .line(cell.map(|t| t.line)),
                        );
                    }
                }
                if let Some(note) = note {
                    out.findings.push(placement_note(
                        Table::Applications,
                        Some(row.code),
                        &note,
                        line,
                    ));
                }
            }
            Placement::Blank => push_null_row(&mut out, row, line),
            Placement::Uncertain(why) => {
                push_null_row(&mut out, row, line);
                out.findings.push(
                    Finding::new(
                        Severity::Error,
                        "row_cell_count",
                        format!("{}: {}; cells left null", row.code, why),
                    )
                    .at(Table::Applications, Some(row.code), None)
                    .values(
                        columns.to_string(),
                        cells
                            .iter()
                            .filter(|c| c.is_filled())
                            .map(|c| c.raw.as_str())
                            .collect::<Vec<_>>()
                            .join(" "),
                    )
                    .line(line),
                );
            }
        }
        i += 1;
    }
    out
}

/// The text after an enumerator (`1.`, `2、`) that stands inside a label, if any.
fn after_inner_enumerator(text: &str) -> Option<&str> {
    let bytes = text.as_bytes();
    (1..bytes.len()).find_map(|i| {
        let digit_start = bytes[i].is_ascii_digit() && !bytes[i - 1].is_ascii_digit();
        if !digit_start {
            return None;
        }
        let rest = &text[i..];
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        let after = &rest[digits..];
        let tail = after
            .strip_prefix('.')
            .or_else(|| after.strip_prefix('、'))?;
        tail.starts_with(|c: char| crate::normalise::is_han(c) || c == ' ')
            .then_some(tail)
    })
}

/// Rows of the template that the section does not print, between rows it does print (or
/// after them, when the section is complete): a finding for each, so that a null there
/// is never silent. Of 其他处理 and its three sub-rows only the form printed is expected.
fn missing_rows(section: &Section, labels: &[(usize, usize)], out: &mut Applications) {
    let (Some(first), Some(last)) = (labels.first(), labels.last()) else {
        return;
    };
    let last_expected = if section.open_ended {
        last.0
    } else {
        APPLICATION_ROWS.len() - 1
    };
    let printed: Vec<&str> = labels
        .iter()
        .map(|(r, _)| APPLICATION_ROWS[*r].code)
        .collect();
    let split = printed.iter().any(|c| {
        matches!(
            *c,
            "other_overdue_correction" | "other_unpaid_fee" | "other_misc"
        )
    });
    let single = printed.contains(&"other_handling");
    // A section that starts with its heading starts with its first row, so rows before
    // the first label read are missing too (a garbled first label); a page that starts
    // mid-table says nothing about the rows before it.
    let first_expected = if section.heading_line.is_some() {
        0
    } else {
        first.0
    };
    for row in APPLICATION_ROWS
        .iter()
        .take(last_expected + 1)
        .skip(first_expected)
    {
        if printed.contains(&row.code) {
            continue;
        }
        let alternative = match row.code {
            "other_handling" => split || !single,
            "other_overdue_correction" | "other_unpaid_fee" | "other_misc" => single || !split,
            _ => false,
        };
        if alternative {
            continue;
        }
        out.findings.push(
            Finding::new(
                Severity::Warning,
                "row_missing",
                format!(
                    "row {} is not printed (or its label cannot be read)",
                    row.code
                ),
            )
            .at(Table::Applications, Some(row.code), None)
            .line(section.heading_line),
        );
    }
}

/// A row whose cells are all null: printed blank, or not placeable (then a finding says so).
fn push_null_row(out: &mut Applications, row: &ApplicationRow, line: Option<u32>) {
    for applicant in APPLICANTS {
        out.cells.push(ApplicationCell {
            row: row.code,
            applicant,
            value: None,
            raw: String::new(),
            source_line: line,
        });
    }
}

fn push_row(out: &mut Applications, row: &ApplicationRow, block: &[&Token], line: Option<u32>) {
    for (c, t) in block.iter().enumerate() {
        let (value, raw, _) = cell_value_int(Some(*t));
        out.cells.push(ApplicationCell {
            row: row.code,
            applicant: APPLICANTS[c],
            value,
            raw,
            source_line: Some(t.line).or(line),
        });
    }
}

fn distinct_lines(cells: &[&Token]) -> bool {
    cells.windows(2).all(|w| w[0].line != w[1].line)
}

/// The template rows strictly between `from` and `to` (or the end), choosing between
/// the 2019 single 其他处理 row and the 2021 sub-rows, when exactly `blocks` of them.
fn gap_rows(from: usize, to: Option<usize>, blocks: usize) -> Option<Vec<usize>> {
    let to = to.unwrap_or(APPLICATION_ROWS.len());
    let between: Vec<usize> = (from + 1..to).collect();
    let variants = [
        between
            .iter()
            .copied()
            .filter(|i| APPLICATION_ROWS[*i].code != "other_handling")
            .collect::<Vec<_>>(),
        between
            .iter()
            .copied()
            .filter(|i| {
                !matches!(
                    APPLICATION_ROWS[*i].code,
                    "other_overdue_correction" | "other_unpaid_fee" | "other_misc"
                )
            })
            .collect(),
    ];
    let fits: Vec<&Vec<usize>> = variants
        .iter()
        .filter(|v| v.len() == blocks && blocks > 0)
        .collect();
    match fits.as_slice() {
        [one] => Some((*one).clone()),
        [a, b] if a == b => Some((*a).clone()),
        _ => None,
    }
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
        Tok::Garbled | Tok::Text(_) => (
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

/// The result of reading section 二.
#[derive(Debug, Default)]
pub struct Proactive {
    /// Cells placed.
    pub cells: Vec<ProactiveCell>,
    /// The procurement row, when printed.
    pub procurement: Option<Procurement>,
    /// Findings.
    pub findings: Vec<Finding>,
    /// Template shown by the column headers.
    pub template: Option<Template>,
    /// Any item label was found.
    pub found: bool,
}

/// The template the section-二 headers show, if any.
pub fn proactive_template(section: &Section) -> Option<Template> {
    let mut t2019 = false;
    let mut t2021 = false;
    for t in &section.tokens {
        let Some(text) = t.text() else { continue };
        let key = match_key(text);
        if key.chars().count() < 3 {
            continue;
        }
        if MEASURE_LABELS_2021.iter().any(|l| key.starts_with(l)) {
            t2021 = true;
        } else if MEASURE_LABELS_2019
            .iter()
            .any(|l| key.starts_with(l) || l.starts_with(key.as_str()))
            || key == "其他对外管理服务事项"
            || key == "政府集中采购"
        {
            t2019 = true;
        }
    }
    match (t2019, t2021) {
        (true, false) => Some(Template::T2019),
        (false, true) => Some(Template::T2021),
        _ => None,
    }
}

fn match_item(key: &str) -> Option<&'static ProactiveItem> {
    PROACTIVE_ITEMS
        .iter()
        .filter(|it| it.labels.contains(&key))
        .max_by_key(|it| it.labels.iter().map(|l| l.len()).max())
}

fn is_structure(key: &str) -> bool {
    PROACTIVE_STRUCTURE_LABELS
        .iter()
        .any(|l| key.starts_with(l))
}

/// Reads section 二. `fallback` is the template to assume when the headers do not show
/// one (from the year, or section 三).
pub fn proactive(section: &Section, fallback: Option<Template>) -> Proactive {
    let mut out = Proactive {
        template: proactive_template(section),
        ..Default::default()
    };
    let Some(template) = out.template.or(fallback) else {
        if section.tokens.iter().any(|t| {
            t.text()
                .is_some_and(|x| match_item(&match_key(x)).is_some())
        }) {
            out.findings.push(
                Finding::new(
                    Severity::Error,
                    "template_unknown",
                    "section 二 is printed but its template cannot be told; its cells are left out",
                )
                .at(Table::Proactive, None, None)
                .line(section.heading_line),
            );
        }
        return out;
    };
    let tokens = &section.tokens;
    let mut items: Vec<(usize, &'static ProactiveItem)> = Vec::new();
    let mut bounds: Vec<usize> = Vec::new();
    // Money unit printed in the nearest column header (`采购总金额(万元)`).
    let mut header_money_unit: Vec<(usize, Option<&'static str>)> = Vec::new();
    for (ti, t) in tokens.iter().enumerate() {
        let Some(text) = t.text() else { continue };
        let key = match_key(text);
        if let Some(item) = match_item(&key) {
            items.push((ti, item));
            bounds.push(ti);
        } else if is_structure(&key) {
            bounds.push(ti);
        }
        if key.contains("金额") {
            let unit = if key.contains("万元") {
                Some("万元")
            } else if key.contains("元") {
                Some("元")
            } else {
                None
            };
            header_money_unit.push((ti, unit));
        }
    }
    out.found = !items.is_empty();
    for (ti, item) in items {
        let end = bounds
            .iter()
            .copied()
            .find(|b| *b > ti)
            .unwrap_or(tokens.len());
        let cells = row_cells(tokens, ti + 1, end);
        let measures = item.measures(template);
        let line = Some(tokens[ti].line);
        if measures.is_empty() {
            out.findings.push(
                Finding::new(
                    Severity::Warning,
                    "item_not_in_template",
                    format!(
                        "{} is not part of the {} template; its cells are left out",
                        item.code,
                        template.code()
                    ),
                )
                .at(Table::Proactive, Some(item.code), None)
                .line(line),
            );
            continue;
        }
        let table = if item.code == "centralized_procurement" {
            Table::Procurement
        } else {
            Table::Proactive
        };
        let at_end = end == tokens.len() && section.open_ended;
        let filled = cells.iter().filter(|c| c.is_filled()).count();
        if at_end && filled < measures.len() {
            out.findings.push(
                Finding::new(
                    Severity::Warning,
                    "truncated",
                    format!(
                        "the text ends inside row {}: its cells are left out",
                        item.code
                    ),
                )
                .at(table, Some(item.code), None)
                .line(line),
            );
            continue;
        }
        let placed: Vec<Option<&Token>> = match place(&cells, measures.len()) {
            Placement::Placed(p, note) => {
                if let Some(note) = note {
                    out.findings
                        .push(placement_note(table, Some(item.code), &note, line));
                }
                p
            }
            Placement::Blank => vec![None; measures.len()],
            Placement::Uncertain(why) => {
                out.findings.push(
                    Finding::new(
                        Severity::Error,
                        "row_cell_count",
                        format!("{}: {}; cells left null", item.code, why),
                    )
                    .at(table, Some(item.code), None)
                    .values(measures.len().to_string(), filled.to_string())
                    .line(line),
                );
                vec![None; measures.len()]
            }
        };
        if item.code == "centralized_procurement" {
            let header_unit = header_money_unit
                .iter()
                .rev()
                .find(|(h, _)| *h < ti)
                .and_then(|(_, u)| *u);
            out.procurement = Some(procurement(&placed, header_unit, line, &mut out.findings));
            continue;
        }
        for (m, cell) in measures.iter().zip(&placed) {
            let (value, raw) = match cell {
                None => (None, String::new()),
                Some(t) => match &t.tok {
                    Tok::Num(n)
                        if !t.cut
                            && (n.unit.is_none()
                                || *m == "amount_10k_yuan" && n.unit == Some("万元")) =>
                    {
                        (Some(n.value), t.raw.clone())
                    }
                    _ => {
                        out.findings.push(
                            Finding::new(
                                Severity::Error,
                                problem_check(t),
                                format!(
                                    "{}.{}: {:?} cannot be read as a number",
                                    item.code, m, t.raw
                                ),
                            )
                            .at(Table::Proactive, Some(item.code), Some(m))
                            .line(Some(t.line)),
                        );
                        (None, t.raw.clone())
                    }
                },
            };
            out.cells.push(ProactiveCell {
                item: item.code,
                measure: m,
                value,
                unit: measure_unit(m),
                raw,
                source_line: cell.map(|t| t.line).or(line),
            });
        }
    }
    out
}

fn problem_check(t: &Token) -> &'static str {
    match t.tok {
        Tok::Placeholder => "placeholder_cell",
        _ if t.cut => "truncated",
        _ => "unreadable_cell",
    }
}

/// The 政府集中采购 row: item count and amount, converted to yuan only when the unit is
/// printed (in the cell or the header) or the amount is zero.
fn procurement(
    placed: &[Option<&Token>],
    header_unit: Option<&'static str>,
    line: Option<u32>,
    findings: &mut Vec<Finding>,
) -> Procurement {
    let items = placed
        .first()
        .copied()
        .flatten()
        .and_then(|t| match &t.tok {
            Tok::Num(n) if !t.cut && n.unit.is_none() => int_value(n),
            _ => {
                findings.push(
                    Finding::new(
                        Severity::Error,
                        problem_check(t),
                        format!(
                            "centralized_procurement.items: {:?} cannot be read as a number",
                            t.raw
                        ),
                    )
                    .at(
                        Table::Procurement,
                        Some("centralized_procurement"),
                        Some("items"),
                    )
                    .line(Some(t.line)),
                );
                None
            }
        });
    let amount_cell = placed.get(1).copied().flatten();
    let amount_yuan = amount_cell.and_then(|t| match &t.tok {
        Tok::Num(n) if !t.cut => match n.unit.or(header_unit) {
            Some("万元") => Some((n.value * 10_000.0 * 1e6).round() / 1e6),
            Some(_) => Some(n.value),
            None if n.value == 0.0 => Some(0.0),
            None => {
                findings.push(
                    Finding::new(Severity::Warning, "amount_unit_unknown", format!("centralized_procurement.amount_yuan: {:?} printed without 元 or 万元; left null", t.raw))
                        .at(Table::Procurement, Some("centralized_procurement"), Some("amount_yuan"))
                        .line(Some(t.line)),
                );
                None
            }
        },
        _ => {
            findings.push(
                Finding::new(Severity::Error, problem_check(t), format!("centralized_procurement.amount_yuan: {:?} cannot be read as a number", t.raw))
                    .at(Table::Procurement, Some("centralized_procurement"), Some("amount_yuan"))
                    .line(Some(t.line)),
            );
            None
        }
    });
    Procurement {
        items,
        amount_yuan,
        amount_raw: amount_cell.map(|t| t.raw.clone()),
        source_line: line,
    }
}

/// The result of reading section 四.
#[derive(Debug, Default)]
pub struct Review {
    /// Cells placed.
    pub cells: Vec<ReviewCell>,
    /// Findings.
    pub findings: Vec<Finding>,
}

/// Reads section 四: a header of labels, then one row of 15 cells.
pub fn review(section: &Section) -> Review {
    let mut out = Review::default();
    let tokens = &section.tokens;
    let columns = PROCEEDINGS.len() * OUTCOMES.len();
    let Some(first) = tokens.iter().position(|t| t.is_filled()) else {
        if section.open_ended {
            out.findings.push(
                Finding::new(
                    Severity::Warning,
                    "truncated",
                    "the text ends inside section 四 before its numbers; its cells are left out",
                )
                .at(Table::ReviewLitigation, None, None)
                .line(section.heading_line),
            );
        } else if tokens.iter().any(|t| {
            t.text()
                .map(match_key)
                .is_some_and(|k| k.contains("维持") || k.contains("复议"))
        }) {
            push_review_blank(&mut out, tokens.last().map(|t| t.line));
        }
        return out;
    };
    let cells: Vec<&Token> = tokens[first..]
        .iter()
        .filter(|t| !matches!(t.tok, Tok::Text(_)))
        .collect();
    let filled = cells.iter().filter(|c| c.is_filled()).count();
    let line = Some(tokens[first].line);
    if section.open_ended && filled < columns {
        out.findings.push(
            Finding::new(
                Severity::Warning,
                "truncated",
                "the text ends inside section 四: its cells are left out",
            )
            .at(Table::ReviewLitigation, None, None)
            .line(line),
        );
        return out;
    }
    let placed = match place(&cells, columns) {
        Placement::Placed(p, note) => {
            if let Some(note) = note {
                out.findings
                    .push(placement_note(Table::ReviewLitigation, None, &note, line));
            }
            p
        }
        Placement::Blank => {
            push_review_blank(&mut out, line);
            return out;
        }
        Placement::Uncertain(why) => {
            for p in PROCEEDINGS {
                out.findings.push(
                    Finding::new(
                        Severity::Error,
                        "row_cell_count",
                        format!("section 四: {why}; cells left null"),
                    )
                    .at(Table::ReviewLitigation, Some(p), None)
                    .values(columns.to_string(), filled.to_string())
                    .line(line),
                );
            }
            push_review_blank(&mut out, line);
            return out;
        }
    };
    let values: Vec<(Option<i64>, &Token)> = placed
        .iter()
        .map(|c| match c {
            Some(t) => match &t.tok {
                Tok::Num(n) if !t.cut && n.unit.is_none() => (int_value(n), *t),
                _ => (None, *t),
            },
            None => (None, cells[0]),
        })
        .collect();
    // One cell per line means the extractor decided the order of the cells, and PDF
    // text extractors do not always keep the visual order. If the totals then disagree
    // we cannot tell a misprint from a reordering: leave the cells null.
    let one_per_line =
        distinct_lines(&placed.iter().flatten().copied().collect::<Vec<_>>()) && filled == columns;
    if one_per_line && !review_totals_hold(&values) {
        for p in PROCEEDINGS {
            out.findings.push(
                Finding::new(Severity::Error, "cell_order_uncertain", format!("section 四 ({p}): numbers printed one per line do not add up to their totals, so their column order cannot be trusted; cells left null"))
                    .at(Table::ReviewLitigation, Some(p), None)
                    .line(line),
            );
        }
        push_review_blank(&mut out, line);
        return out;
    }
    for (i, cell) in placed.iter().enumerate() {
        let proceeding = PROCEEDINGS[i / OUTCOMES.len()];
        let outcome = OUTCOMES[i % OUTCOMES.len()];
        let value = values[i].0;
        if let Some(t) = cell {
            if value.is_none() {
                out.findings.push(
                    Finding::new(
                        Severity::Error,
                        problem_check(t),
                        format!(
                            "{proceeding}.{outcome}: {:?} cannot be read as a number",
                            t.raw
                        ),
                    )
                    .at(Table::ReviewLitigation, Some(proceeding), Some(outcome))
                    .line(Some(t.line)),
                );
            }
        }
        out.cells.push(ReviewCell {
            proceeding,
            outcome,
            value,
            raw: cell.map(|t| t.raw.clone()).unwrap_or_default(),
            source_line: cell.map(|t| t.line).or(line),
        });
    }
    out
}

fn review_totals_hold(values: &[(Option<i64>, &Token)]) -> bool {
    values.chunks(OUTCOMES.len()).all(|group| {
        let nums: Option<Vec<i64>> = group.iter().map(|(v, _)| *v).collect();
        match nums {
            Some(n) => n[..4].iter().sum::<i64>() == n[4],
            None => true,
        }
    })
}

fn push_review_blank(out: &mut Review, line: Option<u32>) {
    for p in PROCEEDINGS {
        for o in OUTCOMES {
            out.cells.push(ReviewCell {
                proceeding: p,
                outcome: o,
                value: None,
                raw: String::new(),
                source_line: line,
            });
        }
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

    fn app(a: &Applications, row: &str, col: &str) -> Option<i64> {
        a.cells
            .iter()
            .find(|c| c.row == row && c.applicant == col)
            .and_then(|c| c.value)
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
    fn a_number_cut_by_the_end_of_the_text_is_not_read() {
        let text = "二、主动公开政府信息情况\n信息内容 | 本年处理决定数量 |\n行政许可 | 18";
        let s = sections(text);
        let p = proactive(s.proactive.as_ref().unwrap(), None);
        assert_eq!(p.template, Some(Template::T2021));
        let c = p
            .cells
            .iter()
            .find(|c| c.item == "administrative_licensing")
            .unwrap();
        assert_eq!(c.value, None);
        assert!(p.findings.iter().any(|f| f.check == "truncated"));
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
}
