//! Paragraphs with table marks → the reader contract's lines: the layout shared by the
//! readers of word-processor formats that mark table cells and rows in a stream of
//! paragraphs (Word 97–2003 `.doc`, RTF), where the DOCX and HTML readers have elements.
//!
//! A paragraph is a line; a row is one line of tab-separated cells laid out on its
//! table's grid (the union of the cell edges of its rows), a cell spanning grid columns
//! or continuing a merge leaving the positions it covers as [`COVERED`]; a cell's
//! paragraphs are joined by a space; a nested table's rows follow the row that holds it.

use crate::read::{cell_text, COVERED};

/// Widest table row, in grid columns (as the DOCX reader).
pub const MAX_COLUMNS: usize = super::docx::MAX_COLUMNS;
/// Deepest table nesting followed (Word allows 63).
pub const MAX_DEPTH: usize = 64;
/// Cell edges closer than this (in twips, 1/1440 inch: 0.7 mm) are one grid line.
const GRID_SNAP: i32 = 40;

/// The properties of a paragraph that place it in a table.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Para {
    /// Table depth (0: not in a table).
    pub depth: u32,
    /// Ends a row of a top-level table (a `\x07` mark).
    pub ttp: bool,
    /// Ends a cell of a nested table.
    pub inner_cell: bool,
    /// Ends a row of a nested table.
    pub inner_ttp: bool,
    /// The row's cells: left and right edges, and whether each continues a merge.
    pub row: Option<RowDef>,
}

/// A paragraph outside any table: what a mark without properties is.
pub const PLAIN: Para = Para {
    depth: 0,
    ttp: false,
    inner_cell: false,
    inner_ttp: false,
    row: None,
};

/// A table row's definition (`sprmTDefTable`, `sprmTVertMerge`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RowDef {
    /// Cell edges, `cells + 1` of them, in twips.
    pub edges: Vec<i16>,
    /// Per cell: covered by a merge (the continuation of a horizontal or vertical merge).
    pub covered: Vec<bool>,
}

/// A row read: its cells, its definition when one was given, and the lines of tables
/// nested in it.
struct Row {
    cells: Vec<String>,
    def: Option<RowDef>,
    after: Vec<String>,
}

impl Row {
    /// The definition, when it describes these cells.
    fn fitting_def(&self) -> Option<&RowDef> {
        self.def
            .as_ref()
            .filter(|d| d.edges.len() == self.cells.len() + 1)
    }
}

/// A table being read: its rows so far, the cells of the row being read, the paragraphs
/// of the cell being read, and the lines of tables nested in the row.
#[derive(Default)]
struct Table {
    rows: Vec<Row>,
    cells: Vec<String>,
    cell: Vec<String>,
    after: Vec<String>,
}

impl Table {
    fn end_cell(&mut self) {
        let cell = cell_text(&std::mem::take(&mut self.cell));
        self.cells.push(cell);
    }

    fn end_row(&mut self, def: Option<RowDef>) {
        self.rows.push(Row {
            cells: std::mem::take(&mut self.cells),
            def,
            after: std::mem::take(&mut self.after),
        });
    }
}

/// Turns paragraphs into lines.
#[derive(Default)]
pub struct Layout {
    out: Vec<String>,
    tables: Vec<Table>,
}

impl Layout {
    /// The document's lines, once its last paragraph is in.
    pub fn finish(mut self) -> String {
        while !self.tables.is_empty() {
            self.close_table();
        }
        let mut s = self.out.join("\n");
        s.push('\n');
        s
    }

    /// A paragraph ended by `mark` (`\r`: a paragraph; `\x07`: a cell or row of a
    /// top-level table, as `para` says).
    pub fn paragraph(&mut self, text: String, mark: char, para: &Para) {
        let depth = para.depth as usize;
        while self.tables.len() > depth {
            self.close_table();
        }
        while self.tables.len() < depth {
            self.tables.push(Table::default());
        }
        let Some(table) = self.tables.last_mut() else {
            for line in text.split('\n') {
                self.out.push(line.to_string());
            }
            return;
        };
        let (row_end, cell_end) = if depth > 1 {
            (para.inner_ttp, para.inner_cell)
        } else {
            (mark == '\x07' && para.ttp, mark == '\x07' && !para.ttp)
        };
        if row_end {
            table.end_row(para.row.clone());
            return;
        }
        table.cell.push(text);
        if cell_end {
            table.end_cell();
        }
    }

    /// Ends the innermost table: its rows laid out on its grid, as lines after the row
    /// of the table that holds it, or of the document.
    fn close_table(&mut self) {
        let Some(mut table) = self.tables.pop() else {
            return;
        };
        if !table.cell.is_empty() {
            table.end_cell();
        }
        if !table.cells.is_empty() || !table.after.is_empty() {
            table.end_row(None);
        }
        let lines = grid_lines(table.rows);
        match self.tables.last_mut() {
            Some(outer) => outer.after.extend(lines),
            None => self.out.extend(lines),
        }
    }
}

/// A table's rows as lines on the grid of all its rows' cell edges. A row whose
/// definition does not match its cells is written cell after cell.
fn grid_lines(rows: Vec<Row>) -> Vec<String> {
    let mut grid: Vec<i16> = rows
        .iter()
        .filter_map(Row::fitting_def)
        .flat_map(|d| d.edges.iter().copied())
        .collect();
    grid.sort_unstable();
    // Rows drawn by hand, or converted, put the same edge a few twips apart; a column
    // narrower than GRID_SNAP cannot hold text.
    grid.dedup_by(|b, a| i32::from(*b) - i32::from(*a) < GRID_SNAP);
    if grid.len() > MAX_COLUMNS + 1 {
        grid.truncate(MAX_COLUMNS + 1);
    }
    let column =
        |edge: i16| grid.partition_point(|&g| i32::from(g) < i32::from(edge) - GRID_SNAP / 2);
    let mut lines = Vec::new();
    for row in rows {
        let fits = row.fitting_def().is_some();
        let Row { cells, def, after } = row;
        let Some(def) = def.filter(|_| fits) else {
            lines.push(crate::read::row_line(cells));
            lines.extend(after);
            continue;
        };
        let mut line: Vec<String> = Vec::with_capacity(cells.len());
        for (i, cell) in cells.into_iter().enumerate() {
            let from = column(def.edges[i]).min(MAX_COLUMNS);
            let to = column(def.edges[i + 1]).clamp(from + 1, MAX_COLUMNS + 1);
            if line.len() < from {
                line.resize(from, COVERED.to_string());
            }
            if line.len() >= MAX_COLUMNS {
                break;
            }
            line.push(if def.covered.get(i) == Some(&true) && cell.is_empty() {
                COVERED.to_string()
            } else {
                cell
            });
            let covered = (line.len() + (to - from) - 1).min(MAX_COLUMNS);
            line.resize(covered.max(line.len()), COVERED.to_string());
        }
        lines.push(crate::read::row_line(line));
        lines.extend(after);
    }
    lines
}
