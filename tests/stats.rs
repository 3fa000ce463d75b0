//! Across reports (issue "From tables to published statistics"): report groups and their
//! primaries, cross-report findings (duplicates that disagree, broken continuity), the
//! `aggregates` table, `nianbao stats`, `nianbao report` (rendered in headless Chromium
//! when it is installed) and the Python example that reproduces published figures.
//!
//! The corpus is `nianbao synth --panel-years 3`: the same agencies over consecutive
//! years, some reports also published as a second file (same values, another format), a
//! re-scrape with one value changed, and reports whose 上年结转 breaks continuity with the
//! year before — all recorded in the truth files, which are the oracle here.

use crate::util::{self, field, nianbao, Dir, Row};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// Document path (relative, `/`) → its truth.
fn truths(corpus: &Path) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    for entry in walkdir::WalkDir::new(corpus) {
        let entry = entry.expect("walk corpus");
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(stem) = name.strip_suffix(".gold.json") else {
            continue;
        };
        let dir = entry.path().parent().expect("parent");
        let doc = std::fs::read_dir(dir)
            .expect("read dir")
            .map(|e| e.expect("entry").path())
            .find(|p| {
                p.file_stem().is_some_and(|s| s.to_string_lossy() == stem)
                    && !p.to_string_lossy().ends_with(".gold.json")
            })
            .unwrap_or_else(|| panic!("no document for {name}"));
        let rel = doc
            .strip_prefix(corpus)
            .expect("under corpus")
            .to_string_lossy()
            .replace('\\', "/");
        let truth: Value =
            serde_json::from_slice(&std::fs::read(entry.path()).expect("read truth"))
                .expect("json");
        out.insert(rel, truth);
    }
    out
}

fn has(truth: &Value, key: &str, value: &str) -> bool {
    truth[key]
        .as_array()
        .is_some_and(|a| a.iter().any(|v| v == value))
}

fn synth_panel(dir: &Dir, reports: u64, seed: u64) -> PathBuf {
    let corpus = dir.path().join("corpus");
    util::succeed(
        nianbao()
            .args(["synth", "--out"])
            .arg(&corpus)
            .args(["--reports", &reports.to_string()])
            .args(["--seed", &seed.to_string()])
            .args(["--panel-years", "3", "--defect-rate", "0.3"]),
    );
    corpus
}

fn by_path(rows: &[Row]) -> HashMap<&str, &Row> {
    rows.iter()
        .map(|r| (field(r, "source_path").expect("source_path"), r))
        .collect()
}

fn int(row: &Row, column: &str) -> i64 {
    field(row, column).map_or(0, |v| v.parse().expect("integer"))
}

nbtest!(groups_continuity_and_aggregates_match_the_truth, |dir| {
    let corpus = synth_panel(&dir, 150, 5);
    let truth = truths(&corpus);
    let b = util::build(&corpus, &dir.path().join("out"), &[]);
    b.assert_success();
    let groups = b.rows("report_groups");
    let cross = b.rows("cross_findings");
    let aggregates = b.rows("aggregates");
    let g = by_path(&groups);
    assert_eq!(groups.len(), truth.len(), "one report_groups row per file");

    // The files of one agency and year are one group, with exactly one primary.
    let key = |t: &Value| {
        (
            t["panel_agency"].as_u64().expect("panel_agency"),
            t["year"].as_i64(),
        )
    };
    let mut expected: BTreeMap<_, BTreeSet<&str>> = BTreeMap::new();
    for (path, t) in &truth {
        expected.entry(key(t)).or_default().insert(path.as_str());
    }
    let mut duplicates = 0;
    for files in expected.values() {
        let ids: BTreeSet<&str> = files
            .iter()
            .map(|p| field(g[p], "group_id").expect("in a group"))
            .collect();
        assert_eq!(ids.len(), 1, "{files:?} are one report: {ids:?}");
        let primaries = files
            .iter()
            .filter(|p| field(g[*p], "is_primary") == Some("true"))
            .count();
        assert_eq!(primaries, 1, "{files:?}");
        duplicates += usize::from(files.len() > 1);
    }
    let group_ids: BTreeSet<&str> = groups.iter().filter_map(|r| field(r, "group_id")).collect();
    assert_eq!(group_ids.len(), expected.len(), "no two reports merged");
    assert!(duplicates >= 3, "the corpus has duplicates ({duplicates})");

    // Broken continuity: flagged on the report that breaks it and on the year before,
    // and nowhere else (every other consecutive pair carries its requests over exactly).
    let flagged = |check: &str, row: Option<&str>| -> BTreeSet<String> {
        cross
            .iter()
            .filter(|r| field(r, "check") == Some(check))
            .filter(|r| row.is_none() || field(r, "row") == row)
            .map(|r| field(r, "source_path").expect("path").to_string())
            .collect()
    };
    let broken: BTreeSet<String> = truth
        .iter()
        .filter(|(_, t)| has(t, "defects", "broken_continuity"))
        .map(|(p, _)| p.clone())
        .collect();
    assert!(!broken.is_empty(), "the corpus breaks continuity somewhere");
    assert_eq!(flagged("continuity_mismatch", Some("carried_over")), broken);
    let before = flagged("continuity_mismatch", Some("carried_forward"));
    assert_eq!(before.len(), broken.len());
    for path in &before {
        let t = &truth[path];
        assert!(
            broken
                .iter()
                .any(|b| key(&truth[b]) == (key(t).0, t["year"].as_i64().map(|y| y + 1))),
            "{path} is flagged but the year after it is not broken"
        );
    }

    // A re-scrape with a changed value: the disagreement is a finding on both files.
    let differing = flagged("duplicate_values_differ", None);
    for (path, t) in &truth {
        if has(t, "expect_cross", "duplicate_values_differ") {
            assert!(
                differing.contains(path),
                "{path} differs from its duplicate"
            );
        }
    }
    for path in &differing {
        let k = key(&truth[path]);
        assert!(
            truth
                .iter()
                .any(|(_, t)| key(t) == k && has(t, "defects", "duplicate_differs")),
            "{path} flagged without a differing duplicate"
        );
    }

    // Aggregates: national figures per year equal the true values of the primaries whose
    // section 三 was read complete (the others are flagged, and counted as not covered).
    let lost: BTreeSet<String> = b
        .rows("findings")
        .iter()
        .filter(|r| {
            field(r, "table") == Some("applications")
                && (field(r, "severity") == Some("error")
                    || nianbao::aggregate::LOSS_CHECKS.contains(&field(r, "check").unwrap_or("")))
        })
        .filter_map(|r| field(r, "report_id").map(str::to_string))
        .collect();
    let mut want: BTreeMap<i64, [i64; 3]> = BTreeMap::new();
    let mut complete: i64 = 0;
    for (path, t) in &truth {
        let row = g[path.as_str()];
        if field(row, "is_primary") != Some("true")
            || lost.contains(field(row, "report_id").expect("id"))
        {
            continue;
        }
        complete += 1;
        let cell = |key: &str| t["applications"][key].as_i64().unwrap_or(0);
        let e = want.entry(t["year"].as_i64().expect("year")).or_default();
        e[0] += cell("new_received.total");
        e[1] += cell("total_processed.total");
        e[2] += cell("granted.total");
    }
    let mut got: BTreeMap<i64, [i64; 3]> = BTreeMap::new();
    let (mut reports, mut covered) = (0, 0);
    for r in &aggregates {
        let e = got.entry(int(r, "year")).or_default();
        e[0] += int(r, "new_received");
        e[1] += int(r, "processed");
        e[2] += int(r, "granted");
        reports += int(r, "reports");
        covered += int(r, "applications_coverage");
        if int(r, "applications_coverage") == 0 {
            assert_eq!(
                field(r, "new_received"),
                None,
                "no complete table: unknown, not 0"
            );
        }
    }
    assert_eq!(got, want);
    assert_eq!(reports as usize, expected.len(), "each report counted once");
    assert_eq!(covered, complete);
    assert!(
        complete * 10 >= expected.len() as i64 * 8,
        "{complete} of {} complete",
        expected.len()
    );
    let distinct = |column: &str| -> BTreeSet<&str> {
        aggregates.iter().filter_map(|r| field(r, column)).collect()
    };
    assert!(
        distinct("province").len() >= 5,
        "{:?}",
        distinct("province")
    );
    assert!(distinct("level").len() >= 2, "{:?}", distinct("level"));
    assert!(
        distinct("agency_kind").len() >= 4,
        "{:?}",
        distinct("agency_kind")
    );

    // `nianbao stats` recomputes the same tables; other thresholds change the jumps only.
    let before_bytes: Vec<Vec<u8>> = ["report_groups", "cross_findings", "aggregates"]
        .iter()
        .map(|t| std::fs::read(b.out.join(format!("{t}.csv"))).expect("read"))
        .collect();
    let stats = |extra: &[&str]| {
        util::succeed(nianbao().arg("stats").arg(&b.out).args(extra));
    };
    stats(&[]);
    for (t, bytes) in ["report_groups", "cross_findings", "aggregates"]
        .iter()
        .zip(&before_bytes)
    {
        let now = std::fs::read(b.out.join(format!("{t}.csv"))).expect("read");
        assert!(now == *bytes, "{t} changed on recomputation");
    }
    stats(&["--jump-factor", "1.01", "--jump-floor", "0"]);
    let jumps = util::read_csv(&b.out.join("cross_findings.csv"))
        .iter()
        .filter(|r| field(r, "check") == Some("year_on_year_jump"))
        .count();
    assert!(jumps > 0, "a 1% threshold flags year-to-year changes");
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(b.out.join("manifest.json")).expect("manifest"))
            .expect("json");
    assert_eq!(
        manifest["tables"]["cross_findings"].as_u64(),
        Some(util::read_csv(&b.out.join("cross_findings.csv")).len() as u64)
    );
    let bad = nianbao()
        .arg("stats")
        .arg(&b.out)
        .args(["--jump-factor", "0.5"])
        .output()
        .expect("run stats");
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--jump-factor"));
});

nbtest!(the_report_renders_and_the_example_reproduces_it, |dir| {
    let corpus = synth_panel(&dir, 60, 9);
    let b = util::build(&corpus, &dir.path().join("out"), &[]);
    b.assert_success();
    let site = dir.path().join("site");
    util::succeed(nianbao().arg("report").arg(&b.out).arg("--out").arg(&site));
    let html = std::fs::read_to_string(site.join("index.html")).expect("index.html");
    let md = std::fs::read_to_string(site.join("report.md")).expect("report.md");
    let charts: Vec<PathBuf> = std::fs::read_dir(site.join("charts"))
        .expect("charts")
        .map(|e| e.expect("entry").path())
        .collect();
    assert!(charts.len() >= 8, "{charts:?}");
    assert_eq!(
        html.matches("<svg").count(),
        charts.len(),
        "every chart inline"
    );
    for section in [
        "National trends",
        "Provinces compared",
        "Agency kinds compared",
        "Data quality",
    ] {
        assert!(html.contains(section) && md.contains(section), "{section}");
    }
    for chart in &charts {
        let stem = chart.file_stem().expect("stem").to_string_lossy();
        assert!(md.contains(&format!("charts/{stem}.svg")), "{stem} linked");
    }
    for text in [&html, &md] {
        for bad in ["NaN", ">inf", "\"inf", "-inf", " inf%", "| inf"] {
            assert!(!text.contains(bad), "{bad} printed");
        }
    }
    for fetch in ["src=\"http", "href=\"http", "url(http", "<script", "<link"] {
        assert!(!html.contains(fetch), "self-contained: {fetch}");
    }

    // The national received figure of the report is the aggregates' sum.
    let aggregates = b.rows("aggregates");
    let total: i64 = aggregates.iter().map(|r| int(r, "new_received")).sum();
    let printed: i64 = html
        .split("<section id=\"national\">")
        .nth(1)
        .expect("national section")
        .split("<tbody>")
        .nth(1)
        .expect("table")
        .split("</tbody>")
        .next()
        .expect("rows")
        .split("<tr>")
        .skip(1)
        .map(|row| {
            let cells: Vec<&str> = row
                .split("<td>")
                .skip(1)
                .map(|c| c.split("</td>").next().unwrap_or(""))
                .collect();
            cells[4].replace(',', "").parse::<i64>().unwrap_or(0)
        })
        .sum();
    assert_eq!(printed, total);

    // A site directory holding other files is not overwritten.
    let foreign = dir.path().join("foreign");
    std::fs::create_dir_all(&foreign).expect("mkdir");
    std::fs::write(foreign.join("notes.txt"), "mine").expect("write");
    let refused = nianbao()
        .arg("report")
        .arg(&b.out)
        .arg("--out")
        .arg(&foreign)
        .output()
        .expect("run report");
    assert_eq!(refused.status.code(), Some(2));
    assert!(foreign.join("notes.txt").is_file());

    // In a real browser: Chromium lays the page out and draws the charts.
    match chromium() {
        Some(browser) => render_in_chromium(&browser, &site, dir.path()),
        None => util::skip("the browser check of nianbao report", "no chromium on PATH"),
    }

    // The Python example reproduces two published figures with polars and DuckDB.
    if python_with(&["polars", "duckdb"]) {
        let run = std::process::Command::new("python3")
            .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/reproduce.py"))
            .arg(&b.out)
            .output()
            .expect("run python3");
        assert!(
            run.status.success(),
            "examples/reproduce.py failed:\n{}\n{}",
            String::from_utf8_lossy(&run.stdout),
            String::from_utf8_lossy(&run.stderr)
        );
        let stdout = String::from_utf8_lossy(&run.stdout);
        assert!(
            stdout.contains("polars:") && stdout.contains("duckdb:"),
            "{stdout}"
        );
    } else {
        util::skip(
            "examples/reproduce.py",
            "python3 with polars and duckdb is not installed",
        );
    }
});

fn python_with(modules: &[&str]) -> bool {
    std::process::Command::new("python3")
        .arg("-c")
        .arg(format!("import {}", modules.join(", ")))
        .output()
        .is_ok_and(|o| o.status.success())
}

fn chromium() -> Option<PathBuf> {
    ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.is_file())
}

/// Headless Chromium with the flags this sandbox needs (no network, no sandbox as root).
fn headless(browser: &Path, profile: &Path) -> std::process::Command {
    let mut c = std::process::Command::new(browser);
    c.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
    ])
    .arg(format!("--user-data-dir={}", profile.display()));
    c
}

fn render_in_chromium(browser: &Path, site: &Path, tmp: &Path) {
    let page = format!("file://{}", site.join("index.html").display());
    // The DOM after layout: every chart is there as SVG with its bars, lines and text.
    let dom = headless(browser, &tmp.join("profile-dom"))
        .arg("--dump-dom")
        .arg(&page)
        .output()
        .expect("run chromium");
    let dom = String::from_utf8_lossy(&dom.stdout);
    assert!(
        dom.contains("<svg"),
        "chromium rendered no SVG:\n{dom:.2000}"
    );
    assert!(dom.contains("National trends"));
    // A screenshot: a blank or failed render compresses to almost nothing.
    let png = tmp.join("report.png");
    let shot = headless(browser, &tmp.join("profile-shot"))
        .arg(format!("--screenshot={}", png.display()))
        .arg("--window-size=1280,2400")
        .arg(&page)
        .output()
        .expect("run chromium");
    assert!(
        png.is_file(),
        "no screenshot: {}",
        String::from_utf8_lossy(&shot.stderr)
    );
    let bytes = std::fs::read(&png).expect("read png");
    assert!(bytes.starts_with(b"\x89PNG"), "not a PNG");
    assert!(
        bytes.len() > 30_000,
        "screenshot is nearly blank ({} bytes)",
        bytes.len()
    );
    if let Some(keep) = std::env::var_os("NIANBAO_KEEP_SCREENSHOT") {
        let _ = std::fs::copy(&png, keep);
    }
}

nbtest!(empty_tables_and_old_outputs, |dir| {
    // Partitioned Parquet only, and nothing but a page that is not a report: every cell
    // table is empty (no partition written), and the tables across reports still are made.
    dir.create("corpus/notice.txt", "关于举办培训班的通知\n各单位：\n");
    let out = dir.path().join("out");
    util::succeed(
        nianbao()
            .arg("build")
            .arg(dir.path().join("corpus"))
            .arg("--out")
            .arg(&out)
            .args(["--layout", "partitioned", "--formats", "parquet"]),
    );
    for table in ["report_groups", "cross_findings", "aggregates"] {
        assert!(out.join(format!("{table}.parquet")).is_file(), "{table}");
    }
    util::succeed(
        nianbao()
            .arg("report")
            .arg(&out)
            .arg("--out")
            .arg(dir.path().join("site")),
    );

    // An output of an older nianbao (no agency columns): a message, not a polars error.
    let old = dir.path().join("old");
    std::fs::create_dir_all(&old).expect("mkdir");
    std::fs::write(
        old.join("reports.csv"),
        "report_id,source_path,format,kind,status,year\nab,a.txt,text,report,ok,2023\n",
    )
    .expect("write");
    let stats = nianbao()
        .arg("stats")
        .arg(&old)
        .output()
        .expect("run stats");
    assert_eq!(stats.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&stats.stderr);
    assert!(stderr.contains("older nianbao"), "{stderr}");
});
