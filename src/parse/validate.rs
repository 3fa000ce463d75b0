//! Stage 7: the tables' own arithmetic. A failed check is a finding carrying the
//! expected and printed numbers; it never changes a value (reports really do misprint,
//! and users must see what was printed). Checks run only where every number they need
//! was read.

use crate::model::{Finding, Report, Severity, Table};
use crate::templates::{APPLICANTS, APPLICATION_ROWS, DISPOSAL_ROWS, OUTCOMES, PROCEEDINGS};

/// Runs every check and returns the findings.
pub fn validate(report: &Report) -> Vec<Finding> {
    let mut out = Vec::new();
    let cells = Grid::of(report);
    let [new, old, processed, forward] = [
        "new_received",
        "carried_over",
        "total_processed",
        "carried_forward",
    ]
    .map(row_index);
    let total = APPLICANTS.len() - 1;

    // Balance rule (勾稽关系) per column.
    for (a, col) in APPLICANTS.iter().enumerate() {
        if let (Some(n), Some(o), Some(t), Some(f)) = (
            cells.at(new, a),
            cells.at(old, a),
            cells.at(processed, a),
            cells.at(forward, a),
        ) {
            if n + o != t + f {
                out.push(
                    Finding::new(
                        Severity::Warning,
                        "balance",
                        format!("balance rule fails for {col}: new_received {n} + carried_over {o} != total_processed {t} + carried_forward {f}"),
                    )
                    .at(Table::Applications, None, Some(col))
                    .values((n + o).to_string(), (t + f).to_string())
                    .line(cells.line(processed)),
                );
            }
        }
    }

    // The total column is the sum of the six applicant columns, row by row.
    for (r, row) in APPLICATION_ROWS.iter().enumerate() {
        let vals: Option<Vec<i64>> = (0..total).map(|a| cells.at(Some(r), a)).collect();
        if let (Some(vals), Some(printed)) = (vals, cells.at(Some(r), total)) {
            let sum: i64 = vals.iter().sum();
            if sum != printed {
                out.push(
                    Finding::new(Severity::Warning, "row_total", format!("{}: the six applicant columns add up to {sum}, the total column prints {printed}", row.code))
                        // The whole row: which of its cells is wrong cannot be told (a
                        // number printed twice and another dropped still fill the row).
                        .at(Table::Applications, Some(row.code), None)
                        .values(sum.to_string(), printed.to_string())
                        .line(cells.line(Some(r))),
                );
            }
        }
    }

    // total_processed is the sum of the disposal rows that the report prints.
    let printed: Vec<&str> = DISPOSAL_ROWS
        .iter()
        .copied()
        .filter(|r| cells.printed(row_index(r)))
        .collect();
    let complete = printed
        .iter()
        .any(|r| *r == "other_handling" || *r == "other_misc")
        && printed.contains(&"granted")
        && printed.contains(&"declined_confirmation");
    if complete {
        let rows: Vec<Option<usize>> = printed.iter().map(|r| row_index(r)).collect();
        for (a, col) in APPLICANTS.iter().enumerate() {
            let vals: Option<Vec<i64>> = rows.iter().map(|r| cells.at(*r, a)).collect();
            if let (Some(vals), Some(total)) = (vals, cells.at(processed, a)) {
                let sum: i64 = vals.iter().sum();
                if sum != total {
                    out.push(
                        Finding::new(Severity::Warning, "disposal_total", format!("{col}: the disposal rows add up to {sum}, total_processed prints {total}"))
                            .at(Table::Applications, Some("total_processed"), Some(col))
                            .values(sum.to_string(), total.to_string())
                            .line(cells.line(processed)),
                    );
                }
            }
        }
    }

    // Section 四: each total is the sum of its outcomes.
    for p in PROCEEDINGS {
        let vals: Option<Vec<i64>> = OUTCOMES[..4]
            .iter()
            .map(|o| report.review(p, o).and_then(|c| c.value))
            .collect();
        let total = report.review(p, "total").and_then(|c| c.value);
        if let (Some(vals), Some(total)) = (vals, total) {
            let sum: i64 = vals.iter().sum();
            if sum != total {
                out.push(
                    Finding::new(
                        Severity::Warning,
                        "review_total",
                        format!("{p}: outcomes add up to {sum}, the total prints {total}"),
                    )
                    .at(Table::ReviewLitigation, Some(p), None)
                    .values(sum.to_string(), total.to_string())
                    .line(report.review(p, "total").and_then(|c| c.source_line)),
                );
            }
        }
    }
    out
}

/// Section 三's cells by row and column of the template, once: checks look cells up
/// several hundred times a report, and string keys (a map, or a scan of ~200 cells per
/// lookup) were most of this stage's time.
struct Grid {
    /// `[row][applicant]`: `None` when the cell is not printed, else its value.
    cells: Vec<[Option<Option<i64>>; APPLICANTS.len()]>,
    /// The source line of each row's first cell, when the row is printed.
    lines: Vec<Option<Option<u32>>>,
}

impl Grid {
    fn of(report: &Report) -> Grid {
        let mut g = Grid {
            cells: vec![[None; APPLICANTS.len()]; APPLICATION_ROWS.len()],
            lines: vec![None; APPLICATION_ROWS.len()],
        };
        // Cells come row by row: the row's index is looked up once per row.
        let mut last: Option<(&str, Option<usize>)> = None;
        for c in &report.applications {
            let r = match last {
                Some((code, r)) if code == c.row => r,
                _ => {
                    let r = row_index(c.row);
                    last = Some((c.row, r));
                    r
                }
            };
            let (Some(r), Some(a)) = (r, APPLICANTS.iter().position(|a| *a == c.applicant)) else {
                continue;
            };
            // As a map collected from the cells: a cell printed twice keeps its last value.
            g.cells[r][a] = Some(c.value);
            g.lines[r].get_or_insert(c.source_line);
        }
        g
    }

    /// The value of the cell at row `r` (an index of `APPLICATION_ROWS`) and column `a`.
    fn at(&self, r: Option<usize>, a: usize) -> Option<i64> {
        self.cells[r?][a].flatten()
    }

    fn line(&self, r: Option<usize>) -> Option<u32> {
        self.lines[r?].flatten()
    }

    fn printed(&self, r: Option<usize>) -> bool {
        r.is_some_and(|r| self.lines[r].is_some())
    }
}

fn row_index(code: &str) -> Option<usize> {
    APPLICATION_ROWS.iter().position(|r| r.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The grid answers as the cells it was built from: the last value of a cell printed
    /// twice, the first cell's line, absent rows and columns.
    #[test]
    fn the_grid_reads_as_the_cells() {
        let text = "三、收到和处理政府信息公开申请情况\n申请人情况\t自然人\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t总计\n一、本年新收政府信息公开申请数量\t5\t0\t0\t0\t0\t1\t6\n二、上年结转政府信息公开申请数量\t1\t0\t0\t0\t0\t0\t1\n";
        let mut report = crate::parse_document(text.as_bytes());
        assert!(!report.applications.is_empty());
        let first = report.applications[0].clone();
        let mut again = first.clone();
        again.value = Some(99);
        again.source_line = Some(1000);
        report.applications.push(again);
        let g = Grid::of(&report);
        let col = |a: &str| APPLICANTS.iter().position(|x| *x == a).unwrap();
        for c in &report.applications[..report.applications.len() - 1] {
            if (c.row, c.applicant) != (first.row, first.applicant) {
                assert_eq!(g.at(row_index(c.row), col(c.applicant)), c.value);
            }
        }
        assert_eq!(g.at(row_index(first.row), col(first.applicant)), Some(99));
        assert_eq!(g.line(row_index(first.row)), first.source_line);
        assert!(g.printed(row_index("new_received")) && !g.printed(row_index("granted")));
        assert_eq!(g.at(row_index("granted"), col("total")), None);
        assert_eq!(g.at(row_index("no_such_row"), col("total")), None);
    }
}
