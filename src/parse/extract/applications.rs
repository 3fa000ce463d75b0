//! Section 三: the rows of requests received and handled, found by their labels.

use super::*;
use crate::normalise::Trim;

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
    let score = |k: &str| row.labels.iter().map(|l| lcp(k, l).0).max().unwrap_or(0);
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

/// Longest common prefix, in characters.
/// The characters `a` and `b` share at their start, and their length in bytes.
fn lcp(a: &str, b: &str) -> (usize, usize) {
    // Compared by bytes, then cut back to the last whole character: two valid UTF-8
    // strings share a character exactly when they share all its bytes.
    let mut bytes = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    while !a.is_char_boundary(bytes) || !b.is_char_boundary(bytes) {
        bytes -= 1;
    }
    let chars = a.as_bytes()[..bytes]
        .iter()
        .filter(|b| (**b as i8) >= -0x40)
        .count();
    (chars, bytes)
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
        .chain(std::iter::once(&OTHER_HANDLING))
    {
        if let Some(rest) = key.strip_prefix(g) {
            if rest.chars().count() >= 2 {
                return match_application_row(rest, cursor);
            }
            if *g != OTHER_HANDLING {
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
    best.map(|(i, _)| i).or_else(|| by_keyword(key, first))
}

/// The row expected next (the one at `first`, or either form of 其他处理 there) when a
/// short label holds its keywords and no other row's (a label shortened to its gist);
/// none otherwise. Only the next row: a line that names a later row's words where another
/// row is due is a breakdown or a note (`其中：涉及信访事项` under 予以公开), not that row.
pub(super) fn by_keyword(key: &str, first: usize) -> Option<usize> {
    if key.chars().count() > 24 || key.contains("其中") {
        return None;
    }
    let mut rows = APPLICATION_KEYWORDS
        .iter()
        .filter(|(_, words)| words.iter().any(|w| key.contains(w)))
        .filter_map(|(code, _)| APPLICATION_ROWS.iter().position(|r| r.code == *code));
    let one = rows.next()?;
    let expected = one == first
        || APPLICATION_ROWS
            .get(first)
            .is_some_and(|r| r.code == "other_handling")
            && one == first + 1;
    (rows.next().is_none() && expected).then_some(one)
}

fn row_score(row: &ApplicationRow, key: &str, n: usize, disposal_started: bool) -> usize {
    row.labels
        .iter()
        .map(|label| {
            if row.weak {
                return if key == *label && disposal_started {
                    label.chars().count()
                } else {
                    0
                };
            }
            let (p, bytes) = lcp(key, label);
            // The whole key, or the whole label (its bytes all shared).
            let whole = p == n || bytes == label.len();
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
            let key = match_key(text);
            let found = match_application_row(&key, cursor).or_else(|| {
                after_inner_enumerator(text)
                    .and_then(|tail| match_application_row(&match_key(tail), cursor))
            });
            // `其他` and `总计` of the column header printed again after a page break.
            // So is a header word that begins a row's label (`申请人` of `申请人情况` wrapped
            // before `情况`, like `申请人无正当理由…`).
            let short = || key.chars().count() < 6;
            let found = found
                .filter(|ri| !(APPLICATION_ROWS[*ri].weak || short()) || !in_header(tokens, ti));
            if let Some(ri) = found {
                labels.push((ri, ti));
                cursor = Some(ri);
            }
        }
    }
    out.found = !labels.is_empty();
    missing_rows(section, &labels, &mut out);
    let columns = APPLICANTS.len();
    let first_label = labels.first().map_or(tokens.len(), |(_, t)| *t);
    // Organisation headers the header does not put in order: a row whose organisation
    // cells differ cannot be placed, one whose cells are all alike can.
    let read_order = applicant_order(&tokens[..first_label]);
    let order = read_order.unwrap_or(IN_ORDER);
    if order != IN_ORDER {
        out.findings.push(
            Finding::new(
                Severity::Info,
                "applicant_columns_reordered",
                "the organisation columns' headers are printed in another order than the template's; cells are placed by the printed headers",
            )
            .at(Table::Applications, None, None),
        );
    }
    let mut i = 0;
    // The row before printed more numbers than columns (left null): a row after it with
    // no number of its own may have printed them before its label.
    let mut overflow_before = false;
    // Rows print their numbers before their labels (PDF text extractors print a tall
    // label after the numbers beside it): each label is then followed by the next row's
    // numbers, which the rows' own totals cannot tell. Known when numbers come before the
    // first label, or a row takes nearly two rows' numbers; it lasts until a label with
    // no number after it (whose numbers the label above took).
    let mut shifted = numbers_before_first_label(&tokens[..first_label], columns);
    if shifted {
        out.findings.push(
            Finding::new(
                Severity::Error,
                "row_order_uncertain",
                "section 三 prints numbers before its first row's label: its rows may print their numbers before their labels, so the rows that follow are left null until one with no number",
            )
            .at(Table::Applications, None, None)
            .line(tokens.get(first_label).map(|t| t.line)),
        );
    }
    // Where the columns stand, worked out the first time a row needs it (most documents
    // never do). Headers place cells only when printed in the template's order.
    let positions: std::cell::OnceCell<(Vec<ColumnRow>, Option<HeaderColumns>)> =
        std::cell::OnceCell::new();
    let positions = || {
        positions.get_or_init(|| {
            let header = (order == IN_ORDER)
                .then(|| {
                    header_columns(
                        &tokens[..first_label],
                        &crate::templates::printed::APPLICANT_HEADER_STARTS,
                        &crate::templates::printed::APPLICANT_HEADERS,
                    )
                })
                .flatten();
            (column_rows(tokens, columns), header)
        })
    };
    // Labels with no cell after them, since the last row with cells: a row that then
    // takes more numbers than columns may hold theirs (columns printed one after another).
    let mut blank_run: Vec<usize> = Vec::new();
    while i < labels.len() {
        let overflow = std::mem::take(&mut overflow_before);
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
            // 其他处理 with numbered lines after it that are no row of the template: the
            // 2021 sub-rows under labels that cannot be read. Its numbers are the first
            // sub-row's, which cannot be told; all three are left null.
            let numbered = tokens
                .iter()
                .find_map(|t| (t.line == foreign_line).then(|| t.text()).flatten());
            let numbered = numbered.is_some_and(|t| {
                let t = t.trim_ws();
                t.starts_with(|c: char| c.is_ascii_digit())
                    && crate::normalise::strip_enumerator(t).len() < t.len()
                    && !t.contains("其中")
            });
            if row.code == "other_handling" && numbered {
                for sub in ["other_overdue_correction", "other_unpaid_fee", "other_misc"] {
                    out.findings.push(
                        Finding::new(
                            Severity::Error,
                            "unreadable_label",
                            format!("{sub}: 其他处理 is followed by numbered lines whose labels cannot be read (from line {foreign_line}): the 2021 sub-rows cannot be told apart; cells left null"),
                        )
                        .at(Table::Applications, Some(sub), None)
                        .line(line),
                    );
                }
                out.other_split = Some(true);
                i += 1;
                continue;
            }
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
        if shifted {
            push_null_row(&mut out, row, line);
            out.findings.push(
                Finding::new(
                    Severity::Error,
                    "row_order_uncertain",
                    if filled == 0 {
                        format!("{}: no number is printed after its label, and the rows above print their numbers before their labels: its numbers may be in the row above; cells left null", row.code)
                    } else {
                        format!("{}: the rows above print their numbers before their labels, so the numbers after this label may be the next row's; cells left null", row.code)
                    },
                )
                .at(Table::Applications, Some(row.code), None)
                .line(line),
            );
            shifted = filled > 0;
            i += 1;
            continue;
        }
        if filled == 0 {
            blank_run.push(i);
        }
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
                push_row(&mut out, row, &cells[..columns], line, &order);
                for (b, gri) in gap.into_iter().enumerate() {
                    let block = &cells[columns * (b + 1)..columns * (b + 2)];
                    let grow = &APPLICATION_ROWS[gri];
                    push_row(&mut out, grow, block, Some(block[0].line), &order);
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
        if ends_inside(&cells, filled, columns, at_end) {
            out.findings
                .push(truncated(Table::Applications, Some(row.code), line));
            i += 1;
            continue;
        }
        // Nearly two rows' numbers in one unbroken run (not a stray page number, nor
        // numbers under sub-row labels of the agency's own, `其中：网上申请`): the rows above
        // with none may have printed theirs here, the rows below theirs above.
        // Only where cells are printed one per line: in a grid or column layout a row's
        // cells share its label's line, and a row of numbers on a line of its own is a
        // row whose label was lost, not a shift.
        shifted = filled + 2 >= 2 * columns
            && unbroken_numbers(&tokens[ti + 1..end])
            && distinct_lines(&cells);
        if shifted {
            for &b in &blank_run {
                let (bri, bti) = labels[b];
                out.findings.push(numbers_below(
                    Table::Applications,
                    APPLICATION_ROWS[bri].code,
                    "row",
                    row.code,
                    Some(tokens[bti].line),
                ));
            }
        }
        if filled > 0 {
            blank_run.clear();
        }
        let placement = match place(&cells, columns) {
            Placement::Uncertain(why) if section.aligned_by_characters => {
                let (rows, header) = positions();
                match place_by_columns(&cells, columns, rows, header.as_ref())
                    .filter(|(placed, _)| adds_up(placed, &order))
                {
                    Some((placed, note)) => Placement::Placed(placed, Some(note)),
                    None => Placement::Uncertain(why),
                }
            }
            p => p,
        };
        match placement {
            Placement::Placed(placed, note) => {
                for (c, cell) in placed.iter().enumerate() {
                    let applicant = APPLICANTS[order[c]];
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
            Placement::Blank => {
                push_null_row(&mut out, row, line);
                if overflow && cells.is_empty() {
                    out.findings.push(
                        Finding::new(
                            Severity::Error,
                            "row_cell_count",
                            format!("{}: no cell is printed after its label, and the row before printed more numbers than columns: they may be this row's; cells left null", row.code),
                        )
                        .at(Table::Applications, Some(row.code), None)
                        .line(line),
                    );
                }
            }
            Placement::Uncertain(why) => {
                overflow_before = filled > columns;
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
    unread_rows(&labels, &mut out, section.heading_line);
    if read_order.is_none() {
        unplace_organisations(&mut out);
    }
    out
}

/// Leaves null the organisation cells of each row whose five differ, with an error on
/// the row: the header does not say which column is which (see [`applicant_order`]).
fn unplace_organisations(out: &mut Applications) {
    let is_org = |a: &str| !matches!(a, "natural_person" | "total");
    let mut rows: Vec<&'static str> = out.cells.iter().map(|c| c.row).collect();
    rows.dedup();
    for row in rows {
        let values: Vec<Option<i64>> = out
            .cells
            .iter()
            .filter(|c| c.row == row && is_org(c.applicant))
            .map(|c| c.value)
            .collect();
        if values.iter().all(|v| *v == values[0]) {
            continue;
        }
        let line = out
            .cells
            .iter()
            .find(|c| c.row == row)
            .and_then(|c| c.source_line);
        for c in out
            .cells
            .iter_mut()
            .filter(|c| c.row == row && is_org(c.applicant))
        {
            c.value = None;
        }
        out.findings.push(order_unconfirmed(
            Table::Applications,
            Some(row),
            "the organisation columns",
            line,
        ));
    }
}

/// True when a row placed by position has its total printed, equal to the sum of its
/// other cells: a row misplaced by a column moves its total too.
fn adds_up(placed: &Placed, order: &[usize; 7]) -> bool {
    let value = |t: &Option<&Token>| match t.map(|t| &t.tok) {
        Some(Tok::Num(n)) => Some(n.value),
        _ => None,
    };
    let Some(total_at) = order.iter().position(|a| APPLICANTS[*a] == "total") else {
        return false;
    };
    let Some(total) = value(&placed[total_at]) else {
        return false;
    };
    let sum: f64 = placed
        .iter()
        .enumerate()
        .filter(|(c, _)| *c != total_at)
        .filter_map(|(_, t)| value(t))
        .sum();
    (sum - total).abs() < 1e-9
}

/// True when no text stands between the first and the last number of `tokens`.
fn unbroken_numbers(tokens: &[Token]) -> bool {
    let last = tokens.iter().rposition(|t| t.is_filled());
    let first = tokens.iter().position(|t| t.is_filled());
    match (first, last) {
        (Some(f), Some(l)) => tokens[f..=l].iter().all(|t| t.text().is_none()),
        _ => true,
    }
}

/// True when the tokens before section 三's first row label end with a row's worth of
/// numbers printed one per line straight after the column header, other than the
/// columns' own numbers (`栏次 1 2 … 7`). Numbers after a label that is not the
/// template's (`一、本年度新收到的申请`) are that row's, unread, not a shift.
fn numbers_before_first_label(before: &[Token], columns: usize) -> bool {
    let header_word = |t: &str| {
        let key = match_key(t);
        crate::templates::headings::APPLICANT_HEADER
            .iter()
            .chain(crate::templates::printed::APPLICANT_HEADERS.iter())
            .any(|w| key.contains(w))
    };
    // The numbers after the last text, which must be a word of the header.
    let last_text = before.iter().rposition(|t| t.text().is_some());
    if last_text.is_some_and(|p| !before[p].text().is_some_and(header_word)) {
        return false;
    }
    let run = &before[last_text.map_or(0, |p| p + 1)..];
    let nums: Vec<&Token> = run.iter().filter(|t| t.is_filled()).collect();
    let header_line = last_text.map(|p| before[p].line);
    if !distinct_lines(&nums) || nums.first().map(|n| n.line) == header_line {
        return false;
    }
    let numbers: Vec<f64> = nums
        .iter()
        .filter_map(|t| match &t.tok {
            Tok::Num(n) => Some(n.value),
            _ => None,
        })
        .collect();
    let column_numbers = numbers
        .iter()
        .enumerate()
        .all(|(k, v)| *v == (k % columns + 1) as f64);
    numbers.len() + 2 >= columns && !column_numbers
}

/// A `row_missing` finding for each label read whose row got no cell (its numbers
/// taken into a neighbour's run, say): such a row is as lost as one not printed.
fn unread_rows(labels: &[(usize, usize)], out: &mut Applications, heading: Option<u32>) {
    // 其他处理 over its three sub-rows (2021) is their group's label, not a row.
    let split = out.cells.iter().any(|c| {
        matches!(
            c.row,
            "other_overdue_correction" | "other_unpaid_fee" | "other_misc"
        )
    });
    for (r, _) in labels {
        let code = APPLICATION_ROWS[*r].code;
        if code == "other_handling" && split {
            continue;
        }
        if !out.cells.iter().any(|c| c.row == code)
            && !out.findings.iter().any(|f| f.row == Some(code))
        {
            out.findings.push(
                Finding::new(
                    Severity::Warning,
                    "row_missing",
                    format!("row {code} is printed, but none of its cells could be told from the rows around it"),
                )
                .at(Table::Applications, Some(code), None)
                .line(heading),
            );
        }
    }
}

/// Printed column → template column ([`APPLICANTS`]), when the headers are printed in
/// template order.
const IN_ORDER: [usize; 7] = [0, 1, 2, 3, 4, 5, 6];

/// Printed column → template column, read from the organisation headers before the
/// first row (`header`), across its lines (see [`header_order`]): PDF text wraps a
/// header over lines (`商业企` / `业`) or prints one word a line. `None` when the header
/// does not confirm an order.
fn applicant_order(header: &[Token]) -> Option<[usize; 7]> {
    const NAMES: [&str; 5] = [
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
    ];
    let starts = &crate::templates::headings::ORGANISATION_COLUMNS;
    let column = |w: &str| header_word(w, &NAMES, starts, &["其他"]);
    match header_order(header, NAMES.len(), column) {
        HeaderOrder::Template => Some(IN_ORDER),
        HeaderOrder::Printed(printed) => {
            let mut order = IN_ORDER;
            for (p, template) in printed.into_iter().enumerate() {
                order[p + 1] = template + 1;
            }
            Some(order)
        }
        HeaderOrder::Unconfirmed => None,
    }
}

/// True when token `ti` stands among section 三's column headers: a header word is
/// printed within two lines of it, with no number in between.
fn in_header(tokens: &[Token], ti: usize) -> bool {
    let line = tokens[ti].line;
    // `（七）总计`, `3.其他`, or a label with its numbers on its line: a row's label.
    // (Header words are often spaced out: `其 他`, `总 计`.)
    let bare = tokens[ti].text().is_some_and(|x| {
        x.chars().filter(|c| !c.is_whitespace()).collect::<String>() == match_key(x)
    });
    let numbers_on_line = tokens[ti + 1..]
        .iter()
        .take_while(|t| t.line == line)
        .any(|t| t.is_filled());
    if !bare || numbers_on_line {
        return false;
    }
    let near = |t: &&Token| t.line.abs_diff(line) <= 2 && !t.is_filled();
    let is_header = |t: &Token| -> bool {
        t.text().is_some_and(|x| {
            let key = match_key(x);
            crate::templates::headings::APPLICANT_HEADER
                .iter()
                .any(|w| key.contains(w))
        })
    };
    let before = tokens[..ti].iter().rev().take_while(near);
    let after = tokens[ti + 1..].iter().take_while(near);
    before.chain(after).any(is_header)
}

/// The text after an enumerator (`1.`, `2、`) that stands inside a label, if any.
fn after_inner_enumerator(text: &str) -> Option<&str> {
    let bytes = text.as_bytes();
    // `三、本年度办理结果 (一)予以公开`: a group label and its first row joined by a
    // space (text whose cells are separated by single spaces).
    let parenthesised = text
        .match_indices('(')
        .filter(|(i, _)| *i > 0)
        .find_map(|(i, _)| {
            let inner = &text[i + 1..];
            let numerals = inner
                .chars()
                .take_while(|c| "一二三四五六七八九十".contains(*c))
                .map(char::len_utf8)
                .sum::<usize>();
            let tail = inner[numerals..].strip_prefix(')')?;
            (numerals > 0 && tail.starts_with(crate::normalise::is_han)).then_some(tail)
        });
    if parenthesised.is_some() {
        return parenthesised;
    }
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

/// Rows of the template that the section does not print: a finding for each, so that a
/// null there is never silent. Between rows it prints (or after them, when the section
/// is complete) the row is not printed (`row_missing`); before the first row of a text
/// that starts inside the table, or after the last of one that ends inside it, the row
/// is not in the text at all (`row_cut`). Of 其他处理 and its three sub-rows only the form
/// printed is expected.
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
    for (i, row) in APPLICATION_ROWS.iter().enumerate() {
        if printed.contains(&row.code) {
            continue;
        }
        let alternative = match row.code {
            "other_handling" => split || !single,
            // Once one sub-row is printed all three are expected (the 2021 form prints
            // 其他处理 as their group's label, on the first one's line or above it).
            "other_overdue_correction" | "other_unpaid_fee" | "other_misc" => !split,
            _ => false,
        };
        // Outside the rows the text holds, which of 其他处理's forms the table printed
        // cannot be told: both are said to be cut.
        let outside = i < first_expected || i > last_expected;
        if alternative && !outside {
            continue;
        }
        // Outside the rows the text holds, the row is not in it at all: said so, or the
        // report of a page cut from its article would look complete.
        let finding = if i < first_expected {
            super::row_cut(
                Table::Applications,
                row.code,
                section.tokens.get(first.1).map(|t| t.line),
                false,
            )
        } else if i > last_expected {
            super::row_cut(
                Table::Applications,
                row.code,
                section.tokens.get(last.1).map(|t| t.line),
                true,
            )
        } else {
            super::row_not_printed(Table::Applications, row.code, section.heading_line)
        };
        out.findings.push(finding);
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

fn push_row(
    out: &mut Applications,
    row: &ApplicationRow,
    block: &[&Token],
    line: Option<u32>,
    order: &[usize; 7],
) {
    for (c, t) in block.iter().enumerate() {
        let (value, raw, _) = cell_value_int(Some(*t));
        out.cells.push(ApplicationCell {
            row: row.code,
            applicant: APPLICANTS[order[c]],
            value,
            raw,
            source_line: Some(t.line).or(line),
        });
    }
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

#[cfg(test)]
mod tests {
    use super::lcp;

    #[test]
    fn common_prefix_by_bytes_is_the_common_prefix_by_characters() {
        let by_chars = |a: &str, b: &str| {
            a.chars()
                .zip(b.chars())
                .take_while(|(x, y)| x == y)
                .fold((0, 0), |(n, bytes), (x, _)| (n + 1, bytes + x.len_utf8()))
        };
        // 中 and 丫 share their first two bytes (E4 B8); 𠀀 is four bytes long.
        let words = [
            "",
            "a",
            "ab",
            "中",
            "丫",
            "中国",
            "中丫",
            "不予公开",
            "不予处理",
            "𠀀中",
            "𠀁中",
            "a中",
            "ab中国",
            "本年新收政府信息公开申请数量",
        ];
        for a in words {
            for b in words {
                assert_eq!(lcp(a, b), by_chars(a, b), "{a:?} {b:?}");
            }
        }
    }
}
