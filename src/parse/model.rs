//! The typed report: what every stage of the pipeline fills in and what the writers turn
//! into rows. Codes are the stable identifiers of `shared/contract/codes.md`, taken from
//! [`crate::templates`]; they are `&'static str` so a report never carries a code the
//! template data does not define.

use serde::Serialize;

/// What a document turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// An annual report under the 2019 Regulations (2019 or 2021 template).
    Report,
    /// An older annual report (before 2019) without the standard tables.
    Pre2019Report,
    /// Anything else: statistics bulletins, blank forms, navigation pages, binaries.
    NotAReport,
}

impl Kind {
    /// The code written to the output tables.
    pub fn code(self) -> &'static str {
        match self {
            Kind::Report => "report",
            Kind::Pre2019Report => "pre2019_report",
            Kind::NotAReport => "not_a_report",
        }
    }
}

/// The national template a report follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Template {
    /// 国办公开办函〔2019〕60号.
    #[serde(rename = "2019")]
    T2019,
    /// 国办公开办函〔2021〕30号.
    #[serde(rename = "2021")]
    T2021,
}

impl Template {
    /// The code written to the output tables.
    pub fn code(self) -> &'static str {
        match self {
            Template::T2019 => "2019",
            Template::T2021 => "2021",
        }
    }
}

/// How completely a document was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Read; every table the kind calls for is complete.
    Ok,
    /// Read, but a table is missing, cut off, or has cells that could not be read.
    Partial,
    /// No text (an empty file), or a report without any table cell.
    Empty,
    /// Could not be read at all (binary, undecodable, over a limit).
    Failed,
}

impl Status {
    /// The code written to the output tables.
    pub fn code(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Partial => "partial",
            Status::Empty => "empty",
            Status::Failed => "failed",
        }
    }
}

/// Severity of a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// A value is missing or wrong, or the document could not be read.
    Error,
    /// Something a user should look at; values are still as printed.
    Warning,
    /// Provenance: how something was read.
    Info,
}

impl Severity {
    /// The code written to the output tables.
    pub fn code(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// The output table a finding or cell belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Table {
    /// Section 二 (without procurement).
    Proactive,
    /// Section 二, 政府集中采购.
    Procurement,
    /// Section 三.
    Applications,
    /// Section 四.
    ReviewLitigation,
    /// The document as a whole (metadata, decoding).
    Reports,
}

impl Table {
    /// The code written to the output tables.
    pub fn code(self) -> &'static str {
        match self {
            Table::Proactive => "proactive",
            Table::Procurement => "procurement",
            Table::Applications => "applications",
            Table::ReviewLitigation => "review_litigation",
            Table::Reports => "reports",
        }
    }
}

/// A recorded observation about a document: a failed check, a cell that could not be
/// read, how metadata was found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// How serious it is.
    pub severity: Severity,
    /// A stable, snake_case name of the check or problem (`balance`, `row_cell_count`, …).
    pub check: &'static str,
    /// The table concerned, if any.
    pub table: Option<Table>,
    /// The row (or item, or proceeding) code concerned, if any.
    pub row: Option<&'static str>,
    /// The column (or measure, or outcome) code concerned, if any.
    pub column: Option<&'static str>,
    /// What the check expected, as text.
    pub expected: Option<String>,
    /// What the document printed, as text.
    pub actual: Option<String>,
    /// A sentence for a person.
    pub message: String,
    /// 1-based line of the decoded text the finding refers to.
    pub source_line: Option<u32>,
}

/// Every check a report's finding can name: the one list that `docs/tables.md` documents
/// (a test holds them together) and that [`Finding::new`] accepts.
pub const CHECKS: &[&str] = &[
    "agency_unknown",
    "amount_unit_converted",
    "amount_unit_unknown",
    "applicant_columns_reordered",
    "archive_member_unreadable",
    "archive_unreadable",
    "balance",
    "binary_file",
    "cell_conflict",
    "cell_order_uncertain",
    "column_order_unconfirmed",
    "cells_after_row",
    "cells_run_together",
    "cells_split_by_arithmetic",
    "charset_mismatch",
    "column_numbers",
    "decode_replacement",
    "disposal_total",
    "division_ambiguous",
    "division_unplaced",
    "docx_unreadable",
    "doc_unreadable",
    "ole_unreadable",
    "odt_unreadable",
    "ofd_unreadable",
    "rtf_unreadable",
    "empty_archive",
    "empty_document",
    "empty_file",
    "format_mismatch",
    "item_not_in_template",
    "json_export",
    "xml_export",
    "csv_export",
    "http_response",
    "http_framing",
    "compressed",
    "compressed_truncated",
    "compressed_unreadable",
    "escapes_undone",
    "mime_message",
    "limit_exceeded",
    "measure_columns_reordered",
    "mojibake_repaired",
    "nested_archive",
    "no_text_layer",
    "not_a_report",
    "page_meta_disagrees",
    "agency_disagrees",
    "parser_panic",
    "pdf_damaged",
    "pdf_unreadable",
    "pdftotext_missing",
    "placeholder_cell",
    "read_error",
    "review_columns_reordered",
    "review_total",
    "row_cell_count",
    "row_missing",
    "row_cut",
    "row_order_uncertain",
    "row_placed_by_order",
    "row_total",
    "several_reports",
    "table_missing",
    "template_inferred",
    "template_mixed",
    "template_unknown",
    "text_unreadable",
    "truncated",
    "two_year_columns",
    "unreadable_cell",
    "unreadable_entry",
    "unreadable_label",
    "unsupported_format",
    "values_unread",
    "layout_unread",
    "year_disagrees",
    "year_unknown",
];

impl Finding {
    /// A finding with only the required parts; the optional ones are set with the
    /// builder-style methods below. `check` is one of [`CHECKS`].
    pub fn new(severity: Severity, check: &'static str, message: impl Into<String>) -> Self {
        debug_assert!(
            CHECKS.contains(&check),
            "finding check {check:?} is not in model::CHECKS (add it there and to docs/tables.md)"
        );
        Finding {
            severity,
            check,
            table: None,
            row: None,
            column: None,
            expected: None,
            actual: None,
            message: message.into(),
            source_line: None,
        }
    }

    /// Names the table, row and column the finding is about.
    pub fn at(
        mut self,
        table: Table,
        row: Option<&'static str>,
        column: Option<&'static str>,
    ) -> Self {
        self.table = Some(table);
        self.row = row;
        self.column = column;
        self
    }

    /// Records expected and actual values.
    pub fn values(mut self, expected: impl Into<String>, actual: impl Into<String>) -> Self {
        self.expected = Some(expected.into());
        self.actual = Some(actual.into());
        self
    }

    /// Records the source line.
    pub fn line(mut self, line: Option<u32>) -> Self {
        self.source_line = line;
        self
    }

    /// True when this finding names exactly this cell (or the whole row of it).
    pub fn names_cell(&self, table: Table, row: &str, column: &str) -> bool {
        self.table == Some(table)
            && self.row == Some(row)
            && self.column.is_none_or(|c| c == column)
    }
}

/// Where a piece of metadata was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MetaSource {
    /// The report's title line(s).
    Title,
    /// The line just above a title that names no agency.
    TitleLine,
    /// The statistics period sentence (统计期限 …).
    StatisticsPeriod,
    /// A sentence of the body text.
    Body,
    /// The signature block at the end.
    Signature,
    /// A page-metadata line (发布日期, 成文日期, 来源 …).
    PageMeta,
}

impl MetaSource {
    /// The code written to the output tables.
    pub fn code(self) -> &'static str {
        match self {
            MetaSource::Title => "title",
            MetaSource::TitleLine => "title_line",
            MetaSource::StatisticsPeriod => "statistics_period",
            MetaSource::Body => "body",
            MetaSource::Signature => "signature",
            MetaSource::PageMeta => "page_meta",
        }
    }
}

/// A metadata value with where it came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sourced<T> {
    /// The value.
    pub value: T,
    /// Where it was read.
    pub source: MetaSource,
    /// 1-based line it was read on.
    pub line: Option<u32>,
}

/// One cell of section 三.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ApplicationCell {
    /// Row code (`new_received`, …).
    pub row: &'static str,
    /// Applicant column code (`natural_person`, …, `total`).
    pub applicant: &'static str,
    /// The printed number; `None` when printed blank or unreadable (then a finding says which).
    pub value: Option<i64>,
    /// The cell as printed (empty for a blank cell).
    pub raw: String,
    /// 1-based line of the decoded text.
    pub source_line: Option<u32>,
}

/// One cell of section 二 (except procurement).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProactiveCell {
    /// Item code (`regulations`, …).
    pub item: &'static str,
    /// Measure code (`issued`, `prior_items`, …).
    pub measure: &'static str,
    /// The printed number; `None` when blank or unreadable.
    pub value: Option<f64>,
    /// `count` or `10k_yuan`.
    pub unit: &'static str,
    /// The cell as printed.
    pub raw: String,
    /// 1-based line of the decoded text.
    pub source_line: Option<u32>,
}

/// The 政府集中采购 row (2019 template).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Procurement {
    /// 采购项目数量.
    pub items: Option<i64>,
    /// 采购总金额 in yuan; `None` when blank or when the unit is not printed and the
    /// amount is not zero.
    pub amount_yuan: Option<f64>,
    /// The amount as printed.
    pub amount_raw: Option<String>,
    /// 1-based line of the decoded text.
    pub source_line: Option<u32>,
}

/// One cell of section 四.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReviewCell {
    /// `review`, `litigation_direct`, `litigation_after_review`.
    pub proceeding: &'static str,
    /// `upheld`, `corrected`, `other`, `pending`, `total`.
    pub outcome: &'static str,
    /// The printed number; `None` when blank or unreadable.
    pub value: Option<i64>,
    /// The cell as printed.
    pub raw: String,
    /// 1-based line of the decoded text.
    pub source_line: Option<u32>,
}

/// Metadata that government CMS pages carry in `<meta>` tags and `<title>`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PageMeta {
    /// `<title>`.
    pub title: Option<String>,
    /// `<meta name="ArticleTitle">`.
    pub article_title: Option<String>,
    /// `<meta name="PubDate">`.
    pub pub_date: Option<String>,
    /// `<meta name="SiteName">`.
    pub site_name: Option<String>,
    /// `<meta name="ColumnName">`.
    pub column_name: Option<String>,
    /// `<meta name="ContentSource">`.
    pub content_source: Option<String>,
}

/// Everything read from one document. Produced by [`crate::parse_document`], a pure
/// function of the bytes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// Hex BLAKE3 of the file's bytes (first 16 bytes): stable across runs and paths.
    pub report_id: String,
    /// Path relative to the corpus root, `/`-separated (filled by the caller).
    pub source_path: String,
    /// Input format: `text`, `html`, `docx`, `doc`, `rtf`, `word_xml`, `odt`, `pdf`, `zip`,
    /// `legacy_office`, `office_other`.
    pub format: &'static str,
    /// Encoding the bytes were decoded with (`UTF-8`, `GB18030`, `Big5`, `UTF-16LE`, …).
    pub encoding: String,
    /// Size of the file in bytes.
    pub bytes: u64,
    /// What the document is.
    pub kind: Kind,
    /// What the kind rests on (`title`, `crawler_header`, `table_labels`, …; see
    /// [`crate::classify::Evidence`]); null for files that could not be read.
    pub kind_evidence: Option<&'static str>,
    /// Template, when the report has tables (or their template can be inferred).
    pub template: Option<Template>,
    /// The report's title as printed (first title line), when found.
    pub title: Option<String>,
    /// Page metadata (HTML pages).
    pub page_meta: PageMeta,
    /// Agency as the report names itself, simplified characters.
    pub agency: Option<Sourced<String>>,
    /// The year the report covers.
    pub year: Option<Sourced<i32>>,
    /// Publication date, ISO `YYYY-MM-DD`.
    pub published_date: Option<Sourced<String>>,
    /// The agency placed in the division hierarchy and classified by kind (when the
    /// agency is known).
    pub placement: Option<crate::agency::Placed>,
    /// How completely it was read.
    pub status: Status,
    /// Section 二 cells.
    pub proactive: Vec<ProactiveCell>,
    /// Section 二, procurement.
    pub procurement: Option<Procurement>,
    /// Section 三 cells.
    pub applications: Vec<ApplicationCell>,
    /// Section 四 cells.
    pub review_litigation: Vec<ReviewCell>,
    /// Everything worth knowing about how it was read.
    pub findings: Vec<Finding>,
}

impl Report {
    /// How many of a report's tables were lost: a `table_missing` error each.
    pub fn tables_lost(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.check == "table_missing" && f.severity == Severity::Error)
            .count()
    }

    /// Count of findings with the given severity.
    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }

    /// The value of an application cell, if present.
    pub fn application(&self, row: &str, applicant: &str) -> Option<&ApplicationCell> {
        self.applications
            .iter()
            .find(|c| c.row == row && c.applicant == applicant)
    }

    /// The value of a review/litigation cell, if present.
    pub fn review(&self, proceeding: &str, outcome: &str) -> Option<&ReviewCell> {
        self.review_litigation
            .iter()
            .find(|c| c.proceeding == proceeding && c.outcome == outcome)
    }

    /// What is wrong with the report's own consistency, whatever the input was: empty when
    /// all is well. Used by the fuzz targets and property tests (through
    /// [`crate::check_invariants`]): a report may be empty or failed, never incoherent.
    pub fn invariant_violations(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.report_id.len() != 32 || !self.report_id.bytes().all(|b| b.is_ascii_hexdigit()) {
            out.push(format!(
                "report_id {:?} is not 32 hex digits",
                self.report_id
            ));
        }
        let mut seen = std::collections::HashSet::new();
        for c in &self.applications {
            if !seen.insert(("applications", c.row, c.applicant)) {
                out.push(format!("applications {}.{} twice", c.row, c.applicant));
            }
            if c.value.is_some_and(|v| v < 0) {
                out.push(format!("applications {}.{} negative", c.row, c.applicant));
            }
        }
        for c in &self.review_litigation {
            if !seen.insert(("review_litigation", c.proceeding, c.outcome)) {
                out.push(format!("review {}.{} twice", c.proceeding, c.outcome));
            }
            if c.value.is_some_and(|v| v < 0) {
                out.push(format!("review {}.{} negative", c.proceeding, c.outcome));
            }
        }
        for c in &self.proactive {
            if !seen.insert(("proactive", c.item, c.measure)) {
                out.push(format!("proactive {}.{} twice", c.item, c.measure));
            }
            if c.value.is_some_and(|v| !v.is_finite()) {
                out.push(format!("proactive {}.{} not finite", c.item, c.measure));
            }
        }
        if let Some(p) = &self.procurement {
            if p.amount_yuan.is_some_and(|v| !v.is_finite() || v < 0.0) {
                out.push("procurement amount not a finite non-negative number".into());
            }
        }
        let has_cells = !self.applications.is_empty()
            || !self.review_litigation.is_empty()
            || !self.proactive.is_empty();
        if self.status == Status::Failed && self.findings.is_empty() {
            out.push("failed without a finding".into());
        }
        if self.status == Status::Failed && has_cells {
            out.push("failed but has cells".into());
        }
        let has_values = self.applications.iter().any(|c| c.value.is_some())
            || self.review_litigation.iter().any(|c| c.value.is_some())
            || self.proactive.iter().any(|c| c.value.is_some());
        if self.status == Status::Empty && has_values {
            out.push("status empty but cells have values".into());
        }
        out
    }

    /// The value of a proactive cell, if present.
    pub fn proactive(&self, item: &str, measure: &str) -> Option<&ProactiveCell> {
        self.proactive
            .iter()
            .find(|c| c.item == item && c.measure == measure)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_check_is_documented() {
        let doc = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/tables.md"));
        let missing: Vec<&str> = super::CHECKS
            .iter()
            .copied()
            .filter(|c| !doc.contains(&format!("`{c}`")))
            .collect();
        assert!(
            missing.is_empty(),
            "checks not documented in docs/tables.md: {missing:?}"
        );
    }
}
