//! The three tables as grids of cells with spans (HTML semantics): built once from a
//! draft, then read by every format, each through the one view of how spans cover the
//! grid ([`slots`]).

use super::draft::Draft;
use crate::templates::printed;

impl Draft {
    /// The three tables as grids of origin cells with their spans (HTML semantics).
    pub(super) fn grids(&self) -> [Grid; 3] {
        let mut pro: Grid = Vec::new();
        let mut values = self.proactive.iter();
        for group in self.groups() {
            pro.push(vec![Cell::span(group.clause, 4, 1)]);
            let mut head = vec![Cell::text("信息内容")];
            for (i, h) in group.headers.iter().enumerate() {
                let last = i + 1 == group.headers.len();
                let span = if last { 4 - group.headers.len() } else { 1 };
                head.push(Cell::span(h, span, 1));
            }
            pro.push(head);
            for (_, label, measures) in group.items {
                let mut row = vec![Cell::text(label)];
                for (i, _) in measures.iter().enumerate() {
                    let (_, _, _, printed) = values.next().expect("a value per measure");
                    let last = i + 1 == measures.len();
                    let span = if last { 4 - measures.len() } else { 1 };
                    row.push(Cell::span(printed, span, 1));
                }
                pro.push(row);
            }
        }

        let h = printed::APPLICANT_HEADERS;
        let mut apps: Grid = vec![
            vec![
                Cell::span(printed::APPLICATION_CORNER, 3, 3),
                Cell::span(printed::APPLICANT_GROUP, 7, 1),
            ],
            vec![
                Cell::span(&self.header(h[0]), 1, 2),
                Cell::span(printed::ORGANISATIONS, 5, 1),
                Cell::span(&self.header(h[6]), 1, 2),
            ],
            h[1..6]
                .iter()
                .map(|x| Cell::text(&self.header(x)))
                .collect(),
        ];
        let disposals = self.apps.len() - 3;
        for (i, r) in self.apps.iter().enumerate() {
            let mut row = Vec::new();
            let in_results = (2..2 + disposals).contains(&i) || r.code == printed::TOTAL.0;
            if i == 2 {
                row.push(Cell::span(printed::RESULTS, 1, disposals));
            }
            if !in_results {
                row.push(Cell::span(r.label, 3, 1));
            } else if !r.group.is_empty() {
                let size = 1 + self.apps[i + 1..]
                    .iter()
                    .take_while(|n| {
                        n.group.is_empty() && n.label.starts_with(|c: char| c.is_ascii_digit())
                    })
                    .count();
                row.push(Cell::span(r.group, 1, size));
                row.push(Cell::text(r.label));
            } else if r.label.starts_with(|c: char| c.is_ascii_digit()) {
                row.push(Cell::text(r.label));
            } else {
                row.push(Cell::span(r.label, 2, 1));
            }
            row.extend(r.printed.iter().map(|v| Cell::text(v)));
            apps.push(row);
        }

        let mut rev: Grid = vec![
            vec![
                Cell::span(printed::REVIEW, 5, 1),
                Cell::span(printed::LITIGATION, 10, 1),
            ],
            printed::OUTCOMES
                .iter()
                .map(|o| Cell::span(&self.header(o), 1, 2))
                .chain(
                    printed::LITIGATION_KINDS
                        .iter()
                        .map(|k| Cell::span(k, 5, 1)),
                )
                .collect(),
            printed::OUTCOMES
                .iter()
                .chain(printed::OUTCOMES.iter())
                .map(|o| Cell::text(&self.header(o)))
                .collect(),
        ];
        rev.push(
            self.review
                .iter()
                .map(|v| Cell::text(&v.map_or_else(String::new, |v| self.number(v as f64))))
                .collect(),
        );
        [pro, apps, rev]
    }
}

/// What one grid position holds once spans are laid out.
#[derive(Debug, Clone, Copy)]
pub(super) enum Slot<'a> {
    /// Nothing: the row is shorter here.
    Empty,
    /// A cell's top-left position.
    Origin(&'a Cell),
    /// Covered by the colspan of a cell to the left in the same row.
    Right,
    /// Covered by the rowspan of a cell above; `first` at the first column of its span.
    Below { first: bool, colspan: usize },
}

/// The grid laid out by spans, one slot per position, each row up to its last occupied
/// position (a row with a defect's extra cell is longer than the rest). The one place
/// that knows how spans cover the grid; the text, Word and width views read it.
pub(super) fn slots(grid: &Grid) -> Vec<Vec<Slot<'_>>> {
    // Per column: rows still covered by a cell above, its colspan, and whether the column
    // is the first of that span.
    let mut below: Vec<(usize, usize, bool)> = Vec::new();
    let mut out = Vec::with_capacity(grid.len());
    for row in grid {
        let mut line = Vec::new();
        let mut col = 0;
        for c in row {
            while take_below(&mut below, col, &mut line) {
                col += 1;
            }
            line.push(Slot::Origin(c));
            line.extend(std::iter::repeat_n(Slot::Right, c.colspan - 1));
            if below.len() < col + c.colspan {
                below.resize(col + c.colspan, (0, 0, false));
            }
            for (i, b) in below[col..col + c.colspan].iter_mut().enumerate() {
                *b = (c.rowspan - 1, c.colspan, i == 0);
            }
            col += c.colspan;
        }
        while col < below.len() {
            if !take_below(&mut below, col, &mut line) {
                line.push(Slot::Empty);
            }
            col += 1;
        }
        while matches!(line.last(), Some(Slot::Empty)) {
            line.pop();
        }
        out.push(line);
    }
    out
}

/// Pushes the slot of a position covered from above, if it is one, counting the row off.
fn take_below(below: &mut [(usize, usize, bool)], col: usize, line: &mut Vec<Slot>) -> bool {
    match below.get_mut(col) {
        Some(b) if b.0 > 0 => {
            b.0 -= 1;
            line.push(Slot::Below {
                first: b.2,
                colspan: b.1,
            });
            true
        }
        _ => false,
    }
}

/// The number of columns the grid spans, cells under row spans included, and at least
/// the four of section 二.
pub(super) fn grid_width(grid: &Grid) -> usize {
    slots(grid).iter().map(Vec::len).max().unwrap_or(0).max(4)
}

/// A table cell with its spans.
#[derive(Debug, Clone)]
pub(super) struct Cell {
    pub(super) text: String,
    pub(super) colspan: usize,
    pub(super) rowspan: usize,
}

impl Cell {
    pub(super) fn text(t: &str) -> Cell {
        Cell::span(t, 1, 1)
    }
    pub(super) fn span(t: &str, colspan: usize, rowspan: usize) -> Cell {
        Cell {
            text: t.to_string(),
            colspan: colspan.max(1),
            rowspan: rowspan.max(1),
        }
    }
}

pub(super) type Grid = Vec<Vec<Cell>>;

/// The grid with spans expanded: text at the origin, blanks under spans.
pub(super) fn expand(grid: &Grid) -> Vec<Vec<String>> {
    slots(grid)
        .iter()
        .map(|line| {
            let row: Vec<String> = line
                .iter()
                .map(|slot| match slot {
                    Slot::Origin(c) => c.text.clone(),
                    _ => String::new(),
                })
                .collect();
            trim_blank_end(row)
        })
        .collect()
}

fn trim_blank_end(mut row: Vec<String>) -> Vec<String> {
    while row.last().is_some_and(String::is_empty) {
        row.pop();
    }
    row
}

/// The grid as Word's plain-text export prints it: a cell merged across columns once, a
/// cell merged down rows as blanks in the rows below.
pub(super) fn word_rows(grid: &Grid) -> Vec<Vec<String>> {
    slots(grid)
        .iter()
        .map(|line| {
            let mut row = Vec::new();
            for slot in line {
                match slot {
                    Slot::Origin(c) => row.push(c.text.clone()),
                    Slot::Below { first: true, .. } => row.push(String::new()),
                    Slot::Below { .. } | Slot::Right => {}
                    Slot::Empty => break,
                }
            }
            trim_blank_end(row)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expanding_spans_keeps_text_at_the_origin() {
        let grid = vec![
            vec![Cell::span("a", 2, 2), Cell::text("b")],
            vec![Cell::text("c")],
        ];
        assert_eq!(expand(&grid), vec![vec!["a", "", "b"], vec!["", "", "c"]]);
        assert_eq!(
            grid_width(&grid),
            4,
            "at least the four columns of section 二"
        );
    }
}
