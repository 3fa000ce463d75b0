//! Accuracy against hand-read or synthetic truth (`nianbao eval`).
//!
//! A gold folder holds documents and, beside each, `NAME.gold.json` (the format of
//! `shared/gold/README.md`; `nianbao synth` writes the same). Every document with a gold
//! file is parsed and every key of the gold file is compared:
//!
//! - **correct**: our value equals the gold value (numbers within 1e-6 relative), or both
//!   are blank;
//! - **flagged**: gold has a number, ours is blank or absent and an error/warning finding
//!   names the cell, or a `table_missing` error its table (the parser said it could not
//!   read it) — not a wrong number;
//! - **missed**: gold has a number, ours is blank or absent and no finding says why;
//! - **wrong_flagged**: ours is another number, and a finding names the cell;
//! - **silent**: ours is a number where gold has another number or a blank, and no finding
//!   names the cell — the error that matters most, a wrong number nobody is warned of.
//!
//! Metadata (kind, template, agency, year) is compared the same way (agency and year are
//! flagged when null with an `agency_unknown`/`year_unknown` finding, and wrong but
//! flagged when a `page_meta_disagrees`/`agency_disagrees`/`year_disagrees` finding says the report's
//! sources disagree; agencies are equal
//! when their [`crate::agency::normalise`]d forms are). Two counts stand apart because a
//! flag does not excuse them: **reports lost** (gold kind `report`, read as another kind:
//! all its cells gone) and **agencies wrong** (gold states an agency, ours is another or
//! null: its numbers under no one's name or someone else's). [`Evaluation::failed_gates`]
//! checks them against `nianbao eval`'s thresholds. Results are broken
//! down by template, format, layout, encoding and defect (the last three from the extra
//! keys synthetic truth carries; `unknown`/`none` for hand-read gold).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;
use serde_json::Value;

use crate::discover::discover;
use crate::model::{Finding, Kind, Report, Severity, Table};

/// The suffix of truth files.
pub const GOLD_SUFFIX: &str = ".gold.json";

/// Why an evaluation could not run.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    /// The folder holds no gold file.
    #[error("no *{GOLD_SUFFIX} file under {0}")]
    NoGold(PathBuf),
    /// A gold file is not valid JSON.
    #[error("{path}: not a gold file: {why}")]
    BadGold {
        /// The gold file.
        path: String,
        /// The parse error.
        why: String,
    },
}

/// What happened to one compared key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Equal to the gold value.
    Correct,
    /// Left blank with a finding naming it.
    Flagged,
    /// Left blank or absent without a finding.
    Missed,
    /// Another number, with a finding naming the cell.
    WrongFlagged,
    /// Another number (or a number for a gold blank) and no finding: a silent error.
    Silent,
}

/// Counts of outcomes.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Tally {
    /// Documents.
    pub documents: usize,
    /// Keys compared.
    pub checked: usize,
    /// See [`Outcome::Correct`].
    pub correct: usize,
    /// See [`Outcome::Flagged`].
    pub flagged: usize,
    /// See [`Outcome::Missed`].
    pub missed: usize,
    /// See [`Outcome::WrongFlagged`].
    pub wrong_flagged: usize,
    /// See [`Outcome::Silent`].
    pub silent: usize,
}

impl Tally {
    fn add(&mut self, o: Outcome) {
        self.checked += 1;
        match o {
            Outcome::Correct => self.correct += 1,
            Outcome::Flagged => self.flagged += 1,
            Outcome::Missed => self.missed += 1,
            Outcome::WrongFlagged => self.wrong_flagged += 1,
            Outcome::Silent => self.silent += 1,
        }
    }

    fn merge(&mut self, other: &Tally) {
        self.documents += other.documents;
        self.checked += other.checked;
        self.correct += other.correct;
        self.flagged += other.flagged;
        self.missed += other.missed;
        self.wrong_flagged += other.wrong_flagged;
        self.silent += other.silent;
    }

    /// Correct keys as a share of the keys compared (1.0 when none were).
    pub fn accuracy(&self) -> f64 {
        if self.checked == 0 {
            1.0
        } else {
            self.correct as f64 / self.checked as f64
        }
    }
}

/// One key that did not come out correct.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Miss {
    /// The document, relative to the gold folder.
    pub file: String,
    /// `table:row.column`, or the metadata field.
    pub key: String,
    /// The gold value.
    pub gold: String,
    /// Ours (`null`, `absent` or the value).
    pub ours: String,
    /// What happened.
    pub outcome: Outcome,
}

/// The result of an evaluation.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Evaluation {
    /// The gold folder.
    pub folder: String,
    /// Table cells.
    pub cells: Tally,
    /// Metadata keys (kind, template, agency, year).
    pub metadata: Tally,
    /// Cell tallies by `dimension → value` (template, format, layout, encoding, defect).
    pub breakdown: BTreeMap<String, BTreeMap<String, Tally>>,
    /// Expected findings (`expect_findings` of synthetic truth): (expected, present).
    pub expected_findings: (usize, usize),
    /// Cells, metadata and wrong kinds by the `class` of synthetic truth (`none` without).
    pub by_class: BTreeMap<String, ClassTally>,
    /// Reports lost and agencies wrong.
    pub documents: DocumentTally,
    /// Every key not correct, silent errors first.
    pub misses: Vec<Miss>,
}

impl Evaluation {
    /// The silent errors.
    pub fn silent(&self) -> impl Iterator<Item = &Miss> {
        self.misses.iter().filter(|m| m.outcome == Outcome::Silent)
    }

    /// The reports read as another kind.
    pub fn lost(&self) -> impl Iterator<Item = &Miss> {
        self.misses
            .iter()
            .filter(|m| m.key == "kind" && m.gold == Kind::Report.code())
    }

    /// The agencies not read as gold states them (another name, or null).
    pub fn agencies_wrong(&self) -> impl Iterator<Item = &Miss> {
        self.misses.iter().filter(|m| m.key == "agency")
    }

    /// Why the evaluation fails `gates`, one sentence each; empty when it passes.
    pub fn failed_gates(&self, gates: &Gates) -> Vec<String> {
        let mut out = Vec::new();
        let accuracy = 100.0 * self.cells.accuracy();
        if let Some(min) = gates.min_accuracy.filter(|m| accuracy < *m) {
            out.push(format!(
                "cell accuracy {accuracy:.2}% is below --min-accuracy {min}%"
            ));
        }
        let silent = self.cells.silent + self.metadata.silent;
        if let Some(max) = gates.max_silent.filter(|m| silent > *m) {
            out.push(format!(
                "{silent} silent errors, more than --max-silent {max}"
            ));
        }
        let lost = self.documents.lost;
        if let Some(max) = gates.max_lost.filter(|m| lost > *m) {
            out.push(format!(
                "{lost} reports read as another kind, more than --max-lost {max}"
            ));
        }
        let wrong = self.documents.agencies_wrong;
        if let Some(max) = gates.max_agency_wrong.filter(|m| wrong > *m) {
            out.push(format!(
                "{wrong} agencies wrong or not read, more than --max-agency-wrong {max}"
            ));
        }
        out
    }
}

/// The thresholds `nianbao eval` fails on (exit 1); `None` checks nothing.
#[derive(Debug, Clone, Default)]
pub struct Gates {
    /// Least cell accuracy, in percent.
    pub min_accuracy: Option<f64>,
    /// Most silent errors (cells and metadata).
    pub max_silent: Option<usize>,
    /// Most reports read as another kind.
    pub max_lost: Option<usize>,
    /// Most agencies wrong or not read where gold states one.
    pub max_agency_wrong: Option<usize>,
}

/// Documents whose kind or agency the gold states, and how many of them came out wrong.
/// A report lost or an agency wrong counts here whether or not a finding flagged it.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct DocumentTally {
    /// Documents whose gold kind is `report`.
    pub reports: usize,
    /// Of those, read as another kind.
    pub lost: usize,
    /// Documents whose gold states an agency.
    pub agencies: usize,
    /// Of those, read as another agency or not read.
    pub agencies_wrong: usize,
}

impl DocumentTally {
    fn add(&mut self, r: &DocResult) {
        self.reports += usize::from(r.report);
        self.lost += usize::from(r.lost());
        self.agencies += usize::from(r.agency_stated);
        self.agencies_wrong += usize::from(r.agency_wrong());
    }
}

/// What the documents of one real-scraper class came to (`nianbao synth`'s classes; the
/// near-misses have no cells, so their kind is what counts).
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct ClassTally {
    /// Table cells.
    pub cells: Tally,
    /// Metadata keys.
    pub metadata: Tally,
    /// Documents whose kind is not the gold kind.
    pub kinds_wrong: usize,
    /// Documents whose agency is not the gold agency (where gold states one).
    pub agencies_wrong: usize,
}

impl ClassTally {
    fn add(&mut self, r: &DocResult) {
        self.cells.merge(&r.cells);
        self.cells.documents += 1;
        self.metadata.merge(&r.metadata);
        self.metadata.documents += 1;
        self.kinds_wrong += usize::from(r.misses.iter().any(|m| m.key == "kind"));
        self.agencies_wrong += usize::from(r.agency_wrong());
    }
}

/// One gold document's result.
struct DocResult {
    dims: Vec<(&'static str, String)>,
    class: String,
    cells: Tally,
    metadata: Tally,
    expected: (usize, usize),
    misses: Vec<Miss>,
    /// The gold kind is `report`.
    report: bool,
    /// The gold states an agency.
    agency_stated: bool,
}

impl DocResult {
    fn lost(&self) -> bool {
        self.report && self.misses.iter().any(|m| m.key == "kind")
    }

    fn agency_wrong(&self) -> bool {
        self.agency_stated && self.misses.iter().any(|m| m.key == "agency")
    }
}

/// Parses every document of `folder` that has a gold file and compares it. The gold
/// files are looked for beside the documents, or under `truth` (same relative paths)
/// when the gold files are kept apart.
pub fn evaluate(folder: &Path, truth: Option<&Path>) -> Result<Evaluation, EvalError> {
    let mut golds: BTreeMap<String, PathBuf> = BTreeMap::new();
    let mut documents: Vec<(String, PathBuf)> = Vec::new();
    for e in discover(folder).into_iter().filter(|e| e.error.is_none()) {
        match e.relative.strip_suffix(GOLD_SUFFIX) {
            Some(stem) if truth.is_none() => {
                golds.insert(stem.to_string(), e.path);
            }
            Some(_) => {}
            None => documents.push((e.relative, e.path)),
        }
    }
    if let Some(truth) = truth {
        for e in discover(truth).into_iter().filter(|e| e.error.is_none()) {
            if let Some(stem) = e.relative.strip_suffix(GOLD_SUFFIX) {
                golds.insert(stem.to_string(), e.path);
            }
        }
    }
    if golds.is_empty() {
        return Err(EvalError::NoGold(folder.to_path_buf()));
    }
    let pairs: Vec<(String, PathBuf, PathBuf)> = documents
        .into_iter()
        .filter_map(|(rel, path)| {
            let stem = rel.rsplit_once('.').map_or(rel.as_str(), |(s, _)| s);
            let gold = golds.get(stem)?.clone();
            Some((rel, path, gold))
        })
        .collect();
    let results: Vec<Result<Vec<DocResult>, EvalError>> = pairs
        .par_iter()
        .map(|(rel, path, gold_path)| {
            let text = std::fs::read_to_string(gold_path).map_err(|e| EvalError::BadGold {
                path: gold_path.display().to_string(),
                why: e.to_string(),
            })?;
            let gold: Value = serde_json::from_str(&text).map_err(|e| EvalError::BadGold {
                path: gold_path.display().to_string(),
                why: e.to_string(),
            })?;
            let bytes = std::fs::read(path).unwrap_or_default();
            let reports = crate::parse_file(&bytes, rel);
            // A file of several reports (a compilation, an archive) may have the gold of
            // each, in order, under `reports`; a report the parse did not give is lost.
            let golds: Vec<&Value> = match gold.get("reports").and_then(Value::as_array) {
                Some(list) => list.iter().collect(),
                None => vec![&gold],
            };
            let absent = crate::parse_named(b"", "");
            Ok(golds
                .iter()
                .enumerate()
                .map(|(k, g)| match reports.get(k) {
                    Some(r) if k > 0 => compare(&r.source_path, r, g),
                    Some(r) => compare(rel, r, g),
                    None => compare(&format!("{rel} (report {})", k + 1), &absent, g),
                })
                .collect::<Vec<_>>())
        })
        .collect();
    let mut eval = Evaluation {
        folder: folder.display().to_string(),
        ..Evaluation::default()
    };
    for r in results {
        for r in r? {
            eval.cells.merge(&r.cells);
            eval.cells.documents += 1;
            eval.metadata.merge(&r.metadata);
            eval.metadata.documents += 1;
            eval.expected_findings.0 += r.expected.0;
            eval.expected_findings.1 += r.expected.1;
            eval.by_class.entry(r.class.clone()).or_default().add(&r);
            eval.documents.add(&r);
            for (dim, value) in &r.dims {
                let t = eval
                    .breakdown
                    .entry(dim.to_string())
                    .or_default()
                    .entry(value.clone())
                    .or_default();
                t.merge(&r.cells);
                t.documents += 1;
            }
            eval.misses.extend(r.misses);
        }
    }
    eval.misses
        .sort_by(|a, b| (b.outcome, &a.file, &a.key).cmp(&(a.outcome, &b.file, &b.key)));
    Ok(eval)
}

/// One report scored against its gold value: cell and metadata tallies and every key not
/// correct. For callers that parse in memory (property tests).
pub fn score_report(file: &str, report: &Report, gold: &Value) -> (Tally, Tally, Vec<Miss>) {
    let r = compare(file, report, gold);
    (r.cells, r.metadata, r.misses)
}

/// Compares one report with its gold file.
fn compare(file: &str, report: &Report, gold: &Value) -> DocResult {
    let text = |k: &str| gold.get(k).and_then(Value::as_str).map(str::to_string);
    let mut dims = vec![
        (
            "template",
            text("template").unwrap_or_else(|| "none".to_string()),
        ),
        (
            "format",
            text("format").unwrap_or_else(|| report.format.to_string()),
        ),
        ("layout", text("layout").unwrap_or_else(|| "unknown".into())),
        (
            "encoding",
            text("encoding").unwrap_or_else(|| "unknown".into()),
        ),
    ];
    let defects: Vec<String> = gold
        .get("defects")
        .and_then(Value::as_array)
        .map(|d| {
            d.iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    if defects.is_empty() {
        dims.push(("defect", "none".into()));
    }
    for d in defects {
        dims.push(("defect", d));
    }
    let mut r = DocResult {
        dims,
        class: text("class").unwrap_or_else(|| "none".into()),
        cells: Tally::default(),
        metadata: Tally::default(),
        expected: (0, 0),
        misses: Vec::new(),
        report: text("kind").as_deref() == Some(Kind::Report.code()),
        agency_stated: text("agency").is_some(),
    };
    r.metadata(file, report, gold);
    r.cells(file, report, gold);
    if let Some(expect) = gold.get("expect_findings").and_then(Value::as_array) {
        for check in expect.iter().filter_map(Value::as_str) {
            r.expected.0 += 1;
            if report.findings.iter().any(|f| f.check == check) {
                r.expected.1 += 1;
            }
        }
    }
    r
}

fn show(v: &Value) -> String {
    v.as_str().map_or_else(|| v.to_string(), str::to_string)
}

impl DocResult {
    fn record(
        &mut self,
        metadata: bool,
        file: &str,
        key: String,
        gold: String,
        ours: String,
        o: Outcome,
    ) {
        if metadata {
            self.metadata.add(o);
        } else {
            self.cells.add(o);
        }
        if o != Outcome::Correct {
            self.misses.push(Miss {
                file: file.to_string(),
                key,
                gold,
                ours,
                outcome: o,
            });
        }
    }

    fn metadata(&mut self, file: &str, report: &Report, gold: &Value) {
        if let Some(kind) = gold.get("kind").filter(|v| !v.is_null()) {
            let ours = report.kind.code();
            let o = if show(kind) == ours {
                Outcome::Correct
            } else {
                Outcome::Silent
            };
            self.record(true, file, "kind".into(), show(kind), ours.into(), o);
        }
        if let Some(template) = gold.get("template") {
            let ours = report.template.map(|t| t.code().to_string());
            let want = template.as_str().map(str::to_string);
            let o = match (&want, &ours) {
                (w, o) if w == o => Outcome::Correct,
                // Null, and the report says why (section 二 mixes the templates' headers,
                // or shows neither's and its rows contradict the year's).
                (Some(_), None)
                    if report
                        .findings
                        .iter()
                        .any(|f| matches!(f.check, "template_unknown" | "template_mixed")) =>
                {
                    Outcome::Flagged
                }
                (Some(_), None) => Outcome::Missed,
                _ => Outcome::Silent,
            };
            self.record(
                true,
                file,
                "template".into(),
                want.unwrap_or_else(|| "null".into()),
                ours.unwrap_or_else(|| "null".into()),
                o,
            );
        }
        let agency = report.agency.as_ref().map(|a| a.value.clone());
        let year = report.year.as_ref().map(|y| y.value.to_string());
        for (key, ours, unknown, disagrees) in [
            (
                "agency",
                agency,
                "agency_unknown",
                &["page_meta_disagrees", "agency_disagrees"][..],
            ),
            ("year", year, "year_unknown", &["year_disagrees"][..]),
        ] {
            let Some(want) = gold.get(key).filter(|v| !v.is_null()) else {
                continue;
            };
            let want = show(want);
            let same = |o: &str| match key {
                "agency" => crate::agency::normalise(o) == crate::agency::normalise(&want),
                _ => o == want,
            };
            let o = match &ours {
                Some(o) if same(o) => Outcome::Correct,
                // The report says its sources disagree: wrong, but not silently.
                Some(_) if report.findings.iter().any(|f| disagrees.contains(&f.check)) => {
                    Outcome::WrongFlagged
                }
                Some(_) => Outcome::Silent,
                None if report.findings.iter().any(|f| f.check == unknown) => Outcome::Flagged,
                None => Outcome::Missed,
            };
            let ours = ours.unwrap_or_else(|| "null".into());
            self.record(true, file, key.into(), want, ours, o);
        }
    }

    fn cells(&mut self, file: &str, report: &Report, gold: &Value) {
        for (section, table) in [
            ("proactive", Table::Proactive),
            ("applications", Table::Applications),
            ("review_litigation", Table::ReviewLitigation),
        ] {
            let Some(keys) = gold.get(section).and_then(Value::as_object) else {
                continue;
            };
            for (key, want) in keys {
                let (row, column) = key.split_once('.').unwrap_or((key.as_str(), ""));
                let (table, ours): (Table, Option<Option<f64>>) = match (table, row) {
                    (Table::Proactive, "centralized_procurement") => (
                        Table::Procurement,
                        report.procurement.as_ref().map(|p| match column {
                            "items" => p.items.map(|v| v as f64),
                            "amount_yuan" => p.amount_yuan,
                            _ => None,
                        }),
                    ),
                    (Table::Proactive, _) => {
                        (table, report.proactive(row, column).map(|c| c.value))
                    }
                    (Table::Applications, _) => (
                        table,
                        report
                            .application(row, column)
                            .map(|c| c.value.map(|v| v as f64)),
                    ),
                    _ => (
                        table,
                        report
                            .review(row, column)
                            .map(|c| c.value.map(|v| v as f64)),
                    ),
                };
                // A `table_missing` error names every cell of its table (section 二's
                // procurement rows included): the whole table was said to be lost.
                let lost = |f: &Finding| {
                    f.check == "table_missing"
                        && f.severity == Severity::Error
                        && (f.table == Some(table)
                            || table == Table::Procurement && f.table == Some(Table::Proactive))
                };
                let named = report.findings.iter().any(|f| {
                    lost(f)
                        || matches!(f.severity, Severity::Error | Severity::Warning)
                            && f.table == Some(table)
                            && (f.row == Some(row)
                                || (table == Table::Procurement && f.row.is_none()))
                            && f.column.is_none_or(|c| c == column)
                });
                let value = ours.flatten();
                let o = match (want.as_f64(), value) {
                    (None, None) => Outcome::Correct,
                    (None, Some(_)) => {
                        if named {
                            Outcome::WrongFlagged
                        } else {
                            Outcome::Silent
                        }
                    }
                    (Some(g), Some(v)) if close(g, v) => Outcome::Correct,
                    (Some(_), Some(_)) if named => Outcome::WrongFlagged,
                    (Some(_), Some(_)) => Outcome::Silent,
                    (Some(_), None) if named => Outcome::Flagged,
                    (Some(_), None) => Outcome::Missed,
                };
                let ours_text = match ours {
                    None => "absent".to_string(),
                    Some(None) => "null".to_string(),
                    Some(Some(v)) => v.to_string(),
                };
                let name = format!("{}:{key}", table.code());
                self.record(false, file, name, show(want), ours_text, o);
            }
        }
    }
}

/// Equal within 1e-6 relative (exact for zero).
fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * a.abs().max(b.abs())
}

/// The evaluation as a readable table.
pub fn render(eval: &Evaluation, max_listed: usize) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let head = |out: &mut String, first: &str| {
        let _ = writeln!(
            out,
            "{first:<28} {:>7} {:>9} {:>9} {:>8} {:>7} {:>7} {:>7} {:>9}",
            "docs", "checked", "correct", "flagged", "missed", "wrong+f", "SILENT", "accuracy"
        );
    };
    let line = |out: &mut String, name: &str, t: &Tally| {
        let _ = writeln!(
            out,
            "{name:<28} {:>7} {:>9} {:>9} {:>8} {:>7} {:>7} {:>7} {:>8.2}%",
            t.documents,
            t.checked,
            t.correct,
            t.flagged,
            t.missed,
            t.wrong_flagged,
            t.silent,
            100.0 * t.accuracy()
        );
    };
    let _ = writeln!(out, "evaluation of {}", eval.folder);
    head(&mut out, "");
    line(&mut out, "cells", &eval.cells);
    line(&mut out, "metadata", &eval.metadata);
    let d = &eval.documents;
    let _ = writeln!(
        out,
        "{:<28} {:>7} of {} reports",
        "reports lost", d.lost, d.reports
    );
    let _ = writeln!(
        out,
        "{:<28} {:>7} of {} stated",
        "agencies wrong", d.agencies_wrong, d.agencies
    );
    for (dim, values) in &eval.breakdown {
        let _ = writeln!(out);
        head(&mut out, &format!("cells by {dim}"));
        for (value, t) in values {
            line(&mut out, &format!("  {value}"), t);
        }
    }
    if eval.by_class.len() > 1 {
        render_classes(&mut out, eval);
    }
    let (want, found) = eval.expected_findings;
    if want > 0 {
        let _ = writeln!(out, "\nexpected findings present: {found} of {want}");
    }
    let lists: [(&str, Vec<&Miss>); 3] = [
        ("silent errors", eval.silent().collect()),
        ("reports lost", eval.lost().collect()),
        ("agencies wrong", eval.agencies_wrong().collect()),
    ];
    for (what, misses) in lists {
        if misses.is_empty() && what != "silent errors" {
            continue;
        }
        let _ = writeln!(out, "\n{what}: {}", misses.len());
        for m in misses.iter().take(max_listed) {
            let _ = writeln!(
                out,
                "  {}: {}: gold {}, ours {}",
                m.file, m.key, m.gold, m.ours
            );
        }
        if misses.len() > max_listed {
            let _ = writeln!(
                out,
                "  … {} more (see --json or --out)",
                misses.len() - max_listed
            );
        }
    }
    out
}

/// Cells, kinds and agencies by class, for corpora with classes.
fn render_classes(out: &mut String, eval: &Evaluation) {
    use std::fmt::Write as _;
    let _ = writeln!(
        out,
        "\n{:<28} {:>7} {:>9} {:>9} {:>9} {:>8} {:>7} {:>7} {:>9} {:>9}",
        "by class",
        "docs",
        "checked",
        "correct",
        "flagged",
        "missed",
        "wrong+f",
        "SILENT",
        "kind≠",
        "agency≠"
    );
    for (class, c) in &eval.by_class {
        let t = &c.cells;
        let _ = writeln!(
            out,
            "  {class:<26} {:>7} {:>9} {:>9} {:>9} {:>8} {:>7} {:>7} {:>9} {:>9}",
            t.documents,
            t.checked,
            t.correct,
            t.flagged,
            t.missed,
            t.wrong_flagged,
            t.silent,
            c.kinds_wrong,
            c.agencies_wrong
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn outcomes_follow_the_rules() {
        let text = "某县统计局2023年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量\t1\t0\t0\t0\t0\t0\t1\n";
        let report = crate::parse_named(text.as_bytes(), "a.txt");
        let gold = serde_json::json!({
            "year": 2023,
            "applications": {
                "new_received.natural_person": 1,
                "new_received.total": 2,
                "new_received.other_org": null,
                "carried_over.total": 5,
            }
        });
        let r = compare("a.txt", &report, &gold);
        assert_eq!(r.metadata.correct, 1);
        // 1 correct; total 1 vs 2 silent; other_org 0 vs null silent; carried_over: missing row
        // with a row_missing finding → flagged.
        assert_eq!(r.cells.correct, 1, "{:?}", r.misses);
        assert_eq!(r.cells.silent, 2, "{:?}", r.misses);
        assert_eq!(r.cells.flagged + r.cells.missed, 1);
    }

    /// Reports lost and agencies wrong are counted whatever the findings say, agencies
    /// compared in their normalised form, and each fails its own gate.
    #[test]
    fn lost_reports_and_wrong_agencies_are_counted_and_gated() {
        let report = |text: &str| crate::parse_named(text.as_bytes(), "a.txt");
        let titled = report("某县统计局2023年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量\t1\t0\t0\t0\t0\t0\t1\n");
        let unnamed = report("关于召开会议的通知\n请各单位按时参加。\n");
        let mut eval = Evaluation::default();
        for (file, r, gold) in [
            // Right, printed with other spacing and punctuation.
            (
                "a",
                &titled,
                json!({"kind": "report", "agency": "某县 统计局。"}),
            ),
            // Another agency.
            (
                "b",
                &titled,
                json!({"kind": "report", "agency": "某市统计局"}),
            ),
            // Null with an agency_unknown finding: flagged, and still wrong.
            ("c", &unnamed, json!({"agency": "某县统计局"})),
            // A report read as another kind.
            ("d", &unnamed, json!({"kind": "report"})),
            // Not stated: not counted.
            (
                "e",
                &unnamed,
                json!({"kind": "not_a_report", "agency": null}),
            ),
        ] {
            let r = compare(file, r, &gold);
            eval.documents.add(&r);
            eval.metadata.merge(&r.metadata);
            eval.misses.extend(r.misses);
        }
        assert_eq!(unnamed.kind, Kind::NotAReport);
        let want = DocumentTally {
            reports: 3,
            lost: 1,
            agencies: 3,
            agencies_wrong: 2,
        };
        assert_eq!(eval.documents, want);
        let files = |it: Vec<&Miss>| it.iter().map(|m| m.file.clone()).collect::<Vec<_>>();
        assert_eq!(files(eval.lost().collect()), ["d"]);
        assert_eq!(files(eval.agencies_wrong().collect()), ["b", "c"]);

        let gates = |lost, agency| Gates {
            max_lost: Some(lost),
            max_agency_wrong: Some(agency),
            ..Gates::default()
        };
        assert!(eval.failed_gates(&Gates::default()).is_empty());
        assert!(eval.failed_gates(&gates(1, 2)).is_empty());
        let failed = eval.failed_gates(&gates(0, 1));
        assert_eq!(failed.len(), 2, "{failed:?}");
        assert!(failed[0].contains("--max-lost 0") && failed[1].contains("--max-agency-wrong 1"));
        let table = render(&eval, 10);
        assert!(
            table.contains("reports lost") && table.contains("1 of 3 reports"),
            "{table}"
        );
        assert!(table.contains("agencies wrong: 2"), "{table}");
    }

    /// A compilation of reports (several departments' reports in one text, or files
    /// joined) gives a report per part, each read from its own lines as if it stood alone.
    #[test]
    fn each_report_of_a_compilation_is_read_as_its_own() {
        use crate::synth::{self, SynthFormat};
        let options = synth::Options {
            seed: 21,
            defect_rate: 0.0,
            formats: vec![SynthFormat::Text],
            panel: None,
        };
        // Clean UTF-8 reports, so that their texts can be joined.
        let files: Vec<synth::File> = (0..40)
            .flat_map(|i| synth::report(&options, i))
            .filter(|f| {
                f.truth["kind"] == "report"
                    && std::str::from_utf8(&f.bytes).is_ok()
                    && crate::parse_reports(&f.bytes, &f.path, None).len() == 1
            })
            .take(6)
            .collect();
        assert_eq!(files.len(), 6);
        for pair in files.chunks(2).chain([&files[3..6]]) {
            let mut text = Vec::new();
            for f in pair {
                text.extend_from_slice(&f.bytes);
                text.extend_from_slice(b"\n");
            }
            let reports = crate::parse_reports(&text, "compilation.txt", None);
            assert_eq!(
                reports.len(),
                pair.len(),
                "{:?}",
                pair.iter().map(|f| &f.path).collect::<Vec<_>>()
            );
            let mut ids: Vec<&str> = reports.iter().map(|r| r.report_id.as_str()).collect();
            ids.dedup();
            assert_eq!(ids.len(), pair.len(), "each report has an id of its own");
            for (f, r) in pair.iter().zip(&reports) {
                let alone = compare(&f.path, &crate::parse_named(&f.bytes, &f.path), &f.truth);
                let joined = compare(&f.path, r, &f.truth);
                assert_eq!(joined.cells.silent, 0, "{}: {:?}", f.path, joined.misses);
                assert_eq!(
                    joined.cells.correct, alone.cells.correct,
                    "{}: {:?}",
                    f.path, joined.misses
                );
                assert_eq!(
                    joined.metadata.correct, alone.metadata.correct,
                    "{}: {:?}",
                    f.path, joined.misses
                );
                assert!(r.findings.iter().any(|x| x.check == "several_reports"));
            }
        }
        // Last year's report quoted after this one's closing section, its opening
        // section after it, and nothing of a table: no report of its own.
        let quoted = format!(
            "{}\n某县统计局2022年政府信息公开工作年度报告\n现将上年度报告链接附后，供查阅。\n一、总体情况\n略。\n",
            std::str::from_utf8(&files[0].bytes).unwrap()
        );
        let reports = crate::parse_reports(quoted.as_bytes(), "a.txt", None);
        assert_eq!(reports.len(), 1);
        assert!(reports[0]
            .findings
            .iter()
            .all(|x| x.check != "several_reports"));
    }
}
