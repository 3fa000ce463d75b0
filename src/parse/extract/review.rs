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

/// Reads section 四: a header of labels, then one row of 15 cells.
pub fn review(section: &Section) -> Review {
    let mut out = Review::default();
    let tokens = &section.tokens;
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
        .filter(|t| !matches!(t.tok, Tok::Text(_)))
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
    let order = proceeding_order(&tokens[..first]);
    if order != [0, 1, 2] {
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
    for (i, cell) in placed.iter().enumerate() {
        let proceeding = PROCEEDINGS[order[i / OUTCOMES.len()]];
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
/// numbers: `行政复议` and `行政诉讼` printed on one line, and `未经复议直接起诉` and
/// `复议后起诉` on one line, in the order a grid or `pdftotext -layout` prints columns.
/// Template order where a line does not hold both of a pair.
fn proceeding_order(header: &[Token]) -> [usize; 3] {
    let keys: Vec<Option<String>> = header.iter().map(|t| t.text().map(match_key)).collect();
    let position = |key: &str| keys.iter().position(|k| k.as_deref() == Some(key));
    let before_on_one_line = |a: &str, b: &str| match (position(a), position(b)) {
        (Some(i), Some(j)) => header[i].line == header[j].line && j < i,
        _ => false,
    };
    // Printed blocks of litigation: direct then after review, or swapped.
    let litigation = if before_on_one_line("未经复议直接起诉", "复议后起诉") {
        [2, 1]
    } else {
        [1, 2]
    };
    if before_on_one_line("行政复议", "行政诉讼") {
        [litigation[0], litigation[1], 0]
    } else {
        [0, litigation[0], litigation[1]]
    }
}
