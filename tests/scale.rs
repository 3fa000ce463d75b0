//! Nightly runs at scale: incremental builds (reuse, change, delete, parser bump), a
//! killed run, two runs at once, the partitioned layout and shard + merge.
//! See: issue "Nightly runs at scale".

use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use crate::util::{self, Build, Dir, TABLES};

/// The sample corpus copied under `rel` of `dir`, `copies` times with a distinct last
/// line each, so that every copy has its own hash.
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
    root
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

nbtest!(unchanged_files_are_reused, |dir| {
    let corpus = corpus(&dir, "c", 3);
    let out = dir.path().join("out");
    let first = util::build(&corpus, &out, &[]);
    first.assert_success();
    assert_eq!(files_counts(&first), "reused 0, parsed 18, removed 0");
    let before = csv_bytes(&out);
    let second = util::build(&corpus, &out, &[]);
    second.assert_success();
    assert_eq!(files_counts(&second), "reused 18, parsed 0, removed 0");
    assert_eq!(csv_bytes(&out), before);
    // A touched file (same content, new mtime) is hashed and still reused.
    let touched = corpus.join("0/pipe_2021.txt");
    let bytes = std::fs::read(&touched).unwrap();
    std::thread::sleep(Duration::from_millis(20));
    std::fs::write(&touched, bytes).unwrap();
    let third = util::build(&corpus, &out, &[]);
    assert_eq!(files_counts(&third), "reused 18, parsed 0, removed 0");
    assert_eq!(csv_bytes(&out), before);
});

nbtest!(changed_new_and_deleted_files, |dir| {
    let corpus = corpus(&dir, "c", 3);
    let out = dir.path().join("out");
    util::build(&corpus, &out, &[]).assert_success();
    let changed = corpus.join("0/pipe_2021.txt");
    let mut bytes = std::fs::read(&changed).unwrap();
    bytes.extend_from_slice("\n附注\n".as_bytes());
    std::fs::write(&changed, bytes).unwrap();
    std::fs::remove_file(corpus.join("0/gbk_2019.txt")).unwrap();
    dir.create("c/00-new.txt", "二〇二三年 不是年报\n");
    let second = util::build(&corpus, &out, &[]);
    second.assert_success();
    assert_eq!(files_counts(&second), "reused 16, parsed 2, removed 1");
    let full = util::build(&corpus, &dir.path().join("full"), &["--full"]);
    assert_eq!(files_counts(&full), "reused 0, parsed 18, removed 0");
    assert_same_csv(&out, &full.out);
});

nbtest!(parser_version_bump_reparses_everything, |dir| {
    let corpus = corpus(&dir, "c", 2);
    let out = dir.path().join("out");
    util::build(&corpus, &out, &[]).assert_success();
    let bumped = util::build(&corpus, &out, &["--parser-version-override", "9999"]);
    bumped.assert_success();
    assert_eq!(files_counts(&bumped), "reused 0, parsed 12, removed 0");
    let manifest = std::fs::read_to_string(out.join("manifest.json")).unwrap();
    assert!(manifest.contains("\"parser_version\": 9999"), "{manifest}");
    let again = util::build(&corpus, &out, &["--parser-version-override", "9999"]);
    assert_eq!(files_counts(&again), "reused 12, parsed 0, removed 0");
});

/// Starts a build of `corpus` into `out` in the background.
fn spawn_build(corpus: &Path, out: &Path) -> Child {
    util::nianbao()
        .arg("build")
        .arg(corpus)
        .arg("--out")
        .arg(out)
        .args(["-j", "1"])
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

nbtest!(killed_run_leaves_output_and_next_run_recovers, |dir| {
    let small = corpus(&dir, "small", 2);
    let big = corpus(&dir, "big", 200);
    let out = dir.path().join("out");
    util::build(&small, &out, &[]).assert_success();
    let before = csv_bytes(&out);
    let mut child = spawn_build(&big, &out);
    // Killed once it has started writing.
    wait_for("the temporary directory", || temp_dirs(&out) > 0);
    std::thread::sleep(Duration::from_millis(300));
    child.kill().expect("kill");
    let status = child.wait().expect("wait");
    assert!(!status.success(), "the run finished before it was killed");
    assert_eq!(csv_bytes(&out), before, "output changed by a killed run");
    // The lock of the dead run is stale; its temporary directory is garbage.
    let next = util::build(&big, &out, &[]);
    next.assert_success();
    let stderr = String::from_utf8_lossy(&next.output.stderr);
    assert!(stderr.contains("stale lock"), "{stderr}");
    assert_eq!(temp_dirs(&out), 0);
    assert_eq!(files_counts(&next), "reused 12, parsed 1188, removed 0");
    let full = util::build(&big, &dir.path().join("full"), &["--full"]);
    assert_same_csv(&out, &full.out);
});

nbtest!(second_concurrent_run_is_refused, |dir| {
    let big = corpus(&dir, "big", 200);
    let out = dir.path().join("out");
    let lock = dir.path().join(".out.nianbao.lock");
    let mut child = spawn_build(&big, &out);
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
    let out = dir.path().join("out");
    let single = util::build(&corpus, &dir.path().join("single"), &[]);
    single.assert_success();
    let part = util::build(&corpus, &out, &["--layout", "partitioned"]);
    part.assert_success();
    assert_same_csv(&out, &single.out);
    assert!(out.join("reports/year=2021/part-00000.parquet").is_file());
    assert!(!out.join("reports.parquet").exists());
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["layout"], "partitioned");
    assert_eq!(manifest["tables"]["reports"], 12);
    assert_eq!(manifest["files"]["parsed"], 12);
    // Switching layout reuses the partitioned rows.
    let back = util::build(&corpus, &out, &[]);
    assert_eq!(files_counts(&back), "reused 12, parsed 0, removed 0");
    assert_same_csv(&out, &single.out);
});

nbtest!(shards_merged_equal_a_single_run, |dir| {
    let corpus = corpus(&dir, "c", 5);
    let single = util::build(&corpus, &dir.path().join("single"), &[]);
    single.assert_success();
    let mut shards = Vec::new();
    for i in 0..3 {
        let out = dir.path().join(format!("shard{i}"));
        let layout = if i == 1 { "partitioned" } else { "single" };
        util::build(
            &corpus,
            &out,
            &["--shard", &format!("{i}/3"), "--layout", layout],
        )
        .assert_success();
        shards.push(out);
    }
    let merged = dir.path().join("merged");
    util::succeed(
        util::nianbao()
            .arg("merge")
            .args(&shards)
            .arg("--out")
            .arg(&merged),
    );
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
    let next = util::build(&corpus, &merged, &[]);
    assert_eq!(files_counts(&next), "reused 30, parsed 0, removed 0");
});
