//! Stage 7: the tables' own arithmetic. A failed check is a finding carrying the
//! expected and printed numbers; it never changes a value (reports really do misprint,
//! and users must see what was printed). Checks run only where every number they need
//! was read.

use crate::model::{Finding, Report, Severity, Table};
use crate::templates::{APPLICANTS, APPLICATION_ROWS, DISPOSAL_ROWS, OUTCOMES, PROCEEDINGS};

/// Runs every check and returns the findings.
pub fn validate(report: &Report) -> Vec<Finding> {
    let mut out = Vec::new();
    // Cells by (row, column) once: a lookup per check over ~200 cells was most of this
    // stage's time.
    let cells: std::collections::BTreeMap<(&str, &str), Option<i64>> = report
        .applications
        .iter()
        .map(|c| ((c.row, c.applicant), c.value))
        .collect();
    let app = |row: &str, col: &str| cells.get(&(row, col)).copied().flatten();
    let line = |row: &str| {
        report
            .applications
            .iter()
            .find(|c| c.row == row)
            .and_then(|c| c.source_line)
    };

    // Balance rule (勾稽关系) per column.
    for col in APPLICANTS {
        if let (Some(n), Some(o), Some(t), Some(f)) = (
            app("new_received", col),
            app("carried_over", col),
            app("total_processed", col),
            app("carried_forward", col),
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
                    .line(line("total_processed")),
                );
            }
        }
    }

    // The total column is the sum of the six applicant columns, row by row.
    for row in APPLICATION_ROWS {
        let vals: Option<Vec<i64>> = APPLICANTS[..6].iter().map(|c| app(row.code, c)).collect();
        if let (Some(vals), Some(total)) = (vals, app(row.code, "total")) {
            let sum: i64 = vals.iter().sum();
            if sum != total {
                out.push(
                    Finding::new(Severity::Warning, "row_total", format!("{}: the six applicant columns add up to {sum}, the total column prints {total}", row.code))
                        .at(Table::Applications, Some(row.code), Some("total"))
                        .values(sum.to_string(), total.to_string())
                        .line(line(row.code)),
                );
            }
        }
    }

    // total_processed is the sum of the disposal rows that the report prints.
    let printed: Vec<&str> = DISPOSAL_ROWS
        .iter()
        .copied()
        .filter(|r| report.applications.iter().any(|c| c.row == *r))
        .collect();
    let complete = printed
        .iter()
        .any(|r| *r == "other_handling" || *r == "other_misc")
        && printed.contains(&"granted")
        && printed.contains(&"declined_confirmation");
    if complete {
        for col in APPLICANTS {
            let vals: Option<Vec<i64>> = printed.iter().map(|r| app(r, col)).collect();
            if let (Some(vals), Some(total)) = (vals, app("total_processed", col)) {
                let sum: i64 = vals.iter().sum();
                if sum != total {
                    out.push(
                        Finding::new(Severity::Warning, "disposal_total", format!("{col}: the disposal rows add up to {sum}, total_processed prints {total}"))
                            .at(Table::Applications, Some("total_processed"), Some(col))
                            .values(sum.to_string(), total.to_string())
                            .line(line("total_processed")),
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
                    .at(Table::ReviewLitigation, Some(p), Some("total"))
                    .values(sum.to_string(), total.to_string())
                    .line(report.review(p, "total").and_then(|c| c.source_line)),
                );
            }
        }
    }
    out
}
