//! Tables drawn with box-drawing characters (`w3m -dump`, `elinks -dump`): rows rebuilt.
//!
//! A text browser lays a table out in a fixed width: borders drawn with `│ ─ ┼ ├ ┤ …`,
//! a row's cells wrapped over several lines (`（二）部分公开（区分处理的，只` /
//! `计这一情形，不计其他情形）`) and each number on one of them, blank cells as spaces.
//! Read line by line, a wrapped row is a label fragment with its numbers and the blank
//! cells lost their place (a blank 自然人 cell let the next column's 1 slide into it).
//! Between two rule lines every line of a row has the same borders, so the row is
//! rebuilt column by column (each cell's fragments joined) into one tab-separated line,
//! the form the grid readers give a table row; blank cells stay blank fields.
//!
//! A cell whose fragments would join two digit runs (`12` / `34`) cannot be told from
//! two numbers stacked in one cell: it is written as unreadable (`?`), read as null
//! with a finding. A row whose lines do not share their borders is left as printed,
//! its borders as pipes. Line numbers are kept: a row's text goes to its first line,
//! the row's other lines and the rule lines become empty.

use crate::normalise::{char_width, Line};
use crate::read::COVERED;

/// Vertical borders (light, heavy, double).
const VERTICAL: [char; 3] = ['│', '┃', '║'];

/// Horizontal rules: a line holding one separates rows.
const RULE: [char; 3] = ['─', '━', '═'];

/// True for a line of a box-drawn table: it starts (after indentation) with a character
/// of the Box Drawing block (U+2500–U+257F).
fn is_boxed(text: &str) -> bool {
    text.trim_start().chars().next().is_some_and(is_box)
}

/// The lines with every box-drawn table's rows rebuilt; other lines untouched.
pub(super) fn rebuild(mut lines: Vec<Line>) -> Vec<Line> {
    // Cheap prefilter: nearly no document draws boxes. Every box-drawing character is
    // encoded E2 94 xx or E2 95 xx; one byte search a line finds the few lines worth a look.
    let boxed = |t: &str| {
        memchr::memchr_iter(0xE2, t.as_bytes())
            .any(|i| matches!(t.as_bytes().get(i + 1), Some(0x94 | 0x95)))
    };
    if !lines
        .iter()
        .any(|l| boxed(&l.text) && l.text.contains(VERTICAL))
    {
        return lines;
    }
    let mut i = 0;
    while i < lines.len() {
        if !is_boxed(&lines[i].text) {
            i += 1;
            continue;
        }
        let start = i;
        while i < lines.len() && is_boxed(&lines[i].text) {
            i += 1;
        }
        rebuild_table(&mut lines[start..i]);
    }
    lines
}

/// True for a rule line: a horizontal stroke with a corner or a junction (`├──┼──┤`,
/// `│   ├──┤`), or nothing but box drawing. A row whose cell prints `─` for "none"
/// (`│规章│─│5│`) has only vertical borders besides: read as a rule, the row was lost.
fn is_rule(text: &str) -> bool {
    text.contains(RULE)
        && (text.chars().all(|c| c.is_whitespace() || is_box(c))
            || text
                .chars()
                .any(|c| is_box(c) && !VERTICAL.contains(&c) && !RULE.contains(&c)))
}

/// A character of the Box Drawing block (U+2500–U+257F).
fn is_box(c: char) -> bool {
    ('\u{2500}'..='\u{257F}').contains(&c)
}

fn rebuild_table(block: &mut [Line]) {
    let mut i = 0;
    let mut above: Option<String> = None;
    while i < block.len() {
        if is_rule(&block[i].text) {
            above = Some(block[i].raw().to_string());
            block[i].text.clear();
            i += 1;
            continue;
        }
        let start = i;
        while i < block.len() && !is_rule(&block[i].text) {
            i += 1;
        }
        rebuild_row(&mut block[start..i], above.as_deref());
    }
}

/// For each field of `row` (as [`fields`] cuts it), whether the rule line `above` draws a
/// stroke over it: a cell that starts at this row. A cell spanning rows from above has
/// no stroke over it (`│    ├───┤`). `None` when the two lines do not line up.
fn struck_over(row: &str, above: &str) -> Option<Vec<bool>> {
    let mut borders = Vec::new();
    let mut col = 0;
    for c in row.trim_end().chars() {
        if VERTICAL.contains(&c) {
            borders.push(col);
        }
        col += char_width(c);
    }
    let mut strokes = Vec::new();
    for c in above.trim_end().chars() {
        let w = char_width(c);
        strokes.extend(std::iter::repeat_n(RULE.contains(&c), w));
    }
    if strokes.len() != col {
        return None;
    }
    Some(
        borders
            .windows(2)
            .map(|w| strokes[w[0] + 1..w[1]].iter().any(|&s| s))
            .collect(),
    )
}

/// The fields of a line between its first and last border.
fn fields(text: &str) -> Vec<&str> {
    let mut parts: Vec<&str> = text.split(VERTICAL).collect();
    // Before the left border: indentation; after the right one: nothing (or trailing
    // spaces).
    parts.remove(0);
    if parts.last().is_some_and(|p| p.trim().is_empty()) {
        parts.pop();
    }
    parts.into_iter().map(str::trim).collect()
}

fn rebuild_row(row: &mut [Line], above: Option<&str>) {
    let split: Vec<Vec<&str>> = row.iter().map(|l| fields(&l.text)).collect();
    let width = split[0].len();
    if width == 0 || split.iter().any(|f| f.len() != width) {
        // Borders that differ between the lines of a row: not a grid we can rebuild.
        for line in row.iter_mut() {
            line.text = line.text.replace(VERTICAL, "|");
        }
        return;
    }
    let mut cells: Vec<String> = vec![String::new(); width];
    for f in &split {
        for (cell, piece) in cells.iter_mut().zip(f) {
            if piece.is_empty() {
                continue;
            }
            let digits_meet = cell.ends_with(|c: char| c.is_ascii_digit())
                && piece.starts_with(|c: char| c.is_ascii_digit());
            if digits_meet || cell == "?" {
                *cell = "?".to_string();
            } else {
                cell.push_str(piece);
            }
        }
    }
    // A cell of a stroke alone (`─`) is a dash printed for "none", as other tables print
    // `—`.
    for cell in cells.iter_mut() {
        if !cell.is_empty() && cell.chars().all(|c| RULE.contains(&c)) {
            *cell = "—".to_string();
        }
    }
    // Blank fields before the row's first text are the columns of cells spanning rows
    // from above (the group's label): covered positions, as the grid readers write them.
    // A row of numbers only (section 四's) has no label: its leading blank fields are
    // blank cells where the rule above it crosses them (read as covered, the row was
    // short of cells and the whole section lost).
    let numbers_only = cells.iter().all(|c| {
        c.chars()
            .all(|ch| ch.is_ascii_digit() || matches!(ch, '-' | '+' | '.' | ',' | '?'))
    });
    let struck = above
        .filter(|_| numbers_only)
        .and_then(|a| struck_over(row[0].raw(), a))
        .filter(|s| s.len() == width);
    for (j, cell) in cells.iter_mut().enumerate() {
        if !cell.is_empty() {
            break;
        }
        if struck.as_ref().is_some_and(|s| s[j]) {
            continue;
        }
        *cell = COVERED.to_string();
    }
    while cells.last().is_some_and(|c| c.is_empty() || c == COVERED) {
        cells.pop();
    }
    let text = cells.join("\t");
    row[0].text = text;
    for line in row[1..].iter_mut() {
        line.text.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<Line> {
        text.split('\n')
            .enumerate()
            .map(|(i, l)| Line::new(i as u32 + 1, l, l.to_string()))
            .collect()
    }

    fn texts(text: &str) -> Vec<String> {
        rebuild(lines(text)).into_iter().map(|l| l.text).collect()
    }

    #[test]
    fn a_wrapped_row_is_one_line_with_its_blank_cells() {
        let t = "├──────┼────┼────┼──┤\n│（二）部分公开（区分│    │    │  │\n│处理的）    │    │1   │3 │\n├──────┼────┼────┼──┤";
        assert_eq!(
            texts(t),
            ["", "（二）部分公开（区分处理的）\t\t1\t3", "", ""]
        );
    }

    #[test]
    fn spanned_columns_before_the_label_are_covered() {
        let t = "│     │1.属于国家秘密 │   │2 │";
        assert_eq!(texts(t), [format!("{COVERED}\t1.属于国家秘密\t\t2")]);
    }

    #[test]
    fn digits_wrapped_inside_a_cell_are_unreadable() {
        let t = "│行政许可│12 │\n│        │34 │";
        assert_eq!(texts(t), ["行政许可\t?", ""]);
    }

    #[test]
    fn a_dash_cell_is_not_a_rule() {
        let t = "├──┼──┼──┤\n│规章│─│5 │\n├──┼──┼──┤";
        assert_eq!(texts(t), ["", "规章\t—\t5", ""]);
    }

    #[test]
    fn blank_cells_of_a_row_of_numbers_under_a_rule_stay_blank() {
        let t = "├──┼──┼──┤\n│  │  │5 │\n└──┴──┴──┘";
        assert_eq!(texts(t), ["", "\t\t5", ""]);
        // Under a cell spanning rows (no stroke over it): covered.
        let t = "│  ├──┼──┤\n│  │  │5 │";
        assert_eq!(texts(t), ["".to_string(), format!("{COVERED}\t\t5")]);
    }

    #[test]
    fn rows_with_different_borders_keep_their_text_as_pipes() {
        let t = "│a│b│\n│c│";
        assert_eq!(texts(t), ["|a|b|", "|c|"]);
    }

    #[test]
    fn text_without_boxes_is_untouched() {
        let t = "规章\t0\t1\n二、主动公开";
        assert_eq!(texts(t), ["规章\t0\t1", "二、主动公开"]);
    }
}
