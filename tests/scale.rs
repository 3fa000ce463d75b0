//! Nightly runs at scale: incremental builds (reuse, change, delete, parser bump), a
//! killed run, two runs at once, the partitioned layout and shard + merge. The corpora
//! hold files without a year (binary, empty, not a report), as every real corpus does,
//! and the incremental and shard tests run under both output layouts.
//! See: issues "Nightly runs at scale" and 12.

use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use crate::util::{self, Build, Dir, Layout, TABLES};

/// The sample corpus copied under `rel` of `dir`, `copies` times with a distinct last
/// line each, so that every copy has its own hash; plus [`YEARLESS`] files without a year.
fn corpus(dir: &Dir, rel: &str, copies: usize) -> PathBuf {
    let root = dir.path().join(rel);
    let names = dir.copy_documents(&util::sample_dir(), &format!("{rel}/0"));
    for i in 1..copies {
        for name in &names {
            let mut bytes = std::fs::read(root.join("0").join(name)).expect("read copy");
            bytes.extend_from_slice(format!("\n{i}\n").as_bytes());
            dir.create_bytes(&format!("{rel}/{}/{i}-{name}", i % 97), &bytes);
        }
    }
    for (name, bytes) in yearless() {
        dir.create_bytes(&format!("{rel}/{name}"), &bytes);
    }
    root
}

/// Files of no year, whose rows go to `year=__HIVE_DEFAULT_PARTITION__`: a binary file,
/// an empty file and a page that is not a report.
fn yearless() -> [(&'static str, Vec<u8>); 3] {
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend((0..2048u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8));
    [
        ("logo.png", png),
        ("empty.txt", Vec::new()),
        (
            "index.html",
            "<html><body><p>首页 &gt; 政务公开</p><ul><li>年度报告</li></ul></body></html>"
                .as_bytes()
                .to_vec(),
        ),
    ]
}

/// The number of files under `root` (the files a build lists).
fn file_count(root: &Path) -> usize {
    walk(root).len()
}

fn walk(root: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(root).expect("read corpus") {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

/// The `files:` part of the summary line (`reused R, parsed P, removed D`).
fn files_counts(build: &Build) -> String {
    let stderr = String::from_utf8_lossy(&build.output.stderr);
    let line = stderr
        .lines()
        .find(|l| l.contains("; files: "))
        .unwrap_or_else(|| panic!("no summary line in {stderr}"));
    line.split("; files: ")
        .nth(1)
        .unwrap_or_default()
        .split("; ")
        .next()
        .unwrap_or_default()
        .to_string()
}

/// Every CSV table of `out`, as bytes.
fn csv_bytes(out: &Path) -> Vec<Vec<u8>> {
    TABLES
        .iter()
        .map(|t| {
            let path = out.join(format!("{t}.csv"));
            std::fs::read(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
        })
        .collect()
}

fn assert_same_csv(a: &Path, b: &Path) {
    for (t, (x, y)) in TABLES.iter().zip(csv_bytes(a).iter().zip(csv_bytes(b))) {
        assert!(
            *x == y,
            "{t}.csv differs between {} and {}",
            a.display(),
            b.display()
        );
    }
}

nbtest!(unchanged_files_are_reused, |dir, layout| {
    let corpus = corpus(&dir, "c", 3);
    let n = file_count(&corpus);
    let out = dir.path().join("out");
    let first = layout.build(&corpus, &out, &[]);
    first.assert_success();
    assert_eq!(
        files_counts(&first),
        format!("reused 0, parsed {n}, removed 0")
    );
    let before = csv_bytes(&out);
    let second = layout.build(&corpus, &out, &[]);
    second.assert_success();
    assert_eq!(
        files_counts(&second),
        format!("reused {n}, parsed 0, removed 0")
    );
    assert_eq!(csv_bytes(&out), before);
    // A touched file (same content, new mtime) is hashed and still reused.
    let touched = corpus.join("0/pipe_2021.txt");
    let bytes = std::fs::read(&touched).unwrap();
    std::thread::sleep(Duration::from_millis(20));
    std::fs::write(&touched, bytes).unwrap();
    let third = layout.build(&corpus, &out, &[]);
    third.assert_success();
    assert_eq!(
        files_counts(&third),
        format!("reused {n}, parsed 0, removed 0")
    );
    assert_eq!(csv_bytes(&out), before);
});

nbtest!(changed_new_and_deleted_files, |dir, layout| {
    let corpus = corpus(&dir, "c", 3);
    let n = file_count(&corpus);
    let out = dir.path().join("out");
    layout.build(&corpus, &out, &[]).assert_success();
    let changed = corpus.join("0/pipe_2021.txt");
    let mut bytes = std::fs::read(&changed).unwrap();
    bytes.extend_from_slice("\n附注\n".as_bytes());
    std::fs::write(&changed, bytes).unwrap();
    std::fs::remove_file(corpus.join("0/gbk_2019.txt")).unwrap();
    dir.create("c/00-new.txt", "二〇二三年 不是年报\n");
    // New files without a year, into a partition the previous run may not have had.
    dir.create_bytes("c/new/blank.txt", b"");
    dir.create_bytes("c/new/data.bin", &[0, 159, 146, 150, 0, 1, 2, 3]);
    let second = layout.build(&corpus, &out, &[]);
    second.assert_success();
    assert_eq!(
        files_counts(&second),
        format!("reused {}, parsed 4, removed 1", n - 2)
    );
    let full = layout.build(&corpus, &dir.path().join("full"), &["--full"]);
    full.assert_success();
    assert_eq!(
        files_counts(&full),
        format!("reused 0, parsed {}, removed 0", n + 2)
    );
    assert_same_csv(&out, &full.out);
});

nbtest!(parser_version_bump_reparses_everything, |dir, layout| {
    let corpus = corpus(&dir, "c", 2);
    let n = file_count(&corpus);
    let out = dir.path().join("out");
    layout.build(&corpus, &out, &[]).assert_success();
    let bumped = layout.build(&corpus, &out, &["--parser-version-override", "9999"]);
    bumped.assert_success();
    assert_eq!(
        files_counts(&bumped),
        format!("reused 0, parsed {n}, removed 0")
    );
    let manifest = std::fs::read_to_string(out.join("manifest.json")).unwrap();
    assert!(manifest.contains("\"parser_version\": 9999"), "{manifest}");
    let again = layout.build(&corpus, &out, &["--parser-version-override", "9999"]);
    again.assert_success();
    assert_eq!(
        files_counts(&again),
        format!("reused {n}, parsed 0, removed 0")
    );
});

/// Starts a build of `corpus` into `out` in the background.
fn spawn_build(corpus: &Path, out: &Path, layout: Layout) -> Child {
    util::nianbao()
        .arg("build")
        .arg(corpus)
        .arg("--out")
        .arg(out)
        .args(["-j", "1"])
        .args(layout.args())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn nianbao")
}

/// Waits until `cond` holds (panics after 60 s).
fn wait_for(what: &str, cond: impl Fn() -> bool) {
    let start = Instant::now();
    while !cond() {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "waited for {what}"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// The temporary directories of runs writing `out`.
fn temp_dirs(out: &Path) -> usize {
    let prefix = format!(
        ".{}.nianbao-tmp-",
        out.file_name().unwrap().to_string_lossy()
    );
    std::fs::read_dir(out.parent().unwrap())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.file_name().to_string_lossy().starts_with(&prefix))
        })
        .count()
}

nbtest!(
    killed_run_leaves_output_and_next_run_recovers,
    |dir, layout| {
        let small = corpus(&dir, "small", 2);
        let big = corpus(&dir, "big", 200);
        let out = dir.path().join("out");
        layout.build(&small, &out, &[]).assert_success();
        let before = csv_bytes(&out);
        let mut child = spawn_build(&big, &out, layout);
        // Killed once it has started writing.
        wait_for("the temporary directory", || temp_dirs(&out) > 0);
        std::thread::sleep(Duration::from_millis(300));
        child.kill().expect("kill");
        let status = child.wait().expect("wait");
        assert!(!status.success(), "the run finished before it was killed");
        assert_eq!(csv_bytes(&out), before, "output changed by a killed run");
        // The lock of the dead run is stale; its temporary directory is garbage.
        let next = layout.build(&big, &out, &[]);
        next.assert_success();
        let stderr = String::from_utf8_lossy(&next.output.stderr);
        assert!(stderr.contains("stale lock"), "{stderr}");
        assert_eq!(temp_dirs(&out), 0);
        // The small corpus's files are the big one's first copy and its yearless files.
        let (reused, total) = (file_count(&small), file_count(&big));
        assert_eq!(
            files_counts(&next),
            format!("reused {reused}, parsed {}, removed 0", total - reused)
        );
        let full = layout.build(&big, &dir.path().join("full"), &["--full"]);
        full.assert_success();
        assert_same_csv(&out, &full.out);
    }
);

nbtest!(second_concurrent_run_is_refused, |dir| {
    let big = corpus(&dir, "big", 200);
    let out = dir.path().join("out");
    let lock = dir.path().join(".out.nianbao.lock");
    let mut child = spawn_build(&big, &out, Layout::Single);
    wait_for("the lock file", || lock.exists());
    let second = util::build(&big, &out, &[]);
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(second.output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&second.output.stderr);
    assert!(
        stderr.contains("another nianbao run") && stderr.contains("lock"),
        "{stderr}"
    );
});

nbtest!(partitioned_layout_and_manifest, |dir| {
    let corpus = corpus(&dir, "c", 2);
    let n = file_count(&corpus);
    let out = dir.path().join("out");
    let single = Layout::Single.build(&corpus, &dir.path().join("single"), &[]);
    single.assert_success();
    let part = Layout::Partitioned.build(&corpus, &out, &[]);
    part.assert_success();
    assert_same_csv(&out, &single.out);
    assert!(out.join("reports/year=2021/part-00000.parquet").is_file());
    let unknown = "year=__HIVE_DEFAULT_PARTITION__/part-00000.parquet";
    for table in ["reports", "findings"] {
        assert!(out.join(table).join(unknown).is_file(), "{table}/{unknown}");
    }
    assert!(!out.join("reports.parquet").exists());
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["layout"], "partitioned");
    assert_eq!(manifest["tables"]["reports"], n);
    assert_eq!(manifest["files"]["parsed"], n);
    // `stats` reads the partitions back as the build did.
    util::succeed(util::nianbao().arg("stats").arg(&out));
    assert_same_csv(&out, &single.out);
    // Switching layout reuses the partitioned rows.
    let back = Layout::Single.build(&corpus, &out, &[]);
    back.assert_success();
    assert_eq!(
        files_counts(&back),
        format!("reused {n}, parsed 0, removed 0")
    );
    assert_same_csv(&out, &single.out);
});

// The corpus of issue 12: good reports, a binary file, an empty file and a page that is
// not a report, built fresh and then again after a new file arrives. Both runs exit 0
// with nothing but nianbao's lines on stderr, even with polars' debug output asked for
// in the environment, and the tables read back with one `reports` row per file.
nbtest!(
    yearless_files_build_fresh_and_incrementally,
    |dir, layout| {
        dir.copy_documents(&util::sample_dir(), "corpus");
        for (name, bytes) in yearless() {
            dir.create_bytes(&format!("corpus/{name}"), &bytes);
        }
        let corpus = dir.path().join("corpus");
        let out = dir.path().join("out");
        let build = |expect: String| {
            let output = util::nianbao()
                .arg("build")
                .arg(&corpus)
                .arg("--out")
                .arg(&out)
                .args(layout.args())
                .env("POLARS_VERBOSE", "1")
                .env("POLARS_LOG_METRICS", "1")
                .output()
                .expect("run nianbao");
            let b = Build {
                output,
                out: out.clone(),
            };
            b.assert_success();
            layout.check_parquet(&out);
            assert_eq!(files_counts(&b), expect);
            let reports = b.rows("reports");
            let n = file_count(&corpus);
            assert_eq!(reports.len(), n, "one reports row per file");
            assert_eq!(
                reports
                    .iter()
                    .filter(|r| util::field(r, "year").is_none())
                    .count(),
                n - 6,
                "the sample reports have a year, the others none"
            );
        };
        build("reused 0, parsed 9, removed 0".into());
        dir.create_bytes("corpus/zz/scan.tif", b"II*\0\x08\0\0\0\xff\xd8\xff\0\0\0");
        build("reused 9, parsed 1, removed 0".into());
    }
);

nbtest!(shards_merged_equal_a_single_run, |dir, layout| {
    let corpus = corpus(&dir, "c", 5);
    let n = file_count(&corpus);
    let single = layout.build(&corpus, &dir.path().join("single"), &[]);
    single.assert_success();
    let mut shards = Vec::new();
    for i in 0..3 {
        let out = dir.path().join(format!("shard{i}"));
        // One shard in the other layout: a merge takes shards of either.
        let shard_layout = match (i, layout) {
            (1, Layout::Single) => Layout::Partitioned,
            (1, Layout::Partitioned) => Layout::Single,
            _ => layout,
        };
        shard_layout
            .build(&corpus, &out, &["--shard", &format!("{i}/3")])
            .assert_success();
        shards.push(out);
    }
    let merged = dir.path().join("merged");
    let merge = util::succeed(
        util::nianbao()
            .arg("merge")
            .args(&shards)
            .arg("--out")
            .arg(&merged)
            .args(layout.args()),
    );
    let stderr = String::from_utf8_lossy(&merge.stderr);
    assert!(util::foreign_stderr(&stderr).is_empty(), "{stderr}");
    layout.check_parquet(&merged);
    assert_same_csv(&merged, &single.out);
    // Overlapping inputs are refused.
    let overlap = util::nianbao()
        .arg("merge")
        .arg(&shards[0])
        .arg(&shards[0])
        .arg("--out")
        .arg(dir.path().join("bad"))
        .output()
        .unwrap();
    assert_eq!(overlap.status.code(), Some(2));
    // A merged output is a valid base for an incremental build.
    let next = layout.build(&corpus, &merged, &[]);
    next.assert_success();
    assert_eq!(
        files_counts(&next),
        format!("reused {n}, parsed 0, removed 0")
    );
});

// An output directory below a `key=value` directory: only the directories nianbao writes
// are partitions, so `year=1999` above the output is not read as every report's year.
nbtest!(key_value_directories_above_the_output, |dir, layout| {
    dir.copy_documents(&util::sample_dir(), "corpus");
    let out = dir.path().join("year=1999/out");
    std::fs::create_dir_all(out.parent().unwrap()).unwrap();
    let b = layout.build(&dir.path().join("corpus"), &out, &[]);
    b.assert_success();
    for table in ["report_groups", "aggregates"] {
        let rows = b.rows(table);
        assert!(!rows.is_empty(), "{table}");
        for row in rows {
            let year = util::field(&row, "year")
                .or_else(|| util::field(&row, "group_id").and_then(|g| g.split('/').next()));
            assert_ne!(year, Some("1999"), "{table}: {row:?}");
        }
    }
});

/// `nianbao build` into `out` with `--formats formats` and the layout's argument.
fn build_with(corpus: &Path, out: &Path, layout: Layout, formats: &str, extra: &[&str]) -> Build {
    let output = util::nianbao()
        .arg("build")
        .arg(corpus)
        .arg("--out")
        .arg(out)
        .args(layout.args())
        .args(["--formats", formats])
        .args(extra)
        .output()
        .expect("run nianbao");
    let b = Build {
        output,
        out: out.to_path_buf(),
    };
    b.assert_success();
    b
}

/// The per-report tables of `out` as nianbao reads them back (Parquet when written).
fn frames(out: &Path) -> Vec<polars::prelude::DataFrame> {
    TABLES[..6]
        .iter()
        .map(|t| {
            nianbao::dataset::scan(out, t)
                .and_then(|lf| nianbao::dataset::run(lf, t))
                .unwrap_or_else(|e| panic!("{}: {t}: {e}", out.display()))
        })
        .collect()
}

/// Every table file of `out` that exists (CSV bytes, Parquet contents) equals a full
/// build's of the same corpus with the same formats.
fn assert_same_as_full(dir: &Dir, corpus: &Path, out: &Path, layout: Layout, formats: &str) {
    let full = dir.path().join("full");
    let _ = std::fs::remove_dir_all(&full);
    build_with(corpus, &full, layout, formats, &["--full"]);
    let what = format!("{formats}, {}", layout.name());
    assert_tables_equal(out, &full, &TABLES[..6], formats, &what);
}

/// Tables `tables` of `out` equal those of `full`, a full build with `formats`: the same
/// CSV files byte for byte, the same Parquet contents.
fn assert_tables_equal(out: &Path, full: &Path, tables: &[&str], formats: &str, what: &str) {
    for t in tables {
        let name = format!("{t}.csv");
        let (a, b) = (out.join(&name), full.join(&name));
        assert_eq!(a.exists(), b.exists(), "{name}");
        if a.exists() {
            assert!(
                std::fs::read(&a).unwrap() == std::fs::read(&b).unwrap(),
                "{name} differs from a full build ({what})"
            );
        }
        if formats.contains("parquet") {
            let read = |d: &Path| {
                nianbao::dataset::scan(d, t)
                    .and_then(|lf| nianbao::dataset::run(lf, t))
                    .unwrap_or_else(|e| panic!("{}: {t}: {e}", d.display()))
            };
            let (x, y) = (read(out), read(full));
            assert!(
                x.equals_missing(&y),
                "{t}: Parquet differs from a full build ({what})\n{x}\n{y}"
            );
        }
    }
}

/// When each Parquet file of the per-report tables of `out` was last written (a linked
/// file keeps its time; the tables across reports are always computed anew).
fn parquet_times(out: &Path) -> std::collections::BTreeMap<PathBuf, std::time::SystemTime> {
    walk(out)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "parquet"))
        .filter(|p| {
            let rel = p.strip_prefix(out).unwrap().to_string_lossy().into_owned();
            TABLES[..6]
                .iter()
                .any(|t| rel.starts_with(&format!("{t}/")) || rel == format!("{t}.parquet"))
        })
        .map(|p| {
            let t = std::fs::metadata(&p).unwrap().modified().unwrap();
            (p.strip_prefix(out).unwrap().to_path_buf(), t)
        })
        .collect()
}

/// When each CSV file of the per-report tables of `out` was last written (a file that
/// would hold the previous file's bytes is linked, and keeps its time).
fn csv_times(out: &Path) -> std::collections::BTreeMap<String, std::time::SystemTime> {
    TABLES[..6]
        .iter()
        .filter_map(|t| {
            let name = format!("{t}.csv");
            let time = std::fs::metadata(out.join(&name)).ok()?.modified().ok()?;
            Some((name, time))
        })
        .collect()
}

// Nightly pattern (issue 14): unchanged rows are reused by reference (CSV bytes copied,
// untouched Parquet partitions linked as they are), and after every kind of change the
// output equals a full build's, for every format set and both layouts.
nbtest!(
    incremental_by_reference_equals_a_full_build,
    |dir, layout| {
        for formats in ["csv,parquet", "parquet", "csv"] {
            let corpus = dir.path().join(format!("c-{}", formats.replace(',', "-")));
            let _ = std::fs::remove_dir_all(&corpus);
            let rel = corpus.file_name().unwrap().to_string_lossy().into_owned();
            let root = self::corpus(&dir, &rel, 3);
            assert_eq!(root, corpus);
            let out = dir.path().join(format!("out-{rel}"));
            let run = |expect: &str| {
                let b = build_with(&corpus, &out, layout, formats, &[]);
                assert_eq!(files_counts(&b), expect, "{formats}");
                assert_same_as_full(&dir, &corpus, &out, layout, formats);
            };
            let n = file_count(&corpus);
            run(&format!("reused 0, parsed {n}, removed 0"));
            let before = parquet_times(&out);
            let csv_before = csv_times(&out);
            std::thread::sleep(Duration::from_millis(20));
            run(&format!("reused {n}, parsed 0, removed 0"));
            // Nothing changed: every Parquet and CSV file is the previous one.
            assert_eq!(parquet_times(&out), before, "{formats}");
            assert_eq!(csv_times(&out), csv_before, "{formats}");

            // New reports of one year only, sorted among the others and after them.
            let report = std::fs::read(corpus.join("0/pipe_2021.txt")).unwrap();
            for name in ["0/pipe_2021b.txt", "zz/new_2021.txt"] {
                let mut bytes = report.clone();
                bytes.extend_from_slice(format!("\n{name}\n").as_bytes());
                dir.create_bytes(&format!("{rel}/{name}"), &bytes);
            }
            std::thread::sleep(Duration::from_millis(20));
            run(&format!("reused {n}, parsed 2, removed 0"));
            let after = parquet_times(&out);
            let csv_after = csv_times(&out);
            if formats.contains("csv") {
                assert_ne!(csv_after.get("reports.csv"), csv_before.get("reports.csv"));
            }
            if layout == Layout::Partitioned && formats.contains("parquet") {
                // The new reports' year (the sample file's name is not its report's year).
                let reports = &frames(&out)[0];
                let paths = nianbao::dataset::strings(reports, "source_path").unwrap();
                let years = nianbao::dataset::integers(reports, "year").unwrap();
                let at = paths
                    .iter()
                    .position(|p| *p == Some("0/pipe_2021b.txt"))
                    .expect("the new report's row");
                let partition = format!("year={}", years[at].expect("a year"));
                for (path, time) in &before {
                    let new_year = path.to_string_lossy().contains(&partition);
                    let reports_or_applications = ["reports/", "applications/"]
                        .iter()
                        .any(|t| path.to_string_lossy().starts_with(t));
                    if new_year && reports_or_applications {
                        assert_ne!(
                            after.get(path),
                            Some(time),
                            "{} rewritten ({formats})",
                            path.display()
                        );
                    } else if !new_year {
                        assert_eq!(after.get(path), Some(time), "{} linked", path.display());
                    }
                }
            }

            // A changed report, a deleted one in the middle and one at the end of the corpus
            // order, and a report whose year moved.
            let changed = corpus.join("0/gbk_2019.txt");
            let mut bytes = std::fs::read(&changed).unwrap();
            bytes.extend_from_slice(b"\n\xb8\xbd\xd7\xa2\n");
            std::fs::write(&changed, bytes).unwrap();
            std::fs::remove_file(corpus.join("0/layout_2021.txt")).unwrap();
            std::fs::remove_file(corpus.join("zz/new_2021.txt")).unwrap();
            run(&format!("reused {}, parsed 1, removed 2", n - 1));

            // A state written before CSV bytes were recorded: rows come from Parquet again
            // (or, CSV alone, every file is parsed).
            let state_path = out.join("state.json");
            let mut state: serde_json::Value =
                serde_json::from_slice(&std::fs::read(&state_path).unwrap()).unwrap();
            for file in state["files"].as_array_mut().unwrap() {
                for report in file["reports"].as_array_mut().unwrap() {
                    report.as_object_mut().unwrap().remove("csv_bytes");
                }
            }
            std::fs::write(&state_path, serde_json::to_vec(&state).unwrap()).unwrap();
            let m = file_count(&corpus);
            if formats == "csv" {
                run(&format!("reused 0, parsed {m}, removed 0"));
            } else {
                run(&format!("reused {m}, parsed 0, removed 0"));
            }
            // That run recorded the CSV bytes again, so the next one copies by reference.
            let before = parquet_times(&out);
            std::thread::sleep(Duration::from_millis(20));
            run(&format!("reused {m}, parsed 0, removed 0"));
            assert_eq!(parquet_times(&out), before, "{formats}: linked again");
            // A CSV file that is not what the state says (edited by hand): not copied.
            if formats.contains("csv") {
                let path = out.join("findings.csv");
                let mut text = std::fs::read(&path).unwrap();
                text.extend_from_slice(b"extra\n");
                std::fs::write(&path, text).unwrap();
                let expect = if formats == "csv" {
                    format!("reused 0, parsed {m}, removed 0")
                } else {
                    format!("reused {m}, parsed 0, removed 0")
                };
                run(&expect);
            }
        }
    }
);

// An incremental build whose formats differ from the previous run's: CSV alone after
// both, both after CSV alone (nothing to take Parquet rows from: a full parse).
nbtest!(incremental_across_format_changes, |dir, layout| {
    let corpus = corpus(&dir, "c", 2);
    let n = file_count(&corpus);
    let out = dir.path().join("out");
    for (formats, expect) in [
        ("csv,parquet", format!("reused 0, parsed {n}, removed 0")),
        ("csv", format!("reused {n}, parsed 0, removed 0")),
        ("csv,parquet", format!("reused 0, parsed {n}, removed 0")),
        ("parquet", format!("reused {n}, parsed 0, removed 0")),
        ("csv", format!("reused {n}, parsed 0, removed 0")),
    ] {
        let b = build_with(&corpus, &out, layout, formats, &[]);
        assert_eq!(files_counts(&b), expect, "{formats}");
        assert_same_as_full(&dir, &corpus, &out, layout, formats);
    }
});

// An empty corpus, or one whose reports have no rows in a table, still gives every
// per-report table a Parquet file with its schema in every format set and layout: the
// stages across reports read them, and so do users' `scan_parquet("OUT/NAME/")`.
nbtest!(empty_tables_have_a_parquet_file, |dir, layout| {
    std::fs::create_dir_all(dir.path().join("empty")).unwrap();
    dir.create_bytes("notes/readme.txt", "会议通知\n".as_bytes());
    for corpus in ["empty", "notes"] {
        for formats in ["parquet", "csv,parquet"] {
            let out = dir.path().join(format!("out-{corpus}-{formats}"));
            build_with(&dir.path().join(corpus), &out, layout, formats, &[]);
            let frames = frames(&out);
            assert_eq!(
                frames[0].height(),
                usize::from(corpus == "notes"),
                "{corpus}"
            );
            // procurement: no rows in either corpus.
            assert_eq!(frames[3].height(), 0, "{corpus}");
            if layout == Layout::Partitioned {
                for t in &TABLES[..6] {
                    assert!(out.join(t).is_dir(), "{corpus} {formats}: {t}/");
                }
            }
        }
    }
});

/// When each file of the tables across reports (`TABLES[6..]`) was last written.
fn derived_times(out: &Path) -> Vec<(String, std::time::SystemTime)> {
    TABLES[6..]
        .iter()
        .flat_map(|t| ["parquet", "csv"].map(|ext| format!("{t}.{ext}")))
        .filter_map(|name| {
            let t = std::fs::metadata(out.join(&name)).ok()?.modified().ok()?;
            Some((name, t))
        })
        .collect()
}

/// The tables across reports of `out` equal a full build's with the same formats and
/// `extra` options (CSV bytes, Parquet contents); returns the full build's summary of
/// them (duplicate groups and findings per check).
fn assert_derived_same_as_full(
    dir: &Dir,
    corpus: &Path,
    out: &Path,
    layout: Layout,
    formats: &str,
    extra: &[&str],
) -> String {
    let full = dir.path().join("full-derived");
    let _ = std::fs::remove_dir_all(&full);
    let mut args = vec!["--full"];
    args.extend_from_slice(extra);
    let b = build_with(corpus, &full, layout, formats, &args);
    let what = format!("{formats} {extra:?}, {}", layout.name());
    assert_tables_equal(out, &full, &TABLES[6..], formats, &what);
    derived_summary(&b)
}

/// The part of a run's summary line about the tables across reports.
fn derived_summary(b: &Build) -> String {
    let stderr = String::from_utf8_lossy(&b.output.stderr);
    let line = stderr
        .lines()
        .find(|l| l.contains("; duplicates: "))
        .unwrap();
    line.split("; duplicates: ").nth(1).unwrap().to_string()
}

/// A synthetic panel of 60 reports over three years with defects, in `corpus`: agencies
/// with neighbouring years and duplicates, for the tables across reports.
fn synth_panel(corpus: &Path) {
    util::succeed(
        util::nianbao()
            .args(["synth", "--out"])
            .arg(corpus)
            .args(["--reports", "60", "--seed", "5", "--panel-years", "3"])
            .args(["--defect-rate", "0.3"]),
    );
}

// A night on which no file changed links the previous tables across reports instead of
// computing them again (issue 14). They equal a full build's, and are computed again
// whenever that could give something else: a changed file, other thresholds, or `stats`
// having rewritten them with other thresholds.
nbtest!(
    an_unchanged_corpus_reuses_the_tables_across_reports,
    |dir, layout| {
        let corpus = dir.path().join("panel");
        synth_panel(&corpus);
        let low = ["--jump-factor", "1.01", "--jump-floor", "0"];
        for formats in ["csv,parquet", "parquet", "csv"] {
            let out = dir
                .path()
                .join(format!("out-{}", formats.replace(',', "-")));
            let build = |extra: &[&str]| {
                std::thread::sleep(Duration::from_millis(20));
                let b = build_with(&corpus, &out, layout, formats, extra);
                let full = assert_derived_same_as_full(&dir, &corpus, &out, layout, formats, extra);
                assert_eq!(derived_summary(&b), full, "{formats} {extra:?}");
                derived_times(&out)
            };
            let first = build(&[]);
            assert_eq!(first.len(), 3 * formats.split(',').count());
            // Nothing changed: the same files.
            assert_eq!(build(&[]), first, "{formats}: reused");
            // Other thresholds: computed again, and again when they are back.
            let low_times = build(&low);
            assert!(low_times.iter().all(|t| !first.contains(t)), "{formats}");
            let back = build(&[]);
            assert!(back.iter().all(|t| !low_times.contains(t)), "{formats}");
            // `stats` with other thresholds: a build with them reuses its tables, one
            // without recomputes them.
            std::thread::sleep(Duration::from_millis(20));
            util::succeed(util::nianbao().arg("stats").arg(&out).args(low));
            let by_stats = derived_times(&out);
            assert!(by_stats.iter().all(|t| !back.contains(t)), "{formats}");
            assert_eq!(build(&low), by_stats, "{formats}: stats' tables reused");
            let after_stats = build(&[]);
            assert!(
                after_stats.iter().all(|t| !by_stats.contains(t)),
                "{formats}"
            );
            // A changed file: computed again.
            let changed = walk(&corpus)
                .into_iter()
                .find(|p| p.extension().is_some_and(|e| e == "txt"))
                .unwrap();
            let mut bytes = std::fs::read(&changed).unwrap();
            bytes.extend_from_slice(format!("\n{formats}\n").as_bytes());
            std::fs::write(&changed, bytes).unwrap();
            let after_change = build(&[]);
            assert!(
                after_change.iter().all(|t| !after_stats.contains(t)),
                "{formats}"
            );
        }
    }
);

// The tables across reports of an incremental build are computed only for what its
// parsed and removed files touch, the rest taken from the previous output's memo
// (`derive_memo.*.bin`, issue 14): after every kind of change they equal a full build's,
// in every format set and both layouts, and a memo that cannot be read is recomputed.
nbtest!(
    incremental_tables_across_reports_equal_a_full_build,
    |dir, layout| {
        for formats in ["csv,parquet", "parquet", "csv"] {
            let corpus = dir
                .path()
                .join(format!("panel-{}", formats.replace(',', "-")));
            synth_panel(&corpus);
            // Files that are no report: an empty one and a binary one.
            std::fs::create_dir_all(corpus.join("zz")).unwrap();
            std::fs::write(corpus.join("zz/empty.txt"), b"").unwrap();
            let blob: Vec<u8> = (0..4096u32).map(|i| (i * 7919 % 251) as u8).collect();
            std::fs::write(corpus.join("zz/blob.pdf"), &blob).unwrap();
            let out = dir
                .path()
                .join(format!("out-{}", formats.replace(',', "-")));
            let texts = || -> Vec<PathBuf> {
                let mut t: Vec<PathBuf> = walk(&corpus)
                    .into_iter()
                    .filter(|p| p.extension().is_some_and(|e| e == "txt"))
                    .filter(|p| !p.starts_with(corpus.join("zz")))
                    .collect();
                t.sort();
                t
            };
            let build = |what: &str| {
                std::thread::sleep(Duration::from_millis(20));
                let b = build_with(&corpus, &out, layout, formats, &[]);
                let full = assert_derived_same_as_full(&dir, &corpus, &out, layout, formats, &[]);
                assert_eq!(derived_summary(&b), full, "{formats}: {what}");
                for memo in ["derive_memo.reports.bin", "derive_memo.pairs.bin"] {
                    assert!(out.join(memo).is_file(), "{formats}: {what}");
                }
                b
            };
            build("first build");
            let (a, b, c) = {
                let t = texts();
                (t[0].clone(), t[1].clone(), t[2].clone())
            };
            // A copy of A elsewhere (same bytes), and a second file of B's report with one
            // number read differently: new groups and pairs among reports that stand.
            std::fs::create_dir_all(corpus.join("copies")).unwrap();
            std::fs::copy(&a, corpus.join("copies/a.txt")).unwrap();
            let text = std::fs::read_to_string(&b).unwrap();
            let at = text.rfind(|ch: char| ('1'..='8').contains(&ch)).unwrap();
            let bumped = (text.as_bytes()[at] + 1) as char;
            let other = format!("{}{bumped}{}", &text[..at], &text[at + 1..]);
            std::fs::write(corpus.join("copies/b-other.txt"), other).unwrap();
            build("a copy and a differing file added");
            // C changed: a new report id for its path.
            let mut bytes = std::fs::read(&c).unwrap();
            bytes.extend_from_slice(b"\n\xe9\x99\x84\xe4\xbb\xb6\n");
            std::fs::write(&c, bytes).unwrap();
            build("a file changed");
            // B removed: its group has another primary, its pairs are new.
            std::fs::remove_file(&b).unwrap();
            build("a primary removed");
            // A's copy removed, and a file renamed (same bytes, other path).
            std::fs::remove_file(corpus.join("copies/a.txt")).unwrap();
            let d = texts()[3].clone();
            std::fs::rename(&d, d.with_file_name("renamed.txt")).unwrap();
            build("a copy removed and a file renamed");
            // The binary file changed and the empty one removed.
            std::fs::write(corpus.join("zz/blob.pdf"), &blob[..1000]).unwrap();
            std::fs::remove_file(corpus.join("zz/empty.txt")).unwrap();
            build("a binary file changed and an empty one removed");
            // Nothing changed: the tables and the memo are the previous ones.
            build("nothing changed");
            // A memo that cannot be read: everything recomputed.
            std::fs::write(out.join("derive_memo.pairs.bin"), b"not parquet").unwrap();
            std::fs::write(corpus.join("copies/b-other.txt"), "二〇二一年 报告\n").unwrap();
            build("an unreadable memo");
        }
    }
);
