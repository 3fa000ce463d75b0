//! Section 四: administrative review and litigation, fifteen cells in template order.

use super::*;

/// The result of reading section 四.
#[derive(Debug, Default)]
pub struct Review {
    /// Cells placed.
    pub cells: Vec<ReviewCell>,
    /// Findings.
    pub findings: Vec<Finding>,
}

impl Review {
    /// A placed cell, and the finding when its printed content is no number.
    fn push_cell(
        &mut self,
        proceeding: &'static str,
        outcome: &'static str,
        cell: Option<&Token>,
        value: Option<i64>,
        line: Option<u32>,
    ) {
        if let (Some(t), None) = (cell, value) {
            self.findings.push(
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
        self.cells.push(ReviewCell {
            proceeding,
            outcome,
            value,
            raw: cell.map(|t| t.raw.clone()).unwrap_or_default(),
            source_line: cell.map(|t| t.line).or(line),
        });
    }
}

/// Reads section 四: a header of labels, then one row of 15 cells — or a row per
/// proceeding, or a row per outcome (the table transposed).
pub fn review(section: &Section) -> Review {
    let tokens = &section.tokens;
    if let Some(out) = by_rows(tokens) {
        return out;
    }
    let mut out = Review::default();
    if labels_between_numbers(tokens) {
        for p in PROCEEDINGS {
            out.findings.push(
                Finding::new(Severity::Error, "cell_order_uncertain", format!("section 四 ({p}): labels of proceedings or outcomes stand between its numbers, so it is printed row by row, and its rows cannot be told; cells left null"))
                    .at(Table::ReviewLitigation, Some(p), None)
                    .line(section.heading_line),
            );
        }
        push_review_blank(&mut out, section.heading_line);
        return out;
    }
    let columns = PROCEEDINGS.len() * OUTCOMES.len();
    let mut first = tokens.iter().position(|t| t.is_filled());
    if let Some(after) = first.and_then(|f| column_numbers(tokens, f, columns)) {
        // Forms number their columns under the header (`栏次 | 1 | 2 | … | 15`): the
        // numbers 1 to 15 in order are those, never values (they fail the totals).
        out.findings.push(
            Finding::new(
                Severity::Info,
                "column_numbers",
                format!("section 四 prints its columns' numbers 1 to {columns} under the header; they are not values"),
            )
            .at(Table::ReviewLitigation, None, None)
            .line(first.map(|f| tokens[f].line)),
        );
        first = tokens[after..]
            .iter()
            .position(|t| t.is_filled())
            .map(|p| after + p);
    }
    let Some(first) = first else {
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
    // The row has no label: blank cells printed before its first number (a grid row of
    // `|||3||3|…`) are its first columns, not nothing.
    let line_no = tokens[first].line;
    let first = first
        - tokens[..first]
            .iter()
            .rev()
            .take_while(|t| t.line == line_no && matches!(t.tok, Tok::Empty))
            .count();
    let cells: Vec<&Token> = tokens[first..]
        .iter()
        .filter(|t| !matches!(t.tok, Tok::Text))
        .collect();
    let filled = cells.iter().filter(|c| c.is_filled()).count();
    let line = Some(tokens[first].line);
    if ends_inside(&cells, filled, columns, section.open_ended) {
        out.findings
            .push(truncated(Table::ReviewLitigation, None, line));
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
            Some(t) => (count(t), *t),
            None => (None, cells[0]),
        })
        .collect();
    let header = &tokens[..first];
    let outcomes = outcome_order(header);
    let order = proceeding_order(header);
    // One cell per line means the extractor decided the order of the cells, and PDF
    // text extractors do not always keep the visual order. If the totals then disagree
    // we cannot tell a misprint from a reordering: leave the cells null.
    let one_per_line =
        distinct_lines(&placed.iter().flatten().copied().collect::<Vec<_>>()) && filled == columns;
    let total_at = outcomes
        .unwrap_or([0, 1, 2, 3, 4])
        .iter()
        .position(|o| *o == 4)
        .unwrap_or(4);
    if one_per_line && !review_totals_hold(&values, total_at) {
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
    if outcomes.is_some_and(|o| o != [0, 1, 2, 3, 4]) {
        out.findings.push(
            Finding::new(
                Severity::Info,
                "review_columns_reordered",
                "section 四's outcome columns are headed in another order than the template's (总计 first, say); cells are placed by the printed headers",
            )
            .at(Table::ReviewLitigation, None, None)
            .line(line),
        );
    }
    if order.is_some_and(|o| o != [0, 1, 2]) {
        out.findings.push(
            Finding::new(
                Severity::Info,
                "review_columns_reordered",
                "section 四's proceedings are headed in another order than the template's; cells are placed by the printed headers",
            )
            .at(Table::ReviewLitigation, None, None)
            .line(line),
        );
    }
    let width = OUTCOMES.len();
    let alike = |cells: &[(Option<i64>, &Token)]| cells.iter().all(|(v, _)| *v == cells[0].0);
    // Blocks whose place the header does not confirm are left null unless every placement
    // gives the same values.
    let blocks_unplaced = order.is_none()
        && values
            .chunks(width)
            .any(|b| b.iter().zip(&values[..width]).any(|(x, y)| x.0 != y.0));
    let order = order.unwrap_or([0, 1, 2]);
    for (i, cell) in placed.iter().enumerate() {
        let block = i / width;
        let proceeding = PROCEEDINGS[order[block]];
        let outcome = OUTCOMES[outcomes.unwrap_or([0, 1, 2, 3, 4])[i % width]];
        let unplaced = blocks_unplaced
            || outcomes.is_none() && !alike(&values[block * width..(block + 1) * width]);
        if unplaced {
            if i % width == 0 {
                out.findings.push(order_unconfirmed(
                    Table::ReviewLitigation,
                    Some(proceeding),
                    if blocks_unplaced {
                        "the proceedings"
                    } else {
                        "the outcome columns"
                    },
                    line,
                ));
            }
            out.push_cell(proceeding, outcome, None, None, line);
            continue;
        }
        let value = values[i].0;
        out.push_cell(proceeding, outcome, *cell, value, line);
    }
    out
}

/// The outcome of a header word (`结果维持`, `维持`, `合计`, …), by the template's
/// [`OUTCOMES`] index.
fn outcome_of(label: &str) -> Option<usize> {
    let k = match_key(label);
    if k.chars().count() > 6 {
        return None;
    }
    [
        &["维持"][..],
        &["纠正"],
        &["其他"],
        &["未结", "审结", "未审"],
        &["总计", "合计"],
    ]
    .iter()
    .position(|words| words.iter().any(|w| k.contains(w)))
}

/// The proceeding a row label names (`行政复议`, `未经复议直接起诉`, `复议后起诉`).
fn proceeding_of(label: &str) -> Option<usize> {
    let k = match_key(label);
    if k.contains("复议后") {
        Some(2)
    } else if k.contains("直接起诉") || k.contains("未经复议") {
        Some(1)
    } else if k.ends_with("行政复议") || k == "复议" {
        Some(0)
    } else {
        None
    }
}

/// The printed order of the outcome columns: template indices in printed order, from the
/// first header line that names all five (the group of one proceeding), else from the
/// header's words across its lines (PDF text wraps them, `结果` / `维持`, and prints a
/// merged `总计` on a line of its own). `None` when the header does not confirm an order.
fn outcome_order(header: &[Token]) -> Option<[usize; 5]> {
    let mut lines: Vec<(u32, Vec<usize>)> = Vec::new();
    for t in header {
        let Some(o) = t.text().and_then(outcome_of) else {
            continue;
        };
        match lines.last_mut() {
            Some((l, v)) if *l == t.line => v.push(o),
            _ => lines.push((t.line, vec![o])),
        }
    }
    let on_one_line = lines.iter().find_map(|(_, printed)| {
        let group: Vec<usize> = printed
            .iter()
            .enumerate()
            .take_while(|(i, o)| !printed[..*i].contains(o))
            .map(|(_, o)| *o)
            .collect();
        <[usize; 5]>::try_from(group.as_slice()).ok()
    });
    if on_one_line.is_some() {
        return on_one_line;
    }
    match header_order(header, OUTCOMES.len(), |w| {
        outcome_of(w).map_or(0, |o| 1 << o)
    }) {
        HeaderOrder::Template => Some([0, 1, 2, 3, 4]),
        HeaderOrder::Printed(p) => <[usize; 5]>::try_from(p.as_slice()).ok(),
        HeaderOrder::Unconfirmed => None,
    }
}

/// What a row of section 四 printed row by row holds: a proceeding's five outcomes, or
/// (the table transposed) an outcome of the three proceedings.
#[derive(Clone, Copy, PartialEq)]
enum RowKind {
    Proceeding,
    Outcome,
}

impl RowKind {
    /// The kind of a row labelled `label`, and its index among [`Self::labels`].
    fn of(label: &str) -> Option<(RowKind, usize)> {
        proceeding_of(label)
            .map(|p| (RowKind::Proceeding, p))
            .or_else(|| outcome_of(label).map(|o| (RowKind::Outcome, o)))
    }

    /// The template's names of such rows.
    fn labels(self) -> &'static [&'static str] {
        match self {
            RowKind::Proceeding => PROCEEDINGS,
            RowKind::Outcome => OUTCOMES,
        }
    }

    /// The template's names of such a row's columns.
    fn columns(self) -> &'static [&'static str] {
        match self {
            RowKind::Proceeding => OUTCOMES,
            RowKind::Outcome => PROCEEDINGS,
        }
    }

    /// The column a header word names.
    fn column_of(self, word: &str) -> Option<usize> {
        match self {
            RowKind::Proceeding => outcome_of(word),
            RowKind::Outcome => proceeding_of(word),
        }
    }

    /// The printed order of the columns, from the header.
    fn column_order(self, header: &[Token]) -> Option<Vec<usize>> {
        match self {
            RowKind::Proceeding => outcome_order(header).map(|o| o.to_vec()),
            RowKind::Outcome => proceeding_order(header).map(|o| o.to_vec()),
        }
    }

    /// The proceedings whose cells the row `label` holds.
    fn proceedings(self, label: usize) -> &'static [&'static str] {
        match self {
            RowKind::Proceeding => &PROCEEDINGS[label..=label],
            RowKind::Outcome => PROCEEDINGS,
        }
    }

    /// (proceeding, outcome) of the row `label`'s cell in the template's `column`.
    fn cell(self, label: usize, column: usize) -> (usize, usize) {
        match self {
            RowKind::Proceeding => (label, column),
            RowKind::Outcome => (column, label),
        }
    }
}

/// A row of section 四 printed row by row: its kind, its label's index, its cells.
type LabelledRow<'t> = (RowKind, usize, Vec<&'t Token>);

/// The rows labelled by a proceeding or an outcome with cells after the label on its
/// line, and where the first of them starts.
fn rows_on_lines(tokens: &[Token]) -> (Vec<LabelledRow<'_>>, Option<usize>) {
    let mut rows = Vec::new();
    let mut header_end = None;
    let mut line_start = 0;
    for on_line in lines_of(tokens) {
        // The row's own label is the last text before its cells (a group label may come
        // first: `行政诉讼 | 未经复议直接起诉 | 1 | …`).
        if let Some(l) = on_line.iter().rposition(|t| t.text().is_some()) {
            let cells: Vec<&Token> = on_line[l + 1..].iter().collect();
            let text = on_line[l].text().unwrap_or_default();
            if on_line[..l]
                .iter()
                .all(|t| matches!(t.tok, Tok::Empty | Tok::Text))
                && cells.iter().any(|t| t.is_filled())
                && cells.iter().all(|t| t.text().is_none())
            {
                if let Some((kind, label)) = RowKind::of(text) {
                    rows.push((kind, label, cells));
                    header_end.get_or_insert(line_start);
                }
            }
        }
        line_start += on_line.len();
    }
    (rows, header_end)
}

/// The rows labelled by a proceeding or an outcome with cells after the label up to the
/// next text, on lines of their own (one cell per line, `结果维持` / `0` / `0` / `0`), and
/// where the first of them starts.
fn rows_after_labels(tokens: &[Token]) -> (Vec<LabelledRow<'_>>, Option<usize>) {
    let mut rows = Vec::new();
    let mut header_end = None;
    for (i, t) in tokens.iter().enumerate() {
        let Some((kind, label)) = t.text().and_then(RowKind::of) else {
            continue;
        };
        let cells: Vec<&Token> = tokens[i + 1..]
            .iter()
            .take_while(|c| c.text().is_none())
            .collect();
        if cells.iter().any(|c| c.is_filled()) {
            rows.push((kind, label, cells));
            header_end.get_or_insert(i);
        }
    }
    (rows, header_end)
}

/// True when a proceeding's or an outcome's label stands between two numbers of
/// section 四: the table is printed row by row, and its numbers are no one run.
fn labels_between_numbers(tokens: &[Token]) -> bool {
    let first = tokens.iter().position(|t| t.is_filled());
    let last = tokens.iter().rposition(|t| t.is_filled());
    let (Some(f), Some(l)) = (first, last) else {
        return false;
    };
    // Runs of labels between numbers: a label or two before each row's numbers is a table
    // printed row by row; a run of three or more is a header printed again over the
    // next block of columns (the table split in two, 行政复议 then 行政诉讼), whose
    // numbers still follow in the header's order.
    let mut run = 0usize;
    for t in &tokens[f..=l] {
        if t.text().and_then(RowKind::of).is_some() {
            run += 1;
        } else if t.is_filled() {
            if (1..3).contains(&run) {
                return true;
            }
            run = 0;
        }
    }
    false
}

/// Section 四 printed a row per proceeding (`行政复议 | 1 | 0 | …`) or a row per outcome
/// (`结果维持 | 0 | 1 | 0`, the table transposed): each row's cells placed on their own.
/// The rows' cells follow their labels on the labels' lines, or one per line after them.
/// `None` when fewer than two rows have such a label followed by cells.
fn by_rows(tokens: &[Token]) -> Option<Review> {
    let (rows, header_end) = rows_on_lines(tokens);
    let (rows, header_end) = if rows.len() >= 2 {
        (rows, header_end)
    } else {
        rows_after_labels(tokens)
    };
    by_labelled_rows(tokens, rows, header_end)
}

fn by_labelled_rows<'t>(
    tokens: &'t [Token],
    rows: Vec<LabelledRow<'t>>,
    header_end: Option<usize>,
) -> Option<Review> {
    let kind = rows.first()?.0;
    if rows.len() < 2 || rows.iter().any(|r| r.0 != kind) {
        return None;
    }
    let header = &tokens[..header_end?];
    let mut out = Review::default();
    let mut values: Vec<Vec<Option<&Token>>> = vec![vec![None; OUTCOMES.len()]; PROCEEDINGS.len()];
    let mut seen = vec![false; kind.labels().len()];
    let width = kind.columns().len();
    let confirmed = kind.column_order(header);
    let columns = confirmed.clone().unwrap_or_else(|| (0..width).collect());
    // In grid text, the header word over each field names its column.
    let header_fields: Vec<(u32, usize)> = header
        .iter()
        .filter_map(|t| {
            let column = kind.column_of(t.text()?)?;
            let k = columns.iter().position(|c| *c == column)?;
            Some((t.field?, k))
        })
        .collect();
    let by_field = |cells: &[&'t Token]| -> Option<Vec<Option<&'t Token>>> {
        let mut placed = vec![None; width];
        for t in cells.iter().filter(|t| t.is_filled()) {
            let mut named = header_fields.iter().filter(|(f, _)| Some(*f) == t.field);
            let (_, k) = named.next()?;
            if named.any(|(_, other)| other != k) || placed[*k].is_some() {
                return None;
            }
            placed[*k] = Some(*t);
        }
        Some(placed)
    };
    for (_, label, cells) in &rows {
        let line = cells.first().map(|t| t.line);
        if std::mem::replace(&mut seen[*label], true) {
            // The same label twice: not a table of one row per label.
            return None;
        }
        let placement = match place(cells, width) {
            Placement::Uncertain(why) => match by_field(cells) {
                Some(p) => Placement::Placed(
                    p,
                    Some("blank cells placed under the header words of their fields".into()),
                ),
                None => Placement::Uncertain(why),
            },
            p => p,
        };
        let placed = match placement {
            Placement::Placed(p, note) => {
                if let Some(note) = note {
                    out.findings
                        .push(placement_note(Table::ReviewLitigation, None, &note, line));
                }
                p
            }
            Placement::Blank => vec![None; width],
            Placement::Uncertain(why) => {
                for p in kind.proceedings(*label) {
                    out.findings.push(
                        Finding::new(
                            Severity::Error,
                            "row_cell_count",
                            format!(
                                "section 四, the row of {}: {why}; cells left null",
                                kind.labels()[*label]
                            ),
                        )
                        .at(Table::ReviewLitigation, Some(p), None)
                        .line(line),
                    );
                }
                vec![None; width]
            }
        };
        // Columns the header does not put in order: a row whose cells differ cannot be
        // placed.
        let differ = placed.iter().any(|c| {
            c.and_then(count) != placed[0].and_then(count) || c.is_none() != placed[0].is_none()
        });
        if confirmed.is_none() && differ {
            for p in kind.proceedings(*label) {
                out.findings.push(order_unconfirmed(
                    Table::ReviewLitigation,
                    Some(p),
                    "the columns",
                    line,
                ));
            }
            continue;
        }
        for (c, cell) in placed.into_iter().enumerate() {
            let (p, o) = kind.cell(*label, columns[c]);
            values[p][o] = cell;
        }
    }
    for (k, printed) in seen.iter().enumerate() {
        if !printed {
            for p in kind.proceedings(k) {
                out.findings.push(
                    Finding::new(
                        Severity::Warning,
                        "row_missing",
                        format!(
                            "section 四 prints a row per {}, and not the row of {}; its cells are left null",
                            if kind == RowKind::Outcome { "outcome" } else { "proceeding" },
                            kind.labels()[k]
                        ),
                    )
                    .at(Table::ReviewLitigation, Some(p), None),
                );
            }
        }
    }
    for (p, proceeding) in PROCEEDINGS.iter().enumerate() {
        for (o, outcome) in OUTCOMES.iter().enumerate() {
            let cell = values[p][o];
            out.push_cell(proceeding, outcome, cell, cell.and_then(count), None);
        }
    }
    Some(out)
}

/// A cell's count: a whole number printed without a unit and not cut.
fn count(t: &Token) -> Option<i64> {
    match &t.tok {
        Tok::Num(n) if !t.cut && n.unit.is_none() => int_value(n),
        _ => None,
    }
}

/// True when each proceeding's printed total (at `total_at` of its five) is the sum of
/// its other four.
fn review_totals_hold(values: &[(Option<i64>, &Token)], total_at: usize) -> bool {
    values.chunks(OUTCOMES.len()).all(|group| {
        let nums: Option<Vec<i64>> = group.iter().map(|(v, _)| *v).collect();
        match nums {
            Some(n) => n.iter().sum::<i64>() - n[total_at] == n[total_at],
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

/// When the filled tokens from `first` on begin with the numbers 1, 2, …, `columns` in
/// order, the index after the last of them.
fn column_numbers(tokens: &[Token], first: usize, columns: usize) -> Option<usize> {
    let numbered: Vec<usize> = (first..tokens.len())
        .filter(|i| tokens[*i].is_filled())
        .take(columns)
        .collect();
    let in_order = numbered.len() == columns
        && numbered.iter().enumerate().all(|(k, i)| {
            matches!(&tokens[*i].tok, Tok::Num(n) if n.unit.is_none() && !n.decimal && n.value == (k + 1) as f64)
        });
    in_order.then(|| numbered[columns - 1] + 1)
}

/// Printed block → template proceeding ([`PROCEEDINGS`]), read from the header before the
/// numbers: `行政复议` before or after `行政诉讼`, and `未经复议直接起诉` before or after
/// `复议后起诉`, on one line in the order a grid or `pdftotext -layout` prints columns, or
/// across the header's lines (see [`header_order`]). `None` when the header does not
/// confirm an order.
fn proceeding_order(header: &[Token]) -> Option<[usize; 3]> {
    let keys: Vec<Option<String>> = header.iter().map(|t| t.text().map(match_key)).collect();
    let position = |key: &str| keys.iter().position(|k| k.as_deref() == Some(key));
    let on_one_line = |a: &str, b: &str| match (position(a), position(b)) {
        (Some(i), Some(j)) if header[i].line == header[j].line => Some(j < i),
        _ => None,
    };
    let swapped = |a: &'static str, b: &'static str| -> Option<bool> {
        if let Some(s) = on_one_line(a, b) {
            return Some(s);
        }
        let pair = [a, b];
        match header_order(header, 2, |w| {
            let k = match_key(w);
            pair.iter().position(|p| *p == k).map_or(0, |c| 1 << c)
        }) {
            HeaderOrder::Template => Some(false),
            HeaderOrder::Printed(_) => Some(true),
            HeaderOrder::Unconfirmed => None,
        }
    };
    // Printed blocks of litigation: direct then after review, or swapped.
    let litigation = if swapped("未经复议直接起诉", "复议后起诉")? {
        [2, 1]
    } else {
        [1, 2]
    };
    Some(if swapped("行政复议", "行政诉讼")? {
        [litigation[0], litigation[1], 0]
    } else {
        [0, litigation[0], litigation[1]]
    })
}
