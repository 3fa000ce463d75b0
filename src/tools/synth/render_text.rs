//! Text files: the tables in the text layouts real exports print (tab rows as Word or a
//! spreadsheet saves them, pipe rows, one cell per line, columns aligned with spaces as
//! `pdftotext -layout` prints them), with page breaks, and the encodings they come in.

use super::draft::Draft;
use super::grid::{grid_width, Grid};
use super::rng::Rng;
use crate::templates::printed;

pub(super) const TEXT_LAYOUTS: [&str; 5] = ["tab", "tab_grid", "pipe", "cells", "layout"];

/// Encodes a text file: UTF-8 mostly, else with a BOM, GB18030, Big5 (traditional text
/// Big5 can hold) or UTF-16 with a BOM. Returns the bytes and the encoding's name.
pub(super) fn encode(rng: &mut Rng, text: &str, traditional: bool) -> (Vec<u8>, &'static str) {
    match rng.below(20) {
        0..=10 => (text.as_bytes().to_vec(), "utf-8"),
        11..=12 => {
            let mut b = vec![0xEF, 0xBB, 0xBF];
            b.extend_from_slice(text.as_bytes());
            (b, "utf-8-bom")
        }
        13..=16 => {
            if traditional {
                let (b, _, unmappable) = encoding_rs::BIG5.encode(text);
                if !unmappable {
                    return (b.into_owned(), "big5");
                }
            }
            (encoding_rs::GB18030.encode(text).0.into_owned(), "gb18030")
        }
        17..=18 => {
            let mut b = vec![0xFF, 0xFE];
            for u in text.encode_utf16() {
                b.extend_from_slice(&u.to_le_bytes());
            }
            (b, "utf-16le")
        }
        _ => {
            let mut b = vec![0xFE, 0xFF];
            for u in text.encode_utf16() {
                b.extend_from_slice(&u.to_be_bytes());
            }
            (b, "utf-16be")
        }
    }
}

/// A text document being written, with where each section-三 data row starts.
#[derive(Default)]
pub(super) struct Text {
    pub(super) out: String,
    pub(super) row_starts: Vec<usize>,
}

const PAGE_MARKS: [&str; 3] = ["- 3 -", "第 3 页 共 6 页", "3"];

impl Text {
    pub(super) fn line(&mut self, s: &str) {
        self.out += s;
        self.out.push('\n');
    }

    /// A page break before section-三 data row `row`, as pdftotext prints it.
    fn maybe_break(&mut self, apps: bool, i: usize, page_break: Option<usize>) {
        if apps && page_break == Some(i) {
            self.out += &format!("\n{}\n\x0c", PAGE_MARKS[i % PAGE_MARKS.len()]);
        }
    }

    /// Whether the table's header rows are printed again after the page break before
    /// row `i` (Word's "repeat as header row"; half of the breaks, by row).
    fn repeats_header(apps: bool, i: usize, page_break: Option<usize>) -> bool {
        apps && page_break == Some(i) && i.is_multiple_of(2)
    }

    fn mark(&mut self, apps: bool, i: usize) {
        if apps && i >= 3 {
            self.row_starts.push(self.out.len());
        }
    }

    fn finish(&mut self, apps: bool) {
        if apps {
            self.row_starts.push(self.out.len());
        }
    }

    /// Section 三's header as `pdftotext -layout` prints it: wrapped words on lines of
    /// their own (`商业企` / `业`).
    fn layout_apps_header(&mut self) {
        self.line(&format!("{}{}", " ".repeat(57), printed::APPLICANT_GROUP));
        self.line("");
        self.line("（本列数据的勾稽关系为：第一项加第二项之和，                  法人或其他组织");
        self.line("等于第三项加第四项之和）");
        self.line(&format!("{}自然人{}总计", " ".repeat(31), " ".repeat(46)));
        self.line(&format!(
            "{}商业企      科研机     社会公益     法律服务",
            " ".repeat(40)
        ));
        self.line(&format!("{}其他", " ".repeat(75)));
        self.line(&format!(
            "{}业        构       组织       机构",
            " ".repeat(40)
        ));
        self.line("");
    }

    pub(super) fn tab(&mut self, rows: &[Vec<String>], apps: bool, page_break: Option<usize>) {
        for (i, row) in rows.iter().enumerate() {
            self.maybe_break(apps, i, page_break);
            if Self::repeats_header(apps, i, page_break) {
                for header in &rows[..3.min(i)] {
                    self.line(&header.join("\t"));
                }
            }
            self.mark(apps, i);
            self.line(&row.join("\t"));
        }
        self.finish(apps);
    }

    pub(super) fn pipe(&mut self, grid: &Grid, apps: bool, page_break: Option<usize>) {
        let pipe_row = |row: &[super::grid::Cell]| {
            let cells: Vec<&str> = row.iter().map(|c| c.text.as_str()).collect();
            let covered: usize = row.iter().map(|c| c.colspan).sum();
            let pad = "|".repeat(grid_width(grid).saturating_sub(covered));
            format!("| {} |{pad}", cells.join(" | "))
        };
        for (i, row) in grid.iter().enumerate() {
            self.maybe_break(apps, i, page_break);
            if Self::repeats_header(apps, i, page_break) {
                for header in &grid[..3.min(i)] {
                    self.line(&pipe_row(header));
                }
            }
            self.mark(apps, i);
            self.line(&pipe_row(row));
        }
        self.finish(apps);
    }

    pub(super) fn cells(
        &mut self,
        grid: &Grid,
        apps: bool,
        page_break: Option<usize>,
        rng: &mut Rng,
    ) {
        for (i, row) in grid.iter().enumerate() {
            self.maybe_break(apps, i, page_break);
            self.mark(apps, i);
            for c in row {
                let n = c.text.chars().count();
                // Long labels wrap inside their cell in Word exports.
                if n > 14 && !c.text.starts_with(|ch: char| ch.is_ascii_digit()) && rng.chance(0.3)
                {
                    let cut: String = c.text.chars().take(n / 2).collect();
                    let rest: String = c.text.chars().skip(n / 2).collect();
                    self.line(&format!("\t{cut}"));
                    self.line(&rest);
                } else {
                    self.line(&format!("\t{}", c.text));
                }
            }
            self.line("");
        }
        self.finish(apps);
    }

    /// Space-aligned columns as `pdftotext -layout` prints a table: labels padded to a
    /// column, long labels wrapped around their numbers.
    pub(super) fn layout(
        &mut self,
        d: &Draft,
        grid: &Grid,
        section: usize,
        page_break: Option<usize>,
    ) {
        let pad = |s: &str, n: usize| {
            let w: usize = s.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum();
            format!("{s}{}", " ".repeat(n.saturating_sub(w).max(1)))
        };
        let nums = |cells: &[String]| {
            cells
                .iter()
                .map(|c| format!("{c:<9}"))
                .collect::<String>()
                .trim_end()
                .to_string()
        };
        match section {
            0 => {
                for row in grid {
                    let first = pad(&row[0].text, 30);
                    let rest: String = row[1..].iter().map(|c| format!("{:<15}", c.text)).collect();
                    self.line(format!("{first}{rest}").trim_end());
                    self.line("");
                }
            }
            1 => {
                self.layout_apps_header();
                // Labels of merged cells are printed where pdftotext finds them: at the
                // vertical middle of the rows they span, on a line of their own.
                let mut middles: Vec<(usize, String)> = Vec::new();
                let results = 2 + (d.apps.len() - 3) / 2;
                middles.push((results, " 三 、本 年 度办 理 结果".to_string()));
                for (g, r) in d
                    .apps
                    .iter()
                    .enumerate()
                    .filter(|(_, r)| !r.group.is_empty())
                {
                    let size = 1 + d.apps[g + 1..]
                        .iter()
                        .take_while(|n| {
                            n.group.is_empty() && n.label.starts_with(|c: char| c.is_ascii_digit())
                        })
                        .count();
                    middles.push((g + size / 2, format!("      {}", r.group)));
                }
                for (i, r) in d.apps.iter().enumerate() {
                    self.maybe_break(true, i + 3, page_break);
                    if Self::repeats_header(true, i + 3, page_break) {
                        self.layout_apps_header();
                    }
                    self.row_starts.push(self.out.len());
                    for (_, label) in middles.iter().filter(|(at, _)| *at == i) {
                        self.line(label);
                        self.line("");
                    }
                    let numbers = nums(&r.printed);
                    let label = r.label;
                    let indent = if i < 2 || r.code == printed::FORWARD.0 {
                        ""
                    } else {
                        "             "
                    };
                    if label.chars().count() > 16 {
                        let half = label.chars().count() / 2;
                        let a: String = label.chars().take(half).collect();
                        let b: String = label.chars().skip(half).collect();
                        self.line(&format!("{indent}{a}"));
                        self.line(&format!("{}{numbers}", " ".repeat(48)));
                        self.line(&format!("{indent}{b}"));
                    } else {
                        self.line(&format!(
                            "{}{numbers}",
                            pad(&format!("{indent}{label}"), 48)
                        ));
                    }
                    self.line("");
                }
                self.row_starts.push(self.out.len());
            }
            _ => {
                self.line("行政复议                          行政诉讼");
                self.line("");
                self.line("                              未经复议直接起诉                              复议后起诉");
                self.line("");
                self.line("结果   结果    其他结    尚未");
                self.line("                        总计");
                self.line("                              结 果   结果       其他       尚未            结果   结果    其他   尚未审");
                self.line("维持   纠正    果      审结");
                self.line("                                                               总计                           总计");
                self.line("                              维持    纠正       结果       审结            维持   纠正    结果   结");
                self.line("");
                let values: Vec<String> = d
                    .review
                    .iter()
                    .map(|v| format!("{:<3}", v.map_or_else(String::new, |v| d.number(v as f64))))
                    .collect();
                self.line(values.join("   ").trim_end());
                self.line("");
            }
        }
    }
}
