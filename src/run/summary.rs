//! What a run did, as the one line `build` prints and `--summary-json` writes.

use std::collections::BTreeMap;
use std::fmt;

use crate::derive::Derived;
use crate::model::{Kind, Report, Severity, Status};
use crate::state::{Counts, ReportState};

/// What a run did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    /// Files listed (including unreadable entries).
    pub files: usize,
    /// Reports by kind code.
    pub kinds: BTreeMap<&'static str, usize>,
    /// Reports by status code.
    pub statuses: BTreeMap<&'static str, usize>,
    /// Findings by severity code.
    pub findings: BTreeMap<&'static str, usize>,
    /// Reports with at least one table lost (a `table_missing` error).
    pub reports_with_table_lost: usize,
    /// Files reused, parsed and removed.
    pub counts: Counts,
    /// Rows written per table of [`TABLES`].
    pub rows: Vec<usize>,
    /// The tables across reports.
    pub derived: Derived,
    /// Wall-clock seconds.
    pub seconds: f64,
}

impl Summary {
    pub(super) fn add(&mut self, report: &Report) {
        self.files += 1;
        *self.kinds.entry(report.kind.code()).or_default() += 1;
        *self.statuses.entry(report.status.code()).or_default() += 1;
        for f in &report.findings {
            *self.findings.entry(f.severity.code()).or_default() += 1;
        }
        if report.tables_lost() > 0 {
            self.reports_with_table_lost += 1;
        }
    }

    /// Counts a report carried over from a previous run.
    pub(crate) fn add_state(&mut self, report: &ReportState) {
        self.files += 1;
        let code = |codes: &[&'static str], c: &str| codes.iter().copied().find(|k| *k == c);
        let kinds = [Kind::Report, Kind::Pre2019Report, Kind::NotAReport].map(Kind::code);
        let statuses =
            [Status::Ok, Status::Partial, Status::Empty, Status::Failed].map(Status::code);
        if let Some(k) = code(&kinds, &report.kind) {
            *self.kinds.entry(k).or_default() += 1;
        }
        if let Some(s) = code(&statuses, &report.status) {
            *self.statuses.entry(s).or_default() += 1;
        }
        if report.tables_lost > 0 {
            self.reports_with_table_lost += 1;
        }
        let severities = [Severity::Error, Severity::Warning, Severity::Info].map(Severity::code);
        for (sev, n) in severities.iter().zip(report.findings) {
            if n > 0 {
                *self.findings.entry(sev).or_default() += n;
            }
        }
    }
}

impl fmt::Display for Summary {
    /// One line, every code listed in a fixed order (zeros included), e.g.
    /// `3 files in 0.01s; kind: report 2, pre2019_report 0, not_a_report 1; …`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fn group(
            f: &mut fmt::Formatter<'_>,
            label: &str,
            codes: &[&'static str],
            counts: &BTreeMap<&'static str, usize>,
        ) -> fmt::Result {
            write!(f, "; {label}:")?;
            for (i, code) in codes.iter().enumerate() {
                let sep = if i == 0 { " " } else { ", " };
                write!(f, "{sep}{code} {}", counts.get(code).copied().unwrap_or(0))?;
            }
            Ok(())
        }
        write!(f, "{} files in {:.2}s", self.files, self.seconds)?;
        let kinds = [Kind::Report, Kind::Pre2019Report, Kind::NotAReport].map(Kind::code);
        let statuses =
            [Status::Ok, Status::Partial, Status::Empty, Status::Failed].map(Status::code);
        let severities = [Severity::Error, Severity::Warning, Severity::Info].map(Severity::code);
        group(f, "kind", &kinds, &self.kinds)?;
        group(f, "status", &statuses, &self.statuses)?;
        group(f, "findings", &severities, &self.findings)?;
        write!(
            f,
            "; reports with a table lost: {}",
            self.reports_with_table_lost
        )?;
        let c = self.counts;
        write!(
            f,
            "; files: reused {}, parsed {}, removed {}",
            c.reused, c.parsed, c.removed
        )?;
        write!(
            f,
            "; duplicates: {} groups; across reports:",
            self.derived.duplicate_groups
        )?;
        for (i, check) in crate::link::CHECKS.iter().enumerate() {
            let sep = if i == 0 { " " } else { ", " };
            let n = self.derived.findings.get(*check).copied().unwrap_or(0);
            write!(f, "{sep}{check} {n}")?;
        }
        Ok(())
    }
}
