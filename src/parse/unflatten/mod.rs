//! Stage 3b: flattened bodies → table rows.
//!
//! Crawler text exports and some CMS pages save a report's whole body as one or a few
//! lines, with the table cells run together without separators: `规范性文件898989`,
//! `一、本年新收…230 000023`. This stage recognises such documents by what every report's
//! tables hold — template row labels directly followed by their digits — and rewrites
//! those lines as the rows the segmenter reads: headings on lines of their own, one line
//! per row with its cells separated by tabs. Every other document passes through as it is.
//!
//! Digits run together are cut into cells only where the cut is certain: exactly one way
//! of cutting them into the row's known number of cells (no number starts with 0) fits
//! the table's own arithmetic — the total column is the sum of the six applicant columns,
//! each of section 四's totals is the sum of its four outcomes, and across the rows of
//! section 三 the balance rule and the disposal total. Where more than one cut fits (or
//! none does) the row's cells are written as unreadable (`?`), which extraction reads as
//! null with a finding, and a `cells_run_together` finding here says why.

//!
//! Here the flattened lines are recognised and scanned into labels, headings and digit
//! runs; `resolve` chooses each run's cut by the arithmetic (with `cut` listing the cuts
//! that fit a row) and writes the findings where no single cut remains.

use crate::model::{Finding, Severity, Table, Template};
use crate::normalise::{is_han, Line, Trim};
use crate::segment::heading;
mod boxed;
mod cut;
mod resolve;

use cut::Cut;
use resolve::resolve;

use crate::templates::{
    measure_unit, ApplicationRow, ProactiveItem, APPLICANTS, APPLICATION_ROWS, MEASURE_LABELS_2019,
    MEASURE_LABELS_2021, OUTCOMES, PROACTIVE_ITEMS, PROCEEDINGS,
};

/// How many labels directly followed by digits make a document a flattened one. Tabular
/// layouts separate a label from its first cell (tab, pipe, spaces or a line break).
const MIN_RUN_TOGETHER: usize = 3;

/// Characters that make a number prose (`2599条`, `2019年`), not a cell.
const PROSE_UNITS: &[char] = &[
    '年', '月', '日', '件', '条', '个', '次', '人', '篇', '期', '场', '项', '%', '号', '家', '份',
    '批', '余', '多', '万', '亿', '层', '时', '分', '岁', '名', '位', '天', '周', '届',
];

/// The lines, rewritten where a flattened body was found, and the findings about cells
/// that could not be cut with certainty.
pub fn unflatten(lines: Vec<Line>) -> (Vec<Line>, Vec<Finding>) {
    let lines = boxed::rebuild(lines);
    let adjacent: Vec<usize> = lines.iter().map(|l| run_together(&l.text)).collect();
    if adjacent.iter().sum::<usize>() < MIN_RUN_TOGETHER {
        return (lines, Vec::new());
    }
    let mut state = State::default();
    let mut parsed: Vec<(Line, Option<Vec<Piece>>)> = Vec::with_capacity(lines.len());
    for (line, adjacent) in lines.into_iter().zip(adjacent) {
        // Only lines that are flattened themselves are rewritten: a label run into its
        // digits, or a whole body on one line.
        let flattened = adjacent > 0 || line.text.chars().count() > 200;
        if is_cell_layout(&line.text) || !flattened {
            if let Some(h) = heading(&line.text) {
                state.section = h;
            }
            parsed.push((line, None));
            continue;
        }
        let pieces = scan(&line.text, &mut state);
        let rows = pieces.iter().filter(|p| p.row.is_some()).count();
        let headings = pieces.iter().filter(|p| p.heading).count();
        if rows == 0 && headings == 0 {
            parsed.push((line, None));
        } else {
            parsed.push((line, Some(pieces)));
        }
    }
    let mut findings = Vec::new();
    let mut rows: Vec<&mut Piece> = parsed
        .iter_mut()
        .filter_map(|(_, p)| p.as_mut())
        .flatten()
        .filter(|p| p.row.is_some())
        .collect();
    let split_by_arithmetic = resolve(&mut rows, &mut findings);
    if split_by_arithmetic > 0 {
        findings.push(
            Finding::new(
                Severity::Info,
                "cells_split_by_arithmetic",
                format!(
                    "the tables are printed with their cells run together (a flattened page); {split_by_arithmetic} rows were cut into cells where exactly one cut fits the table's arithmetic"
                ),
            )
            .at(Table::Reports, None, None),
        );
    }
    let mut out = Vec::new();
    for (line, pieces) in parsed {
        match pieces {
            None => out.push(line),
            Some(pieces) => {
                for p in pieces {
                    let text = p.render();
                    if !text.trim_ws().is_empty() {
                        out.push(Line::new(line.no, &text, text.clone()));
                    }
                }
            }
        }
    }
    (out, findings)
}

/// Lines whose cells are already separated (tabs, pipes) are left to the segmenter.
fn is_cell_layout(text: &str) -> bool {
    text.contains('\t') || text.contains('|')
}

/// How many template row labels on a line (without cell separators) are directly
/// followed by digits.
fn run_together(t: &str) -> usize {
    if is_cell_layout(t) || !t.bytes().any(|b| b.is_ascii_digit()) {
        return 0;
    }
    // A whole body on one line may keep one space between a label and its cells
    // (`规章 0 0 0行政规范性文件 12 3 45`); a short line with a space is a space-aligned row.
    let long = t.chars().nth(200).is_some();
    let mut count = 0;
    // The two characters before the current one, streamed: this runs on every line of
    // every document, so no per-line buffer.
    let (mut prev, mut prev2) = (None::<char>, None::<char>);
    for (i, c) in t.char_indices() {
        let after_label =
            prev.is_some_and(is_han) || long && prev == Some(' ') && prev2.is_some_and(is_han);
        if c.is_ascii_digit() && after_label && label_at_end(&tail_key(&t[..i], 40), 0).is_some() {
            count += 1;
        }
        prev2 = prev;
        prev = Some(c);
    }
    count
}

/// The section being read, carried across lines.
#[derive(Default)]
struct State {
    /// 0 before any heading; 1–5 after 一 … 五/六.
    section: u8,
    /// Section 四's cells have been taken.
    review_taken: bool,
    /// The template shown by section 二's column headers.
    template: Option<Template>,
}

/// Which row a digit run belongs to.
#[derive(Debug, Clone, Copy)]
enum RowRef {
    Proactive(&'static ProactiveItem),
    Application(&'static ApplicationRow),
    Review,
}

impl PartialEq for RowRef {
    fn eq(&self, other: &Self) -> bool {
        self.table() == other.table() && self.code() == other.code()
    }
}

impl RowRef {
    fn table(self) -> Table {
        match self {
            RowRef::Proactive(it) if it.code == "centralized_procurement" => Table::Procurement,
            RowRef::Proactive(_) => Table::Proactive,
            RowRef::Application(_) => Table::Applications,
            RowRef::Review => Table::ReviewLitigation,
        }
    }

    fn code(self) -> Option<&'static str> {
        match self {
            RowRef::Proactive(it) => Some(it.code),
            RowRef::Application(r) => Some(r.code),
            RowRef::Review => None,
        }
    }
}

/// A piece of a rewritten line: text (a heading or prose), or a row label with its cells.
#[derive(Debug)]
struct Piece {
    text: String,
    heading: bool,
    row: Option<RowRef>,
    digits: String,
    unit: Option<&'static str>,
    cells: usize,
    /// Which cells may hold a decimal point (money).
    money: Vec<bool>,
    cut: Cut,
}

impl Piece {
    fn text(text: String, heading: bool) -> Piece {
        Piece {
            text,
            heading,
            row: None,
            digits: String::new(),
            unit: None,
            cells: 0,
            money: Vec::new(),
            cut: Cut::Pending,
        }
    }

    fn render(&self) -> String {
        if self.row.is_none() {
            return self.text.clone();
        }
        let cells: Vec<String> = match &self.cut {
            Cut::AsPrinted(c) => c.clone(),
            Cut::Candidates(c) if c.len() == 1 => c[0].clone(),
            _ => vec!["?".to_string(); self.cells],
        };
        let mut line = self.text.clone();
        let last = cells.len().saturating_sub(1);
        for (i, c) in cells.iter().enumerate() {
            line.push('\t');
            line.push_str(c);
            if i == last && c != "?" {
                if let Some(u) = self.unit {
                    line.push_str(u);
                }
            }
        }
        line
    }
}

/// The Han and ASCII letters of the last `max` such characters of `text`: the matching
/// form of a label that ends there.
fn tail_key(text: &str, max: usize) -> String {
    let mut key: Vec<char> = text
        .chars()
        .rev()
        .filter(|c| is_han(*c) || c.is_ascii_alphabetic())
        .take(max)
        .collect();
    key.reverse();
    key.into_iter().collect()
}

/// The row whose label ends `key`, in the section given (0: any section). The longest
/// label wins, so `其他处理` is not read as `其他`.
fn label_at_end(key: &str, section: u8) -> Option<(RowRef, usize)> {
    let mut best: Option<(RowRef, usize)> = None;
    let mut consider = |r: RowRef, label: &str| {
        if key.ends_with(label) && best.is_none_or(|(_, n)| label.chars().count() > n) {
            best = Some((r, label.chars().count()));
        }
    };
    if section == 0 || section == 2 {
        for it in PROACTIVE_ITEMS {
            for l in it.labels {
                consider(RowRef::Proactive(it), l);
            }
        }
    }
    if section == 0 || section == 3 {
        for r in APPLICATION_ROWS {
            // Short labels (`其他`, `总计`) also end column headers: only in section 三.
            if r.weak && section == 0 {
                continue;
            }
            for l in r.labels {
                consider(RowRef::Application(r), l);
            }
        }
    }
    best
}

/// Cuts one line into pieces, updating the section state at each heading.
fn scan(text: &str, state: &mut State) -> Vec<Piece> {
    let mut pieces: Vec<Piece> = Vec::new();
    let mut pending = String::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut k = 0;
    let mut text_start = 0; // byte index where `pending` text began
    while k < chars.len() {
        let (i, c) = chars[k];
        if !c.is_ascii_digit() {
            k += 1;
            continue;
        }
        // A digit run: digits, single spaces between digits, decimal points between digits.
        let start = i;
        let mut end_k = k;
        let mut j = k;
        while j < chars.len() {
            let ch = chars[j].1;
            if ch.is_ascii_digit() {
                end_k = j;
                j += 1;
            } else if (ch == ' ' || ch == '.' || ch == ',')
                && chars.get(j + 1).is_some_and(|n| {
                    n.1.is_ascii_digit()
                        || ch == ' '
                            && n.1 == ' '
                            && chars.get(j + 2).is_some_and(|m| m.1.is_ascii_digit())
                })
            {
                j += 1;
            } else {
                break;
            }
        }
        let mut end = chars[end_k].0 + 1;
        let after = chars.get(end_k + 1).map(|c| c.1);
        // `…00000002.其他法律…`: the last digit is the next row's enumerator.
        let enumerator =
            matches!(after, Some('.' | '、')) && chars.get(end_k + 2).is_some_and(|c| is_han(c.1));
        if enumerator {
            end -= 1;
        }
        let digits = text[start..end].trim_end().to_string();
        let next_k = if enumerator { end_k } else { end_k + 1 };
        pending.push_str(&text[text_start..start]);
        split_headings(&mut pending, &mut pieces, state);
        // `万元` after an amount is the procurement row's unit (`政府集中采购2079.32万元`),
        // not a count in prose (`2万人`).
        let prose = after.is_some_and(|a| PROSE_UNITS.contains(&a))
            && !enumerator
            && !text[end..].starts_with("万元");
        let found = if digits.is_empty() || prose {
            None
        } else {
            row_for(&pending, state)
        };
        match found {
            Some((row, label_chars)) => {
                let cut_at = label_start(&pending, label_chars);
                let before = pending[..cut_at].to_string();
                if !before.trim_ws().is_empty() {
                    pieces.push(Piece::text(before.trim_ws().to_string(), false));
                }
                let label = pending[cut_at..].trim_ws().to_string();
                let (unit, unit_len) = unit_after(&text[end..]);
                let (cells, money) = shape(row, state.template);
                if row == RowRef::Review {
                    state.review_taken = true;
                }
                pieces.push(Piece {
                    text: label,
                    heading: false,
                    row: Some(row),
                    digits,
                    unit,
                    cells,
                    money,
                    cut: Cut::Pending,
                });
                pending.clear();
                // Skip the unit.
                let resume = end + unit_len;
                k = chars.partition_point(|c| c.0 < resume);
                text_start = resume;
                continue;
            }
            None => {
                pending.push_str(&text[start..end]);
                let resume = if next_k < chars.len() {
                    chars[next_k].0
                } else {
                    text.len()
                };
                pending.push_str(&text[end..resume]);
                text_start = resume;
                k = next_k.max(k + 1);
            }
        }
    }
    pending.push_str(&text[text_start..]);
    split_headings(&mut pending, &mut pieces, state);
    if !pending.trim_ws().is_empty() {
        pieces.push(Piece::text(pending.trim_ws().to_string(), false));
    }
    pieces
}

/// `元`/`万元` right after an amount.
fn unit_after(rest: &str) -> (Option<&'static str>, usize) {
    if rest.starts_with("万元") {
        (Some("万元"), "万元".len())
    } else if rest.starts_with('元') {
        (Some("元"), '元'.len_utf8())
    } else {
        (None, 0)
    }
}

/// Moves the text before each section heading in `pending` out as pieces of their own,
/// with the heading as a piece, and keeps what follows the last heading in `pending`.
fn split_headings(pending: &mut String, pieces: &mut Vec<Piece>, state: &mut State) {
    while let Some((at, len, level)) = find_heading(pending) {
        let before = pending[..at].trim_ws().to_string();
        if !before.is_empty() {
            note_template(&before, state);
            pieces.push(Piece::text(before, false));
        }
        let h = pending[at..at + len].to_string();
        pieces.push(Piece::text(h, true));
        state.section = level;
        *pending = pending[at + len..].to_string();
    }
    note_template(pending, state);
}

fn note_template(text: &str, state: &mut State) {
    if state.section != 2 && state.section != 0 || state.template.is_some() {
        return;
    }
    let key = tail_key(text, usize::MAX);
    if MEASURE_LABELS_2021.iter().any(|l| key.contains(l)) {
        state.template = Some(Template::T2021);
    } else if MEASURE_LABELS_2019.iter().any(|l| key.contains(l)) {
        state.template = Some(Template::T2019);
    }
}

/// The first section heading inside `text`: (byte offset, byte length, level).
fn find_heading(text: &str) -> Option<(usize, usize, u8)> {
    for (i, c) in text.char_indices() {
        if !"一二三四五六".contains(c) {
            continue;
        }
        let rest = &text[i + c.len_utf8()..];
        if !rest.starts_with('、') {
            continue;
        }
        // The heading ends after its closing word (`…情况`, `…事项`), within 30 characters.
        let window: String = text[i..].chars().take(32).collect();
        let end = crate::templates::headings::HEADING_ENDS
            .iter()
            .filter_map(|w| window.find(w).map(|p| p + w.len()))
            .min();
        let Some(end) = end else {
            continue;
        };
        let candidate = &text[i..i + end];
        if let Some(level) = heading(candidate) {
            return Some((i, candidate.len(), level));
        }
    }
    None
}

/// The row a digit run belongs to, from the label that ends the text before it.
fn row_for(pending: &str, state: &State) -> Option<(RowRef, usize)> {
    let key = tail_key(pending, 60);
    if key.is_empty() {
        return None;
    }
    match state.section {
        4 if !state.review_taken => {
            // Section 四's header ends in 总计 and its fifteen cells follow it.
            crate::templates::headings::REVIEW_HEADER_ENDS
                .iter()
                .any(|e| key.ends_with(e))
                .then_some((RowRef::Review, 0))
        }
        4 | 1 | 5 => None,
        s => label_at_end(&key, s),
    }
}

/// The byte offset in `text` where the label of `label_chars` key characters begins,
/// moved back over an enumerator printed before it (`(一)`, `1.`, `四、`).
fn label_start(text: &str, label_chars: usize) -> usize {
    if label_chars == 0 {
        return text.len();
    }
    let mut seen = 0;
    let mut at = text.len();
    for (i, c) in text.char_indices().rev() {
        if is_han(c) || c.is_ascii_alphabetic() {
            seen += 1;
            at = i;
            if seen == label_chars {
                break;
            }
        }
    }
    // Punctuation inside the label (`危及“三安全一稳定”`) was skipped; an opening quote or
    // bracket right before it belongs to it too.
    let before = &text[..at];
    let enumerator = enumerator_suffix(before);
    at - enumerator
}

/// The byte length of an enumerator at the end of `text`: `(一)`, `一、`, `1.`, `1、`.
fn enumerator_suffix(text: &str) -> usize {
    let t = text.trim_end();
    let numeral = |c: char| c.is_ascii_digit() || "一二三四五六七八九十".contains(c);
    if let Some(inner) = t.strip_suffix(')') {
        let n: usize = inner
            .chars()
            .rev()
            .take_while(|c| numeral(*c))
            .map(char::len_utf8)
            .sum();
        if n > 0 && inner[..inner.len() - n].ends_with('(') {
            return text.len() - (t.len() - n - 2);
        }
    }
    for sep in ['、', '.'] {
        if let Some(inner) = t.strip_suffix(sep) {
            let n: usize = inner
                .chars()
                .rev()
                .take_while(|c| numeral(*c))
                .map(char::len_utf8)
                .sum();
            if n > 0 {
                return text.len() - (t.len() - n - sep.len_utf8());
            }
        }
    }
    0
}

/// The number of cells of a row and which of them hold money (a decimal point allowed).
fn shape(row: RowRef, template: Option<Template>) -> (usize, Vec<bool>) {
    match row {
        RowRef::Application(_) => (APPLICANTS.len(), vec![false; APPLICANTS.len()]),
        RowRef::Review => {
            let n = PROCEEDINGS.len() * OUTCOMES.len();
            (n, vec![false; n])
        }
        RowRef::Proactive(it) => {
            let measures = match template {
                Some(t) => it.measures(t),
                // Without headers the number of cells is only known when both templates agree.
                None if it.measures_2019.len() == it.measures_2021.len() => it.measures_2019,
                None => &[],
            };
            (
                measures.len(),
                measures
                    .iter()
                    .map(|m| measure_unit(m) != "count")
                    .collect(),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalise::normalise;

    fn run(text: &str) -> (Vec<String>, Vec<Finding>) {
        let (lines, f) = unflatten(normalise(text));
        let lines = lines
            .into_iter()
            .map(|l| l.text)
            .filter(|t| !t.is_empty())
            .collect();
        (lines, f)
    }

    #[test]
    fn ordinary_layouts_pass_through() {
        let text = "二、主动公开政府信息情况\n规章\t0\t0\t0\n规范性文件 1 2 3\n";
        let (lines, f) = run(text);
        assert_eq!(
            lines,
            vec![
                "二、主动公开政府信息情况",
                "规章\t0\t0\t0",
                "规范性文件 1 2 3"
            ]
        );
        assert!(f.is_empty());
    }

    #[test]
    fn a_flattened_body_becomes_rows() {
        let text = "标题: X区2021年度政府信息公开工作年度报告\n一、总体情况今年共公开信息3条。二、主动公开政府信息情况 第二十条第(一)项信息内容本年制发件数本年废止件数现行有效件数规章000行政规范性文件693665第二十条第(五)项信息内容本年处理决定数量行政许可2293三、收到和处理政府信息公开申请情况申请人情况自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他一、本年新收政府信息公开申请数量640020470二、上年结转政府信息公开申请数量0000000三、本年度办理结果(一)予以公开270020130(七)总计630020469四、结转下年度继续办理1000001 四、政府信息公开行政复议、行政诉讼情况 行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计10203120001200000五、存在的主要问题及改进情况今年共有2个问题。\n";
        let (lines, findings) = run(text);
        assert!(
            lines.contains(&"二、主动公开政府信息情况".to_string()),
            "{lines:#?}"
        );
        assert!(lines.contains(&"规章\t0\t0\t0".to_string()), "{lines:#?}");
        assert!(
            lines.contains(&"行政规范性文件\t?\t?\t?".to_string()),
            "{lines:#?}"
        );
        assert!(lines.contains(&"行政许可\t2293".to_string()), "{lines:#?}");
        assert!(
            lines.contains(&"一、本年新收政府信息公开申请数量\t64\t0\t0\t2\t0\t4\t70".to_string()),
            "{lines:#?}"
        );
        assert!(
            lines.contains(&"四、结转下年度继续办理\t1\t0\t0\t0\t0\t0\t1".to_string()),
            "{lines:#?}"
        );
        assert!(
            lines.contains(&"四、政府信息公开行政复议、行政诉讼情况".to_string()),
            "{lines:#?}"
        );
        assert!(
            lines.contains(&"五、存在的主要问题".to_string()),
            "{lines:#?}"
        );
        assert!(findings
            .iter()
            .any(|f| f.check == "cells_run_together" && f.row == Some("normative_documents")));
    }

    #[test]
    fn a_procurement_amount_in_wan_yuan_is_its_row_not_prose() {
        // Was dropped as prose (`万` after digits): the row vanished without a finding.
        let text = "标题: X区2021年度政府信息公开工作年度报告\n一、总体情况今年共支出2万元。二、主动公开政府信息情况 第二十条第(一)项信息内容本年制发件数本年废止件数现行有效件数规章000行政规范性文件693665第二十条第(五)项信息内容本年处理决定数量行政许可2293第二十条第(九)项信息内容采购项目数量采购总金额政府集中采购2079.32万元三、收到和处理政府信息公开申请情况申请人情况自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他一、本年新收政府信息公开申请数量640020470二、上年结转政府信息公开申请数量0000000五、存在的主要问题及改进情况无。\n";
        let (lines, findings) = run(text);
        // The headers shown are 2021's, which has no procurement row: its cells are
        // unknown, and a finding says so.
        assert!(lines.contains(&"政府集中采购".to_string()), "{lines:#?}");
        assert!(findings
            .iter()
            .any(|f| f.check == "cells_run_together" && f.row == Some("centralized_procurement")));
        // Under 2019's headers: two cells, several cuts fit, null with a finding.
        let y2019 = text
            .replace(
                "本年制发件数本年废止件数现行有效件数",
                "本年新制作数量本年新公开数量对外公开总数量",
            )
            .replace("本年处理决定数量", "上一年项目数量本年增/减处理决定数量");
        let (lines, findings) = run(&y2019);
        assert!(
            lines.contains(&"政府集中采购\t?\t?".to_string()),
            "{lines:#?}"
        );
        assert!(findings
            .iter()
            .any(|f| f.check == "cells_run_together" && f.row == Some("centralized_procurement")));
    }

    #[test]
    fn a_flattened_body_with_spaces_between_cells() {
        let text = format!(
            "{}二、主动公开政府信息情况 信息内容 本年制发件数 本年废止件数 现行有效件数 规章 0 0 0 行政规范性文件 12 3 45 三、收到和处理政府信息公开申请情况 一、本年新收政府信息公开申请数量 5 0 0 0 0 0 5 二、上年结转政府信息公开申请数量 0 0 0 0 0 0 0 五、存在的主要问题及改进情况 无。\n",
            "某县2023年政府信息公开工作年度报告 本报告根据条例编制。一、总体情况 本年度认真贯彻落实条例。"
        );
        let (lines, _) = run(&text);
        assert!(lines.contains(&"规章\t0\t0\t0".to_string()), "{lines:#?}");
        assert!(
            lines.contains(&"行政规范性文件\t12\t3\t45".to_string()),
            "{lines:#?}"
        );
        assert!(
            lines.contains(&"一、本年新收政府信息公开申请数量\t5\t0\t0\t0\t0\t0\t5".to_string()),
            "{lines:#?}"
        );
    }

    #[test]
    fn a_cut_no_equation_across_rows_confirms_is_flagged() {
        // `120000021` printed for 12, 0, 0, 0, 0, 0, 21 (a misprinted total): the one cut
        // that fits the row's own sum is 1, 20, 0, 0, 0, 0, 21, and the balance rule does
        // not hold with it: kept, and flagged on its row.
        let text = "标题: X区2021年度政府信息公开工作年度报告\n一、总体情况今年共公开信息3条。二、主动公开政府信息情况 第二十条第(一)项信息内容本年制发件数本年废止件数现行有效件数规章000三、收到和处理政府信息公开申请情况申请人情况自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他一、本年新收政府信息公开申请数量120000021二、上年结转政府信息公开申请数量0000000三、本年度办理结果(七)总计630020469四、结转下年度继续办理1000001五、存在的主要问题及改进情况无。\n";
        let (lines, findings) = run(text);
        assert!(
            lines.contains(&"一、本年新收政府信息公开申请数量\t1\t20\t0\t0\t0\t0\t21".to_string()),
            "{lines:#?}"
        );
        assert!(
            findings.iter().any(|f| f.check == "cells_run_together"
                && f.row == Some("new_received")
                && f.message.contains("no equation across rows")),
            "{findings:#?}"
        );
    }

    #[test]
    fn column_arithmetic_settles_a_row() {
        // 予以公开 270020130 fits 27,0,0,2,0,1,30 and 2,7,0,0,20,1,30; the disposal
        // total's 商业企业 column (0) rules out the second.
        let mut rows_text = String::from("三、收到和处理政府信息公开申请情况 一、本年新收政府信息公开申请数量640020470二、上年结转政府信息公开申请数量0000000三、本年度办理结果(一)予以公开270020130(二)部分公开(区分处理的,只计这一情形,不计其他情形)500000 5");
        for (i, label) in [
            "属于国家秘密",
            "其他法律行政法规禁止公开",
            "危及“三安全一稳定”",
            "保护第三方合法权益",
            "属于三类内部事务信息",
            "属于四类过程性信息",
            "属于行政执法案卷",
            "属于行政查询事项",
        ]
        .iter()
        .enumerate()
        {
            rows_text.push_str(&format!("{}.{label}0000000", i + 1));
        }
        rows_text.push_str("(四)无法提供1.本机关不掌握相关政府信息2200003252.没有现成信息需要另行制作00000003.补正后申请内容仍不明确0000000(五)不予处理1.信访举报投诉类申请00000002.重复申请00000003.要求提供公开出版物00000004.无正当理由大量反复申请00000005.要求行政机关确认或重新出具已获取信息0000000(六)其他处理1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请00000002.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请00000003.其他0000000(七)总计540020460四、结转下年度继续办理1000001\n");
        let (lines, _) = run(&rows_text);
        assert!(
            lines.contains(&"(一)予以公开\t27\t0\t0\t2\t0\t1\t30".to_string()),
            "{lines:#?}"
        );
    }
}
