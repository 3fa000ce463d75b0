//! The `ocr_markdown` class: the tables as OCR prints them in Markdown, under a generic or
//! foreign header, labels without their numbering, groups dropped or moved, some labels
//! split over two rows.

use super::super::draft::{Agency, Draft};
use super::super::grid::expand;
use super::super::rng::Rng;
use super::super::{File, SynthFormat};
use super::{plain, Place};
use crate::templates::printed;

/// A label without its numbering (`一、`, `（三）`, `1.`), as OCR tables often print it.
fn strip_numbering(label: &str) -> &str {
    const CN: &str = "一二三四五六七八九十";
    if let Some((head, rest)) = label.split_once('、') {
        if !head.is_empty() && head.chars().all(|c| CN.contains(c)) {
            return rest;
        }
    }
    if let Some(rest) = label.strip_prefix('（') {
        if let Some((head, rest)) = rest.split_once('）') {
            if !head.is_empty() && head.chars().all(|c| CN.contains(c)) {
                return rest;
            }
        }
    }
    let digits = label.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 {
        if let Some(rest) = label[digits..].strip_prefix('.') {
            return rest;
        }
    }
    label
}

fn md_row<S: AsRef<str>>(cells: &[S]) -> String {
    let cells: Vec<&str> = cells.iter().map(AsRef::as_ref).collect();
    format!("| {} |\n", cells.join(" | "))
}

/// The header row and its `---` line: generic (`项目 | 数据1 | …`) for `width` columns,
/// or `foreign`, the header of another table.
fn md_header(rng: &mut Rng, width: usize, foreign: &[&str]) -> String {
    let header: Vec<String> = if rng.chance(0.35) {
        foreign.iter().map(|s| s.to_string()).collect()
    } else {
        std::iter::once("项目".to_string())
            .chain((1..width).map(|i| format!("数据{i}")))
            .collect()
    };
    md_row(&header) + &md_row(&vec!["---"; header.len()])
}

/// How OCR printed the groups of section 三.
#[derive(Clone, Copy, PartialEq)]
enum MdGroups {
    /// Group labels gone.
    Dropped,
    /// A group label on a row of its own, with blank cells.
    OwnRow,
    /// Two label columns: the group (on its first row) and the label.
    Column,
}

/// A row's label split in two as OCR breaks a wrapped cell.
#[derive(Clone, Copy, PartialEq)]
enum Split {
    /// The first half on a line with blank cells, the rest with the cells.
    BlankCells,
    /// The first half on a line alone.
    Alone,
    /// One line, `<br>` inside the cell.
    Br,
}

fn halves(label: &str) -> (String, String) {
    let n = label.chars().count();
    (
        label.chars().take(n / 2).collect(),
        label.chars().skip(n / 2).collect(),
    )
}

fn md_applications(d: &Draft, rng: &mut Rng) -> String {
    let groups = *rng.pick(&[MdGroups::Dropped, MdGroups::OwnRow, MdGroups::Column]);
    let lead = usize::from(groups == MdGroups::Column);
    let width = 8 + lead;
    let foreign: Vec<&str> = std::iter::once("信息内容")
        .chain(d.groups()[0].headers.iter().copied())
        .collect();
    let mut out = md_header(rng, width, &foreign);
    if rng.chance(0.5) {
        let mut row = vec![""; lead];
        row.push(printed::APPLICANT_GROUP);
        row.extend(printed::APPLICANT_HEADERS);
        out += &md_row(&row);
    }
    let mut splits = 0;
    for (i, r) in d.apps.iter().enumerate() {
        let label = strip_numbering(r.label);
        let group = strip_numbering(r.group);
        if groups == MdGroups::OwnRow && !r.group.is_empty() {
            let mut row = vec![group.to_string()];
            row.resize(width, String::new());
            out += &md_row(&row);
        }
        if groups == MdGroups::OwnRow && i == 2 {
            let mut row = vec![strip_numbering(printed::RESULTS).to_string()];
            row.resize(width, String::new());
            out += &md_row(&row);
        }
        let mut lead_cells: Vec<String> = Vec::new();
        if groups == MdGroups::Column {
            lead_cells.push(group.to_string());
        }
        let split = (label.chars().count() > 10 && splits < 2 && rng.chance(0.3))
            .then(|| *rng.pick(&[Split::BlankCells, Split::Alone, Split::Br]));
        let mut cells = lead_cells.clone();
        match split {
            None => cells.push(label.to_string()),
            Some(how) => {
                splits += 1;
                let (a, b) = halves(label);
                match how {
                    Split::Br => cells.push(format!("{a}<br>{b}")),
                    Split::BlankCells | Split::Alone => {
                        let mut first = lead_cells.clone();
                        first.push(a);
                        if how == Split::BlankCells {
                            first.resize(width, String::new());
                        }
                        out += &md_row(&first);
                        cells = vec![String::new(); lead];
                        cells.push(b);
                    }
                }
            }
        }
        cells.extend(r.printed.iter().cloned());
        out += &md_row(&cells);
    }
    out
}

pub(super) fn ocr_markdown(rng: &mut Rng, at: &Place) -> File {
    let agency = Agency::draw(rng);
    let mut d = Draft::draw(rng, agency, SynthFormat::Text, None);
    let blank_zeros = d.blank_zeros;
    plain(&mut d);
    // OCR prints blank cells blank: only the variations that spoil its reading go.
    if blank_zeros {
        restore_blank_zeros(&mut d);
    }
    let mut out = String::new();
    let title_style = rng.below(3);
    for line in d.title().lines() {
        out += &match title_style {
            0 => format!("# {line}\n\n"),
            1 => format!("**{line}**\n\n"),
            _ => format!("{line}\n\n"),
        };
    }
    for p in d.intro() {
        out += &p;
        out += "\n\n";
    }
    let heading_style = rng.below(3);
    let grids = d.grids();
    for (s, grid) in grids.iter().enumerate() {
        if let Some(h) = &d.headings.tables[s] {
            out += &match heading_style {
                0 => format!("## {h}\n\n"),
                1 => format!("**{h}**\n\n"),
                _ => format!("{h}\n\n"),
            };
        }
        match s {
            0 => {
                out += &md_header(rng, 4, &applicants_row());
                for row in expand(grid) {
                    let mut row: Vec<String> = row;
                    row.resize(4, String::new());
                    out += &md_row(&row);
                }
            }
            1 => out += &md_applications(&d, rng),
            _ => {
                out += &md_header(rng, 15, &applicants_row());
                if rng.chance(0.6) {
                    for row in expand(&grid[..3].to_vec()) {
                        let mut row: Vec<String> = row;
                        row.resize(15, String::new());
                        out += &md_row(&row);
                    }
                }
                out += &md_row(&expand(&grid[3..].to_vec())[0]);
            }
        }
        out += "\n";
    }
    for p in d.outro() {
        out += &p;
        out += "\n\n";
    }
    at.report(&d, "ocr_markdown", "md", out.into_bytes(), "utf-8")
}

/// Section 三's printed column headers in one row (申请人情况, 自然人, …, 总计).
fn applicants_row() -> Vec<&'static str> {
    std::iter::once(printed::APPLICANT_GROUP)
        .chain(printed::APPLICANT_HEADERS)
        .collect()
}

/// Zeros blank again after [`plain`], in values and print.
fn restore_blank_zeros(d: &mut Draft) {
    d.blank_zeros = true;
    for r in d.apps.iter_mut() {
        for (v, shown) in r.values.iter_mut().zip(r.printed.iter_mut()) {
            if *v == Some(0) {
                *v = None;
                shown.clear();
            }
        }
    }
    for v in d.review.iter_mut() {
        if *v == Some(0) {
            *v = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbering_is_stripped_from_labels() {
        assert_eq!(
            strip_numbering("一、本年新收政府信息公开申请数量"),
            "本年新收政府信息公开申请数量"
        );
        assert_eq!(strip_numbering("（三）不予公开"), "不予公开");
        assert_eq!(strip_numbering("1.属于国家秘密"), "属于国家秘密");
        assert_eq!(strip_numbering("行政许可"), "行政许可");
    }
}
