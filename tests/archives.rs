//! Word-processor and zip input through the built binary: the DOCX fixture (merged cells)
//! and its Word 97 (.doc), RTF and Word XML copies compared cell by cell with their gold
//! files, and a mixed corpus of every format (text, HTML, DOCX, .doc, RTF, Word XML, PDF,
//! other OLE files, zip)
//! that yields exactly one `reports` row per document, zip members counted one by one,
//! under both output layouts.
//!
//! The fixtures are written by `scripts/make_docx_fixtures.py` and
//! `scripts/make_doc_fixtures.sh` (LibreOffice's .doc, RTF and Word 2003 XML, and a flat
//! OPC package).

use std::path::{Path, PathBuf};

use crate::compare::check_gold_folder;
use crate::util::{field, of_report, Row};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/docx")
}

const DOCX: &str = "wusu_stats_2023.docx";

fn fixture(rel: &str) -> Vec<u8> {
    let path = fixtures().join(rel);
    std::fs::read(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// The only `reports` row of `path`.
fn report<'a>(reports: &'a [Row], path: &str) -> &'a Row {
    let rows: Vec<&Row> = reports
        .iter()
        .filter(|r| field(r, "source_path") == Some(path))
        .collect();
    assert_eq!(rows.len(), 1, "{path}: expected one reports row");
    rows[0]
}

/// The checks of the findings of one report.
fn checks(findings: &[Row], report: &Row) -> Vec<String> {
    let id = field(report, "report_id").expect("report_id");
    of_report(findings, id)
        .into_iter()
        .filter_map(|f| field(f, "check").map(String::from))
        .collect()
}

#[test]
fn docx_with_merged_cells_matches_its_gold() {
    check_gold_folder("docx", &fixtures().join("gold"));
}

#[test]
fn doc_and_rtf_copies_match_their_gold() {
    check_gold_folder("doc", &fixtures().with_file_name("doc").join("gold"));
}

/// An OLE compound file with one stream: what Excel's `.xls` is to a reader that only
/// looks for Word's `WordDocument`.
fn workbook() -> Vec<u8> {
    use std::io::Write;
    let mut file = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).expect("cfb");
    file.create_stream("/Workbook")
        .and_then(|mut s| s.write_all(&[0u8; 4096]))
        .expect("stream");
    file.flush().expect("flush");
    file.into_inner().into_inner()
}

nbtest!(mixed_corpus_one_report_per_document, |dir, layout| {
    dir.create_bytes(&format!("corpus/{DOCX}"), &fixture(&format!("gold/{DOCX}")));
    dir.create_bytes("corpus/legacy.doc", &fixture("legacy.doc"));
    dir.create_bytes("corpus/sheet.xls", &workbook());
    let word = |name: &str| {
        let path = fixtures().with_file_name("doc").join("gold").join(name);
        std::fs::read(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
    };
    dir.create_bytes("corpus/word97.doc", &word("wusu_stats_2023_doc.doc"));
    dir.create_bytes("corpus/report.rtf", &word("wusu_stats_2023_rtf.rtf"));
    dir.create_bytes("corpus/word2003.xml", &word("wusu_stats_2023_xml.xml"));
    dir.create_bytes("corpus/report.odt", &word("wusu_stats_2023_odt.odt"));
    // A spreadsheet package: one failed row, not a row per part.
    dir.create_bytes(
        "corpus/table.xlsx",
        &nianbao::read::archive::stored::build(&[
            nianbao::read::archive::stored::Entry::new("[Content_Types].xml", b"<Types/>"),
            nianbao::read::archive::stored::Entry::new("xl/workbook.xml", b"<workbook/>"),
        ]),
    );
    dir.create_bytes("corpus/flat.doc", &word("wusu_stats_2023_flat.xml"));
    // An RTF file posted as .doc (what many sites do): read as RTF, flagged.
    dir.create_bytes("corpus/rtf_named.doc", &word("wusu_stats_2023_rtf.rtf"));
    dir.create_bytes("corpus/sub/bundle.zip", &fixture("bundle.zip"));
    dir.create_bytes("corpus/text_report.txt", &fixture("text_report.txt"));
    // A DOCX named .doc: read as DOCX, with a format_mismatch warning.
    dir.create_bytes("corpus/misnamed.doc", &fixture(&format!("gold/{DOCX}")));
    // A zip that is no zip at all after its signature.
    dir.create_bytes("corpus/broken.zip", b"PK\x03\x04 and then nothing");
    // The other formats, so that one run sees every one of them.
    let other = |rel: &str| {
        let path = fixtures().with_file_name(rel);
        std::fs::read(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
    };
    dir.create_bytes("corpus/page.html", &other("html/h001_blank_cells.html"));
    dir.create_bytes("corpus/scan.pdf", &other("pdf/scanned.pdf"));
    dir.create_bytes("corpus/text.pdf", &other("pdf/disguised.html"));

    let build = layout.build(&dir.path().join("corpus"), &dir.path().join("out"), &[]);
    build.assert_success();
    let reports = build.rows("reports");
    let findings = build.rows("findings");

    let mut paths: Vec<&str> = reports
        .iter()
        .filter_map(|r| field(r, "source_path"))
        .collect();
    paths.sort();
    let member_docx = format!("sub/bundle.zip!/年报/{DOCX}");
    let mut expected = vec![
        "broken.zip",
        "legacy.doc",
        "misnamed.doc",
        "report.rtf",
        "rtf_named.doc",
        "word2003.xml",
        "flat.doc",
        "report.odt",
        "table.xlsx",
        "sheet.xls",
        "word97.doc",
        "page.html",
        "scan.pdf",
        "text.pdf",
        "sub/bundle.zip!/年报/text_report.txt",
        member_docx.as_str(),
        "text_report.txt",
        DOCX,
    ];
    expected.sort();
    assert_eq!(paths, expected, "one reports row per document");

    for (path, format, status) in [
        (DOCX, "docx", "ok"),
        (member_docx.as_str(), "docx", "ok"),
        ("misnamed.doc", "docx", "ok"),
        ("text_report.txt", "text", "ok"),
        ("sub/bundle.zip!/年报/text_report.txt", "text", "ok"),
        ("legacy.doc", "legacy_office", "failed"),
        ("sheet.xls", "legacy_office", "failed"),
        ("word97.doc", "doc", "ok"),
        ("report.rtf", "rtf", "ok"),
        ("rtf_named.doc", "rtf", "ok"),
        ("word2003.xml", "word_xml", "ok"),
        ("flat.doc", "word_xml", "ok"),
        ("report.odt", "odt", "ok"),
        ("table.xlsx", "office_other", "failed"),
        ("broken.zip", "zip", "failed"),
        ("page.html", "html", "ok"),
        ("scan.pdf", "pdf", "failed"),
        ("text.pdf", "pdf", "ok"),
    ] {
        // A text PDF is read through poppler: without it, `pdftotext_missing` (tests/pdf.rs).
        if path == "text.pdf"
            && !crate::util::tool_or_skip("archives: a text PDF in a mixed corpus", "pdftotext")
        {
            continue;
        }
        let r = report(&reports, path);
        assert_eq!(field(r, "format"), Some(format), "{path}: format");
        assert_eq!(field(r, "status"), Some(status), "{path}: status {r:?}");
    }

    let docx = report(&reports, DOCX);
    assert_eq!(field(docx, "encoding"), Some("docx"));
    assert_eq!(field(docx, "kind"), Some("report"));
    assert_eq!(field(docx, "agency"), Some("乌苏市统计局"));
    assert_eq!(field(docx, "year"), Some("2023"));
    // The zipped copy is the same bytes: the same report id, the same cells.
    let zipped = report(&reports, &member_docx);
    assert_eq!(field(zipped, "report_id"), field(docx, "report_id"));

    assert!(
        checks(&findings, report(&reports, "legacy.doc")).contains(&"ole_unreadable".to_string())
    );
    assert!(checks(&findings, report(&reports, "sheet.xls"))
        .contains(&"unsupported_format".to_string()));
    assert!(checks(&findings, report(&reports, "rtf_named.doc"))
        .contains(&"format_mismatch".to_string()));
    // The Word 97 and RTF copies are the DOCX's report: same agency, year and cells.
    let docx = report(&reports, DOCX);
    for path in [
        "word97.doc",
        "report.rtf",
        "rtf_named.doc",
        "word2003.xml",
        "flat.doc",
        "report.odt",
    ] {
        let r = report(&reports, path);
        for column in ["kind", "agency", "year", "template"] {
            assert_eq!(field(r, column), field(docx, column), "{path}: {column}");
        }
    }
    assert!(checks(&findings, report(&reports, "misnamed.doc"))
        .contains(&"format_mismatch".to_string()));
    assert!(checks(&findings, report(&reports, "broken.zip"))
        .contains(&"archive_unreadable".to_string()));
    for path in [DOCX, "text_report.txt"] {
        let errors: Vec<String> = checks(&findings, report(&reports, path));
        assert!(
            !errors
                .iter()
                .any(|c| c.contains("unreadable") || c == "limit_exceeded"),
            "{path}: {errors:?}"
        );
    }

    // The text report's cells, through the zip as well as on its own.
    let applications = build.rows("applications");
    for path in ["text_report.txt", "sub/bundle.zip!/年报/text_report.txt"] {
        let id = field(report(&reports, path), "report_id").expect("id");
        let granted = of_report(&applications, id)
            .into_iter()
            .find(|r| field(r, "row") == Some("granted") && field(r, "applicant") == Some("total"))
            .unwrap_or_else(|| panic!("{path}: granted.total"));
        assert_eq!(field(granted, "value"), Some("2"), "{path}");
    }
});
