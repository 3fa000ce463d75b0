//! Step 4 of the HTML reader, the layout: the chosen subtree walked with an explicit stack
//! into lines, block elements and `<br>` ending them, tables expanded into the grid a
//! browser shows (one tab-separated line per row), layout tables read as blocks.

use super::dom::{Data, Dom, Edge, Element, Id, ROOT};
use super::meta::descendants;
use super::select::{article, element_named, kind, title_before, Stats};
use html5ever::{local_name, LocalName};

/// Largest `colspan` honoured (the HTML standard's limit).
const MAX_COLSPAN: usize = 1000;

/// Largest `rowspan` honoured (kept small: a span past the table's end is cut anyway).
const MAX_ROWSPAN: usize = 1000;

/// Column from which every cell is taken as one column wide, so hostile spans cannot make
/// the grid huge.
const MAX_GRID_COLUMNS: usize = 4096;

/// A table cell with more text than this is a layout cell (a whole article), not data.
const LAYOUT_CELL_CHARS: usize = 500;

/// Text being gathered into one line, whitespace collapsed as a browser does.
#[derive(Default)]
pub(super) struct Line {
    pub(super) cur: String,
    pub(super) space: bool,
    /// A gap drawn by position rather than by a space (pdf2htmlEX): written as two
    /// spaces, which part the cells of a space-aligned line.
    pub(super) gap: bool,
}

impl Line {
    pub(super) fn text(&mut self, s: &str) {
        for ch in s.chars() {
            if matches!(ch, '\u{200b}' | '\u{feff}') {
                continue;
            }
            if ch.is_whitespace() {
                self.space = true;
            } else {
                if self.gap && !self.cur.is_empty() {
                    self.cur.push_str("  ");
                } else if self.space && !self.cur.is_empty() && !self.cur.ends_with('\t') {
                    self.cur.push(' ');
                }
                self.space = false;
                self.gap = false;
                self.cur.push(ch);
            }
        }
    }
}

/// pdf2htmlEX's gap: an empty `<span class="_ _3">`, whose class gives its width, put
/// where the PDF moved the pen (between a table's cells, often with no space).
fn is_gap(dom: &Dom, node: Id, el: &Element) -> bool {
    el.name() == "span"
        && el
            .attr(&local_name!("class"))
            .is_some_and(|c| c == "_" || c.starts_with("_ "))
        && dom.children(node).next().is_none()
}

/// The document's lines.
#[derive(Default)]
struct Out {
    lines: Vec<String>,
    line: Line,
    /// Depth of `<pre>` elements: inside one, a newline ends a line.
    pre: usize,
    /// Depth of raw-text elements ([`kind::RAW`]): inside one, a tab also stays, as the
    /// cell separator of a text export's rows.
    raw: usize,
}

impl Out {
    fn text(&mut self, s: &str) {
        if self.pre == 0 {
            self.line.text(s);
            return;
        }
        let mut parts = s.split('\n');
        if let Some(first) = parts.next() {
            self.cells(first);
        }
        for part in parts {
            self.flush();
            self.cells(part);
        }
    }

    /// A line's text inside `<pre>`: tabs kept as cell separators in raw text.
    fn cells(&mut self, s: &str) {
        if self.raw == 0 {
            self.line.text(s);
            return;
        }
        for (i, cell) in s.split('\t').enumerate() {
            if i > 0 {
                self.line.cur.push('\t');
                self.line.space = false;
                self.line.gap = false;
            }
            self.line.text(cell);
        }
    }

    fn flush(&mut self) {
        let line = std::mem::take(&mut self.line);
        if !line.cur.is_empty() {
            self.lines.push(line.cur);
        }
    }

    fn push(&mut self, line: String) {
        self.flush();
        if !line.is_empty() {
            self.lines.push(line);
        }
    }
}

/// Work for the walk: explicit, so nesting depth never reaches the call stack.
enum Task {
    /// Lay out a node and its subtree.
    Enter(Id),
    /// Lay out a node as a block (a layout table's parts).
    Block(Id),
    /// End the current line.
    Break,
    /// Leave a `<pre>`.
    ExitPre,
    /// Leave a raw-text element ([`kind::RAW`]).
    ExitRaw,
    /// A finished line (a table row).
    Line(String),
}

/// The page's text: the article container (after its title), else the body.
pub(super) fn render(dom: &Dom, kinds: &[u16]) -> String {
    let body = descendants(dom, ROOT)
        .find(|n| element_named(dom, *n, "body"))
        .unwrap_or(ROOT);
    let stats = Stats::new(dom, kinds, body);
    let mut out = Out::default();
    let start = match article(body, &stats) {
        Some(container) => {
            if let Some(title) = title_before(body, container, &stats) {
                out.push(title);
            }
            container
        }
        None => body,
    };
    walk(start, &stats, &mut out);
    out.flush();
    let mut text = out.lines.join("\n");
    if !text.is_empty() {
        text.push('\n');
    }
    text
}

fn walk(start: Id, stats: &Stats, out: &mut Out) {
    let dom = stats.dom;
    let mut stack = vec![Task::Enter(start)];
    let children_rev = |stack: &mut Vec<Task>, node: Id| {
        let at = stack.len();
        stack.extend(dom.children(node).map(Task::Enter));
        stack[at..].reverse();
    };
    // Whether the page's drawings are the report's tables, decided at the first one.
    let mut svg_report: Option<bool> = None;
    while let Some(task) = stack.pop() {
        let node = match task {
            Task::Break => {
                out.flush();
                continue;
            }
            Task::ExitPre => {
                out.pre = out.pre.saturating_sub(1);
                out.flush();
                continue;
            }
            Task::ExitRaw => {
                out.pre = out.pre.saturating_sub(1);
                out.raw = out.raw.saturating_sub(1);
                out.flush();
                continue;
            }
            Task::Line(line) => {
                out.push(line);
                continue;
            }
            Task::Block(node) => {
                out.flush();
                stack.push(Task::Break);
                children_rev(&mut stack, node);
                continue;
            }
            Task::Enter(node) => node,
        };
        match &dom.nodes[node].data {
            Data::Text(t) if stats.is(node, kind::RAISED) => {
                out.text(&crate::read::superscript(t));
                continue;
            }
            Data::Text(t) => {
                out.text(t);
                continue;
            }
            Data::Element(_) => {}
            Data::Document | Data::Fragment => {
                children_rev(&mut stack, node);
                continue;
            }
            Data::Other | Data::Comment(_) => continue,
        }
        if element_named(dom, node, "svg") {
            // A table drawn as SVG is read when a drawing of the page prints the
            // template's labels: then its other drawings laid out as grids are the rest
            // of the tables (a table split at a page break, section 四 drawn alone).
            let mut texts = svg_texts(dom, node).unwrap_or_default();
            let report = *svg_report.get_or_insert_with(|| {
                descendants(dom, ROOT)
                    .filter(|n| element_named(dom, *n, "svg"))
                    .any(|n| svg_texts(dom, n).is_some_and(|t| svg_holds_template(&t)))
            });
            if let Some(rows) = svg_rows(&mut texts).filter(|_| report) {
                out.flush();
                for row in rows {
                    out.push(row);
                }
            }
            continue;
        }
        if stats.dropped(node) {
            continue;
        }
        if stats.is(node, kind::BR) {
            out.flush();
        } else if dom.element(node).is_some_and(|el| is_gap(dom, node, el)) {
            out.line.gap = true;
        } else if stats.is(node, kind::TABLE) && !is_layout(node, stats) {
            out.flush();
            let tasks = table_tasks(node, stats);
            stack.extend(tasks.into_iter().rev());
        } else if stats.is(node, kind::RAW) {
            out.flush();
            out.pre += 1;
            out.raw += 1;
            stack.push(Task::ExitRaw);
            children_rev(&mut stack, node);
        } else if stats.is(node, kind::PRE) {
            out.flush();
            out.pre += 1;
            stack.push(Task::ExitPre);
            children_rev(&mut stack, node);
        } else if stats.is(node, kind::BLOCK) {
            stack.push(Task::Block(node));
        } else {
            children_rev(&mut stack, node);
        }
    }
}

/// The texts of a drawing (`<text>` elements, `<tspan>`s joined) with their `y` and `x`,
/// `None` when one has no position: a drawing placed otherwise is not read as a table.
fn svg_texts(dom: &Dom, svg: Id) -> Option<Vec<(f32, f32, String)>> {
    let coordinate = |el: &Element, name: &LocalName| -> Option<f32> {
        let v = el.attr(name)?.trim();
        let first = v.split([' ', ',']).next()?;
        first.parse::<f32>().ok().filter(|f| f.is_finite())
    };
    let mut texts = Vec::new();
    for n in descendants(dom, svg) {
        let Some(el) = dom.element(n).filter(|el| el.name() == "text") else {
            continue;
        };
        let (x, y) = (
            coordinate(el, &local_name!("x"))?,
            coordinate(el, &local_name!("y"))?,
        );
        let mut text = String::new();
        for d in descendants(dom, n) {
            if let Data::Text(t) = &dom.nodes[d].data {
                text.push_str(t);
            }
        }
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if !text.is_empty() {
            texts.push((y, x, text));
        }
    }
    Some(texts)
}

/// True when a drawing's texts print a label of the template's tables (a chart's axis
/// labels and values do not).
fn svg_holds_template(texts: &[(f32, f32, String)]) -> bool {
    use crate::templates::headings::{APPLICATION_ROWS, PROACTIVE_ROWS, REVIEW_ROWS};
    let all: String = texts
        .iter()
        .flat_map(|t| t.2.chars())
        .filter(|c| !c.is_whitespace())
        .collect();
    [PROACTIVE_ROWS, APPLICATION_ROWS, REVIEW_ROWS]
        .iter()
        .any(|words| words.iter().any(|w| all.contains(w)))
}

/// A table drawn as SVG (a `<text>` per cell, placed by `x` and `y`): its rows, one line
/// each. Texts on one `y` are a row, and a cell's column is the one its `x` stands at
/// among all the drawing's columns, so that a blank cell, which draws nothing, stays a
/// blank cell. `None` for a drawing that is no grid (fewer than two rows of two texts).
fn svg_rows(texts: &mut [(f32, f32, String)]) -> Option<Vec<String>> {
    // Columns: the distinct x positions, those within a few units of each other one.
    const SAME: f32 = 3.0;
    let mut xs: Vec<f32> = texts.iter().map(|t| t.1).collect();
    xs.sort_by(f32::total_cmp);
    let mut columns: Vec<f32> = Vec::new();
    for x in xs {
        if columns.last().is_none_or(|c| x - c > SAME) {
            columns.push(x);
        }
    }
    texts.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let mut rows = Vec::new();
    let mut wide = 0;
    let mut i = 0;
    while i < texts.len() {
        let y = texts[i].0;
        let mut grid: Vec<String> = Vec::new();
        let mut cells = 0;
        while i < texts.len() && texts[i].0 - y <= SAME {
            let (_, x, text) = &texts[i];
            let col = columns.iter().rposition(|c| *c <= x + SAME).unwrap_or(0);
            if grid.len() <= col {
                grid.resize(col + 1, String::new());
            }
            if !grid[col].is_empty() {
                grid[col].push(' ');
            }
            grid[col].push_str(text);
            cells += 1;
            i += 1;
        }
        wide += usize::from(cells >= 2);
        rows.push(crate::read::row_line(grid));
    }
    (wide >= 2).then_some(rows)
}

/// The rows (`<tr>`) of a table, not of the tables inside it, in the order a browser
/// shows them: `<thead>` first and `<tfoot>` last wherever the source puts them (HTML 4
/// wrote `<tfoot>` before `<tbody>`; read in source order, the last row of section 三
/// came right after the header and ended the table there).
fn rows(stats: &Stats, table: Id) -> Vec<Id> {
    let dom = stats.dom;
    let (mut head, mut body, mut foot) = (Vec::new(), Vec::new(), Vec::new());
    for child in dom.children(table) {
        let Some(el) = dom.element(child) else {
            continue;
        };
        let group = match el.name() {
            "tr" => {
                body.push(child);
                continue;
            }
            _ if stats.is(child, kind::NEVER_TEXT) => continue,
            "thead" => &mut head,
            "tbody" => &mut body,
            "tfoot" => &mut foot,
            _ => continue,
        };
        group.extend(dom.children(child).filter(|c| element_named(dom, *c, "tr")));
    }
    let mut rows = head;
    rows.append(&mut body);
    rows.append(&mut foot);
    // A hidden row or cell is not in the grid a browser shows.
    rows.retain(|r| !stats.is(*r, kind::NEVER_TEXT));
    rows
}

/// The cells (`<td>`, `<th>`) of a row, hidden ones left out.
fn cells<'a>(stats: &'a Stats, row: Id) -> impl Iterator<Item = (Id, &'a Element)> {
    let dom = stats.dom;
    dom.children(row).filter_map(move |c| {
        dom.element(c)
            .filter(|el| matches!(el.name(), "td" | "th") && !stats.is(c, kind::NEVER_TEXT))
            .map(|el| (c, el))
    })
}

/// A span attribute's leading digits (at most nine); `None` when absent or not a number.
fn span(el: &Element, attr: &LocalName) -> Option<usize> {
    let value = el.attr(attr)?.trim();
    let digits = value.bytes().take_while(u8::is_ascii_digit).take(9).count();
    value[..digits].parse().ok()
}

/// A table is layout when its grid has one column, or a cell holds a whole article.
fn is_layout(table: Id, stats: &Stats) -> bool {
    let mut width = 0;
    for row in rows(stats, table) {
        let mut w = 0usize;
        for (cell, el) in cells(stats, row) {
            if stats.chars(cell) > LAYOUT_CELL_CHARS {
                return true;
            }
            w = w.saturating_add(
                span(el, &local_name!("colspan"))
                    .unwrap_or(1)
                    .clamp(1, MAX_COLSPAN),
            );
        }
        width = width.max(w);
    }
    width <= 1
}

/// A data table as tasks: one line per grid row, the tables nested in a row's cells
/// after it.
fn table_tasks(table: Id, stats: &Stats) -> Vec<Task> {
    let dom = stats.dom;
    let mut tasks = Vec::new();
    for child in dom.children(table) {
        if element_named(dom, child, "caption") {
            let (text, nested) = inline_text(child, stats);
            tasks.push(Task::Line(text));
            tasks.extend(nested.into_iter().map(Task::Enter));
        }
    }
    let rows = rows(stats, table);
    let mut occupied: Vec<Vec<bool>> = vec![Vec::new(); rows.len()];
    for (r, row) in rows.iter().enumerate() {
        let mut line: Vec<String> = Vec::new();
        let mut nested_here = Vec::new();
        let mut origin: Vec<usize> = Vec::new();
        let mut c = 0;
        for (cell, el) in cells(stats, *row) {
            while occupied[r].get(c).copied().unwrap_or(false) {
                c += 1;
            }
            let rows_left = rows.len() - r;
            let rowspan = match span(el, &local_name!("rowspan")) {
                // rowspan="0": to the end of the table.
                Some(0) => rows_left,
                Some(n) => n.clamp(1, MAX_ROWSPAN).min(rows_left),
                None => 1,
            };
            let colspan = span(el, &local_name!("colspan"))
                .unwrap_or(1)
                .clamp(1, MAX_COLSPAN)
                .min(MAX_GRID_COLUMNS.saturating_sub(c))
                .max(1);
            for taken in &mut occupied[r..r + rowspan] {
                if taken.len() < c + colspan {
                    taken.resize(c + colspan, false);
                }
                taken[c..c + colspan].fill(true);
            }
            let (text, nested) = inline_text(cell, stats);
            if line.len() <= c {
                line.resize(c + 1, String::new());
            }
            line[c] = text;
            origin.push(c);
            nested_here.extend(nested);
            c += colspan;
        }
        for (i, cell) in line.iter_mut().enumerate() {
            if !origin.contains(&i) && occupied[r].get(i).copied().unwrap_or(false) {
                *cell = crate::read::COVERED.to_string();
            }
        }
        while line
            .last()
            .is_some_and(|c| c.is_empty() || c == crate::read::COVERED)
        {
            line.pop();
        }
        if !line.is_empty() {
            tasks.push(Task::Line(line.join("\t")));
        }
        tasks.extend(nested_here.into_iter().map(Task::Enter));
    }
    tasks
}

/// All text of a subtree on one line (blocks and `<br>` become spaces), and the tables
/// inside it, which are left for the caller to lay out.
pub(super) fn inline_text(node: Id, stats: &Stats) -> (String, Vec<Id>) {
    let dom = stats.dom;
    let mut line = Line::default();
    let mut tables = Vec::new();
    let mut skip: Option<Id> = None;
    for edge in dom.traverse(node) {
        match edge {
            Edge::Open(n) => {
                if skip.is_some() {
                    continue;
                }
                match &dom.nodes[n].data {
                    Data::Text(t) if stats.is(n, kind::RAISED) => {
                        line.text(&crate::read::superscript(t))
                    }
                    Data::Text(t) => line.text(t),
                    Data::Element(_) if n != node => {
                        if stats.is(n, kind::TABLE) {
                            tables.push(n);
                            skip = Some(n);
                        } else if stats.dropped(n) {
                            skip = Some(n);
                        } else if stats.is(n, kind::BR | kind::BLOCK) {
                            line.space = true;
                        }
                    }
                    _ => {}
                }
            }
            Edge::Close(n) => {
                if skip == Some(n) {
                    skip = None;
                } else if skip.is_none() && stats.is(n, kind::BLOCK) {
                    line.space = true;
                }
            }
        }
    }
    (line.cur, tables)
}

#[cfg(test)]
mod tests {
    use super::super::tests::lines;

    #[test]
    fn rowspan_and_colspan_expand_into_the_browser_grid() {
        let got = lines(
            "<table>\
             <tr><td rowspan=2 colspan=2>A</td><td>B</td><td>C</td></tr>\
             <tr><td>D</td><td>E</td></tr>\
             <tr><td>F</td><td colspan=2>G</td><td>H</td></tr>\
             <tr><td rowspan=2>I</td><td>J</td><td>K</td><td>L</td></tr>\
             <tr><td>M</td><td></td><td>O</td></tr>\
             </table>",
        );
        assert_eq!(
            got,
            [
                "A\t^\tB\tC",
                "^\t^\tD\tE",
                "F\tG\t^\tH",
                "I\tJ\tK\tL",
                "^\tM\t\tO",
            ]
        );
    }

    #[test]
    fn superscripts_are_written_as_superscript_digits() {
        // A note mark after a number, in a cell and in running text, and inside an
        // element inside the `<sup>`; digits outside stay plain.
        let got = lines(
            "<p>面积100m<sup>2</sup></p><table><tr><td>行政许可</td><td>647<sup><a href=#n1>1</a></sup></td><td>12</td></tr></table>",
        );
        assert_eq!(got, ["面积100m²", "行政许可\t647¹\t12"]);
    }

    #[test]
    fn the_national_template_header_lines_up_with_its_numbers() {
        let got = lines(
            "<table><tbody>\
             <tr><td colspan=3 rowspan=3>（本列数据的勾稽关系）</td><td colspan=7>申请人情况</td></tr>\
             <tr><td rowspan=2>自然人</td><td colspan=5>法人或其他组织</td><td rowspan=2>总计</td></tr>\
             <tr><td>商业企业</td><td>科研机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td></tr>\
             <tr><td colspan=3>一、本年新收</td><td>1</td><td>2</td><td>3</td><td>4</td><td>5</td><td>6</td><td>21</td></tr>\
             <tr><td rowspan=2>三、本年度办理结果</td><td colspan=2>（一）予以公开</td><td>7</td></tr>\
             <tr><td rowspan=1>（三）不予公开</td><td>1.属于国家秘密</td><td>8</td></tr>\
             </tbody></table>",
        );
        assert_eq!(got[0], "（本列数据的勾稽关系）\t^\t^\t申请人情况");
        assert_eq!(got[1], "^\t^\t^\t自然人\t法人或其他组织\t^\t^\t^\t^\t总计");
        assert_eq!(
            got[2],
            "^\t^\t^\t^\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他"
        );
        assert_eq!(got[3], "一、本年新收\t^\t^\t1\t2\t3\t4\t5\t6\t21");
        assert_eq!(got[4], "三、本年度办理结果\t（一）予以公开\t^\t7");
        assert_eq!(got[5], "^\t（三）不予公开\t1.属于国家秘密\t8");
    }

    #[test]
    fn a_nested_table_follows_its_row() {
        let got = lines(
            "<table><tr><td>outer</td><td>x<table><tr><td>in1</td><td>in2</td></tr>\
             <tr><td>in3</td></tr></table></td></tr><tr><td>next</td><td>y</td></tr></table>",
        );
        assert_eq!(got, ["outer\tx", "in1\tin2", "in3", "next\ty"]);
    }

    #[test]
    fn br_and_paragraphs_inside_cells_are_spaces() {
        let got = lines(
            "<table><tr><td><p><span>结果</span></p><p>维持</p></td>\
             <td>尚未<br>审结</td><td><p>&nbsp;0&nbsp;</p></td><td></td><td>&nbsp;</td></tr></table>",
        );
        assert_eq!(got, ["结果 维持\t尚未 审结\t0"]);
    }

    #[test]
    fn single_cell_and_one_column_tables_are_blocks() {
        let got = lines(
            "<table><tr><td><p>一、总体情况</p><p>本年度……</p>\
             <table><tr><td>a</td><td>1</td></tr></table><p>落款</p></td></tr></table>",
        );
        assert_eq!(got, ["一、总体情况", "本年度……", "a\t1", "落款"]);
    }

    #[test]
    fn blocks_and_br_end_lines_and_whitespace_collapses() {
        let got = lines(
            "<body><h1>某局 2023年 年报</h1><div>统计期限&nbsp;&nbsp;为 2023年\n 1月1日<br/>至12月31日</div>\
             <p>  <span>某</span><b>局</b> </p><ul><li>一</li><li>二</li></ul><pre>a\nb</pre></body>",
        );
        assert_eq!(
            got,
            [
                "某局 2023年 年报",
                "统计期限 为 2023年 1月1日",
                "至12月31日",
                "某局",
                "一",
                "二",
                "a",
                "b"
            ]
        );
    }
}
