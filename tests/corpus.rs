//! Whole-corpus behaviour: inputs in every encoding, empty/binary/truncated/non-report
//! files (under both output layouts), deterministic output whatever the thread count, and
//! a bad CORPUS_DIR.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::compare::names_cell;
use crate::util::{self, field, of_report, shared_dir, Build, Row};

/// A seed report (one cell per line, 2021 template) as UTF-8 bytes, or a sample report
/// when shared/ is not there.
fn seed_report() -> Vec<u8> {
    let seed = shared_dir().map(|s| s.join("gold/seeds/004_fe8339c0c3ff18e6.txt"));
    let path = seed
        .filter(|p| p.is_file())
        .unwrap_or_else(|| util::sample_dir().join("pipe_2021.txt"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// A PNG signature followed by deterministic noise.
fn binary_bytes() -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0".to_vec();
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    bytes.extend((0..4096).map(|_| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 24) as u8
    }));
    bytes
}

fn utf16le_with_bom(text: &str) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    bytes
}

/// The sample pipe report cut in the middle of the 部分公开 row, after two of its seven
/// numbers; and the application cells (`row.applicant`) still printed before the cut.
fn truncated_report() -> (String, Vec<String>) {
    let path = util::sample_dir().join("pipe_2021.txt");
    let text =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    let start = text
        .find("（二）部分公开")
        .expect("partly_granted row in pipe_2021.txt");
    let line_end = start + text[start..].find('\n').expect("end of line");
    let cells: Vec<&str> = text[start..line_end].split(" | ").collect();
    let cut = format!("{}{}", &text[..start], cells[..3].join(" | "));
    let mut printed: Vec<String> = ["new_received", "carried_over", "granted"]
        .iter()
        .flat_map(|row| APPLICANTS.iter().map(move |a| format!("{row}.{a}")))
        .collect();
    printed.extend([
        "partly_granted.natural_person".into(),
        "partly_granted.commercial_enterprise".into(),
    ]);
    (cut, printed)
}

const APPLICANTS: [&str; 7] = [
    "natural_person",
    "commercial_enterprise",
    "research_institution",
    "social_welfare_org",
    "legal_service_org",
    "other_org",
    "total",
];

const NOT_A_REPORT: &str = "首页 > 政务公开 > 政府信息公开年报\n\
    政府信息公开年报\n\
    · 2023年政府信息公开工作年度报告  2024-01-18\n\
    · 2022年政府信息公开工作年度报告  2023-01-16\n\
    · 2021年政府信息公开工作年度报告  2022-01-20\n\
    共3条 首页 上一页 1 下一页 尾页\n\
    主办单位：某某县人民政府办公室  地址：人民路1号  电话：0000-0000000\n";

/// The only `reports` row of `path`.
fn report<'a>(reports: &'a [Row], path: &str) -> &'a Row {
    let rows: Vec<&Row> = reports
        .iter()
        .filter(|r| field(r, "source_path") == Some(path))
        .collect();
    assert_eq!(
        rows.len(),
        1,
        "{path}: expected one row in reports.csv, got {}",
        rows.len()
    );
    rows[0]
}

/// `row.applicant` → value of one report's applications.
fn application_values(build: &Build, id: &str) -> BTreeMap<String, Option<String>> {
    let rows = build.rows("applications");
    of_report(&rows, id)
        .into_iter()
        .map(|r| {
            let key = format!(
                "{}.{}",
                field(r, "row").unwrap_or(""),
                field(r, "applicant").unwrap_or("")
            );
            (key, field(r, "value").map(String::from))
        })
        .collect()
}

nbtest!(corpus_encodings_and_broken_files, |dir, layout| {
    let seed = seed_report();
    let seed_text = String::from_utf8(seed.clone()).expect("seed is UTF-8");
    let (gbk, _, _) = encoding_rs::GBK.encode(&seed_text);
    let (truncated, printed) = truncated_report();
    dir.create_bytes("corpus/empty.txt", b"");
    dir.create_bytes("corpus/binary.txt", &binary_bytes());
    dir.create_bytes("corpus/original.txt", &seed);
    dir.create_bytes("corpus/encodings/gbk.txt", &gbk);
    dir.create_bytes(
        "corpus/encodings/utf16le.txt",
        &utf16le_with_bom(&seed_text),
    );
    dir.create("corpus/truncated.txt", &truncated);
    dir.create("corpus/nav.txt", NOT_A_REPORT);

    let build = layout.build(&dir.path().join("corpus"), &dir.path().join("out"), &[]);
    build.assert_success();
    let reports = build.rows("reports");
    let findings = build.rows("findings");
    assert_eq!(reports.len(), 7, "one reports row per file: {reports:#?}");

    let status = |path: &str| {
        field(report(&reports, path), "status")
            .unwrap_or("")
            .to_string()
    };
    let id = |path: &str| {
        field(report(&reports, path), "report_id")
            .expect("report_id")
            .to_string()
    };
    assert_eq!(status("empty.txt"), "empty");
    assert_eq!(status("binary.txt"), "failed");
    for path in [
        "original.txt",
        "encodings/gbk.txt",
        "encodings/utf16le.txt",
        "truncated.txt",
        "nav.txt",
    ] {
        assert!(
            matches!(status(path).as_str(), "ok" | "partial"),
            "{path}: status {}",
            status(path)
        );
    }
    for path in ["empty.txt", "binary.txt"] {
        assert!(
            !of_report(&findings, &id(path)).is_empty(),
            "{path}: no finding"
        );
    }

    let encoding = |path: &str| {
        field(report(&reports, path), "encoding")
            .unwrap_or("")
            .to_string()
    };
    assert!(
        matches!(encoding("encodings/gbk.txt").as_str(), "GB18030" | "GBK"),
        "{}",
        encoding("encodings/gbk.txt")
    );
    assert_eq!(encoding("encodings/utf16le.txt"), "UTF-16LE");
    assert_eq!(encoding("original.txt"), "UTF-8");

    let original = application_values(&build, &id("original.txt"));
    assert!(
        !original.is_empty(),
        "the original report yields application cells"
    );
    assert_eq!(
        application_values(&build, &id("encodings/gbk.txt")),
        original,
        "GBK copy"
    );
    assert_eq!(
        application_values(&build, &id("encodings/utf16le.txt")),
        original,
        "UTF-16LE copy"
    );

    // The truncated report: printed cells as in the full report (or flagged), nothing
    // after the cut read as a number — in particular not as 0.
    let gold_path = util::sample_dir()
        .with_file_name("sample-gold")
        .join("pipe_2021.gold.json");
    let gold: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&gold_path).expect("read gold"))
            .expect("parse gold");
    let truncated_id = id("truncated.txt");
    let cut_findings: Vec<&Row> = of_report(&findings, &truncated_id);
    let ours = application_values(&build, &truncated_id);
    let mut problems = Vec::new();
    for (key, expected) in gold["applications"].as_object().expect("applications") {
        let (row, column) = key.split_once('.').expect("row.applicant");
        let value = ours.get(key).cloned().flatten();
        let flagged = names_cell(&cut_findings, "applications", row, column);
        match value {
            Some(v) if printed.contains(key) && v.parse::<f64>().ok() == expected.as_f64() => {}
            Some(v) => problems.push(format!(
                "{key}: ours {v}, but it is {} the cut",
                if printed.contains(key) {
                    format!("{expected} before")
                } else {
                    "after".into()
                }
            )),
            None if printed.contains(key) && !flagged => problems.push(format!(
                "{key}: printed {expected}, ours null/absent without a finding"
            )),
            None if ours.contains_key(key) && !flagged => {
                problems.push(format!("{key}: null after the cut without a finding"))
            }
            None => {}
        }
    }
    let review = build.rows("review_litigation");
    for r in of_report(&review, &truncated_id) {
        if let Some(v) = field(r, "value") {
            problems.push(format!(
                "review_litigation {:?}.{:?}: {v}, but the table is after the cut",
                field(r, "proceeding"),
                field(r, "outcome")
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "truncated report:\n  {}",
        problems.join("\n  ")
    );
});

nbtest!(output_is_identical_whatever_the_thread_count, |dir| {
    dir.copy_documents(&util::sample_dir(), "corpus");
    dir.create_bytes("corpus/seed.txt", &seed_report());
    dir.create_bytes("corpus/zz/empty.txt", b"");
    dir.create_bytes("corpus/zz/binary.txt", &binary_bytes());
    let corpus = dir.path().join("corpus");
    let one = util::build(&corpus, &dir.path().join("out1"), &["--jobs", "1"]);
    let two = util::build(&corpus, &dir.path().join("out2"), &["--jobs", "2"]);
    one.assert_success();
    two.assert_success();
    for table in util::TABLES {
        let name = format!("{table}.csv");
        let a =
            std::fs::read(one.out.join(&name)).unwrap_or_else(|e| panic!("{name} (--jobs 1): {e}"));
        let b =
            std::fs::read(two.out.join(&name)).unwrap_or_else(|e| panic!("{name} (--jobs 2): {e}"));
        assert!(a == b, "{name} differs between --jobs 1 and --jobs 2");
        assert!(
            one.out.join(format!("{table}.parquet")).is_file(),
            "{table}.parquet written"
        );
    }
});

nbtest!(missing_corpus_dir_fails_with_a_message, |dir| {
    let missing: PathBuf = dir.path().join("no-such-corpus");
    let build = util::build(&missing, &dir.path().join("out"), &[]);
    assert!(
        !build.output.status.success(),
        "exit status {} for a missing corpus",
        build.output.status
    );
    let stderr = String::from_utf8_lossy(&build.output.stderr);
    assert!(!stderr.trim().is_empty(), "no message on stderr");
});

nbtest!(parse_prints_the_report_as_json, |dir| {
    let path = dir.create_bytes("seed.txt", &seed_report());
    let output = util::succeed(util::nianbao().arg("parse").arg(&path));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("stdout is JSON");
    assert_eq!(report["kind"], "report");
    assert_eq!(report["encoding"], "UTF-8");
});
