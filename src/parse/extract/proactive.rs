//! Section 二: the items of proactive disclosure and their measures, and 政府集中采购.

use super::*;

/// The result of reading section 二.
#[derive(Debug, Default)]
pub struct Proactive {
    /// Cells placed.
    pub cells: Vec<ProactiveCell>,
    /// The procurement row, when printed.
    pub procurement: Option<Procurement>,
    /// Findings.
    pub findings: Vec<Finding>,
    /// Template shown by the column headers.
    pub template: Option<Template>,
    /// Any item label was found.
    pub found: bool,
    /// The column headers of both templates are printed.
    pub mixed: bool,
}

/// The template a section-二 column header (matching form) belongs to, if it is one.
fn header_template(key: &str) -> Option<Template> {
    if key.chars().count() < 3 {
        return None;
    }
    // A 2021 header wrapped after three characters or more (`本年制` / `发件数`) is still
    // one when no 2019 header starts with as much of it, as a 2019 header's start is.
    let wrapped_2021 = key.chars().count() >= 3
        && MEASURE_LABELS_2021.iter().any(|l| l.starts_with(key))
        && !MEASURE_LABELS_2019.iter().any(|l| l.starts_with(key));
    if wrapped_2021 || MEASURE_LABELS_2021.iter().any(|l| key.starts_with(l)) {
        Some(Template::T2021)
    } else if MEASURE_LABELS_2019
        .iter()
        .any(|l| key.starts_with(l) || l.starts_with(key))
    {
        Some(Template::T2019)
    } else {
        None
    }
}

/// What section 二's labels show of the templates.
struct Shown {
    /// 2019 marks: a 2019 column header, or a 2019-only item (政府集中采购).
    t2019: bool,
    /// 2021 column headers.
    t2021: bool,
    /// Column headers of both templates, 政府集中采购's own aside (2021 reports often keep
    /// that 2019 clause).
    mixed_headers: bool,
    /// 2019 marks other than 政府集中采购's.
    other_2019: bool,
}

/// One pass over the labels' matching forms.
fn shown<'a>(keys: impl Iterator<Item = &'a str>) -> Shown {
    let procurement = ["采购项目数量", "采购总金额"];
    let (mut t2019, mut t2021, mut other_2019) = (false, false, false);
    let mut other_item = false;
    for key in keys {
        match header_template(key) {
            Some(Template::T2021) => t2021 = true,
            Some(Template::T2019) => {
                t2019 = true;
                other_2019 |= !procurement.iter().any(|p| key.starts_with(p));
            }
            None => {
                let item = PROACTIVE_ITEMS
                    .iter()
                    .find(|it| it.measures_2021.is_empty() && it.labels.contains(&key))
                    .filter(|_| key.chars().count() >= 3);
                t2019 |= item.is_some();
                // 其他对外管理服务事项 is a 2019 mark of its own; 政府集中采购 is not (above).
                other_item |= item.is_some_and(|it| it.code != "centralized_procurement");
            }
        }
    }
    Shown {
        t2019,
        t2021,
        mixed_headers: other_2019 && t2021,
        other_2019: other_2019 || other_item,
    }
}

fn template_of(shown: &Shown) -> Option<Template> {
    match (shown.t2019, shown.t2021) {
        (true, false) => Some(Template::T2019),
        (false, true) => Some(Template::T2021),
        _ => None,
    }
}

/// The template of the column header printed last before token `ti`, if any: the header
/// row's words (those that name a template, up to the first that does not), all of one
/// template. A row holding words of both (`本年制发件数 本年废止件数 对外公开总数量`)
/// shows no template: its columns could be either's.
fn block_template(keys: &[Option<String>], ti: usize) -> Option<Template> {
    let mut words = keys[..ti]
        .iter()
        .rev()
        .flatten()
        .map(|key| header_template(key))
        .skip_while(Option::is_none)
        .map_while(|t| t);
    let first = words.next()?;
    words.all(|t| t == first).then_some(first)
}

fn match_item(key: &str) -> Option<&'static ProactiveItem> {
    PROACTIVE_ITEMS
        .iter()
        .filter(|it| it.labels.contains(&key))
        .max_by_key(|it| it.labels.iter().map(|l| l.len()).max())
}

fn is_structure(key: &str) -> bool {
    PROACTIVE_STRUCTURE_LABELS
        .iter()
        .any(|l| key.starts_with(l))
}

/// Reads section 二. `fallback` is the template to assume when the headers do not show
/// one (from the year, or section 三).
pub fn proactive(section: &Section, fallback: Option<Template>) -> Proactive {
    let tokens = &section.tokens;
    // Each label's matching form, once: every search below reuses them.
    let keys: Vec<Option<String>> = tokens.iter().map(|t| t.text().map(match_key)).collect();
    let shown = shown(keys.iter().flatten().map(String::as_str));
    let mut out = Proactive {
        template: template_of(&shown),
        ..Default::default()
    };
    // 政府集中采购 alone is no 2019 header: 2021 reports often keep that clause. When the
    // report's year (or section 三) says 2021, its items' headers, unread, may be either
    // template's, and the measures differ: the conflict is named, the items left out.
    if out.template == Some(Template::T2019)
        && !shown.other_2019
        && fallback == Some(Template::T2021)
    {
        out.template = None;
        if keys.iter().flatten().any(|k| match_item(k).is_some()) {
            out.findings.push(
                Finding::new(
                    Severity::Error,
                    "template_unknown",
                    "section 二 prints only 政府集中采购 of the 2019 template, where the report's year (or section 三) says 2021, and no column header of either: which template its items follow cannot be told; its cells are left out",
                )
                .at(Table::Proactive, None, None)
                .line(section.heading_line),
            );
        }
        return out;
    }
    let Some(template) = out.template.or(fallback) else {
        if keys.iter().flatten().any(|k| match_item(k).is_some()) {
            out.findings.push(
                Finding::new(
                    Severity::Error,
                    "template_unknown",
                    "section 二 is printed but its template cannot be told; its cells are left out",
                )
                .at(Table::Proactive, None, None)
                .line(section.heading_line),
            );
        }
        return out;
    };
    // Headers of both templates (an agency that kept the 2019 columns for one item
    // group): each item is read under the header printed above it, never under a
    // template the section contradicts.
    // A 2021 report that keeps the 2019 政府集中采购 clause reads it under its own header
    // too, but it is a 2021 report: only other 2019 headers make the template mixed.
    let mixed = shown.t2019 && shown.t2021;
    out.mixed = shown.mixed_headers;
    if out.mixed {
        out.findings.push(
            Finding::new(
                Severity::Warning,
                "template_mixed",
                "section 二 prints column headers of both the 2019 and the 2021 template; each item is read under the header printed above it",
            )
            .at(Table::Proactive, None, None)
            .line(section.heading_line),
        );
    }
    let mut items: Vec<(usize, &'static ProactiveItem)> = Vec::new();
    let mut bounds: Vec<usize> = Vec::new();
    // Money unit printed in the nearest column header (`采购总金额(万元)`).
    let mut header_money_unit: Vec<(usize, Option<&'static str>)> = Vec::new();
    for (ti, key) in keys.iter().enumerate() {
        let Some(key) = key else { continue };
        if let Some(item) = match_item(key) {
            items.push((ti, item));
            bounds.push(ti);
        } else if is_structure(key) {
            bounds.push(ti);
        }
        if key.contains("金额") {
            // 萬 is 万 in traditional writing; a page in simplified characters keeps it
            // where the conversion's marker characters are absent (`单位：萬元`).
            let unit = if key.contains("万元") || key.contains("萬元") {
                Some("万元")
            } else if key.contains("元") {
                Some("元")
            } else {
                None
            };
            header_money_unit.push((ti, unit));
        }
    }
    out.found = !items.is_empty();
    // An item's cells run from its label to the next label of an item or of the structure.
    let item_end = |ti: usize| {
        bounds
            .iter()
            .copied()
            .find(|b| *b > ti)
            .unwrap_or(tokens.len())
    };
    let item_cells = |ti: usize| row_cells(tokens, ti + 1, item_end(ti));
    // A template inferred (no column header of either printed) must fit the rows it reads:
    // 行政许可 prints three cells under 2019 and one under 2021, while 规章 prints three
    // under both. Rows that fit only the other template decide for it; rows of both kinds
    // leave the template unknown. Read under the year's template regardless, a 2021 form
    // filed its 规章 and 规范性文件 under the 2019 codes with no finding on them.
    let mut template = template;
    if out.template.is_none() && !mixed {
        let alt = match template {
            Template::T2019 => Template::T2021,
            Template::T2021 => Template::T2019,
        };
        let (mut fits, mut contradicts) = (0usize, 0usize);
        for &(ti, item) in &items {
            if item.code == "centralized_procurement" {
                continue;
            }
            let filled = item_cells(ti).iter().filter(|c| c.is_filled()).count();
            let under = |t: Template| filled == item.measures(t).len();
            match (under(template), under(alt)) {
                _ if filled == 0 => {}
                (true, false) => fits += 1,
                (false, true) => contradicts += 1,
                _ => {}
            }
        }
        if contradicts > 0 && fits == 0 {
            out.findings.push(
                Finding::new(
                    Severity::Info,
                    "template_inferred",
                    format!("the column headers of section 二 are not printed; its rows' cells fit the {} template, not the {} one the year or section 三 suggested", alt.code(), template.code()),
                )
                .at(Table::Proactive, None, None)
                .line(section.heading_line),
            );
            template = alt;
            out.template = Some(alt);
        } else if contradicts > 0 {
            out.findings.push(
                Finding::new(
                    Severity::Error,
                    "template_unknown",
                    format!("the column headers of section 二 are not printed, and its rows' cells fit the {} template in {fits} rows and the {} template in {contradicts}: which template its items follow cannot be told; its cells are left out", template.code(), alt.code()),
                )
                .at(Table::Proactive, None, None)
                .line(section.heading_line),
            );
            return out;
        }
    }
    let item_starts: Vec<usize> = items.iter().map(|(ti, _)| *ti).collect();
    // Items printed with no cell since the last item with cells: an item that then takes
    // two items' numbers or more may hold theirs (columns printed one after another).
    let mut blank_run: Vec<(&'static str, Table, Option<u32>)> = Vec::new();
    for (ti, item) in items {
        let end = item_end(ti);
        let cells = item_cells(ti);
        let template = if mixed {
            match block_template(&keys, ti) {
                Some(t) => t,
                None => {
                    out.findings.push(
                        Finding::new(
                            Severity::Error,
                            "template_unknown",
                            format!("{}: no column header is printed above it, and section 二 mixes the two templates; its cells are left out", item.code),
                        )
                        .at(Table::Proactive, Some(item.code), None)
                        .line(Some(tokens[ti].line)),
                    );
                    continue;
                }
            }
        } else {
            template
        };
        let measures = item.measures(template);
        let line = Some(tokens[ti].line);
        if measures.is_empty() {
            out.findings.push(
                Finding::new(
                    Severity::Warning,
                    "item_not_in_template",
                    format!(
                        "{} is not part of the {} template; its cells are left out",
                        item.code,
                        template.code()
                    ),
                )
                .at(Table::Proactive, Some(item.code), None)
                .line(line),
            );
            continue;
        }
        let table = if item.code == "centralized_procurement" {
            Table::Procurement
        } else {
            Table::Proactive
        };
        let (cells, left) = own_line(cells, tokens[ti].line, measures.len());
        if !left.is_empty() {
            out.findings.push(after_row(table, item.code, &left));
        }
        let at_end = end == tokens.len() && section.open_ended;
        let filled = cells.iter().filter(|c| c.is_filled()).count();
        if ends_inside(&cells, filled, measures.len(), at_end) {
            out.findings.push(truncated(table, Some(item.code), line));
            continue;
        }
        if filled >= 2 * measures.len() {
            for (code, blank_table, blank_line) in blank_run.drain(..) {
                out.findings.push(numbers_below(
                    blank_table,
                    code,
                    "item",
                    item.code,
                    blank_line,
                ));
            }
        } else if filled == 0 {
            blank_run.push((item.code, table, line));
        } else {
            blank_run.clear();
        }
        let placed: Vec<Option<&Token>> = match place(&cells, measures.len()) {
            Placement::Placed(p, note) => {
                if let Some(note) = note {
                    out.findings
                        .push(placement_note(table, Some(item.code), &note, line));
                }
                p
            }
            Placement::Blank => vec![None; measures.len()],
            Placement::Uncertain(why) => {
                out.findings.push(
                    Finding::new(
                        Severity::Error,
                        "row_cell_count",
                        format!("{}: {}; cells left null", item.code, why),
                    )
                    .at(table, Some(item.code), None)
                    .values(measures.len().to_string(), filled.to_string())
                    .line(line),
                );
                vec![None; measures.len()]
            }
        };
        // Columns headed in another order than the template's (`现行有效件数` first):
        // each printed cell goes to the measure its header names.
        // The header applies to every item of its clause (`第二十条第（一）项`).
        let clause = keys[..ti].iter().rposition(|k| {
            k.as_deref()
                .is_some_and(|k| k.starts_with(crate::templates::headings::PROACTIVE_START))
        });
        let placed = match column_order(tokens, clause.unwrap_or(0), ti, item.code, template) {
            HeaderOrder::Printed(order) => {
                out.findings.push(
                    Finding::new(
                        Severity::Info,
                        "measure_columns_reordered",
                        format!("{}: its columns are headed in another order than the template's; cells are placed by the printed headers", item.code),
                    )
                    .at(table, Some(item.code), None)
                    .line(line),
                );
                let mut in_order = vec![None; placed.len()];
                for (printed, measure) in order.into_iter().enumerate() {
                    if let (Some(slot), Some(cell)) =
                        (in_order.get_mut(measure), placed.get(printed))
                    {
                        *slot = *cell;
                    }
                }
                in_order
            }
            // Headers that do not confirm an order: only cells alike are placed.
            HeaderOrder::Unconfirmed
                if placed
                    .iter()
                    .any(|c| c.map(|t| &t.tok) != placed[0].map(|t| &t.tok)) =>
            {
                out.findings.push(order_unconfirmed(
                    table,
                    Some(item.code),
                    "its measures",
                    line,
                ));
                vec![None; placed.len()]
            }
            _ => placed,
        };
        if item.code == "centralized_procurement" {
            let header_unit = header_money_unit
                .iter()
                .rev()
                .find(|(h, _)| *h < ti)
                .and_then(|(_, u)| *u);
            out.procurement = Some(procurement(&placed, header_unit, line, &mut out.findings));
            continue;
        }
        // The fee amount's unit, when the item's own column header prints one
        // (`本年收费金额（单位：元）`): a header after the previous item's row.
        let previous_item = item_starts.iter().rev().find(|p| **p < ti).copied();
        let fee_header_unit = header_money_unit
            .iter()
            .rev()
            .find(|(h, _)| *h < ti && previous_item.is_none_or(|p| *h > p))
            .and_then(|(_, u)| *u);
        for (m, cell) in measures.iter().zip(&placed) {
            let (value, raw) = match cell {
                None => (None, String::new()),
                Some(t) => match &t.tok {
                    // A count is whole: `1.587` is a thousands separator or a misprint.
                    Tok::Num(n)
                        if !t.cut
                            && n.unit.is_none()
                            && *m != "amount_10k_yuan"
                            && n.value.fract() == 0.0 =>
                    {
                        (Some(n.value), t.raw.clone())
                    }
                    Tok::Num(n)
                        if !t.cut
                            && *m == "amount_10k_yuan"
                            && matches!(n.unit.or(fee_header_unit), None | Some("万元")) =>
                    {
                        (Some(n.value), t.raw.clone())
                    }
                    // In 元 (the cell's unit, or its header's): the column is in 万元.
                    Tok::Num(n) if !t.cut && *m == "amount_10k_yuan" => {
                        let value = (n.value / 10_000.0 * 1e6).round() / 1e6;
                        out.findings.push(
                            Finding::new(
                                Severity::Info,
                                "amount_unit_converted",
                                format!(
                                    "{}.{m}: {:?} is printed in 元; written in 万元 as {value}",
                                    item.code, t.raw
                                ),
                            )
                            .at(Table::Proactive, Some(item.code), Some(m))
                            .line(Some(t.line)),
                        );
                        (Some(value), t.raw.clone())
                    }
                    _ => {
                        out.findings.push(
                            Finding::new(
                                Severity::Error,
                                problem_check(t),
                                format!(
                                    "{}.{}: {:?} cannot be read as a number",
                                    item.code, m, t.raw
                                ),
                            )
                            .at(Table::Proactive, Some(item.code), Some(m))
                            .line(Some(t.line)),
                        );
                        (None, t.raw.clone())
                    }
                },
            };
            out.cells.push(ProactiveCell {
                item: item.code,
                measure: m,
                value,
                unit: measure_unit(m),
                raw,
                source_line: cell.map(|t| t.line).or(line),
            });
        }
    }
    if !mixed {
        missing_rows(&mut out, template, section);
    }
    out
}

/// A `row_missing` finding for each item of the template that section 二 does not print
/// (or prints under a label that cannot be read), as section 三 has: a row left out
/// without a word looks like a row the report never had. In a section the text ends in
/// (a page cut short) the items after the last one it prints are not in the text
/// (`row_cut`).
fn missing_rows(out: &mut Proactive, template: Template, section: &Section) {
    let read = |code: &str| {
        out.cells.iter().any(|c| c.item == code)
            || code == "centralized_procurement" && out.procurement.is_some()
            || out.findings.iter().any(|f| f.row == Some(code))
    };
    let last = PROACTIVE_ITEMS
        .iter()
        .rposition(|item| read(item.code))
        .unwrap_or(0);
    let missing: Vec<(usize, &'static str)> = PROACTIVE_ITEMS
        .iter()
        .enumerate()
        .filter(|(_, item)| !item.measures(template).is_empty() && !read(item.code))
        .map(|(i, item)| (i, item.code))
        .collect();
    for (i, code) in missing {
        let table = if code == "centralized_procurement" {
            Table::Procurement
        } else {
            Table::Proactive
        };
        // After the last item of a section the text ends in, the item is not in the text.
        let finding = if section.open_ended && i > last {
            super::row_cut(table, code, None, true)
        } else {
            super::row_not_printed(table, code, section.heading_line)
        };
        out.findings.push(finding);
    }
}

/// The 政府集中采购 row: item count and amount, converted to yuan only when the unit is
/// printed (in the cell or the header) or the amount is zero.
fn procurement(
    placed: &[Option<&Token>],
    header_unit: Option<&'static str>,
    line: Option<u32>,
    findings: &mut Vec<Finding>,
) -> Procurement {
    let items = placed
        .first()
        .copied()
        .flatten()
        .and_then(|t| match &t.tok {
            Tok::Num(n) if !t.cut && n.unit.is_none() => int_value(n),
            _ => {
                findings.push(
                    Finding::new(
                        Severity::Error,
                        problem_check(t),
                        format!(
                            "centralized_procurement.items: {:?} cannot be read as a number",
                            t.raw
                        ),
                    )
                    .at(
                        Table::Procurement,
                        Some("centralized_procurement"),
                        Some("items"),
                    )
                    .line(Some(t.line)),
                );
                None
            }
        });
    let amount_cell = placed.get(1).copied().flatten();
    let amount_yuan = amount_cell.and_then(|t| match &t.tok {
        Tok::Num(n) if !t.cut => match n.unit.or(header_unit) {
            Some("万元") => Some((n.value * 10_000.0 * 1e6).round() / 1e6),
            // Yuan have two decimals (分): `401.396元` is 万元 or thousands mislabelled.
            Some(_) if fraction_digits(&t.raw) > 2 => {
                findings.push(
                    Finding::new(Severity::Error, "unreadable_cell", format!("centralized_procurement.amount_yuan: {:?} has more decimals than 元 have; left null", t.raw))
                        .at(Table::Procurement, Some("centralized_procurement"), Some("amount_yuan"))
                        .line(Some(t.line)),
                );
                None
            }
            Some(_) => Some(n.value),
            None if n.value == 0.0 => Some(0.0),
            None => {
                findings.push(
                    Finding::new(Severity::Warning, "amount_unit_unknown", format!("centralized_procurement.amount_yuan: {:?} printed without 元 or 万元; left null", t.raw))
                        .at(Table::Procurement, Some("centralized_procurement"), Some("amount_yuan"))
                        .line(Some(t.line)),
                );
                None
            }
        },
        _ => {
            findings.push(
                Finding::new(Severity::Error, problem_check(t), format!("centralized_procurement.amount_yuan: {:?} cannot be read as a number", t.raw))
                    .at(Table::Procurement, Some("centralized_procurement"), Some("amount_yuan"))
                    .line(Some(t.line)),
            );
            None
        }
    });
    Procurement {
        items,
        amount_yuan,
        amount_raw: amount_cell.map(|t| t.raw.clone()),
        source_line: line,
    }
}

/// Digits after the decimal point of a printed number (`401.396元` → 3).
fn fraction_digits(raw: &str) -> usize {
    raw.split_once('.').map_or(0, |(_, f)| {
        f.chars().take_while(char::is_ascii_digit).count()
    })
}

/// Printed column → measure index of `item` (in the template's column order), read from
/// the item's column headers between token `from` and the item's label `to`, across
/// their lines (see [`header_order`]).
fn column_order(
    tokens: &[Token],
    from: usize,
    to: usize,
    item: &str,
    template: Template,
) -> HeaderOrder {
    let groups = match template {
        Template::T2019 => crate::templates::printed::PROACTIVE_2019,
        Template::T2021 => crate::templates::printed::PROACTIVE_2021,
    };
    let Some(group) = groups
        .iter()
        .find(|g| g.items.iter().any(|(code, _, _)| *code == item))
    else {
        return HeaderOrder::Template;
    };
    let headers: Vec<String> = group.headers.iter().map(|h| match_key(h)).collect();
    if headers.len() < 2 {
        return HeaderOrder::Template;
    }
    let names: Vec<&str> = headers.iter().map(String::as_str).collect();
    let from = from.min(to);
    header_order(&tokens[from..to], names.len(), |w| {
        header_word(w, &names, &names, &[])
    })
}
