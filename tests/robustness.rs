//! No silently wrong number, under damage: every gold document is cut at many points and
//! has lines deleted, and whatever the parser still reads must equal the gold value.
//! Cells may go missing or null (with a finding); they may never change. Runs on the
//! sample corpus (non-zero, distinct values), the HTML, .doc and RTF fixtures and on `../shared/gold`
//! when present; the damaged sample documents are also built as a corpus, under both
//! output layouts.

use std::path::Path;
use std::rc::Rc;

use nianbao::{parse_document, Report};
use serde_json::Value;

use crate::util;

/// A small deterministic generator: the same damage every run.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) as usize) % below.max(1)
    }
}

/// Values of a report that contradict its gold file (a gold number read as another
/// number, or a gold blank read as a number).
fn contradictions(report: &Report, gold: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let mut check = |key: &str, gold: &Value, ours: Option<f64>| {
        if let Some(o) = ours {
            match gold.as_f64() {
                Some(g) if (g - o).abs() <= 1e-6 * g.abs().max(1.0) => {}
                _ => out.push(format!("{key}: gold {gold}, read {o}")),
            }
        }
    };
    let section = |name: &str| gold[name].as_object().cloned().unwrap_or_default();
    for (key, g) in section("applications") {
        let (row, col) = key.split_once('.').unwrap_or_default();
        let ours = report.application(row, col).and_then(|c| c.value);
        check(&key, &g, ours.map(|v| v as f64));
    }
    for (key, g) in section("review_litigation") {
        let (row, col) = key.split_once('.').unwrap_or_default();
        let ours = report.review(row, col).and_then(|c| c.value);
        check(&key, &g, ours.map(|v| v as f64));
    }
    for (key, g) in section("proactive") {
        let (item, measure) = key.split_once('.').unwrap_or_default();
        let ours = if item == "centralized_procurement" {
            let p = report.procurement.as_ref();
            match measure {
                "items" => p.and_then(|p| p.items).map(|v| v as f64),
                _ => p.and_then(|p| p.amount_yuan),
            }
        } else {
            report.proactive(item, measure).and_then(|c| c.value)
        };
        check(&key, &g, ours);
    }
    out
}

/// A damaged copy of a gold document.
struct Damaged {
    stem: String,
    extension: &'static str,
    trial: usize,
    bytes: Vec<u8>,
    gold: Rc<Value>,
}

/// `trials` damaged copies of every text, HTML, RTF, Word XML or Word 97 document of `docs` that has
/// a gold file in `golds`: cut anywhere (even inside a multi-byte character), or with one
/// line gone (for a binary `.doc`: with 16 bytes overwritten anywhere, in its tables of
/// properties as likely as in its text's neighbourhood).
fn damaged(docs: &Path, golds: &Path, trials: usize) -> Vec<Damaged> {
    let mut out = Vec::new();
    let mut names: Vec<_> = std::fs::read_dir(golds)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().to_string())
                .collect()
        })
        .unwrap_or_else(|_| Vec::new());
    names.sort();
    for name in names {
        let Some(stem) = name.strip_suffix(".gold.json") else {
            continue;
        };
        let Some((extension, bytes)) =
            ["txt", "html", "rtf", "doc", "xml", "odt"]
                .iter()
                .find_map(|ext| {
                    std::fs::read(docs.join(format!("{stem}.{ext}")))
                        .ok()
                        .map(|b| (*ext, b))
                })
        else {
            continue;
        };
        let gold: Value =
            serde_json::from_str(&std::fs::read_to_string(golds.join(&name)).expect("gold"))
                .expect("gold json");
        let misprinted = gold["defects"]
            .as_array()
            .is_some_and(|d| d.iter().any(|d| d == "extra_number"));
        let gold = Rc::new(gold);
        let lines: Vec<&[u8]> = bytes.split(|b| *b == b'\n').collect();
        let mut rng = Lcg(stem.len() as u64 + 7);
        for trial in 0..trials {
            let damaged: Vec<u8> = if trial % 2 == 0 {
                bytes[..rng.next(bytes.len())].to_vec()
            } else if extension == "doc" {
                let mut b = bytes.clone();
                let at = rng.next(b.len() - 16);
                for (i, x) in b[at..at + 16].iter_mut().enumerate() {
                    *x = (rng.next(256) ^ i) as u8;
                }
                b
            } else if extension == "rtf" && misprinted {
                // One RTF line is one table cell: gone from a row that already printed a
                // number too many, it leaves a row no rule can tell from a correct one
                // (the arithmetic flags it, but this test asks for more than a flag).
                bytes[..rng.next(bytes.len())].to_vec()
            } else {
                let gone = rng.next(lines.len());
                let kept: Vec<&[u8]> = lines
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| *i != gone)
                    .map(|(_, l)| *l)
                    .collect();
                kept.join(&b'\n')
            };
            out.push(Damaged {
                stem: stem.to_string(),
                extension,
                trial,
                bytes: damaged,
                gold: Rc::clone(&gold),
            });
        }
    }
    out
}

/// Damages every text document of `docs` that has a gold file in `golds` and parses it.
fn damage_folder(docs: &Path, golds: &Path, trials: usize) -> (usize, Vec<String>) {
    let copies = damaged(docs, golds, trials);
    let mut failures = Vec::new();
    for d in &copies {
        for c in contradictions(&parse_document(&d.bytes), &d.gold) {
            failures.push(format!("{} (damage {}): {c}", d.stem, d.trial));
        }
    }
    (copies.len(), failures)
}

#[test]
fn damaged_documents_never_yield_a_wrong_number() {
    let sample = util::sample_dir();
    let html = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/html");
    let word = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/doc/gold");
    let mut folders = vec![
        (sample.clone(), sample.with_file_name("sample-gold")),
        (html.clone(), html),
        (word.clone(), word),
    ];
    if let Some(shared) = util::shared_or_skip("robustness: shared gold folders") {
        for f in ["seeds", "real"] {
            folders.push((shared.join("gold").join(f), shared.join("gold").join(f)));
        }
    }
    let mut parsed = 0;
    let mut failures = Vec::new();
    for (docs, golds) in folders {
        let (n, f) = damage_folder(&docs, &golds, 40);
        parsed += n;
        failures.extend(f);
    }
    eprintln!(
        "robustness: {parsed} damaged documents parsed, {} contradictions",
        failures.len()
    );
    assert!(parsed > 0);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

// The damaged sample documents as one corpus, built: one `reports` row per file, and no
// number in `applications` that its gold file contradicts. Many copies are cut before
// their year, so the partitioned layout gets its partition of unknown years.
nbtest!(a_corpus_of_damaged_documents_builds, |dir, layout| {
    let sample = util::sample_dir();
    let mut copies = damaged(&sample, &sample.with_file_name("sample-gold"), 8);
    // A copy without a single digit has no year, however well the rest is read: the
    // partitioned layout gets its partition of unknown years whatever the cuts leave.
    let first = &copies[0];
    let no_digits = Damaged {
        stem: first.stem.clone(),
        extension: first.extension,
        trial: 99,
        bytes: first
            .bytes
            .iter()
            .copied()
            .filter(|b| !b.is_ascii_digit())
            .collect(),
        gold: Rc::clone(&first.gold),
    };
    copies.push(no_digits);
    let mut files = std::collections::HashMap::new();
    for d in &copies {
        let name = format!("{}-{:02}.{}", d.stem, d.trial, d.extension);
        dir.create_bytes(&format!("corpus/{name}"), &d.bytes);
        files.insert(name, d);
    }
    let b = layout.build(&dir.path().join("corpus"), &dir.path().join("out"), &[]);
    b.assert_success();
    let reports = b.rows("reports");
    assert_eq!(reports.len(), copies.len(), "one reports row per file");
    assert!(
        reports.iter().any(|r| util::field(r, "year").is_none()),
        "no damaged copy without a year"
    );
    let applications = b.rows("applications");
    let mut wrong = Vec::new();
    for r in &reports {
        let path = util::field(r, "source_path").expect("source_path");
        let id = util::field(r, "report_id").expect("report_id");
        let gold = &files[path].gold["applications"];
        for cell in util::of_report(&applications, id) {
            let key = format!(
                "{}.{}",
                util::field(cell, "row").unwrap_or_default(),
                util::field(cell, "applicant").unwrap_or_default()
            );
            if let Some(v) = util::field(cell, "value") {
                if v.parse::<f64>().ok() != gold[&key].as_f64() {
                    wrong.push(format!("{path}: {key} = {v}, gold {}", gold[&key]));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
});

/// Inputs the fuzz targets (`fuzz/`, `scripts/fuzz.sh`) once failed on, kept per target in
/// `tests/fixtures/fuzz/TARGET/` and replayed the way the target feeds them.
#[test]
fn fuzz_regressions_stay_fixed() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz");
    let mut replayed = 0;
    for target in ["text", "html", "docx", "doc", "rtf", "odt", "pdf"] {
        let Ok(entries) = std::fs::read_dir(root.join(target)) else {
            continue;
        };
        for entry in entries {
            let path = entry.expect("read dir").path();
            let data = std::fs::read(&path).expect("read fixture");
            let reports = match target {
                "html" => {
                    let mut page = b"<!DOCTYPE html><html><body>".to_vec();
                    page.extend_from_slice(&data);
                    nianbao::parse_file(&page, "fuzz.html")
                }
                "docx" => nianbao::parse_file(&nianbao::read::docx::container(&data), "fuzz.docx"),
                "doc" => nianbao::parse_file(&nianbao::read::doc::fuzz_file(&data), "fuzz.doc"),
                "odt" => nianbao::parse_file(&nianbao::read::odt::container(&data), "fuzz.odt"),
                "rtf" => {
                    let mut file = b"{\\rtf1\\ansi\\ansicpg936 ".to_vec();
                    file.extend_from_slice(&data);
                    nianbao::parse_file(&file, "fuzz.rtf")
                }
                "pdf" => nianbao::parse_file(&data, "fuzz.pdf"),
                _ => nianbao::parse_file(&data, "fuzz.txt"),
            };
            for report in &reports {
                let v = report.invariant_violations();
                assert!(v.is_empty(), "{}: {}", path.display(), v.join("; "));
            }
            replayed += 1;
        }
    }
    assert!(
        replayed >= 2,
        "no fuzz regression inputs found in {}",
        root.display()
    );
}
