//! `nianbao synth` and `nianbao eval`: the synthetic corpus is reproducible, the scorer
//! finds the errors it is meant to find, and the quality gates CI relies on hold — no
//! silent error on a 2,000-report synthetic corpus or on any `shared/gold` folder.

use std::path::Path;

use serde_json::Value;

use crate::util::{nianbao, shared_or_skip};

fn synth(out: &Path, reports: u32, seed: u32, extra: &[&str]) {
    let status = nianbao()
        .arg("synth")
        .arg("--out")
        .arg(out)
        .args([
            "--reports",
            &reports.to_string(),
            "--seed",
            &seed.to_string(),
        ])
        .args(extra)
        .status()
        .expect("run nianbao synth");
    assert!(status.success(), "nianbao synth failed");
}

/// Runs `nianbao eval --json` with `extra` flags: (exit code, parsed JSON).
fn eval(dir: &Path, extra: &[&str]) -> (i32, Value) {
    let out = nianbao()
        .arg("eval")
        .arg(dir)
        .arg("--json")
        .args(extra)
        .output()
        .expect("run nianbao eval");
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "eval --json printed no JSON ({e}): {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code().unwrap_or(-1), json)
}

/// Every file under `dir`, relative path → bytes.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = walkdir(dir)
        .into_iter()
        .map(|p| {
            let rel = p.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
            (rel, std::fs::read(&p).unwrap())
        })
        .collect();
    out.sort();
    out
}

fn walkdir(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walkdir(&p));
        } else {
            out.push(p);
        }
    }
    out
}

nbtest!(synth_is_reproducible_and_seeded, |dir| {
    synth(&dir.path().join("a"), 60, 5, &[]);
    synth(&dir.path().join("b"), 60, 5, &[]);
    synth(&dir.path().join("c"), 60, 6, &[]);
    let (a, b, c) = (
        files(&dir.path().join("a")),
        files(&dir.path().join("b")),
        files(&dir.path().join("c")),
    );
    assert!(
        a.len() >= 120,
        "60 reports and their truth: {} files",
        a.len()
    );
    assert!(a == b, "the same seed wrote different files");
    assert!(a != c, "another seed wrote the same files");
    // Refuses to write into a folder that holds something.
    let status = nianbao()
        .arg("synth")
        .arg("--out")
        .arg(dir.path().join("a"))
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(2));
});

nbtest!(synth_draws_every_scraper_class, |dir| {
    // At the defect rate, from a generator of their own: none at 0, all at 0.5.
    for (rate, seed) in [("0.5", 11), ("0", 12)] {
        let corpus = dir.path().join(format!("synth-{rate}"));
        synth(&corpus, 400, seed, &["--defect-rate", rate]);
        let mut seen: std::collections::BTreeMap<String, usize> = Default::default();
        for (path, bytes) in files(&corpus) {
            if path.ends_with(".gold.json") {
                let truth: Value = serde_json::from_slice(&bytes).unwrap();
                if let Some(class) = truth["class"].as_str() {
                    *seen.entry(class.to_string()).or_default() += 1;
                }
            }
        }
        if rate == "0" {
            assert!(seen.is_empty(), "classes at defect rate 0: {seen:?}");
            continue;
        }
        for class in nianbao::synth::class_names() {
            assert!(seen.get(class).is_some_and(|n| *n > 3), "{class}: {seen:?}");
        }
    }
});

nbtest!(synthetic_corpus_has_no_silent_error, |dir| {
    let corpus = dir.path().join("synth");
    synth(&corpus, 2000, 2024, &["--defect-rate", "0.15"]);
    let (code, json) = eval(&corpus, &["--max-silent", "0", "--min-accuracy", "97"]);
    let cells = &json["cells"];
    eprintln!(
        "synthetic 2,000: {} cells, accuracy {:.4}, silent {}, flagged {}, missed {}",
        cells["checked"],
        cells["correct"].as_f64().unwrap() / cells["checked"].as_f64().unwrap(),
        cells["silent"],
        cells["flagged"],
        cells["missed"]
    );
    // Every real-scraper class is in the corpus and scored; the near-misses have no
    // cells, their kind is what counts.
    for class in nianbao::synth::class_names() {
        let c = &json["by_class"][class];
        eprintln!(
            "  {class}: {} docs, {} cells, {} correct, {} flagged, {} silent, {} kinds wrong",
            c["cells"]["documents"],
            c["cells"]["checked"],
            c["cells"]["correct"],
            c["cells"]["flagged"],
            c["cells"]["silent"],
            c["kinds_wrong"]
        );
        assert!(
            c["cells"]["documents"].as_u64().unwrap_or(0) >= 10,
            "fewer than 10 {class} documents in the synthetic corpus"
        );
    }
    let silent: Vec<&Value> = json["misses"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["outcome"] == "silent")
        .collect();
    assert!(silent.is_empty(), "silent errors: {silent:#?}");
    assert_eq!(code, 0, "eval gates failed: {}", json["cells"]);
    assert!(cells["checked"].as_u64().unwrap() > 300_000);
    // Every format, layout and defect is in the breakdown.
    let defects: Vec<&str> = std::iter::once("none")
        .chain(nianbao::synth::defect_names())
        .collect();
    for (dim, want) in [
        ("format", &["text", "html", "docx"][..]),
        (
            "layout",
            &["tab", "tab_grid", "pipe", "cells", "layout", "html", "docx"],
        ),
        ("defect", &defects[..]),
    ] {
        for w in want {
            assert!(
                json["breakdown"][dim][w]["documents"].as_u64().unwrap_or(0) > 0,
                "no {dim} {w} in the breakdown"
            );
        }
    }
});

nbtest!(eval_finds_a_planted_error_and_fails_the_gate, |dir| {
    let corpus = dir.path().join("synth");
    synth(&corpus, 20, 3, &["--defect-rate", "0", "--formats", "text"]);
    // Change one true value: the parser's (right) reading now disagrees with the truth.
    let gold = files(&corpus)
        .into_iter()
        .find(|(p, _)| p.ends_with(".gold.json"))
        .unwrap();
    let path = corpus.join(&gold.0);
    let mut truth: Value = serde_json::from_slice(&gold.1).unwrap();
    let cell = &mut truth["applications"]["new_received.total"];
    let planted = cell.as_i64().unwrap_or(0) + 1000;
    *cell = planted.into();
    std::fs::write(&path, serde_json::to_vec(&truth).unwrap()).unwrap();

    let (code, json) = eval(&corpus, &["--max-silent", "0"]);
    assert_eq!(code, 1, "a silent error must fail --max-silent 0");
    assert_eq!(json["cells"]["silent"], 1);
    let miss = &json["misses"][0];
    assert_eq!(miss["outcome"], "silent");
    assert_eq!(miss["key"], "applications:new_received.total");
    assert_eq!(miss["gold"], planted.to_string());
    let (code, _) = eval(&corpus, &["--max-silent", "1"]);
    assert_eq!(code, 0);

    // --out writes the machine-readable files.
    let out = dir.path().join("eval");
    let status = nianbao()
        .arg("eval")
        .arg(&corpus)
        .arg("--out")
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success());
    let misses = std::fs::read_to_string(out.join("misses.csv")).unwrap();
    assert!(misses.starts_with("file,key,gold,ours,outcome\n"));
    assert!(misses.contains("applications:new_received.total"));
    assert!(out.join("eval.json").is_file());
});

nbtest!(eval_without_gold_files_is_an_error, |dir| {
    dir.create("a.txt", "not a report");
    let out = nianbao().arg("eval").arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no *.gold.json"));
});

#[test]
fn every_shared_gold_folder_passes_the_silent_error_gate() {
    let Some(shared) = shared_or_skip("every_shared_gold_folder_passes_the_silent_error_gate")
    else {
        return;
    };
    // The pending folders (documents the parser learnt to read after gold/ was laid)
    // are held to the same gate.
    let folders = crate::util::shared_folders(&shared, &["gold", "pending"]);
    assert!(!folders.is_empty());
    for folder in folders {
        if !crate::util::folder_readable(&folder) {
            continue;
        }
        let (code, json) = eval(&folder, &["--max-silent", "0"]);
        eprintln!(
            "{}: {} cells, {} correct, {} flagged, {} silent",
            folder.display(),
            json["cells"]["checked"],
            json["cells"]["correct"],
            json["cells"]["flagged"],
            json["cells"]["silent"]
        );
        assert_eq!(code, 0, "{}: {:#?}", folder.display(), json["misses"]);
    }
}

#[test]
fn sample_corpus_scores_fully_against_its_gold() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (code, json) = eval(
        &root.join("data/sample"),
        &[
            "--truth",
            root.join("data/sample-gold").to_str().unwrap(),
            "--min-accuracy",
            "100",
            "--max-silent",
            "0",
        ],
    );
    assert_eq!(code, 0, "{:#?}", json["misses"]);
    assert_eq!(json["cells"]["documents"], 6);
}

// See: issue 13, "Who wrote it" and "Make the suite see these cases". Over every folder
// of `shared/gold` and `shared/pending`: no report read as another kind, and every agency
// the gold states read (flagged nulls count: the report's numbers would belong to no one).
#[test]
fn every_shared_folder_loses_no_report_and_reads_every_agency() {
    let Some(shared) = shared_or_skip("every_shared_folder_loses_no_report_and_reads_every_agency")
    else {
        return;
    };
    let folders = crate::util::shared_folders(&shared, &["gold", "pending"]);
    assert!(!folders.is_empty());
    for folder in folders {
        if !crate::util::folder_readable(&folder) {
            continue;
        }
        let (code, json) = eval(&folder, &["--max-lost", "0", "--max-agency-wrong", "0"]);
        let d = &json["documents"];
        eprintln!(
            "{}: {} of {} reports lost, {} of {} agencies wrong",
            folder.display(),
            d["lost"],
            d["reports"],
            d["agencies_wrong"],
            d["agencies"]
        );
        let wrong: Vec<&Value> = json["misses"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["key"] == "kind" || m["key"] == "agency")
            .collect();
        assert_eq!(code, 0, "{}: {wrong:#?}", folder.display());
        assert!(d["agencies"].as_u64().unwrap() > 0 || d["reports"].as_u64().unwrap() > 0);
    }
}

nbtest!(eval_gates_lost_reports_and_wrong_agencies, |dir| {
    dir.create(
        "a.txt",
        "某县统计局2023年政府信息公开工作年度报告\n一、总体情况\n本年度，我局认真贯彻落实《条例》。\n二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n四、政府信息公开行政复议、行政诉讼情况\n",
    );
    dir.create("b.txt", "关于召开会议的通知\n请各单位按时参加。\n");
    dir.create(
        "a.gold.json",
        r#"{"kind": "report", "agency": "某县 统计局"}"#,
    );
    dir.create(
        "b.gold.json",
        r#"{"kind": "report", "agency": "某县财政局"}"#,
    );
    let (code, json) = eval(dir.path(), &[]);
    assert_eq!(code, 0, "no gate asked for");
    let d = &json["documents"];
    assert_eq!(
        (d["reports"].as_u64(), d["lost"].as_u64()),
        (Some(2), Some(1))
    );
    assert_eq!(
        (d["agencies"].as_u64(), d["agencies_wrong"].as_u64()),
        (Some(2), Some(1))
    );
    assert_eq!(eval(dir.path(), &["--max-lost", "0"]).0, 1);
    assert_eq!(eval(dir.path(), &["--max-agency-wrong", "0"]).0, 1);
    assert_eq!(
        eval(dir.path(), &["--max-lost", "1", "--max-agency-wrong", "1"]).0,
        0
    );
    // The table shows both counts, and names what was lost.
    let out = nianbao().arg("eval").arg(dir.path()).output().unwrap();
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(
        table.contains("reports lost") && table.contains("1 of 2 reports"),
        "{table}"
    );
    assert!(
        table.contains("agencies wrong: 1\n  b.txt: agency"),
        "{table}"
    );
});
