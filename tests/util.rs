//! Test plumbing: a fresh temp dir per test, files written as raw bytes (GBK, UTF-16 …),
//! the built binary run on it, and its CSV tables read back as rows of named fields.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// One row of an output table: column name → field. An empty field is null.
pub type Row = HashMap<String, String>;

/// The tables `nianbao build` writes, in the order the README documents them: the
/// per-report tables, then those computed across reports.
pub const TABLES: [&str; 9] = [
    "reports",
    "applications",
    "proactive",
    "procurement",
    "review_litigation",
    "findings",
    "report_groups",
    "cross_findings",
    "aggregates",
];

/// The shared folder (gold files, contract): `$NIANBAO_SHARED`, else `../shared` beside
/// the crate. `None` when it is not there.
pub fn shared_dir() -> Option<PathBuf> {
    let dir = match std::env::var_os("NIANBAO_SHARED") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"),
    };
    dir.is_dir().then_some(dir)
}

/// True when a missing prerequisite (shared/, pdftotext, Chromium, Python's polars and
/// duckdb) must fail the suite instead of skipping part of it: under CI (env `CI`) and
/// under `scripts/test.sh` (env `NIANBAO_REQUIRE_ALL`), the README's test command.
pub fn required() -> bool {
    std::env::var_os("CI").is_some() || std::env::var_os("NIANBAO_REQUIRE_ALL").is_some()
}

/// Skips part of `test` because `why`, saying so where a person running `cargo test`
/// sees it (written to stderr directly, past the harness's output capture); fails instead
/// when everything is [`required`].
pub fn skip(test: &str, why: &str) {
    use std::io::Write as _;
    if required() {
        panic!("{test}: {why}; scripts/test.sh installs what the suite needs (scripts/setup.sh)");
    }
    let _ = writeln!(
        std::io::stderr(),
        "note: {test}: skipped: {why} (scripts/test.sh installs it and runs everything)"
    );
}

/// Whether `tool` runs; when not, [`skip`]s `test`.
pub fn tool_or_skip(test: &str, tool: &str) -> bool {
    let found = Command::new(tool).arg("-v").output().is_ok();
    if !found {
        skip(test, &format!("{tool} is not installed"));
    }
    found
}

/// The folders of `shared/GROUP/` for each group (`gold`, `pending`), in sorted order; a
/// group that is not there has none.
pub fn shared_folders(shared: &Path, groups: &[&str]) -> Vec<PathBuf> {
    let mut folders: Vec<PathBuf> = groups
        .iter()
        .filter_map(|g| std::fs::read_dir(shared.join(g)).ok())
        .flat_map(|entries| entries.filter_map(Result::ok).map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    folders.sort();
    folders
}

/// Whether `folder` can be read here: a folder holding PDFs needs `pdftotext` (else
/// [`skip`]ped, or a failure when [`required`]).
pub fn folder_readable(folder: &Path) -> bool {
    let holds_pdf = std::fs::read_dir(folder).is_ok_and(|entries| {
        entries.filter_map(Result::ok).any(|e| {
            e.path()
                .extension()
                .is_some_and(|x| x.eq_ignore_ascii_case("pdf"))
        })
    });
    !holds_pdf || tool_or_skip(&folder.display().to_string(), "pdftotext")
}

/// The shared folder, or `None` after saying why the caller skips (a failure when
/// [`required`]: the gold tests must not pass by not running).
pub fn shared_or_skip(test: &str) -> Option<PathBuf> {
    if let Some(dir) = shared_dir() {
        return Some(dir);
    }
    skip(
        test,
        "shared/ not found (set NIANBAO_SHARED or put it at ../shared)",
    );
    None
}

/// The crate's own `data/sample` corpus.
pub fn sample_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample")
}

/// A fresh temporary directory, removed when dropped.
pub struct Dir {
    tmp: tempfile::TempDir,
}

impl Dir {
    /// A new empty directory; `name` (the test's) makes leftovers easy to recognise.
    pub fn new(name: &str) -> Dir {
        let tmp = tempfile::Builder::new()
            .prefix(&format!("nianbao-{name}-"))
            .tempdir()
            .expect("create temp dir");
        Dir { tmp }
    }

    /// The directory's path.
    pub fn path(&self) -> &Path {
        self.tmp.path()
    }

    /// Writes raw bytes to `rel` (creating parent dirs) and returns the full path.
    pub fn create_bytes(&self, rel: &str, bytes: &[u8]) -> PathBuf {
        let path = self.path().join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create parent dir");
        }
        std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
        path
    }

    /// Writes UTF-8 text to `rel`.
    pub fn create(&self, rel: &str, text: &str) -> PathBuf {
        self.create_bytes(rel, text.as_bytes())
    }

    /// Copies every document (non-`.json` file) of `from` into `rel`; returns their names.
    pub fn copy_documents(&self, from: &Path, rel: &str) -> Vec<String> {
        let mut names = Vec::new();
        for entry in
            std::fs::read_dir(from).unwrap_or_else(|e| panic!("read {}: {e}", from.display()))
        {
            let path = entry.expect("dir entry").path();
            let name = path
                .file_name()
                .expect("file name")
                .to_string_lossy()
                .into_owned();
            if path.is_file() && is_document(&name) {
                let bytes =
                    std::fs::read(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
                self.create_bytes(&format!("{rel}/{name}"), &bytes);
                names.push(name);
            }
        }
        names.sort();
        names
    }
}

/// True for the files a gold folder holds as documents (everything but the gold JSON and
/// notes).
pub fn is_document(name: &str) -> bool {
    !name.ends_with(".json") && !name.eq_ignore_ascii_case("README.md") && !name.starts_with('.')
}

/// A `nianbao` command for the binary under test.
pub fn nianbao() -> Command {
    Command::new(env!("CARGO_BIN_EXE_nianbao"))
}

/// Runs `cmd` and panics with its stderr unless it exits 0.
pub fn succeed(cmd: &mut Command) -> Output {
    let output = cmd.output().unwrap_or_else(|e| panic!("run {cmd:?}: {e}"));
    assert!(
        output.status.success(),
        "{cmd:?} exited with {}\nstderr:\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// The outcome of one `nianbao build` run.
pub struct Build {
    /// The process output (status, stdout, stderr).
    pub output: Output,
    /// The `--out` directory.
    pub out: PathBuf,
}

impl Build {
    /// Panics with stderr unless the run exited 0 and wrote nothing but nianbao's own
    /// lines to stderr (see [`foreign_stderr`]).
    pub fn assert_success(&self) -> &Build {
        let stderr = String::from_utf8_lossy(&self.output.stderr);
        assert!(
            self.output.status.success(),
            "nianbao build exited with {}\nstderr:\n{stderr}",
            self.output.status,
        );
        let foreign = foreign_stderr(&stderr);
        assert!(
            foreign.is_empty(),
            "lines on stderr that are not nianbao's: {foreign:#?}\nstderr:\n{stderr}"
        );
        self
    }

    /// Rows of an output table (`reports`, `applications`, …).
    pub fn rows(&self, table: &str) -> Vec<Row> {
        read_csv(&self.out.join(format!("{table}.csv")))
    }
}

/// The lines of a build's stderr that nianbao did not write: its own are `nianbao: …`
/// messages and the summary line (`N files in …`), so anything else came from a
/// dependency (polars' debug output, `ESTIMATED ROWS: N`, …).
pub fn foreign_stderr(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| {
            let summary = l
                .split_once(" files in ")
                .is_some_and(|(n, _)| n.parse::<usize>().is_ok());
            !(l.starts_with("nianbao: ") || summary)
        })
        .collect()
}

/// The Parquet layouts of `nianbao build --layout`. Tests that build a corpus of bad,
/// hostile, mixed or damaged files, and the incremental and shard tests, run under each
/// (`nbtest!(name, |dir, layout| …)`): a run must not depend on the layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// `NAME.parquet`.
    Single,
    /// `NAME/year=YYYY/part-00000.parquet`, `year=__HIVE_DEFAULT_PARTITION__` without year.
    Partitioned,
}

impl Layout {
    /// The value of `--layout`.
    pub fn name(self) -> &'static str {
        match self {
            Layout::Single => "single",
            Layout::Partitioned => "partitioned",
        }
    }

    /// `--layout NAME`, for commands other than `build`.
    pub fn args(self) -> [&'static str; 2] {
        ["--layout", self.name()]
    }

    /// [`build`] in this layout. After a successful run, every per-report table is read
    /// back from its Parquet file(s) as `nianbao stats` reads it, with the rows of its CSV
    /// file; partitions also as Hive partitions, with `year` an integer column.
    pub fn build(self, corpus: &Path, out: &Path, extra: &[&str]) -> Build {
        let mut args = self.args().to_vec();
        args.extend_from_slice(extra);
        let b = build(corpus, out, &args);
        if b.output.status.success() {
            self.check_parquet(out);
        }
        b
    }

    /// Checks the Parquet tables of `out`, written in this layout.
    pub fn check_parquet(self, out: &Path) {
        use nianbao::dataset::{self, Parquet, PARTITION_COLUMN};
        use polars::prelude::DataType;
        for table in &TABLES[..6] {
            let csv = read_csv(&out.join(format!("{table}.csv")));
            let single = out.join(format!("{table}.parquet"));
            assert_eq!(
                single.is_file(),
                self == Layout::Single,
                "{}: {table}.parquet in the {} layout",
                out.display(),
                self.name()
            );
            let df = dataset::scan(out, table)
                .and_then(|lf| dataset::run(lf, table))
                .unwrap_or_else(|e| panic!("{}: reading {table}: {e}", out.display()));
            assert_eq!(df.height(), csv.len(), "{table}: Parquet and CSV rows");
            if self == Layout::Partitioned && !csv.is_empty() {
                let lf = dataset::scan_parquet(&out.join(table), Parquet::Partitions)
                    .unwrap_or_else(|e| panic!("{table}: {e}"));
                let hive = dataset::run(lf, table).unwrap_or_else(|e| panic!("{table}: {e}"));
                let year = hive.column(PARTITION_COLUMN).expect("partition column");
                assert_eq!(year.dtype(), &DataType::Int64, "{table}: partition type");
                if *table == "reports" {
                    // The directory a report is in is its year, also when it has none.
                    let mut own = dataset::integers(&df, PARTITION_COLUMN).expect("year");
                    let mut dirs = dataset::integers(&hive, PARTITION_COLUMN).expect("year");
                    own.sort();
                    dirs.sort();
                    assert_eq!(own, dirs, "reports: years of the partitions");
                }
            }
        }
    }
}

/// Runs `nianbao build CORPUS --out OUT --formats csv,parquet` plus `extra` arguments.
pub fn build(corpus: &Path, out: &Path, extra: &[&str]) -> Build {
    let output = nianbao()
        .arg("build")
        .arg(corpus)
        .arg("--out")
        .arg(out)
        .args(["--formats", "csv,parquet"])
        .args(extra)
        .output()
        .expect("run nianbao");
    Build {
        output,
        out: out.to_path_buf(),
    }
}

/// Reads a CSV file with a header row into rows of named fields.
pub fn read_csv(path: &Path) -> Vec<Row> {
    let mut reader =
        csv::Reader::from_path(path).unwrap_or_else(|e| panic!("open {}: {e}", path.display()));
    let headers = reader.headers().expect("CSV header").clone();
    reader
        .records()
        .map(|record| {
            let record = record.unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
            headers
                .iter()
                .map(String::from)
                .zip(record.iter().map(String::from))
                .collect()
        })
        .collect()
}

/// A field of a row; `None` when the column is absent or the field is empty (null).
pub fn field<'a>(row: &'a Row, column: &str) -> Option<&'a str> {
    row.get(column)
        .map(String::as_str)
        .filter(|v| !v.is_empty())
}

/// Rows of `rows` that belong to report `id`.
pub fn of_report<'a>(rows: &'a [Row], id: &str) -> Vec<&'a Row> {
    rows.iter()
        .filter(|r| field(r, "report_id") == Some(id))
        .collect()
}
