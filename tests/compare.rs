//! The gold comparison shared by `gold` and `sample`: build a folder's documents once,
//! then compare every key of every `NAME.gold.json` with the output tables.
//!
//! A gold number must equal our value (floats within 1e-6 relative); a gold null must be
//! our null or absent. A gold number we leave null or absent is accepted only when an
//! error/warning finding names that cell (same report and table, row code, column code or
//! empty for the whole row); the year only with a `year_unknown` finding. The agency, where
//! gold states one, must be read (equal once normalised). A wrong non-null value always
//! fails. All failures of a folder are collected and reported together, with the counts.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;

use serde_json::Value;

use crate::util::{self, field, of_report, Dir, Row};

/// Counts over all compared keys.
#[derive(Default, Debug)]
pub struct Tally {
    /// Our value equals the gold value (or both are null).
    pub matched: usize,
    /// Gold has a number, ours is null/absent and a finding names the cell.
    pub flagged: usize,
    /// Anything else.
    pub wrong: usize,
}

/// Builds the documents of `folder` and compares them with its gold files; panics with
/// the list of failures. `label` names the folder in messages.
pub fn check_gold_folder(label: &str, folder: &Path) {
    check_gold(label, folder, folder);
}

/// Like [`check_gold_folder`], with the gold files kept apart from the documents (the
/// sample corpus keeps its gold files out of the folder users build).
pub fn check_gold(label: &str, folder: &Path, gold_folder: &Path) {
    let golds = gold_files(gold_folder);
    if golds.is_empty() {
        eprintln!(
            "{label}: no *.gold.json in {}, nothing to compare",
            folder.display()
        );
        return;
    }
    let dir = Dir::new(&format!("gold-{label}"));
    let documents = dir.copy_documents(folder, "corpus");
    let build = util::build(&dir.path().join("corpus"), &dir.path().join("out"), &[]);
    build.assert_success();
    let tables = Tables::read(&build);

    let mut tally = Tally::default();
    let mut failures = Vec::new();
    for (stem, gold) in &golds {
        let docs: Vec<&String> = documents
            .iter()
            .filter(|d| doc_stem(d) == stem.as_str())
            .collect();
        if docs.is_empty() {
            failures.push(format!("{stem}: gold file without a document"));
            tally.wrong += 1;
        }
        for doc in docs {
            let mut check = Check {
                file: doc,
                tables: &tables,
                tally: &mut tally,
                failures: &mut failures,
            };
            check.document(gold);
        }
    }

    let counts = format!(
        "{label}: {} documents, {} cells/keys matched, {} flagged null, {} wrong",
        golds.len(),
        tally.matched,
        tally.flagged,
        tally.wrong
    );
    if failures.is_empty() {
        eprintln!("{counts}");
        return;
    }
    let mut message = format!("{counts}\n");
    for failure in &failures {
        let _ = writeln!(message, "  {failure}");
    }
    panic!("{message}");
}

/// `(stem, gold)` for every `STEM.gold.json` of a folder, sorted by stem.
fn gold_files(folder: &Path) -> Vec<(String, Value)> {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return Vec::new();
    };
    let mut golds: Vec<(String, Value)> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter_map(|path| {
            let name = path.file_name()?.to_str()?.to_string();
            let stem = name.strip_suffix(".gold.json")?.to_string();
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
            let gold = serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("parse {}: {e}", path.display()));
            Some((stem, gold))
        })
        .collect();
    golds.sort_by(|a, b| a.0.cmp(&b.0));
    golds
}

/// The document name without its (last) extension: `p001.txt` → `p001`.
fn doc_stem(name: &str) -> &str {
    name.rsplit_once('.').map_or(name, |(stem, _)| stem)
}

/// The output tables of one build, read once.
struct Tables {
    reports: Vec<Row>,
    applications: Vec<Row>,
    proactive: Vec<Row>,
    procurement: Vec<Row>,
    review_litigation: Vec<Row>,
    findings: Vec<Row>,
}

impl Tables {
    fn read(build: &util::Build) -> Tables {
        Tables {
            reports: build.rows("reports"),
            applications: build.rows("applications"),
            proactive: build.rows("proactive"),
            procurement: build.rows("procurement"),
            review_litigation: build.rows("review_litigation"),
            findings: build.rows("findings"),
        }
    }
}

/// Our side of one cell: absent (no row), or a row whose value is null or a number.
type Ours<'a> = Option<Option<&'a str>>;

/// The comparison of one document with its gold file.
struct Check<'a> {
    file: &'a str,
    tables: &'a Tables,
    tally: &'a mut Tally,
    failures: &'a mut Vec<String>,
}

impl Check<'_> {
    fn document(&mut self, gold: &Value) {
        // A document of several reports (a compilation) with the gold of each, in order:
        // the first at the document's path, the later ones at `PATH!#N`.
        if let Some(list) = gold.get("reports").and_then(Value::as_array) {
            for (k, gold) in list.iter().enumerate() {
                let path = match k {
                    0 => self.file.to_string(),
                    _ => format!("{}!#{}", self.file, k + 1),
                };
                Check {
                    file: &path,
                    tables: self.tables,
                    tally: self.tally,
                    failures: self.failures,
                }
                .document(gold);
            }
            return;
        }
        let mut reports: Vec<&Row> = self
            .tables
            .reports
            .iter()
            .filter(|r| field(r, "source_path") == Some(self.file))
            .collect();
        if reports.is_empty() {
            // A file holding several documents (an archive, an export of several pages):
            // its gold is its first document's, as `nianbao eval` scores it.
            let member = format!("{}!", self.file);
            reports.extend(
                self.tables
                    .reports
                    .iter()
                    .filter(|r| field(r, "source_path").is_some_and(|p| p.starts_with(&member)))
                    .take(1),
            );
        }
        let report = match reports.as_slice() {
            [report] => *report,
            _ => {
                self.fail("reports", "one row", &format!("{} rows", reports.len()));
                return;
            }
        };
        let Some(id) = field(report, "report_id") else {
            self.fail("report_id", "an id", "null");
            return;
        };
        let findings: Vec<&Row> = of_report(&self.tables.findings, id);

        self.metadata(gold, report, &findings);

        let cells = |rows: &[Row], a: &str, b: &str| -> HashMap<String, Option<String>> {
            of_report(rows, id)
                .into_iter()
                .map(|r| {
                    let key = format!(
                        "{}.{}",
                        field(r, a).unwrap_or(""),
                        field(r, b).unwrap_or("")
                    );
                    (key, field(r, "value").map(String::from))
                })
                .collect()
        };
        let proactive = cells(&self.tables.proactive, "item", "measure");
        let applications = cells(&self.tables.applications, "row", "applicant");
        let review = cells(&self.tables.review_litigation, "proceeding", "outcome");
        let procurement = of_report(&self.tables.procurement, id);

        for (section, table, ours) in [
            ("proactive", "proactive", &proactive),
            ("applications", "applications", &applications),
            ("review_litigation", "review_litigation", &review),
        ] {
            let Some(keys) = gold.get(section).and_then(Value::as_object) else {
                continue;
            };
            for (key, expected) in keys {
                let (row, column) = key.split_once('.').unwrap_or((key.as_str(), ""));
                if let Some(measure) = key.strip_prefix("centralized_procurement.") {
                    let value: Ours = procurement.first().map(|r| field(r, measure));
                    self.cell(
                        &findings,
                        "procurement",
                        "centralized_procurement",
                        measure,
                        expected,
                        value,
                    );
                    continue;
                }
                let value: Ours = ours.get(key).map(Option::as_deref);
                self.cell(&findings, table, row, column, expected, value);
            }
        }
    }

    fn metadata(&mut self, gold: &Value, report: &Row, findings: &[&Row]) {
        let text = |v: &Value| {
            v.as_str()
                .map(String::from)
                .unwrap_or_else(|| v.to_string())
        };
        if let Some(kind) = gold.get("kind") {
            self.equal("kind", &text(kind), field(report, "kind"));
        }
        match gold.get("template") {
            Some(Value::Null) => match field(report, "template") {
                None => self.tally.matched += 1,
                Some(ours) => self.fail("template", "null", ours),
            },
            // Null, and the report says why (section 二 mixes the templates' headers, or
            // shows neither's and its rows contradict the year's): flagged, as `eval` has it.
            Some(_)
                if field(report, "template").is_none()
                    && findings.iter().any(|f| {
                        matches!(
                            field(f, "check"),
                            Some("template_unknown" | "template_mixed")
                        )
                    }) =>
            {
                self.tally.flagged += 1
            }
            Some(template) => self.equal("template", &text(template), field(report, "template")),
            None => {}
        }
        // Where gold states the agency, ours must be it (spacing and punctuation aside): a
        // null, even flagged, files the report's numbers under no one.
        if let Some(expected) = gold.get("agency").filter(|v| !v.is_null()) {
            let expected = text(expected);
            let normalised = |a: &str| nianbao::agency::normalise(a);
            match field(report, "agency") {
                Some(ours) if normalised(ours) == normalised(&expected) => self.tally.matched += 1,
                ours => self.fail("agency", &expected, ours.unwrap_or("null")),
            }
        }
        if let Some(expected) = gold.get("year").filter(|v| !v.is_null()) {
            match field(report, "year") {
                None if findings
                    .iter()
                    .any(|f| field(f, "check") == Some("year_unknown")) =>
                {
                    self.tally.flagged += 1
                }
                None => self.fail("year", &text(expected), "null (no year_unknown finding)"),
                Some(_) => self.equal("year", &text(expected), field(report, "year")),
            }
        }
    }

    fn equal(&mut self, key: &str, expected: &str, ours: Option<&str>) {
        if ours == Some(expected) {
            self.tally.matched += 1;
        } else {
            self.fail(key, expected, ours.unwrap_or("null"));
        }
    }

    fn cell(
        &mut self,
        findings: &[&Row],
        table: &str,
        row: &str,
        column: &str,
        expected: &Value,
        ours: Ours,
    ) {
        let key = format!("{table}:{row}.{column}");
        let ours_value = ours.flatten();
        if expected.is_null() {
            match ours_value {
                None => self.tally.matched += 1,
                Some(v) => self.fail(&key, "null", v),
            }
            return;
        }
        let Some(gold) = expected.as_f64() else {
            self.fail(&key, &expected.to_string(), "(gold value is not a number)");
            return;
        };
        match ours_value {
            Some(v) if v.parse::<f64>().is_ok_and(|v| close(v, gold)) => self.tally.matched += 1,
            Some(v) => self.fail(&key, &expected.to_string(), v),
            None if names_cell(findings, table, row, column) => self.tally.flagged += 1,
            None => {
                let what = if ours.is_some() { "null" } else { "absent" };
                self.fail(
                    &key,
                    &expected.to_string(),
                    &format!("{what}, no finding names the cell"),
                );
            }
        }
    }

    fn fail(&mut self, key: &str, gold: &str, ours: &str) {
        self.tally.wrong += 1;
        self.failures
            .push(format!("{}: {key}: gold {gold}, ours {ours}", self.file));
    }
}

/// Equal within 1e-6 relative (exact for zero).
fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * a.abs().max(b.abs())
}

/// True when an error or warning finding names the cell: same table, the row code, and the
/// column code or no column (the whole row). The procurement table has one row a report,
/// so there a finding may leave the row empty.
pub fn names_cell(findings: &[&Row], table: &str, row: &str, column: &str) -> bool {
    findings.iter().any(|f| {
        matches!(field(f, "severity"), Some("error" | "warning"))
            && field(f, "table") == Some(table)
            && (field(f, "row") == Some(row)
                || (table == "procurement" && field(f, "row").is_none()))
            && field(f, "column").is_none_or(|c| c == column)
    }) || table_lost(findings, table)
}

/// True when a `table_missing` error says the cell's whole table was lost (section 二's
/// for procurement), as `nianbao eval` counts it.
fn table_lost(findings: &[&Row], table: &str) -> bool {
    let table = if table == "procurement" {
        "proactive"
    } else {
        table
    };
    findings
        .iter()
        .any(|f| field(f, "check") == Some("table_missing") && field(f, "table") == Some(table))
}
