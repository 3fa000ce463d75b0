//! nianbao (年报): reads Chinese government information disclosure annual reports
//! (政府信息公开工作年度报告) and turns their three standard tables into a comparative
//! dataset.
//!
//! The library is the pipeline; the binary (`src/main.rs`) only parses arguments, runs
//! it and sets the exit code. The tree follows the pipeline:
//!
//! - [`discover`]: walk the corpus, list files in a stable order;
//! - [`parse`]: bytes → a typed [`Report`] (the types in [`model`]): [`read`] (bytes →
//!   text, whatever the format: text in any encoding, HTML, DOCX, PDF; zip archives are
//!   opened) → [`normalise`] (NFKC, simplified characters, residue removed) →
//!   [`unflatten`] (bodies saved on one line, cells run together) → [`segment`] (sections
//!   二, 三, 四 cut into cell tokens) → [`extract`] (cells placed under the template's
//!   codes, from [`templates`]) → [`metadata`] (agency, year, date; placed by [`agency`])
//!   → [`classify`] (report or not, from evidence) → [`validate`] (the tables' own
//!   arithmetic);
//! - [`output`]: [`write`] (reports streamed into Parquet and CSV tables, driven by
//!   [`run`]), with [`state`] (reuse of unchanged files' rows), [`lock`] (one run per
//!   output), [`merge`] (shards combined) and [`dataset`] (the tables read back);
//! - [`across`]: from the written tables, read back through [`dataset`]: [`link`] (the
//!   files that are one report; findings between reports) and [`aggregate`] (the
//!   published statistics), driven by [`derive`];
//! - [`publish`]: the static HTML/Markdown report with its SVG charts;
//! - [`tools`]: [`synth`] (synthetic reports with known truth) and [`eval`] (accuracy
//!   against truth or hand-read gold files).
//!
//! [`parse_document`] runs everything from reading to validation on one file's bytes with
//! no file-system I/O (PDF text comes from a `pdftotext` process, see [`read::pdf`]).
#![deny(missing_docs)]

pub mod across;
pub mod discover;
pub mod limits;
pub mod output;
pub mod parse;
pub mod publish;
#[cfg(feature = "tables")]
pub mod run;
pub mod timing;
pub mod tools;

// The stages by their own names, wherever their folder is (`nianbao::segment`, …).
#[cfg(feature = "tables")]
pub use across::{aggregate, derive, facts, link, memo};
pub use output::lock;
#[cfg(feature = "tables")]
pub use output::{dataset, merge, state, write};
pub use parse::{
    agency, classify, extract, metadata, model, normalise, read, segment, templates, unflatten,
    validate,
};
pub use publish::chart;
pub use tools::{eval, synth};

pub use model::*;

use templates::template_for_year;

/// The version of the parser. Incremental builds reuse a file's rows only when they were
/// produced by this version, so **bump it whenever a change can alter any output row**
/// (reading, segmenting, extraction, metadata, validation, finding texts).
pub const PARSER_VERSION: u32 = 14;

/// Panics with the list of [`Report::invariant_violations`], if any (fuzz targets and
/// property tests call it on every report they get).
pub fn check_invariants(report: &Report) {
    let v = report.invariant_violations();
    assert!(v.is_empty(), "{}: {}", report.source_path, v.join("; "));
}

/// Parses one document's bytes into a typed report. Pure apart from PDF, which runs
/// `pdftotext`: no file system, no clock. `source_path` is left empty for the caller.
pub fn parse_document(bytes: &[u8]) -> Report {
    let mut r = parse_named(bytes, "");
    place_agency(&mut r);
    r
}

/// Places the report's agency in the division hierarchy, with the corpus path and the
/// page's site name as evidence for names several divisions share.
pub(crate) fn place_agency(r: &mut Report) {
    let Some(agency) = &r.agency else {
        return;
    };
    let hints: Vec<&str> = [
        Some(r.source_path.as_str()),
        r.page_meta.site_name.as_deref(),
        r.page_meta.content_source.as_deref(),
    ]
    .into_iter()
    .flatten()
    .filter(|h| !h.is_empty())
    .collect();
    let placed = agency::place(&agency.value, &hints);
    if placed.ambiguous {
        r.findings.push(
            Finding::new(
                Severity::Warning,
                "division_ambiguous",
                format!(
                    "{} fits several divisions and nothing decides between them ({}); division left null",
                    agency.value, placed.evidence
                ),
            )
            .at(Table::Reports, None, None),
        );
    }
    r.placement = Some(placed);
}

/// Parses every document of a file: one for most formats, one per member of an archive
/// or page of an export (`archive.zip!/member` as source path; see [`parse::unpack`]).
/// `source_path` is recorded on each.
pub fn parse_file(bytes: &[u8], source_path: &str) -> Vec<Report> {
    parse::unpack::reports(bytes, source_path, None)
}

/// [`parse_file`] of bytes whose [`report_id`] the caller has already computed (a build
/// hashes every file first, to know whether it changed): a page is hashed once, not
/// twice. `id` must be `report_id(bytes)`.
pub fn parse_file_hashed(bytes: &[u8], source_path: &str, id: &str) -> Vec<Report> {
    debug_assert_eq!(id, report_id(bytes), "{source_path}");
    parse::unpack::reports(bytes, source_path, Some(id))
}

/// The error on a table a report lost, and `why`.
fn table_missing(table: Table, why: &str) -> Finding {
    Finding::new(
        Severity::Error,
        "table_missing",
        format!("the {} table is lost: {why}", table.code()),
    )
    .at(table, None, None)
}

/// The message for a file over the size limit.
pub fn too_large(size: u64, limit: u64) -> String {
    format!(
        "the file is {:.1} MiB, over the limit of {:.1} MiB (--max-file-size); not read",
        size as f64 / 1048576.0,
        limit as f64 / 1048576.0
    )
}

/// A failed report of `bytes` (`id`: their [`report_id`] when known).
pub(crate) fn failed_report(
    bytes: &[u8],
    id: Option<&str>,
    format: read::Format,
    check: &'static str,
    why: String,
) -> Report {
    let doc = read::Document::failed(format, check, why);
    let mut r = empty_report(bytes, id, &doc);
    r.findings = doc.findings;
    r.status = Status::Failed;
    r
}

pub(crate) fn empty_report(bytes: &[u8], id: Option<&str>, doc: &read::Document) -> Report {
    Report {
        report_id: id.map_or_else(|| report_id(bytes), str::to_string),
        source_path: String::new(),
        format: doc.format.code(),
        encoding: doc.encoding.clone(),
        bytes: bytes.len() as u64,
        kind: Kind::NotAReport,
        kind_evidence: None,
        template: None,
        title: None,
        page_meta: doc.page.clone(),
        agency: None,
        year: None,
        published_date: None,
        placement: None,
        status: Status::Empty,
        proactive: Vec::new(),
        procurement: None,
        applications: Vec::new(),
        review_litigation: Vec::new(),
        findings: Vec::new(),
    }
}

/// Parses one (non-archive) document; `name` is its file name, used only to check the
/// extension against the bytes. A text holding several reports gives the first (see
/// [`parse_reports`] for all of them).
pub fn parse_named(bytes: &[u8], name: &str) -> Report {
    parse_reports(bytes, name, None).swap_remove(0)
}

/// Parses one (non-archive) document into its reports: one, or one per report of a text
/// that prints several (a compilation of departments' reports, files joined), each read
/// from its own lines. Never empty. `id`: the bytes' [`report_id`] when known.
pub fn parse_reports(bytes: &[u8], name: &str, id: Option<&str>) -> Vec<Report> {
    use timing::{record, Stage};
    let t = timing::start();
    let doc = read::read(bytes, name);
    let t = record(Stage::Decode, t);
    let mut report = empty_report(bytes, id, &doc);
    report.findings = doc.findings;
    if doc.failed {
        report.status = Status::Failed;
        // A document that could not be read (a scan, a damaged or unsupported word
        // processor file) is most likely what a scrape of reports holds: kept as a report
        // of which nothing is known, as a text of mojibake is, not dropped as something
        // else. Binaries, archives and spreadsheets are not reports.
        if doc.format.holds_documents() {
            report.kind = Kind::Report;
            report.kind_evidence = Some(classify::Evidence::UnreadableText.code());
            // As for any report, each table lost is an error on that table.
            let cause = report
                .findings
                .iter()
                .find(|f| f.severity == Severity::Error)
                .map_or("read_error", |f| f.check);
            for table in [
                Table::Proactive,
                Table::Applications,
                Table::ReviewLitigation,
            ] {
                report.findings.push(table_missing(
                    table,
                    &format!("the document cannot be read (see {cause})"),
                ));
            }
        }
        return vec![report];
    }
    if doc.text.trim().is_empty() {
        report.findings.push(
            Finding::new(Severity::Error, "empty_document", "the file holds no text").at(
                Table::Reports,
                None,
                None,
            ),
        );
        return vec![report];
    }
    let text = doc.text;
    let lines = normalise::normalise(&text);
    let (lines, flat_findings) = unflatten::unflatten(lines);
    let t = record(Stage::Normalise, t);
    let ends_mid_line = !text.ends_with('\n');
    // Each report is read from its own lines, its tables and its metadata: a section the
    // first prints without a table took the next report's (and the sections after it
    // too), and the last report's signature named the first's agency.
    let mut parts: Vec<(usize, Option<String>)> = vec![(0, None)];
    loop {
        let from = parts[parts.len() - 1].0;
        // After this report's section 二, or, when it prints none that can be read,
        // before the next one's.
        let next = metadata::next_report(&lines[from..]);
        let Some((line, title)) = next else { break };
        let at = lines
            .iter()
            .position(|l| l.no >= line)
            .unwrap_or(lines.len());
        if at <= from {
            break;
        }
        parts.push((at, Some(title)));
    }
    // A last part with no section 二, 三 or 四 is no report of its own: last year's report
    // quoted at the end, its explainer appended, a list of related links.
    if parts.len() > 1
        && !lines[parts[parts.len() - 1].0..]
            .iter()
            .any(|l| matches!(segment::heading(&l.text), Some(2..=4)))
    {
        parts.pop();
    }
    record(Stage::Segment, t);
    let count = parts.len();
    let base = report;
    let mut reports = Vec::with_capacity(count);
    for k in 0..count {
        let from = parts[k].0;
        let part = &lines[from..parts.get(k + 1).map_or(lines.len(), |p| p.0)];
        let first_line = part.first().map_or(0, |l| l.no);
        let last_line = part.last().map_or(0, |l| l.no);
        let mut r = base.clone();
        if k > 0 {
            // A later report's id is the file's and its place in it: a copy of the file
            // gives the same reports, as a copy of a one-report file does.
            r.report_id = report_id(format!("{}#{}", base.report_id, k + 1).as_bytes());
            // The page's title and source name the page (the compilation, or its first
            // report), not a later report; its site is still the publisher.
            r.page_meta = PageMeta {
                site_name: base.page_meta.site_name.clone(),
                ..PageMeta::default()
            };
        }
        r.findings.extend(
            flat_findings
                .iter()
                .filter(|f| {
                    f.source_line
                        .map_or(k == 0, |n| (first_line..=last_line).contains(&n))
                })
                .cloned(),
        );
        if count > 1 {
            let which = match &parts[k].1 {
                Some(title) => format!("from line {first_line} ({title})"),
                None => format!("up to line {last_line}"),
            };
            r.findings.push(
                Finding::new(
                    Severity::Info,
                    "several_reports",
                    format!(
                        "the text holds {count} reports; this is report {} of them, {which}, read as a row of its own",
                        k + 1
                    ),
                )
                .at(Table::Reports, None, None)
                .line(Some(first_line)),
            );
        }
        let truncated = ends_mid_line && k + 1 == count;
        reports.push(read_report(r, part, truncated, doc.format, name));
    }
    reports
}

/// Reads one report's tables and metadata from its own lines (`truncated`: the text stops
/// mid-line after them), classifies it and checks its arithmetic.
fn read_report(
    mut report: Report,
    lines: &[normalise::Line],
    truncated: bool,
    format: read::Format,
    name: &str,
) -> Report {
    use timing::{record, Stage};
    let t = timing::start();
    let mut sections = segment::segment(lines, truncated);
    if matches!(format, read::Format::Pdf | read::Format::Ofd) {
        if let Some(s) = sections.applications.as_mut() {
            s.aligned_by_characters = true;
        }
    }
    let t = record(Stage::Segment, t);
    let md = metadata::read(lines, &report.page_meta);
    let t = record(Stage::Metadata, t);

    let mut apps = sections
        .applications
        .as_ref()
        .map(extract::applications)
        .unwrap_or_default();
    // The template section 二's headers do not show: from section 三's 其他处理 rows, or
    // the year.
    let year_template = md.year.as_ref().map(|y| template_for_year(y.value));
    let fallback = match apps.other_split {
        Some(true) => Some(Template::T2021),
        _ => None,
    }
    .or(year_template)
    .or(match apps.other_split {
        Some(false) => Some(Template::T2019),
        _ => None,
    });
    let mut pro = sections
        .proactive
        .as_ref()
        .map(|s| extract::proactive(s, fallback))
        .unwrap_or_default();
    let header_template = pro.template;
    let template = header_template.or(fallback);
    // Neither 其他处理 nor its three sub-rows read (a garbled label, say): the template
    // says which rows are missing, and a finding must name them.
    const OTHER_ROWS: [&str; 4] = [
        "other_handling",
        "other_overdue_correction",
        "other_unpaid_fee",
        "other_misc",
    ];
    let after_other = apps
        .cells
        .iter()
        .any(|c| matches!(c.row, "total_processed" | "carried_forward"));
    if after_other && !apps.cells.iter().any(|c| OTHER_ROWS.contains(&c.row)) {
        let rows: &[&'static str] = match template {
            Some(Template::T2019) => &OTHER_ROWS[..1],
            Some(Template::T2021) => &OTHER_ROWS[1..],
            None => &OTHER_ROWS,
        };
        for row in rows {
            if !apps.findings.iter().any(|f| f.row == Some(*row)) {
                apps.findings
                    .push(extract::row_not_printed(Table::Applications, row, None));
            }
        }
    }
    let mut rev = sections
        .review
        .as_ref()
        .map(extract::review)
        .unwrap_or_default();

    let t = record(Stage::Extract, t);
    let values = pro.cells.iter().filter(|c| c.value.is_some()).count()
        + pro
            .procurement
            .iter()
            .filter(|p| p.items.is_some() || p.amount_yuan.is_some())
            .count()
        + apps.cells.iter().filter(|c| c.value.is_some()).count()
        + rev.cells.iter().filter(|c| c.value.is_some()).count();
    let has_tables = pro.found || apps.found || !rev.cells.is_empty();
    let headings = [
        &sections.proactive,
        &sections.applications,
        &sections.review,
    ]
    .iter()
    .filter(|s| s.as_ref().is_some_and(|s| s.heading_line.is_some()))
    .count();
    let classified = classify::classify(
        lines,
        &md,
        &report.page_meta,
        name,
        classify::TableEvidence {
            labels: has_tables,
            values,
            headings,
        },
    );
    report.kind = classified.kind;
    report.kind_evidence = Some(classified.evidence.code());
    report.findings.extend(classified.finding);
    report.title = md.title;
    report.agency = md.agency;
    report.year = md.year;
    report.published_date = md.published_date;
    report.findings.extend(md.findings);
    if report.kind != Kind::Report {
        report.status = Status::Ok;
        return report;
    }
    if has_tables {
        // Section 二 printed under both templates' headers: the report uses neither whole.
        // (Section 三's 其他处理 printed as the 2019 single row beside 2021 headers is
        // common in real reports, and does not make the template uncertain.)
        report.template = template.filter(|_| !pro.mixed);
        if header_template.is_none() && template.is_some() && !pro.mixed {
            report.findings.push(
                Finding::new(
                    Severity::Info,
                    "template_inferred",
                    "the column headers of section 二 are not printed; the template is inferred from section 三 or the year",
                )
                .at(Table::Reports, None, None),
            );
        }
    }
    extract::fold_repeats(
        &mut pro.cells,
        Table::Proactive,
        &mut pro.findings,
        |c| (c.item, c.measure),
        |c| c.value,
        |c| c.value = None,
    );
    extract::fold_repeats(
        &mut apps.cells,
        Table::Applications,
        &mut apps.findings,
        |c| (c.row, c.applicant),
        |c| c.value.map(|v| v as f64),
        |c| c.value = None,
    );
    extract::fold_repeats(
        &mut rev.cells,
        Table::ReviewLitigation,
        &mut rev.findings,
        |c| (c.proceeding, c.outcome),
        |c| c.value.map(|v| v as f64),
        |c| c.value = None,
    );
    report.proactive = pro.cells;
    report.procurement = pro.procurement;
    report.applications = apps.cells;
    report.review_litigation = rev.cells;
    report.findings.extend(pro.findings);
    report.findings.extend(apps.findings);
    report.findings.extend(rev.findings);
    let missing: Vec<Table> = [
        (
            Table::Proactive,
            !report.proactive.is_empty() || report.procurement.is_some(),
        ),
        (Table::Applications, !report.applications.is_empty()),
        (
            Table::ReviewLitigation,
            !report.review_litigation.is_empty(),
        ),
    ]
    .iter()
    .filter(|(_, present)| !present)
    .map(|(table, _)| *table)
    .collect();
    // A report is kept even when a table cannot be read, and the loss is an error on that
    // table: a query for lost tables finds it, and its figures count as not covered.
    for table in &missing {
        let why = if classified.evidence == classify::Evidence::UnreadableText {
            "the text cannot be read (see text_unreadable)"
        } else if has_tables {
            "no cell of it could be read (its rows are missing, cut off or unrecognised)"
        } else {
            "no table of the template was found in the document (printed as an image, in a layout not read, or left out)"
        };
        report.findings.push(table_missing(*table, why));
    }
    let checks = validate::validate(&report);
    report.findings.extend(checks);
    record(Stage::Validate, t);
    let unread = report.findings.iter().any(|f| {
        f.severity == Severity::Error
            && matches!(
                f.table,
                Some(
                    Table::Applications
                        | Table::Proactive
                        | Table::Procurement
                        | Table::ReviewLitigation
                )
            )
            || f.check == "truncated"
    });
    report.status = if missing.len() == 3 {
        Status::Failed
    } else if !missing.is_empty() || unread {
        Status::Partial
    } else {
        Status::Ok
    };
    report
}

/// The stable identifier of a document: hex of the first 16 bytes of its BLAKE3 hash.
pub fn report_id(bytes: &[u8]) -> String {
    let hash = blake3::hash(bytes);
    hash.as_bytes()[..16]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
