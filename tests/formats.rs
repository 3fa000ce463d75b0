//! Formats other than plain text, compared cell by cell with gold: HTML pages from
//! government CMS templates (`tests/fixtures/html/`, written by
//! `scripts/make_format_fixtures.py` from the gold seeds), and a corpus that mixes a text
//! report with an HTML page (under both output layouts).

use std::path::{Path, PathBuf};

use crate::compare::check_gold_folder;
use crate::util::{self, field};

fn fixtures(format: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(format)
}

#[test]
fn html_pages_match_gold() {
    check_gold_folder("html", &fixtures("html"));
}

// A text report and an HTML page build in one run: one `reports` row each, the page
// read as HTML with its CMS metadata, and the GBK page that declares UTF-8 flagged.
nbtest!(a_mixed_corpus_builds_in_one_run, |dir, layout| {
    let text = std::fs::read(util::sample_dir().join("pipe_2021.txt")).expect("sample report");
    dir.create_bytes("corpus/report.txt", &text);
    for page in ["h001_blank_cells.html", "h000_gbk_declared_utf8.html"] {
        let bytes = std::fs::read(fixtures("html").join(page)).expect("fixture page");
        dir.create_bytes(&format!("corpus/{page}"), &bytes);
    }
    let build = layout.build(&dir.path().join("corpus"), &dir.path().join("out"), &[]);
    build.assert_success();
    let reports = build.rows("reports");
    assert_eq!(reports.len(), 3, "one row per document: {reports:?}");
    let row = |path: &str| {
        reports
            .iter()
            .find(|r| field(r, "source_path") == Some(path))
            .unwrap_or_else(|| panic!("no reports row for {path}"))
    };

    assert_eq!(field(row("report.txt"), "format"), Some("text"));

    let page = row("h001_blank_cells.html");
    assert_eq!(field(page, "format"), Some("html"));
    assert_eq!(field(page, "encoding"), Some("UTF-8"));
    assert_eq!(field(page, "kind"), Some("report"));
    assert_eq!(
        field(page, "page_meta_site_name"),
        Some("互助县人民政府门户网站")
    );
    assert_eq!(
        field(page, "page_meta_article_title"),
        Some("互助县统计局2023年政府信息公开工作年度报告")
    );
    assert_eq!(field(page, "page_meta_pub_date"), Some("2024-01-20 10:30"));
    assert_eq!(
        field(page, "page_meta_column_name"),
        Some("政府信息公开年报")
    );
    assert_eq!(
        field(page, "page_meta_content_source"),
        Some("互助县统计局")
    );
    assert!(field(page, "page_meta_title").is_some_and(|t| t.starts_with("互助县统计局2023年")));

    let gbk = row("h000_gbk_declared_utf8.html");
    assert_eq!(field(gbk, "format"), Some("html"));
    assert_eq!(field(gbk, "encoding"), Some("GB18030"));
    let id = field(gbk, "report_id").expect("report id");
    let findings = build.rows("findings");
    assert!(
        util::of_report(&findings, id)
            .iter()
            .any(|f| field(f, "check") == Some("charset_mismatch")
                && field(f, "severity") == Some("warning")
                && field(f, "table") == Some("reports")),
        "no charset_mismatch finding for the GBK page declaring UTF-8"
    );
});

/// OFD packages redrawn from real PDFs' glyphs (`scripts/make_ofd_fixtures.py`), in the
/// four shapes of text object converters write (one drawn rotated), read as the PDFs' gold: no wrong cell.
#[test]
fn ofd_packages_match_the_gold_of_their_pdfs() {
    let sample_gold = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample-gold");
    let gold = tempfile::tempdir().expect("temp dir");
    std::fs::copy(
        sample_gold.join("layout_2021.gold.json"),
        gold.path().join("layout_2021.gold.json"),
    )
    .expect("copy gold");
    for shape in ["runs", "chars", "scaled", "rotated"] {
        let folder = fixtures("ofd").join(shape);
        crate::compare::check_gold(
            &format!("ofd-{shape}-report"),
            &folder.join("report"),
            gold.path(),
        );
        if let Some(shared) = util::shared_or_skip("ofd_packages_match_the_gold_of_their_pdfs") {
            crate::compare::check_gold(
                &format!("ofd-{shape}-real"),
                &folder.join("real"),
                &shared.join("gold/pdf"),
            );
        }
    }
}

// An OFD is one document, not an archive of its XML parts: a scan (pages of images) is a
// single failed row that says so, and a report beside it is read, under both layouts.
nbtest!(
    an_ofd_is_one_document_and_a_scan_fails_plainly,
    |dir, layout| {
        for (from, to) in [
            ("scan.ofd", "scan.ofd"),
            ("runs/real/c003.ofd", "report.ofd"),
        ] {
            let bytes = std::fs::read(fixtures("ofd").join(from)).expect("fixture");
            dir.create_bytes(&format!("corpus/{to}"), &bytes);
        }
        let build = layout.build(&dir.path().join("corpus"), &dir.path().join("out"), &[]);
        build.assert_success();
        let reports = build.rows("reports");
        assert_eq!(reports.len(), 2, "one row per package: {reports:?}");
        let row = |path: &str| {
            reports
                .iter()
                .find(|r| field(r, "source_path") == Some(path))
                .unwrap_or_else(|| panic!("no reports row for {path}: {reports:?}"))
        };
        let scan = row("scan.ofd");
        assert_eq!(field(scan, "format"), Some("ofd"));
        assert_eq!(field(scan, "status"), Some("failed"));
        let findings = build.rows("findings");
        assert!(
            findings
                .iter()
                .any(|f| field(f, "check") == Some("no_text_layer")
                    && field(f, "report_id") == field(scan, "report_id")),
            "{findings:?}"
        );
        let report = row("report.ofd");
        assert_eq!(field(report, "format"), Some("ofd"));
        assert_eq!(field(report, "kind"), Some("report"));
        assert_eq!(field(report, "status"), Some("ok"));
    }
);
