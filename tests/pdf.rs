//! PDF input: the failure paths (scanned, truncated, disguised under another name) on
//! fixtures written by `scripts/make_pdf_fixtures.py`, and a PDF cut from a real report,
//! under both output layouts; a sample report drawn as a PDF, read cell by cell against
//! its gold; and the two engines of `read::pdf` held to the same output.
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
    // A document nothing can be read from is kept as a report, flagged, not dropped.
    assert_eq!(field(scanned, "kind"), Some("report"));
    assert_eq!(field(scanned, "kind_evidence"), Some("unreadable_text"));

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

/// `data/sample/layout_2021.txt` drawn as a PDF with a CID font (as office suites write
/// Chinese reports, tables broken across pages) reads as its gold, whatever the engine.
#[test]
fn a_sample_report_drawn_as_a_pdf_reads_as_its_gold() {
    if !util::tool_or_skip("pdf: sample report as a PDF", "pdftotext") {
        return;
    }
    let gold = tempfile::tempdir().expect("temp dir");
    let name = "layout_2021.gold.json";
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("data/sample-gold")
            .join(name),
        gold.path().join(name),
    )
    .expect("copy gold");
    crate::compare::check_gold("pdf-fixture", &fixtures().join("report"), gold.path());
}

/// The two engines of `read::pdf` — `nianbao-pdftext` (long-lived, the default where it
/// is installed) and one `pdftotext` process per file (the reference) — read every PDF
/// alike: the same text, the same findings, the same failures. Run on the real PDFs, the
/// fixtures, and damaged copies (cut short, bytes overwritten, a span deleted or
/// inserted), since the engine must not change how a damaged PDF ends either.
#[test]
fn worker_reads_every_pdf_as_pdftotext_does() {
    use nianbao::read::pdf::{read_with, worker_available, Engine};
    if !util::tool_or_skip("pdf: worker against pdftotext", "pdftotext")
        || !util::tool_or_skip("pdf: worker against pdftotext", "nianbao-pdftext")
    {
        return;
    }
    assert!(
        worker_available(),
        "nianbao-pdftext is installed but does not start"
    );
    let mut inputs: Vec<(String, Vec<u8>)> = Vec::new();
    for name in ["scanned.pdf", "truncated.pdf", "disguised.html"] {
        inputs.push((
            name.into(),
            std::fs::read(fixtures().join(name)).expect("fixture"),
        ));
    }
    inputs.push(("empty".into(), Vec::new()));
    inputs.push(("not a PDF".into(), b"%PDF-1.4\nnot really".to_vec()));
    if let Some(shared) = util::shared_or_skip("pdf: worker against pdftotext on real PDFs") {
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = move |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        for name in ["c001", "c003", "c004"] {
            let real = std::fs::read(shared.join(format!("gold/pdf/{name}.pdf"))).expect("pdf");
            for k in 0..6 {
                let mut b = real.clone();
                let what = match k {
                    0 => "as is",
                    1 => {
                        b.truncate(next(b.len()));
                        "cut"
                    }
                    2 | 3 => {
                        for _ in 0..12 {
                            let i = next(b.len());
                            b[i] = next(256) as u8;
                        }
                        "bytes overwritten"
                    }
                    4 => {
                        let i = next(b.len());
                        let n = next(4096).min(b.len() - i);
                        b.drain(i..i + n);
                        "span deleted"
                    }
                    _ => {
                        let i = next(b.len());
                        let junk: Vec<u8> = (0..300).map(|_| next(256) as u8).collect();
                        b.splice(i..i, junk);
                        "span inserted"
                    }
                };
                inputs.push((format!("{name} {what} ({k})"), b));
            }
        }
    }
    for (name, bytes) in &inputs {
        let worker = read_with(Engine::Worker, bytes);
        let reference = read_with(Engine::Pdftotext, bytes);
        assert_eq!(worker.text, reference.text, "{name}: text");
        assert_eq!(worker.failed, reference.failed, "{name}: failed");
        assert_eq!(worker.encoding, reference.encoding, "{name}: encoding");
        assert_eq!(worker.findings, reference.findings, "{name}: findings");
    }
}

/// Where only pdftotext is on `PATH` the PDF is read through it (the worker is optional);
/// where neither is, the PDF fails with `pdftotext_missing` and the run goes on.
#[test]
fn pdfs_read_without_the_worker_and_fail_plainly_without_poppler() {
    let Some(pdftotext) = find_on_path("pdftotext") else {
        util::skip("pdf: without the worker", "pdftotext is not installed");
        return;
    };
    let dir = util::Dir::new("pdf-engines");
    let pdf = std::fs::read(fixtures().join("report/layout_2021.pdf")).expect("fixture");
    dir.create_bytes("corpus/report.pdf", &pdf);
    let only_pdftotext = dir.path().join("bin-pdftotext");
    std::fs::create_dir_all(&only_pdftotext).expect("bin dir");
    std::os::unix::fs::symlink(&pdftotext, only_pdftotext.join("pdftotext")).expect("link");
    let nothing = dir.path().join("bin-empty");
    std::fs::create_dir_all(&nothing).expect("bin dir");
    for (bin, status, check) in [
        (&only_pdftotext, "ok", None),
        (&nothing, "failed", Some("pdftotext_missing")),
    ] {
        let out = dir.path().join(format!("out-{status}"));
        let output = util::nianbao()
            .arg("build")
            .arg(dir.path().join("corpus"))
            .arg("--out")
            .arg(&out)
            .args(["--formats", "csv"])
            .env("PATH", bin)
            .output()
            .expect("run nianbao");
        let build = util::Build { output, out };
        build.assert_success();
        let reports = build.rows("reports");
        assert_eq!(
            field(&reports[0], "status"),
            Some(status),
            "PATH={}",
            bin.display()
        );
        let id = field(&reports[0], "report_id").expect("id");
        let findings = build.rows("findings");
        let checks: Vec<_> = of_report(&findings, id)
            .iter()
            .filter_map(|f| field(f, "check"))
            .collect();
        if let Some(check) = check {
            assert!(checks.contains(&check), "{checks:?}");
        } else {
            assert!(!build.rows("applications").is_empty());
        }
    }
}

fn find_on_path(tool: &str) -> Option<std::path::PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|d| d.join(tool))
        .find(|p| p.is_file())
}
