//! PDF input: the failure paths (scanned, truncated, disguised under another name) on
//! fixtures written by `scripts/make_pdf_fixtures.py`, and a PDF cut from a real report,
//! under both output layouts.
//! The real PDFs themselves are compared cell by cell in `gold.rs` (`gold_pdf`).

use std::path::Path;

use crate::util::{self, field, of_report};

fn fixtures() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pdf")
}

nbtest!(scanned_truncated_and_disguised_pdfs, |dir, layout| {
    if !util::tool_or_skip("pdf: scanned, truncated and disguised PDFs", "pdftotext") {
        return;
    }
    for name in ["scanned.pdf", "truncated.pdf", "disguised.html"] {
        let bytes = std::fs::read(fixtures().join(name)).expect("fixture");
        dir.create_bytes(&format!("corpus/{name}"), &bytes);
    }
    if let Some(shared) = util::shared_or_skip("pdf: real PDF cut in half") {
        let real = std::fs::read(shared.join("gold/pdf/c003.pdf")).expect("c003.pdf");
        dir.create_bytes("corpus/cut.pdf", &real[..real.len() / 3]);
    }
    let build = layout.build(&dir.path().join("corpus"), &dir.path().join("out"), &[]);
    build.assert_success();
    let reports = build.rows("reports");
    let findings = build.rows("findings");
    let report = |path: &str| {
        reports
            .iter()
            .find(|r| field(r, "source_path") == Some(path))
            .unwrap_or_else(|| panic!("no report for {path}"))
    };
    let checks = |path: &str| -> Vec<String> {
        let id = field(report(path), "report_id").expect("id");
        of_report(&findings, id)
            .iter()
            .filter_map(|f| field(f, "check").map(str::to_string))
            .collect()
    };

    let scanned = report("scanned.pdf");
    assert_eq!(field(scanned, "format"), Some("pdf"));
    assert_eq!(field(scanned, "status"), Some("failed"));
    assert!(checks("scanned.pdf").contains(&"no_text_layer".to_string()));

    let truncated = report("truncated.pdf");
    assert_eq!(field(truncated, "format"), Some("pdf"));
    let c = checks("truncated.pdf");
    assert!(
        c.contains(&"pdf_unreadable".to_string()) || c.contains(&"pdf_damaged".to_string()),
        "{c:?}"
    );

    let disguised = report("disguised.html");
    assert_eq!(field(disguised, "format"), Some("pdf"));
    assert!(checks("disguised.html").contains(&"format_mismatch".to_string()));
    assert_eq!(field(disguised, "kind"), Some("not_a_report"));

    if reports
        .iter()
        .any(|r| field(r, "source_path") == Some("cut.pdf"))
    {
        // Whatever survives of a cut PDF is read or flagged; nothing is invented.
        let cut = report("cut.pdf");
        let id = field(cut, "report_id").expect("id");
        let status = field(cut, "status").unwrap_or_default();
        assert!(
            ["failed", "partial", "empty"].contains(&status),
            "cut PDF status {status}"
        );
        let apps = build.rows("applications");
        let flagged = !checks("cut.pdf").is_empty();
        assert!(of_report(&apps, id).is_empty() || flagged);
    }
});
