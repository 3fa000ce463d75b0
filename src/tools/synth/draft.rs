//! A report before it is printed ([`Draft`]): its agency, year, template and values, the
//! choices that shape its text (full-width digits, traditional characters, where the
//! agency is named, blank zeros, the section headings), the edits the defects make to its
//! values, and the truth it yields. Printing it is `grid` and `render`'s.

use serde_json::{json, Map, Value};

use super::panel::PanelYear;
use super::rng::Rng;
use super::SynthFormat;
use crate::model::Template;
use crate::templates::printed::{self, ProactiveGroup};
use crate::templates::APPLICANTS as APPLICANT_CODES;
use crate::templates::{OUTCOMES, PROCEEDINGS};

/// Current county-level divisions with their prefecture and province names, from the
/// gazetteer, less development zones and parks (not where a bureau's report comes from)
/// and any county whose province has no current row (none today).
pub(super) fn divisions() -> &'static [(&'static str, &'static str, &'static str)] {
    type Division = (&'static str, &'static str, &'static str);
    static CELL: std::sync::OnceLock<Vec<Division>> = std::sync::OnceLock::new();
    CELL.get_or_init(|| {
        crate::agency::current_counties()
            .filter(|(_, _, county)| !county.contains("开发区") && !county.contains("园区"))
            .filter(|(province, _, _)| !province.is_empty())
            .collect()
    })
}

pub(super) const DEPARTMENTS: [&str; 14] = [
    "统计局",
    "市场监督管理局",
    "自然资源局",
    "卫生健康委员会",
    "教育局",
    "公安局",
    "人民政府办公室",
    "财政局",
    "民政局",
    "司法局",
    "住房和城乡建设局",
    "农业农村局",
    "生态环境局",
    "人民政府",
];

/// The agency a report is written for.
#[derive(Clone)]
pub(super) struct Agency {
    pub(super) name: String,
    /// The signature when it is not the agency's name (the office that issued the report
    /// for the area the title names).
    pub(super) signature: Option<String>,
}

impl Agency {
    pub(super) fn draw(rng: &mut Rng) -> Agency {
        let all = divisions();
        let (province, prefecture, county) = rng.pick(all);
        let dept = *rng.pick(&DEPARTMENTS);
        let name = match rng.below(10) {
            0 => format!("{province}{dept}"),
            1..=3 if !prefecture.is_empty() => format!("{prefecture}{dept}"),
            4 if !prefecture.is_empty() => format!("{prefecture}{county}{dept}"),
            _ => format!("{county}{dept}"),
        };
        Agency {
            name,
            signature: None,
        }
    }
}

/// One section-三 row as it will be printed.
#[derive(Debug, Clone)]
pub(super) struct AppRow {
    pub(super) code: &'static str,
    pub(super) group: &'static str,
    pub(super) label: &'static str,
    /// The true values (None: printed blank).
    pub(super) values: [Option<i64>; 7],
    /// The printed value cells (a defect may add or remove one).
    pub(super) printed: Vec<String>,
}

/// A report before rendering: values, labels and the choices that shape its text.
#[derive(Clone)]
pub(super) struct Draft {
    pub(super) agency: Agency,
    pub(super) year: i32,
    pub(super) template: Template,
    /// (item, measure, value, printed).
    pub(super) proactive: Vec<(&'static str, &'static str, Option<f64>, String)>,
    pub(super) apps: Vec<AppRow>,
    pub(super) review: [Option<i64>; 15],
    pub(super) format: SynthFormat,
    pub(super) full_width: bool,
    pub(super) traditional: bool,
    pub(super) spaced_headers: bool,
    pub(super) agency_in: AgencyIn,
    /// Zeros are printed blank (and are `null` in the truth).
    pub(super) blank_zeros: bool,
    /// The section headings as printed (renumbered, reworded or dropped by a class).
    pub(super) headings: Headings,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum AgencyIn {
    Title,
    LineAbove,
    YearFirst,
    BodyOnly,
}

impl Draft {
    pub(super) fn draw(
        rng: &mut Rng,
        agency: Agency,
        format: SynthFormat,
        panel: Option<&PanelYear>,
    ) -> Draft {
        let (year, template) = match panel {
            Some(p) => (p.year, p.template),
            None => {
                let year = rng.range(2019, 2024) as i32;
                let mut template = if year <= 2020 {
                    Template::T2019
                } else {
                    Template::T2021
                };
                // Some agencies kept the 2019 template after 2021.
                if year >= 2021 && rng.chance(0.07) {
                    template = Template::T2019;
                }
                (year, template)
            }
        };
        let blank_zeros = rng.chance(0.08);
        let scale = if rng.chance(0.1) { 40 } else { 1 };
        let mut d = Draft {
            agency,
            year,
            template,
            proactive: Vec::new(),
            apps: Vec::new(),
            review: [None; 15],
            format,
            full_width: rng.chance(0.08),
            traditional: rng.chance(0.07),
            spaced_headers: rng.chance(0.3),
            agency_in: match rng.below(20) {
                0..=12 => AgencyIn::Title,
                13..=15 => AgencyIn::LineAbove,
                16..=17 => AgencyIn::YearFirst,
                _ => AgencyIn::BodyOnly,
            },
            blank_zeros,
            headings: Headings::standard(),
        };
        d.draw_proactive(rng);
        d.draw_applications(rng, scale, panel.map(|p| (p.carried_over, p.forward)));
        for (p, _) in PROCEEDINGS.iter().enumerate() {
            let mut sum = 0;
            for o in 0..4 {
                let v = if rng.chance(0.6) { 0 } else { rng.range(0, 6) };
                sum += v;
                d.review[p * 5 + o] = Some(v);
            }
            d.review[p * 5 + 4] = Some(sum);
        }
        if blank_zeros {
            for v in d.review.iter_mut() {
                if *v == Some(0) {
                    *v = None;
                }
            }
        }
        d
    }

    pub(super) fn groups(&self) -> &'static [ProactiveGroup] {
        match self.template {
            Template::T2019 => printed::PROACTIVE_2019,
            Template::T2021 => printed::PROACTIVE_2021,
        }
    }

    fn draw_proactive(&mut self, rng: &mut Rng) {
        for group in self.groups() {
            for (item, _, measures) in group.items {
                for measure in *measures {
                    let (value, printed) = match *measure {
                        "amount_10k_yuan" => {
                            let v = if rng.chance(0.5) {
                                0.0
                            } else {
                                rng.range(1, 500_000) as f64 / 100.0
                            };
                            (v, self.number(v))
                        }
                        "amount_yuan" => {
                            let yuan = rng.range(0, 9_000) * 100;
                            if yuan == 0 {
                                (0.0, self.number(0.0))
                            } else if rng.chance(0.5) {
                                let wan = yuan as f64 / 10_000.0;
                                let sep = if rng.chance(0.5) { " " } else { "" };
                                (yuan as f64, format!("{}{sep}万元", self.number(wan)))
                            } else {
                                (yuan as f64, format!("{}元", self.number(yuan as f64)))
                            }
                        }
                        "change" => {
                            let v = if rng.chance(0.6) { 0 } else { rng.range(-4, 6) };
                            let shown = if v > 0 && rng.chance(0.3) {
                                format!("+{}", self.number(v as f64))
                            } else if v < 0 {
                                format!("-{}", self.number(-v as f64))
                            } else {
                                self.number(v as f64)
                            };
                            (v as f64, shown)
                        }
                        "decisions" => {
                            let v = if rng.chance(0.3) {
                                0
                            } else {
                                rng.range(0, 900)
                            };
                            (v as f64, self.number(v as f64))
                        }
                        _ => {
                            let v = if rng.chance(0.4) { 0 } else { rng.range(0, 40) };
                            (v as f64, self.number(v as f64))
                        }
                    };
                    self.proactive.push((item, measure, Some(value), printed));
                }
            }
        }
    }

    fn disposals(&self) -> Vec<(&'static str, &'static str, &'static str)> {
        match self.template {
            Template::T2021 => printed::DISPOSALS_2021.to_vec(),
            Template::T2019 => {
                let mut rows = printed::DISPOSALS_2021[..18].to_vec();
                rows.push(printed::OTHER_HANDLING_2019);
                rows
            }
        }
    }

    /// `chain`: the carried-over and carried-forward columns fixed by a panel.
    fn draw_applications(
        &mut self,
        rng: &mut Rng,
        scale: i64,
        chain: Option<([i64; 6], [i64; 6])>,
    ) {
        let blank_zeros = self.blank_zeros;
        let disposals = self.disposals();
        let weights = [6, 2, 0, 0, 1, 0];
        let mut new = [0i64; 6];
        let mut over = [0i64; 6];
        let mut forward = [0i64; 6];
        let mut rows = vec![[0i64; 6]; disposals.len()];
        let likely: Vec<usize> = [
            "granted",
            "partly_granted",
            "unavailable_not_held",
            "withheld_process_info",
            "declined_duplicate",
            "declined_petition",
            "withheld_third_party_rights",
        ]
        .iter()
        .filter_map(|c| disposals.iter().position(|d| d.0 == *c))
        .chain([disposals.len() - 1])
        .collect();
        let quiet = rng.chance(0.25);
        for a in 0..6 {
            if !quiet {
                new[a] = if weights[a] >= 6 {
                    rng.range(0, 20) * scale
                } else {
                    rng.range(0, weights[a] * 2)
                };
                over[a] = if a == 0 { rng.range(0, 3) } else { 0 };
            }
            if let Some((o, f)) = chain {
                over[a] = o[a];
                forward[a] = f[a];
                // More comes forward than there is: more applications came in.
                new[a] = new[a].max(f[a] - o[a]);
            } else {
                let available = new[a] + over[a];
                forward[a] = if a == 0 {
                    available.min(rng.range(0, 2))
                } else {
                    0
                };
            }
            let available = new[a] + over[a];
            let mut left = available - forward[a];
            while left > 0 {
                let take = rng.range(1, left);
                rows[*rng.pick(&likely)][a] += take;
                left -= take;
            }
        }
        let mut total = [0i64; 6];
        for r in &rows {
            for a in 0..6 {
                total[a] += r[a];
            }
        }
        let mut push = |code, group, label, v: [i64; 6]| {
            let mut values = [None; 7];
            let sum: i64 = v.iter().sum();
            for a in 0..6 {
                values[a] = Some(v[a]);
            }
            values[6] = Some(sum);
            if blank_zeros {
                for x in values.iter_mut() {
                    if *x == Some(0) {
                        *x = None;
                    }
                }
            }
            self.apps.push(AppRow {
                code,
                group,
                label,
                values,
                printed: Vec::new(),
            });
        };
        push(printed::INTAKE[0].0, "", printed::INTAKE[0].1, new);
        push(printed::INTAKE[1].0, "", printed::INTAKE[1].1, over);
        for (i, (code, group, label)) in disposals.iter().enumerate() {
            push(code, group, label, rows[i]);
        }
        push(printed::TOTAL.0, "", printed::TOTAL.1, total);
        push(printed::FORWARD.0, "", printed::FORWARD.1, forward);
        for i in 0..self.apps.len() {
            let printed = self.apps[i]
                .values
                .iter()
                .map(|v| v.map_or_else(String::new, |v| self.number(v as f64)))
                .collect();
            self.apps[i].printed = printed;
        }
    }

    /// Adds `delta` to the natural-person and total cells of section-三 row `row`, which
    /// keeps the row sum; the caller keeps the column balance.
    pub(super) fn bump(&mut self, row: usize, delta: i64) {
        for col in [0, 6] {
            let v = self.apps[row].values[col].unwrap_or(0) + delta;
            let v = (v != 0 || !self.blank_zeros).then_some(v);
            self.apps[row].values[col] = v;
            self.apps[row].printed[col] = v.map_or_else(String::new, |v| self.number(v as f64));
        }
    }

    /// More received than the rest of the table accounts for.
    pub(super) fn break_balance(&mut self, rng: &mut Rng) {
        let k = rng.range(1, 5);
        self.bump(0, k);
    }

    /// The disposal rows (section-三 indices) with a natural-person application to move.
    pub(super) fn movable_disposal(&self) -> Option<Vec<usize>> {
        let rows: Vec<usize> = (2..self.apps.len() - 2)
            .filter(|&r| self.apps[r].values[0].unwrap_or(0) >= 1)
            .collect();
        (!rows.is_empty()).then_some(rows)
    }

    /// Moves one natural-person application from one disposal row to another: a
    /// correction that keeps every sum.
    pub(super) fn move_one(&mut self, rng: &mut Rng) {
        let Some(from) = self.movable_disposal() else {
            return;
        };
        let from = *rng.pick(&from);
        let to: Vec<usize> = (2..self.apps.len() - 2).filter(|&r| r != from).collect();
        let to = *rng.pick(&to);
        self.bump(from, -1);
        self.bump(to, 1);
    }

    /// Index of a section-三 row a defect can hit (any but the last, so a cut or a
    /// change never falls outside the table).
    pub(super) fn pick_data_row(&self, rng: &mut Rng) -> usize {
        rng.below(self.apps.len() - 1)
    }

    /// Index of a section-三 row with no blank cell, if any.
    pub(super) fn pick_full_row(&self, rng: &mut Rng) -> Option<usize> {
        let full: Vec<usize> = (0..self.apps.len())
            .filter(|&i| self.apps[i].values.iter().all(Option::is_some))
            .collect();
        (!full.is_empty()).then(|| full[rng.below(full.len())])
    }

    /// A number as this report prints it.
    pub(super) fn number(&self, v: f64) -> String {
        let s = if v.fract() == 0.0 {
            format!("{}", v as i64)
        } else {
            let s = format!("{v:.4}");
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        };
        if self.full_width {
            s.chars()
                .map(|c| match c {
                    '0'..='9' => char::from_u32(c as u32 - '0' as u32 + 0xFF10).unwrap_or(c),
                    '.' => '．',
                    _ => c,
                })
                .collect()
        } else {
            s
        }
    }

    pub(super) fn truth(
        &self,
        id: &str,
        layout: &str,
        encoding: &str,
        defects: &[&str],
        expect: &[&str],
    ) -> Value {
        let num = |v: Option<f64>| v.map_or(Value::Null, |v| json!(v));
        let mut proactive = Map::new();
        for (item, measure, value, _) in &self.proactive {
            let v = if *measure == "amount_yuan" || *measure == "amount_10k_yuan" {
                num(*value)
            } else {
                value.map_or(Value::Null, |v| json!(v as i64))
            };
            proactive.insert(format!("{item}.{measure}"), v);
        }
        let mut apps = Map::new();
        for r in &self.apps {
            for (a, v) in APPLICANT_CODES.iter().zip(r.values) {
                apps.insert(
                    format!("{}.{a}", r.code),
                    v.map_or(Value::Null, |v| json!(v)),
                );
            }
        }
        // The rows of the other template are not printed: nothing may be read into them
        // (a 2021 group label 其他处理 taken for the 2019 row, say).
        let absent: &[&str] = match self.template {
            Template::T2021 => &["other_handling"],
            Template::T2019 => &["other_overdue_correction", "other_unpaid_fee", "other_misc"],
        };
        for row in absent {
            for a in APPLICANT_CODES {
                apps.insert(format!("{row}.{a}"), Value::Null);
            }
        }
        let mut review = Map::new();
        for (p, proceeding) in PROCEEDINGS.iter().enumerate() {
            for (o, outcome) in OUTCOMES.iter().enumerate() {
                review.insert(
                    format!("{proceeding}.{outcome}"),
                    self.review[p * 5 + o].map_or(Value::Null, |v| json!(v)),
                );
            }
        }
        let format = match self.format {
            SynthFormat::Text => "text",
            SynthFormat::Html => "html",
            SynthFormat::Docx => "docx",
        };
        let mut variations = Vec::new();
        if self.full_width {
            variations.push("full_width_digits");
        }
        if self.traditional {
            variations.push("traditional");
        }
        if self.spaced_headers {
            variations.push("spaced_headers");
        }
        if self.agency_in == AgencyIn::BodyOnly {
            variations.push("agency_in_body");
        }
        if self.year >= 2021 && self.template == Template::T2019 {
            variations.push("template_year_mismatch");
        }
        json!({
            "id": id,
            "agency": self.agency.name,
            "year": self.year,
            "template": self.template.code(),
            "kind": "report",
            "format": format,
            "layout": layout,
            "encoding": encoding,
            "defects": defects,
            "variations": variations,
            "proactive": proactive,
            "applications": apps,
            "review_litigation": review,
            "expect_findings": expect,
            "notes": "synthetic (nianbao synth)",
        })
    }
}

/// The section headings a report prints. Standard unless a class changes them.
#[derive(Debug, Clone)]
pub(super) struct Headings {
    /// The headings of sections 二, 三 and 四 (`None`: not printed).
    pub(super) tables: [Option<String>; 3],
    /// A section inserted after 一、总体情况: (heading, paragraph).
    pub(super) inserted: Option<(String, String)>,
    /// The two closing sections' headings.
    pub(super) outro: [String; 2],
}

impl Headings {
    pub(super) fn standard() -> Headings {
        Headings {
            tables: printed::HEADINGS.map(|h| Some(h.to_string())),
            inserted: None,
            outro: [
                "五、存在的主要问题及改进情况".to_string(),
                "六、其他需要报告的事项".to_string(),
            ],
        }
    }
}
